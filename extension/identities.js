// CcGuard: the user's own addresses (every identity of every account), which are never counted
// as recipients. Needs the "accountsRead" permission. messenger.identities.list() without an
// account id lists the identities of all accounts (seen on Thunderbird 140 and 153); if that
// namespace is missing, accounts.list() is read instead.

import { addressKey, api, withTimeout } from "./util.js";

/** How long a result is reused, so that a burst of sends does not query again. */
export const CACHE_MS = 30000;
/** A query that takes longer counts as failed. */
const QUERY_TIMEOUT_MS = 2000;

let cached = null; // {at: number, addresses: string[]}
let inFlight = null; // Promise<string[] | null> of the query under way

/** Every sending identity of every account: `[{name, email}]`, each address once (any case). */
export async function sendingIdentities() {
  const messenger = api();
  let identities;
  if (typeof messenger?.identities?.list === "function") {
    identities = await messenger.identities.list();
  } else {
    const accounts = await messenger.accounts.list(false);
    identities = (accounts ?? []).flatMap((account) => account?.identities ?? []);
  }
  const out = [];
  for (const identity of identities ?? []) {
    const email = typeof identity?.email === "string" ? identity.email.trim() : "";
    if (email && !out.some((o) => o.email.toLowerCase() === email.toLowerCase())) {
      out.push({ name: typeof identity.name === "string" ? identity.name : "", email });
    }
  }
  return out;
}

async function query() {
  return (await sendingIdentities()).map((identity) => addressKey(identity.email));
}

/**
 * Lower-case e-mail addresses of all identities of all accounts, without duplicates. Never
 * throws: on any error (no permission, API failure, timeout) it returns []. A successful
 * answer is reused for CACHE_MS; concurrent callers share one query.
 *
 * @returns {Promise<string[]>}
 */
export async function ownAddresses() {
  const now = Date.now();
  if (cached && now - cached.at >= 0 && now - cached.at < CACHE_MS) {
    return [...cached.addresses];
  }
  if (!inFlight) {
    inFlight = (async () => {
      try {
        const addresses = await withTimeout(query(), QUERY_TIMEOUT_MS, "listing identities");
        cached = { at: Date.now(), addresses };
        return addresses;
      } catch (error) {
        console.error("CcGuard: could not list the user's identities:", error);
        return null;
      } finally {
        inFlight = null;
      }
    })();
  }
  const addresses = await inFlight;
  return addresses ? [...addresses] : [];
}

/** Drops the cached answer (tests; or when identities are known to have changed). */
export function forgetOwnAddresses() {
  cached = null;
}
