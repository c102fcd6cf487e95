// settings.js: the settings a send is judged by. A read of storage that fails must never leave
// the defaults in force instead of the user's or the admin's stricter ones (issue 10).
// Run: node --test tests/extension/
import { test, beforeEach } from "node:test";
import assert from "node:assert/strict";

import { builtFiles, installMessenger } from "./stub.mjs";
import { useFiles } from "../../extension/core.js";
import { resetPolicy, savePolicy, saveRole, settingsInForce, withRole } from "../../extension/settings.js";

let messenger;
beforeEach(() => {
  messenger = installMessenger();
  useFiles(builtFiles().files);
});

test("a failed first read is not kept: once storage answers, the user's settings are in force", async () => {
  messenger.state.stored = { hardLimit: 5 };
  messenger.state.localFails = true;
  assert.equal((await settingsInForce()).hardLimit, undefined, "nothing better is known yet");
  messenger.state.localFails = false;
  assert.equal((await settingsInForce()).hardLimit, 5);
});

test("a read that fails after a good one keeps the settings last read whole, not the defaults", async () => {
  messenger.state.stored = { privateThreshold: 2 };
  messenger.state.managed = { hardLimit: 50 };
  assert.deepEqual(await settingsInForce(), { privateThreshold: 2, hardLimit: 50 });
  // storage.onChanged: the next send reads again, and storage fails this time.
  messenger.state.localFails = true;
  messenger.state.stored = { privateThreshold: 2, externalThreshold: 4 };
  assert.deepEqual(await settingsInForce(), { privateThreshold: 2, hardLimit: 50 });
  messenger.state.localFails = false;
  assert.deepEqual(await settingsInForce(), { privateThreshold: 2, externalThreshold: 4, hardLimit: 50 });
});

test("managed storage that fails (not 'no policy') is read again on the next send", async () => {
  let fail = true;
  messenger.storage.managed.get = async () => {
    if (fail) throw new Error("storage.managed is not available");
    return { hardLimit: 7 };
  };
  assert.equal((await settingsInForce()).hardLimit, undefined);
  fail = false;
  assert.equal((await settingsInForce()).hardLimit, 7);
});

test("managed storage that fails at the next start: the admin's settings last read still win over the user's", async () => {
  messenger.state.stored = { privateThreshold: 0, externalThreshold: 50 };
  messenger.state.managed = { privateThreshold: 3, locked: ["externalThreshold"] };
  assert.deepEqual(await settingsInForce(), { privateThreshold: 3 });
  await new Promise((resolve) => setTimeout(resolve, 10)); // kept in storage.local, not awaited by the send
  // Thunderbird restarts (a new page, the same profile) and storage.managed fails.
  const local = messenger.state.local;
  messenger = installMessenger({ stored: { privateThreshold: 0, externalThreshold: 50 } });
  Object.assign(messenger.state.local, { managedLast: local.managedLast });
  messenger.storage.managed.get = async () => {
    throw new Error("storage.managed is not available");
  };
  assert.deepEqual(await settingsInForce(), { privateThreshold: 3 }, "not the user's 0 and 50");
});

test("no enterprise policy at all is the normal case: read once and kept", async () => {
  let reads = 0;
  const get = messenger.storage.local.get;
  messenger.storage.local.get = async (...args) => (reads++, get(...args));
  messenger.state.stored = { hardLimit: 9 };
  assert.equal((await settingsInForce()).hardLimit, 9);
  assert.equal((await settingsInForce()).hardLimit, 9);
  assert.equal(reads, 1, "the second send costs no storage round trip");
});

test("saveRole writes one address's answer over what is stored now, keeping everything else", async () => {
  messenger.state.stored = {
    hardLimit: 40,
    identities: { "Ann@Shop.example": { hardLimit: 9 }, "bob@gmail.com": { role: "personal" } },
  };
  // Two answers at once (two warning windows): neither writes over the other.
  await Promise.all([saveRole("ann@shop.example", "sensitive"), saveRole("cleo@gmail.com", "organisation")]);
  assert.deepEqual(messenger.state.stored, {
    hardLimit: 40,
    identities: {
      "Ann@Shop.example": { hardLimit: 9, role: "sensitive" },
      "bob@gmail.com": { role: "personal" },
      "cleo@gmail.com": { role: "organisation" },
    },
  });
  assert.equal((await settingsInForce()).identities["cleo@gmail.com"].role, "organisation", "the next send reads it");
  assert.deepEqual(withRole({}, " Dee@Web.de ", "personal"), { identities: { "dee@web.de": { role: "personal" } } });
  // An internationalised domain is one address in either form: the entry kept, its thresholds too.
  const idn = { identities: { "Eve@Bücher.example": { hardLimit: 7 } } };
  assert.deepEqual(withRole(idn, "eve@xn--bcher-kva.example", "sensitive").identities, {
    "Eve@Bücher.example": { hardLimit: 7, role: "sensitive" },
  });
});

test("a role answered while the form is saved: both are kept", async () => {
  messenger.state.stored = { privateThreshold: 5 };
  await Promise.all([saveRole("ann@shop.example", "sensitive"), savePolicy({ hardLimit: 9 })]);
  assert.deepEqual(messenger.state.stored, {
    privateThreshold: 5,
    hardLimit: 9,
    identities: { "ann@shop.example": { role: "sensitive" } },
  });
});

test("Reset forgets the form's settings and keeps what each address is used for", async () => {
  messenger.state.stored = { privateThreshold: 5, learnGroups: false, identities: { "ann@shop.example": { role: "sensitive" } } };
  await resetPolicy();
  assert.deepEqual(messenger.state.stored, { identities: { "ann@shop.example": { role: "sensitive" } } });
});

test("saveRole never writes over an organisation's identities", async () => {
  messenger.state.managed = { identities: { "ann@shop.example": { role: "organisation" } } };
  await saveRole("ann@shop.example", "personal");
  assert.equal(messenger.state.stored?.identities, undefined);
});
