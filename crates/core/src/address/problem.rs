//! What can be wrong with a piece of an address header.

use serde::Serialize;
use std::fmt;
use std::ops::Range;

/// Why some text could not be read as a mailbox CcGuard can count. It crosses to the
/// extension as its kebab-case name, which the extension words in the user's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ProblemKind {
    /// A name, but no `local@domain` address.
    NoAddress,
    /// An `@` with nothing before it.
    MissingLocalPart,
    /// An `@` with nothing after it.
    MissingDomain,
    /// Whitespace outside a quoted local part, which no mail server accepts.
    SpaceInAddress,
    /// A domain with spaces or characters such as `<` or `,` in it.
    InvalidDomain,
    /// A `"` that is never closed swallowed the rest of the text.
    UnclosedQuote,
    /// A `(` that is never closed swallowed the rest of the text.
    UnclosedComment,
    /// A `[` that is never closed swallowed the rest of the text.
    UnclosedDomainLiteral,
}

impl ProblemKind {
    /// The English sentence, for native tools and logs.
    pub fn message(self) -> &'static str {
        match self {
            ProblemKind::NoAddress => "no e-mail address found",
            ProblemKind::MissingLocalPart => "the address has nothing before the @",
            ProblemKind::MissingDomain => "the address has no domain after the @",
            ProblemKind::SpaceInAddress => "the address contains a space",
            ProblemKind::InvalidDomain => "the domain of the address is not valid",
            ProblemKind::UnclosedQuote => "a quoted name is not closed (missing '\"')",
            ProblemKind::UnclosedComment => "a comment is not closed (missing ')')",
            ProblemKind::UnclosedDomainLiteral => "a domain literal is not closed (missing ']')",
        }
    }
}

impl fmt::Display for ProblemKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

/// A problem and the byte range of the input it concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub kind: ProblemKind,
    pub span: Range<usize>,
}
