//! One comparable form for domain names.
//!
//! `xn--bcher-kva.example`, `bücher.example` and `BÜCHER.EXAMPLE` are one domain. The
//! comparable form is the one a URL host takes: the URL Standard's UTS #46 mapping to
//! ASCII, which the host provides (see [`crate::text`]), lowercase.

use crate::text::Text;

/// The comparable form of `domain`.
pub fn normalize_domain(domain: &str, text: &dyn Text) -> String {
    let mut out = String::with_capacity(domain.len());
    push_domain(&mut out, domain, text);
    out
}

/// Appends the comparable form of `domain` to `out`.
///
/// An ASCII domain needs only lowercasing: UTS #46 maps ASCII letters to lowercase and
/// leaves a valid A-label as it is (an invalid one is compared as written). Anything
/// else goes through the host's mapping; where that refuses the domain (it could not
/// be a host), it is compared as written, lowercased.
pub fn push_domain(out: &mut String, domain: &str, text: &dyn Text) {
    let start = out.len();
    if domain.is_ascii() {
        out.push_str(domain);
        out[start..].make_ascii_lowercase();
        return;
    }
    // A URL parser reads `/`, `?`, `#`, `%`, `@`, `:` and the like as structure, not as
    // part of a host: only letters, digits, `-` and `.` may accompany the non-ASCII text
    // handed to the host's mapping.
    let plain = domain
        .bytes()
        .all(|b| !b.is_ascii() || b.is_ascii_alphanumeric() || b == b'-' || b == b'.');
    match plain.then(|| text.domain_to_ascii(domain)).flatten() {
        Some(ascii) => {
            out.push_str(&ascii);
            out[start..].make_ascii_lowercase();
        }
        None => out.push_str(&domain.to_lowercase()),
    }
}

#[cfg(all(test, feature = "native-text"))]
mod tests {
    use super::*;
    use crate::text::NATIVE;

    #[test]
    fn a_label_u_label_and_uppercase_are_one_domain() {
        for d in [
            "xn--bcher-kva.example",
            "bücher.example",
            "BÜCHER.EXAMPLE",
            "XN--BCHER-KVA.Example",
        ] {
            assert_eq!(normalize_domain(d, &NATIVE), "xn--bcher-kva.example", "{d}");
        }
    }

    #[test]
    fn ideographic_full_stops_separate_labels() {
        assert_eq!(
            normalize_domain("bücher\u{3002}example", &NATIVE),
            "xn--bcher-kva.example"
        );
    }

    #[test]
    fn what_could_not_be_a_host_is_compared_as_written() {
        assert_eq!(
            normalize_domain("Bü/cher.example", &NATIVE),
            "bü/cher.example"
        );
        assert_eq!(
            normalize_domain("xn--!!.Example", &NATIVE),
            "xn--!!.example"
        );
    }
}
