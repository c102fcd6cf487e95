// The WASM package's public contract (docs/architecture.md), tested on the built bytes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import {
  parseAddressList,
  evaluate,
  moveToBcc,
  moveExternalToBcc,
  visibleAddresses,
  receivedGroup,
  defaultPolicy,
  readPolicy,
  loadPrivateDomains,
  privateDomainCount,
  tablePath,
  policyKeys,
} from "./load.mjs";
import { customers, colleagues, CONSUMER_DOMAINS, HOME_DOMAIN, domainOf } from "./fixtures.mjs";
import { decode, encode, fingerprint } from "./tables.mjs";

const SENDER = `Support <support@${HOME_DOMAIN}>`;
// Every rule off: spread one key over it to test that rule alone.
const OFF = {
  privateThreshold: 0, externalThreshold: 0, organisationThreshold: 0, colleagueThreshold: 0, audienceThreshold: 0, hardLimit: 0,
};
const ids = (verdict) => verdict.rules.map((r) => r.id);
const rule = (verdict, id) => verdict.rules.find((r) => r.id === id);
const emailsOf = (strings) => strings.flatMap((s) => parseAddressList(s).map((m) => m.email));
// How CcGuard classifies a recipient's domain, for a sender at HOME_DOMAIN.
const kindOf = (domain) => evaluate({ from: SENDER, to: [`someone@${domain}`] }).domains[0].kind;
// Colleagues: the sender's domain and its subdomains.
const isColleague = (s) => {
  const d = domainOf(s);
  return d === HOME_DOMAIN || d.endsWith(`.${HOME_DOMAIN}`);
};
// A pill as Thunderbird's compose window gives an address-book list.
const listRef = (name) => `${name} <"${name}">`;
// The contract's errors: a JS Error with a `code`, its message for logs.
const withCode = (code) => (e) => e instanceof Error && e.code === code;
const NO_CONTEXT = { thread: null, groups: 0, known: 0, newcomers: 0 };
// What the verdict holds, and nothing else (no English, no rewrite: those are asked for).
const VERDICT_KEYS = ["action", "blocked", "counts", "distinctDomains", "organisations", "privateDomains", "domains",
  "visible", "visibleTruncated", "rules", "context", "forwarded", "askRole", "lists", "unresolvedLists", "mixed", "problems"];

test("defaultPolicy is a plain object with every key at its documented default", () => {
  const policy = defaultPolicy();
  assert.equal(Object.getPrototypeOf(policy), Object.prototype);
  assert.equal(Object.getPrototypeOf(policy.identities), Object.prototype);
  assert.deepEqual(policy, {
    privateThreshold: 3,
    externalThreshold: 10,
    organisationThreshold: 4,
    colleagueThreshold: 40,
    audienceThreshold: 1000,
    hardLimit: 0,
    rememberGroups: true,
    learnGroups: true,
    separateLimit: 100,
    separatePerMinute: 120,
    separateKeepCopies: false,
    internalDomains: [],
    privateDomains: [],
    notPrivateDomains: [],
    allowedAddresses: [],
    allowedDomains: [],
    allowedLists: [],
    identities: {},
  });
});

test("defaultPolicy is the key table's defaults (build/pkg/policy-keys.json), key for key and in its order", () => {
  const policy = defaultPolicy();
  assert.deepEqual(Object.keys(policy), policyKeys.keys.map((k) => k.name));
  const empty = { list: [], identities: {} };
  for (const key of policyKeys.keys) {
    const expected = key.type in empty ? empty[key.type] : key.default;
    assert.notEqual(expected, undefined, `${key.name}: the table gives no default for a ${key.type}`);
    assert.deepEqual(policy[key.name], expected, key.name);
    // The default is within the key's own bounds.
    if (key.type === "threshold" || key.type === "number") assert.ok(expected >= (key.min ?? 0) && expected <= key.max, key.name);
  }
  // Every threshold names the rule it drives, and that rule exists in verdicts.
  const rules = [
    "hard-limit", "unresolved-list", "private-individuals", "external-recipients", "external-organisations",
    "colleagues-exposed", "large-audience",
  ];
  for (const key of policyKeys.keys.filter((k) => k.type === "threshold")) {
    assert.ok(rules.includes(key.rule), `${key.name} drives ${key.rule}`);
    assert.equal(key.perIdentity, true, key.name);
  }
  assert.deepEqual(policyKeys.identityKeys.map((k) => [k.name, k.type, k.choices]), [["role", "choice", ["organisation", "personal", "sensitive"]]]);
});

test("parseAddressList returns jsmime-shaped mailboxes and groups", () => {
  assert.deepEqual(
    parseAddressList('"Doe, Jane" <jane@x.example>, undisclosed-recipients:;, bob@y.example'),
    [
      { name: "Doe, Jane", email: "jane@x.example" },
      { name: "undisclosed-recipients", group: [] },
      { name: "", email: "bob@y.example" },
    ],
  );
});

test("parseAddressList decodes RFC 2047 names with the host's TextDecoder, in any charset it knows", () => {
  assert.deepEqual(parseAddressList("=?UTF-8?B?SsO8cmdlbg==?= <j@x.de>, =?ISO-8859-1?Q?Andr=E9?= <a@y.fr>"), [
    { name: "Jürgen", email: "j@x.de" },
    { name: "André", email: "a@y.fr" },
  ]);
  // Once a known limit ("shown as the raw encoded word"): KOI8-R, and a Shift_JIS name whose
  // second character is split across two words.
  assert.deepEqual(parseAddressList("=?KOI8-R?B?8NLJ18XU?= <koi@example.ru>"), [{ name: "Привет", email: "koi@example.ru" }]);
  const sjis = new Uint8Array([0x97, 0xe9, 0x96, 0xd8]); // 鈴木
  const b64 = (bytes) => Buffer.from(bytes).toString("base64");
  assert.deepEqual(parseAddressList(`=?Shift_JIS?B?${b64(sjis.subarray(0, 3))}?= =?Shift_JIS?B?${b64(sjis.subarray(3))}?= <s@x.jp>`), [
    { name: "鈴木", email: "s@x.jp" },
  ]);
  // A charset no TextDecoder knows stays as written.
  assert.deepEqual(parseAddressList("=?x-unknown?Q?abc?= <u@x.example>"), [{ name: "=?x-unknown?Q?abc?=", email: "u@x.example" }]);
});

test("loadPrivateDomains loads the shipped table, refuses a broken one with its code and keeps the previous", () => {
  const bytes = new Uint8Array(readFileSync(tablePath));
  assert.ok(privateDomainCount > 14000, `only ${privateDomainCount} consumer domains in the shipped table`);
  assert.equal(loadPrivateDomains(bytes), privateDomainCount);
  for (const d of CONSUMER_DOMAINS) assert.equal(kindOf(d), "private", d);
  assert.equal(kindOf("partner.example"), "external");

  const broken = [
    [new Uint8Array(0), "table-not-a-table"],
    [new TextEncoder().encode("gmail.com\nyahoo.com\nweb.de\n"), "table-not-a-table"],
    [new Uint8Array(64).fill(0xff), "table-not-a-table"],
    [bytes.subarray(0, 12), "table-truncated"],
    [bytes.subarray(0, bytes.length - 1), "table-checksum"],
  ];
  for (const [garbage, code] of broken) {
    assert.throws(() => loadPrivateDomains(garbage), withCode(code), code);
    // The table in force is still the shipped one.
    assert.equal(kindOf("gmail.com"), "private");
    assert.equal(evaluate({ from: SENDER, to: ["ann@gmail.com"] }).counts.private, 1);
  }
});

test("the table loaded last is the one that classifies", () => {
  // A well-formed table of two domains (it must hold gmail.com, or it is the wrong file).
  const shipped = decode(new Uint8Array(readFileSync(tablePath)));
  assert.ok(shipped.includes(fingerprint("gmail.com")), "tables.mjs computes the core's fingerprints");
  const small = encode([fingerprint("gmail.com"), fingerprint("uni.example")]);
  try {
    assert.equal(loadPrivateDomains(small), 2);
    assert.equal(kindOf("gmail.com"), "private");
    assert.equal(kindOf("uni.example"), "private");
    assert.equal(kindOf("yahoo.com"), "external");
  } finally {
    assert.equal(loadPrivateDomains(readFileSync(tablePath)), privateDomainCount);
  }
  assert.equal(kindOf("yahoo.com"), "private");
  assert.equal(kindOf("uni.example"), "external");
});

test("the Sonos case: 475 customers in Cc warns about exactly 475 private individuals", () => {
  const cc = customers(475);
  const message = { from: SENDER, to: [], cc, bcc: [] };
  const verdict = evaluate(message, defaultPolicy());
  assert.deepEqual(Object.keys(verdict), VERDICT_KEYS);
  assert.equal(verdict.action, "warn");
  assert.equal(verdict.blocked, false);
  // Every customer of the fixture is on a consumer domain: private, hence external too.
  assert.deepEqual(verdict.counts, { visible: 475, to: 0, cc: 475, bcc: 0, internal: 0, external: 475, private: 475, allowed: 0 });
  const perDomain = new Map();
  for (const c of cc) perDomain.set(domainOf(c), (perDomain.get(domainOf(c)) ?? 0) + 1);
  assert.equal(perDomain.size, CONSUMER_DOMAINS.length);
  assert.equal(verdict.privateDomains, perDomain.size);
  assert.equal(verdict.organisations, 0);
  // 475 private >= 3 and 475 external >= 10; no organisation; 475 < 1000 for the audience.
  // Rules by id with their numbers; the extension words them.
  assert.deepEqual(verdict.rules, [
    { id: "private-individuals", count: 475, threshold: 3, domains: perDomain.size },
    { id: "external-recipients", count: 475, threshold: 10 },
  ]);
  // No thread, no known group: everyone is newly exposed.
  assert.deepEqual(verdict.context, { ...NO_CONTEXT, exposed: 475 });
  assert.equal(verdict.mixed, false);
  // The window shows a sample; the count is always complete.
  assert.equal(verdict.visible.length, 100);
  assert.equal(verdict.visibleTruncated, true);
  assert.deepEqual(verdict.visible[0], { ...parseAddressList(cc[0])[0], field: "cc", kind: "private", list: null, known: false });
  assert.deepEqual(verdict.visible.map((r) => r.email), cc.slice(0, 100).map((c) => parseAddressList(c)[0].email));
  // Domains: most recipients first, ties by name.
  const expected = [...perDomain]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([domain, count]) => ({ domain, count, kind: "private" }));
  assert.deepEqual(verdict.domains, expected);
  assert.equal(verdict.distinctDomains, perDomain.size);
  // Nobody to keep in place: only the Move-everyone rewrite applies.
  assert.equal(moveExternalToBcc(message, defaultPolicy()), null);
  assert.equal(moveToBcc(message, defaultPolicy()).bcc.length, 475);
});

test("customers on business domains also fire the organisations rule", () => {
  const cc = customers(475, { businessEvery: 4 });
  const verdict = evaluate({ from: SENDER, cc }, defaultPolicy());
  const consumer = new Set(CONSUMER_DOMAINS);
  const priv = cc.filter((c) => consumer.has(domainOf(c)));
  const firms = new Set(cc.filter((c) => !consumer.has(domainOf(c))).map(domainOf));
  assert.equal(priv.length, 475 - Math.floor(475 / 4));
  assert.deepEqual(
    { ...verdict.counts },
    { visible: 475, to: 0, cc: 475, bcc: 0, internal: 0, external: 475, private: priv.length, allowed: 0 },
  );
  assert.equal(verdict.organisations, firms.size);
  assert.equal(verdict.privateDomains, new Set(priv.map(domainOf)).size);
  assert.equal(verdict.distinctDomains, firms.size + verdict.privateDomains);
  assert.equal(verdict.domains.length, 50);
  assert.deepEqual(verdict.rules, [
    { id: "private-individuals", count: priv.length, threshold: 3, domains: verdict.privateDomains },
    { id: "external-recipients", count: 475, threshold: 10 },
    { id: "external-organisations", count: firms.size, threshold: 4 },
  ]);
});

test("long lists cross in slices without losing or merging a recipient", () => {
  for (const n of [1023, 1024, 1025, 2500]) {
    const cc = customers(n);
    const verdict = evaluate({ from: SENDER, cc }, defaultPolicy());
    assert.equal(verdict.counts.visible, n);
    assert.equal(verdict.counts.private, n);
    assert.equal(verdict.action, "warn");
    assert.deepEqual(moveToBcc({ from: SENDER, cc }, defaultPolicy()).bcc, cc);
  }
});

test("Move to Bcc puts the sender in To and every customer in Bcc", () => {
  const cc = customers(475);
  const rewrite = moveToBcc({ from: SENDER, to: [], cc, bcc: [] }, defaultPolicy());
  assert.deepEqual(Object.keys(rewrite), ["to", "cc", "bcc"]);
  assert.deepEqual(rewrite.to, [SENDER]);
  assert.deepEqual(rewrite.cc, []);
  assert.equal(rewrite.bcc.length, 475);
  const bcc = new Set(emailsOf(rewrite.bcc));
  for (const c of cc) assert.ok(bcc.has(parseAddressList(c)[0].email), `${c} lost by Move to Bcc`);
});

test("a message below the threshold is allowed, and the verdict carries no rewrite", () => {
  // 3 people at 3 organisations: below 10 external people and 4 organisations, no private one.
  const verdict = evaluate({ from: SENDER, to: ["a@x.example", "b@y.example"], cc: ["c@z.example"] }, defaultPolicy());
  assert.equal(verdict.action, "allow");
  assert.deepEqual(verdict.rules, []);
  assert.equal(verdict.counts.visible, 3);
  assert.equal(verdict.counts.external, 3);
  assert.equal(verdict.organisations, 3);
  // An allowed send pays for no rewrite: they are separate calls, made when the user is asked.
  assert.deepEqual(Object.keys(verdict), VERDICT_KEYS);
});

test("each rule fires at its threshold, not below, and 0 switches it off", () => {
  const cases = [
    // [rule id, policy key, threshold, n => recipients counted n times by that rule]
    ["private-individuals", "privateThreshold", 3, (n) => customers(n)],
    ["external-recipients", "externalThreshold", 5, (n) => Array.from({ length: n }, (_, i) => `p${i}@partner.example`)],
    ["external-organisations", "organisationThreshold", 4, (n) => Array.from({ length: n }, (_, i) => `x@org${i}.example`)],
    ["large-audience", "audienceThreshold", 6, (n) => colleagues(n)],
  ];
  for (const [id, key, threshold, recipients] of cases) {
    const policy = { ...OFF, [key]: threshold };
    const below = evaluate({ from: SENDER, cc: recipients(threshold - 1) }, policy);
    assert.equal(below.action, "allow", `${id} below its threshold`);
    const at = evaluate({ from: SENDER, cc: recipients(threshold) }, policy);
    assert.equal(at.action, "warn", `${id} at its threshold`);
    assert.deepEqual(ids(at), [id]);
    assert.equal(at.rules[0].count, threshold);
    assert.equal(at.rules[0].threshold, threshold);
    assert.equal(at.blocked, false);
    assert.equal(evaluate({ from: SENDER, cc: recipients(50) }, OFF).action, "allow", `${id} off`);
  }
  // The hard limit fires above it (not at it), comes first and blocks the send.
  const policy = { ...defaultPolicy(), hardLimit: 5 };
  const at = evaluate({ from: SENDER, cc: colleagues(5) }, policy);
  assert.equal(at.action, "allow");
  const above = evaluate({ from: SENDER, cc: customers(6) }, policy);
  assert.equal(above.action, "warn");
  assert.equal(above.blocked, true);
  assert.deepEqual(ids(above), ["hard-limit", "private-individuals"]);
  assert.deepEqual(above.rules[0], { id: "hard-limit", count: 6, threshold: 5 });
});

test("the sender, duplicates and Bcc do not count", () => {
  const policy = { ...OFF, audienceThreshold: 3 }; // everyone visible counts
  const to = ["Support <SUPPORT@shop.example>", "a@x.example"];
  const cc = ["A <A@X.example>", "b@x.example"];
  const bcc = customers(50);
  const verdict = evaluate({ from: SENDER, to, cc, bcc }, policy);
  assert.equal(verdict.counts.visible, 2);
  assert.equal(verdict.counts.to, 1);
  assert.equal(verdict.counts.cc, 1);
  assert.equal(verdict.counts.bcc, 50);
  assert.equal(verdict.counts.private, 0);
  assert.equal(verdict.action, "allow");
  // One more visible person reaches the threshold.
  assert.equal(evaluate({ from: SENDER, to, cc: [...cc, "c@x.example"], bcc }, policy).action, "warn");
  // The user's other addresses are never counted either.
  const own = evaluate({ from: SENDER, to, cc: [...cc, "Me <me.private@gmail.com>"], ownAddresses: ["support@shop.example", "ME.private@gmail.com"] }, policy);
  assert.equal(own.counts.visible, 2);
});

test("to, cc and bcc may each be a single string holding several addresses", () => {
  const policy = { ...OFF, audienceThreshold: 3 }; // everyone visible counts
  const verdict = evaluate({ from: SENDER, to: "a@x.example, b@x.example", cc: "c@x.example", bcc: "d@x.example, e@x.example" }, policy);
  assert.equal(verdict.counts.visible, 3);
  assert.equal(verdict.counts.bcc, 2);
  assert.equal(verdict.action, "warn");
  assert.deepEqual(verdict.rules, [{ id: "large-audience", count: 3, threshold: 3 }]);
});

test("a threshold of 0 switches its rule off; all at 0, nothing warns", () => {
  const cc = customers(475);
  assert.deepEqual(ids(evaluate({ from: SENDER, cc }, { privateThreshold: 0 })), ["external-recipients"]);
  assert.deepEqual(ids(evaluate({ from: SENDER, cc }, { externalThreshold: 0 })), ["private-individuals"]);
  assert.equal(evaluate({ from: SENDER, cc }, { privateThreshold: 0, externalThreshold: 0 }).action, "allow");
  const all = [...customers(2000, { businessEvery: 3 }), ...colleagues(100)];
  assert.equal(evaluate({ from: SENDER, cc: all }, OFF).action, "allow");
  // The version 1 key is the external threshold.
  assert.deepEqual(ids(evaluate({ from: SENDER, cc }, { threshold: 0 })), ["private-individuals"]);
});

test("colleagues shown to someone outside the organisation warn from 40; among themselves they do not", () => {
  const vendor = "Megan <megan@vendor.example>";
  const staff = colleagues(40);
  const v = evaluate({ from: SENDER, to: [vendor], cc: staff });
  assert.deepEqual(v.rules, [{ id: "colleagues-exposed", count: 40, threshold: 40 }]);
  assert.equal(evaluate({ from: SENDER, to: [vendor], cc: staff.slice(1) }).action, "allow");
  assert.equal(evaluate({ from: SENDER, cc: staff }).action, "allow");
  // The vendor in Bcc sees no one: Move to Bcc of the outsider alone is enough.
  assert.equal(evaluate({ from: SENDER, cc: staff, bcc: [vendor] }).action, "allow");
  assert.equal(evaluate({ from: SENDER, to: [vendor], cc: staff }, { colleagueThreshold: 0 }).action, "allow");
});

test("the version 1 key 'threshold' is read as externalThreshold, unless that is set", () => {
  const cc = customers(12);
  const v1 = evaluate({ from: SENDER, cc }, { threshold: 12, privateThreshold: 0 });
  assert.deepEqual(v1.rules, [{ id: "external-recipients", count: 12, threshold: 12 }]);
  assert.equal(evaluate({ from: SENDER, cc }, { threshold: 13, privateThreshold: 0 }).action, "allow");
  assert.equal(evaluate({ from: SENDER, cc }, { threshold: 12, externalThreshold: 20, privateThreshold: 0 }).action, "allow");
  assert.equal(readPolicy({ threshold: 12, externalThreshold: 20 }).policy.externalThreshold, 20);
});

test("a missing policy means the default policy, unknown keys are ignored", () => {
  const message = { from: SENDER, cc: customers(10) };
  assert.deepEqual(evaluate(message), evaluate(message, defaultPolicy()));
  assert.deepEqual(evaluate(message, {}), evaluate(message, defaultPolicy()));
  assert.deepEqual(evaluate(message, null), evaluate(message, defaultPolicy()));
  assert.deepEqual(ids(evaluate(message)), ["private-individuals", "external-recipients"]);
  // 10 private, 10 external: below 11 for both.
  assert.equal(evaluate(message, { privateThreshold: 11, externalThreshold: 11, someFutureKey: true }).action, "allow");
});

test("a message that cannot be read is an Error with code bad-message, and the module keeps working", () => {
  const unreadable = [
    { from: SENDER, to: 42 },
    { from: SENDER, cc: ["a@x.example", { id: "c1", type: "contact" }] },
    null,
    undefined,
    "a@x.example",
    [],
    { from: SENDER, ownAddresses: "me@shop.example" },
    { from: 42 },
    { from: SENDER, identityEmail: 5 },
    { from: SENDER, related: "x" },
    { from: SENDER, knownGroups: [["a@x.example", 1]] },
  ];
  for (const message of unreadable) {
    for (const call of [evaluate, moveToBcc, moveExternalToBcc]) {
      assert.throws(
        () => call(message, defaultPolicy()),
        (e) => withCode("bad-message")(e) && /^CcGuard could not read the message: /.test(e.message),
        `${call.name}(${JSON.stringify(message)})`,
      );
    }
  }
  assert.equal(evaluate({ from: SENDER, cc: customers(2) }, defaultPolicy()).counts.visible, 2);
});

test("malformed lists are refused with bad-message; a list without members is unresolved", () => {
  const ref = listRef("Club");
  const malformed = [
    [{ ref, name: 42, members: [] }],
    [null],
    {},
    "Club",
    [{ ref, name: "Club", members: "a@x.example" }],
    [{ ref, name: "Club", members: ["a@x.example", 7] }],
  ];
  for (const lists of malformed) {
    assert.throws(() => evaluate({ from: SENDER, cc: [ref], lists }), withCode("bad-message"), JSON.stringify(lists));
  }
  // Fields left out are empty: without `members` nobody knows who is on the list (fail closed).
  const partial = evaluate({ from: SENDER, cc: [ref], lists: [{ ref }] });
  assert.deepEqual(ids(partial), ["unresolved-list"]);
  // And a well-formed one still reads.
  const ok = evaluate({ from: SENDER, cc: [ref], lists: [{ ref, name: "Club", members: ["a@x.example"] }] });
  assert.equal(ok.counts.visible, 1);
});

test("a malformed policy key keeps its default, so protection stays on", () => {
  // 10 people on consumer domains, private rule off: only the external rule, at its default 10.
  const verdict = evaluate({ from: SENDER, cc: customers(10) }, { externalThreshold: "ten", privateThreshold: 0 });
  assert.equal(verdict.action, "warn");
  assert.deepEqual(verdict.rules, [{ id: "external-recipients", count: 10, threshold: 10 }]);
  // A refused private threshold keeps 3.
  const priv = evaluate({ from: SENDER, cc: customers(3) }, { privateThreshold: -1 });
  assert.deepEqual(ids(priv), ["private-individuals"]);
  assert.equal(priv.rules[0].threshold, 3);
  // Settings that are not an object at all: the defaults, never "off".
  for (const settings of [42, "x", [1, 2], true]) assert.deepEqual(ids(evaluate({ from: SENDER, cc: customers(3) }, settings)), ["private-individuals"]);
});

test("readPolicy reports every refused setting with its code and numbers", () => {
  assert.deepEqual(readPolicy({ threshold: 25 }), { policy: { ...defaultPolicy(), externalThreshold: 25 }, rejected: [] });
  const { policy, rejected } = readPolicy({ externalThreshold: -4, futureKey: 1 });
  assert.deepEqual(policy, defaultPolicy());
  assert.deepEqual(rejected, [{ key: "externalThreshold", value: "-4", reason: { code: "not-a-threshold", max: 100000 } }]);
  assert.deepEqual(readPolicy({ threshold: 2.5 }).rejected.map((r) => r.reason.code), ["not-a-threshold"]);
  assert.deepEqual(readPolicy(undefined), { policy: defaultPolicy(), rejected: [] });
  assert.deepEqual(readPolicy(null), { policy: defaultPolicy(), rejected: [] });
  assert.deepEqual(readPolicy(42).rejected.map((r) => r.reason), [{ code: "not-an-object" }]);
  // Every code of the contract, each from the key that gives it.
  const reasons = (settings) => readPolicy(settings).rejected.map((r) => [r.key, r.reason]);
  assert.deepEqual(reasons({ hardLimit: 100001 }), [["hardLimit", { code: "not-a-threshold", max: 100000 }]]);
  assert.deepEqual(reasons({ rememberGroups: "yes" }), [["rememberGroups", { code: "not-a-switch" }]]);
  assert.deepEqual(reasons({ separatePerMinute: 0 }), [["separatePerMinute", { code: "not-a-number", min: 1, max: 600 }]]);
  assert.deepEqual(reasons({ internalDomains: "corp.example" }), [["internalDomains", { code: "not-a-list" }]]);
  assert.deepEqual(reasons({ allowedDomains: [7] }), [["allowedDomains[0]", { code: "not-a-string" }]]);
  assert.deepEqual(reasons({ internalDomains: ["not a domain"] }), [["internalDomains[0]", { code: "not-a-domain-pattern" }]]);
  assert.deepEqual(reasons({ privateDomains: ["*.wild.example"] }), [["privateDomains[0]", { code: "not-a-domain" }]]);
  assert.deepEqual(reasons({ allowedAddresses: ["all-staff"] }), [["allowedAddresses[0]", { code: "not-an-address" }]]);
  assert.deepEqual(reasons({ allowedLists: ["  "] }), [["allowedLists[0]", { code: "empty" }]]);
  const long = Array.from({ length: 1002 }, (_, i) => `d${i}.example`);
  assert.deepEqual(reasons({ privateDomains: long }), [["privateDomains[1000]", { code: "too-many", max: 1000 }]]);
  assert.equal(readPolicy({ privateDomains: long }).policy.privateDomains.length, 1000);
  assert.deepEqual(reasons({ identities: ["a@b.example"] }), [["identities", { code: "not-identities" }]]);
  assert.deepEqual(reasons({ identities: { nobody: {} } }), [["identities.nobody", { code: "not-an-identity-address" }]]);
  assert.deepEqual(reasons({ identities: { "a@b.example": 3 } }), [["identities.a@b.example", { code: "not-identity-settings" }]]);
  assert.deepEqual(reasons({ identities: { "a@b.example": { role: "boss" } } }), [
    ["identities.a@b.example.role", { code: "not-a-role", choices: ["organisation", "personal", "sensitive"] }],
  ]);
  // The value refused, briefly, as the options page shows it.
  assert.deepEqual(readPolicy({ rememberGroups: "yes", hardLimit: [1] }).rejected.map((r) => r.value), ['"yes"', "[…]"]);
  // What readPolicy returns reads back as itself (the extension stores it).
  const read = readPolicy({
    internalDomains: ["*.Corp.example"],
    allowedLists: [" All Staff "],
    rememberGroups: false,
    identities: { "A@B.example": { hardLimit: 5, role: "sensitive" } },
  });
  assert.deepEqual(readPolicy(read.policy), { policy: read.policy, rejected: [] });
});

test("a refused version 1 'threshold' is named as written", () => {
  assert.deepEqual(readPolicy({ threshold: 2.5 }).rejected.map((r) => r.key), ["threshold"]);
});

test("readPolicy drops a bad internalDomains entry alone and names it by index", () => {
  const { policy, rejected } = readPolicy({ internalDomains: ["corp.example", "not a domain", 3, "*.Corp.EXAMPLE", "@Branch.example"] });
  assert.deepEqual(policy.internalDomains, ["corp.example", "*.corp.example", "branch.example"]);
  assert.deepEqual(rejected, [
    { key: "internalDomains[1]", value: '"not a domain"', reason: { code: "not-a-domain-pattern" } },
    { key: "internalDomains[2]", value: "3", reason: { code: "not-a-string" } },
  ]);
  // The kept entries are in force: those recipients are colleagues.
  const verdict = evaluate(
    { from: SENDER, to: ["a@corp.example", "b@eu.corp.example", "c@branch.example", "d@partner.example"] },
    { internalDomains: ["corp.example", "not a domain", 3, "*.Corp.EXAMPLE", "@Branch.example"] },
  );
  assert.equal(verdict.counts.internal, 3);
  assert.equal(verdict.counts.external, 1);
});

test("an identity's thresholds override the general ones for that sender only", () => {
  const settings = { identities: { "Sales@Shop.example": { privateThreshold: 20, hardLimit: "x" } } };
  const { policy, rejected } = readPolicy(settings);
  assert.deepEqual(policy.identities, { "sales@shop.example": { privateThreshold: 20 } });
  assert.deepEqual(rejected.map((r) => [r.key, r.reason.code]), [["identities.Sales@Shop.example.hardLimit", "not-a-threshold"]]);

  const cc = customers(5);
  assert.equal(evaluate({ from: "Sales <sales@shop.example>", cc }, settings).action, "allow"); // 5 < 20
  assert.deepEqual(ids(evaluate({ from: SENDER, cc }, settings)), ["private-individuals"]); // 5 >= 3
  // The identity is identityEmail when given, in any case.
  assert.equal(evaluate({ from: "Shop <info@shop.example>", identityEmail: "SALES@shop.example", cc }, settings).action, "allow");
  // What the identity does not set keeps the general value.
  const ten = evaluate({ from: "Sales <sales@shop.example>", cc: customers(10) }, settings);
  assert.deepEqual(ten.rules, [{ id: "external-recipients", count: 10, threshold: 10 }]);
});

test("an identity's role: sensitive warns for two people, personal is not judged on private individuals", () => {
  const policy = { identities: { "care@clinic.example": { role: "sensitive" }, "me@gmail.com": { role: "personal" } } };
  // Two patients shown to each other by the counselling address.
  const care = evaluate({ from: "Counselling <care@clinic.example>", to: ["a@gmail.com", "b@yahoo.com"] }, policy);
  assert.deepEqual(care.rules, [
    { id: "private-individuals", count: 2, threshold: 2, domains: 2 },
    { id: "external-recipients", count: 2, threshold: 2 },
  ]);
  // The same send from another address of the clinic: allowed.
  assert.equal(evaluate({ from: "Front desk <desk@clinic.example>", to: ["a@gmail.com", "b@yahoo.com"] }, policy).action, "allow");
  // Colleagues count for a sensitive identity: five of them shown to each other.
  const staff = colleagues(5, "clinic.example");
  assert.deepEqual(ids(evaluate({ from: "Counselling <care@clinic.example>", cc: staff }, policy)), ["large-audience"]);
  // Friends from a personal address: not a breach of the private-individuals rule.
  const friends = customers(5);
  assert.deepEqual(ids(evaluate({ from: "Me <me@gmail.com>", to: friends }, policy)), []);
  assert.deepEqual(ids(evaluate({ from: "Me <me@gmail.com>", to: friends }, { identities: { "me@gmail.com": { role: "organisation" } } })), ["private-individuals"]);
});

test("privateDomains and notPrivateDomains adjust the shipped table", () => {
  const to = ["a@uni.example", "b@uni.example", "c@uni.example", "x@gmail.com", "y@gmail.com"];
  const policy = { privateDomains: ["uni.example"], notPrivateDomains: ["gmail.com"] };
  const verdict = evaluate({ from: SENDER, to }, policy);
  assert.equal(verdict.counts.private, 3);
  assert.equal(verdict.privateDomains, 1);
  assert.equal(verdict.organisations, 1);
  assert.deepEqual(verdict.rules, [{ id: "private-individuals", count: 3, threshold: 3, domains: 1 }]);
  assert.equal(evaluate({ from: SENDER, to }).counts.private, 2);
});

test("allowlisted recipients are visible but no rule counts them", () => {
  const staff = listRef("All Staff");
  const message = {
    from: SENDER,
    to: ["a@gmail.com", "b@gmail.com", "c@yahoo.com", "d@partner.example", staff],
    lists: [{ ref: staff, name: "All Staff", members: ["e@gmail.com", "f@web.de"] }],
  };
  assert.deepEqual(ids(evaluate(message)), ["private-individuals"]); // 5 private
  const policy = { allowedAddresses: ["A@GMAIL.com"], allowedDomains: ["partner.example"], allowedLists: ["all staff"] };
  const verdict = evaluate(message, policy);
  // a (address), d (domain), e and f (list) are allowed: b and c remain, 2 < 3.
  assert.equal(verdict.counts.visible, 6);
  assert.equal(verdict.counts.allowed, 4);
  assert.equal(verdict.counts.private, 5);
  assert.equal(verdict.privateDomains, 2);
  assert.equal(verdict.organisations, 0);
  assert.equal(verdict.action, "allow");
});

test("a 30-member address-book list in Cc counts its 30 people and moves as its pill", () => {
  const ref = listRef("Customers");
  const members = customers(30);
  const message = { from: SENDER, cc: [ref], lists: [{ ref, name: "Customers", members }] };
  const verdict = evaluate(message, defaultPolicy());
  assert.equal(verdict.counts.visible, 30);
  assert.equal(verdict.counts.cc, 30);
  assert.equal(verdict.counts.private, 30);
  assert.deepEqual(verdict.lists, [{ name: "Customers", field: "cc", members: 30, nested: false, resolved: true }]);
  assert.deepEqual(verdict.unresolvedLists, []);
  assert.deepEqual(verdict.visible[0], { ...parseAddressList(members[0])[0], field: "cc", kind: "private", list: "Customers", known: false });
  assert.deepEqual(ids(verdict), ["private-individuals", "external-recipients"]);
  // Thunderbird expands the pill wherever it stands: it moves whole.
  assert.deepEqual(moveToBcc(message, defaultPolicy()), { to: [SENDER], cc: [], bcc: [ref] });
});

test("nested lists are expanded once each, and a cycle ends", () => {
  const family = listRef("Family");
  const friends = listRef("Friends");
  const lists = [
    { ref: family, name: "Family", members: ["a@x.example", friends, "Bob <b@y.example>"] },
    // Back to Family (a cycle), itself, and someone already reached.
    { ref: friends, name: "Friends", members: ["c@z.example", family, friends, "A <A@X.example>"] },
  ];
  const policy = { ...OFF, audienceThreshold: 1 };
  const one = evaluate({ from: SENDER, to: [family], lists }, policy);
  assert.equal(one.counts.visible, 3);
  assert.deepEqual(one.lists, [{ name: "Family", field: "to", members: 3, nested: true, resolved: true }]);
  assert.deepEqual(new Set(one.visible.map((r) => r.email)), new Set(["a@x.example", "b@y.example", "c@z.example"]));
  for (const r of one.visible) assert.equal(r.list, "Family");

  const both = evaluate({ from: SENDER, to: [family], cc: [friends], lists }, policy);
  assert.deepEqual({ visible: both.counts.visible, to: both.counts.to, cc: both.counts.cc }, { visible: 3, to: 3, cc: 0 });
  assert.deepEqual(both.lists, [
    { name: "Family", field: "to", members: 3, nested: true, resolved: true },
    { name: "Friends", field: "cc", members: 3, nested: true, resolved: true },
  ]);
  assert.deepEqual(moveToBcc({ from: SENDER, to: [family], cc: [friends], lists }, policy).bcc, [family, friends]);

  // A chain 500 lists deep, one person each: no recursion limit.
  const chain = Array.from({ length: 500 }, (_, i) => ({
    ref: listRef(`L${i}`),
    name: `L${i}`,
    members: [`p${i}@deep.example`, ...(i + 1 < 500 ? [listRef(`L${i + 1}`)] : [])],
  }));
  const deep = evaluate({ from: SENDER, cc: [chain[0].ref], lists: chain }, policy);
  assert.equal(deep.counts.visible, 500);
  assert.equal(deep.lists[0].members, 500);
});

test("a list whose members are unknown warns with unresolved-list and is named", () => {
  const club = listRef("Club");
  const message = { from: SENDER, to: ["x@partner.example", club], lists: [{ ref: club, name: "Club", members: null }] };
  const verdict = evaluate(message, defaultPolicy());
  // One visible person otherwise: no other rule.
  assert.deepEqual(verdict.rules, [{ id: "unresolved-list", count: 1, threshold: 1 }]);
  assert.deepEqual(verdict.unresolvedLists, ["Club"]);
  assert.deepEqual(verdict.lists, [{ name: "Club", field: "to", members: 0, nested: false, resolved: false }]);
  assert.deepEqual(moveToBcc(message, defaultPolicy()), { to: [SENDER], cc: [], bcc: ["x@partner.example", club] });
  // No threshold can vouch for people nobody can count.
  assert.deepEqual(ids(evaluate({ from: SENDER, to: [club], lists: [{ ref: club, name: "Club", members: null }] }, OFF)), ["unresolved-list"]);

  // Nested: the list in the message is partly known; the unknown one is named.
  const family = listRef("Family");
  const nested = evaluate({
    from: SENDER,
    cc: [family],
    lists: [
      { ref: family, name: "Family", members: ["a@x.example", club] },
      { ref: club, name: "Club", members: null },
    ],
  });
  assert.deepEqual(ids(nested), ["unresolved-list"]);
  assert.deepEqual(nested.unresolvedLists, ["Club"]);
  assert.deepEqual(nested.lists, [{ name: "Family", field: "cc", members: 1, nested: true, resolved: false }]);
  assert.equal(nested.counts.visible, 1);

  // In Bcc nobody sees anybody: no warning.
  const inBcc = evaluate({ from: SENDER, bcc: [club], lists: [{ ref: club, name: "Club", members: null }] });
  assert.equal(inBcc.action, "allow");
});

test("Move only external people to Bcc keeps colleagues in place, as typed", () => {
  const to = ["Bob <bob@shop.example>", "c1@gmail.com"];
  const cc = ["Carol <carol@shop.example>", "Dan <dan@partner.example>", "Eva <eva@eu.shop.example>", "e@yahoo.com", "f@web.de"];
  const bcc = ["Kept <kept@z.example>"];
  const message = { from: SENDER, to, cc, bcc };
  const verdict = evaluate(message, defaultPolicy());
  assert.deepEqual(ids(verdict), ["private-individuals"]); // c1, e, f
  assert.equal(verdict.counts.internal, 3);
  assert.equal(verdict.mixed, true);
  assert.deepEqual(moveExternalToBcc(message, defaultPolicy()), {
    to: to.filter(isColleague),
    cc: cc.filter(isColleague),
    bcc: [...bcc, ...to.filter((s) => !isColleague(s)), ...cc.filter((s) => !isColleague(s))],
  });
  assert.deepEqual(moveToBcc(message, defaultPolicy()), { to: [SENDER], cc: [], bcc: [...bcc, ...to, ...cc] });

  // A list of colleagues and customers is written out: colleagues stay, customers go.
  const team = listRef("Team");
  const members = ["Bob <bob@shop.example>", "d@yahoo.com", "e@web.de"];
  const listed = { from: SENDER, to: ["c1@gmail.com", team], cc: ["r@corp.example"], lists: [{ ref: team, name: "Team", members }] };
  assert.deepEqual(moveExternalToBcc(listed, { internalDomains: ["corp.example"] }), {
    to: ["Bob <bob@shop.example>"],
    cc: ["r@corp.example"],
    bcc: ["c1@gmail.com", "d@yahoo.com", "e@web.de"],
  });

  // Only when both colleagues and outsiders are visible (`mixed`).
  const noColleague = { from: SENDER, cc: customers(20) };
  assert.equal(evaluate(noColleague).mixed, false);
  assert.equal(moveExternalToBcc(noColleague), null);
  const colleaguesOnly = { from: SENDER, cc: colleagues(20) };
  const v = evaluate(colleaguesOnly, { ...OFF, audienceThreshold: 20 });
  assert.equal(v.action, "warn");
  assert.equal(v.mixed, false);
  assert.equal(moveExternalToBcc(colleaguesOnly, { ...OFF, audienceThreshold: 20 }), null); // no outsider
  // mixed says whether the rewrite exists, whatever the action.
  const small = { from: SENDER, to: ["bob@shop.example", "c1@gmail.com"] };
  assert.equal(evaluate(small).action, "allow");
  assert.equal(evaluate(small).mixed, true);
  assert.deepEqual(moveExternalToBcc(small), { to: ["bob@shop.example"], cc: [], bcc: ["c1@gmail.com"] });
});

test("a large Move only external rewrite crosses intact", () => {
  const people = colleagues(303);
  const custs = customers(3000, { businessEvery: 4 });
  // Interleaved: one colleague before every ten customers.
  const cc = custs.flatMap((c, i) => (i % 10 === 0 ? [people[i / 10], c] : [c]));
  const to = people.slice(300);
  const message = { from: SENDER, to, cc };
  const verdict = evaluate(message, defaultPolicy());
  assert.equal(verdict.counts.internal, 303);
  assert.equal(verdict.counts.external, 3000);
  assert.deepEqual(moveExternalToBcc(message, defaultPolicy()), { to, cc: cc.filter(isColleague), bcc: custs });
});

test("neither rewrite loses a recipient: the union of To, Cc and Bcc is unchanged", () => {
  const team = listRef("Team");
  const message = {
    from: SENDER,
    to: ["Bob <bob@shop.example>", "c1@gmail.com, Dan <dan@partner.example>", team, "not an address <"],
    cc: [...customers(40, { businessEvery: 3 }), "Carol <carol@shop.example>"],
    bcc: ["Kept <kept@z.example>", "c1@gmail.com"],
    lists: [{ ref: team, name: "Team", members: ["eva@shop.example", "x@yahoo.com"] }],
  };
  const everyone = (fields) => {
    const out = new Set();
    for (const s of [...fields.to, ...fields.cc, ...fields.bcc]) {
      if (s === team) message.lists[0].members.forEach((m) => out.add(parseAddressList(m)[0].email.toLowerCase()));
      else for (const m of parseAddressList(s)) if (m.email) out.add(m.email.toLowerCase());
    }
    return [...out].sort();
  };
  const before = everyone(message);
  const all = moveToBcc(message, defaultPolicy());
  assert.deepEqual(everyone(all), [...new Set([...before, "support@shop.example"])].sort());
  // The sender alone in To, with the text that could not be parsed (it stays in its field).
  assert.deepEqual(all.to, [SENDER, "not an address <"]);
  assert.deepEqual(all.cc, []);
  const external = moveExternalToBcc(message, defaultPolicy());
  assert.deepEqual(everyone(external), before);
  // Text that could not be parsed stays in its field.
  assert.ok(external.to.includes("not an address <"));
  for (const s of [...external.to, ...external.cc]) {
    for (const m of parseAddressList(s)) if (m.email) assert.ok(isColleague(`<${m.email}>`), `${m.email} left visible`);
  }
});

test("recipients with quotes, backslashes and non-ASCII cross the boundary intact", () => {
  const cc = ['"Doe, \\"Jane\\"" <jane@x.example>', "山田太郎 <yamada@例子.example>", "Émile 😀 <e@y.example>"];
  const verdict = evaluate({ from: SENDER, cc }, { ...OFF, audienceThreshold: 1 });
  assert.deepEqual(verdict.visible.map((r) => r.email), ["jane@x.example", "yamada@例子.example", "e@y.example"]);
  assert.deepEqual(verdict.visible.map((r) => r.name), ['Doe, "Jane"', "山田太郎", "Émile 😀"]);
  assert.deepEqual(moveToBcc({ from: SENDER, cc }).bcc, cc);
});

test("domains compare in their ASCII form; the verdict shows them as written", () => {
  const to = ["a@bücher.example", "B <b@xn--bcher-kva.example>", "c@BÜCHER.example", "d@Xn--Bcher-Kva.Example", "e@other.example"];
  const verdict = evaluate({ from: SENDER, to }, { ...OFF, audienceThreshold: 1 });
  assert.equal(verdict.counts.visible, 5);
  assert.equal(verdict.distinctDomains, 2);
  assert.deepEqual(verdict.domains, [
    { domain: "bücher.example", count: 4, kind: "external" },
    { domain: "other.example", count: 1, kind: "external" },
  ]);
  // Each person as written.
  assert.deepEqual(verdict.visible.map((r) => r.email), ["a@bücher.example", "b@xn--bcher-kva.example", "c@BÜCHER.example", "d@Xn--Bcher-Kva.Example", "e@other.example"]);
  // The same person in both forms is one person.
  assert.equal(evaluate({ from: SENDER, to: ["ann@bücher.example"], cc: ["Ann <ANN@xn--bcher-kva.example>"] }).counts.visible, 1);
  // Written in ASCII first, shown in ASCII.
  assert.equal(evaluate({ from: SENDER, to: ["b@xn--bcher-kva.example", "a@bücher.example"] }).domains[0].domain, "xn--bcher-kva.example");
  // A policy entry in either form matches both.
  for (const entry of ["bücher.example", "XN--BCHER-KVA.example"]) {
    assert.equal(evaluate({ from: SENDER, to }, { internalDomains: [entry] }).counts.internal, 4, entry);
  }
  // A consumer domain in Unicode form (the table holds comparable forms).
  assert.equal(evaluate({ from: SENDER, to: ["x@GMAIL.COM"] }).domains[0].kind, "private");
});

test("a reply to a group written outside the organisation exposes only the newcomer", () => {
  const related = { author: "Cust <c1@gmail.com>", to: ["support@shop.example"], cc: ["c2@gmail.com", "c3@yahoo.com"] };
  const reply = { from: SENDER, to: ["c1@gmail.com"], cc: ["c2@gmail.com", "c3@yahoo.com"], related };
  const quiet = evaluate(reply);
  assert.equal(quiet.action, "allow");
  assert.deepEqual(quiet.context, { thread: "outside", groups: 0, known: 3, newcomers: 0, exposed: 0 });
  assert.ok(quiet.visible.every((r) => r.known));
  // One newcomer: they newly see the three, and the three newly see them. In a thread
  // written outside, two private individuals newly shown to each other already warn.
  const withNew = evaluate({ ...reply, cc: [...reply.cc, "New <new@web.de>"] });
  assert.deepEqual(withNew.context, { thread: "outside", groups: 0, known: 3, newcomers: 1, exposed: 4 });
  assert.deepEqual(withNew.rules, [{ id: "private-individuals", count: 4, threshold: 2, domains: 3 }]);
  // Newcomers first in the sample.
  assert.deepEqual(withNew.visible.map((r) => [r.email, r.known]), [["new@web.de", false], ["c1@gmail.com", true], ["c2@gmail.com", true], ["c3@yahoo.com", true]]);
  // A message written inside the organisation excuses nothing.
  const inside = evaluate({ ...reply, related: { ...related, author: "Boss <boss@shop.example>" } });
  assert.deepEqual(inside.context, { thread: "inside", groups: 0, known: 0, newcomers: 0, exposed: 3 });
  assert.deepEqual(ids(inside), ["private-individuals"]);
});

test("a forward's type carries the related header to every recipient, Bcc included", () => {
  const related = { author: "Cust <c1@gmail.com>", to: ["support@shop.example"], cc: ["c2@gmail.com", "c3@yahoo.com"] };
  const agency = "Agency <team@agency.example>";
  for (const fields of [{ to: [agency] }, { bcc: [agency] }]) {
    const v = evaluate({ from: SENDER, type: "forward", related, ...fields });
    assert.deepEqual(ids(v), ["private-individuals"], JSON.stringify(fields));
    assert.deepEqual(v.forwarded, { shown: 3, bccCannotHide: true });
  }
  // Without the type (an older caller), or as a reply, nothing is carried.
  const reply = evaluate({ from: SENDER, type: "reply", related, to: [agency] });
  assert.equal(reply.action, "allow");
  assert.equal(reply.forwarded, null);
  assert.equal(evaluate({ from: SENDER, related, to: [agency] }).forwarded, null);
});

test("known groups: a group (or part of it) seen together before exposes nobody", () => {
  const group = ["c1@gmail.com", "C2@Gmail.com", "c3@yahoo.com", "c4@web.de"];
  const send = { from: SENDER, to: ["c1@gmail.com", "c2@gmail.com", "c3@yahoo.com"], knownGroups: [group] };
  const quiet = evaluate(send);
  assert.equal(quiet.action, "allow");
  assert.deepEqual(quiet.context, { thread: null, groups: 1, known: 3, newcomers: 0, exposed: 0 });
  // Two groups that do not know each other: everyone is newly seen by the other group.
  const two = evaluate({ ...send, to: ["c1@gmail.com", "c2@gmail.com", "x@yahoo.com", "y@yahoo.com"], knownGroups: [group, ["x@yahoo.com", "y@yahoo.com"]] });
  assert.deepEqual(two.context, { thread: null, groups: 2, known: 4, newcomers: 0, exposed: 4 });
  assert.equal(two.action, "warn");
  // The hard limit counts everyone visible, known or not.
  const blocked = evaluate(send, { hardLimit: 2 });
  assert.deepEqual(blocked.rules, [{ id: "hard-limit", count: 3, threshold: 2 }]);
  assert.equal(blocked.blocked, true);
});

test("visibleAddresses and receivedGroup give comparable addresses for the remembered groups", () => {
  assert.deepEqual(visibleAddresses({ from: SENDER, to: ["C1@Gmail.com", "x@bücher.example", SENDER], bcc: ["z@web.de"] }), ["c1@gmail.com", "x@xn--bcher-kva.example"]);
  const header = { author: "c1@gmail.com", to: ["support@shop.example", "c2@gmail.com"], cc: ["c3@web.de"] };
  assert.deepEqual(receivedGroup(header, ["support@shop.example"]), ["c1@gmail.com", "c2@gmail.com", "c3@web.de"]);
  // Written inside the organisation: not a group its people formed themselves.
  assert.equal(receivedGroup({ ...header, author: "boss@shop.example" }, ["support@shop.example"]), null);
});

test("the Move-to-Bcc rewrite crosses intact, whatever the strings hold", () => {
  const bcc = ["Kept <kept@z.example>"];
  const cc = customers(300).concat(["Odd\u0000Name <odd@x.example>", "", "Émile <e@y.example>"]);
  const rewrite = moveToBcc({ from: SENDER, cc, bcc }, { ...OFF, audienceThreshold: 1 });
  assert.equal(rewrite.bcc[0], bcc[0]);
  assert.ok(rewrite.bcc.includes("Odd\u0000Name <odd@x.example>"));
  const emails = new Set(emailsOf(rewrite.bcc));
  for (const c of cc.filter(Boolean)) assert.ok(emails.has(parseAddressList(c)[0].email), c);
  // The sender written in To is the one in To after the rewrite, not also in Bcc.
  assert.deepEqual(moveToBcc({ from: SENDER, to: [SENDER, "x@y.example"] }), { to: [SENDER], cc: [], bcc: ["x@y.example"] });
});

test("the verdict, the rewrites and readPolicy's answer are plain data that survives structuredClone", () => {
  const team = listRef("Team");
  const message = {
    from: SENDER,
    to: ["bob@shop.example", team, "bad <"],
    cc: customers(20),
    lists: [{ ref: team, name: "Team", members: ["carol@shop.example", "d@partner.example"] }],
    related: { author: "c@gmail.com", to: ["support@shop.example"] },
    knownGroups: [["a@gmail.com", "b@yahoo.com"]],
  };
  const verdict = evaluate(message, defaultPolicy());
  assert.ok(verdict.mixed && verdict.lists.length === 1 && verdict.rules[0].domains > 0 && verdict.problems.length === 1);
  assert.deepEqual(verdict.problems, [{ field: "to", input: "bad <", problem: "no-address" }]);
  for (const value of [verdict, moveToBcc(message), moveExternalToBcc(message), readPolicy({ identities: { "a@b.example": { hardLimit: 3 } }, hardLimit: "x" })]) {
    assert.deepEqual(structuredClone(value), value);
    assert.deepEqual(JSON.parse(JSON.stringify(value)), value);
  }
});

test("hostile display names come back as data, unchanged", () => {
  const name = "<img src=x onerror=alert(1)>";
  const [m] = parseAddressList(`"${name}" <x@evil.example>`);
  assert.equal(m.name, name);
});

test("askRole: an unanswered gmail address is asked what it is for when work would warn", () => {
  const clients = ["a@gmail.com", "b@web.de", "c@yahoo.com", "d@outlook.com"];
  const v = evaluate({ from: "Mia <Mia.Therapy@gmail.com>", to: clients });
  assert.equal(v.action, "allow");
  assert.equal(v.askRole.identity, "mia.therapy@gmail.com");
  assert.deepEqual(ids({ rules: v.askRole.rules }), ["private-individuals"]);
  // Answered, there is no question: the role decides.
  const identities = (role) => ({ identities: { "mia.therapy@gmail.com": { role } } });
  assert.equal(evaluate({ from: "Mia <mia.therapy@gmail.com>", to: clients }, identities("personal")).askRole, null);
  const work = evaluate({ from: "Mia <mia.therapy@gmail.com>", to: clients }, identities("organisation"));
  assert.equal(work.action, "warn");
  assert.equal(work.askRole, null);
});
