//! Each rule of the default policy, and what feeds it: who is a colleague, who is a
//! private individual, address-book lists, allowlists, per-identity thresholds.

mod support;

use ccguard_core::verdict::Rewrite;
use ccguard_core::{evaluate, move_external_to_bcc, move_to_bcc, Message, Policy, Verdict};
use serde_json::json;
use support::{env, list, list_ref, message, people, policy};

const CLINIC: &str = "Reception <reception@clinic.example>";

fn judge(m: &Message, p: &Policy) -> Verdict {
    evaluate(m, p, &env())
}

fn ids(v: &Verdict) -> Vec<&'static str> {
    v.rules.iter().map(|r| r.id.id()).collect()
}

fn move_all(m: &Message) -> Rewrite {
    move_to_bcc(m, &Policy::default(), &env())
}

fn move_external(m: &Message) -> Option<Rewrite> {
    move_external_to_bcc(m, &Policy::default(), &env())
}

#[test]
fn private_individuals_warn_from_three_when_an_organisation_writes() {
    let d = Policy::default();
    let three = people(3, "patient", &["gmail.com", "yahoo.co.uk", "gmx.de"]);
    let v = judge(&message(CLINIC, &[], &three, &[]), &d);
    assert_eq!(ids(&v), ["private-individuals"]);
    assert_eq!((v.counts.private, v.private_domains), (3, 3));
    assert_eq!(v.rules[0].domains, Some(3));
    let two = &three[..2];
    assert!(ids(&judge(&message(CLINIC, &[], two, &[]), &d)).is_empty());
}

#[test]
fn a_private_sender_writing_to_friends_is_judged_by_the_external_rule_only() {
    let me = "Ann <ann.smith@gmail.com>";
    let family = people(7, "cousin", &["gmail.com", "hotmail.com"]);
    assert!(ids(&judge(&message(me, &family, &[], &[]), &Policy::default())).is_empty());
    let guests = people(40, "guest", &["gmail.com", "outlook.com", "web.de"]);
    let v = judge(&message(me, &guests, &[], &[]), &Policy::default());
    assert_eq!(ids(&v), ["external-recipients"]);
    assert_eq!(
        v.counts.internal, 0,
        "nobody shares a consumer domain as a colleague"
    );
}

#[test]
fn colleagues_and_subdomains_are_internal_and_among_themselves_only_the_large_audience_rule_counts_them(
) {
    let mut team = people(30, "staff", &["clinic.example"]);
    team.extend(people(10, "nurse", &["ward4.clinic.example"]));
    let v = judge(&message(CLINIC, &team, &[], &[]), &Policy::default());
    assert_eq!((v.counts.internal, v.counts.external), (40, 0));
    assert!(
        ids(&v).is_empty(),
        "40 colleagues are far under the default large-audience threshold"
    );
    let v = judge(
        &message(CLINIC, &team, &[], &[]),
        &policy(json!({"audienceThreshold": 30})),
    );
    assert_eq!(ids(&v), ["large-audience"]);
    assert_eq!((v.rules[0].count, v.rules[0].threshold), (40, 30));
}

#[test]
fn forty_colleagues_shown_to_someone_outside_warn_and_the_outsider_in_bcc_is_enough() {
    // An all-staff list in Cc of a mail to a supplier's sales rep.
    let staff = people(40, "staff", &["clinic.example", "ward4.clinic.example"]);
    let rep = vec!["Rep <rep@vendor.example>".to_owned()];
    let m = message(CLINIC, &rep, &staff, &[]);
    let v = judge(&m, &Policy::default());
    assert_eq!(ids(&v), ["colleagues-exposed"]);
    assert_eq!((v.rules[0].count, v.rules[0].threshold), (40, 40));
    assert!(v.mixed);
    let moved = move_external(&m).expect("the outsider can go to Bcc alone");
    assert_eq!(
        (moved.to.len(), moved.cc.len(), moved.bcc.len()),
        (0, 40, 1)
    );
    // 39 colleagues do not warn; a sensitive identity warns from five.
    let fewer = message(CLINIC, &rep, &staff[..39], &[]);
    assert!(ids(&judge(&fewer, &Policy::default())).is_empty());
    let sensitive =
        policy(json!({"identities": {"reception@clinic.example": {"role": "sensitive"}}}));
    let five = judge(&message(CLINIC, &rep, &staff[..5], &[]), &sensitive);
    assert!(
        ids(&five).contains(&"colleagues-exposed"),
        "{:?}",
        ids(&five)
    );
}

#[test]
fn internal_domains_of_the_policy_are_colleagues_too() {
    let group = people(12, "colleague", &["lab.group.example", "group.example"]);
    let p = policy(json!({"internalDomains": ["*.group.example", "group.example"]}));
    let v = judge(&message(CLINIC, &group, &[], &[]), &p);
    assert_eq!((v.counts.internal, v.counts.external), (12, 0));
    assert!(ids(&v).is_empty());
    // Without it, 12 people of another organisation.
    let v = judge(&message(CLINIC, &group, &[], &[]), &Policy::default());
    assert_eq!(ids(&v), ["external-recipients"]);
}

#[test]
fn external_recipients_warn_from_ten() {
    let nine = people(9, "buyer", &["partner.example"]);
    assert!(ids(&judge(
        &message(CLINIC, &nine, &[], &[]),
        &Policy::default()
    ))
    .is_empty());
    let ten = people(10, "buyer", &["partner.example"]);
    let v = judge(&message(CLINIC, &ten, &[], &[]), &Policy::default());
    assert_eq!(ids(&v), ["external-recipients"]);
    assert_eq!(v.organisations, 1);
}

#[test]
fn people_from_four_organisations_warn_three_do_not() {
    let three = people(3, "contact", &["a.example", "b.example", "c.example"]);
    assert!(ids(&judge(
        &message(CLINIC, &three, &[], &[]),
        &Policy::default()
    ))
    .is_empty());
    let four = people(
        4,
        "contact",
        &["a.example", "b.example", "c.example", "d.example"],
    );
    let v = judge(&message(CLINIC, &four, &[], &[]), &Policy::default());
    assert_eq!(ids(&v), ["external-organisations"]);
    assert_eq!((v.rules[0].count, v.rules[0].threshold), (4, 4));
    assert_eq!(v.organisations, 4);
}

#[test]
fn the_hard_limit_blocks_above_it_and_comes_first() {
    let p = policy(json!({"hardLimit": 20}));
    let twenty = people(20, "member", &["club.example"]);
    let v = judge(&message(CLINIC, &[], &twenty, &[]), &p);
    assert!(!v.blocked);
    let mut more = twenty.clone();
    more.push("one.more@club.example".into());
    let m = message(CLINIC, &[], &more, &[]);
    let v = judge(&m, &p);
    assert!(v.blocked);
    assert_eq!(ids(&v), ["hard-limit", "external-recipients"]);
    assert_eq!((v.rules[0].count, v.rules[0].threshold), (21, 20));
    // Move to Bcc stays possible.
    let r = move_to_bcc(&m, &p, &env());
    assert_eq!((r.to.len(), r.cc.len(), r.bcc.len()), (1, 0, 21));
}

#[test]
fn move_to_bcc_puts_one_author_in_to_never_a_list_of_them() {
    let from = "Ann <ann@clinic.example>, x1@gmail.com, x2@gmail.com";
    let m = message(from, &[], &people(4, "patient", &["gmail.com"]), &[]);
    let r = move_to_bcc(&m, &policy(json!({"hardLimit": 1})), &env());
    assert_eq!(r.to, ["Ann <ann@clinic.example>"]);
    assert_eq!((r.cc.len(), r.bcc.len()), (0, 4));
    let single = message(CLINIC, &[], &people(2, "patient", &["gmail.com"]), &[]);
    assert_eq!(
        move_all(&single).to,
        [CLINIC],
        "one mailbox stays as written"
    );
}

#[test]
fn move_external_to_bcc_is_no_way_past_the_hard_limit() {
    // Five colleagues and one outsider: moving only the outsider leaves five visible.
    let mut to = people(5, "colleague", &["clinic.example"]);
    to.push("patient@gmail.com".into());
    let m = message(CLINIC, &to, &[], &[]);
    let strict = policy(json!({"hardLimit": 3}));
    assert!(judge(&m, &strict).blocked);
    assert_eq!(move_external_to_bcc(&m, &strict, &env()), None);
    // Within the limit once the outsider is hidden: offered.
    let five = policy(json!({"hardLimit": 5}));
    assert!(judge(&m, &five).blocked);
    let r = move_external_to_bcc(&m, &five, &env()).expect("five colleagues are within 5");
    assert_eq!((r.to.len(), r.bcc.len()), (5, 1));
}

#[test]
fn allowlisted_addresses_domains_and_lists_are_never_counted() {
    let p = policy(json!({
        "allowedAddresses": ["Board@Trust.example"],
        "allowedDomains": ["*.partner.example"],
        "allowedLists": ["all volunteers"],
    }));
    let mut cc = people(20, "x", &["eu.partner.example"]);
    cc.push("board@trust.example".into());
    cc.push(list_ref("All Volunteers"));
    let mut m = message(CLINIC, &[], &cc, &[]);
    m.lists = vec![list(
        "All Volunteers",
        Some(people(30, "v", &["gmail.com"])),
    )];
    let v = judge(&m, &p);
    assert_eq!(v.counts.visible, 51);
    assert_eq!(v.counts.allowed, 51);
    assert!(ids(&v).is_empty());
    assert_eq!(v.context.exposed, 0);
    // Not by the hard limit either.
    let mut strict = p.clone();
    strict.thresholds.hard_limit = 20;
    let v = judge(&m, &strict);
    assert!(!v.blocked, "{:?}", ids(&v));
    assert!(ids(&v).is_empty());
}

#[test]
fn the_policy_adds_and_removes_consumer_domains() {
    let p = policy(json!({"privateDomains": ["mail.coop"], "notPrivateDomains": ["gmx.de"]}));
    let cc = [people(5, "m", &["mail.coop"]), people(5, "g", &["gmx.de"])].concat();
    let v = judge(&message(CLINIC, &[], &cc, &[]), &p);
    assert_eq!((v.counts.private, v.counts.external), (5, 10));
    assert_eq!(v.organisations, 1, "gmx.de counts as an organisation here");
}

#[test]
fn an_identity_can_carry_its_own_thresholds() {
    let p = policy(json!({"identities": {"reception@clinic.example": {"privateThreshold": 2}}}));
    let two = people(2, "patient", &["gmail.com"]);
    assert_eq!(
        ids(&judge(&message(CLINIC, &[], &two, &[]), &p)),
        ["private-individuals"]
    );
    let other = "Dr Lee <lee@clinic.example>";
    assert!(ids(&judge(&message(other, &[], &two, &[]), &p)).is_empty());
}

#[test]
fn the_users_own_addresses_never_count() {
    let mut cc = people(2, "patient", &["gmail.com"]);
    cc.push("me.private@gmail.com".into());
    cc.push("reception@clinic.example".into());
    let mut m = message(CLINIC, &[], &cc, &[]);
    m.own_addresses = vec!["Me.Private@GMAIL.com".into()];
    let v = judge(&m, &Policy::default());
    assert_eq!(v.counts.visible, 2);
    assert!(
        ids(&v).is_empty(),
        "two patients, not three: my own private address is not a third"
    );
}

#[test]
fn a_thirty_member_list_in_cc_counts_its_members() {
    let mut m = message(
        CLINIC,
        &["chair@club.example".into()],
        &[list_ref("Club Members")],
        &[],
    );
    m.lists = vec![list(
        "Club Members",
        Some(people(30, "member", &["gmail.com", "yahoo.com"])),
    )];
    let v = judge(&m, &Policy::default());
    assert_eq!(v.counts.visible, 31);
    assert_eq!(v.counts.private, 30);
    assert_eq!(ids(&v)[0], "private-individuals");
    assert_eq!(v.lists.len(), 1);
    assert_eq!(
        (v.lists[0].members, v.lists[0].nested, v.lists[0].resolved),
        (30, false, true)
    );
    assert_eq!(v.visible[1].list.as_deref(), Some("Club Members"));
    let r = move_all(&m);
    assert_eq!(r.cc, Vec::<String>::new());
    assert_eq!(
        r.bcc,
        ["chair@club.example".to_owned(), list_ref("Club Members")]
    );
}

#[test]
fn nested_lists_count_every_member_once_and_a_cycle_ends() {
    let mut m = message(CLINIC, &[], &[list_ref("Parents")], &[]);
    let mut parents = vec![list_ref("Class 3A"), list_ref("Class 3B")];
    parents.push("head@school.example".into());
    let mut a = people(12, "parent", &["gmail.com"]);
    a.push(list_ref("Parents")); // a cycle back to the outer list
    let b = people(14, "parent", &["gmail.com"]); // parent.0..11 are in both classes
    m.lists = vec![
        list("Parents", Some(parents)),
        list("Class 3A", Some(a)),
        list("Class 3B", Some(b)),
    ];
    let v = judge(&m, &Policy::default());
    assert_eq!(v.counts.visible, 15);
    assert_eq!((v.lists[0].members, v.lists[0].nested), (15, true));
}

#[test]
fn a_list_whose_members_are_unknown_warns_and_is_named() {
    let mut m = message(CLINIC, &[list_ref("Year 6 Parents")], &[], &[]);
    m.lists = vec![list("Year 6 Parents", None)];
    let v = judge(&m, &Policy::default());
    assert_eq!(ids(&v), ["unresolved-list"]);
    assert_eq!(v.unresolved_lists, ["Year 6 Parents"]);
    assert!(!v.lists[0].resolved);
    // In Bcc, nobody sees anybody: no warning.
    let mut m = message(CLINIC, &[], &[], &[list_ref("Year 6 Parents")]);
    m.lists = vec![list("Year 6 Parents", None)];
    assert!(ids(&judge(&m, &Policy::default())).is_empty());
}

#[test]
fn a_list_in_bcc_counts_nobody_and_duplicates_of_a_list_count_once() {
    let members = people(30, "member", &["gmail.com"]);
    let mut m = message(CLINIC, &[], &[], &[list_ref("Club")]);
    m.lists = vec![list("Club", Some(members.clone()))];
    let v = judge(&m, &Policy::default());
    assert_eq!((v.counts.visible, v.counts.bcc), (0, 30));
    let mut m = message(CLINIC, &members[..3], &[list_ref("Club")], &[]);
    m.lists = vec![list("Club", Some(members))];
    assert_eq!(judge(&m, &Policy::default()).counts.visible, 30);
}

#[test]
fn move_only_external_keeps_colleagues_where_they_were() {
    let colleagues = people(5, "staff", &["clinic.example"]);
    let customers = people(12, "customer", &["gmail.com", "yahoo.com"]);
    let cc = [colleagues.clone(), customers.clone()].concat();
    let m = message(CLINIC, &["boss@clinic.example".into()], &cc, &[]);
    assert!(judge(&m, &Policy::default()).mixed);
    let r = move_external(&m).expect("offered: colleagues and customers are visible");
    assert_eq!(r.to, ["boss@clinic.example"]);
    assert_eq!(r.cc, colleagues);
    assert_eq!(r.bcc, customers);
}

#[test]
fn move_only_external_splits_a_mixed_list_and_keeps_an_internal_one_whole() {
    let mixed = [
        people(3, "staff", &["clinic.example"]),
        people(6, "patient", &["gmail.com"]),
    ]
    .concat();
    let staff = people(4, "team", &["clinic.example"]);
    let mut m = message(CLINIC, &[], &[list_ref("Group"), list_ref("Team")], &[]);
    m.lists = vec![
        list("Group", Some(mixed.clone())),
        list("Team", Some(staff)),
    ];
    assert!(judge(&m, &Policy::default()).mixed);
    let r = move_external(&m).unwrap();
    let mut expected_cc = mixed[..3].to_vec();
    expected_cc.push(list_ref("Team"));
    assert_eq!(r.cc, expected_cc);
    assert_eq!(r.bcc, mixed[3..]);
}

#[test]
fn no_split_is_offered_without_both_colleagues_and_outsiders() {
    let customers = people(20, "c", &["gmail.com"]);
    let staff = people(3, "staff", &["clinic.example"]);
    let none = Vec::new();
    for (to, cc, bcc, mixed) in [
        (&customers[..1], &none[..], &none[..], false),
        (&none[..], &customers[..], &none[..], false),
        (&staff[..], &none[..], &none[..], false),
        (&staff[..], &customers[..], &none[..], true),
        // Nobody in Bcc is visible: a colleague there mixes nothing.
        (&none[..], &customers[..], &staff[..], false),
    ] {
        let m = message(CLINIC, to, cc, bcc);
        let v = judge(&m, &Policy::default());
        assert_eq!(v.mixed, mixed, "{to:?} {cc:?} {bcc:?}");
        assert_eq!(move_external(&m).is_some(), mixed, "{to:?} {cc:?} {bcc:?}");
    }
}

#[test]
fn the_private_rule_names_its_count_threshold_and_domains() {
    let cc = people(
        312,
        "customer",
        &["gmail.com", "yahoo.com", "hotmail.com", "gmx.de"],
    );
    let v = judge(&message(CLINIC, &[], &cc, &[]), &Policy::default());
    assert_eq!(
        serde_json::to_value(&v.rules).unwrap(),
        json!([
            {"id": "private-individuals", "count": 312, "threshold": 3, "domains": 4},
            {"id": "external-recipients", "count": 312, "threshold": 10}
        ])
    );
}

#[test]
fn an_allowed_list_never_warns_even_when_its_members_are_unknown() {
    let mut m = message(
        CLINIC,
        &["x@partner.example".into(), list_ref("All Staff")],
        &[],
        &[],
    );
    m.lists = vec![list("All Staff", None)];
    let v = judge(&m, &policy(json!({"allowedLists": ["All Staff"]})));
    assert!(ids(&v).is_empty(), "{:?}", ids(&v));
    // Unknown lists in Bcc are not named either: they expose nobody.
    let mut m = message(
        CLINIC,
        &people(3, "c", &["gmail.com"]),
        &[],
        &[list_ref("All Staff")],
    );
    m.lists = vec![list("All Staff", None)];
    let v = judge(&m, &Policy::default());
    assert_eq!(ids(&v), ["private-individuals"]);
    assert!(v.unresolved_lists.is_empty());
}

#[test]
fn move_only_external_keeps_a_colleague_typed_twice_once() {
    let customers = people(3, "customer", &["gmail.com"]);
    let cc = [vec!["bob@clinic.example".to_owned()], customers.clone()].concat();
    let m = message(CLINIC, &["Bob <bob@clinic.example>".into()], &cc, &[]);
    let r = move_external(&m).unwrap();
    assert_eq!(r.to, ["Bob <bob@clinic.example>"]);
    assert!(r.cc.is_empty(), "{:?}", r.cc);
    assert_eq!(r.bcc, customers);
}

#[test]
fn own_addresses_may_be_given_with_a_display_name() {
    let mut m = message(CLINIC, &[], &people(2, "p", &["gmail.com"]), &[]);
    m.cc.push("Me <me@gmail.com>");
    m.own_addresses = vec!["Me <Me@Gmail.com>".into()];
    assert_eq!(judge(&m, &Policy::default()).counts.visible, 2);
}
