//! Reads settings leniently, so that a malformed value (typed by a user, or pushed by an
//! admin to 5,000 desktops) never switches the protection off: a bad key keeps its safe
//! default, a bad entry of a list is dropped alone, and each refusal is reported.

use super::keys::{self, Entry, Key, KeyKind, IDENTITY_KEYS, LEGACY_THRESHOLD};
use super::{IdentitySettings, Policy, Refusal, Rejection, Role};
use crate::address::{normalize_domain, normalized_address};
use crate::domains::DomainPattern;
use crate::text::Text;
use crate::value::Value;
use serde::Serialize;

/// The policy in force after reading settings, and what was refused on the way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PolicyReading {
    pub policy: Policy,
    pub rejected: Vec<Rejection>,
}

impl Policy {
    /// Reads settings key by key. Keys CcGuard does not know are ignored (they may
    /// belong to a newer version); known keys with a bad value keep their default.
    /// `text` maps internationalised domains to their comparable form.
    pub fn read(settings: &Value, text: &dyn Text) -> PolicyReading {
        let mut r = PolicyReading {
            policy: Policy::default(),
            rejected: Vec::new(),
        };
        let entries = match settings {
            Value::Map(entries) => entries,
            Value::Null => return r,
            other => {
                r.rejected
                    .push(Rejection::new("", other, Refusal::NotAnObject));
                return r;
            }
        };
        let has_external = entries.iter().any(|(k, _)| k == "externalThreshold");
        for (name, value) in entries {
            let key = match name.as_str() {
                LEGACY_THRESHOLD if has_external => continue,
                LEGACY_THRESHOLD => keys::key("externalThreshold"),
                name => keys::key(name),
            };
            if let Some(key) = key {
                // A refusal names the key as it was written (`threshold`, not its successor).
                read_key(key, name, value, &mut r, text);
            }
        }
        r
    }

    fn list_mut(&mut self, name: &str) -> Option<&mut Vec<String>> {
        Some(match name {
            "internalDomains" => &mut self.internal_domains,
            "privateDomains" => &mut self.private_domains,
            "notPrivateDomains" => &mut self.not_private_domains,
            "allowedAddresses" => &mut self.allowed_addresses,
            "allowedDomains" => &mut self.allowed_domains,
            "allowedLists" => &mut self.allowed_lists,
            _ => return None,
        })
    }

    fn switch_mut(&mut self, name: &str) -> Option<&mut bool> {
        Some(match name {
            "rememberGroups" => &mut self.remember_groups,
            "learnGroups" => &mut self.learn_groups,
            "separateKeepCopies" => &mut self.separate_keep_copies,
            _ => return None,
        })
    }

    fn number_mut(&mut self, name: &str) -> Option<&mut u32> {
        Some(match name {
            "separateLimit" => &mut self.separate_limit,
            "separatePerMinute" => &mut self.separate_per_minute,
            _ => return None,
        })
    }
}

fn read_key(key: &Key, written: &str, value: &Value, r: &mut PolicyReading, text: &dyn Text) {
    let (p, rejected) = (&mut r.policy, &mut r.rejected);
    match key.kind {
        KeyKind::Threshold { max, .. } => {
            if let (Some(n), Some(slot)) = (
                threshold(written, value, max, rejected),
                p.thresholds.slot(key.name),
            ) {
                *slot = n;
            }
        }
        KeyKind::Number { min, max, .. } => match (value, p.number_mut(key.name)) {
            (Value::Number(n), Some(slot))
                if n.fract() == 0.0 && *n >= f64::from(min) && *n <= f64::from(max) =>
            {
                *slot = *n as u32
            }
            _ => rejected.push(Rejection::new(
                key.name,
                value,
                Refusal::NotANumber { min, max },
            )),
        },
        KeyKind::Switch { .. } => match (switch(value), p.switch_mut(key.name)) {
            (Some(b), Some(slot)) => *slot = b,
            _ => rejected.push(Rejection::new(key.name, value, Refusal::NotASwitch)),
        },
        KeyKind::List { entry, max } => {
            let items = list(key.name, value, entry, max, rejected, text);
            if let Some(slot) = p.list_mut(key.name) {
                *slot = items;
            }
        }
        KeyKind::Identities { max } => p.identities = identities(value, max, rejected, text),
        KeyKind::Choice { .. } => {}
    }
}

/// true or false; also 1 and 0, which is how Windows group policy and macOS profiles hand
/// booleans over.
fn switch(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::Number(n) if *n == 1.0 => Some(true),
        Value::Number(n) if *n == 0.0 => Some(false),
        _ => None,
    }
}

fn threshold(key: &str, value: &Value, max: u32, rejected: &mut Vec<Rejection>) -> Option<u32> {
    match value {
        Value::Number(n) if n.fract() == 0.0 && *n >= 0.0 && *n <= f64::from(max) => {
            Some(*n as u32)
        }
        _ => {
            rejected.push(Rejection::new(key, value, Refusal::NotAThreshold { max }));
            None
        }
    }
}

/// A list of strings, each read as `entry` says.
fn list(
    key: &str,
    value: &Value,
    entry: Entry,
    max: u32,
    rejected: &mut Vec<Rejection>,
    text: &dyn Text,
) -> Vec<String> {
    let Value::List(items) = value else {
        rejected.push(Rejection::new(key, value, Refusal::NotAList));
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let at = || format!("{key}[{i}]");
        if out.len() == max as usize {
            rejected.push(Rejection::new(&at(), item, Refusal::TooMany { max }));
            break;
        }
        match item {
            Value::String(s) => match read_entry(entry, s.trim(), text) {
                Ok(v) => out.push(v),
                Err(why) => rejected.push(Rejection::new(&at(), item, why)),
            },
            _ => rejected.push(Rejection::new(&at(), item, Refusal::NotAString)),
        }
    }
    out
}

/// One entry in its comparable form, or why it is refused.
fn read_entry(entry: Entry, s: &str, text: &dyn Text) -> Result<String, Refusal> {
    match entry {
        Entry::DomainPattern => DomainPattern::normalize(s, text).ok_or(Refusal::NotADomainPattern),
        Entry::Domain => {
            let s = s.strip_prefix('@').unwrap_or(s);
            if DomainPattern::is_domain(s) {
                Ok(normalize_domain(s, text))
            } else {
                Err(Refusal::NotADomain)
            }
        }
        Entry::Address => address(s, text).ok_or(Refusal::NotAnAddress),
        Entry::ListName if s.is_empty() => Err(Refusal::Empty),
        Entry::ListName => Ok(fold(s)),
    }
}

fn address(s: &str, text: &dyn Text) -> Option<String> {
    match s.rsplit_once('@') {
        Some((local, d)) if !local.is_empty() && DomainPattern::is_domain(d) => {
            Some(normalized_address(s, text))
        }
        _ => None,
    }
}

/// List names compare without regard to case.
pub(crate) fn fold(s: &str) -> String {
    s.trim().to_lowercase()
}

/// `{"ann@x.example": {"role": "sensitive", "privateThreshold": 2, …}, …}`.
fn identities(
    value: &Value,
    max: u32,
    rejected: &mut Vec<Rejection>,
    text: &dyn Text,
) -> Vec<(String, IdentitySettings)> {
    let Value::Map(entries) = value else {
        rejected.push(Rejection::new("identities", value, Refusal::NotIdentities));
        return Vec::new();
    };
    let mut out: Vec<(String, IdentitySettings)> = Vec::new();
    for (i, (addr, settings)) in entries.iter().enumerate() {
        let at = format!("identities.{addr}");
        // Like a list's: the rest is refused in words, never dropped unseen.
        if i == max as usize {
            rejected.push(Rejection::new(&at, settings, Refusal::TooMany { max }));
            break;
        }
        let Some(addr) = address(addr.trim(), text) else {
            rejected.push(Rejection::new(&at, settings, Refusal::NotAnIdentityAddress));
            continue;
        };
        let Value::Map(fields) = settings else {
            rejected.push(Rejection::new(&at, settings, Refusal::NotIdentitySettings));
            continue;
        };
        let mut s = IdentitySettings::default();
        for (name, v) in fields {
            let key = IDENTITY_KEYS
                .iter()
                .chain(keys::KEYS)
                .find(|k| k.per_identity && k.name == name);
            let Some(key) = key else { continue };
            let at = format!("{at}.{name}");
            match key.kind {
                KeyKind::Threshold { max, .. } => {
                    if let Some(n) = threshold(&at, v, max, rejected) {
                        s.thresholds.push((key.name, n));
                    }
                }
                KeyKind::Choice { choices } => match v {
                    Value::String(word) if Role::parse(word).is_some() => {
                        s.role = Role::parse(word)
                    }
                    _ => rejected.push(Rejection::new(&at, v, Refusal::NotARole { choices })),
                },
                _ => {}
            }
        }
        // The same identity written twice (in two cases): the later one wins, as it
        // would for any other key.
        out.retain(|(a, _)| *a != addr);
        out.push((addr, s));
    }
    out
}

#[cfg(all(test, feature = "native-text"))]
mod tests {
    use super::super::keys::{MAX_THRESHOLD, ROLES};
    use super::super::Thresholds;
    use super::*;
    use crate::text::NATIVE;

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

    fn read(settings: &Value) -> PolicyReading {
        Policy::read(settings, &NATIVE)
    }

    /// A valid value of `key` that is not its default.
    fn another_valid_value(key: &Key) -> Value {
        match key.kind {
            KeyKind::Threshold { default, .. } => Value::Number(f64::from(default + 1)),
            KeyKind::Switch { default } => Value::Bool(!default),
            KeyKind::Number { default, min, max } => {
                Value::Number(f64::from(if default < max { default + 1 } else { min }))
            }
            KeyKind::List { entry, .. } => strings(&[match entry {
                Entry::DomainPattern => "*.example.org",
                Entry::Domain => "example.org",
                Entry::Address => "all-staff@example.org",
                Entry::ListName => "Club Members",
            }]),
            KeyKind::Identities { .. } => settings(&[(
                "ann@example.org",
                settings(&[("role", Value::String("sensitive".into()))]),
            )]),
            KeyKind::Choice { .. } => unreachable!("choices are per identity only"),
        }
    }

    /// The table is the one home of the keys: a key added to it but not to the policy's
    /// fields would have every value refused or dropped.
    #[test]
    fn every_key_of_the_table_takes_a_valid_value_that_is_not_its_default() {
        for key in keys::KEYS {
            let r = read(&settings(&[(key.name, another_valid_value(key))]));
            assert!(r.rejected.is_empty(), "{}: {:?}", key.name, r.rejected);
            assert_ne!(r.policy, Policy::default(), "{} was not taken", key.name);
        }
    }

    #[test]
    fn a_valid_threshold_is_taken() {
        let r = read(&settings(&[("privateThreshold", Value::Number(3.0))]));
        assert_eq!(r.policy.thresholds.private_threshold, 3);
        assert!(r.rejected.is_empty());
    }

    #[test]
    fn the_version_1_threshold_becomes_the_external_threshold() {
        let r = read(&settings(&[("threshold", Value::Number(25.0))]));
        assert_eq!(r.policy.thresholds.external_threshold, 25);
        let r = read(&settings(&[
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
            let r = read(&settings(&[("hardLimit", bad.clone())]));
            assert_eq!(r.policy, Policy::default(), "{bad:?}");
            assert_eq!(r.rejected.len(), 1, "{bad:?}");
            assert_eq!(r.rejected[0].key, "hardLimit");
            assert_eq!(
                r.rejected[0].reason,
                Refusal::NotAThreshold { max: MAX_THRESHOLD }
            );
            assert!(r.rejected[0].reason.message().contains("whole number"));
        }
    }

    #[test]
    fn a_refusal_crosses_as_a_code_and_its_numbers() {
        let r = read(&settings(&[("hardLimit", Value::Number(-1.0))]));
        assert_eq!(
            serde_json::to_value(&r.rejected).unwrap(),
            serde_json::json!([{
                "key": "hardLimit",
                "value": "-1",
                "reason": {"code": "not-a-threshold", "max": 100_000}
            }])
        );
    }

    #[test]
    fn a_bad_entry_of_a_list_is_dropped_alone() {
        let r = read(&settings(&[(
            "internalDomains",
            Value::List(vec![
                Value::String("*.Example.ORG".into()),
                Value::Number(3.0),
                Value::String("not a domain".into()),
                Value::String("partner.example".into()),
            ]),
        )]));
        assert_eq!(
            r.policy.internal_domains,
            ["*.example.org", "partner.example"]
        );
        let keys: Vec<&str> = r.rejected.iter().map(|x| x.key.as_str()).collect();
        assert_eq!(keys, ["internalDomains[1]", "internalDomains[2]"]);
        let reasons: Vec<Refusal> = r.rejected.iter().map(|x| x.reason).collect();
        assert_eq!(reasons, [Refusal::NotAString, Refusal::NotADomainPattern]);
    }

    #[test]
    fn internationalised_domains_are_kept_in_their_ascii_form() {
        let r = read(&settings(&[
            ("internalDomains", strings(&["*.Bücher.example"])),
            ("privateDomains", strings(&["@MAIL.bücher.example"])),
        ]));
        assert_eq!(r.policy.internal_domains, ["*.xn--bcher-kva.example"]);
        assert_eq!(r.policy.private_domains, ["mail.xn--bcher-kva.example"]);
        assert!(r.rejected.is_empty());
    }

    #[test]
    fn addresses_and_list_names_are_compared_in_one_form() {
        let r = read(&settings(&[
            (
                "allowedAddresses",
                strings(&["All-Staff@Example.ORG", "nobody"]),
            ),
            ("allowedLists", strings(&[" All Staff ", ""])),
        ]));
        assert_eq!(r.policy.allowed_addresses, ["all-staff@example.org"]);
        assert_eq!(r.policy.allowed_lists, ["all staff"]);
        let reasons: Vec<Refusal> = r.rejected.iter().map(|x| x.reason).collect();
        assert_eq!(reasons, [Refusal::NotAnAddress, Refusal::Empty]);
    }

    #[test]
    fn an_identity_overrides_only_the_thresholds_it_sets() {
        let r = read(&settings(&[
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
        let support = p.identity(Some("support@shop.example"));
        assert!(support.is_some());
        let t = p.thresholds_for(Role::Organisation, support);
        assert_eq!((t.private_threshold, t.external_threshold), (2, 20));
        assert_eq!(t.hard_limit, Thresholds::default().hard_limit);
        let other = p.identity(Some("other@shop.example"));
        assert_eq!(other, None);
        assert_eq!(p.thresholds_for(Role::Organisation, other), p.thresholds);
        assert_eq!(r.rejected.len(), 1);
        assert_eq!(
            r.rejected[0].key,
            "identities.Support@Shop.example.hardLimit"
        );
    }

    #[test]
    fn unknown_keys_are_ignored_for_newer_versions() {
        let r = read(&settings(&[("futureKey", Value::Bool(true))]));
        assert_eq!(r.policy, Policy::default());
        assert!(r.rejected.is_empty());
    }

    #[test]
    fn settings_that_are_not_an_object_give_the_defaults() {
        assert_eq!(read(&Value::Null).policy, Policy::default());
        let r = read(&Value::String("threshold=3".into()));
        assert_eq!(r.policy, Policy::default());
        assert_eq!(r.rejected.len(), 1);
        assert_eq!(r.rejected[0].reason, Refusal::NotAnObject);
    }

    #[test]
    fn the_group_switches_default_to_on_and_can_be_switched_off() {
        let d = Policy::default();
        assert!(d.remember_groups && d.learn_groups);
        let r = read(&settings(&[
            ("rememberGroups", Value::Bool(false)),
            ("learnGroups", Value::Bool(false)),
        ]));
        assert!(!r.policy.remember_groups && !r.policy.learn_groups);
        assert!(r.rejected.is_empty());
    }

    #[test]
    fn a_switch_from_group_policy_or_a_macos_profile_is_1_or_0() {
        let r = read(&settings(&[
            ("learnGroups", Value::Number(0.0)),
            ("separateKeepCopies", Value::Number(1.0)),
        ]));
        assert!(!r.policy.learn_groups && r.policy.separate_keep_copies);
        assert!(r.rejected.is_empty());
    }

    #[test]
    fn a_refused_version_1_threshold_is_named_as_written() {
        let r = read(&settings(&[("threshold", Value::String("x".into()))]));
        assert_eq!(r.rejected[0].key, "threshold");
    }

    #[test]
    fn a_switch_that_is_not_true_or_false_keeps_its_default() {
        for bad in [
            Value::String("false".into()),
            Value::Number(2.0),
            Value::Null,
        ] {
            let r = read(&settings(&[("learnGroups", bad.clone())]));
            assert_eq!(r.policy, Policy::default(), "{bad:?}");
            assert_eq!(r.rejected.len(), 1, "{bad:?}");
            assert_eq!(r.rejected[0].key, "learnGroups");
            assert_eq!(r.rejected[0].reason, Refusal::NotASwitch);
        }
    }

    #[test]
    fn an_identity_can_say_what_it_is_used_for() {
        let r = read(&settings(&[(
            "identities",
            settings(&[
                (
                    "Therapist@GMAIL.com",
                    settings(&[("role", Value::String("sensitive".into()))]),
                ),
                (
                    "ann@family.example",
                    settings(&[("role", Value::String("personal".into()))]),
                ),
            ]),
        )]));
        assert!(r.rejected.is_empty(), "{:?}", r.rejected);
        let p = &r.policy;
        let therapist = p.identity(Some("therapist@gmail.com")).unwrap();
        assert_eq!(therapist.role, Some(Role::Sensitive));
        assert!(therapist.thresholds.is_empty());
        let ann = p.identity(Some("ann@family.example")).unwrap();
        assert_eq!(ann.role, Some(Role::Personal));
        // The role reads the general thresholds: stricter when sensitive, no private rule
        // when personal.
        let t = p.thresholds_for(Role::Sensitive, Some(therapist));
        assert_eq!((t.private_threshold, t.external_threshold), (2, 2));
        let personal = p.thresholds_for(Role::Personal, Some(ann));
        assert_eq!(personal.private_threshold, 0);
    }

    #[test]
    fn identities_beyond_the_thousandth_are_refused_in_words_not_dropped_unseen() {
        let many: Vec<(String, Value)> = (0..1002)
            .map(|i| {
                (
                    format!("a{i}@x.example"),
                    settings(&[("hardLimit", Value::Number(9.0))]),
                )
            })
            .collect();
        let many: Vec<(&str, Value)> = many.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
        let r = read(&settings(&[("identities", settings(&many))]));
        assert!(r.policy.identity(Some("a999@x.example")).is_some());
        assert!(r.policy.identity(Some("a1000@x.example")).is_none());
        assert_eq!(r.rejected.len(), 1, "{:?}", r.rejected);
        assert_eq!(r.rejected[0].key, "identities.a1000@x.example");
        assert_eq!(r.rejected[0].reason, Refusal::TooMany { max: 1000 });
    }

    #[test]
    fn a_role_not_in_the_list_is_refused_and_the_rest_of_the_identity_kept() {
        for bad in [
            Value::String("boss".into()),
            Value::String("Sensitive".into()),
            Value::Number(1.0),
        ] {
            let r = read(&settings(&[(
                "identities",
                settings(&[(
                    "Ann@X.example",
                    settings(&[
                        ("role", bad.clone()),
                        ("privateThreshold", Value::Number(5.0)),
                    ]),
                )]),
            )]));
            let ann = r.policy.identity(Some("ann@x.example")).unwrap();
            assert_eq!(ann.role, None, "{bad:?}");
            assert_eq!(ann.thresholds, [("privateThreshold", 5)]);
            assert_eq!(r.rejected.len(), 1, "{bad:?}");
            assert_eq!(r.rejected[0].key, "identities.Ann@X.example.role");
            assert_eq!(r.rejected[0].reason, Refusal::NotARole { choices: ROLES });
        }
    }
}
