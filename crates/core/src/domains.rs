//! Which organisation a domain belongs to: domain patterns (`example.org`,
//! `*.example.org`) and the table of consumer mailbox domains.

use crate::address::normalize_domain;
use serde::{Serialize, Serializer};
use std::fmt;

/// `example.org` matches that domain only; `*.example.org` matches every subdomain of
/// it, at any depth, and not the domain itself (list both for both).
///
/// Held as its text in comparable form (`*.` kept), so that the policy reads patterns
/// with the same code as its other lists of strings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainPattern(String);

impl DomainPattern {
    /// Reads `example.org`, `*.example.org` or `@example.org` (a leading `@` is what
    /// people type after an address), in any case and in Unicode or punycode.
    pub fn parse(text: &str) -> Result<DomainPattern, &'static str> {
        Self::normalize(text).map(DomainPattern)
    }

    /// The pattern's comparable text, or why `text` is not a pattern.
    pub(crate) fn normalize(text: &str) -> Result<String, &'static str> {
        let text = text.trim();
        let text = text.strip_prefix('@').unwrap_or(text);
        let (rest, prefix) = match text.strip_prefix("*.") {
            Some(rest) => (rest, "*."),
            None => (text, ""),
        };
        if !Self::is_domain(rest) {
            return Err("must be a domain such as example.org or *.example.org");
        }
        Ok(prefix.to_owned() + &normalize_domain(rest))
    }

    /// From text [`DomainPattern::normalize`] made.
    pub(crate) fn from_normalized(text: String) -> DomainPattern {
        DomainPattern(text)
    }

    /// Whether `text` can be a domain name: dot-separated labels of letters (any
    /// script), digits and hyphens.
    pub fn is_domain(text: &str) -> bool {
        !text.is_empty()
            && text.len() <= 253
            && text.split('.').all(|label| {
                !label.is_empty()
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || !c.is_ascii())
            })
    }

    /// `domain` is in comparable form (the domain part of an address key).
    pub fn matches(&self, domain: &str) -> bool {
        match self.0.strip_prefix("*.") {
            Some(parent) => is_subdomain(domain, parent),
            None => domain == self.0,
        }
    }
}

/// Whether `domain` is a strict subdomain of `parent` (`a.b.example` of `b.example`).
pub(crate) fn is_subdomain(domain: &str, parent: &str) -> bool {
    domain.len() > parent.len()
        && domain.ends_with(parent)
        && domain.as_bytes()[domain.len() - parent.len() - 1] == b'.'
}

impl fmt::Display for DomainPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for DomainPattern {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

/// Consumer mailbox domains (gmail.com, gmx.de, orange.fr…): people there are private
/// individuals, not organisations.
///
/// Held as sorted 32-bit fingerprints of the domains' comparable form: the 14,000 domains
/// of the shipped list cost 55 KiB of memory, a binary search per lookup, and a chance of
/// about 3 in a million that some other domain is taken for a consumer one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PrivateDomains {
    fingerprints: Vec<u32>,
}

/// Why a compiled table was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableError {
    /// It does not start with the table's magic bytes and version.
    NotATable,
    /// It ends before all its fingerprints.
    Truncated,
}

impl TableError {
    pub fn message(self) -> &'static str {
        match self {
            TableError::NotATable => "this is not a CcGuard table of consumer domains (version 1)",
            TableError::Truncated => "the table of consumer domains is cut short",
        }
    }
}

/// `CCPD`, then the format version.
const MAGIC: &[u8; 5] = b"CCPD\x01";

impl PrivateDomains {
    /// No consumer domains at all.
    pub fn none() -> Self {
        Self::default()
    }

    /// Domains one per line (blank lines and `#` comments skipped), in any case,
    /// Unicode or punycode.
    pub fn from_lines(text: &str) -> Self {
        let mut fingerprints: Vec<u32> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(|l| fingerprint(&normalize_domain(l)))
            .collect();
        fingerprints.sort_unstable();
        fingerprints.dedup();
        PrivateDomains { fingerprints }
    }

    /// The compact table build.sh ships (see [`PrivateDomains::to_table`]).
    pub fn from_table(bytes: &[u8]) -> Result<Self, TableError> {
        let header = MAGIC.len() + 5;
        if bytes.len() < header || !bytes.starts_with(MAGIC) {
            return Err(TableError::NotATable);
        }
        let k = u32::from(bytes[MAGIC.len()]);
        let mut count = [0u8; 4];
        count.copy_from_slice(&bytes[MAGIC.len() + 1..header]);
        let count = u32::from_le_bytes(count) as usize;
        if k > 31 || count > bytes.len() * 8 {
            return Err(TableError::NotATable);
        }
        let mut bits = Bits {
            bytes: &bytes[header..],
            at: 0,
        };
        let mut fingerprints = Vec::with_capacity(count);
        let mut last: u32 = 0;
        for _ in 0..count {
            let mut quotient: u32 = 0;
            while bits.next().ok_or(TableError::Truncated)? {
                quotient = quotient.checked_add(1).ok_or(TableError::NotATable)?;
            }
            let mut remainder: u32 = 0;
            for _ in 0..k {
                remainder = remainder << 1 | u32::from(bits.next().ok_or(TableError::Truncated)?);
            }
            let gap = quotient
                .checked_mul(1 << k)
                .and_then(|q| q.checked_add(remainder))
                .ok_or(TableError::NotATable)?;
            last = last.checked_add(gap).ok_or(TableError::NotATable)?;
            fingerprints.push(last);
        }
        Ok(PrivateDomains { fingerprints })
    }

    /// The compact table: `CCPD`, version 1, the Rice parameter k, the count (u32 LE),
    /// then each gap between sorted fingerprints Rice-coded (quotient in unary, k bits of
    /// remainder, most significant bit first). About 20 bits a domain, where the text
    /// list takes 14 bytes a domain.
    pub fn to_table(&self) -> Vec<u8> {
        let n = self.fingerprints.len().max(1) as u64;
        let mean_gap = (1u64 << 32) / n;
        let k = 63 - mean_gap.max(1).leading_zeros();
        let mut out = MAGIC.to_vec();
        out.push(k as u8);
        out.extend_from_slice(&(self.fingerprints.len() as u32).to_le_bytes());
        let mut bits = BitWriter { out, used: 8 };
        let mut last = 0;
        for &f in &self.fingerprints {
            let gap = f - last;
            last = f;
            for _ in 0..gap >> k {
                bits.push(true);
            }
            bits.push(false);
            for b in (0..k).rev() {
                bits.push(gap >> b & 1 == 1);
            }
        }
        bits.out
    }

    /// `domain` is in comparable form (the domain part of an address key).
    pub fn contains(&self, domain: &str) -> bool {
        !self.fingerprints.is_empty()
            && self
                .fingerprints
                .binary_search(&fingerprint(domain))
                .is_ok()
    }

    /// How many distinct fingerprints (domains) the table holds.
    pub fn len(&self) -> usize {
        self.fingerprints.len()
    }

    pub fn is_empty(&self) -> bool {
        self.fingerprints.is_empty()
    }
}

/// FNV-1a with MurmurHash3's finaliser, high half. Not the Fx hash of the tables:
/// that one collides on similar short strings (`posteo.af` and `posteo.is`), which is
/// harmless where keys are compared afterwards but not for fingerprints, which are all
/// there is of a domain here.
fn fingerprint(domain: &str) -> u32 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in domain.as_bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^= h >> 33;
    (h >> 32) as u32
}

struct Bits<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Bits<'_> {
    fn next(&mut self) -> Option<bool> {
        let byte = self.bytes.get(self.at / 8)?;
        let bit = byte >> (7 - self.at % 8) & 1 == 1;
        self.at += 1;
        Some(bit)
    }
}

struct BitWriter {
    out: Vec<u8>,
    /// Bits used in the last byte (8: start a new one).
    used: u32,
}

impl BitWriter {
    fn push(&mut self, bit: bool) {
        if self.used == 8 {
            self.out.push(0);
            self.used = 0;
        }
        if bit {
            *self.out.last_mut().unwrap() |= 0x80 >> self.used;
        }
        self.used += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plain_pattern_matches_the_domain_only() {
        let p = DomainPattern::parse("Example.ORG").unwrap();
        assert!(p.matches("example.org"));
        assert!(!p.matches("mail.example.org"));
        assert!(!p.matches("badexample.org"));
    }

    #[test]
    fn a_star_pattern_matches_subdomains_at_any_depth_but_not_the_domain() {
        let p = DomainPattern::parse("*.example.org").unwrap();
        assert!(p.matches("mail.example.org"));
        assert!(p.matches("a.b.example.org"));
        assert!(!p.matches("example.org"));
        assert!(!p.matches("notexample.org"));
    }

    #[test]
    fn patterns_accept_an_at_sign_and_punycode() {
        let p = DomainPattern::parse("@xn--bcher-kva.example").unwrap();
        assert!(p.matches("bücher.example"));
        assert_eq!(p.to_string(), "bücher.example");
    }

    #[test]
    fn patterns_refuse_what_is_not_a_domain() {
        for bad in [
            "",
            "*.",
            "a..b",
            "-a.example",
            "a b.example",
            "*.*.x",
            "ann@x.example",
        ] {
            assert!(DomainPattern::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_private_table_finds_its_domains_in_any_form() {
        let t = PrivateDomains::from_lines(
            "# comment\nGMail.com\n\n  gmx.de \nxn--bcher-kva.example\ngmail.com\n",
        );
        assert_eq!(t.len(), 3);
        assert!(t.contains("gmail.com"));
        assert!(t.contains("gmx.de"));
        assert!(t.contains("bücher.example"));
        assert!(!t.contains("gmx.net"));
        assert!(!t.contains("mail.gmail.com"));
        assert!(!PrivateDomains::none().contains("gmail.com"));
    }
}
