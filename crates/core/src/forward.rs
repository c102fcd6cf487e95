//! A forward shows the forwarded message's header (its From, To and Cc) to everyone it
//! is sent to, Bcc included: Bcc hides recipients from each other, not what the message
//! quotes. Thunderbird writes that header into an inline forward and attaches it whole
//! to a forward as attachment; a redirect resends the message as it was.
//!
//! Someone in that header is newly seen by every recipient who was not on it, unless a
//! known group holds both (they know each other already). The people of the header count
//! like visible people. When the header hands a private individual's address to someone
//! outside the organisation, the recipient counts too: two people introduced, as when
//! someone is added to a thread. Each private recipient counts so, and one company's at
//! most: a customer's mail sent on to nine firms in Bcc gives one address to each firm,
//! it does not show ten people to each other.

use crate::classify::Kind;
use crate::context::{keys_of, MAX_GROUPS, MAX_MEMBERS, MAX_WORK};
use crate::env::Env;
use crate::message::Message;
use crate::people::People;
use crate::policy::Policy;
use crate::sender::Sender;
use rustc_hash::{FxHashMap, FxHashSet};

/// Someone on either side of the header: its kind, domain slot, index in `People::list`
/// when a visible recipient, and the known groups it is in (an index into
/// `Forwarded::groups`) when any.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Party {
    kind: Kind,
    domain: usize,
    visible: Option<usize>,
    groups: Option<u32>,
}

/// Who the forwarded header shows, and to whom.
pub(crate) struct Forwarded {
    /// The counted people of the header (the user's own and allowlisted ones left out).
    shown: Vec<Party>,
    /// The counted recipients, in To, Cc or Bcc, who were not on the forwarded message:
    /// each sees its header for the first time.
    seers: Vec<Party>,
    /// The known groups of each party in any, ascending.
    groups: Vec<Vec<u32>>,
    /// Per person of `shown`: who new sees them.
    reached: Vec<Reach>,
    /// Per seer: someone outside the organisation the header shows a private individual
    /// who is no acquaintance of theirs.
    introduced: Vec<bool>,
}

/// Someone a forward adds to the count: their kind, their domain slot, and whether
/// someone outside the organisation sees them. The slot is `None` for a company's
/// recipient introduced to a private individual: one more person outside who gets
/// their address, not one more organisation shown to the others (`externalOrganisations`
/// counts those).
pub(crate) type Added = (Kind, Option<usize>, bool);

/// Who new sees a person of the header: anyone, someone outside the organisation, and
/// each of those among the recipients in Bcc (the usual rules never count Bcc recipients
/// as onlookers, so for a visible person only they add anything).
#[derive(Debug, Clone, Copy, Default)]
struct Reach {
    anyone: bool,
    outside: bool,
    in_bcc: bool,
    outside_in_bcc: bool,
}

/// Per address, the known groups (by position) that hold it, within the limits the
/// thread's context reads them under.
fn group_index(message: &Message, env: &Env<'_>) -> FxHashMap<String, Vec<u32>> {
    let mut index: FxHashMap<String, Vec<u32>> = FxHashMap::default();
    let mut budget = MAX_MEMBERS;
    for (g, group) in message.known_groups.iter().take(MAX_GROUPS).enumerate() {
        if group.len() > budget {
            break;
        }
        budget -= group.len();
        for key in keys_of(group.iter().map(String::as_str), env) {
            let of = index.entry(key).or_default();
            if of.last() != Some(&(g as u32)) {
                of.push(g as u32);
            }
        }
    }
    index
}

/// Whether two ascending lists share an element.
fn intersect(a: &[u32], b: &[u32]) -> bool {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => return true,
        }
    }
    false
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
        // Most forwards have no known group: then nobody is looked up.
        let index = if message.known_groups.is_empty() {
            FxHashMap::default()
        } else {
            group_index(message, env)
        };
        let mut groups: Vec<Vec<u32>> = Vec::new();
        let mut groups_of = |key: &str| -> Option<u32> {
            groups.push(index.get(key)?.clone());
            Some(groups.len() as u32 - 1)
        };

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

        let (mut shown, mut seers) = (Vec::new(), Vec::new());
        for (&key, &p) in &people.index {
            let person = &people.list[p];
            if person.counted && !in_header.contains(key) {
                seers.push(Party {
                    kind: person.kind,
                    domain: person.domain,
                    visible: Some(p),
                    groups: groups_of(key),
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
                seers.push(Party {
                    kind,
                    domain: slot,
                    visible: None,
                    groups: groups_of(key),
                });
            }
        }
        for key in &in_header {
            if let Some(&p) = people.index.get(key.as_str()) {
                let person = &people.list[p];
                if person.counted {
                    shown.push(Party {
                        kind: person.kind,
                        domain: person.domain,
                        visible: Some(p),
                        groups: groups_of(key),
                    });
                }
                continue;
            }
            if sender.own.contains(key) || allowed.contains(key.as_str()) {
                continue;
            }
            let (kind, allowed_domain, slot) = domain(key);
            if !allowed_domain {
                shown.push(Party {
                    kind,
                    domain: slot,
                    visible: None,
                    groups: groups_of(key),
                });
            }
        }
        let mut f = Forwarded {
            shown,
            seers,
            groups,
            reached: Vec::new(),
            introduced: Vec::new(),
        };
        f.settle();
        Some(f)
    }

    /// Works out, once, who of the header someone new sees and whom it introduces. A
    /// colleague of the header is newly seen by anyone new, anyone else by someone new
    /// outside the organisation; never by someone they share a known group with.
    fn settle(&mut self) {
        let mut work = 0usize;
        let groups = &self.groups;
        // Beyond the work budget (never reached by real mail) nobody counts as known.
        let mut know = |a: &Party, b: &Party| match (a.groups, b.groups) {
            (Some(x), Some(y)) => {
                let (x, y) = (&groups[x as usize], &groups[y as usize]);
                work += x.len() + y.len();
                work <= MAX_WORK && (x == y || intersect(x, y))
            }
            _ => false,
        };
        for h in &self.shown {
            let mut r = Reach::default();
            for s in &self.seers {
                if (h.kind == Kind::Internal || s.kind != Kind::Internal) && !know(h, s) {
                    let outside = s.kind != Kind::Internal;
                    let in_bcc = s.visible.is_none();
                    r.anyone = true;
                    r.outside |= outside;
                    r.in_bcc |= in_bcc;
                    r.outside_in_bcc |= outside && in_bcc;
                    // Only a visible recipient's Bcc onlookers are asked for (`added`).
                    if r.outside_in_bcc || (h.visible.is_none() && r.outside) {
                        break;
                    }
                }
            }
            self.reached.push(r);
        }
        let private = |p: &Party| p.kind == Kind::Private;
        for s in &self.seers {
            let introduced =
                s.kind != Kind::Internal && self.shown.iter().any(|h| private(h) && !know(h, s));
            self.introduced.push(introduced);
        }
    }

    /// Whether the header shows a private individual to a new recipient outside the
    /// organisation, and no acquaintance: the forward introduces the two, as adding
    /// someone to a thread does. A private individual's mail sent on to a lawyer hands
    /// the lawyer their address: two people, where a sensitive identity warns.
    pub(crate) fn introduces(&self) -> bool {
        self.introduced.iter().any(|&i| i)
    }

    /// The recipients the header introduces (see [`Self::introduces`]).
    fn introduced(&self) -> impl Iterator<Item = &Party> {
        self.seers
            .iter()
            .zip(&self.introduced)
            .filter(|(_, &i)| i)
            .map(|(s, _)| s)
    }

    /// The introduced recipients as they count: each private one that `counted` (the usual
    /// rules) does not count already, and one company's at most, none when the usual rules
    /// count one already.
    fn introduced_counting<'a>(
        &'a self,
        counted: impl Fn(&Party) -> bool + 'a,
    ) -> impl Iterator<Item = &'a Party> + 'a {
        let company = || self.introduced().filter(|s| s.kind != Kind::Private);
        let company = match company().any(&counted) {
            true => None,
            false => company().next(),
        };
        self.introduced()
            .filter(move |s| s.kind == Kind::Private && !counted(s))
            .chain(company)
    }

    /// The people of the header someone new sees.
    fn reached(&self) -> impl Iterator<Item = (&Party, &Reach)> {
        self.shown
            .iter()
            .zip(&self.reached)
            .filter(|(_, r)| r.anyone)
    }

    /// How many people of the header someone would newly see.
    pub(crate) fn shown_count(&self) -> u32 {
        self.reached().count() as u32
    }

    /// What the header adds to the usual count: each person of it newly seen whom the
    /// usual rules (`newly`) do not count already, then the recipients it introduces.
    pub(crate) fn added<'a>(&'a self, newly: &'a [bool]) -> impl Iterator<Item = Added> + 'a {
        let not_counted = move |p: &Party| p.visible.map_or(true, |v| !newly[v]);
        let shown = self
            .shown
            .iter()
            .zip(&self.reached)
            .filter(move |(h, _)| not_counted(h))
            .filter_map(|(h, r)| match h.visible {
                Some(_) => r.in_bcc.then_some((h, r.outside_in_bcc)),
                None => r.anyone.then_some((h, r.outside)),
            });
        shown
            .map(|(h, outside)| (h.kind, Some(h.domain), outside))
            .chain(
                self.introduced_counting(move |s| !not_counted(s))
                    .map(Self::as_introduced),
            )
    }

    /// What stays once every recipient is in Bcc, as in [`Self::added`]: everyone of the
    /// header someone new sees, and the recipients it introduces.
    pub(crate) fn alone(&self) -> impl Iterator<Item = Added> + '_ {
        self.reached()
            .map(|(h, r)| (h.kind, Some(h.domain), r.outside))
            .chain(self.introduced_counting(|_| false).map(Self::as_introduced))
    }

    fn as_introduced(s: &Party) -> Added {
        let domain = (s.kind == Kind::Private).then_some(s.domain);
        (s.kind, domain, true)
    }
}
