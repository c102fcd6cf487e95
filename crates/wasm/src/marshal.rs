//! JS values in, core types out. Read with js-sys rather than serde-wasm-bindgen's
//! deserializer: its type-error path links Rust's float formatting (about 15 KiB of the
//! 100 KiB budget), and the policy must be read key by key anyway (a bad key falls back,
//! see `Policy::read`), which a typed deserializer cannot do.

use crate::json_strings;
use ccguard_core::message::Recipients;
use ccguard_core::{Message, Value};
use js_sys::{Array, JsString, Object, Reflect, JSON};
use wasm_bindgen::{JsCast, JsValue};

/// Settings objects are a few levels deep; a cycle or a hostile nesting stops here.
const MAX_DEPTH: usize = 8;

/// Any JS value as a settings tree. Functions, symbols and the like read as `Null`.
pub fn value(js: &JsValue) -> Value {
    value_at(js, 0)
}

fn value_at(js: &JsValue, depth: usize) -> Value {
    if let Some(b) = js.as_bool() {
        Value::Bool(b)
    } else if let Some(n) = js.as_f64() {
        Value::Number(n)
    } else if let Some(s) = js.as_string() {
        Value::String(s)
    } else if depth >= MAX_DEPTH {
        Value::Null
    } else if Array::is_array(js) {
        let list: &Array = js.unchecked_ref();
        Value::List(list.iter().map(|v| value_at(&v, depth + 1)).collect())
    } else if js.is_object() && !js.is_function() {
        let entries = Object::entries(js.unchecked_ref());
        Value::Map(
            entries
                .iter()
                .filter_map(|pair| {
                    let pair: Array = pair.unchecked_into();
                    Some((pair.get(0).as_string()?, value_at(&pair.get(1), depth + 1)))
                })
                .collect(),
        )
    } else {
        Value::Null
    }
}

/// The message as ComposeDetails gives it: `{from, identityEmail, to, cc, bcc}`.
pub fn message(js: &JsValue) -> Result<Message, String> {
    if !js.is_object() {
        return Err("the message must be an object".to_owned());
    }
    Ok(Message {
        from: optional_string(js, "from")?.unwrap_or_default(),
        identity_email: optional_string(js, "identityEmail")?,
        to: recipients(js, "to")?,
        cc: recipients(js, "cc")?,
        bcc: recipients(js, "bcc")?,
    })
}

fn get(js: &JsValue, key: &str) -> JsValue {
    Reflect::get(js, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn optional_string(js: &JsValue, key: &str) -> Result<Option<String>, String> {
    let v = get(js, key);
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    v.as_string()
        .map(Some)
        .ok_or_else(|| format!("'{key}' must be a string"))
}

/// A field is a string, an array of strings, or absent.
fn recipients(js: &JsValue, key: &str) -> Result<Recipients, String> {
    let v = get(js, key);
    if v.is_undefined() || v.is_null() {
        return Ok(Recipients::default());
    }
    if let Some(s) = v.as_string() {
        return Ok(Recipients(vec![s]));
    }
    if !Array::is_array(&v) {
        return Err(format!("'{key}' must be a string or a list of strings"));
    }
    let text = JSON::stringify(&v)
        .ok()
        .and_then(|s| s.as_string())
        .ok_or_else(|| format!("'{key}' could not be read"))?;
    json_strings::parse(&text)
        .map(Recipients)
        .map_err(|e| format!("'{key}': {}", e.message()))
}

/// Rust strings out as one JS array. Crossing one joined string and letting JS split it
/// costs one UTF-8 decode instead of one per string: for the 10,000 entries of a large
/// Move-to-Bcc rewrite that is most of the marshalling time.
pub fn string_array(list: &[String]) -> Array {
    const SEPARATOR: char = '\0';
    if list.is_empty() || list.iter().any(|s| s.contains(SEPARATOR)) {
        // NUL never occurs in a real address; if it does, cross them one by one.
        return list.iter().map(|s| JsValue::from_str(s)).collect();
    }
    let mut joined = String::with_capacity(list.iter().map(|s| s.len() + 1).sum());
    for (i, s) in list.iter().enumerate() {
        if i > 0 {
            joined.push(SEPARATOR);
        }
        joined.push_str(s);
    }
    JsString::from(joined).split("\0")
}

/// Replaces `object[key]` with `value`; the object was made by the serializer just before.
pub fn set(object: &JsValue, key: &str, value: &JsValue) -> Result<(), String> {
    Reflect::set(object, &JsValue::from_str(key), value)
        .map(|_| ())
        .map_err(|_| format!("could not set '{key}'"))
}

/// `object[key]`, or undefined.
pub fn field(object: &JsValue, key: &str) -> JsValue {
    get(object, key)
}
