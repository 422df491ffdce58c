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
}

pub trait Prompter {
    /// Asks one question; the answer is coerced and validated by the caller.
    fn ask(&mut self, question: &Question<'_>) -> Result<Value>;
}
