//! Writing a mailbox back as header text.

use super::Mailbox;

/// Characters that may appear unquoted in a display name: RFC 5322 `atext`, plus
/// RFC 6532 UTF-8, plus the spaces between words.
///
/// ```text
/// atext = ALPHA / DIGIT / "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "/"
///       / "=" / "?" / "^" / "_" / "`" / "{" / "|" / "}" / "~"
/// ```
fn is_phrase_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(
            c,
            '!' | '#'
                | '$'
                | '%'
                | '&'
                | '\''
                | '*'
                | '+'
                | '-'
                | '/'
                | '='
                | '?'
                | '^'
                | '_'
                | '`'
                | '{'
                | '|'
                | '}'
                | '~'
                | ' '
        )
        || !c.is_ascii()
}

/// `Name <email>`, or just `email` when there is no name.
///
/// ```text
/// name-addr     = [display-name] angle-addr
/// quoted-string = DQUOTE *([FWS] qcontent) [FWS] DQUOTE   ; `"` and `\` escaped
/// ```
/// A name that is not a plain sequence of words is quoted. Encoded words are decoded
/// even inside quoted strings and addresses, so a literal `=?` in the name or the
/// address is written `=\?`, which reads back as the same text.
pub fn format_mailbox(mailbox: &Mailbox) -> String {
    format_parts(&mailbox.name, &mailbox.email)
}

/// [`format_mailbox`] of a name and an address.
pub(crate) fn format_parts(name: &str, email: &str) -> String {
    let mut out = String::with_capacity(name.len() + email.len() + 8);
    if name.is_empty() {
        push_escaped(&mut out, email, false);
        return out;
    }
    // Words separated by single spaces, and nothing that would read as an encoded word.
    let mut plain = !name.starts_with(' ') && !name.ends_with(' ');
    let mut prev = ' ';
    for c in name.chars() {
        if !is_phrase_char(c) || (c == ' ' && prev == ' ' && plain) || (c == '?' && prev == '=') {
            plain = false;
            break;
        }
        prev = c;
    }
    if plain {
        out.push_str(name);
    } else {
        out.push('"');
        push_escaped(&mut out, name, true);
        out.push('"');
    }
    out.push_str(" <");
    push_escaped(&mut out, email, false);
    out.push('>');
    out
}

/// Appends `s` with a backslash between `=` and `?`, so that no encoded word can
/// start there, and before `"` and `\` when `quote` (inside a quoted string).
fn push_escaped(out: &mut String, s: &str, quote: bool) {
    let mut prev = ' ';
    for c in s.chars() {
        if (quote && (c == '"' || c == '\\')) || (c == '?' && prev == '=') {
            out.push('\\');
        }
        out.push(c);
        prev = c;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mb(name: &str, email: &str) -> Mailbox {
        Mailbox {
            name: name.into(),
            email: email.into(),
        }
    }

    #[test]
    fn plain_names_stay_unquoted() {
        assert_eq!(format_mailbox(&mb("Bob Smith", "b@x")), "Bob Smith <b@x>");
        assert_eq!(format_mailbox(&mb("Jürgen", "j@x")), "Jürgen <j@x>");
    }

    #[test]
    fn names_with_specials_are_quoted_and_escaped() {
        assert_eq!(
            format_mailbox(&mb("Doe, John", "j@x")),
            "\"Doe, John\" <j@x>"
        );
        assert_eq!(
            format_mailbox(&mb("a \"b\" \\c", "j@x")),
            r#""a \"b\" \\c" <j@x>"#
        );
        assert_eq!(format_mailbox(&mb("Dr. Bob", "j@x")), "\"Dr. Bob\" <j@x>");
    }

    #[test]
    fn text_that_looks_like_an_encoded_word_is_escaped() {
        assert_eq!(
            format_mailbox(&mb("=?UTF-8?Q?a?=", "j@x")),
            r#""=\?UTF-8?Q?a?=" <j@x>"#
        );
        assert_eq!(
            format_mailbox(&mb("", r#""a =?UTF-8?B??= b"@x"#)),
            r#""a =\?UTF-8?B??= b"@x"#
        );
    }

    #[test]
    fn nameless_mailbox_is_the_bare_address() {
        assert_eq!(format_mailbox(&mb("", "b@x")), "b@x");
    }
}
