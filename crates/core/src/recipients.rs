//! Reads the recipient fields of a message once, for the verdict and the rewrite.

use crate::address::{parse_into, push_normalized, Problem, RawMailbox, Sink};
use crate::message::{MailingList, Message, Recipients};
use crate::policy::fold;
use crate::text::Text;
use crate::verdict::{Field, FieldProblem};
use rustc_hash::FxHashMap;
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
    pub name: Cow<'m, str>,
    pub field: Field,
    /// Whether it holds other lists.
    pub nested: bool,
    /// Names of the lists in it (itself included) whose members are unknown.
    pub unresolved: Vec<Cow<'m, str>>,
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
    /// nothing else, else its span there. The parser's spans start and end at ASCII
    /// delimiters of `text` (lexer.rs), so slicing by one cannot fail; if it ever did, the
    /// panic traps the WASM and the send is judged in degraded mode, never rewritten with
    /// a recipient lost.
    pub(crate) fn own_text(&self) -> &str {
        if self.whole {
            return self.text;
        }
        &self.text[self.span.start as usize..self.span.end as usize]
    }
}

// Keys and domains are ranges that `push_from` recorded while appending to `keys`, at
// character boundaries it wrote itself: slicing by them cannot fail.
impl Reading<'_> {
    pub(crate) fn key(&self, found: &Found<'_>) -> &str {
        &self.keys[found.key.start as usize..found.key.end as usize]
    }

    /// The domain part of the key, empty if the address has none.
    pub(crate) fn domain(&self, found: &Found<'_>) -> &str {
        &self.keys[found.domain as usize..found.key.end as usize]
    }
}

/// Reads every field; `allowed_lists` are the policy's list names (folded), whose
/// members are marked `allowed`.
pub(crate) fn read<'m>(
    message: &'m Message,
    allowed_lists: &[String],
    text: &'m dyn Text,
) -> Reading<'m> {
    let mut reading = Reading::default();
    // Thunderbird gives one string per recipient: reserve for that much (a pasted header
    // of many addresses in one string just grows the vectors).
    let fields = [&message.to, &message.cc, &message.bcc];
    let strings: usize = fields.iter().map(|f| f.len()).sum();
    let bytes: usize = fields.iter().flat_map(|f| f.iter()).map(str::len).sum();
    reading.found.reserve(strings.min(16_384));
    reading.keys.reserve(bytes.min(1 << 20));
    reading.sources.reserve(strings);
    let lists = Lists::new(&message.lists, allowed_lists, text);
    read_field(&mut reading, &lists, Field::To, &message.to);
    read_field(&mut reading, &lists, Field::Cc, &message.cc);
    read_field(&mut reading, &lists, Field::Bcc, &message.bcc);
    reading
}

/// The message's lists, found by the string that names them.
struct Lists<'m> {
    all: &'m [MailingList],
    /// Their names as the warning shows them: cleaned like display names, so that a
    /// list name cannot hide text or reorder the line it is shown in.
    names: Vec<Cow<'m, str>>,
    by_ref: FxHashMap<&'m str, usize>,
    allowed: Vec<bool>,
    text: &'m dyn Text,
}

impl<'m> Lists<'m> {
    fn new(all: &'m [MailingList], allowed_lists: &[String], text: &'m dyn Text) -> Self {
        let mut by_ref = FxHashMap::default();
        for (i, list) in all.iter().enumerate() {
            // The first definition of a reference wins.
            by_ref.entry(list.reference.trim()).or_insert(i);
        }
        Lists {
            all,
            names: all.iter().map(|l| clean_name(&l.name)).collect(),
            by_ref,
            allowed: all
                .iter()
                .map(|l| allowed_lists.contains(&fold(&l.name)))
                .collect(),
            text,
        }
    }

    fn find(&self, text: &str) -> Option<usize> {
        if self.by_ref.is_empty() {
            return None; // most sends name no list: no hashing of every pill
        }
        self.by_ref.get(text.trim()).copied()
    }
}

fn clean_name(name: &str) -> Cow<'_, str> {
    crate::address::clean(name)
}

/// Receives what the parser finds in one input string of a field.
struct FieldSink<'r, 'm> {
    reading: &'r mut Reading<'m>,
    services: &'m dyn Text,
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
    fn new(
        reading: &'r mut Reading<'m>,
        services: &'m dyn Text,
        field: Field,
        text: &'m str,
    ) -> Self {
        FieldSink {
            reading,
            services,
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
        let domain = push_normalized(keys, &m.email, m.plain_at, self.services) as u32;
        self.reading.found.push(Found {
            name: m.name,
            email: m.email,
            key: start as u32..keys.len() as u32,
            domain,
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
        for m in members {
            self.push_from(m, list, allowed);
        }
    }

    fn problem(&mut self, problem: Problem) {
        self.problems += 1;
        // A problem's span is the parser's, at ASCII delimiters like a mailbox's (own_text).
        let input = &self.text[problem.span];
        self.reading.problems.push(FieldProblem {
            field: self.field,
            input: input.to_owned(),
            problem: problem.kind,
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
                read_string(reading, lists.text, field, text, TYPED, false);
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
    services: &'m dyn Text,
    field: Field,
    text: &'m str,
    list: u32,
    allowed: bool,
) {
    let first = reading.found.len();
    let mut sink = FieldSink::new(reading, services, field, text);
    sink.list = list;
    sink.allowed = allowed;
    parse_into(text, &mut sink, true, services);
    // Exactly one entry, a mailbox, and usable (so it was found).
    let single = sink.problems == 0 && sink.entries == 1 && sink.groups == 0;
    if single && reading.found.len() == first + 1 {
        reading.found[first].whole = true;
    }
}

/// Adds the members of list `top`, nested lists included, each list once however
/// often it is nested (so a cycle ends), without recursion (so depth cannot overflow).
fn expand<'m>(reading: &mut Reading<'m>, lists: &Lists<'m>, field: Field, top: usize) {
    let seen_at = reading.lists.len();
    reading.lists.push(ListSeen {
        name: lists.names[top].clone(),
        field,
        nested: false,
        unresolved: Vec::new(),
        unresolved_counted: 0,
    });
    let mut visited = vec![false; lists.all.len()];
    visited[top] = true;
    let mut stack = vec![(top, lists.allowed[top])];
    while let Some((i, allowed)) = stack.pop() {
        let Some(members) = &lists.all[i].members else {
            let seen = &mut reading.lists[seen_at];
            seen.unresolved.push(lists.names[i].clone());
            seen.unresolved_counted += u32::from(!allowed);
            continue;
        };
        for member in members {
            match lists.find(member) {
                Some(j) => {
                    reading.lists[seen_at].nested = true;
                    if !visited[j] {
                        visited[j] = true;
                        stack.push((j, allowed || lists.allowed[j]));
                    }
                }
                None => read_string(reading, lists.text, field, member, seen_at as u32, allowed),
            }
        }
    }
}

/// The comparable address of the first mailbox in `text` (`ann@x` or `Ann <ann@x>`).
pub(crate) fn first_key(text: &str, services: &dyn Text) -> Option<String> {
    let mut reading = Reading::default();
    parse_into(
        text,
        &mut FieldSink::new(&mut reading, services, Field::To, text),
        true,
        services,
    );
    let first = reading.found.first()?;
    Some(reading.key(first).to_owned())
}
