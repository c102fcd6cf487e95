// CcGuard warning window: the DOM. Shows a verdict read by verdict.js in the words of
// wording.js. Text only, never innerHTML; every piece of outside text (a name, an address, a
// list name, a domain, unparsed input) is in its own <bdi>, so that right-to-left letters in
// it cannot reorder the rest of its line.
//
// Element ids are the page's contract with the e2e suite (tests/e2e): #headline, #reason,
// #context-note, #rules, #blocked-reason, #summary (#split, #kinds, #allowed), #domains,
// #lists, #recipients, #problems, #degraded-detail and the buttons of the footer.

import { $, isolated, setParts } from "../util.js";


export const DECISION_BUTTONS = ["move-to-bcc", "move-external-to-bcc", "remember-group", "send-anyway", "back-to-edit"];
/** The answers to "What do you use this address for?", as the window's buttons are named. */
export const ROLE_BUTTONS = ["role-personal", "role-organisation", "role-sensitive"];

/** Everything below the headline and the reason, hidden when the window is lost. */
const SECTIONS = [
  "context-note",
  "rules",
  "degraded-detail",
  "blocked-reason",
  "summary",
  "domains-section",
  "lists-section",
  "lists-note",
  "recipients-section",
  "problems-section",
  "remember-hint",
  "move-hint",
  "move-external-hint",
  "role-question",
];

function setText(el, value) {
  el.textContent = value;
  el.hidden = !value;
}

function span(className, value) {
  const el = document.createElement("span");
  el.className = className;
  el.textContent = value;
  return el;
}

function badge(kind, label) {
  return label ? span(`kind kind-${kind}`, label) : null;
}

function fieldLabel(words, field) {
  const label = words.field(field);
  return label ? span("field", label) : null;
}

function recipientItem(words, verdict, recipient) {
  const li = document.createElement("li");
  if (recipient.kind) li.dataset.kind = recipient.kind;
  // Known to the others here (the thread, a known group), or new to them.
  if (recipient.known !== null) li.dataset.known = String(recipient.known);
  const items = [fieldLabel(words, recipient.field)];
  if (recipient.name) items.push(isolated(recipient.name, "name"));
  // The angle brackets belong to the address: inside its isolate, they stay around it.
  items.push(isolated(recipient.name ? `<${recipient.email}>` : recipient.email, "email"));
  const added = words.newcomerBadge(verdict, recipient);
  if (added) {
    li.dataset.newcomer = "true";
    items.push(span("newcomer", added));
  }
  items.push(badge(recipient.kind, words.kind(recipient.kind)));
  if (recipient.list) {
    li.dataset.list = "true";
    const via = span("via", "");
    setParts(via, words.via(recipient.list));
    items.push(via);
  }
  li.append(...items.filter(Boolean));
  return li;
}

function domainItem(words, entry) {
  const li = document.createElement("li");
  if (entry.kind) li.dataset.kind = entry.kind;
  li.append(
    ...[isolated(entry.domain, "domain"), span("count", words.fmt(entry.count ?? 0)), badge(entry.kind, words.kind(entry.kind))].filter(
      Boolean,
    ),
  );
  return li;
}

/** A list of the verdict; `status(entry)` gives its status line(s) as [className, text]. */
function listItem(words, entry, statuses) {
  const li = document.createElement("li");
  const items = [fieldLabel(words, entry.field), isolated(entry.name || "?", "list-name")];
  for (const [className, value] of statuses) items.push(span(className, value));
  li.append(...items.filter(Boolean));
  return li;
}

function problemItem(words, problem) {
  const li = document.createElement("li");
  if (problem.problem) li.dataset.problem = problem.problem;
  li.append(
    ...[fieldLabel(words, problem.field), isolated(problem.input, "input"), span("problem-reason", words.problem(problem.problem))].filter(
      Boolean,
    ),
  );
  return li;
}

// -- the parts of the window -------------------------------------------------------------------------

/** The short lines of the rules, under the reason. */
function showRules(lines) {
  const ul = $("rules");
  ul.replaceChildren(
    ...lines.map((line) => {
      const li = document.createElement("li");
      li.textContent = line;
      return li;
    }),
  );
  ul.hidden = lines.length === 0;
}

function renderTop(words, verdict) {
  const { headline, total, reason, note, rules, severity } = words.top(verdict);
  const h1 = $("headline");
  setParts(h1, headline);
  if (total) {
    // Its own line, after a space so that the two numbers never run together as text.
    h1.append(" ", span("total", total));
  }
  $("reason").textContent = reason;
  setText($("context-note"), note);
  showRules(rules);
  document.body.dataset.severity = severity;
}

function renderSummary(words, verdict) {
  const { split, kinds, domainCount, allowed } = words.summary(verdict);
  $("split").textContent = split;
  setText($("kinds"), kinds);
  setText($("domain-count"), domainCount);
  setText($("allowed"), allowed);
  $("summary").hidden = false;
}

function renderDomains(words, verdict) {
  const domains = verdict.domains;
  $("domains").replaceChildren(...domains.map((entry) => domainItem(words, entry)));
  const rest = Math.max(0, (verdict.distinctDomains ?? 0) - domains.length);
  setText($("more-domains"), rest > 0 && domains.length > 0 ? words.moreDomains(rest) : "");
  $("domains-section").hidden = domains.length === 0;
}

function renderLists(words, verdict, degraded) {
  const lists = verdict.lists.filter((entry) => entry.name);
  $("lists").replaceChildren(
    ...lists.map((entry) => {
      const statuses = [];
      if (degraded || entry.resolved === null) {
        statuses.push(["list-status unresolved", words.listUnchecked]);
      } else if (entry.resolved === false) {
        statuses.push(["list-status unresolved", words.listUnresolved]);
      } else if (entry.members !== null) {
        statuses.push(["list-members", words.listMembers(entry.members)]);
      }
      if (entry.nested) statuses.push(["list-status nested", words.listNested]);
      const li = listItem(words, entry, statuses);
      if (entry.resolved === false || degraded) li.dataset.resolved = "false";
      if (entry.nested) li.dataset.nested = "true";
      return li;
    }),
  );
  const note = degraded ? words.degradedListsNote : lists.some((e) => e.resolved === false) ? words.listsNote : "";
  setText($("lists-note"), lists.length > 0 ? note : "");
  $("lists-section").hidden = lists.length === 0;
}

function renderRecipients(words, verdict) {
  const sample = verdict.visible;
  $("recipients").replaceChildren(...sample.map((r) => recipientItem(words, verdict, r)));
  // The core sends a sample of the visible recipients; the count is always complete.
  const rest = Math.max(0, (verdict.counts.visible ?? 0) - sample.length);
  setText($("more"), rest > 0 && sample.length > 0 ? words.more(rest) : "");
  $("recipients-section").hidden = sample.length === 0;
}

function renderProblems(words, verdict) {
  $("problems").replaceChildren(...verdict.problems.map((p) => problemItem(words, p)));
  $("problems-section").hidden = verdict.problems.length === 0;
}

/** Why Send anyway is off, when the verdict is blocked; the dialog's description names it. */
function renderBlocked(words, verdict) {
  const sendAnyway = $("send-anyway");
  if (!verdict.blocked) {
    setText($("blocked-reason"), "");
    sendAnyway.removeAttribute("aria-describedby");
    $("dialog").setAttribute("aria-describedby", "reason");
    delete document.body.dataset.blocked;
    return;
  }
  setText($("blocked-reason"), words.blockedReason(verdict));
  document.body.dataset.blocked = "true";
  sendAnyway.setAttribute("aria-describedby", "blocked-reason");
  $("dialog").setAttribute("aria-describedby", "reason blocked-reason");
}

/** Shows a choice's button (and its hint) and enables it, or hides and disables both. */
function offer(id, hint, on) {
  const button = $(id);
  button.hidden = !on;
  button.disabled = !on;
  if (hint) $(hint).hidden = !on;
}

/** Who the message shows to whom, as the core judged it: everything under the top. */
function renderRecipientParts(words, verdict) {
  renderBlocked(words, verdict);
  renderSummary(words, verdict);
  renderDomains(words, verdict);
  renderLists(words, verdict, false);
  renderRecipients(words, verdict);
  renderProblems(words, verdict);
  setText($("degraded-detail"), "");
}

// -- the window's modes ------------------------------------------------------------------------------

/**
 * A verdict the core judged. Returns the button focus starts on: Move to Bcc, the safe default,
 * when it is offered.
 */
export function renderNormal(words, verdict) {
  hideQuestion();
  renderTop(words, verdict);
  renderRecipientParts(words, verdict);

  offer("move-to-bcc", "move-hint", verdict.canMoveToBcc);
  offer("move-external-to-bcc", "move-external-hint", verdict.canMoveExternalToBcc);
  // "They know each other" sends as written: never when the hard limit blocks.
  const remember = verdict.canRemember && !verdict.blocked;
  offer("remember-group", "remember-hint", remember);
  if (remember) {
    // Send anyway and "They know each other" side by side, on a row of their own after the
    // others: the window is too narrow for five buttons in one row.
    $("as-written").append($("send-anyway"), $("remember-group"));
    $("as-written").hidden = false;
  }
  offer("send-anyway", null, true);
  // Blocked: Send anyway stays visible and off, also after the arm delay (only live buttons are armed).
  $("send-anyway").disabled = verdict.blocked;
  offer("back-to-edit", null, true);
  return verdict.canMoveToBcc ? $("move-to-bcc") : $("back-to-edit");
}

/**
 * The core could not judge: say so and why, show what is known (the entries of To and Cc, the
 * pills that may be lists), and offer only Back to editing and (unless blocked) Send anyway.
 * Returns Back to editing, where focus starts.
 */
export function renderDegraded(words, verdict) {
  hideQuestion();
  const { headline, reason, detail, counts, note } = words.degraded(verdict);
  $("headline").textContent = headline;
  $("reason").textContent = reason;
  setParts($("degraded-detail"), detail);
  $("degraded-detail").hidden = false;
  setText($("context-note"), note);
  $("rules").hidden = true;
  document.body.dataset.severity = "warn";
  renderBlocked(words, verdict);
  $("split").textContent = counts;
  for (const line of ["kinds", "domain-count", "allowed"]) setText($(line), "");
  $("summary").hidden = false;
  for (const section of ["domains-section", "recipients-section", "problems-section"]) $(section).hidden = true;
  renderLists(words, verdict, true);

  for (const [id, hint] of [
    ["move-to-bcc", "move-hint"],
    ["move-external-to-bcc", "move-external-hint"],
    ["remember-group", "remember-hint"],
  ]) {
    offer(id, hint, false);
  }
  offer("send-anyway", null, true);
  $("send-anyway").disabled = verdict.blocked;
  offer("back-to-edit", null, true);
  return $("back-to-edit");
}

function hideQuestion() {
  $("role-question").hidden = true;
  for (const id of ROLE_BUTTONS) $(id).disabled = true;
  $("rules").setAttribute("aria-label", $("rules").dataset.alsoLabel ?? "");
}

/**
 * Held only to ask "What do you use this address for?": the address, what work would make of this
 * message (the rules, the recipients), the three answers, and Back to editing. The answer is the
 * decision: no choice that sends is offered until it is given. Returns Back to editing, where
 * focus starts (Enter must not answer by reflex).
 */
export function renderQuestion(words, verdict) {
  const { headline, reason, note, rules } = words.question(verdict);
  setParts($("headline"), headline);
  $("reason").textContent = reason;
  setText($("context-note"), note);
  showRules(rules);
  $("rules").setAttribute("aria-label", note);
  document.body.dataset.severity = "warn";
  renderRecipientParts(words, verdict);
  for (const [id, hint] of [
    ["move-to-bcc", "move-hint"],
    ["move-external-to-bcc", "move-external-hint"],
    ["remember-group", "remember-hint"],
    ["send-anyway", null],
  ]) {
    offer(id, hint, false);
  }
  offer("back-to-edit", null, true);
  $("role-question").hidden = false;
  for (const id of ROLE_BUTTONS) $(id).disabled = false;
  return $("back-to-edit");
}

/** The background no longer knows this decision: nothing can be decided, only closed. */
export function renderLost(words) {
  $("headline").textContent = words.lostHeadline;
  $("reason").textContent = words.lostReason;
  $("dialog").setAttribute("aria-describedby", "reason");
  document.body.dataset.severity = "warn";
  for (const section of SECTIONS) $(section).hidden = true;
  for (const id of [...DECISION_BUTTONS, ...ROLE_BUTTONS]) offer(id, null, false);
  const close = $("close");
  close.hidden = false;
  close.disabled = false;
  return close;
}

/**
 * On a window too small for everything (many rules, lists and all the buttons), the hints
 * under the buttons go first: they stay the buttons' accessible descriptions. Only then does
 * the dialog scroll as a whole.
 */
export function fitToWindow() {
  const main = document.querySelector("main");
  document.body.classList.remove("compact");
  if (main.scrollHeight > main.clientHeight + 1) {
    document.body.classList.add("compact");
  }
}
