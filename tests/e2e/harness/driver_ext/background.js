// CcGuard e2e driver: the commands the test process sends (served by command_loop.js, loaded
// before this script after the generated config.js).
"use strict";

const { plain, serve } = globalThis.E2E;
const createdWindows = [];
const removedWindows = [];

browser.windows.onCreated.addListener((w) => {
  createdWindows.push({ id: w.id, type: w.type, title: w.title || "", at: Date.now() });
});
browser.windows.onRemoved.addListener((id) => removedWindows.push({ id, at: Date.now() }));

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
  /** An attachment for compose tab `tabId`: {fileName, type, text} or {fileName, type, base64}. */
  async addAttachment({ tabId, fileName, type, text, base64 }) {
    const bytes = base64 != null ? Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)) : text;
    const file = new File([bytes], fileName, { type: type || "application/octet-stream" });
    const attachment = await browser.compose.addAttachment(tabId, { file });
    return { id: attachment.id, name: attachment.name, size: attachment.size };
  },
  async setComposeDetails({ tabId, details }) {
    await browser.compose.setComposeDetails(tabId, details);
    return true;
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

serve(handlers);
