//! Policy v1: count the recipients who would see each other's addresses.

use crate::hash::StrTable;
use crate::message::Message;
use crate::policy::Policy;
use crate::recipients::{read, sender_key};
use crate::rewrite::move_to_bcc;
use crate::verdict::{
    Action, Counts, DomainCount, Field, RuleHit, Verdict, VisibleRecipient, DOMAIN_SAMPLE,
    PROBLEM_SAMPLE, VISIBLE_SAMPLE,
};

/// The id of the only rule of Policy v1.
pub const VISIBLE_RECIPIENTS_RULE: &str = "visible-recipients";

/// Judges a message.
///
/// Visible recipients are the distinct mailboxes of To and Cc, sender excluded:
/// everyone in those fields receives the full list. Bcc recipients see nobody and
/// nobody sees them, so they never count.
pub fn evaluate(message: &Message, policy: &Policy) -> Verdict {
    let reading = read(message);
    let sender = sender_key(message);

    let mut counts = Counts::default();
    let mut visible_at: Vec<usize> = Vec::with_capacity(reading.found.len());
    let mut domains: StrTable<'_, u32> = StrTable::with_capacity(16);
    let mut in_bcc: StrTable<'_, ()> = StrTable::with_capacity(0);
    for found in reading.found.iter().filter(|f| f.field == Field::Bcc) {
        counts.bcc += u32::from(in_bcc.insert(reading.key(found), || ()));
    }
    {
        let mut seen: StrTable<'_, ()> = StrTable::with_capacity(reading.found.len());
        for (i, found) in reading.found.iter().enumerate() {
            let key = reading.key(found);
            if found.field == Field::Bcc
                || sender.as_deref() == Some(key)
                || !seen.insert(key, || ())
            {
                continue;
            }
            visible_at.push(i);
            counts.visible += 1;
            match found.field {
                Field::To => counts.to += 1,
                _ => counts.cc += 1,
            }
            *domains.entry(reading.domain(found), || 0).0 += 1;
        }
    }
    let move_to_bcc = move_to_bcc(message, &reading, &visible_at, &in_bcc);
    let mut domains = domains.into_entries();
    let distinct_domains = domains.len() as u32;
    domains.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    domains.truncate(DOMAIN_SAMPLE);
    let domains = domains
        .into_iter()
        .map(|(domain, count)| DomainCount {
            domain: domain.to_owned(),
            count,
        })
        .collect();

    drop(in_bcc);
    let mut problems = reading.problems;
    problems.truncate(PROBLEM_SAMPLE);
    let mut found = reading.found;
    let visible = visible_at
        .iter()
        .take(VISIBLE_SAMPLE)
        .map(|&i| {
            let f = &mut found[i];
            VisibleRecipient {
                name: std::mem::take(&mut f.name).into_owned(),
                email: std::mem::take(&mut f.email).into_owned(),
                field: f.field,
            }
        })
        .collect();

    let warn = policy.threshold > 0 && counts.visible >= policy.threshold;
    let rule = warn.then(|| RuleHit {
        id: VISIBLE_RECIPIENTS_RULE.to_owned(),
        threshold: policy.threshold,
        reason: reason(counts.visible),
    });
    Verdict {
        action: if warn { Action::Warn } else { Action::Allow },
        counts,
        distinct_domains,
        domains,
        visible,
        visible_truncated: visible_at.len() > VISIBLE_SAMPLE,
        rule,
        move_to_bcc,
        problems,
    }
}

/// The sentence the warning window shows.
pub fn reason(visible: u32) -> String {
    if visible == 1 {
        "1 person's e-mail address would be visible to the other recipients".to_owned()
    } else {
        format!("{visible} people would see each other's e-mail addresses")
    }
}
