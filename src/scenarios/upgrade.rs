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
    let expect = read_expectation(&scenario.join("upgrade.toml"))?;
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
    let tmp =
        tempfile::tempdir().map_err(|e| Error::destination(std::env::temp_dir(), e.to_string()))?;
    let version = &gp.manifest.version;
    let clone = clone_with_working_version(gp, &repository, &tmp.path().join("paths"))?;
    let spec = clone.spec();
    let from = if let Some(v) = expect.from {
        v
    } else {
        let current = gp.manifest.semver();
        let below = source::available_versions(&spec, config)?
            .into_iter()
            .filter(|v| *v < current)
            .max();
        match below {
            Some(v) => v.to_string(),
            None => {
                return fail(format!(
                    "no published version below {current} (tags `{}`) to upgrade from",
                    clone.tag("X.Y.Z")
                ))
            }
        }
    };

    let repo = tmp.path().join("repo");
    generate::new(
        &NewOptions {
            source: Some(spec.display()),
            dest: repo.clone(),
            version: Some(from.clone()),
            answers_file: Some(scenario.join("answers.toml")),
            git: true,
            author: Some(Author {
                name: "scaffold test".into(),
                email: "test@scaffold".into(),
            }),
            ..NewOptions::default()
        },
        config,
        None,
        &Silent,
    )?;
    let patches = match commit_patches(&repo, &scenario.join("patches"), &from)? {
        Ok(count) => count,
        Err(detail) => return fail(detail),
    };
    let guard = crate::upgrade::lock(&repo, "scaffold test")?;
    let upgrade_plan = plan(
        &repo,
        &UpgradeRequest {
            to: Some(version.clone()),
            ..UpgradeRequest::default()
        },
        config,
    )?;
    let outcome = execute(&repo, &upgrade_plan, &ExecuteOptions::default(), &guard)?;
    let name = format!(
        "{from} -> {version} with {patches} patch{}",
        if patches == 1 { "" } else { "es" }
    );
    Ok(compare_conflicts(name, outcome.conflicts, expect.conflicts))
}

fn read_expectation(label: &Path) -> Result<Expectation> {
    let text =
        std::fs::read_to_string(label).map_err(|e| Error::destination(label, e.to_string()))?;
    toml::from_str(&text)
        .map_err(|e| Error::invalid(Problem::from_toml(&e, &text, label.display().to_string())))
}

/// A throwaway clone of the golden paths' repository at `clone` whose work
/// tree holds the working folders (the golden path and its layers),
/// committed and tagged as this version. A golden path at the root of its
/// repository (tags `vX.Y.Z`) replaces the whole work tree, `.git` aside.
fn clone_with_working_version(
    gp: &GoldenPath,
    repository: &Published,
    clone: &Path,
) -> Result<Published> {
    let root = &repository.root;
    // Run from the clone's parent, not from the (untrusted) repository.
    git::run_cli(
        clone.parent().unwrap_or(clone),
        &[
            "clone",
            "-q",
            "--no-hardlinks",
            &root.to_string_lossy(),
            &clone.to_string_lossy(),
        ],
    )?;
    for layer in &gp.layers {
        let Some(folder) = Path::new(&layer.manifest_label).parent() else {
            continue;
        };
        let Ok(rel) = folder.strip_prefix(root) else {
            continue;
        };
        let files: Tree = crate::source::read_folder(folder)?
            .unwrap_or_default()
            .into_iter()
            .collect();
        // A golden path at the root of its repository is the whole work
        // tree: the clone's `.git` stays.
        crate::apply::replace_folder_keeping_git(&files, &clone.join(rel))?;
    }
    // The clone is the repository now: same layout, so same tag scheme.
    let clone_repo = Published {
        root: clone.to_path_buf(),
        name: repository.name.clone(),
    };
    git::run_cli(clone, &["add", "-A"])?;
    git::run_cli(
        clone,
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
    git::run_cli(clone, &["tag", "-f", &clone_repo.tag(&gp.manifest.version)])?;
    Ok(clone_repo)
}

/// Applies and commits `patches/*.patch` in name order, as the team's own
/// changes; the count, or why one does not apply.
fn commit_patches(
    repo: &Path,
    dir: &Path,
    from: &str,
) -> Result<std::result::Result<usize, String>> {
    let mut patches: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "patch"))
                .collect()
        })
        .unwrap_or_default();
    patches.sort();
    for patch in &patches {
        if let Err(e) = git::run_cli(repo, &["apply", "--index", &patch.to_string_lossy()]) {
            return Ok(Err(format!(
                "{} does not apply to a repository generated from {from}: {e}",
                patch.display()
            )));
        }
        git::run_cli(
            repo,
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
    Ok(Ok(patches.len()))
}

fn compare_conflicts(name: String, mut got: Vec<String>, mut want: Vec<String>) -> Check {
    got.sort();
    want.sort();
    if got == want {
        let detail = if got.is_empty() {
            "clean".to_string()
        } else {
            format!("conflicts as expected: {}", got.join(", "))
        };
        return Check::new("upgrade", name, true, detail);
    }
    let show = |v: &[String]| {
        if v.is_empty() {
            "none".to_string()
        } else {
            v.join(", ")
        }
    };
    Check::new(
        "upgrade",
        name,
        false,
        format!(
            "expected conflicts: {}\ngot conflicts: {}",
            show(&want),
            show(&got)
        ),
    )
}
