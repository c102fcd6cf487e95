// CcGuard options: why the core refused a setting, in the user's language.
//
// readPolicy() refuses a value key by key with `{key, value, reason}`, `reason` being a code with
// its numbers (docs/architecture.md): `{code: "not-a-threshold", max: 100000}`. Each code is
// worded here; a code this version does not know gets a general sentence. A reason that is plain
// text (not from the core) is shown as it is.

import { isPlainObject, has } from "../util.js";

const REFUSALS = {
  "not-an-object": "refusalNotAnObject",
  "not-a-switch": "refusalNotASwitch",
  "not-a-list": "refusalNotAList",
  "not-a-string": "refusalNotAString",
  "not-a-domain-pattern": "refusalNotADomainPattern",
  "not-a-domain": "refusalNotADomain",
  "not-an-address": "refusalNotAnAddress",
  empty: "refusalEmpty",
  "not-identities": "refusalNotIdentities",
  "not-an-identity-address": "refusalNotAnIdentityAddress",
  "not-identity-settings": "refusalNotIdentitySettings",
  "not-a-key-name": "refusalNotAKeyName",
  "not-a-lock": "refusalNotALock",
};

/** `refusal(reason)`: the sentence for a refusal's reason, with `msg` and the number format `fmt`. */
export function makeRefusals(msg, fmt, listFormat) {
  return function refusal(reason) {
    if (typeof reason === "string") return reason;
    if (!isPlainObject(reason)) return msg("refusalUnknown");
    const max = Number.isInteger(reason.max) && reason.max >= 0 ? fmt(reason.max) : null;
    switch (reason.code) {
      case "not-a-threshold":
        return max === null ? msg("refusalUnknown") : msg("refusalNotAThreshold", [max]);
      case "not-a-number": {
        const min = Number.isInteger(reason.min) && reason.min >= 0 ? fmt(reason.min) : null;
        return min === null || max === null ? msg("refusalUnknown") : msg("refusalNotANumber", [min, max]);
      }
      case "too-many":
        return max === null ? msg("refusalUnknown") : msg("refusalTooMany", [max]);
      case "not-a-role": {
        const choices = Array.isArray(reason.choices) ? reason.choices.filter((c) => typeof c === "string") : [];
        return choices.length > 0 ? msg("refusalNotARole", [listFormat(choices)]) : msg("refusalUnknown");
      }
      default:
        return msg(has(REFUSALS, reason.code) ? REFUSALS[reason.code] : "refusalUnknown");
    }
  };
}
