//! The answer CcGuard gives the extension; its shape is fixed by
//! `docs/architecture.md`.

use crate::address::ProblemKind;
use crate::classify::Kind;
use crate::context::Thread;
use crate::rules::RuleHit;
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

/// How many people, and where each visible one was first seen. `internal`,
/// `external` split `visible`; `private` is part of `external`; `allowed` are visible
/// but on the policy's allowlist, so no rule counts them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub visible: u32,
    pub to: u32,
    pub cc: u32,
    pub bcc: u32,
    pub internal: u32,
    pub external: u32,
    pub private: u32,
    pub allowed: u32,
}

/// Visible recipients of one domain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DomainCount {
    /// As the first of them wrote it (lowercase): `bücher.example`, not its ASCII form.
    pub domain: String,
    pub count: u32,
    pub kind: Kind,
}

/// A recipient whose address the others would see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VisibleRecipient {
    pub name: String,
    pub email: String,
    pub field: Field,
    pub kind: Kind,
    /// The address-book list it was reached through.
    pub list: Option<String>,
    /// In the thread's message or a known group with others here: not new to all of them.
    pub known: bool,
}

/// What the thread and the known groups changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ContextSummary {
    /// Whether the message answers one written outside the organisation (its people
    /// know each other) or inside (that excuses nothing); `None` for a new message.
    pub thread: Option<Thread>,
    /// Known groups with two or more of the visible people.
    pub groups: u32,
    /// Visible people in the thread's message or a known group.
    pub known: u32,
    /// Visible people in neither: new to everyone else.
    pub newcomers: u32,
    /// Visible people someone would newly see.
    pub exposed: u32,
}

/// What the header of a forwarded (or redirected) message shows: it goes to every
/// recipient, Bcc included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ForwardSummary {
    /// People of that header whom someone would newly see.
    pub shown: u32,
    /// The rules fire on what the header shows alone: moving recipients to Bcc would
    /// hide nothing that matters.
    pub bcc_cannot_hide: bool,
}

/// The question "What do you use this address for?", when its answer decides the send:
/// nobody answered it for the sending address, its consumer domain made it personal (no
/// warning), and had it been for work these rules would fire.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AskRole {
    /// The sending address, normalised: the key of `policy.identities` the answer sets.
    pub identity: String,
    pub rules: Vec<RuleHit>,
}

/// An address-book list named in To, Cc or Bcc, expanded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListSummary {
    pub name: String,
    pub field: Field,
    /// Distinct people reached through it, nested lists included.
    pub members: u32,
    pub nested: bool,
    /// False when the members of the list, or of a list in it, are unknown.
    pub resolved: bool,
}

/// The recipient fields after a rewrite (Move to Bcc, Move only external).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Rewrite {
    pub to: Vec<String>,
    pub cc: Vec<String>,
    pub bcc: Vec<String>,
}

/// Text in a field that could not be read as a mailbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldProblem {
    pub field: Field,
    pub input: String,
    pub problem: ProblemKind,
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
/// [`PROBLEM_SAMPLE`]) because the warning shows no more and every string costs time to
/// hand to JavaScript; the counts are complete. The rewrites are separate calls
/// ([`crate::rewrite`]), made only when the user is asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Verdict {
    pub action: Action,
    /// The hard limit is exceeded: the message cannot be sent as written.
    pub blocked: bool,
    pub counts: Counts,
    pub distinct_domains: u32,
    /// Distinct external organisations (domains neither internal nor private), and
    /// distinct consumer domains, among the people the rules count as newly exposed.
    pub organisations: u32,
    pub private_domains: u32,
    /// At most [`DOMAIN_SAMPLE`] entries, most recipients first.
    pub domains: Vec<DomainCount>,
    /// At most [`VISIBLE_SAMPLE`] visible recipients: newcomers first when a thread or a
    /// known group applies, then in message order; `counts.visible` has them all.
    pub visible: Vec<VisibleRecipient>,
    /// Whether `visible` leaves some recipients out.
    pub visible_truncated: bool,
    /// Every rule that fired, most serious first.
    pub rules: Vec<RuleHit>,
    pub context: ContextSummary,
    /// Present when the message carries the header of the one it forwards.
    pub forwarded: Option<ForwardSummary>,
    /// Present when the send is allowed only because nobody said what the sending
    /// address is used for: the extension asks before it goes.
    pub ask_role: Option<AskRole>,
    pub lists: Vec<ListSummary>,
    /// Names of the lists whose members are unknown.
    pub unresolved_lists: Vec<String>,
    /// Colleagues and outsiders are both visible: "Move only external" can apply.
    pub mixed: bool,
    /// At most [`PROBLEM_SAMPLE`] entries, in message order.
    pub problems: Vec<FieldProblem>,
}
