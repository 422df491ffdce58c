//! The Handlebars engine, in strict mode (an undefined variable is an error)
//! and without HTML escaping (we generate code, not web pages).

use super::{Engine, RenderError};
use crate::manifest::EngineKind;

pub struct HandlebarsEngine {
    registry: handlebars::Handlebars<'static>,
}

impl HandlebarsEngine {
    pub fn new() -> Self {
        let mut registry = handlebars::Handlebars::new();
        registry.set_strict_mode(true);
        registry.register_escape_fn(handlebars::no_escape);
        HandlebarsEngine { registry }
    }
}

impl Engine for HandlebarsEngine {
    fn kind(&self) -> EngineKind {
        EngineKind::Handlebars
    }

    fn compile(&mut self, templates: Vec<(String, String)>) -> Result<(), Vec<RenderError>> {
        let mut errors = Vec::new();
        for (name, source) in templates {
            if let Err(e) = self.registry.register_template_string(&name, source) {
                let (line, message) = match e.reason() {
                    handlebars::TemplateErrorReason::InvalidSyntax(detail) => (
                        e.pos().map(|p| p.0),
                        detail
                            .lines()
                            .last()
                            .unwrap_or("invalid syntax")
                            .trim()
                            .to_string(),
                    ),
                    reason => (e.pos().map(|p| p.0), reason.to_string()),
                };
                errors.push(RenderError {
                    template: name.clone(),
                    line,
                    message,
                });
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    fn render(&self, name: &str, context: &serde_json::Value) -> Result<String, RenderError> {
        self.registry.render(name, context).map_err(|e| {
            let message = match e.reason() {
                handlebars::RenderErrorReason::MissingVariable(Some(var)) => {
                    format!("variable `{var}` is not defined")
                }
                reason => reason.to_string(),
            };
            RenderError {
                template: name.to_string(),
                line: e.line_no,
                message,
            }
        })
    }
}
