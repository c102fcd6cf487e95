// CcGuard "Send separately": the job's window content — progress ("12 of 25 sent"), what went,
// what did not and why, and the actions its state allows. Shown by the warning window once the
// user chose Send separately, and by job.html (a report, or a job found at start-up). Follows the
// job by polling the background once a second, which also keeps the MV3 background awake.
//
// Element ids are the contract with the e2e suite: #job-headline, #job-progress, #job-bar,
// #job-notes, #job-not-sent, #job-unconfirmed, #job-sent and the buttons of JOB_BUTTONS;
// document.body.dataset.job is the state shown ("sending", "paused", "finishing", "done",
// "cancelled", "incomplete", "interrupted", or "lost").

import { el, isolated } from "../util.js";
import { jobConnection } from "./protocol.js";

const POLL_MS = 1000;

/** action -> button id, in the order of the footer. */
export const JOB_BUTTONS = {
  "close-compose": "job-close-compose",
  discard: "job-discard",
  "back-to-edit": "job-back-to-edit",
  "keep-sent": "job-keep-sent",
  cancel: "job-cancel",
  pause: "job-pause",
  resume: "job-resume",
  retry: "job-retry",
  finish: "job-finish",
  close: "job-close",
};

const LABELS = {
  "close-compose": "jobCloseCompose",
  discard: "jobDiscard",
  "back-to-edit": "jobBackToEdit",
  "keep-sent": "jobKeepSent",
  cancel: "jobCancel",
  pause: "jobPause",
  resume: "jobResume",
  retry: "jobRetry",
  finish: "jobFinish",
  close: "jobClose",
};

/** The default action of each state: where focus goes when the state changes. */
const FOCUS = {
  sending: "cancel",
  paused: "resume",
  incomplete: "retry",
  interrupted: "finish",
  done: "close",
  cancelled: "close",
  lost: "close",
};

/** The actions `view` allows (besides close). */
function actionsOf(view, state) {
  const c = view.counts;
  const left = (c.planned ?? 0) + (c.failed ?? 0);
  switch (state) {
    case "sending":
      return ["cancel", "pause"];
    case "paused":
      return ["cancel", "resume"];
    case "incomplete":
      if (!view.held) return ["close"];
      return ["back-to-edit", ...(c.sent > 0 ? ["keep-sent"] : []), ...(left > 0 ? ["retry"] : [])];
    case "interrupted": {
      const canFinish = left > 0 && view.messageKept && view.attachmentsKept;
      return [...(view.composeOpen ? ["close-compose"] : []), "discard", "close", ...(canFinish ? ["finish"] : [])];
    }
    case "done":
    case "cancelled":
      return ["close"];
    default:
      return [];
  }
}

/**
 * Shows job `job` in `container` and follows it until the window closes. `words`: job-words.js.
 * `msg`: i18n for the button labels.
 */
export function followJob(container, { job, words, msg }) {
  const connection = jobConnection(job);
  const headline = el("h1", { id: "job-headline", class: "job-headline" });
  const progress = el("p", { id: "job-progress", class: "job-progress" });
  progress.setAttribute("role", "status");
  const bar = el("progress", { id: "job-bar", max: 1, value: 0 });
  const notes = el("div", { id: "job-notes", class: "job-notes" });
  const lists = el("div", { class: "job-lists" });
  const sections = {};
  for (const [key, id] of [["notSent", "job-not-sent"], ["unconfirmed", "job-unconfirmed"], ["sent", "job-sent"]]) {
    const heading = el("h2", { id: `${id}-heading` });
    const list = el("ul", { id, class: "job-list" });
    list.setAttribute("aria-labelledby", heading.id);
    const note = el("p", { class: "note", hidden: true });
    const section = el("section", { id: `${id}-section`, class: "job-section", hidden: true }, [heading, note, el("div", { class: "scroller" }, [list])]);
    sections[key] = { section, heading, list, note };
    lists.append(section);
  }
  const buttons = {};
  const footer = el("footer", { class: "buttons" });
  for (const [action, id] of Object.entries(JOB_BUTTONS)) {
    const button = el("button", { type: "button", id, hidden: true }, [msg(LABELS[action]) || action]);
    if (action === "finish" || action === "retry" || action === "close") button.className = "primary";
    button.addEventListener("click", () => (action === "close" ? window.close() : act(action)));
    buttons[action] = button;
    footer.append(button);
  }
  container.replaceChildren(headline, progress, bar, notes, lists, footer);
  container.hidden = false;

  let shown = null;
  let busy = false;
  let timer = null;

  function item(entry) {
    const li = el("li");
    li.dataset.status = entry.status;
    if (entry.kind === "colleagues") {
      li.dataset.kind = "colleagues";
      li.append(el("span", { class: "who-label" }, [words.colleagues]), " ");
    }
    const people = [...entry.to, ...entry.cc];
    people.forEach((mailbox, i) => {
      if (i > 0) li.append(", ");
      li.append(isolated(mailbox, "who"));
    });
    if (entry.status === "sending") li.append(" ", el("span", { class: "status" }, [words.sending]));
    if (entry.late) li.append(" ", el("span", { class: "status" }, [words.late]));
    if (entry.status === "failed" && entry.error) li.append(el("div", { class: "error" }, [isolated(entry.error, "error-text")]));
    return li;
  }

  function fill(key, entries, heading, note = "") {
    const { section, list } = sections[key];
    sections[key].heading.textContent = heading(entries.length);
    sections[key].note.textContent = note;
    sections[key].note.hidden = !note;
    list.replaceChildren(...entries.map(item));
    section.hidden = entries.length === 0;
  }

  function render(view) {
    const state = view ? words.shownState(view) : "lost";
    const changed = state !== shown;
    shown = state;
    document.body.dataset.job = state;
    if (!view) {
      headline.textContent = words.lost;
      progress.textContent = "";
      bar.hidden = true;
      notes.replaceChildren();
      for (const { section } of Object.values(sections)) section.hidden = true;
      for (const [action, button] of Object.entries(buttons)) button.hidden = action !== "close";
    } else {
      headline.textContent = words.headline(view);
      progress.textContent = words.progress(view);
      bar.max = Math.max(1, view.counts.total);
      bar.value = view.counts.sent;
      bar.hidden = false;
      notes.replaceChildren(...words.notes(view).map((text) => el("p", {}, [text])));
      const items = view.items;
      fill("notSent", items.filter((i) => ["planned", "failed", "sending"].includes(i.status)), words.notSentHeading);
      fill("unconfirmed", items.filter((i) => i.status === "unconfirmed"), words.unconfirmedHeading, words.unconfirmedNote);
      fill("sent", items.filter((i) => i.status === "sent"), words.sentHeading);
      const allowed = actionsOf(view, state);
      for (const [action, button] of Object.entries(buttons)) {
        button.hidden = !allowed.includes(action);
        button.disabled = busy;
      }
    }
    if (changed) {
      const target = buttons[FOCUS[state]];
      const first = Object.values(buttons).find((b) => !b.hidden);
      (target && !target.hidden ? target : first)?.focus({ preventScroll: true });
    }
  }

  async function act(action) {
    if (busy) return;
    busy = true;
    for (const button of Object.values(buttons)) button.disabled = true;
    const view = await connection.act(action);
    busy = false;
    // A discarded job is gone: there is nothing left to show.
    if (action === "discard" && view === null) {
      window.close();
      return;
    }
    if (view !== undefined) render(view);
    else render(null);
  }

  async function poll() {
    const view = await connection.poll();
    if (view === undefined) return; // the background is restarting: ask again
    if (!busy) render(view);
    // Over, and nothing on its way that could still change: no need to keep the background awake.
    const settled = view === null || (["done", "cancelled"].includes(view.state) && !view.items.some((i) => i.status === "sending"));
    if (settled && timer !== null) {
      clearInterval(timer);
      timer = null;
    }
  }

  timer = setInterval(poll, POLL_MS);
  poll();
  return { stop: () => timer !== null && clearInterval(timer) };
}
