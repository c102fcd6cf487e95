// CcGuard's parser against Thunderbird's own (jsmime), on the same inputs, at run time.
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

const oracle = (h) => jsmime.headerparser.parseAddressingHeader(h, true);
// jsmime returns its own objects; compare plain data.
const plain = (v) => JSON.parse(JSON.stringify(v));

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
});

test("what Thunderbird's compose window produces parses identically (1,000 pills joined)", () => {
  const header = customers(1000).join(", ");
  assert.deepEqual(plain(parseAddressList(header)), plain(oracle(header)));
});

test("headers folded and encoded by Thunderbird's own emitter parse identically", () => {
  const names = ["<img src=x onerror=alert(1)>", "Doe, Jane", 'Carl "Cat" Catt', "Jürgen Müller", "山田太郎", "a\\b", "(paren)", "semi;colon", "@at"];
  const mailboxes = names.map((name, i) => ({ name, email: `u${i}@example.com` }));
  for (const useASCII of [true, false]) {
    const header = jsmime.headeremitter
      .emitStructuredHeader("To", mailboxes, { useASCII })
      .replace(/^To: /, "")
      .replace(/\r\n$/, "");
    assert.deepEqual(plain(parseAddressList(header)), plain(oracle(header)), header);
  }
});
