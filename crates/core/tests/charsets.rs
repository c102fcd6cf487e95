//! Display names in 30 charsets decode natively, through encoding_rs (Gecko's own decoder,
//! so what Thunderbird shows), exactly as the sender wrote them. The corpus is the one the
//! WASM build is checked with against Thunderbird's jsmime (tests/wasm/corpus/charsets.json,
//! written by make_charsets.py from Python's encoders); entries not marked `exact` are those
//! Thunderbird itself shows differently from what was meant.

use ccguard_core::address::Entry;
use ccguard_core::parse_address_list;
use ccguard_core::text::NATIVE;
use std::collections::BTreeSet;
use std::path::Path;

#[derive(serde::Deserialize)]
struct Corpus {
    names: Vec<Name>,
}

#[derive(serde::Deserialize)]
struct Name {
    charset: String,
    style: String,
    text: String,
    exact: bool,
    header: String,
}

fn corpus() -> Vec<Name> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/wasm/corpus/charsets.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let corpus: Corpus =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    corpus.names
}

#[test]
fn every_exact_name_in_thirty_charsets_decodes_as_written() {
    let names = corpus();
    let charsets: BTreeSet<&str> = names.iter().map(|n| n.charset.as_str()).collect();
    assert_eq!(charsets.len(), 30, "{charsets:?}");
    let mut failures = Vec::new();
    let mut checked = 0;
    for n in names.iter().filter(|n| n.exact) {
        checked += 1;
        let shown = match parse_address_list(&n.header, &NATIVE).first() {
            Some(Entry::Mailbox(m)) => m.name.clone(),
            other => format!("{other:?}"),
        };
        if shown != n.text {
            failures.push(format!(
                "{} {}: {:?} shows {shown:?}",
                n.charset, n.style, n.text
            ));
        }
    }
    assert!(checked > 400, "only {checked} exact names");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
