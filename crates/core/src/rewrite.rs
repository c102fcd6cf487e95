//! Move-to-Bcc: the sender alone in To, nobody in Cc, every recipient in Bcc.

use crate::address::{format_parts, parse_address_list, Entry};
use crate::hash::StrTable;
use crate::message::{is_blank, Message};
use crate::recipients::{Found, Reading};
use crate::verdict::{Field, MoveToBcc};

/// Builds the rewritten fields from the reading: `visible` indexes the first
/// occurrence of each visible recipient in `reading.found` (sender excluded) and
/// `in_bcc` holds the keys already in Bcc.
///
/// Never loses a recipient: every To/Cc mailbox lands in Bcc unless it is already
/// there or is the sender, and text that could not be read stays in the field it
/// came from, so Thunderbird (not CcGuard) reports it to the user.
pub(crate) fn move_to_bcc(
    message: &Message,
    reading: &Reading<'_>,
    visible: &[usize],
    in_bcc: &StrTable<'_, ()>,
) -> MoveToBcc {
    let mut out = MoveToBcc::default();
    let identity = message.identity_email.as_deref().unwrap_or("");
    if !is_blank(&message.from) {
        out.to.push(message.from.clone());
    } else if !is_blank(identity) {
        out.to.push(identity.to_owned());
    }
    for problem in &reading.problems {
        match problem.field {
            Field::To => out.to.push(problem.input.clone()),
            Field::Cc => out.cc.push(problem.input.clone()),
            // Bcc strings are kept whole below, problems included.
            Field::Bcc => {}
        }
    }
    out.bcc.reserve(message.bcc.len() + visible.len());
    out.bcc.extend(
        message
            .bcc
            .iter()
            .filter(|s| !is_blank(s))
            .map(str::to_owned),
    );
    for found in visible.iter().filter_map(|&i| reading.found.get(i)) {
        if !in_bcc.contains(reading.key(found)) {
            out.bcc.push(mailbox_text(found));
        }
    }
    out
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

/// The rewrite for `message` on its own, without a verdict.
pub fn rewrite(message: &Message) -> MoveToBcc {
    crate::evaluate::evaluate(message, &crate::Policy::default()).move_to_bcc
}
