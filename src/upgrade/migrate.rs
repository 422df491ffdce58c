//! Recorded answers carried to another version: the target's `[[migrations]]`
//! (renames, drops, computed `set`s), and `upgrade --ask`, which asks the
//! questions again with the recorded answers as defaults.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use super::plan::{starting_point, target_version, UpgradeRequest};
use crate::answers::{self, render_problem, AnswerInputs, LabelledAnswers};
use crate::error::{Error, Result};
use crate::manifest::Migration;
use crate::render::{TemplateSet, TemplateSource};
use crate::render_plan;
use crate::source::{self, Config, GoldenPath};

/// `upgrade --ask`: the target version's questions asked again, each
/// offering the recorded answer (after migrations) as its default. Returns
/// `request.set` plus every answer that differs, for `plan`.
pub fn ask_again(
    repo: &Path,
    request: &UpgradeRequest,
    config: &Config,
    prompter: &mut dyn answers::Prompter,
) -> Result<Vec<(String, String)>> {
    let (lock, lock_label, spec, current) = starting_point(repo, request)?;
    let available = source::available_versions(&spec, config)?;
    let target = target_version(&spec, &available, request.to.as_deref(), &current)?;
    let gp = source::load(&spec, Some(&target.to_string()), config)?;
    let migrated = migrate(&lock.answers, &gp, &current, true)?;
    let inputs = AnswerInputs {
        file: Some(LabelledAnswers {
            label: lock_label,
            places: Default::default(),
            values: migrated
                .iter()
                .filter(|(name, _)| gp.manifest.variables.contains_key(*name))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        }),
        request: None,
        set: request.set.clone(),
        reask: true,
    };
    let compiled = render_plan::compile(&gp)?;
    let (resolved, _) = render_plan::resolve_and_render(&gp, &compiled, &inputs, Some(prompter))?;
    let mut set = request.set.clone();
    for (name, value) in resolved.recorded() {
        if migrated.get(&name) != Some(&value) && !set.iter().any(|(k, _)| *k == name) {
            set.push((name, answers::loose_text(&value)));
        }
    }
    Ok(set)
}

/// The migrations of `gp` that apply to an upgrade from `from`, in order.
pub(super) fn applicable<'a>(
    gp: &'a GoldenPath,
    from: &'a semver::Version,
) -> impl Iterator<Item = (usize, &'a Migration)> + 'a {
    gp.manifest
        .migrations
        .iter()
        .enumerate()
        .filter(move |(_, m)| {
            m.since
                .as_deref()
                .and_then(|v| semver::Version::parse(v).ok())
                .is_none_or(|since| *from < since)
        })
}

/// The answers recorded by an older version, as the target version needs
/// them: its `[[migrations]]` applied (those `since` a version newer than
/// `from`). With `values` false, only renames and drops apply (what keeps
/// paths where they were).
pub(super) fn migrate(
    recorded: &BTreeMap<String, Value>,
    gp: &GoldenPath,
    from: &semver::Version,
    values: bool,
) -> Result<BTreeMap<String, Value>> {
    let mut answers = recorded.clone();
    let label = gp.manifest_label();
    for (i, m) in applicable(gp, from) {
        if let Some(r) = &m.rename {
            if let Some(v) = answers.remove(&r.from) {
                answers.insert(r.to.clone(), v);
            }
        }
        if let Some(name) = &m.drop {
            answers.remove(name);
        }
        if let (Some(set), true) = (&m.set, values) {
            let name = format!("migration:{i}");
            let templates =
                TemplateSet::compile(vec![TemplateSource::tera(&name, set.value.clone())
                    .with_origin(format!("{label} [migrations.{i}.set.value]"))])
                .map_err(|e| Error::Invalid(e.into_iter().map(render_problem).collect()))?;
            let ctx = Value::Object(answers.clone().into_iter().collect());
            let value = templates
                .render(&name, &ctx)
                .map_err(|e| Error::invalid(render_problem(e)))?;
            answers.insert(set.variable.clone(), Value::String(value));
        }
    }
    Ok(answers)
}
