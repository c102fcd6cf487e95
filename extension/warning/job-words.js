// CcGuard "Send separately": every sentence of the offer in the warning window and of the job's
// progress (job-view.js), in the user's language, from the job's state and counts. Names and
// addresses are outside text: the view shows them on their own, isolated, never inside these
// sentences.

import { makePlural } from "./plural.js";
import { has } from "../util.js";

/** The headline of a job, by state. */
const HEADLINES = {
  sending: "jobHeadlineSending",
  paused: "jobHeadlinePaused",
  finishing: "jobHeadlineFinishing",
  done: "jobHeadlineDone",
  cancelled: "jobHeadlineCancelled",
  incomplete: "jobHeadlineIncomplete",
  interrupted: "jobHeadlineInterrupted",
};

/** What the record in the Sent folder came to (separate/record.js), by status. */
const RECORDS = {
  kept: "jobRecordKept",
  copies: "jobRecordCopies",
  trash: "jobRecordTrash",
  none: "jobRecordNone",
  failed: "jobRecordFailed",
};

/** The words for `language`, reading messages through `msg(key, substitutions)`. */
export function makeJobWords(msg, language) {
  const plural = makePlural(msg, language);
  let numbers;
  try {
    numbers = new Intl.NumberFormat(language);
  } catch (error) {
    numbers = new Intl.NumberFormat("en");
  }
  const fmt = (n) => numbers.format(n);
  /** A message whose key was chosen from the tables above or the literals below. */
  const say = (key) => msg(key);

  /** The state a window shows: "paused" is a sending job that waits. */
  function shownState(view) {
    return view.state === "sending" && view.paused ? "paused" : view.state;
  }

  /** The notes under the progress of `view`, in order ("" left out). */
  function notes(view) {
    const c = view.counts;
    const left = (c.planned ?? 0) + (c.failed ?? 0);
    const out = [];
    switch (shownState(view)) {
      case "sending":
        out.push(msg("jobNoteSending"));
        break;
      case "paused":
        out.push(msg("jobNotePaused"));
        break;
      case "cancelled":
        out.push(msg("jobNoteCancelled"));
        break;
      case "incomplete":
        if (view.stoppedBy === "unconfirmed") out.push(msg("jobNoteStoppedUnconfirmed"));
        if (view.stoppedBy === "storage") out.push(msg("jobNoteStoppedStorage"));
        out.push(say(left > 0 ? "jobNoteIncomplete" : "jobNoteIncompleteNothingLeft"));
        break;
      case "interrupted":
        out.push(msg("jobNoteInterrupted"));
        if (left === 0) out.push(msg("jobNoteNothingLeft"));
        else if (!view.messageKept) out.push(msg("jobNoteCannotFinishMessage"));
        else if (!view.attachmentsKept) out.push(msg("jobNoteCannotFinishAttachments"));
        else out.push(plural("jobNoteCanFinish", left, [fmt(left)]));
        if (view.composeOpen) out.push(msg("jobNoteComposeOpen"));
        break;
      case "done":
      case "finishing":
        if (view.record) {
          const inDrafts = view.record.status === "failed" && view.record.where === "drafts";
          out.push(inDrafts ? msg("jobRecordFailedDrafts") : say(has(RECORDS, view.record.status) ? RECORDS[view.record.status] : "jobRecordFailed"));
        }
        if (view.composeKept) out.push(msg("jobNoteComposeKept"));
        else if (view.composeClosed === false) out.push(msg("jobNoteComposeNotClosed"));
        break;
      default:
        break;
    }
    return out.filter(Boolean);
  }

  return {
    fmt,
    shownState,
    notes,
    headline: (view) => {
      const state = shownState(view);
      return say(has(HEADLINES, state) ? HEADLINES[state] : "jobHeadlineInterrupted");
    },
    // $1 is the number the plural form follows (the total), $2 how many were sent.
    progress: (view) => plural("jobProgress", view.counts.total, [fmt(view.counts.total), fmt(view.counts.sent)]),
    sentHeading: (n) => msg("jobSentHeading", [fmt(n)]),
    notSentHeading: (n) => msg("jobNotSentHeading", [fmt(n)]),
    unconfirmedHeading: (n) => msg("jobUnconfirmedHeading", [fmt(n)]),
    unconfirmedNote: msg("jobUnconfirmedNote"),
    colleagues: msg("jobItemColleagues"),
    sending: msg("jobItemSending"),
    late: msg("jobItemLate"),
    lost: msg("jobLost"),
    // The offer in the warning window.
    hint: (copies, keepCopies) =>
      keepCopies ? plural("separatelyHintKeepCopies", copies, [fmt(copies)]) : plural("separatelyHint", copies, [fmt(copies)]),
    colleaguesLegend: (n) => plural("separatelyColleaguesLegend", n, [fmt(n)]),
    already: (n) => plural("separatelyAlready", n, [fmt(n)]),
    asking: msg("separatelyAsking"),
    refused: msg("separatelyRefused"),
    failed: msg("separatelyFailed"),
    pictures: msg("separatelyPictures"),
  };
}
