// CcGuard: judges one send with the WASM core (core.js), and without it in degraded mode
// (degraded.js). judge() never throws and never lets a send through because something failed.

import { LAST_RESORT_KEYS, coded, defaults, defaultsOf, policyKeys, ready, warmUp } from "./core.js";
import { degradedReason, degradedVerdict, readThresholds } from "./degraded.js";
import { relevantGroups } from "./groups.js";
import { ownAddresses } from "./identities.js";
import { listsOf } from "./lists.js";
import { relatedOf } from "./thread.js";
import { isRewrite, plausibleVerdict } from "./shape.js";
import { planOf, separateSettings } from "./separate/plan.js";

export { defaults, ready, warmUp };
// The options page imports the preview from here.
export { PREVIEW_DOMAIN, preview, previewDomain, previewSamples } from "./preview.js";

function recipientList(value, field) {
  if (value === undefined || value === null) {
    return [];
  }
  const list = Array.isArray(value) ? value : [value];
  for (const entry of list) {
    if (typeof entry !== "string") {
      // A recipient we cannot hand to the core as text (e.g. a contact reference). Rewriting the
      // fields without it could lose it, so this message is judged degraded.
      throw coded(new Error(`unexpected recipient in ${field}`), "bad-message");
    }
  }
  return list;
}

/** Context that cannot be read is left out and the send is judged without it: stricter for a
 *  reply (nobody is excused), while a forward's header then goes uncounted (README, known limits). */
async function optional(lookup, what) {
  try {
    return await lookup();
  } catch (error) {
    console.error(`CcGuard: could not read ${what}, judging without it:`, error);
    return undefined;
  }
}

/**
 * The message as the core's evaluate() reads it (docs/architecture.md): sender and recipients of
 * ComposeDetails, plus what Thunderbird knows and the core cannot — the address-book lists named
 * in the fields (expanded only after the check), the user's own addresses, and the context.
 */
function senderOf(value) {
  if (value === undefined || value === null) return "";
  // A sender that is not text cannot be read: judged without it, a sensitive role would be lost.
  if (typeof value !== "string") throw coded(new Error("unexpected sender"), "bad-message");
  return value;
}

export async function messageOf(details, policy) {
  const message = {
    from: senderOf(details?.from),
    to: recipientList(details?.to, "to"),
    cc: recipientList(details?.cc, "cc"),
    bcc: recipientList(details?.bcc, "bcc"),
  };
  // Only pills without an address are looked up: an ordinary send makes no address-book
  // call. (A list whose description is an address is missed: see README, known limits.)
  const [lists, own] = await Promise.all([listsOf(message), ownAddresses()]);
  message.lists = lists;
  message.ownAddresses = own;

  // The message this one answers or forwards (details.type, details.relatedMessageId): a
  // forward's type tells the core that its header goes out with it.
  const related = await optional(() => relatedOf(details), "the message replied to");
  if (related) {
    message.related = related;
    if (typeof details?.type === "string") message.type = details.type;
  }

  // The groups known to see each other that hold two or more of these recipients.
  const knownGroups = await optional(() => relevantGroups(message, policy), "the known groups");
  if (Array.isArray(knownGroups) && knownGroups.length > 0) message.knownGroups = knownGroups;

  return message;
}

/**
 * Whether the send is held only to ask "What do you use this address for?": the core let it
 * through because nobody answered for a consumer-domain address (so it counts as personal), and
 * for work it would warn (`verdict.askRole`: the address and those rules).
 */
export function asksRole(verdict) {
  return (
    verdict?.action === "allow" &&
    typeof verdict.askRole?.identity === "string" &&
    verdict.askRole.identity !== "" &&
    Array.isArray(verdict.askRole.rules) &&
    verdict.askRole.rules.length > 0
  );
}

/** One rewrite, or null when it cannot be offered (it failed, or is not one). */
function rewrite(core, name, message, policy) {
  try {
    const result = core[name](message, policy);
    return isRewrite(result) ? result : null;
  } catch (error) {
    console.error(`CcGuard: ${name} failed, the choice is not offered:`, error);
    return null;
  }
}

async function judgeWithCore(details, settings) {
  const core = await ready();
  const { policy, rejected } = core.readPolicy(settings ?? {});
  if (rejected.length > 0) {
    console.warn("CcGuard: settings refused, their defaults apply:", rejected);
  }
  const message = await messageOf(details, policy);
  const verdict = core.evaluate(message, policy);
  if (!plausibleVerdict(verdict)) {
    throw new Error("evaluate() returned an unexpected value");
  }
  verdict.degraded = null;
  if (!asksRole(verdict)) verdict.askRole = null;
  if (verdict.action !== "warn") return { verdict, rewrites: null, group: null, separately: null };
  // A forwarded header that warns on its own goes to Bcc and to each copy alike: neither Move
  // to Bcc nor Send separately would make it safe. The user may still know that the header's
  // people and the recipients know each other (the group holds both).
  if (verdict.forwarded?.bccCannotHide === true) {
    return { verdict, rewrites: null, group: groupToRemember(core, verdict, message, policy), separately: null };
  }
  // Computed only when the user is asked: an allowed send pays for neither.
  const rewrites = {
    moveToBcc: rewrite(core, "moveToBcc", message, policy),
    moveExternalToBcc: verdict.mixed === true ? rewrite(core, "moveExternalToBcc", message, policy) : null,
  };
  // Send separately's plan: whether it may be offered is decided with Thunderbird (decisions.js).
  const separately = { plan: planOf(core, message, policy), settings: separateSettings(policy) };
  return { verdict, rewrites, group: groupToRemember(core, verdict, message, policy), separately };
}

/** The people "They know each other — don't ask again for this group" would remember, when the
 *  policy lets the user say so (never above a hard limit: that choice sends as written). */
function groupToRemember(core, verdict, message, policy) {
  if (policy?.rememberGroups !== true || verdict.blocked === true) return null;
  try {
    const group = core.visibleAddresses(message, policy);
    return Array.isArray(group) && group.length >= 2 ? group : null;
  } catch (error) {
    console.error("CcGuard: could not list the group, the choice is not offered:", error);
    return null;
  }
}

/** The group a received message (`{author, to, cc}`) formed, as the core decides it, or null. */
export async function receivedGroup(header, ownAddresses, policy) {
  return (await ready()).receivedGroup(header, ownAddresses, policy);
}

/** The degraded judgement of a send; `error` is why the core could not judge it. Never throws. */
export async function judgeDegraded(details, settings, error) {
  const reason = degradedReason(error);
  try {
    const [keys, own, expanded, related] = await Promise.all([
      policyKeys().catch(() => LAST_RESORT_KEYS),
      ownAddresses(),
      listsOf(details),
      // A forward's header goes out with it: it counts in degraded mode too.
      relatedOf(details).catch(() => null),
    ]);
    const verdict = degradedVerdict({ details, settings, keys, own, reason, expanded, related });
    return { verdict, rewrites: null, group: null, separately: null };
  } catch (inner) {
    // Should be impossible; still never throw from here, and never allow unchecked. Nothing was
    // counted, so a hard limit in force refuses Send anyway.
    console.error("CcGuard: the degraded count failed too, warning anyway:", inner);
    const base = degradedVerdict({ details: {}, settings, keys: LAST_RESORT_KEYS, reason });
    return {
      verdict: { ...base, action: "warn", blocked: base.hardLimit > 0 },
      rewrites: null,
      group: null,
      separately: null,
    };
  }
}

/**
 * The judgement of a send as compose.onBeforeSend gives it, under `settings` (the user's and the
 * admin's, layered: settings.settingsInForce): `{verdict, rewrites, group}`, `rewrites` being
 * `{moveToBcc, moveExternalToBcc}` (each a `{to, cc, bcc}` or null) when the verdict warns and
 * the core could judge, else null, `group` the addresses "They know each other" would
 * remember, or null, and `separately` Send separately's {plan, settings} (separate/plan.js) when
 * the core judged a warning, else null. Never throws: any failure of the core gives a degraded verdict.
 */
export async function judge(details, settings) {
  try {
    return await judgeWithCore(details, settings);
  } catch (error) {
    console.error("CcGuard: could not check the message, judging it in degraded mode:", error);
    return judgeDegraded(details, settings, error);
  }
}

/**
 * The policy in force for `settings`, read key by key by the core: `{policy, rejected}`, where a
 * refused key keeps its default and `rejected` lists `{key, value, reason: {code, …}}`. Without
 * the core: the defaults, with the thresholds read leniently the way degraded mode reads them,
 * and `degraded: true`.
 */
export async function effectivePolicy(settings) {
  try {
    return (await ready()).readPolicy(settings ?? {});
  } catch (error) {
    const keys = await policyKeys().catch(() => LAST_RESORT_KEYS);
    const { values, rejected } = readThresholds(settings, keys);
    return { policy: { ...defaultsOf(keys), ...values }, rejected, degraded: true };
  }
}
