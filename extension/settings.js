// CcGuard settings: storage.local key "policy" holds what the user chose, storage.managed
// what an admin set (managed.js layers one over the other). Read on every send, so a change
// applies to the next send. The core decides what each key means and refuses bad values key
// by key (guard.effectivePolicy); without the core, degraded mode reads the same layers.

import { defaults, policyKeys } from "./core.js";
import { effectivePolicy } from "./guard.js";
import { attribute, canonicalKey, layer } from "./managed.js";
import { addressKey, api, isPlainObject, withTimeout } from "./util.js";
import { storeWrite } from "./writes.js";

// The options page builds its form from the key table (wasm/policy-keys.json), read once.
export { policyKeys };

export const STORAGE_KEY = "policy";
/** The largest threshold of every threshold key (the core's MAX_THRESHOLD, policy/keys.rs). */
export const MAX_THRESHOLD = 100000;
const STORAGE_TIMEOUT_MS = 3000;

/** The stored settings as they are (other versions' keys kept), or {}. */
export async function readStored() {
  const result = await withTimeout(
    api().storage.local.get(STORAGE_KEY),
    STORAGE_TIMEOUT_MS,
    "reading the CcGuard settings",
  );
  const stored = result?.[STORAGE_KEY];
  return isPlainObject(stored) ? stored : {};
}

/** What storage.managed.get rejects with when no enterprise policy names CcGuard: the normal
 *  case, not a failure. */
const NO_MANAGED_POLICY = /manifest not found/i;

/** Where the admin's settings last read are kept (storage.local), for when they cannot be read:
 *  a managed storage that fails at start-up must not hand the user's values the admin's place. */
const LAST_MANAGED_KEY = "managedLast";
/** What was last written there by this page, to write only a change. */
let lastManagedText = null;

async function keepManaged(managed) {
  const text = JSON.stringify(managed);
  if (text === lastManagedText) return;
  try {
    await api().storage.local.set({ [LAST_MANAGED_KEY]: managed });
    lastManagedText = text;
  } catch (error) {
    console.error("CcGuard: could not keep the managed settings last read:", error);
  }
}

async function lastManaged() {
  try {
    const result = await withTimeout(api().storage.local.get(LAST_MANAGED_KEY), STORAGE_TIMEOUT_MS, "reading the managed settings last read");
    return isPlainObject(result?.[LAST_MANAGED_KEY]) ? result[LAST_MANAGED_KEY] : {};
  } catch (error) {
    return {};
  }
}

/** `{managed, ok}`: the admin's settings ({} when there are none) and whether they were read
 *  (false: storage failed or timed out; `managed` is then what was last read, if anything). */
async function readManagedLayer() {
  try {
    const read = await withTimeout(api().storage.managed.get(), STORAGE_TIMEOUT_MS, "reading the managed settings");
    const managed = isPlainObject(read) ? read : {};
    keepManaged(managed); // not awaited: a send never waits for it
    return { managed, ok: true };
  } catch (error) {
    const none = NO_MANAGED_POLICY.test(String(error?.message ?? ""));
    if (none) {
      keepManaged({});
      return { managed: {}, ok: true };
    }
    console.error("CcGuard: could not read the managed settings, using those last read:", error);
    return { managed: await lastManaged(), ok: false };
  }
}

/** The admin's settings, or {} when there are none (or they cannot be read). */
export async function readManaged() {
  return (await readManagedLayer()).managed;
}

/**
 * What the policy is made of: `{stored, managedSettings, base, complete}`, the user's settings,
 * the admin's, the defaults (core.defaults), and whether both layers were read (false: a layer
 * that could not be read stands as {}). Never throws.
 */
export async function readLayers() {
  let stored = {};
  let complete = true;
  try {
    stored = await readStored();
  } catch (error) {
    complete = false;
    console.error("CcGuard: could not read the settings:", error);
  }
  const [{ managed, ok }, base] = await Promise.all([readManagedLayer(), defaults()]);
  return { stored, managedSettings: managed, base, complete: complete && ok };
}

async function layered() {
  const { stored, managedSettings, base, complete } = await readLayers();
  return { base, complete, ...layer(stored, managedSettings, Object.keys(base)) };
}

/** The settings in force as last read, and for which `messenger` (a new one is a new world:
 *  the unit tests install one per test). */
let inForce = null; // {api, promise}
/** The last settings read whole: what a send is judged by while storage cannot be read, so that
 *  a slow or failing read never loosens the user's or the admin's thresholds to the defaults. */
let lastWhole = null; // {api, settings}

/** Saving on the options page, or an admin's policy changing, reaches the background as
 *  storage.onChanged: the next send reads the settings again. Without a change, an allowed send
 *  costs no storage round trip at all. */
const watched = new WeakSet();

function watchedBy(messenger) {
  if (messenger && typeof messenger === "object" && !watched.has(messenger)) {
    watched.add(messenger);
    watchChanges(messenger);
  }
}

function watchChanges(messenger) {
  try {
    messenger?.storage?.onChanged?.addListener((changes, area) => {
      if (area === "managed" || (area === "local" && changes?.[STORAGE_KEY])) inForce = null;
    });
  } catch (error) {
    // Not in an extension page: nothing announces changes, and nothing is kept.
  }
}

/**
 * The one settings object in force — the admin's keys over the user's, locked keys left to their
 * defaults — as the core (or degraded mode, without it) reads it on every send. Read once and
 * kept until storage says it changed. A read that failed in part is never kept (the next send
 * reads again) and gives way to the last settings read whole, if any. Never throws.
 */
export async function settingsInForce() {
  const messenger = api();
  if (inForce?.api !== messenger) {
    watchedBy(messenger);
    const promise = layered();
    inForce = { api: messenger, promise };
    const forget = () => {
      if (inForce?.promise === promise) inForce = null;
    };
    promise.then((l) => l.complete || forget(), forget);
  }
  try {
    const { settings, complete } = await inForce.promise;
    if (complete) {
      lastWhole = { api: messenger, settings };
    } else if (lastWhole?.api === messenger) {
      console.warn("CcGuard: judging with the settings last read, storage could not be read now");
      return structuredClone(lastWhole.settings);
    }
    return structuredClone(settings);
  } catch (error) {
    console.error("CcGuard: could not layer the settings, using the defaults:", error);
    return lastWhole?.api === messenger ? structuredClone(lastWhole.settings) : {};
  }
}

/**
 * Everything the options page shows: `{policy, defaults, managed, locked, rejected}`, where
 * `rejected` lists `{key, value, reason: {code, …}, managed}` (the core's refusals, then what in
 * the admin's `locked` could not be used) and `managed` says whether the value was the admin's.
 * Never throws: unreadable storage means the defaults.
 */
export async function getPolicyState() {
  const { base, settings, managed, locked, problems } = await layered();
  const { policy, rejected } = await effectivePolicy(settings);
  return {
    policy,
    defaults: base,
    managed,
    locked,
    rejected: [...problems, ...attribute(rejected, managed)],
  };
}

/** The keys the user cannot change now: what the organisation set or locked. */
async function lockedKeys() {
  const [managedSettings, base] = await Promise.all([readManaged(), defaults()]);
  return layer({}, managedSettings, Object.keys(base)).locked;
}

function sameValue(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The next send reads what was saved, without waiting for storage.onChanged. */
function forgetInForce() {
  inForce = null;
}

/**
 * Saves the settings edited on the options page. `values` holds the settings to change (the
 * page sends those the user changed). Stored are exactly the keys the user set: a key already
 * stored keeps being stored (with its new value), a key not stored is added only when it
 * differs from its default. Keys the organisation set or locked are never written, and keys
 * this version does not know (a newer version's) are kept as they are.
 */
export const savePolicy = storeWrite("settings.save", (values) => writePolicy(values), forgetInForce);

async function writePolicy(values) {
  const [locked, base, stored] = await Promise.all([lockedKeys(), defaults(), readStored()]);
  const next = { ...stored };
  for (const [key, value] of Object.entries(values ?? {})) {
    const canonical = canonicalKey(key);
    if (locked.includes(canonical) || !(canonical in base)) continue;
    const had = canonical in stored || (canonical === "externalThreshold" && "threshold" in stored);
    if (had || !sameValue(value, base[canonical])) {
      next[canonical] = value;
      if (canonical === "externalThreshold") delete next.threshold; // version 1's name for it
    }
  }
  await api().storage.local.set({ [STORAGE_KEY]: next });
  return next;
}

/** `settings` with `identities.<email>.role` set to `role`, everything else kept. */
export function withRole(settings, email, role) {
  const identities = isPlainObject(settings?.identities) ? { ...settings.identities } : {};
  const wanted = addressKey(email);
  const key = Object.keys(identities).find((k) => addressKey(k) === wanted) ?? wanted;
  identities[key] = { ...(isPlainObject(identities[key]) ? identities[key] : {}), role };
  return { ...settings, identities };
}

/** The answers to "What do you use this address for?": the choices of the identity key `role`
 *  in the core's key table (policy/keys.rs). */
export async function roleAnswers() {
  const table = await policyKeys();
  const role = (Array.isArray(table?.identityKeys) ? table.identityKeys : []).find((k) => k?.name === "role");
  return Array.isArray(role?.choices) ? role.choices.filter((c) => typeof c === "string") : [];
}

/** Whether the user may answer "What do you use this address for?": not when the organisation
 *  set or locked `identities` (it answered for the user). */
export async function canAnswerRoles() {
  return !(await lockedKeys()).includes("identities");
}

/** Saves the answer to "What do you use this address for?" for `email`. */
export const saveRole = storeWrite(
  "settings.role",
  async (email, role) => {
    const stored = await readStored();
    return writePolicy({ identities: withRole(stored, email, role).identities });
  },
  forgetInForce,
);

/** What Reset keeps: the answers to "What do you use this address for?" (`identities`), which the
 *  page's own section changes, not its form; forgetting a "sensitive" would loosen unasked. */
const KEPT_BY_RESET = ["identities"];

/**
 * Reset to defaults: forgets every setting the user stored that this version knows, except
 * those the organisation set or locked (the admin's values are not in storage.local and stay
 * in force) and the role answers (KEPT_BY_RESET). Keys of newer versions are kept.
 */
export const resetPolicy = storeWrite(
  "settings.reset",
  async () => {
    const [locked, base, stored] = await Promise.all([lockedKeys(), defaults(), readStored()]);
    const next = { ...stored };
    for (const key of Object.keys(stored)) {
      const canonical = canonicalKey(key);
      if (canonical in base && !locked.includes(canonical) && !KEPT_BY_RESET.includes(canonical)) delete next[key];
    }
    await api().storage.local.set({ [STORAGE_KEY]: next });
    return next;
  },
  forgetInForce,
);
