// Shared by the unit tests of the send path: a stub `messenger` (what Thunderbird's MailExtension
// APIs return, as far as CcGuard uses them) and the WASM package built by ./build.sh, handed to
// extension/core.js the way the XPI would give it.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const pkg = join(root, "build", "pkg");
const files = {
  glue: join(pkg, "ccguard_wasm.js"),
  wasm: join(pkg, "ccguard_wasm_bg.wasm"),
  table: join(pkg, "private-domains.bin"),
  keys: join(pkg, "policy-keys.json"),
};
for (const path of Object.values(files)) {
  if (!existsSync(path)) throw new Error(`${path} is missing: run ./build.sh first.`);
}
const wasmBytes = readFileSync(files.wasm);
const tableBytes = readFileSync(files.table);
export const KEYS = JSON.parse(readFileSync(files.keys, "utf8"));

/** What CcGuard logged: the failures these tests provoke on purpose would bury the test output.
 *  CCGUARD_TEST_LOG=1 shows them. */
export const logged = [];
if (!process.env.CCGUARD_TEST_LOG) {
  for (const level of ["error", "warn"]) console[level] = (...args) => logged.push([level, ...args]);
}

let modules = 0;
/** Window ids are never reused across tests: decisions.js remembers recently removed ones. */
let nextWindowId = 100;

/** A fresh module record of the glue with its own instance of `bytes` (the built .wasm). */
async function freshModule(bytes = wasmBytes) {
  const mod = await import(`${pathToFileURL(files.glue).href}?module=${++modules}`);
  mod.initSync({ module: bytes });
  return mod;
}

/**
 * Files for core.useFiles: the built package, table and key table, each replaceable. `log.wasm`
 * records the instance number of every load. `wrap(mod, instance)` may replace exports.
 */
export function builtFiles({ wrap, table, policyKeys, log = { wasm: [], keys: 0 } } = {}) {
  return {
    log,
    files: {
      async wasm(instance) {
        log.wasm.push(instance);
        const mod = await freshModule();
        return wrap ? wrap(mod, instance) : mod;
      },
      table: table ?? (async () => new Uint8Array(tableBytes)),
      policyKeys: policyKeys ?? (async () => {
        log.keys += 1;
        return structuredClone(KEYS);
      }),
    },
  };
}

/** The package with garbage in place of the .wasm, as tests/e2e/test_degraded.py ships it. */
export function brokenWasmFiles(options = {}) {
  const built = builtFiles(options);
  built.files.wasm = async (instance) => {
    built.log.wasm.push(instance);
    return freshModule(Buffer.from("\0asm-this-is-not-wasm"));
  };
  return built;
}

/** The table with one flipped bit. */
export function damagedTable() {
  const bytes = new Uint8Array(tableBytes);
  bytes[100] ^= 4;
  return bytes;
}

/** A Promise with its resolve/reject outside. */
export function deferred() {
  let resolve;
  let reject;
  const promise = new Promise((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

export const tick = () => new Promise((resolve) => setImmediate(resolve));
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export const SENDER = "Ann <ann@shop.example>";
export const SENDER_EMAIL = "ann@shop.example";

/** `n` private customers on consumer mailbox domains. */
export function customers(n, prefix = "customer") {
  const domains = ["gmail.com", "yahoo.com", "gmx.de", "outlook.com", "web.de", "orange.fr", "hotmail.com"];
  return Array.from({ length: n }, (_, i) => `Customer ${i + 1} <${prefix}${i + 1}@${domains[i % domains.length]}>`);
}

/**
 * Installs a stub `messenger` on globalThis and returns it. `state.stored` / `state.managed` are
 * the user's and the admin's settings (managed undefined: no enterprise policy, get() rejects as
 * Thunderbird does); `state.localGet`, when set, is awaited by storage.local.get (a slow read).
 * Every window call is recorded in `calls`; `listeners` holds what background.js registered.
 */
export function installMessenger(initial = {}) {
  const { stored, ...rest } = initial;
  const state = { local: {}, managed: undefined, localGet: null, localFails: false, createFails: false, ...rest };
  // Setting these as a test does is a change of storage: Thunderbird announces it.
  Object.defineProperty(state, "stored", {
    get: () => state.local.policy,
    set: (value) => {
      if (value === undefined) delete state.local.policy;
      else state.local.policy = value;
      changed?.(["policy"]);
    },
    enumerable: true,
  });
  let managedValue = rest.managed;
  Object.defineProperty(state, "managed", {
    get: () => managedValue,
    set: (value) => {
      managedValue = value;
      for (const fn of storageListeners ?? []) fn({}, "managed");
    },
    enumerable: true,
  });
  const storageListeners = [];
  let changed = null;
  state.stored = stored;
  changed = (keys) => {
    const changes = Object.fromEntries(keys.map((k) => [k, {}]));
    for (const fn of storageListeners) fn(changes, "local");
  };
  const calls = { created: [], removed: [], focused: [], reload: 0 };
  const listeners = {};
  const open = new Set();
  const closed = new Set();
  const event = (name) => ({
    addListener(fn) {
      listeners[name] = fn;
    },
    removeListener(fn) {
      if (listeners[name] === fn) delete listeners[name];
    },
  });
  const messenger = {
    state,
    calls,
    listeners,
    open,
    runtime: {
      id: "ccguard@ccguard.org",
      reload() {
        calls.reload += 1;
      },
      onMessage: event("onMessage"),
      onUpdateAvailable: event("onUpdateAvailable"),
      onInstalled: event("onInstalled"),
      onStartup: event("onStartup"),
      async openOptionsPage() {
        calls.optionsOpened = (calls.optionsOpened ?? 0) + 1;
      },
    },
    compose: { onBeforeSend: event("onBeforeSend") },
    messages: { onNewMailReceived: event("onNewMailReceived") },
    windows: {
      onRemoved: event("onRemoved"),
      async create(options) {
        if (state.createFails) throw new Error("could not create the window");
        const id = nextWindowId++;
        open.add(id);
        calls.created.push({ id, url: options.url, options });
        return { id, type: "popup" };
      },
      async get(id) {
        if (!open.has(id)) throw new Error(`Invalid window ID: ${id}`);
        return { id };
      },
      async update(id, props) {
        // As Thunderbird: a window that was closed is no more (compose windows are not tracked).
        if (closed.has(id)) throw new Error(`Invalid window ID: ${id}`);
        if (props?.focused) calls.focused.push(id);
        return { id };
      },
      async remove(id) {
        calls.removed.push(id);
        open.delete(id);
        closed.add(id);
      },
    },
    storage: {
      // Every key of storage.local in `state.local`; `state.stored` is its "policy" (the user's
      // settings). Changes are announced to storage.onChanged listeners, as Thunderbird does.
      local: {
        async get(key) {
          if (state.localGet) await state.localGet;
          if (state.localFails) throw new Error("storage.local is not available");
          const keys = key === undefined || key === null ? Object.keys(state.local) : [key].flat();
          const out = {};
          for (const k of keys) if (state.local[k] !== undefined) out[k] = cloneStored(state.local[k]);
          return out;
        },
        async set(values) {
          if (state.localFails) throw new Error("storage.local is not available");
          for (const [k, v] of Object.entries(values)) state.local[k] = cloneStored(v);
          changed(Object.keys(values));
        },
        async remove(key) {
          for (const k of [key].flat()) delete state.local[k];
          changed([key].flat());
        },
      },
      onChanged: {
        addListener(fn) {
          storageListeners.push(fn);
        },
      },
      // Emptied when Thunderbird restarts (not when the background does).
      session: {
        async get(key) {
          return state.session?.[key] !== undefined ? { [key]: structuredClone(state.session[key]) } : {};
        },
        async set(values) {
          state.session = { ...(state.session ?? {}), ...structuredClone(values) };
        },
      },
      managed: {
        async get() {
          if (state.managed === undefined) throw new Error("Managed storage manifest not found");
          return structuredClone(state.managed);
        },
      },
    },
    identities: {
      async list() {
        return [{ id: "id1", accountId: "account1", email: SENDER_EMAIL, name: "Ann" }];
      },
    },
    addressBooks: {
      async list() {
        return [];
      },
      mailingLists: {
        async list() {
          return [];
        },
        async listMembers() {
          return [];
        },
      },
    },
    i18n: { getMessage: () => "" },
  };
  globalThis.messenger = messenger;
  return messenger;
}

/** structuredClone, except that Files stay Files (storage.local keeps them, name and type: seen on
 *  Thunderbird 153; Node's structuredClone would turn them into nameless Blobs). */
function cloneStored(value) {
  if (value instanceof Blob) return value;
  if (Array.isArray(value)) return value.map(cloneStored);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cloneStored(v)]));
  return structuredClone(value);
}

/** The decision id in the URL of the warning window created `index`-th. */
export function decisionId(messenger, index = -1) {
  const created = messenger.calls.created.at(index);
  assert.ok(created, "no warning window was created");
  return new URL(created.url, "moz-extension://x/").searchParams.get("id");
}

/** Waits (event-loop turns, at most `ms`) until `predicate()` holds. */
export async function until(predicate, what, ms = 5000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (predicate()) return;
    await tick();
  }
  assert.fail(`timed out waiting for ${what}`);
}

/**
 * Makes the stub `messenger` a Thunderbird 153 with background sending and what Send separately
 * uses: permissions (`granted`: the optional ones the user allowed; without the permissions
 * namespace, as set up by installMessenger, permissions.contains throws like 140's), compose
 * windows (openCompose), folders, tabs and identities. Every send is recorded in `calls.sent`
 * ({details, at}); `state.send(details, n)`, when set, answers it (a Promise), else it resolves
 * at once. `calls.saved`, `calls.moved`, `calls.tabsRemoved`, `calls.tabsCreated` and
 * `calls.composeSet` record the rest; `state.saveFails` makes compose.saveMessage refuse.
 */
export function thunderbird153(messenger, { granted = ["messages.send", "compose.save", "messagesMove"] } = {}) {
  const { state, calls } = messenger;
  const OPTIONAL = ["messages.send", "compose.save", "messagesMove"];
  state.granted = new Set(granted);
  state.composeWindows = new Map();
  state.folders = [
    { id: "account1://Drafts", name: "Drafts", accountId: "account1", specialUse: ["drafts"] },
    { id: "account1://Sent", name: "Sent", accountId: "account1", specialUse: ["sent"] },
    { id: "account1://Trash", name: "Trash", accountId: "account1", specialUse: ["trash"] },
  ];
  state.tabs = new Set();
  Object.assign(calls, { sent: [], saved: [], moved: [], tabsRemoved: [], tabsCreated: [], composeSet: [] });
  let messageIds = 0;
  messenger.permissions = {
    async contains({ permissions }) {
      return permissions.every((p) => !OPTIONAL.includes(p) || state.granted.has(p));
    },
  };
  Object.defineProperty(messenger.messages, "sendMessage", {
    configurable: true,
    get() {
      if (!state.granted.has("messages.send")) return undefined;
      return async (details, options) => {
        const n = calls.sent.length;
        calls.sent.push({ details, options, at: Date.now() });
        if (state.send) return state.send(details, n);
        return { mode: "sendNow", headerMessageId: `m${n}@shop.example`, messages: [] };
      };
    },
  });
  messenger.messages.move = async (ids, folderId) => {
    calls.moved.push({ ids, folderId });
  };
  messenger.compose.getComposeDetails = async (tabId) => {
    const w = state.composeWindows.get(tabId);
    if (!w) throw new Error(`Invalid compose tab ${tabId}`);
    return structuredClone(w.details);
  };
  messenger.compose.listAttachments = async (tabId) =>
    (state.composeWindows.get(tabId)?.files ?? []).map((f, i) => ({ id: tabId * 100 + i, name: f.name, size: f.size }));
  messenger.compose.getAttachmentFile = async (id) => state.composeWindows.get(Math.floor(id / 100)).files[id % 100];
  messenger.compose.setComposeDetails = async (tabId, details) => {
    calls.composeSet.push({ tabId, details: structuredClone(details) });
    Object.assign(state.composeWindows.get(tabId).details, structuredClone(details));
  };
  messenger.compose.saveMessage = async (tabId, options) => {
    if (state.saveFails) throw new Error("compose.saveMessage failed: Message compose window not ready for the requested command");
    const id = ++messageIds;
    calls.saved.push({ tabId, options, details: structuredClone(state.composeWindows.get(tabId).details), id });
    return { mode: options?.mode ?? "draft", messages: [{ id, folder: state.folders[0] }] };
  };
  messenger.folders = {
    async query({ accountId, specialUse }) {
      return state.folders.filter((f) => (!accountId || f.accountId === accountId) && specialUse.every((u) => f.specialUse.includes(u)));
    },
  };
  messenger.identities.get = async (id) => ({ id, accountId: "account1", email: SENDER_EMAIL });
  messenger.tabs = {
    async get(tabId) {
      if (!state.tabs.has(tabId)) throw new Error(`Invalid tab ID: ${tabId}`);
      return { id: tabId };
    },
    async remove(tabId) {
      calls.tabsRemoved.push(tabId);
      state.tabs.delete(tabId);
    },
    async create(props) {
      const id = 9000 + calls.tabsCreated.length;
      calls.tabsCreated.push({ id, ...props });
      return { id };
    },
  };
  messenger.windows.getAll = async () => [{ id: 1, type: "normal" }];
  return messenger;
}

/** A compose window: tab `tabId` holding `details` (ComposeDetails) and attachments `files`. */
export function openCompose(messenger, tabId, details, files = []) {
  messenger.state.composeWindows.set(tabId, { details: structuredClone(details), files });
  messenger.state.tabs.add(tabId);
}
