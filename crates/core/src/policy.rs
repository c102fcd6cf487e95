//! The policy: what CcGuard warns about. Every key is documented with its default and
//! range in `docs/policy.md`; `policy/read.rs` reads them leniently, key by key.

mod read;

use crate::domains::DomainPattern;
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

pub(crate) use read::fold;
pub use read::{PolicyReading, Rejection};

/// The rule thresholds. Each counts visible people (To and Cc, lists expanded, the
/// user's own addresses and allowlisted recipients left out); 0 switches a rule off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Thresholds {
    /// Private individuals (consumer mailbox domains) from which to warn.
    pub private_threshold: u32,
    /// People outside the organisation (private individuals included).
    pub external_threshold: u32,
    /// Distinct external organisations (domains that are neither internal nor private).
    pub organisation_threshold: u32,
    /// Everyone visible, colleagues too: the gentle "large audience" warning.
    pub audience_threshold: u32,
    /// More visible people than this cannot be sent as written ("Send anyway" is off).
    pub hard_limit: u32,
}

impl Thresholds {
    /// Defaults chosen on the labelled scenario set (`./build.sh judge`): every incident
    /// warns, and so does every send whose labelled exposure a recipient list can show;
    /// colleagues, partner meetings and replies to one customer stay quiet. Internal
    /// broadcasts were labelled quiet up to 300 people, hence the high audience default.
    pub const DEFAULT: Thresholds = Thresholds {
        private_threshold: 3,
        external_threshold: 10,
        organisation_threshold: 4,
        audience_threshold: 1000,
        hard_limit: 0,
    };

    /// Larger numbers are typos, not policies.
    pub const MAX: u32 = 100_000;
}

impl Default for Thresholds {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// Thresholds for one sending identity; a key left out keeps the general value.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ThresholdOverrides {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub private_threshold: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_threshold: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organisation_threshold: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub audience_threshold: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hard_limit: Option<u32>,
}

impl ThresholdOverrides {
    fn apply(&self, base: Thresholds) -> Thresholds {
        Thresholds {
            private_threshold: self.private_threshold.unwrap_or(base.private_threshold),
            external_threshold: self.external_threshold.unwrap_or(base.external_threshold),
            organisation_threshold: self
                .organisation_threshold
                .unwrap_or(base.organisation_threshold),
            audience_threshold: self.audience_threshold.unwrap_or(base.audience_threshold),
            hard_limit: self.hard_limit.unwrap_or(base.hard_limit),
        }
    }
}

/// The whole policy. Missing keys take their default and unknown keys are ignored, so
/// settings stored by an older or newer version still load.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Policy {
    #[serde(flatten)]
    pub thresholds: Thresholds,
    /// Organisation domains besides the sending identity's own: `example.org`, `*.example.org`.
    pub internal_domains: Vec<DomainPattern>,
    /// Consumer mailbox domains to add to the built-in list.
    pub private_domains: Vec<String>,
    /// Domains of the built-in list that are an organisation here (e.g. a university on one).
    pub not_private_domains: Vec<String>,
    /// Recipients never counted by any rule: addresses, domain patterns, address-book list names.
    pub allowed_addresses: Vec<String>,
    pub allowed_domains: Vec<DomainPattern>,
    pub allowed_lists: Vec<String>,
    /// Per sending identity (by address, lowercase): its own thresholds.
    #[serde(serialize_with = "as_map")]
    pub identities: Vec<(String, ThresholdOverrides)>,
}

impl Policy {
    /// The thresholds in force for a message sent from `identity` (a comparable address).
    pub fn thresholds_for(&self, identity: Option<&str>) -> Thresholds {
        identity
            .and_then(|id| self.identities.iter().find(|(k, _)| k == id))
            .map_or(self.thresholds, |(_, o)| o.apply(self.thresholds))
    }
}

fn as_map<S: Serializer>(
    entries: &[(String, ThresholdOverrides)],
    s: S,
) -> Result<S::Ok, S::Error> {
    let mut map = s.serialize_map(Some(entries.len()))?;
    for (k, v) in entries {
        map.serialize_entry(k, v)?;
    }
    map.end()
}
