//! Table-driven parser vectors: `tests/vectors/*.json` hold `{input, expected}` pairs,
//! where `expected` is the jsmime-shaped list Thunderbird's parser returns (or, in
//! `divergences.json`, what CcGuard returns on purpose; see DIVERGENCES.md).

use ccguard_core::parse_address_list;
use ccguard_core::text::NATIVE;
use serde_json::Value;
use std::path::Path;

#[derive(serde::Deserialize)]
struct Vector {
    input: String,
    expected: Value,
}

fn check_file(name: &str) -> usize {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/vectors")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let vectors: Vec<Vector> =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut failures = Vec::new();
    for v in &vectors {
        let actual =
            serde_json::to_value(parse_address_list(&v.input, &NATIVE)).expect("entries serialize");
        if actual != v.expected {
            failures.push(format!(
                "input {:?}\n  expected {}\n  actual   {}",
                v.input, v.expected, actual
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} vectors in {name} differ:\n{}",
        failures.len(),
        vectors.len(),
        failures.join("\n")
    );
    vectors.len()
}

#[test]
fn parser_matches_thunderbird_on_the_jsmime_vectors() {
    assert!(check_file("jsmime.json") >= 60);
}

#[test]
fn parser_follows_the_documented_divergences() {
    check_file("divergences.json");
}
