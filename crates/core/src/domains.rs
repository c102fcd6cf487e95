//! Which organisation a domain belongs to: domain patterns (`example.org`,
//! `*.example.org`) and the table of consumer mailbox domains.

use crate::address::normalize_domain;
use crate::hash::fx_hash;
use serde::{Serialize, Serializer};
use std::fmt;

/// `example.org` matches that domain only; `*.example.org` matches every subdomain of
/// it, at any depth, and not the domain itself (list both for both).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainPattern {
    /// The comparable form (see `normalize_domain`), without `*.`.
    domain: String,
    subdomains: bool,
}

impl DomainPattern {
    /// Reads `example.org`, `*.example.org` or `@example.org` (a leading `@` is what
    /// people type after an address), in any case and in Unicode or punycode.
    pub fn parse(text: &str) -> Result<DomainPattern, &'static str> {
        let text = text.trim();
        let text = text.strip_prefix('@').unwrap_or(text);
        let (rest, subdomains) = match text.strip_prefix("*.") {
            Some(rest) => (rest, true),
            None => (text, false),
        };
        if !Self::is_domain(rest) {
            return Err("must be a domain such as example.org or *.example.org");
        }
        Ok(DomainPattern {
            domain: normalize_domain(rest),
            subdomains,
        })
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
        if self.subdomains {
            is_subdomain(domain, &self.domain)
        } else {
            domain == self.domain
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
        if self.subdomains {
            f.write_str("*.")?;
        }
        f.write_str(&self.domain)
    }
}

impl Serialize for DomainPattern {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Consumer mailbox domains (gmail.com, gmx.de, orange.fr…): people there are private
/// individuals, not organisations.
///
/// Kept as 64-bit fingerprints in an open-addressing set: the 14,000 domains of the
/// shipped list load in well under a millisecond and take 256 KiB, with a chance of
/// about 10⁻¹⁵ that some other domain is mistaken for one of them.
#[derive(Debug, Clone, Default)]
pub struct PrivateDomains {
    /// 0 is empty; fingerprints are never 0 (see `fingerprint`).
    slots: Vec<u64>,
    len: usize,
}

impl PrivateDomains {
    /// No consumer domains at all.
    pub fn none() -> Self {
        Self::default()
    }

    /// The table as build.sh ships it: one domain per line (blank lines and lines
    /// starting with `#` skipped). Any case, Unicode or punycode.
    pub fn from_lines(text: &str) -> Self {
        let lines = || {
            text.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
        };
        let mut set = PrivateDomains {
            slots: vec![0; (lines().count() * 2).next_power_of_two().max(16)],
            len: 0,
        };
        for line in lines() {
            set.insert(fingerprint(&normalize_domain(line)));
        }
        set
    }

    fn insert(&mut self, f: u64) {
        let mask = self.slots.len() - 1;
        let mut at = f as usize & mask;
        while self.slots[at] != 0 {
            if self.slots[at] == f {
                return;
            }
            at = (at + 1) & mask;
        }
        self.slots[at] = f;
        self.len += 1;
    }

    /// `domain` is in comparable form (the domain part of an address key).
    pub fn contains(&self, domain: &str) -> bool {
        if self.len == 0 {
            return false;
        }
        let f = fingerprint(domain);
        let mask = self.slots.len() - 1;
        let mut at = f as usize & mask;
        loop {
            match self.slots[at] {
                0 => return false,
                s if s == f => return true,
                _ => at = (at + 1) & mask,
            }
        }
    }

    /// How many distinct domains the table holds.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

fn fingerprint(domain: &str) -> u64 {
    fx_hash(domain).max(1)
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
