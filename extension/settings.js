// CcGuard settings: the policy is defaultPolicy() overlaid with storage.local key "policy".
// Read on every send, so a change in the options page applies to the next send.

import { defaults, withTimeout } from "./guard.js";

const api = globalThis.messenger ?? globalThis.browser;

export const STORAGE_KEY = "policy";
export const MIN_THRESHOLD = 0;
export const MAX_THRESHOLD = 100000;
const STORAGE_TIMEOUT_MS = 3000;

export function isValidThreshold(value) {
  return Number.isInteger(value) && value >= MIN_THRESHOLD && value <= MAX_THRESHOLD;
}

function isPlainObject(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** The stored policy object as it is (other versions' keys kept), or {}. */
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
 * The effective policy. A stored threshold that is not an integer 0..100000 is ignored
 * (the default applies) rather than breaking the check. Never throws: unreadable storage
 * means the defaults.
 */
export async function getPolicy() {
  const base = await defaults();
  let stored = {};
  try {
    stored = await readStored();
  } catch (error) {
    console.error("CcGuard: could not read the settings, using the defaults:", error);
  }
  const policy = { ...base, ...stored };
  delete policy.fallback;
  if (!isValidThreshold(policy.threshold)) {
    policy.threshold = base.threshold;
  }
  return policy;
}

/** Saves the threshold, keeping every other stored key. */
export async function saveThreshold(threshold) {
  if (!isValidThreshold(threshold)) {
    throw new RangeError(`threshold must be an integer from ${MIN_THRESHOLD} to ${MAX_THRESHOLD}`);
  }
  const stored = await readStored();
  await api.storage.local.set({ [STORAGE_KEY]: { ...stored, threshold } });
}

/** Forgets the stored threshold (the default applies again), keeping other stored keys. */
export async function resetThreshold() {
  const stored = { ...(await readStored()) };
  delete stored.threshold;
  await api.storage.local.set({ [STORAGE_KEY]: stored });
}
