// Fail closed at the boundary (issue 10): whatever JavaScript hands the WASM, the answer is a
// verdict or an Error with a `code`, never an "allow" read from a field that could not be
// read, and never a dead instance. Tested on the built package.
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
} from "./load.mjs";
import { loadJsmime } from "./jsmime.mjs";
import { customers, colleagues, HOME_DOMAIN } from "./fixtures.mjs";
import { bodyOf, decode, encode, fingerprint, withChecksum } from "./tables.mjs";

const SENDER = `Support <support@${HOME_DOMAIN}>`;
const withCode = (code) => (e) => e instanceof Error && e.code === code;
const shipped = new Uint8Array(readFileSync(tablePath));
const jsmime = await loadJsmime();

// A send the core holds (7 private customers in Cc, issue 10's case), and its verdict
// while nothing has gone wrong yet.
const HELD = { from: SENDER, cc: customers(7) };
const heldVerdict = evaluate(HELD, defaultPolicy());
const MIXED = { from: SENDER, to: colleagues(2), cc: customers(30, { businessEvery: 3 }) };
const mixedRewrites = [moveToBcc(MIXED), moveExternalToBcc(MIXED)];
/** The instance still judges, classifies and rewrites as it did before. */
function assertHealthy() {
  assert.deepEqual(evaluate(HELD, defaultPolicy()), heldVerdict);
  assert.deepEqual([moveToBcc(MIXED), moveExternalToBcc(MIXED)], mixedRewrites);
  assert.deepEqual(parseAddressList("Ann <ann@x.example>"), [{ name: "Ann", email: "ann@x.example" }]);
}

const throwing = (what) => () => {
  throw new Error(`${what} throws`);
};
// Messages that cannot be read, each a different way.
const UNREADABLE_MESSAGES = {
  "a `to` getter that throws": () => ({ from: SENDER, get to() { throw new Error("to throws"); }, cc: customers(7) }),
  "a `cc` getter that throws (7 customers in To)": () => ({ from: SENDER, to: customers(7), get cc() { throw new RangeError("cc throws"); } }),
  "a getter that throws a non-Error": () => ({ from: SENDER, get bcc() { throw "a string"; } }), // eslint-disable-line no-throw-literal
  "a Proxy whose ownKeys trap throws": () => new Proxy({ from: SENDER, cc: customers(7) }, { ownKeys: throwing("ownKeys") }),
  "a Proxy whose get trap throws": () => new Proxy({ from: SENDER, cc: customers(7) }, { get: throwing("get") }),
  "a Proxy whose getOwnPropertyDescriptor trap throws": () =>
    new Proxy({ from: SENDER, cc: customers(7) }, { getOwnPropertyDescriptor: throwing("getOwnPropertyDescriptor") }),
  "a `to` array behind a Proxy whose get trap throws": () => ({ from: SENDER, to: new Proxy(customers(7), { get: throwing("get") }) }),
  "a list whose `members` getter throws": () => ({
    from: SENDER,
    cc: ['Club <"Club">'],
    lists: [{ ref: 'Club <"Club">', name: "Club", get members() { throw new Error("members throws"); } }],
  }),
  "a list that is a Proxy": () => ({ from: SENDER, cc: ['Club <"Club">'], lists: [new Proxy({ ref: 'Club <"Club">', name: "Club", members: [] }, {})] }),
  "a related message whose getter throws": () => ({ from: SENDER, cc: customers(7), related: { get author() { throw new Error("author throws"); } } }),
  "a function among the known groups": () => ({ from: SENDER, cc: customers(7), knownGroups: [() => []] }),
};

for (const [what, make] of Object.entries(UNREADABLE_MESSAGES)) {
  test(`${what}: an Error with code bad-message, never a verdict`, () => {
    for (const call of [evaluate, moveToBcc, moveExternalToBcc, visibleAddresses]) {
      assert.throws(() => call(make(), defaultPolicy()), withCode("bad-message"), call.name);
    }
    assertHealthy();
  });
}

test("a received header that cannot be read: bad-message", () => {
  const header = { author: "c1@gmail.com", get to() { throw new Error("to throws"); } };
  assert.throws(() => receivedGroup(header, [], defaultPolicy()), withCode("bad-message"));
  assert.throws(() => receivedGroup(new Proxy({}, { ownKeys: throwing("ownKeys") }), [], defaultPolicy()), withCode("bad-message"));
});

// Settings that cannot be read at all (a bad *value* is refused key by key instead).
const UNREADABLE_SETTINGS = {
  "a Proxy": () => new Proxy({ privateThreshold: 3 }, {}),
  "a Proxy whose traps throw": () => new Proxy({}, { ownKeys: throwing("ownKeys"), get: throwing("get") }),
  "a getter that throws": () => ({ get privateThreshold() { throw new Error("getter throws"); } }),
  "an identity whose getter throws": () => ({ identities: { "a@b.example": { get role() { throw new Error("role throws"); } } } }),
  "a function": () => ({ hardLimit: () => 5 }),
};

for (const [what, make] of Object.entries(UNREADABLE_SETTINGS)) {
  test(`settings with ${what}: an Error with code bad-settings`, () => {
    assert.throws(() => readPolicy(make()), withCode("bad-settings"), "readPolicy");
    for (const call of [evaluate, moveToBcc, moveExternalToBcc]) {
      assert.throws(() => call(HELD, make()), withCode("bad-settings"), call.name);
    }
    assertHealthy();
  });
}

test("2,000 failing calls in a row leave the instance judging correctly", () => {
  // About 1,150 JS exceptions unwinding through Rust frames used to kill the instance.
  const messages = Object.values(UNREADABLE_MESSAGES);
  const settings = Object.values(UNREADABLE_SETTINGS);
  const codes = new Map();
  for (let i = 0; i < 2000; i++) {
    for (const [call, args] of [
      [evaluate, [messages[i % messages.length](), defaultPolicy()]],
      [moveToBcc, [messages[(i + 3) % messages.length](), undefined]],
      [evaluate, [HELD, settings[i % settings.length]()]],
      [readPolicy, [settings[(i + 1) % settings.length]()]],
    ]) {
      try {
        call(...args);
        assert.fail(`${call.name} answered call ${i}`);
      } catch (e) {
        assert.ok(e instanceof Error && typeof e.code === "string", `call ${i}: ${e}`);
        codes.set(e.code, (codes.get(e.code) ?? 0) + 1);
      }
    }
    if (i % 250 === 0) assertHealthy();
  }
  assert.deepEqual(Object.fromEntries(codes), { "bad-message": 4000, "bad-settings": 4000 });
  assertHealthy();
  // And a large send still crosses whole.
  const cc = customers(5000, { businessEvery: 4 });
  assert.equal(evaluate({ from: SENDER, cc }).counts.visible, 5000);
});

test("settings with a cycle are read (the cycle is never followed into a crash)", () => {
  const settings = { privateThreshold: 5, internalDomains: ["corp.example"] };
  settings.self = settings;
  settings.internalDomains.push(settings.internalDomains);
  const identity = { role: "sensitive" };
  identity.again = identity;
  settings.identities = { "care@clinic.example": identity };
  const { policy, rejected } = readPolicy(settings);
  assert.equal(policy.privateThreshold, 5);
  assert.deepEqual(policy.internalDomains, ["corp.example"]);
  assert.deepEqual(policy.identities, { "care@clinic.example": { role: "sensitive" } });
  assert.deepEqual(rejected.map((r) => [r.key, r.reason.code]), [["internalDomains[1]", "not-a-string"]]);
  assert.deepEqual(evaluate({ from: SENDER, cc: customers(5) }, settings).rules.map((r) => r.id), ["private-individuals"]);
  assertHealthy();
});

test("a recipient holding NUL is one string, read as jsmime reads it, and crosses the rewrites intact", () => {
  // Large fields cross joined by NUL; a string that holds one must not become two.
  const odd = ["Ann <a@x.example>\0Bob <b@y.example>", "a@gmail.com\0b@gmail.com", "Odd\0Name <odd@x.example>"];
  for (const s of odd) {
    const cc = [...customers(50), s, "c@z.example"];
    const v = evaluate({ from: SENDER, cc }, { audienceThreshold: 1 });
    const expected = new Set([...customers(50), "c@z.example"].map((c) => parseAddressList(c)[0].email));
    for (const m of parseAddressList(s)) expected.add(m.email);
    assert.equal(v.counts.visible, expected.size, JSON.stringify(s));
    if (jsmime) assert.deepEqual(parseAddressList(s), JSON.parse(JSON.stringify(jsmime.headerparser.parseAddressingHeader(s, true))), JSON.stringify(s));
    assert.ok(moveToBcc({ from: SENDER, cc }).bcc.includes(s), JSON.stringify(s));
  }
  // Read as one string, the first of these is one mailbox (jsmime: the name runs to the NUL).
  assert.equal(evaluate({ from: SENDER, cc: [odd[0]] }, { audienceThreshold: 1 }).counts.visible, 1);
});

test("recipient arrays: a non-string is bad-message, null and undefined holes are empty fields", () => {
  for (const bad of [42, { email: "a@x.example" }, ["a@x.example"], true]) {
    assert.throws(() => evaluate({ from: SENDER, cc: ["b@y.example", bad] }), withCode("bad-message"), JSON.stringify(bad));
  }
  const holes = ["a@gmail.com", null, "b@gmail.com", undefined, "c@yahoo.com"];
  const v = evaluate({ from: SENDER, cc: holes });
  assert.equal(v.counts.visible, 3);
  assert.deepEqual(v.rules.map((r) => r.id), ["private-individuals"]);
  // A sparse array (never filled in) reads the same.
  const sparse = [];
  sparse[0] = "a@gmail.com";
  sparse[5] = "b@gmail.com";
  sparse[9] = "c@yahoo.com";
  assert.equal(evaluate({ from: SENDER, cc: sparse }).counts.visible, 3);
  assert.deepEqual(moveToBcc({ from: SENDER, cc: holes }).bcc, ["a@gmail.com", "b@gmail.com", "c@yahoo.com"]);
});

/** Loads `bytes`, which must be refused; returns its code. The shipped table stays in force. */
function refused(bytes) {
  try {
    loadPrivateDomains(bytes);
  } catch (e) {
    assert.ok(e instanceof Error, String(e));
    return e.code;
  }
  return "loaded";
}

const kinds = () => evaluate({ from: SENDER, to: ["a@gmail.com", "b@yahoo.com", "c@gmx.de", "d@partner.example"] }).domains.map((d) => [d.domain, d.kind]);
const shippedKinds = kinds();

test("a consumer-domain table with one flipped bit, in any byte, is refused and the previous one kept", () => {
  const codes = new Map();
  for (let i = 0; i < shipped.length; i++) {
    const bytes = shipped.slice();
    bytes[i] ^= 1 << (i % 8);
    const code = refused(bytes);
    assert.match(code, /^table-/, `byte ${i}: ${code}`);
    codes.set(code, (codes.get(code) ?? 0) + 1);
  }
  // The magic and version say "not a table"; everything else is caught by the checksum.
  assert.deepEqual(Object.fromEntries(codes), { "table-not-a-table": 5, "table-checksum": shipped.length - 5 });
  assert.deepEqual(kinds(), shippedKinds);
  assert.deepEqual(evaluate(HELD), heldVerdict);
});

test("a table with trailing bytes, cut short, or without gmail.com is refused with its code", () => {
  const body = bodyOf(shipped);
  const cases = [
    ["one byte appended", Uint8Array.from([...shipped, 0]), "table-checksum"],
    ["a byte between the gaps and a valid checksum", withChecksum(Uint8Array.from([...body, 0])), "table-trailing-data"],
    ["the checksum cut off", body, "table-checksum"],
    ["cut by one byte", shipped.subarray(0, shipped.length - 1), "table-checksum"],
    ["cut in the gaps, with a valid checksum", withChecksum(body.subarray(0, body.length - 100)), "table-truncated"],
    ["only the header", shipped.subarray(0, 12), "table-truncated"],
    ["only the magic", shipped.subarray(0, 5), "table-not-a-table"],
    ["a valid table of every domain but gmail.com", encode(decode(shipped).filter((f) => f !== fingerprint("gmail.com"))), "table-missing-sentinel"],
    ["a valid table of two other domains", encode([fingerprint("uni.example"), fingerprint("yahoo.com")]), "table-missing-sentinel"],
  ];
  for (const [what, bytes, code] of cases) {
    assert.equal(refused(bytes), code, what);
    assert.deepEqual(kinds(), shippedKinds, what);
  }
  // The table without gmail.com would have loaded but for the sentinel: one domain fewer.
  assert.equal(decode(shipped).length, privateDomainCount);
  assert.equal(loadPrivateDomains(shipped), privateDomainCount);
});

test("parseAddressList of a non-string is an Error with a code, not a trap", () => {
  for (const bad of [42, {}, Symbol("s"), ["a@x.example"], null, undefined]) {
    assert.throws(() => parseAddressList(bad), (e) => e instanceof Error && !(e instanceof WebAssembly.RuntimeError) && typeof e.code === "string", String(typeof bad));
  }
});

test("2,000 headers that are not strings in a row leave the instance judging correctly", () => {
  for (let i = 0; i < 2000; i++) {
    assert.throws(() => parseAddressList(i % 2 ? 42 : {}), (e) => e.code === "bad-input");
  }
  assertHealthy();
});
