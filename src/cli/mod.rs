//! The face of goldpath: clap definitions, terminal prompts, human and JSON
//! output, and the mapping from errors to exit codes. Each subcommand has
//! its own file with a small `run` that calls into the library.

// Each subcommand's `run` takes its arguments as clap hands them over.
#![allow(clippy::needless_pass_by_value)]

mod check;
mod completions;
mod diff;
mod export;
mod fleet;
mod lint;
mod list;
mod new;
mod output;
mod prompt;
mod publish;
mod schema;
mod show;
mod test;
mod upgrade;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Exit codes are part of our contract with scripts and CI.
pub mod exit {
    /// Done.
    pub const OK: u8 = 0;
    /// Done, with something to look at: `upgrade` left conflicts, `check`
    /// found a newer version, `diff --exit-code` found drift.
    pub const FOUND: u8 = 1;
    /// Bad input or environment: nothing was written.
    pub const ERROR: u8 = 2;
}

#[derive(Parser)]
#[command(
    name = "scaffold",
    version,
    about = "Render golden paths into new repositories, and keep them current.",
    long_about = "Render golden paths into new repositories, and keep them current.\n\n\
        A golden path is a versioned blueprint (a folder with golden-path.toml and template/) \
        that renders into a ready repository: code, CI, Helm chart, monitoring, catalog entry.",
    after_help = "Examples:\n  \
        scaffold list                                   what golden paths are available\n  \
        scaffold new java-service ./orders --defaults --set service_name=orders\n  \
        scaffold new --request platform-request.yaml ./user-service\n  \
        scaffold diff --stat                            how this repo drifted from its render\n  \
        scaffold fleet upgrade --repos repos.txt --push upgrade many repositories on branches\n  \
        scaffold schema > golden-path.schema.json       JSON Schema for editors\n  \
        scaffold completions bash > ~/.local/share/bash-completion/completions/scaffold\n\n\
        Exit codes: 0 success, 1 found what --exit-code asked about, 2 bad input or environment (nothing written)."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,

    /// Print no progress or notes (errors and warnings still show); `new`,
    /// `upgrade` and `fleet` also skip their summary: the exit code tells.
    #[arg(short, long, global = true)]
    quiet: bool,
}

#[derive(Subcommand)]
enum Command {
    New(new::NewArgs),
    Upgrade(upgrade::UpgradeArgs),
    Check(check::CheckArgs),
    Diff(diff::DiffArgs),
    List(list::ListArgs),
    Lint(lint::LintArgs),
    Schema(schema::SchemaArgs),
    Show(show::ShowArgs),
    Export(export::ExportArgs),
    Test(test::TestArgs),
    Publish(publish::PublishArgs),
    Fleet(fleet::FleetArgs),
    Completions(completions::CompletionsArgs),
    Man(completions::ManArgs),
}

pub fn run() -> ExitCode {
    output::settle_colour();
    let cli = Cli::parse();
    output::set_quiet(cli.quiet);
    let code = match cli.command {
        Command::New(args) => new::run(args),
        Command::Upgrade(args) => upgrade::run(args),
        Command::Check(args) => check::run(args),
        Command::Diff(args) => diff::run(args),
        Command::List(args) => list::run(args),
        Command::Lint(args) => lint::run(args),
        Command::Schema(args) => schema::run(args),
        Command::Show(args) => show::run(args),
        Command::Export(args) => export::run(args),
        Command::Test(args) => test::run(args),
        Command::Publish(args) => publish::run(args),
        Command::Fleet(args) => fleet::run(args),
        Command::Completions(args) => completions::run_completions(args),
        Command::Man(args) => completions::run_man(args),
    };
    ExitCode::from(code)
}
