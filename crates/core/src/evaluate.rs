//! The verdict: who would see whose address, which rules that breaks, and the two
//! rewrites that fix it.

use crate::classify::{Classifier, Kind};
use crate::domains::PrivateDomains;
use crate::hash::StrTable;
use crate::message::Message;
use crate::policy::Policy;
use crate::recipients::{own_keys, read, Reading, TYPED};
use crate::rewrite::{move_external_to_bcc, move_to_bcc};
use crate::rules::{fire, Exposure, HARD_LIMIT};
use crate::sub;
use crate::verdict::{
    Action, Counts, DomainCount, Field, ListSummary, Verdict, VisibleRecipient, DOMAIN_SAMPLE,
    PROBLEM_SAMPLE, VISIBLE_SAMPLE,
};

/// What CcGuard knows of one visible domain.
#[derive(Clone, Copy)]
struct DomainInfo {
    count: u32,
    kind: Kind,
    allowed: bool,
    /// Some recipient there is counted by the rules (is not allowlisted).
    counted: bool,
}

/// Judges a message.
///
/// Visible people are the distinct mailboxes of To and Cc (address-book lists
/// expanded), the user's own addresses left out: everyone in those fields receives
/// the full list. Bcc recipients see nobody and nobody sees them, so they never count.
pub fn evaluate(message: &Message, policy: &Policy, private: &PrivateDomains) -> Verdict {
    let (sender, own) = own_keys(message);
    let sender = sender.as_deref();
    let classifier = Classifier::new(policy, private, sender);
    let reading = read(message, &policy.allowed_lists);
    let allowed_keys = key_set(&policy.allowed_addresses);
    let own_set = key_set(&own);

    let mut counts = Counts::default();
    let mut exposure = Exposure {
        sender_is_private: classifier.sender_is_private,
        ..Exposure::default()
    };
    let mut visible_at: Vec<usize> = Vec::with_capacity(reading.found.len());
    let mut domains: StrTable<'_, DomainInfo> = StrTable::with_capacity(16);
    let mut in_bcc: StrTable<'_, ()> = StrTable::with_capacity(0);
    for found in reading.found.iter().filter(|f| f.field == Field::Bcc) {
        let key = reading.key(found);
        let new = in_bcc.insert_hashed(key, found.hash, || ());
        counts.bcc += u32::from(new && !own_set.contains_hashed(key, found.hash));
    }
    // Whether the mailboxes of To and Cc are all different and none is the user's: then
    // the rewrite needs no table of its own to drop repeats.
    let mut distinct = true;
    {
        let mut seen: StrTable<'_, ()> = StrTable::with_capacity(reading.found.len());
        for (i, found) in reading.found.iter().enumerate() {
            let key = reading.key(found);
            let hash = found.hash;
            if found.field == Field::Bcc {
                continue;
            }
            if own_set.contains_hashed(key, hash) || !seen.insert_hashed(key, hash, || ()) {
                // One of the user's own, or a repeat: To and Cc are not all distinct.
                distinct = false;
                continue;
            }
            visible_at.push(i);
            counts.visible += 1;
            match found.field {
                Field::To => counts.to += 1,
                _ => counts.cc += 1,
            }
            let domain = reading.domain(found);
            let info = domains
                .entry(domain, || DomainInfo {
                    count: 0,
                    kind: classifier.kind(domain),
                    allowed: classifier.allowed_domain(domain),
                    counted: false,
                })
                .0;
            info.count += 1;
            match info.kind {
                Kind::Internal => counts.internal += 1,
                Kind::External => counts.external += 1,
                Kind::Private => {
                    counts.external += 1;
                    counts.private += 1;
                }
            }
            if found.allowed || info.allowed || allowed_keys.contains_hashed(key, hash) {
                counts.allowed += 1;
                continue;
            }
            info.counted = true;
            exposure.people += 1;
            match info.kind {
                Kind::Internal => {}
                Kind::External => exposure.external += 1,
                Kind::Private => {
                    exposure.external += 1;
                    exposure.private += 1;
                }
            }
        }
    }
    let domains = domains.into_entries();
    for (_, info) in domains.iter().filter(|(_, i)| i.counted) {
        match info.kind {
            Kind::External => exposure.organisations += 1,
            Kind::Private => exposure.private_domains += 1,
            Kind::Internal => {}
        }
    }
    let (lists, unresolved_lists) = lists(&reading);
    exposure.unresolved_lists = reading
        .lists
        .iter()
        .filter(|l| l.field != Field::Bcc && l.unresolved_counted > 0)
        .count() as u32;

    let thresholds = policy.thresholds_for(sender);
    let rules = fire(&thresholds, &exposure);
    let warn = !rules.is_empty();
    let (move_all, move_external) = if warn {
        let external = (counts.internal > 0 && counts.external > 0).then(|| {
            move_external_to_bcc(message, &reading, &own_set, &in_bcc, &classifier, distinct)
        });
        (
            Some(move_to_bcc(message, &reading, &in_bcc, distinct)),
            external,
        )
    } else {
        (None, None)
    };

    let distinct_domains = domains.len() as u32;
    let domains = most_frequent(domains)
        .into_iter()
        .map(|(domain, info)| DomainCount {
            domain: domain.to_owned(),
            count: info.count,
            kind: info.kind,
        })
        .collect();

    drop(in_bcc);
    let mut problems = reading.problems;
    problems.truncate(PROBLEM_SAMPLE);
    let list_names: Vec<&str> = reading.lists.iter().map(|l| l.name).collect();
    let keys = reading.keys;
    let mut found = reading.found;
    let visible = visible_at
        .iter()
        .take(VISIBLE_SAMPLE)
        .map(|&i| {
            let f = &mut found[i];
            let key = sub(&keys, f.key.start as usize..f.key.end as usize);
            let domain = crate::address::domain_of_key(key);
            VisibleRecipient {
                name: std::mem::take(&mut f.name).into_owned(),
                email: std::mem::take(&mut f.email).into_owned(),
                field: f.field,
                kind: classifier.kind(domain),
                list: (f.list != TYPED).then(|| list_names[f.list as usize].to_owned()),
            }
        })
        .collect();

    Verdict {
        action: if warn { Action::Warn } else { Action::Allow },
        blocked: rules.iter().any(|r| r.id == HARD_LIMIT),
        counts,
        distinct_domains,
        organisations: exposure.organisations,
        private_domains: exposure.private_domains,
        domains,
        visible,
        visible_truncated: visible_at.len() > VISIBLE_SAMPLE,
        rule: rules.first().cloned(),
        rules,
        lists,
        unresolved_lists,
        move_to_bcc: move_all,
        move_external_to_bcc: move_external,
        problems,
    }
}

fn key_set(keys: &[String]) -> StrTable<'_, ()> {
    let mut set = StrTable::with_capacity(keys.len());
    for k in keys {
        set.insert(k.as_str(), || ());
    }
    set
}

/// One summary per list named in the message, and the names of unknown lists.
fn lists(reading: &Reading<'_>) -> (Vec<ListSummary>, Vec<String>) {
    let mut summaries = Vec::with_capacity(reading.lists.len());
    let mut unresolved: Vec<String> = Vec::new();
    for source in reading.sources.iter().filter(|s| s.list != TYPED) {
        let seen = &reading.lists[source.list as usize];
        let mut members: StrTable<'_, ()> = StrTable::with_capacity(source.found.len());
        for f in &reading.found[source.found.start as usize..source.found.end as usize] {
            members.insert_hashed(reading.key(f), f.hash, || ());
        }
        // Only lists that may expose someone: in To or Cc.
        let names = seen.unresolved.iter().filter(|_| seen.field != Field::Bcc);
        for name in names {
            if !unresolved.iter().any(|u| u == name) {
                unresolved.push((*name).to_owned());
            }
        }
        summaries.push(ListSummary {
            name: seen.name.to_owned(),
            field: seen.field,
            members: members.len() as u32,
            nested: seen.nested,
            resolved: seen.unresolved.is_empty(),
        });
    }
    (summaries, unresolved)
}

/// The [`DOMAIN_SAMPLE`] most frequent domains, most frequent first, ties by name:
/// what sorting all of them and truncating gives, with a small insertion list
/// instead of the ~5 KiB of WASM that `sort_unstable_by` brings.
fn most_frequent<T: Copy + Count>(domains: Vec<(&str, T)>) -> Vec<(&str, T)> {
    // Domains are distinct, so this order is total.
    let before = |a: &(&str, T), b: &(&str, T)| {
        a.1.count() > b.1.count() || (a.1.count() == b.1.count() && a.0 < b.0)
    };
    let mut top: Vec<(&str, T)> = Vec::with_capacity(DOMAIN_SAMPLE.min(domains.len()) + 1);
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

trait Count {
    fn count(&self) -> u32;
}

impl Count for DomainInfo {
    fn count(&self) -> u32 {
        self.count
    }
}

impl Count for u32 {
    fn count(&self) -> u32 {
        *self
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
