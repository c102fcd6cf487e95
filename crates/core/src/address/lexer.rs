//! Splits a header into the lexical units of RFC 5322 §3.2.
//!
//! The lexer is deliberately forgiving, the way Thunderbird's parser is: an unclosed
//! quoted string, comment or domain literal runs to the end of the input instead of
//! failing, and is reported so the caller can explain what went wrong.

use super::rfc2047;

/// What a token is; the payload is a slice of the input, never a copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind<'a> {
    /// One of `: , ; < > @` outside quotes and comments.
    Special(u8),
    /// A run of characters that are neither whitespace nor specials. Dots belong to
    /// atoms, as in `dot-atom`, so `Dr. Bob` and `a.b` stay together.
    Atom(&'a str),
    /// The content of a quoted string, without its quotes, escapes still in place.
    Quoted(&'a str),
    /// A domain literal including its brackets.
    Literal(&'a str),
    /// The content of an outermost comment, without its parentheses.
    Comment(&'a str),
    /// A run of RFC 2047 encoded words, whitespace between them included.
    Encoded(&'a str),
}

/// A token and where it came from, so callers can hand back the exact input text.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Token<'a> {
    pub kind: Kind<'a>,
    pub start: usize,
    pub end: usize,
}

/// Constructs that ran to the end of the input without being closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Unclosed {
    pub quote: Option<usize>,
    pub comment: Option<usize>,
    pub literal: Option<usize>,
}

/// Whether comments and specials are recognised: the content of a comment is lexed
/// again in `Flat` mode, where `,` or `(` are ordinary characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Header,
    Flat,
}

/// Bytes that never end or start anything: the bulk of atoms.
fn is_plain(b: u8, mode: Mode) -> bool {
    match b {
        b' ' | b'\t' | b'\r' | b'\n' | b'\\' | b'"' | b'[' | b'=' => false,
        b'(' | b':' | b',' | b';' | b'<' | b'>' | b'@' => mode == Mode::Flat,
        _ => true,
    }
}

fn is_wsp(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// A streaming tokenizer: tokens are produced on demand, so a 10,000-recipient
/// header never needs a token array, and cloning the lexer gives free lookahead.
///
/// ```text
/// specials    = "(" / ")" / "<" / ">" / "[" / "]" / ":" / ";" / "@" / "\" / "," / "." / DQUOTE
/// quoted-pair = "\" (VCHAR / WSP)
/// CFWS        = (1*([FWS] comment) [FWS]) / FWS
/// ```
/// Works on bytes: every byte that decides a split is ASCII, so every slice boundary
/// falls on a UTF-8 character boundary.
#[derive(Debug, Clone)]
pub(crate) struct Lexer<'a> {
    input: &'a str,
    pos: usize,
    mode: Mode,
    pub unclosed: Unclosed,
}

impl<'a> Lexer<'a> {
    pub(crate) fn new(input: &'a str, mode: Mode) -> Self {
        Lexer {
            input,
            pos: 0,
            mode,
            unclosed: Unclosed::default(),
        }
    }

    /// Continues lexing at byte `pos`, which must be a character boundary.
    pub(crate) fn seek(&mut self, pos: usize) {
        self.pos = pos;
    }

    fn token(&mut self, kind: Kind<'a>, start: usize, end: usize) -> Option<Token<'a>> {
        self.pos = end;
        Some(Token { kind, start, end })
    }
}

impl<'a> Iterator for Lexer<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        let input = self.input;
        let bytes = input.as_bytes();
        loop {
            let i = self.pos;
            let b = *bytes.get(i)?;
            match b {
                _ if is_wsp(b) => self.pos += 1,
                b'"' => {
                    let (end, closed) = scan_until(input, i + 1, b'"');
                    if closed {
                        return self.token(Kind::Quoted(&input[i + 1..end]), i, end + 1);
                    }
                    self.unclosed.quote.get_or_insert(i);
                    return self.token(Kind::Quoted(&input[i + 1..]), i, input.len());
                }
                b'[' => {
                    let (end, closed) = scan_until(input, i + 1, b']');
                    if closed {
                        return self.token(Kind::Literal(&input[i..end + 1]), i, end + 1);
                    }
                    self.unclosed.literal.get_or_insert(i);
                    return self.token(Kind::Literal(&input[i..]), i, input.len());
                }
                b'(' if self.mode == Mode::Header => match scan_comment(input, i + 1) {
                    Some(end) => return self.token(Kind::Comment(&input[i + 1..end]), i, end + 1),
                    None => {
                        // An unclosed comment swallows the rest, as in Thunderbird.
                        self.unclosed.comment.get_or_insert(i);
                        self.pos = input.len();
                    }
                },
                b':' | b',' | b';' | b'<' | b'>' | b'@' if self.mode == Mode::Header => {
                    return self.token(Kind::Special(b), i, i + 1);
                }
                _ => {
                    if b == b'=' {
                        let run = rfc2047::encoded_run_len(&input[i..]);
                        if run > 0 {
                            return self.token(Kind::Encoded(&input[i..i + run]), i, i + run);
                        }
                    }
                    let end = self.atom_end(i);
                    return self.token(Kind::Atom(&input[i..end]), i, end);
                }
            }
        }
    }
}

impl Lexer<'_> {
    /// End of the atom starting at `start`: quoted-pairs belong to it, and so does a
    /// `=` that does not begin an encoded word.
    fn atom_end(&self, start: usize) -> usize {
        let bytes = self.input.as_bytes();
        let mut i = start;
        loop {
            while i < bytes.len() && is_plain(bytes[i], self.mode) {
                i += 1;
            }
            match bytes.get(i) {
                Some(b'\\') => i = skip_escaped(self.input, i),
                Some(b'=') if i == start || rfc2047::encoded_run_len(&self.input[i..]) == 0 => {
                    i += 1
                }
                _ => return i,
            }
        }
    }
}

/// Tokenizes all of `input` at once; for comments and tests, where inputs are small.
pub(crate) fn tokenize(input: &str, mode: Mode) -> (Vec<Token<'_>>, Unclosed) {
    let mut lexer = Lexer::new(input, mode);
    let tokens = lexer.by_ref().collect();
    (tokens, lexer.unclosed)
}

/// Index just past a backslash and the character it escapes.
fn skip_escaped(input: &str, backslash: usize) -> usize {
    match input[backslash + 1..].chars().next() {
        Some(c) => backslash + 1 + c.len_utf8(),
        None => input.len(),
    }
}

/// Finds the unescaped `close` byte from `from`; returns its index and whether found.
fn scan_until(input: &str, from: usize, close: u8) -> (usize, bool) {
    let bytes = input.as_bytes();
    let mut i = from;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i = skip_escaped(input, i),
            b if b == close => return (i, true),
            _ => i += 1,
        }
    }
    (input.len(), false)
}

/// Finds the `)` closing a comment whose content starts at `from`.
///
/// ```text
/// comment  = "(" *([FWS] ccontent) [FWS] ")"
/// ccontent = ctext / quoted-pair / comment
/// ```
/// Quoted strings inside comments hide their parentheses, like Thunderbird does.
fn scan_comment(input: &str, from: usize) -> Option<usize> {
    let bytes = input.as_bytes();
    let mut depth = 1usize;
    let mut i = from;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i = skip_escaped(input, i),
            b'"' => {
                let (end, closed) = scan_until(input, i + 1, b'"');
                if !closed {
                    return None;
                }
                i = end + 1;
            }
            b'(' => {
                depth += 1;
                i += 1;
            }
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(s: &str) -> Vec<Kind<'_>> {
        tokenize(s, Mode::Header)
            .0
            .into_iter()
            .map(|t| t.kind)
            .collect()
    }

    #[test]
    fn specials_split_atoms() {
        assert_eq!(
            kinds("Bob <b@x>"),
            vec![
                Kind::Atom("Bob"),
                Kind::Special(b'<'),
                Kind::Atom("b"),
                Kind::Special(b'@'),
                Kind::Atom("x"),
                Kind::Special(b'>')
            ]
        );
    }

    #[test]
    fn nested_comment_is_one_token() {
        assert_eq!(kinds("(a (b) c)"), vec![Kind::Comment("a (b) c")]);
    }

    #[test]
    fn unclosed_quote_runs_to_the_end_and_is_reported() {
        let (t, u) = tokenize("\"Bob <b@x>", Mode::Header);
        assert_eq!(t[0].kind, Kind::Quoted("Bob <b@x>"));
        assert_eq!(u.quote, Some(0));
    }

    #[test]
    fn escaped_quote_does_not_close_a_quoted_string() {
        assert_eq!(
            kinds(r#""a\"b" x"#),
            vec![Kind::Quoted(r#"a\"b"#), Kind::Atom("x")]
        );
    }

    #[test]
    fn trailing_backslash_before_multibyte_char_does_not_split_it() {
        let (t, _) = tokenize("a\\é", Mode::Header);
        assert_eq!(t[0].kind, Kind::Atom("a\\é"));
    }

    #[test]
    fn flat_mode_keeps_specials_in_atoms() {
        assert_eq!(tokenize("a,b (c)", Mode::Flat).0.len(), 2);
    }
}
