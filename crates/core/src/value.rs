//! A settings value as it arrives from outside: `storage.local`, an admin's
//! `policies.json` (through `storage.managed`), a test. Whoever calls the core converts
//! its own representation (a JS object, JSON) into this tree; the core then judges each
//! key on its own, so one bad value never throws the whole policy away.

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
