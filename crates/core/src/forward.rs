//! A forward shows the forwarded message's header (its From, To and Cc) to everyone it
//! is sent to, Bcc included: Bcc hides recipients from each other, not what the message
//! quotes. Thunderbird writes that header into an inline forward and attaches it whole
//! to a forward as attachment; a redirect resends the message as it was.
//!
//! Someone in that header is newly seen by every recipient who was not on it. The people
//! of the header count like visible people; when the header hands a private
//! individual's address to another private individual, the recipient counts too: two
//! people introduced, as when someone is added to a thread.

use crate::classify::Kind;
use crate::context::keys_of;
use crate::env::Env;
use crate::message::Message;
use crate::people::People;
use crate::policy::Policy;
use crate::sender::Sender;
use rustc_hash::{FxHashMap, FxHashSet};

/// Someone on either side of the header: its kind, domain slot, and index in
/// `People::list` when a visible recipient.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Party {
    kind: Kind,
    domain: usize,
    visible: Option<usize>,
}

/// Who the forwarded header shows, and to whom.
pub(crate) struct Forwarded {
    /// The counted people of the header (the user's own and allowlisted ones left out).
    shown: Vec<Party>,
    /// The counted recipients, in To, Cc or Bcc, who were not on the forwarded message:
    /// each sees its header for the first time.
    seers: Vec<Party>,
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
        let in_header: FxHashSet<String> = keys_of(related.texts(), env).into_iter().collect();
        let allowed: FxHashSet<&str> = policy
            .allowed_addresses
            .iter()
            .map(String::as_str)
            .collect();

        // Kind, allowlisted and slot of each domain outside `people.domains`, worked out
        // once: a forward to 10,000 people in Bcc classifies each of their domains once.
        let mut others: FxHashMap<String, (Kind, bool, usize)> = FxHashMap::default();
        let mut domain = |key: &str| -> (Kind, bool, usize) {
            let name = crate::address::domain_of_key(key);
            if let Some(&info) = others.get(name) {
                return info;
            }
            let info = (
                sender.classifier.kind(name),
                sender.classifier.allowed_domain(name),
                people.domains.len() + others.len(),
            );
            others.insert(name.to_owned(), info);
            info
        };

        let mut f = Forwarded {
            shown: Vec::new(),
            seers: Vec::new(),
        };
        for (&key, &p) in &people.index {
            let person = &people.list[p];
            if person.counted && !in_header.contains(key) {
                f.seers.push(Party {
                    kind: person.kind,
                    domain: person.domain,
                    visible: Some(p),
                });
            }
        }
        for &key in &people.in_bcc {
            let skip = in_header.contains(key)
                || people.index.contains_key(key)
                || people.bcc_allowed.contains(key)
                || sender.own.contains(key)
                || allowed.contains(key);
            if skip {
                continue;
            }
            let (kind, allowed_domain, slot) = domain(key);
            if !allowed_domain {
                f.seers.push(Party {
                    kind,
                    domain: slot,
                    visible: None,
                });
            }
        }
        for key in &in_header {
            if let Some(&p) = people.index.get(key.as_str()) {
                let person = &people.list[p];
                if person.counted {
                    f.shown.push(Party {
                        kind: person.kind,
                        domain: person.domain,
                        visible: Some(p),
                    });
                }
                continue;
            }
            if sender.own.contains(key) || allowed.contains(key.as_str()) {
                continue;
            }
            let (kind, allowed_domain, slot) = domain(key);
            if !allowed_domain {
                f.shown.push(Party {
                    kind,
                    domain: slot,
                    visible: None,
                });
            }
        }
        Some(f)
    }

    /// Whether the header shows a private individual to a new recipient who is one too:
    /// the forward introduces two private individuals, as adding one to a thread does.
    pub(crate) fn introduces(&self) -> bool {
        let private = |p: &Party| p.kind == Kind::Private;
        self.seers.iter().any(private) && self.shown.iter().any(private)
    }

    /// Whether a person of the header of `kind` is newly seen: a colleague by anyone new,
    /// anyone else by someone new outside the organisation. `bcc_only` counts only the
    /// recipients in Bcc, whom the usual rules never count as onlookers.
    fn reached(&self, kind: Kind, bcc_only: bool) -> bool {
        self.seers.iter().any(|s| {
            (!bcc_only || s.visible.is_none())
                && (kind == Kind::Internal || s.kind != Kind::Internal)
        })
    }

    /// The private recipients the header introduces (see [`Self::introduces`]).
    fn introduced(&self) -> impl Iterator<Item = &Party> {
        let introduces = self.introduces();
        self.seers
            .iter()
            .filter(move |s| introduces && s.kind == Kind::Private)
    }

    /// How many people of the header someone would newly see.
    pub(crate) fn shown_count(&self) -> u32 {
        self.shown
            .iter()
            .filter(|h| self.reached(h.kind, false))
            .count() as u32
    }

    /// What the header adds to the usual count, as `(kind, domain slot)`: each person of
    /// it newly seen whom the usual rules (`newly`) do not count already, then the
    /// private recipients it introduces.
    pub(crate) fn added<'a>(
        &'a self,
        newly: &'a [bool],
    ) -> impl Iterator<Item = (Kind, usize)> + 'a {
        let not_counted = move |p: &Party| p.visible.map_or(true, |v| !newly[v]);
        let shown = self
            .shown
            .iter()
            .filter(move |h| not_counted(h) && self.reached(h.kind, h.visible.is_some()));
        shown
            .chain(self.introduced().filter(move |s| not_counted(s)))
            .map(|p| (p.kind, p.domain))
    }

    /// What stays once every recipient is in Bcc, as `(kind, domain slot)`: everyone of
    /// the header someone new sees, and the private recipients it introduces.
    pub(crate) fn alone(&self) -> impl Iterator<Item = (Kind, usize)> + '_ {
        self.shown
            .iter()
            .filter(|h| self.reached(h.kind, false))
            .chain(self.introduced())
            .map(|p| (p.kind, p.domain))
    }
}
