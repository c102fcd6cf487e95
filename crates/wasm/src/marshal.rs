//! JS values in, core types out. Read with js-sys rather than serde-wasm-bindgen's
//! deserializer: its type-error path links Rust's float formatting (about 15 KiB of the
//! 100 KiB budget), and the policy must be read key by key anyway (a bad key falls back,
//! see `Policy::read`), which a typed deserializer cannot do.

use ccguard_core::message::Recipients;
use ccguard_core::{MailingList, Message, Value};
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

// The type check of a 10,000-recipient field as one call into JavaScript: `Array::every`
// with a Rust closure crossed the boundary once per recipient (about 5 % of `evaluate`).
#[wasm_bindgen(
    inline_js = "export function all_strings(a) { for (const x of a) { if (typeof x !== 'string') return false; } return true; }"
)]
extern "C" {
    fn all_strings(array: &Array) -> bool;
}

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
        own_addresses: strings(&get(js, "ownAddresses"), "ownAddresses")?.unwrap_or_default(),
        lists: lists(&get(js, "lists"))?,
    })
}

/// An optional array of strings (`None` when absent or null).
fn strings(v: &JsValue, what: &str) -> Result<Option<Vec<String>>, String> {
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    let list = Array::is_array(v)
        .then(|| {
            v.unchecked_ref::<Array>()
                .iter()
                .map(|s| s.as_string())
                .collect()
        })
        .flatten();
    list.map(Some)
        .ok_or_else(|| format!("'{what}' must be a list of strings"))
}

/// `[{ref, name, members: string[] | null}]`.
fn lists(v: &JsValue) -> Result<Vec<MailingList>, String> {
    if v.is_undefined() || v.is_null() {
        return Ok(Vec::new());
    }
    if !Array::is_array(v) {
        return Err("'lists' must be a list".to_owned());
    }
    let mut out = Vec::new();
    for item in v.unchecked_ref::<Array>().iter() {
        let reference = get(&item, "ref").as_string();
        let name = get(&item, "name").as_string();
        let (Some(reference), Some(name)) = (reference, name) else {
            return Err("every list needs a 'ref' and a 'name' string".to_owned());
        };
        out.push(MailingList {
            reference,
            name,
            members: strings(&get(&item, "members"), "members")?,
        });
    }
    Ok(out)
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
        return Ok(Recipients::from(s.as_str()));
    }
    if !Array::is_array(&v) {
        return Err(format!("'{key}' must be a string or a list of strings"));
    }
    let array: &Array = v.unchecked_ref();
    if !all_strings(array) {
        return Err(format!("'{key}': every recipient must be a string"));
    }
    // Joined strings cross far faster than one string per recipient. In slices, so that
    // each joined string stays small enough for V8's young generation: one huge string
    // per call lands in large-object space and brings full garbage collections.
    const SLICE: u32 = 1024;
    let count = array.length();
    let mut out = Recipients::default();
    let mut start = 0;
    while start < count {
        let end = count.min(start + SLICE);
        let joined = String::from(array.slice(start, end).join("\0"));
        if out.push_joined(&joined, '\0') != (end - start) as usize {
            // A recipient holding NUL (never in a real address): one by one.
            return Ok(one_by_one(array));
        }
        start = end;
    }
    Ok(out)
}

fn one_by_one(array: &Array) -> Recipients {
    let mut out = Recipients::default();
    for item in array.iter() {
        out.push(&item.as_string().unwrap_or_default());
    }
    out
}

/// The caller's recipient arrays, in the order the Move-to-Bcc rewrite draws from them.
pub struct Inputs<'a> {
    arrays: Vec<(Array, &'a Recipients)>,
}

impl<'a> Inputs<'a> {
    /// `to`, `cc` and `bcc` of the message object as JS arrays, with their text as read.
    pub fn of(message_js: &JsValue, message: &'a Message) -> Inputs<'a> {
        let mut arrays = Vec::with_capacity(3);
        for (key, read) in [
            ("bcc", &message.bcc),
            ("to", &message.to),
            ("cc", &message.cc),
        ] {
            let v = get(message_js, key);
            if Array::is_array(&v) {
                arrays.push((v.unchecked_into(), read));
            }
        }
        Inputs { arrays }
    }
}

/// Rust strings out as one JS array, reusing the caller's own string wherever the text is
/// identical. Most of a rewrite is the user's pills as typed, so this skips decoding
/// them again: for 10,000 recipients that is a fifth of the `evaluate` budget. Whether a
/// string is reused or made anew, its text is the same; the walk only decides the cost.
pub fn strings_out(list: &[String], inputs: &Inputs<'_>) -> Array {
    // Plain loops rather than `flat_map`: one iterator call per recipient otherwise.
    let mut flat: Vec<(&Array, u32, &str)> =
        Vec::with_capacity(inputs.arrays.iter().map(|(_, texts)| texts.len()).sum());
    for (array, texts) in &inputs.arrays {
        for (i, t) in texts.iter().enumerate() {
            flat.push((array, i as u32, t));
        }
    }
    let out = Array::new();
    // The rewrite keeps input order and only drops entries (sender, duplicates), so a
    // forward walk finds each reused pill; the comparison budget keeps it linear even when
    // nothing matches.
    let mut next = 0;
    let mut budget = 4 * (flat.len() + list.len());
    for text in list {
        let found = flat[next.min(flat.len())..]
            .iter()
            .take(budget)
            .position(|(_, _, t)| *t == text.as_str());
        budget = budget.saturating_sub(found.map_or(flat.len() - next.min(flat.len()), |k| k + 1));
        match found {
            Some(k) => {
                let (array, index, _) = flat[next + k];
                out.push(&array.get(index));
                next += k + 1;
            }
            None => {
                out.push(&JsValue::from_str(text));
            }
        }
    }
    out
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
