//! Removes invisible characters from names and addresses, as Thunderbird does, so a
//! zero-width space or a control character cannot make two addresses look different
//! or hide text in the warning.
//!
//! A table of our own: which characters can disguise a name is a decision (format and
//! bidi controls, variation selectors, tags), not a Unicode property a crate exposes.
//! extension/util.js drops the same set from text shown without the core.

use std::borrow::Cow;

/// What happens to a character: kept, dropped, or shown as a plain space.
enum Fate {
    Keep,
    Drop,
    Space,
}

fn fate(c: char) -> Fate {
    match c {
        '\t' | '\n' | '\r' => Fate::Keep,
        '\0'..='\x1F' | '\x7F'..='\u{9F}' => Fate::Drop,
        // Zs: space separators other than U+0020.
        '\u{A0}' | '\u{1680}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}' => {
            Fate::Space
        }
        // Nonspacing marks known to render blank.
        '\u{34F}' | '\u{17B4}' | '\u{17B5}' | '\u{180B}'..='\u{180D}' | '\u{FE00}'..='\u{FE0D}' => {
            Fate::Drop
        }
        '\u{E0100}'..='\u{E01EF}' => Fate::Drop,
        // Cf: format characters (bidi overrides, zero-width space, BOM, ...), except
        // the Arabic number signs and the zero-width joiner used in emoji.
        '\u{AD}'
        | '\u{61C}'
        | '\u{6DD}'
        | '\u{70F}'
        | '\u{8E2}'
        | '\u{180E}'
        | '\u{200B}'
        | '\u{200C}'
        | '\u{200E}'
        | '\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{206F}'
        | '\u{FEFF}'
        | '\u{FFF9}'..='\u{FFFB}'
        | '\u{E0001}'
        | '\u{E0020}'..='\u{E007F}' => Fate::Space,
        '\u{2800}' => Fate::Space,
        _ => Fate::Keep,
    }
}

/// Whether [`clean`] keeps `c` as it is.
pub(crate) fn keeps(c: char) -> bool {
    matches!(fate(c), Fate::Keep)
}

/// Cleans `s`, borrowing when nothing changes (the common, all-ASCII case).
pub(crate) fn clean(s: &str) -> Cow<'_, str> {
    // Printable ASCII is always kept; only look at characters when there is more.
    let printable = s
        .bytes()
        .all(|b| (0x20..0x7F).contains(&b) || b == b'\t' || b == b'\n' || b == b'\r');
    let needs_work = !printable && s.chars().any(|c| !matches!(fate(c), Fate::Keep));
    if !needs_work {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match fate(c) {
            Fate::Keep => out.push(c),
            Fate::Drop => {}
            Fate::Space => out.push(' '),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_width_space_becomes_a_space() {
        assert_eq!(clean("Bob\u{200B}Smith"), "Bob Smith");
    }

    #[test]
    fn control_characters_are_dropped() {
        assert_eq!(clean("a\u{1}b"), "ab");
    }

    #[test]
    fn plain_text_is_borrowed() {
        assert!(matches!(clean("plain"), Cow::Borrowed(_)));
    }
}
