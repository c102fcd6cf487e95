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
pub(crate) use format::format_parts;
pub use idn::{normalize_domain, normalize_domain_into, punycode_decode};
pub(crate) use parser::{parse_into, RawMailbox, Sink};
pub use parser::{parse_located, parse_located_full, Located, LocatedEntry, ParsedList};
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
    // Commas bound the number of entries closely enough to allocate once.
    let commas = count_commas(header);
    let mut out = Vec::with_capacity((commas + 1).min(16_384));
    parse_into(header, &mut out, true);
    out
}

/// The number of `,` in `s`, counted in blocks that the compiler vectorises.
pub(crate) fn count_commas(s: &str) -> usize {
    s.as_bytes()
        .chunks(255)
        .map(|c| c.iter().fold(0u8, |n, &b| n + u8::from(b == b',')) as usize)
        .sum()
}

/// The form in which two addresses are compared: the whole address lowercased, the
/// domain in its Unicode form (`xn--bcher-kva.example` == `BÜCHER.example`).
///
/// Lowercasing the local part is not what RFC 5321 promises, but no real provider
/// distinguishes `Bob@` from `bob@`, and treating them as one is the safe side for
/// counting who can see whom.
pub fn normalized_address(email: &str) -> String {
    let mut key = String::with_capacity(email.len());
    push_normalized(&mut key, email);
    key
}

/// Appends [`normalized_address`]`(email)` to `key`, so that many keys can share
/// one buffer; returns where in `key` its domain starts (its end if it has none).
pub(crate) fn push_normalized(key: &mut String, email: &str) -> usize {
    push_normalized_at(key, email, None)
}

/// [`push_normalized`], told by the parser's fast path when `email` is known to be
/// printable ASCII with its only `@` at `plain_at`.
pub(crate) fn push_normalized_at(key: &mut String, email: &str, plain_at: Option<usize>) -> usize {
    let start = key.len();
    if let Some(at) = plain_at.filter(|&at| !idn::has_a_label(&email[at + 1..])) {
        key.push_str(email);
        key[start..].make_ascii_lowercase();
        return start + at + 1;
    }
    let at = email.bytes().rposition(|b| b == b'@');
    let (local, domain) = match at {
        Some(at) => (&email[..at], Some(&email[at + 1..])),
        None => (email, None),
    };
    // Plain ASCII without an A-label, the common case: lowercasing is all there is.
    if email.is_ascii() && !domain.is_some_and(idn::has_a_label) {
        key.push_str(email);
        key[start..].make_ascii_lowercase();
        return at.map_or(key.len(), |at| start + at + 1);
    }
    case::push_lower(key, local);
    match domain {
        Some(domain) => {
            key.push('@');
            let domain_start = key.len();
            normalize_domain_into(key, domain);
            domain_start
        }
        None => key.len(),
    }
}

/// The domain part of a key made by [`normalized_address`], empty if it has none.
pub fn domain_of_key(key: &str) -> &str {
    key.rfind('@').map_or("", |at| &key[at + 1..])
}
