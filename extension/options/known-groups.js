// CcGuard options: the groups CcGuard knows see each other's addresses already — the ones the
// user confirmed from a warning, and the ones learned from mail received from outside — listed
// with what is stored of each (its addresses, where it came from, when), to forget one by one or
// all at once; and the one-off learning from recent received mail, with its progress.
//
// #groups-section: #groups-list (li[data-id]), #groups-forget-all, #groups-scan, #groups-progress
// (a <progress>), #groups-scan-cancel, #groups-status.

import { forgetAllGroups, forgetGroup, listGroups } from "../groups.js";
import { SCAN_DAYS, scanRecent } from "../learning.js";
import { el, isolated, msg } from "../util.js";

/** Groups listed; the rest are counted. */
const SHOWN = 200;
/** Members named per group. */
const NAMED = 4;

/** `{fmt, plural, date}` for the page's language. */
let text = null;
let scan = null; // AbortController of the scan under way
/** Whether the policy shown lets the user scan recent mail (learnGroups on). */
let scanAllowed = true;

function groupItem(group, refresh) {
  const date = text.date(group.at);
  const named = group.members.slice(0, NAMED);
  const more = group.members.length - named.length;
  const names = [];
  named.forEach((member, i) => {
    if (i > 0) names.push(", ");
    names.push(isolated(member));
  });
  if (more > 0) names.push(" ", text.plural("groupsMore", more, [text.fmt(more)]));
  const forget = el("button", { type: "button", class: "forget" }, [msg("groupsForget")]);
  forget.addEventListener("click", () => forgetting(forget, () => forgetGroup(group.id), refresh));
  return el("li", { "data-id": group.id, "data-source": group.source }, [
    el("span", { class: "group-size" }, [text.plural("groupsPeople", group.members.length, [text.fmt(group.members.length)])]),
    " ",
    el("span", { class: "group-members" }, names),
    " ",
    el("span", { class: "group-source" }, [
      group.source === "user" ? msg("groupsFromYou", [date]) : msg("groupsFromMail", [date]),
    ]),
    " ",
    forget,
  ]);
}

/** The failure said last by `forgetting`, taken back once a forget succeeds. */
let forgetFailure = null;

/** Runs `forget` for `button`; a failure is said under the list and leaves the button usable. */
async function forgetting(button, forget, refresh) {
  const status = document.getElementById("groups-status");
  button.disabled = true;
  try {
    await forget();
  } catch (error) {
    forgetFailure = status.textContent = msg("groupsForgetFailed", [String(error?.message ?? error)]);
    button.disabled = false;
    return;
  }
  if (forgetFailure !== null && status.textContent === forgetFailure) status.textContent = "";
  forgetFailure = null;
  await refresh().catch((error) => console.error("CcGuard: could not list the known groups again:", error));
}

async function showList(refresh) {
  const groups = await listGroups();
  const list = document.getElementById("groups-list");
  list.replaceChildren(...groups.slice(0, SHOWN).map((g) => groupItem(g, refresh)));
  const summary = document.getElementById("groups-summary");
  const mine = groups.filter((g) => g.source === "user").length;
  summary.textContent =
    groups.length === 0
      ? msg("groupsNone")
      : text.plural("groupsSummary", groups.length, [text.fmt(groups.length), text.fmt(mine), text.fmt(groups.length - mine)]);
  document.getElementById("groups-forget-all").disabled = groups.length === 0;
}

function setScanning(on) {
  document.getElementById("groups-scan").hidden = on;
  document.getElementById("groups-scan-cancel").hidden = !on;
  document.getElementById("groups-progress").hidden = !on;
}

async function startScan(refresh) {
  // Looked up each time: the section may be rebuilt while the scan runs (a Save, a Reset).
  const status = () => document.getElementById("groups-status");
  const progress = () => document.getElementById("groups-progress");
  scan = new AbortController();
  setScanning(true);
  progress().removeAttribute("value"); // indeterminate until the folders are counted
  status().textContent = msg("groupsScanStarting");
  try {
    const totals = await scanRecent({
      days: SCAN_DAYS,
      signal: scan.signal,
      onProgress: ({ done, total, messages, groups }) => {
        progress().max = Math.max(total, 1);
        progress().value = done;
        status().textContent = text.plural("groupsScanProgress", messages, [
          text.fmt(done),
          text.fmt(total),
          text.fmt(messages),
          text.fmt(groups),
        ]);
      },
    });
    const numbers = [text.fmt(totals.groups), text.fmt(totals.messages)];
    status().textContent = totals.stopped
      ? text.plural("groupsScanStopped", totals.groups, numbers)
      : text.plural("groupsScanDone", totals.groups, numbers);
  } catch (error) {
    status().textContent = msg("groupsScanFailed", [String(error?.message ?? error)]);
  } finally {
    scan = null;
    setScanning(false);
    document.getElementById("groups-scan").disabled = !scanAllowed;
    await refresh();
  }
}

/**
 * Fills #groups-section, in `language` with `fmt` (numbers) and `plural` (plural.js); `policy` is
 * the policy in force: with learnGroups off the scan is not offered, with both switches off the
 * groups are listed as not in use.
 */
export async function showKnownGroups({ language, fmt, plural, policy }) {
  text = {
    fmt,
    plural,
    date: (ms) => {
      try {
        return new Intl.DateTimeFormat(language, { dateStyle: "medium" }).format(new Date(ms));
      } catch (error) {
        return new Date(ms).toISOString().slice(0, 10);
      }
    },
  };
  const section = document.getElementById("groups-section");
  const learning = policy?.learnGroups !== false;
  scanAllowed = learning;
  const inUse = learning || policy?.rememberGroups !== false;
  const refresh = () => showList(refresh);
  const forgetAll = el("button", { type: "button", id: "groups-forget-all" }, [msg("groupsForgetAll")]);
  forgetAll.addEventListener("click", () => forgetting(forgetAll, forgetAllGroups, refresh));
  const scanButton = el("button", { type: "button", id: "groups-scan", disabled: !learning || scan !== null }, [
    msg("groupsScan", [text.fmt(SCAN_DAYS)]),
  ]);
  scanButton.addEventListener("click", () => startScan(refresh));
  const cancel = el("button", { type: "button", id: "groups-scan-cancel", hidden: true }, [msg("groupsScanCancel")]);
  cancel.addEventListener("click", () => scan?.abort());
  section.replaceChildren(
    el("h2", { id: "groups-heading", class: "label" }, [msg("groupsHeading")]),
    el("p", { class: "help" }, [msg("groupsIntro")]),
    ...(inUse ? [] : [el("p", { class: "note" }, [msg("groupsNotInUse")])]),
    el("p", { id: "groups-summary" }),
    el("ul", { id: "groups-list", class: "groups", "aria-labelledby": "groups-heading" }),
    el("div", { class: "actions" }, [forgetAll, scanButton, cancel]),
    ...(learning ? [] : [el("p", { class: "note" }, [msg("groupsScanOff")])]),
    el("progress", { id: "groups-progress", hidden: true, "aria-labelledby": "groups-status" }),
    el("p", { id: "groups-status", class: "status", role: "status", "aria-live": "polite" }),
  );
  section.setAttribute("aria-labelledby", "groups-heading");
  section.hidden = false;
  if (scan !== null) setScanning(true); // rebuilt while a scan runs: its progress and Cancel stay
  await refresh();
}
