// The WASM package's public contract (docs/architecture.md), tested on the built bytes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseAddressList, evaluate, defaultPolicy, readPolicy } from "./load.mjs";
import { customers } from "./fixtures.mjs";

const SENDER = "Support <support@shop.example>";

test("defaultPolicy is a plain object with threshold 10", () => {
  const policy = defaultPolicy();
  assert.equal(Object.getPrototypeOf(policy), Object.prototype);
  assert.equal(policy.threshold, 10);
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

test("the Sonos case: 475 customers in Cc warns with exactly 475", () => {
  const cc = customers(475);
  const verdict = evaluate({ from: SENDER, to: [], cc, bcc: [] }, defaultPolicy());
  assert.equal(verdict.action, "warn");
  assert.equal(verdict.counts.visible, 475);
  assert.equal(verdict.counts.cc, 475);
  assert.equal(verdict.counts.to, 0);
  assert.equal(verdict.rule.id, "visible-recipients");
  assert.match(verdict.rule.reason, /475 people/);
  // The window shows a sample; the count is always complete.
  assert.equal(verdict.visible.length, 100);
  assert.equal(verdict.visibleTruncated, true);
  assert.deepEqual(verdict.visible[0], { ...parseAddressList(cc[0])[0], field: "cc" });
  assert.equal(verdict.domains.reduce((n, d) => n + d.count, 0), 475);
  assert.equal(verdict.distinctDomains, verdict.domains.length);
});

test("long lists cross in slices without losing or merging a recipient", () => {
  for (const n of [1023, 1024, 1025, 2500]) {
    const cc = customers(n);
    const verdict = evaluate({ from: SENDER, cc }, defaultPolicy());
    assert.equal(verdict.counts.visible, n);
    assert.deepEqual(verdict.moveToBcc.bcc, cc);
  }
});

test("Move to Bcc puts the sender in To and every customer in Bcc", () => {
  const cc = customers(475);
  const { moveToBcc } = evaluate({ from: SENDER, to: [], cc, bcc: [] }, defaultPolicy());
  assert.deepEqual(moveToBcc.to, [SENDER]);
  assert.deepEqual(moveToBcc.cc, []);
  assert.equal(moveToBcc.bcc.length, 475);
  const bcc = new Set(moveToBcc.bcc.flatMap((s) => parseAddressList(s).map((m) => m.email)));
  for (const c of cc) assert.ok(bcc.has(parseAddressList(c)[0].email), `${c} lost by Move to Bcc`);
});

test("a message below the threshold is allowed", () => {
  const verdict = evaluate({ from: SENDER, to: ["a@x.example", "b@y.example"], cc: ["c@z.example"] }, { threshold: 10 });
  assert.equal(verdict.action, "allow");
  assert.equal(verdict.rule, null);
  assert.equal(verdict.counts.visible, 3);
});

test("the sender, duplicates and Bcc do not count", () => {
  const to = ["Support <SUPPORT@shop.example>", "a@x.example"];
  const cc = ["A <A@X.example>", "b@x.example"];
  const bcc = customers(50);
  const verdict = evaluate({ from: SENDER, to, cc, bcc }, { threshold: 3 });
  assert.equal(verdict.counts.visible, 2);
  assert.equal(verdict.counts.bcc, 50);
  assert.equal(verdict.action, "allow");
});

test("identityEmail takes precedence over the address in from", () => {
  const verdict = evaluate(
    { from: "Ann <ann@alias.example>", identityEmail: "ann@shop.example", to: ["ann@shop.example", "x@y.example"] },
    { threshold: 10 },
  );
  assert.equal(verdict.counts.visible, 1);
});

test("to, cc and bcc may each be a single string holding several addresses", () => {
  const verdict = evaluate({ from: SENDER, to: "a@x.example, b@x.example", cc: "c@x.example" }, { threshold: 3 });
  assert.equal(verdict.counts.visible, 3);
  assert.equal(verdict.action, "warn");
});

test("threshold 0 turns the warning off", () => {
  const verdict = evaluate({ from: SENDER, cc: customers(475) }, { threshold: 0 });
  assert.equal(verdict.action, "allow");
});

test("a missing policy means the default policy, unknown keys are ignored", () => {
  assert.equal(evaluate({ from: SENDER, cc: customers(10) }).action, "warn");
  assert.equal(evaluate({ from: SENDER, cc: customers(10) }, { threshold: 11, someFutureKey: true }).action, "allow");
});

test("a message that cannot be read gives a readable Error, and the module keeps working", () => {
  assert.throws(() => evaluate({ from: SENDER, to: 42 }, defaultPolicy()), /CcGuard could not read the message: 'to' must be a string or a list of strings/);
  assert.throws(() => evaluate({ from: SENDER, cc: ["a@x.example", { id: "c1", type: "contact" }] }), /every recipient must be a string/);
  assert.throws(() => evaluate(null), /the message must be an object/);
  assert.equal(evaluate({ from: SENDER, cc: customers(2) }, defaultPolicy()).counts.visible, 2);
});

test("a malformed policy key keeps its default, so protection stays on", () => {
  const verdict = evaluate({ from: SENDER, cc: customers(10) }, { threshold: "ten" });
  assert.equal(verdict.action, "warn");
  assert.equal(verdict.rule.threshold, 10);
});

test("readPolicy reports every refused setting with its reason", () => {
  assert.deepEqual(readPolicy({ threshold: 25 }), { policy: { threshold: 25 }, rejected: [] });
  const { policy, rejected } = readPolicy({ threshold: -4, futureKey: 1 });
  assert.equal(policy.threshold, 10);
  assert.deepEqual(rejected, [{ key: "threshold", value: "-4", reason: "must be a whole number from 0 (off) to 100000" }]);
  assert.deepEqual(readPolicy(undefined), { policy: defaultPolicy(), rejected: [] });
});

test("recipients with quotes, backslashes and non-ASCII cross the boundary intact", () => {
  const cc = ['"Doe, \\"Jane\\"" <jane@x.example>', "山田太郎 <yamada@例子.example>", "Émile 😀 <e@y.example>"];
  const verdict = evaluate({ from: SENDER, cc }, { threshold: 1 });
  assert.deepEqual(verdict.visible.map((r) => r.email), ["jane@x.example", "yamada@例子.example", "e@y.example"]);
  assert.deepEqual(verdict.visible.map((r) => r.name), ['Doe, "Jane"', "山田太郎", "Émile 😀"]);
  assert.deepEqual(verdict.moveToBcc.bcc, cc);
});

test("the Move-to-Bcc rewrite crosses intact, whatever the strings hold", () => {
  const bcc = ["Kept <kept@z.example>"];
  const cc = customers(300).concat(["Odd\u0000Name <odd@x.example>", "", "Émile <e@y.example>"]);
  const verdict = evaluate({ from: SENDER, cc, bcc }, { threshold: 1 });
  assert.equal(verdict.moveToBcc.bcc[0], bcc[0]);
  const emails = new Set(verdict.moveToBcc.bcc.flatMap((s) => parseAddressList(s).map((m) => m.email)));
  for (const c of cc.filter(Boolean)) assert.ok(emails.has(parseAddressList(c)[0].email), c);
  assert.deepEqual(evaluate({ from: SENDER }, defaultPolicy()).moveToBcc, { to: [SENDER], cc: [], bcc: [] });
});

test("the verdict is plain data that survives structuredClone", () => {
  const verdict = evaluate({ from: SENDER, cc: customers(20) }, defaultPolicy());
  assert.deepEqual(structuredClone(verdict), verdict);
});

test("hostile display names come back as data, unchanged", () => {
  const name = "<img src=x onerror=alert(1)>";
  const [m] = parseAddressList(`"${name}" <x@evil.example>`);
  assert.equal(m.name, name);
});
