// CcGuard pending decisions: one per warning window, keyed by a random id.
//
// compose.onBeforeSend holds the send (and locks the compose window) until the Promise
// returned by review() settles. Every path below settles it exactly once:
//   "move-to-bcc"  -> {details: {to, cc, bcc}} from the moveToBcc rewrite (never in degraded mode)
//   "move-external-to-bcc" -> {details} from the moveExternalToBcc rewrite (colleagues stay visible)
//   "send-anyway"  -> {}            (send as written; refused while the hard limit blocks)
//   "remember-group" -> {}          (send as written, and remember that these people know each
//                                     other: groups.js; only when the judgement offered it)
//   "back-to-edit" -> {cancel: true} (also: window closed, window lost, compose window closed,
//                                     a rewrite that is not there, any unexpected error)
//   an answer to "What do you use this address for?" (held only to ask it: guard.asksRole) ->
//                        the answer is saved and the send judged again: {} when it now goes,
//                        else the window shows the warning and one of the choices above settles it
//   "send-separately" -> {cancel: true} once every personal copy went out (separate/jobs.js): the
//                        original never goes out. Until then the send stays held; Cancel and
//                        Back to editing answer "back-to-edit". The decision only starts the job.
// There is deliberately no timeout that sends: the only timer (the watchdog) cancels, and
// only once the warning window no longer exists.

import { track } from "./activity.js";
import { rememberGroup } from "./groups.js";
import { asksRole, judge, judgeDegraded } from "./guard.js";
import { canAnswerRoles, roleAnswers, saveRole, settingsInForce, withRole } from "./settings.js";
import { api, bestEffort, withTimeout } from "./util.js";
import { isRewrite } from "./shape.js";
import { act as jobAct, busy, composeGone, showJobWindow, startJob, view as jobView, warningGone } from "./separate/jobs.js";
import { offerView, separatelyOffer } from "./separate/offer.js";
import { recovered } from "./separate/recovery.js";
import { allowed, openAllowTab } from "./separate/support.js";

/** How long a Send waits for the jobs found at start-up (recovery.js) before judging anyway. */
const RECOVERY_WAIT_MS = 2000;

/** Resolves once the jobs of Send separately found at start-up are known (or after RECOVERY_WAIT_MS). */
function stored() {
  return withTimeout(recovered(), RECOVERY_WAIT_MS, "reading the jobs of Send separately").catch((error) =>
    console.error("CcGuard: going on without the stored jobs:", error),
  );
}

export const CHOICES = Object.freeze([
  "move-to-bcc",
  "move-external-to-bcc",
  "send-anyway",
  "remember-group",
  "send-separately",
  "back-to-edit",
]);

const WINDOW_WIDTH = 600;
const WINDOW_HEIGHT = 700;
/** How often the watchdog checks that a warning window still exists. */
const WATCHDOG_MS = 5000;
/** Window ids removed while no pending decision knew them yet (creation race). */
const recentlyRemoved = new Set();

/** id -> {id, resolve, windowId, composeWindowId, tab, details, settings, verdict, rewrites, group, separately,
 *  allow, job, watchdog}; `rewrites` is {moveToBcc, moveExternalToBcc} from the core (each
 *  {to, cc, bcc} or null), or null; `group` the addresses "They know each other" would remember,
 *  or null; `separately` the offer of Send separately (separate/offer.js) or null, `allow` where
 *  asking for its permissions stands (null, "asking", "granted", "refused") and `job` its job's
 *  id once chosen ("starting" meanwhile). */
const pending = new Map();

function newId() {
  if (typeof crypto?.randomUUID === "function") {
    return crypto.randomUUID();
  }
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The rewrite a choice sends, when it may be offered: never in degraded mode. */
function rewriteFor(entry, choice) {
  if (entry.verdict?.degraded) return null;
  const rewrite = choice === "move-to-bcc" ? entry.rewrites?.moveToBcc : entry.rewrites?.moveExternalToBcc;
  return isRewrite(rewrite) ? rewrite : null;
}

/** Whether "They know each other — don't ask again for this group" may be offered. */
function canRemember(entry) {
  return (
    !entry.verdict?.degraded &&
    !isBlocked(entry.verdict) &&
    Array.isArray(entry.group) &&
    entry.group.length >= 2 &&
    entry.group.every((a) => typeof a === "string")
  );
}

/** What the warning window needs: the verdict, without the (possibly huge) rewrites. */
function windowView(entry) {
  const separately = entry.verdict?.degraded ? null : offerView(entry.separately);
  return {
    ...entry.verdict,
    blocked: isBlocked(entry.verdict),
    canMoveToBcc: rewriteFor(entry, "move-to-bcc") !== null,
    canMoveExternalToBcc: rewriteFor(entry, "move-external-to-bcc") !== null,
    canRemember: canRemember(entry),
    canSendSeparately: separately !== null,
    separately,
  };
}

/** The hard limit forbids sending as written, in degraded mode too. */
function isBlocked(verdict) {
  return verdict?.blocked === true;
}

function answerFor(entry, choice) {
  switch (choice) {
    case "send-anyway":
      // Only reachable with a forged or stale message: the window disables the button.
      return isBlocked(entry.verdict) ? { cancel: true } : {};
    case "remember-group":
      if (!canRemember(entry)) return { cancel: true };
      // The send goes out as written; a group that could not be stored only means the next send
      // to them asks again.
      rememberGroup(entry.group, "user").catch((error) =>
        console.error("CcGuard: could not remember the group:", error),
      );
      return {};
    case "send-separately":
      // Every copy went out (separate/jobs.js): the original must not.
      return { cancel: true };
    case "move-to-bcc":
    case "move-external-to-bcc": {
      const rewrite = rewriteFor(entry, choice);
      if (rewrite) {
        return { details: { to: [...rewrite.to], cc: [...rewrite.cc], bcc: [...rewrite.bcc] } };
      }
      // Asked for Bcc but we cannot rewrite: never send as written instead.
      return { cancel: true };
    }
    default:
      return { cancel: true };
  }
}

function focusComposeWindow(entry) {
  if (Number.isInteger(entry.composeWindowId)) {
    bestEffort(() => api().windows.update(entry.composeWindowId, { focused: true }));
  }
}

/**
 * Settles the decision `id` with `choice`. Returns false if it was already settled or
 * never existed. Never throws.
 */
export function settle(id, choice) {
  const entry = pending.get(id);
  if (!entry) {
    return false;
  }
  pending.delete(id);
  clearInterval(entry.watchdog);
  let answer;
  try {
    answer = answerFor(entry, choice);
  } catch (error) {
    console.error("CcGuard: could not build the answer, cancelling the send:", error);
    answer = { cancel: true };
  }
  entry.resolve(answer);
  // After Send separately the compose window closes: no need to bring it forward.
  if (answer.cancel && choice !== "send-separately") {
    focusComposeWindow(entry);
  }
  return true;
}

function closeWarningWindow(entry, delayMs = 0) {
  if (!Number.isInteger(entry.windowId)) {
    return;
  }
  setTimeout(() => bestEffort(() => api().windows.remove(entry.windowId)), delayMs);
}

async function watch(id) {
  const entry = pending.get(id);
  if (!entry || !Number.isInteger(entry.windowId)) {
    return;
  }
  try {
    await api().windows.get(entry.windowId);
  } catch (error) {
    // The warning window is gone without us hearing about it: back to editing.
    windowGone(entry);
  }
}

/** The warning window of `entry` is gone: back to editing, or (copies being sent) the job's say. */
function windowGone(entry) {
  if (typeof entry.job === "string" && entry.job !== "starting") {
    warningGone(entry.job);
    return;
  }
  settle(entry.id, "back-to-edit");
}

async function openWindow(entry) {
  const win = await api().windows.create({
    type: "popup",
    url: "warning/warning.html?id=" + encodeURIComponent(entry.id),
    width: WINDOW_WIDTH,
    height: WINDOW_HEIGHT,
    // Not the default on every supported version; the window closes itself after a decision.
    allowScriptsToClose: true,
  });
  learnWindow(entry, win.id);
  bestEffort(() => api().windows.update(win.id, { focused: true }));
  if (!pending.has(entry.id)) {
    // Settled while the window was opening (e.g. its compose window closed).
    closeWarningWindow(entry);
  }
}

/**
 * Records the warning window's id, from windows.create or from the page itself: create
 * resolves only once the window got focus, and a window kept in the background by the
 * desktop may be closed before that. Without its id, that close could not be noticed.
 */
function learnWindow(entry, windowId) {
  if (!Number.isInteger(windowId) || entry.windowId !== null) {
    return;
  }
  entry.windowId = windowId;
  if (recentlyRemoved.delete(windowId)) {
    windowGone(entry);
    return;
  }
  entry.watchdog = setInterval(() => watch(entry.id), WATCHDOG_MS);
}

/** Opens the warning window and returns the Promise that settles with the user's answer. */
function ask(tab, verdict, rewrites, group = null, separately = null, details = null, settings = null) {
  return new Promise((resolve) => {
    const id = newId();
    const entry = {
      id,
      resolve,
      windowId: null,
      composeWindowId: tab?.windowId ?? null,
      tab,
      // What the send is judged again by, once "What do you use this address for?" is answered.
      details,
      settings,
      verdict,
      rewrites,
      group,
      separately,
      allow: null,
      job: null,
      watchdog: null,
    };
    pending.set(id, entry);
    openWindow(entry).catch((error) => {
      console.error("CcGuard: could not open the warning window, cancelling the send:", error);
      settle(id, "back-to-edit");
      closeWarningWindow(entry);
    });
  });
}

/**
 * The compose.onBeforeSend listener body. Resolves with undefined (send, nothing to do),
 * {} / {details} (send, possibly rewritten) or {cancel: true}. Never rejects. Counted as in
 * flight until it answers, so that an update waits for it (activity.js).
 */
export function review(tab, details) {
  return track(async () => {
    let settings;
    try {
      // Its copies are being sent, or its window is about to close after them: never send it,
      // and show why. A Send may be what wakes this page: the stored jobs first.
      await stored();
      const job = busy(tab?.id);
      if (job !== null) {
        showJobWindow(job);
        return { cancel: true };
      }
      settings = await settingsInForce();
      const { verdict, rewrites, group, separately } = await judge(details, settings);
      if (asksRole(verdict)) {
        // An organisation that set or locked `identities` answered for the user: no question.
        return (await canAnswerRoles()) ? await ask(tab, verdict, null, null, null, details, settings) : undefined;
      }
      if (verdict.action !== "warn") return undefined;
      return await ask(tab, verdict, rewrites, group, await separatelyOffer(tab, verdict, separately, details));
    } catch (error) {
      // Still ask, under the settings in force, rather than cancel without a word. Only if even
      // that fails, cancel (nothing is lost).
      console.error("CcGuard: unexpected error, asking in degraded mode:", error);
      try {
        const { verdict } = await judgeDegraded(details, settings, error);
        return verdict.action === "warn" ? await ask(tab, verdict, null) : undefined;
      } catch (inner) {
        console.error("CcGuard: could not ask, cancelling the send (nothing is lost):", inner);
        return { cancel: true };
      }
    }
  });
}

/** runtime.onMessage from the warning window. Returns a Promise of the reply, or undefined. */
export function handleMessage(message, sender) {
  if (!message || typeof message !== "object" || typeof message.type !== "string") {
    return undefined;
  }
  if (!message.type.startsWith("ccguard:")) {
    return undefined;
  }
  if (sender && sender.id !== undefined && sender.id !== api().runtime.id) {
    return undefined;
  }
  const id = typeof message.id === "string" ? message.id : "";
  const entry = pending.get(id);
  if (entry) {
    learnWindow(entry, message.windowId);
  }
  switch (message.type) {
    case "ccguard:get":
      if (!entry) {
        return Promise.resolve({ ok: false, reason: "unknown" });
      }
      return Promise.resolve({ ok: true, verdict: windowView(entry) });
    case "ccguard:keepalive":
      return Promise.resolve({ ok: Boolean(entry), allow: entry?.allow ?? null });
    case "ccguard:allow":
      return askToAllow(entry);
    case "ccguard:allowed":
      return allowAnswered(entry, sender);
    case "ccguard:job":
      return jobMessage(entry, message);
    case "ccguard:role":
      return answerRole(entry, message.role);
    case "ccguard:decide": {
      if (!CHOICES.includes(message.choice)) {
        return Promise.resolve({ ok: false, reason: "bad-choice" });
      }
      if (entry && asksRole(entry.verdict) && message.choice !== "back-to-edit") {
        // Held to ask what the address is for: only an answer, or Back to editing, settles it.
        return Promise.resolve({ ok: false, reason: "not-offered" });
      }
      if (message.choice === "send-separately") {
        return sendSeparately(entry, message.colleagues);
      }
      const sendsAsWritten = message.choice === "send-anyway" || message.choice === "remember-group";
      if (entry && sendsAsWritten && isBlocked(entry.verdict)) {
        // The send stays held: the window can still move to Bcc or go back to editing.
        return Promise.resolve({ ok: false, reason: "blocked" });
      }
      const settled = settle(id, message.choice);
      if (entry) {
        // The window closes itself; this is only a fallback if it cannot.
        closeWarningWindow(entry, 1000);
      }
      return Promise.resolve({ ok: settled, reason: settled ? undefined : "unknown" });
    }
    default:
      return undefined;
  }
}

// -- "What do you use this address for?" -----------------------------------------------------------

/**
 * The answer of a window held to ask it: saved (for the next sends), and this send judged again
 * with it. `{ok: true, sent: true}` when it now goes as written; `{ok: true, verdict}` (the
 * window's view) when it warns; `{ok: false, reason}` when nothing changed.
 */
async function answerRole(entry, role) {
  if (!entry || !asksRole(entry.verdict)) return { ok: false, reason: "unknown" };
  if (entry.answering) return { ok: false, reason: "busy" };
  entry.answering = true;
  try {
    if (!(await roleAnswers()).includes(role)) return { ok: false, reason: "bad-role" };
    const identity = entry.verdict.askRole.identity;
    try {
      await saveRole(identity, role);
    } catch (error) {
      // This send still follows the answer; the next one asks again.
      console.error("CcGuard: could not save what the address is used for:", error);
    }
    const judged = await judge(entry.details, withRole(entry.settings ?? {}, identity, role));
    if (!pending.has(entry.id)) return { ok: false, reason: "unknown" };
    entry.verdict = judged.verdict;
    entry.rewrites = judged.rewrites;
    entry.group = judged.group;
    if (judged.verdict.action !== "warn") {
      // Allowed with the answer: it goes as written (answerFor: not blocked, so {}).
      settle(entry.id, "send-anyway");
      closeWarningWindow(entry, 1000);
      return { ok: true, sent: true };
    }
    entry.separately = await separatelyOffer(entry.tab, judged.verdict, judged.separately, entry.details);
    return { ok: true, verdict: windowView(entry) };
  } finally {
    entry.answering = false;
  }
}

// -- Send separately (separate/) -----------------------------------------------------------------

/** The warning window asks for the permissions: a tab of the main window asks the user. */
async function askToAllow(entry) {
  if (!entry?.separately || entry.job) return { ok: false, reason: "unknown" };
  entry.allow = "asking";
  try {
    await openAllowTab(entry.id);
    return { ok: true };
  } catch (error) {
    console.error("CcGuard: could not open the page asking for the permissions:", error);
    entry.allow = "refused";
    return { ok: false, reason: "no-tab" };
  }
}

/** The page asking for the permissions answered (separate/allow.js). */
async function allowAnswered(entry, sender) {
  const tabId = sender?.tab?.id;
  if (Number.isInteger(tabId)) {
    setTimeout(() => bestEffort(() => api().tabs.remove(tabId)), 1500);
  }
  if (!entry?.separately) return { ok: false, reason: "unknown" };
  entry.allow = (await allowed()) ? "granted" : "refused";
  entry.separately.allowed = entry.allow === "granted";
  if (Number.isInteger(entry.windowId)) {
    bestEffort(() => api().windows.update(entry.windowId, { focused: true }));
  }
  return { ok: true, allow: entry.allow };
}

/** Starts the job of a held send whose window chose Send separately; the send stays held. */
async function sendSeparately(entry, colleagues) {
  if (!entry) return { ok: false, reason: "unknown" };
  if (!entry.separately || entry.verdict?.degraded || entry.job) return { ok: false, reason: "not-offered" };
  entry.job = "starting";
  const id = entry.id;
  const started = await startJob({
    tab: entry.tab,
    plan: entry.separately.plan,
    settings: entry.separately.settings,
    colleagues: colleagues === "nothing" ? "nothing" : "original",
    held: { settle: (choice) => settle(id, choice) },
    windowId: Number.isInteger(entry.windowId) ? entry.windowId : null,
  });
  if (!started.ok) {
    entry.job = null;
    return started;
  }
  entry.job = started.job;
  if (!pending.has(id)) {
    // The window closed (back to editing) while the job was being set up: nothing may go.
    await jobAct(started.job, "cancel");
  }
  return { ok: true, job: started.job };
}

/** A window following a job: its view, after an action if one was asked for. */
async function jobMessage(entry, message) {
  // A window polling after this page restarted: its job is known once recovery has run.
  await stored();
  const job = typeof message.job === "string" ? message.job : typeof entry?.job === "string" ? entry.job : "";
  let done = null;
  if (typeof message.action === "string") done = await jobAct(job, message.action);
  const shown = jobView(job);
  return shown ? { ok: true, done, job: shown } : { ok: false, reason: "unknown" };
}

/** windows.onRemoved: closing a warning window means back to editing. */
export function handleWindowRemoved(windowId) {
  let known = false;
  // A compose window whose copies were being sent, or that remembered who got them.
  composeGone(windowId);
  for (const entry of [...pending.values()]) {
    if (entry.windowId === windowId) {
      known = true;
      windowGone(entry);
    } else if (entry.composeWindowId === windowId) {
      // The compose window itself went away: nothing to send any more. A warning window that
      // shows a job stays: it reports what was sent.
      known = true;
      settle(entry.id, "back-to-edit");
      if (typeof entry.job !== "string" || entry.job === "starting") closeWarningWindow(entry);
    }
  }
  if (!known) {
    recentlyRemoved.add(windowId);
    if (recentlyRemoved.size > 64) {
      recentlyRemoved.delete(recentlyRemoved.values().next().value);
    }
  }
}

/** How many sends are being held. */
export function pendingCount() {
  return pending.size;
}
