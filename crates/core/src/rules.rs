//! The rules: each compares one count of newly exposed people with its threshold. The
//! extension words each rule in the user's language from its id and numbers.

use crate::policy::Thresholds;
use serde::Serialize;

/// A rule, most serious first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    /// More visible people than the organisation allows: cannot be sent as written.
    HardLimit,
    /// An address-book list in To/Cc whose members are unknown: they may all see each
    /// other's addresses.
    UnresolvedList,
    /// Private individuals shown to each other: the people every real incident exposed.
    PrivateIndividuals,
    /// People outside the organisation shown to each other.
    ExternalRecipients,
    /// People of several outside organisations shown to each other: a client list.
    ExternalOrganisations,
    /// Many colleagues shown to someone outside the organisation: a staff list handed
    /// to a supplier.
    ColleaguesExposed,
    /// Many people, colleagues too: the gentle warning.
    LargeAudience,
}

impl Rule {
    pub const ALL: [Rule; 7] = [
        Rule::HardLimit,
        Rule::UnresolvedList,
        Rule::PrivateIndividuals,
        Rule::ExternalRecipients,
        Rule::ExternalOrganisations,
        Rule::ColleaguesExposed,
        Rule::LargeAudience,
    ];

    /// The id the extension and the policy's keys name it by.
    pub fn id(self) -> &'static str {
        match self {
            Rule::HardLimit => "hard-limit",
            Rule::UnresolvedList => "unresolved-list",
            Rule::PrivateIndividuals => "private-individuals",
            Rule::ExternalRecipients => "external-recipients",
            Rule::ExternalOrganisations => "external-organisations",
            Rule::ColleaguesExposed => "colleagues-exposed",
            Rule::LargeAudience => "large-audience",
        }
    }
}

/// What the rules look at: people who would newly see someone's address (or be seen),
/// allowlisted ones left out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Exposure {
    /// Everyone visible (but the allowlisted), whatever the context: what the hard
    /// limit counts.
    pub visible: u32,
    /// Newly seen by anyone, colleagues included.
    pub people: u32,
    /// Newly seen by someone outside the organisation, by kind. (A sensitive identity's
    /// colleagues count through its low audience threshold, not here.)
    pub external: u32,
    pub private: u32,
    pub private_domains: u32,
    pub organisations: u32,
    /// Colleagues newly seen by someone outside the organisation.
    pub colleagues: u32,
    /// Lists in To/Cc whose members are unknown.
    pub unresolved_lists: u32,
}

/// A rule that fired: its count reached its threshold (the hard limit: exceeded it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RuleHit {
    pub id: Rule,
    pub count: u32,
    pub threshold: u32,
    /// For private individuals: how many consumer domains they are on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domains: Option<u32>,
}

/// Every rule that fires, most serious first.
pub fn fire(t: &Thresholds, e: &Exposure) -> Vec<RuleHit> {
    let reaches = |count: u32, threshold: u32| threshold > 0 && count >= threshold;
    let hit = |id, count, threshold| RuleHit {
        id,
        count,
        threshold,
        domains: (id == Rule::PrivateIndividuals).then_some(e.private_domains),
    };
    Rule::ALL
        .into_iter()
        .filter_map(|rule| match rule {
            Rule::HardLimit => (t.hard_limit > 0 && e.visible > t.hard_limit)
                .then(|| hit(rule, e.visible, t.hard_limit)),
            Rule::UnresolvedList => {
                (e.unresolved_lists > 0).then(|| hit(rule, e.unresolved_lists, 1))
            }
            Rule::PrivateIndividuals => reaches(e.private, t.private_threshold)
                .then(|| hit(rule, e.private, t.private_threshold)),
            Rule::ExternalRecipients => reaches(e.external, t.external_threshold)
                .then(|| hit(rule, e.external, t.external_threshold)),
            Rule::ExternalOrganisations => reaches(e.organisations, t.organisation_threshold)
                .then(|| hit(rule, e.organisations, t.organisation_threshold)),
            Rule::ColleaguesExposed => reaches(e.colleagues, t.colleague_threshold)
                .then(|| hit(rule, e.colleagues, t.colleague_threshold)),
            Rule::LargeAudience => reaches(e.people, t.audience_threshold)
                .then(|| hit(rule, e.people, t.audience_threshold)),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(t: &Thresholds, e: Exposure) -> Vec<Rule> {
        fire(t, &e).into_iter().map(|h| h.id).collect()
    }

    #[test]
    fn a_rule_fires_at_its_threshold_not_below() {
        let t = Thresholds::default();
        let at = Exposure {
            visible: 3,
            people: 3,
            external: 3,
            private: 3,
            private_domains: 2,
            ..Default::default()
        };
        assert_eq!(ids(&t, at), [Rule::PrivateIndividuals]);
        let below = Exposure {
            visible: 2,
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
            colleague_threshold: 0,
            audience_threshold: 0,
            hard_limit: 0,
        };
        let e = Exposure {
            visible: 900,
            people: 900,
            external: 900,
            private: 900,
            organisations: 80,
            ..Default::default()
        };
        assert!(ids(&t, e).is_empty());
    }

    #[test]
    fn the_hard_limit_counts_everyone_visible_fires_above_it_and_comes_first() {
        let t = Thresholds {
            hard_limit: 20,
            ..Thresholds::default()
        };
        let e = |n| Exposure {
            visible: n,
            ..Default::default()
        };
        assert!(ids(&t, e(20)).is_empty());
        assert_eq!(ids(&t, e(21)), [Rule::HardLimit]);
    }

    #[test]
    fn rules_come_most_serious_first_and_the_private_rule_names_its_domains() {
        let e = Exposure {
            visible: 312,
            people: 312,
            external: 312,
            private: 312,
            private_domains: 97,
            ..Default::default()
        };
        let hits = fire(&Thresholds::default(), &e);
        assert_eq!(
            hits.iter().map(|h| h.id).collect::<Vec<_>>(),
            [Rule::PrivateIndividuals, Rule::ExternalRecipients]
        );
        assert_eq!(hits[0].domains, Some(97));
        assert_eq!(hits[1].domains, None);
    }
}
