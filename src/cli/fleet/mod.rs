//! `scaffold fleet`: status, upgrade, report and export over many
//! repositories. This file holds the command and what its subcommands share
//! (which repositories, which shard); each subcommand has its own file.

mod export;
mod report;
mod status;
mod upgrade;

use export::{run_export, ExportArgs};
use report::{run_report, ReportArgs};
use status::{run_status, StatusArgs};
use upgrade::{run_upgrade, UpgradeArgs};

use std::path::PathBuf;

use clap::{Args, Subcommand};
use goldpath::error::{Error, Location, Problem, Result};
use goldpath::fleet::{self, Filter, RepoEntry};
use goldpath::source::Config;

use super::{exit, output};

/// See and upgrade many generated repositories at once.
///
/// Repositories come from a list (`--repos FILE`: one git URL or local path
/// per line, `#` comments, `branch=NAME` and `push=URL` settings), a folder
/// scan (`--scan DIR`: every git work tree with .scaffold/lock.toml), or the
/// command line; `--where` filters them by what their locks say.
#[derive(Args)]
pub struct FleetArgs {
    #[command(subcommand)]
    command: FleetCommand,
}

#[derive(Subcommand)]
enum FleetCommand {
    Status(StatusArgs),
    Upgrade(Box<UpgradeArgs>),
    Report(ReportArgs),
    Export(ExportArgs),
}

/// Which repositories.
#[derive(Args, Clone)]
struct Selection {
    /// A file listing the repositories (git URLs or local paths, one per line).
    #[arg(long, value_name = "FILE")]
    repos: Option<PathBuf>,

    /// Every generated repository under DIR (git work trees with .scaffold/lock.toml).
    #[arg(long, value_name = "DIR")]
    scan: Option<PathBuf>,

    /// Only repositories whose lock matches KEY OP VALUE (repeatable, all must hold).
    /// Keys: `golden_path`, version, source, answers.NAME; operators: = != < <= > >=.
    #[arg(long = "where", value_name = "KEY OP VALUE")]
    filters: Vec<String>,

    /// Repositories named on the command line (URLs or paths).
    #[arg(value_name = "REPO")]
    named: Vec<String>,
}

impl Selection {
    fn resolve(&self) -> Result<(Vec<RepoEntry>, Vec<Filter>)> {
        let mut repos = Vec::new();
        if let Some(file) = &self.repos {
            repos.extend(fleet::repos::read_list(file)?);
        }
        if let Some(dir) = &self.scan {
            repos.extend(fleet::repos::scan(dir)?);
        }
        if !self.named.is_empty() {
            let mut tmp = tempfile::NamedTempFile::new()?;
            std::io::Write::write_all(&mut tmp, self.named.join("\n").as_bytes())?;
            repos.extend(fleet::repos::read_list(tmp.path()).map_err(|e| {
                match e {
                    Error::Invalid(problems) => Error::Invalid(
                        problems
                            .into_iter()
                            .map(|mut p| {
                                p.location = Location::default().with_field("REPO");
                                p
                            })
                            .collect(),
                    ),
                    other => other,
                }
            })?);
        }
        if self.repos.is_none() && self.scan.is_none() && self.named.is_empty() {
            return Err(Error::invalid(
                Problem::new(
                    Location::default().with_field("--repos"),
                    "no repositories: name them with --repos FILE, --scan DIR or as arguments",
                )
                .hint("scaffold fleet status --repos repos.txt"),
            ));
        }
        let mut seen = std::collections::BTreeSet::new();
        repos.retain(|r| seen.insert(r.id.clone()));
        let filters = self
            .filters
            .iter()
            .map(|f| Filter::parse(f))
            .collect::<Result<Vec<_>>>()?;
        Ok((repos, filters))
    }
}

/// Which shard of a fleet this process takes.
#[derive(Args, Clone)]
struct Sharding {
    /// Take only shard I of N (0-based): repositories whose stable hash falls there.
    /// Default: the engine's own index (`JOB_COMPLETION_INDEX` with --shards, or GitLab's `CI_NODE_INDEX/CI_NODE_TOTAL`).
    #[arg(long, value_name = "I/N")]
    shard: Option<String>,

    /// How many shards, for a Kubernetes Indexed Job's `JOB_COMPLETION_INDEX`.
    #[arg(long, value_name = "N")]
    shards: Option<u64>,
}

impl Sharding {
    fn resolve(&self) -> Result<Option<fleet::Shard>> {
        match &self.shard {
            Some(raw) => fleet::Shard::parse(raw).map(Some),
            None => fleet::Shard::from_env(self.shards),
        }
    }
}

pub fn run(args: FleetArgs) -> u8 {
    let json = match &args.command {
        FleetCommand::Status(a) => a.json,
        FleetCommand::Upgrade(a) => a.json,
        FleetCommand::Report(a) => a.json,
        FleetCommand::Export(_) => false,
    };
    let result = match args.command {
        FleetCommand::Status(a) => run_status(a),
        FleetCommand::Upgrade(a) => run_upgrade(*a),
        FleetCommand::Report(a) => run_report(a),
        FleetCommand::Export(a) => run_export(a),
    };
    result.unwrap_or_else(|e| output::fail(&e, json))
}

fn cache(config: &Config) -> PathBuf {
    config.cache_dir().join("fleet")
}

fn jobs(requested: Option<usize>) -> usize {
    requested
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, std::num::NonZero::get))
        .max(1)
}
