//! "Send separately": who gets which copy.

mod support;

use ccguard_core::separate::{Obstacle, Plan};
use ccguard_core::{separate, Message, Policy};
use serde_json::json;
use support::{env, list, list_ref, message, people, policy};

const SHOP: &str = "Ann <ann@shop.example>";

fn plan(m: &Message) -> Plan {
    separate(m, &Policy::default(), &env())
}

fn copies(p: &Plan) -> Vec<&str> {
    p.copies.iter().map(|c| c.to.as_str()).collect()
}

#[test]
fn every_customer_gets_one_copy_addressed_as_written() {
    let mut cc = people(3, "customer", &["gmail.com", "web.de"]);
    cc.push("Zoë Ünal <Zoe@Example.ORG>".to_owned());
    cc.push("customer.0@GMAIL.com".to_owned()); // the first customer again, in other case
    let p = plan(&message(SHOP, &[], &cc, &[]));
    assert_eq!(
        copies(&p),
        [
            "customer.0@gmail.com",
            "customer.1@web.de",
            "customer.2@gmail.com",
            "Zoë Ünal <Zoe@Example.ORG>"
        ]
    );
    assert_eq!(p.copies[3].address, "zoe@example.org");
    assert_eq!(p.colleagues, None);
    assert_eq!(p.obstacle, None);
}

#[test]
fn colleagues_get_the_original_among_themselves_never_a_customers_copy() {
    let to = vec![
        "Boss <boss@shop.example>".to_owned(),
        "c1@gmail.com".to_owned(),
    ];
    let cc = vec!["team@shop.example".to_owned(), "c2@yahoo.com".to_owned()];
    let p = plan(&message(SHOP, &to, &cc, &[]));
    assert_eq!(copies(&p), ["c1@gmail.com", "c2@yahoo.com"]);
    let colleagues = p.colleagues.expect("colleagues were in To and Cc");
    assert_eq!(colleagues.to, ["Boss <boss@shop.example>"]);
    assert_eq!(colleagues.cc, ["team@shop.example"]);
    assert!(colleagues.bcc.is_empty());
    assert_eq!(p.everyone.len(), 4);
}

#[test]
fn the_sender_is_left_out_and_bcc_people_get_their_own_copy() {
    let to = vec![SHOP.to_owned()];
    let bcc = people(2, "hidden", &["gmail.com"]);
    let p = plan(&message(SHOP, &to, &[], &bcc));
    assert_eq!(copies(&p), ["hidden.0@gmail.com", "hidden.1@gmail.com"]);
}

#[test]
fn list_members_each_get_a_copy_and_an_unknown_list_stops_the_plan() {
    let members = people(4, "member", &["gmx.de"]);
    let mut m = message(SHOP, &[], &[list_ref("Club")], &[]);
    m.lists = vec![list("Club", Some(members.clone()))];
    assert_eq!(
        copies(&plan(&m)),
        members.iter().map(String::as_str).collect::<Vec<_>>()
    );
    m.lists = vec![list("Club", None)];
    let p = plan(&m);
    assert_eq!(p.obstacle, Some(Obstacle::UnresolvedList));
}

#[test]
fn unreadable_text_or_nobody_outside_stops_the_plan() {
    let p = plan(&message(
        SHOP,
        &["Nobody".to_owned(), "c@gmail.com".to_owned()],
        &[],
        &[],
    ));
    assert_eq!(p.obstacle, Some(Obstacle::Unreadable));
    let p = plan(&message(
        SHOP,
        &people(3, "staff", &["shop.example"]),
        &[],
        &[],
    ));
    assert_eq!(p.obstacle, Some(Obstacle::NobodyOutside));
    assert!(p.copies.is_empty());
}

#[test]
fn colleagues_above_the_hard_limit_each_get_their_own_copy() {
    let mut to = people(4, "colleague", &["shop.example"]);
    to.push("customer@gmail.com".into());
    let m = message(SHOP, &to, &[], &[]);
    let p = separate(&m, &policy(json!({"hardLimit": 3})), &env());
    assert_eq!(p.colleagues, None);
    assert_eq!(
        copies(&p),
        [
            "colleague.0@shop.example",
            "colleague.1@shop.example",
            "colleague.2@shop.example",
            "colleague.3@shop.example",
            "customer@gmail.com"
        ]
    );
    assert_eq!(p.everyone.len(), 5);
    // At the limit, they share the original.
    let p = separate(&m, &policy(json!({"hardLimit": 4})), &env());
    assert_eq!(p.colleagues.as_ref().map(|c| c.to.len()), Some(4));
    assert_eq!(copies(&p), ["customer@gmail.com"]);
}
