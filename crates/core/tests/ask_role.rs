//! "What do you use this address for?": when nobody answered it and the consumer domain
//! made the address personal, the verdict says whether the answer would change the send.

mod support;

use ccguard_core::message::Recipients;
use ccguard_core::verdict::Action;
use ccguard_core::{evaluate, Message, Policy, Related, Verdict};
use serde_json::json;
use support::{env, message, people, policy};

const THERAPIST: &str = "Dr. Miriam Kessler <Miriam.Kessler.Therapie@gmail.com>";

fn judge(m: &Message, p: &Policy) -> Verdict {
    evaluate(m, p, &env())
}

fn clients(n: usize) -> Vec<String> {
    people(n, "client", &["gmail.com", "web.de", "outlook.com"])
}

fn with_role(role: &str) -> Policy {
    policy(json!({"identities": {"miriam.kessler.therapie@gmail.com": {"role": role}}}))
}

#[test]
fn an_unanswered_gmail_address_showing_six_private_people_each_other_is_asked_not_sent() {
    let v = judge(
        &message(THERAPIST, &clients(6), &[], &[]),
        &Policy::default(),
    );
    // Personal by its domain: no warning, but the answer decides.
    assert_eq!(v.action, Action::Allow);
    let ask = v.ask_role.expect("the question");
    assert_eq!(ask.identity, "miriam.kessler.therapie@gmail.com");
    assert_eq!(ask.rules[0].id.id(), "private-individuals");
    assert_eq!((ask.rules[0].count, ask.rules[0].threshold), (6, 3));
}

#[test]
fn the_question_is_in_the_verdict_the_extension_reads() {
    let v = judge(
        &message(THERAPIST, &clients(6), &[], &[]),
        &Policy::default(),
    );
    let json = serde_json::to_value(&v).unwrap();
    assert_eq!(
        json["askRole"]["identity"],
        "miriam.kessler.therapie@gmail.com"
    );
    assert_eq!(json["askRole"]["rules"][0]["id"], "private-individuals");
    let quiet = judge(
        &message(THERAPIST, &clients(1), &[], &[]),
        &Policy::default(),
    );
    assert!(serde_json::to_value(&quiet).unwrap()["askRole"].is_null());
}

#[test]
fn an_answer_ends_the_question_whatever_it_is() {
    let m = message(THERAPIST, &clients(6), &[], &[]);
    let personal = judge(&m, &with_role("personal"));
    assert_eq!((personal.action, personal.ask_role), (Action::Allow, None));
    for role in ["organisation", "sensitive"] {
        let v = judge(&m, &with_role(role));
        assert_eq!(v.action, Action::Warn, "{role}");
        assert_eq!(v.ask_role, None, "{role}");
    }
}

#[test]
fn a_company_address_is_never_asked_its_domain_already_says_work() {
    let m = message("Desk <desk@clinic.example>", &clients(6), &[], &[]);
    let v = judge(&m, &Policy::default());
    assert_eq!((v.action, v.ask_role), (Action::Warn, None));
}

#[test]
fn a_send_the_answer_would_not_change_is_not_asked() {
    // Two friends: below work's private threshold, so not asked (sensitive work would warn
    // from two: only an answer given beforehand covers that, README known limits).
    let v = judge(
        &message(THERAPIST, &clients(2), &[], &[]),
        &Policy::default(),
    );
    assert_eq!((v.action, v.ask_role), (Action::Allow, None));
    // Everyone in Bcc: nobody sees anybody.
    let v = judge(
        &message(THERAPIST, &[], &[], &clients(6)),
        &Policy::default(),
    );
    assert_eq!((v.action, v.ask_role), (Action::Allow, None));
    // The private rule switched off by the policy: work would not warn either, so the answer
    // changes nothing the question could be asked for.
    let off = policy(json!({"privateThreshold": 0}));
    let v = judge(&message(THERAPIST, &clients(6), &[], &[]), &off);
    assert_eq!(v.ask_role, None);
}

#[test]
fn a_send_that_warns_anyway_shows_the_warning_not_the_question() {
    let strict = policy(json!({"hardLimit": 5}));
    let v = judge(&message(THERAPIST, &clients(6), &[], &[]), &strict);
    assert_eq!(v.action, Action::Warn);
    assert_eq!(v.ask_role, None);
}

#[test]
fn replying_to_all_of_a_group_that_wrote_from_outside_is_not_asked() {
    let mut m = message(THERAPIST, &clients(6), &[], &[]);
    m.compose_type = Some("reply".to_owned());
    m.related = Some(Related {
        author: clients(6)[0].clone(),
        to: Recipients::from(vec![THERAPIST.to_owned()]),
        cc: Recipients::from(clients(6)[1..].to_vec()),
    });
    let v = judge(&m, &Policy::default());
    assert_eq!((v.action, v.ask_role), (Action::Allow, None));
}
