//! A settings value as it arrives from outside: `storage.local`, an admin's
//! `policies.json` (through `storage.managed`), a test. Whoever calls the core converts
//! its own representation (a JS object, JSON) into this tree; the core then judges each
//! key on its own, so one bad value never throws the whole policy away.
//!
//! Hand-written rather than `serde_json::Value` because it must stop at a small depth
//! (settings are shallow; a deep or self-referencing object from JavaScript is refused)
//! and the core does not depend on a JSON crate.

use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use std::fmt;

/// The JSON data model; numbers are `f64` as in JavaScript.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    List(Vec<Value>),
    /// Keys in the order they were given.
    Map(Vec<(String, Value)>),
}

impl Value {
    /// A short description for messages, e.g. `"ten"` or `-3`; long values are cut. A
    /// list or an object is shown as `[…]` or `{…}`: the options page shows this in any
    /// language, so it holds no words.
    pub fn describe(&self) -> String {
        let text = match self {
            Value::Null => "null".to_owned(),
            Value::Bool(b) => b.to_string(),
            Value::Number(n) => n.to_string(),
            Value::String(s) => format!("\"{s}\""),
            Value::List(_) => "[…]".to_owned(),
            Value::Map(_) => "{…}".to_owned(),
        };
        cut(text, 40)
    }
}

fn cut(mut text: String, max_chars: usize) -> String {
    if let Some((at, _)) = text.char_indices().nth(max_chars) {
        text.truncate(at);
        text.push('…');
    }
    text
}

/// Settings are a few levels deep; deeper nesting (or a cycle, which a JavaScript object
/// can hold) reads as `Null` from here on.
const MAX_DEPTH: u32 = 8;

/// From any self-describing format: JSON natively, JavaScript values through
/// serde-wasm-bindgen.
impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Value, D::Error> {
        ValueVisitor { depth: 0 }.deserialize(d)
    }
}

/// Reads one value at `depth`.
#[derive(Clone, Copy)]
struct ValueVisitor {
    depth: u32,
}

impl<'de> DeserializeSeed<'de> for ValueVisitor {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        if self.depth > MAX_DEPTH {
            d.deserialize_ignored_any(de::IgnoredAny)?;
            return Ok(Value::Null);
        }
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        self.deserialize(d)
    }
    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }
    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Value, E> {
        Ok(Value::Number(n as f64))
    }
    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Value, E> {
        Ok(Value::Number(n as f64))
    }
    fn visit_f64<E: de::Error>(self, n: f64) -> Result<Value, E> {
        Ok(Value::Number(n))
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.to_owned()))
    }
    fn visit_string<E: de::Error>(self, s: String) -> Result<Value, E> {
        Ok(Value::String(s))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let inner = ValueVisitor {
            depth: self.depth + 1,
        };
        let mut out = Vec::new();
        while let Some(v) = seq.next_element_seed(inner)? {
            out.push(v);
        }
        Ok(Value::List(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let inner = ValueVisitor {
            depth: self.depth + 1,
        };
        let mut out = Vec::new();
        while let Some(k) = map.next_key::<String>()? {
            out.push((k, map.next_value_seed(inner)?));
        }
        Ok(Value::Map(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nesting_deeper_than_settings_need_reads_as_null() {
        let deep = "[".repeat(20) + &"]".repeat(20);
        let mut v: Value = serde_json::from_str(&deep).unwrap();
        let mut depth = 0;
        while let Value::List(items) = v {
            v = items.into_iter().next().unwrap_or(Value::Null);
            depth += 1;
        }
        assert_eq!(depth, MAX_DEPTH + 1);
    }

    #[test]
    fn describes_values_briefly_for_messages() {
        assert_eq!(Value::Number(12.0).describe(), "12");
        assert_eq!(Value::Number(-3.0).describe(), "-3");
        assert_eq!(Value::Number(1.5).describe(), "1.5");
        assert_eq!(Value::String("ten".into()).describe(), "\"ten\"");
        assert_eq!(Value::List(vec![]).describe(), "[…]");
        assert_eq!(Value::Map(vec![]).describe(), "{…}");
        assert_eq!(
            Value::String("x".repeat(100)).describe().chars().count(),
            41
        );
    }
}
