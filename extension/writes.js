// CcGuard: who writes what CcGuard stores. Each store (the user's settings, the known groups)
// is read whole and written back whole, so two writes at once undo each other: the options
// page forgetting a group while the background learns one from arriving mail would bring the
// forgotten group back. One queue in one place prevents that: the background makes every
// write, one after another, and the options page sends its writes there ("ccguard:write").
//
// If the background cannot be reached, or does not answer within ANSWER_MS, the page writes
// itself: a change the user made is never dropped, nor a button left waiting, for want of a queue.
// (Every write here may be made twice without harm: the same values, the same group.)

import { api, has, inTurns, withTimeout } from "./util.js";

const MESSAGE = "ccguard:write";
/** How long a page waits for the background's answer before it writes itself. */
export const ANSWER_MS = 10000;

/** name -> the function that writes, in the background's queue. */
const writers = Object.create(null);
const inTurn = inTurns();
let viaBackground = false;

/** Called by an extension page other than the background: its writes go to the background. */
export function sendWritesToBackground() {
  viaBackground = true;
}

/**
 * Registers the write `name` (unique; args and result must survive a runtime message) and
 * returns the function to call for it. It runs `write(...args)` in the queue, in the background
 * wherever it is called, and then `settled()` where it was called (to drop what that page had
 * read of the store, without waiting for storage.onChanged).
 */
export function storeWrite(name, write, settled = () => {}) {
  writers[name] = write;
  const here = (args) => inTurn(() => write(...args));
  return async (...args) => {
    try {
      return viaBackground ? await fromBackground(name, args, here) : await here(args);
    } finally {
      settled();
    }
  };
}

async function fromBackground(name, args, here) {
  let reply;
  try {
    const sent = api().runtime.sendMessage({ type: MESSAGE, name, args });
    reply = await withTimeout(sent, ANSWER_MS, "the background's answer");
  } catch (error) {
    console.warn(`CcGuard: the background could not take the write "${name}"; writing here:`, error);
    return here(args);
  }
  if (reply?.ok === true) return reply.result;
  if (reply?.ok === false) throw new Error(reply.error);
  return here(args); // nothing answered (no background listening)
}

/** runtime.onMessage in the background: makes a page's write. Undefined for other messages. */
export function handleWrite(message, sender) {
  if (message?.type !== MESSAGE || !has(writers, message.name)) return undefined;
  if (sender && sender.id !== undefined && sender.id !== api().runtime.id) return undefined;
  const args = Array.isArray(message.args) ? message.args : [];
  return inTurn(() => writers[message.name](...args)).then(
    (result) => ({ ok: true, result }),
    (error) => ({ ok: false, error: String(error?.message ?? error) }),
  );
}
