//! A scenario's upgrade test: generate a repository from the previous published
//! version (a tag in the golden path's git repository) with the scenario's answers,
//! apply the scenario's `patches/*.patch` as the team's own commits, upgrade it to
//! the working version, and compare the conflicts with `upgrade.toml`.
//!
//! The working version is not tagged yet, so a throwaway clone of the repository
//! gets the working folders (the golden path and its layers) committed and tagged.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::Check;
use crate::error::{Error, Problem, Result};
use crate::generate::{self, NewOptions};
use crate::git::{self, Author};
use crate::report::Silent;
use crate::source::{self, Config, GoldenPath, Published};
use crate::tree::Tree;
use crate::upgrade::{execute, plan, ExecuteOptions, UpgradeRequest};

/// `upgrade.toml` of a scenario.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expectation {
    /// Version to upgrade from; default the newest published one below this version.
    from: Option<String>,
    /// Paths expected to conflict; empty means a clean upgrade.
    #[serde(default)]
    conflicts: Vec<String>,
}

pub(super) fn check(
    dir: &Path,
    gp: &GoldenPath,
    scenario: &Path,
    config: &Config,
) -> Result<Check> {
    let label = scenario.join("upgrade.toml");
    let text =
        std::fs::read_to_string(&label).map_err(|e| Error::destination(&label, e.to_string()))?;
    let expect: Expectation = toml::from_str(&text)
        .map_err(|e| Error::invalid(Problem::from_toml(&e, &text, label.display().to_string())))?;
    let fail = |detail: String| Ok(Check::new("upgrade", "to this version", false, detail));
    let scenario = &scenario
        .canonicalize()
        .map_err(|e| Error::destination(scenario, e.to_string()))?;

    let Some(repository) = Published::find(dir, &gp.manifest.name) else {
        return fail(format!(
            "{} is not in a git repository, so there is no published version to upgrade from",
            dir.display()
        ));
    };
    let root = &repository.root;
    let tmp =
        tempfile::tempdir().map_err(|e| Error::destination(std::env::temp_dir(), e.to_string()))?;
    let clone = tmp.path().join("paths");
    git::run_cli(
        tmp.path(),
        &[
            "clone",
            "-q",
            "--no-hardlinks",
            &root.to_string_lossy(),
            "paths",
        ],
    )?;

    // The working folders replace the committed ones in the clone.
    for layer in &gp.layers {
        let Some(folder) = Path::new(&layer.manifest_label).parent() else {
            continue;
        };
        let Ok(rel) = folder.strip_prefix(root) else {
            continue;
        };
        let target = clone.join(rel);
        if target.exists() {
            std::fs::remove_dir_all(&target)
                .map_err(|e| Error::destination(&target, e.to_string()))?;
        }
        let files: Tree = crate::source::read_folder(folder)?
            .unwrap_or_default()
            .into_iter()
            .collect();
        let state = crate::apply::inspect(&target, false)?;
        crate::apply::write_tree(&files, &Tree::default(), &target, state)?;
    }
    let name = &gp.manifest.name;
    let version = &gp.manifest.version;
    // The clone is the repository now: same layout, so same tag scheme.
    let clone_repo = Published {
        root: clone.clone(),
        name: repository.name.clone(),
    };
    let tag = clone_repo.tag(version);
    git::run_cli(&clone, &["add", "-A"])?;
    git::run_cli(
        &clone,
        &[
            "-c",
            "user.name=scaffold test",
            "-c",
            "user.email=test@scaffold",
            "commit",
            "-q",
            "--allow-empty",
            "-m",
            "working version",
        ],
    )?;
    git::run_cli(&clone, &["tag", "-f", &tag])?;

    let spec = clone_repo.spec();
    let current = gp.manifest.semver();
    let from = match expect.from {
        Some(v) => v,
        None => {
            match source::available_versions(&spec, config)?
                .into_iter()
                .filter(|v| *v < current)
                .max()
            {
                Some(v) => v.to_string(),
                None => {
                    return fail(format!(
                    "no published version below {current} (tags `{name}/vX.Y.Z`) to upgrade from"
                ))
                }
            }
        }
    };

    let repo = tmp.path().join("repo");
    let author = Author {
        name: "scaffold test".into(),
        email: "test@scaffold".into(),
    };
    generate::new(
        &NewOptions {
            source: Some(spec.display()),
            dest: repo.clone(),
            version: Some(from.clone()),
            answers_file: Some(scenario.join("answers.toml")),
            git: true,
            author: Some(author),
            ..NewOptions::default()
        },
        config,
        None,
        &Silent,
    )?;
    let mut patches: Vec<PathBuf> = std::fs::read_dir(scenario.join("patches"))
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "patch"))
                .collect()
        })
        .unwrap_or_default();
    patches.sort();
    for patch in &patches {
        if let Err(e) = git::run_cli(&repo, &["apply", "--index", &patch.to_string_lossy()]) {
            return fail(format!(
                "{} does not apply to a repository generated from {from}: {e}",
                patch.display()
            ));
        }
        git::run_cli(
            &repo,
            &[
                "-c",
                "user.name=team",
                "-c",
                "user.email=team@example.com",
                "commit",
                "-q",
                "-m",
                "local change",
            ],
        )?;
    }
    let guard = crate::upgrade::lock(&repo, "scaffold test")?;
    let upgrade_plan = plan(
        &repo,
        &UpgradeRequest {
            to: Some(version.clone()),
            set: Vec::new(),
        },
        config,
    )?;
    let outcome = execute(&repo, &upgrade_plan, &ExecuteOptions::default(), &guard)?;
    let mut got = outcome.conflicts.clone();
    got.sort();
    let mut want = expect.conflicts.clone();
    want.sort();
    let name = format!(
        "{from} -> {version} with {} patch{}",
        patches.len(),
        if patches.len() == 1 { "" } else { "es" }
    );
    if got == want {
        let detail = if got.is_empty() {
            "clean".to_string()
        } else {
            format!("conflicts as expected: {}", got.join(", "))
        };
        Ok(Check::new("upgrade", name, true, detail))
    } else {
        let show = |v: &[String]| {
            if v.is_empty() {
                "none".to_string()
            } else {
                v.join(", ")
            }
        };
        Ok(Check::new(
            "upgrade",
            name,
            false,
            format!(
                "expected conflicts: {}\ngot conflicts: {}",
                show(&want),
                show(&got)
            ),
        ))
    }
}
