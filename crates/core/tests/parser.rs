//! The address parser, one behaviour per test.

use ccguard_core::address::{Group, ProblemKind};
use ccguard_core::text::NATIVE;
use ccguard_core::{Entry, Mailbox};
use serde_json::json;

fn parse_address_list(header: &str) -> Vec<Entry> {
    ccguard_core::parse_address_list(header, &NATIVE)
}

fn parse_located(header: &str) -> ccguard_core::address::ParsedList {
    ccguard_core::address::parse_located(header, &NATIVE)
}

fn mb(name: &str, email: &str) -> Entry {
    Entry::Mailbox(Mailbox {
        name: name.into(),
        email: email.into(),
    })
}

fn problems(s: &str) -> Vec<(ProblemKind, &str)> {
    parse_located(s)
        .problems
        .into_iter()
        .map(|p| (p.kind, &s[p.span]))
        .collect()
}

#[test]
fn bare_address_has_an_empty_name() {
    assert_eq!(
        parse_address_list("a@b.example"),
        vec![mb("", "a@b.example")]
    );
}

#[test]
fn name_addr_gives_name_and_address() {
    assert_eq!(
        parse_address_list("Bob Smith <bob@x.example>"),
        vec![mb("Bob Smith", "bob@x.example")]
    );
}

#[test]
fn quoted_display_name_may_contain_commas() {
    assert_eq!(
        parse_address_list(r#""Doe, John" <j@x.example>, k@y.example"#),
        vec![mb("Doe, John", "j@x.example"), mb("", "k@y.example")]
    );
}

#[test]
fn backslash_escapes_in_quoted_names_are_removed() {
    assert_eq!(
        parse_address_list(r#""Joe \"the\" \\Man" <j@x.example>"#),
        vec![mb(r#"Joe "the" \Man"#, "j@x.example")]
    );
}

#[test]
fn comment_in_a_display_name_stays_part_of_the_name() {
    assert_eq!(
        parse_address_list("Bob (Sales) <b@x.example>"),
        vec![mb("Bob (Sales)", "b@x.example")]
    );
}

#[test]
fn comment_after_a_bare_address_becomes_the_name() {
    assert_eq!(
        parse_address_list("b@x.example (Bob Smith)"),
        vec![mb("Bob Smith", "b@x.example")]
    );
}

#[test]
fn comment_inside_angle_brackets_is_dropped() {
    assert_eq!(
        parse_address_list("<b@x.example (Bob)>"),
        vec![mb("", "b@x.example")]
    );
}

#[test]
fn empty_group_has_no_members() {
    assert_eq!(
        parse_address_list("undisclosed-recipients:;"),
        vec![Entry::Group(Group {
            name: "undisclosed-recipients".into(),
            group: vec![]
        })]
    );
}

#[test]
fn group_members_belong_to_the_group_and_later_addresses_do_not() {
    let entries = parse_address_list("Team: a@x.example, b@y.example; c@z.example");
    assert_eq!(
        serde_json::to_value(&entries).unwrap(),
        json!([
            {"name": "Team", "group": [{"name": "", "email": "a@x.example"}, {"name": "", "email": "b@y.example"}]},
            {"name": "", "email": "c@z.example"}
        ])
    );
}

#[test]
fn group_without_closing_semicolon_ends_with_the_header() {
    assert_eq!(parse_address_list("G: a@x.example")[0].mailboxes().len(), 1);
}

#[test]
fn domain_literal_is_kept_with_brackets() {
    assert_eq!(
        parse_address_list("a@[192.0.2.1]"),
        vec![mb("", "a@[192.0.2.1]")]
    );
}

#[test]
fn obsolete_route_is_skipped() {
    assert_eq!(
        parse_address_list("<@r1.example,@r2.example:a@x.example>"),
        vec![mb("", "a@x.example")]
    );
}

#[test]
fn encoded_word_names_are_decoded() {
    assert_eq!(
        parse_address_list("=?UTF-8?B?SsO8cmdlbg==?= <j@x.example>"),
        vec![mb("Jürgen", "j@x.example")]
    );
    assert_eq!(
        parse_address_list("=?ISO-8859-1?Q?Andr=E9?= <a@x.example>"),
        vec![mb("André", "a@x.example")]
    );
    assert_eq!(
        parse_address_list("=?ISO-8859-15?Q?=A4?= <a@x.example>"),
        vec![mb("€", "a@x.example")]
    );
    assert_eq!(
        parse_address_list("=?windows-1252?Q?=93hi=94?= <a@x.example>"),
        vec![mb("“hi”", "a@x.example")]
    );
}

#[test]
fn unknown_charset_leaves_the_encoded_word_raw() {
    assert_eq!(
        parse_address_list("=?x-mac-klingon?Q?a?= <a@x.example>"),
        vec![mb("=?x-mac-klingon?Q?a?=", "a@x.example")]
    );
}

#[test]
fn raw_utf8_names_and_addresses_are_kept() {
    assert_eq!(
        parse_address_list("Jürgen <jürgen@bücher.example>"),
        vec![mb("Jürgen", "jürgen@bücher.example")]
    );
}

#[test]
fn local_part_with_specials_is_shown_quoted() {
    assert_eq!(
        parse_address_list(r#""a b"@x.example"#),
        vec![mb("", r#""a b"@x.example"#)]
    );
}

#[test]
fn whitespace_in_names_is_collapsed() {
    assert_eq!(
        parse_address_list("Bob\t\r\n  Smith <b@x.example>"),
        vec![mb("Bob Smith", "b@x.example")]
    );
}

#[test]
fn invisible_characters_in_names_are_neutralised() {
    assert_eq!(
        parse_address_list("Bob\u{200B}Smith\u{202E} <b@x.example>"),
        vec![mb("Bob Smith", "b@x.example")]
    );
}

#[test]
fn empty_elements_are_skipped() {
    assert_eq!(
        parse_address_list(" , a@x.example,, ,"),
        vec![mb("", "a@x.example")]
    );
    assert!(parse_address_list("").is_empty());
}

#[test]
fn semicolon_outside_a_group_separates_like_a_comma() {
    assert_eq!(parse_address_list("a@x.example; b@y.example").len(), 2);
}

#[test]
fn name_without_address_is_returned_and_reported() {
    assert_eq!(parse_address_list("Bob"), vec![mb("Bob", "")]);
    assert_eq!(
        problems("a@x.example, Bob"),
        vec![(ProblemKind::NoAddress, "Bob")]
    );
}

#[test]
fn unclosed_quote_is_reported_as_the_cause() {
    assert_eq!(
        problems(r#""Bob <b@x.example>"#),
        vec![(ProblemKind::UnclosedQuote, r#""Bob <b@x.example>"#)]
    );
}

#[test]
fn unclosed_comment_swallowing_a_mailbox_is_reported() {
    assert_eq!(parse_address_list("(oops b@x.example"), vec![]);
    assert_eq!(
        problems("(oops b@x.example"),
        vec![(ProblemKind::UnclosedComment, "(oops b@x.example")]
    );
}

#[test]
fn missing_parts_of_an_address_are_reported() {
    assert_eq!(problems("@x.example")[0].0, ProblemKind::MissingLocalPart);
    assert_eq!(problems("a@")[0].0, ProblemKind::MissingDomain);
    assert_eq!(problems("a@b c.example")[0].0, ProblemKind::InvalidDomain);
}

#[test]
fn unclosed_angle_bracket_still_yields_the_address() {
    assert_eq!(
        parse_address_list("Bob <b@x.example"),
        vec![mb("Bob", "b@x.example")]
    );
}

#[test]
fn every_problem_has_a_message() {
    for kind in [
        ProblemKind::NoAddress,
        ProblemKind::MissingLocalPart,
        ProblemKind::MissingDomain,
        ProblemKind::SpaceInAddress,
        ProblemKind::InvalidDomain,
        ProblemKind::UnclosedQuote,
        ProblemKind::UnclosedComment,
        ProblemKind::UnclosedDomainLiteral,
    ] {
        assert!(!kind.message().is_empty());
        assert_eq!(kind.to_string(), kind.message());
    }
}

#[test]
fn problems_cross_as_kebab_case_codes() {
    assert_eq!(
        serde_json::to_value(ProblemKind::NoAddress).unwrap(),
        "no-address"
    );
    assert_eq!(
        serde_json::to_value(ProblemKind::UnclosedDomainLiteral).unwrap(),
        "unclosed-domain-literal"
    );
}

#[test]
fn entries_serialize_in_jsmime_shape() {
    let entries = parse_address_list("Bob <b@x.example>, G: ;");
    assert_eq!(
        serde_json::to_value(&entries).unwrap(),
        json!([{"name": "Bob", "email": "b@x.example"}, {"name": "G", "group": []}])
    );
    let back: Vec<Entry> = serde_json::from_value(serde_json::to_value(&entries).unwrap()).unwrap();
    assert_eq!(back, entries);
}
