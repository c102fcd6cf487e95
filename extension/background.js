// CcGuard background (MV3 event page, ES module). Wires events only; the logic lives in
// decisions.js (held sends), guard.js (the WASM core) and settings.js (the policy).
//
// Listeners are added synchronously at the top level so that Thunderbird registers them
// as persistent listeners and wakes this page for them.

import { review, handleMessage, handleWindowRemoved, whenIdle } from "./decisions.js";
import { warmUp } from "./guard.js";

const api = globalThis.messenger ?? globalThis.browser;

api.compose.onBeforeSend.addListener((tab, details) => review(tab, details));

api.runtime.onMessage.addListener((message, sender) => handleMessage(message, sender));

api.windows.onRemoved.addListener((windowId) => handleWindowRemoved(windowId));

// An update reloads the extension, which would drop a held send and lock its compose window
// for good: apply it only once no send is waiting for an answer.
api.runtime.onUpdateAvailable.addListener(() => whenIdle(() => api.runtime.reload()));

// Load the WASM now, so that the first send does not pay for it.
warmUp();
