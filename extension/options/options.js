// CcGuard options: every setting of the core's key table (settings.policyKeys(), form.js),
// grouped, checked live by the core (guard.effectivePolicy) and previewed on sample messages
// (guard.preview). Saved to storage.local "policy" with exactly the keys the user set
// (settings.savePolicy); the background reads the policy on every send, so changes apply to
// the next send without a restart.
//
// document.body.dataset.state: "loading" -> "ready"; "saved" / "reset" after an action;
// "invalid" while a field holds a value the core refuses; "error" if storage failed.
// document.body.dataset.locked: "true" when the organisation set or locked any setting.

import { policyKeys, readLayers, resetPolicy, savePolicy } from "../settings.js";
import { effectivePolicy, preview, previewDomain } from "../guard.js";
import { baseKey, layer } from "../managed.js";
import { $, localize, msg, setParts, shownLanguage, withOutside } from "../util.js";
import { makePlural } from "../warning/plural.js";
import { makeWording } from "../warning/wording.js";
import { showKnownGroups } from "./known-groups.js";
import { showRoles } from "./roles.js";
import { readVerdict } from "../warning/verdict.js";
import { shownKeys } from "./keys.js";
import { makeRefusals } from "./refusals.js";
import { sendWritesToBackground } from "../writes.js";
import {
  buildForm,
  controlOf,
  isEditable,
  isValidNumber,
  readField,
  setError,
  showEnabled,
  showGroups,
  showValue,
} from "./form.js";

// The background learns groups while this page is open: both write through its queue.
sendWritesToBackground();

const language = shownLanguage();
const words = makeWording(msg, language);
const fmt = words.fmt;
const refusal = makeRefusals(msg, fmt, (items) => {
  try {
    return new Intl.ListFormat(language, { type: "disjunction" }).format(items);
  } catch (error) {
    return items.join(", ");
  }
});

// -- what the page knows ---------------------------------------------------------------------------

const page = {
  fields: [], // every field of the form (form.js), in the page's order
  names: [], // every key of the table: what layering and saving may touch
  stored: {}, // storage.local "policy" as read
  managedSettings: {}, // storage.managed as read
  managed: [], // keys the admin set
  locked: [], // keys the user cannot change
  seq: 0, // the latest check; older answers are dropped
  errors: 0, // fields with an error, as last checked
};

const isLocked = (name) => page.locked.includes(name);
/** The fields whose value the user can change now. */
const editable = () => page.fields.filter((f) => isEditable(f) && !isLocked(f.name));

/** What the form holds: `{values, lines}`, one value per setting the user can change. */
function readForm() {
  const values = {};
  const lines = {};
  for (const field of editable()) {
    const { value, lines: at } = readField(field);
    values[field.name] = value;
    if (at) lines[field.name] = at;
  }
  return { values, lines };
}

/** The settings as they would be after saving the form, the admin's layered over them. */
function settingsOf(values) {
  const user = { ...page.stored, ...values };
  if ("externalThreshold" in values) delete user.threshold; // version 1's name for it
  return layer(user, page.managedSettings, page.names).settings;
}

// -- errors ------------------------------------------------------------------------------------------

/**
 * The error lines of each field: `{name: [line]}`. A number's own check comes first (the page
 * works without the core too); every refusal of the core about a setting the user can change is
 * shown next to its field, a list entry with its line and its text (isolated).
 */
function errorsOf(form, rejected) {
  const errors = {};
  const add = (name, line) => (errors[name] ??= []).push(line);
  // A number field's error says its range: thresholds go from 0 (off), other numbers from their min.
  const numberError = (field) =>
    field.type === "threshold"
      ? msg("optionsThresholdInvalid", [fmt(field.max ?? 100000)])
      : msg("optionsNumberInvalid", [fmt(field.min), fmt(field.max ?? 100000)]);
  const isNumber = (field) => field.type === "threshold" || field.type === "number";
  for (const field of page.fields) {
    if (isNumber(field) && field.name in form.values && !isValidNumber(field, form.values[field.name])) {
      errors[field.name] = [numberError(field)];
    }
  }
  for (const r of rejected) {
    const name = baseKey(r.key);
    const field = page.fields.find((f) => f.name === name);
    if (!field || !(name in form.values) || isLocked(name)) continue;
    if (isNumber(field)) {
      errors[name] = [numberError(field)];
      continue;
    }
    const index = /\[(\d+)\]$/.exec(String(r.key));
    if (index) {
      const i = Number(index[1]);
      const line = String(form.lines[name]?.[i] ?? i + 1);
      const entry = String(form.values[name]?.[i] ?? r.value);
      add(name, withOutside((s) => msg("optionsEntryInvalid", [line, s[0], refusal(r.reason)]), [entry]));
    } else {
      add(name, refusal(r.reason));
    }
  }
  return errors;
}

function showErrors(errors) {
  for (const field of page.fields) {
    if (isEditable(field)) setError(field, errors[field.name] ?? []);
  }
  page.errors = Object.keys(errors).length;
  $("save").disabled = page.errors > 0 || editable().length === 0;
}

/** The values of the organisation CcGuard cannot use, each with why (key and value isolated). */
function showManagedProblems(rejected) {
  const problems = rejected.filter((r) => r.managed);
  $("managed-problems").replaceChildren(
    ...problems.map((r) => {
      const li = document.createElement("li");
      const line = withOutside(
        (s) => msg("optionsManagedProblem", [s[0], s[1], refusal(r.reason)]),
        [String(r.key), String(r.value)],
      );
      setParts(li, line);
      return li;
    }),
  );
  $("managed-problems-section").hidden = problems.length === 0;
}

/** Enables each field unless it is locked, and Reset unless every setting is. */
function showLocked() {
  for (const field of page.fields) showEnabled(field, isLocked(field.name));
  $("reset").disabled = editable().length === 0;
  document.body.dataset.locked = String(page.locked.length > 0);
}

// -- the preview -------------------------------------------------------------------------------------

const SAMPLES = {
  customers: "optionsSampleCustomers",
  colleagues: "optionsSampleColleagues",
  meeting: "optionsSampleMeeting",
  companies: "optionsSampleCompanies",
};

function sampleText(id) {
  return Object.prototype.hasOwnProperty.call(SAMPLES, id) ? msg(SAMPLES[id]) : String(id);
}

/** The rule's short line, as the warning says it. */
function ruleText(rule, visible) {
  const verdict = readVerdict({ counts: { visible }, rules: [rule] });
  return verdict.rules.length > 0 ? words.ruleShort(verdict.rules[0], verdict) : fmt(visible);
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
  const intro = withOutside((s) => msg("optionsPreviewHelp", s), [previewDomain(policy)]);
  setParts($("preview-intro"), intro);
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
 * Checks the form: first synchronously (thresholds), then with the core; shows the errors,
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
  const checked = check(); // its synchronous part has shown the thresholds' errors
  setState(page.errors > 0 ? "invalid" : "ready");
  const errors = await checked;
  if (errors !== null) setState(errors > 0 ? "invalid" : "ready");
}

// -- loading, saving, resetting ------------------------------------------------------------------------

/** Reads the settings' layers and shows the policy in force. Resolves like check(). */
async function load() {
  const { stored, managedSettings } = await readLayers();
  page.stored = stored;
  page.managedSettings = managedSettings;
  const layered = layer(stored, managedSettings, page.names);
  page.managed = layered.managed;
  page.locked = layered.locked;
  const { policy, rejected, degraded } = await effectivePolicy(layered.settings);
  for (const field of page.fields) showValue(field, policy?.[field.name] ?? field.default, fmt);
  if (degraded) setStatus(msg("optionsCoreUnavailable"));
  // What Save compares against: only what the user changes here is written, so a value this page
  // could not show (the core unavailable) or another tab's save in the meantime is kept.
  page.shown = readForm().values;
  showLocked();
  await showContext(policy);
  showGroups();
  const managed = new Set(page.managed);
  showManagedProblems([...layered.problems, ...rejected.map((r) => ({ ...r, managed: managed.has(baseKey(r.key)) }))]);
  return check();
}

/**
 * What the page asks and lists besides the key table's fields: what each address is used for
 * (first on the page while one is unanswered: CcGuard asks once, on install) and the groups that
 * know each other. Either failing leaves the rest of the page working.
 */
async function showContext(policy) {
  try {
    const unanswered = await showRoles({
      policy,
      locked: isLocked("identities"),
      onSaved: (stored) => {
        page.stored = stored;
      },
    });
    const roles = $("roles-section");
    if (unanswered > 0 && !isLocked("identities")) {
      roles.classList.add("first");
      $("form").prepend(roles);
    } else if (roles.classList.contains("first")) {
      roles.classList.remove("first");
      $("group-identities")?.append(roles);
    }
  } catch (error) {
    console.error("CcGuard: could not list the sending addresses:", error);
  }
  try {
    await showKnownGroups({ language, fmt, plural: makePlural(msg, language), policy });
  } catch (error) {
    console.error("CcGuard: could not list the known groups:", error);
  }
}

function sameJSON(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Whether a rule that is on by default is switched off in what was saved. */
function anyOff(values) {
  return page.fields.some((f) => f.type === "threshold" && f.default > 0 && values[f.name] === 0);
}

async function onSubmit(event) {
  event.preventDefault();
  if (editable().length === 0) return; // all the organisation's: nothing to save, and Enter must not save either
  const errors = await check();
  if (errors === null || errors > 0) {
    setState("invalid");
    const first = page.fields.find((f) => controlOf(f)?.getAttribute("aria-invalid") === "true");
    if (first) controlOf(first).focus();
    return;
  }
  try {
    const { values } = readForm();
    const changed = Object.fromEntries(Object.entries(values).filter(([key, value]) => !sameJSON(value, page.shown?.[key])));
    page.stored = await savePolicy(changed);
    page.shown = values;
    // The known groups follow the switches just saved (scan offered or not, groups in use or not).
    effectivePolicy(settingsOf({}))
      .then(({ policy }) => showKnownGroups({ language, fmt, plural: makePlural(msg, language), policy }))
      .catch((error) => console.error("CcGuard: could not list the known groups:", error));
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

/** A threshold switched on or off: its number field follows (on: the default if it held 0). */
function onToggle(field) {
  const on = $(`${field.name}-on`).checked;
  const input = $(field.name);
  input.disabled = !on;
  if (on) {
    if (input.value.trim() === "" || input.value.trim() === "0") {
      input.value = field.default > 0 ? String(field.default) : "";
    }
    input.focus();
  }
  onChange();
}

function listen() {
  $("form").addEventListener("submit", onSubmit);
  $("reset").addEventListener("click", onReset);
  for (const field of page.fields) {
    if (!isEditable(field)) continue;
    // The organisation's value: nothing to check or save.
    const unlessLocked = (handler) => () => {
      if (!isLocked(field.name)) handler();
    };
    if (field.type === "threshold") {
      $(`${field.name}-on`).addEventListener("change", unlessLocked(() => onToggle(field)));
      $(field.name).addEventListener("input", unlessLocked(onChange));
    } else if (field.type === "switch") {
      $(field.name).addEventListener("change", unlessLocked(onChange));
    } else {
      $(field.name).addEventListener("input", unlessLocked(onChange));
    }
  }
}

async function start() {
  localize(document, "optionsTitle");
  try {
    const keys = shownKeys(await policyKeys());
    page.names = keys.map((key) => key.name);
    page.fields = buildForm(keys, { msg, fmt });
    listen();
    const errors = await load();
    setState(errors > 0 ? "invalid" : "ready");
  } catch (error) {
    console.error("CcGuard: the options page could not load:", error);
    setStatus(msg("optionsLoadFailed", [String(error?.message ?? error)]));
    setState("error");
  }
}

start();
