// CcGuard warning window: every sentence, in the user's language, from codes and numbers.
//
// The core sends no text but outside text (names, addresses, list names, domains): rule ids
// with their numbers, problem codes, the thread and known groups as numbers, and (degraded)
// a code saying why it could not judge. Each is worded here from the messages of
// _locales/*/messages.json, with each language's plural forms (plural.js). A sentence that
// holds outside text is returned as parts (util.js), so that the page can isolate it;
// every other sentence is a string.
//
//   const words = makeWording(msg, "de");
//   words.top(verdict)        // {headline, total, reason, note, rules, severity}
//
// Nothing here touches the DOM, so the same words serve the options page's preview.

import { makePlural } from "./plural.js";
import { count, contextCase, unresolvedLists } from "./verdict.js";
import { partsText, slot, parts, has } from "../util.js";

/** How many unresolved list names a headline spells out. */
const MAX_NAMED_LISTS = 3;

/** The rules that count people someone would newly see: the thread and known groups shape them. */
const CONTEXT_RULES = [
  "private-individuals",
  "external-recipients",
  "external-organisations",
  "colleagues-exposed",
  "large-audience",
];

/** Why the core could not judge, by the degraded verdict's code. */
const DEGRADED_WHY = {
  "wasm-load": "degradedWhyWasmLoad",
  "wasm-crash": "degradedWhyWasmCrash",
  "table-not-a-table": "degradedWhyTableNotATable",
  "table-truncated": "degradedWhyTableTruncated",
  "table-checksum": "degradedWhyTableChecksum",
  "table-trailing-data": "degradedWhyTableTrailingData",
  "table-missing-sentinel": "degradedWhyTableMissingSentinel",
  "bad-message": "degradedWhyBadMessage",
  timeout: "degradedWhyTimeout",
  unknown: "degradedWhyUnknown",
};

/** Why some text is not an address, by the core's problem code (address/problem.rs). */
const PROBLEMS = {
  "no-address": "problemNoAddress",
  "missing-local-part": "problemMissingLocalPart",
  "missing-domain": "problemMissingDomain",
  "space-in-address": "problemSpaceInAddress",
  "invalid-domain": "problemInvalidDomain",
  "unclosed-quote": "problemUnclosedQuote",
  "unclosed-comment": "problemUnclosedComment",
  "unclosed-domain-literal": "problemUnclosedDomainLiteral",
};

const KIND_LABELS = { internal: "kindInternal", external: "kindExternal", private: "kindPrivate" };
const FIELD_LABELS = { to: "warningFieldTo", cc: "warningFieldCc", bcc: "warningFieldBcc" };

function numberFormat(language) {
  try {
    return new Intl.NumberFormat(language);
  } catch (error) {
    return new Intl.NumberFormat("en");
  }
}

/**
 * The wording for `language` (the language of the messages shown), reading messages through
 * `msg(key, substitutions)` (i18n.getMessage, "" for a missing key).
 */
export function makeWording(msg, language) {
  const plural = makePlural(msg, language);
  const numbers = numberFormat(language);
  const fmt = (n) => numbers.format(n);

  function listFormat(items) {
    try {
      return new Intl.ListFormat(language, { style: "long", type: "conjunction" }).format(items);
    } catch (error) {
      return items.join(", ");
    }
  }

  /** The first non-null of the counts given. */
  function firstCount(...values) {
    for (const value of values) {
      const n = count(value);
      if (n !== null) return n;
    }
    return null;
  }

  /** `“A”, “B” and 2 more`, with slots for the names (values are pushed to `values`). */
  function listNames(names, total, values) {
    const named = names.filter(Boolean);
    if (named.length === 0) return "";
    const shown = named.slice(0, MAX_NAMED_LISTS).map((name) => {
      values.push(name);
      return msg("warningQuoted", [slot(values.length - 1)]) || `"${slot(values.length - 1)}"`;
    });
    const rest = Math.max(total, named.length) - shown.length;
    if (rest > 0) shown.push(plural("warningListNamesMore", rest, [fmt(rest)]));
    return listFormat(shown);
  }

  /**
   * What each rule says: its headline (always holding the rule's number; parts when it names
   * lists), why it matters, and a short line for the list of rules.
   */
  const RULES = {
    "hard-limit": {
      countsEveryone: true,
      number: (rule, v) => firstCount(rule.count, v.counts.visible),
      headline(n, rule) {
        const limit = rule.threshold;
        return limit === null
          ? plural("ruleHardLimitHeadlineNoLimit", n, [fmt(n)])
          : plural("ruleHardLimitHeadline", n, [fmt(n), fmt(limit)]);
      },
      short(n, rule) {
        return rule.threshold === null ? "" : plural("ruleShortHardLimit", n, [fmt(n), fmt(rule.threshold)]);
      },
      reason: "ruleHardLimitReason",
    },
    "unresolved-list": {
      number: (rule, v) => firstCount(rule.count, unresolvedLists(v).length),
      headline(n, rule, v) {
        const values = [];
        const names = listNames(unresolvedLists(v), n, values);
        return names
          ? parts(plural("ruleUnresolvedHeadline", n, [fmt(n), names]), values)
          : plural("ruleUnresolvedHeadlineNoName", n, [fmt(n)]);
      },
      short: (n) => plural("ruleShortUnresolved", n, [fmt(n)]),
      reason: "ruleUnresolvedReason",
    },
    "private-individuals": {
      number: (rule, v) => firstCount(rule.count, v.counts.private),
      headline(n, rule, v) {
        const domains = firstCount(rule.domains, v.privateDomains);
        const from = domains === null ? "" : plural("rulePrivateDomains", domains, [fmt(domains)]);
        // Without the number of domains the phrase is empty: no double space.
        return plural("rulePrivateHeadline", n, [fmt(n), from]).replace(/\s{2,}/g, " ").trim();
      },
      short: (n) => plural("ruleShortPrivate", n, [fmt(n)]),
      reason: "rulePrivateReason",
    },
    "external-recipients": {
      number: (rule, v) => firstCount(rule.count, v.counts.external),
      headline: (n) => plural("ruleExternalHeadline", n, [fmt(n)]),
      short: (n) => plural("ruleShortExternal", n, [fmt(n)]),
      reason: "ruleExternalReason",
    },
    "external-organisations": {
      number: (rule, v) => firstCount(rule.count, v.organisations),
      headline: (n) => plural("ruleOrganisationsHeadline", n, [fmt(n)]),
      short: (n) => plural("ruleShortOrganisations", n, [fmt(n)]),
      reason: "ruleOrganisationsReason",
    },
    "colleagues-exposed": {
      number: (rule, v) => firstCount(rule.count, v.counts.internal),
      headline: (n) => plural("ruleColleaguesHeadline", n, [fmt(n)]),
      short: (n) => plural("ruleShortColleagues", n, [fmt(n)]),
      reason: "ruleColleaguesReason",
    },
    "large-audience": {
      countsEveryone: true,
      number: (rule, v) => firstCount(rule.count, v.counts.visible),
      headline: (n) => plural("ruleAudienceHeadline", n, [fmt(n)]),
      short: (n) => plural("ruleShortAudience", n, [fmt(n)]),
      reason: "ruleAudienceReason",
    },
  };

  /** Any other rule (one this window does not know, from a newer core). */
  const GENERIC_RULE = {
    countsEveryone: true,
    number: (rule, v) => firstCount(rule.count, v.counts.visible, 0),
    headline: (n) => plural("ruleVisibleHeadline", n, [fmt(n)]),
    short: (n) => plural("ruleShortVisible", n, [fmt(n)]),
    reason: "warningReason",
  };

  /** `{kind, n}`: the wording of `rule` and its number (the generic one when it has none). */
  function ruleOf(rule, verdict) {
    const kind = has(RULES, rule.id) ? RULES[rule.id] : GENERIC_RULE;
    const n = kind.number(rule, verdict);
    return n === null ? { kind: GENERIC_RULE, n: GENERIC_RULE.number(rule, verdict) } : { kind, n };
  }

  /** One short line for `rule` (a verdict rule: {id, count, threshold, domains}). */
  function ruleShort(rule, verdict) {
    const { kind, n } = ruleOf(rule, verdict);
    return kind.short(n, rule, verdict) || partsText(kind.headline(n, rule, verdict));
  }

  /** The headline of the thread and known groups, or null when the rule's own headline fits. */
  function contextHeadline(verdict) {
    const { thread, groups, known, newcomers } = verdict.context;
    switch (contextCase(verdict)) {
      case "newcomers": {
        const whom =
          thread === "outside"
            ? plural("contextWhomConversation", known, [fmt(known)])
            : plural("contextWhomGroup", known, [fmt(known)]);
        return plural("contextAddedHeadline", newcomers, [fmt(newcomers), whom]);
      }
      case "strangers": {
        // The people of the message answered are one group too.
        const met = groups + (thread === "outside" ? 1 : 0);
        return met >= 2 ? plural("contextStrangersHeadline", met, [fmt(met)]) : null;
      }
      default:
        return null;
    }
  }

  /** The line under the reason that explains the thread or the known groups, or "". */
  function contextNote(verdict, headlineIsContext) {
    if (verdict.context.thread === "inside") return msg("contextNoteInside");
    if (!headlineIsContext) return "";
    return contextCase(verdict) === "newcomers" ? msg("contextNoteNewcomers") : msg("contextNoteStrangers");
  }

  /** The people of a forwarded header someone would newly see, or 0. */
  function forwardShown(verdict) {
    const shown = verdict.forwarded?.shown;
    return Number.isInteger(shown) && shown > 0 ? shown : 0;
  }

  /** What a forwarded header shows everyone the message goes to, Bcc included, or "". */
  function forwardNote(verdict) {
    const shown = forwardShown(verdict);
    return shown > 0 ? plural("forwardNote", shown, [fmt(shown)]) : "";
  }

  /** The top of the window when a forwarded header, which Bcc cannot hide, is the problem. */
  function forwardTop(verdict, severity) {
    const shown = forwardShown(verdict);
    return {
      headline: plural("forwardHeadline", shown, [fmt(shown)]),
      total: "",
      reason: msg("forwardReason"),
      note: msg("forwardNoteDelete"),
      rules: verdict.rules.map((rule) => ruleShort(rule, verdict)),
      severity,
    };
  }

  /**
   * The top of the window for a verdict the core judged: `headline` (string or parts),
   * `total` (everyone's number, when the headline counts only some), `reason`, `note` (the
   * forwarded header, the thread or the known groups), `rules` (short lines of the rules not in the headline) and
   * `severity` ("gentle" when only the large-audience rule fired).
   */
  function top(verdict) {
    const rules = verdict.rules;
    const first = rules[0] ?? { id: "", count: null, threshold: null, domains: null };
    const { kind, n } = ruleOf(first, verdict);
    const reason = msg(kind.reason) || msg("warningReason");
    const severity = rules.length === 1 && first.id === "large-audience" ? "gentle" : "warn";
    if (CONTEXT_RULES.includes(first.id) && verdict.forwarded?.bccCannotHide === true && forwardShown(verdict) > 0) {
      return forwardTop(verdict, severity);
    }
    const context = CONTEXT_RULES.includes(first.id) ? contextHeadline(verdict) : null;
    if (context) {
      // Who would newly see whom is the headline; every rule that fired is listed under it.
      return {
        headline: context,
        total: "",
        reason,
        note: forwardNote(verdict) || contextNote(verdict, true),
        rules: rules.map((rule) => ruleShort(rule, verdict)),
        severity,
      };
    }
    // A rule that counts only some of the visible people (the private ones, the external ones,
    // organisations, lists) is followed by everyone's number: how many would see the addresses.
    const visible = verdict.counts.visible;
    const total =
      !kind.countsEveryone && visible !== null && visible > 0 && visible !== n
        ? plural("warningTotalVisible", visible, [fmt(visible)])
        : "";
    return {
      headline: kind.headline(n, first, verdict) || GENERIC_RULE.headline(n),
      total,
      reason,
      note: forwardNote(verdict) || contextNote(verdict, false),
      rules: rules.slice(1).map((rule) => ruleShort(rule, verdict)),
      severity,
    };
  }

  /**
   * The window held to ask "What do you use this address for?": `headline` (parts: the address
   * is outside text), `reason`, `note` (what follows for work) and `rules` (its short lines).
   */
  function question(verdict) {
    const ask = verdict.askRole;
    return {
      headline: parts(msg("askRoleHeadline", [slot(0)]) || slot(0), [ask.identity]),
      reason: msg("askRoleReason"),
      note: msg("askRoleIfWork"),
      rules: ask.rules.map((rule) => ruleShort(rule, verdict)),
    };
  }

  /** Why Send anyway is off (the verdict is blocked). */
  function blockedReason(verdict) {
    const hardLimit = verdict.hardLimit > 0 ? verdict.hardLimit : null;
    const limit = verdict.rules.find((rule) => rule.id === "hard-limit")?.threshold ?? hardLimit;
    return limit === null ? msg("blockedReasonNoLimit") : plural("blockedReason", limit, [fmt(limit)]);
  }

  /** The summary lines: `{split, kinds, domainCount, allowed}` ("" for a line not to show). */
  function summary(verdict) {
    const c = verdict.counts;
    const domains = verdict.distinctDomains;
    return {
      split: msg("warningSplit", [fmt(c.to ?? 0), fmt(c.cc ?? 0), fmt(c.bcc ?? 0)]),
      kinds:
        c.internal !== null && c.external !== null
          ? msg("warningKinds", [fmt(c.internal), fmt(c.external), fmt(c.private ?? 0)])
          : "",
      domainCount: domains ? plural("warningDomainCount", domains, [fmt(domains)]) : "",
      allowed: c.allowed ? msg("warningAllowed", [fmt(c.allowed)]) : "",
    };
  }

  /** The badge of a recipient others here already know nothing of, or "". */
  function newcomerBadge(verdict, recipient) {
    if (recipient.known !== false || verdict.context.known === 0) return "";
    return verdict.context.thread === "outside" ? msg("badgeAdded") : msg("badgeNewToGroup");
  }

  /** What the degraded window says: `{headline, reason, detail (parts), counts, note}`. */
  function degraded(verdict) {
    const { code, detail } = verdict.degraded;
    const why = msg(has(DEGRADED_WHY, code) ? DEGRADED_WHY[code] : DEGRADED_WHY.unknown);
    const c = verdict.counts;
    return {
      headline: msg("warningDegradedHeadline"),
      reason: msg("degradedReason", [why]),
      // The detail is an error's message: it may quote outside text, so it is isolated too.
      detail: parts(msg("degradedDetail", [slot(0)]), [detail ? `${code}: ${detail}` : code]),
      counts: msg("warningDegradedCounts", [fmt(c.to ?? 0), fmt(c.cc ?? 0)]),
      note: forwardNote(verdict),
    };
  }

  return {
    fmt,
    top,
    ruleShort,
    blockedReason,
    summary,
    newcomerBadge,
    degraded,
    question,
    kind: (kind) => (has(KIND_LABELS, kind) ? msg(KIND_LABELS[kind]) : ""),
    field: (field) => (has(FIELD_LABELS, field) ? msg(FIELD_LABELS[field]) : ""),
    problem: (code) => msg(has(PROBLEMS, code) ? PROBLEMS[code] : "problemUnknown"),
    /** "via “Club”" as parts. */
    via: (name) => parts(msg("warningViaList", [slot(0)]) || slot(0), [name]),
    listMembers: (n) => plural("warningListMembers", n, [fmt(n)]),
    more: (n) => plural("warningMore", n, [fmt(n)]),
    moreDomains: (n) => plural("warningMoreDomains", n, [fmt(n)]),
    listUnresolved: msg("warningListUnresolved"),
    listNested: msg("warningListNested"),
    listsNote: msg("warningListsUnresolvedNote"),
    listUnchecked: msg("degradedListUnchecked"),
    degradedListsNote: msg("degradedListsNote"),
    lostHeadline: msg("warningLostHeadline"),
    lostReason: msg("warningLostReason"),
  };
}
