//! The answer CcGuard gives the extension; its JSON shape is fixed by
//! `docs/architecture.md`.

use serde::Serialize;

/// What the extension should do before sending.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    Allow,
    Warn,
}

/// An addressing field of the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Field {
    To,
    Cc,
    Bcc,
}

/// How many recipients, and where each visible one was first seen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub visible: u32,
    pub to: u32,
    pub cc: u32,
    pub bcc: u32,
}

/// Visible recipients of one domain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DomainCount {
    pub domain: String,
    pub count: u32,
}

/// A recipient whose address the others would see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VisibleRecipient {
    pub name: String,
    pub email: String,
    pub field: Field,
}

/// The rule that caused a warning.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleHit {
    pub id: String,
    pub threshold: u32,
    pub reason: String,
}

/// The recipient fields after moving every visible recipient to Bcc.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct MoveToBcc {
    pub to: Vec<String>,
    pub cc: Vec<String>,
    pub bcc: Vec<String>,
}

/// Text in a field that could not be read as a mailbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldProblem {
    pub field: Field,
    pub input: String,
    pub message: String,
}

/// How many visible recipients the verdict lists (the first ones, in message order).
pub const VISIBLE_SAMPLE: usize = 100;
/// How many domains the verdict lists (the most frequent ones).
pub const DOMAIN_SAMPLE: usize = 50;
/// How many problems the verdict lists (the first ones, in message order).
pub const PROBLEM_SAMPLE: usize = 20;

/// The verdict on a message.
///
/// The lists are capped (see [`VISIBLE_SAMPLE`], [`DOMAIN_SAMPLE`] and
/// [`PROBLEM_SAMPLE`]) because every string and object costs time to hand to
/// JavaScript; the counts are complete, and so is `move_to_bcc`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Verdict {
    pub action: Action,
    pub counts: Counts,
    pub distinct_domains: u32,
    /// At most [`DOMAIN_SAMPLE`] entries, most recipients first.
    pub domains: Vec<DomainCount>,
    /// The first [`VISIBLE_SAMPLE`] visible recipients; `counts.visible` has them all.
    pub visible: Vec<VisibleRecipient>,
    /// Whether `visible` leaves some recipients out.
    pub visible_truncated: bool,
    pub rule: Option<RuleHit>,
    pub move_to_bcc: MoveToBcc,
    /// At most [`PROBLEM_SAMPLE`] entries, in message order.
    pub problems: Vec<FieldProblem>,
}
