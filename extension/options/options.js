// CcGuard options: every setting of the policy (docs/policy.md), grouped, checked live by the
// core (guard.effectivePolicy) and previewed on sample messages (guard.preview). Saved to
// storage.local "policy" with exactly the keys the user set; the background reads the policy on
// every send, so changes apply to the next send without a restart.
//
// document.body.dataset.state: "loading" -> "ready"; "saved" / "reset" after an action;
// "invalid" while a field holds a value the core refuses; "error" if storage failed.
// document.body.dataset.locked: "true" when the organisation set or locked any setting.

import { readLayers, savePolicy, resetPolicy, MAX_THRESHOLD } from "../settings.js";
import { effectivePolicy, preview, previewDomain } from "../guard.js";
import { baseKey, layer } from "../managed.js";
import { makePlural } from "../warning/plural.js";

const api = globalThis.messenger ?? globalThis.browser;
const $ = (selector) => document.getElementById(selector);

/** The number settings: on/off checkbox `${id}-on` (off = 0) and the number field `id`. */
const NUMBERS = [
  { key: "privateThreshold", id: "private-threshold" },
  { key: "externalThreshold", id: "threshold" },
  { key: "organisationThreshold", id: "organisation-threshold" },
  { key: "audienceThreshold", id: "audience-threshold" },
  { key: "hardLimit", id: "hard-limit" },
];

/** The list settings: a textarea, one entry per line. */
const LISTS = [
  { key: "internalDomains", id: "internal-domains" },
  { key: "privateDomains", id: "private-domains" },
  { key: "notPrivateDomains", id: "not-private-domains" },
  { key: "allowedAddresses", id: "allowed-addresses" },
  { key: "allowedDomains", id: "allowed-domains" },
  { key: "allowedLists", id: "allowed-lists" },
];

const FIELDS = [...NUMBERS, ...LISTS];

function msg(key, substitutions) {
  try {
    return api.i18n.getMessage(key, substitutions) || "";
  } catch (error) {
    return "";
  }
}

let language = "en";
let plural = makePlural(msg, language);
let numberFormat = new Intl.NumberFormat("en");
const fmt = (n) => numberFormat.format(n);

function localize() {
  try {
    // The language of the strings actually shown, which falls back to English.
    language = api.i18n.getMessage("localeCode") || "en";
  } catch (error) {
    language = "en";
  }
  document.documentElement.lang = language;
  plural = makePlural(msg, language);
  try {
    numberFormat = new Intl.NumberFormat(language);
  } catch (error) {
    // keep English digits
  }
  for (const el of document.querySelectorAll("[data-i18n]")) {
    const text = msg(el.dataset.i18n);
    if (text) {
      el.textContent = text;
    }
  }
  const title = msg("optionsTitle");
  if (title) {
    document.title = title;
  }
}

// -- what the page knows ---------------------------------------------------------------------------

const page = {
  base: {}, // the core's defaults
  stored: {}, // storage.local "policy" as read
  managedSettings: {}, // storage.managed as read
  managed: [], // keys the admin set
  locked: [], // keys the user cannot change
  seq: 0, // the latest check; older answers are dropped
  errors: 0, // fields with an error, as last checked
};

const isLocked = (key) => page.locked.includes(key);

/** A number field's text as the value to hand to the core: a whole number, else the text. */
function numberValue(text) {
  const trimmed = String(text).trim();
  return /^[0-9]{1,6}$/.test(trimmed) ? Number(trimmed) : trimmed;
}

function isValidNumber(value) {
  return Number.isInteger(value) && value >= 0 && value <= MAX_THRESHOLD;
}

/** A textarea's entries (trimmed, blank lines left out) and the line each came from. */
function listValue(text) {
  const entries = [];
  const lines = [];
  String(text)
    .split("\n")
    .forEach((line, i) => {
      const entry = line.trim();
      if (entry !== "") {
        entries.push(entry);
        lines.push(i + 1);
      }
    });
  return { entries, lines };
}

/** What the form holds: `{values, lines}`, one value per setting the user can change. */
function readForm() {
  const values = {};
  const lines = {};
  for (const { key, id } of NUMBERS) {
    if (isLocked(key)) continue;
    values[key] = $(`${id}-on`).checked ? numberValue($(id).value) : 0;
  }
  for (const { key, id } of LISTS) {
    if (isLocked(key)) continue;
    const { entries, lines: at } = listValue($(id).value);
    values[key] = entries;
    lines[key] = at;
  }
  return { values, lines };
}

/** The settings as they would be after saving the form, the admin's layered over them. */
function settingsOf(values) {
  const user = { ...page.stored, ...values };
  if ("externalThreshold" in values) delete user.threshold; // version 1's name for it
  return layer(user, page.managedSettings, Object.keys(page.base)).settings;
}

// -- showing values and errors -----------------------------------------------------------------------

function showNumber({ key, id }, value) {
  const on = isValidNumber(value) && value > 0;
  $(`${id}-on`).checked = on;
  const fallback = page.base[key] > 0 ? String(page.base[key]) : "";
  $(id).value = on ? String(value) : fallback;
}

function showList({ id }, value) {
  $(id).value = Array.isArray(value) ? value.map(String).join("\n") : "";
}

/** Enables each field unless it is locked; a number field only while its rule is on. */
function showEnabled() {
  for (const { key, id } of NUMBERS) {
    const locked = isLocked(key);
    $(`${id}-on`).disabled = locked;
    $(id).disabled = locked || !$(`${id}-on`).checked;
    $(`${id}-locked`).hidden = !locked;
  }
  for (const { key, id } of LISTS) {
    $(id).disabled = isLocked(key);
    $(`${id}-locked`).hidden = !isLocked(key);
  }
  const allLocked = FIELDS.every(({ key }) => isLocked(key));
  $("reset").disabled = allLocked;
  document.body.dataset.locked = String(page.locked.length > 0);
}

function setError(id, text) {
  const field = $(id);
  const error = $(`${id}-error`);
  if (text) {
    field.setAttribute("aria-invalid", "true");
    error.textContent = text;
    error.hidden = false;
  } else {
    field.removeAttribute("aria-invalid");
    error.textContent = "";
    error.hidden = true;
  }
}

/**
 * The error text of each field: `{id: text}`. A number field's own check comes first (the page
 * works without the core too); every refusal of the core about a setting the user can change
 * is shown next to its field, a list entry with its line.
 */
function errorsOf(form, rejected) {
  const errors = {};
  for (const { key, id } of NUMBERS) {
    if (key in form.values && !isValidNumber(form.values[key])) errors[id] = msg("optionsThresholdInvalid");
  }
  for (const r of rejected) {
    const key = baseKey(r.key);
    if (!(key in form.values) || isLocked(key)) continue;
    const field = FIELDS.find((f) => f.key === key);
    if (!field) continue;
    if (NUMBERS.includes(field)) {
      errors[field.id] = msg("optionsThresholdInvalid");
      continue;
    }
    const index = /\[(\d+)\]$/.exec(String(r.key));
    const text = index
      ? msg("optionsEntryInvalid", [
          String(form.lines[key]?.[Number(index[1])] ?? Number(index[1]) + 1),
          String(form.values[key]?.[Number(index[1])] ?? r.value),
          localReason(r.reason),
        ])
      : localReason(r.reason);
    errors[field.id] = errors[field.id] ? `${errors[field.id]}\n${text}` : text;
  }
  return errors;
}

/** The core's reason for refusing a list entry, in the user's language (the core's own
 *  text, English, for anything else). */
function localReason(reason) {
  switch (String(reason)) {
    case "must be a domain such as example.org or *.example.org":
      return msg("reasonDomainPattern");
    case "must be a domain name such as example.org":
      return msg("reasonDomain");
    case "must be an e-mail address such as all-staff@example.org":
      return msg("reasonAddress");
    case "must not be empty":
      return msg("reasonEmpty");
    case "too many entries (at most 1000)":
      return msg("reasonTooMany");
    default:
      return String(reason);
  }
}

function showErrors(errors) {
  for (const { id } of FIELDS) setError(id, errors[id] ?? "");
  page.errors = Object.keys(errors).length;
  $("save").disabled = page.errors > 0 || FIELDS.every(({ key }) => isLocked(key));
}

function showManagedProblems(rejected) {
  const list = $("managed-problems");
  const problems = rejected.filter((r) => r.managed);
  list.replaceChildren(
    ...problems.map((r) => {
      const li = document.createElement("li");
      li.textContent = msg("optionsManagedProblem", [String(r.key), String(r.value), String(r.reason)]);
      return li;
    }),
  );
  $("managed-problems-section").hidden = problems.length === 0;
}

function showIdentities(identities) {
  const entries = identities && typeof identities === "object" ? Object.entries(identities) : [];
  $("identities").replaceChildren(
    ...entries.map(([address, thresholds]) => {
      const li = document.createElement("li");
      const parts = Object.entries(thresholds ?? {}).map(([k, v]) => `${k} ${fmt(Number(v))}`);
      li.textContent = `${address}: ${parts.join(", ")}`;
      return li;
    }),
  );
  $("identities-section").hidden = entries.length === 0;
}

// -- the preview -------------------------------------------------------------------------------------

function sampleText(id) {
  switch (id) {
    case "customers":
      return msg("optionsSampleCustomers");
    case "colleagues":
      return msg("optionsSampleColleagues");
    case "meeting":
      return msg("optionsSampleMeeting");
    case "companies":
      return msg("optionsSampleCompanies");
    default:
      return id;
  }
}

function ruleText(rule, visible) {
  const n = rule.count;
  switch (rule.id) {
    case "hard-limit":
      return plural("ruleShortHardLimit", n, [fmt(n), fmt(rule.threshold)]);
    case "private-individuals":
      return plural("ruleShortPrivate", n, [fmt(n)]);
    case "external-recipients":
      return plural("ruleShortExternal", n, [fmt(n)]);
    case "external-organisations":
      return plural("ruleShortOrganisations", n, [fmt(n)]);
    case "large-audience":
      return plural("ruleShortAudience", n, [fmt(n)]);
    default:
      return plural("ruleShortVisible", visible, [fmt(visible)]);
  }
}

async function showPreview(settings, seq) {
  let results;
  let policy;
  try {
    [results, { policy }] = await Promise.all([preview(settings), effectivePolicy(settings)]);
  } catch (error) {
    if (seq !== page.seq) return;
    $("preview-intro").textContent = msg("optionsPreviewUnavailable", [String(error?.message ?? error)]);
    $("preview").replaceChildren();
    return;
  }
  if (seq !== page.seq) return;
  $("preview-intro").textContent = msg("optionsPreviewHelp", [previewDomain(policy)]);
  $("preview").replaceChildren(
    ...results.map((r) => {
      const li = document.createElement("li");
      li.dataset.sample = r.id;
      li.dataset.warns = String(r.warns);
      li.dataset.rule = r.rule?.id ?? "";
      li.textContent = r.warns
        ? msg("optionsPreviewWarns", [sampleText(r.id), r.rule ? ruleText(r.rule, r.visible) : fmt(r.visible)])
        : msg("optionsPreviewQuiet", [sampleText(r.id)]);
      return li;
    }),
  );
}

// -- checking ----------------------------------------------------------------------------------------

/**
 * Checks the form: first synchronously (number fields), then with the core; shows the errors,
 * enables Save only when nothing is refused, and updates the preview. Resolves to the number
 * of fields with an error (or null when a newer check has started).
 */
async function check() {
  const seq = ++page.seq;
  const form = readForm();
  showErrors(errorsOf(form, []));
  const settings = settingsOf(form.values);
  const { rejected } = await effectivePolicy(settings);
  if (seq !== page.seq) return null;
  showErrors(errorsOf(form, rejected));
  showPreview(settings, seq);
  return page.errors;
}

function setState(state) {
  document.body.dataset.state = state;
}

function setStatus(text) {
  $("status").textContent = text;
}

async function onChange() {
  setStatus("");
  const checked = check(); // its synchronous part has shown the number fields' errors
  setState(page.errors > 0 ? "invalid" : "ready");
  const errors = await checked;
  if (errors !== null) setState(errors > 0 ? "invalid" : "ready");
}

// -- loading, saving, resetting ------------------------------------------------------------------------

async function load() {
  const { stored, managedSettings, base } = await readLayers();
  page.base = base;
  page.stored = stored;
  page.managedSettings = managedSettings;
  const layered = layer(stored, managedSettings, Object.keys(base));
  page.managed = layered.managed;
  page.locked = layered.locked;
  const { policy, rejected } = await effectivePolicy(layered.settings);
  for (const field of NUMBERS) {
    showNumber(field, policy[field.key] ?? base[field.key]);
    const def = base[field.key];
    const help = document.querySelector(`[data-default="${field.key}"]`);
    if (help) {
      help.textContent =
        field.key === "hardLimit" ? msg("optionsHardLimitDefault") : msg("optionsThresholdHelp", [fmt(def ?? 0)]);
    }
  }
  for (const field of LISTS) showList(field, policy[field.key]);
  showEnabled();
  showIdentities(policy.identities);
  const managed = new Set(page.managed);
  showManagedProblems([
    ...layered.problems,
    ...rejected.map((r) => ({ ...r, managed: managed.has(baseKey(r.key)) })),
  ]);
  return check();
}

/** Whether any warning rule is switched off in what was saved (the hard limit is off by default). */
function anyOff(values) {
  return NUMBERS.some(({ key }) => values[key] === 0 && key !== "hardLimit");
}

async function onSubmit(event) {
  event.preventDefault();
  if (FIELDS.every(({ key }) => isLocked(key))) {
    return; // all the organisation's: nothing to save, and Enter must not save either
  }
  const errors = await check();
  if (errors === null || errors > 0) {
    setState("invalid");
    const first = FIELDS.find(({ id }) => $(id).getAttribute("aria-invalid") === "true");
    if (first) $(first.id).focus();
    return;
  }
  try {
    const { values } = readForm();
    page.stored = await savePolicy(values);
    setStatus(anyOff(values) ? msg("optionsSavedOff") : msg("optionsSaved"));
    setState("saved");
  } catch (error) {
    setStatus(msg("optionsSaveFailed", [String(error?.message ?? error)]));
    setState("error");
  }
}

async function onReset() {
  try {
    await resetPolicy();
    await load();
    setStatus(msg("optionsResetDone"));
    setState("reset");
  } catch (error) {
    setStatus(msg("optionsSaveFailed", [String(error?.message ?? error)]));
    setState("error");
  }
}

function onToggle(field) {
  const on = $(`${field.id}-on`).checked;
  const input = $(field.id);
  input.disabled = !on;
  if (on) {
    if (numberValue(input.value) === 0 || input.value.trim() === "") {
      input.value = page.base[field.key] > 0 ? String(page.base[field.key]) : "";
    }
    input.focus();
  }
  onChange();
}

async function start() {
  localize();
  $("form").addEventListener("submit", onSubmit);
  $("reset").addEventListener("click", onReset);
  for (const field of NUMBERS) {
    $(`${field.id}-on`).addEventListener("change", () => {
      if (!isLocked(field.key)) onToggle(field);
    });
  }
  for (const { key, id } of FIELDS) {
    $(id).addEventListener("input", () => {
      if (!isLocked(key)) onChange(); // the organisation's value: nothing to check or save
    });
  }
  try {
    const errors = await load();
    setState(errors > 0 ? "invalid" : "ready");
  } catch (error) {
    setStatus(msg("optionsLoadFailed", [String(error?.message ?? error)]));
    setState("error");
  }
}

start();
