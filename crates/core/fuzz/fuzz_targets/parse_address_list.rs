//! `cargo +nightly fuzz run parse_address_list` (from crates/core).
//!
//! Any header text must parse without panicking, every reported span must be a valid
//! slice of the input, and evaluating it as To/Cc/Bcc must not panic either.
#![no_main]

use ccguard_core::address::parse_located;
use ccguard_core::message::Recipients;
use ccguard_core::{evaluate, parse_address_list, Message, Policy};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(header) = std::str::from_utf8(data) else { return };
    let _ = parse_address_list(header);
    for problem in parse_located(header).problems {
        assert!(header.get(problem.span).is_some());
    }
    let message = Message {
        from: header.to_owned(),
        identity_email: None,
        to: Recipients::from(vec![header.to_owned()]),
        cc: Recipients::from(header.split(',').collect::<Vec<_>>()),
        bcc: Recipients::from(vec![header.to_owned()]),
    };
    let _ = evaluate(&message, &Policy { threshold: 1 });
});
