// writes.js: the options page's writes of the stored groups and settings are made by the
// background, in the queue of its own writes (learning from arriving mail), so that neither
// undoes the other. Here this process plays both: the page (sendWritesToBackground) and, behind
// runtime.sendMessage, the background (handleWrite).
// Run: node --test tests/extension/
import { test, beforeEach, mock } from "node:test";
import assert from "node:assert/strict";

import { installMessenger } from "./stub.mjs";
import { forgetGroup, listGroups, reloadGroups, rememberGroups } from "../../extension/groups.js";
import { savePolicy } from "../../extension/settings.js";
import { ANSWER_MS, handleWrite, sendWritesToBackground } from "../../extension/writes.js";

sendWritesToBackground();

let messenger;
let sent;
beforeEach(() => {
  messenger = installMessenger();
  sent = [];
  reloadGroups();
  messenger.runtime.sendMessage = async (message) => {
    sent.push(message);
    // Through structured clone, as a runtime message is.
    return handleWrite(structuredClone(message), { id: messenger.runtime.id });
  };
});

test("a page's group write is sent to the background, which makes it and answers with the result", async () => {
  const added = await rememberGroups([["a@x.example", "b@y.example"]], "received");
  assert.equal(added, 1);
  assert.deepEqual(
    sent.map((m) => [m.type, m.name]),
    [["ccguard:write", "groups.remember"]],
  );
  const [group] = await listGroups();
  await forgetGroup(group.id);
  assert.equal(sent.at(-1).name, "groups.forget");
  assert.deepEqual(await listGroups(), []);
});

test("a page's settings write goes the same way and answers with what is stored", async () => {
  const stored = await savePolicy({ hardLimit: 9 });
  assert.equal(sent.at(-1).name, "settings.save");
  assert.equal(stored.hardLimit, 9);
  assert.equal(messenger.state.stored.hardLimit, 9);
});

test("a write the background could not make fails on the page too, and is not made a second time", async () => {
  let writes = 0;
  const set = messenger.storage.local.set;
  messenger.storage.local.set = async (...args) => {
    writes += 1;
    if (writes === 1) throw new Error("disk full");
    return set(...args);
  };
  await assert.rejects(rememberGroups([["a@x.example", "b@y.example"]]), /disk full/);
  assert.equal(writes, 1);
  assert.deepEqual(await listGroups(), []);
});

test("with no background to answer, the page writes itself: the change is not lost", async () => {
  messenger.runtime.sendMessage = async () => {
    throw new Error("Could not establish connection. Receiving end does not exist.");
  };
  assert.equal(await rememberGroups([["a@x.example", "b@y.example"]]), 1);
  assert.equal((await listGroups()).length, 1);
  messenger.runtime.sendMessage = async () => undefined; // a listener that did not answer
  assert.equal(await rememberGroups([["c@x.example", "d@y.example"]]), 1);
  assert.equal((await listGroups()).length, 2);
});

test("a background that never answers: after ANSWER_MS the page writes itself", async () => {
  mock.timers.enable({ apis: ["setTimeout"] });
  try {
    messenger.runtime.sendMessage = () => new Promise(() => {});
    const pending = rememberGroups([["a@x.example", "b@y.example"]]);
    let settled = false;
    pending.finally(() => (settled = true));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(settled, false, "still waiting for the background");
    mock.timers.tick(ANSWER_MS);
    assert.equal(await pending, 1);
    assert.equal((await listGroups()).length, 1);
  } finally {
    mock.timers.reset();
  }
});

test("the background makes only CcGuard's own, named writes", async () => {
  const message = { type: "ccguard:write", name: "groups.forgetAll", args: [] };
  await rememberGroups([["a@x.example", "b@y.example"]]);
  assert.equal(handleWrite(message, { id: "someone-else@example" }), undefined);
  assert.equal(handleWrite({ ...message, name: "toString" }, { id: messenger.runtime.id }), undefined);
  assert.equal(handleWrite({ ...message, type: "ccguard:get" }, { id: messenger.runtime.id }), undefined);
  assert.equal((await listGroups()).length, 1);
  assert.deepEqual(await handleWrite(message, { id: messenger.runtime.id }), { ok: true, result: undefined });
  assert.deepEqual(await listGroups(), []);
});
