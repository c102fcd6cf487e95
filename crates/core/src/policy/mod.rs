//! The policy: what CcGuard warns about. Every key, with its default and range, is in
//! [`keys::KEYS`]; `read.rs` reads settings leniently, key by key.

pub mod keys;
mod read;
mod refusal;
mod role;

use keys::{KeyKind, KEYS};
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

pub(crate) use read::fold;
pub use read::PolicyReading;
pub use refusal::{Refusal, Rejection};
pub use role::Role;

/// The rule thresholds. Each counts people who would newly see each other's addresses
/// (To and Cc, lists expanded, the user's own addresses and allowlisted recipients left
/// out; the hard limit counts everyone visible); 0 switches a rule off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Thresholds {
    pub private_threshold: u32,
    pub external_threshold: u32,
    pub organisation_threshold: u32,
    pub colleague_threshold: u32,
    pub audience_threshold: u32,
    pub hard_limit: u32,
}

impl Thresholds {
    /// The slot of the threshold key `name`.
    pub fn slot(&mut self, name: &str) -> Option<&mut u32> {
        Some(match name {
            "privateThreshold" => &mut self.private_threshold,
            "externalThreshold" => &mut self.external_threshold,
            "organisationThreshold" => &mut self.organisation_threshold,
            "colleagueThreshold" => &mut self.colleague_threshold,
            "audienceThreshold" => &mut self.audience_threshold,
            "hardLimit" => &mut self.hard_limit,
            _ => return None,
        })
    }
}

impl Default for Thresholds {
    /// The defaults of [`KEYS`].
    fn default() -> Self {
        let mut t = Thresholds {
            private_threshold: 0,
            external_threshold: 0,
            organisation_threshold: 0,
            colleague_threshold: 0,
            audience_threshold: 0,
            hard_limit: 0,
        };
        for key in KEYS {
            if let KeyKind::Threshold { default, .. } = key.kind {
                if let Some(slot) = t.slot(key.name) {
                    *slot = default;
                }
            }
        }
        t
    }
}

/// What one sending identity sets for itself; what it leaves out follows the policy.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IdentitySettings {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    /// Thresholds by key name.
    #[serde(flatten, serialize_with = "as_map")]
    pub thresholds: Vec<(&'static str, u32)>,
}

/// The whole policy. Missing keys take their default and unknown keys are ignored, so
/// settings stored by an older or newer version still load.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Policy {
    #[serde(flatten)]
    pub thresholds: Thresholds,
    pub remember_groups: bool,
    pub learn_groups: bool,
    pub separate_limit: u32,
    pub separate_per_minute: u32,
    pub separate_keep_copies: bool,
    /// Comparable domain patterns (see [`crate::DomainPattern`]), like `allowed_domains`.
    pub internal_domains: Vec<String>,
    pub private_domains: Vec<String>,
    pub not_private_domains: Vec<String>,
    pub allowed_addresses: Vec<String>,
    pub allowed_domains: Vec<String>,
    pub allowed_lists: Vec<String>,
    /// By the identity's comparable address.
    #[serde(serialize_with = "as_map")]
    pub identities: Vec<(String, IdentitySettings)>,
}

impl Default for Policy {
    fn default() -> Self {
        let switch = |name: &str| {
            keys::key(name).is_some_and(|k| matches!(k.kind, KeyKind::Switch { default: true }))
        };
        let number = |name: &str| match keys::key(name).map(|k| k.kind) {
            Some(KeyKind::Number { default, .. }) => default,
            _ => 0,
        };
        Policy {
            thresholds: Thresholds::default(),
            remember_groups: switch("rememberGroups"),
            learn_groups: switch("learnGroups"),
            separate_limit: number("separateLimit"),
            separate_per_minute: number("separatePerMinute"),
            separate_keep_copies: switch("separateKeepCopies"),
            internal_domains: Vec::new(),
            private_domains: Vec::new(),
            not_private_domains: Vec::new(),
            allowed_addresses: Vec::new(),
            allowed_domains: Vec::new(),
            allowed_lists: Vec::new(),
            identities: Vec::new(),
        }
    }
}

impl Policy {
    /// What the policy says of the identity `address` (a comparable address).
    pub fn identity(&self, address: Option<&str>) -> Option<&IdentitySettings> {
        let address = address?;
        self.identities
            .iter()
            .find(|(a, _)| a == address)
            .map(|(_, s)| s)
    }

    /// The thresholds in force for an identity with `role` and `settings`: the role's
    /// reading of the general thresholds, then whatever the identity sets itself.
    pub fn thresholds_for(&self, role: Role, settings: Option<&IdentitySettings>) -> Thresholds {
        let mut t = role.thresholds(self.thresholds);
        for (name, value) in settings.map_or(&[][..], |s| &s.thresholds[..]) {
            if let Some(slot) = t.slot(name) {
                *slot = *value;
            }
        }
        t
    }
}

fn as_map<K: Serialize, V: Serialize, S: Serializer>(
    entries: &[(K, V)],
    s: S,
) -> Result<S::Ok, S::Error> {
    let mut map = s.serialize_map(Some(entries.len()))?;
    for (k, v) in entries {
        map.serialize_entry(k, v)?;
    }
    map.end()
}
