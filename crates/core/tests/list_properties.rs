//! Properties of list expansion, de-duplication and both rewrites: whatever the lists
//! (nested, cyclic, unknown), nobody is lost or added, and "Move only external" leaves
//! exactly the colleagues visible.

use ccguard_core::address::normalized_address;
use ccguard_core::message::Recipients;
use ccguard_core::text::NATIVE;
use ccguard_core::{
    evaluate, move_external_to_bcc, move_to_bcc, parse_address_list, Env, MailingList, Message,
    Policy, PrivateDomains, Value,
};
use proptest::prelude::*;
use std::collections::BTreeSet;
use std::sync::OnceLock;

const SENDER: &str = "Ann <ann@shop.example>";
const DOMAINS: [&str; 5] = [
    "shop.example",
    "team.shop.example",
    "partner.example",
    "gmail.com",
    "SHOP.example",
];

fn list_ref(i: usize) -> String {
    format!("L{i} <\"L{i}\">")
}

fn address() -> impl Strategy<Value = String> {
    (0..4usize, 0..DOMAINS.len(), any::<bool>()).prop_map(|(local, d, named)| {
        let addr = format!("{}@{}", ["bo", "cy", "di", "ann"][local], DOMAINS[d]);
        if named {
            format!("Person {local} <{addr}>")
        } else {
            addr
        }
    })
}

/// A recipient string: an address, a list's pill, two addresses in one string, or junk.
fn item(lists: usize) -> impl Strategy<Value = String> {
    prop_oneof![
        4 => address(),
        2 => (0..lists.max(1)).prop_map(list_ref),
        1 => (address(), address()).prop_map(|(a, b)| format!("{a}, {b}")),
        1 => Just("not an address <".to_owned()),
    ]
}

fn message() -> impl Strategy<Value = Message> {
    (0..4usize).prop_flat_map(|n| {
        let members = prop_oneof![
            4 => proptest::collection::vec(item(n), 0..5).prop_map(Some),
            1 => Just(None),
        ];
        (
            proptest::collection::vec(members, n),
            proptest::collection::vec(item(n), 0..5),
            proptest::collection::vec(item(n), 0..5),
            proptest::collection::vec(item(n), 0..3),
        )
            .prop_map(|(lists, to, cc, bcc)| Message {
                from: SENDER.to_owned(),
                to: Recipients::from(to),
                cc: Recipients::from(cc),
                bcc: Recipients::from(bcc),
                lists: lists
                    .into_iter()
                    .enumerate()
                    .map(|(i, members)| MailingList {
                        reference: list_ref(i),
                        name: format!("L{i}"),
                        members,
                    })
                    .collect(),
                ..Message::default()
            })
    })
}

/// Who a set of recipient strings reaches: addresses (comparable form), lists expanded
/// each once, and a token for a list whose members are unknown.
fn reach(m: &Message, texts: impl IntoIterator<Item = String>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut seen = BTreeSet::new();
    let mut stack: Vec<String> = texts.into_iter().collect();
    while let Some(text) = stack.pop() {
        match m.lists.iter().find(|l| l.reference == text.trim()) {
            Some(l) if seen.insert(l.name.clone()) => match &l.members {
                Some(members) => stack.extend(members.iter().cloned()),
                None => {
                    out.insert(format!("unknown list {}", l.name));
                }
            },
            Some(_) => {}
            None => {
                for e in parse_address_list(&text, &NATIVE) {
                    for mb in e.mailboxes().iter().filter(|mb| mb.email.contains('@')) {
                        out.insert(normalized_address(&mb.email, &NATIVE));
                    }
                }
            }
        }
    }
    out
}

fn fields(m: &Message) -> Vec<String> {
    m.to.iter()
        .chain(m.cc.iter())
        .chain(m.bcc.iter())
        .map(str::to_owned)
        .collect()
}

/// A list that cannot be written out member by member (a member unknown or unreadable,
/// here or in a nested list): "Move only external" moves it whole, as its pill.
fn opaque(m: &Message, text: &str, seen: &mut BTreeSet<String>) -> bool {
    let Some(l) = m.lists.iter().find(|l| l.reference == text.trim()) else {
        return false;
    };
    if !seen.insert(l.name.clone()) {
        return false;
    }
    let Some(members) = &l.members else {
        return true;
    };
    members.iter().any(|member| {
        let is_list = m.lists.iter().any(|l| l.reference == member.trim());
        (is_list && opaque(m, member, seen))
            || (!is_list && member.contains('<') && !member.contains('>'))
    })
}

fn colleague(key: &str) -> bool {
    key.ends_with("@shop.example") || key.ends_with(".shop.example")
}

fn warn_always() -> Policy {
    let all = serde_json::json!({"privateThreshold": 1, "externalThreshold": 1, "organisationThreshold": 1, "audienceThreshold": 1});
    Policy::read(&serde_json::from_value::<Value>(all).unwrap(), &NATIVE).policy
}

/// Only gmail.com is a consumer domain.
fn env() -> Env<'static> {
    static GMAIL: OnceLock<PrivateDomains> = OnceLock::new();
    Env::new(
        &NATIVE,
        GMAIL.get_or_init(|| PrivateDomains::from_lines("gmail.com", &NATIVE)),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(1000)
    ))]

    #[test]
    fn move_to_bcc_reaches_the_same_people_and_leaves_only_the_sender_visible(m in message()) {
        let r = move_to_bcc(&m, &warn_always(), &env());
        let before = reach(&m, fields(&m));
        let mut expected = before.clone();
        expected.insert("ann@shop.example".into());
        let after = reach(&m, r.to.iter().chain(&r.cc).chain(&r.bcc).cloned());
        prop_assert_eq!(&after, &expected);
        let visible = reach(&m, r.to.iter().chain(&r.cc).cloned());
        prop_assert!(visible.iter().all(|k| k == "ann@shop.example"), "still visible: {:?}", visible);
    }

    #[test]
    fn move_only_external_reaches_the_same_people_and_keeps_exactly_the_colleagues_visible(m in message()) {
        let v = evaluate(&m, &warn_always(), &env());
        let split = move_external_to_bcc(&m, &warn_always(), &env());
        prop_assert_eq!(split.is_some(), v.mixed);
        if let Some(r) = split {
            prop_assert_eq!(reach(&m, r.to.iter().chain(&r.cc).chain(&r.bcc).cloned()), reach(&m, fields(&m)));
            let clear = m.to.iter().chain(m.cc.iter()).filter(|t| !opaque(&m, t, &mut BTreeSet::new()));
            let visible_before = reach(&m, clear.map(str::to_owned));
            let visible_after = reach(&m, r.to.iter().chain(&r.cc).cloned());
            let colleagues: BTreeSet<String> = visible_before.iter().filter(|k| colleague(k)).cloned().collect();
            prop_assert!(colleagues.is_subset(&visible_after), "a colleague was moved: {:?} vs {:?}", colleagues, visible_after);
            prop_assert!(visible_after.iter().all(|k| colleague(k)), "an outsider stayed visible: {:?}", visible_after);
        }
    }

    #[test]
    fn visible_people_are_the_distinct_reach_of_to_and_cc_minus_the_sender(m in message()) {
        let v = evaluate(&m, &warn_always(), &env());
        let mut visible = reach(&m, m.to.iter().chain(m.cc.iter()).map(str::to_owned));
        visible.retain(|k| k != "ann@shop.example" && !k.starts_with("unknown list"));
        prop_assert_eq!(v.counts.visible as usize, visible.len());
        prop_assert_eq!(v.counts.internal as usize, visible.iter().filter(|k| colleague(k)).count());
        prop_assert_eq!(v.counts.private as usize, visible.iter().filter(|k| k.ends_with("@gmail.com")).count());
    }
}
