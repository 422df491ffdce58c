//! Conditions as the people reading a golden path's card should see them.
//! A condition may read computed values that are the same for every render
//! of the golden path (`workload = "service"` in java-service): those parts
//! are decided here, so the card never presents them as if they were
//! questions. `monitoring and http_api == 'true'` reads as `monitoring`; a
//! file whose condition can never hold is not listed.

use serde_json::{Map, Value};

use crate::answers::coerce;
use crate::manifest::{expression_variables, template_variables, Manifest};
use crate::render::{TemplateSet, TemplateSource};

/// A condition after the constant parts were decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Simplified {
    Always,
    Never,
    /// What is left to decide, from the answers.
    When(String),
}

/// The computed values that read no answers, evaluated once.
pub struct Constants {
    values: Map<String, Value>,
    meta: Value,
}

impl Constants {
    pub fn of(m: &Manifest, templates: &TemplateSet) -> Constants {
        let meta = crate::answers::metadata(&m.name, &m.version);
        let mut values = Map::new();
        for (name, var) in &m.variables {
            let Some(computed) = &var.computed else {
                continue;
            };
            let reads = template_variables(computed);
            if !reads
                .iter()
                .all(|r| r == "scaffold" || values.contains_key(r))
            {
                continue;
            }
            let ctx = context(&values, &meta);
            let Ok(text) = templates.render(&format!("var-computed:{name}"), &ctx) else {
                continue;
            };
            if let Ok(value) = coerce(var.kind, &Value::String(text.trim().to_string())) {
                values.insert(name.clone(), value);
            }
        }
        Constants { values, meta }
    }

    /// `expr` with every top-level `and` part that reads only constants decided.
    pub fn simplify(&self, expr: &str) -> Simplified {
        let mut left = Vec::new();
        for part in top_level_and(expr) {
            let reads = expression_variables(part);
            let constant = !reads.is_empty()
                && reads
                    .iter()
                    .all(|r| r == "scaffold" || self.values.contains_key(r));
            match constant.then(|| self.evaluate(part)).flatten() {
                Some(true) => {}
                Some(false) => return Simplified::Never,
                None => left.push(part.trim()),
            }
        }
        if left.is_empty() {
            Simplified::Always
        } else if left.len() == top_level_and(expr).len() {
            Simplified::When(expr.trim().to_string())
        } else {
            Simplified::When(left.join(" and "))
        }
    }

    fn evaluate(&self, expr: &str) -> Option<bool> {
        let set = TemplateSet::compile(vec![TemplateSource::expression("constant", expr)]).ok()?;
        set.is_true("constant", &context(&self.values, &self.meta))
            .ok()
    }
}

fn context(values: &Map<String, Value>, meta: &Value) -> Value {
    let mut ctx = values.clone();
    ctx.insert("scaffold".into(), meta.clone());
    Value::Object(ctx)
}

/// The parts of `expr` joined by `and` outside brackets and quotes.
fn top_level_and(expr: &str) -> Vec<&str> {
    let bytes = expr.as_bytes();
    let (mut depth, mut quote, mut start) = (0i32, None::<u8>, 0);
    let mut parts = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None => match b {
                b'\'' | b'"' => quote = Some(b),
                b'(' | b'[' => depth += 1,
                b')' | b']' => depth -= 1,
                _ if depth == 0 && expr[i..].starts_with(" and ") => {
                    parts.push(&expr[start..i]);
                    start = i + " and ".len();
                    i = start;
                    continue;
                }
                _ => {}
            },
        }
        i += 1;
    }
    parts.push(&expr[start..]);
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_on_top_level_and_only() {
        assert_eq!(
            top_level_and("a and (b and c) and d == 'x and y'"),
            ["a", "(b and c)", "d == 'x and y'"]
        );
        assert_eq!(top_level_and("a or b"), ["a or b"]);
    }
}
