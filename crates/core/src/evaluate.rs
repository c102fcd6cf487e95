//! The verdict: who would newly see whose address, and which rules that breaks.

use crate::context::Context;
use crate::env::Env;
use crate::message::Message;
use crate::people::{self, People};
use crate::policy::Policy;
use crate::recipients::{self, Reading, TYPED};
use crate::rules::{self, Rule};
use crate::sender::Sender;
use crate::verdict::Field;
use crate::verdict::{
    Action, AskRole, ContextSummary, DomainCount, ForwardSummary, ListSummary, Verdict,
    VisibleRecipient, DOMAIN_SAMPLE, PROBLEM_SAMPLE, VISIBLE_SAMPLE,
};
use rustc_hash::FxHashSet;

/// Judges a message.
///
/// Visible people are the distinct mailboxes of To and Cc (address-book lists
/// expanded), the user's own addresses left out: everyone in those fields receives the
/// full list. Bcc recipients see nobody and nobody sees them, so they never count. Of
/// the visible people, only what is new counts: someone whose address would be seen by
/// someone who could not see it before (see [`crate::context`]).
pub fn evaluate(message: &Message, policy: &Policy, env: &Env<'_>) -> Verdict {
    let sender = Sender::of(message, policy, env);
    let reading = recipients::read(message, &policy.allowed_lists, env.text);
    let people = people::visible(&reading, &sender, policy);
    let context = Context::of(message, &people, &sender, policy, env);
    let exposed = context.exposure(&people);
    let (mut exposure, newly) = (exposed.all, exposed.newly);
    exposure.unresolved_lists = unresolved_lists_counted(&reading);
    let thresholds = context.thresholds(sender.thresholds);
    let rules = rules::fire(&thresholds, &exposure);
    let forwarded = exposed.forwarded.map(|(alone, shown)| ForwardSummary {
        shown,
        bcc_cannot_hide: !rules::fire(&context.bcc_thresholds(sender.thresholds), &alone)
            .is_empty(),
    });
    let ask_role = if rules.is_empty() {
        ask_role(&sender, &context, &exposure)
    } else {
        None
    };
    let (lists, unresolved_lists) = lists(&reading);
    let known = (0..people.list.len()).filter(|&p| context.known(p)).count() as u32;
    Verdict {
        action: if rules.is_empty() {
            Action::Allow
        } else {
            Action::Warn
        },
        blocked: rules.iter().any(|r| r.id == Rule::HardLimit),
        counts: people.counts,
        distinct_domains: people.domains.len() as u32,
        organisations: exposure.organisations,
        private_domains: exposure.private_domains,
        domains: most_frequent(&people, &reading),
        visible: sample(&people, &reading, &context),
        visible_truncated: people.list.len() > VISIBLE_SAMPLE,
        context: ContextSummary {
            thread: context.thread,
            groups: context.groups_used,
            known,
            newcomers: if known > 0 {
                (0..people.list.len())
                    .filter(|&p| people.list[p].counted && !context.known(p))
                    .count() as u32
            } else {
                0
            },
            exposed: newly.iter().filter(|&&n| n).count() as u32,
        },
        rules,
        forwarded,
        ask_role,
        lists,
        unresolved_lists,
        mixed: people.counts.internal > 0 && people.counts.external > 0,
        problems: reading.problems.into_iter().take(PROBLEM_SAMPLE).collect(),
    }
}

/// The question to ask when the unanswered role alone lets this send through.
fn ask_role(sender: &Sender<'_>, context: &Context, exposure: &rules::Exposure) -> Option<AskRole> {
    let (identity, work) = sender.unanswered.as_ref()?;
    let rules = rules::fire(&context.thresholds(*work), exposure);
    (!rules.is_empty()).then(|| AskRole {
        identity: identity.clone(),
        rules,
    })
}

/// Lists in To/Cc whose members are unknown and that the policy does not allow.
fn unresolved_lists_counted(reading: &Reading<'_>) -> u32 {
    reading
        .lists
        .iter()
        .filter(|l| l.field != Field::Bcc && l.unresolved_counted > 0)
        .count() as u32
}

/// The first [`VISIBLE_SAMPLE`] visible people; newcomers first when some are known.
fn sample(people: &People<'_>, reading: &Reading<'_>, context: &Context) -> Vec<VisibleRecipient> {
    let any_known = (0..people.list.len()).any(|p| context.known(p));
    let newcomers = (0..people.list.len()).filter(|&p| any_known && !context.known(p));
    let rest = (0..people.list.len()).filter(|&p| !any_known || context.known(p));
    newcomers
        .chain(rest)
        .take(VISIBLE_SAMPLE)
        .map(|p| {
            let person = &people.list[p];
            let f = &reading.found[person.found];
            VisibleRecipient {
                name: f.name.to_string(),
                email: f.email.to_string(),
                field: f.field,
                kind: person.kind,
                list: (f.list != TYPED).then(|| reading.lists[f.list as usize].name.to_string()),
                known: context.known(p),
            }
        })
        .collect()
}

/// The [`DOMAIN_SAMPLE`] most frequent domains, most frequent first, ties by name.
fn most_frequent(people: &People<'_>, reading: &Reading<'_>) -> Vec<DomainCount> {
    let mut domains: Vec<_> = people.domains.iter().collect();
    domains.sort_unstable_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(b.name)));
    domains
        .into_iter()
        .take(DOMAIN_SAMPLE)
        .map(|d| {
            let email = &reading.found[d.first].email;
            let written = email.rsplit_once('@').map_or(d.name, |(_, domain)| domain);
            DomainCount {
                domain: written.to_lowercase(),
                count: d.count,
                kind: d.kind,
            }
        })
        .collect()
}

/// One summary per list named in the message, and the names of unknown lists.
fn lists(reading: &Reading<'_>) -> (Vec<ListSummary>, Vec<String>) {
    let mut summaries = Vec::with_capacity(reading.lists.len());
    let mut unresolved: Vec<String> = Vec::new();
    for source in reading.sources.iter().filter(|s| s.list != TYPED) {
        let seen = &reading.lists[source.list as usize];
        let members: FxHashSet<&str> = reading.found
            [source.found.start as usize..source.found.end as usize]
            .iter()
            .map(|f| reading.key(f))
            .collect();
        // Only lists that may expose someone: in To or Cc.
        if seen.field != Field::Bcc {
            for name in &seen.unresolved {
                if !unresolved.iter().any(|u| u == name) {
                    unresolved.push(name.to_string());
                }
            }
        }
        summaries.push(ListSummary {
            name: seen.name.to_string(),
            field: seen.field,
            members: members.len() as u32,
            nested: seen.nested,
            resolved: seen.unresolved.is_empty(),
        });
    }
    (summaries, unresolved)
}
