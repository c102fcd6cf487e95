// CcGuard warning window. Gets its verdict from the background, shows it (text only,
// never innerHTML), sends back one decision and closes. Pings the background every second
// so that the MV3 event page is not suspended while the send is held.
//
// Protocol (runtime.sendMessage):
//   {type: "ccguard:get", id}                -> {ok: true, verdict} | {ok: false}
//   {type: "ccguard:keepalive", id}          -> {ok: true} while the decision is pending
//   {type: "ccguard:decide", id, choice}     -> {ok: true|false}
//     choice: "move-to-bcc" | "send-anyway" | "back-to-edit"
// Closing the window without deciding means "back-to-edit" (handled by the background).
//
// document.body.dataset.state: "loading" -> "ready" (rendered, buttons live) -> "decided";
// or "lost" when the background no longer knows this decision.
// document.body.dataset.mode: "normal" | "degraded" once ready.

const api = globalThis.messenger ?? globalThis.browser;

const MAX_RECIPIENTS = 50;
const MAX_DOMAINS = 8;
const MAX_PROBLEMS = 10;
const KEEPALIVE_MS = 1000;

const id = new URLSearchParams(location.search).get("id") ?? "";
let state = "loading";
let mode = "normal";
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

const numberFormat = new Intl.NumberFormat(uiLanguage());
const fmt = (n) => numberFormat.format(n);

function localize() {
  // The language of the strings actually shown, which falls back to English.
  document.documentElement.lang = msg("localeCode") || "en";
  const title = msg("warningTitle");
  if (title) {
    document.title = title;
  }
  for (const el of document.querySelectorAll("[data-i18n]")) {
    const text = msg(el.dataset.i18n);
    if (text) {
      el.textContent = text;
    }
  }
}

function setState(next) {
  state = next;
  document.body.dataset.state = next;
}

function setText(el, text) {
  el.textContent = text;
  el.hidden = !text;
}

function recipientItem(recipient) {
  const li = document.createElement("li");
  const field = document.createElement("span");
  field.className = "field";
  field.textContent = recipient.field === "cc" ? msg("warningFieldCc") : msg("warningFieldTo");
  li.append(field);
  const name = typeof recipient.name === "string" ? recipient.name.trim() : "";
  const email = typeof recipient.email === "string" ? recipient.email : "";
  if (name) {
    const nameEl = document.createElement("span");
    nameEl.className = "name";
    nameEl.textContent = name;
    li.append(nameEl);
  }
  const emailEl = document.createElement("span");
  emailEl.className = "email";
  emailEl.textContent = name ? `<${email}>` : email;
  li.append(emailEl);
  return li;
}

function renderNormal(verdict) {
  const counts = verdict.counts ?? {};
  const visible = counts.visible ?? 0;
  $("headline").textContent =
    visible === 1
      ? msg("warningHeadlineOne")
      : msg("warningHeadlineMany", [fmt(visible)]);
  $("reason").textContent = msg("warningReason");

  $("split").textContent = msg("warningSplit", [
    fmt(counts.to ?? 0),
    fmt(counts.cc ?? 0),
    fmt(counts.bcc ?? 0),
  ]);
  const domainCount = verdict.distinctDomains;
  setText(
    $("domain-count"),
    Number.isInteger(domainCount) && domainCount > 0
      ? domainCount === 1
        ? msg("warningDomainsOne")
        : msg("warningDomainsMany", [fmt(domainCount)])
      : "",
  );
  $("summary").hidden = false;

  const domains = Array.isArray(verdict.domains) ? verdict.domains.slice(0, MAX_DOMAINS) : [];
  const domainList = $("domains");
  domainList.replaceChildren();
  for (const { domain, count } of domains) {
    const li = document.createElement("li");
    const d = document.createElement("span");
    d.className = "domain";
    d.textContent = String(domain);
    const c = document.createElement("span");
    c.className = "count";
    c.textContent = fmt(count ?? 0);
    li.append(d, c);
    domainList.append(li);
  }
  $("domains-section").hidden = domains.length === 0;

  const visibleList = Array.isArray(verdict.visible) ? verdict.visible : [];
  const list = $("recipients");
  list.replaceChildren(...visibleList.slice(0, MAX_RECIPIENTS).map(recipientItem));
  // The core sends a sample of the visible recipients; the count is always complete.
  const rest = Math.max(visible, visibleList.length) - Math.min(visibleList.length, MAX_RECIPIENTS);
  setText($("more"), rest > 0 ? msg("warningMore", [fmt(rest)]) : "");
  $("recipients-section").hidden = visibleList.length === 0;

  const problems = Array.isArray(verdict.problems) ? verdict.problems.slice(0, MAX_PROBLEMS) : [];
  const problemList = $("problems");
  problemList.replaceChildren();
  for (const problem of problems) {
    const li = document.createElement("li");
    li.textContent = String(problem?.input ?? "");
    problemList.append(li);
  }
  $("problems-section").hidden = problems.length === 0;

  const canMove = verdict.canMoveToBcc === true;
  const move = $("move-to-bcc");
  move.disabled = !canMove;
  move.hidden = !canMove;
  $("move-hint").hidden = !canMove;
  $("send-anyway").disabled = false;
  $("back-to-edit").disabled = false;
  return canMove ? move : $("back-to-edit");
}

function renderDegraded(verdict) {
  mode = "degraded";
  const counts = verdict.counts ?? {};
  $("headline").textContent = msg("warningDegradedHeadline");
  $("reason").textContent = msg("warningDegradedReason");
  $("split").textContent = msg("warningDegradedCounts", [fmt(counts.to ?? 0), fmt(counts.cc ?? 0)]);
  setText($("domain-count"), "");
  $("summary").hidden = false;
  const move = $("move-to-bcc");
  move.disabled = true;
  move.hidden = true;
  $("move-hint").hidden = true;
  $("send-anyway").disabled = false;
  $("back-to-edit").disabled = false;
  return $("back-to-edit");
}

function renderLost() {
  stopKeepalive();
  $("headline").textContent = msg("warningLostHeadline");
  $("reason").textContent = msg("warningLostReason");
  for (const section of ["summary", "domains-section", "recipients-section", "problems-section", "move-hint"]) {
    $(section).hidden = true;
  }
  for (const button of ["move-to-bcc", "send-anyway", "back-to-edit"]) {
    $(button).hidden = true;
    $(button).disabled = true;
  }
  const close = $("close");
  close.hidden = false;
  close.disabled = false;
  setState("lost");
  close.focus();
}

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
  $("move-to-bcc").addEventListener("click", () => decide("move-to-bcc"));
  $("send-anyway").addEventListener("click", () => decide("send-anyway"));
  $("back-to-edit").addEventListener("click", () => decide("back-to-edit"));
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
  if (!reply || !reply.ok || !reply.verdict) {
    renderLost();
    return;
  }
  const verdict = reply.verdict;
  const focusTarget = verdict.degraded ? renderDegraded(verdict) : renderNormal(verdict);
  document.body.dataset.mode = mode;
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
  focusTarget.focus();
}

start();
