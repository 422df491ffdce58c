//! `scaffold check`: is this repository on the newest golden-path version?

use std::path::PathBuf;

use clap::Args;
use goldpath::freshness::{check, CheckOutcome};
use goldpath::source::Config;

use super::output::{outln, Tone};
use super::{exit, output};

/// Check whether a generated repository is on the newest release of its
/// golden path; if not, list the versions between with their changelog.
#[derive(Args)]
#[command(after_help = "Examples:\n  \
    scaffold check                 the current repository\n  \
    scaffold check ../orders --json\n\n\
Exit codes: 0 up to date, 1 a newer version exists or an upgrade is unfinished, 2 error.")]
pub struct CheckArgs {
    /// The generated repository.
    #[arg(value_name = "REPO", default_value = ".")]
    repo: PathBuf,

    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(args: CheckArgs) -> u8 {
    let outcome = match Config::load().and_then(|config| check(&args.repo, &config)) {
        Ok(o) => o,
        Err(e) => return output::fail(&e, args.json),
    };
    if args.json {
        output::print_json(&outcome);
    } else {
        print_outcome(&outcome);
    }
    if outcome.up_to_date() {
        exit::OK
    } else {
        exit::FOUND
    }
}

fn print_outcome(outcome: &CheckOutcome) {
    if let Some(p) = &outcome.pending {
        outln!(
            "An upgrade of {} from {} to {} is not finished: resolve {}, `git add` them, then `scaffold upgrade --continue` (or `--abort`).",
            outcome.golden_path,
            outcome.current,
            p.to,
            p.conflicts.join(", ")
        );
    }
    if outcome.newer.is_empty() {
        if outcome.pending.is_none() {
            outln!(
                "Up to date: {} {} is the newest release.",
                outcome.golden_path,
                outcome.current
            );
        }
        return;
    }
    let on = outcome.pending.as_ref().map_or(&outcome.current, |p| &p.to);
    outln!(
        "{} {} is available; this repository is on {on}.",
        outcome.golden_path,
        outcome.latest
    );
    for v in &outcome.newer {
        outln!("\n{}", output::paint(&v.version, Tone::Heading));
        match &v.changes {
            Some(changes) => changes.lines().for_each(|l| outln!("  {l}")),
            None => outln!("  (no changelog entry)"),
        }
    }
}
