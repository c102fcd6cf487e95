// Send separately's words (extension/warning/job-words.js) in every language, without a browser:
// the progress names the numbers in the right places, every state has a headline and its notes,
// the offer's hint and the already-sent note follow the counts.
// Run: node --test tests/extension/
import { test } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import fs from "node:fs";
import { fileURLToPath } from "node:url";

import { makeJobWords } from "../../extension/warning/job-words.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const LOCALES = ["en", "de", "fr", "es", "it", "nl", "pt_BR", "pl", "sv", "ja", "zh_CN", "cs"];

/** i18n.getMessage over one messages.json ("" for a missing key, as Thunderbird). */
function messagesOf(folder) {
  const messages = JSON.parse(fs.readFileSync(path.join(ROOT, "extension/_locales", folder, "messages.json"), "utf8"));
  return (key, substitutions = []) => {
    const entry = messages[key];
    if (!entry) return "";
    const content = Object.fromEntries(Object.entries(entry.placeholders ?? {}).map(([n, p]) => [n.toLowerCase(), p.content]));
    return entry.message
      .replace(/\$([A-Za-z0-9_@]+)\$/g, (all, name) => content[name.toLowerCase()] ?? all)
      .replace(/\$(\d+)/g, (all, i) => String(substitutions[i - 1] ?? ""));
  };
}

const wordsIn = (folder) => makeJobWords(messagesOf(folder), folder.replace("_", "-"));

function view(state, counts, extra = {}) {
  const c = { total: 25, sent: 0, failed: 0, unconfirmed: 0, planned: 0, sending: 0, ...counts };
  return { state, paused: false, counts: c, items: [], record: null, messageKept: true, attachmentsKept: true, composeOpen: false, ...extra };
}

test("the progress says how many of how many were sent, in every language", () => {
  assert.equal(wordsIn("en").progress(view("sending", { sent: 12, planned: 13 })), "12 of 25 sent");
  assert.equal(wordsIn("en").progress(view("sending", { total: 1, sent: 0, planned: 1 })), "0 of 1 sent");
  assert.equal(wordsIn("de").progress(view("sending", { sent: 12 })), "12 von 25 gesendet");
  for (const folder of LOCALES) {
    const text = wordsIn(folder).progress(view("sending", { sent: 12, planned: 13 }));
    assert.ok(text.includes("12") && text.includes("25"), `${folder}: ${text}`);
    assert.ok(text.indexOf("12") !== text.indexOf("25"), `${folder}: ${text}`);
  }
});

test("every state has a headline and notes, in every language", () => {
  const states = [
    view("sending", { sent: 3, planned: 22 }),
    view("sending", { sent: 3, planned: 22 }, { paused: true }),
    view("finishing", { sent: 25 }),
    view("done", { sent: 25 }, { record: { status: "kept" } }),
    view("done", { sent: 25 }, { record: { status: "failed", where: "drafts" }, composeClosed: false }),
    view("cancelled", { sent: 5, planned: 20 }),
    view("incomplete", { sent: 24, failed: 1 }, { stoppedBy: "unconfirmed" }),
    view("interrupted", { sent: 5, unconfirmed: 1, planned: 19 }, { composeOpen: true }),
    view("interrupted", { sent: 5, planned: 20 }, { attachmentsKept: false }),
    view("done", { sent: 25 }, { record: { status: "failed", where: null }, composeClosed: false, composeKept: true }),
  ];
  for (const folder of LOCALES) {
    const words = wordsIn(folder);
    for (const v of states) {
      assert.ok(words.headline(v), `${folder}: no headline for ${v.state}`);
      const notes = words.notes(v);
      // Finishing (the record being filed) says it all in its headline.
      const expected = v.state === "finishing" ? 0 : 1;
      assert.ok(notes.length >= expected && notes.every(Boolean), `${folder}: notes of ${v.state}: ${JSON.stringify(notes)}`);
    }
  }
  const en = wordsIn("en");
  assert.equal(en.headline(states[1]), "Sending paused");
  assert.deepEqual(en.notes(states[3]), ["Your Sent folder has one record of the message, with everyone it reached in Bcc."]);
  assert.match(en.notes(states[7]).join(" "), /can send the 19 copies not sent.*close it without sending/);
  assert.match(en.notes(states[8]).join(" "), /attachments were too large/);
  assert.deepEqual(en.notes(states[9]), [
    "No record of the message could be filed in your Sent folder.",
    "Its compose window stays open so that you can keep the message yourself (File › Save As). Do not send it again: everyone has it.",
  ]);
});

test("the offer's words follow the counts", () => {
  const en = wordsIn("en");
  assert.match(en.hint(25, false), /^25 personal copies: .*one record of the message, with everyone in Bcc\.$/);
  assert.match(en.hint(1, true), /^1 personal copy: .*The copy is kept in your Sent folder\.$/);
  assert.equal(en.colleaguesLegend(2), "2 colleagues in To and Cc:");
  assert.match(en.already(5), /^5 people already got this message/);
  assert.match(wordsIn("pl").already(3), /^3 osoby dostały/);
  assert.match(wordsIn("cs").already(5), /^5 osob tuto zprávu dostalo/);
});
