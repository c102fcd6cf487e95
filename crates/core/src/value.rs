//! A settings value as it arrives from outside: `storage.local`, an admin's
//! `policies.json` (through `storage.managed`), a test. Whoever calls the core converts
//! its own representation (a JS object, JSON) into this tree; the core then judges each
//! key on its own, so one bad value never throws the whole policy away.

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
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
    /// A short description for messages, e.g. `"ten"` or `-3`; long values are cut.
    pub fn describe(&self) -> String {
        let text = match self {
            Value::Null => "null".to_owned(),
            Value::Bool(b) => b.to_string(),
            Value::Number(n) => describe_number(*n),
            Value::String(s) => format!("\"{s}\""),
            Value::List(_) => "a list".to_owned(),
            Value::Map(_) => "an object".to_owned(),
        };
        cut(text, 40)
    }
}

/// Whole numbers print without a fraction; others only say they are not whole, which
/// keeps float formatting (and its 15 KiB of tables) out of the WASM.
fn describe_number(n: f64) -> String {
    if n.is_finite() && n.fract() == 0.0 && n.abs() < 1e15 {
        (n as i64).to_string()
    } else if n.is_nan() {
        "NaN".to_owned()
    } else {
        "a number that is not whole".to_owned()
    }
}

fn cut(mut text: String, max_chars: usize) -> String {
    if let Some((at, _)) = text.char_indices().nth(max_chars) {
        text.truncate(at);
        text.push('…');
    }
    text
}

/// From JSON (tests, native tools); the WASM boundary builds values with js-sys.
impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Value, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

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
        d.deserialize_any(ValueVisitor)
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
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(v) = seq.next_element()? {
            out.push(v);
        }
        Ok(Value::List(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some((k, v)) = map.next_entry()? {
            out.push((k, v));
        }
        Ok(Value::Map(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describes_values_briefly_for_messages() {
        assert_eq!(Value::Number(12.0).describe(), "12");
        assert_eq!(Value::Number(-3.0).describe(), "-3");
        assert_eq!(Value::Number(1.5).describe(), "a number that is not whole");
        assert_eq!(Value::String("ten".into()).describe(), "\"ten\"");
        assert_eq!(Value::List(vec![]).describe(), "a list");
        assert_eq!(
            Value::String("x".repeat(100)).describe().chars().count(),
            41
        );
    }
}
