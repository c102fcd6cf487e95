//! A forward carries the forwarded message's header (From, To, Cc) to every recipient,
//! Bcc included: who it newly shows, to whom, and what Move to Bcc can still fix.

mod support;

use ccguard_core::message::Recipients;
use ccguard_core::{evaluate, move_to_bcc, Message, Policy, Related, Verdict};
use serde_json::json;
use support::{env, message, people, policy};

const HOTEL: &str = "Front desk <desk@hotel.example>";

fn judge(m: &Message, p: &Policy) -> Verdict {
    evaluate(m, p, &env())
}

fn ids(v: &Verdict) -> Vec<&'static str> {
    v.rules.iter().map(|r| r.id.id()).collect()
}

/// `kind` (`forward`, `reply`, …) of a message written by `author` to `to` and `cc`.
fn answering(mut m: Message, kind: &str, author: &str, to: &[String], cc: &[String]) -> Message {
    m.compose_type = Some(kind.to_owned());
    m.related = Some(Related {
        author: author.to_owned(),
        to: Recipients::from(to.to_vec()),
        cc: Recipients::from(cc.to_vec()),
    });
    m
}

/// A colleague's mail to twelve guests, all in To.
fn guests() -> Vec<String> {
    people(12, "guest", &["gmail.com", "icloud.com", "web.de"])
}

fn colleague() -> String {
    "Mia <mia@hotel.example>".to_owned()
}

#[test]
fn forwarding_a_mail_that_showed_twelve_guests_hands_them_to_the_recipient_even_in_bcc() {
    let agency = "Buzz <team@buzz-agency.example>".to_owned();
    for (to, bcc) in [
        (vec![agency.clone()], vec![]),
        (vec![], vec![agency.clone()]),
    ] {
        let m = answering(
            message(HOTEL, &to, &[], &bcc),
            "forward",
            &colleague(),
            &guests(),
            &[],
        );
        let v = judge(&m, &Policy::default());
        assert_eq!(ids(&v), ["private-individuals", "external-recipients"]);
        assert_eq!(v.rules[0].count, 12);
        // The colleague who wrote it is shown too, to the audience rule only.
        assert_eq!(
            serde_json::to_value(v.forwarded).unwrap(),
            json!({"shown": 13, "bccCannotHide": true})
        );
    }
}

#[test]
fn a_redirect_resends_the_header_too_and_a_reply_does_not() {
    let agency = vec!["Buzz <team@buzz-agency.example>".to_owned()];
    let redirect = answering(
        message(HOTEL, &agency, &[], &[]),
        "redirect",
        &colleague(),
        &guests(),
        &[],
    );
    assert_eq!(judge(&redirect, &Policy::default()).rules[0].count, 12);
    let reply = answering(
        message(HOTEL, &agency, &[], &[]),
        "reply",
        &colleague(),
        &guests(),
        &[],
    );
    let v = judge(&reply, &Policy::default());
    assert!(ids(&v).is_empty(), "{:?}", ids(&v));
    assert_eq!(v.forwarded, None);
}

#[test]
fn forwarding_a_customers_mail_to_colleagues_or_to_one_company_is_quiet() {
    let customer = "Ola <ola.nowak@wp.pl>";
    let me = vec!["desk@hotel.example".to_owned()];
    let colleagues = people(3, "staff", &["hotel.example"]);
    let courier = vec!["Claims <claims@courier.example>".to_owned()];
    for to in [colleagues, courier] {
        let m = answering(message(HOTEL, &to, &[], &[]), "forward", customer, &me, &[]);
        let v = judge(&m, &Policy::default());
        assert!(ids(&v).is_empty(), "{to:?}: {:?}", ids(&v));
    }
}

#[test]
fn forwarding_one_private_persons_mail_to_another_private_person_introduces_two() {
    // A teacher forwards a mother's complaint to the father of the child it is about.
    let school = "Mr Hale <hale@school.example>";
    let mother = "Jo <jo.baker@gmail.com>";
    let father = vec!["Sam <sam.reed@outlook.com>".to_owned()];
    let me = vec!["hale@school.example".to_owned()];
    let m = answering(
        message(school, &father, &[], &[]),
        "forward",
        mother,
        &me,
        &[],
    );
    let v = judge(&m, &Policy::default());
    assert_eq!(ids(&v), ["private-individuals"]);
    assert_eq!((v.rules[0].count, v.rules[0].threshold), (2, 2));
    assert_eq!(v.forwarded.map(|f| f.shown), Some(1));
    // The same mother's mail sent on to a company: one private individual, no warning.
    let firm = vec!["Office <office@firm.example>".to_owned()];
    let m = answering(
        message(school, &firm, &[], &[]),
        "forward",
        mother,
        &me,
        &[],
    );
    assert!(ids(&judge(&m, &Policy::default())).is_empty());
}

#[test]
fn people_who_were_on_the_forwarded_message_see_nothing_new_in_it() {
    // Forwarded back to one of the twelve guests it showed: they saw all of them already.
    let g = guests();
    let m = answering(
        message(HOTEL, &g[..1], &[], &[]),
        "forward",
        &colleague(),
        &g,
        &[],
    );
    let v = judge(&m, &Policy::default());
    assert!(ids(&v).is_empty(), "{:?}", ids(&v));
    assert_eq!(v.forwarded.map(|f| f.shown), Some(0));
}

#[test]
fn move_to_bcc_still_fixes_what_the_recipients_show_when_the_header_shows_little() {
    // A supplier's notice forwarded to five private customers in To.
    let customers = people(5, "customer", &["gmail.com", "yahoo.com"]);
    let supplier = "News <news@supplier.example>";
    let me = vec!["desk@hotel.example".to_owned()];
    let m = answering(
        message(HOTEL, &customers, &[], &[]),
        "forward",
        supplier,
        &me,
        &[],
    );
    let p = Policy::default();
    let v = judge(&m, &p);
    assert_eq!(ids(&v), ["private-individuals"]);
    assert_eq!(
        serde_json::to_value(v.forwarded).unwrap(),
        json!({"shown": 1, "bccCannotHide": false})
    );
    let moved = move_to_bcc(&m, &p, &env());
    let after = Message {
        to: Recipients::from(moved.to),
        cc: Recipients::from(moved.cc),
        bcc: Recipients::from(moved.bcc),
        ..m
    };
    assert!(ids(&judge(&after, &p)).is_empty());
}

#[test]
fn allowlisted_and_own_addresses_in_the_header_are_not_counted() {
    let g = guests();
    let agency = vec!["Buzz <team@buzz-agency.example>".to_owned()];
    let m = answering(message(HOTEL, &agency, &[], &[]), "forward", HOTEL, &g, &[]);
    let p = policy(json!({"allowedDomains": ["gmail.com", "icloud.com", "web.de"]}));
    let v = judge(&m, &p);
    assert!(ids(&v).is_empty(), "{:?}", ids(&v));
    assert_eq!(v.forwarded.map(|f| f.shown), Some(0));
}

/// The mother's complaint, forwarded by the school.
fn complaint(to: &[&str], cc: &[&str], bcc: &[&str]) -> Message {
    let owned = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    answering(
        message(SCHOOL, &owned(to), &owned(cc), &owned(bcc)),
        "forward",
        MOTHER,
        &["hale@school.example".to_owned()],
        &[],
    )
}

#[test]
fn a_sensitive_address_forwarding_a_private_persons_mail_to_another_firm_warns() {
    // A case worker forwards a mother's mail, sent from her new private address, to the
    // father's lawyer: the lawyer gets her address. Two people introduced, where a
    // sensitive identity warns; the same forward from an ordinary work address does not.
    let office = "Petra <petra@youth-office.example>";
    let mother = "Nadine <nadine.new@posteo.de>";
    let lawyer = vec!["Kanzlei Becker <kanzlei@becker-law.example>".to_owned()];
    let me = vec!["petra@youth-office.example".to_owned()];
    let m = answering(
        message(office, &lawyer, &[], &[]),
        "forward",
        mother,
        &me,
        &[],
    );
    let role =
        |role: &str| policy(json!({"identities": {"petra@youth-office.example": {"role": role}}}));
    let v = judge(&m, &role("sensitive"));
    assert_eq!(ids(&v), ["external-recipients"]);
    assert_eq!((v.rules[0].count, v.rules[0].threshold), (2, 2));
    assert_eq!(
        serde_json::to_value(v.forwarded).unwrap(),
        json!({"shown": 1, "bccCannotHide": true})
    );
    assert!(ids(&judge(&m, &role("organisation"))).is_empty());
    // A colleague is the organisation seeing its own client: quiet here too.
    let colleague = vec!["Jan <jan@youth-office.example>".to_owned()];
    let m = answering(
        message(office, &colleague, &[], &[]),
        "forward",
        mother,
        &me,
        &[],
    );
    assert!(ids(&judge(&m, &role("sensitive"))).is_empty());
}

#[test]
fn a_customers_mail_sent_on_to_nine_firms_counts_one_firm_introduced_not_nine() {
    // Each firm gets one customer's address; in Bcc they see nobody else. Quiet from a work
    // address, and in To, Move to Bcc is offered: it leaves one address per firm.
    let firms: Vec<String> = (0..9)
        .map(|i| format!("Sales <sales@firm{i}.example>"))
        .collect();
    let me = vec!["desk@hotel.example".to_owned()];
    let customer = "Ola <ola.nowak@wp.pl>";
    let in_bcc = answering(
        message(HOTEL, &[], &[], &firms),
        "forward",
        customer,
        &me,
        &[],
    );
    assert!(ids(&judge(&in_bcc, &Policy::default())).is_empty());
    let in_to = answering(
        message(HOTEL, &firms, &[], &[]),
        "forward",
        customer,
        &me,
        &[],
    );
    let v = judge(&in_to, &Policy::default());
    assert_eq!(ids(&v), ["external-recipients", "external-organisations"]);
    assert_eq!(v.forwarded.map(|f| f.bcc_cannot_hide), Some(false));
}

const SCHOOL: &str = "Mr Hale <hale@school.example>";
const MOTHER: &str = "Jo <jo.baker@gmail.com>";
const FATHER: &str = "Sam <sam.reed@outlook.com>";

#[test]
fn copying_the_author_or_hiding_the_recipient_in_bcc_still_introduces_them() {
    for m in [
        complaint(&[FATHER], &[], &[]),
        complaint(&[FATHER], &[MOTHER], &[]),
        complaint(&[MOTHER], &[], &[FATHER]),
        complaint(&[], &[], &[FATHER]),
    ] {
        let v = judge(&m, &Policy::default());
        assert_eq!(ids(&v), ["private-individuals"], "{:?} {:?}", m.to, m.bcc);
        assert_eq!((v.rules[0].count, v.rules[0].threshold), (2, 2));
        assert_eq!(v.forwarded.map(|f| f.bcc_cannot_hide), Some(true));
    }
}

#[test]
fn someone_in_both_to_and_bcc_is_one_person() {
    let parents = people(5, "parent", &["gmail.com", "yahoo.com"]);
    let refs: Vec<&str> = parents.iter().map(String::as_str).collect();
    let p = policy(json!({"privateThreshold": 0}));
    let to = judge(&complaint(&refs, &[], &[]), &p);
    let both = judge(&complaint(&refs, &[], &refs), &p);
    assert_eq!(ids(&to), ids(&both));
    assert!(
        ids(&both).is_empty(),
        "6 people: under the external rule's 10"
    );
}

#[test]
fn only_private_recipients_count_as_introduced_not_the_companies_beside_them() {
    // A friend's mail forwarded from a private address to four shops and a partner, in Bcc.
    let me = "Kim <kim.l@gmail.com>";
    let mut bcc: Vec<String> = (0..4).map(|i| format!("info@shop{i}.example")).collect();
    bcc.push("Pat <pat@gmx.de>".to_owned());
    let m = answering(
        message(me, &[], &[], &bcc),
        "forward",
        "Ana <ana@web.de>",
        &["kim.l@gmail.com".to_owned()],
        &[],
    );
    let v = judge(&m, &policy(json!({})));
    assert!(
        !ids(&v).contains(&"external-organisations"),
        "{:?}",
        ids(&v)
    );
}

#[test]
fn move_to_bcc_is_said_to_help_exactly_when_the_moved_message_is_quiet() {
    let p = Policy::default();
    let moved = |m: &Message| {
        let r = move_to_bcc(m, &p, &env());
        Message {
            to: Recipients::from(r.to),
            cc: Recipients::from(r.cc),
            bcc: Recipients::from(r.bcc),
            ..m.clone()
        }
    };
    let guests = people(2, "guest", &["gmail.com", "icloud.com"]);
    let couple_cc = vec!["bob@gmail.com".to_owned()];
    let firm = vec!["x@firm.example".to_owned(), "y@firm.example".to_owned()];
    let mut to_firm = answering(
        message(HOTEL, &firm, &[], &[]),
        "forward",
        "ann@gmail.com",
        &["desk@hotel.example".to_owned()],
        &couple_cc,
    );
    to_firm.known_groups = vec![firm.clone()];
    let cases = [
        // The header's two guests and a newcomer, all in To.
        answering(
            message(
                HOTEL,
                &[guests.clone(), vec!["newbie@web.de".to_owned()]].concat(),
                &[],
                &[],
            ),
            "forward",
            &colleague(),
            &guests,
            &[],
        ),
        // A couple's mail to two people of a firm known to each other.
        to_firm,
        complaint(&[FATHER], &[], &[]),
    ];
    for m in cases {
        let v = judge(&m, &p);
        let after = judge(&moved(&m), &p);
        let Some(f) = v.forwarded else {
            panic!("a forward")
        };
        assert_eq!(
            f.bcc_cannot_hide,
            after.action == ccguard_core::verdict::Action::Warn,
            "{:?}: {:?} then {:?}",
            m.to,
            ids(&v),
            ids(&after)
        );
    }
}

#[test]
fn members_of_an_allowlisted_list_in_bcc_see_the_header_uncounted() {
    use support::{list, list_ref};
    let p = policy(json!({"allowedLists": ["Governors"]}));
    let members = Some(vec!["g1@gmail.com".to_owned(), "g2@yahoo.com".to_owned()]);
    let governors = list_ref("Governors");
    let g = [governors.as_str()];
    for (to, bcc) in [(&g[..], &[][..]), (&[][..], &g[..])] {
        let mut m = complaint(to, &[], bcc);
        m.lists = vec![list("Governors", members.clone())];
        let v = judge(&m, &p);
        assert!(ids(&v).is_empty(), "{to:?} {bcc:?}: {:?}", ids(&v));
    }
}

/// The family's mail: an aunt wrote to eleven relatives on consumer mailboxes.
fn family() -> (String, Vec<String>) {
    (
        "Aunt Rita <rita.berg@web.de>".to_owned(),
        people(11, "cousin", &["gmail.com", "gmx.de"]),
    )
}

fn forwarding_the_family_mail(to: &[String], bcc: &[String], known: Vec<Vec<String>>) -> Message {
    let (aunt, relatives) = family();
    let mut m = answering(
        message("Eva <eva.berg@gmail.com>", to, &[], bcc),
        "forward",
        &aunt,
        &relatives,
        &[],
    );
    m.known_groups = known;
    m
}

#[test]
fn forwarding_to_someone_a_known_group_shares_with_the_header_shows_nobody_new() {
    let (aunt, relatives) = family();
    let husband = "Jonas <jonas.berg@outlook.com>".to_owned();
    let org = policy(json!({"identities": {"eva.berg@gmail.com": {"role": "organisation"}}}));
    let alone = forwarding_the_family_mail(std::slice::from_ref(&husband), &[], vec![]);
    assert_eq!(
        ids(&judge(&alone, &org)),
        ["private-individuals", "external-recipients"]
    );

    let mut everyone = relatives.clone();
    everyone.extend([aunt.clone(), husband.clone()]);
    for (to, bcc) in [
        (vec![husband.clone()], vec![]),
        (vec![], vec![husband.clone()]),
    ] {
        let known = forwarding_the_family_mail(&to, &bcc, vec![everyone.clone()]);
        let v = judge(&known, &org);
        assert!(ids(&v).is_empty(), "{:?}", ids(&v));
        assert_eq!(
            serde_json::to_value(v.forwarded).unwrap(),
            json!({"shown": 0, "bccCannotHide": false})
        );
    }
}

#[test]
fn a_known_group_excuses_only_the_people_it_holds() {
    let (aunt, relatives) = family();
    let husband = "Jonas <jonas.berg@outlook.com>".to_owned();
    let stranger = "Kai <kai.lund@yahoo.com>".to_owned();
    let org = policy(json!({"identities": {"eva.berg@gmail.com": {"role": "organisation"}}}));
    // The husband knows the aunt and three cousins: the other eight are new to him.
    let mut some = relatives[..3].to_vec();
    some.extend([aunt.clone(), husband.clone()]);
    let v = judge(
        &forwarding_the_family_mail(std::slice::from_ref(&husband), &[], vec![some]),
        &org,
    );
    assert_eq!(v.forwarded.map(|f| f.shown), Some(8));
    // Everyone knows the husband, nobody the stranger he is forwarded to along with him.
    let mut all = relatives.clone();
    all.extend([aunt, husband.clone()]);
    let v = judge(
        &forwarding_the_family_mail(&[husband, stranger], &[], vec![all]),
        &org,
    );
    assert_eq!(v.forwarded.map(|f| f.shown), Some(12));
    assert_eq!(ids(&v), ["private-individuals", "external-recipients"]);
}

#[test]
fn they_know_each_other_on_a_forward_remembers_the_header_with_the_recipients() {
    let husband = "Jonas <jonas.berg@outlook.com>".to_owned();
    let m = forwarding_the_family_mail(std::slice::from_ref(&husband), &[], vec![]);
    let org = policy(json!({"identities": {"eva.berg@gmail.com": {"role": "organisation"}}}));
    let group = ccguard_core::visible_addresses(&m, &org, &env());
    assert_eq!(group.len(), 13, "{group:?}");
    assert_eq!(group[..2], ["jonas.berg@outlook.com", "rita.berg@web.de"]);
    // Remembered, the same forward shows nobody new; a reply carries no header to add.
    let again = forwarding_the_family_mail(std::slice::from_ref(&husband), &[], vec![group]);
    assert!(ids(&judge(&again, &org)).is_empty());
    let mut reply = again.clone();
    reply.compose_type = Some("reply".to_owned());
    assert_eq!(
        ccguard_core::visible_addresses(&reply, &org, &env()).len(),
        1
    );
}

#[test]
fn forwarding_an_all_staff_mail_outside_shows_the_staff_and_to_a_colleague_shows_nobody() {
    let staff = people(45, "staff", &["hotel.example"]);
    let isac = vec!["Desk <desk@isac.example>".to_owned()];
    let m = answering(
        message(HOTEL, &isac, &[], &[]),
        "forward",
        &colleague(),
        &staff,
        &[],
    );
    let v = judge(&m, &Policy::default());
    assert_eq!(ids(&v), ["colleagues-exposed"]);
    // The colleague who wrote it and the 45 staff, the sender's own address left out.
    assert_eq!(v.rules[0].count, 46);
    let to_colleague = vec!["Dana <dana@hotel.example>".to_owned()];
    let m = answering(
        message(HOTEL, &to_colleague, &[], &[]),
        "forward",
        &colleague(),
        &staff,
        &[],
    );
    assert!(ids(&judge(&m, &Policy::default())).is_empty());
}
