// CcGuard "Send separately": the core's plan (crates/core/src/separate.rs, WASM separately()) and
// whether the warning may offer it.
//
// The plan says who gets which copy: `copies` ({to, address}: one per person, addressed to them
// alone), `colleagues` ({to, cc}: one copy of the original among colleagues, or null) and
// `everyone` (for the Sent record). A plan that does not have this shape is no plan: the choice is
// then not offered, never half-offered.

import { addressKey, isPlainObject, isStringArray } from "../util.js";

const OBSTACLES = ["unresolved-list", "unreadable", "nobody-outside"];

function isCopy(copy) {
  return isPlainObject(copy) && typeof copy.to === "string" && copy.to !== "" && typeof copy.address === "string" && copy.address !== "";
}

/** `plan` if it has the contract's shape, else null. */
export function readPlan(plan) {
  if (!isPlainObject(plan) || !Array.isArray(plan.copies) || !plan.copies.every(isCopy) || !isStringArray(plan.everyone)) {
    return null;
  }
  const obstacle = plan.obstacle ?? null;
  if (obstacle !== null && !OBSTACLES.includes(obstacle)) return null;
  let colleagues = null;
  if (plan.colleagues !== null && plan.colleagues !== undefined) {
    if (!isStringArray(plan.colleagues.to) || !isStringArray(plan.colleagues.cc)) return null;
    if (plan.colleagues.to.length + plan.colleagues.cc.length > 0) {
      colleagues = { to: [...plan.colleagues.to], cc: [...plan.colleagues.cc] };
    }
  }
  return {
    copies: plan.copies.map(({ to, address }) => ({ to, address })),
    colleagues,
    everyone: [...plan.everyone],
    obstacle,
  };
}

/** The plan of `message` under `policy` from the core, or null when it cannot be made. */
export function planOf(core, message, policy) {
  try {
    return readPlan(core.separately(message, policy));
  } catch (error) {
    console.error("CcGuard: separately() failed, Send separately is not offered:", error);
    return null;
  }
}

/** What the policy says about Send separately (crates/core/src/policy/keys.rs). The core's policy
 *  always holds these keys (their defaults included); one that does not is read as "never offer". */
export function separateSettings(policy) {
  const number = (value, fallback) => (Number.isInteger(value) && value >= 0 ? value : fallback);
  return {
    limit: number(policy?.separateLimit, 0),
    perMinute: Math.max(1, number(policy?.separatePerMinute, 1)),
    keepCopies: policy?.separateKeepCopies === true,
  };
}

/** The address of a mailbox string as the plan writes it (`Ann <ann@x.example>`), as written. */
export function bareAddress(mailbox) {
  return (/<([^<>]+)>\s*$/.exec(mailbox)?.[1] ?? mailbox).trim();
}

/** The comparable address of such a mailbox string. */
export function mailboxAddress(mailbox) {
  return addressKey(bareAddress(mailbox));
}

/**
 * The plan without the people who already got this message from an earlier Send separately of
 * the same compose window (`already`: a Set of comparable addresses, and "colleagues" when the
 * colleagues' copy went): nobody gets it twice, whether they got a copy of their own or shared
 * the colleagues' one.
 */
export function withoutAlready(plan, already) {
  if (!plan || !already || already.size === 0) return plan;
  const copies = plan.copies.filter((copy) => !already.has(addressKey(copy.address)));
  let colleagues = null;
  if (plan.colleagues && !already.has("colleagues")) {
    const left = (mailboxes) => mailboxes.filter((m) => !already.has(mailboxAddress(m)));
    const to = left(plan.colleagues.to);
    const cc = left(plan.colleagues.cc);
    colleagues = to.length + cc.length > 0 ? { to, cc } : null;
  }
  return { ...plan, copies, colleagues, already: plan.copies.length - copies.length };
}

/**
 * Whether the warning offers Send separately: Thunderbird can send in the background, the core
 * judged (not degraded), the plan has no obstacle and at least one and at most `limit` copies
 * (0: never). A hard limit does not matter: nobody sees anybody (colleagues above it get a copy
 * each too: crates/core/src/separate.rs).
 */
export function offered({ supported, verdict, plan, settings }) {
  return (
    supported === true &&
    !verdict?.degraded &&
    plan !== null &&
    plan !== undefined &&
    plan.obstacle === null &&
    settings.limit > 0 &&
    plan.copies.length > 0 &&
    plan.copies.length <= settings.limit
  );
}
