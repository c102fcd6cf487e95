// Send separately from the warning (decisions.js, separate/): when it is offered, what the held
// send answers (exactly once, {cancel: true}: the original never goes out), what each copy is made
// of, the colleagues' copy, the Sent record, Cancel, the permissions, the job record and what the
// next start of the background does with an unfinished job. The built WASM core judges; the stub
// `messenger` plays Thunderbird 153 (or 140). Run: node --test tests/extension/
import { test, beforeEach } from "node:test";
import assert from "node:assert/strict";

import {
  SENDER, builtFiles, brokenWasmFiles, customers, decisionId, deferred, installMessenger, openCompose, sleep,
  thunderbird153, until,
} from "./stub.mjs";
import { reviewsInFlight } from "../../extension/activity.js";
import { useFiles } from "../../extension/core.js";
import { CHOICES, handleMessage, handleWindowRemoved, pendingCount, review, settle } from "../../extension/decisions.js";
import { forgetOwnAddresses } from "../../extension/identities.js";
import { forgetJobs, setRunnerOptions } from "../../extension/separate/jobs.js";
import { withoutAlready } from "../../extension/separate/plan.js";
import { recoverJobs } from "../../extension/separate/recovery.js";
import { forgetSupport } from "../../extension/separate/support.js";

const COMPOSE_WINDOW = 7;
let nextTab = 30;
const CUSTOMERS = customers(7);
const COLLEAGUES = ["Bob <bob@shop.example>", "Carl <carl@shop.example>"];
const BODY = "Dear customer,\n\nour shop is closed on Monday.\n";
const ME = { id: "ccguard@ccguard.org" };

let messenger;
let tab;
beforeEach(() => {
  messenger = installMessenger({ stored: { separatePerMinute: 600 } });
  thunderbird153(messenger);
  forgetOwnAddresses();
  forgetSupport();
  forgetJobs();
  setRunnerOptions({ retryDelayMs: 10, copyTimeoutMs: 300 });
  useFiles(builtFiles().files);
  tab = { id: nextTab++, windowId: COMPOSE_WINDOW };
});

function details(fields = {}) {
  return {
    identityId: "id1",
    from: SENDER,
    to: [SENDER],
    cc: CUSTOMERS,
    bcc: [],
    subject: "Closed on Monday",
    isPlainText: true,
    plainTextBody: BODY,
    body: "<p>html</p>",
    priority: "high",
    returnReceipt: true,
    deliveryStatusNotification: false,
    attachVCard: false,
    customHeaders: [{ name: "X-Shop-Ref", value: "42" }, { name: "X-Priority", value: "High" }],
    ...fields,
  };
}

const ATTACHMENT = new File(["opening hours"], "hours.txt", { type: "text/plain" });

/** A compose window with `fields`, its send held by a warning; {promise, id, windowId, answers}. */
async function held(fields = {}, files = [ATTACHMENT]) {
  const d = details(fields);
  openCompose(messenger, tab.id, d, files);
  const created = messenger.calls.created.length;
  const answers = [];
  const promise = review(tab, d).then((answer) => {
    answers.push(answer);
    return answer;
  });
  await until(() => messenger.calls.created.length > created, "the warning window");
  return { promise, id: decisionId(messenger), windowId: messenger.calls.created.at(-1).id, answers };
}

const send = (message) => handleMessage(message, ME);
const view = async (id) => (await send({ type: "ccguard:get", id })).verdict;
const separately = (id, colleagues = "original") => send({ type: "ccguard:decide", id, choice: "send-separately", colleagues });
const job = (jobId, action) => send({ type: "ccguard:job", job: jobId, ...(action ? { action } : {}) });

async function finished(jobId, state = "done") {
  for (let i = 0; i < 500; i++) {
    const reply = await job(jobId);
    if (reply.ok && reply.job.state === state) return reply.job;
    await sleep(10);
  }
  assert.fail(`job ${jobId} never reached ${state}: ${JSON.stringify((await job(jobId)).job?.state)}`);
}

// -- when it is offered -------------------------------------------------------------------------------

test("offered on Thunderbird 153 with the counts of the plan; the plan itself stays in the background", async () => {
  const h = await held({ to: [COLLEAGUES[0]], cc: [...CUSTOMERS, COLLEAGUES[1]] });
  const v = await view(h.id);
  assert.equal(v.canSendSeparately, true);
  assert.deepEqual(v.separately, { copies: 7, colleagues: 2, already: 0, allowed: true, keepCopies: false, pictures: 0 });
  settle(h.id, "back-to-edit");
});

test("an HTML message with a pasted picture: shown with the reason, and choosing it sends nothing and keeps the send held", async () => {
  const html = '<p>Our hours:</p><img alt="hours" src="data:image/png;base64,iVBORw0KGgo="><img src="https://shop.example/logo.png">';
  const h = await held({ isPlainText: false, body: html });
  const v = await view(h.id);
  assert.equal(v.canSendSeparately, true);
  assert.equal(v.separately.pictures, 1, "the web picture travels; the pasted one would not");
  assert.deepEqual(await separately(h.id), { ok: false, reason: "pictures" });
  assert.equal(messenger.calls.sent.length, 0);
  assert.equal(h.answers.length, 0, "still held: the other choices stay");
  settle(h.id, "move-to-bcc");
  assert.equal((await h.promise).cancel, undefined);
});

test("absent on Thunderbird 140 (permissions.contains throws), in degraded mode, above separateLimit and at 0", async (t) => {
  await t.test("140", async () => {
    delete messenger.permissions;
    forgetSupport();
    const h = await held();
    assert.equal((await view(h.id)).canSendSeparately, false);
    assert.equal((await view(h.id)).separately, null);
    settle(h.id, "back-to-edit");
  });
  for (const [label, stored, files] of [
    ["degraded", {}, brokenWasmFiles().files],
    ["limit 5 < 7 copies", { separateLimit: 5 }, null],
    ["limit 0", { separateLimit: 0 }, null],
  ]) {
    await t.test(label, async () => {
      forgetSupport();
      messenger.state.stored = stored;
      if (files) useFiles(files);
      tab = { id: nextTab++, windowId: COMPOSE_WINDOW };
      const h = await held();
      assert.equal((await view(h.id)).canSendSeparately, false);
      assert.deepEqual(await separately(h.id), { ok: false, reason: "not-offered" });
      settle(h.id, "back-to-edit");
    });
  }
});

test("a hard limit blocks Send anyway, not Send separately", async () => {
  messenger.state.stored = { hardLimit: 5, separatePerMinute: 600 };
  const h = await held();
  const v = await view(h.id);
  assert.equal(v.blocked, true);
  assert.equal(v.canSendSeparately, true);
  settle(h.id, "back-to-edit");
});

test("who already got the message is left out of a new plan, whether they had a copy of their own or shared the colleagues' one", () => {
  const plan = {
    copies: [{ to: "Bob <Bob@Shop.example>", address: "bob@shop.example" }, { to: "c1@gmail.com", address: "c1@gmail.com" }],
    colleagues: { to: ["Dora <dora@shop.example>", "Eve <eve@bücher.example>"], cc: [] },
    everyone: [],
    obstacle: null,
  };
  // An earlier job gave Bob (a colleague) a share of the colleagues' copy, and Eve her own copy.
  const already = new Set(["colleagues", "bob@shop.example", "eve@xn--bcher-kva.example"]);
  const left = withoutAlready(plan, already);
  assert.deepEqual(left.copies.map((c) => c.address), ["c1@gmail.com"]);
  assert.equal(left.colleagues, null, "the colleagues' copy went");
  const withoutShare = withoutAlready(plan, new Set(["eve@xn--bcher-kva.example"]));
  assert.deepEqual(withoutShare.colleagues, { to: ["Dora <dora@shop.example>"], cc: [] }, "Eve had a copy of her own");
});

// -- sending --------------------------------------------------------------------------------------------

test("every customer gets their own copy; the held send answers {cancel: true} once, after the last", async () => {
  const h = await held({ to: [SENDER, COLLEAGUES[0]], cc: [...CUSTOMERS, COLLEAGUES[1]] });
  const slow = deferred();
  messenger.state.send = (d, n) => (n === 3 ? slow.promise.then(() => ({})) : Promise.resolve({ headerMessageId: `m${n}` }));
  const started = await separately(h.id);
  assert.equal(started.ok, true);
  await until(() => messenger.calls.sent.length === 4, "four copies on their way");
  assert.equal(h.answers.length, 0, "held while copies go out: the compose window stays locked");
  slow.resolve();
  const answer = await h.promise;
  assert.deepEqual(answer, { cancel: true }, "the original never goes out");
  const shown = await finished(started.job);
  // Thunderbird then announces the compose window CcGuard closed: the report stays.
  handleWindowRemoved(COMPOSE_WINDOW);
  assert.equal((await job(started.job)).job?.state, "done", "the report stays on screen");
  // One copy per customer, then the colleagues' copy of the original.
  const sent = messenger.calls.sent.map((s) => s.details);
  assert.equal(sent.length, 8);
  assert.deepEqual(sent.slice(0, 7).map((d) => d.to), CUSTOMERS.map((c) => [c]));
  for (const d of sent.slice(0, 7)) {
    assert.deepEqual(d.cc, []);
    assert.deepEqual(d.bcc, []);
    assert.equal(d.subject, "Closed on Monday");
    assert.equal(d.plainTextBody, BODY);
    assert.equal(d.isPlainText, true);
    assert.equal("body" in d, false, "a plain-text message sends its plain text");
    assert.equal(d.identityId, "id1");
    assert.equal(d.from, SENDER);
    assert.equal(d.priority, "high");
    assert.equal(d.returnReceipt, true);
    assert.deepEqual(d.customHeaders, [{ name: "X-Shop-Ref", value: "42" }], "X- headers, without a second X-Priority");
    assert.equal(d.attachments.length, 1);
    assert.equal(d.attachments[0].file, ATTACHMENT);
    assert.equal(d.overrideDefaultFccFolder, "", "no copy each in Sent");
  }
  assert.deepEqual(sent[7].to, [COLLEAGUES[0]]);
  assert.deepEqual(sent[7].cc, [COLLEAGUES[1]]);
  assert.ok(messenger.calls.sent.every((s) => s.options?.mode === "sendNow"));
  // The Sent record: the window's own content, everyone in Bcc, saved as a draft, moved into Sent.
  const set = messenger.calls.composeSet.at(-1);
  assert.deepEqual(set.details.to, []);
  assert.deepEqual(set.details.cc, []);
  assert.deepEqual(new Set(set.details.bcc), new Set([...CUSTOMERS, ...COLLEAGUES]));
  assert.equal(messenger.calls.saved.length, 1);
  assert.deepEqual(messenger.calls.saved[0].options, { mode: "draft" });
  assert.deepEqual(messenger.calls.moved, [{ ids: [messenger.calls.saved[0].id], folderId: "account1://Sent" }]);
  assert.deepEqual(messenger.calls.tabsRemoved, [tab.id], "the compose window closes");
  assert.equal(shown.record.status, "kept");
  assert.equal(shown.counts.sent, 8);
  // Settled once, and nothing can settle it again.
  for (const choice of CHOICES) assert.equal(settle(h.id, choice), false);
  assert.equal(h.answers.length, 1);
  assert.equal(pendingCount(), 0);
  assert.equal(messenger.calls.focused.filter((id) => id === COMPOSE_WINDOW).length, 0, "no focus for a window about to close");
  // Nothing left to recover.
  await until(() => !Object.keys(messenger.state.local).some((k) => k.startsWith("separateJob:")), "the job record to be forgotten");
  assert.deepEqual(messenger.state.local.separateJobIds, []);
});

test("colleagues get nothing when the user says so; with separateKeepCopies each copy is filed", async () => {
  messenger.state.stored = { separatePerMinute: 600, separateKeepCopies: true };
  const h = await held({ to: [COLLEAGUES[0]], cc: CUSTOMERS });
  const started = await separately(h.id, "nothing");
  await h.promise;
  const shown = await finished(started.job);
  const sent = messenger.calls.sent.map((s) => s.details);
  assert.equal(sent.length, 7);
  assert.ok(sent.every((d) => d.to.length === 1 && !d.to.includes(COLLEAGUES[0])));
  assert.ok(sent.every((d) => !("overrideDefaultFccFolder" in d)), "the identity's own copy setting applies");
  assert.equal(shown.record.status, "copies");
  assert.deepEqual(messenger.calls.composeSet, [], "the window's recipients are left alone");
  assert.deepEqual(messenger.calls.moved.at(-1).folderId, "account1://Trash", "its draft (replacing an autosaved one) goes to Trash");
});

test("the job record is written before the first copy and lists every item", async () => {
  const h = await held();
  let recorded = null;
  messenger.state.send = async () => {
    if (!recorded) {
      const key = Object.keys(messenger.state.local).find((k) => /^separateJob:[^:]+$/.test(k));
      recorded = structuredClone(messenger.state.local[key]);
    }
    return {};
  };
  const started = await separately(h.id);
  await h.promise;
  await finished(started.job);
  assert.equal(recorded.items.length, 7);
  assert.equal(recorded.items[0].status, "sending");
  assert.ok(recorded.items.slice(1).every((i) => i.status === "planned"));
  assert.equal(recorded.tabId, tab.id);
});

test("Cancel answers {cancel: true} at once, stops, and a new Send separately leaves out who got it", async () => {
  messenger.state.stored = { separatePerMinute: 60 }; // one a second: time to cancel after two
  const h = await held();
  const started = await separately(h.id);
  await until(() => messenger.calls.sent.length === 2, "two copies", 5000);
  assert.equal((await job(started.job, "cancel")).done, true);
  assert.deepEqual(await h.promise, { cancel: true });
  await sleep(50);
  const shown = await finished(started.job, "cancelled");
  assert.equal(messenger.calls.sent.length, 2);
  assert.equal(shown.counts.sent, 2);
  assert.equal(shown.counts.planned, 5);
  assert.deepEqual(messenger.calls.tabsRemoved, [], "the compose window stays, with every recipient");
  assert.ok(messenger.calls.focused.includes(COMPOSE_WINDOW));
  assert.deepEqual(messenger.calls.saved, [], "no record: nothing was sent as a whole");
  // The user sends again from the same window: the two who have it are left out.
  const again = await held();
  assert.deepEqual((await view(again.id)).separately.already, 2);
  assert.equal((await view(again.id)).separately.copies, 5);
  messenger.state.stored = { separatePerMinute: 600 };
  const second = await separately(again.id);
  assert.deepEqual(await again.promise, { cancel: true });
  await finished(second.job);
  for (const c of CUSTOMERS) {
    assert.equal(messenger.calls.sent.filter((x) => x.details.to[0] === c).length, 1, `${c}: one copy in all`);
  }
  assert.deepEqual(new Set(messenger.calls.composeSet.at(-1).details.bcc), new Set(CUSTOMERS), "the record lists both runs");
  // The compose window closes: the record of who got it is forgotten.
  handleWindowRemoved(COMPOSE_WINDOW);
  await until(() => !Object.keys(messenger.state.local).some((k) => k.startsWith("separateJob:")), "the job record to be forgotten");
});

test("a failed copy is retried once, then listed: Send the rest again sends only it; nobody twice", async () => {
  const h = await held();
  const refusedOnce = new Set();
  messenger.state.send = async (d) => {
    if (d.to[0] === CUSTOMERS[2] && refusedOnce.size < 2) {
      refusedOnce.add(refusedOnce.size);
      throw new Error("messages.sendMessage failed: Sending FAILED! ");
    }
    return {};
  };
  const started = await separately(h.id);
  let shown = await finished(started.job, "incomplete");
  assert.equal(h.answers.length, 0, "still held: the user decides");
  assert.deepEqual(shown.items.map((i) => i.status), ["sent", "sent", "failed", "sent", "sent", "sent", "sent"]);
  assert.equal(messenger.calls.sent.filter((s) => s.details.to[0] === CUSTOMERS[2]).length, 2);
  assert.equal((await job(started.job, "retry")).done, true);
  assert.deepEqual(await h.promise, { cancel: true });
  shown = await finished(started.job);
  for (const c of CUSTOMERS) {
    const n = messenger.calls.sent.filter((s) => s.details.to[0] === c).length;
    assert.equal(n, c === CUSTOMERS[2] ? 3 : 1, `${c} got ${n} send(s)`);
  }
});

test("Back to editing after a failure answers {cancel: true} with every recipient kept", async () => {
  const h = await held();
  messenger.state.send = async (d) => {
    if (d.to[0] === CUSTOMERS[0]) throw new Error("Sending FAILED! ");
    return {};
  };
  const started = await separately(h.id);
  await finished(started.job, "incomplete");
  await job(started.job, "back-to-edit");
  assert.deepEqual(await h.promise, { cancel: true });
  assert.equal((await job(started.job)).job.state, "cancelled");
});

test("closing the window while copies go out stops them; a window shows the job, interrupted, to finish or discard", async () => {
  messenger.state.stored = { separatePerMinute: 60 };
  const h = await held();
  const started = await separately(h.id);
  await until(() => messenger.calls.sent.length === 1, "one copy");
  const windows = messenger.calls.created.length;
  handleWindowRemoved(h.windowId);
  assert.deepEqual(await h.promise, { cancel: true }, "the compose window is unlocked, with every recipient");
  await until(() => messenger.calls.created.length > windows, "the job's window");
  assert.match(messenger.calls.created.at(-1).url, new RegExp(`^warning/job\\.html\\?job=${started.job}$`));
  const shown = await finished(started.job, "interrupted");
  assert.equal(shown.counts.sent, 1);
  assert.equal(messenger.state.local[`separateJob:${started.job}`].state, "interrupted", "also what Thunderbird's quitting looks like: shown at the next start");
  assert.ok(messenger.state.local[`separateJob:${started.job}:message`], "the message is kept to finish");
  await sleep(1100);
  assert.equal(messenger.calls.sent.length, 1, "nothing more goes on its own");
  // The compose window closing (as at quit) does not forget it.
  handleWindowRemoved(COMPOSE_WINDOW);
  await sleep(20);
  assert.ok(messenger.state.local[`separateJob:${started.job}`]);
  // Finished from that window: the rest goes, nobody twice.
  assert.equal((await job(started.job, "finish")).done, true);
  await finished(started.job);
  assert.deepEqual(messenger.calls.sent.map((s) => s.details.to[0]), CUSTOMERS);
});

/** How many copies each person got. */
function copiesPerPerson() {
  const counts = {};
  for (const s of messenger.calls.sent) counts[s.details.to[0]] = (counts[s.details.to[0]] ?? 0) + 1;
  return counts;
}

test("interrupted, then sent separately again from the same window: the old job cannot be finished, nobody gets two", async () => {
  messenger.state.stored = { separatePerMinute: 60 };
  const h = await held();
  const started = await separately(h.id);
  await until(() => messenger.calls.sent.length === 1, "one copy");
  handleWindowRemoved(h.windowId);
  await h.promise;
  await finished(started.job, "interrupted");

  messenger.state.stored = { separatePerMinute: 600 };
  const again = await held();
  assert.equal((await view(again.id)).separately.already, 1, "the one reached is left out");
  const second = await separately(again.id);
  await again.promise;
  await finished(second.job);
  assert.equal((await job(started.job, "finish")).done, false, "the interrupted job was taken over");
  await sleep(50);
  assert.deepEqual(copiesPerPerson(), Object.fromEntries(CUSTOMERS.map((c) => [c, 1])));
  assert.equal(messenger.state.local[`separateJob:${started.job}:message`], undefined, "its message is dropped");
});

test("finished from its job window while the compose window stays open: a new Send separately reaches nobody twice", async () => {
  messenger.state.stored = { separatePerMinute: 60 };
  const h = await held();
  const started = await separately(h.id);
  await until(() => messenger.calls.sent.length === 1, "one copy");
  handleWindowRemoved(h.windowId);
  await h.promise;
  await finished(started.job, "interrupted");
  messenger.state.stored = { separatePerMinute: 600 };
  assert.equal((await job(started.job, "finish")).done, true);
  await finished(started.job);
  assert.equal(messenger.calls.sent.length, CUSTOMERS.length, "every customer, once");

  // The compose window is still open with every customer in Cc, and Send is pressed again.
  const again = await held();
  const offer = (await view(again.id)).separately;
  assert.equal(offer, null, "nobody is left to get a copy: Send separately is not offered");
  await send({ type: "ccguard:decide", id: again.id, choice: "back-to-edit" });
  await again.promise;
  assert.deepEqual(copiesPerPerson(), Object.fromEntries(CUSTOMERS.map((c) => [c, 1])));
});

test("every copy sent but the compose window would not close: a Send from it is cancelled, not sent again", async () => {
  const h = await held();
  messenger.tabs.remove = async () => {
    throw new Error("the compose window refused to close");
  };
  const started = await separately(h.id);
  await h.promise;
  const done = await finished(started.job);
  assert.equal(done.composeClosed, false);
  assert.deepEqual(await review(tab, details()), { cancel: true }, "it now holds everyone in Bcc for the record");
  assert.equal(messenger.calls.sent.length, CUSTOMERS.length);
});

test("no record could be filed anywhere: the compose window stays open to keep the message, and its Send is refused with the job shown", async () => {
  messenger.state.saveFails = true;
  const h = await held();
  const started = await separately(h.id);
  await h.promise;
  const done = await finished(started.job);
  assert.deepEqual(done.record, { status: "failed", where: null });
  assert.equal(done.composeClosed, false);
  assert.equal(done.composeKept, true);
  assert.deepEqual(messenger.calls.tabsRemoved, [], "the only copy of what was sent is not closed");
  const windows = messenger.calls.created.length;
  const focused = messenger.calls.focused.length;
  assert.deepEqual(await review(tab, details()), { cancel: true });
  await until(() => messenger.calls.focused.length > focused, "the report, brought forward");
  assert.deepEqual(messenger.calls.focused.slice(focused), [h.windowId], "the warning window shows the report");
  // Once that window is closed, the job gets a window of its own.
  await messenger.windows.remove(h.windowId);
  // Pressed twice in quick succession: both refused, one window.
  assert.deepEqual(await Promise.all([review(tab, details()), review(tab, details())]), [{ cancel: true }, { cancel: true }]);
  await until(() => messenger.calls.created.length > windows, "the job's window, saying why");
  await sleep(20);
  assert.equal(messenger.calls.created.length, windows + 1, "one window for the two");
  assert.match(messenger.calls.created.at(-1).url, new RegExp(`^warning/job\\.html\\?job=${started.job}$`));
  assert.equal(messenger.calls.sent.length, CUSTOMERS.length);
  assert.equal(messenger.state.local[`separateJob:${started.job}`].state, "done", "kept while its compose window is open");
  assert.equal(messenger.state.local[`separateJob:${started.job}:message`], undefined, "but not the message: the window has it");
});

test("the compose window closed as the last copy went: nothing is filed, the warning window stays with the report", async () => {
  const h = await held();
  const last = deferred();
  messenger.state.send = (d, n) => (n === CUSTOMERS.length - 1 ? last.promise.then(() => ({})) : Promise.resolve({}));
  const started = await separately(h.id);
  await until(() => messenger.calls.sent.length === CUSTOMERS.length, "the last copy on its way");
  messenger.state.tabs.delete(tab.id); // the user closed the compose window
  last.resolve();
  const done = await finished(started.job);
  assert.deepEqual(done.record, { status: "none" });
  assert.equal(done.composeClosed, true);
  assert.deepEqual(messenger.calls.saved, [], "no draft is attempted in a window that is gone");
  assert.deepEqual(await h.promise, { cancel: true });
  handleWindowRemoved(COMPOSE_WINDOW);
  await sleep(20);
  assert.deepEqual(messenger.calls.removed, [], "the warning window stays: it shows the report");
  assert.equal(messenger.state.local[`separateJob:${started.job}`], undefined, "nothing left to remember");
  assert.equal((await job(started.job)).job?.state, "done", "the report is still there to show");
});

test("the steps after the last copy count as work in flight: an update waits until the compose window is closed", async () => {
  const closing = deferred();
  const remove = messenger.tabs.remove;
  messenger.tabs.remove = async (id) => {
    await closing.promise;
    return remove(id);
  };
  const h = await held();
  const started = await separately(h.id);
  assert.deepEqual(await h.promise, { cancel: true });
  await sleep(50);
  assert.equal(reviewsInFlight(), 1, "closing the compose window");
  closing.resolve();
  await finished(started.job);
  await until(() => reviewsInFlight() === 0, "nothing in flight");
});

test("the compose window closed while a failed copy waits for a decision: its warning window shows the job, interrupted", async () => {
  const h = await held();
  messenger.state.send = async (d) => {
    if (d.to[0] === CUSTOMERS[1]) throw new Error("messages.sendMessage failed: Sending FAILED! ");
    return {};
  };
  const started = await separately(h.id);
  await finished(started.job, "incomplete");
  const windows = messenger.calls.created.length;
  handleWindowRemoved(COMPOSE_WINDOW);
  assert.deepEqual(await h.promise, { cancel: true });
  assert.equal((await finished(started.job, "interrupted")).counts.failed, 1);
  assert.equal(messenger.state.local[`separateJob:${started.job}`].state, "interrupted", "kept, with the message, to finish");
  await sleep(50);
  assert.deepEqual(messenger.calls.removed, [], "the warning window stays: it shows the job");
  assert.equal(messenger.calls.created.length, windows, "and no second window shows it");
});

test("a job finished from its own window counts as work in flight: an update waits for its copies", async () => {
  messenger.state.stored = { separatePerMinute: 60 };
  const h = await held();
  const started = await separately(h.id);
  await until(() => messenger.calls.sent.length === 1, "one copy");
  handleWindowRemoved(h.windowId);
  await h.promise;
  await finished(started.job, "interrupted");
  await until(() => reviewsInFlight() === 0, "the held send answered");
  assert.equal((await job(started.job, "finish")).done, true);
  assert.equal(reviewsInFlight(), 1, "the copies being sent");
  await job(started.job, "cancel");
  await until(() => reviewsInFlight() === 0, "the loop stopped");
});

test("while its copies go out, another Send from that compose window is cancelled at once", async () => {
  messenger.state.stored = { separatePerMinute: 60 };
  const h = await held();
  const started = await separately(h.id);
  await until(() => messenger.calls.sent.length === 1, "one copy");
  const focused = messenger.calls.focused.length;
  assert.deepEqual(await review(tab, details()), { cancel: true });
  assert.deepEqual(messenger.calls.focused.slice(focused), [h.windowId], "the window showing the copies comes forward");
  await job(started.job, "cancel");
  await h.promise;
});

// -- permissions ----------------------------------------------------------------------------------------

test("without the permissions: nothing starts, the send stays held, a tab asks, and the answer reaches the window", async () => {
  messenger.state.granted = new Set();
  const h = await held();
  assert.equal((await view(h.id)).separately.allowed, false);
  assert.deepEqual(await separately(h.id), { ok: false, reason: "not-allowed" });
  assert.equal(h.answers.length, 0);
  assert.deepEqual(await send({ type: "ccguard:allow", id: h.id }), { ok: true });
  assert.match(messenger.calls.tabsCreated.at(-1).url, new RegExp(`^separate/allow\\.html\\?id=${h.id}$`));
  assert.equal((await send({ type: "ccguard:keepalive", id: h.id })).allow, "asking");
  // Refused.
  await handleMessage({ type: "ccguard:allowed", id: h.id, granted: false }, { ...ME, tab: { id: 9000 } });
  assert.equal((await send({ type: "ccguard:keepalive", id: h.id })).allow, "refused");
  // Asked again, and allowed this time.
  await send({ type: "ccguard:allow", id: h.id });
  messenger.state.granted = new Set(["messages.send", "compose.save", "messagesMove"]);
  await handleMessage({ type: "ccguard:allowed", id: h.id, granted: true }, { ...ME, tab: { id: 9001 } });
  assert.equal((await send({ type: "ccguard:keepalive", id: h.id })).allow, "granted");
  assert.ok(messenger.calls.focused.includes(h.windowId), "the warning window comes back to the front");
  const started = await separately(h.id);
  assert.equal(started.ok, true);
  await h.promise;
  await finished(started.job);
});

// -- the next start ---------------------------------------------------------------------------------------

/** A job as an earlier life of the background left it in storage. */
function storedJob(id, state, statuses, { message = true, session = false } = {}) {
  const items = statuses.map((status, i) => ({
    kind: "person", to: [CUSTOMERS[i]], cc: [], addresses: [`customer${i + 1}@x`], status, attempts: status === "planned" ? 0 : 1, error: null,
  }));
  messenger.state.local.separateJobIds = [...(messenger.state.local.separateJobIds ?? []), id];
  messenger.state.local[`separateJob:${id}`] = {
    id, version: 1, state, created: Date.now() - 60000, tabId: 3, composeWindowId: 7, identityId: "id1", subject: "Closed",
    perMinute: 600, keepCopies: false, everyone: CUSTOMERS.slice(0, statuses.length), items, record: null, attachmentsKept: true,
  };
  if (message) {
    messenger.state.local[`separateJob:${id}:message`] = {
      identityId: "id1", subject: "Closed", isPlainText: true, plainTextBody: BODY, replyTo: [], returnReceipt: false,
      deliveryStatusNotification: false, attachVCard: false, customHeaders: [], attachments: [ATTACHMENT],
    };
  }
  if (session) messenger.state.session = { separateSessionJobs: [id] };
}

test("at the next start, an interrupted job opens a window; finishing sends only what was planned, never the unconfirmed", async () => {
  storedJob("j1", "sending", ["sent", "sending", "planned", "failed"]);
  await recoverJobs();
  assert.match(messenger.calls.created.at(-1).url, /^warning\/job\.html\?job=j1$/);
  let shown = (await job("j1")).job;
  assert.equal(shown.state, "interrupted");
  assert.equal(shown.interruptedFrom, "sending");
  assert.deepEqual(shown.items.map((i) => i.status), ["sent", "unconfirmed", "planned", "failed"]);
  assert.equal(messenger.state.local["separateJob:j1"].items[1].status, "unconfirmed", "recorded at once");
  assert.equal(shown.composeOpen, false, "a job of an earlier Thunderbird session has no compose window any more");
  assert.equal((await job("j1", "finish")).done, true);
  shown = await finished("j1");
  assert.deepEqual(messenger.calls.sent.map((s) => s.details.to[0]), [CUSTOMERS[2], CUSTOMERS[3]]);
  assert.equal(messenger.calls.sent[0].details.attachments[0].file, ATTACHMENT, "the attachments kept with the job");
  assert.equal(shown.record.status, "none", "no compose window: no record");
  assert.equal(messenger.state.local["separateJob:j1"], undefined);
  assert.deepEqual(messenger.state.local.separateJobIds, []);
});

test("at the next start: without the message kept, Finish is refused; Discard forgets the job", async () => {
  storedJob("j2", "paused", ["sent", "planned"], { message: false });
  await recoverJobs();
  const shown = (await job("j2")).job;
  assert.equal(shown.messageKept, false);
  assert.equal((await job("j2", "finish")).done, false);
  assert.equal(messenger.calls.sent.length, 0);
  assert.equal((await job("j2", "discard")).ok, false, "gone");
  assert.equal(messenger.state.local["separateJob:j2"], undefined);
});

test("at the next start: a cancelled job is kept only while its compose window of this session is open", async () => {
  storedJob("j3", "cancelled", ["sent", "planned"], { session: true });
  storedJob("j4", "cancelled", ["sent", "planned"]);
  messenger.state.tabs.add(3);
  await recoverJobs();
  assert.ok(messenger.state.local["separateJob:j3"], "its window is open: who got it is remembered");
  assert.equal(messenger.state.local["separateJob:j4"], undefined, "another session's: forgotten");
  assert.equal(messenger.calls.created.length, 0, "nothing to show");
});

test("at the next start of the page in the same session, a finished job whose compose window was left open still refuses its Send", async () => {
  storedJob("j6", "done", ["sent", "sent"], { session: true });
  Object.assign(messenger.state.local["separateJob:j6"], { composeClosed: false, composeKept: true, record: { status: "failed", where: null } });
  storedJob("j7", "done", ["sent", "sent"]);
  messenger.state.tabs.add(3);
  // The Send that wakes the page arrives while the stored jobs are still being read.
  const reading = deferred();
  const get = messenger.storage.local.get;
  messenger.storage.local.get = async (...args) => {
    await reading.promise;
    return get.apply(messenger.storage.local, args);
  };
  const recovery = recoverJobs();
  const early = review({ id: 3, windowId: 7 }, details());
  await sleep(20);
  reading.resolve();
  messenger.storage.local.get = get;
  await recovery;
  assert.deepEqual(await early, { cancel: true }, "judged only once the stored job could refuse it: it holds everyone in Bcc");
  await until(() => messenger.calls.created.length === 1, "the job's window, saying why");
  assert.match(messenger.calls.created[0].url, /^warning\/job\.html\?job=j6$/);
  assert.equal(messenger.state.local["separateJob:j7"], undefined, "another session's: forgotten");
  const focused = messenger.calls.focused.length;
  assert.deepEqual(await review({ id: 3, windowId: 7 }, details()), { cancel: true }, "never sent again");
  assert.deepEqual(messenger.calls.focused.slice(focused), [messenger.calls.created[0].id], "the same window comes forward");
  assert.equal(messenger.calls.sent.length, 0);
  handleWindowRemoved(7);
  await sleep(20);
  assert.equal(messenger.state.local["separateJob:j6"], undefined, "its compose window closed: forgotten");
  assert.equal((await job("j6")).job?.state, "done", "while its report can still be shown");
});

test("at the next start of the page in the same session, a job whose compose window is still open offers to close it", async () => {
  storedJob("j5", "sending", ["sent", "planned"], { session: true });
  messenger.state.tabs.add(3);
  await recoverJobs();
  const shown = (await job("j5")).job;
  assert.equal(shown.composeOpen, true);
  assert.equal((await job("j5", "close-compose")).done, true);
  assert.deepEqual(messenger.calls.tabsRemoved, [3]);
});
