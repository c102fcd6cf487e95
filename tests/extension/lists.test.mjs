// Unit tests of extension/lists.js against a stub of Thunderbird's `messenger` global.
// The stub mirrors what the real APIs returned on Thunderbird 140 and 153 (MV3): address books
// from addressBooks.list(false), lists from addressBooks.mailingLists.list(bookId), members from
// addressBooks.mailingLists.listMembers(listId) as ContactNodes carrying a vCard.
// Run: node --test tests/extension/
import { test, afterEach } from "node:test";
import assert from "node:assert/strict";

import { LIMITS, contactOf, formatMailbox, listsOf, mayBeList, parsePill, parseVCard } from "../../extension/lists.js";

/** A ContactNode as MV3 gives it. */
function contact(id, name, email, extra = "") {
  const fn = name ? `FN:${name}\r\n` : "";
  return {
    id,
    type: "contact",
    vCard: `BEGIN:VCARD\r\nVERSION:4.0\r\n${fn}EMAIL;PREF=1:${email}\r\n${extra}UID:${id}\r\nEND:VCARD\r\n`,
  };
}

/**
 * A `messenger` stub. `books`: [{id, name, lists: [{id, name, description?, members: [node] |
 * (() => Promise|throw)}]}]. Every API call is counted in `calls`.
 */
function fakeMessenger(books, { failBooks = false, failListsOf = [] } = {}) {
  const calls = { books: 0, lists: 0, members: 0, membersOf: [] };
  const byId = new Map();
  for (const book of books) for (const list of book.lists) byId.set(list.id, list);
  const mailingLists = {
    async list(bookId) {
      calls.lists++;
      if (failListsOf.includes(bookId)) throw new Error(`cannot read lists of ${bookId}`);
      const book = books.find((b) => b.id === bookId);
      return book.lists.map(({ id, name, description = "" }) => ({
        id, parentId: bookId, type: "mailingList", name, nickName: "", description,
      }));
    },
    async listMembers(listId) {
      calls.members++;
      calls.membersOf.push(listId);
      const list = byId.get(listId);
      if (!list) throw new Error(`mailingList with id=${listId} could not be found.`);
      return typeof list.members === "function" ? list.members() : list.members;
    },
  };
  return {
    calls,
    addressBooks: {
      async list(complete) {
        calls.books++;
        assert.equal(complete, false, "listsOf must not ask for complete address books (slow)");
        if (failBooks) throw new Error("address books unavailable");
        return books.map(({ id, name }) => ({ id, type: "addressBook", name }));
      },
      mailingLists,
    },
  };
}

/** A stub where any API use fails the test. */
function untouchable() {
  const fail = () => assert.fail("the messenger API was used");
  return new Proxy({}, { get: fail });
}

function install(messenger) {
  globalThis.messenger = messenger;
  return messenger;
}

afterEach(() => {
  delete globalThis.messenger;
});

const MEMBERS = [
  contact("c1", "Member 1", "m1@gmail.com"),
  contact("c2", "Member 2", "m2@yahoo.com"),
  contact("c3", "", "m3@outlook.com"),
];

test("a list pill resolves to its direct members as header strings", async () => {
  const m = install(fakeMessenger([{ id: "b1", name: "Personal", lists: [{ id: "L1", name: "Club Members", members: MEMBERS }] }]));
  const out = await listsOf({ to: ["Bob <bob@example.org>"], cc: ['Club Members <"Club Members">'], bcc: [] });
  assert.deepEqual(out, [{
    ref: 'Club Members <"Club Members">',
    name: "Club Members",
    members: ["Member 1 <m1@gmail.com>", "Member 2 <m2@yahoo.com>", "m3@outlook.com"],
  }]);
  assert.deepEqual(m.calls.membersOf, ["L1"]);
});

test("recipients with an @ in the address are never looked up: no API call at all", async () => {
  install(untouchable());
  const details = {
    to: ["Bob <bob@example.org>", "carol@example.net", '"Smith, Jo" <jo@x.example>'],
    cc: "dave@example.com, Eve <eve@example.com>",
    bcc: ["x@y"],
  };
  assert.deepEqual(await listsOf(details), []);
  assert.deepEqual(await listsOf({}), []);
  assert.deepEqual(await listsOf(null), []);
});

test("lookUpAddressPills: a list whose description is an address is found; ordinary pills are not lists", async () => {
  const m = install(fakeMessenger([{ id: "b1", name: "P", lists: [
    { id: "L1", name: "Sales Team", description: "sales@shop.example", members: MEMBERS },
    { id: "L2", name: "x@y", members: [contact("c", "", "c1@outlook.com")] },
  ] }]));
  const details = { to: ["Bob <bob@example.org>", "carol@example.net"], cc: ["Sales Team <sales@shop.example>", '"x@y" <x@y>'] };
  assert.deepEqual(await listsOf(details), [], "by default pills with an @ are not looked at");
  assert.equal(m.calls.books, 0);
  const out = await listsOf(details, { lookUpAddressPills: true });
  assert.deepEqual(out.map((e) => [e.ref, e.name, e.members.length]), [
    ["Sales Team <sales@shop.example>", "Sales Team", 3],
    ['"x@y" <x@y>', "x@y", 1],
  ]);
  // A bare address has no name to match a list: never looked at, even with the option.
  install(untouchable());
  assert.deepEqual(await listsOf({ to: ["carol@example.net"] }, { lookUpAddressPills: true }), []);
});

test("lookUpAddressPills with the address books unavailable: pills with an @ are left out, not null", async () => {
  install(fakeMessenger([], { failBooks: true }));
  const out = await listsOf({ to: ["Bob <bob@example.org>"], cc: ['Club <"Club">'] }, { lookUpAddressPills: true });
  assert.deepEqual(out, [{ ref: 'Club <"Club">', name: "Club", members: null }]);
});

test("the unquoted pill form, letter case and the MV2 contact form are understood", async () => {
  const mv2 = { id: "c9", type: "contact", properties: { DisplayName: "Old Style", PrimaryEmail: "old@web.de" } };
  install(fakeMessenger([{ id: "b1", name: "P", lists: [{ id: "L1", name: "Club Members", members: [mv2] }] }]));
  const out = await listsOf({ cc: ["club members <club members>"] });
  assert.deepEqual(out, [{ ref: "club members <club members>", name: "Club Members", members: ["Old Style <old@web.de>"] }]);
});

test("a list with a description is the pill carrying its description, as Thunderbird expands it", async () => {
  install(fakeMessenger([{ id: "b1", name: "P", lists: [{ id: "L1", name: "Staff", description: "All staff", members: MEMBERS }] }]));
  const out = await listsOf({ to: ['Staff <"All staff">', "Staff <Staff>", 'All staff <"All staff">'] });
  // Thunderbird refuses "Staff <Staff>" (invalid recipient) when the list has a description.
  assert.deepEqual(out.map((e) => e.ref), ['Staff <"All staff">']);
  assert.equal(out[0].members.length, 3);
});

test("a name without a matching list is not a list (left out; Thunderbird refuses it itself)", async () => {
  install(fakeMessenger([{ id: "b1", name: "P", lists: [{ id: "L1", name: "Club", members: MEMBERS }] }]));
  assert.deepEqual(await listsOf({ cc: ["Nobody <Nobody>", "Club <Other>"] }), []);
});

test("nested lists: the member contact standing for a list is given as that list's ref", async () => {
  const books = [{
    id: "b1", name: "P", lists: [
      { id: "OUT", name: "Outer", members: [contact("a1", "A 1", "a1@gmail.com"), contact("r1", "Inner", "Inner"),
        contact("r2", "Inner Two", "second inner"), contact("a2", "", "Not A List")] },
      { id: "IN", name: "Inner", members: [contact("b1", "B 1", "b1@yahoo.com"), contact("b2", "B 2", "b2@yahoo.com")] },
      { id: "IN2", name: "Inner Two", description: "second inner", members: [contact("c1", "C 1", "c1@outlook.com")] },
    ],
  }];
  const m = install(fakeMessenger(books));
  const out = await listsOf({ cc: ['Outer <"Outer">'] });
  assert.deepEqual(out, [
    { ref: 'Outer <"Outer">', name: "Outer",
      members: ["A 1 <a1@gmail.com>", 'Inner <"Inner">', 'Inner Two <"second inner">', "Not A List"] },
    { ref: 'Inner <"Inner">', name: "Inner", members: ["B 1 <b1@yahoo.com>", "B 2 <b2@yahoo.com>"] },
    { ref: 'Inner Two <"second inner">', name: "Inner Two", members: ["C 1 <c1@outlook.com>"] },
  ]);
  assert.deepEqual(m.calls.membersOf.sort(), ["IN", "IN2", "OUT"]);
});

test("a member standing for a list whose description is an address is that nested list", async () => {
  install(fakeMessenger([{
    id: "b1", name: "P", lists: [
      { id: "OUT", name: "Outer", members: [contact("r", "Sales Team", "sales@shop.example"), contact("o", "Olga", "olga@web.de")] },
      { id: "S", name: "Sales Team", description: "sales@shop.example", members: [contact("s", "S 1", "s1@gmail.com")] },
    ],
  }]));
  assert.deepEqual(await listsOf({ cc: ['Outer <"Outer">'] }), [
    { ref: 'Outer <"Outer">', name: "Outer", members: ["Sales Team <sales@shop.example>", "Olga <olga@web.de>"] },
    { ref: "Sales Team <sales@shop.example>", name: "Sales Team", members: ["S 1 <s1@gmail.com>"] },
  ]);
});

test("10,000 recipients: ordinary ones cost nothing; with lookUpAddressPills one index read", async () => {
  const many = Array.from({ length: 10000 }, (_, i) => `Customer ${i} <c${i}@gmail.com>`);
  install(untouchable());
  let t0 = performance.now();
  assert.deepEqual(await listsOf({ cc: many }), []);
  assert.ok(performance.now() - t0 < 500, `default: ${performance.now() - t0} ms`);
  const m = install(fakeMessenger([{ id: "b1", name: "P", lists: [{ id: "L1", name: "Club", members: MEMBERS }] }]));
  t0 = performance.now();
  const out = await listsOf({ cc: [...many, 'Club <"Club">'] }, { lookUpAddressPills: true });
  assert.ok(performance.now() - t0 < 1000, `lookUpAddressPills: ${performance.now() - t0} ms`);
  assert.deepEqual(out.map((e) => e.ref), ['Club <"Club">']);
  assert.deepEqual([m.calls.books, m.calls.lists, m.calls.members], [1, 1, 1]);
});

test("a nested list already in the message is referred to by the pill the message has", async () => {
  install(fakeMessenger([{
    id: "b1", name: "P", lists: [
      { id: "OUT", name: "Outer", members: [contact("r1", "Inner", "Inner")] },
      { id: "IN", name: "Inner", members: [contact("b1", "B 1", "b1@yahoo.com")] },
    ],
  }]));
  const out = await listsOf({ to: ["inner <inner>"], cc: ['Outer <"Outer">'] });
  assert.deepEqual(out, [
    { ref: "inner <inner>", name: "Inner", members: ["B 1 <b1@yahoo.com>"] },
    { ref: 'Outer <"Outer">', name: "Outer", members: ["inner <inner>"] },
  ]);
});

test("a cycle (X holds Y, Y holds X) and a list holding itself end, each list read once", async () => {
  const m = install(fakeMessenger([{
    id: "b1", name: "P", lists: [
      { id: "X", name: "Cycle X", members: [contact("a1", "A 1", "a1@gmail.com"), contact("ry", "Cycle Y", "Cycle Y")] },
      { id: "Y", name: "Cycle Y", members: [contact("b1", "B 1", "b1@yahoo.com"), contact("rx", "Cycle X", "Cycle X")] },
      { id: "S", name: "Self", members: [contact("rs", "Self", "Self"), contact("s1", "S 1", "s1@web.de")] },
    ],
  }]));
  const out = await listsOf({ cc: ['Cycle X <"Cycle X">', 'Self <"Self">'] });
  assert.deepEqual(out, [
    { ref: 'Cycle X <"Cycle X">', name: "Cycle X", members: ["A 1 <a1@gmail.com>", 'Cycle Y <"Cycle Y">'] },
    { ref: 'Self <"Self">', name: "Self", members: ['Self <"Self">', "S 1 <s1@web.de>"] },
    { ref: 'Cycle Y <"Cycle Y">', name: "Cycle Y", members: ["B 1 <b1@yahoo.com>", 'Cycle X <"Cycle X">'] },
  ]);
  assert.deepEqual(m.calls.membersOf.sort(), ["S", "X", "Y"]);
});

test("a long chain of nested lists stops at maxLists; the rest are null, never an endless walk", async () => {
  const lists = [];
  for (let i = 0; i < 300; i++) {
    const next = (i + 1) % 300; // a ring of 300 lists
    lists.push({ id: `L${i}`, name: `List ${i}`, members: [contact(`m${i}`, "", `m${i}@x.example`), contact(`r${i}`, `List ${next}`, `List ${next}`)] });
  }
  const m = install(fakeMessenger([{ id: "b1", name: "P", lists }]));
  const out = await listsOf({ cc: ['List 0 <"List 0">'] }, { maxLists: 10 });
  assert.equal(m.calls.members, 10);
  assert.equal(out.filter((e) => Array.isArray(e.members)).length, 10);
  assert.equal(out.filter((e) => e.members === null).length, 1, "the first list beyond the cap is named, with null");
  assert.deepEqual(out[0].members, ["m0@x.example", 'List 1 <"List 1">']);

  // With the default cap the whole ring (300 > 200) is still bounded.
  const m2 = install(fakeMessenger([{ id: "b1", name: "P", lists }]));
  const all = await listsOf({ cc: ['List 0 <"List 0">'] });
  assert.equal(m2.calls.members, LIMITS.maxLists);
  assert.equal(all.filter((e) => Array.isArray(e.members)).length, LIMITS.maxLists);
});

test("maxMembers: a list that would go over the member budget is null", async () => {
  const big = Array.from({ length: 50 }, (_, i) => contact(`p${i}`, "", `p${i}@gmail.com`));
  install(fakeMessenger([{ id: "b1", name: "P", lists: [{ id: "L1", name: "Big", members: big }, { id: "L2", name: "Small", members: MEMBERS }] }]));
  const out = await listsOf({ cc: ['Big <"Big">', 'Small <"Small">'] }, { maxMembers: 10 });
  assert.deepEqual(out.map((e) => [e.ref, e.members && e.members.length]), [['Big <"Big">', null], ['Small <"Small">', 3]]);
});

test("a list whose members cannot be read gets null; the others still resolve", async () => {
  install(fakeMessenger([{
    id: "b1", name: "P", lists: [
      { id: "BAD", name: "Broken", members: () => { throw new Error("database is locked"); } },
      { id: "OK", name: "Fine", members: MEMBERS },
    ],
  }]));
  const out = await listsOf({ cc: ['Broken <"Broken">', 'Fine <"Fine">'] });
  assert.deepEqual(out.map((e) => [e.ref, e.name, e.members && e.members.length]), [
    ['Broken <"Broken">', "Broken", null],
    ['Fine <"Fine">', "Fine", 3],
  ]);
});

test("address books unavailable: every pill that may be a list is named with null", async () => {
  install(fakeMessenger([], { failBooks: true }));
  const out = await listsOf({ to: ["a@b.example"], cc: ['Club <"Club">', '"Smith, Jones" <"Smith, Jones">'] });
  assert.deepEqual(out, [
    { ref: 'Club <"Club">', name: "Club", members: null },
    { ref: '"Smith, Jones" <"Smith, Jones">', name: "Smith, Jones", members: null },
  ]);
});

test("no messenger API at all (missing permission): null, never a throw", async () => {
  install({});
  assert.deepEqual(await listsOf({ cc: ['Club <"Club">'] }), [{ ref: 'Club <"Club">', name: "Club", members: null }]);
});

test("one address book unreadable: pills not found elsewhere may be there, so they are null", async () => {
  install(fakeMessenger([
    { id: "b1", name: "P", lists: [{ id: "L1", name: "Club", members: MEMBERS }] },
    { id: "b2", name: "Remote", lists: [] },
  ], { failListsOf: ["b2"] }));
  const out = await listsOf({ cc: ['Club <"Club">', 'Elsewhere <"Elsewhere">'] });
  assert.deepEqual(out.map((e) => [e.ref, e.members && e.members.length]), [['Club <"Club">', 3], ['Elsewhere <"Elsewhere">', null]]);
});

test("timeout: a list whose members never come is null, and listsOf returns in bounded time", async () => {
  install(fakeMessenger([{
    id: "b1", name: "P", lists: [
      { id: "HANG", name: "Hangs", members: () => new Promise(() => {}) },
      { id: "OK", name: "Fine", members: MEMBERS },
    ],
  }]));
  const t0 = Date.now();
  const out = await listsOf({ cc: ['Hangs <"Hangs">', 'Fine <"Fine">'] }, { timeoutMs: 100 });
  const took = Date.now() - t0;
  assert.ok(took >= 90 && took < 1000, `took ${took} ms`);
  assert.deepEqual(out.map((e) => [e.ref, e.members && e.members.length]), [['Hangs <"Hangs">', null], ['Fine <"Fine">', 3]]);
});

test("timeout while the address books are still being listed: every candidate is null", async () => {
  install({ addressBooks: { list: () => new Promise(() => {}), mailingLists: {} } });
  const out = await listsOf({ cc: ['Club <"Club">'] }, { timeoutMs: 50 });
  assert.deepEqual(out, [{ ref: 'Club <"Club">', name: "Club", members: null }]);
});

test("list and display names with commas and quotes", async () => {
  install(fakeMessenger([{
    id: "b1", name: "P", lists: [
      { id: "L1", name: "Smith, Jones", members: [contact("s", "Smith, John", "smith@web.de"), contact("q", 'Q "the" Man', "q@web.de")] },
      { id: "L2", name: 'The "Club"', members: [contact("x", "O'Brien", "ob@web.de")] },
      { id: "L3", name: "Team.A", members: [contact("y", "Dr. Who (EU)", "who@web.de")] },
    ],
  }]));
  const out = await listsOf({
    cc: ['"Smith, Jones" <"Smith, Jones">', '"The \\"Club\\"" <"The \\"Club\\"">', '"Team.A" <Team.A>'],
  });
  assert.deepEqual(out, [
    { ref: '"Smith, Jones" <"Smith, Jones">', name: "Smith, Jones",
      members: ['"Smith, John" <smith@web.de>', '"Q \\"the\\" Man" <q@web.de>'] },
    { ref: '"The \\"Club\\"" <"The \\"Club\\"">', name: 'The "Club"', members: ["O'Brien <ob@web.de>"] },
    { ref: '"Team.A" <Team.A>', name: "Team.A", members: ['"Dr. Who (EU)" <who@web.de>'] },
  ]);
});

test("the same pill in To and Cc is one entry; two pills of one list are two entries read once", async () => {
  const m = install(fakeMessenger([{ id: "b1", name: "P", lists: [{ id: "L1", name: "Club", members: MEMBERS }] }]));
  const out = await listsOf({ to: ['Club <"Club">'], cc: ['Club <"Club">', "club <club>"], bcc: ['Club <"Club">'] });
  assert.deepEqual(out.map((e) => e.ref), ['Club <"Club">', "club <club>"]);
  assert.deepEqual(out[0].members, out[1].members);
  assert.notEqual(out[0].members, out[1].members, "each entry has its own array");
  assert.equal(m.calls.members, 1);
});

test("a list in Bcc is resolved too (the core decides what Bcc means)", async () => {
  install(fakeMessenger([{ id: "b1", name: "P", lists: [{ id: "L1", name: "Club", members: MEMBERS }] }]));
  const out = await listsOf({ to: ["ann@shop.example"], bcc: ['Club <"Club">'] });
  assert.equal(out.length, 1);
  assert.equal(out[0].members.length, 3);
});

test("lists with the same name in two books: the first book's list, as Thunderbird picks it", async () => {
  install(fakeMessenger([
    { id: "b1", name: "First", lists: [{ id: "L1", name: "Club", members: [contact("a", "", "first@x.example")] }] },
    { id: "b2", name: "Second", lists: [{ id: "L2", name: "Club", members: [contact("b", "", "second@x.example")] }] },
  ]));
  const out = await listsOf({ cc: ['Club <"Club">'] });
  assert.deepEqual(out[0].members, ["first@x.example"]);
});

// -- helpers -------------------------------------------------------------------------------

test("parsePill: one mailbox in angle brackets, quotes and escapes honoured", () => {
  assert.deepEqual(parsePill('Club Members <"Club Members">'), { name: "Club Members", address: "Club Members" });
  assert.deepEqual(parsePill("Club Members <Club Members>"), { name: "Club Members", address: "Club Members" });
  assert.deepEqual(parsePill('"Smith, Jones" <"Smith, Jones">'), { name: "Smith, Jones", address: "Smith, Jones" });
  assert.deepEqual(parsePill('"a \\"b\\" c" <x>'), { name: 'a "b" c', address: "x" });
  assert.deepEqual(parsePill('  Spaced   Name   <  "x"  >  '), { name: "Spaced Name", address: "x" });
  assert.deepEqual(parsePill('"<tricky>" <"a>b">'), { name: "<tricky>", address: "a>b" });
  for (const bad of ["Club Members", "a@b", "A <a>, B <b>", "Smith, Jones <x>", "A <a> trailing", "A <a", "A a>",
    '"unclosed <x>', "A <<x>>", null, 42]) {
    assert.equal(parsePill(bad), null, `parsePill(${JSON.stringify(bad)})`);
  }
});

test("mayBeList: only a named pill whose address has no @", () => {
  assert.equal(mayBeList('Club <"Club">'), true);
  assert.equal(mayBeList('"x@y" <x@y>'), false);
  assert.equal(mayBeList("Bob <bob@example.org>"), false);
  assert.equal(mayBeList("bob@example.org"), false);
  assert.equal(mayBeList("Club"), false);
  assert.equal(mayBeList("<Club>"), false);
  assert.equal(mayBeList("Club <>"), false);
  assert.equal(mayBeList("Bob <bob@example.org>", true), true);
  assert.equal(mayBeList("bob@example.org", true), false);
});

test("formatMailbox quotes names with specials and non-address list keys", () => {
  assert.equal(formatMailbox("", "a@b.example"), "a@b.example");
  assert.equal(formatMailbox("Ann", "a@b.example"), "Ann <a@b.example>");
  assert.equal(formatMailbox("Smith, John", "s@b.example"), '"Smith, John" <s@b.example>');
  assert.equal(formatMailbox('Q "the" Man', "q@b.example"), '"Q \\"the\\" Man" <q@b.example>');
  assert.equal(formatMailbox("Müller", "m@b.example"), "Müller <m@b.example>");
  assert.equal(formatMailbox("Inner", "Inner"), 'Inner <"Inner">');
  for (const [name, address] of [["Smith, Jones", "Smith, Jones"], ['The "Club"', 'The "Club"'], ["A\\B", "A\\B"]]) {
    assert.deepEqual(parsePill(formatMailbox(name, address)), { name, address }, "round trip");
  }
});

test("parseVCard: FN and the preferred EMAIL; folded lines, groups, escapes", () => {
  assert.deepEqual(parseVCard("BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ann\r\nEMAIL;PREF=1:ann@x.example\r\nEND:VCARD\r\n"),
    { name: "Ann", email: "ann@x.example" });
  assert.deepEqual(parseVCard("BEGIN:VCARD\nVERSION:4.0\nEMAIL:second@x.example\nEMAIL;PREF=2:pref2@x.example\n" +
    "EMAIL;TYPE=work;PREF=1:pref1@x.example\nFN:Long\n  Name\\, Jr.\nEND:VCARD"),
    { name: "Long Name, Jr.", email: "pref1@x.example" });
  assert.deepEqual(parseVCard("BEGIN:VCARD\r\nVERSION:3.0\r\nitem1.EMAIL;TYPE=INTERNET:first@x.example\r\n" +
    "item2.EMAIL;TYPE=INTERNET,pref:pref@x.example\r\nEND:VCARD"), { name: "", email: "pref@x.example" });
  assert.deepEqual(parseVCard('BEGIN:VCARD\r\nEMAIL;X-LABEL="a:b":quoted@x.example\r\nEND:VCARD'),
    { name: "", email: "quoted@x.example" });
  assert.deepEqual(parseVCard("garbage"), { name: "", email: "" });
});

test("contactOf: MV3 vCard, MV2 properties, nothing usable", () => {
  assert.deepEqual(contactOf(contact("c", "Ann", "ann@x.example")), { name: "Ann", email: "ann@x.example" });
  assert.deepEqual(contactOf({ properties: { PrimaryEmail: "b@x.example", DisplayName: "Bee" } }), { name: "Bee", email: "b@x.example" });
  assert.deepEqual(contactOf({ properties: { vCard: "BEGIN:VCARD\r\nEMAIL:v@x.example\r\nEND:VCARD" } }), { name: "", email: "v@x.example" });
  assert.deepEqual(contactOf(null), { name: "", email: "" });
  assert.deepEqual(contactOf({}), { name: "", email: "" });
});
