//! Why a setting was refused. The extension words each refusal in the user's language
//! from its code and numbers; [`Refusal::message`] is the English, for native tools.

use crate::value::Value;
use serde::Serialize;

/// Why a value was not taken (its key keeps the default).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "kebab-case")]
pub enum Refusal {
    /// The settings as a whole are not an object of named keys.
    NotAnObject,
    /// A threshold that is not a whole number from 0 to `max`.
    NotAThreshold { max: u32 },
    /// A number that is not whole or not from `min` to `max`.
    NotANumber { min: u32, max: u32 },
    /// A switch that is not true or false.
    NotASwitch,
    /// A list setting that is not a list.
    NotAList,
    /// A list entry that is not a string.
    NotAString,
    /// More entries than a list may hold; the rest were dropped.
    TooMany { max: u32 },
    /// Not `example.org`, `*.example.org` or `@example.org`.
    NotADomainPattern,
    /// Not a domain name such as `example.org`.
    NotADomain,
    /// Not an e-mail address such as `all-staff@example.org`.
    NotAnAddress,
    /// An empty name.
    Empty,
    /// `identities` is not an object keyed by addresses.
    NotIdentities,
    /// A key of `identities` that is not an e-mail address.
    NotAnIdentityAddress,
    /// An identity's settings that are not an object.
    NotIdentitySettings,
    /// A role other than the ones listed.
    NotARole { choices: &'static [&'static str] },
}

impl Refusal {
    pub fn message(self) -> String {
        match self {
            Refusal::NotAnObject => "the settings must be an object of named keys".into(),
            Refusal::NotAThreshold { max } => {
                format!("must be a whole number from 0 (off) to {max}")
            }
            Refusal::NotANumber { min, max } => {
                format!("must be a whole number from {min} to {max}")
            }
            Refusal::NotASwitch => "must be true or false".into(),
            Refusal::NotAList => "must be a list of strings".into(),
            Refusal::NotAString => "must be a string".into(),
            Refusal::TooMany { max } => format!("too many entries (at most {max})"),
            Refusal::NotADomainPattern => {
                "must be a domain such as example.org or *.example.org".into()
            }
            Refusal::NotADomain => "must be a domain name such as example.org".into(),
            Refusal::NotAnAddress => {
                "must be an e-mail address such as all-staff@example.org".into()
            }
            Refusal::Empty => "must not be empty".into(),
            Refusal::NotIdentities => "must be an object of e-mail addresses".into(),
            Refusal::NotAnIdentityAddress => "must be keyed by an e-mail address".into(),
            Refusal::NotIdentitySettings => "must be an object of settings".into(),
            Refusal::NotARole { choices } => format!("must be one of {}", choices.join(", ")),
        }
    }
}

/// One refused setting: its key (`internalDomains[2]`, `identities.ann@x.hardLimit`…),
/// the value as given (briefly) and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rejection {
    pub key: String,
    pub value: String,
    pub reason: Refusal,
}

impl Rejection {
    pub(crate) fn new(key: &str, value: &Value, reason: Refusal) -> Self {
        Rejection {
            key: key.to_owned(),
            value: value.describe(),
            reason,
        }
    }
}
