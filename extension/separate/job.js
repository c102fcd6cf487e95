// CcGuard "Send separately": the job record in storage.local, so that nothing is sent twice and
// nothing is lost when Thunderbird quits or the background stops mid-way (recovery.js reads it
// at the next start).
//
//   separateJobIds            [id, ...]                      which jobs exist
//   separateJob:<id>          {id, state, items, ...}        what is planned, sent, failed
//   separateJob:<id>:message  the copies' template (copy.js), attachments as Files when they fit
//
// Each item is one message to send: a person's copy or the colleagues' copy. Its status moves
//   planned -> sending -> sent | failed | unconfirmed
// and is written before a send starts and again once it settled; the loop (send.js) waits for
// each write. "sending" found at the next start means: it may or may not have gone out
// (unconfirmed), so it is never sent again automatically. Writes are serialised: the record on
// disk is always one the loop wrote, in order.

import { api } from "../util.js";

const INDEX = "separateJobIds";
/** storage.session (emptied when Thunderbird restarts): the jobs started in this session. */
const SESSION_KEY = "separateSessionJobs";
/** Attachments bigger than this together are not kept: recovery then says it cannot finish. */
export const MAX_KEPT_ATTACHMENT_BYTES = 25 * 1024 * 1024;

const jobKey = (id) => `separateJob:${id}`;
const messageKey = (id) => `separateJob:${id}:message`;

let queue = Promise.resolve();

/** Runs `write` after every write queued before it; rejects with its error. */
function serialised(write) {
  const run = queue.then(write);
  queue = run.catch(() => {});
  return run;
}

function storage() {
  return api().storage.local;
}

async function readIndex() {
  const ids = (await storage().get(INDEX))?.[INDEX];
  return Array.isArray(ids) ? ids.filter((id) => typeof id === "string") : [];
}

/** A fresh id for a job. */
export function newJobId() {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  return `${Date.now().toString(36)}-${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}

/** The template as stored: its attachments only when they fit (`attachmentsKept`). */
function storable(template) {
  const size = template.attachments.reduce((sum, file) => sum + (file.size ?? 0), 0);
  const kept = size <= MAX_KEPT_ATTACHMENT_BYTES;
  return { message: kept ? template : { ...template, attachments: [] }, attachmentsKept: kept };
}

/** A plain copy of the job as stored (no functions, no Files). */
function record(job) {
  return JSON.parse(JSON.stringify(job));
}

/**
 * Writes a new job and its template. Resolves once both are stored; sets `job.attachmentsKept`.
 */
export function createJob(job, template) {
  return serialised(async () => {
    const { message, attachmentsKept } = storable(template);
    job.attachmentsKept = attachmentsKept;
    await storage().set({ [messageKey(job.id)]: message });
    await storage().set({ [jobKey(job.id)]: record(job) });
    const ids = await readIndex();
    if (!ids.includes(job.id)) await storage().set({ [INDEX]: [...ids, job.id] });
  });
}

/** Writes the job's current state (after the writes queued before). */
export function saveJob(job) {
  const snapshot = record(job);
  return serialised(() => storage().set({ [jobKey(snapshot.id)]: snapshot }));
}

/** Every stored job (without its template), oldest first. Unreadable entries are skipped. */
export async function loadJobs() {
  await queue;
  const ids = await readIndex();
  if (ids.length === 0) return [];
  const stored = await storage().get(ids.map(jobKey));
  return ids.map((id) => stored?.[jobKey(id)]).filter((job) => job && typeof job === "object" && Array.isArray(job.items));
}

/** The stored template of job `id`, or null. */
export async function loadMessage(id) {
  await queue;
  const message = (await storage().get(messageKey(id)))?.[messageKey(id)];
  return message && typeof message === "object" ? message : null;
}

/** Forgets the template of job `id` (its body and attachments) but keeps the record. */
export function dropMessage(id) {
  return serialised(() => storage().remove(messageKey(id)));
}

/** Forgets job `id` entirely. */
export function removeJob(id) {
  return serialised(async () => {
    await storage().remove([jobKey(id), messageKey(id)]);
    const ids = await readIndex();
    if (ids.includes(id)) await storage().set({ [INDEX]: ids.filter((other) => other !== id) });
  });
}

/** Notes that job `id` was started in this Thunderbird session (recovery.js). Never throws. */
export async function rememberInSession(id) {
  try {
    const ids = (await api().storage.session.get(SESSION_KEY))?.[SESSION_KEY];
    await api().storage.session.set({ [SESSION_KEY]: [...(Array.isArray(ids) ? ids : []), id] });
  } catch (error) {
    // Without it, a job of this session looks like one of an earlier session at the next start
    // of the background: its compose window is then taken for gone, which only hides the
    // offer to close it.
  }
}

/** The ids of the jobs started in this Thunderbird session. Never throws. */
export async function sessionJobs() {
  try {
    const ids = (await api().storage.session.get(SESSION_KEY))?.[SESSION_KEY];
    return new Set(Array.isArray(ids) ? ids : []);
  } catch (error) {
    return new Set();
  }
}
