//! Files that move in an upgrade: renamed by the new version's `[[renames]]`,
//! or whose templated path reads an answer the upgrade changes (`--set`, a
//! migration's `set`). Each move carries the user's edits along.

use std::collections::BTreeMap;

use super::migrate::migrate;
use super::plan::{render_with_answers, UpgradePlan};
use crate::answers::{self, render_problem, Resolved};
use crate::error::{Error, Location, Problem, Result};
use crate::lock::Lock;
use crate::render::{TemplateSet, TemplateSource};
use crate::source::GoldenPath;
use crate::tree::{RelPath, Tree};

/// Files whose path depends on an answer that this upgrade changes (by
/// `--set` or a `set` migration) move with the answer: each template file's
/// path under the old answers becomes a rename to its path under the new.
pub(super) fn answer_moves(
    plan: &UpgradePlan,
    lock: &Lock,
    lock_label: &str,
    from: &semver::Version,
    set: &[(String, String)],
) -> Result<Vec<(String, String)>> {
    let changes_values = !set.is_empty()
        || plan
            .target
            .manifest
            .migrations
            .iter()
            .any(|m| m.set.is_some());
    if !changes_values {
        return Ok(Vec::new());
    }
    // If the old answers no longer render this version, there is nothing to map from.
    let Ok((old, _, _)) = render_with_answers(
        &plan.target,
        &migrate(&lock.answers, &plan.target, from, false)?,
        lock_label,
        &[],
    ) else {
        return Ok(Vec::new());
    };
    let old_path_of: BTreeMap<&RelPath, &RelPath> =
        old.sources.iter().map(|(out, src)| (src, out)).collect();
    Ok(plan
        .theirs
        .sources
        .iter()
        .filter_map(|(new_out, src)| {
            old_path_of
                .get(src)
                .filter(|old_out| **old_out != new_out)
                .map(|old_out| (old_out.to_string(), new_out.to_string()))
        })
        .collect())
}

/// The target version's `[[renames]]`, rendered with the answers.
pub(super) fn rendered_renames(
    gp: &GoldenPath,
    answers: &Resolved,
) -> Result<Vec<(String, String)>> {
    let renames = &gp.manifest.renames;
    if renames.is_empty() {
        return Ok(Vec::new());
    }
    let label = gp.manifest_label();
    let sources = renames
        .iter()
        .enumerate()
        .flat_map(|(i, r)| {
            [
                TemplateSource::tera(format!("rename-from:{i}"), r.from.clone())
                    .with_origin(format!("{label} [renames.{i}.from]")),
                TemplateSource::tera(format!("rename-to:{i}"), r.to.clone())
                    .with_origin(format!("{label} [renames.{i}.to]")),
            ]
        })
        .collect();
    let templates = TemplateSet::compile(sources)
        .map_err(|e| Error::Invalid(e.into_iter().map(render_problem).collect()))?;
    let ctx = answers.render_context(answers::metadata(&gp.manifest.name, &gp.manifest.version));
    (0..renames.len())
        .map(|i| {
            let from = templates
                .render(&format!("rename-from:{i}"), &ctx)
                .map_err(|e| Error::invalid(render_problem(e)))?;
            let to = templates
                .render(&format!("rename-to:{i}"), &ctx)
                .map_err(|e| Error::invalid(render_problem(e)))?;
            Ok((from, to))
        })
        .collect()
}

/// Moves renamed paths (a file, or everything under a folder) in `base` and
/// `ours`, so the user's edits merge with the golden path's at the new place.
/// Returns (old, new, whether the user still had the old file).
pub(super) fn apply_renames(
    renames: &[(String, String)],
    base: &mut Tree,
    ours: &mut Tree,
) -> Result<Vec<(RelPath, RelPath, bool)>> {
    let mut moved = Vec::new();
    for (from, to) in renames {
        let parse = |p: &str, field: &str| {
            RelPath::new(p).map_err(|why| {
                Error::invalid(Problem::new(
                    Location::default().with_field(format!("renames.{field}")),
                    format!("`{p}` {why}"),
                ))
            })
        };
        let (from, to) = (parse(from, "from")?, parse(to, "to")?);
        let olds: Vec<RelPath> = base
            .paths()
            .filter(|p| **p == from || p.strip_prefix(from.as_str()).is_some())
            .cloned()
            .collect();
        for old in olds {
            let new = match old.strip_prefix(from.as_str()) {
                Some(rest) => parse(&format!("{to}/{rest}"), "to")?,
                None => to.clone(),
            };
            if ours.get(&new).is_some() {
                continue; // something is already there: leave both where they are
            }
            let entry = base.remove(&old).expect("listed from base");
            base.insert(new.clone(), entry);
            let ours_had = match ours.remove(&old) {
                Some(e) => {
                    ours.insert(new.clone(), e);
                    true
                }
                None => false,
            };
            moved.push((old, new, ours_had));
        }
    }
    Ok(moved)
}
