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

// Address-book namespaces: MV2 has contacts/mailingLists at the top level, MV3 under addressBooks.
const contactsApi = () => browser.contacts ?? browser.addressBooks.contacts;
const listsApi = () => browser.mailingLists ?? browser.addressBooks.mailingLists;

// What compose.onBeforeSend handed to listeners, recorded only once a test asks for it
// (recordBeforeSend), so that ordinary scenarios run with CcGuard's listener alone.
const beforeSend = [];
let recording = false;
function recordBeforeSend(tab, details) {
  beforeSend.push({ tabId: tab.id, at: Date.now(), details: plain(details) });
  // No return value: this listener never changes or cancels a send.
}

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
  async recordBeforeSend() {
    if (!recording) {
      browser.compose.onBeforeSend.addListener(recordBeforeSend);
      recording = true;
    }
    return true;
  },
  async beforeSendLog() {
    return beforeSend.slice();
  },

  // -- address books (test data) ---------------------------------------------------------
  async abBooks() {
    return await browser.addressBooks.list(false);
  },
  async abCreateBook({ bookName }) {
    return await browser.addressBooks.create({ name: bookName });
  },
  async abDeleteBook({ id }) {
    await browser.addressBooks.delete(id);
    return true;
  },
  /** contacts: [{email, displayName?, firstName?, lastName?}] -> ids, in order. */
  async abCreateContacts({ bookId, contacts }) {
    const ids = [];
    for (const c of contacts) {
      const properties = { PrimaryEmail: c.email };
      if (c.displayName != null) properties.DisplayName = c.displayName;
      if (c.firstName != null) properties.FirstName = c.firstName;
      if (c.lastName != null) properties.LastName = c.lastName;
      ids.push(await contactsApi().create(bookId, null, properties));
    }
    return ids;
  },
  async abDeleteContact({ id }) {
    await contactsApi().delete(id);
    return true;
  },
  async abCreateList({ bookId, listName, description, nickName }) {
    const properties = { name: listName };
    if (description != null) properties.description = description;
    if (nickName != null) properties.nickName = nickName;
    return await listsApi().create(bookId, properties);
  },
  async abDeleteList({ id }) {
    await listsApi().delete(id);
    return true;
  },
  async abAddMembers({ listId, contactIds }) {
    for (const id of contactIds) await listsApi().addMember(listId, id);
    return contactIds.length;
  },
  async abLists({ bookId }) {
    return await listsApi().list(bookId);
  },
  async abListMembers({ listId }) {
    return await listsApi().listMembers(listId);
  },
  async parseMailboxString({ text, options }) {
    return await browser.messengerUtilities.parseMailboxString(text, options);
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
