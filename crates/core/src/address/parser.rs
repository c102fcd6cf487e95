//! The RFC 5322 §3.4 address grammar over the lexer's tokens, with the error recovery
//! Thunderbird applies, so CcGuard counts exactly the recipients the user's client sees.

use super::clean::{clean, keeps};
use super::lexer::{tokenize, Kind, Lexer, Mode, Token};
use super::problem::{Problem, ProblemKind};
use super::rfc2047;
use super::{Entry, Group, Mailbox};
use crate::message::is_blank;
use crate::text::Text;
use std::borrow::Cow;
use std::ops::Range;

/// A mailbox and the input text it was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    pub mailbox: Mailbox,
    pub span: Range<usize>,
    /// False when the mailbox has no usable address (see [`Problem`]).
    pub usable: bool,
}

/// An entry of the list with the source span of each mailbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LocatedEntry {
    Mailbox(Located),
    Group { name: String, members: Vec<Located> },
}

impl LocatedEntry {
    /// The mailboxes of this entry: itself, or a group's members.
    pub fn mailboxes(&self) -> &[Located] {
        match self {
            LocatedEntry::Mailbox(m) => std::slice::from_ref(m),
            LocatedEntry::Group { members, .. } => members,
        }
    }

    pub fn to_entry(&self) -> Entry {
        match self {
            LocatedEntry::Mailbox(m) => Entry::Mailbox(m.mailbox.clone()),
            LocatedEntry::Group { name, members } => Entry::Group(Group {
                name: name.clone(),
                group: members.iter().map(|m| m.mailbox.clone()).collect(),
            }),
        }
    }
}

/// The full result of parsing one header value.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ParsedList {
    pub entries: Vec<LocatedEntry>,
    pub problems: Vec<Problem>,
}

/// A mailbox as the parser finds it: name and address borrow the input when they
/// appear in it verbatim (the common case), so reading costs no allocation.
#[derive(Debug)]
pub(crate) struct RawMailbox<'a> {
    pub name: Cow<'a, str>,
    pub email: Cow<'a, str>,
    pub span: Range<usize>,
    pub usable: bool,
    /// Set by the fast path: `email` is printable ASCII with its only `@` here.
    pub plain_at: Option<usize>,
}

impl RawMailbox<'_> {
    fn into_located(self) -> Located {
        Located {
            mailbox: Mailbox {
                name: self.name.into_owned(),
                email: self.email.into_owned(),
            },
            span: self.span,
            usable: self.usable,
        }
    }

    fn into_mailbox(self) -> Mailbox {
        Mailbox {
            name: self.name.into_owned(),
            email: self.email.into_owned(),
        }
    }
}

/// Where the parser delivers what it reads, in input order.
pub(crate) trait Sink<'a> {
    fn mailbox(&mut self, m: RawMailbox<'a>);
    fn group(&mut self, name: String, members: Vec<RawMailbox<'a>>);
    fn problem(&mut self, p: Problem);
}

impl<'a> Sink<'a> for ParsedList {
    fn mailbox(&mut self, m: RawMailbox<'a>) {
        self.entries.push(LocatedEntry::Mailbox(m.into_located()));
    }
    fn group(&mut self, name: String, members: Vec<RawMailbox<'a>>) {
        let members = members.into_iter().map(RawMailbox::into_located).collect();
        self.entries.push(LocatedEntry::Group { name, members });
    }
    fn problem(&mut self, p: Problem) {
        self.problems.push(p);
    }
}

impl<'a> Sink<'a> for Vec<Entry> {
    fn mailbox(&mut self, m: RawMailbox<'a>) {
        self.push(Entry::Mailbox(m.into_mailbox()));
    }
    fn group(&mut self, name: String, members: Vec<RawMailbox<'a>>) {
        let group = members.into_iter().map(RawMailbox::into_mailbox).collect();
        self.push(Entry::Group(Group { name, group }));
    }
    fn problem(&mut self, _: Problem) {}
}

/// Where the mailbox being read is, in the grammar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Before `<` or `@`: words may be a display name or a local part.
    Phrase,
    /// Inside `<...>` or after the `@` of a bare addr-spec.
    Address,
    /// After `>`: only comments still matter.
    AfterAngle,
}

/// A mailbox under construction.
struct Draft {
    display: String,
    /// The local-part reading of the phrase; equal to `display` (and left empty)
    /// until a comment makes them differ, which saves building both every time.
    local: String,
    local_diverged: bool,
    address: String,
    last_comment: Option<String>,
    state: State,
    needs_space: bool,
    comment_closed: bool,
}

impl Draft {
    fn new() -> Self {
        Draft {
            display: String::new(),
            local: String::new(),
            local_diverged: false,
            address: String::new(),
            last_comment: None,
            state: State::Phrase,
            needs_space: false,
            comment_closed: false,
        }
    }

    /// Empties the draft but keeps its buffers: one set serves the whole list.
    fn reset(&mut self) {
        self.display.clear();
        self.local.clear();
        self.local_diverged = false;
        self.address.clear();
        self.last_comment = None;
        self.state = State::Phrase;
        self.needs_space = false;
        self.comment_closed = false;
    }
}

/// Appends a word after one space, unless the word starts with a dot or follows one
/// that did, so `Dr. Bob` keeps its space while `a . b@x` becomes `a.b@x`.
fn push_spaced(target: &mut String, word: &str, needs_space: bool) {
    if needs_space && !word.is_empty() && !word.starts_with('.') {
        target.push(' ');
    }
    target.push_str(word);
}

/// Whether the word after `word` needs a space in front (see [`push_spaced`]).
fn starts_spacing(word: &str) -> bool {
    !word.is_empty() && !word.starts_with('.')
}

/// Collapses whitespace runs to one space and trims.
fn collapse_ws(s: &str) -> String {
    // One pass over the bytes decides whether the text is already collapsed.
    let mut prev_space = true;
    let mut simple = true;
    for b in s.bytes() {
        let space = b == b' ';
        if (space && prev_space) || matches!(b, b'\t' | b'\r' | b'\n') || b >= 0x80 {
            simple = false;
            break;
        }
        prev_space = space;
    }
    if simple && !prev_space {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    for part in s
        .split(|c: char| c.is_whitespace() || c == '\u{FEFF}')
        .filter(|p| !p.is_empty())
    {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(part);
    }
    out
}

/// Removes quoted-pair backslashes: `quoted-pair = "\" (VCHAR / WSP)`.
fn unescape(s: &str) -> Cow<'_, str> {
    if !s.contains('\\') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(next) = chars.next() {
                out.push(next);
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

fn own<'a>(c: Cow<'a, str>, f: impl FnOnce(&str) -> Cow<'_, str>) -> Cow<'a, str> {
    match c {
        Cow::Borrowed(b) => f(b),
        Cow::Owned(o) => Cow::Owned(f(&o).into_owned()),
    }
}

/// The text a word token contributes to a name or an address.
///
/// ```text
/// word          = atom / quoted-string
/// quoted-string = [CFWS] DQUOTE *([FWS] qcontent) [FWS] DQUOTE [CFWS]
/// ```
/// Encoded words inside quoted strings are decoded too: RFC 2047 §5 forbids them
/// there, but many senders do it and Thunderbird shows them decoded.
fn word_text<'a>(kind: Kind<'a>, text: &dyn Text) -> Cow<'a, str> {
    match kind {
        // Printable ASCII without escapes is by far the common case: nothing to do.
        Kind::Atom(s) if s.bytes().all(|b| (0x21..0x7F).contains(&b) && b != b'\\') => {
            Cow::Borrowed(s)
        }
        Kind::Atom(s) | Kind::Literal(s) => own(unescape(s), clean),
        Kind::Quoted(s) => own(own(rfc2047::decode(s, text), unescape), clean),
        Kind::Encoded(s) => own(rfc2047::decode(s, text), clean),
        Kind::Comment(s) => Cow::Owned(comment_text(s, text)),
        Kind::Special(_) => Cow::Borrowed(""),
    }
}

/// The visible text of a comment: its words, one space apart, decoded.
///
/// ```text
/// comment  = "(" *([FWS] ccontent) [FWS] ")"
/// ccontent = ctext / quoted-pair / comment
/// ```
fn comment_text(inner: &str, text: &dyn Text) -> String {
    let (tokens, _) = tokenize(inner, Mode::Flat);
    let mut out = String::with_capacity(inner.len());
    let mut needs_space = false;
    for t in tokens {
        let w = word_text(t.kind, text);
        push_spaced(&mut out, &w, needs_space);
        needs_space = starts_spacing(&w);
    }
    out
}

/// Quotes a local part that is not a dot-atom, as Thunderbird displays it.
///
/// ```text
/// local-part = dot-atom / quoted-string / obs-local-part
/// ```
fn requote_local_part(email: String) -> String {
    let Some(at) = email.rfind('@') else {
        return email;
    };
    let local = &email[..at];
    let needs_quotes = local.bytes().any(|b| {
        matches!(
            b,
            b' ' | b'!'
                | b'('
                | b')'
                | b'<'
                | b'>'
                | b'['
                | b']'
                | b':'
                | b';'
                | b'@'
                | b'\\'
                | b','
                | b'"'
        )
    });
    if !needs_quotes {
        return email;
    }
    let mut out = String::with_capacity(email.len() + 4);
    out.push('"');
    for c in local.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out.push_str(&email[at..]);
    out
}

/// Whether an address can be sent to: something before the last `@`, a domain after
/// it, and no stray whitespace.
/// ```text
/// domain         = dot-atom / domain-literal / obs-domain
/// domain-literal = [CFWS] "[" *([FWS] dtext) [FWS] "]" [CFWS]
/// ```
/// Non-ASCII is allowed (RFC 6532); specials and whitespace are not.
fn is_domain(domain: &str) -> bool {
    if domain.starts_with('[') {
        return domain.ends_with(']')
            && domain.len() >= 2
            && !domain[1..domain.len() - 1].contains(['[', ']', '\\']);
    }
    !domain.chars().any(|c| {
        matches!(
            c,
            '(' | ')' | '<' | '>' | '[' | ']' | ':' | ';' | '@' | '\\' | ',' | '"'
        ) || c.is_whitespace()
            || c.is_control()
    })
}

fn classify(email: &str) -> Option<ProblemKind> {
    let Some(at) = email.rfind('@') else {
        return Some(ProblemKind::NoAddress);
    };
    let (local, domain) = (&email[..at], &email[at + 1..]);
    if is_blank(local) {
        Some(ProblemKind::MissingLocalPart)
    } else if is_blank(domain) {
        Some(ProblemKind::MissingDomain)
    } else if !is_domain(domain) {
        Some(ProblemKind::InvalidDomain)
    } else if !local.starts_with('"') && local.contains(char::is_whitespace) {
        // Only a quoted local part may hold spaces; anything else would not survive
        // being written back into a header.
        Some(ProblemKind::SpaceInAddress)
    } else {
        None
    }
}

struct Parser<'a, 's> {
    input: &'a str,
    /// Decodes the charsets of encoded words.
    text: &'s dyn Text,
    lexer: Lexer<'a>,
    /// The next token, already read from the lexer.
    peeked: Option<Token<'a>>,
    /// End of the last token consumed, for spans.
    consumed_end: usize,
    /// Whether to try [`fast_mailbox`] before the full grammar.
    fast: bool,
    out: &'s mut dyn Sink<'a>,
}

/// Parses a header value into entries, spans and problems.
///
/// ```text
/// address-list  = (address *("," address)) / obs-addr-list
/// obs-addr-list = *([CFWS] ",") address *("," [address / CFWS])
/// address       = mailbox / group
/// group         = display-name ":" [group-list] ";" [CFWS]
/// ```
/// Empty list elements are skipped; a `;` outside a group acts as a `,`; a group
/// missing its `;` ends with the input.
pub fn parse_located(input: &str, text: &dyn Text) -> ParsedList {
    let mut out = ParsedList::default();
    parse_into(input, &mut out, true, text);
    out
}

/// [`parse_located`] without the fast path for common shapes: every mailbox goes
/// through the full grammar. For tests that check both give the same result.
#[doc(hidden)]
pub fn parse_located_full(input: &str, text: &dyn Text) -> ParsedList {
    let mut out = ParsedList::default();
    parse_into(input, &mut out, false, text);
    out
}

/// Parses `input`, handing entries and problems to `out` as they are found.
pub(crate) fn parse_into<'a>(input: &'a str, out: &mut dyn Sink<'a>, fast: bool, text: &dyn Text) {
    let mut p = Parser {
        input,
        text,
        lexer: Lexer::new(input, Mode::Header),
        peeked: None,
        consumed_end: 0,
        fast,
        out,
    };
    let start = if fast { p.fast_prefix() } else { 0 };
    if start < input.len() {
        p.lexer.seek(start);
        p.consumed_end = start;
        p.peeked = p.lexer.next();
        p.address_list();
    }
}

/// Bytes of an atom the fast path accepts: printable ASCII except the specials, the
/// quoting characters, `=` (encoded words) and `!` (forces quoting of a local part).
/// A 256-byte table: one load per byte, which the scanning loops need to be fast.
static FAST_ATOM: [bool; 256] = {
    let mut set = [false; 256];
    let mut b = 0x21;
    while b < 0x7F {
        set[b] = true;
        b += 1;
    }
    let excluded = b"!\"(),:;<>@[\\]=";
    let mut i = 0;
    while i < excluded.len() {
        set[excluded[i] as usize] = false;
        i += 1;
    }
    set
};

fn is_fast_atom(b: u8) -> bool {
    FAST_ATOM[b as usize]
}

/// End of the run of fast-atom bytes starting at `i`.
fn fast_atom_end(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && is_fast_atom(b[i]) {
        i += 1;
    }
    i
}

fn skip_wsp(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\r' | b'\n') {
        i += 1;
    }
    i
}

/// Whether the non-ASCII `c` may appear in a display name on the fast path: the
/// full grammar must keep it exactly as it is, so not something [`clean`] drops or
/// turns into a space, no whitespace (collapsed there), and none of the joiners and
/// variation selectors that Thunderbird treats specially.
fn is_fast_name_char(c: char) -> bool {
    match c {
        // Latin-1 letters and Latin Extended, the bulk of real names; U+00AD is a
        // soft hyphen (a format character).
        '\u{A1}'..='\u{AC}' | '\u{AE}'..='\u{2FF}' => true,
        // Letters of the other scripts real names are written in, none of which `clean`
        // touches: Greek and Cyrillic, Hebrew and Arabic letters, kana and CJK, Hangul.
        '\u{370}'..='\u{52F}'
        | '\u{5D0}'..='\u{5EA}'
        | '\u{620}'..='\u{64A}'
        | '\u{3041}'..='\u{30FF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{AC00}'..='\u{D7A3}' => true,
        '\u{200D}' | '\u{FE00}'..='\u{FE0F}' | '\u{E0100}'..='\u{E01EF}' => false,
        _ => keeps(c) && !c.is_whitespace(),
    }
}

/// The length of the character at byte `i` of `s` (which starts a multi-byte
/// character), if [`is_fast_name_char`] accepts it.
fn fast_name_char_len(s: &str, i: usize) -> Option<usize> {
    let c = s.get(i..)?.chars().next()?;
    is_fast_name_char(c).then(|| c.len_utf8())
}

/// Reads the common shapes `a@b`, `Words <a@b>` and `"Quoted, Name" <a@b>` (single
/// spaces, no comments, escapes or encoded words) straight from the input, starting
/// at `start` (not whitespace). Names may hold the non-ASCII letters and marks of
/// [`is_fast_name_char`]; addresses are printable ASCII (anything else, RFC 6532 or
/// IDN, is left to the grammar). Returns the mailbox and where the `,`, `;` or end
/// of input that follows it is, or `None` for anything else; the full grammar then
/// reads it, with the same result.
fn fast_mailbox(input: &str, start: usize) -> Option<(RawMailbox<'_>, usize)> {
    let b = input.as_bytes();
    let at_end = |i: usize| -> Option<usize> {
        let j = skip_wsp(b, i);
        matches!(b.get(j), None | Some(b',' | b';')).then_some(j)
    };
    let mut i = start;
    let name: &str = match *b.get(i)? {
        b'"' => {
            let close = i + 1 + b[i + 1..].iter().position(|&c| c == b'"')?;
            let text = &input[i + 1..close];
            // No escapes, encoded words or controls, single inner spaces.
            let t = text.as_bytes();
            let (mut j, mut prev) = (0, b' ');
            while j < t.len() {
                let c = t[j];
                if c >= 0x80 {
                    j += fast_name_char_len(text, j)?;
                    prev = c;
                    continue;
                }
                if c < 0x20 || c == 0x7F || c == b'\\' || c == b'=' || c == prev && c == b' ' {
                    return None;
                }
                prev = c;
                j += 1;
            }
            if prev == b' ' {
                return None;
            }
            i = close + 1;
            text
        }
        c if is_fast_atom(c) || c >= 0x80 => {
            let end = fast_atom_end(b, i);
            if b.get(end) == Some(&b'@') {
                // A bare addr-spec.
                let domain_end = fast_atom_end(b, end + 1);
                if domain_end == end + 1 {
                    return None;
                }
                let email = &input[start..domain_end];
                let m = RawMailbox {
                    name: Cow::Borrowed(""),
                    email: Cow::Borrowed(email),
                    span: start..domain_end,
                    usable: true,
                    plain_at: Some(end - start),
                };
                return Some((m, at_end(domain_end)?));
            }
            // Display-name words, one space apart, none starting with a dot (a
            // space before a dot ends the name here, and then no `<` follows).
            let mut end = end;
            loop {
                while end < b.len() && is_fast_atom(b[end]) {
                    end += 1;
                }
                match b.get(end) {
                    Some(&c) if c >= 0x80 => end += fast_name_char_len(input, end)?,
                    Some(b' ')
                        if b.get(end + 1)
                            .is_some_and(|&c| c != b'.' && (is_fast_atom(c) || c >= 0x80)) =>
                    {
                        end += 1
                    }
                    _ => break,
                }
            }
            if b[start] == b'.' {
                return None;
            }
            i = end;
            &input[start..end]
        }
        b'<' => "",
        _ => return None,
    };
    i = skip_wsp(b, i);
    if b.get(i) != Some(&b'<') {
        return None;
    }
    let local_end = fast_atom_end(b, i + 1);
    if local_end == i + 1 || b.get(local_end) != Some(&b'@') {
        return None;
    }
    let domain_end = fast_atom_end(b, local_end + 1);
    if domain_end == local_end + 1 || b.get(domain_end) != Some(&b'>') {
        return None;
    }
    let m = RawMailbox {
        name: Cow::Borrowed(name),
        email: Cow::Borrowed(&input[i + 1..domain_end]),
        span: start..domain_end + 1,
        usable: true,
        plain_at: Some(local_end - i - 1),
    };
    Some((m, at_end(domain_end + 1)?))
}

impl<'a> Parser<'a, '_> {
    /// Reads the leading run of mailboxes that [`fast_mailbox`] understands, without
    /// the lexer; returns where the rest starts (the input's length when all is read).
    ///
    /// Outside a group, `;` separates like `,`, so both simply continue the run.
    fn fast_prefix(&mut self) -> usize {
        let (input, b) = (self.input, self.input.as_bytes());
        let mut pos = 0;
        loop {
            let start = skip_wsp(b, pos);
            if start == b.len() {
                return start;
            }
            let Some((m, next)) = fast_mailbox(input, start) else {
                return pos;
            };
            self.out.mailbox(m);
            if next == b.len() {
                return next;
            }
            pos = next + 1;
        }
    }

    /// The fast path for the mailbox at the current token, if it applies.
    fn try_fast(&mut self) -> Option<RawMailbox<'a>> {
        let start = self.peeked?.start;
        let (m, next) = fast_mailbox(self.input, start)?;
        self.consumed_end = m.span.end;
        self.lexer.seek(next);
        self.peeked = self.lexer.next();
        Some(m)
    }

    fn bump(&mut self) {
        if let Some(t) = self.peeked {
            self.consumed_end = t.end;
        }
        self.peeked = self.lexer.next();
    }

    fn peek_special(&self) -> Option<u8> {
        match self.peeked?.kind {
            Kind::Special(b) => Some(b),
            _ => None,
        }
    }

    fn address_list(&mut self) {
        let mut group: Option<(String, Vec<RawMailbox<'a>>)> = None;
        let mut draft = Draft::new();
        loop {
            if let Some(m) = self.fast.then(|| self.try_fast()).flatten() {
                match &mut group {
                    Some((_, members)) => members.push(m),
                    None => self.out.mailbox(m),
                }
            } else {
                draft.reset();
                let span = self.mailbox(&mut draft);
                match self.peek_special() {
                    Some(b':') => {
                        self.bump();
                        // A second `:` inside a group ends it without a name, as in
                        // Thunderbird; its members are kept.
                        if let Some((_, members)) = group.take() {
                            members.into_iter().for_each(|m| self.out.mailbox(m));
                        }
                        group = Some((collapse_ws(&clean(&draft.display)), Vec::new()));
                        continue;
                    }
                    _ => {
                        if let Some(m) = self.finish(&mut draft, span) {
                            match &mut group {
                                Some((_, members)) => members.push(m),
                                None => self.out.mailbox(m),
                            }
                        }
                    }
                }
            }
            match self.peek_special() {
                Some(b';') => {
                    self.bump();
                    self.close_group(group.take());
                }
                Some(_) => self.bump(),
                None => break,
            }
        }
        self.close_group(group);
    }

    fn close_group(&mut self, group: Option<(String, Vec<RawMailbox<'a>>)>) {
        match group {
            Some((name, members)) if !name.is_empty() => self.out.group(name, members),
            Some((_, members)) => members.into_iter().for_each(|m| self.out.mailbox(m)),
            None => {}
        }
    }

    /// Reads one mailbox up to the next `,`, `;` or `:` (not consumed).
    ///
    /// ```text
    /// mailbox      = name-addr / addr-spec
    /// name-addr    = [display-name] angle-addr
    /// angle-addr   = [CFWS] "<" addr-spec ">" [CFWS] / obs-angle-addr
    /// display-name = phrase
    /// addr-spec    = local-part "@" domain
    /// ```
    /// Comments in a display name are kept as part of it; a comment after a bare
    /// addr-spec (`bob@x (Bob)`) becomes the name, the legacy form of RFC 5322 §3.4.
    fn mailbox(&mut self, d: &mut Draft) -> Range<usize> {
        let first = self.peeked.map(|t| t.start);
        while let Some(tok) = self.peeked {
            match tok.kind {
                Kind::Special(b',' | b';' | b':') => break,
                Kind::Special(b'<') => {
                    self.bump();
                    self.open_angle(d);
                    continue;
                }
                Kind::Special(b'>') => {
                    if d.state != State::AfterAngle {
                        d.state = State::AfterAngle;
                        d.last_comment = None;
                    }
                }
                Kind::Special(b'@') => match d.state {
                    State::Phrase => {
                        d.address.clear();
                        d.address.push_str(if d.local_diverged {
                            &d.local
                        } else {
                            &d.display
                        });
                        d.address.push('@');
                        d.display.clear();
                        d.state = State::Address;
                    }
                    State::Address => d.address.push('@'),
                    State::AfterAngle => {
                        self.bump();
                        continue;
                    }
                },
                Kind::Special(_) => {}
                Kind::Comment(inner) => {
                    self.comment(d, inner);
                    self.bump();
                    continue;
                }
                kind => {
                    self.word(d, kind);
                    self.bump();
                    continue;
                }
            }
            d.needs_space = false;
            self.bump();
        }
        match first {
            Some(start) if self.consumed_end > start => start..self.consumed_end,
            _ => 0..0,
        }
    }

    /// Handles `<`: starts an angle-addr, skipping an obsolete route.
    ///
    /// ```text
    /// obs-angle-addr = [CFWS] "<" obs-route addr-spec ">" [CFWS]
    /// obs-route      = obs-domain-list ":"
    /// ```
    fn open_angle(&mut self, d: &mut Draft) {
        match d.state {
            State::Phrase => {}
            State::Address => {
                // `a@b <c@d>` or `<a@b <c@d>`: the first address was really a name.
                if !d.address.is_empty() {
                    d.display = std::mem::take(&mut d.address);
                }
            }
            State::AfterAngle => {
                // `A <a@x> <b@y>`: the last bracketed address wins, the first stays
                // visible in the name.
                d.display.push_str(" <");
                d.display.push_str(&d.address);
                d.display.push('>');
                d.address.clear();
            }
        }
        d.local.clear();
        d.state = State::Address;
        d.needs_space = false;
        self.skip_obs_route();
    }

    /// ```text
    /// obs-domain-list = *(CFWS / ",") "@" domain *("," [CFWS] ["@" domain])
    /// ```
    fn skip_obs_route(&mut self) {
        let is = |t: Option<Token<'_>>, b: u8| matches!(t, Some(t) if t.kind == Kind::Special(b));
        let is_domain_word = |t: Option<Token<'_>>| matches!(t, Some(t) if matches!(t.kind, Kind::Atom(_) | Kind::Literal(_) | Kind::Comment(_)));
        if !is(self.peeked, b'@') {
            return;
        }
        // Look ahead on a copy of the lexer; commit only if the whole route is there.
        let mut ahead = self.lexer.clone();
        let mut tok = self.peeked;
        loop {
            if !is(tok, b'@') {
                return;
            }
            tok = ahead.next();
            if !is_domain_word(tok) {
                return;
            }
            while is_domain_word(tok) {
                tok = ahead.next();
            }
            while is(tok, b',') {
                tok = ahead.next();
            }
            if let Some(colon) = tok.filter(|t| t.kind == Kind::Special(b':')) {
                self.lexer = ahead;
                self.consumed_end = colon.end;
                self.peeked = self.lexer.next();
                return;
            }
        }
    }

    fn comment(&mut self, d: &mut Draft, inner: &str) {
        let text = comment_text(inner, self.text);
        let keep_in_name = d.state != State::Address;
        if d.state == State::Phrase && !d.local_diverged {
            d.local.clear();
            d.local.push_str(&d.display);
            d.local_diverged = true;
        }
        if keep_in_name {
            let spaced = d.needs_space || (!d.display.is_empty() && !d.display.ends_with(' '));
            if spaced {
                d.display.push(' ');
            }
            d.display.push('(');
            d.display.push_str(&text);
            d.display.push(')');
            d.needs_space = true;
            d.comment_closed = true;
        }
        // Comments inside an address are dropped, but the spacing around them stays.
        d.last_comment = Some(text);
    }

    fn word(&mut self, d: &mut Draft, kind: Kind<'a>) {
        let w = word_text(kind, self.text);
        match d.state {
            State::Phrase => {
                push_spaced(&mut d.display, &w, d.needs_space);
                if d.local_diverged {
                    // No space after a comment: `a(c)b@x` reads as `ab@x`.
                    let spaced = d.needs_space && !d.comment_closed;
                    push_spaced(&mut d.local, &w, spaced);
                }
            }
            State::Address => push_spaced(&mut d.address, &w, d.needs_space),
            State::AfterAngle => {}
        }
        d.comment_closed = false;
        d.needs_space = starts_spacing(&w);
    }

    /// Turns a draft into a mailbox, recording a problem if it has no usable address.
    fn finish(&mut self, d: &mut Draft, span: Range<usize>) -> Option<RawMailbox<'a>> {
        let mut name = collapse_ws(&d.display);
        if name.is_empty() {
            if let Some(c) = d.last_comment.take() {
                name = c;
            }
        }
        let email = requote_local_part(d.address.as_str().to_owned());
        let mut span = span;
        let unclosed = self.lexer.unclosed;
        let truncated = self.peeked.is_none() && unclosed.comment.is_some();
        if truncated {
            let at = unclosed.comment.unwrap_or(span.start);
            if span.is_empty() {
                span = at..at;
            }
            span.end = self.input.len();
        }
        if name.is_empty() && email.is_empty() {
            // An unclosed comment that swallowed a whole mailbox leaves nothing else
            // to blame, and its text must not be lost.
            if truncated {
                self.out.problem(Problem {
                    kind: ProblemKind::UnclosedComment,
                    span,
                });
            }
            return None;
        }
        let problem = classify(&email).map(|kind| self.explain(kind, &span));
        let usable = problem.is_none();
        if let Some(kind) = problem {
            self.out.problem(Problem {
                kind,
                span: span.clone(),
            });
        }
        Some(RawMailbox {
            name: Cow::Owned(name),
            email: Cow::Owned(email),
            span,
            usable,
            plain_at: None,
        })
    }

    /// Prefers the cause ("a quote is not closed") over the symptom ("no address").
    fn explain(&self, symptom: ProblemKind, span: &Range<usize>) -> ProblemKind {
        let inside = |at: Option<usize>| at.is_some_and(|a| span.contains(&a) || a == span.end);
        let unclosed = self.lexer.unclosed;
        if inside(unclosed.quote) {
            ProblemKind::UnclosedQuote
        } else if inside(unclosed.comment) {
            ProblemKind::UnclosedComment
        } else if inside(unclosed.literal) {
            ProblemKind::UnclosedDomainLiteral
        } else {
            symptom
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fast(s: &str) -> Option<(String, String, usize)> {
        fast_mailbox(s, 0).map(|(m, next)| (m.name.into_owned(), m.email.into_owned(), next))
    }

    #[test]
    fn fast_path_reads_the_common_shapes() {
        let m = |n: &str, e: &str, next| Some((n.to_owned(), e.to_owned(), next));
        assert_eq!(fast("a.b@x.example"), m("", "a.b@x.example", 13));
        assert_eq!(fast("Anna Smith <a@x>, b@y"), m("Anna Smith", "a@x", 16));
        assert_eq!(fast("\"Doe, J\"\t<j@x> ; k@y"), m("Doe, J", "j@x", 15));
        assert_eq!(fast("<j@x>"), m("", "j@x", 5));
        assert_eq!(fast("Jürgen Müller <j@x>"), m("Jürgen Müller", "j@x", 21));
        assert_eq!(fast("\"García, F\" <f@x>"), m("García, F", "f@x", 18));
        assert_eq!(fast("山田太郎 <y@x>"), m("山田太郎", "y@x", 18));
        assert_eq!(fast("Ben O'Brien <b@x>"), m("Ben O'Brien", "b@x", 17));
        assert_eq!(fast("e\u{301}ric <e@x>"), m("e\u{301}ric", "e@x", 12));
    }

    #[test]
    fn fast_path_leaves_anything_unusual_to_the_grammar() {
        for s in [
            "=?UTF-8?Q?a?= <a@x>",
            "Bob  Smith <b@x>",
            "Dr .Bob <b@x>",
            "\"a\\\"b\" <b@x>",
            "\" a\" <b@x>",
            "b@x (Bob)",
            "Team: a@x;",
            "a!b@x",
            "Jürgen@x",
            "j@bücher.example",
            "jürgen@x",
            "<jürgen@x>",
            "Bob\u{A0}Smith <b@x>",
            "Bob\u{200B} <b@x>",
            "\u{200F}Bob <b@x>",
            "Bob\u{2028}Smith <b@x>",
            "Bob\u{85} <b@x>",
            "\u{2800} <b@x>",
            "\"Bob\u{AD}\" <b@x>",
            "\"👩\u{200D}💻\" <b@x>",
            "❤\u{FE0F} <b@x>",
            "\"Bob \u{3000}\" <b@x>",
            "a@b@c",
            "@x",
            "a@",
            "<a@x",
            "a@x <b@y>",
            "\"a b\"@x",
        ] {
            assert_eq!(fast(s), None, "{s}");
        }
    }
}
