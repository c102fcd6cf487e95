//! Who already sees whom: the thread this message answers, and groups known to see each
//! other's addresses. A send exposes only what is new: a person whose address someone
//! would see who could not see it before.
//!
//! People who were all visible in a message written outside the sender's organisation
//! formed that group themselves; replying to them exposes nobody new. A message written
//! inside the organisation excuses nothing: repeating a leak is still a leak.

use crate::classify::Kind;
use crate::env::Env;
use crate::forward::{Added, Forwarded};
use crate::message::Message;
use crate::people::People;
use crate::policy::{Policy, Thresholds};
use crate::recipients::first_key;
use crate::rules::Exposure;
use crate::sender::Sender;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

/// The message this one answers, as the verdict reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Thread {
    /// Written outside the organisation: its visible people know each other.
    Outside,
    /// Written by the sender or a colleague: it excuses nothing.
    Inside,
}

/// In a conversation that formed itself, two private individuals newly shown to each
/// other warn: one of them is a stranger the user brought in (the issue's "the same reply
/// with a private individual added warns"), not a crowd that grew by itself.
const INTRODUCED_PRIVATE: u32 = 2;

/// Likewise someone added from an organisation new to such a conversation: its people's
/// addresses go to a company none of them wrote with (support copying another customer,
/// an agency another client).
const INTRODUCED_EXTERNAL: u32 = 2;

/// At most this many known groups are read, and this many addresses in all: the
/// extension hands over only the groups relevant to the send.
pub(crate) const MAX_GROUPS: usize = 2_000;
pub(crate) const MAX_MEMBERS: usize = 200_000;
/// The union of a person's groups is counted once per distinct set of groups; beyond
/// this much work (never reached by real mail) the rest counts as newly exposed.
pub(crate) const MAX_WORK: usize = 20_000_000;

/// The groups that apply to this send, as visible people.
pub(crate) struct Context {
    pub thread: Option<Thread>,
    /// Known groups with two or more visible people.
    pub groups_used: u32,
    /// Per group: its visible people (indices into `People::list`).
    members: Vec<Vec<u32>>,
    /// Per visible person: the groups they are in, ascending.
    pub of: Vec<Vec<u32>>,
    /// What a forwarded header shows, when the message carries one.
    pub forward: Option<Forwarded>,
    /// Someone new to the conversation and to every known group here, from outside the
    /// organisation, sees people of it from outside too: someone from a company none of
    /// them is at, or a private individual shown to the companies' people.
    stranger: Stranger,
}

/// Who [`Context::stranger`] found.
#[derive(Debug, Clone, Copy, Default)]
struct Stranger {
    company: bool,
    private: bool,
}

/// What [`Context::exposure`] finds.
pub(crate) struct Exposed {
    pub all: Exposure,
    /// Per visible person: whether someone would newly see them.
    pub newly: Vec<bool>,
    /// What the forwarded header alone exposes, which no move to Bcc can hide, and how
    /// many of its people someone would newly see.
    pub forwarded: Option<(Exposure, u32)>,
}

impl Context {
    pub(crate) fn of(
        message: &Message,
        people: &People<'_>,
        sender: &Sender<'_>,
        policy: &Policy,
        env: &Env<'_>,
    ) -> Self {
        let mut c = Context {
            thread: None,
            groups_used: 0,
            members: Vec::new(),
            // Filled in when the first group applies: most sends have none.
            of: Vec::new(),
            forward: Forwarded::of(message, people, sender, policy, env),
            stranger: Stranger::default(),
        };
        if let Some(related) = &message.related {
            let author = first_key(&related.author, env.text);
            let outside = author.as_deref().is_some_and(|a| {
                !sender.own.contains(a)
                    && sender.classifier.kind(crate::address::domain_of_key(a)) != Kind::Internal
            });
            c.thread = author.is_some().then_some(if outside {
                Thread::Outside
            } else {
                Thread::Inside
            });
            if outside {
                c.add(people, keys_of(related.texts(), env));
            }
        }
        let mut budget = MAX_MEMBERS;
        for group in message.known_groups.iter().take(MAX_GROUPS) {
            if group.len() > budget {
                break;
            }
            budget -= group.len();
            if c.add(people, keys_of(group.iter().map(String::as_str), env)) {
                c.groups_used += 1;
            }
        }
        c.stranger = c.stranger_in(people);
        c
    }

    /// Whether someone outside the organisation whom no group here holds joins people
    /// from outside it whom a group holds, and from where (see [`Context::stranger`]).
    /// Domains are compared whole: a company's other domain counts as another company.
    fn stranger_in(&self, people: &People<'_>) -> Stranger {
        let mut found = Stranger::default();
        if self.of.is_empty() {
            return found;
        }
        let outside = |p: usize| people.list[p].counted && people.list[p].kind != Kind::Internal;
        let known: Vec<usize> = (0..people.list.len())
            .filter(|&p| outside(p) && self.known(p))
            .collect();
        // The companies of the conversation; a private newcomer among private individuals
        // only is the private rule's already.
        let companies: FxHashSet<usize> = known
            .iter()
            .filter(|&&p| people.list[p].kind == Kind::External)
            .map(|&p| people.list[p].domain)
            .collect();
        if known.is_empty() {
            return found;
        }
        for p in (0..people.list.len()).filter(|&p| outside(p) && !self.known(p)) {
            match people.list[p].kind {
                Kind::Private => found.private |= !companies.is_empty(),
                _ => found.company |= !companies.contains(&people.list[p].domain),
            }
        }
        found
    }

    /// Adds a group if two or more of its people are visible; says whether it did.
    fn add(&mut self, people: &People<'_>, keys: Vec<String>) -> bool {
        let mut visible: Vec<u32> = keys
            .iter()
            .filter_map(|k| people.index.get(k.as_str()).map(|&i| i as u32))
            .collect();
        visible.sort_unstable();
        visible.dedup();
        if visible.len() < 2 {
            return false;
        }
        if self.of.is_empty() {
            self.of = vec![Vec::new(); people.list.len()];
        }
        let id = self.members.len() as u32;
        for &p in &visible {
            self.of[p as usize].push(id);
        }
        self.members.push(visible);
        true
    }

    /// The thresholds for this send: `general`, but in a thread written outside the
    /// organisation, to a known group, or when a forwarded header shows someone outside
    /// it to a new recipient outside it, the private rule fires from
    /// [`INTRODUCED_PRIVATE`]; and when a stranger joins such a conversation (see
    /// [`Context::stranger`]; a private one only while the private rule is on), the
    /// external rule fires from [`INTRODUCED_EXTERNAL`]. Never looser; a rule switched
    /// off stays off.
    pub(crate) fn thresholds(&self, general: Thresholds) -> Thresholds {
        // A forward brings in every recipient: what it forms is decided by who meets whom.
        let formed = match &self.forward {
            Some(forward) => forward.introduces() || self.groups_used > 0,
            None => self.thread == Some(Thread::Outside) || self.groups_used > 0,
        };
        let lower = |t: u32, to: u32| if formed && t > to { to } else { t };
        let private_on = general.private_threshold > 0;
        let stranger = self.stranger.company || (self.stranger.private && private_on);
        Thresholds {
            private_threshold: lower(general.private_threshold, INTRODUCED_PRIVATE),
            external_threshold: match general.external_threshold {
                t if stranger => lower(t, INTRODUCED_EXTERNAL),
                t => t,
            },
            ..general
        }
    }

    /// The thresholds once every recipient is in Bcc: no thread and no known group among
    /// visible people is left, only what a forwarded header introduces.
    pub(crate) fn bcc_thresholds(&self, general: Thresholds) -> Thresholds {
        match general.private_threshold {
            t if self.forward.as_ref().is_some_and(Forwarded::introduces)
                && t > INTRODUCED_PRIVATE =>
            {
                Thresholds {
                    private_threshold: INTRODUCED_PRIVATE,
                    ..general
                }
            }
            _ => general,
        }
    }

    /// Whether person `p` is in some group: they already know some of the others.
    pub(crate) fn known(&self, p: usize) -> bool {
        self.of.get(p).is_some_and(|groups| !groups.is_empty())
    }

    /// The groups person `p` is in, ascending.
    fn groups_of(&self, p: usize) -> &[u32] {
        self.of.get(p).map_or(&[], Vec::as_slice)
    }

    /// Who would newly be seen, and by whom: see [`Exposure`]. A colleague newly seeing
    /// a customer's address is the organisation seeing its own customer: only the
    /// audience rule, which counts everyone, counts that (a sensitive identity's low
    /// audience threshold is how colleagues shown to each other count there).
    pub(crate) fn exposure(&self, people: &People<'_>) -> Exposed {
        let list = &people.list;
        // Allowlisted people neither count nor matter as onlookers.
        let viewer = |q: usize| list[q].counted;
        let outside = |q: usize| viewer(q) && list[q].kind != Kind::Internal;
        let all_viewers = (0..list.len()).filter(|&q| viewer(q)).count();
        let all_outside = (0..list.len()).filter(|&q| outside(q)).count();

        // How many onlookers (anyone, outside) each distinct set of groups holds.
        let mut known: FxHashMap<&[u32], (usize, usize)> = FxHashMap::default();
        let mut mark = vec![u32::MAX; list.len()];
        let mut work = 0usize;
        for groups in self.of.iter().filter(|g| !g.is_empty()) {
            if known.contains_key(groups.as_slice()) {
                continue;
            }
            let stamp = known.len() as u32;
            let (mut anyone, mut outsiders) = (0, 0);
            for &g in groups {
                let members = &self.members[g as usize];
                work += members.len();
                for &q in members {
                    let q = q as usize;
                    if mark[q] != stamp {
                        mark[q] = stamp;
                        anyone += usize::from(viewer(q));
                        outsiders += usize::from(outside(q));
                    }
                }
            }
            // Out of budget: these people count as knowing nobody (the safe side).
            let counts = if work > MAX_WORK {
                (0, 0)
            } else {
                (anyone, outsiders)
            };
            known.insert(groups, counts);
        }

        let mut e = Exposure {
            // Allowlisted people are never counted by any rule, the hard limit included.
            visible: people.counts.visible - people.counts.allowed,
            ..Exposure::default()
        };
        let mut newly = vec![false; list.len()];
        let mut private_domains: FxHashSet<usize> = FxHashSet::default();
        let mut organisations: FxHashSet<usize> = FxHashSet::default();
        for (p, person) in list.iter().enumerate() {
            if !person.counted {
                continue;
            }
            // Onlookers who already see p: those sharing a group with p, p included.
            let groups = self.groups_of(p);
            let alone = (usize::from(viewer(p)), usize::from(outside(p)));
            let (k_any, k_out) = if groups.is_empty() {
                alone
            } else {
                known.get(groups).copied().unwrap_or(alone)
            };
            let seen_by_anyone = all_viewers > k_any.max(usize::from(viewer(p)));
            let seen_by_outsider = all_outside > k_out.max(usize::from(outside(p)));
            // A colleague shown to colleagues counts for the audience rule; anyone else
            // only when someone outside sees them.
            let counts = match person.kind {
                Kind::Internal => seen_by_anyone,
                _ => seen_by_outsider,
            };
            newly[p] = counts;
            e.people += u32::from(counts);
            if !seen_by_outsider {
                continue;
            }
            match person.kind {
                Kind::Internal => e.colleagues += 1,
                Kind::External => {
                    e.external += 1;
                    organisations.insert(person.domain);
                }
                Kind::Private => {
                    e.external += 1;
                    e.private += 1;
                    private_domains.insert(person.domain);
                }
            }
        }
        let forwarded = self.forward.as_ref().map(|f| {
            for added in f.added(&newly) {
                add(&mut e, &mut private_domains, &mut organisations, added);
            }
            let mut alone = Tally::default();
            for added in f.alone() {
                alone.add(added);
            }
            (alone.finish(), f.shown_count())
        });
        e.organisations = organisations.len() as u32;
        e.private_domains = private_domains.len() as u32;
        Exposed {
            all: e,
            newly,
            forwarded,
        }
    }
}

/// Counts one newly exposed person: a colleague for the audience rule, and when someone
/// outside the organisation sees them (`outside`), for the colleagues rule.
fn add(
    e: &mut Exposure,
    private_domains: &mut FxHashSet<usize>,
    organisations: &mut FxHashSet<usize>,
    (kind, domain, outside): Added,
) {
    e.people += 1;
    match kind {
        Kind::Internal => e.colleagues += u32::from(outside),
        Kind::External => {
            e.external += 1;
            organisations.extend(domain);
        }
        Kind::Private => {
            e.external += 1;
            e.private += 1;
            private_domains.extend(domain);
        }
    }
}

/// An [`Exposure`] being counted.
#[derive(Default)]
struct Tally {
    e: Exposure,
    private_domains: FxHashSet<usize>,
    organisations: FxHashSet<usize>,
}

impl Tally {
    fn add(&mut self, added: Added) {
        add(
            &mut self.e,
            &mut self.private_domains,
            &mut self.organisations,
            added,
        );
    }

    fn finish(mut self) -> Exposure {
        self.e.private_domains = self.private_domains.len() as u32;
        self.e.organisations = self.organisations.len() as u32;
        self.e
    }
}

/// The comparable address of every mailbox in `texts`.
pub(crate) fn keys_of<'a>(texts: impl Iterator<Item = &'a str>, env: &Env<'_>) -> Vec<String> {
    let mut keys = Vec::new();
    for text in texts {
        for entry in crate::address::parse_address_list(text, env.text) {
            for m in entry.mailboxes() {
                if !m.email.is_empty() {
                    keys.push(crate::address::normalized_address(&m.email, env.text));
                }
            }
        }
    }
    keys
}
