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

const mod = await import(pathToFileURL(glue).href);
mod.initSync({ module: readFileSync(wasm) });

export const { parseAddressList, evaluate, defaultPolicy, readPolicy } = mod;
export const wasmPath = wasm;
