// CcGuard: the options page's preview — what the core would do with four built-in sample
// messages under the settings being edited.

import { ready } from "./core.js";
import { plausibleVerdict } from "./shape.js";

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
