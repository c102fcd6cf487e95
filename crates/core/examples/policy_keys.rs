//! Prints every setting of the policy as JSON: `{keys, identityKeys}`, each with its
//! name, type, default, bounds, group and rule (policy/keys.rs). build.sh ships it in the
//! XPI as `wasm/policy-keys.json`: the options page builds its form from it, and it is
//! what CcGuard still knows of the policy when the WASM cannot load.
//!
//!     cargo run -p ccguard-core --example policy_keys > policy-keys.json

use ccguard_core::policy::keys::{IDENTITY_KEYS, KEYS};

fn main() {
    let table = serde_json::json!({ "keys": KEYS, "identityKeys": IDENTITY_KEYS });
    println!(
        "{}",
        serde_json::to_string_pretty(&table).expect("the table is JSON")
    );
}
