// CcGuard settings: storage.local key "policy" holds what the user chose, storage.managed
// what an admin set (managed.js layers one over the other). Read on every send, so a change
// applies to the next send. The core decides what each key means and refuses bad values key
// by key (guard.effectivePolicy).

import { defaults, effectivePolicy, withTimeout } from "./guard.js";
import { attribute, canonicalKey, layer } from "./managed.js";

const api = globalThis.messenger ?? globalThis.browser;

export const STORAGE_KEY = "policy";
export const MAX_THRESHOLD = 100000;
const STORAGE_TIMEOUT_MS = 3000;

function isPlainObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** The stored settings as they are (other versions' keys kept), or {}. */
export async function readStored() {
  const result = await withTimeout(
    api.storage.local.get(STORAGE_KEY),
    STORAGE_TIMEOUT_MS,
    "reading the CcGuard settings",
  );
  const stored = result?.[STORAGE_KEY];
  return isPlainObject(stored) ? stored : {};
}

/**
 * The admin's settings, or {} when there are none. Thunderbird rejects storage.managed.get
 * when no enterprise policy names CcGuard; that is the normal case, not an error.
 */
export async function readManaged() {
  try {
    const managed = await withTimeout(api.storage.managed.get(), STORAGE_TIMEOUT_MS, "reading the managed settings");
    return isPlainObject(managed) ? managed : {};
  } catch (error) {
    return {};
  }
}

/**
 * Everything the options page shows: `{policy, defaults, managed, locked, rejected}`, where
 * `rejected[i].managed` says whether the refused value was the admin's. Never throws:
 * unreadable storage means the defaults.
 */
export async function getPolicyState() {
  let stored = {};
  try {
    stored = await readStored();
  } catch (error) {
    console.error("CcGuard: could not read the settings, using the defaults:", error);
  }
  const [managedSettings, base] = await Promise.all([readManaged(), defaults()]);
  const layered = layer(stored, managedSettings, Object.keys(base));
  const { policy, rejected } = await effectivePolicy(layered.settings);
  return {
    policy,
    defaults: base,
    managed: layered.managed,
    locked: layered.locked,
    rejected: [...layered.problems, ...attribute(rejected, layered.managed)],
  };
}

/** The policy in force. Never throws. */
export async function getPolicy() {
  const { policy, rejected } = await getPolicyState();
  if (rejected.length > 0) {
    console.warn("CcGuard: settings refused, their defaults apply:", rejected);
  }
  return policy;
}

/** Refuses to change what the organisation set or locked. */
async function assertUnlocked(key) {
  const { locked } = await getPolicyState();
  if (locked.includes(canonicalKey(key))) {
    throw new Error(`${key} is set by your organisation`);
  }
}

/** Saves the external threshold, keeping every other stored key. */
export async function saveThreshold(threshold) {
  if (!Number.isInteger(threshold) || threshold < 0 || threshold > MAX_THRESHOLD) {
    throw new RangeError(`threshold must be a whole number from 0 to ${MAX_THRESHOLD}`);
  }
  await assertUnlocked("externalThreshold");
  const stored = { ...(await readStored()) };
  delete stored.threshold; // version 1's name for it
  await api.storage.local.set({ [STORAGE_KEY]: { ...stored, externalThreshold: threshold } });
}

/** Forgets the stored external threshold (the default applies again), keeping other keys. */
export async function resetThreshold() {
  await assertUnlocked("externalThreshold");
  const stored = { ...(await readStored()) };
  delete stored.externalThreshold;
  delete stored.threshold; // version 1's name for it
  await api.storage.local.set({ [STORAGE_KEY]: stored });
}
