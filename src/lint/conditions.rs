//! Conditions that can never hold: the files behind them are never produced,
//! the questions behind them never asked. Each `when` is evaluated for every
//! combination of the choice and boolean answers it reads (other answers at
//! their defaults); one that is false for all of them is reported. Only the
//! golden path's own conditions and questions are judged: an inherited one that
//! never holds here is the base's extension point doing its job (a gateway has
//! no Dockerfile).

use serde_json::{json, Value};

use super::{placeholder_answers, FieldLocator, Finding, Severity};
use crate::answers::{metadata, resolve, Resolved};
use crate::error::Problem;
use crate::manifest::{Manifest, VarType};
use crate::render_plan::Compiled;
use crate::source::GoldenPath;

/// More combinations than this are not enumerated (the check is skipped).
const MAX_COMBINATIONS: usize = 4096;

pub(super) fn never_true(
    gp: &GoldenPath,
    compiled: &Compiled,
    fields: &FieldLocator,
) -> Vec<Finding> {
    let m = &gp.manifest;
    let Some(base) = defaults_context(gp, compiled) else {
        return Vec::new();
    };
    let own = OwnDeclarations::read(gp);
    let mut out = Vec::new();
    for (i, condition) in m.conditions.iter().enumerate() {
        if i < m.conditions.len().saturating_sub(own.conditions) {
            continue;
        }
        if can_be_true(m, compiled, &format!("cond:{i}"), &base) == Some(false) {
            let files: Vec<&str> = compiled
                .conditions_of()
                .filter(|(_, conds)| conds.contains(&i))
                .map(|(p, _)| p.as_str())
                .collect();
            out.push(Finding::new(
                "never-produced",
                Severity::Error,
                Problem::new(
                    fields.locate(&format!("conditions.{i}.when")),
                    format!(
                        "`{}` is never true, so {} can never be produced",
                        condition.when,
                        if files.is_empty() {
                            "its paths".to_string()
                        } else {
                            files.join(", ")
                        }
                    ),
                )
                .hint("compare against values the variables can take (see their `choices`)"),
            ));
        } else if !compiled
            .conditions_of()
            .any(|(_, conds)| conds.contains(&i))
        {
            out.push(Finding::new(
                "condition-matches-nothing",
                Severity::Warning,
                Problem::new(
                    fields.locate(&format!("conditions.{i}.paths")),
                    format!("no template file matches the paths {:?}", condition.paths),
                )
                .hint("paths are globs under template/ as written there, e.g. `deploy/helm/*/templates/hpa.yaml`"),
            ));
        }
    }
    for (name, var) in &m.variables {
        if var.when.is_some()
            && own.variables.contains(name)
            && can_be_true(m, compiled, &format!("var-when:{name}"), &base) == Some(false)
        {
            out.push(Finding::new(
                "never-asked",
                Severity::Error,
                Problem::new(
                    fields.locate(&format!("variables.{name}.when")),
                    format!("the `when` of `{name}` is never true, so `{name}` is never asked"),
                )
                .hint("compare against values the variables can take (see their `choices`)"),
            ));
        }
    }
    out
}

/// What the golden path's own manifest (not its bases) declares.
struct OwnDeclarations {
    conditions: usize,
    variables: Vec<String>,
}

impl OwnDeclarations {
    fn read(gp: &GoldenPath) -> OwnDeclarations {
        let doc: Option<toml::Table> = gp
            .layers
            .last()
            .and_then(|l| std::fs::read_to_string(&l.manifest_label).ok())
            .and_then(|text| text.parse().ok());
        let doc = doc.unwrap_or_default();
        OwnDeclarations {
            conditions: doc
                .get("conditions")
                .and_then(|c| c.as_array())
                .map_or(0, Vec::len),
            variables: doc
                .get("variables")
                .and_then(|v| v.as_table())
                .map(|t| t.keys().cloned().collect())
                .unwrap_or_default(),
        }
    }
}

/// Every answer at its default (placeholders where there is none), as a render context.
fn defaults_context(gp: &GoldenPath, compiled: &Compiled) -> Option<Value> {
    let m = &gp.manifest;
    let inputs = placeholder_answers(m);
    let meta = metadata(&m.name, &m.version);
    let resolved: Resolved = resolve(
        m,
        gp.manifest_label(),
        &compiled.templates,
        &inputs,
        &meta,
        None,
    )
    .ok()?;
    Some(resolved.full_context(meta))
}

/// `Some(false)` when no combination of the answers `name` reads makes it true.
fn can_be_true(m: &Manifest, compiled: &Compiled, name: &str, base: &Value) -> Option<bool> {
    let reads = compiled.templates.variables(name)?;
    let mut axes: Vec<(String, Vec<Value>)> = Vec::new();
    for var in &reads {
        let Some(def) = m.variables.get(var) else {
            continue;
        };
        if def.computed.is_some() {
            continue;
        }
        let values: Vec<Value> = match def.kind {
            VarType::Boolean => vec![json!(true), json!(false)],
            VarType::Choice => def.choices.iter().map(|c| json!(c.value())).collect(),
            VarType::MultiChoice => {
                let all: Vec<&str> = def
                    .choices
                    .iter()
                    .map(super::super::manifest::Choice::value)
                    .collect();
                let mut v = vec![json!([]), json!(all)];
                v.extend(all.iter().map(|c| json!([c])));
                v
            }
            _ => continue,
        };
        axes.push((var.clone(), values));
    }
    let total: usize = axes.iter().map(|(_, v)| v.len().max(1)).product();
    if total > MAX_COMBINATIONS {
        return None;
    }
    for index in 0..total {
        let mut ctx = base.clone();
        let mut rest = index;
        for (var, values) in &axes {
            ctx[var] = values[rest % values.len()].clone();
            rest /= values.len();
        }
        if compiled.templates.is_true(name, &ctx).unwrap_or(true) {
            return Some(true);
        }
    }
    Some(false)
}
