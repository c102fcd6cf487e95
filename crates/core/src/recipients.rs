//! Reads the recipient fields of a message once, for the verdict and the rewrite.

use crate::address::{normalized_address, parse_located, Located, LocatedEntry, Mailbox};
use crate::message::{Message, Recipients};
use crate::verdict::{Field, FieldProblem};

/// A usable mailbox found in a field.
#[derive(Debug, Clone)]
pub(crate) struct Found<'m> {
    pub mailbox: Mailbox,
    /// The comparable form of the address (see [`normalized_address`]).
    pub key: String,
    pub field: Field,
    /// The input string, when it held exactly this one mailbox and nothing else, so
    /// the rewrite can hand back what the user typed.
    pub verbatim: Option<&'m str>,
}

/// All usable mailboxes in message order (To, Cc, Bcc) and the unreadable text.
#[derive(Debug, Clone, Default)]
pub(crate) struct Reading<'m> {
    pub found: Vec<Found<'m>>,
    pub problems: Vec<FieldProblem>,
}

pub(crate) fn read(message: &Message) -> Reading<'_> {
    let mut reading = Reading::default();
    // Commas bound the number of mailboxes well enough to avoid regrowing; capped so
    // a header of nothing but commas cannot reserve a lot of memory up front.
    let commas: usize = [&message.to, &message.cc, &message.bcc]
        .iter()
        .flat_map(|r| r.iter())
        .map(|s| s.bytes().filter(|&b| b == b',').count() + 1)
        .sum();
    reading.found.reserve(commas.min(16_384));
    read_field(&mut reading, Field::To, &message.to);
    read_field(&mut reading, Field::Cc, &message.cc);
    read_field(&mut reading, Field::Bcc, &message.bcc);
    reading
}

fn read_field<'m>(reading: &mut Reading<'m>, field: Field, recipients: &'m Recipients) {
    for text in recipients.iter() {
        let parsed = parse_located(text);
        let single = parsed.problems.is_empty()
            && parsed.entries.len() == 1
            && matches!(&parsed.entries[0], LocatedEntry::Mailbox(m) if m.usable);
        for problem in &parsed.problems {
            let input = text.get(problem.span.clone()).unwrap_or(text);
            reading.problems.push(FieldProblem {
                field,
                input: input.to_owned(),
                message: problem.kind.message().to_owned(),
            });
        }
        let verbatim = single.then_some(text);
        let mut push = |m: Located| {
            if m.usable {
                reading.found.push(Found {
                    key: normalized_address(&m.mailbox.email),
                    mailbox: m.mailbox,
                    field,
                    verbatim,
                });
            }
        };
        for entry in parsed.entries {
            match entry {
                LocatedEntry::Mailbox(m) => push(m),
                LocatedEntry::Group { members, .. } => members.into_iter().for_each(&mut push),
            }
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
    let parsed = parse_located(source);
    let first = parsed
        .entries
        .iter()
        .flat_map(LocatedEntry::mailboxes)
        .find(|m| m.usable);
    first.map(|m| normalized_address(&m.mailbox.email))
}
