// The WASM package's public contract (docs/architecture.md), tested on the built bytes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import {
  parseAddressList,
  evaluate,
  defaultPolicy,
  readPolicy,
  loadPrivateDomains,
  privateDomainCount,
  tablePath,
} from "./load.mjs";
import { customers, colleagues, CONSUMER_DOMAINS, HOME_DOMAIN, domainOf } from "./fixtures.mjs";

const SENDER = `Support <support@${HOME_DOMAIN}>`;
// Every rule off: spread one key over it to test that rule alone.
const OFF = { privateThreshold: 0, externalThreshold: 0, organisationThreshold: 0, audienceThreshold: 0, hardLimit: 0 };
const ids = (verdict) => verdict.rules.map((r) => r.id);
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
const MESSAGE_ERROR = /^CcGuard could not read the message: /;

test("defaultPolicy is a plain object with every key at its documented default", () => {
  const policy = defaultPolicy();
  assert.equal(Object.getPrototypeOf(policy), Object.prototype);
  assert.equal(Object.getPrototypeOf(policy.identities), Object.prototype);
  assert.deepEqual(policy, {
    privateThreshold: 3,
    externalThreshold: 10,
    organisationThreshold: 4,
    audienceThreshold: 1000,
    hardLimit: 0,
    internalDomains: [],
    privateDomains: [],
    notPrivateDomains: [],
    allowedAddresses: [],
    allowedDomains: [],
    allowedLists: [],
    identities: {},
  });
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

test("parseAddressList decodes RFC 2047 names in UTF-8 and ISO-8859-1", () => {
  assert.deepEqual(parseAddressList("=?UTF-8?B?SsO8cmdlbg==?= <j@x.de>, =?ISO-8859-1?Q?Andr=E9?= <a@y.fr>"), [
    { name: "Jürgen", email: "j@x.de" },
    { name: "André", email: "a@y.fr" },
  ]);
});

test("loadPrivateDomains loads the shipped table, refuses a broken one and keeps the previous", () => {
  const bytes = readFileSync(tablePath);
  assert.ok(privateDomainCount > 14000, `only ${privateDomainCount} consumer domains in the shipped table`);
  assert.equal(loadPrivateDomains(bytes), privateDomainCount);
  for (const d of CONSUMER_DOMAINS) assert.equal(kindOf(d), "private", d);
  assert.equal(kindOf("partner.example"), "external");

  const broken = [
    [new Uint8Array(0), /not a CcGuard table of consumer domains/],
    [new TextEncoder().encode("gmail.com\nyahoo.com\nweb.de\n"), /not a CcGuard table of consumer domains/],
    [new Uint8Array(64).fill(0xff), /not a CcGuard table of consumer domains/],
    [bytes.subarray(0, bytes.length - 1), /table of consumer domains is cut short/],
  ];
  for (const [garbage, message] of broken) {
    assert.throws(() => loadPrivateDomains(garbage), (e) => e instanceof Error && message.test(e.message));
    // The table in force is still the shipped one.
    assert.equal(kindOf("gmail.com"), "private");
    const v = evaluate({ from: SENDER, to: ["ann@gmail.com"] });
    assert.equal(v.counts.private, 1);
  }
});

test("the table loaded last is the one that classifies", () => {
  // A well-formed table of no domains: magic, version, Rice parameter 0, count 0 (u32 LE).
  const empty = new Uint8Array([0x43, 0x43, 0x50, 0x44, 0x01, 0, 0, 0, 0, 0]);
  try {
    assert.equal(loadPrivateDomains(empty), 0);
    assert.equal(kindOf("gmail.com"), "external");
  } finally {
    assert.equal(loadPrivateDomains(readFileSync(tablePath)), privateDomainCount);
  }
  assert.equal(kindOf("gmail.com"), "private");
});

test("the Sonos case: 475 customers in Cc warns about exactly 475 private individuals", () => {
  const cc = customers(475);
  const verdict = evaluate({ from: SENDER, to: [], cc, bcc: [] }, defaultPolicy());
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
  assert.deepEqual(ids(verdict), ["private-individuals", "external-recipients"]);
  assert.deepEqual(verdict.rule, verdict.rules[0]);
  assert.deepEqual(
    { ...verdict.rule, reason: undefined },
    { id: "private-individuals", count: 475, threshold: 3, domains: perDomain.size, reason: undefined },
  );
  assert.match(verdict.rule.reason, new RegExp(`^475 private individuals from ${perDomain.size} domains`));
  assert.deepEqual({ ...verdict.rules[1], reason: undefined }, { id: "external-recipients", count: 475, threshold: 10, reason: undefined });
  assert.match(verdict.rules[1].reason, /^475 people outside your organisation/);
  // The window shows a sample; the count is always complete.
  assert.equal(verdict.visible.length, 100);
  assert.equal(verdict.visibleTruncated, true);
  assert.deepEqual(verdict.visible[0], { ...parseAddressList(cc[0])[0], field: "cc", kind: "private", list: null });
  // Domains: most recipients first, ties by name.
  const expected = [...perDomain]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([domain, count]) => ({ domain, count, kind: "private" }));
  assert.deepEqual(verdict.domains, expected);
  assert.equal(verdict.distinctDomains, perDomain.size);
  // Nobody to keep in place: only the Move-everyone rewrite is offered.
  assert.equal(verdict.moveExternalToBcc, null);
  assert.ok(verdict.moveToBcc);
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
  assert.deepEqual(ids(verdict), ["private-individuals", "external-recipients", "external-organisations"]);
  assert.deepEqual(
    verdict.rules.map((r) => [r.count, r.threshold]),
    [[priv.length, 3], [475, 10], [firms.size, 4]],
  );
});

test("long lists cross in slices without losing or merging a recipient", () => {
  for (const n of [1023, 1024, 1025, 2500]) {
    const cc = customers(n);
    const verdict = evaluate({ from: SENDER, cc }, defaultPolicy());
    assert.equal(verdict.counts.visible, n);
    assert.equal(verdict.counts.private, n);
    assert.equal(verdict.action, "warn");
    assert.deepEqual(verdict.moveToBcc.bcc, cc);
  }
});

test("Move to Bcc puts the sender in To and every customer in Bcc", () => {
  const cc = customers(475);
  const { moveToBcc } = evaluate({ from: SENDER, to: [], cc, bcc: [] }, defaultPolicy());
  assert.deepEqual(moveToBcc.to, [SENDER]);
  assert.deepEqual(moveToBcc.cc, []);
  assert.equal(moveToBcc.bcc.length, 475);
  const bcc = new Set(emailsOf(moveToBcc.bcc));
  for (const c of cc) assert.ok(bcc.has(parseAddressList(c)[0].email), `${c} lost by Move to Bcc`);
});

test("a message below the threshold is allowed", () => {
  // 3 people at 3 organisations: below 10 external people and 4 organisations, no private one.
  const verdict = evaluate({ from: SENDER, to: ["a@x.example", "b@y.example"], cc: ["c@z.example"] }, defaultPolicy());
  assert.equal(verdict.action, "allow");
  assert.equal(verdict.rule, null);
  assert.deepEqual(verdict.rules, []);
  assert.equal(verdict.counts.visible, 3);
  assert.equal(verdict.counts.external, 3);
  assert.equal(verdict.organisations, 3);
  // No warning, so no rewrite to offer.
  assert.equal(verdict.moveToBcc, null);
  assert.equal(verdict.moveExternalToBcc, null);
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
    assert.equal(at.rule.count, threshold);
    assert.equal(at.rule.threshold, threshold);
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
  assert.deepEqual([above.rule.count, above.rule.threshold], [6, 5]);
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
});

test("ownAddresses are never counted", () => {
  const to = ["Me <ME@GMAIL.com>", "a@gmail.com", "b@yahoo.com"];
  const cc = ["Other Me <other.me@shop.example>"];
  const without = evaluate({ from: SENDER, to, cc });
  assert.equal(without.counts.visible, 4);
  assert.deepEqual(ids(without), ["private-individuals"]);

  const ownAddresses = ["me@gmail.com", "Other.Me@Shop.example", "support@shop.example"];
  const verdict = evaluate({ from: SENDER, to, cc, ownAddresses });
  assert.deepEqual(
    { ...verdict.counts },
    { visible: 2, to: 2, cc: 0, bcc: 0, internal: 0, external: 2, private: 2, allowed: 0 },
  );
  assert.deepEqual(verdict.visible.map((r) => r.email), ["a@gmail.com", "b@yahoo.com"]);
  assert.equal(verdict.action, "allow"); // 2 private people < 3
  // Not even for the audience: nobody but the user's own addresses is visible here.
  const onlyMe = evaluate({ from: SENDER, to: ["me@gmail.com"], cc, ownAddresses }, { ...OFF, audienceThreshold: 1 });
  assert.equal(onlyMe.counts.visible, 0);
  assert.equal(onlyMe.action, "allow");
});

test("identityEmail takes precedence over the address in from", () => {
  const verdict = evaluate(
    { from: "Ann <ann@alias.example>", identityEmail: "ann@shop.example", to: ["ann@shop.example", "x@y.example"] },
    defaultPolicy(),
  );
  assert.equal(verdict.counts.visible, 1);
  assert.equal(verdict.visible[0].email, "x@y.example");
});

test("a sender on a consumer domain is a private person: the private rule does not apply", () => {
  const from = "Ann <ann@gmail.com>";
  // 9 private people: would warn for an organisation (>= 3), not for a private person.
  const nine = evaluate({ from, cc: customers(9) }, defaultPolicy());
  assert.equal(nine.counts.private, 9);
  assert.equal(nine.counts.internal, 0); // other gmail.com users are not her colleagues
  assert.equal(nine.action, "allow");
  assert.deepEqual(ids(evaluate({ from: SENDER, cc: customers(9) })), ["private-individuals"]);
  // The external rule still does.
  const ten = evaluate({ from, cc: customers(10) }, defaultPolicy());
  assert.deepEqual(ids(ten), ["external-recipients"]);
});

test("to, cc and bcc may each be a single string holding several addresses", () => {
  const policy = { ...OFF, audienceThreshold: 3 }; // everyone visible counts
  const verdict = evaluate({ from: SENDER, to: "a@x.example, b@x.example", cc: "c@x.example", bcc: "d@x.example, e@x.example" }, policy);
  assert.equal(verdict.counts.visible, 3);
  assert.equal(verdict.counts.bcc, 2);
  assert.equal(verdict.action, "warn");
  assert.deepEqual(ids(verdict), ["large-audience"]);
  assert.equal(verdict.rule.count, 3);
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

test("the version 1 key 'threshold' is read as externalThreshold, unless that is set", () => {
  const cc = customers(12);
  const v1 = evaluate({ from: SENDER, cc }, { threshold: 12, privateThreshold: 0 });
  assert.deepEqual(ids(v1), ["external-recipients"]);
  assert.equal(v1.rule.threshold, 12);
  assert.equal(evaluate({ from: SENDER, cc }, { threshold: 13, privateThreshold: 0 }).action, "allow");
  assert.equal(evaluate({ from: SENDER, cc }, { threshold: 12, externalThreshold: 20, privateThreshold: 0 }).action, "allow");
  assert.equal(readPolicy({ threshold: 12, externalThreshold: 20 }).policy.externalThreshold, 20);
});

test("a missing policy means the default policy, unknown keys are ignored", () => {
  const message = { from: SENDER, cc: customers(10) };
  assert.deepEqual(evaluate(message), evaluate(message, defaultPolicy()));
  assert.deepEqual(evaluate(message, {}), evaluate(message, defaultPolicy()));
  assert.deepEqual(ids(evaluate(message)), ["private-individuals", "external-recipients"]);
  // 10 private, 10 external: below 11 for both.
  assert.equal(evaluate(message, { privateThreshold: 11, externalThreshold: 11, someFutureKey: true }).action, "allow");
});

test("a message that cannot be read gives a readable Error, and the module keeps working", () => {
  assert.throws(() => evaluate({ from: SENDER, to: 42 }, defaultPolicy()), /CcGuard could not read the message: 'to' must be a string or a list of strings/);
  assert.throws(() => evaluate({ from: SENDER, cc: ["a@x.example", { id: "c1", type: "contact" }] }), /every recipient must be a string/);
  assert.throws(() => evaluate(null), /the message must be an object/);
  assert.throws(() => evaluate({ from: SENDER, ownAddresses: "me@shop.example" }), /CcGuard could not read the message: 'ownAddresses' must be a list of strings/);
  assert.equal(evaluate({ from: SENDER, cc: customers(2) }, defaultPolicy()).counts.visible, 2);
});

test("malformed lists are refused with a readable Error", () => {
  const ref = listRef("Club");
  const malformed = [
    [{ name: "x" }],
    [{ ref }],
    [{ ref, name: 42, members: [] }],
    [null],
    {},
    "Club",
    [{ ref, name: "Club", members: "a@x.example" }],
    [{ ref, name: "Club", members: ["a@x.example", 7] }],
  ];
  for (const lists of malformed) {
    assert.throws(
      () => evaluate({ from: SENDER, cc: [ref], lists }),
      (e) => e instanceof Error && MESSAGE_ERROR.test(e.message) && /'(lists|ref|members)'/.test(e.message),
      JSON.stringify(lists),
    );
  }
  // And a well-formed one still reads.
  const ok = evaluate({ from: SENDER, cc: [ref], lists: [{ ref, name: "Club", members: ["a@x.example"] }] });
  assert.equal(ok.counts.visible, 1);
});

test("a malformed policy key keeps its default, so protection stays on", () => {
  // 10 people on consumer domains, private rule off: only the external rule, at its default 10.
  const verdict = evaluate({ from: SENDER, cc: customers(10) }, { externalThreshold: "ten", privateThreshold: 0 });
  assert.equal(verdict.action, "warn");
  assert.equal(verdict.rule.id, "external-recipients");
  assert.equal(verdict.rule.threshold, 10);
  // A refused private threshold keeps 3.
  const priv = evaluate({ from: SENDER, cc: customers(3) }, { privateThreshold: -1 });
  assert.deepEqual(ids(priv), ["private-individuals"]);
  assert.equal(priv.rule.threshold, 3);
});

test("readPolicy reports every refused setting with its reason", () => {
  assert.deepEqual(readPolicy({ threshold: 25 }), { policy: { ...defaultPolicy(), externalThreshold: 25 }, rejected: [] });
  const { policy, rejected } = readPolicy({ externalThreshold: -4, futureKey: 1 });
  assert.deepEqual(policy, defaultPolicy());
  assert.deepEqual(rejected, [{ key: "externalThreshold", value: "-4", reason: "must be a whole number from 0 (off) to 100000" }]);
  assert.deepEqual(readPolicy({ threshold: 2.5 }).rejected.map((r) => r.key), ["threshold"]);
  assert.deepEqual(readPolicy(undefined), { policy: defaultPolicy(), rejected: [] });
  // What readPolicy returns reads back as itself (the extension stores it).
  const read = readPolicy({ internalDomains: ["*.Corp.example"], allowedLists: [" All Staff "], identities: { "A@B.example": { hardLimit: 5 } } });
  assert.deepEqual(readPolicy(read.policy), { policy: read.policy, rejected: [] });
});

test("readPolicy drops a bad internalDomains entry alone and names it by index", () => {
  const { policy, rejected } = readPolicy({ internalDomains: ["corp.example", "not a domain", 3, "*.Corp.EXAMPLE", "@Branch.example"] });
  assert.deepEqual(policy.internalDomains, ["corp.example", "*.corp.example", "branch.example"]);
  assert.deepEqual(rejected.map((r) => r.key), ["internalDomains[1]", "internalDomains[2]"]);
  assert.match(rejected[0].value, /not a domain/);
  assert.match(rejected[0].reason, /domain/);
  assert.equal(rejected[1].value, "3");
  assert.match(rejected[1].reason, /string/);
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
  assert.deepEqual(rejected.map((r) => r.key), ["identities.Sales@Shop.example.hardLimit"]);

  const cc = customers(5);
  assert.equal(evaluate({ from: "Sales <sales@shop.example>", cc }, settings).action, "allow"); // 5 < 20
  assert.deepEqual(ids(evaluate({ from: SENDER, cc }, settings)), ["private-individuals"]); // 5 >= 3
  // The identity is identityEmail when given, in any case.
  assert.equal(evaluate({ from: "Shop <info@shop.example>", identityEmail: "SALES@shop.example", cc }, settings).action, "allow");
  // What the identity does not set keeps the general value.
  const ten = evaluate({ from: "Sales <sales@shop.example>", cc: customers(10) }, settings);
  assert.deepEqual(ids(ten), ["external-recipients"]);
  assert.equal(ten.rule.threshold, 10);
});

test("privateDomains and notPrivateDomains adjust the shipped table", () => {
  const to = ["a@uni.example", "b@uni.example", "c@uni.example", "x@gmail.com", "y@gmail.com"];
  const policy = { privateDomains: ["uni.example"], notPrivateDomains: ["gmail.com"] };
  const verdict = evaluate({ from: SENDER, to }, policy);
  assert.equal(verdict.counts.private, 3);
  assert.equal(verdict.privateDomains, 1);
  assert.equal(verdict.organisations, 1);
  assert.deepEqual(ids(verdict), ["private-individuals"]);
  assert.equal(verdict.rule.domains, 1);
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
  const verdict = evaluate({ from: SENDER, cc: [ref], lists: [{ ref, name: "Customers", members }] }, defaultPolicy());
  assert.equal(verdict.counts.visible, 30);
  assert.equal(verdict.counts.cc, 30);
  assert.equal(verdict.counts.private, 30);
  assert.deepEqual(verdict.lists, [{ name: "Customers", field: "cc", members: 30, nested: false, resolved: true }]);
  assert.equal(verdict.lists[0].members, 30);
  assert.deepEqual(verdict.unresolvedLists, []);
  assert.deepEqual(verdict.visible[0], { ...parseAddressList(members[0])[0], field: "cc", kind: "private", list: "Customers" });
  assert.deepEqual(ids(verdict), ["private-individuals", "external-recipients"]);
  // Thunderbird expands the pill wherever it stands: it moves whole.
  assert.ok(verdict.moveToBcc.bcc.includes(ref));
  assert.deepEqual(verdict.moveToBcc, { to: [SENDER], cc: [], bcc: [ref] });
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
  assert.deepEqual(both.moveToBcc.bcc, [family, friends]);

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
  const verdict = evaluate(
    { from: SENDER, to: ["x@partner.example", club], lists: [{ ref: club, name: "Club", members: null }] },
    defaultPolicy(),
  );
  // One visible person otherwise: no other rule.
  assert.deepEqual(ids(verdict), ["unresolved-list"]);
  assert.deepEqual([verdict.rule.count, verdict.rule.threshold], [1, 1]);
  assert.deepEqual(verdict.unresolvedLists, ["Club"]);
  assert.deepEqual(verdict.lists, [{ name: "Club", field: "to", members: 0, nested: false, resolved: false }]);
  assert.deepEqual(verdict.moveToBcc, { to: [SENDER], cc: [], bcc: ["x@partner.example", club] });
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
  const verdict = evaluate({ from: SENDER, to, cc, bcc }, defaultPolicy());
  assert.deepEqual(ids(verdict), ["private-individuals"]); // c1, e, f
  assert.equal(verdict.counts.internal, 3);
  assert.deepEqual(verdict.moveExternalToBcc, {
    to: to.filter(isColleague),
    cc: cc.filter(isColleague),
    bcc: [...bcc, ...to.filter((s) => !isColleague(s)), ...cc.filter((s) => !isColleague(s))],
  });
  assert.deepEqual(verdict.moveToBcc, { to: [SENDER], cc: [], bcc: [...bcc, ...to, ...cc] });

  // A list of colleagues and customers is written out: colleagues stay, customers go.
  const team = listRef("Team");
  const members = ["Bob <bob@shop.example>", "d@yahoo.com", "e@web.de"];
  const listed = evaluate(
    { from: SENDER, to: ["c1@gmail.com", team], cc: ["r@corp.example"], lists: [{ ref: team, name: "Team", members }] },
    { internalDomains: ["corp.example"] },
  );
  assert.deepEqual(listed.moveExternalToBcc, {
    to: ["Bob <bob@shop.example>"],
    cc: ["r@corp.example"],
    bcc: ["c1@gmail.com", "d@yahoo.com", "e@web.de"],
  });

  // Only offered on a warning with both colleagues and outsiders visible.
  assert.equal(evaluate({ from: SENDER, to: ["bob@shop.example", "c1@gmail.com"] }).moveExternalToBcc, null); // allowed
  assert.equal(evaluate({ from: SENDER, cc: customers(20) }).moveExternalToBcc, null); // no colleague
  const colleaguesOnly = evaluate({ from: SENDER, cc: colleagues(20) }, { ...OFF, audienceThreshold: 20 });
  assert.equal(colleaguesOnly.action, "warn");
  assert.equal(colleaguesOnly.moveExternalToBcc, null); // no outsider
});

test("a large Move only external rewrite crosses intact", () => {
  const people = colleagues(303);
  const custs = customers(3000, { businessEvery: 4 });
  // Interleaved: one colleague before every ten customers.
  const cc = custs.flatMap((c, i) => (i % 10 === 0 ? [people[i / 10], c] : [c]));
  const to = people.slice(300);
  const verdict = evaluate({ from: SENDER, to, cc }, defaultPolicy());
  assert.equal(verdict.counts.internal, 303);
  assert.equal(verdict.counts.external, 3000);
  assert.deepEqual(verdict.moveExternalToBcc, { to, cc: cc.filter(isColleague), bcc: custs });
});

test("recipients with quotes, backslashes and non-ASCII cross the boundary intact", () => {
  const cc = ['"Doe, \\"Jane\\"" <jane@x.example>', "山田太郎 <yamada@例子.example>", "Émile 😀 <e@y.example>"];
  const verdict = evaluate({ from: SENDER, cc }, { ...OFF, audienceThreshold: 1 });
  assert.deepEqual(verdict.visible.map((r) => r.email), ["jane@x.example", "yamada@例子.example", "e@y.example"]);
  assert.deepEqual(verdict.visible.map((r) => r.name), ['Doe, "Jane"', "山田太郎", "Émile 😀"]);
  assert.deepEqual(verdict.moveToBcc.bcc, cc);
});

test("the Move-to-Bcc rewrite crosses intact, whatever the strings hold", () => {
  const bcc = ["Kept <kept@z.example>"];
  const cc = customers(300).concat(["Odd\u0000Name <odd@x.example>", "", "Émile <e@y.example>"]);
  const verdict = evaluate({ from: SENDER, cc, bcc }, { ...OFF, audienceThreshold: 1 });
  assert.equal(verdict.moveToBcc.bcc[0], bcc[0]);
  const emails = new Set(emailsOf(verdict.moveToBcc.bcc));
  for (const c of cc.filter(Boolean)) assert.ok(emails.has(parseAddressList(c)[0].email), c);
  // The sender written in To is the one in To after the rewrite, not also in Bcc.
  const one = evaluate({ from: SENDER, to: [SENDER, "x@y.example"] }, { ...OFF, audienceThreshold: 1 });
  assert.deepEqual(one.moveToBcc, { to: [SENDER], cc: [], bcc: ["x@y.example"] });
  // Nothing to warn about, nothing to rewrite.
  assert.equal(evaluate({ from: SENDER }, defaultPolicy()).moveToBcc, null);
});

test("the verdict is plain data that survives structuredClone", () => {
  const team = listRef("Team");
  const verdict = evaluate(
    {
      from: SENDER,
      to: ["bob@shop.example", team],
      cc: customers(20),
      lists: [{ ref: team, name: "Team", members: ["carol@shop.example", "d@partner.example"] }],
    },
    defaultPolicy(),
  );
  assert.ok(verdict.moveExternalToBcc && verdict.lists.length === 1 && verdict.rule.domains > 0);
  assert.deepEqual(structuredClone(verdict), verdict);
  assert.deepEqual(structuredClone(readPolicy({ identities: { "a@b.example": { hardLimit: 3 } } })), readPolicy({ identities: { "a@b.example": { hardLimit: 3 } } }));
});

test("hostile display names come back as data, unchanged", () => {
  const name = "<img src=x onerror=alert(1)>";
  const [m] = parseAddressList(`"${name}" <x@evil.example>`);
  assert.equal(m.name, name);
});
