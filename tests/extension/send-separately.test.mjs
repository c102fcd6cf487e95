// separate/send.js: the sending loop of Send separately, with a stub send in place of
// messages.sendMessage: order, pacing, one copy per person, the record written before and after
// each copy, a failure retried once then listed, a refusal not retried, a copy that never settles
// timed out and never sent again, pause, cancel, and a record that cannot be written.
// Run: node --test tests/extension/
import { test } from "node:test";
import assert from "node:assert/strict";

import { deferred, sleep } from "./stub.mjs";
import { Runner } from "../../extension/separate/send.js";
import { embeddedPictures } from "../../extension/separate/copy.js";

function jobOf(n, perMinute = 6000) {
  return {
    perMinute,
    items: Array.from({ length: n }, (_, i) => ({
      kind: "person",
      to: [`Customer ${i + 1} <c${i + 1}@gmail.com>`],
      cc: [],
      addresses: [`c${i + 1}@gmail.com`],
      status: "planned",
      attempts: 0,
      error: null,
    })),
  };
}

/** A runner whose sends are recorded; `answer(item, n)` may return a Promise (default: sent). */
function runnerOf(job, { answer, save, ...options } = {}) {
  const sends = [];
  const saves = [];
  const runner = new Runner(job, {
    sendCopy: (item) => {
      sends.push({ to: item.to[0], at: Date.now(), lastSaved: saves.at(-1) });
      return answer ? answer(item, sends.length - 1) : Promise.resolve({ mode: "sendNow", headerMessageId: `m${sends.length}` });
    },
    save: async (j) => {
      if (save) await save(j);
      saves.push(structuredClone(j.items.map((i) => i.status)));
    },
    retryDelayMs: 10,
    ...options,
  });
  return { runner, sends, saves };
}

test("every person gets exactly one copy, in the plan's order, paced at perMinute", async () => {
  const job = jobOf(5, 600); // one copy every 100 ms
  const { runner, sends } = runnerOf(job);
  assert.equal(await runner.run(), "done");
  assert.deepEqual(sends.map((s) => s.to), job.items.map((i) => i.to[0]));
  for (let i = 1; i < sends.length; i++) {
    const gap = sends[i].at - sends[i - 1].at;
    assert.ok(gap >= 95, `copy ${i + 1} started ${gap} ms after the one before`);
  }
  assert.ok(job.items.every((i) => i.status === "sent" && i.attempts === 1));
  assert.deepEqual(job.items.map((i) => i.messageId), ["m1", "m2", "m3", "m4", "m5"]);
});

test("the record says 'sending' before each copy starts and 'sent' before the next one starts", async () => {
  const job = jobOf(4);
  const { runner, sends, saves } = runnerOf(job);
  await runner.run();
  sends.forEach((send, i) => {
    const expected = job.items.map((_, k) => (k < i ? "sent" : k === i ? "sending" : "planned"));
    assert.deepEqual(send.lastSaved, expected, `what was recorded when copy ${i + 1} started`);
  });
  assert.deepEqual(saves.at(-1), ["sent", "sent", "sent", "sent"]);
});

test("a copy that fails is retried once, then listed; the others still go", async () => {
  const job = jobOf(4);
  const { runner, sends } = runnerOf(job, {
    answer: (item) => (item.to[0].includes("c2@") ? Promise.reject(new Error("messages.sendMessage failed: Sending FAILED! ")) : Promise.resolve({})),
  });
  assert.equal(await runner.run(), "incomplete");
  assert.deepEqual(sends.map((s) => s.to.match(/c\d/)[0]), ["c1", "c2", "c2", "c3", "c4"]);
  assert.deepEqual(job.items.map((i) => i.status), ["sent", "failed", "sent", "sent"]);
  assert.equal(job.items[1].attempts, 2);
  assert.match(job.items[1].error, /Sending FAILED/);
});

test("a retry that succeeds is one copy: nobody gets two", async () => {
  const job = jobOf(3);
  let failed = false;
  const { runner, sends } = runnerOf(job, {
    answer: (item) => {
      if (item.to[0].includes("c2@") && !failed) {
        failed = true;
        return Promise.reject(new Error("connection reset"));
      }
      return Promise.resolve({});
    },
  });
  assert.equal(await runner.run(), "done");
  assert.equal(sends.filter((s) => s.to.includes("c2@")).length, 2, "the failed attempt and its one retry");
  assert.deepEqual(job.items.map((i) => [i.status, i.attempts]), [["sent", 1], ["sent", 2], ["sent", 1]]);
});

test("a recipient the server refused (Thunderbird names them) is not retried", async () => {
  const job = jobOf(3);
  const { runner, sends } = runnerOf(job, {
    answer: (item) =>
      item.to[0].includes("c2@")
        ? Promise.reject(new Error('messages.sendMessage failed: <c2@gmail.com>: Recipient address rejected: no such user. Please check the message recipient "c2@gmail.com"'))
        : Promise.resolve({}),
  });
  assert.equal(await runner.run(), "incomplete");
  assert.equal(sends.length, 3);
  assert.deepEqual(job.items.map((i) => [i.status, i.attempts]), [["sent", 1], ["failed", 1], ["sent", 1]]);
});

test("a copy that never settles times out as unconfirmed, stops the loop and is never sent again", async () => {
  const job = jobOf(3);
  const hanging = deferred();
  const { runner, sends } = runnerOf(job, {
    answer: (item) => (item.to[0].includes("c2@") ? hanging.promise : Promise.resolve({})),
    copyTimeoutMs: 150,
  });
  assert.equal(await runner.run(), "incomplete");
  assert.equal(runner.stoppedBy, "unconfirmed");
  assert.deepEqual(job.items.map((i) => i.status), ["sent", "unconfirmed", "planned"]);
  assert.equal(sends.length, 2, "nothing after the copy that hung, and it was not retried");
  // Thunderbird answers after all (the user closed its alert): the record follows.
  hanging.resolve({ mode: "sendNow", headerMessageId: "late" });
  await sleep(20);
  assert.equal(job.items[1].status, "sent");
  assert.equal(job.items[1].late, true);
  assert.equal(sends.length, 2);
});

test("an unconfirmed copy that fails later is recorded as failed (nothing went out)", async () => {
  const job = jobOf(2);
  const hanging = deferred();
  const { runner } = runnerOf(job, { answer: (item, n) => (n === 0 ? hanging.promise : Promise.resolve({})), copyTimeoutMs: 100 });
  await runner.run();
  hanging.reject(new Error("Sending FAILED! after the alert"));
  await sleep(20);
  assert.equal(job.items[0].status, "failed");
});

test("cancel stops before the next copy; the copy on its way is still recorded", async () => {
  const job = jobOf(6, 600);
  const slow = deferred();
  const { runner, sends } = runnerOf(job, { answer: (item, n) => (n === 2 ? slow.promise : Promise.resolve({})) });
  const running = runner.run();
  while (sends.length < 3) await sleep(5);
  runner.cancel();
  slow.resolve({});
  assert.equal(await running, "cancelled");
  assert.equal(sends.length, 3);
  assert.deepEqual(job.items.map((i) => i.status), ["sent", "sent", "sent", "planned", "planned", "planned"]);
});

test("pause holds the next copy until resume", async () => {
  const job = jobOf(4, 6000);
  const { runner, sends } = runnerOf(job);
  runner.pause();
  const running = runner.run();
  await sleep(80);
  assert.equal(sends.length, 0, "nothing goes while paused");
  runner.resume();
  assert.equal(await running, "done");
  assert.equal(sends.length, 4);
});

test("a record that cannot be written before a copy: that copy is not sent, the loop stops", async () => {
  const job = jobOf(3);
  let writes = 0;
  const { runner, sends } = runnerOf(job, {
    save: async () => {
      writes += 1;
      if (writes === 3) throw new Error("storage.local is full"); // before the second copy
    },
  });
  assert.equal(await runner.run(), "incomplete");
  assert.equal(runner.stoppedBy, "storage");
  assert.equal(sends.length, 1);
  assert.deepEqual(job.items.map((i) => [i.status, i.attempts]), [["sent", 1], ["planned", 0], ["planned", 0]]);
});

test("pictures kept inside an HTML body are counted; web pictures, cid: parts and plain text are not", () => {
  const html = (body) => ({ isPlainText: false, body });
  assert.equal(embeddedPictures(html('<img src="data:image/png;base64,AAAA">')), 1);
  assert.equal(embeddedPictures(html("<IMG ALT='x' SRC='file:///home/ann/hours.png'>")), 1);
  assert.equal(embeddedPictures(html("<img class=a src=blob:moz-extension://x/1 >")), 1);
  assert.equal(embeddedPictures(html('<img src="hours.png">')), 1, "a relative path reaches nobody");
  assert.equal(embeddedPictures(html('<img src="https://shop.example/a.png"><img src="http://x/b.gif">')), 0);
  assert.equal(embeddedPictures(html('<img src="cid:part1.abc@shop.example">')), 0);
  assert.equal(embeddedPictures(html('<img alt="no source"><p>data:image/png in the text</p>')), 0);
  assert.equal(embeddedPictures(html('<img data-src="x" src="data:a"><img src="data:b">')), 2);
  assert.equal(embeddedPictures({ isPlainText: true, body: '<img src="data:a">' }), 0, "a plain-text message sends no HTML");
  for (const bad of [null, undefined, "x", {}, { isPlainText: false, body: 5 }]) assert.equal(embeddedPictures(bad), 0);
});
