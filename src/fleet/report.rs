//! Reports of one or more run logs (several shards make one run): JSON for
//! machines, Markdown for a person in a pull request or a chat (counts, then
//! conflicts and failures grouped by message, as multi-gitter does), `JUnit` so
//! CI systems show one test case per repository.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::PathBuf;

use serde::Serialize;

use super::markup::{md_code, xml};
use super::runlog::{self, Event, RepoResult, RepoStatus};
use crate::error::Result;

/// The runs' latest result per repository, and their counts.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub runs: Vec<String>,
    pub counts: BTreeMap<RepoStatus, usize>,
    pub results: Vec<RepoResult>,
}

/// Reads `logs` into one report (a repository reported twice keeps its last result).
pub fn read(logs: &[PathBuf]) -> Result<Report> {
    let events = runlog::read(logs)?;
    let mut runs: Vec<String> = Vec::new();
    for e in &events {
        if let Event::Start(s) = e {
            if !runs.contains(&s.run) {
                runs.push(s.run.clone());
            }
        }
    }
    let results: Vec<RepoResult> = runlog::latest_results(&events).into_values().collect();
    Ok(Report {
        runs,
        counts: super::count(&results),
        results,
    })
}

impl Report {
    pub fn failed_or_conflicted(&self) -> bool {
        self.results
            .iter()
            .any(|r| matches!(r.status, RepoStatus::Failed | RepoStatus::Conflicts))
    }

    /// A summary for people: counts, then what needs attention, grouped.
    pub fn markdown(&self) -> String {
        let mut out = String::from("# scaffold fleet report\n\n");
        let total: usize = self.counts.values().sum();
        let _ = writeln!(
            out,
            "{total} repositories.\n\n| status | repositories |\n| --- | ---: |"
        );
        for (status, n) in &self.counts {
            let _ = writeln!(out, "| {} | {n} |", status.as_str());
        }
        let conflicted: Vec<&RepoResult> = self
            .results
            .iter()
            .filter(|r| r.status == RepoStatus::Conflicts)
            .collect();
        if !conflicted.is_empty() {
            let _ = writeln!(out, "\n## With conflicts ({})\n", conflicted.len());
            for r in conflicted {
                let files: Vec<String> = r.conflicts.iter().map(|c| md_code(c)).collect();
                let _ = writeln!(
                    out,
                    "- {} {}: {}",
                    md_code(&r.repository),
                    r.branch.as_deref().map(md_code).unwrap_or_default(),
                    files.join(", ")
                );
            }
        }
        for (status, title) in [
            (RepoStatus::Failed, "Failed"),
            (RepoStatus::Skipped, "Skipped"),
        ] {
            let groups = group_by_reason(&self.results, status);
            if groups.is_empty() {
                continue;
            }
            let n: usize = groups.values().map(Vec::len).sum();
            let _ = writeln!(out, "\n## {title} ({n})\n");
            for (reason, repos) in groups {
                let _ = writeln!(out, "{} ({}):\n", md_code(&reason), repos.len());
                for r in repos {
                    let _ = writeln!(out, "- {}", md_code(r));
                }
                out.push('\n');
            }
        }
        let upgraded: Vec<&RepoResult> = self
            .results
            .iter()
            .filter(|r| r.status == RepoStatus::Clean)
            .collect();
        if !upgraded.is_empty() {
            let _ = writeln!(out, "\n## Upgraded cleanly ({})\n", upgraded.len());
            for r in upgraded {
                let _ = writeln!(
                    out,
                    "- {} {} → {}{}",
                    md_code(&r.repository),
                    md_code(r.from.as_deref().unwrap_or("?")),
                    md_code(r.to.as_deref().unwrap_or("?")),
                    r.branch
                        .as_deref()
                        .map(|b| format!(" on {}", md_code(b)))
                        .unwrap_or_default()
                );
            }
        }
        out
    }

    /// `JUnit` XML: one test suite, one test case per repository.
    pub fn junit(&self) -> String {
        let failures = self
            .results
            .iter()
            .filter(|r| r.status == RepoStatus::Failed)
            .count();
        let conflicts = self
            .results
            .iter()
            .filter(|r| r.status == RepoStatus::Conflicts)
            .count();
        let skipped = self
            .results
            .iter()
            .filter(|r| r.status == RepoStatus::Skipped)
            .count();
        let seconds: f64 = self
            .results
            .iter()
            .map(|r| r.durations.total_ms as f64 / 1000.0)
            .sum();
        let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        let _ = writeln!(
            out,
            "<testsuites name=\"scaffold fleet\" tests=\"{}\" failures=\"{conflicts}\" errors=\"{failures}\" skipped=\"{skipped}\" time=\"{seconds:.3}\">",
            self.results.len()
        );
        let _ = writeln!(
            out,
            "  <testsuite name=\"scaffold fleet upgrade\" tests=\"{}\" failures=\"{conflicts}\" errors=\"{failures}\" skipped=\"{skipped}\" time=\"{seconds:.3}\">",
            self.results.len()
        );
        for r in &self.results {
            let classname = r.golden_path.as_deref().unwrap_or("unknown");
            let _ = write!(
                out,
                "    <testcase classname=\"{}\" name=\"{}\" time=\"{:.3}\"",
                xml(classname),
                xml(&r.repository),
                r.durations.total_ms as f64 / 1000.0
            );
            let reason = xml(r.reason.as_deref().unwrap_or_default());
            match r.status {
                RepoStatus::UpToDate | RepoStatus::Clean => {
                    let _ = writeln!(out, "/>");
                }
                RepoStatus::Skipped => {
                    let _ = writeln!(
                        out,
                        ">\n      <skipped message=\"{reason}\"/>\n    </testcase>"
                    );
                }
                RepoStatus::Failed => {
                    let _ = writeln!(
                        out,
                        ">\n      <error message=\"{reason}\" type=\"failed\">{reason}</error>\n    </testcase>"
                    );
                }
                RepoStatus::Conflicts => {
                    let files = xml(&r.conflicts.join(", "));
                    let _ = writeln!(
                        out,
                        ">\n      <failure message=\"conflicts in {} file(s)\" type=\"conflicts\">{files}</failure>\n    </testcase>",
                        r.conflicts.len()
                    );
                }
            }
        }
        out.push_str("  </testsuite>\n</testsuites>\n");
        out
    }
}

/// Repositories of `status`, by reason (errors grouped by their message).
fn group_by_reason(results: &[RepoResult], status: RepoStatus) -> BTreeMap<String, Vec<&str>> {
    let mut groups: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for r in results.iter().filter(|r| r.status == status) {
        groups
            .entry(r.reason.clone().unwrap_or_else(|| "unknown".into()))
            .or_default()
            .push(&r.repository);
    }
    groups
}
