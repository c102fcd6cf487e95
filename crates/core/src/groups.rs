//! Groups of people who already see each other's addresses, as the extension remembers
//! and learns them: the people a send shows to each other (when the user says they know
//! each other), and the people a received message showed to each other.

use crate::classify::{Classifier, Kind};
use crate::context::keys_of;
use crate::env::Env;
use crate::message::{Message, Related};
use crate::people;
use crate::policy::Policy;
use crate::recipients::{self, first_key};
use crate::sender::Sender;
use rustc_hash::FxHashSet;

/// A group bigger than this is not learned from received mail: a stranger's leak to
/// thousands says little about who knows whom, and each member costs every send.
pub const MAX_LEARNED: usize = 1000;

/// The comparable addresses of the people `message` shows to each other: To and Cc,
/// lists expanded, then, for a forward, the people of the header it carries; the user's
/// own addresses left out, each once, in message order.
pub fn visible_addresses(message: &Message, policy: &Policy, env: &Env<'_>) -> Vec<String> {
    let reading = recipients::read(message, &policy.allowed_lists, env.text);
    let sender = Sender::of(message, policy, env);
    let people = people::visible(&reading, &sender, policy);
    let mut keys: Vec<String> = people
        .list
        .iter()
        .map(|p| reading.key(&reading.found[p.found]).to_owned())
        .collect();
    if let Some(header) = message
        .related
        .as_ref()
        .filter(|_| message.carries_related_header())
    {
        let mut seen: FxHashSet<String> = keys.iter().cloned().collect();
        for key in keys_of(header.texts(), env) {
            if !sender.own.contains(&key) && seen.insert(key.clone()) {
                keys.push(key);
            }
        }
    }
    keys
}

/// The group a received message formed: its author and everyone in its To and Cc, the
/// user's own addresses (`own`) left out. `None` unless the author is outside the
/// organisation of every one of the user's identities (a message from inside excuses
/// nothing) and two to [`MAX_LEARNED`] people remain.
pub fn received_group(
    header: &Related,
    own: &[String],
    policy: &Policy,
    env: &Env<'_>,
) -> Option<Vec<String>> {
    let own: Vec<String> = own.iter().filter_map(|a| first_key(a, env.text)).collect();
    let author = first_key(&header.author, env.text)?;
    let domain = crate::address::domain_of_key(&author);
    let colleague = |identity: Option<&str>| {
        Classifier::new(policy, env.private, identity).kind(domain) == Kind::Internal
    };
    if own.contains(&author)
        || colleague(None)
        || own.iter().any(|identity| colleague(Some(identity)))
    {
        return None;
    }
    let message = Message {
        to: header.to.clone(),
        cc: header.cc.clone(),
        own_addresses: own,
        ..Message::default()
    };
    let mut members = vec![author];
    // Visible people are distinct already; only the author may be among them too.
    for key in visible_addresses(&message, policy, env) {
        if key != members[0] {
            members.push(key);
        }
    }
    (2..=MAX_LEARNED)
        .contains(&members.len())
        .then_some(members)
}
