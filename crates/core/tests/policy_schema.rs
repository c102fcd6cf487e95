//! The administrators' schema (docs/admin/ccguard-policy.schema.json) is generated from the
//! key table: this fails, naming the command that regenerates it, while the committed file
//! differs from what `examples/policy_schema.rs` prints.

#[path = "../examples/policy_schema.rs"]
mod policy_schema;

use ccguard_core::policy::keys::{KEYS, LEGACY_THRESHOLD};
use ccguard_core::Policy;
use policy_schema::{schema, text, Json, REGENERATE, SCHEMA_PATH};
use std::path::Path;

fn committed() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(SCHEMA_PATH);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}\nwrite it with:\n    {REGENERATE}", path.display()))
        // A checkout with CRLF line endings holds the same schema.
        .replace("\r\n", "\n")
}

#[test]
fn the_committed_schema_is_the_generated_one() {
    let want = text();
    let have = committed();
    if have != want {
        let line = have
            .lines()
            .zip(want.lines())
            .position(|(a, b)| a != b)
            .unwrap_or_else(|| have.lines().count().min(want.lines().count()));
        panic!(
            "{SCHEMA_PATH} is not what the key table (crates/core/src/policy/keys.rs) gives, from line {}:\n  committed: {}\n  generated: {}\nregenerate it with:\n    {REGENERATE}",
            line + 1,
            have.lines().nth(line).unwrap_or("(end of file)"),
            want.lines().nth(line).unwrap_or("(end of file)"),
        );
    }
}

#[test]
fn every_key_is_in_the_schema_with_the_default_the_core_applies() {
    let schema = schema();
    let properties = schema.get("properties").expect("properties");
    let defaults = serde_json::to_value(Policy::default()).expect("the policy is JSON");
    let defaults = defaults.as_object().expect("the policy is an object");
    let sorted = |mut names: Vec<String>| {
        names.sort();
        names
    };
    assert_eq!(
        sorted(defaults.keys().cloned().collect()),
        sorted(KEYS.iter().map(|k| k.name.to_owned()).collect()),
        "Policy::default() and the key table name different keys"
    );
    for key in KEYS {
        let p = properties
            .get(key.name)
            .unwrap_or_else(|| panic!("{} is not in the schema", key.name));
        let default = serde_json::to_value(p.get("default").expect("a default")).unwrap();
        assert_eq!(&default, &defaults[key.name], "{}'s default", key.name);
        assert_eq!(
            p.get("description"),
            Some(&Json::Str(key.doc.to_owned())),
            "{}",
            key.name
        );
    }
    assert!(properties.get(LEGACY_THRESHOLD).is_some());
    assert!(properties.get("locked").is_some());
}
