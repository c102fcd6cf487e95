//! The default policy against the labelled scenario set (`./build.sh judge` prints the
//! table). Floors, not the current numbers: a change of defaults that loses an incident,
//! or trades much precision or recall, fails here.

#[allow(dead_code)]
#[path = "support/scenarios.rs"]
mod scenarios;
mod support;

use ccguard_core::{Policy, Role};
use scenarios::{judge, load, Score};

#[test]
fn the_set_is_large_and_labelled_both_ways() {
    let all = load("scenarios.json");
    assert!(all.len() >= 150, "{} scenarios", all.len());
    let warn = all.iter().filter(|s| s.warn).count();
    assert!(warn >= 50 && all.len() - warn >= 50);
    assert!(all.iter().all(|s| !s.why.trim().is_empty()));
}

#[test]
fn every_incident_warns_with_the_default_policy() {
    let all = load("scenarios.json");
    for j in judge(&all, &Policy::default(), &support::env()) {
        if j.scenario.category == "incident" {
            assert!(j.warned(), "{} was not warned about", j.scenario.id);
        }
    }
}

#[test]
fn default_precision_and_recall_stay_above_their_floors() {
    let all = load("scenarios.json");
    let mut score = Score::default();
    for j in judge(&all, &Policy::default(), &support::env()) {
        score.add(&j);
    }
    assert!(score.recall() >= 0.95, "recall {:.3}", score.recall());
    assert!(
        score.precision() >= 0.80,
        "precision {:.3}",
        score.precision()
    );
}

/// The sets in context load with what they add: the role, the message answered and
/// the known groups, each where the scenario's tags say it is.
#[test]
fn the_sets_in_context_load_with_their_situation() {
    let all = load("context.json");
    assert!(all.len() >= 150, "{} scenarios", all.len());
    let warn = all.iter().filter(|s| s.warn).count();
    assert!(warn >= 50 && all.len() - warn >= 50);
    for s in &all {
        let tagged = |t: &str| s.tags.iter().any(|x| x == t);
        assert!(!s.why.trim().is_empty(), "{}", s.id);
        let role = match s.role {
            None => "role-unanswered",
            Some(Role::Personal) => "role-personal",
            Some(Role::Organisation) => "role-organisation",
            Some(Role::Sensitive) => "role-sensitive",
        };
        assert!(tagged(role), "{}: {role}", s.id);
        let related = s.message.related.as_ref();
        if tagged("reply") || tagged("reply-all") || tagged("forward") {
            assert!(related.is_some_and(|r| !r.author.is_empty()), "{}", s.id);
        } else {
            assert!(related.is_none(), "{}", s.id);
        }
        if tagged("known-group") || tagged("known-group-subset") {
            assert!(!s.message.known_groups.is_empty(), "{}", s.id);
            assert!(
                s.message.known_groups.iter().all(|g| g.len() >= 2),
                "{}",
                s.id
            );
        }
    }
    // The held-out set is never tuned on: only that it loads, labelled both ways.
    let heldout = load("heldout.json");
    assert!(heldout.iter().any(|s| s.warn) && heldout.iter().any(|s| !s.warn));
}
