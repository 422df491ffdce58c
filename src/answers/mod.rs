//! Answers to a golden path's variables and where they come from.
//!
//! Lowest priority first: manifest defaults, `--answers FILE`, `--request
//! FILE` (a platform `ServiceRequest`), `--set key=value`, then prompts on a
//! terminal. `resolve.rs` walks the variables in declaration order so that a
//! default or `when` can use earlier answers; every problem is reported at once.

mod coerce;
mod expressions;
mod file;
mod inputs;
mod places;
mod prompt;
mod request;
mod resolve;
mod resolved;
mod validate;

pub use coerce::{coerce, loose_text, parse_set};
pub(crate) use expressions::render_problem;
pub use expressions::{compile_expressions, metadata};
pub use file::load_answers_file;
pub use inputs::AnswerInputs;
pub use prompt::{Confirmation, Prompter, Question};
pub use request::{ServiceRequest, REQUEST_KIND};
pub use resolve::resolve;
pub use resolved::Resolved;

use indexmap::IndexMap;

/// Answers by variable name, in the order they were given or resolved.
pub type Answers = IndexMap<String, serde_json::Value>;

/// Answers from one input, with the label to blame in errors.
#[derive(Debug, Clone, Default)]
pub struct LabelledAnswers {
    pub label: String,
    pub values: Answers,
    /// Where each answer is in the file (its name there and its line).
    pub places: places::Places,
}

impl LabelledAnswers {
    /// Where to blame a problem with the answer to `name`.
    pub fn location_of(&self, name: &str) -> crate::error::Location {
        match self.places.get(name) {
            Some(place) => crate::error::Location::file(&self.label)
                .with_line(place.line)
                .with_field(place.field.clone()),
            None => crate::error::Location::file(&self.label).with_field(name.to_string()),
        }
    }
}
