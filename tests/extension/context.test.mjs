// Judgement in context, the extension's side: the thread (thread.js), the known groups
// (groups.js), learning them from received mail (learning.js), and "They know each other"
// in decisions.js. The built WASM core judges; the stub `messenger` plays Thunderbird.
// Run: node --test tests/extension/
import { test, beforeEach } from "node:test";
import assert from "node:assert/strict";

import { SENDER, builtFiles, customers, decisionId, installMessenger, until } from "./stub.mjs";
import { useFiles } from "../../extension/core.js";
import { handleMessage, review } from "../../extension/decisions.js";
import {
  MAX_GROUPS, addressOf, forgetAllGroups, forgetGroup, forgetGroupsFrom, listGroups, relevantGroups, rememberGroup,
  rememberGroups, reloadGroups,
} from "../../extension/groups.js";
import { judge, messageOf } from "../../extension/guard.js";
import { forgetOwnAddresses } from "../../extension/identities.js";
import { learnFromNewMail, scanRecent } from "../../extension/learning.js";
import { eraseWhatThePolicyForbids } from "../../extension/retention.js";
import { relatedOf } from "../../extension/thread.js";

let messenger;
beforeEach(() => {
  messenger = installMessenger();
  forgetOwnAddresses();
  reloadGroups();
  useFiles(builtFiles().files);
});

const POLICY = { rememberGroups: true, learnGroups: true };
const PARENTS = customers(6, "parent");

// -- thread.js -------------------------------------------------------------------------------

function withMessages(headers, { getHeaders = true } = {}) {
  messenger.messages = {
    ...messenger.messages,
    async get(id) {
      if (!(id in headers)) throw new Error(`no message ${id}`);
      return headers[id];
    },
    async getFull(id) {
      return { headers: { "reply-to": headers[id]?.replyTo ? [headers[id].replyTo] : [] } };
    },
  };
  delete messenger.messages.getHeaders;
  if (getHeaders) {
    messenger.messages.getHeaders = async (id) => ({ "reply-to": headers[id]?.replyTo ? [headers[id].replyTo] : [] });
  }
}

test("a reply's related message is its header: author, To with the Reply-To, Cc", async () => {
  withMessages({ 12: { author: "Paula <paula@gmail.com>", recipients: [SENDER], ccList: PARENTS, replyTo: "class-3b@gmail.com" } });
  assert.deepEqual(await relatedOf({ type: "reply", relatedMessageId: 12 }), {
    author: "Paula <paula@gmail.com>",
    to: [SENDER, "class-3b@gmail.com"],
    cc: PARENTS,
  });
  // Thunderbird 140 has no getHeaders: the Reply-To comes from getFull.
  withMessages({ 12: { author: "Paula <paula@gmail.com>", recipients: [], ccList: [], replyTo: "list@x.example" } }, { getHeaders: false });
  assert.deepEqual((await relatedOf({ type: "forward", relatedMessageId: 12 })).to, ["list@x.example"]);
});

test("a new message, a missing id or no messages API has no related message", async () => {
  withMessages({ 1: { author: "a@x.example", recipients: [], ccList: [] } });
  assert.equal(await relatedOf({ type: "new", relatedMessageId: 1 }), null);
  assert.equal(await relatedOf({ type: "reply" }), null);
  delete messenger.messages.get;
  assert.equal(await relatedOf({ type: "reply", relatedMessageId: 1 }), null);
});

test("an unreadable related message leaves the send judged on its own", async () => {
  withMessages({});
  await assert.rejects(relatedOf({ type: "reply", relatedMessageId: 99 }));
  const message = await messageOf({ type: "reply", relatedMessageId: 99, from: SENDER, to: PARENTS }, POLICY);
  assert.equal(message.related, undefined);
  assert.deepEqual(message.to, PARENTS);
});

// -- groups.js --------------------------------------------------------------------------------

test("a forward hands the core its type: the header's six parents, shown to one outsider, hold the send with no Bcc fix", async () => {
  withMessages({ 12: { author: "Class rep <rep@gmail.com>", recipients: [SENDER], ccList: PARENTS } });
  const tutor = "Tutor Ltd <ads@tutor.example>";
  const forward = { type: "forward", relatedMessageId: 12, from: SENDER, to: [tutor], cc: [], bcc: [] };
  assert.equal((await messageOf(forward, POLICY)).type, "forward");
  const { verdict, rewrites, group, separately } = await judge(forward, {});
  assert.equal(verdict.action, "warn");
  assert.deepEqual(verdict.forwarded, { shown: 7, bccCannotHide: true });
  // Bcc and copies would still carry the header: neither is offered.
  assert.deepEqual([rewrites, separately], [null, null]);
  // "They know each other" is: it remembers the header's people with the recipient, and then
  // the same forward shows nobody new.
  assert.deepEqual([...group].sort(), ["ads@tutor.example", "rep@gmail.com", ...PARENTS.map(addressOf)].sort());
  await rememberGroup(group, "user");
  const again = await judge(forward, POLICY);
  assert.equal(again.verdict.action, "allow");
  assert.equal(again.verdict.forwarded.shown, 0);
  // Remembering switched off: the header counts again.
  assert.equal((await judge(forward, { rememberGroups: false })).verdict.action, "warn");
  // The same people answered with a reply: no header goes out, nothing is held.
  const reply = await judge({ ...forward, type: "reply" }, {});
  assert.equal(reply.verdict.action, "allow");
  assert.equal(reply.verdict.forwarded, null);
});

test("the address of a pill is what its angle brackets hold, lowercased", () => {
  assert.equal(addressOf("Ann Lee <Ann@X.Example>"), "ann@x.example");
  assert.equal(addressOf(" bob@y.example "), "bob@y.example");
  assert.equal(addressOf(42), "");
  // The core keys an internationalised domain in ASCII; so must the lookup.
  assert.equal(addressOf("Jan <Jan@Müller-Bau.de>"), "jan@xn--mller-bau-q9a.de");
});

test("a group is found whichever form its internationalised domain is written in", async () => {
  await rememberGroup(["jan@xn--mller-bau-q9a.de", "eva@xn--mller-bau-q9a.de"], "user");
  await rememberGroup(["ola@bücher.example", "ida@bücher.example"], "received");
  const unicode = { to: ["Jan <jan@müller-bau.de>", "Eva <EVA@MÜLLER-BAU.DE>"], cc: [], lists: [] };
  assert.equal((await relevantGroups(unicode, POLICY)).length, 1);
  const ascii = { to: ["ola@xn--bcher-kva.example", "ida@xn--bcher-kva.example"], cc: [], lists: [] };
  assert.equal((await relevantGroups(ascii, POLICY)).length, 1);
});

test("a send gets the groups holding two or more of its recipients, none else", async () => {
  const keys = PARENTS.map(addressOf);
  await rememberGroup(keys.slice(0, 4), "user");
  await rememberGroup([keys[4], "stranger@gmail.com"], "user");
  await rememberGroup(["x@a.example", "y@b.example"], "received");
  const message = { to: [SENDER], cc: PARENTS.slice(0, 3), lists: [] };
  assert.deepEqual(await relevantGroups(message, POLICY), [[...keys.slice(0, 4)].sort()]);
  // List members count as recipients too.
  const viaList = { to: [], cc: ['Class <"Class">'], lists: [{ ref: 'Class <"Class">', name: "Class", members: PARENTS.slice(4) }] };
  assert.deepEqual(await relevantGroups(viaList, POLICY), []);
  const both = { to: [], cc: [PARENTS[4]], lists: [{ ref: "r", name: "r", members: ["Stranger <stranger@gmail.com>"] }] };
  assert.equal((await relevantGroups(both, POLICY)).length, 1);
});

test("switched off, remembered or learned groups are not used", async () => {
  const keys = PARENTS.map(addressOf);
  await rememberGroup(keys.slice(0, 3), "user");
  await rememberGroup(keys.slice(3, 6), "received");
  const message = { to: [], cc: PARENTS, lists: [] };
  assert.equal((await relevantGroups(message, POLICY)).length, 2);
  assert.deepEqual(await relevantGroups(message, { rememberGroups: false, learnGroups: true }), [keys.slice(3, 6).sort()]);
  assert.deepEqual(await relevantGroups(message, { rememberGroups: true, learnGroups: false }), [keys.slice(0, 3).sort()]);
  assert.deepEqual(await relevantGroups(message, { rememberGroups: false, learnGroups: false }), []);
});

test("the same group again is one group; the user's confirmation wins over a learned one", async () => {
  await rememberGroup(["b@x.example", "a@x.example"], "received");
  assert.equal(await rememberGroup(["a@x.example", "b@x.example", "a@x.example"], "user"), false);
  const groups = await listGroups();
  assert.equal(groups.length, 1);
  assert.equal(groups[0].source, "user");
  assert.equal(await rememberGroup(["only@x.example"], "user"), false, "one person is no group");
});

test("the store keeps the most recent groups, and forgets one or all on request", async () => {
  const many = Array.from({ length: MAX_GROUPS + 3 }, (_, i) => [`a${i}@x.example`, `b${i}@x.example`]);
  assert.equal(await rememberGroups(many, "received"), MAX_GROUPS + 3);
  let groups = await listGroups();
  assert.equal(groups.length, MAX_GROUPS);
  await forgetGroup(groups[0].id);
  groups = await listGroups();
  assert.equal(groups.length, MAX_GROUPS - 1);
  await forgetAllGroups();
  assert.deepEqual(await listGroups(), []);
  assert.equal(messenger.state.local.groups, undefined);
});

test("an organisation's policy that switches learning or remembering off erases those groups; the user's switch does not", async () => {
  const seed = async () => {
    await forgetAllGroups();
    await rememberGroups([["a@x.example", "b@x.example"]], "received");
    await rememberGroups([["c@x.example", "d@x.example"]], "user");
  };
  const sources = async () => (await listGroups()).map((g) => g.source).sort();

  await seed();
  messenger.state.stored = { learnGroups: false, rememberGroups: false };
  assert.equal(await eraseWhatThePolicyForbids(), 0, "the user's own switches keep the groups");
  assert.deepEqual(await sources(), ["received", "user"]);

  messenger.state.stored = {};
  messenger.state.managed = { learnGroups: 0 }; // a Windows GPO's REG_DWORD
  assert.equal(await eraseWhatThePolicyForbids(), 1);
  assert.deepEqual(await sources(), ["user"]);

  await seed();
  messenger.state.managed = { rememberGroups: false, learnGroups: "no" }; // refused: its default (true) applies
  assert.equal(await eraseWhatThePolicyForbids(), 1);
  assert.deepEqual(await sources(), ["received"]);

  await seed();
  messenger.state.managed = { locked: ["learnGroups"] }; // locked at its default, on
  assert.equal(await eraseWhatThePolicyForbids(), 0);
  assert.deepEqual(await sources(), ["received", "user"]);
});

test("writes to the group store take turns: mail learnt while retention erases cannot bring an erased group back", async () => {
  await forgetAllGroups();
  await rememberGroups([["a@x.example", "b@x.example"]], "received");
  // Storage answers later than the next write starts, as it may in Thunderbird.
  const get = messenger.storage.local.get;
  messenger.storage.local.get = async (...args) => {
    const result = await get.apply(messenger.storage.local, args);
    await new Promise((resolve) => setTimeout(resolve, 10));
    return result;
  };
  const erasing = forgetGroupsFrom("received");
  const learning = rememberGroups([["c@x.example", "d@x.example"]], "received");
  await Promise.all([erasing, learning]);
  const left = (await listGroups()).map((g) => g.members.join(" "));
  assert.equal(left.includes("a@x.example b@x.example"), false, `the erased group is back: ${left}`);
});

test("a store that cannot be read means no groups (the send is judged as new)", async () => {
  await rememberGroup(PARENTS.map(addressOf), "user");
  reloadGroups();
  messenger.state.localFails = true;
  assert.deepEqual(await relevantGroups({ to: [], cc: PARENTS, lists: [] }, POLICY), []);
});

// -- learning.js ------------------------------------------------------------------------------

function mail(author, to, cc = []) {
  return { author, recipients: to, ccList: cc };
}

test("new mail from outside with others visible becomes a group; from a colleague it does not", async () => {
  const lists = { l2: { id: null, messages: [mail("Coach <coach@club.example>", [SENDER], customers(4, "player"))] } };
  messenger.messages = { continueList: async (id) => lists[id] };
  await learnFromNewMail({ id: "inbox" }, {
    id: "l2",
    messages: [
      mail("Paula <paula@gmail.com>", [SENDER, PARENTS[0]], PARENTS.slice(1, 3)),
      mail("Colleague <bob@shop.example>", [SENDER], customers(5, "leaked")),
      mail("Alone <alone@gmail.com>", [SENDER]),
    ],
  });
  const groups = await listGroups();
  assert.equal(groups.length, 2, JSON.stringify(groups));
  assert.ok(groups.every((g) => g.source === "received"));
  const members = groups.map((g) => g.members.join());
  assert.ok(members.some((m) => m.includes("paula@gmail.com") && m.includes(addressOf(PARENTS[2]))));
  assert.ok(members.some((m) => m.includes("coach@club.example")));
  assert.ok(!members.some((m) => m.includes("leaked")), "a colleague's message excuses nothing");
  assert.ok(!members.some((m) => m.includes("ann@shop.example")), "the user's own address is no member");
});

test("with learning switched off, new mail teaches nothing", async () => {
  messenger.state.stored = { learnGroups: false };
  await learnFromNewMail({}, { id: null, messages: [mail("p@gmail.com", [SENDER, PARENTS[0]], [PARENTS[1]])] });
  assert.deepEqual(await listGroups(), []);
});

test("the scan walks received folders with a Date, reports progress, and stops when asked", async () => {
  const queries = [];
  const pages = { p2: { id: "p2b", messages: [] }, p2b: { id: null, messages: [] } };
  const abortedIds = new Set();
  messenger.accounts = {
    async list() {
      return [{ rootFolder: { id: "root", specialUse: [], subFolders: [
        { id: "inbox", specialUse: ["inbox"] },
        { id: "sent", specialUse: ["sent"] },
        { id: "club", specialUse: [], subFolders: [{ id: "trash", specialUse: ["trash"] }] },
      ] } }];
    },
  };
  let aborted = 0;
  messenger.messages = {
    async query(q) {
      queries.push(q);
      const m = q.folderId === "inbox"
        ? [mail("p@gmail.com", [SENDER, PARENTS[0]], [PARENTS[1]])]
        : [mail("coach@club.example", [SENDER], customers(3, "kid"))];
      return { id: q.folderId === "club" ? "p2" : null, messages: m };
    },
    async continueList(id) {
      // Thunderbird 140 answers an aborted list with the same id, not null.
      if (abortedIds.has(id)) return { id, messages: [] };
      return pages[id] ?? { id: null, messages: [] };
    },
    async abortList(id) {
      aborted += 1;
      abortedIds.add(id);
      return null;
    },
  };
  const progress = [];
  const totals = await scanRecent({ days: 30, onProgress: (p) => progress.push(p) });
  assert.deepEqual(queries.map((q) => q.folderId), ["root", "inbox", "club"]);
  assert.ok(queries.every((q) => q.fromDate instanceof Date), "fromDate must be a Date");
  assert.ok(Math.abs(Date.now() - 30 * 864e5 - queries[0].fromDate.getTime()) < 60_000);
  assert.equal(totals.total, 3);
  assert.equal(totals.done, 3);
  assert.equal(progress.length, 3);
  assert.equal((await listGroups()).length, 2);

  const controller = new AbortController();
  const stopping = scanRecent({ onProgress: () => controller.abort(), signal: controller.signal });
  const stopped = await stopping;
  assert.equal(stopped.stopped, true);
  assert.ok(stopped.done < stopped.total);
  assert.ok(aborted <= 1);
});

// -- "They know each other" -------------------------------------------------------------------

test("'They know each other' sends as written and the next send to that group is quiet", async () => {
  const TAB = { id: 3, windowId: 7 };
  const details = { from: SENDER, to: [SENDER], cc: PARENTS, bcc: [] };
  const first = review(TAB, details);
  await until(() => messenger.calls.created.length === 1, "the warning window");
  const id = decisionId(messenger);
  const view = await handleMessage({ type: "ccguard:get", id }, { id: messenger.runtime.id });
  assert.equal(view.verdict.canRemember, true);
  const reply = await handleMessage({ type: "ccguard:decide", id, choice: "remember-group" }, { id: messenger.runtime.id });
  assert.equal(reply.ok, true);
  assert.deepEqual(await first, {});
  await until(() => messenger.state.local.groups !== undefined, "the group to be stored");
  reloadGroups();
  assert.equal(await review(TAB, { ...details, cc: PARENTS.slice(0, 4) }), undefined);
  assert.equal(messenger.calls.created.length, 1, "no second window");
});

test("above a hard limit 'They know each other' is not offered, and a forged one cancels", async () => {
  messenger.state.stored = { hardLimit: 3 };
  const promise = review({ id: 3, windowId: 7 }, { from: SENDER, to: [], cc: PARENTS, bcc: [] });
  await until(() => messenger.calls.created.length === 1, "the warning window");
  const id = decisionId(messenger);
  const view = await handleMessage({ type: "ccguard:get", id }, { id: messenger.runtime.id });
  assert.equal(view.verdict.canRemember, false);
  const reply = await handleMessage({ type: "ccguard:decide", id, choice: "remember-group" }, { id: messenger.runtime.id });
  assert.equal(reply.ok, false);
  handleMessage({ type: "ccguard:decide", id, choice: "back-to-edit" }, { id: messenger.runtime.id });
  assert.deepEqual(await promise, { cancel: true });
  assert.equal(messenger.state.local.groups, undefined);
});
