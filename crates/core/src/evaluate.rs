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
    let domains = domains.into_entries();
    let distinct_domains = domains.len() as u32;
    let domains = most_frequent(domains)
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

/// The [`DOMAIN_SAMPLE`] most frequent domains, most frequent first, ties by name:
/// what sorting all of them and truncating gives, with a small insertion list
/// instead of the ~5 KiB of WASM that `sort_unstable_by` brings.
fn most_frequent(domains: Vec<(&str, u32)>) -> Vec<(&str, u32)> {
    // Domains are distinct, so this order is total.
    let before = |a: &(&str, u32), b: &(&str, u32)| a.1 > b.1 || (a.1 == b.1 && a.0 < b.0);
    let mut top: Vec<(&str, u32)> = Vec::with_capacity(DOMAIN_SAMPLE.min(domains.len()) + 1);
    for d in domains {
        if top.len() == DOMAIN_SAMPLE && top.last().is_some_and(|last| !before(&d, last)) {
            continue;
        }
        let at = top.iter().position(|t| before(&d, t)).unwrap_or(top.len());
        top.insert(at, d);
        top.truncate(DOMAIN_SAMPLE);
    }
    top
}

/// The sentence the warning window shows.
pub fn reason(visible: u32) -> String {
    if visible == 1 {
        "1 person's e-mail address would be visible to the other recipients".to_owned()
    } else {
        format!("{visible} people would see each other's e-mail addresses")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn most_frequent_is_sorting_then_truncating() {
        let names: Vec<String> = (0..400)
            .map(|i| format!("d{}.example", i * 7919 % 401))
            .collect();
        for n in [0, 1, 7, DOMAIN_SAMPLE, DOMAIN_SAMPLE + 1, 400] {
            let domains: Vec<(&str, u32)> = names[..n]
                .iter()
                .enumerate()
                .map(|(i, d)| (d.as_str(), (i * 31 % 13) as u32 + 1))
                .collect();
            let mut sorted = domains.clone();
            sorted.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
            sorted.truncate(DOMAIN_SAMPLE);
            assert_eq!(most_frequent(domains), sorted, "{n}");
        }
    }
}
