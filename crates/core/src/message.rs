//! The message as `compose.onBeforeSend` describes it (Thunderbird's ComposeDetails).

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The recipients of one field. Thunderbird gives either one string or an array of
/// strings, and any string may hold several comma-separated addresses.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Recipients(pub Vec<String>);

impl Recipients {
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(String::as_str)
    }

    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|s| is_blank(s))
    }
}

/// Whether `s` is empty or all whitespace: `s.trim().is_empty()` without a second
/// copy of `trim`'s searcher in the WASM.
pub(crate) fn is_blank(s: &str) -> bool {
    s.chars().all(char::is_whitespace)
}

impl From<&str> for Recipients {
    fn from(s: &str) -> Self {
        Recipients(vec![s.to_owned()])
    }
}

impl<S: Into<String>> From<Vec<S>> for Recipients {
    fn from(v: Vec<S>) -> Self {
        Recipients(v.into_iter().map(Into::into).collect())
    }
}

struct RecipientsVisitor;

impl<'de> Visitor<'de> for RecipientsVisitor {
    type Value = Recipients;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string or an array of strings")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Recipients, E> {
        Ok(Recipients(vec![v.to_owned()]))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Recipients, E> {
        Ok(Recipients(vec![v]))
    }

    fn visit_none<E: de::Error>(self) -> Result<Recipients, E> {
        Ok(Recipients::default())
    }

    fn visit_unit<E: de::Error>(self) -> Result<Recipients, E> {
        Ok(Recipients::default())
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Recipients, D::Error> {
        d.deserialize_any(RecipientsVisitor)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Recipients, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        // A null hole in the array is an empty field, not a reason to refuse the check.
        while let Some(item) = seq.next_element::<Option<String>>()? {
            if let Some(s) = item {
                out.push(s);
            }
        }
        Ok(Recipients(out))
    }
}

impl<'de> Deserialize<'de> for Recipients {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(RecipientsVisitor)
    }
}

/// `null` reads as an empty string: a missing sender must not block the check.
fn string_or_null<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(Option::<String>::deserialize(d)?.unwrap_or_default())
}

/// What CcGuard needs of a message; every field is optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Message {
    /// The sending identity as displayed, e.g. `Ann <ann@shop.example>`.
    #[serde(deserialize_with = "string_or_null")]
    pub from: String,
    /// The identity's address; derived from `from` when absent.
    pub identity_email: Option<String>,
    pub to: Recipients,
    pub cc: Recipients,
    pub bcc: Recipients,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recipients_accept_a_string_or_an_array() {
        let m: Message = serde_json::from_str(r#"{"to":"a@x, b@y","cc":["c@z","d@w"]}"#).unwrap();
        assert_eq!(m.to.0, vec!["a@x, b@y"]);
        assert_eq!(m.cc.0, vec!["c@z", "d@w"]);
        assert!(m.bcc.0.is_empty());
    }

    #[test]
    fn every_field_is_optional_and_null_is_empty() {
        let m: Message =
            serde_json::from_str(r#"{"from":null,"to":null,"cc":[null,"a@x"],"extra":1}"#).unwrap();
        assert_eq!(m.from, "");
        assert_eq!(m.cc.0, vec!["a@x"]);
        assert_eq!(
            serde_json::from_str::<Message>("{}").unwrap(),
            Message::default()
        );
    }

    #[test]
    fn identity_email_is_camel_case() {
        let m: Message = serde_json::from_str(r#"{"identityEmail":"ann@x"}"#).unwrap();
        assert_eq!(m.identity_email.as_deref(), Some("ann@x"));
    }
}
