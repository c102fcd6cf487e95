// CcGuard "Send separately": what each copy is made of. One template, read from the compose
// window once when the user chooses Send separately, then one NewMessageDetails per copy that
// differs from the template only in its recipients (docs/thunderbird-background-send.md).

import { isPlainObject, strings } from "../util.js";

const PRIORITIES = ["lowest", "low", "normal", "high", "highest"];
const FORMATS = ["auto", "plaintext", "html", "both"];

/**
 * Thunderbird sends only X- headers from the background, and reports the priority as a custom
 * header too (X-Priority), which `priority` already sets: sending both would write it twice.
 */
function customHeaders(details) {
  const headers = Array.isArray(details.customHeaders) ? details.customHeaders : [];
  return headers
    .filter((h) => isPlainObject(h) && typeof h.name === "string" && typeof h.value === "string")
    .filter((h) => /^x-/i.test(h.name) && h.name.toLowerCase() !== "x-priority")
    .map(({ name, value }) => ({ name, value }));
}

/**
 * The template of every copy: the compose window's identity, subject, body, priority, receipts
 * and custom headers (`details`: compose.getComposeDetails), and its attachments (`files`: File
 * objects; the window's own attachment ids would not outlive it). Recipients are not part of it.
 */
export function templateOf(details, files = []) {
  const d = isPlainObject(details) ? details : {};
  const isPlainText = d.isPlainText === true;
  const template = {
    identityId: typeof d.identityId === "string" ? d.identityId : undefined,
    from: typeof d.from === "string" && d.from !== "" ? d.from : undefined,
    subject: typeof d.subject === "string" ? d.subject : "",
    isPlainText,
    replyTo: strings(d.replyTo),
    priority: PRIORITIES.includes(d.priority) ? d.priority : undefined,
    returnReceipt: d.returnReceipt === true,
    deliveryStatusNotification: d.deliveryStatusNotification === true,
    attachVCard: d.attachVCard === true,
    customHeaders: customHeaders(d),
    attachments: files.filter((file) => typeof Blob !== "undefined" && file instanceof Blob),
  };
  if (isPlainText) {
    template.plainTextBody = typeof d.plainTextBody === "string" ? d.plainTextBody : "";
  } else {
    template.body = typeof d.body === "string" ? d.body : "";
    if (FORMATS.includes(d.deliveryFormat)) template.deliveryFormat = d.deliveryFormat;
  }
  for (const key of Object.keys(template)) if (template[key] === undefined) delete template[key];
  return template;
}

/**
 * The details of one copy: the template addressed to `to` (and `cc`, for the colleagues' copy).
 * Nobody in Bcc. Without `keepCopies` no copy is filed in Sent (overrideDefaultFccFolder "").
 */
export function copyDetails(template, { to, cc = [] }, keepCopies) {
  const details = {
    ...template,
    to: [...to],
    cc: [...cc],
    bcc: [],
    customHeaders: template.customHeaders.map((h) => ({ ...h })),
    replyTo: [...template.replyTo],
    attachments: template.attachments.map((file) => ({ file })),
  };
  if (details.replyTo.length === 0) delete details.replyTo;
  if (details.attachments.length === 0) delete details.attachments;
  if (details.customHeaders.length === 0) delete details.customHeaders;
  if (!keepCopies) details.overrideDefaultFccFolder = "";
  return details;
}

/** Where a picture in an HTML body can be fetched by whoever reads the message. */
const TRAVELLING = ["http", "https", "cid"];

/**
 * How many pictures the HTML body of `details` keeps inside the message (pasted or inserted:
 * data:, file:, blob: URLs). Thunderbird makes them parts of the message only when it sends from
 * a compose window; a copy sent in the background carries the bare URL instead (a data: URL most
 * mail programs do not show, a file: path only this computer can open), so Send separately would
 * lose them. Pictures on the web and parts already named by cid: travel as they are.
 */
export function embeddedPictures(details) {
  if (!isPlainObject(details) || details.isPlainText === true || typeof details.body !== "string") return 0;
  let count = 0;
  for (const [tag] of details.body.matchAll(/<img\b[^>]*>/gi)) {
    const src = /\ssrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i.exec(tag);
    if (!src) continue;
    const url = (src[1] ?? src[2] ?? src[3]).trim();
    const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1].toLowerCase();
    if (url !== "" && !TRAVELLING.includes(scheme)) count += 1;
  }
  return count;
}

/** The compose window's attachments as File objects (compose.getAttachmentFile). */
export async function attachmentFiles(compose, tabId) {
  const listed = await compose.listAttachments(tabId);
  const files = [];
  for (const attachment of Array.isArray(listed) ? listed : []) {
    files.push(await compose.getAttachmentFile(attachment.id));
  }
  return files;
}
