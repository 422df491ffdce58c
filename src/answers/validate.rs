//! Whether an answer is acceptable: declared, one of the choices, matching
//! the regex and the `validate` expression. Messages say what was expected.

use serde_json::Value;

use super::{AnswerInputs, Resolved};
use crate::error::{did_you_mean, Location, Problem, Problems};
use crate::manifest::{Manifest, VarType, Variable};
use crate::redact::Redactor;
use crate::render::TemplateSet;

/// Choices, regex and the `validate` expression; the message explains the
/// failure, and never repeats a secret's value.
pub(super) fn check(
    name: &str,
    var: &Variable,
    value: &Value,
    templates: &TemplateSet,
    resolved: &Resolved,
    meta: &Value,
) -> Result<(), String> {
    let result = check_value(name, var, value, templates, resolved, meta);
    match (var.secret, value.as_str()) {
        (true, Some(secret)) => result.map_err(|m| Redactor::new([secret]).apply(&m)),
        _ => result,
    }
}

fn check_value(
    name: &str,
    var: &Variable,
    value: &Value,
    templates: &TemplateSet,
    resolved: &Resolved,
    meta: &Value,
) -> Result<(), String> {
    let shown = |item: &str| {
        if var.secret {
            "the value".to_string()
        } else {
            format!("`{item}`")
        }
    };
    let items: Vec<&str> = match value {
        Value::String(s) => vec![s.as_str()],
        Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    if matches!(var.kind, VarType::Choice | VarType::MultiChoice) {
        let allowed: Vec<&str> = var
            .choices
            .iter()
            .map(super::super::manifest::Choice::value)
            .collect();
        for item in &items {
            if !allowed.contains(item) {
                let hint = did_you_mean(item, allowed.iter().copied())
                    .map(|b| format!("; did you mean `{b}`?"))
                    .unwrap_or_default();
                return Err(format!(
                    "{} is not one of {}{hint}",
                    shown(item),
                    allowed.join(", ")
                ));
            }
        }
    }
    if let Some(re) = &var.regex {
        let compiled = regex::Regex::new(&format!("^(?:{re})$")).map_err(|e| e.to_string())?;
        for item in &items {
            if !compiled.is_match(item) {
                return Err(var
                    .error
                    .clone()
                    .unwrap_or_else(|| format!("{} does not match `{re}`", shown(item))));
            }
        }
    }
    if var.validate.is_some() {
        let mut ctx = resolved.full_context(meta.clone());
        ctx["value"] = value.clone();
        ctx[name] = value.clone();
        match templates.is_true(&format!("var-validate:{name}"), &ctx) {
            Ok(true) => {}
            Ok(false) => {
                return Err(var.error.clone().unwrap_or_else(|| {
                    let what = if var.secret {
                        "the value".to_string()
                    } else {
                        value.to_string()
                    };
                    format!(
                        "{what} fails `{}`",
                        var.validate.as_deref().unwrap_or_default()
                    )
                }))
            }
            Err(e) => return Err(format!("cannot evaluate `validate`: {}", e.message)),
        }
    }
    Ok(())
}

/// Names given in `--set` or an answers file must be declared.
pub(super) fn check_names(m: &Manifest, inputs: &AnswerInputs, problems: &mut Problems) {
    // What can be answered: computed values cannot.
    let declared: Vec<&str> = m
        .variables
        .iter()
        .filter(|(_, v)| v.computed.is_none())
        .map(|(name, _)| name.as_str())
        .collect();
    let unknown = |name: &str, loc: Location| {
        let mut p = Problem::new(
            loc,
            format!("`{name}` is not a variable of this golden path"),
        );
        p = match did_you_mean(name, declared.iter().copied()) {
            Some(best) => p.hint(format!("did you mean `{best}`?")),
            None => p.hint(format!("the answers it takes: {}", declared.join(", "))),
        };
        p
    };
    for (name, _) in &inputs.set {
        if !m.variables.contains_key(name) {
            problems.push(unknown(
                name,
                Location::default().with_field(format!("--set {name}")),
            ));
        } else if m.variables[name].computed.is_some() {
            problems.push(Problem::new(
                Location::default().with_field(format!("--set {name}")),
                format!("`{name}` is computed from other answers and cannot be set"),
            ));
        }
    }
    if let Some(file) = &inputs.file {
        for name in file.values.keys() {
            if !m.variables.contains_key(name) {
                problems.push(unknown(name, file.location_of(name)));
            }
        }
    }
}
