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
use crate::error::{Error, Location, Problem, Problems, Result};
use crate::render_plan;
use crate::report::Reporter;
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
    /// The program a validator could not find (its shell exited 127).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missing_tool: Option<String>,
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
            missing_tool: None,
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

pub fn run(
    dir: &Path,
    opts: &TestOptions,
    config: &Config,
    reporter: &dyn Reporter,
) -> Result<TestReport> {
    let spec = SourceSpec::Folder {
        path: dir.to_path_buf(),
        name: None,
    };
    let gp = source::load(&spec, None, config)?;
    let compiled = render_plan::compile(&gp)?;
    let scenarios = discover(dir, opts.filter.as_deref())?;
    let mut report = TestReport {
        golden_path: gp.manifest.name.clone(),
        version: gp.manifest.version.clone(),
        scenarios: Vec::new(),
    };
    let validators_each = gp.manifest.test.validators.len();
    let total = scenarios
        .iter()
        .map(|s| 1 + validators_each + usize::from(s.join("upgrade.toml").is_file()))
        .sum();
    let mut progress = Progress {
        reporter,
        done: 0,
        total,
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
        progress.start(&format!("{name}: render"));
        match render_plan::resolve_and_render(&gp, &compiled, &inputs, None) {
            Err(Error::Invalid(problems)) => {
                let detail = problems
                    .iter()
                    .map(|p| format!("{}: {}", p.location, p.message))
                    .collect::<Vec<_>>()
                    .join("\n");
                checks.push(Check::new("render", "render", false, detail));
                progress.skip(validators_each);
            }
            Err(e) => return Err(e),
            Ok((_, rendered)) => {
                checks.push(snapshot::compare(
                    &rendered.tree,
                    &scenario.join("expected"),
                    opts.update,
                )?);
                checks.extend(validators(&gp, &rendered.tree, &name, &mut progress)?);
            }
        }
        missing_tools(&gp, &checks)?;
        if scenario.join("upgrade.toml").is_file() {
            progress.start(&format!("{name}: upgrade"));
            checks.push(upgrade::check(dir, &gp, &scenario, config)?);
        }
        report.scenarios.push(ScenarioResult { name, checks });
    }
    reporter.finish();
    Ok(report)
}

/// Counts the checks of a run for the reporter's progress bar.
struct Progress<'a> {
    reporter: &'a dyn Reporter,
    done: usize,
    total: usize,
}

impl Progress<'_> {
    fn start(&mut self, label: &str) {
        self.reporter.progress(self.done, self.total, label);
        self.done += 1;
    }

    fn skip(&mut self, units: usize) {
        self.done += units;
    }
}

/// A validator that could not start its tool is not a failing golden path
/// but a machine without the tool: an error (exit 2) naming each tool, and
/// how to install it when the manifest says (`[test] install`).
fn missing_tools(gp: &GoldenPath, checks: &[Check]) -> Result<()> {
    let mut problems = Problems::default();
    let mut seen = Vec::new();
    for check in checks {
        let Some(tool) = &check.missing_tool else {
            continue;
        };
        if seen.contains(tool) {
            continue;
        }
        seen.push(tool.clone());
        let hint = match &gp.manifest.test.install {
            Some(install) => format!("install it with `{install}`, or put it on PATH"),
            None => format!("install {tool} and put it on PATH"),
        };
        problems.push(
            Problem::new(
                Location::file(gp.manifest_label()).with_field("test.validators"),
                format!(
                    "missing tool: {tool} (the validator `{}` cannot run it)",
                    check.name
                ),
            )
            .hint(hint),
        );
    }
    problems.into_result(())
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
fn validators(
    gp: &GoldenPath,
    tree: &Tree,
    scenario: &str,
    progress: &mut Progress<'_>,
) -> Result<Vec<Check>> {
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
            progress.start(&format!("{scenario}: {command}"));
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
                    let mut check =
                        Check::new("validator", command.clone(), o.status.success(), detail);
                    if o.status.code() == Some(COMMAND_NOT_FOUND) {
                        check.missing_tool = not_found_tool(&o.stderr);
                    }
                    check
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

/// The exit status POSIX shells give a command they cannot find.
const COMMAND_NOT_FOUND: i32 = 127;

/// The program named in a shell's "not found" message: dash's `sh: 1: helm:
/// not found`, bash's `sh: line 1: helm: command not found`.
fn not_found_tool(stderr: &[u8]) -> Option<String> {
    String::from_utf8_lossy(stderr).lines().find_map(|line| {
        let rest = line
            .strip_suffix(": not found")
            .or_else(|| line.strip_suffix(": command not found"))?;
        let tool = rest.rsplit(": ").next()?.trim();
        (!tool.is_empty()).then(|| tool.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::not_found_tool;

    #[test]
    fn names_the_missing_program_in_dash_and_bash_messages() {
        assert_eq!(
            not_found_tool(b"sh: 1: helm: not found\n").as_deref(),
            Some("helm")
        );
        assert_eq!(
            not_found_tool(b"sh: line 1: promtool: command not found\n").as_deref(),
            Some("promtool")
        );
        assert_eq!(not_found_tool(b"Error: chart invalid\n"), None);
    }
}
