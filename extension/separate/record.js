// CcGuard "Send separately": the Sent folder's record, once every copy is out.
//
// The copies were sent without a copy each (overrideDefaultFccFolder ""), so the Sent folder gets
// one record of the original instead, with everyone it reached in Bcc: the compose window's own
// content, saved by Thunderbird as a draft and moved into Sent. Nothing is sent for it, so nobody
// can get the message twice. Saving the window as a draft also replaces a draft Thunderbird
// autosaved of it, which would otherwise stay behind in Drafts as if the message had never gone
// out (a real send deletes it). Verified on Thunderbird 153: compose.saveMessage is refused while
// the send is held ("not ready"), works once it was answered {cancel: true}, and replaces the
// earlier draft of the window (docs/thunderbird-background-send.md).
//
// With separateKeepCopies every copy is in Sent already: the draft (still saved, to replace an
// autosaved one) goes to Trash. Without a Sent folder the record goes to Trash too, and the
// window says so. Permissions: compose.save and messagesMove (asked for with messages.send).

import { api, withTimeout } from "../util.js";

const STEP_TIMEOUT_MS = 20000;
const SAVE_ATTEMPTS = 10;
const SAVE_RETRY_MS = 300;

function step(promise, what) {
  return withTimeout(Promise.resolve(promise), STEP_TIMEOUT_MS, what);
}

/** The folder of `use` ("sent", "trash") of the identity's account, else of any account. */
async function folderOf(use, identityId) {
  let accountId = null;
  try {
    accountId = (await api().identities.get(identityId))?.accountId ?? null;
  } catch (error) {
    // Any account's folder will do.
  }
  if (accountId) {
    const own = await api().folders.query({ accountId, specialUse: [use] });
    if (Array.isArray(own) && own.length > 0) return own[0];
  }
  const any = await api().folders.query({ specialUse: [use] });
  return Array.isArray(any) && any.length > 0 ? any[0] : null;
}

/**
 * Saves compose window `tabId` as a draft. Thunderbird refuses while the window is still locked
 * by the send just answered ("not ready"), which it may be for a moment after the answer: tried
 * again a few times.
 */
async function saveDraft(tabId) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await step(api().compose.saveMessage(tabId, { mode: "draft" }), "saving the record");
    } catch (error) {
      if (attempt >= SAVE_ATTEMPTS || !/not ready/i.test(String(error?.message))) throw error;
      await new Promise((resolve) => setTimeout(resolve, SAVE_RETRY_MS));
    }
  }
}

/**
 * Files the record of the compose window `tabId` (answered {cancel: true} already): `everyone`
 * in Bcc, nobody in To or Cc. Returns {status, folder}: status "kept" (in Sent), "copies" (every
 * copy was kept instead; the draft went to Trash), "trash" (no Sent folder: the record is in
 * Trash), "failed" (see `where`: "drafts" when a draft was saved but could not be moved).
 * Never throws.
 */
export async function keepRecord({ tabId, identityId, everyone, keepCopies }) {
  let saved = null;
  try {
    if (!keepCopies) {
      await step(api().compose.setComposeDetails(tabId, { to: [], cc: [], bcc: [...everyone] }), "addressing the record");
    }
    const result = await saveDraft(tabId);
    saved = (Array.isArray(result?.messages) ? result.messages : []).map((m) => m.id);
    if (saved.length === 0) throw new Error("Thunderbird saved no draft");
    const sent = keepCopies ? null : await step(folderOf("sent", identityId), "finding the Sent folder");
    if (sent) {
      await step(api().messages.move(saved, sent.id), "moving the record into Sent");
      return { status: "kept", folder: sent.name ?? "" };
    }
    const trash = await step(folderOf("trash", identityId), "finding the Trash folder");
    if (!trash) throw new Error("no Sent and no Trash folder");
    await step(api().messages.move(saved, trash.id), "moving the draft into Trash");
    return { status: keepCopies ? "copies" : "trash", folder: trash.name ?? "" };
  } catch (error) {
    console.error("CcGuard: could not file the record of a message sent separately:", error);
    return { status: "failed", where: saved ? "drafts" : null };
  }
}
