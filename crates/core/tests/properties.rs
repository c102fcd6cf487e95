//! Properties that must hold for every input, not just the ones we thought of.

mod support;

use ccguard_core::address::{normalized_address, ParsedList};
use ccguard_core::context::Thread;
use ccguard_core::message::Recipients;
use ccguard_core::text::NATIVE;
use ccguard_core::verdict::{Action, Rewrite};
use ccguard_core::{
    evaluate, format_mailbox, move_external_to_bcc, move_to_bcc, Entry, Mailbox, Message, Policy,
    Related, Verdict,
};
use proptest::prelude::*;
use std::collections::BTreeSet;
use support::{audience, no_private};

fn parse_address_list(header: &str) -> Vec<Entry> {
    ccguard_core::parse_address_list(header, &NATIVE)
}

fn parse_located(header: &str) -> ParsedList {
    ccguard_core::address::parse_located(header, &NATIVE)
}

fn parse_located_full(header: &str) -> ParsedList {
    ccguard_core::address::parse_located_full(header, &NATIVE)
}

fn judge(m: &Message, threshold: u32) -> Verdict {
    evaluate(m, &audience(threshold), &no_private())
}

fn rewrite(m: &Message) -> Rewrite {
    move_to_bcc(m, &Policy::default(), &no_private())
}

/// Usable mailboxes of a list of header strings, as comparable keys.
fn keys<T: AsRef<str>>(texts: impl IntoIterator<Item = T>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for t in texts {
        for entry in parse_located(t.as_ref()).entries {
            for m in entry.mailboxes().iter().filter(|m| m.usable) {
                out.insert(normalized_address(&m.mailbox.email, &NATIVE));
            }
        }
    }
    out
}

/// The verdict's judgement of exposure, without what the thread and groups add to it.
fn exposure(
    v: &Verdict,
) -> (
    Action,
    bool,
    Vec<ccguard_core::rules::RuleHit>,
    u32,
    u32,
    u32,
) {
    (
        v.action,
        v.blocked,
        v.rules.clone(),
        v.organisations,
        v.private_domains,
        v.context.exposed,
    )
}

fn address_like() -> impl Strategy<Value = String> {
    proptest::string::string_regex(r#"[a-zA-Zé用 .,;:<>@()"\\\[\]=?_\t-]{0,80}"#).unwrap()
}

fn encoded_word() -> impl Strategy<Value = String> {
    (
        prop_oneof!["UTF-8", "utf-8", "ISO-8859-1", "x-bogus", ""],
        prop_oneof!["B", "q", "Q", "x"],
        "[A-Za-z0-9=_+/?]{0,12}",
    )
        .prop_map(|(c, e, t)| format!("=?{c}?{e}?{t}?="))
}

/// Names with the characters that make quoting necessary.
fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[A-Za-z]{1,8}( [A-Za-z]{1,8})?",
        r#"[A-Za-z ,.;:<>@()"\\éü]{1,16}"#,
        encoded_word(),
    ]
}

/// A small pool of addresses in several spellings, so fields overlap often.
fn email() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-c]@[a-b]\\.example",
        "[A-C]@[A-B]\\.EXAMPLE",
        Just("u@xn--bcher-kva.example".to_owned()),
        Just("u@bücher.example".to_owned()),
        Just("U@BÜCHER.example".to_owned()),
        Just("\"a b\"@q.example".to_owned()),
        Just("x@[192.0.2.1]".to_owned()),
    ]
}

fn mailbox_text() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => (name(), email()).prop_map(|(name, email)| format_mailbox(&Mailbox { name, email })),
        1 => email().prop_map(|e| format!("{e} (comment)")),
        1 => proptest::collection::vec(email(), 0..3).prop_map(|v| format!("Group: {};", v.join(", "))),
        1 => address_like(),
    ]
}

/// Non-ASCII characters for names: letters the fast path takes as they are, and
/// the invisible, space-like and joining characters that it must leave to the full
/// grammar (which removes them, turns them into spaces or collapses them).
fn non_ascii_char() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => proptest::sample::select(vec![
            "é", "ü", "ç", "í", "ø", "ß", "Ł", "ő", "ș", "Ω", "Ж", "א", "ع", "山", "田", "太", "郎",
            "ㅎ", "😀", "\u{301}", "\u{308}", "¡", "¬", "®", "ÿ", "ɏ", "\u{300}", "\u{FFFD}",
        ]).prop_map(str::to_owned),
        2 => proptest::sample::select(vec![
            "\u{A0}", "\u{AD}", "\u{85}", "\u{9F}", "\u{200B}", "\u{200C}", "\u{200D}",
            "\u{200E}", "\u{200F}", "\u{202E}", "\u{2028}", "\u{2029}", "\u{2060}",
            "\u{FEFF}", "\u{FE0F}", "\u{FE0E}", "\u{FE00}", "\u{2800}", "\u{3000}",
            "\u{1680}", "\u{2003}", "\u{202F}", "\u{205F}", "\u{34F}", "\u{180E}",
            "\u{E0100}", "\u{E0041}", "\u{61C}",
        ]).prop_map(str::to_owned),
        1 => any::<char>().prop_map(String::from),
    ]
}

/// A display-name word mixing ASCII atom characters and non-ASCII ones.
fn non_ascii_word() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![3 => "[A-Za-z'.=-]{1,3}", 2 => non_ascii_char()],
        1..5,
    )
    .prop_map(|v| v.concat())
}

/// Realistic and tricky non-ASCII names: unquoted words or a quoted string, with
/// an ASCII address or one with non-ASCII (RFC 6532, IDN) in it.
fn non_ascii_mailbox() -> impl Strategy<Value = String> {
    let ws = prop_oneof![Just(""), Just(" "), Just("  "), Just("\t")];
    let sep = prop_oneof![4 => Just(" "), 1 => Just("  "), 1 => Just("\u{A0}"), 1 => Just(",")];
    let address = prop_oneof![
        4 => "[a-z0-9.]{1,6}@[a-z]{1,5}\\.example",
        1 => Just("jürgen@x.example".to_owned()),
        1 => Just("u@bücher.example".to_owned()),
        1 => Just("u@xn--bcher-kva.example".to_owned()),
        1 => Just("山田@例え.jp".to_owned()),
    ];
    let words = (proptest::collection::vec((non_ascii_word(), sep), 1..4))
        .prop_map(|v| {
            v.into_iter()
                .map(|(w, s)| format!("{w}{s}"))
                .collect::<String>()
        })
        .boxed();
    let (ws, address) = (ws.boxed(), address.boxed());
    prop_oneof![
        (words.clone(), ws.clone(), address.clone())
            .prop_map(|(n, ws, a)| format!("{}{ws}<{a}>", n.trim_end())),
        (words, ws, address.clone())
            .prop_map(|(n, ws, a)| format!("\"{}\"{ws}<{a}>", n.trim_end())),
        address,
    ]
}

/// The shapes the parser's fast path reads, and near misses that it must leave to
/// the full grammar: odd spacing, dots, quotes, `!`, `=`, empty parts.
fn simple_mailbox() -> impl Strategy<Value = String> {
    let atom = "[A-Za-z0-9._'+!=-]{0,6}";
    let ws = prop_oneof![Just(""), Just(" "), Just("  "), Just("\t"), Just(" \r\n ")];
    prop_oneof![
        (atom, atom).prop_map(|(l, d)| format!("{l}@{d}")),
        (
            proptest::collection::vec(atom, 0..3),
            ws.clone(),
            atom,
            atom
        )
            .prop_map(|(words, ws, l, d)| format!("{}{ws}<{l}@{d}>", words.join(" "))),
        ("[A-Za-z ,.;:<>@()=!'-]{0,10}", ws, atom, atom)
            .prop_map(|(q, ws, l, d)| format!("\"{q}\"{ws}<{l}@{d}>")),
    ]
}

fn separator() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(", ".to_owned()),
        Just(",".to_owned()),
        Just("; ".to_owned()),
        Just(" , ".to_owned()),
        Just("\t".to_owned()),
        Just(":".to_owned()),
        Just(" ".to_owned()),
    ]
}

/// A field: a few strings, each holding one or more mailboxes.
fn field() -> impl Strategy<Value = Vec<String>> {
    proptest::collection::vec(
        proptest::collection::vec(mailbox_text(), 1..3).prop_map(|v| v.join(", ")),
        0..4,
    )
}

fn message() -> impl Strategy<Value = Message> {
    (
        prop_oneof![
            Just(String::new()),
            (name(), email()).prop_map(|(name, email)| format_mailbox(&Mailbox { name, email }))
        ],
        field(),
        field(),
        field(),
    )
        .prop_map(|(from, to, cc, bcc)| Message {
            from,
            identity_email: None,
            to: Recipients::from(to),
            cc: Recipients::from(cc),
            bcc: Recipients::from(bcc),
            ..Message::default()
        })
}

/// Each item followed by its separator, as a header of several mailboxes.
fn joined(items: &[String], seps: &[String]) -> String {
    items
        .iter()
        .zip(seps)
        .flat_map(|(item, sep)| [item.as_str(), sep.as_str()])
        .collect()
}

proptest! {
    // PROPTEST_CASES raises the count for longer local runs.
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(2000)
    ))]

    #[test]
    fn parser_never_panics_on_arbitrary_strings(s in any::<String>()) {
        let _ = parse_address_list(&s);
        let m = Message {
            from: s.clone(),
            to: Recipients::from(vec![s.clone()]),
            bcc: Recipients::from(vec![s.clone()]),
            related: Some(Related { author: s.clone(), to: Recipients::from(vec![s.clone()]), cc: Recipients::default() }),
            known_groups: vec![vec![s.clone(), s]],
            ..Message::default()
        };
        let _ = judge(&m, 1);
        let _ = rewrite(&m);
        let _ = move_external_to_bcc(&m, &audience(1), &no_private());
    }

    #[test]
    fn parser_never_panics_on_address_like_strings(parts in proptest::collection::vec(prop_oneof![address_like(), encoded_word()], 0..5)) {
        let s = parts.concat();
        let parsed = parse_located(&s);
        for p in &parsed.problems {
            prop_assert!(s.get(p.span.clone()).is_some(), "problem span {:?} is not a char boundary range of {:?}", p.span, s);
        }
        let _ = parse_address_list(&s);
    }

    #[test]
    fn fast_path_and_full_grammar_agree_on_simple_lists(items in proptest::collection::vec(simple_mailbox(), 0..6), seps in proptest::collection::vec(separator(), 6)) {
        let s = joined(&items, &seps);
        prop_assert_eq!(parse_located(&s), parse_located_full(&s), "input {:?}", s);
    }

    #[test]
    fn fast_path_and_full_grammar_agree_on_non_ascii_names(items in proptest::collection::vec(prop_oneof![non_ascii_mailbox(), simple_mailbox()], 0..6), seps in proptest::collection::vec(separator(), 6)) {
        let s = joined(&items, &seps);
        prop_assert_eq!(parse_located(&s), parse_located_full(&s), "input {:?}", s);
    }

    #[test]
    fn fast_path_and_full_grammar_agree_on_address_like_strings(parts in proptest::collection::vec(prop_oneof![address_like(), encoded_word(), simple_mailbox(), non_ascii_mailbox()], 0..5)) {
        let s = parts.concat();
        prop_assert_eq!(parse_located(&s), parse_located_full(&s), "input {:?}", s);
    }

    #[test]
    fn format_then_parse_gives_back_the_mailbox(name in prop_oneof!["[A-Za-z ,.;:<>@()\"\\\\éü=?]{0,16}", encoded_word()], email in prop_oneof![email(), encoded_word().prop_map(|w| format!("\"a {w}\"@x.example")), encoded_word().prop_map(|w| format!("{w}@x.example"))]) {
        let m = Mailbox { name: name.split_whitespace().collect::<Vec<_>>().join(" "), email };
        let parsed = parse_address_list(&format_mailbox(&m));
        prop_assert_eq!(parsed.len(), 1);
        let back = parsed[0].mailboxes()[0].clone();
        prop_assert_eq!(back.email, m.email);
        prop_assert_eq!(back.name, m.name);
    }

    #[test]
    fn rewrite_never_loses_or_adds_a_recipient(m in message()) {
        let r = rewrite(&m);
        let before: BTreeSet<String> = keys(m.to.iter().chain(m.cc.iter()).chain(m.bcc.iter()));
        let after: BTreeSet<String> = keys(r.to.iter().chain(&r.cc).chain(&r.bcc));
        let sender = keys([&m.from]);
        let expected: BTreeSet<String> = before.union(&sender).cloned().collect();
        prop_assert_eq!(&after, &expected);
        // Nobody but the sender stays visible.
        prop_assert!(keys(&r.cc).is_empty());
        prop_assert!(keys(&r.to).is_subset(&sender));
    }

    #[test]
    fn after_move_to_bcc_nobody_is_visible_and_everyone_is_in_bcc(m in message()) {
        let r = rewrite(&m);
        let after = Message {
            from: m.from.clone(),
            to: Recipients::from(r.to),
            cc: Recipients::from(r.cc),
            bcc: Recipients::from(r.bcc),
            ..Message::default()
        };
        let v = judge(&after, 1);
        prop_assert_eq!(v.counts.visible, 0);
        prop_assert!(v.rules.is_empty());
        let sender = keys([&m.from]);
        let everyone = keys(m.to.iter().chain(m.cc.iter()).chain(m.bcc.iter()));
        prop_assert_eq!(v.counts.bcc as usize, everyone.difference(&sender).count());
    }

    #[test]
    fn move_only_external_is_offered_exactly_when_the_verdict_is_mixed(m in message()) {
        let v = judge(&m, 1);
        prop_assert_eq!(v.mixed, v.counts.internal > 0 && v.counts.external > 0);
        prop_assert_eq!(move_external_to_bcc(&m, &audience(1), &no_private()).is_some(), v.mixed);
    }

    #[test]
    fn replying_unchanged_to_a_thread_from_outside_exposes_nobody(m in message()) {
        let mut reply = m.clone();
        reply.related = Some(Related {
            author: "Zoe <zoe@outside.example>".into(),
            to: m.to.clone(),
            cc: m.cc.clone(),
        });
        let v = judge(&reply, 1);
        prop_assert_eq!(v.context.thread, Some(Thread::Outside));
        prop_assert_eq!(v.context.exposed, 0);
        prop_assert!(v.rules.is_empty(), "{:?}", v.rules);
        prop_assert_eq!(v.counts, judge(&m, 1).counts);
        // The same people as one known group: the same.
        let mut known = m.clone();
        known.known_groups = vec![m.to.iter().chain(m.cc.iter()).map(str::to_owned).collect()];
        let v = judge(&known, 1);
        prop_assert_eq!(v.context.exposed, 0);
        prop_assert!(v.rules.is_empty(), "{:?}", v.rules);
    }

    #[test]
    fn a_thread_from_inside_excuses_nothing(m in message()) {
        let mut reply = m.clone();
        // Written by the sender: the thread's own exposure is the sender's to answer for.
        reply.related = Some(Related {
            author: m.from.clone(),
            to: m.to.clone(),
            cc: m.cc.clone(),
        });
        let v = judge(&reply, 1);
        let sender_known = !keys([&m.from]).is_empty();
        prop_assert_eq!(v.context.thread, sender_known.then_some(Thread::Inside));
        prop_assert_eq!(exposure(&v), exposure(&judge(&m, 1)));
    }

    #[test]
    fn context_only_ever_lowers_the_exposure(m in message(), split in 0usize..4) {
        // Some of the visible people as a known group: nobody becomes more exposed.
        let strings: Vec<String> = m.to.iter().chain(m.cc.iter()).map(str::to_owned).collect();
        let mut known = m.clone();
        known.known_groups = vec![strings.iter().skip(split).cloned().collect()];
        let (before, after) = (judge(&m, 1), judge(&known, 1));
        prop_assert!(after.context.exposed <= before.context.exposed);
        prop_assert!(after.rules.len() <= before.rules.len());
        for (a, b) in after.rules.iter().zip(&before.rules) {
            prop_assert!(a.id == b.id && a.count <= b.count, "{:?} vs {:?}", after.rules, before.rules);
        }
    }

    #[test]
    fn visible_count_is_distinct_to_and_cc_minus_sender(m in message()) {
        let v = judge(&m, 3);
        let mut visible = keys(m.to.iter().chain(m.cc.iter()));
        for s in keys([&m.from]) {
            visible.remove(&s);
        }
        prop_assert_eq!(v.counts.visible as usize, visible.len());
        prop_assert_eq!(v.visible.len(), visible.len().min(ccguard_core::verdict::VISIBLE_SAMPLE));
        prop_assert_eq!(v.visible_truncated, visible.len() > ccguard_core::verdict::VISIBLE_SAMPLE);
        prop_assert_eq!(v.counts.to + v.counts.cc, v.counts.visible);
        prop_assert_eq!(v.domains.iter().map(|d| d.count).sum::<u32>(), v.counts.visible);
        prop_assert_eq!(v.domains.len() as u32, v.distinct_domains);
        let sender = keys([&m.from]);
        prop_assert_eq!(v.counts.bcc as usize, keys(m.bcc.iter()).difference(&sender).count());
        // On a new message: a colleague counts once anyone else sees them, anyone else once
        // another outsider does (a colleague seeing a customer is no exposure).
        let (internal, external) = (v.counts.internal, v.counts.external);
        let exposed = if visible.len() >= 2 { internal } else { 0 } + if external >= 2 { external } else { 0 };
        prop_assert_eq!(v.context.exposed, exposed);
        prop_assert_eq!(v.action == Action::Warn, exposed >= 3);
    }
}
