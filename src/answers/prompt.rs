//! The question-asking seam: the CLI implements it on a terminal; tests
//! implement it with canned answers. The library never reads stdin.

use serde_json::Value;

use crate::error::Result;
use crate::manifest::Variable;

/// One question to ask.
pub struct Question<'a> {
    pub name: &'a str,
    pub variable: &'a Variable,
    /// The default, already rendered from earlier answers.
    pub default: Option<&'a Value>,
    /// Why the previous answer was refused, when re-asking.
    pub retry_reason: Option<&'a str>,
    /// The checks the answer must pass (type, choices, regex, `validate`):
    /// a terminal can refuse a bad answer before showing it as accepted.
    /// The caller checks again, so a prompter may ignore it.
    pub check: &'a dyn Fn(&Value) -> std::result::Result<(), String>,
}

/// What a render is about to write, for a last look before it does.
pub struct Confirmation<'a> {
    pub golden_path: &'a str,
    pub version: &'a str,
    pub destination: &'a std::path::Path,
    /// The answers as the lock will record them (no secrets), in order.
    pub answers: &'a [(String, Value)],
    pub files: usize,
}

pub trait Prompter {
    /// Asks one question; the answer is coerced and validated by the caller.
    fn ask(&mut self, question: &Question<'_>) -> Result<Value>;

    /// Shows what is about to be written and whether to go on; `false`
    /// cancels with nothing written. Prompters that cannot ask go on.
    fn confirm(&mut self, _what: &Confirmation<'_>) -> Result<bool> {
        Ok(true)
    }
}
