// managed.js: an admin's settings layered over the user's.
import { test } from "node:test";
import assert from "node:assert/strict";
import { attribute, baseKey, layer } from "../../extension/managed.js";

const KEYS = [
  "privateThreshold", "externalThreshold", "organisationThreshold", "audienceThreshold", "hardLimit",
  "internalDomains", "privateDomains", "notPrivateDomains", "allowedAddresses", "allowedDomains",
  "allowedLists", "identities",
];

test("the admin wins on every key they set, and the user keeps the others", () => {
  const r = layer({ externalThreshold: 40, privateThreshold: 7 }, { externalThreshold: 5 }, KEYS);
  assert.deepEqual(r.settings, { privateThreshold: 7, externalThreshold: 5 });
  assert.deepEqual(r.managed, ["externalThreshold"]);
  assert.deepEqual(r.locked, ["externalThreshold"]);
  assert.deepEqual(r.problems, []);
});

test("a locked key the admin did not set is left out, so the core applies its default", () => {
  const r = layer({ privateThreshold: 0, threshold: 50, hardLimit: 9 }, { locked: ["privateThreshold", "threshold"] }, KEYS);
  assert.deepEqual(r.settings, { hardLimit: 9 }, "neither the user's 0 nor their version-1 threshold");
  assert.deepEqual(r.locked, ["privateThreshold", "externalThreshold"]);
  assert.deepEqual(r.managed, []);
});

test("locked: 1 (how Windows GPO and macOS profiles hand over true) freezes every key, 0 none", () => {
  assert.deepEqual(layer({}, { locked: 1 }, KEYS).locked, KEYS);
  assert.deepEqual(layer({}, { locked: 0 }, KEYS).locked, []);
});

test("locked: true freezes every key", () => {
  const r = layer({ hardLimit: 3, futureKey: 1 }, { locked: true }, KEYS);
  assert.deepEqual(r.locked, KEYS);
  assert.deepEqual(r.settings, { futureKey: 1 }, "unknown keys pass through to the core, which ignores them");
});

test("a malformed lock is reported as the admin's and locks nothing it cannot name", () => {
  const r = layer({}, { locked: ["nonsense", 3, "hardLimit"] }, KEYS);
  assert.deepEqual(r.locked, ["hardLimit"]);
  assert.deepEqual(r.problems.map((p) => [p.key, p.managed]), [["locked[0]", true], ["locked[1]", true]]);
  assert.deepEqual(layer({}, { locked: "yes" }, KEYS).problems.map((p) => p.key), ["locked"]);
  assert.deepEqual(layer({}, "not an object", KEYS).problems.map((p) => p.key), [""]);
});

test("what in the admin's lock cannot be used is refused in the core's shape, with its code", () => {
  assert.deepEqual(layer({}, { locked: ["nonsense"] }, KEYS).problems,
    [{ key: "locked[0]", value: "\"nonsense\"", reason: { code: "not-a-key-name" }, managed: true }]);
  assert.deepEqual(layer({}, { locked: "yes" }, KEYS).problems.map((p) => p.reason), [{ code: "not-a-lock" }]);
  assert.deepEqual(layer({}, [1, 2], KEYS).problems.map((p) => p.reason), [{ code: "not-an-object" }]);
});

test("a bad admin value is read without the user's, so its default applies, and it is marked the admin's", () => {
  const r = layer({ externalThreshold: 0 }, { externalThreshold: "off" }, KEYS);
  assert.deepEqual(r.settings, { externalThreshold: "off" });
  const rejected = attribute([{ key: "externalThreshold", value: "\"off\"", reason: "…" }, { key: "internalDomains[2]", value: "x", reason: "…" }], r.managed);
  assert.deepEqual(rejected.map((x) => x.managed), [true, false]);
});

test("refusals are attributed by the setting they are about", () => {
  assert.equal(baseKey("internalDomains[2]"), "internalDomains");
  assert.equal(baseKey("identities.a@b.example.hardLimit"), "identities");
  assert.equal(baseKey("threshold"), "externalThreshold");
});

test("no managed settings: the user's settings as they are", () => {
  for (const none of [undefined, null, {}]) {
    const r = layer({ hardLimit: 20 }, none, KEYS);
    assert.deepEqual(r.settings, { hardLimit: 20 });
    assert.deepEqual(r.locked, []);
    assert.deepEqual(r.problems, []);
  }
});
