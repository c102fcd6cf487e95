//! The rules: each compares one count with its threshold and, when it fires, says in
//! plain words who would see whom. The warning window words them in the user's
//! language from `id` and the numbers; `reason` is the English sentence.

use crate::policy::Thresholds;
use crate::verdict::RuleHit;

pub const HARD_LIMIT: &str = "hard-limit";
pub const UNRESOLVED_LIST: &str = "unresolved-list";
pub const PRIVATE_INDIVIDUALS: &str = "private-individuals";
pub const EXTERNAL_RECIPIENTS: &str = "external-recipients";
pub const EXTERNAL_ORGANISATIONS: &str = "external-organisations";
pub const LARGE_AUDIENCE: &str = "large-audience";

/// What the rules look at: visible people, allowlisted ones left out.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Exposure {
    pub people: u32,
    pub external: u32,
    pub private: u32,
    pub private_domains: u32,
    pub organisations: u32,
    /// Lists in To/Cc whose members are unknown.
    pub unresolved_lists: u32,
    /// A private person writing from a consumer mailbox: their mail to friends and
    /// family is not an organisation exposing its customers, so the private rule does
    /// not apply (the external rule still does).
    pub sender_is_private: bool,
}

/// Every rule that fires, most serious first.
pub(crate) fn fire(t: &Thresholds, e: &Exposure) -> Vec<RuleHit> {
    let mut hits = Vec::new();
    let reaches = |count: u32, threshold: u32| threshold > 0 && count >= threshold;
    if t.hard_limit > 0 && e.people > t.hard_limit {
        hits.push(hit(
            HARD_LIMIT,
            e.people,
            t.hard_limit,
            format!(
                "{} people would see each other's addresses: more than the {} allowed",
                e.people, t.hard_limit
            ),
        ));
    }
    if e.unresolved_lists > 0 {
        hits.push(hit(
            UNRESOLVED_LIST,
            e.unresolved_lists,
            1,
            "the members of a mailing list could not be found: they may all see each other's addresses".to_owned(),
        ));
    }
    if !e.sender_is_private && reaches(e.private, t.private_threshold) {
        let mut h = hit(
            PRIVATE_INDIVIDUALS,
            e.private,
            t.private_threshold,
            format!(
                "{} private individuals from {} would see each other's addresses",
                e.private,
                plural(e.private_domains, "domain")
            ),
        );
        h.domains = Some(e.private_domains);
        hits.push(h);
    }
    if reaches(e.external, t.external_threshold) {
        hits.push(hit(
            EXTERNAL_RECIPIENTS,
            e.external,
            t.external_threshold,
            format!(
                "{} outside your organisation would see each other's addresses",
                plural(e.external, "person")
            ),
        ));
    }
    if reaches(e.organisations, t.organisation_threshold) {
        hits.push(hit(
            EXTERNAL_ORGANISATIONS,
            e.organisations,
            t.organisation_threshold,
            format!(
                "people from {} would see each other's addresses",
                plural(e.organisations, "organisation")
            ),
        ));
    }
    if reaches(e.people, t.audience_threshold) {
        hits.push(hit(
            LARGE_AUDIENCE,
            e.people,
            t.audience_threshold,
            format!(
                "{} would receive this message with every address visible",
                plural(e.people, "person")
            ),
        ));
    }
    hits
}

fn hit(id: &str, count: u32, threshold: u32, reason: String) -> RuleHit {
    RuleHit {
        id: id.to_owned(),
        count,
        threshold,
        domains: None,
        reason,
    }
}

fn plural(n: u32, noun: &str) -> String {
    match (n, noun) {
        (1, _) => format!("1 {noun}"),
        (_, "person") => format!("{n} people"),
        _ => format!("{n} {noun}s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(t: &Thresholds, e: Exposure) -> Vec<String> {
        fire(t, &e).into_iter().map(|h| h.id).collect()
    }

    #[test]
    fn a_rule_fires_at_its_threshold_not_below() {
        let t = Thresholds::DEFAULT;
        let at = Exposure {
            people: 3,
            external: 3,
            private: 3,
            private_domains: 2,
            ..Default::default()
        };
        assert_eq!(ids(&t, at), [PRIVATE_INDIVIDUALS]);
        let below = Exposure {
            people: 2,
            external: 2,
            private: 2,
            ..Default::default()
        };
        assert!(ids(&t, below).is_empty());
    }

    #[test]
    fn zero_switches_a_rule_off() {
        let t = Thresholds {
            private_threshold: 0,
            external_threshold: 0,
            organisation_threshold: 0,
            audience_threshold: 0,
            hard_limit: 0,
        };
        let e = Exposure {
            people: 900,
            external: 900,
            private: 900,
            organisations: 80,
            ..Default::default()
        };
        assert!(ids(&t, e).is_empty());
    }

    #[test]
    fn the_hard_limit_fires_above_it_and_comes_first() {
        let t = Thresholds {
            hard_limit: 20,
            ..Thresholds::DEFAULT
        };
        let e = |n| Exposure {
            people: n,
            external: n,
            ..Default::default()
        };
        assert!(!ids(&t, e(20)).contains(&HARD_LIMIT.to_owned()));
        assert_eq!(ids(&t, e(21))[0], HARD_LIMIT);
    }

    #[test]
    fn a_private_sender_is_judged_by_the_external_rule_only() {
        let t = Thresholds::DEFAULT;
        let e = Exposure {
            people: 9,
            external: 9,
            private: 9,
            sender_is_private: true,
            ..Default::default()
        };
        assert!(ids(&t, e).is_empty());
        let e = Exposure {
            people: 30,
            external: 30,
            private: 30,
            sender_is_private: true,
            ..Default::default()
        };
        assert_eq!(ids(&t, e), [EXTERNAL_RECIPIENTS]);
    }

    #[test]
    fn reasons_read_as_plain_sentences() {
        let e = Exposure {
            people: 312,
            external: 312,
            private: 312,
            private_domains: 97,
            ..Default::default()
        };
        let hits = fire(&Thresholds::DEFAULT, &e);
        assert_eq!(
            hits[0].reason,
            "312 private individuals from 97 domains would see each other's addresses"
        );
        assert_eq!(hits[0].domains, Some(97));
        assert_eq!(
            hits[1].reason,
            "312 people outside your organisation would see each other's addresses"
        );
    }
}
