// CcGuard: which sends are being reviewed right now (and which Send separately jobs are sending
// copies), so that an add-on update waits for them.
//
// An update reloads the extension. During a review (reading settings, expanding lists, judging,
// or holding the send behind the warning window) that would drop the answer Thunderbird is
// waiting for and lock its compose window for good. Returning the answer is not enough either:
// it still has to travel to Thunderbird, so the reload waits a grace period after the last
// answer, and checks again that nothing started meanwhile.

/** How long after the last answer a reload may happen. */
export const GRACE_MS = 1000;

let inFlight = 0;
let graceTimer = null;
const waiting = [];

function flush() {
  if (inFlight > 0 || graceTimer !== null) return;
  for (const callback of waiting.splice(0)) {
    try {
      callback();
    } catch (error) {
      console.error("CcGuard: a callback waiting for idleness failed:", error);
    }
  }
}

function answered() {
  inFlight -= 1;
  clearTimeout(graceTimer);
  graceTimer = setTimeout(() => {
    graceTimer = null;
    flush();
  }, GRACE_MS);
}

/** Runs `work` (a function returning the review's answer, or a Promise of it) as one review. */
export function track(work) {
  inFlight += 1;
  let result;
  try {
    result = Promise.resolve(work());
  } catch (error) {
    result = Promise.reject(error);
  }
  return result.finally(answered);
}

/** How many reviews have not answered yet. */
export function reviewsInFlight() {
  return inFlight;
}

/** Calls `callback` once no review is in flight and the last answer is GRACE_MS old (at once if
 *  nothing was reviewed lately). */
export function whenIdle(callback) {
  waiting.push(callback);
  flush();
}
