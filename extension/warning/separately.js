// CcGuard warning window: the offer of Send separately — its button, the colleagues' choice and
// what it says (how many copies, who already got the message, where asking for the permissions
// stands). The background decides whether it is offered (separate/offer.js); when it is not,
// none of this shows and the window says nothing about it.

import { $, setParts } from "../util.js";


/** Shows the offer of `verdict` (verdict.js: `separately` or null). Returns whether it shows. */
export function showOffer(jobWords, verdict) {
  const offer = verdict?.separately ?? null;
  const button = $("send-separately");
  button.hidden = !offer;
  button.disabled = !offer;
  $("separately").hidden = !offer;
  $("separately-hint").hidden = !offer;
  if (!offer) return false;
  if (offer.pictures > 0) {
    // Shown, so that the user learns why it cannot be chosen for this message.
    button.disabled = true;
    $("separately-hint").hidden = true;
    $("separately-colleagues").hidden = true;
    setNote(jobWords.pictures);
    return true;
  }
  setParts($("separately-hint"), jobWords.hint(offer.copies, offer.keepCopies));
  const colleagues = offer.colleagues > 0;
  $("separately-colleagues").hidden = !colleagues;
  if (colleagues) $("separately-colleagues-legend").textContent = jobWords.colleaguesLegend(offer.colleagues);
  setNote(offer.already > 0 ? jobWords.already(offer.already) : "");
  return true;
}

/** Hides the offer (degraded, lost, or a verdict without it). */
export function hideOffer() {
  showOffer(null, null);
}

/** The line under the offer: who already got it, asking for permission, a refusal. */
export function setNote(text) {
  const note = $("separately-note");
  note.textContent = text;
  note.hidden = !text;
}

/** The colleagues' choice: "original" (the default) or "nothing". */
export function colleaguesChoice() {
  return $("colleagues-nothing").checked ? "nothing" : "original";
}
