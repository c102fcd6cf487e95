// CcGuard degraded mode: the verdict when the core cannot judge (its WASM or table did not load,
// a call threw). It must hold what the core would hold, so it errs on the side of warning: it
// counts To and Cc entries roughly, warns from the smallest threshold in force, treats any pill
// that may be an address-book list as "could be many", and keeps the hard limit a hard limit.
// Everything here is plain JavaScript: nothing may depend on the core that just failed.

import { mayBeList, parsePill } from "./lists.js";
import { isPlainObject } from "./util.js";

/** Why the core could not judge; the warning window words each code. */
const CODES = new Set(["wasm-load", "wasm-crash", "bad-message", "timeout"]);

/** The hard limit's key; every other threshold key is a rule's "warn from". */
const HARD_LIMIT = "hardLimit";
/** Version 1's name of externalThreshold, still read (as the core does). */
const LEGACY_THRESHOLD = "threshold";
/** A sensitive identity's rules warn from 2 people in the core (policy/role.rs); degraded mode
 *  cannot tell colleagues from others, so it takes that smallest number for every rule. */
const SENSITIVE_WARN_FROM = 2;

/** `{code, detail}` of an error of the core: its code when it is one the window knows. */
export function degradedReason(error) {
  const raw = typeof error?.code === "string" ? error.code : "";
  let code = "unknown";
  if (typeof WebAssembly !== "undefined" && error instanceof WebAssembly.RuntimeError) code = "wasm-crash";
  else if (CODES.has(raw) || raw.startsWith("table-")) code = raw;
  let detail = "";
  try {
    detail = String(error?.message ?? error ?? "");
  } catch (ignored) {
    // An error whose message cannot be read still has its code.
  }
  return { code, detail };
}

function isThreshold(value, max) {
  return Number.isInteger(value) && value >= 0 && value <= max;
}

function thresholdKeys(table) {
  return (Array.isArray(table?.keys) ? table.keys : []).filter((k) => k?.type === "threshold");
}

/**
 * The threshold keys of `settings`, read key by key like the core reads them: a valid value
 * (a whole number from 0 to the key's max) or the key's default. `rejected` has the core's shape.
 */
export function readThresholds(settings, table) {
  const s = isPlainObject(settings) ? settings : {};
  const values = {};
  const rejected = [];
  for (const key of thresholdKeys(table)) {
    const legacy = key.name === "externalThreshold" && !(key.name in s) && LEGACY_THRESHOLD in s;
    const name = legacy ? LEGACY_THRESHOLD : key.name;
    if (!(name in s)) {
      values[key.name] = key.default;
    } else if (isThreshold(s[name], key.max)) {
      values[key.name] = s[name];
    } else {
      values[key.name] = key.default;
      rejected.push({ key: name, value: describe(s[name]), reason: { code: "not-a-threshold", max: key.max } });
    }
  }
  return { values, rejected };
}

function describe(value) {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch (error) {
    return String(value);
  }
}

/** What `settings.identities` says of the sending address (the later entry wins, as in the core). */
function identitySettings(identities, sender) {
  let found = null;
  if (sender && isPlainObject(identities)) {
    for (const [address, value] of Object.entries(identities)) {
      if (address.trim().toLowerCase() === sender && isPlainObject(value)) found = value;
    }
  }
  return found;
}

/**
 * `{warnFrom, hardLimit}` in force for the identity `sender` (a lower-case address or ""):
 * `warnFrom` the smallest enabled rule threshold (null when every rule is off), `hardLimit`
 * 0 when off. A "personal" role is not applied: it would only loosen.
 */
export function thresholdsInForce(settings, table, sender) {
  const t = readThresholds(settings, table).values;
  const own = identitySettings(isPlainObject(settings) ? settings.identities : undefined, sender);
  if (own?.role === "sensitive") {
    for (const name of Object.keys(t)) {
      if (name !== HARD_LIMIT) t[name] = t[name] === 0 ? SENSITIVE_WARN_FROM : Math.min(t[name], SENSITIVE_WARN_FROM);
    }
  }
  for (const key of thresholdKeys(table)) {
    if (own && key.perIdentity && isThreshold(own[key.name], key.max)) t[key.name] = own[key.name];
  }
  const enabled = Object.entries(t).filter(([name, value]) => name !== HARD_LIMIT && value > 0).map(([, v]) => v);
  return { warnFrom: enabled.length > 0 ? Math.min(...enabled) : null, hardLimit: t[HARD_LIMIT] ?? 0 };
}

function entries(value) {
  return Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
}

function addressOf(text) {
  return (parsePill(text)?.address ?? text).trim().toLowerCase();
}

/**
 * The entries of a recipient field, without the core: one per pill, and a pasted string holding
 * several addresses once per comma (a comma inside a quoted name only over-counts). The user's
 * own addresses are left out, as the core leaves them out.
 */
function roughCount(value, own) {
  let total = 0;
  for (const entry of entries(value)) {
    if (typeof entry !== "string") {
      total += 1;
      continue;
    }
    for (const piece of entry.split(",")) {
      if (piece.trim() !== "" && !own.has(addressOf(piece))) total += 1;
    }
  }
  return total;
}

/** The names of the To/Cc pills that may be address-book lists, each once. */
function possibleLists(details) {
  const names = [];
  for (const entry of [...entries(details?.to), ...entries(details?.cc)]) {
    if (typeof entry !== "string" || !mayBeList(entry)) continue;
    const name = parsePill(entry)?.name ?? entry;
    if (!names.includes(name)) names.push(name);
  }
  return names;
}

/**
 * The degraded verdict for `details` (compose.onBeforeSend's) under `settings` (the user's and
 * the admin's, layered), `keys` (the policy's key table, or core.LAST_RESORT_KEYS), `own` (the
 * user's lower-case addresses) and `reason` ({code, detail}, see degradedReason). Never offers a
 * rewrite: without the core nobody can say where each recipient should go.
 */
export function degradedVerdict({ details, settings, keys, own = [], reason }) {
  const sender = typeof details?.from === "string" ? addressOf(details.from) : "";
  const { warnFrom, hardLimit } = thresholdsInForce(settings, keys, sender);
  const ownSet = new Set(own);
  const to = roughCount(details?.to, ownSet);
  const cc = roughCount(details?.cc, ownSet);
  const bcc = roughCount(details?.bcc, ownSet);
  const visible = to + cc;
  const lists = possibleLists(details);
  const blocked = hardLimit > 0 && visible > hardLimit;
  const warn = blocked || lists.length > 0 || (warnFrom !== null && visible >= warnFrom);
  return {
    action: warn ? "warn" : "allow",
    blocked,
    degraded: reason ?? { code: "unknown", detail: "" },
    threshold: warnFrom,
    hardLimit,
    lists,
    counts: { visible, to, cc, bcc },
    rules: [],
    domains: [],
    visible: [],
    problems: [],
    mixed: false,
  };
}
