// CcGuard warning window: the wiring. Gets the verdict from the background (protocol.js),
// reads it defensively (verdict.js), shows it (render.js, in the words of wording.js), sends
// back one decision and closes.
//
// document.body.dataset.state: "loading" -> "ready" (rendered, buttons live) -> "decided";
// or "lost" when the background no longer knows this decision; or "job" once Send separately
// started: the window then shows the job's progress (job-view.js) instead of the warning.
// document.body.dataset.mode: "normal" | "degraded" | "question" once ready (degraded: the core
// could not judge, or the verdict could not be shown; question: held only to ask what the sending
// address is used for — the answer sends, or turns the window into the warning).
// document.body.dataset.severity: "gentle" when the only rule that fired is the large-audience
// one (internal mail to many people), else "warn".
// document.body.dataset.blocked: "true" when the hard limit is exceeded (Send anyway stays off).
//
// Keyboard: Escape is Back to editing; Enter (not on a button) is the default, Move to Bcc; a
// held or chorded Enter does nothing. The buttons go live ARM_DELAY_MS after the warning shows.

import { $, localize, msg, shownLanguage } from "../util.js";
import { connect } from "./protocol.js";
import { readVerdict } from "./verdict.js";
import { makeWording } from "./wording.js";
import { makeJobWords } from "./job-words.js";
import { followJob } from "./job-view.js";
import { DECISION_BUTTONS, ROLE_BUTTONS, fitToWindow, renderDegraded, renderLost, renderNormal, renderQuestion } from "./render.js";
import { colleaguesChoice, hideOffer, setNote, showOffer } from "./separately.js";

/** A key still held from Send (or pressed twice) must not answer a warning nobody has read yet. */
const ARM_DELAY_MS = 400;

const id = new URLSearchParams(location.search).get("id") ?? "";
const words = makeWording(msg, shownLanguage());
const jobWords = makeJobWords(msg, shownLanguage());
const background = connect(id, lost, pinged);

let state = "loading";
let mode = "normal";
let blocked = false;
/** Send separately: whether its permissions are granted, and whether we wait for the answer. */
let allowed = false;
let waitingForAllow = false;

function setState(next) {
  state = next;
  document.body.dataset.state = next;
  // ./build.sh bench times Send to the warning from these marks (tests/e2e/bench_send.py).
  performance.mark(`ccguard-${next}`);
}

function lost() {
  if (state === "lost" || state === "job") return;
  background.stop();
  const close = renderLost(words);
  hideOffer();
  setState("lost");
  close.focus();
}

// -- Send separately ---------------------------------------------------------------------------

/** Every answer of a keep-alive ping: the permissions may have been granted or refused. */
function pinged(reply) {
  if (!waitingForAllow || state !== "ready") return;
  if (reply.allow === "granted") {
    waitingForAllow = false;
    allowed = true;
    sendSeparately();
  } else if (reply.allow === "refused") {
    waitingForAllow = false;
    setNote(jobWords.refused);
  }
}

/** The click on Send separately: ask for the permissions first if they are missing. */
async function chooseSeparately() {
  if (state !== "ready" || $("send-separately").hidden || $("send-separately").disabled) return;
  if (allowed) {
    sendSeparately();
    return;
  }
  // Thunderbird asks in its main window (separate/support.js); the pings tell when it answered.
  setNote(jobWords.asking);
  waitingForAllow = true;
  if (!(await background.askToAllow())) {
    waitingForAllow = false;
    setNote(jobWords.failed);
  }
}

async function sendSeparately() {
  if (state !== "ready") return;
  setState("decided");
  const buttons = [...document.querySelectorAll("footer button")];
  const live = buttons.filter((b) => !b.disabled);
  for (const button of buttons) button.disabled = true;
  const reply = await background.sendSeparately(colleaguesChoice());
  if (!reply.ok) {
    if (reply.reason === "unknown") {
      lost();
      return;
    }
    // Nothing was sent and the send is still held: the other choices stay.
    if (reply.reason === "not-allowed") allowed = false;
    const notes = { "not-allowed": jobWords.refused, pictures: jobWords.pictures };
    setNote(notes[reply.reason] ?? jobWords.failed);
    for (const button of live) button.disabled = reply.reason === "pictures" && button.id === "send-separately";
    setState("ready");
    return;
  }
  // The job's polling keeps the background awake from now on.
  background.stop();
  setState("job");
  document.title = msg("jobTitle") || document.title;
  $("dialog").setAttribute("aria-labelledby", "job-headline");
  $("dialog").removeAttribute("aria-describedby");
  followJob($("job"), { job: reply.job, words: jobWords, msg });
}

async function decide(choice) {
  if (state === "decided" || state === "lost" || state === "job") return;
  if (state !== "ready" && choice !== "back-to-edit") return;
  // Sends as written: never while the hard limit blocks.
  if ((choice === "send-anyway" || choice === "remember-group") && blocked) return;
  setState("decided");
  for (const button of document.querySelectorAll("footer button")) button.disabled = true;
  const answer = await background.decide(choice);
  if (answer === "lost") {
    // The background no longer knows this send: say so rather than pretend it went out.
    lost();
    return;
  }
  window.close();
}

function onKeyDown(event) {
  if (event.defaultPrevented || event.isComposing) return;
  // The job's window: its buttons only (Escape must not stand for Cancel or Back to editing).
  if (state === "job") return;
  if (event.key === "Escape") {
    event.preventDefault();
    if (state === "lost") window.close();
    else decide("back-to-edit");
    return;
  }
  if (event.key === "Enter" && (event.repeat || event.ctrlKey || event.altKey || event.metaKey)) {
    // A held or chorded Enter (Ctrl+Enter is Send) must not answer the warning unread.
    event.preventDefault();
    return;
  }
  if (event.key === "Enter" && state === "ready") {
    // A focused button handles Enter itself; anywhere else Enter means the default.
    if (event.target instanceof HTMLButtonElement) return;
    event.preventDefault();
    const move = $("move-to-bcc");
    if (mode === "normal" && !move.disabled && !move.hidden) decide("move-to-bcc");
  }
}

/** Shows `raw` and returns the button focus starts on. */
function show(raw) {
  const verdict = readVerdict(raw);
  blocked = verdict?.blocked === true;
  allowed = verdict?.separately?.allowed === true;
  hideOffer();
  try {
    if (verdict && !verdict.degraded && verdict.askRole) {
      mode = "question";
      return renderQuestion(words, verdict);
    }
    if (verdict && !verdict.degraded) {
      mode = "normal";
      const focus = renderNormal(words, verdict);
      showOffer(jobWords, verdict);
      return focus;
    }
    if (verdict) {
      mode = "degraded";
      return renderDegraded(words, verdict);
    }
  } catch (error) {
    console.error("CcGuard: could not show the verdict:", error);
  }
  // A verdict this window cannot show: still ask, with the safe choices only.
  mode = "degraded";
  const fallback = readVerdict({ degraded: { code: "unknown" }, blocked });
  for (const section of ["domains-section", "recipients-section", "problems-section", "rules", "context-note"]) {
    $(section).hidden = true;
  }
  const focus = renderDegraded(words, fallback);
  if (verdict?.askRole) {
    // Held to ask a question this window could not show: the background takes no choice but
    // Back to editing (decisions.js), so no other is offered.
    $("send-anyway").hidden = true;
    $("send-anyway").disabled = true;
  }
  return focus;
}

/** The buttons in use go live ARM_DELAY_MS after `focusTarget`'s view shows (a key still held
 *  from Send, or pressed twice, answers nothing), then focus goes to it. */
async function arm(focusTarget) {
  document.body.dataset.mode = mode;
  fitToWindow();
  performance.mark("ccguard-shown");
  const live = [...document.querySelectorAll("footer button, #role-question button")].filter((b) => !b.disabled);
  for (const button of live) button.disabled = true;
  await new Promise((resolve) => setTimeout(resolve, ARM_DELAY_MS));
  if (state !== "loading") return; // Escape was pressed meanwhile, or the decision was lost.
  for (const button of live) button.disabled = false;
  setState("ready");
  // Without scrolling: should the dialog not fit, its headline stays in view.
  focusTarget.focus({ preventScroll: true });
}

/** An answer to "What do you use this address for?": the send goes, or the warning shows. */
async function answer(role) {
  if (state !== "ready" || mode !== "question") return;
  setState("decided");
  const buttons = [...document.querySelectorAll("footer button, #role-question button")];
  const live = buttons.filter((b) => !b.disabled);
  for (const button of buttons) button.disabled = true;
  const reply = await background.answerRole(role);
  if (reply.ok && reply.sent) {
    background.stop();
    window.close();
    return;
  }
  if (reply.ok && reply.verdict) {
    setState("loading");
    await arm(show(reply.verdict));
    return;
  }
  if (reply.reason === "unknown") {
    lost();
    return;
  }
  for (const button of live) button.disabled = false;
  setState("ready");
}

async function start() {
  localize(document, "warningTitle");
  const rules = $("rules");
  rules.dataset.alsoLabel = msg("warningAlsoLabel") || rules.getAttribute("aria-label");
  rules.setAttribute("aria-label", rules.dataset.alsoLabel);
  document.addEventListener("keydown", onKeyDown);
  for (const choice of DECISION_BUTTONS) $(choice).addEventListener("click", () => decide(choice));
  for (const id of ROLE_BUTTONS) $(id).addEventListener("click", () => answer($(id).dataset.role));
  $("send-separately").addEventListener("click", () => chooseSeparately());
  $("close").addEventListener("click", () => window.close());

  if (!id) {
    lost();
    return;
  }
  background.start();
  const raw = await background.get();
  if (state !== "loading") return; // Escape was pressed meanwhile, or the decision was lost.
  if (raw === null) {
    lost();
    return;
  }
  window.addEventListener("resize", fitToWindow);
  await arm(show(raw));
}

start();
