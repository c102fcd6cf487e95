//! `./build.sh judge` (or `cargo run -p ccguard-core --example judgement`): the default
//! policy's precision and recall on the labelled scenario set, per category, and every
//! scenario it gets wrong with the label's reason. `JUDGE_POLICY='{"privateThreshold": 3}'`
//! judges with other settings instead (to study a change of defaults).

#[path = "../tests/support/scenarios.rs"]
mod scenarios;
#[path = "../tests/support/mod.rs"]
mod support;

use ccguard_core::Policy;
use scenarios::{judge, load, Score};
use std::collections::BTreeMap;

fn main() {
    let all = load();
    let policy = match std::env::var("JUDGE_POLICY") {
        Ok(json) => {
            let reading = Policy::read(&serde_json::from_str(&json).expect("JUDGE_POLICY is JSON"));
            assert!(reading.rejected.is_empty(), "{:?}", reading.rejected);
            reading.policy
        }
        Err(_) => Policy::default(),
    };
    let judged = judge(&all, &policy, support::private_domains());
    let mut total = Score::default();
    let mut by_category: BTreeMap<&str, Score> = BTreeMap::new();
    for j in &judged {
        total.add(j);
        by_category.entry(&j.scenario.category).or_default().add(j);
    }
    println!(
        "CcGuard {} on {} labelled sends (positive = should warn)\n",
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
    let wrong: Vec<_> = judged.iter().filter(|j| !j.right()).collect();
    println!("\n{} sends judged against their label:", wrong.len());
    for j in wrong {
        let got = j
            .verdict
            .rule
            .as_ref()
            .map_or("no warning".to_owned(), |r| format!("warned: {}", r.reason));
        let want = if j.scenario.warn {
            "should warn"
        } else {
            "should stay quiet"
        };
        println!(
            "- {} ({want}; {got})\n    label: {}",
            j.scenario.id, j.scenario.why
        );
    }
}
