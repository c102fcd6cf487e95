// CcGuard: what the core hands back must have the contract's shape before the extension acts on
// it (docs/architecture.md): a verdict or a rewrite that is not one is treated as a failure.

import { isStringArray } from "./util.js";

/** A verdict of evaluate(). */
export function plausibleVerdict(verdict) {
  return (
    verdict !== null &&
    typeof verdict === "object" &&
    (verdict.action === "allow" || verdict.action === "warn") &&
    typeof verdict.blocked === "boolean" &&
    Number.isInteger(verdict.counts?.visible) &&
    Array.isArray(verdict.rules)
  );
}

/** A `{to, cc, bcc}` of moveToBcc() or moveExternalToBcc(). */
export function isRewrite(rewrite) {
  return isStringArray(rewrite?.to) && isStringArray(rewrite?.cc) && isStringArray(rewrite?.bcc);
}
