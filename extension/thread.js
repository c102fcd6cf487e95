// CcGuard: the message a send answers or forwards, as the core's `message.related`
// ({author, to, cc}). compose.onBeforeSend gives details.type and details.relatedMessageId;
// messages.get (permission messagesRead) gives that message's author, To and Cc from the folder
// database, nothing of its body (docs/thunderbird-context.md). A Reply-To the message carried
// was visible to everyone in it too, so it counts as one of its people (Reply All writes to it).
// Without the related message the core judges the send on its own: stricter for a reply, while a
// forward's header (which goes out with it) is then not counted.

import { api, withTimeout, strings } from "./util.js";

/** Types whose relatedMessageId is a message someone received: a reply (or a reply's draft,
 *  whose relatedMessageId is the original), a forward, a redirect. */
const ANSWERING = new Set(["reply", "forward", "redirect", "draft"]);
const TIMEOUT_MS = 1500;

/** The Reply-To header of message `id`, if any: getHeaders (153), else getFull (140). */
async function replyTo(id) {
  const messages = api().messages;
  const headers =
    typeof messages.getHeaders === "function"
      ? await messages.getHeaders(id)
      : (await messages.getFull(id))?.headers;
  return strings(headers?.["reply-to"]);
}

async function read(id) {
  const header = await api().messages.get(id);
  if (!header) return null;
  return {
    author: typeof header.author === "string" ? header.author : "",
    to: [...strings(header.recipients), ...(await replyTo(id).catch(() => []))],
    cc: strings(header.ccList),
  };
}

/** The related message's header, or null (a new message, no permission, or unreadable). */
export async function relatedOf(details) {
  const id = details?.relatedMessageId;
  if (!ANSWERING.has(details?.type) || !Number.isInteger(id) || !api()?.messages?.get) return null;
  return withTimeout(read(id), TIMEOUT_MS, "reading the message replied to");
}
