//! The people of To and Cc: everyone there receives the full list of them, so these are
//! the people who could see each other's addresses.

use crate::classify::Kind;
use crate::policy::Policy;
use crate::recipients::Reading;
use crate::sender::Sender;
use crate::verdict::{Counts, Field};
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::hash_map::Entry;

/// One visible person: the first mailbox of To/Cc with their address.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Person {
    /// Their first mailbox in [`Reading::found`].
    pub found: usize,
    pub kind: Kind,
    /// Not on an allowlist: the rules count them.
    pub counted: bool,
    /// Their domain in [`People::domains`].
    pub domain: usize,
}

/// One domain of the visible people.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Domain<'r> {
    /// Its comparable form.
    pub name: &'r str,
    pub kind: Kind,
    pub count: u32,
    /// The first of its people, whose address shows it as the user wrote it.
    pub first: usize,
}

pub(crate) struct People<'r> {
    /// In message order.
    pub list: Vec<Person>,
    /// By comparable address.
    pub index: FxHashMap<&'r str, usize>,
    pub counts: Counts,
    /// The mailboxes of Bcc (never visible), by comparable address.
    pub in_bcc: FxHashSet<&'r str>,
    /// Those of them reached through an allowlisted list: never counted, even as people
    /// who see a forwarded header.
    pub bcc_allowed: FxHashSet<&'r str>,
    /// In order of first appearance.
    pub domains: Vec<Domain<'r>>,
}

/// The distinct people of To and Cc (lists expanded), the user's own addresses left out.
pub(crate) fn visible<'r>(
    reading: &'r Reading<'_>,
    sender: &Sender<'_>,
    policy: &Policy,
) -> People<'r> {
    let allowed: FxHashSet<&str> = policy
        .allowed_addresses
        .iter()
        .map(String::as_str)
        .collect();
    let mut people = People {
        list: Vec::with_capacity(reading.found.len()),
        index: FxHashMap::with_capacity_and_hasher(reading.found.len(), Default::default()),
        counts: Counts::default(),
        in_bcc: FxHashSet::default(),
        bcc_allowed: FxHashSet::default(),
        domains: Vec::new(),
    };
    let mut domain_index: FxHashMap<&str, usize> = FxHashMap::default();
    for (i, found) in reading.found.iter().enumerate() {
        let key = reading.key(found);
        if found.field == Field::Bcc {
            if people.in_bcc.insert(key) && !sender.own.contains(key) {
                people.counts.bcc += 1;
            }
            if found.allowed {
                people.bcc_allowed.insert(key);
            }
            continue;
        }
        if sender.own.contains(key) {
            continue;
        }
        match people.index.entry(key) {
            Entry::Occupied(_) => continue, // seen before: each person counts once
            Entry::Vacant(slot) => {
                slot.insert(people.list.len());
            }
        }
        let name = reading.domain(found);
        let d = *domain_index.entry(name).or_insert_with(|| {
            people.domains.push(Domain {
                name,
                kind: sender.classifier.kind(name),
                count: 0,
                first: i,
            });
            people.domains.len() - 1
        });
        let domain = &mut people.domains[d];
        domain.count += 1;
        let kind = domain.kind;
        let counted =
            !(found.allowed || sender.classifier.allowed_domain(name) || allowed.contains(key));
        people.list.push(Person {
            found: i,
            kind,
            counted,
            domain: d,
        });
        let c = &mut people.counts;
        c.visible += 1;
        match found.field {
            Field::To => c.to += 1,
            _ => c.cc += 1,
        }
        match kind {
            Kind::Internal => c.internal += 1,
            Kind::External => c.external += 1,
            Kind::Private => {
                c.external += 1;
                c.private += 1;
            }
        }
        c.allowed += u32::from(!counted);
    }
    people
}
