// CcGuard: what build.sh ships under wasm/ — the WASM core (with its consumer-domain table) and
// the policy's key table — loaded here and nowhere else.
//
// The package is imported dynamically, not statically: a missing or broken package must not stop
// background.js from loading (that would let every message through unchecked); instead the
// callers get a rejection with a `code` and judge the send in degraded mode.

import { withTimeout } from "./util.js";

/** How long a send may wait for the WASM to load before CcGuard falls back. */
const INIT_TIMEOUT_MS = 5000;

/** The functions CcGuard calls; a package without one of them is not the one it was built with. */
const EXPORTS = [
  "evaluate",
  "moveToBcc",
  "moveExternalToBcc",
  "visibleAddresses",
  "receivedGroup",
  "separately",
  "defaultPolicy",
  "readPolicy",
  "loadPrivateDomains",
];

/**
 * Last resort when even wasm/policy-keys.json cannot be read (the XPI is badly damaged): the
 * threshold keys under their documented names (docs/policy.md), each rule warning from 2
 * people — almost every message with several recipients — and no hard limit we could invent.
 */
export const LAST_RESORT_KEYS = Object.freeze({
  keys: Object.freeze(
    [
      ["privateThreshold", 2],
      ["externalThreshold", 2],
      ["organisationThreshold", 2],
      ["colleagueThreshold", 2],
      ["audienceThreshold", 2],
      ["hardLimit", 0],
    ].map(([name, def]) => Object.freeze({ name, type: "threshold", default: def, max: 100000, perIdentity: true })),
  ),
  identityKeys: Object.freeze([]),
});

/**
 * The glue for instance number `instance`. The wasm-bindgen glue keeps its instance in module
 * state, so a fresh instance needs a fresh module record, which only a new URL gives; each URL is
 * written out because the add-on linter rightly refuses import() of a computed one. After three
 * traps in one life of the background page, its sends stay degraded until the page restarts.
 */
function importGlue(instance) {
  switch (instance) {
    case 0:
      return import("./wasm/ccguard_wasm.js");
    case 1:
      return import("./wasm/ccguard_wasm.js?instance=1");
    case 2:
      return import("./wasm/ccguard_wasm.js?instance=2");
    case 3:
      return import("./wasm/ccguard_wasm.js?instance=3");
    default:
      return Promise.reject(coded(new Error(`the WASM core trapped ${instance} times: no fresh instance is left`), "wasm-crash"));
  }
}

/** The files of the installed XPI. */
const fromXpi = {
  async wasm(instance) {
    const mod = await importGlue(instance);
    await mod.default({ module_or_path: new URL("./wasm/ccguard_wasm_bg.wasm", import.meta.url) });
    return mod;
  },
  async table() {
    return new Uint8Array(await fetchOk("./wasm/private-domains.bin").then((r) => r.arrayBuffer()));
  },
  async policyKeys() {
    return (await fetchOk("./wasm/policy-keys.json")).json();
  },
};

async function fetchOk(path) {
  const response = await fetch(new URL(path, import.meta.url));
  if (!response.ok) throw new Error(`${path} is missing (${response.status})`);
  return response;
}

let files = fromXpi;
let instances = 0; // how many instances were asked for: the next one's number
let current = null; // {number, promise} of the instance in use
let keysPromise = null;

/** Reads the artefacts through `overrides` ({wasm, table, policyKeys}, each optional) from now
 *  on, forgetting what was loaded: the Node tests hand in the package they built. */
export function useFiles(overrides) {
  files = { ...fromXpi, ...overrides };
  instances = 0;
  current = null;
  keysPromise = null;
}

/** `error` with `code` set (kept if it has one already). */
export function coded(error, code) {
  const e = error instanceof Error ? error : new Error(String(error));
  if (typeof e.code !== "string") {
    try {
      e.code = code;
    } catch (ignored) {
      return Object.assign(new Error(e.message), { code });
    }
  }
  return e;
}

function isTrap(error) {
  return typeof WebAssembly !== "undefined" && error instanceof WebAssembly.RuntimeError;
}

/** The exports, each of which forgets this instance when it traps: a Rust panic aborts, and
 *  an instance that trapped may hold a poisoned state (a borrow never released, a leaked stack). */
function guarded(mod, number) {
  const core = {};
  for (const name of EXPORTS) {
    core[name] = (...args) => {
      try {
        return mod[name](...args);
      } catch (error) {
        if (!isTrap(error)) throw error;
        if (current?.number === number) current = null;
        throw coded(error, "wasm-crash");
      }
    };
  }
  return Object.freeze(core);
}

async function load(number) {
  try {
    const mod = await files.wasm(number);
    if (!EXPORTS.every((name) => typeof mod?.[name] === "function")) {
      throw new Error(`the CcGuard WASM package does not export ${EXPORTS.join("/")}`);
    }
    // A damaged table is refused by the core with its table-* code, which coded() keeps.
    mod.loadPrivateDomains(await files.table());
    return guarded(mod, number);
  } catch (error) {
    throw coded(error, isTrap(error) ? "wasm-crash" : "wasm-load");
  }
}

/**
 * The WASM core, loaded once and shared by every caller. A failed load is kept for the life of
 * this background page (retrying a load that hung would make every send wait again; the page
 * restarts when it idles out); an instance that trapped is dropped, and the next call loads a
 * fresh one. Rejects with an Error whose `code` says why (wasm-load, wasm-crash, table-*, timeout).
 */
export function ready() {
  if (!current) {
    const number = instances++;
    const promise = withTimeout(load(number), INIT_TIMEOUT_MS, "loading the CcGuard core").catch((error) => {
      throw coded(error, "timeout"); // every error of load() has its code: this is withTimeout's
    });
    promise.catch((error) => console.error("CcGuard: the WASM core could not be loaded:", error));
    current = { number, promise };
  }
  return current.promise;
}

/** Starts loading the WASM without waiting (background start-up). Never throws. */
export function warmUp() {
  ready().catch(() => {});
}

function isKeyTable(value) {
  return Array.isArray(value?.keys) && value.keys.every((k) => typeof k?.name === "string" && typeof k?.type === "string");
}

/**
 * The policy's keys as build.sh wrote them from the core's table (wasm/policy-keys.json, shape in
 * docs/architecture.md), read once; it does not need the WASM. Rejects when it cannot be read,
 * and then tries again on the next call.
 */
export function policyKeys() {
  if (!keysPromise) {
    keysPromise = (async () => {
      const table = await files.policyKeys();
      if (!isKeyTable(table)) throw new Error("wasm/policy-keys.json is not a table of keys");
      return table;
    })();
    keysPromise.catch(() => {
      keysPromise = null;
    });
  }
  return keysPromise;
}

/** The default of every key of a key table, the way the core's defaultPolicy() writes it. */
export function defaultsOf(table) {
  const out = {};
  for (const key of table.keys) {
    if (key.type === "list") out[key.name] = [];
    else if (key.type === "identities") out[key.name] = {};
    else if ("default" in key) out[key.name] = key.default;
  }
  return out;
}

/** The default policy: the core's, else the key table's, else the last resort. Never throws. */
export async function defaults() {
  try {
    return (await ready()).defaultPolicy();
  } catch (error) {
    try {
      return defaultsOf(await policyKeys());
    } catch (inner) {
      return defaultsOf(LAST_RESORT_KEYS);
    }
  }
}
