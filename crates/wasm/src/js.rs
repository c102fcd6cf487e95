//! Values across the boundary: in and out through serde-wasm-bindgen, errors as JS
//! `Error`s with a `code` the extension words in the user's language.

use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// The global `structuredClone`, as a catching import: it runs every getter and
    /// refuses what is not plain data (a Proxy, a function), and whatever it throws comes
    /// back as an `Err` here instead of unwinding through Rust frames.
    #[wasm_bindgen(catch, js_name = structuredClone)]
    fn structured_clone(value: &JsValue) -> Result<JsValue, JsValue>;
}

// A message, read once in JavaScript into plain data, with each recipient field's strings
// joined by NUL: serde-wasm-bindgen crosses strings one by one at ~220 ns each (2.2 ms
// of the 3 ms budget for 10,000 recipients), joined they cross as a few (0.65 ms). In
// slices of 1,024: a single string of 10,000 pills is large enough for V8's large-object
// space, whose full collections cost more than the joining saves. The core reads
// `{joined, count}` as those strings and refuses a field whose count does not match (a
// recipient holding a NUL, which no real address does), which is then read field by
// field. A field holding a non-string crosses as it is, and the core refuses it.
#[wasm_bindgen(inline_js = r#"
function pack(field) {
  for (const s of field) if (typeof s !== "string") return structuredClone(field);
  const joined = [];
  for (let i = 0; i < field.length; i += 1024) joined.push(field.slice(i, i + 1024).join("\0"));
  return { joined, count: field.length };
}
export function plain_message(message) {
  if (typeof message !== "object" || message === null || Array.isArray(message)) {
    throw new TypeError("the message must be an object");
  }
  const rest = {};
  const packed = {};
  for (const [key, value] of Object.entries(message)) {
    if ((key === "to" || key === "cc" || key === "bcc") && Array.isArray(value)) packed[key] = pack(value);
    else rest[key] = value;
  }
  // The joined fields are strings this function made: cloning them would only copy them.
  return Object.assign(structuredClone(rest), packed);
}
"#)]
extern "C" {
    #[wasm_bindgen(catch)]
    fn plain_message(message: &JsValue) -> Result<JsValue, JsValue>;
}

/// What an input is, which says how it is copied and what a failure is called.
#[derive(Clone, Copy)]
pub enum Input {
    /// A message or a message header: recipient fields cross joined.
    Message,
    Settings,
    /// Any other plain value (a list of addresses).
    Other,
}

impl Input {
    fn code(self) -> &'static str {
        match self {
            Input::Message => "bad-message",
            Input::Settings => "bad-settings",
            Input::Other => "bad-input",
        }
    }

    fn what(self) -> &'static str {
        match self {
            Input::Message => "the message",
            Input::Settings => "the settings",
            Input::Other => "its input",
        }
    }

    fn copy(self, value: &JsValue) -> Result<JsValue, JsValue> {
        match self {
            Input::Message => plain_message(value),
            Input::Settings | Input::Other => structured_clone(value),
        }
    }
}

/// An `Error` with `message` and a `code` property.
pub fn error(code: &str, message: &str) -> JsValue {
    let error = js_sys::Error::new(message);
    // Setting a property on a fresh Error cannot fail.
    let _ = js_sys::Reflect::set(&error, &"code".into(), &code.into());
    error.into()
}

/// Reads a JS value as `T`. The value is first copied as plain data: a getter that
/// throws or a Proxy is an error ("could not read the message"), never a field read as
/// absent, and serde-wasm-bindgen then reads a copy no JavaScript code can run in.
pub fn from_js<T: DeserializeOwned>(value: JsValue, input: Input) -> Result<T, JsValue> {
    let copy = input.copy(&value);
    let copied = copy.is_ok();
    match (input, read_copy(copy, input)) {
        // The packed copy was made but refused (a recipient holding a NUL, which joining
        // cannot carry): the plain copy, field by field, reads it exactly.
        (Input::Message, Err(_)) if copied => read_copy(structured_clone(&value), input),
        (_, result) => result,
    }
}

fn read_copy<T: DeserializeOwned>(
    copy: Result<JsValue, JsValue>,
    input: Input,
) -> Result<T, JsValue> {
    let describe = |e: &JsValue| {
        js_sys::Reflect::get(e, &"message".into())
            .ok()
            .and_then(|m| m.as_string())
            .filter(|m| !m.is_empty())
            .or_else(|| e.as_string())
            .unwrap_or_else(|| "unknown error".to_owned())
    };
    let plain = copy.map_err(|e| {
        error(
            input.code(),
            &format!("CcGuard could not read {}: {}", input.what(), describe(&e)),
        )
    })?;
    serde_wasm_bindgen::from_value(plain).map_err(|e| {
        let e: JsValue = e.into();
        error(
            input.code(),
            &format!("CcGuard could not read {}: {}", input.what(), describe(&e)),
        )
    })
}

/// Plain objects with camelCase keys (maps as objects, `None` as `null`), so the
/// extension can hand them to `structuredClone` and `runtime.sendMessage` as they are.
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| {
            error(
                "internal",
                &format!("CcGuard could not return its result: {e}"),
            )
        })
}
