// CcGuard: the window of one Send separately job, ?job=<id> (separate/jobs.js openJobWindow): a
// report of what went and what did not after the warning window was closed mid-way, or a job
// found unfinished when the background started (separate/recovery.js), with Finish and Discard.

import { localize, msg, shownLanguage } from "../util.js";
import { makeJobWords } from "./job-words.js";
import { followJob } from "./job-view.js";

const job = new URLSearchParams(location.search).get("job") ?? "";
localize(document, "jobTitle");
followJob(document.getElementById("job"), { job, words: makeJobWords(msg, shownLanguage()), msg });
