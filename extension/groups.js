// CcGuard: groups of people known to see each other's addresses already. The user confirms
// one from the warning ("They know each other — don't ask again for this group"), or
// learning.js finds one in mail received from outside the organisation. Stored locally in
// storage.local ("groups"): each group's addresses (the core's comparable form), where it
// came from and when; nothing else. A send is then judged with the groups that hold two or
// more of its recipients (the core decides what that excuses).
//
// The lookup for a send does not grow with the number of groups: an index from address to
// groups is built once per background page and kept up to date by storage.onChanged.

import { addressKey, api, isPlainObject, withTimeout } from "./util.js";
import { storeWrite } from "./writes.js";

export const STORAGE_KEY = "groups";
/** Groups kept; the least recently confirmed or seen go first. */
export const MAX_GROUPS = 5000;
/** Reading the store may not hold a send longer than this: without groups, the send is
 *  judged as new, which errs on the side of warning. */
const READ_TIMEOUT_MS = 1500;

let store = null; // Promise<{groups: Group[], index: Map<string, Set<number>>}>

/** The address of a recipient string in the core's comparable form (lower case, the domain
 *  in ASCII): `Ann <Ann@Bücher.example>` -> `ann@xn--bcher-kva.example`. Groups are stored in
 *  that form, so a pill written with the Unicode domain finds the group all the same. */
export function addressOf(text) {
  if (typeof text !== "string") return "";
  const angle = /<([^<>]*)>\s*$/.exec(text);
  return addressKey(angle ? angle[1] : text);
}

function normalize(raw) {
  const groups = Array.isArray(raw?.groups) ? raw.groups : [];
  return groups
    .filter((g) => isPlainObject(g) && Array.isArray(g.members) && g.members.length >= 2)
    .map((g) => ({
      id: String(g.id ?? ""),
      members: g.members.filter((m) => typeof m === "string"),
      source: g.source === "received" ? "received" : "user",
      at: Number.isFinite(g.at) ? g.at : 0,
    }));
}

function indexOf(groups) {
  const index = new Map();
  groups.forEach((group, i) => {
    for (const member of group.members) {
      let set = index.get(member);
      if (!set) index.set(member, (set = new Set()));
      set.add(i);
    }
  });
  return index;
}

async function readStore() {
  const result = await api().storage.local.get(STORAGE_KEY);
  const groups = normalize(result?.[STORAGE_KEY]);
  return { groups, index: indexOf(groups) };
}

function loaded() {
  if (!store) {
    store = readStore();
    store.catch(() => {
      store = null; // try again next time
    });
  }
  return store;
}

// Any change (another page of CcGuard, a forget on the options page) rebuilds the index.
try {
  api()?.storage?.onChanged?.addListener((changes, area) => {
    if (area === "local" && changes[STORAGE_KEY]) store = null;
  });
} catch (error) {
  // Not in an extension page (unit tests install their own messenger first).
}

/** Forgets what was read of the store, so that the next call reads it again (tests; or after
 *  the store changed where storage.onChanged did not tell). */
export function reloadGroups() {
  store = null;
}

/** Every address a message shows in To and Cc, list members included, in the core's form. A
 *  forward also shows its header's people to every recipient, Bcc included: a group may hold
 *  both sides, so they are looked up too. */
function visibleOf(message) {
  const out = [];
  const forward = message?.type === "forward" || message?.type === "redirect";
  const related = forward && isPlainObject(message.related) ? message.related : null;
  if (related) {
    out.push(related.author);
    for (const field of ["to", "cc"]) out.push(...(Array.isArray(related[field]) ? related[field] : []));
  }
  for (const field of forward ? ["to", "cc", "bcc"] : ["to", "cc"]) {
    const value = message?.[field];
    for (const text of Array.isArray(value) ? value : value ? [value] : []) out.push(text);
  }
  for (const list of Array.isArray(message?.lists) ? message.lists : []) {
    for (const member of Array.isArray(list?.members) ? list.members : []) out.push(member);
  }
  return out.map(addressOf).filter(Boolean);
}

/**
 * The groups relevant to a send: those holding two or more of its visible recipients (a
 * forward: of its recipients and its header's people), as
 * lists of addresses for the core's `message.knownGroups`. Groups the policy no longer uses
 * (rememberGroups / learnGroups switched off) are left out. Never throws: [] on any failure.
 */
export async function relevantGroups(message, policy) {
  const useUser = policy?.rememberGroups !== false;
  const useReceived = policy?.learnGroups !== false;
  if (!useUser && !useReceived) return [];
  try {
    const { groups, index } = await withTimeout(loaded(), READ_TIMEOUT_MS, "reading the known groups");
    if (groups.length === 0) return [];
    const hits = new Map();
    for (const address of new Set(visibleOf(message))) {
      for (const i of index.get(address) ?? []) hits.set(i, (hits.get(i) ?? 0) + 1);
    }
    const out = [];
    for (const [i, count] of hits) {
      const group = groups[i];
      if (count >= 2 && (group.source === "user" ? useUser : useReceived)) out.push(group.members);
    }
    return out;
  } catch (error) {
    console.warn("CcGuard: the known groups could not be read; judging without them:", error);
    return [];
  }
}

function groupKey(members) {
  return [...new Set(members)].sort().join("\n");
}

function newId() {
  return crypto.randomUUID?.() ?? String(Date.now()) + Math.random().toString(16).slice(2);
}

/**
 * Remembers each of `groups` (lists of the core's comparable addresses) as coming from
 * `source` ("user" or "received"), in one write. The same group again only refreshes its
 * date (a user's confirmation wins over a learned one). Keeps at most MAX_GROUPS, dropping
 * the oldest. Resolves to how many groups were new.
 */
export const rememberGroups = storeWrite("groups.remember", storeGroups, reloadGroups);

async function storeGroups(groups, source = "user") {
  const { groups: stored } = await readStore();
  const byKey = new Map(stored.map((g) => [groupKey(g.members), g]));
  const now = Date.now();
  let added = 0;
  for (const members of Array.isArray(groups) ? groups : []) {
    // Stored as addressOf writes a recipient, so the index needs no conversion on the send path.
    const clean = [...new Set((members ?? []).filter((m) => typeof m === "string" && m).map(addressKey))].sort();
    if (clean.length < 2) continue;
    const same = byKey.get(groupKey(clean));
    if (same) {
      same.at = now;
      if (source === "user") same.source = "user";
      continue;
    }
    const group = { id: newId(), members: clean, source: source === "received" ? "received" : "user", at: now };
    byKey.set(groupKey(clean), group);
    stored.push(group);
    added += 1;
  }
  stored.sort((a, b) => b.at - a.at);
  await api().storage.local.set({ [STORAGE_KEY]: { version: 1, groups: stored.slice(0, MAX_GROUPS) } });
  return added;
}

/** Remembers one group; see rememberGroups. */
export async function rememberGroup(members, source = "user") {
  return (await rememberGroups([members], source)) > 0;
}

/** Every remembered group, most recent first: `{id, members, source, at}`. */
export async function listGroups() {
  const { groups } = await readStore();
  return groups.sort((a, b) => b.at - a.at);
}

/** Forgets one group. */
export const forgetGroup = storeWrite(
  "groups.forget",
  async (id) => {
    const { groups } = await readStore();
    await api().storage.local.set({ [STORAGE_KEY]: { version: 1, groups: groups.filter((g) => g.id !== id) } });
  },
  reloadGroups,
);

/** Forgets every group from `source` ("user" or "received"); resolves to how many. */
export const forgetGroupsFrom = storeWrite(
  "groups.forgetFrom",
  async (source) => {
    const { groups } = await readStore();
    const kept = groups.filter((g) => g.source !== source);
    if (kept.length === groups.length) return 0;
    await api().storage.local.set({ [STORAGE_KEY]: { version: 1, groups: kept } });
    return groups.length - kept.length;
  },
  reloadGroups,
);

/** Forgets every group (the user's and the learned ones). */
export const forgetAllGroups = storeWrite("groups.forgetAll", () => api().storage.local.remove(STORAGE_KEY), reloadGroups);
