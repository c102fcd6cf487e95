// CcGuard "Send separately": the sending loop. One copy at a time, paced, each one recorded
// before it starts and after it settled (job.js), so that nobody gets two copies:
//   - paced: a copy starts at most `perMinute` times a minute (Thunderbird itself spaces an
//     add-on's sends 125 ms apart; a provider's limit is lower);
//   - a copy that fails is retried once, unless Thunderbird's error names the recipient (the
//     server refused them: a second try only shows the same alert again);
//   - a copy whose send does not settle within `copyTimeoutMs` is "unconfirmed" (Thunderbird
//     may be showing a modal alert, or the server stopped answering): it is never sent again by
//     CcGuard, and the loop stops so that the user decides. Should it settle later, the record
//     follows (sent or failed);
//   - a record that cannot be written stops the loop before the next send.
// Pause and cancel take effect before the next copy starts; a copy already on its way is
// recorded when it settles.

import { within } from "../util.js";

/** Long enough for Thunderbird's own SMTP timeout (mailnews.tcptimeout, 100 s) to answer first. */
export const COPY_TIMEOUT_MS = 150000;
/** The wait before the one retry of a failed copy. */
export const RETRY_DELAY_MS = 5000;

/** What a run ended with. */
export const OUTCOMES = Object.freeze(["done", "incomplete", "cancelled"]);

const TIMED_OUT = Symbol("timed out");

function message(error) {
  const text = typeof error?.message === "string" ? error.message : String(error ?? "");
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

export class Runner {
  /**
   * `job`: the job record ({perMinute, items: [{status, attempts, error, addresses}]}), changed in
   * place. `deps`: `sendCopy(item)` (a Promise: messages.sendMessage), `save(job)` (a Promise:
   * job.js), `changed()` (optional: something to show), `copyTimeoutMs`, `retryDelayMs`, `now()`.
   */
  constructor(job, deps) {
    this.job = job;
    this.sendCopy = deps.sendCopy;
    this.save = deps.save;
    this.changed = deps.changed ?? (() => {});
    this.copyTimeoutMs = deps.copyTimeoutMs ?? COPY_TIMEOUT_MS;
    this.retryDelayMs = deps.retryDelayMs ?? RETRY_DELAY_MS;
    this.now = deps.now ?? (() => Date.now());
    this.paused = false;
    this.cancelled = false;
    this.lastStart = null;
    this.wake = null;
    /** Why the last run stopped early: "unconfirmed" or "storage", else null. */
    this.stoppedBy = null;
  }

  /** Milliseconds between the starts of two copies. */
  get interval() {
    return 60000 / Math.max(1, this.job.perMinute);
  }

  pause() {
    this.paused = true;
    this.changed();
  }

  resume() {
    this.paused = false;
    this.interrupt();
    this.changed();
  }

  cancel() {
    this.cancelled = true;
    this.interrupt();
    this.changed();
  }

  interrupt() {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  /** Waits `ms` or until pause/resume/cancel interrupts; resolves either way. */
  sleep(ms) {
    return new Promise((resolve) => {
      const timer = setTimeout(done, Math.max(0, ms));
      const self = this;
      function done() {
        clearTimeout(timer);
        if (self.wake === done) self.wake = null;
        resolve();
      }
      this.wake = done;
    });
  }

  /** Sends every planned item. Resolves with an outcome of OUTCOMES; never rejects. */
  async run() {
    this.stoppedBy = null;
    for (;;) {
      while (this.paused && !this.cancelled) await this.sleep(60000);
      if (this.cancelled) return "cancelled";
      const item = this.job.items.find((i) => i.status === "planned");
      if (!item) break;
      const wait = this.lastStart === null ? 0 : this.lastStart + this.interval - this.now();
      if (wait > 0) {
        await this.sleep(wait);
        continue; // paused or cancelled meanwhile? look again
      }
      const result = await this.attempt(item);
      if (result === "unconfirmed" || result === "storage") {
        this.stoppedBy = result;
        break;
      }
    }
    if (this.cancelled) return "cancelled";
    return this.job.items.every((i) => i.status === "sent") ? "done" : "incomplete";
  }

  /** Records, then sends; returns "sent", "failed", "unconfirmed" or "storage". */
  async attempt(item) {
    for (;;) {
      item.status = "sending";
      item.attempts += 1;
      item.error = null;
      try {
        await this.save(this.job);
      } catch (error) {
        // Not recorded, so not sent.
        item.status = item.attempts > 1 ? "failed" : "planned";
        item.attempts -= 1;
        console.error("CcGuard: could not record the copy before sending it, stopping:", error);
        return "storage";
      }
      if (this.cancelled) {
        // Cancelled while the record was written: it does not go.
        item.status = item.attempts > 1 ? "failed" : "planned";
        item.attempts -= 1;
        return (await this.record()) ? "failed" : "storage";
      }
      this.lastStart = this.now();
      this.changed();
      const sending = Promise.resolve().then(() => this.sendCopy(item));
      const result = await this.settleWithin(sending);
      if (result === TIMED_OUT) {
        item.status = "unconfirmed";
        this.followLate(item, sending);
        return (await this.record()) ? "unconfirmed" : "storage";
      }
      if (result.ok) {
        item.status = "sent";
        item.messageId = typeof result.value?.headerMessageId === "string" ? result.value.headerMessageId : null;
        return (await this.record()) ? "sent" : "storage";
      }
      item.status = "failed";
      item.error = message(result.error);
      if (!(await this.record())) return "storage";
      if (item.attempts > 1 || this.refused(item, result.error) || this.cancelled) return "failed";
      await this.sleep(Math.max(this.retryDelayMs, this.interval));
      if (this.cancelled) return "failed";
      while (this.paused && !this.cancelled) await this.sleep(60000);
      if (this.cancelled) return "failed";
    }
  }

  /** Whether Thunderbird's error names one of the item's recipients: the server refused them. */
  refused(item, error) {
    const text = message(error).toLowerCase();
    return (item.addresses ?? []).some((address) => address && text.includes(address.toLowerCase()));
  }

  /** {ok: true, value} | {ok: false, error} | TIMED_OUT. */
  settleWithin(promise) {
    const settled = promise.then(
      (value) => ({ ok: true, value }),
      (error) => ({ ok: false, error }),
    );
    return within(settled, this.copyTimeoutMs, () => TIMED_OUT);
  }

  /** An unconfirmed copy that settles after all: the record follows, nothing is sent again. */
  followLate(item, sending) {
    sending.then(
      (value) => {
        item.status = "sent";
        item.messageId = typeof value?.headerMessageId === "string" ? value.headerMessageId : null;
        item.late = true;
      },
      (error) => {
        item.status = "failed";
        item.error = message(error);
        item.late = true;
      },
    ).then(() => this.record()).then(() => this.changed());
  }

  /** Writes the job; false (logged) when it cannot be written. */
  async record() {
    try {
      await this.save(this.job);
      this.changed();
      return true;
    } catch (error) {
      console.error("CcGuard: could not record a copy's outcome, stopping:", error);
      this.changed();
      return false;
    }
  }
}
