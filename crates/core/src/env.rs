//! What the core needs from where it runs.

use crate::domains::PrivateDomains;
use crate::text::Text;

/// The host's text services and the table of consumer mailbox domains.
#[derive(Clone, Copy)]
pub struct Env<'a> {
    pub text: &'a dyn Text,
    pub private: &'a PrivateDomains,
}

impl<'a> Env<'a> {
    pub fn new(text: &'a dyn Text, private: &'a PrivateDomains) -> Self {
        Env { text, private }
    }
}
