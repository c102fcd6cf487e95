//! The JavaScript face of `ccguard-core`.
//!
//! Deliberately thin: every function reads plain JS objects into core types, calls the
//! core once, and returns plain objects (JSON text from `json`, parsed once in JS). Anything that could be
//! decided here belongs in the core, where it is tested natively.

mod json;
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
/// can hand them straight to `structuredClone` and `runtime.sendMessage`.
fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    let text = json::to_string(value)
        .map_err(|e| JsError::new(&format!("CcGuard could not return its result: {e}")))?;
    js_sys::JSON::parse(&text).map_err(|_| JsError::new("CcGuard could not return its result"))
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
