//! The two rewrites behind the warning's buttons.
//!
//! Neither loses a recipient: every mailbox of To and Cc ends up in some field (the
//! sender's own in To), an address-book list moves as its pill (Thunderbird expands it
//! wherever it stands), and text that could not be read stays in the field it came
//! from, so Thunderbird (not CcGuard) reports it to the user.

use crate::address::{format_parts, parse_address_list, Entry};
use crate::classify::{Classifier, Kind};
use crate::hash::StrTable;
use crate::message::{is_blank, Message};
use crate::recipients::{Found, Reading, Source, TYPED};
use crate::verdict::{Field, MoveToBcc};

/// Everyone to Bcc: the sender alone in To (the address written there is dropped
/// from the others, since it is in To), nobody in Cc.
///
/// `distinct` says that the mailboxes of To and Cc are known to be all different (the
/// verdict found no repeat): then the rewrite need not look for repeats itself.
pub(crate) fn move_to_bcc(
    message: &Message,
    reading: &Reading<'_>,
    in_bcc: &StrTable<'_, ()>,
    distinct: bool,
) -> MoveToBcc {
    let mut out = MoveToBcc::default();
    let identity = message.identity_email.as_deref().unwrap_or("");
    if !is_blank(&message.from) {
        out.to.push(message.from.clone());
    } else if !is_blank(identity) {
        out.to.push(identity.to_owned());
    }
    // Only what To now holds may be dropped: an identity address that differs from
    // `from` is a recipient like any other.
    let in_to = out.to.first().and_then(|t| first_key(t));
    let sender = in_to.as_deref();
    let mut bcc = Bcc::new(message, reading, in_bcc, distinct);
    for source in visible_sources(reading) {
        if source.list != TYPED {
            bcc.push_pill(source.text);
            continue;
        }
        keep_problems(reading, source, &mut out);
        for found in founds(reading, source) {
            if sender != Some(reading.key(found)) {
                bcc.push(reading, found);
            }
        }
    }
    out.bcc = bcc.out;
    out
}

/// Only people outside the organisation to Bcc; colleagues (and the user's own
/// addresses) stay where they were, as typed where possible. `distinct` as for
/// [`move_to_bcc`].
pub(crate) fn move_external_to_bcc(
    message: &Message,
    reading: &Reading<'_>,
    own: &StrTable<'_, ()>,
    in_bcc: &StrTable<'_, ()>,
    classifier: &Classifier<'_>,
    distinct: bool,
) -> MoveToBcc {
    let mut out = MoveToBcc::default();
    let mut bcc = Bcc::new(message, reading, in_bcc, distinct);
    let stays = |f: &Found<'_>| {
        own.contains_hashed(reading.key(f), f.hash)
            || classifier.kind(reading.domain(f)) == Kind::Internal
    };
    // Colleagues already written out: one typed twice (To and Cc) stays once, as
    // Move to Bcc keeps each person once.
    let mut kept: StrTable<'_, ()> = StrTable::with_capacity(16);
    for source in visible_sources(reading).filter(|s| !is_blank(s.text)) {
        let mut members = founds(reading, source);
        let unreadable = !source.problems.is_empty();
        let unknown_list =
            source.list != TYPED && !reading.lists[source.list as usize].unresolved.is_empty();
        if members.clone().all(stays) && !unknown_list {
            let mut new = false;
            for f in members.clone() {
                new |= kept.insert(reading.key(f), || ());
            }
            // A string that adds nobody new is a duplicate, unless it is unreadable text or
            // a list, which stay as they were.
            if new || unreadable || source.list != TYPED || source.found.is_empty() {
                field(&mut out, source.field).push(source.text.to_owned());
            }
        } else if source.list != TYPED && (unreadable || unknown_list || members.all(|f| !stays(f)))
        {
            // A list whose members cannot all be written out, or only outsiders.
            bcc.push_pill(source.text);
        } else {
            if source.list == TYPED {
                keep_problems(reading, source, &mut out);
            }
            for found in founds(reading, source) {
                if stays(found) {
                    if kept.insert(reading.key(found), || ()) {
                        field(&mut out, source.field).push(mailbox_text(found));
                    }
                } else {
                    bcc.push(reading, found);
                }
            }
        }
    }
    out.bcc = bcc.out;
    out
}

/// The Bcc field being built: what it held, then each moved mailbox once.
struct Bcc<'r> {
    out: Vec<String>,
    /// The mailboxes moved so far, when they may repeat; `None` when they are known
    /// to be distinct, which spares a table of every recipient on large sends.
    moved: Option<StrTable<'r, ()>>,
    in_bcc: &'r StrTable<'r, ()>,
}

impl<'r> Bcc<'r> {
    fn new(
        message: &Message,
        reading: &'r Reading<'_>,
        in_bcc: &'r StrTable<'r, ()>,
        distinct: bool,
    ) -> Self {
        let mut out = Vec::with_capacity(message.bcc.len() + reading.found.len());
        out.extend(
            message
                .bcc
                .iter()
                .filter(|s| !is_blank(s))
                .map(str::to_owned),
        );
        Bcc {
            out,
            moved: (!distinct).then(|| StrTable::with_capacity(reading.found.len())),
            in_bcc,
        }
    }

    fn push(&mut self, reading: &'r Reading<'_>, found: &Found<'_>) {
        let key = reading.key(found);
        if self.in_bcc.contains_hashed(key, found.hash) {
            return;
        }
        let first = match &mut self.moved {
            Some(moved) => moved.insert_hashed(key, found.hash, || ()),
            None => true,
        };
        if first {
            self.out.push(mailbox_text(found));
        }
    }

    fn push_pill(&mut self, text: &str) {
        if !self.out.iter().any(|t| t == text) {
            self.out.push(text.to_owned());
        }
    }
}

fn visible_sources<'a, 'm>(reading: &'a Reading<'m>) -> impl Iterator<Item = &'a Source<'m>> {
    reading.sources.iter().filter(|s| s.field != Field::Bcc)
}

fn founds<'a, 'm>(
    reading: &'a Reading<'m>,
    source: &Source<'_>,
) -> impl Iterator<Item = &'a Found<'m>> + Clone {
    reading.found[source.found.start as usize..source.found.end as usize].iter()
}

fn field(out: &mut MoveToBcc, field: Field) -> &mut Vec<String> {
    match field {
        Field::To => &mut out.to,
        _ => &mut out.cc,
    }
}

/// Unreadable text of a typed string stays in its field.
fn keep_problems(reading: &Reading<'_>, source: &Source<'_>, out: &mut MoveToBcc) {
    for problem in &reading.problems[source.problems.start as usize..source.problems.end as usize] {
        field(out, source.field).push(problem.input.clone());
    }
}

/// Header text for one mailbox that reads back as exactly that mailbox, so moving
/// it can neither change nor lose the recipient.
///
/// What the user typed when it is known to be stable on its own (a whole input
/// string, or a span the fast path read); otherwise the mailbox formatted anew, as
/// long as that reads back the same, else its span of the input if that does. A
/// span cut from a longer string may read differently alone (an unclosed quote or
/// comment after it, a group around it), hence the checks.
fn mailbox_text(found: &Found<'_>) -> String {
    let text = found.own_text();
    if found.whole || found.fast {
        return text.to_owned();
    }
    let parses_back = |text: &str| {
        matches!(&parse_address_list(text)[..], [Entry::Mailbox(m)]
            if m.name == found.name && m.email == found.email)
    };
    let formatted = format_parts(&found.name, &found.email);
    if !parses_back(&formatted) && parses_back(text) {
        return text.to_owned();
    }
    formatted
}

/// The comparable address of the first mailbox in `text`.
fn first_key(text: &str) -> Option<String> {
    let entries = parse_address_list(text);
    let first = entries.iter().flat_map(|e| e.mailboxes()).next()?;
    Some(crate::address::normalized_address(&first.email))
}

/// The Move-to-Bcc rewrite for `message` on its own, whatever the verdict.
pub fn rewrite(message: &Message) -> MoveToBcc {
    let reading = crate::recipients::read(message, &[]);
    let mut in_bcc: StrTable<'_, ()> = StrTable::with_capacity(0);
    for found in reading.found.iter().filter(|f| f.field == Field::Bcc) {
        in_bcc.insert_hashed(reading.key(found), found.hash, || ());
    }
    move_to_bcc(message, &reading, &in_bcc, false)
}
