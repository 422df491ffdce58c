//! `scaffold fleet report`: run logs into Markdown, `JUnit`, HTML or JSON.

use std::path::PathBuf;

use clap::Args;
use goldpath::error::Result;
use goldpath::fleet;

use super::output::out;
use super::{exit, output};

/// Turn run logs (one per shard, or several runs) into reports.
#[derive(Args)]
#[command(after_help = "Examples:\n  \
    scaffold fleet report run.jsonl\n  \
    scaffold fleet report shard-*.jsonl --markdown summary.md --junit fleet.xml\n  \
    scaffold fleet report run.jsonl --json")]
pub(super) struct ReportArgs {
    /// Run logs to read.
    #[arg(value_name = "RUNLOG", required = true)]
    logs: Vec<PathBuf>,

    /// Print the report as JSON.
    #[arg(long)]
    pub(super) json: bool,

    /// Write the Markdown summary to FILE.
    #[arg(long, value_name = "FILE")]
    markdown: Option<PathBuf>,

    /// Write a `JUnit` XML report (one test case per repository) to FILE.
    #[arg(long, value_name = "FILE")]
    junit: Option<PathBuf>,

    /// Write one self-contained HTML page (no network, sortable, printable) to FILE.
    #[arg(long, value_name = "FILE")]
    html: Option<PathBuf>,
}

pub(super) fn run_report(args: ReportArgs) -> Result<u8> {
    let rep = fleet::report::read(&args.logs)?;
    if let Some(path) = &args.markdown {
        goldpath::apply::write_document(path, rep.markdown().as_bytes())?;
    }
    if let Some(path) = &args.junit {
        goldpath::apply::write_document(path, rep.junit().as_bytes())?;
    }
    if let Some(path) = &args.html {
        goldpath::apply::write_document(path, fleet::html::report(&rep).as_bytes())?;
    }
    if args.json {
        output::print_json(&rep);
    } else if args.markdown.is_none() && args.junit.is_none() && args.html.is_none() {
        out!("{}", rep.markdown());
    }
    Ok(exit::OK)
}
