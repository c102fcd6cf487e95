// CcGuard's parser against Thunderbird's own (jsmime), on the same inputs, at run time.
// Both decode encoded words with the host's TextDecoder: here Node's, in Thunderbird Gecko's.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { parseAddressList } from "./load.mjs";
import { loadJsmime } from "./jsmime.mjs";
import { customers } from "./fixtures.mjs";

const jsmime = await loadJsmime();
const here = new URL(".", import.meta.url);
const headers = readFileSync(new URL("corpus/headers.txt", here), "utf8")
  .split("\n")
  .filter((l) => l.trim() !== "" && !l.startsWith("#"));
const divergences = JSON.parse(readFileSync(new URL("corpus/divergences.json", here), "utf8"));
// Display names in 30 charsets, encoded by a real encoder (corpus/make_charsets.py).
const charsets = JSON.parse(readFileSync(new URL("corpus/charsets.json", here), "utf8")).names;

const oracle = (h) => jsmime.headerparser.parseAddressingHeader(h, true);
// jsmime returns its own objects; compare plain data.
const plain = (v) => JSON.parse(JSON.stringify(v));

// Node's TextDecoder("windows-1252") decodes 0x80-0x9F as Latin-1 C1 controls since Node
// 20.18.3 / 22.13.0 (nodejs/node#60888), where the Encoding Standard (and Gecko, so
// Thunderbird) gives € “ ” ’ –. jsmime and the WASM both use the host's decoder, so they still
// agree here; only "shows the name as written" cannot be checked for those characters.
const nodeWindows1252IsLatin1 = new TextDecoder("windows-1252").decode(Uint8Array.of(0x93)) !== "\u201c";
const windows1252Only = (text) => [...text].some((c) => c.codePointAt(0) > 0xff);
// Node's ICU has no ISO-8859-16 (the Encoding Standard and Gecko do): here jsmime and the WASM
// both show such a word as written, and agree; that the name decodes as written is checked
// with encoding_rs, Gecko's decoder, in crates/core/tests/charsets.rs.
const nodeLacks = (label) => {
  try {
    new TextDecoder(label);
    return false;
  } catch (error) {
    return true;
  }
};

test("Thunderbird's jsmime is available as the oracle", () => {
  assert.ok(jsmime, "jsmime not found: install Thunderbird (./build.sh test does) or set THUNDERBIRD_OMNI");
});

test("every corpus header parses as jsmime parses it, or is a documented divergence", () => {
  const unexpected = [];
  for (const h of headers) {
    const ours = plain(parseAddressList(h));
    const theirs = plain(oracle(h));
    const same = JSON.stringify(ours) === JSON.stringify(theirs);
    if (h in divergences) {
      assert.ok(!same, `listed as a divergence but now agrees with jsmime, remove it: ${h}`);
    } else if (!same) {
      unexpected.push({ header: h, ours, jsmime: theirs });
    }
  }
  assert.deepEqual(unexpected, []);
  // Every divergence is a line of the corpus, so none can linger unchecked.
  for (const h of Object.keys(divergences)) assert.ok(headers.includes(h), `divergences.json lists a header the corpus lacks: ${h}`);
});

test("the charset corpus covers the 30 charsets, each with B and Q words and mid-character splits", () => {
  const want = ["ISO-2022-JP", "Shift_JIS", "EUC-JP", "EUC-KR", "GB18030", "GBK", "Big5", "KOI8-R", "KOI8-U",
    "windows-1250", "windows-1251", "windows-1252", "windows-1253", "windows-1254", "windows-1255", "windows-1256",
    "windows-1257", "windows-1258", "ISO-8859-2", "ISO-8859-3", "ISO-8859-4", "ISO-8859-5", "ISO-8859-6", "ISO-8859-7",
    "ISO-8859-8", "ISO-8859-10", "ISO-8859-13", "ISO-8859-14", "ISO-8859-15", "ISO-8859-16"];
  assert.deepEqual([...new Set(charsets.map((e) => e.charset))].sort(), [...want].sort());
  for (const cs of want) {
    const styles = new Set(charsets.filter((e) => e.charset === cs).map((e) => e.style));
    for (const style of ["b", "q", "b-split", "q-split", "quoted", "then-atom"]) assert.ok(styles.has(style), `${cs}: no ${style}`);
  }
  const jp = charsets.filter((e) => e.charset === "ISO-2022-JP");
  assert.ok(jp.some((e) => /\x1b\(B$/.test(Buffer.from(/\?B\?([^?]*)\?=/.exec(e.header)[1], "base64").toString("latin1"))), "an ISO-2022-JP word ending in ESC ( B");
  assert.ok(jp.some((e) => e.style === "split-in-escape"));
});

for (const cs of [...new Set(charsets.map((e) => e.charset))]) {
  test(`display names in ${cs} decode exactly as jsmime shows them`, () => {
    const entries = charsets.filter((e) => e.charset === cs);
    for (const e of entries) {
      const theirs = plain(oracle(e.header));
      assert.deepEqual(plain(parseAddressList(e.header)), theirs, `${e.style}: ${JSON.stringify(e.header)}`);
      // The oracle shows the name as the sender wrote it (so the two are not merely equally wrong).
      if (e.exact && !nodeLacks(cs) && !(cs === "windows-1252" && nodeWindows1252IsLatin1 && windows1252Only(e.text))) {
        assert.equal(theirs[0].name, e.text, `${e.style}: jsmime shows ${JSON.stringify(theirs[0].name)}`);
      }
    }
    // All of them in one header: no decoder state leaks from one mailbox to the next.
    const all = entries.map((e) => e.header).join(", ");
    assert.deepEqual(plain(parseAddressList(all)), plain(oracle(all)));
  });
}

test("names split across words of different charsets and label spellings decode as jsmime decodes them", () => {
  // Adjacent words stream together only while their label is the same string: a label in
  // another case or another charset ends the stream (and what it held) first.
  const words = charsets.filter((e) => e.style === "b-split").map((e) => e.header.replace(/ <[^>]*>$/, ""));
  for (let i = 0; i + 1 < words.length; i++) {
    const header = `${words[i]} ${words[i + 1]} <u${i}@example.com>`;
    assert.deepEqual(plain(parseAddressList(header)), plain(oracle(header)), header);
  }
  const whole = `${words.join("\r\n ")} <all@example.com>`;
  assert.deepEqual(plain(parseAddressList(whole)), plain(oracle(whole)));
});

test("what Thunderbird's compose window produces parses identically (1,000 pills joined)", () => {
  const header = customers(1000).join(", ");
  assert.deepEqual(plain(parseAddressList(header)), plain(oracle(header)));
});

test("headers folded and encoded by Thunderbird's own emitter parse identically", () => {
  const names = ["<img src=x onerror=alert(1)>", "Doe, Jane", 'Carl "Cat" Catt', "Jürgen Müller", "山田太郎", "a\\b", "(paren)", "semi;colon", "@at",
    // Thunderbird writes every charset as UTF-8, cutting long names into several words.
    ...new Set(charsets.map((e) => e.text)), "株式会社テスト 営業部 第二課 担当者 佐藤花子 (東京本社) 😀😀😀"];
  const mailboxes = names.map((name, i) => ({ name, email: `u${i}@example.com` }));
  for (const useASCII of [true, false]) {
    const header = jsmime.headeremitter
      .emitStructuredHeader("To", mailboxes, { useASCII })
      .replace(/^To: /, "")
      .replace(/\r\n$/, "");
    assert.deepEqual(plain(parseAddressList(header)), plain(oracle(header)), header);
    // Every name of the charset corpus, written as UTF-8 words, comes back as written.
    const shown = parseAddressList(header).map((m) => m.name);
    for (const name of new Set(charsets.map((e) => e.text))) assert.ok(shown.includes(name), name);
  }
});
