//! `scaffold test`: run a golden path's scenarios and print a summary table.

use std::path::PathBuf;

use clap::Args;
use goldpath::scenarios::{run as run_scenarios, TestOptions, TestReport};
use goldpath::source::Config;

use super::output::{outln, Tone};
use super::{exit, output};

/// Test a golden path: render each scenario under `tests/<scenario>/` (answers.toml)
/// and compare it with `expected/`, run the `[test] validators` commands on each
/// render, and for scenarios with `upgrade.toml`, upgrade a repository generated
/// from the previous published version (customised by `patches/*.patch`) to this one.
///
/// The validators are the golden path's own shell commands, run like `make test`
/// would run them: test golden paths whose source you trust.
#[derive(Args)]
#[command(after_help = "Examples:\n  \
    scaffold test ./golden-paths/java-service\n  \
    scaffold test ./golden-paths/java-service --update      record expected/ trees\n  \
    scaffold test ./golden-paths/api-gateway --json\n\n\
    Layout:\n  \
    tests/<scenario>/answers.toml      the answers\n  \
    tests/<scenario>/expected/         the tree they must render to\n  \
    tests/<scenario>/upgrade.toml      optional: from = \"1.0.0\", conflicts = [\"README.md\"]\n  \
    tests/<scenario>/patches/*.patch   optional: the team's changes before upgrading\n\n\
    Exit codes: 0 all passed, 1 a check failed, 2 bad input (no scenarios, broken answers).")]
pub struct TestArgs {
    /// The golden path folder (holding golden-path.toml and tests/).
    #[arg(value_name = "PATH")]
    path: PathBuf,
    /// Rewrite each scenario's expected/ from the render instead of comparing.
    #[arg(long)]
    update: bool,
    /// Only scenarios whose name contains this.
    #[arg(long, value_name = "TEXT")]
    filter: Option<String>,
    /// Print JSON (scenarios, each with its checks).
    #[arg(long)]
    json: bool,
}

pub fn run(args: TestArgs) -> u8 {
    let opts = TestOptions {
        update: args.update,
        filter: args.filter,
    };
    let progress = output::ProgressReporter::new(args.json);
    let report = match Config::load()
        .and_then(|config| run_scenarios(&args.path, &opts, &config, &progress))
    {
        Ok(r) => r,
        Err(e) => return output::fail(&e, args.json),
    };
    if args.json {
        output::print_json(&report);
    } else {
        print_table(&report);
    }
    if report.failed() > 0 {
        exit::FOUND
    } else {
        exit::OK
    }
}

fn print_table(report: &TestReport) {
    let scenario_w = report
        .scenarios
        .iter()
        .map(|s| output::width(&s.name))
        .max()
        .unwrap_or(8)
        .max(8);
    let check_w = report
        .scenarios
        .iter()
        .flat_map(|s| {
            s.checks
                .iter()
                .map(|c| output::width(c.kind) + 1 + output::width(&c.name))
        })
        .max()
        .unwrap_or(5)
        .clamp(5, 70);
    outln!("{:scenario_w$}  {:check_w$}  RESULT", "SCENARIO", "CHECK");
    let mut failures = Vec::new();
    let mut total = 0;
    for s in &report.scenarios {
        for c in &s.checks {
            total += 1;
            let check = output::truncate(&format!("{} {}", c.kind, c.name), check_w);
            let result = if !c.passed {
                failures.push((s.name.clone(), c));
                output::paint("FAIL", Tone::Error)
            } else if c.detail.is_empty() {
                output::paint("ok", Tone::Good)
            } else {
                format!("{} ({})", output::paint("ok", Tone::Good), c.detail)
            };
            outln!("{:scenario_w$}  {check:check_w$}  {result}", s.name);
        }
    }
    for (scenario, c) in &failures {
        outln!("\n--- {scenario}: {} {}\n{}", c.kind, c.name, c.detail);
    }
    outln!(
        "\n{} {}: {} scenario{}, {total} checks, {} failed",
        report.golden_path,
        report.version,
        report.scenarios.len(),
        if report.scenarios.len() == 1 { "" } else { "s" },
        failures.len()
    );
}
