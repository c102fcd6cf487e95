//! RFC 5322 address lists, read the way Thunderbird reads them.
//!
//! The output has the shape of Thunderbird's `parseAddressingHeader(header, true)`, so
//! the extension can show exactly what the user typed; see `DIVERGENCES.md` for the
//! few places where CcGuard follows the RFC instead.

mod case;
mod charset;
mod clean;
mod format;
mod idn;
mod lexer;
mod parser;
mod problem;
mod rfc2047;

pub use format::format_mailbox;
pub use idn::{normalize_domain, normalize_domain_into, punycode_decode};
pub use parser::{parse_located, Located, LocatedEntry, ParsedList};
pub use problem::{Problem, ProblemKind};

use serde::{Deserialize, Serialize};

/// One mailbox: `{name, email}`. `name` is decoded and may be empty; `email` is as
/// written (a local part that needs quoting is shown quoted).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Mailbox {
    pub name: String,
    pub email: String,
}

/// A named group of mailboxes: `{name, group}`, e.g. `undisclosed-recipients:;`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group {
    pub name: String,
    pub group: Vec<Mailbox>,
}

/// An element of an address list, serialized without a tag as jsmime does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Entry {
    Mailbox(Mailbox),
    Group(Group),
}

impl Entry {
    /// The mailboxes this entry stands for: itself, or a group's members.
    pub fn mailboxes(&self) -> &[Mailbox] {
        match self {
            Entry::Mailbox(m) => std::slice::from_ref(m),
            Entry::Group(g) => &g.group,
        }
    }
}

/// Parses an address header value (To, Cc, Bcc, From) into jsmime-shaped entries.
///
/// Never fails: malformed pieces come back as best-effort entries (for instance a
/// name with an empty `email`), as Thunderbird shows them.
pub fn parse_address_list(header: &str) -> Vec<Entry> {
    parse_located(header)
        .entries
        .iter()
        .map(LocatedEntry::to_entry)
        .collect()
}

/// The form in which two addresses are compared: the whole address lowercased, the
/// domain in its Unicode form (`xn--bcher-kva.example` == `BÜCHER.example`).
///
/// Lowercasing the local part is not what RFC 5321 promises, but no real provider
/// distinguishes `Bob@` from `bob@`, and treating them as one is the safe side for
/// counting who can see whom.
pub fn normalized_address(email: &str) -> String {
    let (local, domain) = match email.rfind('@') {
        Some(at) => (&email[..at], Some(&email[at + 1..])),
        None => (email, None),
    };
    let mut key = String::with_capacity(email.len());
    case::push_lower(&mut key, local);
    if let Some(domain) = domain {
        key.push('@');
        normalize_domain_into(&mut key, domain);
    }
    key
}

/// The domain part of a key made by [`normalized_address`], empty if it has none.
pub fn domain_of_key(key: &str) -> &str {
    key.rfind('@').map_or("", |at| &key[at + 1..])
}
