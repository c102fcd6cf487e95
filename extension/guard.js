// CcGuard: the only module that touches the WASM core.
//
// The WASM package (wasm-bindgen --target web) is added to the XPI by build.sh as
// wasm/ccguard_wasm.js + wasm/ccguard_wasm_bg.wasm, with the table of consumer mailbox
// domains (wasm/private-domains.bin) that the core loads once. It is imported dynamically, not
// statically: a missing or broken package must not stop background.js from loading
// (that would let every message through unchecked); instead judge() reports a
// degraded verdict and the warning window opens in degraded mode.

import { listsOf } from "./lists.js";
import { ownAddresses } from "./identities.js";

/** Used when the WASM cannot tell us its default policy: the core's external threshold. */
export const FALLBACK_THRESHOLD = 10;

/** Fewer domains than this means the shipped table is broken, not short. */
const MIN_PRIVATE_DOMAINS = 1000;

/** How long a send may wait for the WASM to load before CcGuard falls back. */
const INIT_TIMEOUT_MS = 5000;

let wasmPromise = null;

/** Rejects after `ms` unless `promise` settles first. */
export function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function loadWasm() {
  const mod = await import("./wasm/ccguard_wasm.js");
  await mod.default({
    module_or_path: new URL("./wasm/ccguard_wasm_bg.wasm", import.meta.url),
  });
  const exports = [mod.evaluate, mod.defaultPolicy, mod.readPolicy, mod.loadPrivateDomains];
  if (!exports.every((f) => typeof f === "function")) {
    throw new Error("the CcGuard WASM package does not export evaluate/defaultPolicy/readPolicy/loadPrivateDomains");
  }
  const table = await fetch(new URL("./wasm/private-domains.bin", import.meta.url));
  if (!table.ok) {
    throw new Error(`the table of consumer mailbox domains is missing (${table.status})`);
  }
  const count = mod.loadPrivateDomains(new Uint8Array(await table.arrayBuffer()));
  if (count < MIN_PRIVATE_DOMAINS) {
    throw new Error(`the table of consumer mailbox domains holds only ${count} domains`);
  }
  return mod;
}

/**
 * The single, lazy initialisation of the WASM. Every caller awaits the same promise. A
 * failure is kept for the life of this background page: retrying a load that hung would make
 * every send wait again, and the page is restarted (and the load retried) when it idles out.
 */
export function ready() {
  if (!wasmPromise) {
    wasmPromise = withTimeout(loadWasm(), INIT_TIMEOUT_MS, "loading the CcGuard core");
    wasmPromise.catch((error) => console.error("CcGuard: the WASM core could not be loaded:", error));
  }
  return wasmPromise;
}

/** Starts loading the WASM without waiting (background start-up). Never throws. */
export function warmUp() {
  ready().catch(() => {});
}

function isValidThreshold(value) {
  return Number.isInteger(value) && value >= 0 && value <= 100000;
}

/** The core's default policy, or `{externalThreshold: 10}` when the WASM is unavailable. */
export async function defaults() {
  try {
    return (await ready()).defaultPolicy();
  } catch (error) {
    return { externalThreshold: FALLBACK_THRESHOLD };
  }
}

/** The threshold the degraded count uses: the external one (everyone counts there). */
function degradedThreshold(policy) {
  const t = policy?.externalThreshold ?? policy?.threshold;
  return isValidThreshold(t) ? t : FALLBACK_THRESHOLD;
}

/**
 * The policy in force for stored settings, read key by key by the core: a bad key keeps
 * its default and is listed in `rejected`. Without the core, only a valid external
 * threshold is kept.
 */
export async function effectivePolicy(settings) {
  try {
    return (await ready()).readPolicy(settings ?? {});
  } catch (error) {
    return { policy: { externalThreshold: degradedThreshold(settings) }, rejected: [] };
  }
}

function recipientList(value, field) {
  if (value === undefined || value === null) {
    return [];
  }
  const list = Array.isArray(value) ? value : [value];
  for (const entry of list) {
    if (typeof entry !== "string") {
      // A recipient we cannot hand to the core as text (e.g. a contact reference).
      // Rewriting the fields without it could lose it, so this message is judged degraded.
      throw new Error(`unexpected recipient in ${field}`);
    }
  }
  return list;
}

/**
 * The part of ComposeDetails the core needs: sender and recipients, nothing else, plus
 * what Thunderbird knows and the core cannot: the address-book lists named in the fields
 * (expanded only after the check) and the user's own addresses. Both lookups never throw.
 */
export async function messageOf(details) {
  const message = {
    from: typeof details?.from === "string" ? details.from : "",
    to: recipientList(details?.to, "to"),
    cc: recipientList(details?.cc, "cc"),
    bcc: recipientList(details?.bcc, "bcc"),
  };
  // Only pills without an address are looked up: an ordinary send makes no address-book
  // call. (A list whose description is an address is missed: see README, known limits.)
  const [lists, own] = await Promise.all([listsOf(message), ownAddresses()]);
  message.lists = lists;
  message.ownAddresses = own;
  return message;
}

function plausibleVerdict(verdict) {
  return (
    verdict &&
    typeof verdict === "object" &&
    (verdict.action === "allow" || verdict.action === "warn") &&
    verdict.counts &&
    Number.isInteger(verdict.counts.visible)
  );
}

/**
 * Counts the entries of a recipient field without the core. Thunderbird gives one pill per
 * entry; a pasted string holding several addresses counts once per comma, so the fallback
 * errs on the side of warning (a comma inside a quoted name only over-counts).
 */
function roughFieldCount(value) {
  const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  let total = 0;
  for (const entry of list) {
    total += typeof entry === "string" ? entry.split(",").filter((s) => s.trim() !== "").length : 1;
  }
  return total;
}

/**
 * The verdict when the core cannot judge: count To+Cc entries in JS and warn (degraded,
 * no Move to Bcc) when they reach the threshold, or 10 if the threshold is unknown.
 */
export function degradedVerdict(details, policy, error) {
  const threshold = degradedThreshold(policy);
  const to = roughFieldCount(details?.to);
  const cc = roughFieldCount(details?.cc);
  const bcc = roughFieldCount(details?.bcc);
  const visible = to + cc;
  const warn = threshold > 0 && visible >= threshold;
  return {
    action: warn ? "warn" : "allow",
    degraded: true,
    error: String(error?.message ?? error ?? "unknown error"),
    counts: { visible, to, cc, bcc },
    distinctDomains: null,
    domains: [],
    visible: [],
    rule: warn ? { id: "degraded-entry-count", threshold, reason: "" } : null,
    moveToBcc: null,
    problems: [],
  };
}

/**
 * The verdict for a message as compose.onBeforeSend gives it. Never throws: any failure
 * of the core gives a degraded verdict.
 */
export async function judge(details, policy) {
  try {
    const wasm = await ready();
    const verdict = wasm.evaluate(await messageOf(details), policy ?? undefined);
    if (!plausibleVerdict(verdict)) {
      throw new Error("evaluate() returned an unexpected value");
    }
    verdict.degraded = false;
    return verdict;
  } catch (error) {
    console.error("CcGuard: could not check the message, using the fallback count:", error);
    try {
      return degradedVerdict(details, policy, error);
    } catch (inner) {
      // Should be impossible; still never throw from here, and never allow unchecked.
      return {
        action: "warn",
        degraded: true,
        error: String(inner?.message ?? inner),
        counts: { visible: 0, to: 0, cc: 0, bcc: 0 },
        distinctDomains: null,
        domains: [],
        visible: [],
        rule: null,
        moveToBcc: null,
        problems: [],
      };
    }
  }
}

// -- the options page's preview -------------------------------------------------------------------

/** The organisation domain of the preview's sender when the settings name none. */
export const PREVIEW_DOMAIN = "your-organisation.example";

const CONSUMER_SAMPLE = ["gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "gmx.de", "web.de", "orange.fr", "icloud.com"];

function people(n, local, domainOf) {
  return Array.from({ length: n }, (_, i) => `${local}${i + 1}@${domainOf(i)}`);
}

/**
 * The built-in sample messages of the preview, sent from `domain`: `{id, to}` each. Their ids
 * are what the options page names them by.
 */
export function previewSamples(domain) {
  return [
    { id: "customers", to: people(30, "customer", (i) => CONSUMER_SAMPLE[i % CONSUMER_SAMPLE.length]) },
    { id: "colleagues", to: people(12, "colleague", () => domain) },
    { id: "meeting", to: people(4, "partner", (i) => `partner-${(i % 2) + 1}.example`) },
    { id: "companies", to: people(60, "contact", (i) => `company-${(i % 8) + 1}.example`) },
  ];
}

/** The preview sender's domain: the first internal domain of the policy, else PREVIEW_DOMAIN. */
export function previewDomain(policy) {
  const first = Array.isArray(policy?.internalDomains) ? policy.internalDomains[0] : undefined;
  const domain = typeof first === "string" ? first.trim().replace(/^@/, "").replace(/^\*\./, "") : "";
  return domain || PREVIEW_DOMAIN;
}

/**
 * What CcGuard would do with each sample message under `settings` (the settings being edited,
 * read by the core like the stored ones): `[{id, visible, warns, rule}]` with `rule` the first
 * (most serious) rule that fired, `{id, count, threshold}`, or null. Throws when the core is
 * unavailable: the page then says it cannot show a preview.
 */
export async function preview(settings) {
  const wasm = await ready();
  const { policy } = wasm.readPolicy(settings ?? {});
  const domain = previewDomain(policy);
  return previewSamples(domain).map(({ id, to }) => {
    const verdict = wasm.evaluate(
      { from: `You <you@${domain}>`, to, cc: [], bcc: [], lists: [], ownAddresses: [`you@${domain}`] },
      policy,
    );
    if (!plausibleVerdict(verdict)) {
      throw new Error("evaluate() returned an unexpected value");
    }
    const first = Array.isArray(verdict.rules) && verdict.rules.length > 0 ? verdict.rules[0] : null;
    return {
      id,
      visible: verdict.counts.visible,
      warns: verdict.action === "warn",
      rule: first ? { id: String(first.id), count: Number(first.count), threshold: Number(first.threshold) } : null,
    };
  });
}
