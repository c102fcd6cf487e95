// The translations in extension/_locales against the code that shows them.
// Run: node --test tests/extension/   (Node 20, no dependencies)
//
// checkLocales() returns one line per problem, naming the locale and the key; the test fails on any:
//   - a required locale folder missing (REQUIRED_LOCALES), a messages.json that is not valid JSON,
//     an entry without a message, a localeCode that is not the folder's BCP 47 tag, an extensionName
//     that is not "CcGuard" (the listing keeps the brand in every language), a locale that
//     build.sh's XPI_FILES does not ship;
//   - a key the code uses that a locale lacks ("missing"), a key a locale has that nothing uses
//     ("unused");
//   - placeholders that differ from en's (names and $n), a $NAME$ the message uses but does not
//     declare, or one it declares but never shows (a translation that dropped $COUNT$ or $LIMIT$);
//   - a message key built at run time that this test does not know how to follow (DYNAMIC_CALLS);
//   - a setting of the core's key table (build/pkg/policy-keys.json, KEY_TABLE) without its label
//     and help: the options page builds its form from the table and names each message after the
//     key (key_<name>_<part>) and its group (group_<group>_<part>), extension/options/keys.js;
//     a table that cannot be read, or a key of a type the page does not show, fails too.
//
// What "used" means. In extension/**/*.js: the string-literal key of getMessage("…") and msg("…");
// the string-literal base of plural("…", n, …), pluralKey("…", n) and pluralMessage(get, "…", n, …);
// and any other string literal that is a message key, or looks like one (ruleHardLimitReason in
// RULES, the KIND_LABELS values: keys passed around before msg() shows them). In *.html:
// data-i18n="…". In manifest.json, *.html and *.css: __MSG_…__. Comments do not count.
//
// The plural rule. plural.js shows "<base>_<category>" with category =
// Intl.PluralRules(language).select(n) and falls back to "<base>_other". The counts are whole
// numbers (warning.js floors them). For every base the code uses, a locale must have exactly:
// base_<c> for each category c that its Intl.PluralRules selects for some whole number, plus
// base_other (the fallback, and what fractions select). The fallback is a safety net, not a
// licence: a Polish translation without _few would say "2 osób" instead of "2 osoby". And a
// category no whole number selects (Czech "many", Japanese "one") is an unused key. The categories
// are Node's (its ICU and CLDR); Thunderbird's ICU may lag a version behind, in which case a
// category it does not select falls back to _other as designed.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { pluralMessage } from "../../extension/warning/plural.js";
import { isShown, messagesOf } from "../../extension/options/keys.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** The languages the add-on must ship (WebExtension folder names: pt_BR, zh_CN). */
export const REQUIRED_LOCALES = ["en", "de", "fr", "es", "it", "nl", "pt_BR", "pl", "sv", "ja", "zh_CN", "cs"];

/** The add-on's name in the listing, the same in every language. */
const BRAND = "CcGuard";

const CATEGORIES = ["zero", "one", "two", "few", "many", "other"];
const PLURAL_KEY = /^(.+)_(zero|one|two|few|many|other)$/;

/** The functions whose argument is a message key (index 0) or plural base (index given). */
const KEY_FUNCTIONS = { getMessage: 0, msg: 0 };
const BASE_FUNCTIONS = { plural: 0, pluralKey: 0, pluralMessage: 1 };

/**
 * The calls whose key is built at run time, and where the keys they can get are checked instead.
 * Keyed by file, function and argument as written. A new call that builds its key fails the
 * test until it is listed here, with the place its keys come from.
 */
export const DYNAMIC_CALLS = new Map([
  ["extension/util.js|getMessage|key", "msg(key): the wrapper; its callers are checked"],
  ["extension/util.js|msg|titleKey", "localize(document, \"…Title\"): string literals, checked as keys"],
  ["extension/util.js|msg|el.dataset.i18n", "the data-i18n attributes of *.html"],
  ["extension/warning/wording.js|msg|kind.reason", "the reason: string literals of RULES and GENERIC_RULE"],
  [
    "extension/warning/wording.js|msg|has(DEGRADED_WHY, code) ? DEGRADED_WHY[code] : DEGRADED_WHY.unknown",
    "the string literals of DEGRADED_WHY",
  ],
  ["extension/warning/wording.js|msg|KIND_LABELS[kind]", "the string literals of KIND_LABELS"],
  ["extension/warning/wording.js|msg|FIELD_LABELS[field]", "the string literals of FIELD_LABELS"],
  ["extension/warning/wording.js|msg|has(PROBLEMS, code) ? PROBLEMS[code] : \"problemUnknown\"", "the string literals of PROBLEMS"],
  ["extension/options/options.js|msg|SAMPLES[id]", "the string literals of SAMPLES"],
  [
    "extension/options/refusals.js|msg|has(REFUSALS, reason.code) ? REFUSALS[reason.code] : \"refusalUnknown\"",
    "the string literals of REFUSALS",
  ],
  ["extension/options/form.js|msg|keyMessage(name, part)", "key_<name>_<part>: every key of the key table (KEY_TABLE), see keyTableMessages"],
  ["extension/options/form.js|msg|groupMessage(group, part)", "group_<group>_<part>: every group of the key table (KEY_TABLE), see keyTableMessages"],
  ["extension/warning/plural.js|getMessage|`${base}_${category}`", "the plural bases, per language's categories"],
  ["extension/warning/plural.js|getMessage|`${base}_other`", "the plural bases (the fallback)"],
  ["extension/warning/plural.js|pluralMessage|base", "makePlural's wrapper; plural(\"…\") callers are checked"],
  ["extension/warning/job-words.js|msg|key", "say(key): the string literals of HEADLINES, RECORDS and the notes of job-words.js"],
  ["extension/warning/job-view.js|msg|LABELS[action]", "the string literals of LABELS (the job window's buttons)"],
]);

/** The core's key table as build.sh writes it (crates/core/src/policy/keys.rs, through
 *  `cargo run --example policy_keys`). The options page builds its form from it. */
export const KEY_TABLE = "build/pkg/policy-keys.json";

/**
 * The messages the options page shows for the key table of `root`: for every key
 * key_<name>_<part> and for every group group_<group>_<part>, the parts by type
 * (extension/options/keys.js). A table that cannot be read, or a key of a type the page does
 * not show, is a problem: the page would lack a setting.
 */
export function keyTableMessages(root, problems) {
  let table;
  try {
    table = JSON.parse(fs.readFileSync(path.join(root, KEY_TABLE), "utf8"));
  } catch (error) {
    problems.push(`key table: ${KEY_TABLE} cannot be read (${error.message}): run ./build.sh, which writes it from the core`);
    return [];
  }
  if (!Array.isArray(table?.keys) || table.keys.length === 0) {
    problems.push(`key table: ${KEY_TABLE} has no keys`);
    return [];
  }
  for (const key of table.keys) {
    if (!isShown(key)) {
      problems.push(
        `key table: ${key?.name}: type ${JSON.stringify(key?.type)} (group ${JSON.stringify(key?.group)}) is not one the options ` +
          "page shows (KEY_PARTS in extension/options/keys.js): the setting would be missing from the page",
      );
    }
  }
  return messagesOf(table);
}

// -- plural categories ------------------------------------------------------------------------

const categoryCache = new Map();

/** The categories Intl.PluralRules(tag) selects for whole numbers, plus "other", in CLDR order. */
export function integerCategories(tag) {
  if (!categoryCache.has(tag)) {
    const rules = new Intl.PluralRules(tag);
    const examples = new Map();
    const probe = [];
    for (let n = 0; n <= 1100; n++) probe.push(n);
    // CLDR's rules for whole numbers look at n mod 10, mod 100 and (fr, es, it, pt "many") at
    // exact multiples of a million.
    for (let e = 3; e <= 15; e++) for (const m of [1, 2, 3, 5, 11, 21, 22, 25]) probe.push(m * 10 ** e);
    for (const n of probe) {
      const c = rules.select(n);
      if (!examples.has(c)) examples.set(c, []);
      if (examples.get(c).length < 4) examples.get(c).push(n);
    }
    if (!examples.has("other")) examples.set("other", []);
    const cats = CATEGORIES.filter((c) => examples.has(c));
    categoryCache.set(tag, { cats, examples });
  }
  return categoryCache.get(tag);
}

/** "pt_BR" -> "pt-BR". */
export function tagOf(folder) {
  return folder.replace(/_/g, "-");
}

// -- reading the code ---------------------------------------------------------------------------

/**
 * `src` with comments blanked out (line breaks kept, so positions stay), and every string
 * literal (and template literal without `${`) with its offset. Knows strings, templates
 * (with `${…}`) and regular-expression literals well enough for this code base.
 */
export function lexJs(src) {
  let out = "";
  const literals = [];
  let i = 0;
  let last = ""; // last significant character of code
  const n = src.length;
  while (i < n) {
    const c = src[i];
    const d = src[i + 1];
    if (c === "/" && d === "/") {
      while (i < n && src[i] !== "\n") {
        out += " ";
        i++;
      }
      continue;
    }
    if (c === "/" && d === "*") {
      const end = src.indexOf("*/", i + 2);
      const stop = end < 0 ? n : end + 2;
      out += src.slice(i, stop).replace(/[^\n]/g, " ");
      i = stop;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      let value = "";
      while (j < n && src[j] !== c && src[j] !== "\n") {
        if (src[j] === "\\") {
          value += src[j + 1] ?? "";
          j += 2;
          continue;
        }
        value += src[j];
        j++;
      }
      literals.push({ value, index: i, end: j + 1 });
      out += src.slice(i, j + 1);
      i = j + 1;
      last = c;
      continue;
    }
    if (c === "`") {
      let j = i + 1;
      let depth = 0;
      let plain = true;
      while (j < n) {
        if (src[j] === "\\") {
          j += 2;
          continue;
        }
        if (depth === 0 && src[j] === "`") break;
        if (src[j] === "$" && src[j + 1] === "{") {
          depth++;
          plain = false;
          j += 2;
          continue;
        }
        if (depth > 0 && src[j] === "{") depth++;
        if (depth > 0 && src[j] === "}") depth--;
        j++;
      }
      if (plain) literals.push({ value: src.slice(i + 1, j), index: i, end: j + 1 });
      out += src.slice(i, j + 1);
      i = j + 1;
      last = "`";
      continue;
    }
    if (c === "/" && (last === "" || "(,=:[!&|?{};+-*%<>~^".includes(last) || /\b(return|typeof|case|of|in)\s*$/.test(out))) {
      let j = i + 1;
      let inClass = false;
      while (j < n && src[j] !== "\n") {
        if (src[j] === "\\") {
          j += 2;
          continue;
        }
        if (src[j] === "[") inClass = true;
        else if (src[j] === "]") inClass = false;
        else if (src[j] === "/" && !inClass) break;
        j++;
      }
      out += src.slice(i, j + 1);
      i = j + 1;
      last = "/";
      continue;
    }
    out += c;
    if (!/\s/.test(c)) last = c;
    i++;
  }
  return { code: out, literals };
}

/** The top-level arguments of the call whose "(" is at `open`, as written (trimmed). */
function callArguments(code, open) {
  const args = [];
  let depth = 0;
  let start = open + 1;
  for (let i = open + 1; i < code.length; i++) {
    const c = code[i];
    if (c === '"' || c === "'" || c === "`") {
      // skip a literal (lexJs kept them intact)
      let j = i + 1;
      while (j < code.length && code[j] !== c) j += code[j] === "\\" ? 2 : 1;
      i = j;
      continue;
    }
    if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") {
      if (depth === 0) {
        args.push(code.slice(start, i).trim());
        break;
      }
      depth--;
    } else if (c === "," && depth === 0) {
      args.push(code.slice(start, i).trim());
      start = i + 1;
    }
  }
  return args.filter((a, k) => a !== "" || k === 0);
}

/** A string literal or template literal without `${` as written: its value, else null. */
function literalValue(arg) {
  const m = /^(["'`])([^"'`\\$]*)\1$/.exec(arg);
  return m ? m[2] : null;
}

function lineOf(text, index) {
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function walk(dir, skip) {
  const files = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!skip.has(entry.name)) files.push(...walk(full, skip));
    } else {
      files.push(full);
    }
  }
  return files.sort();
}

/**
 * What extension/ uses: `keys` (key -> first place), `bases` (plural base -> first place),
 * `literals` (every other string literal in JS -> first place) and `dynamic` (calls whose key is
 * built at run time: [{where, id}]).
 */
export function scanExtension(root) {
  const ext = path.join(root, "extension");
  const keys = new Map();
  const bases = new Map();
  const literals = new Map();
  const dynamic = [];
  const note = (map, key, where) => {
    if (!map.has(key)) map.set(key, where);
  };
  for (const file of walk(ext, new Set(["_locales"]))) {
    const rel = path.relative(root, file).split(path.sep).join("/");
    const text = fs.readFileSync(file, "utf8");
    if (/\.(json|html|css)$/.test(file)) {
      for (const m of text.matchAll(/__MSG_([A-Za-z0-9_@]+)__/g)) note(keys, m[1], `${rel}:${lineOf(text, m.index)}`);
    }
    if (file.endsWith(".html")) {
      for (const m of text.matchAll(/\sdata-i18n(?:-[a-z-]+)?\s*=\s*"([^"]*)"/g)) {
        note(keys, m[1], `${rel}:${lineOf(text, m.index)}`);
      }
    }
    if (!/\.m?js$/.test(file)) continue;
    const { code, literals: found } = lexJs(text);
    const consumed = new Set();
    const calls = new RegExp(`(?<![\\w$])(${[...Object.keys(KEY_FUNCTIONS), ...Object.keys(BASE_FUNCTIONS)].join("|")})\\s*\\(`, "g");
    for (const m of code.matchAll(calls)) {
      if (/\bfunction\s*$/.test(code.slice(Math.max(0, m.index - 20), m.index))) continue;
      const fn = m[1];
      const open = m.index + m[0].length - 1;
      const args = callArguments(code, open);
      const isBase = fn in BASE_FUNCTIONS;
      const arg = args[isBase ? BASE_FUNCTIONS[fn] : KEY_FUNCTIONS[fn]] ?? "";
      const where = `${rel}:${lineOf(text, m.index)}`;
      const value = literalValue(arg);
      if (value === null) {
        dynamic.push({ where, id: `${rel}|${fn}|${arg.replace(/\s+/g, " ")}` });
        continue;
      }
      note(isBase ? bases : keys, value, where);
      // the literal is this call's key: not also an indirect reference
      const at = code.indexOf(arg, open);
      for (const lit of found) if (lit.index === at) consumed.add(lit);
    }
    for (const lit of found) {
      if (!consumed.has(lit)) note(literals, lit.value, `${rel}:${lineOf(text, lit.index)}`);
    }
  }
  return { keys, bases, literals, dynamic };
}

// -- the check -----------------------------------------------------------------------------------

function readLocales(localesDir, problems) {
  const locales = new Map();
  const folders = fs.existsSync(localesDir)
    ? fs.readdirSync(localesDir, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name)
    : [];
  for (const folder of REQUIRED_LOCALES) {
    if (!folders.includes(folder)) problems.push(`${folder}: missing locale: extension/_locales/${folder}/messages.json does not exist`);
  }
  for (const folder of folders.sort()) {
    if (!/^[a-z]{2,3}(_[A-Z]{2}|_[A-Z][a-z]{3})?$/.test(folder)) {
      problems.push(`${folder}: not a WebExtension locale folder name (like de, pt_BR, zh_CN)`);
    }
    const file = path.join(localesDir, folder, "messages.json");
    if (!fs.existsSync(file)) {
      if (!REQUIRED_LOCALES.includes(folder)) problems.push(`${folder}: the folder has no messages.json`);
      continue;
    }
    let messages;
    try {
      messages = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (error) {
      problems.push(`${folder}: messages.json is not valid JSON: ${error.message}`);
      continue;
    }
    if (!messages || typeof messages !== "object" || Array.isArray(messages)) {
      problems.push(`${folder}: messages.json is not a JSON object`);
      continue;
    }
    for (const [key, entry] of Object.entries(messages)) {
      if (!/^[A-Za-z0-9_@]+$/.test(key) || key.startsWith("@@")) problems.push(`${folder}: ${key}: not a valid message name`);
      if (!entry || typeof entry.message !== "string" || entry.message.trim() === "") {
        problems.push(`${folder}: ${key}: no message text`);
      }
    }
    locales.set(folder, messages);
  }
  return locales;
}

/** {name: content} of an entry's placeholders, names in lower case (they are case-insensitive). */
function declared(entry) {
  const out = {};
  for (const [name, p] of Object.entries(entry?.placeholders ?? {})) out[name.toLowerCase()] = String(p?.content ?? "");
  return out;
}

function shown(entry) {
  return new Set([...String(entry?.message ?? "").matchAll(/\$([A-Za-z0-9_@]+)\$/g)].map((m) => m[1].toLowerCase()));
}

const fmtPlaceholders = (p) => `{${Object.entries(p).sort().map(([k, v]) => `${k}: ${v}`).join(", ")}}`;

/** Every problem of the translations in `root` (a checkout), one line each; [] when all is well. */
export function checkLocales(root = ROOT) {
  const problems = [];
  const localesDir = path.join(root, "extension", "_locales");
  const locales = readLocales(localesDir, problems);
  const { keys, bases, literals, dynamic } = scanExtension(root);
  // The options page's labels and help, named after the keys of the core's table.
  for (const name of keyTableMessages(root, problems)) {
    if (!keys.has(name)) keys.set(name, `${KEY_TABLE}, through extension/options/keys.js`);
  }

  for (const { where, id } of dynamic) {
    if (!DYNAMIC_CALLS.has(id)) {
      const [, fn, arg] = id.split("|");
      problems.push(
        `code: ${where}: ${fn}(${arg}) builds its message key at run time, so no test checks it: ` +
          `pass a string literal, or list the call in DYNAMIC_CALLS (tests/extension/locales.test.mjs) with where its keys come from`,
      );
    }
  }

  const en = locales.get("en");
  if (!en) {
    problems.push("en: the default locale cannot be read, nothing else can be checked");
    return problems;
  }

  // String literals that are message keys (or plural bases) elsewhere in JS: keys passed around
  // before msg() shows them. A literal that looks like a key (a prefix of en's keys followed by a
  // capital: "ruleFooReason") but is none is reported as missing.
  const enPlain = new Set(Object.keys(en).filter((k) => !PLURAL_KEY.test(k)));
  const enBases = new Set(Object.keys(en).map((k) => PLURAL_KEY.exec(k)?.[1]).filter(Boolean));
  const prefixes = new Set([...Object.keys(en)].map((k) => /^[a-z]+/.exec(k)?.[0]).filter(Boolean));
  const looksLikeKey = (s) => {
    const m = /^([a-z]+)[A-Z][A-Za-z0-9]*$/.exec(s);
    return m !== null && prefixes.has(m[1]);
  };
  for (const [value, where] of literals) {
    if (enBases.has(value) && !enPlain.has(value)) {
      if (!bases.has(value)) bases.set(value, where);
    } else if (enPlain.has(value) || looksLikeKey(value)) {
      if (!keys.has(value)) keys.set(value, where);
    }
  }

  const manifestFile = path.join(root, "extension", "manifest.json");
  try {
    const manifest = JSON.parse(fs.readFileSync(manifestFile, "utf8"));
    if (!locales.has(manifest.default_locale)) {
      problems.push(`manifest: default_locale "${manifest.default_locale}" has no extension/_locales folder`);
    }
  } catch (error) {
    problems.push(`manifest: extension/manifest.json cannot be read: ${error.message}`);
  }

  let shipped = null;
  try {
    const build = fs.readFileSync(path.join(root, "build.sh"), "utf8");
    shipped = new Set([...build.matchAll(/^\s*_locales\/([^/\s]+)\/messages\.json\s*$/gm)].map((m) => m[1]));
  } catch (error) {
    problems.push(`build.sh cannot be read: ${error.message}`);
  }

  for (const [folder, messages] of locales) {
    const tag = tagOf(folder);
    let cats;
    let examples;
    try {
      ({ cats, examples } = integerCategories(tag));
    } catch (error) {
      problems.push(`${folder}: Intl.PluralRules does not know "${tag}": ${error.message}`);
      continue;
    }
    if (shipped && !shipped.has(folder)) {
      problems.push(`${folder}: _locales/${folder}/messages.json is not in XPI_FILES (build.sh): the XPI would not ship it`);
    }
    if (messages.localeCode && messages.localeCode.message !== tag) {
      problems.push(`${folder}: localeCode is "${messages.localeCode.message}", expected "${tag}" (the folder's BCP 47 tag)`);
    }
    if (messages.extensionName && messages.extensionName.message !== BRAND) {
      problems.push(`${folder}: extensionName is "${messages.extensionName.message}", expected "${BRAND}" in every language`);
    }

    // missing: what the code shows
    for (const [key, where] of keys) {
      if (!(key in messages)) {
        const hint = `${key}_other` in messages ? `; it is a plural message: show it with plural("${key}", n, …)` : "";
        problems.push(`${folder}: missing key ${key} (used at ${where}${hint})`);
      }
    }
    for (const [base, where] of bases) {
      for (const cat of cats) {
        const key = `${base}_${cat}`;
        if (!(key in messages)) {
          const why =
            cat === "other"
              ? "the fallback of every plural message"
              : `Intl.PluralRules("${tag}") selects "${cat}" for ${examples.get(cat).join(", ")}, …`;
          problems.push(`${folder}: missing key ${key} (${why}; plural base used at ${where})`);
        }
      }
    }

    // unused: what nothing shows
    for (const key of Object.keys(messages)) {
      const m = PLURAL_KEY.exec(key);
      if (m && bases.has(m[1])) {
        if (!cats.includes(m[2])) {
          problems.push(`${folder}: key ${key} is unused: Intl.PluralRules("${tag}") selects "${m[2]}" for no whole number (it has ${cats.join(", ")})`);
        }
      } else if (!keys.has(key)) {
        problems.push(`${folder}: key ${key} is unused: nothing in extension/ shows it`);
      }
    }

    // placeholders
    for (const [key, entry] of Object.entries(messages)) {
      if (!entry || typeof entry.message !== "string") continue;
      const mine = declared(entry);
      const inText = shown(entry);
      for (const name of inText) {
        if (!(name in mine)) problems.push(`${folder}: ${key}: $${name.toUpperCase()}$ is in the message but not a declared placeholder`);
      }
      for (const name of Object.keys(mine)) {
        if (!inText.has(name)) problems.push(`${folder}: ${key}: placeholder $${name.toUpperCase()}$ is declared but not in the message`);
      }
      if (folder === "en") continue;
      const m = PLURAL_KEY.exec(key);
      const refKey = key in en ? key : m && `${m[1]}_other` in en ? `${m[1]}_other` : null;
      if (!refKey) continue; // reported as unused
      const ref = declared(en[refKey]);
      if (fmtPlaceholders(ref) !== fmtPlaceholders(mine)) {
        problems.push(`${folder}: ${key}: placeholders differ from en's ${refKey}: expected ${fmtPlaceholders(ref)}, found ${fmtPlaceholders(mine)}`);
      }
    }
  }
  return problems;
}

// -- rendering, the way Thunderbird does -----------------------------------------------------------

/** i18n.getMessage over one messages.json: $NAME$ -> placeholder content, then $1… -> substitutions. */
export function getMessageFrom(messages) {
  return (key, substitutions = []) => {
    const entry = messages[key];
    if (!entry) return "";
    const content = declared(entry);
    const subs = Array.isArray(substitutions) ? substitutions : [substitutions];
    return entry.message
      .replace(/\$([A-Za-z0-9_@]+)\$/g, (all, name) => content[name.toLowerCase()] ?? all)
      .replace(/\$(?:([1-9]\d*)|(\$+))/g, (all, index, dollars) => (index ? String(subs[index - 1] ?? "") : dollars));
  };
}

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, "utf8"));
}

const COUNTS = [0, 1, 2, 3, 5, 21, 22, 25, 101, 1000, 1000000];

// -- the tests -------------------------------------------------------------------------------------

test("every locale has exactly the keys the code uses, in each language's plural forms, with en's placeholders", () => {
  assert.deepEqual(checkLocales(ROOT), []);
});

test("the required languages are all there, and each one's plural categories are the ones covered", () => {
  const localesDir = path.join(ROOT, "extension", "_locales");
  for (const folder of REQUIRED_LOCALES) {
    assert.ok(fs.existsSync(path.join(localesDir, folder, "messages.json")), `${folder}: missing`);
  }
  // What Node 20 says (documented here so that an ICU update that changes them is noticed).
  const expected = {
    en: "one other", de: "one other", fr: "one many other", es: "one many other", it: "one many other",
    nl: "one other", pt_BR: "one many other", pl: "one few many other", sv: "one other", ja: "other",
    zh_CN: "other", cs: "one few other",
  };
  for (const folder of REQUIRED_LOCALES) {
    assert.equal(
      integerCategories(tagOf(folder)).cats.join(" "),
      expected[folder],
      `${folder}: Node's plural rules changed: give every plural message of ${folder} the new categories, then update this list`,
    );
  }
});

test("the English window title stays as the e2e suite finds it", () => {
  const en = readJson(path.join(ROOT, "extension/_locales/en/messages.json"));
  assert.equal(en.warningTitle.message, "CcGuard – check recipients");
});

test(`every plural message renders for ${COUNTS.join(", ")} in every locale, through plural.js`, () => {
  const { bases } = scanExtension(ROOT);
  const localesDir = path.join(ROOT, "extension", "_locales");
  const en = readJson(path.join(localesDir, "en/messages.json"));
  for (const base of Object.keys(en).map((k) => PLURAL_KEY.exec(k)?.[1]).filter(Boolean)) bases.set(base, "en");
  const failures = [];
  let rendered = 0;
  for (const folder of REQUIRED_LOCALES) {
    const messages = readJson(path.join(localesDir, folder, "messages.json"));
    const tag = messages.localeCode?.message ?? tagOf(folder);
    const get = getMessageFrom(messages);
    const number = new Intl.NumberFormat(tag);
    for (const base of bases.keys()) {
      // $1 is always the number the form is chosen by; the others get sample text.
      const width = Math.max(...Object.values(declared(en[`${base}_other`])).map((c) => Number(c.slice(1)) || 1));
      for (const n of COUNTS) {
        const subs = [number.format(n), ...Array.from({ length: width - 1 }, (_, k) => `«sub${k + 2}»`)];
        const category = new Intl.PluralRules(tag).select(n);
        const own = get(`${base}_${category}`, subs);
        const text = pluralMessage(get, base, n, subs, tag);
        rendered++;
        if (!own) failures.push(`${folder}: ${base} for ${n}: no ${base}_${category}`);
        if (!text) failures.push(`${folder}: ${base} for ${n}: renders empty`);
        else if (!text.includes(subs[0])) failures.push(`${folder}: ${base} for ${n}: "${text}" does not show ${subs[0]}`);
        if (/\$[A-Za-z0-9_@]+\$|\$\d/.test(text)) failures.push(`${folder}: ${base} for ${n}: "${text}" has a raw placeholder`);
        for (let k = 2; k <= width; k++) {
          if (!text.includes(`«sub${k}»`) && !(base === "rulePrivateHeadline" && category === "one")) {
            failures.push(`${folder}: ${base} for ${n}: "${text}" drops substitution $${k}`);
          }
        }
      }
    }
  }
  assert.deepEqual(failures, []);
  assert.ok(rendered > 3000, `only ${rendered} renderings`);
});

test("the check fails, naming locale and key, on each kind of mistake (a scratch copy)", (t) => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "ccguard-locales-"));
  t.after(() => fs.rmSync(scratch, { recursive: true, force: true }));
  fs.cpSync(path.join(ROOT, "extension"), path.join(scratch, "extension"), { recursive: true });
  fs.copyFileSync(path.join(ROOT, "build.sh"), path.join(scratch, "build.sh"));
  fs.mkdirSync(path.dirname(path.join(scratch, KEY_TABLE)), { recursive: true });
  fs.copyFileSync(path.join(ROOT, KEY_TABLE), path.join(scratch, KEY_TABLE));
  const baseline = new Set(checkLocales(scratch));

  const file = (folder) => path.join(scratch, "extension/_locales", folder, "messages.json");
  const edit = (folder, change) => {
    const messages = readJson(file(folder));
    change(messages);
    fs.writeFileSync(file(folder), JSON.stringify(messages, null, 2) + "\n");
  };
  edit("pl", (m) => delete m.ruleVisibleHeadline_few); // a plural form missing
  edit("ja", (m) => (m.ruleVisibleHeadline_one = { message: "$COUNT$ 人", placeholders: m.ruleVisibleHeadline_other.placeholders }));
  edit("de", (m) => (m.staleKey = { message: "Alt" })); // used nowhere
  edit("es", (m) => delete m.warningSplit.placeholders.bcc); // placeholders differ from en
  edit("it", (m) => (m.ruleShortVisible_one.message = "un destinatario visibile")); // literal 1, $COUNT$ dropped
  edit("fr", (m) => (m.localeCode.message = "fr-FR"));
  edit("nl", (m) => delete m.optionsSave); // a key from data-i18n
  edit("it", (m) => delete m.key_learnGroups_help); // a key of the key table
  const table = readJson(path.join(scratch, KEY_TABLE));
  table.keys.push(
    { name: "brandNewSwitch", type: "switch", default: true, group: "context" }, // a new key
    { name: "brandNewList", type: "list", entry: "domain", max: 1000, group: "brand-new" }, // in a new group
    { name: "brandNewChoice", type: "choice", choices: ["a", "b"], group: "when" }, // of a type the page lacks
  );
  fs.writeFileSync(path.join(scratch, KEY_TABLE), JSON.stringify(table));
  fs.rmSync(path.join(scratch, "extension/_locales/cs"), { recursive: true });
  fs.writeFileSync(file("sv"), '{ "extensionName": { "message": "CcGuard" }, }');
  const build = fs.readFileSync(path.join(scratch, "build.sh"), "utf8");
  fs.writeFileSync(path.join(scratch, "build.sh"), build.replace(/^\s*_locales\/zh_CN\/messages\.json\n/m, ""));
  const options = path.join(scratch, "extension/options/options.js");
  fs.appendFileSync(options, '\nmsg("optionsBrandNew");\nmsg(`options${"Dynamic"}`);\nconst r = { reason: "ruleMadeUpReason" };\n');
  const warning = path.join(scratch, "extension/warning/warning.js");
  fs.appendFileSync(warning, '\n// plural("commentedOut", 2) is a comment, not a use\nplural("warningBrandNewCount", 2, ["2"]);\n');

  const found = checkLocales(scratch).filter((p) => !baseline.has(p));
  const expect = [
    /^pl: missing key ruleVisibleHeadline_few \(Intl\.PluralRules\("pl"\) selects "few" for 2, 3, 4, 22/,
    /^ja: key ruleVisibleHeadline_one is unused: Intl\.PluralRules\("ja"\) selects "one" for no whole number/,
    /^de: key staleKey is unused: nothing in extension\/ shows it$/,
    /^es: warningSplit: \$BCC\$ is in the message but not a declared placeholder$/,
    /^es: warningSplit: placeholders differ from en's warningSplit: expected \{bcc: \$3, cc: \$2, to: \$1\}, found \{cc: \$2, to: \$1\}$/,
    /^it: ruleShortVisible_one: placeholder \$COUNT\$ is declared but not in the message$/,
    /^fr: localeCode is "fr-FR", expected "fr"/,
    /^nl: missing key optionsSave \(used at extension\/options\/options\.html:\d+\)$/,
    /^cs: missing locale: extension\/_locales\/cs\/messages\.json does not exist$/,
    /^sv: messages\.json is not valid JSON: /,
    /^zh_CN: _locales\/zh_CN\/messages\.json is not in XPI_FILES \(build\.sh\)/,
    /^en: missing key optionsBrandNew \(used at extension\/options\/options\.js:\d+\)$/,
    /^ja: missing key optionsBrandNew \(used at extension\/options\/options\.js:\d+\)$/,
    /^code: extension\/options\/options\.js:\d+: msg\(`options\$\{"Dynamic"\}`\) builds its message key at run time/,
    /^en: missing key ruleMadeUpReason \(used at extension\/options\/options\.js:\d+\)$/,
    /^en: missing key warningBrandNewCount_one \(Intl\.PluralRules\("en"\) selects "one" for 1/,
    /^pl: missing key warningBrandNewCount_few /,
    /^zh_CN: missing key warningBrandNewCount_other \(the fallback of every plural message/,
    /^it: missing key key_learnGroups_help \(used at build\/pkg\/policy-keys\.json/,
    /^en: missing key key_brandNewSwitch_label \(used at build\/pkg\/policy-keys\.json/,
    /^pl: missing key key_brandNewSwitch_help \(used at build\/pkg\/policy-keys\.json/,
    /^en: missing key key_brandNewList_label /,
    /^ja: missing key group_brandNew_label /,
    /^de: missing key group_brandNew_help /,
    /^key table: brandNewChoice: type "choice" \(group "when"\) is not one the options page shows/,
  ];
  for (const pattern of expect) {
    assert.ok(found.some((p) => pattern.test(p)), `expected a problem matching ${pattern}; found:\n${found.join("\n")}`);
  }
  assert.ok(!found.some((p) => p.includes("commentedOut")), "a comment counted as a use");
  // Without the key table nothing tells what the options page needs: that fails, never passes.
  fs.rmSync(path.join(scratch, KEY_TABLE));
  assert.ok(
    checkLocales(scratch).some((p) => p.startsWith(`key table: ${KEY_TABLE} cannot be read`)),
    "a missing key table is not reported",
  );
  // zh_CN/ja have only _other: a base they lack is reported once, not per category English has.
  assert.equal(found.filter((p) => p.startsWith("ja: missing key warningBrandNewCount")).length, 1);
});
