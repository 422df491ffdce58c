//! `scaffold lint`: a golden path's problems, all at once, for people or for CI.

use std::path::{Path, PathBuf};

use clap::Args;
use goldpath::error::Error;
use goldpath::lint::{lint, to_sarif, Report, Severity};
use goldpath::source::Config;

use super::output::{outln, Tone};
use super::{exit, output};

/// Check golden paths without rendering them for real: the manifest, every
/// template, delimiter collisions with Helm and GitHub Actions, conditions that
/// never hold, and upgrade safety against the previous published version (the
/// newest tag below this version in the golden path's git repository, or else the
/// newest `releases/<version>/` copy beside it).
#[derive(Args)]
#[command(after_help = "Examples:\n  \
    scaffold lint ./golden-paths/java-service\n  \
    scaffold lint ./golden-paths               every golden path in the folder\n  \
    scaffold lint ./golden-paths --sarif > lint.sarif   for CI code scanning\n\n\
    Exit codes: 0 no errors (warnings allowed), 1 errors found, 2 PATH is not a golden path.")]
pub struct LintArgs {
    /// A golden path folder (holding golden-path.toml), or a folder of them.
    #[arg(value_name = "PATH", required = true)]
    paths: Vec<PathBuf>,
    /// Print JSON: an array of reports, each with its findings.
    #[arg(long, conflicts_with = "sarif")]
    json: bool,
    /// Print SARIF 2.1.0 (one run, all findings) for code-scanning upload.
    #[arg(long)]
    sarif: bool,
}

pub fn run(args: LintArgs) -> u8 {
    let machine = args.json || args.sarif;
    let config = match Config::load() {
        Ok(c) => c,
        Err(e) => return output::fail(&e, machine),
    };
    let mut reports = Vec::new();
    for path in &args.paths {
        let dirs = match golden_path_dirs(path) {
            Ok(d) => d,
            Err(e) => return output::fail(&e, machine),
        };
        for dir in dirs {
            match lint(&dir, &config) {
                Ok(r) => reports.push(r),
                Err(e) => return output::fail(&e, machine),
            }
        }
    }
    // Paths relative to where lint runs: what code scanning expects of SARIF
    // (CI runs from the repository root), and shorter to read.
    if let Ok(cwd) = std::env::current_dir() {
        let prefix = format!("{}/", cwd.display());
        for report in &mut reports {
            if let Some(rel) = report.golden_path.strip_prefix(&prefix) {
                report.golden_path = rel.to_string();
            }
        }
        for finding in reports.iter_mut().flat_map(|r| r.findings.iter_mut()) {
            if let Some(rel) = finding
                .file
                .as_deref()
                .and_then(|f| f.strip_prefix(&prefix))
            {
                finding.file = Some(rel.to_string());
            }
        }
    }
    let errors: usize = reports.iter().map(Report::errors).sum();
    if args.json {
        output::print_json(&reports);
    } else if args.sarif {
        let merged = Report {
            golden_path: String::new(),
            version: String::new(),
            previous_version: None,
            findings: reports.iter().flat_map(|r| r.findings.clone()).collect(),
        };
        outln!(
            "{}",
            serde_json::to_string_pretty(&to_sarif(&merged)).expect("SARIF is JSON")
        );
    } else {
        for r in &reports {
            print_human(r);
        }
    }
    if errors > 0 {
        exit::FOUND
    } else {
        exit::OK
    }
}

fn print_human(r: &Report) {
    for f in &r.findings {
        let level = match f.severity {
            Severity::Error => output::paint("error", Tone::Error),
            Severity::Warning => output::paint("warning", Tone::Warning),
        };
        let mut at = f.file.clone().unwrap_or_default();
        if let Some(line) = f.line {
            at.push_str(&format!(":{line}"));
        }
        if let Some(field) = &f.field {
            at.push_str(&format!(" [{field}]"));
        }
        outln!("{at}: {level}[{}]: {}", f.rule, f.message);
        if let Some(hint) = &f.hint {
            outln!("  hint: {hint}");
        }
    }
    let warnings = r.findings.len() - r.errors();
    let against = r
        .previous_version
        .as_ref()
        .map(|v| format!(", upgrade safety checked against {v}"))
        .unwrap_or_default();
    let name = if r.version.is_empty() {
        r.golden_path.trim_end_matches('/').to_string()
    } else {
        format!("{} {}", r.golden_path, r.version)
    };
    outln!(
        "{name}: {} error{}, {} warning{}{against}",
        r.errors(),
        if r.errors() == 1 { "" } else { "s" },
        warnings,
        if warnings == 1 { "" } else { "s" },
    );
}

/// `path` itself when it holds golden-path.toml, else its subfolders that do
/// (layers, whose names start with `_`, are linted through the paths extending them).
fn golden_path_dirs(path: &Path) -> Result<Vec<PathBuf>, Error> {
    if path.join(goldpath::manifest::MANIFEST_FILE).is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    let not_found = || {
        Error::source_error(
            path.display().to_string(),
            "no golden-path.toml here or in its subfolders",
        )
    };
    let entries = std::fs::read_dir(path).map_err(|_| not_found())?;
    let mut dirs: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join(goldpath::manifest::MANIFEST_FILE).is_file())
        .filter(|p| {
            !p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('_'))
        })
        .collect();
    dirs.sort();
    if dirs.is_empty() {
        return Err(not_found());
    }
    Ok(dirs)
}
