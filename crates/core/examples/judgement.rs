//! `./build.sh judge` (or `cargo run -p ccguard-core --example judgement`): the default
//! policy's precision and recall on the labelled scenario set, per category, and every
//! scenario it gets wrong with the label's reason. `JUDGE_POLICY='{"privateThreshold": 3}'`
//! judges with other settings instead (to study a change of defaults). An argument names
//! another set in tests/judgement (`-- context.json`); the default is `scenarios.json`.

#[path = "../tests/support/scenarios.rs"]
mod scenarios;
#[path = "../tests/support/mod.rs"]
mod support;

use ccguard_core::text::NATIVE;
use ccguard_core::Policy;
use scenarios::{judge, load, Score};
use std::collections::BTreeMap;

fn main() {
    let file = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "scenarios.json".to_owned());
    let all = load(&file);
    let policy = match std::env::var("JUDGE_POLICY") {
        Ok(json) => {
            let reading = Policy::read(
                &serde_json::from_str(&json).expect("JUDGE_POLICY is JSON"),
                &NATIVE,
            );
            assert!(reading.rejected.is_empty(), "{:?}", reading.rejected);
            reading.policy
        }
        Err(_) => Policy::default(),
    };
    let judged = judge(&all, &policy, &support::env());
    let mut total = Score::default();
    let mut warnings = Score::default();
    let mut by_category: BTreeMap<&str, Score> = BTreeMap::new();
    for j in &judged {
        total.add_held(j);
        warnings.add(j);
        by_category
            .entry(&j.scenario.category)
            .or_default()
            .add_held(j);
    }
    println!(
        "CcGuard {} on {} labelled sends of {file} (positive = should warn)\n",
        if policy == Policy::default() {
            "default policy"
        } else {
            "policy from JUDGE_POLICY"
        },
        total.total()
    );
    println!("| category | sends | should warn | warned right | missed | false alarms | precision | recall |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    let row = |name: &str, s: &Score| {
        println!(
            "| {name} | {} | {} | {} | {} | {} | {:.0} % | {:.0} % |",
            s.total(),
            s.tp + s.fn_,
            s.tp,
            s.fn_,
            s.fp,
            100.0 * s.precision(),
            100.0 * s.recall()
        );
    };
    for (name, s) in &by_category {
        row(name, s);
    }
    row("**all**", &total);
    let asked: Vec<_> = judged.iter().filter(|j| j.asked()).collect();
    println!(
        "\nA send counts as held when the window opens: a warning, or the question \"What do \
         you use this address for?\" (asked once per address nobody answered): {} sends, {} of \
         them labelled warn. Warnings alone: precision {:.0} %, recall {:.0} %, {} false alarms ({:.0} %).",
        asked.len(),
        asked.iter().filter(|j| j.scenario.warn).count(),
        100.0 * warnings.precision(),
        100.0 * warnings.recall(),
        warnings.fp,
        100.0 * warnings.false_alarm_rate()
    );
    let wrong: Vec<_> = judged.iter().filter(|j| !j.right()).collect();
    println!("\n{} sends judged against their label:", wrong.len());
    for j in wrong {
        let hit = |r: &ccguard_core::rules::RuleHit| {
            format!("{} {} of {}", r.id.id(), r.count, r.threshold)
        };
        let got = match (&j.verdict.ask_role, j.verdict.rules.first()) {
            (Some(ask), _) => format!("asked what the address is for: {}", hit(&ask.rules[0])),
            (None, Some(r)) => format!("warned: {}", hit(r)),
            (None, None) => "no warning".to_owned(),
        };
        let want = if j.scenario.warn {
            "should warn"
        } else {
            "should stay quiet"
        };
        let tags = if j.scenario.tags.is_empty() {
            String::new()
        } else {
            format!(" [{}]", j.scenario.tags.join(", "))
        };
        println!(
            "- {}{tags} ({want}; {got})\n    label: {}",
            j.scenario.id, j.scenario.why
        );
    }
}
