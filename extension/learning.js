// CcGuard: learning, from mail the user received, which people were all visible to each
// other in a message written outside the organisation: those people formed the group
// themselves, so a later send to them (or to some of them) exposes nobody new. Only the
// headers are read (author, To, Cc; never a body), and only the group's addresses are kept
// (groups.js), locally. Learning never holds a send: it runs as mail arrives, and once over
// recent mail when the user starts it on the options page.

import { effectivePolicy, receivedGroup } from "./guard.js";
import { rememberGroups } from "./groups.js";
import { ownAddresses } from "./identities.js";
import { settingsInForce } from "./settings.js";
import { api } from "./util.js";

/** How far back the one-off scan looks by default. */
export const SCAN_DAYS = 90;
/** Folders that do not hold mail received from others. */
const SKIPPED = new Set(["sent", "drafts", "templates", "trash", "junk", "outbox", "archives"]);

function headerOf(message) {
  const strings = (v) => (Array.isArray(v) ? v.filter((s) => typeof s === "string") : []);
  return { author: typeof message?.author === "string" ? message.author : "", to: strings(message?.recipients), cc: strings(message?.ccList) };
}

/** The groups `messages` form, as address lists; [] when learning is switched off. */
async function groupsOf(messages, context) {
  const out = [];
  for (const message of messages) {
    const header = headerOf(message);
    // Two people besides the user at least: an author and one more.
    if (header.to.length + header.cc.length < 2) continue;
    try {
      const group = await receivedGroup(header, context.own, context.policy);
      if (Array.isArray(group)) out.push(group);
    } catch (error) {
      // One odd header must not stop learning from the rest.
    }
  }
  return out;
}

async function learningContext() {
  const [{ policy }, own] = await Promise.all([settingsInForce().then(effectivePolicy), ownAddresses()]);
  return policy?.learnGroups === false ? null : { policy, own };
}

/** messages.onNewMailReceived: learns from each new message's header. Never throws. */
export async function learnFromNewMail(folder, messageList) {
  try {
    const context = await learningContext();
    if (!context) return;
    let page = messageList;
    while (page) {
      const groups = await groupsOf(page.messages ?? [], context);
      if (groups.length > 0) await rememberGroups(groups, "received");
      page = page.id ? await api().messages.continueList(page.id) : null;
    }
  } catch (error) {
    console.warn("CcGuard: could not learn from new mail:", error);
  }
}

/** Every folder of every account that may hold received mail. */
async function receivingFolders() {
  const accounts = await api().accounts.list(true);
  const out = [];
  const walk = (folders) => {
    for (const folder of folders ?? []) {
      const uses = Array.isArray(folder.specialUse) ? folder.specialUse : [];
      if (!uses.some((u) => SKIPPED.has(u))) out.push(folder);
      walk(folder.subFolders);
    }
  };
  for (const account of accounts ?? []) walk(account.rootFolder ? [account.rootFolder] : account.folders);
  return out;
}

/**
 * Learns from the last `days` of received mail, folder by folder. `onProgress({done, total,
 * messages, groups})` after each folder; `signal` (an AbortSignal) stops it between pages.
 * Resolves to the totals. Learning switched off: resolves at once with nothing learned.
 */
export async function scanRecent({ days = SCAN_DAYS, onProgress = () => {}, signal } = {}) {
  const totals = { done: 0, total: 0, messages: 0, groups: 0, stopped: false };
  const context = await learningContext();
  if (!context) return totals;
  const folders = await receivingFolders();
  totals.total = folders.length;
  const fromDate = new Date(Date.now() - days * 24 * 3600 * 1000);
  for (const folder of folders) {
    if (signal?.aborted) break;
    // fromDate must be a Date: with a string or a number the query never answers.
    let page = await api().messages.query({ folderId: folder.id, fromDate });
    while (page) {
      if (signal?.aborted) {
        // After abortList, 140 still hands back the list's id: stop here, do not continue it.
        if (page.id) await api().messages.abortList(page.id).catch(() => {});
        break;
      }
      const messages = page.messages ?? [];
      totals.messages += messages.length;
      const groups = await groupsOf(messages, context);
      if (groups.length > 0) {
        await rememberGroups(groups, "received");
        totals.groups += groups.length;
      }
      page = page.id ? await api().messages.continueList(page.id) : null;
    }
    totals.done += 1;
    onProgress({ ...totals });
  }
  totals.stopped = Boolean(signal?.aborted);
  return totals;
}
