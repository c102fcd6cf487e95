// CcGuard warning window. Gets its verdict from the background, shows it (text only,
// never innerHTML: display names, list names and domains are hostile input), sends back
// one decision and closes. Pings the background every second so that the MV3 event page
// is not suspended while the send is held.
//
// Protocol (runtime.sendMessage):
//   {type: "ccguard:get", id}                -> {ok: true, verdict} | {ok: false}
//   {type: "ccguard:keepalive", id}          -> {ok: true} while the decision is pending
//   {type: "ccguard:decide", id, choice}     -> {ok: true|false}
//     choice: "move-to-bcc" | "move-external-to-bcc" | "send-anyway" | "back-to-edit"
// Closing the window without deciding means "back-to-edit" (handled by the background).
//
// document.body.dataset.state: "loading" -> "ready" (rendered, buttons live) -> "decided";
// or "lost" when the background no longer knows this decision.
// document.body.dataset.mode: "normal" | "degraded" once ready.
// document.body.dataset.severity: "gentle" when the only rule that fired is the large-audience
// one (internal mail to many people), else "warn".
// document.body.dataset.blocked: "true" when the hard limit is exceeded (Send anyway stays off).
//
// Every field of the verdict is read defensively: the degraded verdict has only counts and
// rule, an older or newer core may lack or add fields, and nothing odd may break the window.

import { makePlural } from "./plural.js";

const api = globalThis.messenger ?? globalThis.browser;

/** The core sends at most this many of each; more would only come from a broken verdict. */
const MAX_RECIPIENTS = 100;
const MAX_DOMAINS = 50;
const MAX_LISTS = 50;
const MAX_RULES = 10;
const MAX_PROBLEMS = 10;
/** How many unresolved list names the headline spells out. */
const MAX_NAMED_LISTS = 3;
const KEEPALIVE_MS = 1000;

const id = new URLSearchParams(location.search).get("id") ?? "";
let state = "loading";
let mode = "normal";
let blocked = false;
let keepaliveTimer = null;
/** This window's id, sent with every message so the background can notice it closing. */
let windowId = null;
/** The buttons go live this long after the warning shows: a key still held from Send
 *  (or pressed twice) must not answer a warning nobody has read yet. */
const ARM_DELAY_MS = 400;

const $ = (selector) => document.getElementById(selector);

function msg(key, substitutions) {
  try {
    const text = api.i18n.getMessage(key, substitutions);
    if (text) {
      return text;
    }
  } catch (error) {
    // fall through
  }
  return "";
}

function uiLanguage() {
  try {
    return api.i18n.getUILanguage() || undefined;
  } catch (error) {
    return undefined;
  }
}

function numberFormatFor(language) {
  try {
    return new Intl.NumberFormat(language);
  } catch (error) {
    return new Intl.NumberFormat("en");
  }
}

const numberFormat = numberFormatFor(uiLanguage());
const fmt = (n) => numberFormat.format(n);

/** The language of the strings actually shown (a missing translation falls back to English). */
const language = msg("localeCode") || "en";
const plural = makePlural(msg, language);

function listFormat(items) {
  try {
    return new Intl.ListFormat(language, { style: "long", type: "conjunction" }).format(items);
  } catch (error) {
    return items.join(", ");
  }
}

// -- reading the verdict defensively ----------------------------------------------------

/** A count: a finite number >= 0, rounded down; else null. */
function count(value) {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? Math.floor(value) : null;
}

function text(value) {
  return typeof value === "string" ? value : "";
}

function list(value, max) {
  return Array.isArray(value) ? value.slice(0, max).filter((entry) => entry && typeof entry === "object") : [];
}

function has(table, key) {
  return typeof key === "string" && Object.prototype.hasOwnProperty.call(table, key);
}

/** Strings shown for a recipient's or a domain's kind. */
const KIND_LABELS = { internal: "kindInternal", external: "kindExternal", private: "kindPrivate" };

/** The first non-null of the counts given. */
function firstCount(...values) {
  for (const value of values) {
    const n = count(value);
    if (n !== null) {
      return n;
    }
  }
  return null;
}

function unresolvedLists(verdict) {
  return list(verdict.lists, MAX_LISTS).filter((entry) => entry.resolved === false);
}

/** `“name”` in the quotation marks of the shown language. */
function quoted(name) {
  return msg("warningQuoted", [name]) || `"${name}"`;
}

function listNames(lists, total) {
  const names = lists.map((entry) => text(entry.name).trim()).filter(Boolean);
  if (names.length === 0) {
    return "";
  }
  const shown = names.slice(0, MAX_NAMED_LISTS).map(quoted);
  const rest = Math.max(total, names.length) - shown.length;
  if (rest > 0) {
    shown.push(plural("warningListNamesMore", rest, [fmt(rest)]));
  }
  return listFormat(shown);
}

/**
 * What each rule says: its headline (always holding the rule's number), why it matters, and
 * a short line for when it is not the first rule.
 * `number(rule, verdict)` picks the rule's count, falling back to the verdict's counts.
 */
const RULES = {
  "hard-limit": {
    countsEveryone: true,
    number: (rule, v) => firstCount(rule.count, v.counts?.visible),
    headline(n, rule) {
      const limit = count(rule.threshold);
      return limit === null
        ? plural("ruleHardLimitHeadlineNoLimit", n, [fmt(n)])
        : plural("ruleHardLimitHeadline", n, [fmt(n), fmt(limit)]);
    },
    short(n, rule) {
      const limit = count(rule.threshold);
      return limit === null ? "" : plural("ruleShortHardLimit", n, [fmt(n), fmt(limit)]);
    },
    reason: "ruleHardLimitReason",
  },
  "unresolved-list": {
    number: (rule, v) => firstCount(rule.count, unresolvedLists(v).length),
    headline(n, rule, v) {
      const names = listNames(unresolvedLists(v), n);
      return names
        ? plural("ruleUnresolvedHeadline", n, [fmt(n), names])
        : plural("ruleUnresolvedHeadlineNoName", n, [fmt(n)]);
    },
    short: (n) => plural("ruleShortUnresolved", n, [fmt(n)]),
    reason: "ruleUnresolvedReason",
  },
  "private-individuals": {
    number: (rule, v) => firstCount(rule.count, v.counts?.private),
    headline(n, rule, v) {
      const domains = firstCount(rule.domains, v.privateDomains);
      const from = domains === null ? "" : plural("rulePrivateDomains", domains, [fmt(domains)]);
      // Without the number of domains the phrase is empty: no double space.
      return plural("rulePrivateHeadline", n, [fmt(n), from]).replace(/\s{2,}/g, " ").trim();
    },
    short: (n) => plural("ruleShortPrivate", n, [fmt(n)]),
    reason: "rulePrivateReason",
  },
  "external-recipients": {
    number: (rule, v) => firstCount(rule.count, v.counts?.external),
    headline: (n) => plural("ruleExternalHeadline", n, [fmt(n)]),
    short: (n) => plural("ruleShortExternal", n, [fmt(n)]),
    reason: "ruleExternalReason",
  },
  "external-organisations": {
    number: (rule, v) => firstCount(rule.count, v.organisations),
    headline: (n) => plural("ruleOrganisationsHeadline", n, [fmt(n)]),
    short: (n) => plural("ruleShortOrganisations", n, [fmt(n)]),
    reason: "ruleOrganisationsReason",
  },
  "large-audience": {
    countsEveryone: true,
    number: (rule, v) => firstCount(rule.count, v.counts?.visible),
    headline: (n) => plural("ruleAudienceHeadline", n, [fmt(n)]),
    short: (n) => plural("ruleShortAudience", n, [fmt(n)]),
    reason: "ruleAudienceReason",
  },
};

/** Any other rule (an older core's "visible-recipients", or one this window does not know). */
const GENERIC_RULE = {
  countsEveryone: true,
  number: (rule, v) => firstCount(rule.count, v.counts?.visible, 0),
  headline: (n) => plural("ruleVisibleHeadline", n, [fmt(n)]),
  short: (n) => plural("ruleShortVisible", n, [fmt(n)]),
  reason: "warningReason",
};

function ruleText(rule, verdict) {
  const known = has(RULES, rule.id) ? RULES[rule.id] : GENERIC_RULE;
  let kind = known;
  let n = known.number(rule, verdict);
  if (n === null) {
    kind = GENERIC_RULE;
    n = GENERIC_RULE.number(rule, verdict);
  }
  const headline = kind.headline(n, rule, verdict) || GENERIC_RULE.headline(n);
  // A rule that counts only some of the visible people (the private ones, the external ones,
  // organisations, lists) is followed by everyone's number: how many would see the addresses.
  const visible = count(verdict.counts?.visible);
  const total =
    !kind.countsEveryone && visible !== null && visible > 0 && visible !== n
      ? plural("warningTotalVisible", visible, [fmt(visible)])
      : "";
  return {
    headline,
    total,
    reason: msg(kind.reason) || msg("warningReason"),
    // One short line for the list of the other rules that fired.
    short: kind.short(n, rule, verdict) || headline,
  };
}

/** Every rule that fired, most serious first (rules[0] is the verdict's rule). */
function firedRules(verdict) {
  const rules = list(verdict.rules, MAX_RULES);
  if (rules.length > 0) {
    return rules;
  }
  return verdict.rule && typeof verdict.rule === "object" ? [verdict.rule] : [];
}

// -- rendering ----------------------------------------------------------------------------

function localize() {
  document.documentElement.lang = language;
  const title = msg("warningTitle");
  if (title) {
    document.title = title;
  }
  for (const el of document.querySelectorAll("[data-i18n]")) {
    const value = msg(el.dataset.i18n);
    if (value) {
      el.textContent = value;
    }
  }
  const also = msg("warningAlsoLabel");
  if (also) {
    $("rules").setAttribute("aria-label", also);
  }
}

function setState(next) {
  state = next;
  document.body.dataset.state = next;
}

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

/** A badge naming a recipient's or domain's kind, or null for an unknown kind. */
function kindBadge(kind) {
  if (!has(KIND_LABELS, kind)) {
    return null;
  }
  const label = msg(KIND_LABELS[kind]);
  if (!label) {
    return null;
  }
  const badge = span(`kind kind-${kind}`, label);
  return badge;
}

function recipientItem(recipient) {
  const li = document.createElement("li");
  if (has(KIND_LABELS, recipient.kind)) {
    li.dataset.kind = recipient.kind;
  }
  li.append(span("field", recipient.field === "cc" ? msg("warningFieldCc") : msg("warningFieldTo")));
  const name = text(recipient.name).trim();
  const email = text(recipient.email);
  if (name) {
    li.append(span("name", name));
  }
  li.append(span("email", name ? `<${email}>` : email));
  const badge = kindBadge(recipient.kind);
  if (badge) {
    li.append(badge);
  }
  const via = text(recipient.list).trim();
  if (via) {
    li.dataset.list = "true";
    li.append(span("via", msg("warningViaList", [via]) || via));
  }
  return li;
}

function domainItem(entry) {
  const li = document.createElement("li");
  if (has(KIND_LABELS, entry.kind)) {
    li.dataset.kind = entry.kind;
  }
  li.append(span("domain", text(entry.domain)));
  li.append(span("count", fmt(count(entry.count) ?? 0)));
  const badge = kindBadge(entry.kind);
  if (badge) {
    li.append(badge);
  }
  return li;
}

function listItem(entry) {
  const li = document.createElement("li");
  if (entry.field === "to" || entry.field === "cc") {
    li.append(span("field", entry.field === "cc" ? msg("warningFieldCc") : msg("warningFieldTo")));
  }
  const name = text(entry.name).trim();
  li.append(span("list-name", name || "?"));
  if (entry.resolved === false) {
    li.dataset.resolved = "false";
    li.append(span("list-status unresolved", msg("warningListUnresolved")));
  } else {
    const members = count(entry.members);
    if (members !== null) {
      li.append(span("list-members", plural("warningListMembers", members, [fmt(members)])));
    }
  }
  if (entry.nested === true) {
    li.dataset.nested = "true";
    li.append(span("list-status nested", msg("warningListNested")));
  }
  return li;
}

function renderRules(rules, verdict) {
  const also = rules.slice(1).map((rule) => {
    const li = document.createElement("li");
    li.textContent = ruleText(rule, verdict).short;
    return li;
  });
  const ul = $("rules");
  ul.replaceChildren(...also);
  ul.hidden = also.length === 0;
}

function renderSummary(verdict) {
  const counts = verdict.counts && typeof verdict.counts === "object" ? verdict.counts : {};
  $("split").textContent = msg("warningSplit", [
    fmt(count(counts.to) ?? 0),
    fmt(count(counts.cc) ?? 0),
    fmt(count(counts.bcc) ?? 0),
  ]);
  const internal = count(counts.internal);
  const external = count(counts.external);
  setText(
    $("kinds"),
    internal !== null && external !== null
      ? msg("warningKinds", [fmt(internal), fmt(external), fmt(count(counts.private) ?? 0)])
      : "",
  );
  const domainCount = count(verdict.distinctDomains);
  setText(
    $("domain-count"),
    domainCount ? plural("warningDomainCount", domainCount, [fmt(domainCount)]) : "",
  );
  const allowed = count(counts.allowed);
  setText($("allowed"), allowed ? msg("warningAllowed", [fmt(allowed)]) : "");
  $("summary").hidden = false;
}

function renderDomains(verdict) {
  const domains = list(verdict.domains, MAX_DOMAINS);
  $("domains").replaceChildren(...domains.map(domainItem));
  const total = count(verdict.distinctDomains) ?? 0;
  const rest = Math.max(0, total - domains.length);
  setText($("more-domains"), rest > 0 && domains.length > 0 ? plural("warningMoreDomains", rest, [fmt(rest)]) : "");
  $("domains-section").hidden = domains.length === 0;
}

function renderLists(verdict) {
  const lists = list(verdict.lists, MAX_LISTS);
  $("lists").replaceChildren(...lists.map(listItem));
  $("lists-note").hidden = !lists.some((entry) => entry.resolved === false);
  $("lists-section").hidden = lists.length === 0;
}

function renderRecipients(verdict) {
  const visible = count(verdict.counts?.visible) ?? 0;
  const sample = list(verdict.visible, MAX_RECIPIENTS).filter((entry) => text(entry.email) || text(entry.name).trim());
  $("recipients").replaceChildren(...sample.map(recipientItem));
  // The core sends a sample of the visible recipients; the count is always complete.
  const rest = Math.max(0, visible - sample.length);
  setText($("more"), rest > 0 && sample.length > 0 ? plural("warningMore", rest, [fmt(rest)]) : "");
  $("recipients-section").hidden = sample.length === 0;
}

function renderProblems(verdict) {
  const problems = Array.isArray(verdict.problems) ? verdict.problems.slice(0, MAX_PROBLEMS) : [];
  $("problems").replaceChildren(
    ...problems.map((problem) => {
      const li = document.createElement("li");
      li.textContent = String(problem?.input ?? "");
      return li;
    }),
  );
  $("problems-section").hidden = problems.length === 0;
}

function renderBlocked(rules) {
  const hardLimit = rules.find((rule) => rule.id === "hard-limit");
  const limit = count(hardLimit?.threshold);
  const sendAnyway = $("send-anyway");
  if (!blocked) {
    setText($("blocked-reason"), "");
    sendAnyway.removeAttribute("aria-describedby");
    $("dialog").setAttribute("aria-describedby", "reason");
    return;
  }
  setText(
    $("blocked-reason"),
    limit === null ? msg("blockedReasonNoLimit") : plural("blockedReason", limit, [fmt(limit)]),
  );
  document.body.dataset.blocked = "true";
  sendAnyway.setAttribute("aria-describedby", "blocked-reason");
  $("dialog").setAttribute("aria-describedby", "reason blocked-reason");
}

function showMoveButtons(canMove, canMoveExternal) {
  const move = $("move-to-bcc");
  move.disabled = !canMove;
  move.hidden = !canMove;
  $("move-hint").hidden = !canMove;
  const external = $("move-external-to-bcc");
  external.disabled = !canMoveExternal;
  external.hidden = !canMoveExternal;
  $("move-external-hint").hidden = !canMoveExternal;
}

function renderNormal(verdict) {
  const rules = firedRules(verdict);
  const first = rules[0] ?? {};
  const { headline, total, reason } = ruleText(first, verdict);
  const h1 = $("headline");
  h1.textContent = headline;
  if (total) {
    // Its own line, after a space so that the two numbers never run together as text.
    h1.append(" ", span("total", total));
  }
  $("reason").textContent = reason;
  renderRules(rules, verdict);
  const gentle = rules.length === 1 && first.id === "large-audience";
  document.body.dataset.severity = gentle ? "gentle" : "warn";

  blocked = verdict.blocked === true || rules.some((rule) => rule.id === "hard-limit");
  renderBlocked(rules);
  renderSummary(verdict);
  renderDomains(verdict);
  renderLists(verdict);
  renderRecipients(verdict);
  renderProblems(verdict);

  const canMove = verdict.canMoveToBcc === true;
  showMoveButtons(canMove, verdict.canMoveExternalToBcc === true);
  // Blocked: Send anyway stays off, also after the arm delay (only live buttons are armed).
  $("send-anyway").disabled = blocked;
  $("back-to-edit").disabled = false;
  return canMove ? $("move-to-bcc") : $("back-to-edit");
}

function renderDegraded(verdict) {
  mode = "degraded";
  document.body.dataset.severity = "warn";
  const counts = verdict.counts && typeof verdict.counts === "object" ? verdict.counts : {};
  $("headline").textContent = msg("warningDegradedHeadline");
  $("reason").textContent = msg("warningDegradedReason");
  $("split").textContent = msg("warningDegradedCounts", [fmt(count(counts.to) ?? 0), fmt(count(counts.cc) ?? 0)]);
  for (const line of ["kinds", "domain-count", "allowed"]) {
    setText($(line), "");
  }
  $("summary").hidden = false;
  showMoveButtons(false, false);
  // `blocked` is only ever set by a normal verdict whose rendering failed half-way.
  $("send-anyway").disabled = blocked;
  $("back-to-edit").disabled = false;
  return $("back-to-edit");
}

const SECTIONS = [
  "rules",
  "blocked-reason",
  "summary",
  "domains-section",
  "lists-section",
  "lists-note",
  "recipients-section",
  "problems-section",
  "move-hint",
  "move-external-hint",
];
const DECISION_BUTTONS = ["move-to-bcc", "move-external-to-bcc", "send-anyway", "back-to-edit"];

function renderLost() {
  stopKeepalive();
  $("headline").textContent = msg("warningLostHeadline");
  $("reason").textContent = msg("warningLostReason");
  $("dialog").setAttribute("aria-describedby", "reason");
  document.body.dataset.severity = "warn";
  for (const section of SECTIONS) {
    $(section).hidden = true;
  }
  for (const button of DECISION_BUTTONS) {
    $(button).hidden = true;
    $(button).disabled = true;
  }
  const close = $("close");
  close.hidden = false;
  close.disabled = false;
  setState("lost");
  close.focus();
}

/**
 * On a window too small for everything (many rules, lists and both move buttons), the hints
 * under the buttons go first: they stay the buttons' accessible descriptions. Only then does
 * the dialog scroll as a whole.
 */
function fitToWindow() {
  const main = document.querySelector("main");
  document.body.classList.remove("compact");
  if (main.scrollHeight > main.clientHeight + 1) {
    document.body.classList.add("compact");
  }
}

// -- talking to the background -------------------------------------------------------------

function stopKeepalive() {
  if (keepaliveTimer !== null) {
    clearInterval(keepaliveTimer);
    keepaliveTimer = null;
  }
}

async function keepalive() {
  try {
    const reply = await api.runtime.sendMessage({ type: "ccguard:keepalive", id, windowId });
    if (reply && reply.ok === false && state !== "decided" && state !== "lost") {
      renderLost();
    }
  } catch (error) {
    // The background may be restarting; the next ping tries again.
  }
}

function startKeepalive() {
  stopKeepalive();
  keepaliveTimer = setInterval(keepalive, KEEPALIVE_MS);
}

async function decide(choice) {
  if (state === "decided" || state === "lost") {
    return;
  }
  if (state !== "ready" && choice !== "back-to-edit") {
    return;
  }
  if (choice === "send-anyway" && blocked) {
    return;
  }
  setState("decided");
  for (const button of document.querySelectorAll("footer button")) {
    button.disabled = true;
  }
  stopKeepalive();
  let reply;
  try {
    reply = await api.runtime.sendMessage({ type: "ccguard:decide", id, choice });
  } catch (error) {
    // If the answer did not arrive, closing the window still means "back to editing".
    console.error("CcGuard: could not send the decision:", error);
  }
  if (reply?.ok === false) {
    // The background no longer knows this send: say so rather than pretend it went out.
    renderLost();
    return;
  }
  window.close();
}

function onKeyDown(event) {
  if (event.defaultPrevented || event.isComposing) {
    return;
  }
  if (event.key === "Escape") {
    event.preventDefault();
    if (state === "lost") {
      window.close();
    } else {
      decide("back-to-edit");
    }
    return;
  }
  if (event.key === "Enter" && (event.repeat || event.ctrlKey || event.altKey || event.metaKey)) {
    // A held or chorded Enter (Ctrl+Enter is Send) must not answer the warning unread.
    event.preventDefault();
    return;
  }
  if (event.key === "Enter" && state === "ready") {
    // A focused button handles Enter itself; anywhere else Enter means the default.
    if (event.target instanceof HTMLButtonElement) {
      return;
    }
    event.preventDefault();
    const move = $("move-to-bcc");
    if (mode === "normal" && !move.disabled && !move.hidden) {
      decide("move-to-bcc");
    }
  }
}

async function start() {
  localize();
  document.addEventListener("keydown", onKeyDown);
  for (const choice of DECISION_BUTTONS) {
    $(choice).addEventListener("click", () => decide(choice));
  }
  $("close").addEventListener("click", () => window.close());

  if (!id) {
    renderLost();
    return;
  }
  startKeepalive();
  let reply;
  try {
    windowId = (await api.windows.getCurrent().catch(() => null))?.id ?? null;
    reply = await api.runtime.sendMessage({ type: "ccguard:get", id, windowId });
  } catch (error) {
    console.error("CcGuard: could not reach the background:", error);
  }
  if (state === "decided") {
    return;
  }
  if (!reply || !reply.ok || !reply.verdict || typeof reply.verdict !== "object") {
    renderLost();
    return;
  }
  const verdict = reply.verdict;
  let focusTarget;
  try {
    focusTarget = verdict.degraded ? renderDegraded(verdict) : renderNormal(verdict);
  } catch (error) {
    // A verdict this window cannot show: still ask, with the safe choices only.
    console.error("CcGuard: could not show the verdict:", error);
    for (const section of SECTIONS) {
      if (section !== "blocked-reason") {
        $(section).hidden = true;
      }
    }
    focusTarget = renderDegraded(verdict);
  }
  document.body.dataset.mode = mode;
  fitToWindow();
  window.addEventListener("resize", fitToWindow);
  const live = [...document.querySelectorAll("footer button")].filter((b) => !b.disabled);
  for (const button of live) {
    button.disabled = true;
  }
  await new Promise((resolve) => setTimeout(resolve, ARM_DELAY_MS));
  if (state !== "loading") {
    return; // Escape was pressed meanwhile, or the decision was lost.
  }
  for (const button of live) {
    button.disabled = false;
  }
  setState("ready");
  // Without scrolling: should the dialog not fit, its headline stays in view.
  focusTarget.focus({ preventScroll: true });
}

start();
