//! Which organisation a domain belongs to: domain patterns (`example.org`,
//! `*.example.org`) and the table of consumer mailbox domains.

mod pattern;
mod private;

pub(crate) use pattern::is_subdomain;
pub use pattern::DomainPattern;
pub use private::{PrivateDomains, TableError};
