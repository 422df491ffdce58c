//! Text rendering behind our own `Engine` trait.
//!
//! `tera.rs` and `handlebars.rs` are the only files that import those crates,
//! so either can be upgraded or swapped in one place. A `TemplateSet` holds
//! every template of a golden path (file contents, file names and the
//! manifest's expressions), compiled once, and renders them in parallel.
//! Alternative delimiters are not an engine feature: `delimiters.rs`
//! translates a file written with `[[ ]]` into the engine's own syntax,
//! protecting literal `{{ }}` as raw text, so the same rule works for both
//! engines and line numbers are preserved.

mod delimiters;
mod handlebars;
pub mod limit;
mod set;
mod tera;

pub use delimiters::translate;
pub use set::{TemplateSet, TemplateSource};

use crate::manifest::EngineKind;

/// A template that failed to compile or render, pointing into its source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderError {
    /// The template's name: the path under `template/`, or `golden-path.toml` for expressions.
    pub template: String,
    pub line: Option<usize>,
    pub message: String,
}

/// One template language. Implementations compile everything they are given
/// in one pass and are shared across threads while rendering.
pub trait Engine: Send + Sync {
    fn kind(&self) -> EngineKind;

    /// Compiles all templates; reports every one that fails.
    fn compile(&mut self, templates: Vec<(String, String)>) -> Result<(), Vec<RenderError>>;

    /// Renders a compiled template. Undefined variables are errors.
    fn render(&self, name: &str, context: &serde_json::Value) -> Result<String, RenderError>;

    /// The free variables a compiled template reads, when the engine can tell.
    fn variables(&self, _name: &str) -> Option<Vec<String>> {
        None
    }
}

/// The engine for `kind`, empty.
pub fn new_engine(kind: EngineKind) -> Box<dyn Engine> {
    match kind {
        EngineKind::Tera => Box::new(tera::TeraEngine::new()),
        EngineKind::Handlebars => Box::new(handlebars::HandlebarsEngine::new()),
    }
}

/// Best-effort line of the first use of `name` inside a template tag, for
/// problems found by analysis rather than by the engine.
pub fn line_of_name(source: &str, name: &str) -> Option<usize> {
    source
        .lines()
        .position(|line| {
            line.match_indices(name).any(|(i, _)| {
                let before = line[..i].chars().next_back();
                let after = line[i + name.len()..].chars().next();
                let boundary =
                    |c: Option<char>| c.is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
                boundary(before) && boundary(after) && line[..i].contains(['{', '['])
            })
        })
        .map(|i| i + 1)
}
