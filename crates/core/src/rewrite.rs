//! The two rewrites behind the warning's buttons.
//!
//! Neither loses a recipient: every mailbox of To and Cc ends up in some field (the
//! sender's own in To), an address-book list moves as its pill (Thunderbird expands it
//! wherever it stands), and text that could not be read stays in the field it came
//! from, so Thunderbird (not CcGuard) reports it to the user.

use crate::address::{format_parts, parse_address_list, Entry};
use crate::classify::Kind;
use crate::env::Env;
use crate::message::{is_blank, Message};
use crate::people::{self, People};
use crate::policy::Policy;
use crate::recipients::{self, first_key, Found, Reading, Source, TYPED};
use crate::sender::Sender;
use crate::text::Text;
use crate::verdict::{Field, Rewrite};
use rustc_hash::FxHashSet;

/// Everyone to Bcc: the sender alone in To (the address written there is dropped from
/// the others, since it is in To), nobody in Cc.
pub fn move_to_bcc(message: &Message, policy: &Policy, env: &Env<'_>) -> Rewrite {
    let reading = recipients::read(message, &policy.allowed_lists, env.text);
    let sender = Sender::of(message, policy, env);
    let people = people::visible(&reading, &sender, policy);
    let mut out = Rewrite::default();
    let identity = message.identity_email.as_deref().unwrap_or("");
    if !is_blank(&message.from) {
        out.to.push(sole_author(&message.from, env.text));
    } else if !is_blank(identity) {
        out.to.push(identity.to_owned());
    }
    // Only what To now holds may be dropped: an identity address that differs from
    // `from` is a recipient like any other.
    let in_to = out.to.first().and_then(|t| first_key(t, env.text));
    let mut bcc = Bcc::new(message, &reading, &people);
    for source in visible_sources(&reading) {
        if source.list != TYPED {
            bcc.push_pill(source.text);
            continue;
        }
        keep_problems(&reading, source, &mut out);
        for found in founds(&reading, source) {
            if in_to.as_deref() != Some(reading.key(found)) {
                bcc.push(&reading, found, env.text);
            }
        }
    }
    out.bcc = bcc.out;
    out
}

/// The sender for To: `from` as written when it is one mailbox; of several (RFC 5322 allows a
/// list of authors), the first alone, since every other would become a recipient who was never
/// one, visible to everyone; unreadable text as it is (Thunderbird reports it).
fn sole_author(from: &str, text: &dyn Text) -> String {
    match &parse_address_list(from, text)[..] {
        [Entry::Mailbox(_)] | [] => from.to_owned(),
        entries => entries
            .iter()
            .flat_map(Entry::mailboxes)
            .next()
            .map_or_else(|| from.to_owned(), crate::format_mailbox),
    }
}

/// Only people outside the organisation to Bcc; colleagues (and the user's own
/// addresses) stay where they were, as typed where possible. `None` when there are not
/// both colleagues and outsiders to tell apart, or when the colleagues left visible are
/// still more than the hard limit allows.
pub fn move_external_to_bcc(message: &Message, policy: &Policy, env: &Env<'_>) -> Option<Rewrite> {
    let reading = recipients::read(message, &policy.allowed_lists, env.text);
    let sender = Sender::of(message, policy, env);
    let people = people::visible(&reading, &sender, policy);
    if people.counts.internal == 0 || people.counts.external == 0 {
        return None;
    }
    let mut out = Rewrite::default();
    let mut bcc = Bcc::new(message, &reading, &people);
    let stays = |f: &Found<'_>| {
        sender.own.contains(reading.key(f))
            || sender.classifier.kind(reading.domain(f)) == Kind::Internal
    };
    // Colleagues already written out: one typed twice (To and Cc) stays once, as
    // Move to Bcc keeps each person once.
    let mut kept: FxHashSet<&str> = FxHashSet::default();
    for source in visible_sources(&reading).filter(|s| !is_blank(s.text)) {
        let mut members = founds(&reading, source);
        let unreadable = !source.problems.is_empty();
        let unknown_list =
            source.list != TYPED && !reading.lists[source.list as usize].unresolved.is_empty();
        if members.clone().all(stays) && !unknown_list {
            let mut new = false;
            for f in members.clone() {
                new |= kept.insert(reading.key(f));
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
                keep_problems(&reading, source, &mut out);
            }
            for found in founds(&reading, source) {
                if stays(found) {
                    if kept.insert(reading.key(found)) {
                        field(&mut out, source.field).push(mailbox_text(found, env.text));
                    }
                } else {
                    bcc.push(&reading, found, env.text);
                }
            }
        }
    }
    out.bcc = bcc.out;
    within_hard_limit(message, &out, policy, env).then_some(out)
}

/// Whether `message` sent with the fields of `rewrite` stays within the hard limit. The
/// limit is the admin's ceiling on who may see whom in one message; a way out of the
/// warning that still exceeds it would let the user past it by another door.
pub(crate) fn within_hard_limit(
    message: &Message,
    rewrite: &Rewrite,
    policy: &Policy,
    env: &Env<'_>,
) -> bool {
    let rewritten = Message {
        to: rewrite.to.clone().into(),
        cc: rewrite.cc.clone().into(),
        bcc: rewrite.bcc.clone().into(),
        ..message.clone()
    };
    !crate::evaluate(&rewritten, policy, env).blocked
}

/// The Bcc field being built: what it held, then each moved mailbox once.
struct Bcc<'r> {
    out: Vec<String>,
    /// The mailboxes moved so far, and those Bcc already held.
    moved: FxHashSet<&'r str>,
}

impl<'r> Bcc<'r> {
    fn new(message: &Message, reading: &Reading<'_>, people: &People<'r>) -> Self {
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
            moved: people.in_bcc.clone(),
        }
    }

    fn push(&mut self, reading: &'r Reading<'_>, found: &Found<'_>, text: &dyn Text) {
        if self.moved.insert(reading.key(found)) {
            self.out.push(mailbox_text(found, text));
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

fn field(out: &mut Rewrite, field: Field) -> &mut Vec<String> {
    match field {
        Field::To => &mut out.to,
        _ => &mut out.cc,
    }
}

/// Unreadable text of a typed string stays in its field.
fn keep_problems(reading: &Reading<'_>, source: &Source<'_>, out: &mut Rewrite) {
    for problem in &reading.problems[source.problems.start as usize..source.problems.end as usize] {
        field(out, source.field).push(problem.input.clone());
    }
}

/// Header text for one mailbox that reads back as exactly that mailbox, so moving it
/// can neither change nor lose the recipient.
///
/// What the user typed when it is known to be stable on its own (a whole input
/// string, or a span the fast path read); otherwise the mailbox formatted anew, as
/// long as that reads back the same, else its span of the input if that does. A
/// span cut from a longer string may read differently alone (an unclosed quote or
/// comment after it, a group around it), hence the checks.
pub(crate) fn mailbox_text(found: &Found<'_>, text: &dyn Text) -> String {
    let own = found.own_text();
    if found.whole || found.fast {
        return own.to_owned();
    }
    let parses_back = |candidate: &str| {
        matches!(&parse_address_list(candidate, text)[..], [Entry::Mailbox(m)]
            if m.name == found.name && m.email == found.email)
    };
    let formatted = format_parts(&found.name, &found.email);
    if !parses_back(&formatted) && parses_back(own) {
        return own.to_owned();
    }
    formatted
}
