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

fn score(file: &str) -> Score {
    let all = load(file);
    let mut score = Score::default();
    for j in judge(&all, &Policy::default(), &support::env()) {
        score.add(&j);
    }
    score
}

/// The tuning sets in context: floors a little under today's numbers (context.json 90 % / 93 %,
/// tuning2.json 84 % / 64 %; the second is weighted to unanswered identities on purpose).
#[test]
fn the_tuning_sets_in_context_stay_above_their_floors() {
    let context = score("context.json");
    assert!(
        context.precision() >= 0.90 && context.recall() >= 0.90,
        "context.json {:.3} / {:.3}",
        context.precision(),
        context.recall()
    );
    let second = score("tuning2.json");
    assert!(
        second.precision() >= 0.80 && second.recall() >= 0.60,
        "tuning2.json {:.3} / {:.3}",
        second.precision(),
        second.recall()
    );
}

/// The held-out set guards against regressions only (it was never tuned on): at 93 % / 86 %
/// when this was written, with 7 false alarms of 116 ordinary sends.
#[test]
fn the_held_out_set_stays_above_its_floor() {
    let held = score("heldout.json");
    assert!(
        held.precision() >= 0.90 && held.recall() >= 0.84,
        "heldout.json {:.3} / {:.3}",
        held.precision(),
        held.recall()
    );
    let false_alarm_rate = held.false_alarm_rate();
    assert!(
        false_alarm_rate <= 0.08,
        "false alarms {false_alarm_rate:.3}"
    );
}

/// The sets written independently on 2026-12-05 guard against regressions only. heldout3.json
/// was measured once before and once after forwards were judged (93 % / 73 %, then 94 % / 82 %,
/// 5 false alarms of 129 both times); heldout2.json's misses were read before that rule was
/// written (83 % / 75 %, then 83 % / 83 %). heldout4.json was measured blind at 83 % / 76 % with
/// 15 false alarms of 127 (warnings alone, as these floors count); the colleagues rule, built after
/// reading it, added one send warned. heldout5.json was written after that and measured once:
/// 84 % / 79 %, 14 false alarms of 128. heldout6.json was written after the stranger rule and
/// measured once: 89 % / 77 %, 9 false alarms of 125 (warnings alone). heldout7.json was written
/// by a fourth blind writer after the last rule change and measured once: 96 % / 86 %, 4 false
/// alarms of 123 (warnings alone). heldout8.json, by a fifth blind writer, measured once at the
/// same commit: 88 % / 81 %, 11 false alarms of 123 (warnings alone). The forward rule of
/// 2026-12-06 (a private person's mail handed to anyone outside introduces the two) was built
/// after reading heldout2–8's misses (+8 caught, +1 false alarm across them). heldout9.json, by a
/// sixth blind writer after that rule, measured once: 89 % / 95 %, 12 false alarms of 124
/// (warnings alone), the same with or without the rule.
#[test]
fn the_independent_sets_stay_above_their_floors() {
    for (file, precision, recall, false_alarms) in [
        ("heldout2.json", 0.80, 0.80, 0.18),
        ("heldout3.json", 0.90, 0.80, 0.06),
        ("heldout4.json", 0.80, 0.75, 0.13),
        ("heldout5.json", 0.80, 0.75, 0.12),
        ("heldout6.json", 0.85, 0.72, 0.10),
        ("heldout7.json", 0.90, 0.82, 0.06),
        ("heldout8.json", 0.80, 0.75, 0.12),
        ("heldout9.json", 0.85, 0.90, 0.12),
    ] {
        let s = score(file);
        let rate = s.false_alarm_rate();
        assert!(
            s.precision() >= precision && s.recall() >= recall && rate <= false_alarms,
            "{file} {:.3} / {:.3}, false alarms {rate:.3}",
            s.precision(),
            s.recall()
        );
    }
}

/// The question "What do you use this address for?", asked at the first send it decides, holds
/// sends that the unanswered default would let through: on heldout3.json 82 % → 87 % recall and 5
/// → 7 false alarms of 129, counting it on every send as if each were the address's first.
#[test]
fn the_question_holds_sends_the_unanswered_default_would_miss() {
    let all = load("heldout3.json");
    let (mut warnings, mut held) = (Score::default(), Score::default());
    for j in judge(&all, &Policy::default(), &support::env()) {
        warnings.add(&j);
        held.add_held(&j);
        if j.asked() {
            // Only an address whose role nobody gave, and only when it is let through.
            assert!(
                j.scenario.role.is_none() && !j.warned(),
                "{}",
                j.scenario.id
            );
        }
    }
    assert!(held.tp >= warnings.tp + 4, "{} → {}", warnings.tp, held.tp);
    assert!(held.recall() >= 0.85, "recall {:.3}", held.recall());
    assert!(
        held.false_alarm_rate() <= 0.06,
        "false alarms {:.3}",
        held.false_alarm_rate()
    );
}
