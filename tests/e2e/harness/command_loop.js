// The long-poll protocol shared by the test-only extensions (driver_ext, MV2, and probe_ext,
// MV3): fetch commands from the e2e process (harness/driver.py), run each with its handler,
// post the result back. A classic script with no top-level names of its own, so it loads as
// an MV2 background script and as an MV3 module alike; config.js (generated at test time)
// sets globalThis.E2E_CONFIG = {port} before it.
(() => {
  const BASE = `http://127.0.0.1:${globalThis.E2E_CONFIG.port}`;
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  // Results travel as JSON; drop anything that does not serialise.
  const plain = (value) => (value === undefined ? null : JSON.parse(JSON.stringify(value)));

  async function post(body) {
    for (let attempt = 0; attempt < 20; attempt++) {
      try {
        const r = await fetch(`${BASE}/result`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify(body),
        });
        if (r.ok) return;
      } catch (e) {
        // The test process may be between long-polls; retry.
      }
      await sleep(200);
    }
  }

  async function run(handlers, cmd) {
    let result;
    try {
      const handler = handlers[cmd.name];
      if (!handler) throw new Error(`unknown command ${cmd.name}`);
      result = { id: cmd.id, ok: true, value: plain(await handler(cmd.args || {})) };
    } catch (e) {
      result = { id: cmd.id, ok: false, error: String((e && e.message) || e) };
    }
    await post(result);
  }

  /** Serves `handlers` ({name: async (args) => value}) until the extension is unloaded. */
  async function serve(handlers) {
    for (;;) {
      try {
        const r = await fetch(`${BASE}/next`, { cache: "no-store" });
        // Not awaited: a command (sendMessage) may wait for a user's decision.
        for (const cmd of await r.json()) run(handlers, cmd);
      } catch (e) {
        await sleep(250);
      }
    }
  }

  globalThis.E2E = { plain, sleep, serve };
})();
