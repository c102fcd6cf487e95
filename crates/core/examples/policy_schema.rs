//! Prints the JSON Schema of CcGuard's managed settings for administrators
//! (`docs/admin/ccguard-policy.schema.json`), generated from the core's one table of keys
//! (`policy/keys.rs`): each key's description is its `doc`, its type, bounds and default
//! follow from its `kind`, and `locked` names exactly the keys. `tests/policy_schema.rs`
//! (which includes this file) fails when the committed schema is not this output.
//!
//!     cargo run -q -p ccguard-core --example policy_schema > docs/admin/ccguard-policy.schema.json

use ccguard_core::policy::keys::{
    Entry, Key, KeyKind, IDENTITY_KEYS, KEYS, LEGACY_THRESHOLD, MAX_THRESHOLD,
};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

/// Where the schema lives, from the workspace root.
pub const SCHEMA_PATH: &str = "docs/admin/ccguard-policy.schema.json";
/// The command that writes it.
pub const REGENERATE: &str =
    "cargo run -q -p ccguard-core --example policy_schema > docs/admin/ccguard-policy.schema.json";

/// A JSON value whose objects keep the order they are written in (serde_json's `Value`
/// sorts keys unless a feature this workspace does not enable is on; a schema reads best in
/// the table's order).
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    Bool(bool),
    Int(i64),
    Str(String),
    Arr(Vec<Json>),
    Obj(Vec<(String, Json)>),
}

impl Serialize for Json {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Json::Bool(b) => s.serialize_bool(*b),
            Json::Int(n) => s.serialize_i64(*n),
            Json::Str(t) => s.serialize_str(t),
            Json::Arr(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Json::Obj(entries) => {
                let mut map = s.serialize_map(Some(entries.len()))?;
                for (k, v) in entries {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

impl Json {
    /// The member `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Obj(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
}

fn obj<const N: usize>(entries: [(&str, Json); N]) -> Json {
    Json::Obj(
        entries
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
    )
}

fn s(text: &str) -> Json {
    Json::Str(text.to_owned())
}

fn int(n: u32) -> Json {
    Json::Int(i64::from(n))
}

fn reference(def: &str) -> Json {
    s(&format!("#/$defs/{def}"))
}

/// Appends `more` to an object.
fn with(mut json: Json, more: impl IntoIterator<Item = (&'static str, Json)>) -> Json {
    if let Json::Obj(entries) = &mut json {
        entries.extend(more.into_iter().map(|(k, v)| (k.to_owned(), v)));
    }
    json
}

// A domain label: ASCII letters and digits with inner hyphens, or any non-ASCII letters (an
// IDN in Unicode form); punycode (xn--) is plain ASCII.
const LABEL: &str =
    r"(?:[A-Za-z0-9]|[^\x00-\x7F])(?:(?:[A-Za-z0-9-]|[^\x00-\x7F])*(?:[A-Za-z0-9]|[^\x00-\x7F]))?";

fn domain_regex() -> String {
    format!(r"{LABEL}(?:\.{LABEL})*")
}

/// The `$defs` name of a list entry's kind.
fn entry_def(entry: Entry) -> &'static str {
    match entry {
        Entry::DomainPattern => "domainPattern",
        Entry::Domain => "domain",
        Entry::Address => "emailAddress",
        Entry::ListName => "listName",
    }
}

/// A threshold's schema: the shared definition, with its own maximum if it has another.
fn threshold(max: u32) -> Json {
    let base = obj([("$ref", reference("threshold"))]);
    if max == MAX_THRESHOLD {
        base
    } else {
        with(base, [("maximum", int(max))])
    }
}

/// The schema of one key, its default and its description.
fn property(key: &Key) -> Json {
    let doc = s(key.doc);
    match key.kind {
        KeyKind::Threshold { default, max } => with(
            threshold(max),
            [("default", int(default)), ("description", doc)],
        ),
        KeyKind::Number { default, min, max } => obj([
            ("type", s("integer")),
            ("minimum", int(min)),
            ("maximum", int(max)),
            ("default", int(default)),
            ("description", doc),
        ]),
        KeyKind::Switch { default } => obj([
            ("$ref", reference("switch")),
            ("default", Json::Bool(default)),
            ("description", doc),
        ]),
        KeyKind::List { entry, max } => obj([
            ("type", s("array")),
            ("maxItems", int(max)),
            ("items", obj([("$ref", reference(entry_def(entry)))])),
            ("default", Json::Arr(Vec::new())),
            ("description", doc),
        ]),
        KeyKind::Identities { max } => obj([
            ("type", s("object")),
            ("maxProperties", int(max)),
            ("propertyNames", obj([("$ref", reference("emailAddress"))])),
            (
                "additionalProperties",
                obj([("$ref", reference("identitySettings"))]),
            ),
            ("default", obj([])),
            ("description", doc),
        ]),
        KeyKind::Choice { choices } => obj([
            ("enum", Json::Arr(choices.iter().map(|c| s(c)).collect())),
            ("description", doc),
        ]),
    }
}

/// The key version 1's `threshold` is read as (policy/read.rs).
const LEGACY_SUCCESSOR: &str = "externalThreshold";

/// The schema, from [`KEYS`], [`IDENTITY_KEYS`] and [`LEGACY_THRESHOLD`].
pub fn schema() -> Json {
    assert!(
        KEYS.iter()
            .any(|k| k.name == LEGACY_SUCCESSOR && matches!(k.kind, KeyKind::Threshold { .. })),
        "the legacy key's successor {LEGACY_SUCCESSOR} is no longer a threshold of the table"
    );
    let mut properties: Vec<(String, Json)> = KEYS
        .iter()
        .map(|k| (k.name.to_owned(), property(k)))
        .collect();
    properties.push((
        LEGACY_THRESHOLD.to_owned(),
        with(
            threshold(MAX_THRESHOLD),
            [
                ("deprecated", Json::Bool(true)),
                (
                    "description",
                    s(&format!(
                        "Version 1's name for {LEGACY_SUCCESSOR}. Read only when {LEGACY_SUCCESSOR} is absent; write {LEGACY_SUCCESSOR} instead."
                    )),
                ),
            ],
        ),
    ));
    let names: Vec<Json> = KEYS
        .iter()
        .map(|k| k.name)
        .chain([LEGACY_THRESHOLD])
        .map(s)
        .collect();
    properties.push((
        "locked".to_owned(),
        obj([
            (
                "oneOf",
                Json::Arr(vec![
                    obj([
                        ("enum", Json::Arr(vec![Json::Bool(true), Json::Bool(false), Json::Int(1), Json::Int(0)])),
                        ("description", s("true: every setting is locked, the keys you set at your values, all others at CcGuard's defaults (keys added by later versions included). false: only the keys you set. 1 and 0 are read as true and false (a REG_DWORD, or a plist <true/>).")),
                    ]),
                    obj([
                        ("type", s("array")),
                        ("uniqueItems", Json::Bool(true)),
                        ("items", obj([("enum", Json::Arr(names))])),
                        ("description", s(&format!("These settings are locked in addition to the ones you set; those you do not set are frozen at CcGuard's defaults. '{LEGACY_THRESHOLD}' means {LEGACY_SUCCESSOR}."))),
                    ]),
                ]),
            ),
            ("description", s("Keys the user cannot change although you did not set them (a key you set is always locked). true (or 1) locks everything; false (or 0) and a missing key lock nothing more.")),
        ]),
    ));

    let domain = domain_regex();
    let mut identity: Vec<(String, Json)> = IDENTITY_KEYS
        .iter()
        .map(|k| (k.name.to_owned(), property(k)))
        .collect();
    let per_identity: Vec<&Key> = KEYS.iter().filter(|k| k.per_identity).collect();
    for k in &per_identity {
        let KeyKind::Threshold { max, .. } = k.kind else {
            panic!("{}: only thresholds may be set per identity", k.name);
        };
        identity.push((
            k.name.to_owned(),
            with(
                threshold(max),
                [(
                    "description",
                    s(&format!(
                        "This identity's {}; left out, the general value applies.",
                        k.name
                    )),
                )],
            ),
        ));
    }
    let roles = IDENTITY_KEYS
        .iter()
        .map(|k| k.name)
        .collect::<Vec<_>>()
        .join(", ");
    let thresholds = per_identity
        .iter()
        .map(|k| k.name)
        .collect::<Vec<_>>()
        .join(", ");

    obj([
        ("$schema", s("https://json-schema.org/draft/2020-12/schema")),
        ("title", s("CcGuard managed settings")),
        ("description", s("The object an administrator puts at policies[\"3rdparty\"].Extensions[\"ccguard@ccguard.org\"] of Thunderbird's enterprise policies (policies.json, the Windows registry, or a macOS configuration profile). CcGuard reads it through storage.managed. Every key you set overrides the user's value and cannot be changed by the user; 'locked' freezes further keys at CcGuard's defaults. A malformed or out-of-range value never switches protection off: CcGuard refuses that value (or that one list entry), uses the key's safe default, and shows the refusal and its reason on its options page. Every key, its default and range: docs/policy.md.")),
        ("$comment", s("Generated from the core's table of keys (crates/core/src/policy/keys.rs) by crates/core/examples/policy_schema.rs: change those, then regenerate; crates/core/tests/policy_schema.rs fails while this file differs. additionalProperties is true on purpose. CcGuard ignores keys it does not know, so one policy file can serve two CcGuard versions during a roll-out, and a later version may add keys (an older CcGuard must not reject a file written for a newer one). Check spelling: a misspelt key (privateTreshold) is an unknown key and is ignored; tests/admin/validate-examples.mjs warns about unknown keys. Thunderbird does not validate this object itself: its own policy schema accepts any JSON object here.")),
        ("type", s("object")),
        ("properties", Json::Obj(properties)),
        ("additionalProperties", Json::Bool(true)),
        (
            "$defs",
            obj([
                (
                    "threshold",
                    obj([
                        ("type", s("integer")),
                        ("minimum", int(0)),
                        ("maximum", int(MAX_THRESHOLD)),
                        ("description", s(&format!("A whole number of people from 0 to {MAX_THRESHOLD}; 0 switches the rule off. Anything else (a string, a negative or fractional number, more than {MAX_THRESHOLD}) is refused and the default applies."))),
                    ]),
                ),
                (
                    "switch",
                    obj([
                        ("enum", Json::Arr(vec![Json::Bool(true), Json::Bool(false), Json::Int(1), Json::Int(0)])),
                        ("description", s("true or false; 1 and 0 are read as true and false, since that is how the Windows registry (REG_DWORD) and a macOS plist (<true/>, <false/>) hand a boolean over. Anything else is refused and the default applies.")),
                    ]),
                ),
                (
                    "domain",
                    obj([
                        ("type", s("string")),
                        ("pattern", s(&format!("^@?{domain}$"))),
                        ("$comment", s("Dot-separated labels of ASCII letters, digits and inner hyphens, or any non-ASCII letters (IDN in Unicode form); punycode (xn--) is plain ASCII. CcGuard also trims surrounding spaces and limits a domain to 253 bytes; the schema is stricter and allows no spaces.")),
                        ("examples", Json::Arr(vec![s("example.org"), s("@example.org"), s("bücher.example")])),
                    ]),
                ),
                (
                    "domainPattern",
                    obj([
                        ("type", s("string")),
                        ("pattern", s(&format!(r"^@?(?:\*\.)?{domain}$"))),
                        ("description", s("example.org (that domain), *.example.org (its subdomains at any depth, not the domain itself), @example.org (same as example.org).")),
                        ("examples", Json::Arr(vec![s("example.org"), s("*.example.org"), s("@example.org")])),
                    ]),
                ),
                (
                    "emailAddress",
                    obj([
                        ("type", s("string")),
                        ("pattern", s(&format!(r"^[^\s@]+@{domain}$"))),
                        ("$comment", s("A local part without spaces or '@', then a domain as in #/$defs/domain. CcGuard itself accepts any non-empty local part; the schema is stricter.")),
                        ("examples", Json::Arr(vec![s("all-staff@example.org"), s("office@school.example")])),
                    ]),
                ),
                (
                    "listName",
                    obj([
                        ("type", s("string")),
                        ("minLength", int(1)),
                        ("pattern", s(r"\S")),
                        ("description", s("The name of an address-book mailing list, as shown in the address book; any case.")),
                    ]),
                ),
                (
                    "identitySettings",
                    obj([
                        ("type", s("object")),
                        ("properties", Json::Obj(identity)),
                        ("additionalProperties", Json::Bool(true)),
                        ("description", s(&format!("What one sending identity sets for itself: {roles}, and any of {thresholds}. A key left out follows the general settings; other keys are ignored."))),
                    ]),
                ),
            ]),
        ),
    ])
}

/// The schema as the committed file holds it: two-space indentation, a final newline.
pub fn text() -> String {
    let mut out = serde_json::to_string_pretty(&schema()).expect("the schema is JSON");
    out.push('\n');
    out
}

#[allow(dead_code)] // the test includes this file as a module
fn main() {
    print!("{}", text());
}
