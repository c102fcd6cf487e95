//! Domain patterns: `example.org` matches that domain only; `*.example.org` matches
//! every subdomain of it, at any depth, and not the domain itself (list both for both).

use crate::address::normalize_domain;
use crate::text::Text;

/// A pattern's comparable text (`*.` kept); the policy holds its patterns this way.
pub struct DomainPattern;

impl DomainPattern {
    /// The comparable text of `example.org`, `*.example.org` or `@example.org` (a
    /// leading `@` is what people type after an address), in any case and in Unicode
    /// or punycode; `None` when `text` is no such pattern.
    pub fn normalize(pattern: &str, text: &dyn Text) -> Option<String> {
        let pattern = pattern.trim();
        let pattern = pattern.strip_prefix('@').unwrap_or(pattern);
        let (rest, prefix) = match pattern.strip_prefix("*.") {
            Some(rest) => (rest, "*."),
            None => (pattern, ""),
        };
        Self::is_domain(rest).then(|| prefix.to_owned() + &normalize_domain(rest, text))
    }

    /// Whether `text` can be a domain name: dot-separated labels of letters (any
    /// script), digits and hyphens, no label starting or ending with a hyphen.
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

    /// Whether the comparable `pattern` matches `domain` (the domain part of an
    /// address key).
    pub fn matches(pattern: &str, domain: &str) -> bool {
        match pattern.strip_prefix("*.") {
            Some(parent) => is_subdomain(domain, parent),
            None => domain == pattern,
        }
    }
}

/// Whether `domain` is a strict subdomain of `parent` (`a.b.example` of `b.example`).
pub(crate) fn is_subdomain(domain: &str, parent: &str) -> bool {
    domain.len() > parent.len()
        && domain.ends_with(parent)
        && domain.as_bytes()[domain.len() - parent.len() - 1] == b'.'
}

#[cfg(all(test, feature = "native-text"))]
mod tests {
    use super::*;
    use crate::text::NATIVE;

    fn pattern(s: &str) -> String {
        DomainPattern::normalize(s, &NATIVE).unwrap()
    }

    #[test]
    fn a_plain_pattern_matches_the_domain_only() {
        let p = pattern("Example.ORG");
        assert!(DomainPattern::matches(&p, "example.org"));
        assert!(!DomainPattern::matches(&p, "mail.example.org"));
        assert!(!DomainPattern::matches(&p, "badexample.org"));
    }

    #[test]
    fn a_star_pattern_matches_subdomains_at_any_depth_but_not_the_domain() {
        let p = pattern("*.example.org");
        assert!(DomainPattern::matches(&p, "mail.example.org"));
        assert!(DomainPattern::matches(&p, "a.b.example.org"));
        assert!(!DomainPattern::matches(&p, "example.org"));
        assert!(!DomainPattern::matches(&p, "notexample.org"));
    }

    #[test]
    fn patterns_accept_an_at_sign_and_unicode_or_punycode() {
        assert_eq!(pattern("@xn--bcher-kva.example"), "xn--bcher-kva.example");
        assert_eq!(pattern("*.Bücher.example"), "*.xn--bcher-kva.example");
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
            assert!(DomainPattern::normalize(bad, &NATIVE).is_none(), "{bad}");
        }
    }
}
