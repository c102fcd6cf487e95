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

/// `&s[range]`, for ranges that fall on character boundaries by construction, without
/// `str` indexing's panic path: its message formats the offending `char` with `Debug`,
/// which links about 4 KiB of Unicode tables and formatting code into the WASM. A range
/// that does not fit (a bug) reads as the empty string.
pub(crate) fn sub<R: std::slice::SliceIndex<str, Output = str>>(s: &str, range: R) -> &str {
    s.get(range).unwrap_or_default()
}
