//! `cargo +nightly fuzz run parse_address_list` (from crates/core).
//!
//! Any header text must parse without panicking, every reported span must be a valid
//! slice of the input, and evaluating it as To/Cc/Bcc (with itself as the message
//! answered and as known groups), rewriting it or planning its personal copies must not
//! panic either.
#![no_main]

use ccguard_core::address::parse_located;
use ccguard_core::message::Recipients;
use ccguard_core::text::NATIVE;
use ccguard_core::{
    evaluate, move_external_to_bcc, move_to_bcc, parse_address_list, separate, Env, MailingList,
    Message, Policy, PrivateDomains, Related,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(header) = std::str::from_utf8(data) else {
        return;
    };
    let _ = parse_address_list(header, &NATIVE);
    for problem in parse_located(header, &NATIVE).problems {
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
            members: (i % 2 == 0)
                .then(|| pieces.iter().skip(i / 2).map(|s| (*s).to_owned()).collect()),
        })
        .collect();
    let message = Message {
        from: header.to_owned(),
        to: Recipients::from(vec![header.to_owned()]),
        cc: Recipients::from(pieces.clone()),
        bcc: Recipients::from(vec![header.to_owned()]),
        own_addresses: pieces.iter().take(2).map(|s| (*s).to_owned()).collect(),
        lists,
        related: Some(Related {
            author: pieces.last().copied().unwrap_or_default().to_owned(),
            to: Recipients::from(pieces.clone()),
            cc: Recipients::from(vec![header.to_owned()]),
        }),
        known_groups: pieces
            .chunks(3)
            .map(|g| g.iter().map(|s| (*s).to_owned()).collect())
            .collect(),
        ..Message::default()
    };
    let settings = serde_json::json!({"privateThreshold": 1, "externalThreshold": 1, "organisationThreshold": 1, "audienceThreshold": 1, "hardLimit": 1, "internalDomains": ["*.example"], "allowedLists": ["list 3"]});
    let policy = Policy::read(&serde_json::from_value(settings).unwrap(), &NATIVE).policy;
    let private = PrivateDomains::from_lines("gmail.com\nexample", &NATIVE);
    let env = Env::new(&NATIVE, &private);
    let _ = evaluate(&message, &policy, &env);
    let _ = move_to_bcc(&message, &policy, &env);
    let _ = move_external_to_bcc(&message, &policy, &env);
    let _ = separate(&message, &policy, &env);
});
