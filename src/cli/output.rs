//! Everything the user reads on stderr: errors, warnings, progress.

use std::io::IsTerminal;

use goldpath::error::{Error, Problem};
use goldpath::report::Reporter;
use serde_json::json;

use super::exit;

/// Prints `err` for a human on stderr (and as JSON on stdout with `--json`); returns the exit code.
pub fn fail(err: &Error, json_mode: bool) -> u8 {
    eprintln!("{}: {err}", paint("error", "31;1"));
    if json_mode {
        let problems: Vec<serde_json::Value> = match err {
            Error::Invalid(problems) => problems.iter().map(problem_json).collect(),
            _ => vec![json!({ "message": err.to_string() })],
        };
        println!("{}", json!({ "ok": false, "problems": problems }));
    }
    exit::ERROR
}

fn problem_json(p: &Problem) -> serde_json::Value {
    json!({
        "file": p.location.file,
        "line": p.location.line,
        "field": p.location.field,
        "message": p.message,
        "hint": p.hint,
    })
}

/// Colours only on a terminal and only when `NO_COLOR` is unset.
pub fn paint(text: &str, code: &str) -> String {
    if std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none() {
        format!("\x1b[{code}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

/// Reports progress and warnings on stderr; quiet mode keeps only warnings.
pub struct StderrReporter {
    pub quiet: bool,
}

impl Reporter for StderrReporter {
    fn step(&self, message: &str) {
        if !self.quiet {
            eprintln!("{} {message}", paint("→", "36"));
        }
    }

    fn warn(&self, message: &str) {
        eprintln!("{}: {message}", paint("warning", "33;1"));
    }

    fn task_output(&self, _task: &str, line: &str) {
        if !self.quiet {
            eprintln!("  {} {line}", paint("│", "2"));
        }
    }
}

/// Prints `rows` under `header` in columns padded to the widest cell
/// (counted in characters, not bytes), the last column unpadded.
pub fn table<const N: usize>(header: &[&str; N], rows: &[[String; N]]) {
    let mut widths = header.map(|h| h.chars().count());
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let mut out = String::new();
        for (i, cell) in cells.iter().enumerate() {
            if i + 1 == N {
                out.push_str(cell);
            } else {
                out.push_str(cell);
                out.push_str(&" ".repeat(widths[i] - cell.chars().count() + 2));
            }
        }
        println!("{}", out.trim_end());
    };
    line(header.to_vec());
    for row in rows {
        line(row.iter().map(String::as_str).collect());
    }
}
