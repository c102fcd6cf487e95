// CcGuard warning window: talking to the background (decisions.js).
//
// runtime.sendMessage, every message naming this window's decision `id` and its `windowId`
// (so that the background notices the window closing even before windows.create answered):
//   {type: "ccguard:get", id, windowId}        -> {ok: true, verdict} | {ok: false}
//   {type: "ccguard:keepalive", id, windowId}  -> {ok: true} while the decision is pending
//   {type: "ccguard:decide", id, windowId, choice} -> {ok: true | false}
//     choice: "move-to-bcc" | "move-external-to-bcc" | "send-anyway" | "remember-group" | "back-to-edit"
//   {type: "ccguard:decide", id, windowId, choice: "send-separately", colleagues: "original" | "nothing"}
//     -> {ok: true, job} (the job's id: the send stays held while it runs) | {ok: false, reason}
//   {type: "ccguard:allow", id, windowId}      -> {ok}: a tab of the main window asks for the
//     permissions of Send separately; the keep-alive's answer then carries `allow`
//     ("asking" | "granted" | "refused")
//   {type: "ccguard:job", job, action?}         -> {ok: true, job: view} (job-view.js)
//   {type: "ccguard:role", id, windowId, role}  -> {ok: true, sent: true} | {ok: true, verdict}
//     | {ok: false, reason}: the answer to "What do you use this address for?" (role: "personal" |
//     "organisation" | "sensitive"); the send went, or the window now shows the warning
// Closing the window without deciding means "back-to-edit" (the background handles it).
//
// The keep-alive: an MV3 background is an event page that Thunderbird suspends when idle. A
// send held by onBeforeSend must outlive any such pause, so the window pings every second
// while it waits; a ping answered {ok: false} means the background no longer knows this
// decision (it was restarted): the window then says so.

import { api } from "../util.js";

const KEEPALIVE_MS = 1000;

/**
 * The connection of the window for decision `id`; `onLost()` is called when a ping finds it gone,
 * `onPing(reply)` with every answer of a ping (where asking for permissions stands).
 */
export function connect(id, onLost, onPing = () => {}) {
  let windowId = null;
  let timer = null;

  const send = (message) => api().runtime.sendMessage({ ...message, id, windowId });

  async function ping() {
    try {
      const reply = await send({ type: "ccguard:keepalive" });
      if (reply && reply.ok === false && timer !== null) {
        stop();
        onLost();
      } else if (reply && timer !== null) {
        onPing(reply);
      }
    } catch (error) {
      // The background may be restarting; the next ping tries again.
    }
  }

  function stop() {
    if (timer !== null) {
      clearInterval(timer);
      timer = null;
    }
  }

  return {
    /** Starts the keep-alive pings (until stop() or a decision). */
    start() {
      stop();
      timer = setInterval(ping, KEEPALIVE_MS);
    },
    stop,
    /** The verdict to show (the background's window view), or null if there is none. */
    async get() {
      try {
        windowId = (await api().windows.getCurrent().catch(() => null))?.id ?? null;
        const reply = await send({ type: "ccguard:get" });
        return reply && reply.ok === true && reply.verdict && typeof reply.verdict === "object" ? reply.verdict : null;
      } catch (error) {
        console.error("CcGuard: could not reach the background:", error);
        return null;
      }
    },
    /**
     * Sends the decision. Resolves to "ok", "lost" (the background no longer knows this send)
     * or "unknown" (no answer: closing the window still means back to editing).
     */
    async decide(choice) {
      stop();
      try {
        const reply = await send({ type: "ccguard:decide", choice });
        return reply?.ok === false ? "lost" : "ok";
      } catch (error) {
        console.error("CcGuard: could not send the decision:", error);
        return "unknown";
      }
    },
    /** Chooses Send separately: {ok: true, job} or {ok: false, reason}. The pings go on until
     *  the job started (its window then follows the job, which keeps the background awake). */
    async sendSeparately(colleagues) {
      try {
        const reply = await send({ type: "ccguard:decide", choice: "send-separately", colleagues });
        return reply && typeof reply === "object" ? reply : { ok: false, reason: "unknown" };
      } catch (error) {
        console.error("CcGuard: could not choose Send separately:", error);
        return { ok: false, reason: "unknown" };
      }
    },
    /** Answers "What do you use this address for?": {ok: true, sent: true} (it went), {ok: true,
     *  verdict} (the warning to show now) or {ok: false, reason}. The pings go on meanwhile. */
    async answerRole(role) {
      try {
        const reply = await send({ type: "ccguard:role", role });
        return reply && typeof reply === "object" ? reply : { ok: false, reason: "unknown" };
      } catch (error) {
        console.error("CcGuard: could not send the answer:", error);
        return { ok: false, reason: "failed" };
      }
    },
    /** Asks the background to ask the user for the permissions of Send separately. */
    async askToAllow() {
      try {
        return (await send({ type: "ccguard:allow" }))?.ok === true;
      } catch (error) {
        return false;
      }
    },
  };
}

/**
 * Follows job `job` (Send separately): `poll()` answers its view, or null when the background no
 * longer knows it; `act(action)` does an action first. Each call also keeps the background awake.
 */
export function jobConnection(job) {
  async function call(action) {
    try {
      const reply = await api().runtime.sendMessage({ type: "ccguard:job", job, ...(action ? { action } : {}) });
      return reply?.ok === true && reply.job && typeof reply.job === "object" ? reply.job : null;
    } catch (error) {
      // The background may be restarting; the caller asks again.
      return undefined;
    }
  }
  return { poll: () => call(null), act: (action) => call(action) };
}
