//! The JavaScript face of `ccguard-core`.
//!
//! Deliberately thin: every function reads plain JS objects into core types, calls the
//! core once, and returns plain objects (JSON text from `json`, parsed once in JS). Anything that could be
//! decided here belongs in the core, where it is tested natively.

mod marshal;

// Talc instead of the default dlmalloc: about 4 KiB smaller in the .wasm and faster for
// the many small strings of a large recipient list.
#[cfg(all(target_family = "wasm", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

use ccguard_core::{Policy, PrivateDomains};
use serde::Serialize;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;

thread_local! {
    /// The consumer mailbox domains, loaded once by `loadPrivateDomains`.
    static PRIVATE: RefCell<PrivateDomains> = RefCell::new(PrivateDomains::none());
}

/// Plain objects with camelCase keys; maps become objects, not `Map`s, so the extension
/// can hand them straight to `structuredClone` and `runtime.sendMessage`. Written as JSON
/// text by serde-json-core and parsed with one `JSON.parse`: serde-wasm-bindgen, which
/// builds each object field by field across the boundary, cost 8 KiB more of the 100 KiB
/// budget (see docs/architecture.md).
fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    let failed = || JsError::new("CcGuard could not return its result");
    let text = json_text(value).ok_or_else(failed)?;
    js_sys::JSON::parse(&text).map_err(|_| failed())
}

/// `value` as JSON text; `None` for a value JSON cannot hold (CcGuard returns none).
fn json_text<T: Serialize>(value: &T) -> Option<String> {
    // Most results fit at once; a 10,000-recipient verdict takes a couple of doublings.
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        match serde_json_core::to_slice(value, &mut buf) {
            Ok(n) => {
                buf.truncate(n);
                return String::from_utf8(buf).ok();
            }
            Err(serde_json_core::ser::Error::BufferFull) => buf.resize(buf.len() * 2, 0),
            Err(_) => return None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::json_text;
    use ccguard_core::message::Recipients;
    use ccguard_core::{evaluate, parse_address_list, Message, Policy, PrivateDomains};

    /// What serde_json writes, value for value: the extension sees the objects it always did.
    fn same_as_serde_json<T: serde::Serialize>(value: &T) {
        let ours: serde_json::Value = serde_json::from_str(&json_text(value).unwrap()).unwrap();
        assert_eq!(ours, serde_json::to_value(value).unwrap());
    }

    #[test]
    fn verdicts_and_parses_read_back_as_serde_json_writes_them() {
        let hostile = "\"<img src=x onerror=alert(1)>\\ \u{1}\t\n é 漢字 😀\" <x@ü.example>";
        let cc: Vec<String> = (0..3000)
            .map(|i| format!("P{i} <p{i}@d{}.example>", i % 70))
            .collect();
        let m = Message {
            from: "Ann <ann@shop.example>".into(),
            to: Recipients::from(vec![hostile, "bad <", "team@shop.example"]),
            cc: Recipients::from(cc),
            ..Message::default()
        };
        for policy in [
            Policy::default(),
            Policy::read(&ccguard_core::Value::Null).policy,
        ] {
            same_as_serde_json(&evaluate(
                &m,
                &policy,
                &PrivateDomains::from_lines("gmail.com"),
            ));
        }
        same_as_serde_json(&parse_address_list(&format!("{hostile}, g: a@b.example;")));
        same_as_serde_json(&Policy::read(&ccguard_core::Value::Null));
    }
}

/// `parseAddressList(header)`: the jsmime-shaped list of `{name, email}` / `{name, group}`.
#[wasm_bindgen(js_name = parseAddressList)]
pub fn parse_address_list(header: &str) -> Result<JsValue, JsError> {
    to_js(&ccguard_core::parse_address_list(header))
}

/// `defaultPolicy()`: the policy CcGuard applies when nothing is configured.
#[wasm_bindgen(js_name = defaultPolicy)]
pub fn default_policy() -> Result<JsValue, JsError> {
    to_js(&Policy::default())
}

/// `readPolicy(settings)`: `{policy, rejected: [{key, value, reason}]}`: the policy in
/// force for these settings, and every setting refused (it keeps its default).
#[wasm_bindgen(js_name = readPolicy)]
pub fn read_policy(settings: JsValue) -> Result<JsValue, JsError> {
    to_js(&Policy::read(&marshal::value(&settings)))
}

/// `loadPrivateDomains(bytes)`: the compiled table of consumer mailbox domains shipped in
/// the XPI (`wasm/private-domains.bin`). Returns how many domains it holds; a broken
/// table is refused and the previous one kept.
#[wasm_bindgen(js_name = loadPrivateDomains)]
pub fn load_private_domains(bytes: &[u8]) -> Result<u32, JsError> {
    let table = PrivateDomains::from_table(bytes).map_err(|e| JsError::new(e.message()))?;
    let n = table.len() as u32;
    PRIVATE.with(|p| *p.borrow_mut() = table);
    Ok(n)
}

/// `evaluate(message, policy)`: the verdict for a message as `compose.onBeforeSend`
/// gives it. A missing policy is the default one; a bad key in it keeps its default, so
/// a broken setting never turns the check off.
#[wasm_bindgen]
pub fn evaluate(message: JsValue, policy: JsValue) -> Result<JsValue, JsError> {
    let read = marshal::message(&message)
        .map_err(|e| JsError::new(&format!("CcGuard could not read the message: {e}")))?;
    let policy = Policy::read(&marshal::value(&policy)).policy;
    let mut verdict = PRIVATE.with(|p| ccguard_core::evaluate(&read, &policy, &p.borrow()));
    // A rewrite can hold every recipient: its Bcc is handed back reusing the caller's own
    // strings (see marshal::strings_out), the rest of the verdict as JSON.
    let bcc_all = verdict
        .move_to_bcc
        .as_mut()
        .map(|m| std::mem::take(&mut m.bcc));
    let bcc_external = verdict
        .move_external_to_bcc
        .as_mut()
        .map(|m| std::mem::take(&mut m.bcc));
    let js = to_js(&verdict)?;
    let inputs = marshal::Inputs::of(&message, &read);
    for (key, bcc) in [("moveToBcc", bcc_all), ("moveExternalToBcc", bcc_external)] {
        if let Some(bcc) = bcc {
            marshal::set(
                &marshal::field(&js, key),
                "bcc",
                &marshal::strings_out(&bcc, &inputs),
            )
            .map_err(|e| JsError::new(&format!("CcGuard could not return its result: {e}")))?;
        }
    }
    Ok(js)
}
