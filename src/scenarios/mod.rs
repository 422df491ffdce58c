//! `scaffold test`: a golden path's own test suite. Each folder under
//! `tests/` is a scenario: `answers.toml` (the answers), `expected/` (the tree it
//! must render to; `--update` rewrites it), and optionally `upgrade.toml` plus
//! `patches/*.patch` (a repository generated from the previous published version,
//! customised by the patches, must upgrade to this version cleanly or with
//! exactly the listed conflicts). The `[test] validators` commands of the
//! manifest run in every rendered scenario.

mod snapshot;
mod upgrade;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Serialize;

use crate::answers::{load_answers_file, AnswerInputs};
use crate::error::{Error, Result};
use crate::plan;
use crate::source::{self, Config, GoldenPath, SourceSpec};
use crate::tree::Tree;

/// Folder of scenarios inside a golden path.
pub const TESTS_DIR: &str = "tests";

#[derive(Debug, Clone, Serialize)]
pub struct TestReport {
    pub golden_path: String,
    pub version: String,
    pub scenarios: Vec<ScenarioResult>,
}

impl TestReport {
    pub fn failed(&self) -> usize {
        self.scenarios.iter().map(ScenarioResult::failed).sum()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ScenarioResult {
    pub name: String,
    pub checks: Vec<Check>,
}

impl ScenarioResult {
    fn failed(&self) -> usize {
        self.checks.iter().filter(|c| !c.passed).count()
    }
}

/// One check of a scenario: the snapshot, a validator, the upgrade.
#[derive(Debug, Clone, Serialize)]
pub struct Check {
    pub kind: &'static str,
    pub name: String,
    pub passed: bool,
    /// What went wrong (a diff, a command's output), or what was done (`updated`).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub detail: String,
}

impl Check {
    fn new(
        kind: &'static str,
        name: impl Into<String>,
        passed: bool,
        detail: impl Into<String>,
    ) -> Check {
        Check {
            kind,
            name: name.into(),
            passed,
            detail: detail.into(),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct TestOptions {
    /// Rewrite `expected/` from the render instead of comparing.
    pub update: bool,
    /// Only scenarios whose name contains this.
    pub filter: Option<String>,
}

pub fn run(dir: &Path, opts: &TestOptions, config: &Config) -> Result<TestReport> {
    let spec = SourceSpec::Folder {
        path: dir.to_path_buf(),
        name: None,
    };
    let gp = source::load(&spec, None, config)?;
    let compiled = plan::compile(&gp)?;
    let scenarios = discover(dir, opts.filter.as_deref())?;
    let mut report = TestReport {
        golden_path: gp.manifest.name.clone(),
        version: gp.manifest.version.clone(),
        scenarios: Vec::new(),
    };
    for scenario in scenarios {
        let name = scenario
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut checks = Vec::new();
        let inputs = AnswerInputs {
            file: Some(load_answers_file(&scenario.join("answers.toml"))?),
            ..AnswerInputs::default()
        };
        match plan::resolve_and_render(&gp, &compiled, &inputs, None) {
            Err(Error::Invalid(problems)) => {
                let detail = problems
                    .iter()
                    .map(|p| format!("{}: {}", p.location, p.message))
                    .collect::<Vec<_>>()
                    .join("\n");
                checks.push(Check::new("render", "render", false, detail));
            }
            Err(e) => return Err(e),
            Ok((_, rendered)) => {
                checks.push(snapshot::compare(
                    &rendered.tree,
                    &scenario.join("expected"),
                    opts.update,
                )?);
                checks.extend(validators(&gp, &rendered.tree)?);
            }
        }
        if scenario.join("upgrade.toml").is_file() {
            checks.push(upgrade::check(dir, &gp, &scenario, config)?);
        }
        report.scenarios.push(ScenarioResult { name, checks });
    }
    Ok(report)
}

fn discover(dir: &Path, filter: Option<&str>) -> Result<Vec<PathBuf>> {
    let tests = dir.join(TESTS_DIR);
    let mut found: Vec<PathBuf> = match std::fs::read_dir(&tests) {
        Ok(entries) => entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.join("answers.toml").is_file())
            .filter(|p| {
                filter.is_none_or(|f| {
                    p.file_name()
                        .is_some_and(|n| n.to_string_lossy().contains(f))
                })
            })
            .collect(),
        Err(_) => Vec::new(),
    };
    found.sort();
    if found.is_empty() {
        return Err(Error::source_error(
            dir.display().to_string(),
            format!(
                "no scenarios: add {}/<scenario>/answers.toml",
                tests.display()
            ),
        ));
    }
    Ok(found)
}

/// Writes the tree to a temporary folder and runs each `[test] validators` command there.
fn validators(gp: &GoldenPath, tree: &Tree) -> Result<Vec<Check>> {
    let commands = &gp.manifest.test.validators;
    if commands.is_empty() {
        return Ok(Vec::new());
    }
    let tmp =
        tempfile::tempdir().map_err(|e| Error::destination(std::env::temp_dir(), e.to_string()))?;
    let out = tmp.path().join("render");
    let state = crate::apply::inspect(&out, false)?;
    crate::apply::write_tree(tree, &Tree::default(), &out, state)?;
    Ok(commands
        .iter()
        .map(|command| {
            match Command::new("sh")
                .arg("-c")
                .arg(command)
                .current_dir(&out)
                .output()
            {
                Ok(o) => {
                    let text = format!(
                        "{}{}",
                        String::from_utf8_lossy(&o.stdout),
                        String::from_utf8_lossy(&o.stderr)
                    );
                    let detail = if o.status.success() {
                        String::new()
                    } else {
                        text.trim_end().to_string()
                    };
                    Check::new("validator", command.clone(), o.status.success(), detail)
                }
                Err(e) => Check::new(
                    "validator",
                    command.clone(),
                    false,
                    format!("cannot run sh: {e}"),
                ),
            }
        })
        .collect())
}
