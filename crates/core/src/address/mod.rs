//! RFC 5322 address lists, read the way Thunderbird reads them.
//!
//! The output has the shape of Thunderbird's `parseAddressingHeader(header, true)`, so
//! the extension can show exactly what the user typed; see `DIVERGENCES.md` for the
//! few places where CcGuard follows the RFC instead.

mod clean;
mod domain;
mod format;
mod lexer;
mod parser;
mod problem;
mod rfc2047;

pub(crate) use clean::clean;
pub use domain::{normalize_domain, push_domain};
pub use format::format_mailbox;
pub(crate) use format::format_parts;
pub(crate) use parser::{parse_into, RawMailbox, Sink};
pub use parser::{parse_located, parse_located_full, Located, LocatedEntry, ParsedList};
pub use problem::{Problem, ProblemKind};

use crate::text::Text;
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
/// `text` decodes the charsets of encoded words (see [`crate::text`]).
pub fn parse_address_list(header: &str, text: &dyn Text) -> Vec<Entry> {
    // Commas bound the number of entries closely enough to allocate once.
    let commas = count_commas(header);
    let mut out = Vec::with_capacity((commas + 1).min(16_384));
    parse_into(header, &mut out, true, text);
    out
}

/// The number of `,` in `s`.
pub(crate) fn count_commas(s: &str) -> usize {
    s.bytes().filter(|&b| b == b',').count()
}

/// The form in which two addresses are compared: the local part lowercased, the domain
/// in the comparable form of [`normalize_domain`] (`xn--bcher-kva.example` ==
/// `BÜCHER.example`).
///
/// Lowercasing the local part is not what RFC 5321 promises, but no real provider
/// distinguishes `Bob@` from `bob@`, and treating them as one is the safe side for
/// counting who can see whom.
pub fn normalized_address(email: &str, text: &dyn Text) -> String {
    let mut key = String::with_capacity(email.len());
    push_normalized(&mut key, email, None, text);
    key
}

/// Appends [`normalized_address`]`(email)` to `key`, so that many keys can share one
/// buffer; returns where in `key` its domain starts (its end if it has none). `plain_at`
/// is given by the parser's fast path, which knows the address is printable ASCII with
/// its only `@` there.
pub(crate) fn push_normalized(
    key: &mut String,
    email: &str,
    plain_at: Option<usize>,
    text: &dyn Text,
) -> usize {
    let start = key.len();
    if plain_at.is_some() || email.is_ascii() {
        key.push_str(email);
        key[start..].make_ascii_lowercase();
        let at = plain_at.or_else(|| email.rfind('@'));
        return at.map_or(key.len(), |at| start + at + 1);
    }
    let Some(at) = email.rfind('@') else {
        key.push_str(&email.to_lowercase());
        return key.len();
    };
    key.push_str(&email[..at].to_lowercase());
    key.push('@');
    let domain_start = key.len();
    push_domain(key, &email[at + 1..], text);
    domain_start
}

/// The domain part of a key made by [`normalized_address`], empty if it has none.
pub fn domain_of_key(key: &str) -> &str {
    key.rfind('@').map_or("", |at| &key[at + 1..])
}

#[cfg(all(test, feature = "native-text"))]
mod tests {
    use super::*;
    use crate::text::NATIVE;

    #[test]
    fn addresses_compare_without_case_and_in_one_form_of_their_domain() {
        assert_eq!(
            normalized_address("Bob@Example.ORG", &NATIVE),
            "bob@example.org"
        );
        assert_eq!(
            normalized_address("JÜRGEN@BÜCHER.example", &NATIVE),
            "jürgen@xn--bcher-kva.example"
        );
        assert_eq!(
            normalized_address("jürgen@XN--BCHER-KVA.example", &NATIVE),
            "jürgen@xn--bcher-kva.example"
        );
        assert_eq!(normalized_address("nobody", &NATIVE), "nobody");
    }

    #[test]
    fn the_domain_of_a_key_starts_after_its_last_at() {
        let mut key = String::from("prefix:");
        let at = push_normalized(&mut key, "\"a@b\"@X.example", None, &NATIVE);
        assert_eq!(&key[at..], "x.example");
        assert_eq!(domain_of_key("\"a@b\"@x.example"), "x.example");
    }
}
