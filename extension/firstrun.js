// CcGuard, on install: asks once what each sending address is used for, by opening the options
// page in a tab (it puts that question first while an address has no answer). Not when the
// organisation answered for the user (it set or locked `identities`), nor when every address
// already has an answer (settings kept from an earlier install).

import { sendingIdentities } from "./identities.js";
import { layer } from "./managed.js";
import { readLayers } from "./settings.js";
import { addressKey, api, isPlainObject } from "./util.js";

async function unansweredAddresses() {
  const { stored, managedSettings, base } = await readLayers();
  const layered = layer(stored, managedSettings, Object.keys(base));
  if (layered.locked.includes("identities")) return [];
  const answered = new Set(
    Object.entries(isPlainObject(layered.settings.identities) ? layered.settings.identities : {})
      .filter(([, settings]) => typeof settings?.role === "string")
      .map(([address]) => addressKey(address)),
  );
  return (await sendingIdentities()).map((i) => addressKey(i.email)).filter((e) => !answered.has(e));
}

/** Opens the options page in a tab. Installed while Thunderbird starts (side-loaded, or by an
 *  enterprise policy), this runs before the main window exists and fails: try again a while. */
async function openOptionsTab(attempts) {
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      await api().tabs.create({ url: api().runtime.getURL("options/options.html") });
      return;
    } catch (error) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

/** runtime.onInstalled: on a fresh install, the question. Never throws. */
export async function askOnInstall({ reason } = {}, attempts = 30) {
  if (reason !== "install") return;
  try {
    if ((await unansweredAddresses()).length > 0) await openOptionsTab(attempts);
  } catch (error) {
    console.warn("CcGuard: could not ask what your addresses are used for:", error);
  }
}
