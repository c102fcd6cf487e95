//! Every setting of the policy, once: its name, type, default, bounds, the rule it
//! drives and whether a sending identity may set it. The reader (`read.rs`), the
//! defaults (`Policy::default`), the admin schema (`examples/policy_schema.rs`), the
//! options page's form and the fallback when the WASM is broken (`policy-keys.json`,
//! written at build time by `examples/policy_keys.rs`) all follow from [`KEYS`].

use crate::rules::Rule;
use serde::Serialize;

/// What a key holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum KeyKind {
    /// A whole number of people from 0 to `max`; 0 switches the rule off.
    Threshold { default: u32, max: u32 },
    /// On or off.
    Switch { default: bool },
    /// A whole number from `min` to `max`.
    Number { default: u32, min: u32, max: u32 },
    /// A list of at most `max` strings, each of the given kind; empty by default.
    List { entry: Entry, max: u32 },
    /// Settings per sending identity, keyed by its address (see [`IDENTITY_KEYS`]).
    Identities { max: u32 },
    /// One of a few words; `None` by default (then the identity's domain decides).
    Choice { choices: &'static [&'static str] },
}

/// What one entry of a list setting is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Entry {
    /// `example.org`, `*.example.org` or `@example.org`.
    DomainPattern,
    /// `example.org` (a leading `@` is accepted).
    Domain,
    /// `all-staff@example.org`.
    Address,
    /// An address-book list's name, any case.
    ListName,
}

/// The options page's groups, in the order it shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Group {
    When,
    HardLimit,
    Context,
    Separately,
    Organisation,
    Private,
    Never,
    Identities,
}

/// One setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Key {
    pub name: &'static str,
    #[serde(flatten)]
    pub kind: KeyKind,
    pub group: Group,
    /// The rule whose threshold this is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<Rule>,
    /// Whether `identities.<address>` may set it for one sending identity.
    pub per_identity: bool,
    /// For administrators (the schema and docs/policy.md); the options page words each
    /// key in the user's language from its name.
    pub doc: &'static str,
}

/// Larger numbers are typos, not policies.
pub const MAX_THRESHOLD: u32 = 100_000;
/// Entries kept per list: a longer list is a mistake, and each entry costs every send.
pub const MAX_LIST: u32 = 1000;

const fn threshold(default: u32) -> KeyKind {
    KeyKind::Threshold {
        default,
        max: MAX_THRESHOLD,
    }
}

const fn list(entry: Entry) -> KeyKind {
    KeyKind::List {
        entry,
        max: MAX_LIST,
    }
}

/// What a sending address is used for: it decides which rules apply and how strictly.
/// In the order the options page asks (work first: the answer that matters most).
pub const ROLES: &[&str] = &["organisation", "personal", "sensitive"];

/// The keys, in the order the options page and the docs show them. The thresholds'
/// defaults were chosen on the labelled scenario sets (`./build.sh judge`).
pub const KEYS: &[Key] = &[
    Key {
        name: "privateThreshold",
        kind: threshold(3),
        group: Group::When,
        rule: Some(Rule::PrivateIndividuals),
        per_identity: true,
        doc: "Warn when at least this many private individuals (people on consumer mailbox domains such as gmail.com, plus privateDomains, minus notPrivateDomains) would newly see each other's addresses. In a reply to a thread written outside the organisation, or to a known group, two are enough: one of them was brought in by the user; likewise when a forward hands a private individual's address, in the forwarded header, to a recipient outside the organisation (who then counts too). Does not apply to an identity used for private life (role personal). 0 switches the rule off.",
    },
    Key {
        name: "externalThreshold",
        kind: threshold(10),
        group: Group::When,
        rule: Some(Rule::ExternalRecipients),
        per_identity: true,
        doc: "Warn when at least this many people outside the organisation (private individuals included) would newly see each other's addresses. In a reply to a thread written outside the organisation, or to a known group, two are enough when someone new to it joins from a company none of its people is at (support copying another customer into a ticket), or a private individual joins its companies' people. 0 switches the rule off.",
    },
    Key {
        name: "organisationThreshold",
        kind: threshold(4),
        group: Group::When,
        rule: Some(Rule::ExternalOrganisations),
        per_identity: true,
        doc: "Warn when people from at least this many external organisations (distinct domains that are neither internal nor consumer mailbox domains) would newly see each other's addresses. 0 switches the rule off.",
    },
    Key {
        name: "colleagueThreshold",
        kind: threshold(40),
        group: Group::When,
        rule: Some(Rule::ColleaguesExposed),
        per_identity: true,
        doc: "Warn when at least this many colleagues (the identity's own domain and internalDomains) would newly have their addresses seen by someone outside the organisation: an all-staff list in Cc to a supplier. Colleagues among themselves are the large-audience rule's. 0 switches the rule off.",
    },
    Key {
        name: "audienceThreshold",
        kind: threshold(1000),
        group: Group::When,
        rule: Some(Rule::LargeAudience),
        per_identity: true,
        doc: "The gentle 'large audience' warning: at least this many people, colleagues included, would newly see each other's addresses. 0 switches the rule off.",
    },
    Key {
        name: "hardLimit",
        kind: threshold(0),
        group: Group::HardLimit,
        rule: Some(Rule::HardLimit),
        per_identity: true,
        doc: "More visible people than this cannot be sent as written, whatever the thread or known groups: 'Send anyway' is disabled, Move to Bcc still works. 0 means no hard limit.",
    },
    Key {
        name: "rememberGroups",
        kind: KeyKind::Switch { default: true },
        group: Group::Context,
        rule: None,
        per_identity: false,
        doc: "Offer 'They know each other — don't ask again for this group' on the warning, and stay quiet for a group so remembered (or a part of it). Switching it off also stops using the groups already remembered.",
    },
    Key {
        name: "learnGroups",
        kind: KeyKind::Switch { default: true },
        group: Group::Context,
        rule: None,
        per_identity: false,
        doc: "Learn, from the headers of mail received from outside the organisation, which people were all visible to each other in it: a later send to such a group (or a part of it) exposes nobody new. Only addresses are kept, locally.",
    },
    Key {
        name: "separateLimit",
        kind: KeyKind::Number {
            default: 100,
            min: 0,
            max: 1000,
        },
        group: Group::Separately,
        rule: None,
        per_identity: false,
        doc: "The warning offers 'Send separately' (one personal copy per person, Thunderbird 153 and later) for at most this many copies. 0: never offered.",
    },
    Key {
        name: "separatePerMinute",
        kind: KeyKind::Number {
            default: 120,
            min: 1,
            max: 600,
        },
        group: Group::Separately,
        rule: None,
        per_identity: false,
        doc: "How many personal copies CcGuard sends per minute, so that the mail provider's rate limit is not hit (see the README for common providers' limits).",
    },
    Key {
        name: "separateKeepCopies",
        kind: KeyKind::Switch { default: false },
        group: Group::Separately,
        rule: None,
        per_identity: false,
        doc: "Keep every personal copy in the Sent folder. Off: the Sent folder keeps one record of the original, with every person it reached listed in Bcc.",
    },
    Key {
        name: "internalDomains",
        kind: list(Entry::DomainPattern),
        group: Group::Organisation,
        rule: None,
        per_identity: false,
        doc: "Domain patterns counted as colleagues, besides the sending identity's own domain and its subdomains: 'example.org' (that domain only), '*.example.org' (its subdomains at any depth, not the domain itself: list both for both), '@example.org' (same as example.org). Unicode or punycode, any case.",
    },
    Key {
        name: "privateDomains",
        kind: list(Entry::Domain),
        group: Group::Private,
        rule: None,
        per_identity: false,
        doc: "Extra consumer mailbox domains, added to the built-in list (e.g. a regional provider the list lacks). Plain domains: no '*.' wildcard; a leading '@' is accepted.",
    },
    Key {
        name: "notPrivateDomains",
        kind: list(Entry::Domain),
        group: Group::Private,
        rule: None,
        per_identity: false,
        doc: "Domains of the built-in consumer list that are an organisation for you (e.g. a university or a company on such a domain). Plain domains: no '*.' wildcard; a leading '@' is accepted.",
    },
    Key {
        name: "allowedAddresses",
        kind: list(Entry::Address),
        group: Group::Never,
        rule: None,
        per_identity: false,
        doc: "Addresses never counted by any rule, e.g. a server-side distribution list such as all-staff@example.org. They still appear in the counts and Move to Bcc still moves them.",
    },
    Key {
        name: "allowedDomains",
        kind: list(Entry::DomainPattern),
        group: Group::Never,
        rule: None,
        per_identity: false,
        doc: "Domain patterns (same forms as internalDomains) whose people are never counted by any rule.",
    },
    Key {
        name: "allowedLists",
        kind: list(Entry::ListName),
        group: Group::Never,
        rule: None,
        per_identity: false,
        doc: "Address-book mailing-list names (compared without regard to case) whose members are never counted by any rule.",
    },
    Key {
        name: "identities",
        kind: KeyKind::Identities { max: MAX_LIST },
        group: Group::Identities,
        rule: None,
        per_identity: false,
        doc: "Settings per sending identity, keyed by the identity's e-mail address (any case): its role ('personal', 'organisation' or 'sensitive') and any of the threshold keys; a key left out keeps the general value.",
    },
];

/// The keys `identities.<address>` may hold besides the per-identity thresholds.
pub const IDENTITY_KEYS: &[Key] = &[Key {
    name: "role",
    kind: KeyKind::Choice { choices: ROLES },
    group: Group::Identities,
    rule: None,
    per_identity: true,
    doc: "What the address is used for. 'organisation': work, including a therapist, tutor or landlord on a consumer mailbox, whose clients are private individuals. 'personal': private life; friends and family are not a breach, so the private-individuals rule does not apply. 'sensitive': health, legal, HR, counselling, children; even two private individuals or clients shown to each other warn, and colleagues count too. Without it, a consumer mailbox domain means personal, any other domain organisation.",
}];

/// Version 1 had one threshold, on everyone visible; its closest successor is the
/// external rule. Read when `externalThreshold` is absent.
pub const LEGACY_THRESHOLD: &str = "threshold";

/// The key named `name`, if CcGuard knows it.
pub fn key(name: &str) -> Option<&'static Key> {
    KEYS.iter().find(|k| k.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_every_threshold_names_its_rule() {
        for (i, k) in KEYS.iter().chain(IDENTITY_KEYS).enumerate() {
            assert!(
                KEYS.iter()
                    .chain(IDENTITY_KEYS)
                    .skip(i + 1)
                    .all(|o| o.name != k.name),
                "{} twice",
                k.name
            );
            let is_threshold = matches!(k.kind, KeyKind::Threshold { .. });
            assert_eq!(is_threshold, k.rule.is_some(), "{}", k.name);
            assert_eq!(
                is_threshold || k.name == "role",
                k.per_identity,
                "{}",
                k.name
            );
            assert!(!k.doc.is_empty());
        }
    }
}
