// The update race (issue 10): an add-on update that arrives while a send is being checked or held
// waits until that check has answered, and reloads only after the answer left — not in the same
// tick. Driven through background.js's own listeners with a stub `messenger`.
// Run: node --test tests/extension/
import { test, before } from "node:test";
import assert from "node:assert/strict";

import { SENDER, builtFiles, customers, decisionId, deferred, installMessenger, sleep, tick, until } from "./stub.mjs";
import { useFiles } from "../../extension/core.js";
import { GRACE_MS, reviewsInFlight } from "../../extension/activity.js";

const TAB = { id: 3, windowId: 7 };
const ONE = { from: SENDER, to: ["Bob <bob@gmail.com>"], cc: [], bcc: [] };
const SEVEN = { from: SENDER, to: [], cc: customers(7), bcc: [] };

let messenger;
before(async () => {
  messenger = installMessenger();
  useFiles(builtFiles().files);
  await import("../../extension/background.js");
  for (const name of ["onBeforeSend", "onMessage", "onRemoved", "onUpdateAvailable"]) {
    assert.equal(typeof messenger.listeners[name], "function", `background.js registers ${name}`);
  }
});

/** Waits until the last review answered GRACE_MS ago, so that one test's grace does not leak. */
async function settleDown() {
  await until(() => reviewsInFlight() === 0, "no review in flight");
  await sleep(GRACE_MS + 50);
}

test("with nothing reviewed lately, an update reloads at once", async () => {
  await settleDown();
  const before = messenger.calls.reload;
  messenger.listeners.onUpdateAvailable();
  assert.equal(messenger.calls.reload, before + 1);
});

test("an update during a slow settings read waits for the answer, then a grace period", async () => {
  await settleDown();
  const before = messenger.calls.reload;
  const slow = deferred();
  messenger.state.localGet = slow.promise;
  let answered = false;
  const answer = messenger.listeners.onBeforeSend(TAB, ONE).then((value) => {
    answered = true;
    // Still in the tick the answer is handed to Thunderbird: no reload yet.
    assert.equal(messenger.calls.reload, before, "reloaded in the same tick as the answer");
    return value;
  });
  await tick();
  assert.equal(reviewsInFlight(), 1);
  messenger.listeners.onUpdateAvailable();
  await sleep(GRACE_MS + 100);
  assert.equal(messenger.calls.reload, before, "reloaded while the check was reading the settings");
  assert.equal(answered, false);

  messenger.state.localGet = null;
  slow.resolve();
  assert.equal(await answer, undefined, "the one-person send is allowed");
  await tick();
  assert.equal(messenger.calls.reload, before, "reloaded right after the answer");
  await sleep(GRACE_MS / 2);
  assert.equal(messenger.calls.reload, before, "reloaded within the grace period");
  await sleep(GRACE_MS / 2 + 100);
  assert.equal(messenger.calls.reload, before + 1, "the update is applied after the grace period");
});

test("an update while a send is held behind the window waits for the decision", async () => {
  await settleDown();
  const before = messenger.calls.reload;
  const created = messenger.calls.created.length;
  const answer = messenger.listeners.onBeforeSend(TAB, SEVEN);
  await until(() => messenger.calls.created.length > created, "the warning window");
  messenger.listeners.onUpdateAvailable();
  await sleep(GRACE_MS + 100);
  assert.equal(messenger.calls.reload, before, "reloaded while a send was held");

  const id = decisionId(messenger);
  await messenger.listeners.onMessage({ type: "ccguard:decide", id, choice: "send-anyway" }, { id: messenger.runtime.id });
  assert.deepEqual(await answer, {});
  await tick();
  assert.equal(messenger.calls.reload, before);
  await sleep(GRACE_MS + 100);
  assert.equal(messenger.calls.reload, before + 1);
});

test("a send checked during the grace period postpones the reload again", async () => {
  await settleDown();
  const before = messenger.calls.reload;
  await messenger.listeners.onBeforeSend(TAB, ONE);
  messenger.listeners.onUpdateAvailable();
  await sleep(GRACE_MS / 2);
  const slow = deferred();
  messenger.state.localGet = slow.promise;
  messenger.state.stored = {}; // a change of settings: the second check reads them again, slowly
  const second = messenger.listeners.onBeforeSend(TAB, ONE);
  await sleep(GRACE_MS);
  assert.equal(messenger.calls.reload, before, "reloaded while the second check was in flight");
  messenger.state.localGet = null;
  slow.resolve();
  await second;
  await sleep(GRACE_MS / 2);
  assert.equal(messenger.calls.reload, before, "the grace period restarts after the second answer");
  await sleep(GRACE_MS / 2 + 100);
  assert.equal(messenger.calls.reload, before + 1);
});
