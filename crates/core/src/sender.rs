//! Who sends: the identity's address, the user's other addresses, what the identity is
//! used for, and so which thresholds apply and who counts as a colleague.

use crate::classify::Classifier;
use crate::env::Env;
use crate::message::{is_blank, Message};
use crate::policy::{Policy, Role, Thresholds};
use crate::recipients::first_key;
use rustc_hash::FxHashSet;

pub(crate) struct Sender<'p> {
    /// Every address of the user (the sender's among them): never a recipient who counts.
    pub own: FxHashSet<String>,
    pub thresholds: Thresholds,
    pub classifier: Classifier<'p>,
    /// When nobody said what this address is used for and its consumer domain made it
    /// personal: the address, and the thresholds had it been for work. The answer may
    /// change the verdict, so the extension can ask it at the send.
    pub unanswered: Option<(String, Thresholds)>,
}

impl<'p> Sender<'p> {
    pub(crate) fn of(message: &Message, policy: &'p Policy, env: &Env<'p>) -> Self {
        // The identity's address: `identityEmail`, else the address in `from`.
        let from_identity = message
            .identity_email
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty());
        let key = first_key(from_identity.unwrap_or(&message.from), env.text);
        let mut own: FxHashSet<String> = key.iter().cloned().collect();
        own.extend(
            message
                .own_addresses
                .iter()
                .filter(|a| !is_blank(a))
                .filter_map(|a| first_key(a, env.text)),
        );
        let classifier = Classifier::new(policy, env.private, key.as_deref());
        let settings = policy.identity(key.as_deref());
        // Unanswered, the domain decides: a consumer mailbox is someone's private life.
        let answered = settings.and_then(|s| s.role);
        let role = answered.unwrap_or(if classifier.sender_on_consumer_domain {
            Role::Personal
        } else {
            Role::Organisation
        });
        let unanswered = match (answered, role, key) {
            (None, Role::Personal, Some(key)) => {
                Some((key, policy.thresholds_for(Role::Organisation, settings)))
            }
            _ => None,
        };
        Sender {
            thresholds: policy.thresholds_for(role, settings),
            own,
            classifier,
            unanswered,
        }
    }
}
