//! The policy: what CcGuard warns about. Read leniently, key by key, so a malformed
//! setting (typed by a user, or pushed by an admin to 5,000 desktops) never switches the
//! protection off: the bad key falls back to its safe default and is reported.

use crate::value::Value;
use serde::{Deserialize, Serialize};

/// Policy v1: warn when at least `threshold` recipients would see each other.
///
/// Missing keys take their default and unknown keys are ignored, so settings stored
/// by an older or newer extension version still load.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Policy {
    /// Visible recipients from which to warn; 0 never warns.
    pub threshold: u32,
}

impl Policy {
    pub const DEFAULT_THRESHOLD: u32 = 10;
    /// Above any real mailing; a larger number is a typo, not a policy.
    pub const MAX_THRESHOLD: u32 = 100_000;

    /// Reads settings key by key. Keys CcGuard does not know are ignored (they may
    /// belong to a newer version); known keys with a bad value keep their default.
    pub fn read(settings: &Value) -> PolicyReading {
        let mut reading = PolicyReading {
            policy: Policy::default(),
            rejected: Vec::new(),
        };
        let entries = match settings {
            Value::Map(entries) => entries,
            Value::Null => return reading,
            other => {
                reading.rejected.push(Rejection::new(
                    "",
                    other,
                    "the settings must be an object of named keys",
                ));
                return reading;
            }
        };
        for (key, value) in entries {
            if key.as_str() == "threshold" {
                match whole_number(value, 0, Self::MAX_THRESHOLD) {
                    Some(n) => reading.policy.threshold = n,
                    None => reading.rejected.push(Rejection::new(
                        key,
                        value,
                        "must be a whole number from 0 (off) to 100000",
                    )),
                }
            }
        }
        reading
    }
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            threshold: Self::DEFAULT_THRESHOLD,
        }
    }
}

/// The policy in force after reading settings, and what was refused on the way.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PolicyReading {
    pub policy: Policy,
    pub rejected: Vec<Rejection>,
}

/// One refused setting: its key, the value as given (briefly) and why.
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

fn whole_number(value: &Value, min: u32, max: u32) -> Option<u32> {
    match value {
        Value::Number(n) if n.fract() == 0.0 && *n >= f64::from(min) && *n <= f64::from(max) => {
            Some(*n as u32)
        }
        _ => None,
    }
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

    #[test]
    fn a_valid_threshold_is_taken() {
        let r = Policy::read(&settings(&[("threshold", Value::Number(25.0))]));
        assert_eq!(r.policy.threshold, 25);
        assert!(r.rejected.is_empty());
    }

    #[test]
    fn zero_is_a_valid_threshold_meaning_off() {
        let r = Policy::read(&settings(&[("threshold", Value::Number(0.0))]));
        assert_eq!(r.policy.threshold, 0);
        assert!(r.rejected.is_empty());
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
            let r = Policy::read(&settings(&[("threshold", bad.clone())]));
            assert_eq!(r.policy.threshold, Policy::DEFAULT_THRESHOLD, "{bad:?}");
            assert_eq!(r.rejected.len(), 1, "{bad:?}");
            assert_eq!(r.rejected[0].key, "threshold");
            assert!(r.rejected[0].reason.contains("whole number"));
        }
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
