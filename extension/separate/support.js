// CcGuard "Send separately": whether this Thunderbird can send in the background, and whether the
// user let CcGuard do it (docs/thunderbird-background-send.md).
//
// Detected, never version-sniffed: permissions.contains() knows "messages.send" on Thunderbird 153
// and later (answers true or false) and throws a TypeError on 140, which does not know it.
// Thunderbird grants "messages.send" only alone, so the permissions come in two requests
// (allow.js): sending, then what the Sent record needs (saving the compose window as a draft and
// moving it into the Sent folder).

import { api } from "../util.js";

/** The first request: messages.sendMessage. Thunderbird refuses it together with anything else. */
export const SEND_PERMISSIONS = Object.freeze(["messages.send"]);
/** The second: compose.saveMessage and messages.move, for the Sent record (record.js). */
export const RECORD_PERMISSIONS = Object.freeze(["compose.save", "messagesMove"]);

let supported = null;

/** Whether Thunderbird has background sending at all. Asked once per life of the background. */
export async function backgroundSendSupported() {
  if (supported === null) {
    try {
      await api().permissions.contains({ permissions: [...SEND_PERMISSIONS] });
      supported = true;
    } catch (error) {
      supported = false;
    }
  }
  return supported;
}

/** Forgets what was detected (the unit tests swap Thunderbirds). */
export function forgetSupport() {
  supported = null;
}

/** Whether every permission Send separately needs has been granted. Never throws. */
export async function allowed() {
  try {
    const permissions = [...SEND_PERMISSIONS, ...RECORD_PERMISSIONS];
    return (await api().permissions.contains({ permissions })) === true && typeof api().messages?.sendMessage === "function";
  } catch (error) {
    return false;
  }
}

/**
 * Opens the page that asks for the permissions (allow.html) in a tab of Thunderbird's main window,
 * and brings that window to the front. Why not ask from the warning window itself: Thunderbird
 * shows the permission prompt of an add-on page in its main window, for the browser of the tab
 * selected there; with the mail tab selected that is often no browser at all, and then the prompt
 * never shows and the request never answers (seen on 153). From a tab of its own, it always shows.
 */
export async function openAllowTab(decisionId) {
  const [main] = await api().windows.getAll({ windowTypes: ["normal"] });
  const tab = await api().tabs.create({
    url: `separate/allow.html?id=${encodeURIComponent(decisionId)}`,
    ...(main ? { windowId: main.id } : {}),
  });
  if (main) {
    try {
      await api().windows.update(main.id, { focused: true });
    } catch (error) {
      // The prompt shows once the user goes to the main window.
    }
  }
  return tab?.id ?? null;
}
