// The shared helpers every module's timeouts go through.

import { test } from "node:test";
import assert from "node:assert/strict";
import { addressKey, within, withTimeout } from "../../extension/util.js";

const never = new Promise(() => {});
const after = (ms, value) => new Promise((resolve) => setTimeout(() => resolve(value), ms));

test("within: the promise's value when it settles first, whatever late() would give", async () => {
  assert.equal(await within(after(5, "done"), 200, () => "timeout"), "done");
  await assert.rejects(within(Promise.reject(new Error("broke")), 200, () => "timeout"), /broke/);
});

test("within: late()'s value, or its error, when the promise is slower", async () => {
  assert.equal(await within(never, 10, () => "timeout"), "timeout");
  await assert.rejects(within(never, 10, () => { throw new Error("late"); }), /late/);
});

test("withTimeout names what took too long, and keeps the value of what did not", async () => {
  await assert.rejects(withTimeout(never, 10, "reading settings"), /reading settings took longer than 10 ms/);
  assert.equal(await withTimeout(after(1, 7), 500, "reading settings"), 7);
});

test("no timer outlives the race", async () => {
  const timers = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
  const before = timers();
  const racing = within(Promise.resolve(1), 60_000, () => 0);
  assert.equal(timers(), before + 1);
  await racing;
  await withTimeout(Promise.resolve(1), 60_000, "x");
  assert.equal(timers(), before);
});

test("addressKey: one key per sending address, the domain in ASCII as the core writes it", () => {
  assert.equal(addressKey("  Ann@Shop.Example "), "ann@shop.example");
  assert.equal(addressKey("Eve@Bücher.example"), "eve@xn--bcher-kva.example");
  assert.equal(addressKey("eve@xn--bcher-kva.example"), "eve@xn--bcher-kva.example");
  // Not an address, or a domain that is no host name: lower case, as it is.
  assert.equal(addressKey("Team"), "team");
  assert.equal(addressKey("a@b c"), "a@b c");
});
