// CcGuard settings: storage.local key "policy" holds what the user chose. Read on every
// send, so a change in the options page applies to the next send. The core decides what
// each key means and refuses bad values key by key (guard.effectivePolicy).

import { effectivePolicy, withTimeout } from "./guard.js";

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

/** The policy in force. Never throws: unreadable storage means the defaults. */
export async function getPolicy() {
  let stored = {};
  try {
    stored = await readStored();
  } catch (error) {
    console.error("CcGuard: could not read the settings, using the defaults:", error);
  }
  const { policy, rejected } = await effectivePolicy(stored);
  if (rejected.length > 0) {
    console.warn("CcGuard: settings refused, their defaults apply:", rejected);
  }
  return policy;
}

/** Saves the external threshold, keeping every other stored key. */
export async function saveThreshold(threshold) {
  if (!Number.isInteger(threshold) || threshold < 0 || threshold > MAX_THRESHOLD) {
    throw new RangeError(`threshold must be a whole number from 0 to ${MAX_THRESHOLD}`);
  }
  const { threshold: legacy, ...stored } = await readStored();
  await api.storage.local.set({ [STORAGE_KEY]: { ...stored, externalThreshold: threshold } });
}

/** Forgets the stored external threshold (the default applies again), keeping other keys. */
export async function resetThreshold() {
  const stored = { ...(await readStored()) };
  delete stored.externalThreshold;
  delete stored.threshold; // version 1's name for it
  await api.storage.local.set({ [STORAGE_KEY]: stored });
}
