// CcGuard e2e mail helper (MV3 event page, ES module). Same long-poll protocol as the driver
// (harness/driver.py, command_loop.js); config.js (generated at test time) sets
// globalThis.E2E_CONFIG = {port}. Listeners are registered at the top level so that Thunderbird
// can wake this event page for them; each one also pushes what it saw to POST /event at once.
import "./config.js";
import "./command_loop.js";

const { plain, serve, sleep } = globalThis.E2E;
const BASE = `http://127.0.0.1:${globalThis.E2E_CONFIG.port}`;
const startedAt = Date.now();
const log = [];

function push(kind, data) {
  const entry = { kind, wall: Date.now(), startedAt, ...plain(data) };
  log.push(entry);
  fetch(`${BASE}/event`, {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(entry),
  }).catch(() => {});
}

// {"$file": {name, type, text | base64}} anywhere in a JSON argument becomes a File,
// {"$date": ISO string or ms} a Date.
function revive(value) {
  if (Array.isArray(value)) return value.map(revive);
  if (value && typeof value === "object") {
    if (value.$date !== undefined) return new Date(value.$date);
    if (value.$file) {
      const f = value.$file;
      const bytes = f.base64 != null ? Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0)) : f.text;
      return new File([bytes], f.name, { type: f.type || "application/octet-stream" });
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, revive(v)]));
  }
  return value;
}

async function fileInfo(file) {
  return { name: file.name, type: file.type, size: file.size, text: await file.text() };
}

function resolvePath(path) {
  let target = messenger;
  const parts = path.split(".");
  const name = parts.pop();
  for (const p of parts) target = target?.[p];
  if (!target || typeof target[name] !== "function") throw new Error(`no function messenger.${path}`);
  return (...args) => target[name](...args);
}

async function timed(fn) {
  const t0 = performance.now();
  try {
    return { ok: true, value: plain(await fn()), ms: performance.now() - t0 };
  } catch (e) {
    return { ok: false, error: String((e && e.message) || e), ms: performance.now() - t0 };
  }
}

// -- compose.onBeforeSend: recorded always; held while `holding` is on --------------------
let holding = false;
const held = new Map(); // tabId -> {resolve, details}
messenger.compose.onBeforeSend.addListener((tab, details) => {
  push("beforeSend", { tabId: tab.id, windowId: tab.windowId, tabType: tab.type, details, holding });
  if (!holding) return undefined;
  return new Promise((resolve) => held.set(tab.id, { resolve, details }));
});
messenger.compose.onAfterSend.addListener((tab, info) => push("afterSend", { tabId: tab.id, info }));
messenger.compose.onAfterSave.addListener((tab, info) => push("afterSave", { tabId: tab.id, info }));

// -- messages.onNewMailReceived: once plain, once with monitorAllFolders ------------------
function newMail(kind) {
  return async (folder, messageList) => {
    const messages = messageList?.messages || [];
    push(kind, { folder, listId: messageList?.id ?? null, messages, count: messages.length });
  };
}
if (messenger.messages.onNewMailReceived) {
  messenger.messages.onNewMailReceived.addListener(newMail("newMail"));
  try {
    messenger.messages.onNewMailReceived.addListener(newMail("newMailAllFolders"), true);
  } catch (e) {
    push("error", { where: "onNewMailReceived(monitorAllFolders)", error: String(e) });
  }
}
push("started", {});

async function localFolder(name) {
  const accounts = await messenger.accounts.list(false);
  // MV3 calls the Local Folders account type "local" (MV2: "none").
  const local = accounts.find((a) => a.type === "local" || a.type === "none");
  if (!local) throw new Error("no Local Folders account");
  const root = local.rootFolder;
  const existing = (await messenger.folders.getSubFolders(root.id, false)).find((f) => f.name === name);
  return existing || (await messenger.folders.create(root.id, name));
}

const handlers = {
  async ping() {
    return { pong: true, manifest: messenger.runtime.getManifest().manifest_version, startedAt };
  },
  async events() {
    return log.slice();
  },
  /** Any messenger.* function; {"$file": ...} arguments become File objects. */
  async api({ path, args }) {
    return await timed(() => resolvePath(path)(...revive(args || [])));
  },
  /** messenger.<path>(id, ...extra) for every id, one after the other, timed inside Thunderbird. */
  async apiMany({ path, ids, extra }) {
    const fn = resolvePath(path);
    const t0 = performance.now();
    let last = null;
    for (const id of ids) last = await fn(id, ...revive(extra || []));
    return { count: ids.length, ms: performance.now() - t0, last: plain(last) };
  },
  /** Like api, then reads every File in the answer (getAttachmentFile, ...). */
  async apiFile({ path, args }) {
    return await timed(async () => fileInfo(await resolvePath(path)(...revive(args || []))));
  },
  async localFolder({ folderName }) {
    return await localFolder(folderName);
  },
  /** raws: RFC 5322 texts imported one by one into folderId; returns the headers (or only the
   * count and timing with `quiet`). */
  async importMessages({ folderId, raws, properties, quiet }) {
    const out = [];
    const t0 = performance.now();
    for (const [i, raw] of raws.entries()) {
      const file = new File([raw], `m${i}.eml`, { type: "message/rfc822" });
      const header = await messenger.messages.import(file, folderId, properties || {});
      if (!quiet) out.push(header);
    }
    return { headers: out, count: raws.length, ms: performance.now() - t0 };
  },
  /** Hold (true) or let pass (false) every following compose.onBeforeSend. */
  async hold({ on }) {
    holding = Boolean(on);
    return holding;
  },
  async held() {
    return [...held.keys()];
  },
  /** What the extension can read of a compose window while its send is held. */
  async inspect({ tabId }) {
    const details = await timed(() => messenger.compose.getComposeDetails(tabId));
    const state = await timed(() => messenger.compose.getComposeState(tabId));
    const attachments = await timed(() => messenger.compose.listAttachments(tabId));
    const files = [];
    for (const a of attachments.ok ? attachments.value : []) {
      files.push({ id: a.id, ...(await timed(async () =>
        fileInfo(await messenger.compose.getAttachmentFile(a.id)))) });
    }
    return { details, state, attachments, files };
  },
  async release({ tabId, answer }) {
    const h = held.get(tabId);
    if (!h) throw new Error(`no send held for tab ${tabId}`);
    held.delete(tabId);
    h.resolve(answer || {});
    return true;
  },
  /** messages.sendMessage(details, options); with attachmentsFromTab, that compose window's
   * attachments (listAttachments + getAttachmentFile) are added as {file} attachments. */
  async sendBackground({ details, options, attachmentsFromTab }) {
    const d = revive(details);
    if (attachmentsFromTab != null) {
      d.attachments = d.attachments || [];
      for (const a of await messenger.compose.listAttachments(attachmentsFromTab)) {
        d.attachments.push({ file: await messenger.compose.getAttachmentFile(a.id) });
      }
    }
    return await timed(() => messenger.messages.sendMessage(d, options));
  },
  /** What storage.local keeps of a File, a Blob and a Uint8Array (stored, read back, described). */
  async storageRoundTrip() {
    const bytes = Uint8Array.from({ length: 300 }, (_, i) => i % 256);
    const file = new File([bytes], "a.bin", { type: "application/octet-stream" });
    const out = {};
    for (const [name, value] of [["file", file], ["blob", new Blob([bytes])], ["u8", bytes], ["buffer", bytes.buffer]]) {
      try {
        await messenger.storage.local.set({ [`rt-${name}`]: { value } });
        const back = (await messenger.storage.local.get(`rt-${name}`))[`rt-${name}`]?.value;
        const kind = Object.prototype.toString.call(back);
        let size = null;
        let same = null;
        if (back instanceof Blob) {
          const got = new Uint8Array(await back.arrayBuffer());
          size = got.length;
          same = got.every((b, i) => b === bytes[i]);
        } else if (back && typeof back.byteLength === "number") {
          const got = new Uint8Array(back.buffer ?? back);
          size = got.length;
          same = got.every((b, i) => b === bytes[i]);
        }
        out[name] = { kind, size, same, name: back?.name ?? null, type: back?.type ?? null };
        await messenger.storage.local.remove(`rt-${name}`);
      } catch (e) {
        out[name] = { error: String((e && e.message) || e) };
      }
    }
    return out;
  },
  async sleep({ ms }) {
    await sleep(ms);
    return true;
  },
};

serve(handlers);
