//! `cargo bench -p ccguard-core`: the hot paths behind the extension's budget
//! (`evaluate` of 10,000 recipients within 5 ms under Node, marshalling included).

use ccguard_core::message::Recipients;
use ccguard_core::{evaluate, parse_address_list, Message, Policy};
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

/// Recipients the way Thunderbird hands them over: one pill per string.
fn pills(n: usize) -> Vec<String> {
    let domains = ["gmail.com", "yahoo.com", "hotmail.co.uk", "outlook.com"];
    (0..n)
        .map(|i| format!("Anna Smith{i} <anna.smith{i}@{}>", domains[i % 4]))
        .collect()
}

fn message(cc: Vec<String>) -> Message {
    Message {
        from: "Support <support@shop.example>".into(),
        identity_email: None,
        to: Recipients::default(),
        cc: Recipients(cc),
        bcc: Recipients::default(),
    }
}

fn benches(c: &mut Criterion) {
    let header = pills(10_000).join(", ");
    c.bench_function("parse 10k header", |b| {
        b.iter(|| parse_address_list(black_box(&header)))
    });
    let policy = Policy::default();
    for n in [475, 10_000] {
        let m = message(pills(n));
        c.bench_function(&format!("evaluate {n}"), |b| {
            b.iter(|| evaluate(black_box(&m), &policy))
        });
    }
}

criterion_group!(benches_group, benches);
criterion_main!(benches_group);
