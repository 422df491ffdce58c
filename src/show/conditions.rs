//! Conditions as the people reading a golden path's card should see them.
//! A condition may read computed values that are the same for every render
//! of the golden path (`workload = "service"` in java-service): those parts
//! are decided here, so the card never presents them as if they were
//! questions. `monitoring and http_api == 'true'` reads as `monitoring`,
//! inside brackets and `or` groups too; a file whose condition can never
//! hold is not listed.

use serde_json::{Map, Value};

use crate::answers::coerce;
use crate::manifest::{expression_variables, string_literal_end, template_variables, Manifest};
use crate::render::{TemplateSet, TemplateSource};

/// A condition after the constant parts were decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Simplified {
    Always,
    Never,
    /// What is left to decide, from the answers.
    When(String),
}

/// How the parts of a condition are joined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Connective {
    And,
    Or,
}

impl Connective {
    fn word(self) -> &'static str {
        match self {
            Connective::And => " and ",
            Connective::Or => " or ",
        }
    }

    /// The value one part decides for all, and the one that drops out:
    /// `Never` and `Always` for `and`, the other way round for `or`.
    fn absorbing_and_neutral(self) -> (Simplified, Simplified) {
        match self {
            Connective::And => (Simplified::Never, Simplified::Always),
            Connective::Or => (Simplified::Always, Simplified::Never),
        }
    }
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

    /// `expr` with every part that reads only constants decided, inside
    /// brackets too. `or` binds looser than `and`, as in the template
    /// language, so `a or b and c` is `a or (b and c)`. A condition with
    /// nothing decided comes back exactly as its author wrote it.
    pub fn simplify(&self, expr: &str) -> Simplified {
        self.join(expr, Connective::Or)
    }

    /// A part without top-level `and`/`or`: decided whole when it reads only
    /// constants, else a bracketed group is simplified inside.
    fn simplify_atom(&self, atom: &str) -> Simplified {
        let atom = atom.trim();
        let reads = expression_variables(atom);
        let constant = !reads.is_empty()
            && reads
                .iter()
                .all(|r| r == "scaffold" || self.values.contains_key(r));
        if let Some(value) = constant.then(|| self.evaluate(atom)).flatten() {
            return if value {
                Simplified::Always
            } else {
                Simplified::Never
            };
        }
        match bracketed(atom) {
            Some(inner) => match self.simplify(inner) {
                Simplified::When(w) if w == inner.trim() => Simplified::When(atom.to_string()),
                decided => decided,
            },
            None => Simplified::When(atom.to_string()),
        }
    }

    /// `expr` split on the top-level `connective`, each part simplified
    /// (an `or` alternative by its `and` parts, an `and` part as an atom)
    /// and joined again without the parts that were decided.
    fn join(&self, expr: &str, connective: Connective) -> Simplified {
        let (absorbing, neutral) = connective.absorbing_and_neutral();
        let mut left = Vec::new();
        let mut changed = false;
        for part in split_top_level(expr, connective.word()) {
            let result = match connective {
                Connective::Or => self.join(part, Connective::And),
                Connective::And => self.simplify_atom(part),
            };
            if result == absorbing {
                return absorbing;
            }
            if let Simplified::When(w) = result {
                changed |= w != part.trim();
                left.push(w);
            } else {
                changed = true;
            }
        }
        match left.len() {
            0 => neutral,
            _ if !changed => Simplified::When(expr.trim().to_string()),
            1 => Simplified::When(left.remove(0)),
            _ => Simplified::When(
                left.iter()
                    .map(|w| {
                        // An `or` left inside an `and` keeps its brackets.
                        let alternatives = split_top_level(w, Connective::Or.word()).len();
                        if connective == Connective::And && alternatives > 1 {
                            format!("({w})")
                        } else {
                            w.clone()
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(connective.word()),
            ),
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

/// The byte offsets of `expr` outside string literals, each with the
/// bracket depth after that byte.
fn unquoted_depths(expr: &str) -> Vec<(usize, i32)> {
    let bytes = expr.as_bytes();
    let mut depth = 0i32;
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if let Some(end) = string_literal_end(bytes, i) {
            i = end;
            continue;
        }
        match bytes[i] {
            b'(' | b'[' => depth += 1,
            b')' | b']' => depth -= 1,
            _ => {}
        }
        out.push((i, depth));
        i += 1;
    }
    out
}

/// `expr` without its outer brackets, when one pair encloses all of it
/// (`(a) or (b)` starts and ends with brackets that are not one pair).
fn bracketed(expr: &str) -> Option<&str> {
    let inner = expr.strip_prefix('(')?.strip_suffix(')')?;
    let closes_early = unquoted_depths(expr)
        .into_iter()
        .any(|(i, depth)| depth <= 0 && i + 1 < expr.len());
    (!closes_early).then_some(inner)
}

/// The parts of `expr` joined by `word` (` and `, ` or `) outside brackets
/// and quotes.
fn split_top_level<'a>(expr: &'a str, word: &str) -> Vec<&'a str> {
    let mut parts = Vec::new();
    let mut start = 0;
    for (i, depth) in unquoted_depths(expr) {
        // Bytes, not `&expr[i..]`: `i` may sit inside a multi-byte character.
        if i >= start && depth == 0 && expr.as_bytes()[i..].starts_with(word.as_bytes()) {
            parts.push(&expr[start..i]);
            start = i + word.len();
        }
    }
    parts.push(&expr[start..]);
    parts
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// `workload` is the constant "service" and `broker` the constant "none".
    fn constants() -> Constants {
        let mut values = Map::new();
        values.insert("workload".into(), json!("service"));
        values.insert("broker".into(), json!("none"));
        Constants {
            values,
            meta: json!({}),
        }
    }

    fn when(s: &str) -> Simplified {
        Simplified::When(s.to_string())
    }

    #[test]
    fn splits_outside_brackets_and_quotes_only() {
        assert_eq!(
            split_top_level("a and (b and c) and d == 'x and y'", " and "),
            ["a", "(b and c)", "d == 'x and y'"]
        );
        assert_eq!(split_top_level("a or b", " and "), ["a or b"]);
        assert_eq!(bracketed("(a) or (b)"), None);
        assert_eq!(bracketed("(a or (b))"), Some("a or (b)"));
    }

    #[test]
    fn decides_constant_parts_at_every_depth() {
        let c = constants();
        assert_eq!(
            c.simplify("monitoring and workload == 'service'"),
            when("monitoring")
        );
        assert_eq!(
            c.simplify("monitoring and workload == 'job'"),
            Simplified::Never
        );
        assert_eq!(
            c.simplify("s == 'x' and (db != 'none' or cache != 'none' or broker != 'none')"),
            when("s == 'x' and (db != 'none' or cache != 'none')")
        );
        assert_eq!(
            c.simplify("s == 'x' and (db != 'none' or broker != 'none')"),
            when("s == 'x' and db != 'none'")
        );
        assert_eq!(c.simplify("a or workload == 'service'"), Simplified::Always);
        assert_eq!(c.simplify("(broker == 'none')"), Simplified::Always);
    }

    #[test]
    fn or_binds_looser_than_and() {
        let c = constants();
        // a or (b and false) is a, not false.
        assert_eq!(c.simplify("a or b and workload == 'job'"), when("a"));
        assert_eq!(
            c.simplify("a or b and workload == 'service'"),
            when("a or b")
        );
    }

    #[test]
    fn an_undecided_condition_keeps_its_authors_spelling() {
        let c = constants();
        for expr in [
            "a and (b or c)",
            "not (a or b)",
            "x in ['a and b']",
            " a  or b ",
        ] {
            assert_eq!(c.simplify(expr), when(expr.trim()), "{expr}");
        }
    }
}
