// The warning window's reading of the verdict (extension/warning/verdict.js) and its words
// (extension/warning/wording.js), in every language, without a browser.
// Run: node --test tests/extension/warning-words.test.mjs
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { readVerdict } from "../../extension/warning/verdict.js";
import { makeWording } from "../../extension/warning/wording.js";
import { partsText } from "../../extension/util.js";
import { makeRefusals } from "../../extension/options/refusals.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const LOCALES = ["en", "de", "fr", "es", "it", "nl", "pt_BR", "pl", "sv", "ja", "zh_CN", "cs"];

/** i18n.getMessage over one messages.json ("" for a missing key, as Thunderbird). */
function messagesOf(folder) {
  const messages = JSON.parse(fs.readFileSync(path.join(ROOT, "extension/_locales", folder, "messages.json"), "utf8"));
  return (key, substitutions = []) => {
    const entry = messages[key];
    if (!entry) return "";
    const content = Object.fromEntries(
      Object.entries(entry.placeholders ?? {}).map(([name, p]) => [name.toLowerCase(), p.content]),
    );
    const subs = Array.isArray(substitutions) ? substitutions : [substitutions];
    return entry.message
      .replace(/\$([A-Za-z0-9_@]+)\$/g, (all, name) => content[name.toLowerCase()] ?? all)
      .replace(/\$(\d+)/g, (all, i) => String(subs[i - 1] ?? ""));
  };
}

const wordsIn = (folder) => makeWording(messagesOf(folder), folder.replace("_", "-"));
const en = wordsIn("en");

const BIDI = /[\u202A-\u202E\u2066-\u2069\u200E\u200F]/;

function verdict(extra = {}) {
  return readVerdict({
    action: "warn",
    blocked: false,
    counts: { visible: 43, to: 1, cc: 42, bcc: 0, internal: 0, external: 43, private: 43, allowed: 0 },
    distinctDomains: 2,
    organisations: 0,
    privateDomains: 2,
    domains: [{ domain: "gmail.com", count: 40, kind: "private" }],
    visible: [],
    rules: [{ id: "private-individuals", count: 43, threshold: 3, domains: 2 }],
    context: { thread: null, groups: 0, known: 0, newcomers: 0, exposed: 43 },
    lists: [],
    unresolvedLists: [],
    mixed: false,
    problems: [],
    ...extra,
  });
}

test("a verdict of the wrong shape is read field by field, never trusted", () => {
  assert.equal(readVerdict(null), null);
  assert.equal(readVerdict([1, 2]), null);
  const v = readVerdict({
    counts: { visible: -3, to: "12", cc: 2.7, bcc: Infinity },
    rules: [{ id: "hard-limit", count: 5 }, "junk", { id: 7 }],
    visible: [{ name: "Eve \u202Eevil", email: "eve@x.example", field: "bcc?", kind: "alien", known: "no" }, null],
    domains: [{ domain: 42 }],
    context: { thread: "sideways", known: "lots", newcomers: 2 },
    lists: ["Club \u2067x", { name: "Team", resolved: false }, 5],
    problems: [{ input: "bad <", problem: "unclosed-quote", field: "cc" }],
    canMoveToBcc: "yes",
    canRemember: true,
  });
  assert.deepEqual(v.counts.visible, null);
  assert.equal(v.counts.to, null);
  assert.equal(v.counts.cc, 2);
  assert.equal(v.counts.bcc, null);
  assert.deepEqual(v.rules.map((r) => r.id), ["hard-limit"]);
  assert.equal(v.blocked, true, "a hard limit that fired blocks, whatever `blocked` says");
  assert.equal(v.visible.length, 1);
  assert.equal(v.visible[0].field, null);
  assert.equal(v.visible[0].kind, null);
  assert.equal(v.visible[0].known, null);
  assert.ok(!BIDI.test(v.visible[0].name), "bidi controls reach the window");
  assert.deepEqual(v.domains, []);
  assert.deepEqual(v.context, { thread: null, groups: 0, known: 0, newcomers: 2, exposed: null });
  assert.deepEqual(v.lists.map((l) => [l.name, l.resolved]), [["Club  x", null], ["Team", false]]);
  assert.equal(v.canMoveToBcc, false);
  assert.equal(v.canRemember, true);
  assert.equal(v.degraded, null);
});

test("a degraded verdict offers no rewrite and no remembering, and keeps its code", () => {
  const v = readVerdict({ degraded: { code: "table-checksum", detail: "crc" }, canMoveToBcc: true, canRemember: true });
  assert.deepEqual(v.degraded, { code: "table-checksum", detail: "crc" });
  assert.equal(v.canMoveToBcc, false);
  assert.equal(v.canRemember, false);
  assert.deepEqual(readVerdict({ degraded: true, error: "boom" }).degraded, { code: "unknown", detail: "boom" });
  assert.deepEqual(readVerdict({ degraded: { code: "<script>" } }).degraded, { code: "unknown", detail: "" });
});

test("the headline says who would newly see whom, from the context's numbers", () => {
  const thread = en.top(verdict({ context: { thread: "outside", groups: 0, known: 40, newcomers: 3, exposed: 43 } }));
  assert.equal(thread.headline, "3 people you added would see the addresses of 40 people already in this conversation");
  assert.deepEqual(thread.rules, ["43 private individuals exposed"], "every rule is listed under a context headline");
  assert.ok(thread.note, "no note explains who counts");

  const group = en.top(verdict({ context: { thread: null, groups: 1, known: 40, newcomers: 1, exposed: 41 } }));
  assert.equal(group.headline, "1 person you added would see the addresses of 40 people who already know each other");

  const strangers = en.top(verdict({ context: { thread: null, groups: 2, known: 43, newcomers: 0, exposed: 43 } }));
  assert.equal(strangers.headline, "People from 2 groups who have not met would see each other's addresses");

  const inside = en.top(verdict({ context: { thread: "inside", groups: 0, known: 0, newcomers: 43, exposed: 43 } }));
  assert.match(inside.headline, /^43 private individuals from 2 domains/);
  assert.match(inside.note, /own organisation/);

  // The hard limit keeps its own headline: Send anyway is off, that comes first.
  const hard = en.top(
    verdict({
      rules: [{ id: "hard-limit", count: 43, threshold: 20 }],
      context: { thread: "outside", groups: 0, known: 40, newcomers: 3, exposed: 43 },
    }),
  );
  assert.match(partsText(hard.headline), /more than the 20/);
});

test("a forward says what its header shows everyone, and when Bcc cannot hide it", () => {
  const top = (shown, bccCannotHide) => en.top(verdict({ forwarded: { shown, bccCannotHide } }));
  // Bcc still fixes the To/Cc part: the rule's own headline, the header in a note.
  const hidable = top(12, false);
  assert.match(hidable.headline, /^43 private individuals/);
  assert.equal(
    hidable.note,
    "The forwarded message shows 12 people's addresses from its header to everyone you send it to, Bcc included.",
  );
  // Bcc cannot hide it: the header is the headline, the reason says why Bcc would not help.
  const stuck = top(1, true);
  assert.equal(stuck.headline, "The forwarded message would show 1 person's address to people who were not on it");
  assert.match(stuck.reason, /Bcc included, so moving recipients to Bcc would not hide them/);
  assert.doesNotMatch(stuck.reason, /Bcc keeps/);
  assert.match(stuck.note, /delete the forwarded header .* then choose Send anyway\.$/);
  assert.deepEqual(stuck.rules, ["43 private individuals exposed"]);
  // Nobody new in the header, a count that is not a number, or no header: the usual window.
  assert.equal(top(0, false).note, "");
  assert.match(top(0, true).headline, /^43 private individuals/);
  assert.equal(en.top(verdict({ forwarded: { shown: "12" } })).note, "", "a count that is not a number is not shown");
  const inside = { thread: "inside", groups: 0, known: 0, newcomers: 43, exposed: 43 };
  assert.match(en.top(verdict({ context: inside, forwarded: null })).note, /own organisation/);
  // The hard limit keeps its headline: Send anyway is off, that comes first.
  const hard = en.top(verdict({ rules: [{ id: "hard-limit", count: 43, threshold: 20 }], forwarded: { shown: 5, bccCannotHide: true } }));
  assert.match(partsText(hard.headline), /more than the 20/);
});

test("newcomers get a badge only when some people are known", () => {
  const v = verdict({ context: { thread: "outside", groups: 0, known: 40, newcomers: 3, exposed: 43 } });
  assert.equal(en.newcomerBadge(v, { known: false }), "added");
  assert.equal(en.newcomerBadge(v, { known: true }), "");
  const g = verdict({ context: { thread: null, groups: 1, known: 40, newcomers: 3, exposed: 43 } });
  assert.equal(en.newcomerBadge(g, { known: false }), "new to this group");
  assert.equal(en.newcomerBadge(verdict(), { known: false }), "", "no context: nobody is 'added'");
});

test("list names in a sentence come back as isolated parts, never as markup", () => {
  const v = verdict({
    rules: [{ id: "unresolved-list", count: 2, threshold: 0 }],
    lists: [
      { name: "Club \u202E<b>", field: "cc", members: 0, nested: false, resolved: false },
      { name: "Parents", field: "cc", members: 0, nested: false, resolved: false },
    ],
  });
  const { headline } = en.top(v);
  assert.ok(Array.isArray(headline), "a headline naming lists is parts");
  const outside = headline.filter((p) => typeof p !== "string").map((p) => p.outside);
  assert.deepEqual(outside, ["Club  <b>", "Parents"]);
  assert.equal(partsText(headline), "CcGuard cannot see who is in 2 address-book lists: “Club  <b>” and “Parents”");
  assert.deepEqual(en.via("R\u202Eeve"), ["via ", { outside: "R eve" }]);
});

test("every code is worded in every language: rules, context, problems, degraded, refusals", () => {
  const degraded = ["wasm-load", "wasm-crash", "table-not-a-table", "table-truncated", "table-checksum",
    "table-trailing-data", "table-missing-sentinel", "bad-message", "timeout", "unknown", "from-the-future"];
  const problems = ["no-address", "missing-local-part", "missing-domain", "space-in-address", "invalid-domain",
    "unclosed-quote", "unclosed-comment", "unclosed-domain-literal", "from-the-future"];
  const refusals = [{ code: "not-a-threshold", max: 100000 }, { code: "not-a-number", min: 1, max: 600 },
    { code: "too-many", max: 1000 }, { code: "not-a-role", choices: ["a", "b"] },
    ...["not-an-object", "not-a-switch", "not-a-list", "not-a-string", "not-a-domain-pattern", "not-a-domain", "not-an-address",
      "empty", "not-identities", "not-an-identity-address", "not-identity-settings", "not-a-key-name", "not-a-lock", "from-the-future"]
      .map((code) => ({ code }))];
  const contexts = [
    { thread: "outside", groups: 0, known: 40, newcomers: 3 },
    { thread: null, groups: 1, known: 1, newcomers: 1 },
    { thread: null, groups: 3, known: 30, newcomers: 0 },
    { thread: "inside", groups: 0, known: 0, newcomers: 5 },
  ];
  const failures = [];
  const check = (folder, what, text) => {
    const s = partsText(text);
    if (!s.trim()) failures.push(`${folder}: ${what}: empty`);
    if (/\$[A-Za-z0-9_@]+\$|\$\d|\uE000/.test(s)) failures.push(`${folder}: ${what}: raw placeholder in ${JSON.stringify(s)}`);
  };
  for (const folder of LOCALES) {
    const words = wordsIn(folder);
    const get = messagesOf(folder);
    for (const code of degraded) {
      const d = words.degraded(readVerdict({ degraded: { code, detail: "x" }, counts: { to: 1, cc: 30 } }));
      for (const [part, text] of Object.entries(d)) if (part !== "note") check(folder, `degraded ${code} ${part}`, text);
      if (d.note !== "") failures.push(`${folder}: degraded ${code}: a note without a forward`);
      const fwd = words.degraded(readVerdict({ degraded: { code }, counts: { to: 1, cc: 0 }, forwarded: { shown: 13 } }));
      check(folder, `degraded ${code} forward note`, fwd.note);
    }
    const whys = new Set(degraded.slice(0, 10).map((code) => words.degraded(readVerdict({ degraded: { code } })).reason));
    if (whys.size !== 10) failures.push(`${folder}: two degraded codes read the same`);
    for (const code of problems) check(folder, `problem ${code}`, words.problem(code));
    const refusal = makeRefusals(get, String, (items) => items.join(", "));
    for (const reason of refusals) check(folder, `refusal ${reason.code}`, refusal(reason));
    for (const context of contexts) {
      const top = words.top(verdict({ context: { ...context, exposed: 5 } }));
      for (const [part, text] of Object.entries(top)) {
        if (part === "rules") text.forEach((line, i) => check(folder, `context rule ${i}`, line));
        else if (part !== "total" && part !== "note") check(folder, `context ${JSON.stringify(context)} ${part}`, text);
      }
    }
    for (const shown of [1, 2, 5, 22, 1000]) {
      const note = words.top(verdict({ forwarded: { shown, bccCannotHide: false } })).note;
      check(folder, `forward note ${shown}`, note);
      if (!partsText(note).includes(words.fmt(shown))) failures.push(`${folder}: forward note ${shown}: no count`);
      const stuck = words.top(verdict({ forwarded: { shown, bccCannotHide: true } }));
      for (const part of ["headline", "reason", "note"]) check(folder, `forward ${shown} ${part}`, stuck[part]);
      if (!partsText(stuck.headline).includes(words.fmt(shown))) failures.push(`${folder}: forward headline ${shown}: no count`);
    }
    check(folder, "badge added", words.newcomerBadge(verdict({ context: contexts[0] }), { known: false }));
    check(folder, "badge new to group", words.newcomerBadge(verdict({ context: contexts[1] }), { known: false }));
  }
  assert.deepEqual(failures, []);
});

test("the question names the address as outside text and says what work would warn about", () => {
  const ask = { identity: "mia\u202Etherapy@gmail.com", rules: [{ id: "private-individuals", count: 6, threshold: 3, domains: 3 }] };
  const asked = verdict({ action: "allow", rules: [], askRole: ask });
  assert.equal(asked.askRole.identity, "mia therapy@gmail.com", "a bidi control is not kept");
  for (const folder of LOCALES) {
    const q = wordsIn(folder).question(asked);
    const outside = q.headline.filter((p) => typeof p !== "string");
    assert.deepEqual(outside, [{ outside: "mia therapy@gmail.com" }], folder);
    assert.ok(q.reason && q.note, folder);
    assert.equal(q.rules.length, 1, folder);
    assert.match(q.rules[0], /6/, folder);
  }
  assert.equal(partsText(en.question(asked).headline), "What do you use mia therapy@gmail.com for?");
  assert.deepEqual(en.question(asked).rules, ["6 private individuals exposed"]);
  // Only a send the core let through is a question; a warning never is.
  assert.equal(verdict({ askRole: ask }).askRole, null);
  assert.equal(verdict({ action: "allow", askRole: { identity: "", rules: ask.rules } }).askRole, null);
  assert.equal(verdict({ action: "allow", askRole: { identity: "a@b.c", rules: [] } }).askRole, null);
});
