//! Move-to-Bcc: the sender alone in To, nobody in Cc, every recipient in Bcc.

use crate::address::format_parts;
use crate::hash::StrTable;
use crate::message::Message;
use crate::recipients::Reading;
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
    if !message.from.trim().is_empty() {
        out.to.push(message.from.clone());
    } else if !identity.trim().is_empty() {
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
    out.bcc.reserve(message.bcc.0.len() + visible.len());
    out.bcc.extend(
        message
            .bcc
            .iter()
            .filter(|s| !s.trim().is_empty())
            .map(str::to_owned),
    );
    for found in visible.iter().filter_map(|&i| reading.found.get(i)) {
        if !in_bcc.contains(reading.key(found)) {
            out.bcc.push(match found.verbatim {
                Some(text) => text.to_owned(),
                None => format_parts(&found.name, &found.email),
            });
        }
    }
    out
}

/// The rewrite for `message` on its own, without a verdict.
pub fn rewrite(message: &Message) -> MoveToBcc {
    crate::evaluate::evaluate(message, &crate::Policy::default()).move_to_bcc
}
