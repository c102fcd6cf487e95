// `./build.sh bench`: prints what the standing budgets are measured on.
//   evaluate() of 475 and 10,000 customers under Node, marshalling included (budget 0.5 ms / 5 ms)
//   evaluate() of a typical allowed send, and of 10,000 colleagues and customers together
//   (where the Move-only-external rewrite is computed as well)
//   parsing a 10,000-address header: CcGuard vs Thunderbird's jsmime
//   the optimised .wasm, the consumer-domain table and the .xpi sizes (budget 100 KiB / 200 KiB)
import { statSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { parseAddressList, evaluate, defaultPolicy, wasmPath, pkgDir, tablePath, privateDomainCount } from "./load.mjs";
import { loadJsmime } from "./jsmime.mjs";
import { customers, colleagues } from "./fixtures.mjs";

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
// Messages as guard.js hands them over: the user's own addresses and the (here: no)
// address-book lists added to ComposeDetails.
const identityEmail = "support@shop.example";
const message = (to, cc) => ({ from, identityEmail, to, cc, bcc: [], ownAddresses: [identityEmail], lists: [] });
// A shop's customers: mostly on consumer mailboxes, every fourth at a company of its own
// (fixtures.mjs). The private, external and organisations rules fire (and from 1,000
// people the audience one); nobody stays in place.
const CUSTOMER_MIX = { businessEvery: 4 };
// 10,000 people in To and Cc: 1,000 colleagues (10 in To, 990 in Cc, one before every ninth
// customer) and 9,000 customers, so Move-only-external is computed too.
const staff = colleagues(1000);
const clients = customers(9000, CUSTOMER_MIX);
const mixedCc = clients.flatMap((c, i) => (i % 9 === 0 && i / 9 < 990 ? [staff[10 + i / 9], c] : [c]));
const RULES = "private-individuals,external-recipients,external-organisations";
const fires = (v, ids) => v.rules.map((r) => r.id).join() === ids;
const cases = [
  // [label count, message, runs, budget (ms) or a label, what the verdict must be]
  [3, message([customers(1)[0]], colleagues(2)), 2000, "a typical allowed send: 1 customer, 2 colleagues",
    (v) => v.action === "allow"],
  [475, message([], customers(475, CUSTOMER_MIX)), 500, 0.5,
    (v) => v.counts.visible === 475 && fires(v, RULES) && v.moveExternalToBcc === null],
  [10000, message([], customers(10000, CUSTOMER_MIX)), 100, 5,
    (v) => v.counts.visible === 10000 && fires(v, `${RULES},large-audience`) && v.moveExternalToBcc === null],
  [10000, message(staff.slice(0, 10), mixedCc), 100, "1,000 colleagues + 9,000 customers: Move only external computed too",
    (v) => v.counts.visible === 10000 && v.counts.internal === 1000 && fires(v, `${RULES},large-audience`) &&
      v.moveExternalToBcc.cc.length === 990 && v.moveExternalToBcc.bcc.length === 9000],
];
for (const [n, msg, runs, budget, expected] of cases) {
  const v = evaluate(msg, policy);
  if (!expected(v)) throw new Error(`bench: the ${n}-recipient message does not give the verdict its line describes`);
  const t = median(() => evaluate(msg, policy), runs);
  const label = typeof budget === "string" ? budget : `budget ${budget} ms: ${t.median <= budget ? "within" : "OVER"}`;
  console.log(`evaluate ${String(n).padStart(6)} recipients: median ${fmt(t.median)}, p95 ${fmt(t.p95)} (${label})`);
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
const tableBytes = statSync(tablePath).size;
console.log(`consumer-domain table: ${kib(tableBytes)} (${tableBytes} bytes, ${privateDomainCount} domains, ${(tableBytes * 8 / privateDomainCount).toFixed(1)} bits each)`);
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
