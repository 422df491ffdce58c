//! Post-render commands declared by a golden path. They run only when the
//! user passed `--trust` or trusts the source in their config: a template
//! from the internet must not run code on a developer's machine unasked.

use std::path::Path;
use std::process::Command;

use serde::Serialize;
use serde_json::Value;

use crate::answers::{render_problem, Resolved};
use crate::error::{Error, Result};
use crate::manifest::Manifest;
use crate::render::TemplateSet;
use crate::report::Reporter;

#[derive(Debug, Clone, Serialize)]
pub struct TaskOutcome {
    pub command: String,
    /// `false` when skipped for lack of trust.
    pub ran: bool,
}

/// The tasks whose `when` holds, with their commands rendered.
pub fn planned(
    m: &Manifest,
    templates: &TemplateSet,
    ctx: &Value,
) -> Result<Vec<(String, String)>> {
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
        out.push((
            task.name.clone().unwrap_or_else(|| command.clone()),
            command,
        ));
    }
    Ok(out)
}

/// `tasks` reported as not run (dry run, or an untrusted source).
pub fn skipped(tasks: &[(String, String)]) -> Vec<TaskOutcome> {
    tasks
        .iter()
        .map(|(_, command)| TaskOutcome {
            command: command.clone(),
            ran: false,
        })
        .collect()
}

/// Runs `tasks` in `dir` with `sh -c`, stopping at the first failure.
/// Secrets reach commands only as `SCAFFOLD_SECRET_<NAME>` variables.
pub fn run(
    tasks: &[(String, String)],
    dir: &Path,
    answers: &Resolved,
    reporter: &dyn Reporter,
) -> Result<Vec<TaskOutcome>> {
    let mut outcomes = Vec::new();
    for (name, command) in tasks {
        reporter.step(&format!("running task: {name}"));
        let mut cmd = Command::new("sh");
        cmd.arg("-c").arg(command).current_dir(dir);
        for secret in &answers.secrets {
            if let Some(Value::String(v)) = answers.values.get(secret) {
                cmd.env(
                    format!("SCAFFOLD_SECRET_{}", secret.to_ascii_uppercase()),
                    v,
                );
            }
        }
        let output = cmd.output().map_err(|e| Error::Task {
            command: command.clone(),
            message: e.to_string(),
        })?;
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            return Err(Error::Task {
                command: command.clone(),
                message: format!("{} (the repository was written; fix the cause and run the command yourself)\n{}", output.status, stderr.trim()),
            });
        }
        outcomes.push(TaskOutcome {
            command: command.clone(),
            ran: true,
        });
    }
    Ok(outcomes)
}
