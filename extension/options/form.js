// CcGuard options: the form, built from the core's key table (keys.js). One fieldset per group,
// one field per key, each control's id the key's name:
//   threshold  checkbox #<name>-on (off = 0) and number field #<name>
//   number     number field #<name> (a whole number from the key's min to its max)
//   switch     checkbox #<name>
//   list       textarea #<name>, one entry per line
//   identities read-only list #identities (the settings of sending identities)
// and for each key #<name>-help, #<name>-locked ("Set by your organisation") and #<name>-error.
// Labels and help come from the messages key_<name>_<part> and group_<group>_<part>.
// Outside text (list entries in errors, addresses) is isolated (util.js).

import { $, el, isolated, isPlainObject, plainText, setParts } from "../util.js";
import { GROUP_PARTS, groupMessage, groupsOf, keyMessage } from "./keys.js";

/** What the form knows of one key: its table entry and its type's numbers. */
function fieldOf(key) {
  const max = Number.isInteger(key.max) && key.max >= 0 ? key.max : null;
  const min = Number.isInteger(key.min) && key.min >= 0 ? key.min : 0;
  return { key, name: key.name, type: key.type, min, max, default: key.default };
}

/** "0 turns the warning off. Default: 10." and the like: the default in words. */
function defaultText(field, text) {
  switch (field.type) {
    case "threshold":
      return Number.isInteger(field.default) && field.default > 0
        ? text.msg("optionsThresholdHelp", [text.fmt(field.default)])
        : text.msg("optionsDefaultOff");
    case "number":
      return Number.isInteger(field.default) ? text.msg("optionsDefaultNumber", [text.fmt(field.default)]) : "";
    case "switch":
      return field.default === true ? text.msg("optionsDefaultOn") : text.msg("optionsDefaultOff");
    case "list":
      return text.msg("optionsListDefault");
    default:
      return "";
  }
}

function keyText(text, name, part) {
  return text.msg(keyMessage(name, part)) || name;
}

function notes(field, text, indent) {
  const { name } = field;
  const cls = indent ? " indent" : "";
  const help = [keyText(text, name, "help"), defaultText(field, text)].filter(Boolean).join(" ");
  return [
    el("p", { id: `${name}-help`, class: `help${cls}` }, [help]),
    el("p", { id: `${name}-locked`, class: `locked${cls}`, hidden: true }, [text.msg("optionsLocked")]),
    el("p", { id: `${name}-error`, class: `error${cls}`, role: "alert", hidden: true }),
  ];
}

function thresholdField(field, text) {
  const { name } = field;
  return [
    el("div", { class: "check" }, [
      el("input", { type: "checkbox", id: `${name}-on`, "aria-describedby": `${name}-help ${name}-locked` }),
      el("label", { for: `${name}-on` }, [keyText(text, name, "label")]),
    ]),
    el("div", { class: "row indent" }, [
      el("label", { for: name, class: "inline" }, [keyText(text, name, "number")]),
      el("input", {
        type: "number",
        id: name,
        name,
        min: 0,
        max: field.max ?? false,
        step: 1,
        inputmode: "numeric",
        required: true,
        "aria-describedby": `${name}-help ${name}-locked ${name}-error`,
      }),
    ]),
    ...notes(field, text, true),
  ];
}

function numberField(field, text) {
  const { name } = field;
  return [
    el("div", { class: "row" }, [
      el("label", { for: name, class: "inline strong" }, [keyText(text, name, "label")]),
      el("input", {
        type: "number",
        id: name,
        name,
        min: field.min,
        max: field.max ?? false,
        step: 1,
        inputmode: "numeric",
        required: true,
        "aria-describedby": `${name}-help ${name}-locked ${name}-error`,
      }),
    ]),
    ...notes(field, text, false),
  ];
}

function switchField(field, text) {
  const { name } = field;
  return [
    el("div", { class: "check" }, [
      el("input", {
        type: "checkbox",
        id: name,
        name,
        "aria-describedby": `${name}-help ${name}-locked ${name}-error`,
      }),
      el("label", { for: name }, [keyText(text, name, "label")]),
    ]),
    ...notes(field, text, true),
  ];
}

function listField(field, text) {
  const { name } = field;
  return [
    el("label", { for: name }, [keyText(text, name, "label")]),
    el("textarea", {
      id: name,
      name,
      rows: 3,
      spellcheck: "false",
      autocomplete: "off",
      "aria-describedby": `${name}-help ${name}-locked ${name}-error`,
    }),
    ...notes(field, text, false),
  ];
}

/** The sending identities' own settings: shown, not edited here. */
function identitiesField(field, text) {
  const { name } = field;
  return [
    el("h3", { id: `${name}-label`, class: "label" }, [keyText(text, name, "label")]),
    el("p", { id: `${name}-help`, class: "help" }, [keyText(text, name, "help")]),
    el("ul", { id: name, class: "identities", "aria-labelledby": `${name}-label` }),
  ];
}

const BUILDERS = {
  threshold: thresholdField,
  number: numberField,
  switch: switchField,
  list: listField,
  identities: identitiesField,
};

/**
 * Builds the form from the shown keys (keys.shownKeys) into #groups, with `text` = {msg, fmt}.
 * Returns the fields, in the page's order.
 */
export function buildForm(keys, text) {
  const fields = [];
  const fieldsets = [];
  for (const [group, members] of groupsOf(keys)) {
    const [label, help] = GROUP_PARTS.map((part) => text.msg(groupMessage(group, part)));
    const fieldset = el("fieldset", { id: `group-${group}`, "data-group": group }, [
      el("legend", {}, [label || group]),
      ...(help ? [el("p", { class: "help group-help" }, [help])] : []),
    ]);
    for (const key of members) {
      const field = fieldOf(key);
      const attrs = { class: "field", "data-key": key.name, "data-type": key.type };
      if (key.type === "identities") attrs.id = `${key.name}-section`;
      fieldset.append(el("div", attrs, BUILDERS[key.type](field, text)));
      fields.push(field);
    }
    fieldsets.push(fieldset);
  }
  $("groups").replaceChildren(...fieldsets);
  // The page's own sections of a group (see options.html) go at the end of its fieldset.
  for (const section of document.querySelectorAll("#form > [data-group]")) {
    $(`group-${section.dataset.group}`)?.append(section);
  }
  return fields;
}

/** Hides a fieldset with nothing to show (say, no identity has settings of its own). */
export function showGroups() {
  for (const fieldset of document.querySelectorAll("#groups > fieldset")) {
    const content = [...fieldset.children].filter((child) => child.tagName !== "LEGEND" && !child.classList.contains("group-help"));
    fieldset.hidden = !content.some((child) => !child.hidden);
  }
}

/** Whether the field's value can be edited here (identities cannot). */
export function isEditable(field) {
  return field.type !== "identities";
}

// -- values ---------------------------------------------------------------------------------------

/** A number field's text as the value to hand to the core: a whole number, else the text. */
function numberValue(value) {
  const trimmed = String(value).trim();
  return /^[0-9]{1,9}$/.test(trimmed) ? Number(trimmed) : trimmed;
}

/** Whether `value` is a number the field (threshold or number) accepts: a whole number from its
 *  min (0 for a threshold) to its max. */
export function isValidNumber(field, value) {
  return Number.isInteger(value) && value >= field.min && (field.max === null || value <= field.max);
}

/** A textarea's entries (trimmed, blank lines left out) and the line each came from. */
function listValue(value) {
  const entries = [];
  const lines = [];
  String(value)
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

/** The field's value as the form holds it: `{value, lines}` (lines: a list's line numbers). */
export function readField(field) {
  switch (field.type) {
    case "threshold":
      return { value: $(`${field.name}-on`).checked ? numberValue($(field.name).value) : 0 };
    case "number":
      return { value: numberValue($(field.name).value) };
    case "switch":
      return { value: $(field.name).checked };
    case "list": {
      const { entries, lines } = listValue($(field.name).value);
      return { value: entries, lines };
    }
    default:
      return { value: undefined };
  }
}

/** Shows `value` (the policy in force) in the field. */
export function showValue(field, value, fmt) {
  switch (field.type) {
    case "threshold": {
      const on = isValidNumber(field, value) && value > 0;
      $(`${field.name}-on`).checked = on;
      $(field.name).value = on ? String(value) : field.default > 0 ? String(field.default) : "";
      break;
    }
    case "number":
      $(field.name).value = String(isValidNumber(field, value) ? value : field.default ?? "");
      break;
    case "switch":
      $(field.name).checked = typeof value === "boolean" ? value : field.default === true;
      break;
    case "list":
      $(field.name).value = Array.isArray(value) ? value.map(String).join("\n") : "";
      break;
    case "identities":
      showIdentities(field, value, fmt);
      break;
    default:
  }
}

/** `address: privateThreshold 2, hardLimit 50` per identity, the address isolated. */
function showIdentities(field, identities, fmt) {
  const entries = isPlainObject(identities) ? Object.entries(identities) : [];
  $(field.name).replaceChildren(
    ...entries.map(([address, settings]) => {
      const values = Object.entries(isPlainObject(settings) ? settings : {}).map(([k, v]) =>
        `${plainText(k)} ${typeof v === "number" ? fmt(v) : plainText(String(v))}`,
      );
      return el("li", {}, [isolated(address, "address"), `: ${values.join(", ")}`]);
    }),
  );
  $(`${field.name}-section`).hidden = entries.length === 0;
}

/** Enables the field unless `locked`; a threshold's number only while its rule is on. */
export function showEnabled(field, locked) {
  const { name } = field;
  switch (field.type) {
    case "threshold":
      $(`${name}-on`).disabled = locked;
      $(name).disabled = locked || !$(`${name}-on`).checked;
      break;
    case "number":
    case "switch":
    case "list":
      $(name).disabled = locked;
      break;
    default:
      return;
  }
  $(`${name}-locked`).hidden = !locked;
}

/** The control a user edits first: a threshold's number field, else the control itself. */
export function controlOf(field) {
  return $(field.name);
}

/**
 * Shows the field's error: `lines`, each a string or parts (outside text isolated), one per line;
 * none clears it.
 */
export function setError(field, lines) {
  const control = $(field.name);
  const error = $(`${field.name}-error`);
  if (!error || !control) return;
  if (lines && lines.length > 0) {
    control.setAttribute("aria-invalid", "true");
    setParts(
      error,
      lines.flatMap((line, i) => [...(i > 0 ? ["\n"] : []), ...(typeof line === "string" ? [line] : line)]),
    );
    error.hidden = false;
  } else {
    control.removeAttribute("aria-invalid");
    error.replaceChildren();
    error.hidden = true;
  }
}

