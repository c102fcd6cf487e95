// CcGuard options: the warning threshold (0 = off), saved to storage.local "policy"
// merged with the keys already stored. The background reads the policy on every send,
// so changes apply to the next send without a restart.
//
// document.body.dataset.state: "loading" -> "ready"; "saved" / "reset" after an action;
// "invalid" while the field holds an invalid value; "error" if storage failed.

import { getPolicyState, saveThreshold, resetThreshold, MAX_THRESHOLD } from "../settings.js";

const api = globalThis.messenger ?? globalThis.browser;
const $ = (selector) => document.getElementById(selector);

function msg(key, substitutions) {
  try {
    return api.i18n.getMessage(key, substitutions) || "";
  } catch (error) {
    return "";
  }
}

function localize() {
  try {
    // The language of the strings actually shown, which falls back to English.
    document.documentElement.lang = api.i18n.getMessage("localeCode") || "en";
  } catch (error) {
    // keep "en"
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

/** The threshold typed in the field, or null if it is not an integer 0..MAX_THRESHOLD. */
function parseThreshold(text) {
  const trimmed = String(text).trim();
  if (!/^[0-9]{1,6}$/.test(trimmed)) {
    return null;
  }
  const value = Number(trimmed);
  return value <= MAX_THRESHOLD ? value : null;
}

function setState(state) {
  document.body.dataset.state = state;
}

function setStatus(text) {
  $("status").textContent = text;
}

function validate() {
  const input = $("threshold");
  const value = parseThreshold(input.value);
  const error = $("threshold-error");
  if (value === null) {
    input.setAttribute("aria-invalid", "true");
    error.textContent = msg("optionsThresholdInvalid");
    error.hidden = false;
    $("save").disabled = true;
  } else {
    input.removeAttribute("aria-invalid");
    error.textContent = "";
    error.hidden = true;
    $("save").disabled = false;
  }
  return value;
}

/** Whether the organisation set or locked the field's setting (then it cannot be edited). */
let locked = false;

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

async function showCurrent() {
  const { policy, defaults: base, locked: lockedKeys, rejected } = await getPolicyState();
  locked = lockedKeys.includes("externalThreshold");
  $("threshold").value = String(policy.externalThreshold);
  $("threshold-help").textContent = msg("optionsThresholdHelp", [String(base.externalThreshold)]);
  for (const id of ["threshold", "save", "reset"]) {
    $(id).disabled = locked;
  }
  $("threshold-locked").hidden = !locked;
  document.body.dataset.locked = String(locked);
  showManagedProblems(rejected);
  if (!locked) {
    validate();
  }
}

async function onSubmit(event) {
  event.preventDefault();
  if (locked) {
    return; // the organisation's value: the field is disabled, Enter must not save either
  }
  const value = validate();
  if (value === null) {
    setState("invalid");
    $("threshold").focus();
    return;
  }
  try {
    await saveThreshold(value);
    setStatus(value === 0 ? msg("optionsSavedOff") : msg("optionsSaved"));
    setState("saved");
  } catch (error) {
    setStatus(msg("optionsSaveFailed", [String(error?.message ?? error)]));
    setState("error");
  }
}

async function onReset() {
  try {
    await resetThreshold();
    await showCurrent();
    setStatus(msg("optionsResetDone"));
    setState("reset");
  } catch (error) {
    setStatus(msg("optionsSaveFailed", [String(error?.message ?? error)]));
    setState("error");
  }
}

async function start() {
  localize();
  $("form").addEventListener("submit", onSubmit);
  $("reset").addEventListener("click", onReset);
  $("threshold").addEventListener("input", () => {
    if (locked) {
      return; // the organisation's value: nothing to validate or save
    }
    setStatus("");
    setState(validate() === null ? "invalid" : "ready");
  });
  try {
    await showCurrent();
    setState("ready");
  } catch (error) {
    setStatus(msg("optionsLoadFailed", [String(error?.message ?? error)]));
    setState("error");
  }
}

start();
