//! The default policy against the labelled scenario set (`./build.sh judge` prints the
//! table). Floors, not the current numbers: a change of defaults that loses an incident,
//! or trades much precision or recall, fails here.

#[allow(dead_code)]
#[path = "support/scenarios.rs"]
mod scenarios;
mod support;

use ccguard_core::Policy;
use scenarios::{judge, load, Score};

#[test]
fn the_set_is_large_and_labelled_both_ways() {
    let all = load();
    assert!(all.len() >= 150, "{} scenarios", all.len());
    let warn = all.iter().filter(|s| s.warn).count();
    assert!(warn >= 50 && all.len() - warn >= 50);
    assert!(all.iter().all(|s| !s.why.trim().is_empty()));
}

#[test]
fn every_incident_warns_with_the_default_policy() {
    let all = load();
    for j in judge(&all, &Policy::default(), support::private_domains()) {
        if j.scenario.category == "incident" {
            assert!(j.warned(), "{} was not warned about", j.scenario.id);
        }
    }
}

#[test]
fn default_precision_and_recall_stay_above_their_floors() {
    let all = load();
    let mut score = Score::default();
    for j in judge(&all, &Policy::default(), support::private_domains()) {
        score.add(&j);
    }
    assert!(score.recall() >= 0.95, "recall {:.3}", score.recall());
    assert!(
        score.precision() >= 0.80,
        "precision {:.3}",
        score.precision()
    );
}
