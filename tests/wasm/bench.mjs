// `./build.sh bench`: prints what the standing budgets are measured on.
//   evaluate() of 475 and 10,000 recipients under Node, marshalling included (budget 0.5 ms / 5 ms)
//   parsing a 10,000-address header: CcGuard vs Thunderbird's jsmime
//   the optimised .wasm and the .xpi sizes (budget 100 KiB / 200 KiB)
import { statSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { parseAddressList, evaluate, defaultPolicy, wasmPath, pkgDir } from "./load.mjs";
import { loadJsmime } from "./jsmime.mjs";
import { customers } from "./fixtures.mjs";

function median(fn, runs) {
  for (let i = 0; i < Math.min(runs, 20); i++) fn(); // warm up the JIT and the WASM tiers
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(runs / 2)], p95: times[Math.floor(runs * 0.95)] };
}

const fmt = (ms) => `${ms.toFixed(3)} ms`;

// What the background pays once at start-up (before the first send): compile + instantiate.
const bytes = readFileSync(wasmPath);
const init = median(() => new WebAssembly.Instance(new WebAssembly.Module(bytes), importsOf(bytes)), 20);
const policy = defaultPolicy();
const from = "Support <support@shop.example>";

console.log("CcGuard benchmark (Node " + process.version + ")");
for (const [n, runs, budget] of [[3, 2000, null], [475, 500, 0.5], [10000, 100, 5]]) {
  const message = { from, identityEmail: "support@shop.example", to: [], cc: customers(n), bcc: [] };
  const t = median(() => evaluate(message, policy), runs);
  const verdict = budget === null ? "a typical allowed send" : `budget ${budget} ms: ${t.median <= budget ? "within" : "OVER"}`;
  console.log(`evaluate ${String(n).padStart(6)} recipients: median ${fmt(t.median)}, p95 ${fmt(t.p95)} (${verdict})`);
}

const header = customers(10000).join(", ");
const ours = median(() => parseAddressList(header), 50);
console.log(`parseAddressList of a 10,000-address header: median ${fmt(ours.median)}`);
const jsmime = await loadJsmime();
if (jsmime) {
  const theirs = median(() => jsmime.headerparser.parseAddressingHeader(header, true), 20);
  console.log(`jsmime parseAddressingHeader, same header:   median ${fmt(theirs.median)} (${(theirs.median / ours.median).toFixed(1)}x CcGuard)`);
} else {
  console.log("jsmime: Thunderbird not installed, comparison skipped");
}

console.log(`WASM compile + instantiate (once, at start-up): median ${fmt(init.median)}`);

const kib = (b) => `${(b / 1024).toFixed(1)} KiB`;
console.log(`wasm size: ${kib(statSync(wasmPath).size)} (budget 100 KiB)`);
const dist = join(pkgDir, "..", "..", "dist");
for (const f of readdirSync(dist).filter((f) => f.endsWith(".xpi"))) {
  console.log(`xpi size:  ${kib(statSync(join(dist, f)).size)} ${f} (budget 200 KiB)`);
}

// Stub imports: instantiation only needs functions of the right names to exist.
function importsOf(buf) {
  const imports = {};
  for (const { module, name, kind } of WebAssembly.Module.imports(new WebAssembly.Module(buf))) {
    imports[module] ??= {};
    imports[module][name] = kind === "function" ? () => {} : undefined;
  }
  return imports;
}
