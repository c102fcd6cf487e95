//! `cargo +nightly fuzz run parse_address_list` (from crates/core).
//!
//! Any header text must parse without panicking, every reported span must be a valid
//! slice of the input, and evaluating it as To/Cc/Bcc must not panic either.
#![no_main]

use ccguard_core::address::parse_located;
use ccguard_core::message::Recipients;
use ccguard_core::{evaluate, parse_address_list, MailingList, Message, Policy, PrivateDomains};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(header) = std::str::from_utf8(data) else { return };
    let _ = parse_address_list(header);
    for problem in parse_located(header).problems {
        assert!(header.get(problem.span).is_some());
    }
    // The pieces between commas double as address-book lists naming each other, so
    // expansion (nesting, cycles, unknown members) is fuzzed too.
    let pieces: Vec<&str> = header.split(',').collect();
    let lists = pieces
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 3 == 0)
        .map(|(i, p)| MailingList {
            reference: (*p).to_owned(),
            name: format!("list {i}"),
            members: (i % 2 == 0).then(|| pieces.iter().skip(i / 2).map(|s| (*s).to_owned()).collect()),
        })
        .collect();
    let message = Message {
        from: header.to_owned(),
        to: Recipients::from(vec![header.to_owned()]),
        cc: Recipients::from(pieces.clone()),
        bcc: Recipients::from(vec![header.to_owned()]),
        own_addresses: pieces.iter().take(2).map(|s| (*s).to_owned()).collect(),
        lists,
        ..Message::default()
    };
    let settings = serde_json::json!({"privateThreshold": 1, "externalThreshold": 1, "organisationThreshold": 1, "audienceThreshold": 1, "hardLimit": 1, "internalDomains": ["*.example"], "allowedLists": ["list 3"]});
    let policy = Policy::read(&serde_json::from_value(settings).unwrap()).policy;
    let _ = evaluate(&message, &policy, &PrivateDomains::from_lines("gmail.com\nexample"));
});
