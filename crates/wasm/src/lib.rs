//! The JavaScript face of `ccguard-core`.
//!
//! Deliberately thin: every function reads plain JS objects into core types, calls the
//! core once, and returns plain objects through serde-wasm-bindgen. Anything that could be
//! decided here belongs in the core, where it is tested natively.

mod marshal;

use ccguard_core::Policy;
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// Plain objects with camelCase keys; maps become objects, not `Map`s, so the extension
/// can hand them straight to `structuredClone` and `runtime.sendMessage`.
fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&format!("CcGuard could not return its result: {e}")))
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

/// `evaluate(message, policy)`: the verdict for a message as `compose.onBeforeSend`
/// gives it. A missing policy is the default one; a bad key in it keeps its default, so
/// a broken setting never turns the check off.
#[wasm_bindgen]
pub fn evaluate(message: JsValue, policy: JsValue) -> Result<JsValue, JsError> {
    let read = marshal::message(&message)
        .map_err(|e| JsError::new(&format!("CcGuard could not read the message: {e}")))?;
    let policy = Policy::read(&marshal::value(&policy)).policy;
    let mut verdict = ccguard_core::evaluate(&read, &policy);
    // The rewrite can hold every recipient: it is handed back reusing the caller's own
    // strings (see marshal::strings_out), the rest of the verdict through serde-wasm-bindgen.
    let bcc = std::mem::take(&mut verdict.move_to_bcc.bcc);
    let js = to_js(&verdict)?;
    let bcc = marshal::strings_out(&bcc, &marshal::Inputs::of(&message, &read));
    marshal::set(&marshal::field(&js, "moveToBcc"), "bcc", &bcc)
        .map_err(|e| JsError::new(&format!("CcGuard could not return its result: {e}")))?;
    Ok(js)
}
