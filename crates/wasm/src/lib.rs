//! The JavaScript face of `ccguard-core`.
//!
//! Deliberately thin: every function takes plain JS objects, reads them into core types
//! with serde-wasm-bindgen, calls the core once, and returns plain objects the same way.
//! The core borrows the browser's text services (`browser_text.rs`). Anything that could
//! be decided here belongs in the core, where it is tested natively.

mod browser_text;
mod js;

use browser_text::Browser;
use ccguard_core::{Env, Message, Policy, PrivateDomains, Related, Value};
use js::{from_js, to_js, Input};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;

thread_local! {
    /// The consumer mailbox domains, loaded once by `loadPrivateDomains`.
    static PRIVATE: RefCell<PrivateDomains> = RefCell::new(PrivateDomains::none());
}

/// The core's view of the page: the browser's text services and the loaded table.
fn with_env<T>(f: impl FnOnce(&Env<'_>) -> T) -> T {
    PRIVATE.with(|private| f(&Env::new(&Browser, &private.borrow())))
}

/// The policy in force for settings as stored (a bad key keeps its default).
fn policy_of(settings: JsValue) -> Result<Policy, JsValue> {
    let settings: Value = from_js(settings, Input::Settings)?;
    Ok(Policy::read(&settings, &Browser).policy)
}

/// `parseAddressList(header)`: the jsmime-shaped list of `{name, email}` / `{name, group}`.
#[wasm_bindgen(js_name = parseAddressList)]
pub fn parse_address_list(header: JsValue) -> Result<JsValue, JsValue> {
    // Taken as any value and checked here: a non-string handed to a `&str` parameter is
    // not checked by the glue and would trap.
    let header = header.as_string().ok_or_else(|| {
        js::error(
            "bad-input",
            "CcGuard could not read the header: it is not a string",
        )
    })?;
    to_js(&ccguard_core::parse_address_list(&header, &Browser))
}

/// `defaultPolicy()`: the policy CcGuard applies when nothing is configured.
#[wasm_bindgen(js_name = defaultPolicy)]
pub fn default_policy() -> Result<JsValue, JsValue> {
    to_js(&Policy::default())
}

/// `readPolicy(settings)`: `{policy, rejected: [{key, value, reason: {code, …}}]}`: the
/// policy in force for these settings, and every setting refused (it keeps its default).
#[wasm_bindgen(js_name = readPolicy)]
pub fn read_policy(settings: JsValue) -> Result<JsValue, JsValue> {
    let settings: Value = from_js(settings, Input::Settings)?;
    to_js(&Policy::read(&settings, &Browser))
}

/// `loadPrivateDomains(bytes)`: the compiled table of consumer mailbox domains shipped in
/// the XPI (`wasm/private-domains.bin`). Returns how many domains it holds; a damaged
/// table is refused (an `Error` with the table's `code`) and the previous one kept.
#[wasm_bindgen(js_name = loadPrivateDomains)]
pub fn load_private_domains(bytes: &[u8]) -> Result<u32, JsValue> {
    let table = PrivateDomains::from_table(bytes).map_err(|e| js::error(e.code(), e.message()))?;
    let n = table.len() as u32;
    PRIVATE.with(|p| *p.borrow_mut() = table);
    Ok(n)
}

/// `evaluate(message, policy)`: the verdict for a message as `compose.onBeforeSend`
/// gives it, plus what only the extension knows (lists, own addresses, the related
/// message, known groups). A missing policy is the default one.
#[wasm_bindgen]
pub fn evaluate(message: JsValue, policy: JsValue) -> Result<JsValue, JsValue> {
    let message: Message = from_js(message, Input::Message)?;
    let policy = policy_of(policy)?;
    to_js(&with_env(|env| {
        ccguard_core::evaluate(&message, &policy, env)
    }))
}

/// `moveToBcc(message, policy)`: `{to, cc, bcc}` with the sender alone in To and
/// everyone else in Bcc.
#[wasm_bindgen(js_name = moveToBcc)]
pub fn move_to_bcc(message: JsValue, policy: JsValue) -> Result<JsValue, JsValue> {
    let message: Message = from_js(message, Input::Message)?;
    let policy = policy_of(policy)?;
    to_js(&with_env(|env| {
        ccguard_core::move_to_bcc(&message, &policy, env)
    }))
}

/// `moveExternalToBcc(message, policy)`: `{to, cc, bcc}` with colleagues where they were
/// and everyone else in Bcc, or `null` when there are not both.
#[wasm_bindgen(js_name = moveExternalToBcc)]
pub fn move_external_to_bcc(message: JsValue, policy: JsValue) -> Result<JsValue, JsValue> {
    let message: Message = from_js(message, Input::Message)?;
    let policy = policy_of(policy)?;
    to_js(&with_env(|env| {
        ccguard_core::move_external_to_bcc(&message, &policy, env)
    }))
}

/// `visibleAddresses(message, policy)`: the comparable addresses of everyone the message
/// shows to each other (To and Cc, lists expanded, the user's own left out): what "They
/// know each other — don't ask again for this group" remembers.
#[wasm_bindgen(js_name = visibleAddresses)]
pub fn visible_addresses(message: JsValue, policy: JsValue) -> Result<JsValue, JsValue> {
    let message: Message = from_js(message, Input::Message)?;
    let policy = policy_of(policy)?;
    to_js(&with_env(|env| {
        ccguard_core::visible_addresses(&message, &policy, env)
    }))
}

/// `receivedGroup(header, ownAddresses, policy)`: the comparable addresses of the people a
/// received message (`{author, to, cc}`) showed to each other, or `null` when it does not
/// make them a group (written inside the organisation, fewer than two people, too many).
#[wasm_bindgen(js_name = receivedGroup)]
pub fn received_group(
    header: JsValue,
    own_addresses: JsValue,
    policy: JsValue,
) -> Result<JsValue, JsValue> {
    let header: Related = from_js(header, Input::Message)?;
    let own: Vec<String> = from_js(own_addresses, Input::Other)?;
    let policy = policy_of(policy)?;
    to_js(&with_env(|env| {
        ccguard_core::received_group(&header, &own, &policy, env)
    }))
}

/// `separately(message, policy)`: the plan of "Send separately": `{copies: [{to, address}],
/// colleagues: {to, cc, bcc} | null, everyone: [...], obstacle: null | code}`.
#[wasm_bindgen]
pub fn separately(message: JsValue, policy: JsValue) -> Result<JsValue, JsValue> {
    let message: Message = from_js(message, Input::Message)?;
    let policy = policy_of(policy)?;
    to_js(&with_env(|env| {
        ccguard_core::separate(&message, &policy, env)
    }))
}
