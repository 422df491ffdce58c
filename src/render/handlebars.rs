//! The Handlebars engine, in strict mode (an undefined variable is an error)
//! and without HTML escaping (we generate code, not web pages).

use super::limit::{too_large_message, CappedBuffer};
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
        register_helpers(&mut registry);
        HandlebarsEngine { registry }
    }
}

/// The helper `delimiters::translate` relies on: a literal `{` right before a tag
/// (`{{{` would open a triple-stash).
pub(super) const OPEN_BRACE_HELPER: &str = "goldpath_open_brace";

pub(super) fn register_helpers(registry: &mut handlebars::Handlebars<'static>) {
    registry.register_helper(
        OPEN_BRACE_HELPER,
        Box::new(
            |_: &handlebars::Helper,
             _: &handlebars::Handlebars,
             _: &handlebars::Context,
             _: &mut handlebars::RenderContext,
             out: &mut dyn handlebars::Output|
             -> handlebars::HelperResult {
                out.write("{")?;
                Ok(())
            },
        ),
    );
}

impl Engine for HandlebarsEngine {
    fn kind(&self) -> EngineKind {
        EngineKind::Handlebars
    }

    fn compile(&mut self, templates: Vec<(String, String)>) -> Result<(), Vec<RenderError>> {
        let mut errors = Vec::new();
        let sources: Vec<(String, String)> = templates.clone();
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
        errors.extend(partial_cycles(&sources));
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    fn render(&self, name: &str, context: &serde_json::Value) -> Result<String, RenderError> {
        let mut out = CappedBuffer::default();
        let rendered = self.registry.render_to_write(name, context, &mut out);
        if out.overflowed {
            return Err(RenderError {
                template: name.to_string(),
                line: None,
                message: too_large_message(),
            });
        }
        rendered.map_err(|e| {
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
        })?;
        String::from_utf8(out.bytes).map_err(|_| RenderError {
            template: name.to_string(),
            line: None,
            message: "rendered text that is not UTF-8".into(),
        })
    }
}

/// Handlebars has no recursion limit: a partial that reaches itself again
/// overflows the stack and aborts the process. So partial calls are read from
/// the sources (`{{> name}}`, `{{#> name}}`, inline partials) and a cycle is
/// an error before anything renders; so is a dynamic partial name, which
/// cannot be checked.
fn partial_cycles(sources: &[(String, String)]) -> Vec<RenderError> {
    use std::collections::{BTreeMap, BTreeSet};
    let call = regex::Regex::new(r#"\{\{~?\s*#?>\s*(?:"([^"]+)"|'([^']+)'|(\()|([^\s}~]+))"#)
        .expect("static regex");
    let inline =
        regex::Regex::new(r#"\{\{~?\s*#\*inline\s+"([^"]+)"\s*~?\}\}"#).expect("static regex");
    let line_of = |text: &str, at: usize| text[..at].matches('\n').count() + 1;
    let mut calls: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut errors = Vec::new();
    for (name, text) in sources {
        // Which inline partial (if any) each byte belongs to.
        let mut spans: Vec<(usize, usize, String)> = Vec::new();
        for m in inline.captures_iter(text) {
            let whole = m.get(0).expect("match");
            let end = text[whole.end()..]
                .find("{{/inline}}")
                .map_or(text.len(), |i| whole.end() + i);
            spans.push((whole.end(), end, m[1].to_string()));
        }
        for m in call.captures_iter(text) {
            let at = m.get(0).expect("match").start();
            if m.get(3).is_some() {
                errors.push(RenderError {
                    template: name.clone(),
                    line: Some(line_of(text, at)),
                    message:
                        "a partial whose name is computed cannot be checked for recursion; name it"
                            .into(),
                });
                continue;
            }
            let target = [1, 2, 4]
                .iter()
                .find_map(|&i| m.get(i))
                .map(|g| g.as_str().to_string())
                .unwrap_or_default();
            let caller = spans
                .iter()
                .find(|(start, end, _)| (*start..*end).contains(&at))
                .map_or_else(|| name.clone(), |(_, _, inline)| format!("inline:{inline}"));
            let target = if spans.iter().any(|(_, _, n)| *n == target)
                || sources.iter().all(|(n, _)| *n != target)
            {
                format!("inline:{target}")
            } else {
                target
            };
            calls.entry(caller).or_default().insert(target);
        }
    }
    // Depth-first search for a call chain that returns to where it started.
    fn reaches(
        calls: &BTreeMap<String, BTreeSet<String>>,
        from: &str,
        goal: &str,
        seen: &mut BTreeSet<String>,
    ) -> bool {
        calls.get(from).is_some_and(|next| {
            next.iter()
                .any(|n| n == goal || (seen.insert(n.clone()) && reaches(calls, n, goal, seen)))
        })
    }
    // A template is reported when it, or an inline partial it defines, is on a cycle.
    for (name, text) in sources {
        let own_inlines = inline
            .captures_iter(text)
            .map(|m| format!("inline:{}", &m[1]));
        let cyclic = std::iter::once(name.clone())
            .chain(own_inlines)
            .find(|node| reaches(&calls, node, node, &mut BTreeSet::new()));
        if let Some(node) = cyclic {
            let shown = node.strip_prefix("inline:").unwrap_or(&node);
            errors.push(RenderError {
                template: name.clone(),
                line: None,
                message: format!("the partial `{shown}` calls itself (directly or through others); recursion is not supported, as it would never end"),
            });
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(sources: &[(&str, &str)]) -> Vec<String> {
        let owned: Vec<(String, String)> = sources
            .iter()
            .map(|(n, t)| (n.to_string(), t.to_string()))
            .collect();
        partial_cycles(&owned)
            .into_iter()
            .map(|e| e.message)
            .collect()
    }

    #[test]
    fn recursive_partials_are_refused_before_rendering() {
        assert!(
            check(&[("a", r#"{{#*inline "p"}}x{{> p}}{{/inline}}{{> p}}"#)])[0]
                .contains("`p` calls itself")
        );
        assert!(!check(&[("a", "x{{> \"b\"}}"), ("b", "y{{> \"a\"}}")]).is_empty());
        assert!(check(&[("a", "{{> (lookup . 'x')}}")])[0].contains("computed"));
        assert!(check(&[
            ("a", r#"{{#*inline "p"}}x{{/inline}}{{> p}}{{> p}}"#),
            ("b", "{{> \"a\"}}")
        ])
        .is_empty());
    }
}
