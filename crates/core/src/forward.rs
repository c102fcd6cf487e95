//! A forward shows the forwarded message's header (its From, To and Cc) to everyone it
//! is sent to, Bcc included: Bcc hides recipients from each other, not what the message
//! quotes. Thunderbird writes that header into an inline forward and attaches it whole
//! to a forward as attachment; a redirect resends the message as it was.
//!
//! Someone in that header is newly seen by every recipient who was not in it. The people
//! of the header are counted like visible people, and so are the recipients outside the
//! organisation who newly see one of them from outside it: a private individual handed a
//! stranger's address is one of two people shown to each other, as on a Cc line.

use crate::classify::Kind;
use crate::context::keys_of;
use crate::env::Env;
use crate::message::Message;
use crate::people::People;
use crate::policy::Policy;
use crate::sender::Sender;
use rustc_hash::{FxHashMap, FxHashSet};

/// A recipient outside the organisation who was not in the forwarded header.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Seer {
    kind: Kind,
    domain: usize,
    /// Their index in `People::list` when visible (the usual rules may count them
    /// already); `None` in Bcc, where only the header shows them anything.
    visible: Option<usize>,
}

/// Who the forwarded header shows, and to whom.
pub(crate) struct Forwarded {
    /// The counted people of the header who are not visible recipients themselves (the
    /// usual rules judge those): their kind and domain slot.
    pub shown: Vec<(Kind, usize)>,
    /// Counted recipients who were not in the header.
    pub new_seers: usize,
    /// Those of them outside the organisation.
    pub outside_seers: Vec<Seer>,
}

impl Forwarded {
    /// What the header shows to whom, when this message carries one.
    ///
    /// Domain slots continue `people.domains`: a domain no visible recipient has gets
    /// the next free slot, so the rules count distinct domains across both.
    pub(crate) fn of(
        message: &Message,
        people: &People<'_>,
        sender: &Sender<'_>,
        policy: &Policy,
        env: &Env<'_>,
    ) -> Option<Self> {
        if !message.carries_related_header() {
            return None;
        }
        let related = message.related.as_ref()?;
        let texts = std::iter::once(related.author.as_str())
            .chain(related.to.iter())
            .chain(related.cc.iter());
        let in_header: FxHashSet<String> = keys_of(texts, env).into_iter().collect();

        let visible_slots: FxHashMap<&str, usize> = people
            .domains
            .iter()
            .enumerate()
            .map(|(i, d)| (d.name, i))
            .collect();
        let mut new_slots: FxHashMap<String, usize> = FxHashMap::default();
        let mut slot_of = |domain: &str| match visible_slots.get(domain) {
            Some(&s) => s,
            None => {
                let next = people.domains.len() + new_slots.len();
                *new_slots.entry(domain.to_owned()).or_insert(next)
            }
        };
        let counted = |key: &str| {
            !(policy.allowed_addresses.iter().any(|a| a == key)
                || sender
                    .classifier
                    .allowed_domain(crate::address::domain_of_key(key)))
        };

        let mut f = Forwarded {
            shown: Vec::new(),
            new_seers: 0,
            outside_seers: Vec::new(),
        };
        for (&key, &p) in &people.index {
            let person = &people.list[p];
            if in_header.contains(key) || !person.counted {
                continue;
            }
            f.new_seers += 1;
            if person.kind != Kind::Internal {
                f.outside_seers.push(Seer {
                    kind: person.kind,
                    domain: person.domain,
                    visible: Some(p),
                });
            }
        }
        for &key in &people.in_bcc {
            if in_header.contains(key) || sender.own.contains(key) || !counted(key) {
                continue;
            }
            let domain = crate::address::domain_of_key(key);
            let kind = sender.classifier.kind(domain);
            f.new_seers += 1;
            if kind != Kind::Internal {
                f.outside_seers.push(Seer {
                    kind,
                    domain: slot_of(domain),
                    visible: None,
                });
            }
        }
        for key in &in_header {
            let visible = people.index.contains_key(key.as_str());
            if visible || sender.own.contains(key) || !counted(key) {
                continue;
            }
            let domain = crate::address::domain_of_key(key);
            f.shown
                .push((sender.classifier.kind(domain), slot_of(domain)));
        }
        Some(f)
    }

    /// Whether the header shows a private individual to a new recipient who is one too:
    /// the forward introduces two private individuals, as adding one to a thread does.
    pub(crate) fn introduces(&self) -> bool {
        self.outside_seers.iter().any(|s| s.kind == Kind::Private)
            && self.shown.iter().any(|&(k, _)| k == Kind::Private)
    }
}

impl Forwarded {
    /// The people of the header someone new would see, as `(kind, domain slot)`: a
    /// colleague seen by anyone new, anyone else by someone new outside.
    pub(crate) fn newly_shown(&self) -> impl Iterator<Item = (Kind, usize)> + '_ {
        let seen_by_anyone = self.new_seers > 0;
        let seen_by_outsider = !self.outside_seers.is_empty();
        self.shown
            .iter()
            .copied()
            .filter(move |&(kind, _)| match kind {
                Kind::Internal => seen_by_anyone,
                _ => seen_by_outsider,
            })
    }

    /// When the header [introduces](Self::introduces) private individuals, the new
    /// recipients outside the organisation, who count as shown to them: `(kind, domain
    /// slot, counted already)`, `newly` saying which visible ones the usual rules count.
    pub(crate) fn introduced<'a>(
        &'a self,
        newly: &'a [bool],
    ) -> impl Iterator<Item = (Kind, usize, bool)> + 'a {
        let introduces = self.introduces();
        self.outside_seers
            .iter()
            .filter(move |_| introduces)
            .map(move |s| (s.kind, s.domain, s.visible.is_some_and(|p| newly[p])))
    }
}
