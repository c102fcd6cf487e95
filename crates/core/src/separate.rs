//! "Send separately": one personal copy per person, each addressed to that person alone,
//! so that nobody sees anybody. The plan says who gets which copy; the extension sends
//! them (Thunderbird's `messages.sendMessage`).

use crate::classify::Kind;
use crate::env::Env;
use crate::message::Message;
use crate::people::{self, People};
use crate::policy::Policy;
use crate::recipients::{self, Reading};
use crate::rewrite::{mailbox_text, within_hard_limit};
use crate::sender::Sender;
use crate::verdict::{Field, Rewrite};
use rustc_hash::FxHashSet;
use serde::Serialize;

/// One personal copy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Copy {
    /// Its only recipient, in To, as the user wrote them (`Ann Lee <ann@x.example>`).
    pub to: String,
    /// Their comparable address: what the extension records as sent.
    pub address: String,
}

/// Why a message cannot be sent separately.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Obstacle {
    /// An address-book list whose members are unknown: nobody can be written to one by one.
    UnresolvedList,
    /// Text in a field that is not an address: it would be lost.
    Unreadable,
    /// Nobody outside the organisation to write to.
    NobodyOutside,
}

/// Who gets which copy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Plan {
    /// One per person outside the organisation in To or Cc (lists expanded) and one per
    /// person in Bcc, the user's own addresses left out; in message order. Colleagues get
    /// one too when they are more than the hard limit allows in one message.
    pub copies: Vec<Copy>,
    /// The colleagues of To and Cc, where they were: the one copy of the original they
    /// get when the user chooses so (`None` without colleagues). Never with a customer.
    pub colleagues: Option<Rewrite>,
    /// Every person reached, copies and colleagues: the Sent folder's record lists them.
    pub everyone: Vec<String>,
    /// Why it cannot be done, if it cannot; then nothing is sent.
    pub obstacle: Option<Obstacle>,
}

/// Plans the personal copies of `message`.
pub fn separate(message: &Message, policy: &Policy, env: &Env<'_>) -> Plan {
    let reading = recipients::read(message, &policy.allowed_lists, env.text);
    let sender = Sender::of(message, policy, env);
    let people = people::visible(&reading, &sender, policy);
    let mut plan = Plan {
        copies: Vec::new(),
        colleagues: None,
        everyone: Vec::new(),
        obstacle: None,
    };
    if reading.lists.iter().any(|l| !l.unresolved.is_empty()) {
        plan.obstacle = Some(Obstacle::UnresolvedList);
        return plan;
    }
    if !reading.problems.is_empty() {
        plan.obstacle = Some(Obstacle::Unreadable);
        return plan;
    }
    let mut colleagues = fill(&mut plan, &reading, &sender, &people, env, true);
    // The colleagues' one copy must itself stay within the hard limit: above it, each
    // colleague gets a personal copy too.
    if colleagues
        .as_ref()
        .is_some_and(|c| !within_hard_limit(message, c, policy, env))
    {
        plan.copies.clear();
        plan.everyone.clear();
        colleagues = fill(&mut plan, &reading, &sender, &people, env, false);
    }
    plan.colleagues = colleagues;
    if plan.copies.is_empty() {
        plan.obstacle = Some(Obstacle::NobodyOutside);
    }
    plan
}

/// Adds a copy per person to `plan` (and each person to its `everyone`), in message order,
/// To and Cc first, then Bcc. With `together`, colleagues get no copy of their own: they
/// are returned as the one copy of the original they share (`None` without colleagues).
fn fill(
    plan: &mut Plan,
    reading: &Reading<'_>,
    sender: &Sender<'_>,
    people: &People<'_>,
    env: &Env<'_>,
    together: bool,
) -> Option<Rewrite> {
    let mut colleagues = Rewrite::default();
    let mut seen: FxHashSet<&str> = FxHashSet::default();
    for person in &people.list {
        let found = &reading.found[person.found];
        let text = mailbox_text(found, env.text);
        plan.everyone.push(text.clone());
        if together && person.kind == Kind::Internal {
            match found.field {
                Field::To => colleagues.to.push(text),
                _ => colleagues.cc.push(text),
            }
        } else {
            plan.copies.push(Copy {
                to: text,
                address: reading.key(found).to_owned(),
            });
        }
        seen.insert(reading.key(found));
    }
    // Bcc: hidden from everyone already; each gets a personal copy too.
    for found in reading.found.iter().filter(|f| f.field == Field::Bcc) {
        let key = reading.key(found);
        if sender.own.contains(key) || !seen.insert(key) {
            continue;
        }
        let text = mailbox_text(found, env.text);
        plan.everyone.push(text.clone());
        plan.copies.push(Copy {
            to: text,
            address: key.to_owned(),
        });
    }
    (!colleagues.to.is_empty() || !colleagues.cc.is_empty()).then_some(colleagues)
}
