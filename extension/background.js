// CcGuard background (MV3 event page, ES module). Wires events only; the logic lives in
// decisions.js (held sends), guard.js (judging a send) and settings.js (the policy).
//
// Listeners are added synchronously at the top level so that Thunderbird registers them
// as persistent listeners and wakes this page for them.

import { whenIdle } from "./activity.js";
import { warmUp } from "./core.js";
import { handleMessage, handleWindowRemoved, review } from "./decisions.js";
import { askOnInstall } from "./firstrun.js";
import { learnFromNewMail } from "./learning.js";
import { eraseWhatThePolicyForbids } from "./retention.js";
import { recoverJobs } from "./separate/recovery.js";
import { api } from "./util.js";
import { handleWrite } from "./writes.js";

api().compose.onBeforeSend.addListener((tab, details) => review(tab, details));

// Messages of the warning windows (decisions.js), and the options page's writes of the settings
// and the known groups, made here in the queue of this page's own writes (learning from
// arriving mail) so that neither undoes the other (writes.js).
api().runtime.onMessage.addListener((message, sender) => handleWrite(message, sender) ?? handleMessage(message, sender));

api().windows.onRemoved.addListener((windowId) => handleWindowRemoved(windowId));

// Groups of people who already see each other, learned from the headers of mail as it arrives
// (learning.js; permissions messagesRead and accountsRead). Never holds a send.
api().messages?.onNewMailReceived?.addListener((folder, messages) => learnFromNewMail(folder, messages));

// On install, CcGuard asks once what each sending address is used for (firstrun.js).
api().runtime.onInstalled.addListener((details) => askOnInstall(details));

// An update reloads the extension, which would drop a send being checked or held and lock its
// compose window for good: apply it only once every review has answered (activity.js).
api().runtime.onUpdateAvailable.addListener(() => whenIdle(() => api().runtime.reload()));

// Send separately: a job the last life of this page left unfinished (Thunderbird quit, or the page
// was stopped mid-way) is shown in a window that says what was sent and what was not
// (separate/recovery.js). Thunderbird starts an event page when it starts only if it listens for
// runtime.onStartup, and only a listener added here, at the top level, is still known at the
// next start (one added later, while a job ran, was gone after a restart: seen on 153).
api().runtime.onStartup.addListener(() => {});
recoverJobs();

// Load the WASM now, so that the first send does not pay for it.
warmUp();

// Groups an organisation's policy switched off are erased, not just left unused (retention.js).
eraseWhatThePolicyForbids();
