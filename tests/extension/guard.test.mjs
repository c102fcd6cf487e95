// guard.js judges a send with the built WASM core, and without it in degraded mode, which must
// hold what the core holds (issue 10). Run: node --test tests/extension/
import { test, beforeEach, mock } from "node:test";
import assert from "node:assert/strict";

import {
  KEYS, SENDER, SENDER_EMAIL, brokenWasmFiles, builtFiles, customers, damagedTable, installMessenger,
} from "./stub.mjs";
import { defaults, policyKeys, useFiles, LAST_RESORT_KEYS } from "../../extension/core.js";
import { effectivePolicy, judge } from "../../extension/guard.js";
import { forgetOwnAddresses } from "../../extension/identities.js";
import { getPolicyState, settingsInForce } from "../../extension/settings.js";

let messenger;
beforeEach(() => {
  messenger = installMessenger();
  forgetOwnAddresses();
  useFiles(builtFiles().files);
});

const send = (fields) => ({ from: SENDER, to: [], cc: [], bcc: [], ...fields });

/** The judgement under the settings the stub storage holds, as decisions.review reads them. */
async function judged(details) {
  return judge(details, await settingsInForce());
}

// -- with the core ---------------------------------------------------------------------------------

test("the core holds 7 private customers in Cc and computes Move to Bcc, not Move only external", async () => {
  const { verdict, rewrites } = await judged(send({ to: [SENDER], cc: customers(7) }));
  assert.equal(verdict.action, "warn");
  assert.equal(verdict.degraded, null);
  assert.equal(verdict.rules[0].id, "private-individuals");
  assert.deepEqual(rewrites.moveToBcc.to, [SENDER]);
  assert.equal(rewrites.moveToBcc.bcc.length, 7);
  assert.equal(rewrites.moveExternalToBcc, null, "not mixed: no colleagues");
});

test("colleagues and outsiders both visible: Move only external is computed too", async () => {
  const cc = [...customers(7), "Bob <bob@shop.example>"];
  const { verdict, rewrites } = await judged(send({ cc }));
  assert.equal(verdict.mixed, true);
  assert.deepEqual(rewrites.moveExternalToBcc.cc, ["Bob <bob@shop.example>"]);
  assert.equal(rewrites.moveExternalToBcc.bcc.length, 7);
});

test("an allowed send pays for no rewrite", async () => {
  let calls = 0;
  useFiles(builtFiles({
    wrap: (mod) => ({ ...mod, moveToBcc: (...a) => (calls++, mod.moveToBcc(...a)) }),
  }).files);
  const { verdict, rewrites } = await judged(send({ to: ["Bob <bob@gmail.com>"] }));
  assert.equal(verdict.action, "allow");
  assert.equal(rewrites, null);
  assert.equal(calls, 0);
});

test("a rewrite that throws is not offered; the verdict stands", async () => {
  const failing = () => {
    throw Object.assign(new Error("boom"), { code: "internal" });
  };
  useFiles(builtFiles({ wrap: (mod) => ({ ...mod, moveToBcc: failing }) }).files);
  const { verdict, rewrites } = await judged(send({ cc: customers(7) }));
  assert.equal(verdict.action, "warn");
  assert.equal(verdict.degraded, null);
  assert.equal(rewrites.moveToBcc, null);
});

test("the hooks: messageOf hands the core no related message and no known groups (yet)", async () => {
  let seen;
  useFiles(builtFiles({ wrap: (mod) => ({ ...mod, evaluate: (m, p) => ((seen = m), mod.evaluate(m, p)) }) }).files);
  await judged(send({ type: "reply", relatedMessageId: 7, to: ["Bob <bob@gmail.com>"] }));
  assert.equal("related" in seen, false);
  assert.equal("knownGroups" in seen, false);
  assert.deepEqual(seen.ownAddresses, [SENDER_EMAIL]);
});

// -- degraded mode ---------------------------------------------------------------------------------

test("broken WASM: 7 private customers in Cc are held (degraded, no rewrite)", async () => {
  useFiles(brokenWasmFiles().files);
  const { verdict, rewrites } = await judged(send({ to: [SENDER], cc: customers(7) }));
  assert.equal(verdict.action, "warn");
  assert.equal(verdict.degraded.code, "wasm-load");
  assert.match(verdict.degraded.detail, /\S/);
  assert.equal(verdict.threshold, 3, "the smallest enabled default threshold (privateThreshold)");
  assert.equal(verdict.counts.visible, 7, "the sender's own address does not count");
  assert.equal(verdict.blocked, false);
  assert.equal(rewrites, null);
});

test("broken WASM: a per-identity hard limit applies to its address however its domain is written", async () => {
  useFiles(brokenWasmFiles().files);
  messenger.state.stored = { identities: { "Info@Bücher.example": { hardLimit: 3 } } };
  const { verdict } = await judged(send({ from: "Info <info@xn--bcher-kva.example>", to: customers(4) }));
  assert.equal(verdict.degraded.code, "wasm-load");
  assert.equal(verdict.blocked, true, "xn--bcher-kva.example is bücher.example");
  const below = await judged(send({ from: "Info <info@xn--bcher-kva.example>", to: customers(3) }));
  assert.equal(below.verdict.blocked, false);
});

test("broken WASM: an identity past the 1000th, which the core does not read, cannot loosen degraded mode", async () => {
  useFiles(brokenWasmFiles().files);
  const identities = Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`desk${i}@shop.example`, { role: "organisation" }]));
  identities["info@bücher.example"] = { hardLimit: 0 };
  messenger.state.stored = { hardLimit: 3, identities };
  const { verdict } = await judged(send({ from: "Info <info@bücher.example>", to: customers(4) }));
  assert.equal(verdict.blocked, true, "the general hard limit of 3 holds");
});

test("broken WASM: one address-book list pill is held, naming the list, below every threshold", async () => {
  useFiles(brokenWasmFiles().files);
  const { verdict } = await judged(send({ to: ['Club Members <"Club Members">'] }));
  assert.equal(verdict.action, "warn");
  assert.deepEqual(verdict.lists, ["Club Members"]);
  assert.equal(verdict.counts.visible, 1);
  const plain = await judged(send({ to: ["Bob <bob@gmail.com>"] }));
  assert.deepEqual(plain.verdict.lists, []);
});

test("broken WASM: above the hard limit the send is blocked", async () => {
  useFiles(brokenWasmFiles().files);
  messenger.state.stored = { hardLimit: 5 };
  const { verdict } = await judged(send({ cc: customers(7) }));
  assert.equal(verdict.action, "warn");
  assert.equal(verdict.blocked, true);
  assert.equal(verdict.hardLimit, 5);
});

/** An address book holding one list, `name`, of `count` private members (vCard contacts). */
function bookWithList(name, count) {
  const members = Array.from({ length: count }, (_, i) => ({
    id: `c${i}`,
    type: "contact",
    vCard: `BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Member ${i}\r\nEMAIL;PREF=1:member${i}@gmail.com\r\nUID:c${i}\r\nEND:VCARD\r\n`,
  }));
  messenger.addressBooks = {
    async list() {
      return [{ id: "b1", type: "addressBook", name: "Personal" }];
    },
    mailingLists: {
      async list() {
        return [{ id: "L1", parentId: "b1", type: "mailingList", name, nickName: "", description: "" }];
      },
      async listMembers() {
        return members;
      },
    },
  };
}

test("broken WASM and a hard limit: a list pill counts as its members, so a 30-member list is blocked", async () => {
  useFiles(brokenWasmFiles().files);
  messenger.state.stored = { hardLimit: 5 };
  bookWithList("Club Members", 30);
  const big = (await judged(send({ to: ['Club Members <"Club Members">'] }))).verdict;
  assert.equal(big.action, "warn");
  assert.deepEqual(big.lists, ["Club Members"]);
  assert.equal(big.blocked, true, "30 people behind one pill, above a hard limit of 5");

  bookWithList("Club Members", 4);
  const small = (await judged(send({ to: ['Club Members <"Club Members">'] }))).verdict;
  assert.equal(small.action, "warn", "still held: a list could be many");
  assert.equal(small.blocked, false, "4 members are within the hard limit");
});

test("broken WASM and a hard limit: a list whose members cannot be read is blocked", async () => {
  useFiles(brokenWasmFiles().files);
  messenger.state.stored = { hardLimit: 5 };
  bookWithList("Club Members", 3);
  messenger.addressBooks.mailingLists.listMembers = async () => {
    throw new Error("address book unavailable");
  };
  const { verdict } = await judged(send({ to: ['Club Members <"Club Members">'] }));
  assert.equal(verdict.action, "warn");
  assert.equal(verdict.blocked, true);
});

test("a recipient that is not text is judged degraded as 'could be many', and blocked under a hard limit", async () => {
  const contactRef = { id: "c1", type: "contact" };
  const open = (await judged(send({ to: [contactRef] }))).verdict;
  assert.equal(open.degraded.code, "bad-message");
  assert.equal(open.action, "warn");
  assert.equal(open.lists.length, 1, "named in the window as a possible list");
  assert.equal(open.blocked, false);

  messenger.state.stored = { hardLimit: 5 };
  const limited = (await judged(send({ to: [contactRef] }))).verdict;
  assert.equal(limited.blocked, true, "how many it stands for is unknown");
});

test("a sender that is not text is a message CcGuard cannot read, not one without a sender", async () => {
  messenger.state.stored = { identities: { "ann@gmail.com": { role: "sensitive" } } };
  const { verdict } = await judged(send({ from: { email: "ann@gmail.com" }, to: customers(2) }));
  assert.equal(verdict.degraded.code, "bad-message");
  assert.equal(verdict.action, "warn");
});

test("broken WASM: every rule switched off but a hard limit set still blocks above it, and only above it", async () => {
  useFiles(brokenWasmFiles().files);
  messenger.state.stored = {
    privateThreshold: 0, externalThreshold: 0, organisationThreshold: 0, colleagueThreshold: 0, audienceThreshold: 0,
    hardLimit: 5,
  };
  const at = (await judged(send({ cc: customers(5) }))).verdict;
  assert.equal(at.action, "allow", "5 people at a hard limit of 5");
  assert.equal(at.threshold, null);
  const above = (await judged(send({ cc: customers(6) }))).verdict;
  assert.equal(above.action, "warn");
  assert.equal(above.blocked, true);
});

test("broken WASM: a reply to one customer goes out", async () => {
  useFiles(brokenWasmFiles().files);
  const { verdict } = await judged(send({ type: "reply", relatedMessageId: 12, to: ["Bob <bob@gmail.com>"] }));
  assert.equal(verdict.action, "allow");
});

test("broken WASM: a forward's header counts, so a colleague's 12 customers forwarded to one agency are held", async () => {
  useFiles(brokenWasmFiles().files);
  const headers = {
    12: { author: "Carl <carl@shop.example>", recipients: customers(12), ccList: [] },
    13: { author: "Bob <bob@gmail.com>", recipients: [SENDER], ccList: [] },
  };
  messenger.messages.get = async (id) => headers[id];
  const agency = "Agency <team@agency.example>";
  const held = await judged(send({ type: "forward", relatedMessageId: 12, to: [agency] }));
  assert.equal(held.verdict.action, "warn");
  assert.deepEqual(held.verdict.forwarded, { shown: 13, bccCannotHide: false });
  // The same people answered: a reply carries no header.
  assert.equal((await judged(send({ type: "reply", relatedMessageId: 12, to: [agency] }))).verdict.action, "allow");
  // One customer's mail forwarded to one colleague still goes out.
  const colleague = await judged(send({ type: "forward", relatedMessageId: 13, to: ["Dana <dana@shop.example>"] }));
  assert.equal(colleague.verdict.action, "allow");
  assert.equal(colleague.verdict.forwarded.shown, 1);
});

test("broken WASM: the policy in force is the admin's over the user's", async () => {
  useFiles(brokenWasmFiles().files);
  const off = { privateThreshold: 0, externalThreshold: 0, organisationThreshold: 0, colleagueThreshold: 0, audienceThreshold: 0 };
  messenger.state.stored = off;
  assert.equal((await judged(send({ cc: customers(7) }))).verdict.action, "allow", "the user switched every rule off");

  messenger.state.managed = { locked: ["privateThreshold"] };
  const locked = (await judged(send({ cc: customers(7) }))).verdict;
  assert.equal(locked.action, "warn", "the admin locked privateThreshold at its default");
  assert.equal(locked.threshold, 3);

  messenger.state.managed = { externalThreshold: 8, hardLimit: 6 };
  const admin = (await judged(send({ cc: customers(7) }))).verdict;
  assert.equal(admin.threshold, 8);
  assert.equal(admin.blocked, true, "the admin's hard limit");

  messenger.state.stored = { ...off, privateThreshold: "off" };
  messenger.state.managed = undefined;
  const bad = (await judged(send({ cc: customers(3) }))).verdict;
  assert.equal(bad.threshold, 3, "a bad value keeps its default, as in the core");
});

test("broken WASM: a sensitive sending identity warns from 2, another identity's settings do not apply", async () => {
  useFiles(brokenWasmFiles().files);
  messenger.state.stored = { identities: { "ANN@shop.example": { role: "sensitive" }, "x@y.example": { hardLimit: 1 } } };
  const { verdict } = await judged(send({ to: customers(2) }));
  assert.equal(verdict.threshold, 2);
  assert.equal(verdict.action, "warn");
  assert.equal(verdict.blocked, false);
});

test("when even the degraded count fails, the last resort warns, and refuses Send anyway under a hard limit", async () => {
  useFiles(brokenWasmFiles({ policyKeys: async () => { throw new Error("missing"); } }).files);
  const poisoned = { get to() { throw new Error("unreadable"); } };
  const open = (await judge(poisoned, {})).verdict;
  assert.equal(open.action, "warn");
  assert.equal(open.blocked, false);
  const limited = (await judge(poisoned, { hardLimit: 5 })).verdict;
  assert.equal(limited.action, "warn");
  assert.equal(limited.blocked, true);
});

test("broken WASM and no key table: the last resort warns from 2", async () => {
  useFiles(brokenWasmFiles({ policyKeys: async () => { throw new Error("missing"); } }).files);
  assert.equal((await judged(send({ to: customers(1) }))).verdict.action, "allow");
  const { verdict } = await judged(send({ to: customers(2) }));
  assert.equal(verdict.action, "warn");
  assert.equal(verdict.threshold, 2);
});

test("a RuntimeError from evaluate: degraded now, a fresh instance for the next send", async () => {
  const built = builtFiles({
    wrap: (mod, instance) => instance === 0
      ? { ...mod, evaluate: () => { throw new WebAssembly.RuntimeError("unreachable"); } }
      : mod,
  });
  useFiles(built.files);
  const first = (await judged(send({ cc: customers(7) }))).verdict;
  assert.equal(first.degraded.code, "wasm-crash");
  assert.equal(first.action, "warn");
  assert.deepEqual(built.log.wasm, [0]);

  const next = await judged(send({ cc: customers(7) }));
  assert.equal(next.verdict.degraded, null, "judged by the core again");
  assert.equal(next.verdict.rules[0].id, "private-individuals");
  assert.ok(next.rewrites.moveToBcc, "the fresh instance has the table and computes the rewrite");
  assert.deepEqual(built.log.wasm, [0, 1], "one fresh instance, no more");
  await judged(send({ cc: customers(7) }));
  assert.deepEqual(built.log.wasm, [0, 1], "a healthy instance is kept");
});

test("a damaged table (table-checksum): degraded with that code", async () => {
  useFiles(builtFiles({ table: async () => damagedTable() }).files);
  const { verdict } = await judged(send({ cc: customers(7) }));
  assert.equal(verdict.degraded.code, "table-checksum");
  assert.equal(verdict.action, "warn");
});

test("a table whose load throws table-checksum: degraded with that code", async () => {
  const refused = () => {
    throw Object.assign(new Error("checksum mismatch"), { code: "table-checksum" });
  };
  useFiles(builtFiles({ wrap: (mod) => ({ ...mod, loadPrivateDomains: refused }) }).files);
  const { verdict } = await judged(send({ cc: customers(7) }));
  assert.equal(verdict.degraded.code, "table-checksum");
});

test("a recipient the core cannot be handed: degraded, bad-message", async () => {
  const { verdict } = await judged(send({ cc: [...customers(2), { id: "contact-1", type: "contact" }] }));
  assert.equal(verdict.degraded.code, "bad-message");
  assert.equal(verdict.counts.visible, 3);
  assert.equal(verdict.action, "warn");
});

test("a core that does not load in time: degraded, timeout", async () => {
  mock.timers.enable({ apis: ["setTimeout"] });
  try {
    useFiles({ ...builtFiles().files, wasm: () => new Promise(() => {}) });
    const judging = judge(send({ cc: customers(7) }), {});
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    mock.timers.tick(5000);
    const { verdict } = await judging;
    assert.equal(verdict.degraded.code, "timeout");
    assert.equal(verdict.action, "warn");
  } finally {
    mock.timers.reset();
  }
});

// -- defaults, key table, refusals -----------------------------------------------------------------

test("policyKeys() is read once and has the documented shape", async () => {
  const built = builtFiles();
  useFiles(built.files);
  const [a, b] = await Promise.all([policyKeys(), policyKeys()]);
  await policyKeys();
  assert.equal(built.log.keys, 1);
  assert.equal(a, b);
  assert.deepEqual(a, KEYS);
  assert.ok(a.keys.some((k) => k.name === "privateThreshold" && k.type === "threshold"));
});

test("defaults(): the core's, else the key table's, else the last resort", async () => {
  const fromCore = await defaults();
  assert.equal(fromCore.privateThreshold, 3);
  useFiles(brokenWasmFiles().files);
  assert.deepEqual(await defaults(), fromCore, "the key table gives the same defaults as the core");
  useFiles(brokenWasmFiles({ policyKeys: async () => ({ not: "a table" }) }).files);
  const last = await defaults();
  assert.equal(last.privateThreshold, 2);
  assert.equal(last.hardLimit, 0);
  assert.deepEqual(Object.keys(last), LAST_RESORT_KEYS.keys.map((k) => k.name));
});

test("refusals keep the core's {key, value, reason: {code}} shape, the admin's marked", async () => {
  messenger.state.stored = { hardLimit: -1 };
  messenger.state.managed = { internalDomains: ["not a domain"], locked: ["nonsense"] };
  const { rejected } = await getPolicyState();
  const byKey = Object.fromEntries(rejected.map((r) => [r.key, r]));
  assert.deepEqual(byKey.hardLimit.reason, { code: "not-a-threshold", max: 100000 });
  assert.equal(byKey.hardLimit.managed, false);
  assert.equal(byKey["internalDomains[0]"].reason.code, "not-a-domain-pattern");
  assert.equal(byKey["internalDomains[0]"].managed, true);
  assert.deepEqual(byKey["locked[0]"].reason, { code: "not-a-key-name" });
});

test("without the core, effectivePolicy reads the thresholds leniently, with the core's refusal shape", async () => {
  useFiles(brokenWasmFiles().files);
  const { policy, rejected } = await effectivePolicy({ privateThreshold: 7, hardLimit: "x", threshold: 4 });
  assert.equal(policy.privateThreshold, 7);
  assert.equal(policy.externalThreshold, 4, "version 1's threshold");
  assert.equal(policy.hardLimit, 0);
  assert.deepEqual(policy.internalDomains, []);
  assert.deepEqual(rejected, [{ key: "hardLimit", value: "\"x\"", reason: { code: "not-a-threshold", max: 100000 } }]);
});
