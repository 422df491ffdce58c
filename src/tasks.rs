//! Post-render commands declared by a golden path. They run only when the
//! user passed `--trust` or trusts the source in their config: a template
//! from the internet must not run code on a developer's machine unasked.
//!
//! They run in the finished repository, after its initial commit, so a
//! failing task leaves a complete repository (its changes uncommitted, for
//! review) and the user a clear next step. Their output is shown live,
//! line by line through the `Reporter`, and kept for `--json`; every secret
//! value in it is masked.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Command, Stdio};

use serde::Serialize;
use serde_json::Value;

use crate::answers::{render_problem, Resolved};
use crate::error::{Error, Result};
use crate::manifest::Manifest;
use crate::render::TemplateSet;
use crate::report::Reporter;

/// One task to run: its name and rendered command.
#[derive(Debug, Clone)]
pub struct PlannedTask {
    pub name: String,
    pub command: String,
}

/// What happened to a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TaskStatus {
    /// Ran and exited 0.
    Ok,
    /// Ran and failed; the tasks after it did not run.
    Failed,
    /// Not run: the source is not trusted, `--dry-run`, or an earlier task failed.
    Skipped,
}

#[derive(Debug, Clone, Serialize)]
pub struct TaskOutcome {
    pub name: String,
    pub command: String,
    /// `false` when skipped (kept for scripts written against earlier versions).
    pub ran: bool,
    pub status: TaskStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exit_code: Option<i32>,
    /// stdout and stderr lines, in the order they came, secrets masked.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub output: Vec<String>,
}

/// The tasks whose `when` holds, with their commands rendered.
pub fn planned(m: &Manifest, templates: &TemplateSet, ctx: &Value) -> Result<Vec<PlannedTask>> {
    let mut out = Vec::new();
    for (i, task) in m.tasks.iter().enumerate() {
        if task.when.is_some()
            && !templates
                .is_true(&format!("task-when:{i}"), ctx)
                .map_err(|e| Error::invalid(render_problem(e)))?
        {
            continue;
        }
        let command = templates
            .render(&format!("task-run:{i}"), ctx)
            .map_err(|e| Error::invalid(render_problem(e)))?;
        out.push(PlannedTask {
            name: task.name.clone().unwrap_or_else(|| command.clone()),
            command,
        });
    }
    Ok(out)
}

/// `tasks` reported as not run (dry run, or an untrusted source).
pub fn skipped(tasks: &[PlannedTask]) -> Vec<TaskOutcome> {
    tasks.iter().map(skipped_one).collect()
}

fn skipped_one(task: &PlannedTask) -> TaskOutcome {
    TaskOutcome {
        name: task.name.clone(),
        command: task.command.clone(),
        ran: false,
        status: TaskStatus::Skipped,
        exit_code: None,
        output: Vec::new(),
    }
}

/// Runs `tasks` in `dir` with `sh -c`, in order, until one fails (the rest
/// are reported skipped). Secrets reach commands only as
/// `SCAFFOLD_SECRET_<NAME>` variables, and are masked in their output.
/// An `Err` means a task could not be started at all.
pub fn run(
    tasks: &[PlannedTask],
    dir: &Path,
    answers: &Resolved,
    reporter: &dyn Reporter,
) -> Result<Vec<TaskOutcome>> {
    let redactor = answers.redactor();
    let mut outcomes = Vec::new();
    for task in tasks {
        if outcomes
            .iter()
            .any(|o: &TaskOutcome| o.status == TaskStatus::Failed)
        {
            outcomes.push(skipped_one(task));
            continue;
        }
        reporter.step(&format!("running task: {}", redactor.apply(&task.name)));
        let mut cmd = Command::new("sh");
        cmd.arg("-c")
            .arg(&task.command)
            .current_dir(dir)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for secret in &answers.secrets {
            if let Some(Value::String(v)) = answers.values.get(secret) {
                cmd.env(
                    format!("SCAFFOLD_SECRET_{}", secret.to_ascii_uppercase()),
                    v,
                );
            }
        }
        let mut child = cmd.spawn().map_err(|e| Error::Task {
            command: redactor.apply(&task.command),
            message: format!("cannot start `sh`: {e}"),
        })?;
        let (stdout, stderr) = (child.stdout.take(), child.stderr.take());
        let (tx, rx) = std::sync::mpsc::channel::<String>();
        let readers: Vec<_> = [
            stdout.map(|s| Box::new(s) as Box<dyn Read + Send>),
            stderr.map(|s| Box::new(s) as Box<dyn Read + Send>),
        ]
        .into_iter()
        .flatten()
        .map(|stream| {
            let tx = tx.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream)
                    .split(b'\n')
                    .map_while(std::result::Result::ok)
                {
                    let text = String::from_utf8_lossy(&line)
                        .trim_end_matches('\r')
                        .to_string();
                    if tx.send(text).is_err() {
                        break;
                    }
                }
            })
        })
        .collect();
        drop(tx);
        let mut output = Vec::new();
        for line in rx {
            let line = redactor.apply(&line);
            reporter.task_output(&task.name, &line);
            output.push(line);
        }
        for reader in readers {
            let _ = reader.join();
        }
        let status = child.wait().map_err(|e| Error::Task {
            command: redactor.apply(&task.command),
            message: e.to_string(),
        })?;
        outcomes.push(TaskOutcome {
            name: redactor.apply(&task.name),
            command: redactor.apply(&task.command),
            ran: true,
            status: if status.success() {
                TaskStatus::Ok
            } else {
                TaskStatus::Failed
            },
            exit_code: status.code(),
            output,
        });
    }
    Ok(outcomes)
}
