//! Reads the recipient fields of a message once, for the verdict and the rewrite.

use crate::address::{count_commas, parse_into, push_normalized, Problem, RawMailbox, Sink};
use crate::hash::{fx_hash, StrTable};
use crate::message::{MailingList, Message, Recipients};
use crate::policy::fold;
use crate::sub;
use crate::verdict::{Field, FieldProblem};
use std::borrow::Cow;
use std::ops::Range;

/// `Found::list` when the mailbox was typed, not reached through a list.
pub(crate) const TYPED: u32 = u32::MAX;

/// A usable mailbox found in a field.
#[derive(Debug, Clone)]
pub(crate) struct Found<'m> {
    pub name: Cow<'m, str>,
    pub email: Cow<'m, str>,
    /// Where the comparable form of the address is in [`Reading::keys`].
    pub key: Range<u32>,
    /// Where its domain starts there (`key.end` when it has none).
    pub domain: u32,
    /// `fx_hash` of the key, computed once for the several tables that look it up.
    pub hash: u64,
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
    /// The list in [`Reading::lists`] it was reached through, or [`TYPED`].
    pub list: u32,
    /// Reached through a list the policy allows: never counted by a rule.
    pub allowed: bool,
}

/// One recipient string of To, Cc or Bcc as typed, and what was read from it.
#[derive(Debug, Clone)]
pub(crate) struct Source<'m> {
    pub field: Field,
    pub text: &'m str,
    pub found: Range<u32>,
    pub problems: Range<u32>,
    /// The list in [`Reading::lists`] this string names, or [`TYPED`].
    pub list: u32,
}

/// An address-book list named by a recipient string, as expanded.
#[derive(Debug, Clone)]
pub(crate) struct ListSeen<'m> {
    pub name: &'m str,
    pub field: Field,
    /// Whether it holds other lists.
    pub nested: bool,
    /// Names of the lists in it (itself included) whose members are unknown.
    pub unresolved: Vec<&'m str>,
    /// How many of those are not allowed by the policy (an allowed list never counts).
    pub unresolved_counted: u32,
}

/// All usable mailboxes in message order (To, Cc, Bcc) and the unreadable text.
#[derive(Debug, Clone, Default)]
pub(crate) struct Reading<'m> {
    pub found: Vec<Found<'m>>,
    pub problems: Vec<FieldProblem>,
    /// The comparable addresses (see `normalized_address`) of `found`, end to end,
    /// so that reading them costs no allocation per recipient.
    pub keys: String,
    /// Every recipient string, in message order.
    pub sources: Vec<Source<'m>>,
    pub lists: Vec<ListSeen<'m>>,
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
        sub(&self.keys, found.key.start as usize..found.key.end as usize)
    }

    /// The domain part of the key, empty if the address has none.
    pub(crate) fn domain(&self, found: &Found<'_>) -> &str {
        sub(&self.keys, found.domain as usize..found.key.end as usize)
    }
}

/// Reads every field; `allowed_lists` are the policy's list names (folded), whose
/// members are marked `allowed`.
pub(crate) fn read<'m>(message: &'m Message, allowed_lists: &[String]) -> Reading<'m> {
    let mut reading = Reading::default();
    // Commas bound the number of mailboxes well enough to avoid regrowing; capped so
    // a header of nothing but commas cannot reserve a lot of memory up front.
    let (mut commas, mut bytes) = (0usize, 0usize);
    // Plain loops: a `flat_map` here costs an iterator call per string in the
    // size-optimised build.
    for field in [&message.to, &message.cc, &message.bcc] {
        for s in field.iter() {
            commas += count_commas(s) + 1;
            bytes += s.len();
        }
    }
    reading.found.reserve(commas.min(16_384));
    reading.keys.reserve(bytes.min(1 << 20));
    reading
        .sources
        .reserve(message.to.len() + message.cc.len() + message.bcc.len());
    let lists = Lists::new(&message.lists, allowed_lists);
    read_field(&mut reading, &lists, Field::To, &message.to);
    read_field(&mut reading, &lists, Field::Cc, &message.cc);
    read_field(&mut reading, &lists, Field::Bcc, &message.bcc);
    reading
}

/// The message's lists, found by the string that names them.
struct Lists<'m> {
    all: &'m [MailingList],
    by_ref: StrTable<'m, usize>,
    allowed: Vec<bool>,
}

impl<'m> Lists<'m> {
    fn new(all: &'m [MailingList], allowed_lists: &[String]) -> Self {
        let mut by_ref = StrTable::with_capacity(all.len());
        for (i, list) in all.iter().enumerate() {
            // The first definition of a reference wins.
            by_ref.entry(list.reference.trim(), || i);
        }
        let allowed = all
            .iter()
            .map(|l| allowed_lists.contains(&fold(&l.name)))
            .collect();
        Lists {
            all,
            by_ref,
            allowed,
        }
    }

    fn find(&self, text: &str) -> Option<usize> {
        if self.all.is_empty() {
            return None;
        }
        self.by_ref.get(text.trim()).copied()
    }
}

/// Receives what the parser finds in one input string of a field.
struct FieldSink<'r, 'm> {
    reading: &'r mut Reading<'m>,
    field: Field,
    text: &'m str,
    list: u32,
    allowed: bool,
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
            list: TYPED,
            allowed: false,
            entries: 0,
            groups: 0,
            problems: 0,
        }
    }

    fn push_from(&mut self, m: RawMailbox<'m>, list: u32, allowed: bool) {
        if !m.usable {
            return;
        }
        let keys = &mut self.reading.keys;
        let start = keys.len();
        let domain = push_normalized(keys, &m.email, m.plain_at) as u32;
        let key = start as u32..keys.len() as u32;
        let hash = fx_hash(sub(keys, start..));
        self.reading.found.push(Found {
            name: m.name,
            email: m.email,
            key,
            domain,
            hash,
            field: self.field,
            text: self.text,
            span: m.span.start as u32..m.span.end as u32,
            whole: false,
            fast: m.plain_at.is_some(),
            list,
            allowed,
        });
    }
}

impl<'m> Sink<'m> for FieldSink<'_, 'm> {
    fn mailbox(&mut self, m: RawMailbox<'m>) {
        self.entries += 1;
        self.push_from(m, self.list, self.allowed);
    }

    fn group(&mut self, _name: String, members: Vec<RawMailbox<'m>>) {
        self.entries += 1;
        self.groups += 1;
        let (list, allowed) = (self.list, self.allowed);
        members
            .into_iter()
            .for_each(|m| self.push_from(m, list, allowed));
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

fn read_field<'m>(
    reading: &mut Reading<'m>,
    lists: &Lists<'m>,
    field: Field,
    recipients: &'m Recipients,
) {
    for text in recipients.iter() {
        let first = reading.found.len() as u32;
        let first_problem = reading.problems.len() as u32;
        let list = match lists.find(text) {
            Some(i) => {
                expand(reading, lists, field, i);
                reading.lists.len() as u32 - 1
            }
            None => {
                read_string(reading, field, text, TYPED, false);
                TYPED
            }
        };
        reading.sources.push(Source {
            field,
            text,
            found: first..reading.found.len() as u32,
            problems: first_problem..reading.problems.len() as u32,
            list,
        });
    }
}

/// Parses one recipient string (typed, or a list member) into `reading`.
fn read_string<'m>(
    reading: &mut Reading<'m>,
    field: Field,
    text: &'m str,
    list: u32,
    allowed: bool,
) {
    let first = reading.found.len();
    let mut sink = FieldSink::new(reading, field, text);
    sink.list = list;
    sink.allowed = allowed;
    parse_into(text, &mut sink, true);
    // Exactly one entry, a mailbox, and usable (so it was found).
    let single = sink.problems == 0 && sink.entries == 1 && sink.groups == 0;
    if single && reading.found.len() == first + 1 {
        reading.found[first].whole = true;
    }
}

/// Adds the members of list `top`, nested lists included, each list once however
/// often it is nested (so a cycle ends), without recursion (so depth cannot overflow).
fn expand<'m>(reading: &mut Reading<'m>, lists: &Lists<'m>, field: Field, top: usize) {
    let seen_at = reading.lists.len() as u32;
    reading.lists.push(ListSeen {
        name: &lists.all[top].name,
        field,
        nested: false,
        unresolved: Vec::new(),
        unresolved_counted: 0,
    });
    let mut visited = vec![false; lists.all.len()];
    visited[top] = true;
    let mut stack = vec![(top, lists.allowed[top])];
    while let Some((i, allowed)) = stack.pop() {
        let list = &lists.all[i];
        let Some(members) = &list.members else {
            let seen = &mut reading.lists[seen_at as usize];
            seen.unresolved.push(&list.name);
            seen.unresolved_counted += u32::from(!allowed);
            continue;
        };
        for member in members {
            match lists.find(member) {
                Some(j) => {
                    reading.lists[seen_at as usize].nested = true;
                    if !visited[j] {
                        visited[j] = true;
                        stack.push((j, allowed || lists.allowed[j]));
                    }
                }
                None => read_string(reading, field, member, seen_at, allowed),
            }
        }
    }
}

/// The sender's comparable address (if known), and all the user's own: the sender's
/// and every identity the extension listed.
pub(crate) fn own_keys(message: &Message) -> (Option<String>, Vec<String>) {
    let sender = sender_key(message);
    let mut keys: Vec<String> = sender.iter().cloned().collect();
    keys.extend(
        message
            .own_addresses
            .iter()
            .filter(|a| !crate::message::is_blank(a))
            .filter_map(|a| first_key(a)),
    );
    (sender, keys)
}

/// The comparable address of the first mailbox in `text` (`ann@x` or `Ann <ann@x>`).
pub(crate) fn first_key(text: &str) -> Option<String> {
    let mut reading = Reading::default();
    parse_into(
        text,
        &mut FieldSink::new(&mut reading, Field::To, text),
        true,
    );
    let first = reading.found.first()?;
    Some(reading.key(first).to_owned())
}

/// The comparable address of the sender: `identityEmail`, else the address in `from`.
pub(crate) fn sender_key(message: &Message) -> Option<String> {
    let from_identity = message
        .identity_email
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    first_key(from_identity.unwrap_or(&message.from))
}
