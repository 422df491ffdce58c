//! The Tera 1.x engine. Tera 1.20 rather than 2.x: 1.x is the API the
//! ecosystem (kickstart, zola, cargo-generate's peers) and its docs use, it
//! is feature-complete for us, and alternative delimiters, the one thing we
//! would want from 2.x, we do ourselves for both engines (`delimiters.rs`).

use std::error::Error as _;

use super::{line_of_name, Engine, RenderError};
use crate::manifest::EngineKind;

pub struct TeraEngine {
    tera: tera::Tera,
    sources: std::collections::HashMap<String, String>,
}

impl TeraEngine {
    pub fn new() -> Self {
        let mut tera = tera::Tera::default();
        // Generated files are code and config, not HTML: never escape.
        tera.autoescape_on(vec![]);
        TeraEngine { tera, sources: Default::default() }
    }

    fn error(&self, name: &str, err: &tera::Error) -> RenderError {
        let mut messages = vec![err.to_string()];
        let mut source = err.source();
        while let Some(s) = source {
            messages.push(s.to_string());
            source = s.source();
        }
        let detail = messages.last().cloned().unwrap_or_default();
        // Parse errors carry ` --> LINE:COL`.
        let parse_line = detail
            .split("--> ")
            .nth(1)
            .and_then(|rest| rest.split(':').next())
            .and_then(|n| n.trim().parse().ok());
        let mut message = clean_message(&detail);
        let mut line = parse_line;
        if line.is_none() {
            if let Some(var) = undefined_variable(&detail) {
                line = self.sources.get(name).and_then(|src| line_of_name(src, &var));
                message = format!("variable `{var}` is not defined");
            }
        }
        RenderError { template: name.to_string(), line, message }
    }
}

impl Engine for TeraEngine {
    fn kind(&self) -> EngineKind {
        EngineKind::Tera
    }

    fn compile(&mut self, templates: Vec<(String, String)>) -> Result<(), Vec<RenderError>> {
        let pairs: Vec<(&str, &str)> = templates.iter().map(|(n, s)| (n.as_str(), s.as_str())).collect();
        let all_at_once = self.tera.add_raw_templates(pairs);
        let result = match all_at_once {
            Ok(()) => Ok(()),
            Err(_) => {
                // Slow path, only on error: add one by one to report every broken template.
                let mut errors = Vec::new();
                let mut fresh = tera::Tera::default();
                fresh.autoescape_on(vec![]);
                for (name, source) in &templates {
                    if let Err(e) = fresh.add_raw_template(name, source) {
                        errors.push(self.error(name, &e));
                    }
                }
                if errors.is_empty() {
                    errors.push(RenderError { template: "templates".into(), line: None, message: "templates failed to compile together (check `extends`/`include` names)".into() });
                }
                Err(errors)
            }
        };
        self.sources.extend(templates);
        result
    }

    fn render(&self, name: &str, context: &serde_json::Value) -> Result<String, RenderError> {
        let ctx = tera::Context::from_value(context.clone()).map_err(|e| self.error(name, &e))?;
        self.tera.render(name, &ctx).map_err(|e| self.error(name, &e))
    }
}


/// `Variable `x` not found in context while rendering 'y'` -> `x`.
fn undefined_variable(message: &str) -> Option<String> {
    let rest = message.strip_prefix("Variable `")?;
    Some(rest.split('`').next()?.to_string())
}

/// Tera's parse errors embed a source excerpt; keep only the explanation.
fn clean_message(detail: &str) -> String {
    if let Some(pos) = detail.find("= ") {
        if detail.contains("-->") {
            return detail[pos + 2..].trim().to_string();
        }
    }
    detail.trim().to_string()
}
