//! CcGuard's core: reads To/Cc/Bcc the way Thunderbird does, works out who would newly
//! see whose address, and proposes the rewrites that prevent it.
//!
//! Pure Rust with no platform dependency, so every rule is tested natively; the
//! `ccguard-wasm` crate converts JavaScript values at the boundary and lends the core
//! the browser's text services (see [`text`]).

pub mod address;
pub mod classify;
pub mod context;
pub mod domains;
pub mod env;
pub mod evaluate;
mod forward;
pub mod groups;
pub mod message;
mod people;
pub mod policy;
mod recipients;
pub mod rewrite;
pub mod rules;
mod sender;
pub mod separate;
pub mod text;
pub mod value;
pub mod verdict;

pub use address::{format_mailbox, parse_address_list, Entry, Mailbox};
pub use domains::{DomainPattern, PrivateDomains, TableError};
pub use env::Env;
pub use evaluate::evaluate;
pub use groups::{received_group, visible_addresses};
pub use message::{MailingList, Message, Related};
pub use policy::{Policy, PolicyReading, Refusal, Rejection, Role, Thresholds};
pub use rewrite::{move_external_to_bcc, move_to_bcc};
pub use rules::Rule;
pub use separate::separate;
pub use text::Text;
pub use value::Value;
pub use verdict::Verdict;
