//! Reads settings leniently, so that a malformed value (typed by a user, or pushed by an
//! admin to 5,000 desktops) never switches the protection off: a bad key keeps its safe
//! default, a bad entry of a list is dropped alone, and each refusal is reported.

use super::{Policy, ThresholdOverrides, Thresholds};
use crate::address::{normalize_domain, normalized_address, push_lower};
use crate::domains::DomainPattern;
use crate::value::Value;
use serde::Serialize;

/// Entries kept per list: a longer list is a mistake, and each entry costs every send.
const MAX_LIST: usize = 1000;

/// The policy in force after reading settings, and what was refused on the way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PolicyReading {
    pub policy: Policy,
    pub rejected: Vec<Rejection>,
}

/// One refused setting: its key (`internalDomains[2]`, `identities.ann@x.threshold`…),
/// the value as given (briefly) and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rejection {
    pub key: String,
    pub value: String,
    pub reason: String,
}

impl Rejection {
    fn new(key: &str, value: &Value, reason: &str) -> Self {
        Rejection {
            key: key.to_owned(),
            value: value.describe(),
            reason: reason.to_owned(),
        }
    }
}

const NUMBER_REASON: &str = "must be a whole number from 0 (off) to 100000";

impl Policy {
    /// Reads settings key by key. Keys CcGuard does not know are ignored (they may
    /// belong to a newer version); known keys with a bad value keep their default.
    pub fn read(settings: &Value) -> PolicyReading {
        let mut r = PolicyReading {
            policy: Policy::default(),
            rejected: Vec::new(),
        };
        let entries = match settings {
            Value::Map(entries) => entries,
            Value::Null => return r,
            other => {
                r.rejected.push(Rejection::new(
                    "",
                    other,
                    "the settings must be an object of named keys",
                ));
                return r;
            }
        };
        // Version 1 had one threshold, on everyone visible; its closest successor is
        // the external rule. An explicit `externalThreshold` wins.
        let has_external = entries.iter().any(|(k, _)| k == "externalThreshold");
        for (key, value) in entries {
            let p = &mut r.policy;
            let rejected = &mut r.rejected;
            match key.as_str() {
                "threshold" if !has_external => {
                    number(key, value, &mut p.thresholds.external_threshold, rejected)
                }
                "internalDomains" => p.internal_domains = patterns(key, value, rejected),
                "allowedDomains" => p.allowed_domains = patterns(key, value, rejected),
                "privateDomains" => p.private_domains = list(key, value, rejected, domain),
                "notPrivateDomains" => p.not_private_domains = list(key, value, rejected, domain),
                "allowedAddresses" => p.allowed_addresses = list(key, value, rejected, address),
                "allowedLists" => p.allowed_lists = list(key, value, rejected, list_name),
                "identities" => p.identities = identities(value, rejected),
                _ => {
                    if let Some(slot) = threshold_slot(&mut p.thresholds, key) {
                        number(key, value, slot, rejected);
                    }
                }
            }
        }
        r
    }
}

fn threshold_slot<'t>(t: &'t mut Thresholds, key: &str) -> Option<&'t mut u32> {
    Some(match key {
        "privateThreshold" => &mut t.private_threshold,
        "externalThreshold" => &mut t.external_threshold,
        "organisationThreshold" => &mut t.organisation_threshold,
        "audienceThreshold" => &mut t.audience_threshold,
        "hardLimit" => &mut t.hard_limit,
        _ => return None,
    })
}

fn number(key: &str, value: &Value, slot: &mut u32, rejected: &mut Vec<Rejection>) {
    match value {
        Value::Number(n) if n.fract() == 0.0 && *n >= 0.0 && *n <= f64::from(Thresholds::MAX) => {
            *slot = *n as u32
        }
        _ => rejected.push(Rejection::new(key, value, NUMBER_REASON)),
    }
}

/// A list of strings, each read by `entry` (which says why it refuses one).
fn list(
    key: &str,
    value: &Value,
    rejected: &mut Vec<Rejection>,
    entry: fn(&str) -> Result<String, &'static str>,
) -> Vec<String> {
    let Value::List(items) = value else {
        rejected.push(Rejection::new(key, value, "must be a list of strings"));
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let at = || format!("{key}[{i}]");
        if out.len() == MAX_LIST {
            rejected.push(Rejection::new(
                &at(),
                item,
                "too many entries (at most 1000)",
            ));
            break;
        }
        match item {
            Value::String(s) => match entry(s.trim()) {
                Ok(v) => out.push(v),
                Err(why) => rejected.push(Rejection::new(&at(), item, why)),
            },
            _ => rejected.push(Rejection::new(&at(), item, "must be a string")),
        }
    }
    out
}

fn patterns(key: &str, value: &Value, rejected: &mut Vec<Rejection>) -> Vec<DomainPattern> {
    let texts = list(key, value, rejected, DomainPattern::normalize);
    texts
        .into_iter()
        .map(DomainPattern::from_normalized)
        .collect()
}

fn domain(s: &str) -> Result<String, &'static str> {
    let s = s.strip_prefix('@').unwrap_or(s);
    if DomainPattern::is_domain(s) {
        Ok(normalize_domain(s))
    } else {
        Err("must be a domain name such as example.org")
    }
}

fn address(s: &str) -> Result<String, &'static str> {
    match s.rsplit_once('@') {
        Some((local, d)) if !local.is_empty() && DomainPattern::is_domain(d) => {
            Ok(normalized_address(s))
        }
        _ => Err("must be an e-mail address such as all-staff@example.org"),
    }
}

fn list_name(s: &str) -> Result<String, &'static str> {
    if s.is_empty() {
        return Err("must not be empty");
    }
    Ok(fold(s))
}

/// List names compare without regard to case.
pub(crate) fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_lower(&mut out, s.trim());
    out
}

/// `{"ann@x.example": {"privateThreshold": 2, …}, …}`.
fn identities(value: &Value, rejected: &mut Vec<Rejection>) -> Vec<(String, ThresholdOverrides)> {
    let Value::Map(entries) = value else {
        rejected.push(Rejection::new(
            "identities",
            value,
            "must be an object of e-mail addresses",
        ));
        return Vec::new();
    };
    let mut out = Vec::new();
    for (addr, settings) in entries.iter().take(MAX_LIST) {
        let at = format!("identities.{addr}");
        let Ok(addr) = address(addr.trim()) else {
            rejected.push(Rejection::new(
                &at,
                settings,
                "must be keyed by an e-mail address",
            ));
            continue;
        };
        let Value::Map(keys) = settings else {
            rejected.push(Rejection::new(
                &at,
                settings,
                "must be an object of thresholds",
            ));
            continue;
        };
        // Read onto the general values, then keep only what this identity sets.
        let mut t = Thresholds::DEFAULT;
        let mut o = ThresholdOverrides::default();
        for (key, v) in keys {
            let Some(slot) = threshold_slot(&mut t, key) else {
                continue;
            };
            let before = rejected.len();
            number(&format!("{at}.{key}"), v, slot, rejected);
            if rejected.len() == before {
                let n = Some(*slot);
                match key.as_str() {
                    "privateThreshold" => o.private_threshold = n,
                    "externalThreshold" => o.external_threshold = n,
                    "organisationThreshold" => o.organisation_threshold = n,
                    "audienceThreshold" => o.audience_threshold = n,
                    _ => o.hard_limit = n,
                }
            }
        }
        out.push((addr, o));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(entries: &[(&str, Value)]) -> Value {
        Value::Map(
            entries
                .iter()
                .map(|(k, v)| ((*k).to_owned(), v.clone()))
                .collect(),
        )
    }

    fn strings(items: &[&str]) -> Value {
        Value::List(items.iter().map(|s| Value::String((*s).into())).collect())
    }

    #[test]
    fn a_valid_threshold_is_taken() {
        let r = Policy::read(&settings(&[("privateThreshold", Value::Number(3.0))]));
        assert_eq!(r.policy.thresholds.private_threshold, 3);
        assert!(r.rejected.is_empty());
    }

    #[test]
    fn the_version_1_threshold_becomes_the_external_threshold() {
        let r = Policy::read(&settings(&[("threshold", Value::Number(25.0))]));
        assert_eq!(r.policy.thresholds.external_threshold, 25);
        let r = Policy::read(&settings(&[
            ("threshold", Value::Number(25.0)),
            ("externalThreshold", Value::Number(7.0)),
        ]));
        assert_eq!(r.policy.thresholds.external_threshold, 7);
    }

    #[test]
    fn a_malformed_threshold_keeps_the_default_and_says_why() {
        for bad in [
            Value::String("ten".into()),
            Value::Number(-1.0),
            Value::Number(2.5),
            Value::Number(1e9),
            Value::Number(f64::NAN),
            Value::Null,
            Value::Bool(true),
            Value::List(vec![]),
        ] {
            let r = Policy::read(&settings(&[("hardLimit", bad.clone())]));
            assert_eq!(r.policy, Policy::default(), "{bad:?}");
            assert_eq!(r.rejected.len(), 1, "{bad:?}");
            assert_eq!(r.rejected[0].key, "hardLimit");
            assert!(r.rejected[0].reason.contains("whole number"));
        }
    }

    #[test]
    fn a_bad_entry_of_a_list_is_dropped_alone() {
        let r = Policy::read(&settings(&[(
            "internalDomains",
            Value::List(vec![
                Value::String("*.Example.ORG".into()),
                Value::Number(3.0),
                Value::String("not a domain".into()),
                Value::String("partner.example".into()),
            ]),
        )]));
        let kept: Vec<String> = r
            .policy
            .internal_domains
            .iter()
            .map(|p| p.to_string())
            .collect();
        assert_eq!(kept, ["*.example.org", "partner.example"]);
        let keys: Vec<&str> = r.rejected.iter().map(|x| x.key.as_str()).collect();
        assert_eq!(keys, ["internalDomains[1]", "internalDomains[2]"]);
    }

    #[test]
    fn addresses_and_list_names_are_compared_in_one_form() {
        let r = Policy::read(&settings(&[
            (
                "allowedAddresses",
                strings(&["All-Staff@Example.ORG", "nobody"]),
            ),
            ("allowedLists", strings(&[" All Staff ", ""])),
        ]));
        assert_eq!(r.policy.allowed_addresses, ["all-staff@example.org"]);
        assert_eq!(r.policy.allowed_lists, ["all staff"]);
        assert_eq!(r.rejected.len(), 2);
    }

    #[test]
    fn an_identity_overrides_only_the_thresholds_it_sets() {
        let r = Policy::read(&settings(&[
            ("externalThreshold", Value::Number(20.0)),
            (
                "identities",
                settings(&[(
                    "Support@Shop.example",
                    settings(&[
                        ("privateThreshold", Value::Number(2.0)),
                        ("hardLimit", Value::String("x".into())),
                    ]),
                )]),
            ),
        ]));
        let p = &r.policy;
        let t = p.thresholds_for(Some("support@shop.example"));
        assert_eq!((t.private_threshold, t.external_threshold), (2, 20));
        assert_eq!(t.hard_limit, Thresholds::DEFAULT.hard_limit);
        assert_eq!(p.thresholds_for(Some("other@shop.example")), p.thresholds);
        assert_eq!(r.rejected.len(), 1);
        assert_eq!(
            r.rejected[0].key,
            "identities.Support@Shop.example.hardLimit"
        );
    }

    #[test]
    fn unknown_keys_are_ignored_for_newer_versions() {
        let r = Policy::read(&settings(&[("futureKey", Value::Bool(true))]));
        assert_eq!(r.policy, Policy::default());
        assert!(r.rejected.is_empty());
    }

    #[test]
    fn settings_that_are_not_an_object_give_the_defaults() {
        assert_eq!(Policy::read(&Value::Null).policy, Policy::default());
        let r = Policy::read(&Value::String("threshold=3".into()));
        assert_eq!(r.policy, Policy::default());
        assert_eq!(r.rejected.len(), 1);
    }
}
