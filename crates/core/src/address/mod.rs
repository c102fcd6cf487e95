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

pub(crate) use case::push_lower;
pub use format::format_mailbox;
pub(crate) use format::format_parts;
pub use idn::{normalize_domain, normalize_domain_into, punycode_decode};
pub(crate) use parser::{parse_into, RawMailbox, Sink};
pub use parser::{parse_located, parse_located_full, Located, LocatedEntry, ParsedList};
pub use problem::{Problem, ProblemKind};

use crate::sub;
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

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = ONES << 7;

/// Sums `f` over the whole 8-byte little-endian words of `b`, and `g` over the
/// bytes left: byte tests eight at a time, which the size-optimised WASM build
/// would otherwise do one by one.
fn sum_words(b: &[u8], f: impl Fn(u64) -> u32, g: impl Fn(u8) -> bool) -> usize {
    let mut chunks = b.chunks_exact(8);
    let mut sum = 0;
    for c in &mut chunks {
        sum += f(u64::from_le_bytes(c.try_into().unwrap_or_default())) as usize;
    }
    sum + chunks.remainder().iter().filter(|&&c| g(c)).count()
}

/// How many bytes of `b` are `needle`.
pub(crate) fn count_byte(b: &[u8], needle: u8) -> usize {
    let word = |w: u64| {
        // The high bit of each byte of `t` is clear exactly where `x` has a zero byte.
        let x = w ^ (ONES * u64::from(needle));
        let t = ((x & !HIGH).wrapping_add(!HIGH)) | x;
        (!t & HIGH).count_ones()
    };
    sum_words(b, word, |c| c == needle)
}

/// Whether ASCII text `b` has an uppercase letter.
fn has_ascii_upper(b: &[u8]) -> bool {
    let word = |x: u64| {
        // Bytes below 0x80 do not carry into each other here.
        let ge_a = x.wrapping_add(ONES * (0x80 - u64::from(b'A')));
        let gt_z = x.wrapping_add(ONES * (0x7F - u64::from(b'Z')));
        u32::from(ge_a & !gt_z & HIGH != 0)
    };
    sum_words(b, word, |c| c.is_ascii_uppercase()) > 0
}

/// The number of `,` in `s`.
pub(crate) fn count_commas(s: &str) -> usize {
    count_byte(s.as_bytes(), b',')
}

/// The form in which two addresses are compared: the whole address lowercased, the
/// domain in its Unicode form (`xn--bcher-kva.example` == `BÜCHER.example`).
///
/// Lowercasing the local part is not what RFC 5321 promises, but no real provider
/// distinguishes `Bob@` from `bob@`, and treating them as one is the safe side for
/// counting who can see whom.
pub fn normalized_address(email: &str) -> String {
    let mut key = String::with_capacity(email.len());
    push_normalized(&mut key, email, None);
    key
}

/// Appends [`normalized_address`]`(email)` to `key`, so that many keys can share
/// one buffer; returns where in `key` its domain starts (its end if it has none).
/// `at` is given by the parser's fast path, which knows that `email` is printable
/// ASCII with its only `@` there.
pub(crate) fn push_normalized(key: &mut String, email: &str, at: Option<usize>) -> usize {
    // Known from the fast path: then the address is also plain ASCII.
    let plain = at.is_some();
    let at = at.or_else(|| email.bytes().rposition(|b| b == b'@'));
    let start = key.len();
    let Some(at) = at else {
        case::push_lower(key, email);
        return key.len();
    };
    let domain = sub(email, at + 1..);
    // Plain ASCII without an A-label, the common case: lowercasing is all there is.
    if (plain || email.is_ascii()) && !idn::has_a_label(domain) {
        key.push_str(email);
        // Most addresses are written in lowercase already.
        if has_ascii_upper(email.as_bytes()) {
            if let Some(pushed) = key.get_mut(start..) {
                pushed.make_ascii_lowercase();
            }
        }
        return start + at + 1;
    }
    case::push_lower(key, sub(email, ..at));
    key.push('@');
    let domain_start = key.len();
    normalize_domain_into(key, domain);
    domain_start
}

/// The domain part of a key made by [`normalized_address`], empty if it has none.
pub fn domain_of_key(key: &str) -> &str {
    key.rfind('@').map_or("", |at| sub(key, at + 1..))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_at_a_time_byte_tests_agree_with_simple_ones() {
        let texts = [
            "",
            ",",
            "a,b,,c",
            "abcdefgh,",
            "ABC",
            "xyz@[]`{",
            "a-b.c-d-e-f-g-h-i",
            "Za@Mail.COM",
        ];
        for t in texts {
            let b = t.as_bytes();
            assert_eq!(
                count_byte(b, b','),
                b.iter().filter(|&&c| c == b',').count(),
                "{t}"
            );
            assert_eq!(
                count_byte(b, b'-'),
                b.iter().filter(|&&c| c == b'-').count(),
                "{t}"
            );
            assert_eq!(
                has_ascii_upper(b),
                b.iter().any(u8::is_ascii_uppercase),
                "{t}"
            );
        }
        for c in 0u8..0x80 {
            assert_eq!(has_ascii_upper(&[c]), c.is_ascii_uppercase(), "{c}");
            assert_eq!(count_byte(&[b'x', c, b'y'], b','), usize::from(c == b','));
        }
    }
}
