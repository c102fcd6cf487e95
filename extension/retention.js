// CcGuard: what an organisation's policy says must not be kept. An admin who switches learning
// from received mail (`learnGroups`) or "They know each other" (`rememberGroups`) off cannot reach
// each desktop's options page to press Forget, so CcGuard erases those groups itself, at each
// start, for as long as the policy says so. A user who switches them off keeps their groups: the
// options page has Forget for that.

import { forgetGroupsFrom } from "./groups.js";
import { effectivePolicy } from "./guard.js";
import { layer } from "./managed.js";
import { readLayers } from "./settings.js";

/** Each switch, and the groups it governs (groups.js `source`). */
const SWITCHES = { learnGroups: "received", rememberGroups: "user" };

/** Erases the groups a managed switch set to false forbids. Resolves to how many; never throws. */
export async function eraseWhatThePolicyForbids() {
  let erased = 0;
  try {
    const { stored, managedSettings, base } = await readLayers();
    const { settings, managed } = layer(stored, managedSettings, Object.keys(base));
    // Read by the core, so that 0 from a Windows GPO is false and a malformed value erases nothing.
    const { policy } = await effectivePolicy(settings);
    for (const [key, source] of Object.entries(SWITCHES)) {
      if (!managed.includes(key) || policy?.[key] !== false) continue;
      const n = await forgetGroupsFrom(source);
      if (n > 0) console.info(`CcGuard: erased ${n} groups (${source}): the organisation's policy sets ${key} to false`);
      erased += n;
    }
  } catch (error) {
    console.error("CcGuard: could not apply the organisation's retention of groups:", error);
  }
  return erased;
}
