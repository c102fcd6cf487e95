// Shared by the unit tests of the send path: a stub `messenger` (what Thunderbird's MailExtension
// APIs return, as far as CcGuard uses them) and the WASM package built by ./build.sh, handed to
// extension/core.js the way the XPI would give it.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const pkg = join(root, "build", "pkg");
const files = {
  glue: join(pkg, "ccguard_wasm.js"),
  wasm: join(pkg, "ccguard_wasm_bg.wasm"),
  table: join(pkg, "private-domains.bin"),
  keys: join(pkg, "policy-keys.json"),
};
for (const path of Object.values(files)) {
  if (!existsSync(path)) throw new Error(`${path} is missing: run ./build.sh first.`);
}
const wasmBytes = readFileSync(files.wasm);
const tableBytes = readFileSync(files.table);
export const KEYS = JSON.parse(readFileSync(files.keys, "utf8"));

/** What CcGuard logged: the failures these tests provoke on purpose would bury the test output.
 *  CCGUARD_TEST_LOG=1 shows them. */
export const logged = [];
if (!process.env.CCGUARD_TEST_LOG) {
  for (const level of ["error", "warn"]) console[level] = (...args) => logged.push([level, ...args]);
}

let modules = 0;
/** Window ids are never reused across tests: decisions.js remembers recently removed ones. */
let nextWindowId = 100;

/** A fresh module record of the glue with its own instance of `bytes` (the built .wasm). */
async function freshModule(bytes = wasmBytes) {
  const mod = await import(`${pathToFileURL(files.glue).href}?module=${++modules}`);
  mod.initSync({ module: bytes });
  return mod;
}

/**
 * Files for core.useFiles: the built package, table and key table, each replaceable. `log.wasm`
 * records the instance number of every load. `wrap(mod, instance)` may replace exports.
 */
export function builtFiles({ wrap, table, policyKeys, log = { wasm: [], keys: 0 } } = {}) {
  return {
    log,
    files: {
      async wasm(instance) {
        log.wasm.push(instance);
        const mod = await freshModule();
        return wrap ? wrap(mod, instance) : mod;
      },
      table: table ?? (async () => new Uint8Array(tableBytes)),
      policyKeys: policyKeys ?? (async () => {
        log.keys += 1;
        return structuredClone(KEYS);
      }),
    },
  };
}

/** The package with garbage in place of the .wasm, as tests/e2e/test_degraded.py ships it. */
export function brokenWasmFiles(options = {}) {
  const built = builtFiles(options);
  built.files.wasm = async (instance) => {
    built.log.wasm.push(instance);
    return freshModule(Buffer.from("\0asm-this-is-not-wasm"));
  };
  return built;
}

/** The table with one flipped bit. */
export function damagedTable() {
  const bytes = new Uint8Array(tableBytes);
  bytes[100] ^= 4;
  return bytes;
}

/** A Promise with its resolve/reject outside. */
export function deferred() {
  let resolve;
  let reject;
  const promise = new Promise((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

export const tick = () => new Promise((resolve) => setImmediate(resolve));
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export const SENDER = "Ann <ann@shop.example>";
export const SENDER_EMAIL = "ann@shop.example";

/** `n` private customers on consumer mailbox domains. */
export function customers(n, prefix = "customer") {
  const domains = ["gmail.com", "yahoo.com", "gmx.de", "outlook.com", "web.de", "orange.fr", "hotmail.com"];
  return Array.from({ length: n }, (_, i) => `Customer ${i + 1} <${prefix}${i + 1}@${domains[i % domains.length]}>`);
}

/**
 * Installs a stub `messenger` on globalThis and returns it. `state.stored` / `state.managed` are
 * the user's and the admin's settings (managed undefined: no enterprise policy, get() rejects as
 * Thunderbird does); `state.localGet`, when set, is awaited by storage.local.get (a slow read).
 * Every window call is recorded in `calls`; `listeners` holds what background.js registered.
 */
export function installMessenger(initial = {}) {
  const state = { stored: undefined, managed: undefined, localGet: null, createFails: false, ...initial };
  const calls = { created: [], removed: [], focused: [], reload: 0 };
  const listeners = {};
  const open = new Set();
  const event = (name) => ({
    addListener(fn) {
      listeners[name] = fn;
    },
  });
  const messenger = {
    state,
    calls,
    listeners,
    open,
    runtime: {
      id: "ccguard@ccguard.org",
      reload() {
        calls.reload += 1;
      },
      onMessage: event("onMessage"),
      onUpdateAvailable: event("onUpdateAvailable"),
      onInstalled: event("onInstalled"),
      async openOptionsPage() {
        calls.optionsOpened = (calls.optionsOpened ?? 0) + 1;
      },
    },
    compose: { onBeforeSend: event("onBeforeSend") },
    messages: { onNewMailReceived: event("onNewMailReceived") },
    windows: {
      onRemoved: event("onRemoved"),
      async create(options) {
        if (state.createFails) throw new Error("could not create the window");
        const id = nextWindowId++;
        open.add(id);
        calls.created.push({ id, url: options.url, options });
        return { id, type: "popup" };
      },
      async get(id) {
        if (!open.has(id)) throw new Error(`Invalid window ID: ${id}`);
        return { id };
      },
      async update(id, props) {
        if (props?.focused) calls.focused.push(id);
        return { id };
      },
      async remove(id) {
        calls.removed.push(id);
        open.delete(id);
      },
    },
    storage: {
      local: {
        async get(key) {
          if (state.localGet) await state.localGet;
          return state.stored === undefined ? {} : { [key]: structuredClone(state.stored) };
        },
        async set(values) {
          state.stored = structuredClone(values.policy);
        },
      },
      managed: {
        async get() {
          if (state.managed === undefined) throw new Error("Managed storage manifest not found");
          return structuredClone(state.managed);
        },
      },
    },
    identities: {
      async list() {
        return [{ id: "id1", accountId: "account1", email: SENDER_EMAIL, name: "Ann" }];
      },
    },
    addressBooks: {
      async list() {
        return [];
      },
      mailingLists: {
        async list() {
          return [];
        },
        async listMembers() {
          return [];
        },
      },
    },
    i18n: { getMessage: () => "" },
  };
  globalThis.messenger = messenger;
  return messenger;
}

/** The decision id in the URL of the warning window created `index`-th. */
export function decisionId(messenger, index = -1) {
  const created = messenger.calls.created.at(index);
  assert.ok(created, "no warning window was created");
  return new URL(created.url, "moz-extension://x/").searchParams.get("id");
}

/** Waits (event-loop turns, at most `ms`) until `predicate()` holds. */
export async function until(predicate, what, ms = 5000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (predicate()) return;
    await tick();
  }
  assert.fail(`timed out waiting for ${what}`);
}
