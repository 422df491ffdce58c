//! Resolving every variable, in declaration order.

use serde_json::Value;

use super::expressions::render_problem;
use super::validate::{check, check_names};
use super::{coerce, AnswerInputs, Prompter, Question, Resolved};
use crate::error::{Error, Location, Problem, Problems, Result};
use crate::manifest::{expression_variables, template_variables, Manifest, VarType, Variable};
use crate::render::TemplateSet;

/// Resolves every variable of `m`. `prompter` is `None` when nothing may be
/// asked (no terminal, or `--defaults`): then a variable with no answer and no
/// default is an error.
pub fn resolve(
    m: &Manifest,
    label: &str,
    templates: &TemplateSet,
    inputs: &AnswerInputs,
    meta: &Value,
    mut prompter: Option<&mut dyn Prompter>,
) -> Result<Resolved> {
    let mut problems = Problems::default();
    check_names(m, inputs, &mut problems);
    let mut resolved = Resolved::default();

    // A variable whose default, condition or computation reads a failed
    // answer is skipped silently: its error would only repeat the first.
    let env = Env {
        label,
        templates,
        inputs,
        meta,
    };
    let mut failed: Vec<&str> = Vec::new();
    for (name, var) in &m.variables {
        if dependencies(var)
            .iter()
            .any(|d| failed.contains(&d.as_str()))
        {
            failed.push(name);
            continue;
        }
        let problems_before = problems.len();
        resolve_one(&env, name, var, &mut prompter, &mut resolved, &mut problems)?;
        if problems.len() > problems_before {
            failed.push(name);
        }
    }
    problems.into_result(resolved)
}

/// The variables a variable's default, `when`, `computed` and `validate` read.
fn dependencies(var: &Variable) -> Vec<String> {
    let mut deps = Vec::new();
    if let Some(Value::String(d)) = &var.default {
        deps.extend(template_variables(d));
    }
    if let Some(w) = &var.when {
        deps.extend(expression_variables(w));
    }
    if let Some(c) = &var.computed {
        deps.extend(template_variables(c));
    }
    if let Some(v) = &var.validate {
        deps.extend(expression_variables(v));
    }
    deps
}

/// What stays the same while each variable is resolved.
struct Env<'a> {
    label: &'a str,
    templates: &'a TemplateSet,
    inputs: &'a AnswerInputs,
    meta: &'a Value,
}

/// Resolves one variable into `resolved`, or records in `problems` why it cannot be.
fn resolve_one(
    env: &Env<'_>,
    name: &String,
    var: &Variable,
    prompter: &mut Option<&mut dyn Prompter>,
    resolved: &mut Resolved,
    problems: &mut Problems,
) -> Result<()> {
    let Env {
        label,
        templates,
        inputs,
        meta,
    } = *env;
    let at = |field: String| Location::file(label).with_field(field);
    let ctx = resolved.full_context(meta.clone());
    if var.secret {
        resolved.secrets.push(name.clone());
    }
    if var.computed.is_some() {
        match templates.render(&format!("var-computed:{name}"), &ctx) {
            Ok(text) => match coerce(var.kind, &Value::String(text.trim().to_string())) {
                Ok(v) => {
                    resolved.values.insert(name.clone(), v);
                }
                Err(e) => problems.push(Problem::new(
                    at(format!("variables.{name}.computed")),
                    format!("computed value: {e}"),
                )),
            },
            Err(e) => problems.push(render_problem(e)),
        }
        resolved.computed.push(name.clone());
        return Ok(());
    }
    let explicit = match explicit_answer(name, var, inputs) {
        Ok(v) => v,
        Err(p) => {
            problems.push(p);
            return Ok(());
        }
    };
    let default = match default_value(name, var, templates, &ctx) {
        Ok(d) => d,
        Err(p) => {
            problems.push(p);
            None
        }
    };
    let (explicit, default) = match explicit {
        Some((value, _))
            if inputs.reask && prompter.is_some() && !inputs.set.iter().any(|(k, _)| k == name) =>
        {
            (None, Some(value))
        }
        explicit => (explicit, default),
    };
    let asked = match &var.when {
        None => true,
        Some(_) => match templates.is_true(&format!("var-when:{name}"), &ctx) {
            Ok(b) => b,
            Err(e) => {
                problems.push(render_problem(e));
                return Ok(());
            }
        },
    };
    if !asked {
        if let Some(v) = explicit.map(|(v, _)| v).or(default) {
            resolved.values.insert(name.clone(), v);
        }
        return Ok(());
    }
    if let Some((value, origin)) = explicit {
        match check(name, var, &value, templates, resolved, meta) {
            Ok(()) => {
                resolved.values.insert(name.clone(), value);
            }
            Err(reason) => problems.push(Problem::new(origin, reason)),
        }
        return Ok(());
    }
    if let Some(p) = prompter.as_deref_mut() {
        let value = ask_until_valid(p, name, var, default.as_ref(), templates, resolved, meta)?;
        resolved.values.insert(name.clone(), value);
        return Ok(());
    }
    match default {
        Some(value) => match check(name, var, &value, templates, resolved, meta) {
            Ok(()) => {
                resolved.values.insert(name.clone(), value);
            }
            Err(reason) => problems.push(Problem::new(
                at(format!("variables.{name}.default")),
                format!("default: {reason}"),
            )),
        },
        None => problems.push(
            Problem::new(
                Location::default().with_field(name.clone()),
                format!(
                    "no answer for `{name}`{}",
                    var.prompt
                        .as_ref()
                        .map(|p| format!(" ({p})"))
                        .unwrap_or_default()
                ),
            )
            .hint(format!(
                "pass `--set {name}=...`, or put it in an --answers file"
            )),
        ),
    }
    Ok(())
}

/// The highest-priority explicit answer, coerced, with where it came from.
fn explicit_answer(
    name: &str,
    var: &Variable,
    inputs: &AnswerInputs,
) -> Result<Option<(Value, Location)>, Problem> {
    if let Some((_, raw)) = inputs.set.iter().rev().find(|(k, _)| k == name) {
        let loc = Location::default().with_field(format!("--set {name}"));
        return coerce(var.kind, &Value::String(raw.clone()))
            .map(|v| Some((v, loc.clone())))
            .map_err(|e| Problem::new(loc, e));
    }
    for source in [&inputs.request, &inputs.file].into_iter().flatten() {
        if let Some(raw) = source.values.get(name) {
            let loc = source.location_of(name);
            return coerce(var.kind, raw)
                .map(|v| Some((v, loc.clone())))
                .map_err(|e| Problem::new(loc, e));
        }
    }
    Ok(None)
}

fn default_value(
    name: &str,
    var: &Variable,
    templates: &TemplateSet,
    ctx: &Value,
) -> Result<Option<Value>, Problem> {
    let Some(default) = &var.default else {
        return Ok(None);
    };
    let key = format!("var-default:{name}");
    if templates.contains(&key) {
        let text = templates.render(&key, ctx).map_err(render_problem)?;
        return coerce(var.kind, &Value::String(text))
            .map(Some)
            .map_err(|e| {
                Problem::new(
                    Location::default().with_field(format!("variables.{name}.default")),
                    e,
                )
            });
    }
    Ok(Some(default.clone()))
}

fn ask_until_valid(
    p: &mut dyn Prompter,
    name: &str,
    var: &Variable,
    default: Option<&Value>,
    templates: &TemplateSet,
    resolved: &Resolved,
    meta: &Value,
) -> Result<Value> {
    // One choice is no question.
    if var.kind == VarType::Choice && var.choices.len() == 1 {
        return Ok(Value::String(var.choices[0].value().to_string()));
    }
    let valid = |raw: &Value| {
        coerce(var.kind, raw)
            .and_then(|v| check(name, var, &v, templates, resolved, meta).map(|()| v))
    };
    let check_only = |raw: &Value| valid(raw).map(|_| ());
    let mut reason: Option<String> = None;
    for _ in 0..20 {
        let q = Question {
            name,
            variable: var,
            default,
            retry_reason: reason.as_deref(),
            check: &check_only,
        };
        let raw = p.ask(&q)?;
        match valid(&raw) {
            Ok(v) => return Ok(v),
            Err(e) => reason = Some(e),
        }
    }
    Err(Error::invalid(Problem::new(
        Location::default().with_field(name.to_string()),
        format!(
            "gave up on `{name}` after 20 invalid answers: {}",
            reason.unwrap_or_default()
        ),
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answers::{compile_expressions, metadata, LabelledAnswers};
    use crate::manifest::parse_manifest;
    use crate::render::TemplateSet;
    use serde_json::json;

    const MANIFEST: &str = r#"
name = "t"
version = "1.0.0"

[variables.name]
regex = "[a-z]+"

[variables.db]
type = "choice"
choices = ["pg", "none"]
default = "pg"

[variables.db_name]
when = "db != 'none'"
default = "{{ name }}_db"

[variables.replicas]
type = "integer"
default = 2
validate = "value >= 1"

[variables.token]
secret = true
default = ""

[variables.upper]
computed = "{{ name | upper }}"
"#;

    /// Answers questions from a script and records what was asked.
    struct Scripted {
        answers: Vec<Value>,
        asked: Vec<(String, Option<Value>, Option<String>)>,
    }

    impl Prompter for Scripted {
        fn ask(&mut self, q: &Question<'_>) -> Result<Value> {
            self.asked.push((
                q.name.to_string(),
                q.default.cloned(),
                q.retry_reason.map(str::to_string),
            ));
            Ok(self.answers.remove(0))
        }
    }

    /// Resolves `inputs` with a prompter giving `answers` in turn.
    fn answered(
        m: &Manifest,
        templates: &TemplateSet,
        inputs: &AnswerInputs,
        answers: Vec<Value>,
    ) -> (Resolved, Scripted) {
        let mut p = Scripted {
            answers,
            asked: vec![],
        };
        let meta = metadata("t", "1");
        let r = resolve(
            m,
            "golden-path.toml",
            templates,
            inputs,
            &meta,
            Some(&mut p),
        )
        .unwrap();
        (r, p)
    }

    fn setup() -> (Manifest, TemplateSet) {
        let m = parse_manifest(MANIFEST, "golden-path.toml", &Default::default()).unwrap();
        let templates = TemplateSet::compile(compile_expressions(&m, "golden-path.toml")).unwrap();
        (m, templates)
    }

    #[test]
    fn prompts_in_order_with_rendered_defaults_and_re_asks_invalid_answers() {
        let (m, templates) = setup();
        let mut p = Scripted {
            answers: vec![
                json!("Bad Name"),
                json!("shop"),
                json!("pg"),
                json!("shop_db"),
                json!("0"),
                json!("3"),
                json!("s3cret"),
            ],
            asked: vec![],
        };
        let meta = metadata("t", "1.0.0");
        let r = resolve(
            &m,
            "golden-path.toml",
            &templates,
            &AnswerInputs::default(),
            &meta,
            Some(&mut p),
        )
        .unwrap();
        let asked: Vec<&str> = p.asked.iter().map(|(n, _, _)| n.as_str()).collect();
        assert_eq!(
            asked,
            ["name", "name", "db", "db_name", "replicas", "replicas", "token"],
            "computed values are never asked"
        );
        assert_eq!(
            p.asked[1].2.as_deref(),
            Some("`Bad Name` does not match `[a-z]+`"),
            "the retry says why"
        );
        assert_eq!(
            p.asked[3].1,
            Some(json!("shop_db")),
            "defaults render from earlier answers"
        );
        assert!(p.asked[5]
            .2
            .as_deref()
            .unwrap()
            .contains("fails `value >= 1`"));
        assert_eq!(r.values["replicas"], json!(3));
        assert_eq!(r.values["upper"], json!("SHOP"));
        let recorded = r.recorded();
        assert!(
            !recorded.contains_key("token") && !recorded.contains_key("upper"),
            "no secrets, no computed values in the lock"
        );
        assert_eq!(
            r.render_context(meta).get("token"),
            None,
            "secrets never reach files"
        );
    }

    #[test]
    fn when_false_is_not_asked_and_set_beats_the_answers_file() {
        let (m, templates) = setup();
        let inputs = AnswerInputs {
            file: Some(LabelledAnswers {
                label: "a.yaml".into(),
                values: [
                    ("name".to_string(), json!("fromfile")),
                    ("db".to_string(), json!("pg")),
                ]
                .into_iter()
                .collect(),
                places: Default::default(),
            }),
            request: None,
            set: vec![("db".into(), "none".into())],
            reask: false,
        };
        let (r, p) = answered(&m, &templates, &inputs, vec![json!("2"), json!("")]);
        let asked: Vec<&str> = p.asked.iter().map(|(n, _, _)| n.as_str()).collect();
        assert_eq!(
            asked,
            ["replicas", "token"],
            "given answers are not asked again; db_name is skipped by its `when`"
        );
        assert_eq!(r.values["name"], json!("fromfile"));
        assert_eq!(r.values["db"], json!("none"));
        assert_eq!(
            r.values["db_name"],
            json!("fromfile_db"),
            "a skipped question keeps its default"
        );
    }

    #[test]
    fn reask_offers_the_files_answers_as_defaults_and_keeps_set() {
        let (m, templates) = setup();
        let inputs = AnswerInputs {
            file: Some(LabelledAnswers {
                label: "lock.toml".into(),
                values: [("name".to_string(), json!("fromfile"))]
                    .into_iter()
                    .collect(),
                places: Default::default(),
            }),
            request: None,
            set: vec![("db".into(), "none".into())],
            reask: true,
        };
        let (r, p) = answered(
            &m,
            &templates,
            &inputs,
            vec![json!("renamed"), json!("2"), json!("")],
        );
        assert_eq!(p.asked[0].0, "name");
        assert_eq!(
            p.asked[0].1,
            Some(json!("fromfile")),
            "offered as the default"
        );
        assert!(
            !p.asked.iter().any(|(n, _, _)| n == "db"),
            "--set is not asked"
        );
        assert_eq!(r.values["name"], json!("renamed"));
    }

    #[test]
    fn without_a_prompter_every_missing_answer_is_reported_at_once() {
        let (m, templates) = setup();
        let inputs = AnswerInputs {
            set: vec![("replicas".into(), "0".into())],
            ..Default::default()
        };
        let err = resolve(
            &m,
            "golden-path.toml",
            &templates,
            &inputs,
            &metadata("t", "1"),
            None,
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("no answer for `name`"), "{err}");
        assert!(err.contains("[--set replicas]"), "{err}");
        assert!(
            !err.contains("db_name"),
            "dependents of a failed answer stay quiet: {err}"
        );
    }
}
