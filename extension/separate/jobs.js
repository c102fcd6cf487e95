// CcGuard "Send separately": the jobs of this background's life, from the user's choice to the
// closed compose window. decisions.js starts a job for a held send and hands over `held`, the
// way to answer it; the warning window (and job.html) follow and steer it with view() / act().
//
// The held send is answered {cancel: true} in every case: the original never goes out as
// written. While the copies are sent it stays unanswered, so the compose window stays locked:
//   every copy sent   -> answered, the Sent record filed (record.js), the compose window closed
//   Cancel            -> answered at once, the compose window is unlocked with every recipient
//   some not sent     -> "incomplete": Send the rest again, Back to editing, or keep what was sent
//   a window lost     -> answered at once; the job is "interrupted", shown by a window of its own
//                        (also what Thunderbird's quitting looks like; recovery.js at the next start)
// A job whose compose window is still open remembers who already got the message: a second
// Send separately from that window leaves them out (already()), and its Sent record lists them.

import { track } from "../activity.js";
import { addressKey, api, bestEffort } from "../util.js";
import { attachmentFiles, copyDetails, embeddedPictures, templateOf } from "./copy.js";
import { createJob, dropMessage, loadMessage, newJobId, rememberInSession, removeJob, saveJob } from "./job.js";
import { bareAddress } from "./plan.js";
import { keepRecord } from "./record.js";
import { Runner } from "./send.js";
import { allowed } from "./support.js";

/** jobId -> {job, template, runner, held, run}. `held` is {settle(choice)} while a send waits. */
const controllers = new Map();
/** Runner options the unit tests shorten (timeouts). */
let runnerOptions = {};

const JOB_WINDOW = { width: 560, height: 620 };
/** States in which the job's compose window must not send (it is locked, or about to close). */
const BUSY = ["sending", "incomplete", "finishing"];

export function setRunnerOptions(options) {
  runnerOptions = { ...options };
}

/** Pulls the bare addresses out of mailbox strings, to tell a refusal of them (send.js). */
function addressesOf(mailboxes) {
  return mailboxes.map(bareAddress).filter(Boolean);
}

/** The items of a job: one per copy, in the plan's order, then the colleagues' copy (if any). */
export function itemsOf(plan, colleagues) {
  const item = (fields) => ({ status: "planned", attempts: 0, error: null, ...fields });
  const items = plan.copies.map((copy) => item({ kind: "person", to: [copy.to], cc: [], addresses: [copy.address] }));
  if (colleagues === "original" && plan.colleagues) {
    const { to, cc } = plan.colleagues;
    items.push(item({ kind: "colleagues", to: [...to], cc: [...cc], addresses: addressesOf([...to, ...cc]) }));
  }
  return items;
}

/** The mailboxes the sent items of `job` reached. */
function sentTo(job) {
  return job.items.filter((i) => i.status === "sent").flatMap((i) => [...i.to, ...i.cc]);
}

/** Everyone the message reached, this job and the stopped ones before it from the same compose
 *  window, in the order of the plan's `everyone`: the Sent record lists them. */
function reached(job) {
  const got = new Set([...sentTo(job), ...(job.reachedBefore ?? [])]);
  return job.everyone.filter((mailbox) => got.has(mailbox));
}

/** Whom the earlier jobs of compose tab `tabId` reached (mailboxes). */
function reachedBefore(tabId) {
  return [...controllers.values()].filter(({ job }) => job.tabId === tabId).flatMap(({ job }) => sentTo(job));
}

/**
 * A new Send separately from compose tab `tabId` takes over from its interrupted jobs: whoever
 * they did not reach is now the new job's, so they can no longer be finished (two jobs would
 * each send to the same people). What they did send still counts (already(), reachedBefore()).
 */
async function supersede(tabId) {
  for (const controller of controllers.values()) {
    const { job } = controller;
    if (job.tabId !== tabId || job.state !== "interrupted") continue;
    job.state = "cancelled";
    job.supersededAt = Date.now();
    controller.template = null;
    await saveJob(job).catch(() => {});
    await dropMessage(job.id).catch(() => {});
  }
}

/** Brings the window showing job `id` (its warning window, or its own) to the front, opening
 *  one if none is open. */
export function showJobWindow(id) {
  const controller = controllers.get(id);
  if (!controller) return Promise.resolve(null);
  // Two refused Sends in quick succession share one window.
  controller.showing ??= (async () => {
    const { job } = controller;
    if (Number.isInteger(job.windowId)) {
      try {
        await api().windows.update(job.windowId, { focused: true });
        return job.windowId;
      } catch (error) {
        // Closed meanwhile: a new one.
      }
    }
    job.windowId = await openJobWindow(id);
    return job.windowId;
  })().finally(() => {
    controller.showing = null;
  });
  return controller.showing;
}

function changed() {
  // The windows poll view(); nothing to push.
}

/** Opens a window that follows job `id` (job.html): a report, or a job found at start-up. */
export async function openJobWindow(id) {
  try {
    const win = await api().windows.create({
      type: "popup",
      url: `warning/job.html?job=${encodeURIComponent(id)}`,
      ...JOB_WINDOW,
      allowScriptsToClose: true,
    });
    bestEffort(() => api().windows.update(win.id, { focused: true }));
    return win.id;
  } catch (error) {
    console.error("CcGuard: could not open the window of a job:", error);
    return null;
  }
}

// -- a job for a held send ---------------------------------------------------------------------

/**
 * Starts sending separately for the held send of `tab`: reads the compose window (details and
 * attachments), records the job, starts the loop. `plan` is the plan the window offered,
 * `settings` {perMinute, keepCopies}, `colleagues` "original" | "nothing", `held` {settle(choice)},
 * `windowId` the warning window, which shows the job from now on.
 * Resolves {ok: true, job} or {ok: false, reason} (then nothing was sent and the send stays held).
 */
export async function startJob({ tab, plan, settings, colleagues, held, windowId = null }) {
  if (!(await allowed())) return { ok: false, reason: "not-allowed" };
  let template;
  try {
    const details = await api().compose.getComposeDetails(tab.id);
    // The copies would lose them: nothing goes (the window says why).
    if (embeddedPictures(details) > 0) return { ok: false, reason: "pictures" };
    template = templateOf(details, await attachmentFiles(api().compose, tab.id));
  } catch (error) {
    console.error("CcGuard: could not read the compose window:", error);
    return { ok: false, reason: "unreadable" };
  }
  const items = itemsOf(plan, colleagues === "nothing" ? "nothing" : "original");
  await supersede(tab.id);
  const job = {
    id: newJobId(),
    version: 1,
    state: "sending",
    created: Date.now(),
    tabId: tab.id,
    composeWindowId: tab.windowId ?? null,
    windowId,
    identityId: template.identityId ?? null,
    subject: template.subject,
    perMinute: settings.perMinute,
    keepCopies: settings.keepCopies,
    everyone: [...plan.everyone],
    reachedBefore: reachedBefore(tab.id),
    items,
    record: null,
  };
  try {
    await createJob(job, template);
  } catch (error) {
    console.error("CcGuard: could not record the job, nothing was sent:", error);
    return { ok: false, reason: "storage" };
  }
  await rememberInSession(job.id);
  const controller = { job, template, runner: null, held, run: null };
  controllers.set(job.id, controller);
  run(controller);
  return { ok: true, job: job.id };
}

/** Runs the loop over the planned items, then acts on how it ended. */
function run(controller) {
  const { job, template } = controller;
  job.state = "sending";
  const runner = new Runner(job, {
    ...runnerOptions,
    sendCopy: (item) => api().messages.sendMessage(copyDetails(template, item, job.keepCopies), { mode: "sendNow" }),
    save: saveJob,
    changed,
  });
  controller.runner = runner;
  // Counted as work in flight, so that an add-on update waits for the copies too (activity.js),
  // also when no held send is waiting (a job finished from its own window), and for what follows
  // the last copy: a reload between the held send's answer and the compose window's closing
  // would leave that window open with everyone in Bcc and nothing refusing its Send.
  controller.run = track(async () => {
    let outcome;
    try {
      outcome = await runner.run();
    } catch (error) {
      console.error("CcGuard: the sending loop failed:", error);
      outcome = "incomplete";
    }
    await ended(controller, outcome);
  });
}

async function ended(controller, outcome) {
  const { job } = controller;
  job.stoppedBy = controller.runner?.stoppedBy ?? null;
  // A job found at start-up is over once nothing is left that could be sent: its unconfirmed
  // copies stay listed, never resent.
  const nothingLeft = !job.items.some((i) => i.status === "planned" || i.status === "failed");
  if (outcome === "done" || (job.recovered && outcome === "incomplete" && nothingLeft)) {
    await complete(controller);
    return;
  }
  // A job found at start-up goes back to waiting for the user; a live one is cancelled (its send
  // was answered at Cancel) or waits for a decision with its send still held.
  if (job.recovered) {
    if (job.state === "sending" && outcome === "cancelled" && !job.interruptedFrom) job.interruptedFrom = "sending";
    job.state = "interrupted";
  } else {
    job.state = outcome === "cancelled" ? "cancelled" : "incomplete";
  }
  await saveJob(job).catch(() => {});
  // Cancelled: the compose window has the message again; the record only remembers who got it.
  if (job.state === "cancelled") await dropMessage(job.id).catch(() => {});
}

/** Every copy is out: answer the held send, file the record, close the compose window. */
async function complete(controller) {
  const { job } = controller;
  job.state = "finishing";
  await saveJob(job).catch(() => {});
  const held = controller.held;
  controller.held = null;
  if (held && !(await tabOpen(job.tabId))) {
    // Its compose window was closed while the last copy went: nothing to file, nothing to close.
    held.settle("send-separately");
    job.record = { status: job.keepCopies ? "copies" : "none" };
    job.composeClosed = true;
  } else if (held) {
    held.settle("send-separately");
    job.record = await keepRecord({ tabId: job.tabId, identityId: job.identityId, everyone: reached(job), keepCopies: job.keepCopies });
    if (job.record.status === "failed" && job.record.where !== "drafts" && !job.keepCopies) {
      // No record anywhere: the compose window holds the only copy of what was sent, so it stays
      // open for the user to keep (busy() refuses its Send).
      job.composeClosed = false;
      job.composeKept = true;
    } else {
      try {
        await api().tabs.remove(job.tabId);
        job.composeClosed = true;
      } catch (error) {
        job.composeClosed = false;
      }
    }
  } else {
    // Finished after an interruption: no compose window to file.
    job.record = { status: job.keepCopies ? "copies" : "none" };
  }
  job.state = "done";
  // While its compose window is open, who got the message (already()) and, when that window
  // holds everyone in Bcc, the refusal of its Send (busy()) must outlive this page (recovery.js).
  const composeMayBeOpen = held ? job.composeClosed !== true : controller.composeOpen !== false && (await tabOpen(job.tabId));
  if (composeMayBeOpen) {
    await saveJob(job).catch((error) => console.error("CcGuard: could not record a finished job:", error));
    await dropMessage(job.id).catch(() => {}); // who got it is enough; the message is in the window
  } else {
    await removeJob(job.id).catch((error) => console.error("CcGuard: could not forget a finished job:", error));
  }
}

/** Whether compose tab `tabId` of this session still exists. */
export async function tabOpen(tabId) {
  if (!Number.isInteger(tabId)) return false;
  try {
    await api().tabs.get(tabId);
    return true;
  } catch (error) {
    return false;
  }
}

// -- what the windows see and do -------------------------------------------------------------------

function counts(job) {
  const c = { total: job.items.length, sent: 0, failed: 0, unconfirmed: 0, planned: 0, sending: 0 };
  for (const item of job.items) c[item.status] = (c[item.status] ?? 0) + 1;
  return c;
}

/** What a window shows of job `id`, or null. */
export function view(id) {
  const controller = controllers.get(id);
  if (!controller) return null;
  const { job } = controller;
  const c = counts(job);
  return {
    id: job.id,
    state: job.state,
    paused: controller.runner?.paused === true && job.state === "sending",
    held: Boolean(controller.held),
    recovered: job.recovered === true,
    interruptedFrom: job.interruptedFrom ?? null,
    subject: job.subject,
    perMinute: job.perMinute,
    keepCopies: job.keepCopies,
    attachmentsKept: job.attachmentsKept !== false || Boolean(controller.template),
    messageKept: job.messageKept !== false || Boolean(controller.template),
    stoppedBy: job.stoppedBy ?? null,
    counts: c,
    items: job.items.map(({ kind, to, cc, status, error, late }) => ({ kind, to, cc, status, error, late: late === true })),
    record: job.record,
    composeClosed: job.composeClosed ?? null,
    composeKept: job.composeKept === true,
    composeOpen: controller.composeOpen ?? null,
  };
}

function resetFailed(job) {
  for (const item of job.items) {
    if (item.status === "failed") {
      item.status = "planned";
      item.attempts = 0;
      item.error = null;
    }
  }
}

/** Back to editing: the held send is answered, the compose window unlocked. */
function backToEditing(controller) {
  const held = controller.held;
  controller.held = null;
  held?.settle("back-to-edit");
}

/**
 * Does `action` to job `id` if its state allows it: "pause", "resume", "cancel", "retry" (Send
 * the rest again), "back-to-edit", "keep-sent" (close the message with what was sent),
 * "finish" / "discard" / "close-compose" (a job found at start-up: recovery.js). Returns whether
 * it was done.
 */
export async function act(id, action) {
  const controller = controllers.get(id);
  if (!controller) return false;
  const { job, runner } = controller;
  const running = job.state === "sending";
  switch (action) {
    case "pause":
      if (!running || runner.paused) return false;
      runner.pause();
      return true;
    case "resume":
      if (!running || !runner.paused) return false;
      runner.resume();
      return true;
    case "cancel":
      if (!running) return false;
      runner.cancel();
      // Answered now, not after the copy on its way: the compose window is unlocked at once.
      backToEditing(controller);
      return true;
    case "retry":
      if (job.state !== "incomplete" || !job.items.some((i) => i.status === "failed" || i.status === "planned")) return false;
      resetFailed(job);
      run(controller);
      return true;
    case "back-to-edit":
      if (job.state !== "incomplete") return false;
      backToEditing(controller);
      job.state = "cancelled";
      await saveJob(job).catch(() => {});
      await dropMessage(job.id).catch(() => {});
      return true;
    case "keep-sent":
      if (job.state !== "incomplete" || !controller.held || !job.items.some((i) => i.status === "sent")) return false;
      await track(() => complete(controller));
      return true;
    default:
      return recoveryAction(controller, action);
  }
}

// -- jobs found at start-up (recovery.js) -----------------------------------------------------------

/** Whether job `id` belongs to this life of the background. */
export function known(id) {
  return controllers.has(id);
}

/** Takes over a job read from storage at start-up (recovery.js): shown, not running. */
export function adopt(job) {
  if (controllers.has(job.id)) return controllers.get(job.id);
  const controller = { job, template: null, runner: null, held: null, run: null, composeOpen: null };
  controllers.set(job.id, controller);
  return controller;
}

async function recoveryAction(controller, action) {
  const { job } = controller;
  if (job.state !== "interrupted") return false;
  switch (action) {
    case "finish": {
      // Interrupted in this life, the template is still here whole; else what storage kept.
      const template = controller.template ?? (job.attachmentsKept === false ? null : await loadMessage(job.id).catch(() => null));
      if (!template) return false;
      if (!job.items.some((i) => i.status === "failed" || i.status === "planned")) return false;
      controller.template = template;
      resetFailed(job);
      run(controller);
      return true;
    }
    case "discard":
      controllers.delete(job.id);
      await removeJob(job.id);
      return true;
    case "close-compose":
      if (!Number.isInteger(job.tabId)) return false;
      try {
        await api().tabs.remove(job.tabId);
        controller.composeOpen = false;
        return true;
      } catch (error) {
        return false;
      }
    default:
      return false;
  }
}

// -- the compose window's side ---------------------------------------------------------------------

/** The job because of which compose window tab `tabId` must not send now, or null: a job of it
 *  is running or closing it, or sent every copy but left it open (it holds everyone in Bcc for
 *  the Sent record, or the only copy of what was sent). */
export function busy(tabId) {
  for (const { job } of controllers.values()) {
    if (job.tabId !== tabId) continue;
    if (BUSY.includes(job.state) || (job.state === "done" && job.composeClosed === false)) return job.id;
  }
  return null;
}

/** Who already got the message from an earlier Send separately of compose tab `tabId` (stopped,
 *  interrupted, or finished from a job window while the compose window stayed open): their
 *  addresses, and "colleagues" if the colleagues' copy went. Unconfirmed copies count. */
export function already(tabId) {
  const out = new Set();
  for (const { job } of controllers.values()) {
    if (job.tabId !== tabId) continue;
    for (const item of job.items) {
      if (!["sent", "sending", "unconfirmed"].includes(item.status)) continue;
      if (item.kind === "colleagues") out.add("colleagues");
      for (const address of item.addresses) out.add(addressKey(address));
    }
  }
  return out;
}

/**
 * The job of `controller` lost a window while it was sending or waiting for a decision: stop
 * sending and answer the held send (back to editing: a compose window must never stay locked),
 * and keep the job as interrupted, message and all. That is also what Thunderbird's quitting
 * looks like from here (it closes every window first), so the next start shows the job, and
 * while Thunderbird runs a window shows it now, with Send the rest and Discard.
 */
async function interrupt(controller, { show }) {
  const { job } = controller;
  if (!controller.held || !["sending", "incomplete"].includes(job.state)) return;
  job.recovered = true; // from now on no held send belongs to it (ended() and "finish" rely on it)
  // At once: the compose window is unlocked, and a second call (the warning window closing
  // after its compose window) finds nothing left to do.
  backToEditing(controller);
  if (show) showJobWindow(job.id);
  if (job.state === "sending") {
    controller.runner?.cancel();
  } else {
    job.state = "interrupted";
    job.interruptedFrom = "incomplete";
    await saveJob(job).catch(() => {});
  }
}

/** The warning window of job `id`'s held send went away (closed by the user, or at quit). */
export function warningGone(id) {
  const controller = controllers.get(id);
  if (!controller) return;
  controller.job.windowId = null; // the window that showed it
  interrupt(controller, { show: true });
}

/**
 * The compose window `windowId` closed: its cancelled and finished jobs are forgotten (who got
 * the message only mattered to it); a job still sending or waiting for a decision is interrupted
 * (its warning window, still open, shows it).
 */
export function composeGone(windowId) {
  for (const [id, controller] of [...controllers]) {
    const { job } = controller;
    if (job.composeWindowId !== windowId) continue;
    if (job.state === "cancelled") {
      controllers.delete(id);
      removeJob(id).catch(() => {});
    } else if (job.state === "done") {
      // Its report may still be on screen: only the record kept for the window goes.
      job.composeClosed = true;
      removeJob(id).catch(() => {});
    } else {
      interrupt(controller, { show: false });
    }
  }
}

/** Test helper: forgets every job of this life. */
export function forgetJobs() {
  controllers.clear();
}
