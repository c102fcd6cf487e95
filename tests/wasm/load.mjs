// Loads the WASM package exactly as build.sh ships it (wasm-bindgen --target web output),
// so these tests exercise the same bytes that go into the XPI. CCGUARD_PKG points them at
// another copy of build/pkg (e.g. a snapshot while someone else rebuilds).
import { readFileSync, existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { dirname, join, resolve } from "node:path";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const pkgDir = process.env.CCGUARD_PKG ? resolve(process.env.CCGUARD_PKG) : join(root, "build", "pkg");
const glue = join(pkgDir, "ccguard_wasm.js");
const wasm = join(pkgDir, "ccguard_wasm_bg.wasm");
const table = join(pkgDir, "private-domains.bin");
const keys = join(pkgDir, "policy-keys.json");

for (const file of [glue, wasm, table, keys]) {
  if (!existsSync(file)) throw new Error(`The WASM package is incomplete: ${file} is missing. Run ./build.sh first.`);
}

const mod = await import(pathToFileURL(glue).href);
mod.initSync({ module: readFileSync(wasm) });
// What guard.js does at start-up: the consumer-domain table ships next to the .wasm.
export const privateDomainCount = mod.loadPrivateDomains(readFileSync(table));

export const {
  parseAddressList,
  evaluate,
  moveToBcc,
  moveExternalToBcc,
  visibleAddresses,
  receivedGroup,
  defaultPolicy,
  readPolicy,
  loadPrivateDomains,
} = mod;
export const wasmPath = wasm;
export const tablePath = table;
export const keysPath = keys;
/** build/pkg/policy-keys.json: every setting's name, type, default and bounds (policy/keys.rs). */
export const policyKeys = JSON.parse(readFileSync(keys, "utf8"));
