// CcGuard e2e driver: long-polls the test process for commands, runs them, posts the results back.
// config.js (generated at test time) defines globalThis.E2E_CONFIG = {port}.
"use strict";

const BASE = `http://127.0.0.1:${globalThis.E2E_CONFIG.port}`;
const createdWindows = [];
const removedWindows = [];

browser.windows.onCreated.addListener((w) => {
  createdWindows.push({ id: w.id, type: w.type, title: w.title || "", at: Date.now() });
});
browser.windows.onRemoved.addListener((id) => removedWindows.push({ id, at: Date.now() }));

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function plain(value) {
  // Results travel as JSON; drop anything that does not serialise.
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}

const handlers = {
  async ping() {
    return { pong: true, at: Date.now() };
  },
  async beginNew({ details }) {
    const tab = await browser.compose.beginNew(details);
    return { tabId: tab.id, windowId: tab.windowId };
  },
  async sendMessage({ tabId, options }) {
    return await browser.compose.sendMessage(tabId, options || { mode: "sendNow" });
  },
  async getComposeDetails({ tabId }) {
    return await browser.compose.getComposeDetails(tabId);
  },
  async getComposeState({ tabId }) {
    return await browser.compose.getComposeState(tabId);
  },
  async closeTab({ tabId }) {
    await browser.tabs.remove(tabId);
    return true;
  },
  async windows() {
    const all = await browser.windows.getAll({ populate: true });
    return all.map((w) => ({
      id: w.id, type: w.type, title: w.title || "",
      tabs: (w.tabs || []).map((t) => ({ id: t.id, type: t.type, url: t.url || "" })),
    }));
  },
  async windowEvents() {
    return { created: createdWindows.slice(), removed: removedWindows.slice() };
  },
  async closeComposeWindows() {
    const all = await browser.windows.getAll({ windowTypes: ["messageCompose"] });
    for (const w of all) await browser.windows.remove(w.id);
    return all.length;
  },
};

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

async function run(cmd) {
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

async function loop() {
  for (;;) {
    try {
      const r = await fetch(`${BASE}/next`, { cache: "no-store" });
      const commands = await r.json();
      for (const cmd of commands) run(cmd); // not awaited: sendMessage may wait for a user decision
    } catch (e) {
      await sleep(250);
    }
  }
}

loop();
