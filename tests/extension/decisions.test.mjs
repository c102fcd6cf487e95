// decisions.js: every path of a held send settles exactly once, with the answer it promises
// (the built WASM core judges; the stub `messenger` plays Thunderbird and the warning window).
// Run: node --test tests/extension/
import { test, beforeEach, mock } from "node:test";
import assert from "node:assert/strict";

import {
  SENDER, brokenWasmFiles, builtFiles, customers, decisionId, deferred, installMessenger, until,
} from "./stub.mjs";
import { useFiles } from "../../extension/core.js";
import { CHOICES, handleMessage, handleWindowRemoved, pendingCount, review, settle } from "../../extension/decisions.js";
import { forgetOwnAddresses } from "../../extension/identities.js";

const COMPOSE_WINDOW = 7;
const TAB = { id: 3, windowId: COMPOSE_WINDOW };
const CUSTOMERS = customers(7);
const COLLEAGUE = "Bob <bob@shop.example>";

let messenger;
beforeEach(() => {
  messenger = installMessenger();
  forgetOwnAddresses();
  useFiles(builtFiles().files);
});

/** Starts a review that warns and waits for its warning window. */
async function held(details = { from: SENDER, to: [SENDER], cc: CUSTOMERS, bcc: [] }) {
  const created = messenger.calls.created.length;
  let answer;
  let settledCount = 0;
  const promise = review(TAB, details).then((value) => {
    settledCount += 1;
    answer = value;
    return value;
  });
  await until(() => messenger.calls.created.length > created, "the warning window");
  const id = decisionId(messenger);
  const windowId = messenger.calls.created.at(-1).id;
  return { promise, id, windowId, answer: () => answer, settledCount: () => settledCount };
}

const decide = (id, choice, windowId) => handleMessage({ type: "ccguard:decide", id, choice, windowId }, { id: "ccguard@ccguard.org" });
const view = (id) => handleMessage({ type: "ccguard:get", id }, { id: "ccguard@ccguard.org" });

/**
 * Once settled, nothing can settle the send again: every choice, both windows closing and the
 * watchdog find nothing, and the compose window was focused once if and only if nothing was sent.
 */
async function assertSettledOnce(h, { cancelled }) {
  await h.promise;
  for (const choice of CHOICES) {
    assert.equal(settle(h.id, choice), false, `settle(${choice}) after the answer`);
    assert.deepEqual(await decide(h.id, choice), { ok: false, reason: "unknown" });
  }
  handleWindowRemoved(h.windowId);
  handleWindowRemoved(COMPOSE_WINDOW);
  await new Promise((r) => setImmediate(r));
  assert.equal(h.settledCount(), 1);
  assert.equal(pendingCount(), 0);
  assert.deepEqual((await view(h.id)).ok, false);
  const focusedCompose = messenger.calls.focused.filter((id) => id === COMPOSE_WINDOW).length;
  assert.equal(focusedCompose, cancelled ? 1 : 0, "the compose window is focused after a cancel only");
}

test("an allowed send is not held: no window, undefined", async () => {
  const answer = await review(TAB, { from: SENDER, to: ["Bob <bob@gmail.com>"], cc: [], bcc: [] });
  assert.equal(answer, undefined);
  assert.equal(messenger.calls.created.length, 0);
});

test("move-to-bcc sends the core's rewrite: the sender alone in To, everyone in Bcc", async () => {
  const h = await held();
  const shown = await view(h.id);
  assert.equal(shown.ok, true);
  assert.equal(shown.verdict.canMoveToBcc, true);
  assert.equal(shown.verdict.canMoveExternalToBcc, false);
  assert.equal("moveToBcc" in shown.verdict, false, "the rewrites stay in the background");
  assert.deepEqual(await decide(h.id, "move-to-bcc", h.windowId), { ok: true, reason: undefined });
  const answer = await h.promise;
  assert.deepEqual(answer.details.to, [SENDER]);
  assert.deepEqual(answer.details.cc, []);
  assert.deepEqual(new Set(answer.details.bcc), new Set(CUSTOMERS));
  await assertSettledOnce(h, { cancelled: false });
});

test("move-external-to-bcc keeps colleagues where they were", async () => {
  const h = await held({ from: SENDER, to: [COLLEAGUE], cc: CUSTOMERS, bcc: [] });
  assert.equal((await view(h.id)).verdict.canMoveExternalToBcc, true);
  await decide(h.id, "move-external-to-bcc");
  const answer = await h.promise;
  assert.deepEqual(answer.details.to, [COLLEAGUE]);
  assert.deepEqual(answer.details.cc, []);
  assert.deepEqual(new Set(answer.details.bcc), new Set(CUSTOMERS));
  await assertSettledOnce(h, { cancelled: false });
});

test("above a hard limit the colleagues alone exceed, only Move to Bcc is offered; a forged Move external cancels", async () => {
  messenger.state.stored = { hardLimit: 2 };
  const colleagues = ["Bob <bob@shop.example>", "Carl <carl@shop.example>", "Dora <dora@shop.example>"];
  const h = await held({ from: SENDER, to: colleagues, cc: CUSTOMERS.slice(0, 1), bcc: [] });
  const { verdict } = await view(h.id);
  assert.equal(verdict.blocked, true);
  assert.equal(verdict.canMoveToBcc, true);
  assert.equal(verdict.canMoveExternalToBcc, false, "three colleagues would still see each other");
  await decide(h.id, "move-external-to-bcc");
  assert.deepEqual(await h.promise, { cancel: true });
});

test("send-anyway sends as written: {}", async () => {
  const h = await held();
  await decide(h.id, "send-anyway");
  assert.deepEqual(await h.promise, {});
  await assertSettledOnce(h, { cancelled: false });
});

test("back-to-edit cancels and focuses the compose window", async () => {
  const h = await held();
  await decide(h.id, "back-to-edit");
  assert.deepEqual(await h.promise, { cancel: true });
  await assertSettledOnce(h, { cancelled: true });
});

test("closing the warning window is back to editing", async () => {
  const h = await held();
  handleWindowRemoved(h.windowId);
  assert.deepEqual(await h.promise, { cancel: true });
  await assertSettledOnce(h, { cancelled: true });
});

test("closing the compose window cancels and closes the warning window", async () => {
  const h = await held();
  handleWindowRemoved(COMPOSE_WINDOW);
  assert.deepEqual(await h.promise, { cancel: true });
  await until(() => messenger.calls.removed.includes(h.windowId), "the warning window to be closed");
  await assertSettledOnce(h, { cancelled: true });
});

test("the watchdog cancels once the warning window is gone unnoticed, and not before", async () => {
  mock.timers.enable({ apis: ["setInterval"] });
  try {
    const h = await held();
    mock.timers.tick(5000);
    await new Promise((r) => setImmediate(r));
    assert.equal(h.settledCount(), 0, "the window still exists: nothing happens");
    messenger.open.delete(h.windowId); // gone without windows.onRemoved
    mock.timers.tick(5000);
    assert.deepEqual(await h.promise, { cancel: true });
    await assertSettledOnce(h, { cancelled: true });
  } finally {
    mock.timers.reset();
  }
});

test("a warning window that cannot be created cancels the send", async () => {
  messenger.state.createFails = true;
  const answer = await review(TAB, { from: SENDER, to: [], cc: CUSTOMERS, bcc: [] });
  assert.deepEqual(answer, { cancel: true });
  assert.equal(pendingCount(), 0);
});

test("a warning window closed before windows.create answered is noticed", async () => {
  const create = messenger.windows.create;
  messenger.windows.create = async (options) => {
    const win = await create(options);
    handleWindowRemoved(win.id); // the user closed it before create resolved
    return win;
  };
  const answer = await review(TAB, { from: SENDER, to: [], cc: CUSTOMERS, bcc: [] });
  assert.deepEqual(answer, { cancel: true });
});

test("a forged send-anyway above the hard limit is refused; the send stays held", async () => {
  messenger.state.stored = { hardLimit: 5 };
  const h = await held();
  assert.equal((await view(h.id)).verdict.blocked, true);
  assert.deepEqual(await decide(h.id, "send-anyway"), { ok: false, reason: "blocked" });
  assert.equal(settle(h.id, "send-anyway"), true, "even settling directly…");
  assert.deepEqual(await h.promise, { cancel: true }, "…cancels instead of sending");
  await assertSettledOnce(h, { cancelled: true });
});

test("degraded and above the hard limit: blocked too, and never Move to Bcc", async () => {
  useFiles(brokenWasmFiles().files);
  messenger.state.stored = { hardLimit: 5 };
  const h = await held();
  const shown = (await view(h.id)).verdict;
  assert.equal(shown.degraded.code, "wasm-load");
  assert.equal(shown.blocked, true);
  assert.equal(shown.canMoveToBcc, false);
  assert.deepEqual(await decide(h.id, "send-anyway"), { ok: false, reason: "blocked" });
  assert.equal(h.settledCount(), 0);
  await decide(h.id, "move-to-bcc");
  assert.deepEqual(await h.promise, { cancel: true }, "no rewrite to send: never as written instead");
  await assertSettledOnce(h, { cancelled: true });
});

test("degraded below the hard limit: send-anyway sends as written", async () => {
  useFiles(brokenWasmFiles().files);
  const h = await held();
  assert.equal((await view(h.id)).verdict.canMoveToBcc, false);
  await decide(h.id, "send-anyway");
  assert.deepEqual(await h.promise, {});
  await assertSettledOnce(h, { cancelled: false });
});

test("a rewrite the core could not compute is not offered, and a forged choice of it cancels", async () => {
  const failing = () => {
    throw new Error("boom");
  };
  useFiles(builtFiles({ wrap: (mod) => ({ ...mod, moveToBcc: failing }) }).files);
  const h = await held();
  assert.equal((await view(h.id)).verdict.canMoveToBcc, false);
  await decide(h.id, "move-to-bcc");
  assert.deepEqual(await h.promise, { cancel: true });
  await assertSettledOnce(h, { cancelled: true });
});

test("a decision for an unknown id settles nothing", async () => {
  const h = await held();
  assert.deepEqual(await decide("no-such-id", "send-anyway"), { ok: false, reason: "unknown" });
  assert.deepEqual(await decide(h.id, "nonsense"), { ok: false, reason: "bad-choice" });
  assert.equal(h.settledCount(), 0);
  assert.equal(pendingCount(), 1);
  await decide(h.id, "back-to-edit");
  assert.deepEqual(await h.promise, { cancel: true });
  await assertSettledOnce(h, { cancelled: true });
});

test("a double decision: the first one counts, the second finds nothing", async () => {
  const h = await held();
  const [first, second] = await Promise.all([decide(h.id, "send-anyway"), decide(h.id, "back-to-edit")]);
  assert.deepEqual(first, { ok: true, reason: undefined });
  assert.deepEqual(second, { ok: false, reason: "unknown" });
  assert.deepEqual(await h.promise, {});
  await assertSettledOnce(h, { cancelled: false });
});

test("messages of another extension are ignored", async () => {
  const h = await held();
  assert.equal(handleMessage({ type: "ccguard:decide", id: h.id, choice: "send-anyway" }, { id: "evil@example" }), undefined);
  assert.equal(h.settledCount(), 0);
  await decide(h.id, "back-to-edit");
  await assertSettledOnce(h, { cancelled: true });
});

/** A compose tab whose `key` getter throws the first `failures` times it is read. */
function flakyTab(key, failures) {
  let reads = 0;
  const tab = { ...TAB };
  Object.defineProperty(tab, key, {
    get() {
      reads += 1;
      if (reads <= failures) throw new Error(`${key} unreadable`);
      return TAB[key];
    },
  });
  return tab;
}

test("an unexpected error before the settings were read: asked in degraded mode, nothing sent unasked", async () => {
  const created = messenger.calls.created.length;
  const promise = review(flakyTab("id", 1), { from: SENDER, to: [SENDER], cc: CUSTOMERS, bcc: [] });
  await until(() => messenger.calls.created.length > created, "the degraded warning window");
  const id = decisionId(messenger);
  const shown = (await view(id)).verdict;
  assert.ok(shown.degraded, "the window says CcGuard could not check the message");
  assert.equal(shown.canMoveToBcc, false);
  await decide(id, "back-to-edit");
  assert.deepEqual(await promise, { cancel: true });
  assert.equal(pendingCount(), 0);
  // The same error on a one-person reply: it goes out at once, without a window.
  const before = messenger.calls.created.length;
  assert.equal(await review(flakyTab("id", 1), { from: SENDER, to: ["Bob <bob@gmail.com>"], cc: [], bcc: [] }), undefined);
  assert.equal(messenger.calls.created.length, before);
});

test("an unexpected error after the settings were read: the degraded window keeps them (a hard limit blocks)", async () => {
  messenger.state.stored = { hardLimit: 5 };
  const created = messenger.calls.created.length;
  const promise = review(flakyTab("windowId", 1), { from: SENDER, to: [SENDER], cc: CUSTOMERS, bcc: [] });
  await until(() => messenger.calls.created.length > created, "the degraded warning window");
  const id = decisionId(messenger);
  const shown = (await view(id)).verdict;
  assert.ok(shown.degraded);
  assert.equal(shown.blocked, true, "the stored hard limit of 5 is still in force");
  assert.deepEqual(await decide(id, "send-anyway"), { ok: false, reason: "blocked" });
  await decide(id, "back-to-edit");
  assert.deepEqual(await promise, { cancel: true });
});

test("when even the degraded window cannot be asked, the send is cancelled (nothing is lost)", async () => {
  const created = messenger.calls.created.length;
  const answer = await review(flakyTab("windowId", Infinity), { from: SENDER, to: [SENDER], cc: CUSTOMERS, bcc: [] });
  assert.deepEqual(answer, { cancel: true });
  assert.equal(messenger.calls.created.length, created, "no window was opened");
  assert.equal(pendingCount(), 0);
});

// -- "What do you use this address for?" -----------------------------------------------------------

const THERAPIST = "Mia <Mia.Therapy@gmail.com>";
const THERAPIST_KEY = "mia.therapy@gmail.com";
const answerRole = (id, role) => handleMessage({ type: "ccguard:role", id, role }, { id: "ccguard@ccguard.org" });
/** Six private people shown to each other from a gmail address nobody said anything about. */
const askedSend = () => held({ from: THERAPIST, to: [THERAPIST], cc: customers(6), bcc: [] });

test("an unanswered gmail address showing six private people is held to ask what it is for", async () => {
  const h = await askedSend();
  const shown = (await view(h.id)).verdict;
  assert.equal(shown.action, "allow", "personal by its domain, the core would let it through");
  assert.equal(shown.askRole.identity, THERAPIST_KEY);
  assert.equal(shown.askRole.rules[0].id, "private-individuals");
  assert.equal(shown.canMoveToBcc, false, "only the answer or Back to editing settle it");
  // A forged choice that sends is refused: the send stays held.
  for (const choice of ["send-anyway", "remember-group", "move-to-bcc"]) {
    assert.deepEqual(await decide(h.id, choice, h.windowId), { ok: false, reason: "not-offered" });
  }
  assert.deepEqual(await answerRole(h.id, "admin"), { ok: false, reason: "bad-role" });
  assert.equal(h.settledCount(), 0);
  assert.deepEqual(await decide(h.id, "back-to-edit", h.windowId), { ok: true, reason: undefined });
  await assertSettledOnce(h, { cancelled: true });
  assert.equal(messenger.state.stored?.identities, undefined, "nothing answered, nothing saved");
});

test("Private life: the send goes as written, the answer is saved and never asked again", async () => {
  const h = await askedSend();
  assert.deepEqual(await answerRole(h.id, "personal"), { ok: true, sent: true });
  assert.deepEqual(await h.promise, {});
  await assertSettledOnce(h, { cancelled: false });
  assert.equal(messenger.state.stored.identities[THERAPIST_KEY].role, "personal");
  const created = messenger.calls.created.length;
  assert.equal(await review(TAB, { from: THERAPIST, to: [THERAPIST], cc: customers(6), bcc: [] }), undefined);
  assert.equal(messenger.calls.created.length, created, "no second question");
});

test("Work: the same window becomes the warning, and Move to Bcc sends the rewrite", async () => {
  const h = await askedSend();
  const reply = await answerRole(h.id, "organisation");
  assert.equal(reply.ok, true);
  assert.equal(reply.verdict.action, "warn");
  assert.equal(reply.verdict.askRole, null);
  assert.equal(reply.verdict.rules[0].id, "private-individuals");
  assert.equal(reply.verdict.canMoveToBcc, true);
  assert.equal(messenger.state.stored.identities[THERAPIST_KEY].role, "organisation");
  assert.equal(h.settledCount(), 0, "still held: the warning decides");
  assert.deepEqual(await decide(h.id, "move-to-bcc", h.windowId), { ok: true, reason: undefined });
  const answer = await h.promise;
  assert.deepEqual(answer.details.cc, []);
  assert.deepEqual(answer.details.bcc, customers(6));
});

test("an answer that cannot be saved still decides this send", async () => {
  const h = await askedSend();
  messenger.state.localFails = true;
  const reply = await answerRole(h.id, "sensitive");
  assert.equal(reply.verdict.action, "warn");
  assert.equal(reply.verdict.rules[0].threshold, 2, "judged as sensitive work");
  assert.deepEqual(await decide(h.id, "back-to-edit", h.windowId), { ok: true, reason: undefined });
  await assertSettledOnce(h, { cancelled: true });
  messenger.state.localFails = false;
  assert.equal(messenger.state.stored?.identities, undefined, "nothing was stored");
});

test("the window closing while the answer is judged: back to editing, once, and the answer finds nothing", async () => {
  const h = await askedSend();
  const gate = deferred();
  messenger.state.localGet = gate.promise; // saving the answer waits on storage
  const pendingReply = answerRole(h.id, "personal");
  assert.deepEqual(await answerRole(h.id, "organisation"), { ok: false, reason: "busy" });
  handleWindowRemoved(h.windowId);
  gate.resolve();
  messenger.state.localGet = null;
  assert.deepEqual(await pendingReply, { ok: false, reason: "unknown" });
  assert.deepEqual(await h.promise, { cancel: true });
  await assertSettledOnce(h, { cancelled: true });
});

test("an organisation that set or locked identities answered for the user: no question", async () => {
  messenger.state.managed = { locked: ["identities"] };
  const created = messenger.calls.created.length;
  assert.equal(await review(TAB, { from: THERAPIST, to: [THERAPIST], cc: customers(6), bcc: [] }), undefined);
  assert.equal(messenger.calls.created.length, created);
});
