//! The message as `compose.onBeforeSend` describes it (Thunderbird's ComposeDetails).

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The recipients of one field. Thunderbird gives either one string or an array of
/// strings, and any string may hold several comma-separated addresses.
///
/// The strings live in one buffer: a large field handed over joined (`{joined}`, see
/// the deserializer) then costs no allocation per recipient.
#[derive(Clone, Default)]
pub struct Recipients {
    text: String,
    /// Where each string is in `text`.
    spans: Vec<(usize, usize)>,
}

impl Recipients {
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        // Spans are recorded at string boundaries `push` and `push_joined` wrote.
        self.spans
            .iter()
            .map(|&(start, end)| &self.text[start..end])
    }

    /// How many strings (not addresses) the field holds.
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// Whether the field holds no address text at all (nothing, or only blanks).
    pub fn is_empty(&self) -> bool {
        self.iter().all(is_blank)
    }

    pub fn push(&mut self, s: &str) {
        let start = self.text.len();
        self.text.push_str(s);
        self.spans.push((start, self.text.len()));
    }

    /// Appends the strings of `joined`, which are separated by NUL; the first becomes
    /// the buffer itself, without a copy.
    fn push_joined(&mut self, joined: String) {
        let base = self.text.len();
        let mut start = base;
        for (at, _) in joined.match_indices('\0') {
            self.spans.push((start, base + at));
            start = base + at + 1;
        }
        self.spans.push((start, base + joined.len()));
        if self.text.is_empty() {
            self.text = joined;
        } else {
            self.text.push_str(&joined);
        }
    }
}

impl PartialEq for Recipients {
    fn eq(&self, other: &Self) -> bool {
        self.iter().eq(other.iter())
    }
}

impl Eq for Recipients {}

impl fmt::Debug for Recipients {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Serialize for Recipients {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

/// Whether `s` is empty or all whitespace.
pub(crate) fn is_blank(s: &str) -> bool {
    s.trim().is_empty()
}

impl From<&str> for Recipients {
    fn from(s: &str) -> Self {
        let mut r = Recipients::default();
        r.push(s);
        r
    }
}

impl<S: AsRef<str>> From<Vec<S>> for Recipients {
    fn from(v: Vec<S>) -> Self {
        let mut r = Recipients::default();
        for s in &v {
            r.push(s.as_ref());
        }
        r
    }
}

struct RecipientsVisitor;

impl<'de> Visitor<'de> for RecipientsVisitor {
    type Value = Recipients;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string or an array of strings")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Recipients, E> {
        Ok(Recipients::from(v))
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

    /// `{"joined": ["a\0b", "c"], "count": 3}`: the strings `a`, `b` and `c`, as the WASM
    /// boundary hands a large field over in a few pieces. A count that does not match means
    /// a string held a NUL: refused, since which strings were meant cannot be known.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Recipients, A::Error> {
        let (mut joined, mut count) = (None, None);
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "joined" => joined = Some(map.next_value::<Vec<String>>()?),
                "count" => count = Some(map.next_value::<usize>()?),
                other => return Err(de::Error::unknown_field(other, &["joined", "count"])),
            }
        }
        let (Some(joined), Some(count)) = (joined, count) else {
            return Err(de::Error::custom(
                "a recipient field must be a string or an array of strings",
            ));
        };
        let mut out = Recipients::default();
        for piece in joined {
            out.push_joined(piece);
        }
        if out.len() != count {
            return Err(de::Error::custom("a recipient holds a NUL character"));
        }
        Ok(out)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Recipients, A::Error> {
        let mut out = Recipients::default();
        // A null hole in the array is an empty field, not a reason to refuse the check.
        while let Some(item) = seq.next_element::<Option<String>>()? {
            if let Some(s) = item {
                out.push(&s);
            }
        }
        Ok(out)
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
    /// Every address of the user's identities: never counted as a recipient.
    pub own_addresses: Vec<String>,
    /// Address-book mailing lists that a recipient string (or a member of another list)
    /// names, with their direct members: Thunderbird expands them only after the check.
    pub lists: Vec<MailingList>,
    /// Thunderbird's compose type (`new`, `reply`, `forward`, `redirect`, `draft`). A
    /// forward or a redirect carries the related message's header to every recipient.
    #[serde(rename = "type")]
    pub compose_type: Option<String>,
    /// The message this one replies to or forwards, as its header showed it; absent for
    /// a new message.
    pub related: Option<Related>,
    /// Groups of people known to see each other's addresses already (each a list of
    /// addresses): ones the user confirmed, or ones seen together in received mail.
    pub known_groups: Vec<Vec<String>>,
}

impl Message {
    /// Whether the related message's header goes out with this one: a forward quotes its
    /// From, To and Cc (inline or attached), a redirect resends it whole.
    pub fn carries_related_header(&self) -> bool {
        self.related.is_some()
            && matches!(self.compose_type.as_deref(), Some("forward" | "redirect"))
    }
}

/// Who could see whom in the message being replied to or forwarded.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Related {
    #[serde(deserialize_with = "string_or_null")]
    pub author: String,
    pub to: Recipients,
    pub cc: Recipients,
}

impl Related {
    /// Everyone its header showed: the author, then To and Cc.
    pub fn texts(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.author.as_str())
            .chain(self.to.iter())
            .chain(self.cc.iter())
    }
}

/// An address-book mailing list as the extension resolved it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MailingList {
    /// The exact recipient string that stands for the list (`Club <"Club">`).
    #[serde(rename = "ref")]
    pub reference: String,
    pub name: String,
    /// Direct members as header strings; a member may be another list's `reference`.
    /// `None` when the list could not be resolved: its members are unknown.
    pub members: Option<Vec<String>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recipients_compare_and_serialize_as_their_strings() {
        let r = Recipients::from(vec!["a@x", "b@y"]);
        assert_eq!(serde_json::to_string(&r).unwrap(), r#"["a@x","b@y"]"#);
        assert_eq!(format!("{r:?}"), r#"["a@x", "b@y"]"#);
        assert_ne!(r, Recipients::from(vec!["a@xb@y"]));
        assert!(Recipients::from(vec![" ", ""]).is_empty());
    }

    #[test]
    fn recipients_accept_a_string_or_an_array() {
        let m: Message = serde_json::from_str(r#"{"to":"a@x, b@y","cc":["c@z","d@w"]}"#).unwrap();
        assert_eq!(m.to, Recipients::from(vec!["a@x, b@y"]));
        assert_eq!(m.cc, Recipients::from(vec!["c@z", "d@w"]));
        assert_eq!(m.bcc.len(), 0);
    }

    #[test]
    fn a_joined_field_reads_as_its_strings() {
        let m: Message =
            serde_json::from_str(r#"{"cc":{"joined":["a@x\u0000","B <b@y>"],"count":3}}"#).unwrap();
        assert_eq!(m.cc, Recipients::from(vec!["a@x", "", "B <b@y>"]));
        let empty: Message = serde_json::from_str(r#"{"cc":{"joined":[],"count":0}}"#).unwrap();
        assert_eq!(empty.cc.len(), 0);
        assert!(serde_json::from_str::<Message>(r#"{"cc":{"other":"a"}}"#).is_err());
        assert!(serde_json::from_str::<Message>(r#"{"cc":{"joined":["a"]}}"#).is_err());
        // A string that held a NUL: the count no longer matches.
        let nul = r#"{"cc":{"joined":["a\u0000b"],"count":1}}"#;
        assert!(serde_json::from_str::<Message>(nul).is_err());
    }

    #[test]
    fn every_field_is_optional_and_null_is_empty() {
        let m: Message =
            serde_json::from_str(r#"{"from":null,"to":null,"cc":[null,"a@x"],"extra":1}"#).unwrap();
        assert_eq!(m.from, "");
        assert_eq!(m.cc, Recipients::from(vec!["a@x"]));
        assert_eq!(
            serde_json::from_str::<Message>("{}").unwrap(),
            Message::default()
        );
    }

    #[test]
    fn the_related_message_and_known_groups_are_read_and_optional() {
        let m: Message = serde_json::from_str(
            r#"{"related":{"author":null,"to":"a@x, b@y","cc":["c@z"]},"knownGroups":[["a@x","d@w"],[]]}"#,
        )
        .unwrap();
        let related = m.related.unwrap();
        assert_eq!(related.author, "");
        assert_eq!(related.to, Recipients::from(vec!["a@x, b@y"]));
        assert_eq!(related.cc, Recipients::from(vec!["c@z"]));
        assert_eq!(m.known_groups, [vec!["a@x", "d@w"], vec![]]);
        let m: Message = serde_json::from_str(r#"{"related":null,"to":"a@x"}"#).unwrap();
        assert_eq!((m.related, m.known_groups.len()), (None, 0));
        assert!(serde_json::from_str::<Message>(r#"{"knownGroups":"a@x"}"#).is_err());
    }

    #[test]
    fn identity_email_is_camel_case() {
        let m: Message = serde_json::from_str(r#"{"identityEmail":"ann@x"}"#).unwrap();
        assert_eq!(m.identity_email.as_deref(), Some("ann@x"));
    }
}
