// CcGuard e2e probe (MV3 event page, ES module): the same long-poll protocol as the driver
// (harness/driver.py), but with CcGuard's manifest version and permissions, so that the
// extension's own lists.js / identities.js run against Thunderbird's real APIs.
// config.js (generated at test time) sets globalThis.E2E_CONFIG = {port}.
import "./config.js";
import "./command_loop.js";
import { listsOf } from "./lists.js";
import { ownAddresses } from "./identities.js";

const { plain, serve } = globalThis.E2E;

// What listsOf() gave inside compose.onBeforeSend, as CcGuard's listener will call it.
const atSend = [];
messenger.compose.onBeforeSend.addListener(async (tab, details) => {
  const t0 = performance.now();
  let lists = null, error = null;
  try {
    lists = await listsOf(details);
  } catch (e) {
    error = String((e && e.message) || e);
  }
  atSend.push({ tabId: tab.id, details: plain(details), lists, error, ms: performance.now() - t0 });
});

async function timed(fn) {
  const t0 = performance.now();
  try {
    const value = await fn();
    return { ok: true, value: plain(value), ms: performance.now() - t0 };
  } catch (e) {
    return { ok: false, error: String((e && e.message) || e), ms: performance.now() - t0 };
  }
}

const handlers = {
  async ping() {
    return { pong: true, manifest: messenger.runtime.getManifest().manifest_version };
  },
  async listsOf({ details, options }) {
    return await timed(() => listsOf(details, options || {}));
  },
  async ownAddresses() {
    return await timed(() => ownAddresses());
  },
  async atSend() {
    return atSend.slice();
  },
  // Raw API calls, for the findings in docs/thunderbird-lists.md.
  async api({ path, args }) {
    return await timed(() => {
      let target = messenger;
      const parts = path.split(".");
      const name = parts.pop();
      for (const p of parts) target = target[p];
      if (!target || typeof target[name] !== "function") throw new Error(`no function messenger.${path}`);
      return target[name](...(args || []));
    });
  },
};

serve(handlers);
