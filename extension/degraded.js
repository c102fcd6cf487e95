// CcGuard degraded mode: the verdict when the core cannot judge (its WASM or table did not load,
// a call threw). It must hold what the core would hold, so it errs on the side of warning: it
// counts To and Cc entries roughly, warns from the smallest threshold in force, treats any pill
// that may be an address-book list as "could be many", and keeps the hard limit a hard limit. A
// forward's header goes to every recipient, so its people and all recipients count together.
// Everything here is plain JavaScript: nothing may depend on the core that just failed.

import { mayBeList, parsePill } from "./lists.js";
import { addressKey, isPlainObject } from "./util.js";

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

/** The entries of `settings.identities` the core reads: the first `max` of the key table (an
 *  entry past them must not loosen degraded mode). The last-resort table has no such key: none. */
function identityEntries(settings, table) {
  const identities = isPlainObject(settings) && isPlainObject(settings.identities) ? settings.identities : {};
  const key = (Array.isArray(table?.keys) ? table.keys : []).find((k) => k?.name === "identities");
  return Object.entries(identities).slice(0, Number.isInteger(key?.max) ? key.max : 0);
}

/** What `settings.identities` says of the sending address (the later entry wins, as in the core). */
function identitySettings(settings, table, sender) {
  let found = null;
  if (sender) {
    for (const [address, value] of identityEntries(settings, table)) {
      if (addressKey(address) === sender && isPlainObject(value)) found = value;
    }
  }
  return found;
}

/** The smaller of two thresholds where 0 or null means off. */
function stricter(a, b) {
  if (!a) return b;
  if (!b) return a;
  return Math.min(a, b);
}

/**
 * `{warnFrom, hardLimit}` in force when the sending address cannot be read: the strictest of the
 * general settings and every identity's, since any of them may be the one sending.
 */
function strictestInForce(settings, table) {
  let t = thresholdsInForce(settings, table, "");
  for (const [address] of identityEntries(settings, table)) {
    const own = thresholdsInForce(settings, table, addressKey(address));
    t = { warnFrom: stricter(t.warnFrom, own.warnFrom), hardLimit: stricter(t.hardLimit, own.hardLimit) };
  }
  return t;
}

/**
 * `{warnFrom, hardLimit}` in force for the identity `sender` (a lower-case address or ""):
 * `warnFrom` the smallest enabled rule threshold (null when every rule is off), `hardLimit`
 * 0 when off. A "personal" role is not applied: it would only loosen.
 */
export function thresholdsInForce(settings, table, sender) {
  const t = readThresholds(settings, table).values;
  const own = identitySettings(settings, table, sender);
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

/** The comparable address of a pill or typed text (util.addressKey: IDN domains in ASCII). */
function addressOf(text) {
  return addressKey(parsePill(text)?.address ?? text);
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

/** Compose types that carry the related message's header to every recipient (core: forward.rs). */
const CARRIES_HEADER = new Set(["forward", "redirect"]);

/** The entries of a forward's header (`related`: {author, to, cc}, as thread.js reads it), the
 *  user's own left out; 0 for anything else. */
function headerCount(details, related, own) {
  if (!CARRIES_HEADER.has(details?.type) || !isPlainObject(related)) return 0;
  return roughCount([related.author, ...entries(related.to), ...entries(related.cc)].filter((e) => typeof e === "string"), own);
}

/** What a To/Cc entry that is not text is called in the window: it may stand for anyone. */
function unreadableName(entry) {
  return describe(entry).slice(0, 80);
}

/** The names of the To/Cc pills that may be address-book lists, each once. An entry that is not
 *  text (Thunderbird hands over strings; anything else is unknown) could be many people too. */
function possibleLists(details) {
  const names = [];
  for (const entry of [...entries(details?.to), ...entries(details?.cc)]) {
    const name = typeof entry !== "string" ? unreadableName(entry) : mayBeList(entry) ? parsePill(entry)?.name ?? entry : null;
    if (name !== null && !names.includes(name)) names.push(name);
  }
  return names;
}

/** The people a list pill stands for, nested lists followed once each, or null when some list in
 *  it could not be read. `byRef` maps each list's ref to lists.listsOf's entry. */
function listSize(ref, byRef) {
  const people = new Set();
  const seen = new Set([ref]);
  const queue = [ref];
  while (queue.length > 0) {
    const members = byRef.get(queue.shift())?.members;
    if (!Array.isArray(members)) return null;
    for (const member of members) {
      if (typeof member !== "string") return null;
      if (!byRef.has(member)) {
        people.add(addressOf(member));
      } else if (!seen.has(member)) {
        seen.add(member);
        queue.push(member);
      }
    }
  }
  return people.size;
}

/**
 * The visible people as the hard limit counts them: each list pill as the people in it, from
 * `expanded` (lists.listsOf's answer, or undefined when it was not read). null when that cannot be
 * known (a pill may be a list whose members are unknown, or an entry is not text): above a hard
 * limit, that is refused rather than guessed.
 */
function countForHardLimit(details, visible, expanded) {
  const shown = [...entries(details?.to), ...entries(details?.cc)];
  if (shown.some((entry) => typeof entry !== "string")) return null;
  if (!Array.isArray(expanded)) return possibleLists(details).length > 0 ? null : visible;
  const byRef = new Map(expanded.filter(isPlainObject).map((list) => [list.ref, list]));
  let total = visible;
  for (const entry of new Set(shown)) {
    if (!byRef.has(entry)) continue;
    const size = listSize(entry, byRef);
    if (size === null) return null;
    total += size - 1;
  }
  return total;
}

/**
 * The degraded verdict for `details` (compose.onBeforeSend's) under `settings` (the user's and
 * the admin's, layered), `keys` (the policy's key table, or core.LAST_RESORT_KEYS), `own` (the
 * user's lower-case addresses), `reason` ({code, detail}, see degradedReason) and `expanded` (the
 * lists among the recipients as lists.listsOf found them; without it, a hard limit refuses any
 * pill that may be a list). Never offers a rewrite: without the core nobody can say where each
 * recipient should go. `related` is the header of the message a forward carries, or null.
 */
export function degradedVerdict({ details, settings, keys, own = [], reason, expanded, related = null }) {
  const from = details?.from;
  const { warnFrom, hardLimit } =
    from === undefined || from === null || typeof from === "string"
      ? thresholdsInForce(settings, keys, typeof from === "string" ? addressOf(from) : "")
      : strictestInForce(settings, keys);
  const ownSet = new Set(own);
  const to = roughCount(details?.to, ownSet);
  const cc = roughCount(details?.cc, ownSet);
  const bcc = roughCount(details?.bcc, ownSet);
  const visible = to + cc;
  const header = headerCount(details, related, ownSet);
  // Everyone a forward goes to sees its header's people: all of them count, an overcount at worst.
  const exposed = header > 0 ? visible + bcc + header : visible;
  const lists = possibleLists(details);
  const limitCount = hardLimit > 0 ? countForHardLimit(details, visible, expanded) : visible;
  const blocked = hardLimit > 0 && (limitCount === null || limitCount > hardLimit);
  const warn = blocked || lists.length > 0 || (warnFrom !== null && exposed >= warnFrom);
  return {
    action: warn ? "warn" : "allow",
    blocked,
    degraded: reason ?? { code: "unknown", detail: "" },
    threshold: warnFrom,
    hardLimit,
    lists,
    counts: { visible, to, cc, bcc },
    forwarded: header > 0 ? { shown: header, bccCannotHide: false } : null,
    rules: [],
    domains: [],
    visible: [],
    problems: [],
    mixed: false,
  };
}
