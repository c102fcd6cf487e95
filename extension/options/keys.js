// CcGuard options: what the page makes of the core's key table (wasm/policy-keys.json, read by
// settings.policyKeys()). Each key's control, its group and the names of its messages follow
// from the key's entry; nothing here knows a key by name. No DOM, no browser API: the locales
// test (tests/extension/locales.test.mjs) imports it to check that every key of the table has
// its strings in every language.

/** The key types the page shows, and the messages each needs (`key_<name>_<part>`):
 *  `label` names the control (a threshold's on/off switch), `number` a threshold's number
 *  field, `help` says what it does. */
export const KEY_PARTS = {
  threshold: ["label", "number", "help"],
  number: ["label", "help"],
  switch: ["label", "help"],
  list: ["label", "help"],
  identities: ["label", "help"],
};

/** The messages of a group: its legend and its help. */
export const GROUP_PARTS = ["label", "help"];

/** "hard-limit" -> "hardLimit": message names allow letters, digits and "_" only. */
export function camel(name) {
  return String(name).replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());
}

/** The message name of part `part` of the key named `name`: "key_privateThreshold_label". */
export function keyMessage(name, part) {
  return `key_${name}_${part}`;
}

/** The message name of part `part` of group `group`: "group_hardLimit_label". */
export function groupMessage(group, part) {
  return `group_${camel(group)}_${part}`;
}

/** Whether the page shows this entry of the table (a newer table may hold types it does not know). */
export function isShown(key) {
  return (
    key !== null &&
    typeof key === "object" &&
    typeof key.name === "string" &&
    /^[A-Za-z][A-Za-z0-9]*$/.test(key.name) &&
    Object.prototype.hasOwnProperty.call(KEY_PARTS, key.type) &&
    typeof key.group === "string" &&
    /^[a-z][a-z0-9-]*$/.test(key.group)
  );
}

/** The keys the page shows, in the table's order. */
export function shownKeys(table) {
  return (Array.isArray(table?.keys) ? table.keys : []).filter(isShown);
}

/** `[[group, keys]]`: the shown keys by group. The table lists its keys in the order the page
 *  shows them, group by group (when, hard-limit, context, …), so a group's place is that of its
 *  first key. */
export function groupsOf(keys) {
  const groups = new Map();
  for (const key of keys) {
    if (!groups.has(key.group)) groups.set(key.group, []);
    groups.get(key.group).push(key);
  }
  return [...groups];
}

/** Every message the page needs for `table`: the parts of each shown key and of each group. */
export function messagesOf(table) {
  const keys = shownKeys(table);
  const names = [];
  for (const key of keys) for (const part of KEY_PARTS[key.type]) names.push(keyMessage(key.name, part));
  for (const [group] of groupsOf(keys)) for (const part of GROUP_PARTS) names.push(groupMessage(group, part));
  return names;
}
