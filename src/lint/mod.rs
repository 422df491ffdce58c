//! `scaffold lint`: everything that can be known about a golden path without
//! rendering it for a user, reported at once. The manifest and template checks
//! of `new` run first (a golden path that cannot compile gets only those), then
//! the author-facing ones: unused variables, defaults that fail their own rules,
//! conditions that can never hold, delimiter collisions with Helm and GitHub
//! Actions, and upgrade safety against the previous published version.

mod conditions;
mod delimiters;
mod sarif;
mod upgrade;
mod variables;

use std::path::Path;

use serde::Serialize;

use crate::error::{Error, Location, Problem, Result};
use crate::manifest::SpanIndex;
use crate::render_plan;
use crate::source::{self, Config, GoldenPath, SourceSpec};

pub use sarif::to_sarif;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One finding: which rule, how bad, where, and what to do about it.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub rule: &'static str,
    pub severity: Severity,
    pub file: Option<String>,
    pub line: Option<usize>,
    pub field: Option<String>,
    pub message: String,
    pub hint: Option<String>,
}

impl Finding {
    fn new(rule: &'static str, severity: Severity, problem: Problem) -> Finding {
        Finding {
            rule,
            severity,
            file: problem.location.file,
            line: problem.location.line,
            field: problem.location.field,
            message: problem.message,
            hint: problem.hint,
        }
    }
}

/// The result of linting one golden path.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub golden_path: String,
    pub version: String,
    /// The version upgrade safety was checked against, if one was published.
    pub previous_version: Option<String>,
    pub findings: Vec<Finding>,
}

impl Report {
    pub fn errors(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .count()
    }
}

/// Lints the golden path in `dir` (a folder holding `golden-path.toml`).
/// `Err` only when there is nothing to lint (no such folder, no manifest).
pub fn lint(dir: &Path, config: &Config) -> Result<Report> {
    let spec = SourceSpec::Folder {
        path: dir.to_path_buf(),
        name: None,
    };
    let mut report = Report {
        golden_path: dir.display().to_string(),
        version: String::new(),
        previous_version: None,
        findings: Vec::new(),
    };
    let gp = match source::load(&spec, None, config) {
        Ok(gp) => gp,
        Err(Error::Invalid(problems)) => {
            report.findings = as_errors("manifest", problems);
            return Ok(report);
        }
        Err(e) => return Err(e),
    };
    report.golden_path.clone_from(&gp.manifest.name);
    report.version.clone_from(&gp.manifest.version);
    report.findings.extend(delimiters::collisions(&gp));
    let compiled = match render_plan::compile(&gp) {
        Ok(c) => c,
        Err(Error::Invalid(problems)) => {
            report.findings.extend(as_errors("template", problems));
            return Ok(report);
        }
        Err(e) => return Err(e),
    };
    let fields = FieldLocator::new(&gp);
    report
        .findings
        .extend(variables::check(&gp, &compiled, &fields));
    report
        .findings
        .extend(conditions::never_true(&gp, &compiled, &fields));
    let (previous, findings) = upgrade::check(dir, &gp, config, &fields);
    report.previous_version = previous;
    report.findings.extend(findings);
    Ok(report)
}

/// `--set` answers for the questions without a default, so the rest resolves as
/// `scaffold new --defaults` would: the first choice, 1, false, "example".
fn placeholder_answers(m: &crate::manifest::Manifest) -> crate::answers::AnswerInputs {
    use crate::manifest::VarType;
    let set = m
        .variables
        .iter()
        .filter(|(_, v)| v.default.is_none() && v.computed.is_none() && !v.secret)
        .map(|(name, v)| {
            let value = match v.kind {
                VarType::Integer => "1".to_string(),
                VarType::Boolean => "false".to_string(),
                VarType::Choice | VarType::MultiChoice => v
                    .choices
                    .first()
                    .map(|c| c.value().to_string())
                    .unwrap_or_default(),
                VarType::List => String::new(),
                VarType::String => "example".to_string(),
            };
            (name.clone(), value)
        })
        .collect();
    crate::answers::AnswerInputs {
        set,
        ..Default::default()
    }
}

fn as_errors(rule: &'static str, problems: Vec<Problem>) -> Vec<Finding> {
    problems
        .into_iter()
        .map(|p| Finding::new(rule, Severity::Error, p))
        .collect()
}

/// Finds the line of a manifest field in the layer that declares it (the golden
/// path's own manifest first, then its bases).
struct FieldLocator {
    manifests: Vec<(String, String, SpanIndex)>,
}

impl FieldLocator {
    fn new(gp: &GoldenPath) -> FieldLocator {
        let manifests = gp
            .layers
            .iter()
            .rev()
            .filter_map(|layer| {
                let text = std::fs::read_to_string(&layer.manifest_label).ok()?;
                let spans = SpanIndex::new(&text);
                Some((layer.manifest_label.clone(), text, spans))
            })
            .collect();
        FieldLocator { manifests }
    }

    /// `field` is a dotted path; its first two segments name the table that must be
    /// in the file (`variables.port.default` is found where `[variables.port]` is).
    fn locate(&self, field: &str) -> Location {
        let table: Vec<&str> = field.split('.').take(2).collect();
        let header = format!("[{}]", table.join("."));
        for (file, text, spans) in &self.manifests {
            let is_table = table.len() == 2 && !table[1].chars().all(|c| c.is_ascii_digit());
            if is_table && !text.contains(&header) {
                continue;
            }
            if let Some(line) = spans.line_of(field) {
                return Location::file(file.clone())
                    .with_line(Some(line))
                    .with_field(field);
            }
        }
        let file = self.manifests.first().map(|(f, _, _)| f.clone());
        Location {
            file,
            line: None,
            field: Some(field.to_string()),
        }
    }
}
