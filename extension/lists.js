// CcGuard: address-book mailing lists in To/Cc/Bcc, resolved to their direct members.
//
// compose.onBeforeSend hands a mailing list over as ONE pill string, e.g.
// `Club Members <"Club Members">`; Thunderbird expands it only after every listener ran.
// listsOf(details) finds the pills that are lists and returns, for each, its direct members,
// in the shape the core's `evaluate` reads as `message.lists`:
//
//   [{ ref: string,                 // the pill exactly as in details.to/cc/bcc, or a member
//                                   // string of another list (nesting)
//      name: string,                // the list's display name
//      members: string[] | null }]  // direct members as header strings; a member that is a
//                                   // list is given as that list's ref (with its own entry);
//                                   // null = could not be resolved
//
// The core expands recursively, breaks cycles and dedupes. This module never throws and never
// touches the WASM. Facts it relies on (docs/thunderbird-lists.md, seen on 140 and 153):
//  - A pill is a list when its display name equals a list's name and its address part equals
//    that list's description, or its name when the description is empty (both ignoring case);
//    that is the rule Thunderbird's own send-time expansion follows. By default only pills whose
//    address part has no "@" are looked at, so an ordinary send costs no API call; but a list
//    whose description is an address (`Sales <sales@shop.example>`) is expanded by Thunderbird
//    too, and is found only with the option `lookUpAddressPills` (costs ~2-5 ms per send).
//  - List names cannot contain , ; " < > (Thunderbird refuses them), but are quoted like any
//    display name in the pill, so parsing honours quotes and backslash escapes.
//  - A list cannot hold another list through the API; a list holds a "list" by holding a
//    contact whose display name and address are that list's name and address (Thunderbird
//    expands those at send, recursively, cutting cycles). Members are checked against the
//    lists in memory, so nested lists cost no extra lookup whatever their address.
//  - MV3 exposes the API as messenger.addressBooks.mailingLists (MV2: messenger.mailingLists);
//    a member contact carries a vCard (MV3) or properties.PrimaryEmail (MV2).
//  - messengerUtilities.parseMailboxString(text, {expandMailingLists}) is not used: 140 refuses
//    the options object, and 153 expands only lists without a description, one level deep.

import { api, within } from "./util.js";

/** Bounds, so that a send never waits long and a huge or looping address book cannot hurt. */
export const LIMITS = Object.freeze({
  /** The whole resolution; lists unresolved by then get `members: null`. */
  timeoutMs: 3000,
  /** Distinct lists whose members are read, nested ones included. */
  maxLists: 200,
  /** Member strings over all lists. */
  maxMembers: 20000,
});

// -- pill strings -------------------------------------------------------------------------

/** Removes RFC 5322 quoting: quotes go, a backslash keeps the next character; runs of white
 *  space become one space. */
function unquote(text) {
  let out = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "\\" && i + 1 < text.length) {
      out += text[++i];
    } else if (ch === '"') {
      quoted = !quoted;
    } else {
      out += ch;
    }
  }
  return out.replace(/\s+/g, " ").trim();
}

/**
 * `Name <address>` split into its display name and address, both unquoted; null when the text
 * is not one mailbox in angle brackets (a bare word, several addresses, unbalanced quotes...).
 */
export function parsePill(text) {
  if (typeof text !== "string") {
    return null;
  }
  let quoted = false;
  let open = -1;
  let close = -1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === "\\") i++;
      else if (ch === '"') quoted = false;
    } else if (ch === '"') {
      quoted = true;
    } else if (ch === "\\") {
      i++;
    } else if (ch === "<") {
      if (open >= 0) return null;
      open = i;
    } else if (ch === ">") {
      if (open < 0 || close >= 0) return null;
      close = i;
    } else if (ch === "," || ch === ";") {
      if (open < 0 || close >= 0) return null; // a separator outside the angle brackets
    } else if (close >= 0 && !/\s/.test(ch)) {
      return null; // text after the address
    }
  }
  if (quoted || open < 0 || close < 0) {
    return null;
  }
  return { name: unquote(text.slice(0, open)), address: unquote(text.slice(open + 1, close)) };
}

/** Could this recipient string be a list? Only `Name <address>` whose address has no "@"
 *  (or, with `addressPills`, any named pill: a list's description may be an address). */
export function mayBeList(text, addressPills = false) {
  // The common case first, without parsing: an address in angle brackets, or no brackets
  // at all, cannot be a list (10,000 pills then cost well under a millisecond).
  const open = typeof text === "string" ? text.lastIndexOf("<") : -1;
  if (open < 0 || (!addressPills && text.indexOf("@", open) >= 0)) {
    return false;
  }
  const pill = parsePill(text);
  return pill !== null && pill.name !== "" && pill.address !== "" && (addressPills || !pill.address.includes("@"));
}

const NEEDS_QUOTES = /[()<>[\]:;@\\,."]/;

function quoteIfNeeded(text) {
  return NEEDS_QUOTES.test(text) || /^\s|\s$/.test(text) ? `"${text.replace(/(["\\])/g, "\\$1")}"` : text;
}

/** A header string for a mailbox: `Name <address>`, or the bare address without a name. */
export function formatMailbox(name, address) {
  if (!name) {
    return address;
  }
  const inner = address.includes("@") ? address : `"${address.replace(/(["\\])/g, "\\$1")}"`;
  return `${quoteIfNeeded(name)} <${inner}>`;
}

/** The address a pill must carry to stand for `list` (as Thunderbird writes list pills). */
function listAddress(list) {
  return list.description ? list.description : list.name;
}

// -- contacts -----------------------------------------------------------------------------

function unescapeVCard(value) {
  return value.replace(/\\([\\,;nN])/g, (_, c) => (c === "n" || c === "N" ? "\n" : c));
}

/** FN and the primary EMAIL (lowest PREF first, else the first) of a vCard. */
export function parseVCard(vCard) {
  const lines = String(vCard).replace(/\r?\n[ \t]/g, "").split(/\r?\n/);
  let fn = "";
  const emails = [];
  for (const line of lines) {
    // The property name and parameters end at the first colon outside a quoted parameter value.
    let quoted = false;
    let colon = -1;
    for (let i = 0; i < line.length; i++) {
      if (line[i] === '"') quoted = !quoted;
      else if (line[i] === ":" && !quoted) {
        colon = i;
        break;
      }
    }
    if (colon < 0) continue;
    const [rawName, ...params] = line.slice(0, colon).split(";");
    const name = rawName.replace(/^.*\./, "").toUpperCase();
    const value = unescapeVCard(line.slice(colon + 1)).trim();
    if (name === "FN" && !fn) {
      fn = value;
    } else if (name === "EMAIL" && value) {
      let pref = Infinity;
      for (const param of params) {
        const [key, val = ""] = param.split("=");
        const k = key.trim().toUpperCase();
        const v = val.replace(/"/g, "").trim();
        if (k === "PREF" && /^\d+$/.test(v)) pref = Math.min(pref, Number(v));
        if (k === "TYPE" && v.split(",").some((t) => t.trim().toLowerCase() === "pref")) pref = Math.min(pref, 1);
      }
      emails.push({ value, pref, order: emails.length });
    }
  }
  emails.sort((a, b) => a.pref - b.pref || a.order - b.order);
  return { name: fn, email: emails.length ? emails[0].value : "" };
}

/** `{name, email}` of a ContactNode: MV2 gives properties, MV3 a vCard. */
export function contactOf(node) {
  const props = node?.properties;
  if (props && typeof props.PrimaryEmail === "string") {
    return { name: String(props.DisplayName ?? "").trim(), email: props.PrimaryEmail.trim() };
  }
  if (typeof node?.vCard === "string") {
    return parseVCard(node.vCard);
  }
  if (typeof props?.vCard === "string") {
    return parseVCard(props.vCard);
  }
  return { name: "", email: "" };
}

// -- resolution ---------------------------------------------------------------------------

function recipientStrings(details) {
  const out = [];
  for (const field of ["to", "cc", "bcc"]) {
    const value = details?.[field];
    for (const entry of Array.isArray(value) ? value : value == null ? [] : [value]) {
      if (typeof entry === "string") out.push(entry);
    }
  }
  return out;
}

function mailingListsApi(messenger) {
  return messenger?.addressBooks?.mailingLists ?? messenger?.mailingLists;
}

class Resolver {
  constructor(messenger, limits) {
    this.messenger = messenger;
    this.limits = limits;
    this.index = null; // Map: lower-case list name -> [{id, name, description}], book order
    this.indexComplete = false;
    this.entries = new Map(); // ref -> {ref, name, listId, members: string[] | null | undefined}
    this.refOfList = new Map(); // list id -> the first ref seen for it
    this.membersOfList = new Map(); // list id -> string[] | null
    this.memberCount = 0;
  }

  /** Every list of every address book. A book whose lists cannot be read makes it incomplete. */
  async loadIndex() {
    const books = await this.messenger.addressBooks.list(false);
    const lists = mailingListsApi(this.messenger);
    let complete = true;
    const perBook = await Promise.all(
      (books ?? []).map(async (book) => {
        try {
          return (await lists.list(book.id)) ?? [];
        } catch (error) {
          complete = false;
          return [];
        }
      }),
    );
    this.index = new Map(); // lower-case name -> lists of that name, in address-book order
    for (const l of perBook.flat()) {
      const list = { id: l.id, name: String(l.name ?? ""), description: String(l.description ?? "") };
      const key = list.name.toLowerCase();
      if (!this.index.has(key)) this.index.set(key, []);
      this.index.get(key).push(list);
    }
    this.indexComplete = complete;
  }

  /** The list a `{name, address}` stands for, by Thunderbird's rule; undefined if none. */
  find(name, address) {
    const a = address.toLowerCase();
    return (this.index.get(name.toLowerCase()) ?? []).find((l) => listAddress(l).toLowerCase() === a);
  }

  /** Adds an entry for `ref` standing for `list`; returns whether the list is new. */
  add(ref, list) {
    if (!this.entries.has(ref)) {
      this.entries.set(ref, { ref, name: list.name, listId: list.id });
    }
    if (this.refOfList.has(list.id)) {
      return false;
    }
    this.refOfList.set(list.id, ref);
    return true;
  }

  /** The direct members of one list, nested lists given as their refs (queued in `next`). */
  async members(list, next) {
    const nodes = (await mailingListsApi(this.messenger).listMembers(list.id)) ?? [];
    const out = [];
    for (const node of nodes) {
      const { name, email } = contactOf(node);
      if (!email) continue;
      // A member that is a list by Thunderbird's rule (checked in memory, whatever its address).
      const nested = name ? this.find(name, email) : undefined;
      if (nested) {
        if (!this.refOfList.has(nested.id)) {
          const ref = formatMailbox(nested.name, listAddress(nested));
          this.add(ref, nested);
          next.push(nested);
        }
        out.push(this.refOfList.get(nested.id));
        continue;
      }
      out.push(formatMailbox(name, email));
    }
    return out;
  }

  async run(refs) {
    await this.loadIndex();
    let level = [];
    for (const ref of refs) {
      const pill = parsePill(ref);
      const list = this.find(pill.name, pill.address);
      if (list) {
        if (this.add(ref, list)) level.push(list);
      } else if (!this.indexComplete && !pill.address.includes("@")) {
        // Perhaps a list in an address book we could not read.
        this.entries.set(ref, { ref, name: pill.name, listId: null, members: null });
      }
    }
    // Breadth-first: one level of lists at a time, their members read in parallel.
    let resolved = 0;
    while (level.length) {
      const next = [];
      await Promise.all(
        level.map(async (list) => {
          if (resolved >= this.limits.maxLists || this.memberCount >= this.limits.maxMembers) {
            this.membersOfList.set(list.id, null);
            return;
          }
          resolved++;
          let members;
          try {
            members = await this.members(list, next);
          } catch (error) {
            members = null;
          }
          if (members && this.memberCount + members.length > this.limits.maxMembers) {
            members = null;
          }
          if (members) this.memberCount += members.length;
          this.membersOfList.set(list.id, members);
        }),
      );
      level = next;
    }
  }

  /** The result so far; anything not resolved (yet) is null. */
  result() {
    return [...this.entries.values()].map((e) => ({
      ref: e.ref,
      name: e.name,
      members: e.listId !== null && this.membersOfList.has(e.listId) && this.membersOfList.get(e.listId)
        ? [...this.membersOfList.get(e.listId)]
        : null,
    }));
  }
}

/**
 * The mailing lists among the recipients of `details` (ComposeDetails), with their direct
 * members, nested lists included. `[]` when no recipient may be a list (no API call then).
 * Never throws; finishes within `timeoutMs`. A recipient that may be a list but could not be
 * checked (API error, timeout) is listed with `members: null`; one that is certainly not a
 * list (no list has that name and address) is left out.
 *
 * @param {object} details  compose.onBeforeSend's ComposeDetails (to/cc/bcc: string or string[])
 * @param {object} [options] `{timeoutMs, maxLists, maxMembers}` overriding LIMITS (tests), and
 *   `lookUpAddressPills: true` to look at named pills with an "@" too (lists whose description
 *   is an address; every send with such a pill then lists the address books, ~2-5 ms)
 * @returns {Promise<Array<{ref: string, name: string, members: string[] | null}>>}
 */
export async function listsOf(details, options = {}) {
  const refs = [];
  try {
    const seen = new Set();
    for (const text of recipientStrings(details)) {
      if (!seen.has(text) && mayBeList(text, options?.lookUpAddressPills === true)) refs.push(text);
      seen.add(text);
    }
  } catch (error) {
    return [];
  }
  if (refs.length === 0) {
    return [];
  }
  const limits = { ...LIMITS };
  for (const key of Object.keys(LIMITS)) {
    if (Number.isFinite(options?.[key]) && options[key] >= 0) limits[key] = options[key];
  }
  // Could not check: a pill without "@" may be a list (null, the core names it); one with an
  // "@" is most likely an ordinary recipient and is left out.
  const unresolved = () => refs
    .map((ref) => ({ ref, pill: parsePill(ref) }))
    .filter(({ pill }) => !pill.address.includes("@"))
    .map(({ ref, pill }) => ({ ref, name: pill.name, members: null }));
  let resolver;
  try {
    resolver = new Resolver(api(), limits);
  } catch (error) {
    return unresolved();
  }
  try {
    const outcome = await within(resolver.run(refs).then(() => "done"), limits.timeoutMs, () => "timeout");
    if (outcome === "timeout") {
      console.warn(`CcGuard: resolving mailing lists took longer than ${limits.timeoutMs} ms`);
    }
    if (resolver.index === null) {
      return unresolved();
    }
    return resolver.result();
  } catch (error) {
    console.error("CcGuard: could not resolve mailing lists:", error);
    if (resolver.index === null) {
      return unresolved();
    }
    try {
      return resolver.result();
    } catch (inner) {
      return unresolved();
    }
  }
}
