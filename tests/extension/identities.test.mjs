// Unit tests of extension/identities.js against a stub of Thunderbird's `messenger` global.
// On Thunderbird 140 and 153 (MV3, "accountsRead") identities.list() without an account id gave
// every identity of every account as MailIdentity objects ({accountId, id, email, name, ...}).
// Run: node --test tests/extension/
import { test, beforeEach, afterEach } from "node:test";
import assert from "node:assert/strict";

import { CACHE_MS, forgetOwnAddresses, ownAddresses } from "../../extension/identities.js";

function identity(accountId, id, email) {
  return { accountId, id, email, name: "Ann", label: "", replyTo: "", organization: "" };
}

const IDENTITIES = [
  identity("account1", "id1", "ann@shop.example"),
  identity("account1", "id2", "Ann.Alias@Shop.Example"),
  identity("account3", "id3", " ann@private.example "),
  identity("account4", "id4", "ANN@SHOP.EXAMPLE"),
];

function fakeMessenger(list = async () => IDENTITIES) {
  const calls = { identities: 0, accounts: 0 };
  return {
    calls,
    identities: {
      async list(accountId) {
        calls.identities++;
        assert.equal(accountId, undefined, "all accounts' identities are wanted");
        return list();
      },
    },
  };
}

beforeEach(() => forgetOwnAddresses());
afterEach(() => {
  delete globalThis.messenger;
});

test("every identity of every account, lower-case, trimmed, without duplicates", async () => {
  globalThis.messenger = fakeMessenger();
  assert.deepEqual(await ownAddresses(), ["ann@shop.example", "ann.alias@shop.example", "ann@private.example"]);
});

test("without the identities namespace, accounts.list() is read", async () => {
  const calls = [];
  globalThis.messenger = {
    accounts: {
      async list(includeFolders) {
        calls.push(includeFolders);
        return [
          { id: "account1", identities: IDENTITIES.slice(0, 2) },
          { id: "account2", type: "local", identities: [] },
          { id: "account3", identities: IDENTITIES.slice(2) },
        ];
      },
    },
  };
  assert.deepEqual(await ownAddresses(), ["ann@shop.example", "ann.alias@shop.example", "ann@private.example"]);
  assert.deepEqual(calls, [false], "no folders asked for");
});

test("a burst of sends queries once; concurrent callers share the query", async () => {
  const m = (globalThis.messenger = fakeMessenger());
  const answers = await Promise.all([ownAddresses(), ownAddresses(), ownAddresses()]);
  for (const a of answers) assert.equal(a.length, 3);
  await ownAddresses();
  await ownAddresses();
  assert.equal(m.calls.identities, 1);
  // Callers get their own arrays: changing one does not change the cache.
  answers[0].push("intruder@x.example");
  assert.equal((await ownAddresses()).length, 3);
});

test("the cached answer is reused for at most CACHE_MS (<= 60 s), then asked again", async (t) => {
  assert.ok(CACHE_MS > 0 && CACHE_MS <= 60000, `CACHE_MS = ${CACHE_MS}`);
  let now = 1_000_000;
  t.mock.method(Date, "now", () => now);
  const m = (globalThis.messenger = fakeMessenger());
  await ownAddresses();
  now += CACHE_MS - 1;
  await ownAddresses();
  assert.equal(m.calls.identities, 1);
  now += 1;
  await ownAddresses();
  assert.equal(m.calls.identities, 2);
  now -= 10 * CACHE_MS; // the clock went back: do not trust the cache
  await ownAddresses();
  assert.equal(m.calls.identities, 3);
});

test("an API error gives [] and is not cached: the next send asks again", async () => {
  let fail = true;
  const m = (globalThis.messenger = fakeMessenger(async () => {
    if (fail) throw new Error("Missing permission accountsRead");
    return IDENTITIES;
  }));
  assert.deepEqual(await ownAddresses(), []);
  fail = false;
  assert.equal((await ownAddresses()).length, 3);
  assert.equal(m.calls.identities, 2);
});

test("no messenger at all, or odd answers: [] or what can be read, never a throw", async () => {
  globalThis.messenger = undefined;
  assert.deepEqual(await ownAddresses(), []);
  globalThis.messenger = fakeMessenger(async () => null);
  assert.deepEqual(await ownAddresses(), []);
  forgetOwnAddresses();
  globalThis.messenger = fakeMessenger(async () => [null, { email: 42 }, { email: "" }, identity("a", "i", "ok@x.example")]);
  assert.deepEqual(await ownAddresses(), ["ok@x.example"]);
});

test("a query that never answers gives [] after the timeout", async (t) => {
  t.mock.timers.enable({ apis: ["setTimeout"] });
  globalThis.messenger = fakeMessenger(() => new Promise(() => {}));
  const pending = ownAddresses();
  t.mock.timers.tick(2000);
  assert.deepEqual(await pending, []);
});
