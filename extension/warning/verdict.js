// CcGuard warning window: the verdict as the window may rely on it.
//
// The background hands over the core's verdict (docs/architecture.md) plus what it decided
// (canMoveToBcc, canMoveExternalToBcc, canRemember, canSendSeparately, blocked), or a degraded verdict when the
// core could not judge. Any field may be missing, of another type, or too long: readVerdict()
// returns one object in which every field has its type, every count is a whole number >= 0
// or null (unknown), every list is capped, and every piece of outside text (names, addresses,
// list names, domains, unparsed input) is a string without controls or bidi characters.

import { isPlainObject, plainText } from "../util.js";

/** The core sends at most this many of each; more would only come from a broken verdict. */
export const MAX_RECIPIENTS = 100;
export const MAX_DOMAINS = 50;
export const MAX_LISTS = 50;
export const MAX_RULES = 10;
export const MAX_PROBLEMS = 20;
/** Outside text longer than this is cut (a display name of 1 MB must not freeze the window). */
const MAX_TEXT = 500;

export const KINDS = ["internal", "external", "private"];
export const FIELDS = ["to", "cc", "bcc"];
export const THREADS = ["outside", "inside"];

/** A count: a finite number >= 0, rounded down; else null. */
export function count(value) {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? Math.floor(value) : null;
}

/** Outside text: a string, cleaned and cut; "" for anything else. */
export function text(value) {
  const clean = plainText(value);
  return clean.length > MAX_TEXT ? `${clean.slice(0, MAX_TEXT)}…` : clean;
}

function oneOf(value, allowed) {
  return allowed.includes(value) ? value : null;
}

/** The objects among the first `max` entries of `value`, if it is an array. */
function objects(value, max) {
  return Array.isArray(value) ? value.slice(0, max).filter(isPlainObject) : [];
}

function readCounts(raw) {
  const c = isPlainObject(raw) ? raw : {};
  const out = {};
  for (const key of ["visible", "to", "cc", "bcc", "internal", "external", "private", "allowed"]) {
    out[key] = count(c[key]);
  }
  return out;
}

function readRule(raw) {
  return {
    id: typeof raw.id === "string" ? raw.id : "",
    count: count(raw.count),
    threshold: count(raw.threshold),
    domains: count(raw.domains),
  };
}

function readContext(raw) {
  const c = isPlainObject(raw) ? raw : {};
  return {
    thread: oneOf(c.thread, THREADS),
    groups: count(c.groups) ?? 0,
    known: count(c.known) ?? 0,
    newcomers: count(c.newcomers) ?? 0,
    exposed: count(c.exposed),
  };
}

/** An address-book list: the core's summary, or (degraded verdict) just its name. */
function readList(raw) {
  if (typeof raw === "string") {
    return { name: text(raw).trim(), field: null, members: null, nested: false, resolved: null };
  }
  if (!isPlainObject(raw)) return null;
  return {
    name: text(raw.name).trim(),
    field: oneOf(raw.field, FIELDS),
    members: count(raw.members),
    nested: raw.nested === true,
    // true, false (members unknown), or null (not looked into: degraded)
    resolved: typeof raw.resolved === "boolean" ? raw.resolved : null,
  };
}

function readDegraded(raw) {
  if (!raw.degraded) return null;
  const d = isPlainObject(raw.degraded) ? raw.degraded : {};
  const code = typeof d.code === "string" && /^[a-z0-9-]{1,40}$/.test(d.code) ? d.code : "unknown";
  // An older background said `degraded: true` and put the error in `error`.
  const detail = text(typeof d.detail === "string" ? d.detail : raw.error).trim();
  return { code, detail };
}

/** The window's view of `raw`, or null when it is not an object at all. */
export function readVerdict(raw) {
  if (!isPlainObject(raw)) return null;
  const rules = objects(raw.rules, MAX_RULES).map(readRule).filter((rule) => rule.id !== "");
  const degraded = readDegraded(raw);
  return {
    degraded,
    // Blocked when the background says so, or a hard limit fired: never less strict than either.
    blocked: raw.blocked === true || rules.some((rule) => rule.id === "hard-limit"),
    counts: readCounts(raw.counts),
    // Degraded: the hard limit in force (the core's verdict names it in its hard-limit rule).
    hardLimit: count(raw.hardLimit),
    distinctDomains: count(raw.distinctDomains),
    organisations: count(raw.organisations),
    privateDomains: count(raw.privateDomains),
    domains: objects(raw.domains, MAX_DOMAINS)
      .map((d) => ({ domain: text(d.domain).trim(), count: count(d.count), kind: oneOf(d.kind, KINDS) }))
      .filter((d) => d.domain !== ""),
    visible: objects(raw.visible, MAX_RECIPIENTS)
      .map((r) => ({
        name: text(r.name).trim(),
        email: text(r.email).trim(),
        field: oneOf(r.field, FIELDS),
        kind: oneOf(r.kind, KINDS),
        list: text(r.list).trim(),
        known: typeof r.known === "boolean" ? r.known : null,
      }))
      .filter((r) => r.email !== "" || r.name !== ""),
    visibleTruncated: raw.visibleTruncated === true,
    rules,
    context: readContext(raw.context),
    forwarded: readForwarded(raw.forwarded),
    // Held only to ask "What do you use this address for?" (guard.asksRole): the question.
    askRole: !degraded && raw.action === "allow" ? readAskRole(raw.askRole) : null,
    lists: (Array.isArray(raw.lists) ? raw.lists.slice(0, MAX_LISTS) : []).map(readList).filter(Boolean),
    unresolvedLists: (Array.isArray(raw.unresolvedLists) ? raw.unresolvedLists.slice(0, MAX_LISTS) : [])
      .map((name) => text(name).trim())
      .filter(Boolean),
    mixed: raw.mixed === true,
    problems: objects(raw.problems, MAX_PROBLEMS).map((p) => ({
      field: oneOf(p.field, FIELDS),
      input: text(p.input),
      problem: typeof p.problem === "string" ? p.problem : "",
    })),
    // What the background decided: only `true` offers a choice.
    canMoveToBcc: !degraded && raw.canMoveToBcc === true,
    canMoveExternalToBcc: !degraded && raw.canMoveExternalToBcc === true,
    canRemember: !degraded && raw.canRemember === true,
    // Send separately (separate/offer.js): offered only when the background says so, with counts.
    separately: !degraded && raw.canSendSeparately === true ? readSeparately(raw.separately) : null,
  };
}

/** The question's address and the rules work would fire, or null when it is not asked. */
function readAskRole(raw) {
  if (!isPlainObject(raw)) return null;
  const identity = text(raw.identity).trim();
  const rules = objects(raw.rules, MAX_RULES).map(readRule).filter((rule) => rule.id !== "");
  return identity && rules.length > 0 ? { identity, rules } : null;
}

/** What a forwarded header shows (`{shown, bccCannotHide}`), or null for none or unreadable. */
function readForwarded(raw) {
  if (!isPlainObject(raw)) return null;
  const shown = count(raw.shown);
  return shown === null ? null : { shown, bccCannotHide: raw.bccCannotHide === true };
}

/** The offer of Send separately: how many copies and colleagues, who already got it, and
 *  whether the permissions are granted. Null when it cannot be read (then it is not offered). */
function readSeparately(raw) {
  if (!isPlainObject(raw)) return null;
  const copies = count(raw.copies);
  if (!copies) return null;
  return {
    copies,
    colleagues: count(raw.colleagues) ?? 0,
    already: count(raw.already) ?? 0,
    allowed: raw.allowed === true,
    keepCopies: raw.keepCopies === true,
    pictures: count(raw.pictures) ?? 0,
  };
}

/** The lists whose members are unknown (names), from `lists` or else `unresolvedLists`. */
export function unresolvedLists(verdict) {
  const fromLists = verdict.lists.filter((l) => l.resolved === false).map((l) => l.name);
  return fromLists.length > 0 ? fromLists : verdict.unresolvedLists;
}

/**
 * How the thread and the known groups shape the warning:
 *   "newcomers": some people are known to each other and others were added to them;
 *   "strangers": everyone is known to someone, but the groups have not met;
 *   null: no context applies.
 */
export function contextCase(verdict) {
  const { known, newcomers } = verdict.context;
  if (known > 0 && newcomers > 0) return "newcomers";
  if (known > 0 && newcomers === 0) return "strangers";
  return null;
}
