// CcGuard "Send separately": jobs found in storage when the background starts. A job still
// sending, paused, waiting for a decision or closing its compose window when the last life of
// the background ended was interrupted: Thunderbird quit, or the background page was stopped.
// A window (job.html) then says what was sent and what was not, and offers to finish or to
// discard the record (jobs.js, "finish" / "discard").
//
// What finishing can honestly do: send the copies that were planned or failed, from the template
// kept with the job (subject, body, identity, headers, and the attachments when they fitted:
// job.js MAX_KEPT_ATTACHMENT_BYTES). A copy that was on its way when the background stopped is
// "unconfirmed": it may have gone out, so it is never sent again. The Sent record needs the
// compose window, which is gone: it is not filed, and the window says so.
//
// Tab ids are only valid in the Thunderbird session that gave them (a new session numbers its
// tabs afresh), so storage.session, which a restart of Thunderbird empties, remembers which
// jobs were started in this session.

import { api } from "../util.js";
import { loadJobs, loadMessage, removeJob, saveJob, sessionJobs } from "./job.js";
import { adopt, known, openJobWindow, tabOpen } from "./jobs.js";

const UNFINISHED = ["sending", "paused", "incomplete", "finishing", "interrupted"];
/** Jobs created since this page started are this life's own (jobs.js), even before it lists them. */
const STARTED = Date.now();

async function windowOpen(windowId) {
  if (!Number.isInteger(windowId)) return false;
  try {
    await api().windows.get(windowId);
    return true;
  } catch (error) {
    return false;
  }
}

/** The last recovery started, so that a send can wait for it (recovered()). */
let recovery = Promise.resolve();

/**
 * Looks at every stored job this life of the background does not know: forgets what is over,
 * keeps a cancelled or finished job while its compose window is open (who already got the
 * message), and shows every interrupted job in a window. Never throws.
 */
export function recoverJobs() {
  recovery = recover();
  return recovery;
}

/** Resolves once the jobs found at start-up are known: a Send that wakes this page must not be
 *  judged before a stored job can refuse it (jobs.busy()) or leave out who already got it. */
export function recovered() {
  return recovery;
}

async function recover() {
  let jobs;
  try {
    jobs = await loadJobs();
  } catch (error) {
    console.error("CcGuard: could not read the jobs of Send separately:", error);
    return;
  }
  const session = await sessionJobs();
  for (const job of jobs) {
    if (known(job.id) || job.created >= STARTED) continue;
    const sameSession = session.has(job.id);
    const composeOpen = sameSession && (await tabOpen(job.tabId));
    // Cancelled, or finished with its compose window left open: kept while that window is open
    // (who got the message; a window holding everyone in Bcc must not send: jobs.busy()).
    if (job.state === "cancelled" || job.state === "done") {
      if (composeOpen) adopt(job);
      else await removeJob(job.id).catch(() => {});
      continue;
    }
    if (!UNFINISHED.includes(job.state)) {
      await removeJob(job.id).catch(() => {});
      continue;
    }
    await interrupted(job, composeOpen, sameSession);
  }
}

async function interrupted(job, composeOpen, sameSession) {
  if (job.state !== "interrupted") job.interruptedFrom = job.state;
  job.state = "interrupted";
  job.recovered = true;
  for (const item of job.items) {
    // On its way when the background stopped: it may have gone out.
    if (item.status === "sending") item.status = "unconfirmed";
  }
  job.messageKept = (await loadMessage(job.id).catch(() => null)) !== null;
  const controller = adopt(job);
  controller.composeOpen = composeOpen;
  if (!(sameSession && (await windowOpen(job.windowId)))) {
    job.windowId = await openJobWindow(job.id);
  }
  await saveJob(job).catch((error) => console.error("CcGuard: could not update an interrupted job:", error));
}
