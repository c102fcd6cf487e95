//! One comparable form for internationalised domain names.
//!
//! `xn--bcher-kva.example`, `bücher.example` and `BÜCHER.EXAMPLE` are one domain. The
//! full UTS #46 tables would cost more than the whole WASM budget, so CcGuard decodes
//! A-labels with RFC 3492 and lowercases; that identifies the forms real mail uses.

use super::case::push_lower;
use crate::sub;

/// The comparable (Unicode, lowercase) form of a domain.
///
/// RFC 3490 §3.1: the ideographic and fullwidth full stops also separate labels.
pub fn normalize_domain(domain: &str) -> String {
    let mut out = String::with_capacity(domain.len());
    normalize_domain_into(&mut out, domain);
    out
}

/// Appends the comparable form of `domain` to `out`, so a whole address key needs
/// a single allocation.
pub fn normalize_domain_into(out: &mut String, domain: &str) {
    let unified: String;
    let domain = if domain.is_ascii() || !domain.contains(['\u{3002}', '\u{FF0E}', '\u{FF61}']) {
        domain
    } else {
        unified = domain.replace(['\u{3002}', '\u{FF0E}', '\u{FF61}'], ".");
        unified.as_str()
    };
    if !has_a_label(domain) {
        push_lower(out, domain);
        return;
    }
    for (i, label) in domain.split('.').enumerate() {
        if i > 0 {
            out.push('.');
        }
        let decoded = label
            .get(..4)
            .filter(|p| p.eq_ignore_ascii_case("xn--"))
            .and_then(|_| punycode_decode(sub(label, 4..)));
        match decoded {
            Some(text) => push_lower(out, &text),
            None => push_lower(out, label),
        }
    }
}

/// Whether a label of `domain` starts with `xn--` (any case).
pub(crate) fn has_a_label(domain: &str) -> bool {
    // Most domains have no `-` at all; only those need the label by label look.
    super::count_byte(domain.as_bytes(), b'-') > 0
        && domain
            .split('.')
            .any(|l| l.len() >= 4 && l.as_bytes()[..4].eq_ignore_ascii_case(b"xn--"))
}

const BASE: u32 = 36;
const T_MIN: u32 = 1;
const T_MAX: u32 = 26;
const SKEW: u32 = 38;
const DAMP: u32 = 700;
const INITIAL_BIAS: u32 = 72;
const INITIAL_N: u32 = 128;

/// RFC 3492 §6.3 bias adaptation.
fn adapt(mut delta: u32, num_points: u32, first_time: bool) -> u32 {
    delta /= if first_time { DAMP } else { 2 };
    delta += delta / num_points;
    let mut k = 0;
    while delta > ((BASE - T_MIN) * T_MAX) / 2 {
        delta /= BASE - T_MIN;
        k += BASE;
    }
    k + (BASE - T_MIN + 1) * delta / (delta + SKEW)
}

fn digit_value(c: u8) -> Option<u32> {
    match c {
        b'a'..=b'z' => Some((c - b'a') as u32),
        b'A'..=b'Z' => Some((c - b'A') as u32),
        b'0'..=b'9' => Some((c - b'0') as u32 + 26),
        _ => None,
    }
}

/// Decodes a Punycode string (the part after `xn--`); `None` if it is not valid,
/// in which case the label is compared as written.
///
/// RFC 3492 §6.2, with checked arithmetic instead of the overflow tests.
pub fn punycode_decode(input: &str) -> Option<String> {
    // DNS labels are at most 63 octets; the bound also keeps the quadratic
    // insertion below cheap on hostile input.
    if !input.is_ascii() || input.is_empty() || input.len() > 255 {
        return None;
    }
    let (basic, extended) = match input.rfind('-') {
        Some(pos) => (sub(input, ..pos), sub(input, pos + 1..)),
        None => ("", input),
    };
    let mut output: Vec<char> = basic.chars().collect();
    let mut n = INITIAL_N;
    let mut i: u32 = 0;
    let mut bias = INITIAL_BIAS;
    let mut bytes = extended.bytes().peekable();
    while bytes.peek().is_some() {
        let old_i = i;
        let mut w: u32 = 1;
        let mut k = BASE;
        loop {
            let digit = digit_value(bytes.next()?)?;
            i = i.checked_add(digit.checked_mul(w)?)?;
            let t = if k <= bias {
                T_MIN
            } else if k >= bias + T_MAX {
                T_MAX
            } else {
                k - bias
            };
            if digit < t {
                break;
            }
            w = w.checked_mul(BASE - t)?;
            k += BASE;
        }
        let len = output.len() as u32 + 1;
        bias = adapt(i - old_i, len, old_i == 0);
        n = n.checked_add(i / len)?;
        i %= len;
        let c = char::from_u32(n)?;
        if c.is_ascii() {
            return None;
        }
        output.insert(i as usize, c);
        i += 1;
    }
    Some(output.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_label_and_u_label_and_uppercase_are_one_domain() {
        assert_eq!(normalize_domain("xn--bcher-kva.example"), "bücher.example");
        assert_eq!(normalize_domain("BÜCHER.EXAMPLE"), "bücher.example");
        assert_eq!(normalize_domain("XN--BCHER-KVA.Example"), "bücher.example");
    }

    #[test]
    fn rfc3492_sample_decodes() {
        // RFC 3492 §7.1 (L) Japanese.
        assert_eq!(
            punycode_decode("3B-ww4c5e180e575a65lsy2b").as_deref(),
            Some("3年B組金八先生")
        );
        assert_eq!(
            punycode_decode("egbpdaj6bu4bxfgehfvwxn").as_deref(),
            Some("ليهمابتكلموشعربي؟")
        );
    }

    #[test]
    fn invalid_punycode_is_kept_as_written() {
        assert_eq!(normalize_domain("xn--!!.example"), "xn--!!.example");
        assert_eq!(
            normalize_domain("xn--zzzzzzzzzzzzzzzzzz.example"),
            "xn--zzzzzzzzzzzzzzzzzz.example"
        );
    }

    #[test]
    fn a_labels_are_found_in_any_label() {
        assert!(has_a_label("a.XN--bcher-kva.example"));
        assert!(has_a_label("xn--bcher-kva"));
        assert!(!has_a_label("a-b.example"));
        assert!(!has_a_label("gmail.com"));
    }

    #[test]
    fn ideographic_full_stop_separates_labels() {
        assert_eq!(normalize_domain("bücher\u{3002}example"), "bücher.example");
    }
}
