//! Errors of operations (as opposed to problems in records). Each operation
//! has its own error type; all of them share this shape so that they cross
//! into JavaScript as objects `{ code, message, problems? }`, never as bare strings.

use crate::problem::{Problem, Text};

pub trait CoreError: std::fmt::Debug {
    /// Stable code, e.g. `"FINALISE_BLOCKED"`.
    fn code(&self) -> &'static str;
    fn message(&self) -> Text;
    /// The record problems behind the error, when there are any.
    fn problems(&self) -> &[Problem] {
        &[]
    }
    /// Further reasons as plain text (e.g. why a rulebook was refused).
    fn details(&self) -> Vec<String> {
        Vec::new()
    }
}
