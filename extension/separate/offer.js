// CcGuard "Send separately": whether the warning of one held send offers it, and what the window
// is told about it. The plan comes from the core (guard.js -> plan.js); Thunderbird decides the
// rest: background sending at all (153 and later), and the user's permission.

import { already } from "./jobs.js";
import { embeddedPictures } from "./copy.js";
import { offered, withoutAlready } from "./plan.js";
import { allowed, backgroundSendSupported } from "./support.js";

/**
 * The offer for the held send of `tab` judged `verdict`, or null when Send separately is not
 * offered (then the window says nothing about it). `separately` is the judgement's
 * {plan, settings}; `details` the compose window's, whose pictures copies could not carry
 * (copy.js: then it is shown, unavailable, with the reason). People who already got the message
 * from an earlier Send separately of this compose window are left out of the plan. Never throws.
 */
export async function separatelyOffer(tab, verdict, separately, details) {
  try {
    if (verdict?.action !== "warn" || !separately?.plan) return null;
    const supported = await backgroundSendSupported();
    const plan = withoutAlready(separately.plan, already(tab?.id));
    if (!offered({ supported, verdict, plan, settings: separately.settings })) return null;
    return { plan, settings: separately.settings, allowed: await allowed(), pictures: embeddedPictures(details) };
  } catch (error) {
    console.error("CcGuard: could not decide whether to offer Send separately:", error);
    return null;
  }
}

/** What the warning window is told of an offer (counts only: the plan stays here). */
export function offerView(offer) {
  if (!offer) return null;
  const colleagues = offer.plan.colleagues ? offer.plan.colleagues.to.length + offer.plan.colleagues.cc.length : 0;
  return {
    copies: offer.plan.copies.length,
    colleagues,
    already: offer.plan.already ?? 0,
    allowed: offer.allowed === true,
    keepCopies: offer.settings.keepCopies === true,
    pictures: offer.pictures ?? 0,
  };
}
