// Checks the administrator examples in docs/admin/examples against
// docs/admin/ccguard-policy.schema.json. Node 20, no dependencies. Exits 1 on any violation.
//
//   node tests/admin/validate-examples.mjs               every file in docs/admin/examples
//   node tests/admin/validate-examples.mjs FILE ...      policies.json files, .reg files, .plist files
//
// For each file it builds the `policies` object Thunderbird would build from it (a .reg file the way
// Thunderbird's WindowsGPOParser reads the registry, a .plist the way its macOS reader does: plist
// booleans become 1 and 0), takes CcGuard's object at policies["3rdparty"].Extensions
// ["ccguard@ccguard.org"] and checks it against the schema, and checks CcGuard's ExtensionSettings
// entry and the mail.compose.warn_public_recipients.* entries of the Preferences policy.
//
// This is not a JSON Schema engine: it knows the keywords the CcGuard schema uses, and it stops with
// an error on any other keyword rather than skip it, so the schema cannot outgrow the check silently.
// Unknown keys in CcGuard's object are allowed by the schema (newer versions may add keys) but are
// reported as warnings, since a misspelt key is ignored by CcGuard.
//
// It then hands every CcGuard object found to the extension's own layering (extension/managed.js),
// which must accept its `locked`, and to the core's readPolicy in the built WASM package (build/pkg,
// by ./build.sh; CCGUARD_PKG names another copy), which must refuse nothing. Without the package it
// fails: a check that did not run must not read as one that passed. Without arguments it also checks
// the schema against the key table the build wrote (build/pkg/policy-keys.json: the same keys in the
// same order, types, defaults and bounds) and against the core's defaultPolicy(), that docs/policy.md
// documents every key with its default, and that the Windows and macOS examples apply the same
// settings as policies.hospital.json.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, dirname, extname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const examplesDir = join(root, "docs", "admin", "examples");
const schema = JSON.parse(readFileSync(join(root, "docs", "admin", "ccguard-policy.schema.json"), "utf8"));
const ID = "ccguard@ccguard.org";

let failures = 0;
const fail = (where, message) => {
  failures++;
  console.log(`  FAIL ${where}: ${message}`);
};
const warn = (where, message) => console.log(`  warning ${where}: ${message}`);

// ---- A small checker for the keywords the schema uses -----------------------------------------

const ANNOTATIONS = new Set(["$schema", "$id", "$comment", "$defs", "title", "description", "default", "examples", "deprecated"]);
const KEYWORDS = new Set(["$ref", "type", "minimum", "maximum", "pattern", "minLength", "maxItems", "items", "uniqueItems",
  "properties", "additionalProperties", "propertyNames", "maxProperties", "enum", "const", "oneOf"]);

const show = (v) => JSON.stringify(v);
const isObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

function resolve(ref) {
  const m = /^#\/\$defs\/([A-Za-z]+)$/.exec(ref);
  if (!m || !schema.$defs?.[m[1]]) throw new Error(`the checker cannot resolve $ref ${ref}`);
  return schema.$defs[m[1]];
}

function hasType(value, type) {
  switch (type) {
    case "integer": return Number.isInteger(value);
    case "number": return typeof value === "number" && Number.isFinite(value);
    case "string": return typeof value === "string";
    case "boolean": return typeof value === "boolean";
    case "array": return Array.isArray(value);
    case "object": return isObject(value);
    default: throw new Error(`the checker does not know the type ${type}`);
  }
}

/** Problems of `value` against schema `s`, as [path, message]; unknown keys go to `warnings`. */
function check(value, s, path, warnings) {
  for (const k of Object.keys(s)) {
    if (!ANNOTATIONS.has(k) && !KEYWORDS.has(k)) throw new Error(`the schema uses "${k}", which this checker does not implement`);
  }
  const out = [];
  const err = (message, at = path) => out.push([at, message]);
  if (s.$ref) out.push(...check(value, resolve(s.$ref), path, warnings));
  if (s.type && !hasType(value, s.type)) {
    err(`${show(value)} is not ${s.type === "integer" ? "a whole number" : `of type ${s.type}`}`);
    return out;
  }
  if ("const" in s && value !== s.const) err(`${show(value)} is not ${show(s.const)}`);
  if (s.enum && !s.enum.includes(value)) err(`${show(value)} is not one of ${s.enum.join(", ")}`);
  if (s.oneOf) {
    const passing = s.oneOf.filter((alt) => check(value, alt, path, []).length === 0).length;
    const sameKind = s.oneOf.find((alt) => alt.type && hasType(value, alt.type));
    if (passing === 0 && sameKind) out.push(...check(value, sameKind, path, warnings));
    else if (passing !== 1) {
      const forms = s.oneOf.map((alt) =>
        "const" in alt ? show(alt.const) : alt.enum ? alt.enum.map(show).join(", ") : alt.type === "array" ? "a list" : `a ${alt.type}`);
      err(`${show(value)} must be exactly one of: ${forms.join(", ")}`);
    }
  }
  if (typeof value === "number") {
    if ("minimum" in s && value < s.minimum) err(`${value} is below the minimum ${s.minimum}`);
    if ("maximum" in s && value > s.maximum) err(`${value} is above the maximum ${s.maximum}`);
  }
  if (typeof value === "string") {
    if ("minLength" in s && [...value].length < s.minLength) err(`${show(value)} is shorter than ${s.minLength}`);
    if (s.pattern && !new RegExp(s.pattern, "u").test(value)) {
      err(`${show(value)} is not of the required form${s.examples ? ` (e.g. ${s.examples.join(", ")})` : ""}`);
    }
  }
  if (Array.isArray(value)) {
    if ("maxItems" in s && value.length > s.maxItems) err(`${value.length} entries, more than ${s.maxItems}`);
    if (s.uniqueItems && new Set(value.map(show)).size !== value.length) err("has duplicate entries");
    if (s.items) value.forEach((item, i) => out.push(...check(item, s.items, `${path}[${i}]`, warnings)));
  }
  if (isObject(value)) {
    const keys = Object.keys(value);
    if ("maxProperties" in s && keys.length > s.maxProperties) err(`${keys.length} entries, more than ${s.maxProperties}`);
    for (const key of keys) {
      const at = `${path}.${key}`;
      if (s.propertyNames) out.push(...check(key, s.propertyNames, `${at} (the key)`, warnings));
      if (s.properties && key in s.properties) {
        out.push(...check(value[key], s.properties[key], at, warnings));
      } else if (s.additionalProperties === false) {
        err("is not allowed here", at);
      } else if (isObject(s.additionalProperties)) {
        out.push(...check(value[key], s.additionalProperties, at, warnings));
      } else if (s.properties) {
        warnings.push([at, "is not a CcGuard setting and is ignored (misspelt?)"]);
      }
    }
  }
  return out;
}

// ---- What Thunderbird builds from each kind of file ---------------------------------------------

/** A .reg file, read the way Thunderbird's WindowsGPOParser reads the registry. */
function policiesFromReg(text) {
  const lines = text.replace(/^\uFEFF/, "").replace(/\\\r?\n\s*/g, "").split(/\r?\n/);
  if (!/^(Windows Registry Editor Version 5\.00|REGEDIT4)$/.test(lines[0].trim())) {
    throw new Error("the first line must be: Windows Registry Editor Version 5.00");
  }
  const keys = new Map(); // path (lower case) -> {path, values: [[name, value]], children: [name]}
  const node = (path) => {
    const id = path.toLowerCase();
    if (!keys.has(id)) {
      keys.set(id, { path, values: [], children: [] });
      const cut = path.lastIndexOf("\\");
      if (cut > 0) {
        const parent = node(path.slice(0, cut));
        if (!parent.children.includes(path.slice(cut + 1))) parent.children.push(path.slice(cut + 1));
      }
    }
    return keys.get(id);
  };
  let current = null;
  for (const [n, raw] of lines.entries()) {
    const line = raw.trim();
    if (n === 0 || line === "" || line.startsWith(";")) continue;
    const key = /^\[(.+)\]$/.exec(line);
    if (key) {
      if (key[1].startsWith("-")) throw new Error(`line ${n + 1}: deleting keys is not supported here`);
      current = node(key[1]);
      continue;
    }
    const m = /^"((?:[^"\\]|\\.)*)"=(.*)$/.exec(line);
    if (!m || !current) throw new Error(`line ${n + 1}: not a "name"=value line under a [key]: ${line}`);
    current.values.push([m[1].replace(/\\(.)/g, "$1"), regValue(m[2], n + 1)]);
  }
  const toObject = (k, base = {}) => {
    if (k.values.length > 0 && k.values[0][0] === "1") return k.values.map(([, v]) => v);
    for (const [name, v] of k.values) if (v !== undefined) base[name] = v;
    const kids = k.children.map((c) => keys.get(`${k.path}\\${c}`.toLowerCase()));
    if (kids.length > 0 && k.children[0] === "1") return kids.map((c) => toObject(c));
    k.children.forEach((c, i) => { base[c] = toObject(kids[i]); });
    return base;
  };
  // User policies first, then the machine's on top, as Thunderbird does.
  let policies = {};
  for (const hive of ["HKEY_CURRENT_USER", "HKEY_LOCAL_MACHINE"]) {
    const k = keys.get(`${hive}\\SOFTWARE\\Policies\\Mozilla\\Thunderbird`.toLowerCase());
    if (k) policies = toObject(k, policies);
  }
  return policies;
}

function regValue(text, line) {
  const str = /^"((?:[^"\\]|\\.)*)"$/.exec(text);
  if (str) return str[1].replace(/\\(.)/g, "$1");
  const dword = /^dword:([0-9a-fA-F]{8})$/.exec(text);
  if (dword) return parseInt(dword[1], 16) | 0;
  const hex = /^hex\(([0-9a-fA-F]+)\):([0-9a-fA-F,\s]*)$/.exec(text);
  if (hex && ["2", "7"].includes(hex[1].toLowerCase())) {
    const bytes = Buffer.from(hex[2].split(",").filter((b) => b.trim() !== "").map((b) => parseInt(b, 16)));
    const s = bytes.toString("utf16le").replace(/\0+$/, "");
    if (hex[1] === "2") return s;
    try {
      return JSON.parse(s.replace(/\0/g, "\n")); // REG_MULTI_SZ is JSON text to Thunderbird
    } catch {
      throw new Error(`line ${line}: this REG_MULTI_SZ is not JSON, and Thunderbird would drop it: ${show(s)}`);
    }
  }
  throw new Error(`line ${line}: value type not supported by this check: ${text}`);
}

/** A .plist, read the way Thunderbird's macOS reader does: every number (booleans too) an integer. */
function policiesFromPlist(text) {
  const tokens = text
    .replace(/<\?xml[^>]*\?>|<!DOCTYPE[^>]*>|<!--[\s\S]*?-->/g, "")
    .match(/<[^>]+>|[^<]+/g)
    .filter((t) => t.trim() !== "");
  let i = 0;
  const entity = (s) => s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, "&");
  const text_ = (tag) => {
    const t = tokens[i] === `</${tag}>` ? "" : tokens[i++];
    if (tokens[i++] !== `</${tag}>`) throw new Error(`<${tag}> is not closed`);
    return entity(t);
  };
  const value = () => {
    const t = tokens[i++];
    switch (t) {
      case "<dict>": {
        const o = {};
        while (tokens[i] !== "</dict>") {
          if (tokens[i++] !== "<key>") throw new Error(`expected <key> in a <dict>, found ${tokens[i - 1]}`);
          const k = text_("key");
          const v = value();
          if (v !== undefined) o[k] = v;
        }
        i++;
        return o;
      }
      case "<array>": {
        const a = [];
        while (tokens[i] !== "</array>") {
          const v = value();
          if (v !== undefined) a.push(v);
        }
        i++;
        return a;
      }
      case "<dict/>": return {};
      case "<array/>": return [];
      case "<string/>": return "";
      case "<string>": return text_("string");
      case "<integer>": return Math.trunc(Number(text_("integer")));
      case "<real>": return Math.trunc(Number(text_("real")));
      case "<true/>": return 1;
      case "<false/>": return 0;
      default: throw new Error(`plist element not supported by this check: ${t}`);
    }
  };
  if (tokens[i++] !== '<plist version="1.0">') throw new Error('expected <plist version="1.0">');
  const top = value();
  if (!isObject(top)) throw new Error("the plist must hold one <dict>");
  if (top.EnterprisePoliciesEnabled !== 1) {
    throw new Error("EnterprisePoliciesEnabled is not <true/>: Thunderbird ignores every policy in this domain");
  }
  delete top.EnterprisePoliciesEnabled;
  for (const k of Object.keys(top)) if (k.includes("__")) warn(k, "flattened keys (A__B) are not expanded by this check");
  return top;
}

function policiesOf(file) {
  const text = readFileSync(file, "utf8");
  switch (extname(file).toLowerCase()) {
    case ".reg": return policiesFromReg(text);
    case ".plist": return policiesFromPlist(text);
    default: {
      const json = JSON.parse(text);
      if (!isObject(json?.policies)) throw new Error('policies.json must hold {"policies": {…}}');
      return json.policies;
    }
  }
}

// ---- The checks of one file -----------------------------------------------------------------------

const TB_PREFS = {
  "mail.compose.warn_public_recipients.threshold": (v) => Number.isInteger(v) && v >= 0,
  "mail.compose.warn_public_recipients.aggressive": (v) => typeof v === "boolean" || v === 0 || v === 1,
};

/** Returns CcGuard's managed object (or undefined) after reporting every problem of `policies`. */
function checkPolicies(policies, where) {
  const install = policies.ExtensionSettings?.[ID];
  if (install === undefined) {
    warn(where, `no ExtensionSettings entry for ${ID}: this file does not install CcGuard`);
  } else {
    const modes = ["allowed", "blocked", "force_installed", "normal_installed"];
    if (!modes.includes(install.installation_mode)) {
      fail(`${where} ExtensionSettings.${ID}.installation_mode`, `${show(install.installation_mode)} is not one of ${modes.join(", ")}`);
    } else if (/_installed$/.test(install.installation_mode) && !/^(file|https?):\/\/./.test(install.install_url ?? "")) {
      fail(`${where} ExtensionSettings.${ID}.install_url`, `${show(install.install_url)}: ${install.installation_mode} needs a file:, https: or http: URL`);
    }
  }
  for (const [pref, valid] of Object.entries(TB_PREFS)) {
    const entry = policies.Preferences?.[pref];
    if (entry === undefined) continue;
    const at = `${where} Preferences.${pref}`;
    if (!isObject(entry)) fail(at, 'use the {"Value": …, "Status": …} form');
    else if (!valid(entry.Value)) fail(`${at}.Value`, `${show(entry.Value)} is not a valid value for this preference`);
    else if (!["default", "locked", "user", "clear"].includes(entry.Status)) fail(`${at}.Status`, `${show(entry.Status)} is not default, locked, user or clear`);
  }
  let managed = policies["3rdparty"]?.Extensions?.[ID];
  if (typeof managed === "string") managed = JSON.parse(managed); // Thunderbird accepts JSON text here
  if (managed === undefined) return undefined;
  const warnings = [];
  for (const [path, message] of check(managed, schema, `${where} 3rdparty.Extensions.${ID}`, warnings)) fail(path, message);
  for (const [path, message] of warnings) warn(path, message);
  return managed;
}

// ---- Cross-checks, without arguments --------------------------------------------------------------

const POLICY_KEYS = Object.keys(schema.properties).filter((k) => k !== "locked" && k !== "threshold");
const LOCK_ALL = [...POLICY_KEYS].sort();

/** What a policies object makes Thunderbird and CcGuard do, as {"path": value} of its leaves. */
function effect(policies) {
  const managed = { ...(policies["3rdparty"]?.Extensions?.[ID] ?? {}) };
  const lock = managed.locked;
  managed.locked = lock === true ? LOCK_ALL
    : Array.isArray(lock) ? [...new Set(lock.map((k) => (k === "threshold" ? "externalThreshold" : k)))].sort() : lock;
  const prefs = {};
  for (const pref of Object.keys(TB_PREFS)) {
    const e = policies.Preferences?.[pref];
    // Thunderbird sets a boolean preference from 0 or 1 (how the registry and plists carry booleans).
    if (e) prefs[pref] = { Value: typeof e.Value === "boolean" ? Number(e.Value) : e.Value, Status: e.Status };
  }
  const leaves = {};
  const walk = (v, path) => {
    if (isObject(v)) for (const k of Object.keys(v)) walk(v[k], `${path}.${k}`);
    else leaves[path] = show(v);
  };
  walk({ ExtensionSettings: policies.ExtensionSettings?.[ID], CcGuard: managed, Preferences: prefs }, "");
  return leaves;
}

/** The paths where two effects differ, as lines. */
function differences(a, b) {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()
    .filter((k) => a[k] !== b[k])
    .map((k) => `${k.slice(1)}: ${a[k] ?? "(absent)"} here, ${b[k] ?? "(absent)"} in policies.hospital.json`);
}

/** A default as docs/policy.md writes it in a table's default column: 3, `true`, `[]`, `{}`. */
function documentedDefault(cell) {
  const m = /^`?([^`\s(]+)`?/.exec(cell.trim());
  if (!m) return undefined;
  try {
    return JSON.parse(m[1]);
  } catch {
    return undefined;
  }
}

function checkDocs() {
  console.log("docs/policy.md and the schema");
  const before = failures;
  const doc = readFileSync(join(root, "docs", "policy.md"), "utf8");
  const rows = new Map();
  for (const [, key, cell] of doc.matchAll(/^\| `(\w+)` \| ([^|]*) \|/gm)) {
    if (!(key in schema.properties)) fail("schema", `docs/policy.md documents ${key}, the schema does not`);
    else rows.set(key, cell);
  }
  for (const key of POLICY_KEYS) {
    if (!rows.has(key)) {
      fail("docs/policy.md", `has no table row | \`${key}\` | default | for ${key}, which the schema defines`);
      continue;
    }
    const documented = documentedDefault(rows.get(key));
    if (show(documented) !== show(schema.properties[key].default)) {
      fail("docs/policy.md", `documents ${key} with the default ${rows.get(key).trim()}, the schema's is ${show(schema.properties[key].default)}`);
    }
  }
  if (!doc.includes("`threshold`")) fail("docs/policy.md", "does not mention threshold, which the schema defines");
  const identity = schema.$defs.identitySettings?.properties ?? {};
  for (const [name, s] of Object.entries(identity)) {
    if (!doc.includes(`\`${name}\``)) fail("docs/policy.md", `does not mention ${name}, which an identity may set`);
    for (const choice of s.enum ?? []) {
      if (!doc.includes(`\`${choice}\``)) fail("docs/policy.md", `does not explain ${name} ${choice}`);
    }
  }
  for (const key of POLICY_KEYS) {
    const s = schema.properties[key];
    for (const [path, message] of check(s.default, s, `schema default of ${key}`, [])) fail(path, message);
  }
  const enumKeys = schema.properties.locked.oneOf[1].items.enum;
  if (show([...enumKeys].sort()) !== show([...POLICY_KEYS, "threshold"].sort())) fail("schema locked", "its enum is not the list of settings");
  if (failures === before) console.log(`  ok: the same ${POLICY_KEYS.length} settings, each documented with its default, and every default passes its own schema`);
}

/** The $defs an entry kind of the key table is checked against. */
const ENTRY_DEFS = { domainPattern: "domainPattern", domain: "domain", address: "emailAddress", listName: "listName" };
/** A property's schema with its $ref resolved, so bounds read the same wherever they are written. */
const flat = (s) => (s.$ref ? { ...resolve(s.$ref), ...s } : s);

/** The schema against the key table the build wrote (build/pkg/policy-keys.json, from policy/keys.rs). */
function checkKeyTable(table) {
  console.log("the schema and the key table (build/pkg/policy-keys.json)");
  const before = failures;
  const at = (name) => `schema ${name}`;
  if (show(POLICY_KEYS) !== show(table.keys.map((k) => k.name))) {
    fail("schema", `names ${POLICY_KEYS.join(", ")}; the key table ${table.keys.map((k) => k.name).join(", ")}`);
  }
  const same = (where, what, ours, theirs) => {
    if (show(ours) !== show(theirs)) fail(where, `${what} ${show(ours)}, the key table's is ${show(theirs)}`);
  };
  for (const key of table.keys) {
    const p = schema.properties[key.name];
    if (!p) continue;
    const s = flat(p);
    switch (key.type) {
      case "threshold":
        same(at(key.name), "type", s.type, "integer");
        same(at(key.name), "minimum", s.minimum, 0);
        same(at(key.name), "maximum", s.maximum, key.max);
        same(at(key.name), "default", p.default, key.default);
        break;
      case "number":
        same(at(key.name), "type", s.type, "integer");
        same(at(key.name), "minimum", s.minimum, key.min);
        same(at(key.name), "maximum", s.maximum, key.max);
        same(at(key.name), "default", p.default, key.default);
        break;
      case "switch":
        same(at(key.name), "values", s.enum, [true, false, 1, 0]);
        same(at(key.name), "default", p.default, key.default);
        break;
      case "list":
        same(at(key.name), "type", s.type, "array");
        same(at(key.name), "maxItems", s.maxItems, key.max);
        same(at(key.name), "entries", s.items?.$ref, `#/$defs/${ENTRY_DEFS[key.entry]}`);
        same(at(key.name), "default", p.default, []);
        break;
      case "identities":
        same(at(key.name), "type", s.type, "object");
        same(at(key.name), "maxProperties", s.maxProperties, key.max);
        same(at(key.name), "default", p.default, {});
        break;
      default:
        fail(at(key.name), `the key table's type ${key.type} is unknown to this check`);
    }
    if (p.description !== key.doc) fail(at(key.name), "its description is not the key's doc in the key table (regenerate the schema)");
  }
  // What one identity may set: the identity keys and the per-identity keys, with their bounds.
  const identity = schema.$defs.identitySettings?.properties ?? {};
  const perIdentity = [...table.identityKeys, ...table.keys.filter((k) => k.perIdentity)];
  same("schema $defs.identitySettings", "holds", Object.keys(identity), perIdentity.map((k) => k.name));
  for (const key of perIdentity) {
    const s = identity[key.name] && flat(identity[key.name]);
    if (!s) continue;
    if (key.type === "choice") same(`schema identitySettings.${key.name}`, "choices", s.enum, key.choices);
    else if (key.type === "threshold") same(`schema identitySettings.${key.name}`, "maximum", s.maximum, key.max);
    else fail(`schema identitySettings.${key.name}`, `an identity may not hold a ${key.type}`);
  }
  if (failures === before) console.log(`  ok: the same ${table.keys.length} keys in the same order, with the table's types, defaults and bounds, and ${perIdentity.length} per identity`);
}

/** A refusal's reason as the extension would word it from its code: `not-a-threshold (max 100000)`. */
function reasonOf(reason) {
  if (typeof reason !== "object" || reason === null) return String(reason);
  const { code, ...numbers } = reason;
  const params = Object.entries(numbers).map(([k, v]) => `${k} ${Array.isArray(v) ? v.join("/") : v}`);
  return params.length > 0 ? `${code} (${params.join(", ")})` : String(code);
}

/** The extension's own layering (extension/managed.js) must find nothing wrong in `locked`. */
async function checkLayering(objects) {
  console.log("the extension's layering (extension/managed.js)");
  if (!existsSync(join(root, "extension", "managed.js"))) {
    fail("extension/managed.js", "is missing: the examples' `locked` cannot be checked");
    return;
  }
  const { layer } = await import("../../extension/managed.js");
  for (const [where, managed] of objects) {
    const { locked, problems } = layer({}, managed, POLICY_KEYS);
    for (const p of problems) fail(`${where} ${p.key}`, `managed.js refuses ${p.value}: ${reasonOf(p.reason)}`);
    if (problems.length === 0) console.log(`  ok ${where}: users cannot change ${locked.length === POLICY_KEYS.length ? "any setting" : locked.join(", ")}`);
  }
}

/** The built WASM package, or a failure that says how to build it. */
async function loadCore() {
  try {
    return await import("../wasm/load.mjs");
  } catch (e) {
    fail("build/pkg", `${e.message}\n       the examples must be checked by the core itself: build it with ./build.sh, then run this again`);
    return null;
  }
}

async function checkWithCore(core, objects) {
  console.log("the core (build/pkg)");
  const before = failures;
  const defaults = core.defaultPolicy();
  for (const key of Object.keys(defaults)) {
    if (!(key in schema.properties)) fail("schema", `the core's defaultPolicy() has ${key}, the schema does not`);
    else if (show(schema.properties[key].default) !== show(defaults[key])) {
      fail(`schema default of ${key}`, `${show(schema.properties[key].default)}, the core's is ${show(defaults[key])}`);
    }
  }
  for (const key of POLICY_KEYS) if (!(key in defaults)) fail("schema", `defines ${key}, the core's defaultPolicy() does not`);
  if (failures === before) console.log("  ok: the schema's keys and defaults are the core's defaultPolicy()");
  for (const [where, managed] of objects) {
    const { locked, ...settings } = managed;
    const { rejected } = core.readPolicy(settings);
    for (const r of rejected) fail(`${where} ${r.key}`, `the core refuses ${r.value}: ${reasonOf(r.reason)}`);
    if (rejected.length === 0) console.log(`  ok ${where}: readPolicy refuses nothing`);
  }
}

// ---- Main -------------------------------------------------------------------------------------------

const args = process.argv.slice(2);
const files = args.length > 0 ? args : readdirSync(examplesDir).sort().map((f) => join(examplesDir, f));
const managedObjects = [];
const effects = new Map();
for (const file of files) {
  const where = relative(root, file).startsWith("..") ? file : relative(root, file);
  console.log(where);
  const before = failures;
  try {
    const policies = policiesOf(file);
    const managed = checkPolicies(policies, basename(file));
    if (managed === undefined) console.log("  no CcGuard settings: the defaults apply and users may change them");
    else managedObjects.push([basename(file), managed]);
    effects.set(basename(file), effect(policies));
  } catch (e) {
    if (e.message.startsWith("the checker") || e.message.startsWith("the schema uses")) throw e;
    fail(basename(file), e.message);
  }
  if (failures === before) console.log("  ok");
}
if (args.length === 0) {
  checkDocs();
  console.log("the Windows and macOS examples against policies.hospital.json");
  for (const native of ["ccguard.reg", "org.mozilla.thunderbird.plist"]) {
    if (!effects.has(native) || !effects.has("policies.hospital.json")) {
      fail(native, "missing, or policies.hospital.json is");
    } else if (differences(effects.get(native), effects.get("policies.hospital.json")).length > 0) {
      for (const line of differences(effects.get(native), effects.get("policies.hospital.json"))) fail(native, line);
    } else {
      console.log(`  ok ${native}: the same installation, CcGuard settings and Thunderbird preferences`);
    }
  }
}
const core = await loadCore();
if (core && args.length === 0) checkKeyTable(core.policyKeys);
if (managedObjects.length > 0) await checkLayering(managedObjects);
if (core) await checkWithCore(core, managedObjects);
console.log(failures === 0 ? "\nall checks passed" : `\n${failures} problem${failures === 1 ? "" : "s"} found`);
process.exit(failures === 0 ? 0 : 1);
