//! Who would newly see whom: the message answered, known groups and the identity's role,
//! and what each changes in the rules (plain new messages: tests/rules.rs).

mod support;

use ccguard_core::context::Thread;
use ccguard_core::message::Recipients;
use ccguard_core::{evaluate, Message, Policy, Related, Verdict};
use serde_json::json;
use support::{env, message, people, policy};

const CLINIC: &str = "Reception <reception@clinic.example>";

fn judge(m: &Message, p: &Policy) -> Verdict {
    evaluate(m, p, &env())
}

fn ids(v: &Verdict) -> Vec<&'static str> {
    v.rules.iter().map(|r| r.id.id()).collect()
}

fn related(author: &str, to: &[String], cc: &[String]) -> Option<Related> {
    Some(Related {
        author: author.to_owned(),
        to: Recipients::from(to.to_vec()),
        cc: Recipients::from(cc.to_vec()),
    })
}

/// A patient group's organiser wrote to the clinic with her 9 members in Cc.
fn patient_group() -> (String, Vec<String>) {
    let members = people(9, "member", &["gmail.com", "yahoo.co.uk", "outlook.com"]);
    ("Gwen <gwen@gmail.com>".to_owned(), members)
}

fn reply_all(extra: &[String]) -> Message {
    let (gwen, members) = patient_group();
    let mut m = message(
        CLINIC,
        std::slice::from_ref(&gwen),
        &[members.clone(), extra.to_vec()].concat(),
        &[],
    );
    m.related = related(&gwen, &["reception@clinic.example".to_owned()], &members);
    m
}

#[test]
fn replying_to_all_of_a_group_written_from_outside_exposes_nobody() {
    let v = judge(&reply_all(&[]), &Policy::default());
    assert!(ids(&v).is_empty(), "{:?}", ids(&v));
    assert_eq!(v.counts.private, 10);
    assert_eq!(
        serde_json::to_value(v.context).unwrap(),
        json!({"thread": "outside", "groups": 0, "known": 10, "newcomers": 0, "exposed": 0})
    );
    assert!(v.visible.iter().all(|p| p.known));
    // The same group answered in part: still nobody new.
    let (gwen, members) = patient_group();
    let mut m = message(CLINIC, std::slice::from_ref(&gwen), &members[..4], &[]);
    m.related = related(&gwen, &[], &members);
    assert!(ids(&judge(&m, &Policy::default())).is_empty());
}

#[test]
fn people_added_to_an_outside_thread_are_new_and_so_is_everyone_they_would_see() {
    let added = vec![
        "Rob <rob@yahoo.co.uk>".to_owned(),
        "Aisha <aisha@outlook.com>".to_owned(),
    ];
    let v = judge(&reply_all(&added), &Policy::default());
    // The two newcomers see the group's ten, who see them: all twelve newly seen.
    assert_eq!(ids(&v), ["private-individuals", "external-recipients"]);
    assert_eq!((v.rules[0].count, v.rules[1].count), (12, 12));
    assert_eq!(
        serde_json::to_value(v.context).unwrap(),
        json!({"thread": "outside", "groups": 0, "known": 10, "newcomers": 2, "exposed": 12})
    );
    // Newcomers are listed first.
    let emails: Vec<&str> = v.visible.iter().map(|p| p.email.as_str()).collect();
    assert_eq!(
        emails[..3],
        ["rob@yahoo.co.uk", "aisha@outlook.com", "gwen@gmail.com"]
    );
    assert_eq!((v.visible[0].known, v.visible[2].known), (false, true));
    // A colleague added is no outsider: the group's addresses reach nobody outside it.
    let v = judge(
        &reply_all(&["Priya <p.desai@clinic.example>".to_owned()]),
        &Policy::default(),
    );
    assert!(ids(&v).is_empty(), "{:?}", ids(&v));
    assert_eq!(v.context.newcomers, 1);
}

#[test]
fn one_private_individual_brought_into_an_outside_thread_warns_from_two_people() {
    // A student wrote to her tutor alone; the tutor copies her project partner.
    let student = "Lena <lena.k@gmail.com>".to_owned();
    let partner = "Omar <omar.b@outlook.com>".to_owned();
    let tutor = "Dr Hale <hale@uni.example>";
    let mut m = message(
        tutor,
        std::slice::from_ref(&student),
        std::slice::from_ref(&partner),
        &[],
    );
    m.related = related(&student, &["hale@uni.example".to_owned()], &[]);
    let v = judge(&m, &Policy::default());
    assert_eq!(ids(&v), ["private-individuals"]);
    assert_eq!((v.rules[0].count, v.rules[0].threshold), (2, 2));
    // The same two people in a new message: below the general threshold of three.
    let mut new = m.clone();
    new.related = None;
    assert!(ids(&judge(&new, &Policy::default())).is_empty());
    // A rule switched off stays off, and a stricter setting stays stricter.
    assert!(ids(&judge(&m, &policy(json!({"privateThreshold": 0})))).is_empty());
    let strict = judge(&m, &policy(json!({"privateThreshold": 1})));
    assert_eq!(strict.rules[0].threshold, 1);
    // A thread written inside the organisation formed nothing: the general threshold.
    let mut inside = m.clone();
    inside.related = related("Ann <ann@uni.example>", std::slice::from_ref(&student), &[]);
    assert!(ids(&judge(&inside, &Policy::default())).is_empty());
}

#[test]
fn a_thread_written_inside_the_organisation_excuses_nothing() {
    let patients = people(14, "patient", &["gmail.com", "hotmail.co.uk"]);
    let reception = "Reception <reception@clinic.example>".to_owned();
    let physio = "Tom <tom@clinic.example>";
    let mut m = message(physio, std::slice::from_ref(&reception), &patients, &[]);
    m.related = related(&reception, std::slice::from_ref(&reception), &patients);
    let v = judge(&m, &Policy::default());
    assert_eq!(v.context.thread, Some(Thread::Inside));
    assert_eq!((v.context.known, v.context.exposed), (0, 15));
    assert_eq!(ids(&v), ["private-individuals", "external-recipients"]);
    assert_eq!(v.rules[0].count, 14);
    // The same verdict as a new message but for the thread.
    let mut new = m.clone();
    new.related = None;
    let mut n = judge(&new, &Policy::default());
    assert_eq!(n.context.thread, None);
    n.context.thread = v.context.thread;
    assert_eq!(n, v);
}

#[test]
fn a_known_group_may_be_written_to_again_whole_or_in_part_but_not_with_others() {
    let club = people(6, "runner", &["gmail.com", "web.de"]);
    let mut m = message(CLINIC, &[], &club, &[]);
    m.known_groups = vec![club.clone()];
    let v = judge(&m, &Policy::default());
    assert!(ids(&v).is_empty(), "{:?}", ids(&v));
    assert_eq!(
        (v.context.groups, v.context.known, v.context.exposed),
        (1, 6, 0)
    );
    let mut part = message(CLINIC, &[], &club[..3], &[]);
    part.known_groups = vec![club.clone()];
    assert!(ids(&judge(&part, &Policy::default())).is_empty());
    // One outsider added: new to all six, who are new to them.
    let mut more = m.clone();
    more.cc.push("stranger@gmail.com");
    let v = judge(&more, &Policy::default());
    assert_eq!(ids(&v), ["private-individuals"]);
    assert_eq!(v.rules[0].count, 7);
    assert_eq!((v.context.newcomers, v.context.exposed), (1, 7));
    // Two known groups in one send are new to each other.
    let choir = people(3, "singer", &["gmx.de"]);
    let mut both = message(
        CLINIC,
        &[],
        &[club[..3].to_vec(), choir.clone()].concat(),
        &[],
    );
    both.known_groups = vec![club.clone(), choir];
    let v = judge(&both, &Policy::default());
    assert_eq!(ids(&v), ["private-individuals"]);
    assert_eq!((v.rules[0].count, v.context.groups), (6, 2));
}

#[test]
fn the_hard_limit_counts_everyone_visible_whatever_the_thread() {
    let p = policy(json!({"hardLimit": 5}));
    let v = judge(&reply_all(&[]), &p);
    assert!(v.blocked);
    assert_eq!(ids(&v), ["hard-limit"]);
    assert_eq!(v.rules[0].count, 10);
}

#[test]
fn without_a_role_a_consumer_mailbox_is_personal_and_any_other_an_organisation() {
    let clients = people(3, "client", &["gmail.com", "yahoo.com"]);
    let therapist = "Sam <sam.therapy@gmail.com>";
    let m = message(therapist, &[], &clients, &[]);
    assert!(ids(&judge(&m, &Policy::default())).is_empty());
    // The answer "organisation" switches the private rule back on.
    let p = policy(json!({"identities": {"Sam.Therapy@gmail.com": {"role": "organisation"}}}));
    assert_eq!(ids(&judge(&m, &p)), ["private-individuals"]);
    // An organisation's identity answered "personal": the private rule is off.
    let m = message(CLINIC, &[], &clients, &[]);
    assert_eq!(ids(&judge(&m, &Policy::default())), ["private-individuals"]);
    let p = policy(json!({"identities": {"reception@clinic.example": {"role": "personal"}}}));
    assert!(ids(&judge(&m, &p)).is_empty());
}

#[test]
fn a_sensitive_identity_warns_from_two_people() {
    let p = policy(json!({"identities": {"reception@clinic.example": {"role": "sensitive"}}}));
    let two = people(2, "patient", &["gmail.com"]);
    let m = message(CLINIC, &[], &two, &[]);
    assert!(ids(&judge(&m, &Policy::default())).is_empty());
    let v = judge(&m, &p);
    assert_eq!(ids(&v), ["private-individuals", "external-recipients"]);
    assert_eq!((v.rules[0].threshold, v.rules[1].threshold), (2, 2));
    // Two organisations, and five colleagues.
    let partners = people(2, "contact", &["a.example", "b.example"]);
    let v = judge(&message(CLINIC, &partners, &[], &[]), &p);
    assert_eq!(ids(&v), ["external-recipients", "external-organisations"]);
    let staff = people(5, "staff", &["clinic.example"]);
    assert_eq!(
        ids(&judge(&message(CLINIC, &staff, &[], &[]), &p)),
        ["large-audience"]
    );
    assert!(ids(&judge(&message(CLINIC, &staff[..4], &[], &[]), &p)).is_empty());
}

#[test]
fn a_colleague_seeing_a_customer_is_no_exposure_even_for_a_sensitive_identity() {
    let strict = json!({"privateThreshold": 1, "externalThreshold": 1});
    let patient = "patient@gmail.com".to_owned();
    let staff = people(3, "staff", &["clinic.example"]);
    let m = message(CLINIC, &[patient], &staff, &[]);
    // Colleagues see the patient's address: the organisation seeing its own patient.
    let v = judge(&m, &policy(strict.clone()));
    assert!(ids(&v).is_empty(), "{:?}", ids(&v));
    // The three colleagues are newly seen (by each other and the patient); the patient
    // only by colleagues, which does not count.
    assert_eq!(v.context.exposed, 3);
    let mut sensitive = strict;
    sensitive["identities"] = json!({"reception@clinic.example": {"role": "sensitive"}});
    assert!(ids(&judge(&m, &policy(sensitive))).is_empty());
    // Two patients known to each other, and a nurse added: nobody outside sees anyone
    // anew, whatever the role.
    let pair = people(2, "patient", &["gmail.com"]);
    let mut m = message(CLINIC, &pair, &["nurse@clinic.example".to_owned()], &[]);
    m.known_groups = vec![pair.clone()];
    assert!(ids(&judge(&m, &policy(json!({"privateThreshold": 2})))).is_empty());
    let p = policy(json!({"identities": {"reception@clinic.example": {"role": "sensitive"}}}));
    assert!(ids(&judge(&m, &p)).is_empty());
    // Without the group, the two patients see each other: a sensitive identity warns.
    m.known_groups.clear();
    assert_eq!(
        ids(&judge(&m, &p)),
        ["private-individuals", "external-recipients"]
    );
}

#[test]
fn allowlisted_people_neither_count_nor_look_on() {
    let p = policy(json!({"allowedDomains": ["partner.example"], "privateThreshold": 1}));
    let mut cc = people(8, "buyer", &["partner.example"]);
    cc.push("customer@gmail.com".to_owned());
    let v = judge(&message(CLINIC, &[], &cc, &[]), &p);
    assert!(ids(&v).is_empty(), "{:?}", ids(&v));
    assert_eq!((v.counts.allowed, v.context.exposed), (8, 0));
    cc.push("other@gmail.com".to_owned());
    let v = judge(&message(CLINIC, &[], &cc, &[]), &p);
    assert_eq!(ids(&v), ["private-individuals"]);
    assert_eq!((v.rules[0].count, v.context.exposed), (2, 2));
}

/// Support answers a customer's ticket, written by two of its people.
fn ticket(extra: &[&str]) -> Message {
    let desk = "Support <support@vendor.example>";
    let customer = vec![
        "Ana <ana@bakery.example>".to_owned(),
        "Ben <ben@bakery.example>".to_owned(),
    ];
    let cc: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
    let mut m = message(desk, &customer, &cc, &[]);
    m.related = related(
        &customer[0],
        &["support@vendor.example".to_owned()],
        &customer[1..],
    );
    m
}

#[test]
fn someone_from_a_company_new_to_an_outside_thread_warns_from_two_people() {
    // Another customer with the same bug, copied into the first customer's ticket.
    let v = judge(&ticket(&["Cem <cem@florist.example>"]), &Policy::default());
    assert_eq!(ids(&v), ["external-recipients"]);
    assert_eq!((v.rules[0].count, v.rules[0].threshold), (3, 2));
    assert_eq!((v.context.known, v.context.newcomers), (2, 1));
    let cem = v.visible.iter().find(|p| p.email == "cem@florist.example");
    assert!(cem.is_some_and(|p| !p.known));
    // A private individual shown to the customer's people is a stranger too.
    let private = judge(&ticket(&["Dee <dee.r@gmail.com>"]), &Policy::default());
    assert_eq!(ids(&private), ["external-recipients"]);
    // A switched-off rule stays off.
    let off = policy(json!({"externalThreshold": 0}));
    assert!(ids(&judge(&ticket(&["Cem <cem@florist.example>"]), &off)).is_empty());
}

#[test]
fn the_customers_own_colleague_or_ours_added_to_its_thread_is_no_stranger() {
    for added in ["Cara <cara@bakery.example>", "Tom <tom@vendor.example>"] {
        let v = judge(&ticket(&[added]), &Policy::default());
        assert!(ids(&v).is_empty(), "{added}: {:?}", ids(&v));
    }
    // The same people in a new message formed no conversation: below every threshold.
    let mut new = ticket(&["Cem <cem@florist.example>"]);
    new.related = None;
    assert!(ids(&judge(&new, &Policy::default())).is_empty());
}
