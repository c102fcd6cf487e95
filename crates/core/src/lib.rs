//! CcGuard's core: reads To/Cc/Bcc the way Thunderbird does, counts who would see
//! whose address, and proposes the Move-to-Bcc rewrite.
//!
//! Pure Rust with no platform dependency, so every rule is tested natively; the
//! `ccguard-wasm` crate only converts JavaScript values at the boundary.

pub mod address;
pub mod classify;
pub mod domains;
pub mod evaluate;
mod hash;
pub mod message;
pub mod policy;
mod recipients;
pub mod rewrite;
pub mod rules;
pub mod value;
pub mod verdict;

pub use address::{format_mailbox, parse_address_list, Entry, Mailbox};
pub use domains::{DomainPattern, PrivateDomains, TableError};
pub use evaluate::evaluate;
pub use message::{MailingList, Message};
pub use policy::{Policy, PolicyReading, Rejection, ThresholdOverrides, Thresholds};
pub use value::Value;
pub use verdict::Verdict;
