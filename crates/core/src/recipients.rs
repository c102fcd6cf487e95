//! Reads the recipient fields of a message once, for the verdict and the rewrite.

use crate::address::{count_commas, parse_into, push_normalized, Problem, RawMailbox, Sink};
use crate::message::{Message, Recipients};
use crate::verdict::{Field, FieldProblem};
use std::borrow::Cow;
use std::ops::Range;

/// A usable mailbox found in a field.
#[derive(Debug, Clone)]
pub(crate) struct Found<'m> {
    pub name: Cow<'m, str>,
    pub email: Cow<'m, str>,
    /// Where the comparable form of the address is in [`Reading::keys`].
    pub key: Range<u32>,
    /// Where its domain starts there (`key.end` when it has none).
    pub domain: u32,
    pub field: Field,
    /// The input string the mailbox was read from, and where in it, so the rewrite
    /// can hand back what the user typed.
    pub text: &'m str,
    pub span: Range<u32>,
    /// Whether `text` held this one mailbox and nothing else.
    pub whole: bool,
    /// Whether the parser's fast path read it: then its span on its own reads back
    /// as exactly this mailbox.
    pub fast: bool,
}

/// All usable mailboxes in message order (To, Cc, Bcc) and the unreadable text.
#[derive(Debug, Clone, Default)]
pub(crate) struct Reading<'m> {
    pub found: Vec<Found<'m>>,
    pub problems: Vec<FieldProblem>,
    /// The comparable addresses (see `normalized_address`) of `found`, end to end,
    /// so that reading them costs no allocation per recipient.
    pub keys: String,
}

impl Found<'_> {
    /// The input text of this mailbox alone: its whole input string if it held
    /// nothing else, else its span there.
    pub(crate) fn own_text(&self) -> &str {
        if self.whole {
            return self.text;
        }
        let span = self.span.start as usize..self.span.end as usize;
        self.text.get(span).unwrap_or_default()
    }
}

impl Reading<'_> {
    pub(crate) fn key(&self, found: &Found<'_>) -> &str {
        &self.keys[found.key.start as usize..found.key.end as usize]
    }

    /// The domain part of the key, empty if the address has none.
    pub(crate) fn domain(&self, found: &Found<'_>) -> &str {
        &self.keys[found.domain as usize..found.key.end as usize]
    }
}

pub(crate) fn read(message: &Message) -> Reading<'_> {
    let mut reading = Reading::default();
    // Commas bound the number of mailboxes well enough to avoid regrowing; capped so
    // a header of nothing but commas cannot reserve a lot of memory up front.
    let (mut commas, mut bytes) = (0usize, 0usize);
    for s in [&message.to, &message.cc, &message.bcc]
        .into_iter()
        .flat_map(Recipients::iter)
    {
        commas += count_commas(s) + 1;
        bytes += s.len();
    }
    reading.found.reserve(commas.min(16_384));
    reading.keys.reserve(bytes.min(1 << 20));
    read_field(&mut reading, Field::To, &message.to);
    read_field(&mut reading, Field::Cc, &message.cc);
    read_field(&mut reading, Field::Bcc, &message.bcc);
    reading
}

/// Receives what the parser finds in one input string of a field.
struct FieldSink<'r, 'm> {
    reading: &'r mut Reading<'m>,
    field: Field,
    text: &'m str,
    /// Entries, groups among them, and problems seen in `text`.
    entries: usize,
    groups: usize,
    problems: usize,
}

impl<'r, 'm> FieldSink<'r, 'm> {
    fn new(reading: &'r mut Reading<'m>, field: Field, text: &'m str) -> Self {
        FieldSink {
            reading,
            field,
            text,
            entries: 0,
            groups: 0,
            problems: 0,
        }
    }

    fn push(&mut self, m: RawMailbox<'m>) {
        if !m.usable {
            return;
        }
        let keys = &mut self.reading.keys;
        let start = keys.len();
        let domain = push_normalized(keys, &m.email, m.plain_at) as u32;
        let key = start as u32..keys.len() as u32;
        self.reading.found.push(Found {
            name: m.name,
            email: m.email,
            key,
            domain,
            field: self.field,
            text: self.text,
            span: m.span.start as u32..m.span.end as u32,
            whole: false,
            fast: m.plain_at.is_some(),
        });
    }
}

impl<'m> Sink<'m> for FieldSink<'_, 'm> {
    fn mailbox(&mut self, m: RawMailbox<'m>) {
        self.entries += 1;
        self.push(m);
    }

    fn group(&mut self, _name: String, members: Vec<RawMailbox<'m>>) {
        self.entries += 1;
        self.groups += 1;
        members.into_iter().for_each(|m| self.push(m));
    }

    fn problem(&mut self, problem: Problem) {
        self.problems += 1;
        let input = self.text.get(problem.span).unwrap_or(self.text);
        self.reading.problems.push(FieldProblem {
            field: self.field,
            input: input.to_owned(),
            message: problem.kind.message().to_owned(),
        });
    }
}

fn read_field<'m>(reading: &mut Reading<'m>, field: Field, recipients: &'m Recipients) {
    for text in recipients.iter() {
        let first = reading.found.len();
        let mut sink = FieldSink::new(reading, field, text);
        parse_into(text, &mut sink, true);
        // Exactly one entry, a mailbox, and usable (so it was found).
        let single = sink.problems == 0 && sink.entries == 1 && sink.groups == 0;
        if single && reading.found.len() == first + 1 {
            reading.found[first].whole = true;
        }
    }
}

/// The comparable address of the sender: `identityEmail`, else the address in `from`.
pub(crate) fn sender_key(message: &Message) -> Option<String> {
    let from_identity = message
        .identity_email
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let source = from_identity.unwrap_or(&message.from);
    let mut reading = Reading::default();
    parse_into(
        source,
        &mut FieldSink::new(&mut reading, Field::To, source),
        true,
    );
    let first = reading.found.first()?;
    Some(reading.key(first).to_owned())
}
