//! Who a recipient is to the sender: a colleague, a private individual, or someone at
//! another organisation.

use crate::address::domain_of_key;
use crate::domains::{is_subdomain, DomainPattern, PrivateDomains};
use crate::policy::Policy;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// The sender's organisation: the identity's domain, its subdomains, and the
    /// policy's `internalDomains`.
    Internal,
    /// Another organisation.
    External,
    /// A person on a consumer mailbox domain: external, and the people every real
    /// incident exposed.
    Private,
}

pub(crate) struct Classifier<'p> {
    policy: &'p Policy,
    private: &'p PrivateDomains,
    /// The identity's domain when it is an organisation's (not gmail.com & co): a
    /// therapist on gmail.com shares it with millions who are not colleagues.
    home: Option<String>,
    /// Whether the sender writes from a consumer mailbox domain.
    pub sender_on_consumer_domain: bool,
}

impl<'p> Classifier<'p> {
    /// `sender` is the identity's comparable address.
    pub(crate) fn new(
        policy: &'p Policy,
        private: &'p PrivateDomains,
        sender: Option<&str>,
    ) -> Self {
        let mut c = Classifier {
            policy,
            private,
            home: None,
            sender_on_consumer_domain: false,
        };
        let domain = sender.map(domain_of_key).filter(|d| !d.is_empty());
        if let Some(d) = domain {
            if c.is_private(d) {
                c.sender_on_consumer_domain = true;
            } else {
                c.home = Some(d.to_owned());
            }
        }
        c
    }

    fn is_private(&self, domain: &str) -> bool {
        let p = self.policy;
        p.private_domains.iter().any(|d| d == domain)
            || (self.private.contains(domain) && !p.not_private_domains.iter().any(|d| d == domain))
    }

    /// `domain` is in comparable form (the domain part of an address key).
    pub(crate) fn kind(&self, domain: &str) -> Kind {
        let home = self
            .home
            .as_deref()
            .is_some_and(|h| domain == h || is_subdomain(domain, h));
        let internal = self
            .policy
            .internal_domains
            .iter()
            .any(|p| DomainPattern::matches(p, domain));
        if home || internal {
            Kind::Internal
        } else if self.is_private(domain) {
            Kind::Private
        } else {
            Kind::External
        }
    }

    pub(crate) fn allowed_domain(&self, domain: &str) -> bool {
        self.policy
            .allowed_domains
            .iter()
            .any(|p| DomainPattern::matches(p, domain))
    }
}
