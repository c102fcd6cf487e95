// Loads the WASM package exactly as build.sh ships it (wasm-bindgen --target web output),
// so these tests exercise the same bytes that go into the XPI.
import { readFileSync, existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { dirname, join } from "node:path";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const pkgDir = join(root, "build", "pkg");
const glue = join(pkgDir, "ccguard_wasm.js");
const wasm = join(pkgDir, "ccguard_wasm_bg.wasm");

if (!existsSync(glue) || !existsSync(wasm)) {
  throw new Error(`The WASM package is missing in ${pkgDir}: run ./build.sh first.`);
}

const table = join(pkgDir, "private-domains.bin");

const mod = await import(pathToFileURL(glue).href);
mod.initSync({ module: readFileSync(wasm) });
// What guard.js does at start-up: the consumer-domain table ships next to the .wasm.
export const privateDomainCount = mod.loadPrivateDomains(readFileSync(table));

export const { parseAddressList, evaluate, defaultPolicy, readPolicy, loadPrivateDomains } = mod;
export const wasmPath = wasm;
export const tablePath = table;
