// CcGuard managed settings: an admin's values (Thunderbird enterprise policies,
// policies.json → 3rdparty.Extensions["ccguard@ccguard.org"], read through
// storage.managed) layered over the user's (storage.local).
//
// Every key the admin sets wins and cannot be changed by the user; `locked` (a list of
// key names, or true for all) freezes more keys at CcGuard's default. The layering only
// chooses which value each key gets: the core then reads the result key by key, so a
// malformed admin value falls back to the key's safe default (never to the user's value,
// which was left out) and is reported as the admin's.

import { isPlainObject } from "./util.js";

export const LOCKED = "locked";

/** Version 1's `threshold` is `externalThreshold`. */
export function canonicalKey(key) {
  return key === "threshold" ? "externalThreshold" : key;
}

/** The setting a refusal is about: `internalDomains[2]` and `identities.a@b.hardLimit` are
 *  about `internalDomains` and `identities`. */
export function baseKey(key) {
  return canonicalKey(String(key).split(/[[.]/)[0]);
}

/**
 * `keys` are the settings CcGuard knows (the keys of the core's default policy).
 * Returns `{settings, managed, locked, problems}`: the one settings object to hand to the
 * core, the keys the admin set, the keys the user cannot change, and what in the admin's
 * `locked` could not be used, as `{key, value, reason: {code}, managed: true}` like the core's
 * refusals: `not-an-object` (the managed settings as a whole), `not-a-lock` (`locked` is neither
 * true nor a list), `not-a-key-name` (an entry of `locked` names no setting).
 */
export function layer(user, managedSettings, keys) {
  const admin = isPlainObject(managedSettings) ? managedSettings : {};
  const problems = [];
  if (managedSettings !== undefined && managedSettings !== null && !isPlainObject(managedSettings)) {
    problems.push({ key: "", value: String(managedSettings), reason: { code: "not-an-object" }, managed: true });
  }
  const managed = [];
  for (const key of Object.keys(admin).map(canonicalKey)) {
    if (keys.includes(key) && !managed.includes(key)) managed.push(key);
  }
  const locked = [...managed];
  // Windows GPO and macOS profiles hand booleans over as 1 and 0.
  const lock = admin[LOCKED] === 1 ? true : admin[LOCKED] === 0 ? false : admin[LOCKED];
  if (lock === true) {
    for (const key of keys) if (!locked.includes(key)) locked.push(key);
  } else if (Array.isArray(lock)) {
    lock.forEach((name, i) => {
      const key = typeof name === "string" ? canonicalKey(name) : null;
      if (key !== null && keys.includes(key)) {
        if (!locked.includes(key)) locked.push(key);
      } else {
        problems.push({ key: `${LOCKED}[${i}]`, value: JSON.stringify(name) ?? String(name), reason: { code: "not-a-key-name" }, managed: true });
      }
    });
  } else if (lock !== undefined && lock !== false) {
    problems.push({ key: LOCKED, value: JSON.stringify(lock) ?? String(lock), reason: { code: "not-a-lock" }, managed: true });
  }
  const settings = {};
  for (const [key, value] of Object.entries(isPlainObject(user) ? user : {})) {
    if (!locked.includes(canonicalKey(key))) settings[key] = value;
  }
  for (const [key, value] of Object.entries(admin)) {
    if (key !== LOCKED) settings[key] = value;
  }
  return { settings, managed, locked, problems };
}

/** Marks each of the core's refusals as the admin's when it is about a managed key. */
export function attribute(rejected, managed) {
  return rejected.map((r) => ({ ...r, managed: managed.includes(baseKey(r.key)) }));
}
