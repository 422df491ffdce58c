//! `scaffold fleet`: the single-repository upgrade, over hundreds of
//! repositories, safely.
//!
//! Selection (`repos`), the fleet's own clone per repository (`mirror`),
//! the per-repository pipeline (`pipeline`: plan, branch, commit, push, PR
//! description), the run log that is both audit trail and resume point
//! (`runlog`), reports (`report`) and the fleet's status (`status`). It
//! reuses `upgrade::plan` and `upgrade::execute` and adds no merge logic.
//!
//! Every repository is untrusted input: its lock names the source, but only
//! a source the run allows is ever fetched; no code from a repository or a
//! golden path runs (no tasks, no hooks, no fsmonitor, no filters, see
//! `gitcli`); branches and pushes go only where the repository list says.

pub mod export;
mod gitcli;
pub mod html;
mod limits;
mod markup;
mod mirror;
mod open_pr;
mod pipeline;
mod prbody;
pub mod report;
pub mod repos;
pub mod runlog;
pub mod shard;
pub mod status;
pub mod waves;

pub use gitcli::check_branch_name;
pub use repos::{Filter, RepoEntry, RepoLocation};
pub use runlog::{RepoResult, RepoStatus};
pub use shard::Shard;
pub use waves::Rollout;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::error::{Error, Location, Problem, Result};
use crate::git::Author;
use crate::source::{Config, SourcePattern};
use runlog::{Event, RunLog, RunStart};

/// The default branch name template.
pub const BRANCH_TEMPLATE: &str = "scaffold/{golden_path}-{version}";

/// What to do with conflicted files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ConflictMode {
    /// Commit them with their markers (as Renovate's copier manager does).
    #[default]
    Commit,
    /// Leave them (and the lock) as they were; commit the rest.
    Skip,
}

/// Everything `scaffold fleet upgrade` was asked to do.
#[derive(Debug, Clone)]
pub struct UpgradeOptions {
    pub repos: Vec<RepoEntry>,
    pub filters: Vec<Filter>,
    pub to: Option<String>,
    pub set: Vec<(String, String)>,
    pub jobs: usize,
    pub push: bool,
    pub dry_run: bool,
    pub conflicts: ConflictMode,
    pub branch_template: String,
    pub open_pr: Option<String>,
    pub fail_fast: bool,
    /// The sources whose repositories may be upgraded; empty: the config's `trusted` and built-ins.
    pub sources: Vec<String>,
    /// Where the run log goes (default: under the cache).
    pub run_log: Option<PathBuf>,
    /// Continue the run in this log: repositories it finished are not touched again.
    pub resume: Option<PathBuf>,
    /// With `resume`: only the repositories that failed.
    pub only_failed: bool,
    pub timeout: Duration,
    /// Largest clone (bytes) a repository may have.
    pub max_size: u64,
    /// Pushes a minute, at most.
    pub push_rate: Option<u32>,
    /// At least this long between two `--open-pr` commands.
    pub pr_interval: Duration,
    pub author: Option<Author>,
    /// The command line, for the run log and pull-request descriptions.
    pub command_line: Vec<String>,
    /// The fleet's cache (clones, run logs, pull-request descriptions).
    pub cache: PathBuf,
    /// The part of the fleet this process takes, when the run is sharded.
    pub shard: Option<Shard>,
    /// Canaries, a slice, or a wave of a rollout.
    pub rollout: Rollout,
    /// Run logs of earlier runs (besides those under the cache) that say which
    /// branches earlier waves pushed.
    pub history: Vec<PathBuf>,
}

impl Default for UpgradeOptions {
    fn default() -> Self {
        UpgradeOptions {
            repos: Vec::new(),
            filters: Vec::new(),
            to: None,
            set: Vec::new(),
            jobs: std::thread::available_parallelism().map_or(2, std::num::NonZero::get),
            push: false,
            dry_run: false,
            conflicts: ConflictMode::Commit,
            branch_template: BRANCH_TEMPLATE.into(),
            open_pr: None,
            fail_fast: false,
            sources: Vec::new(),
            run_log: None,
            resume: None,
            only_failed: false,
            timeout: Duration::from_secs(600),
            max_size: 2 << 30,
            push_rate: None,
            pr_interval: Duration::from_secs(1),
            author: None,
            command_line: Vec::new(),
            cache: PathBuf::from(".scaffold-fleet"),
            shard: None,
            rollout: Rollout::All,
            history: Vec::new(),
        }
    }
}

/// Told as the run goes, so the CLI can draw progress.
pub trait Progress: Sync {
    fn started(&self, _total: usize, _run_log: Option<&Path>) {}
    fn finished(&self, _result: &RepoResult) {}
}

/// Nothing to show.
pub struct Quiet;
impl Progress for Quiet {}

/// What a fleet run did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FleetOutcome {
    pub run: String,
    /// Branches of earlier waves still open: this wave did not start.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub waiting_for: Vec<OpenBranch>,
    pub run_log: Option<PathBuf>,
    pub dry_run: bool,
    pub counts: BTreeMap<RepoStatus, usize>,
    pub results: Vec<RepoResult>,
}

/// A branch an earlier wave pushed that is neither merged nor closed.
#[derive(Debug, Clone, serde::Serialize)]
pub struct OpenBranch {
    pub repository: String,
    pub branch: String,
}

impl FleetOutcome {
    /// 0 when every repository ended up to date or clean; 1 otherwise.
    pub fn all_clean(&self) -> bool {
        self.waiting_for.is_empty()
            && self.results.iter().all(|r| {
                matches!(
                    r.status,
                    RepoStatus::UpToDate | RepoStatus::Clean | RepoStatus::Skipped
                )
            })
    }
}

/// What every repository of a run shares.
pub(crate) struct Run<'a> {
    pub options: &'a UpgradeOptions,
    pub config: &'a Config,
    pub shared: crate::upgrade::Shared,
    allowed: Vec<SourcePattern>,
    pub push_pace: Option<limits::Pace>,
    pub pr_pace: limits::Pace,
    pub pr_dir: PathBuf,
    stop: AtomicBool,
}

impl Run<'_> {
    /// Whether a lock's source is one this run may fetch and render.
    pub fn allows(&self, source: &str) -> bool {
        self.allowed.iter().any(|p| p.matches(source))
    }

    pub fn deadline_from(&self, started: Instant) -> Instant {
        started + self.options.timeout
    }

    pub fn stopping(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }
}

/// The sources a run allows: `--source` if given, else the config's
/// `trusted` plus the built-ins (which ship inside this binary).
fn allowed_sources(options: &UpgradeOptions, config: &Config) -> Result<Vec<SourcePattern>> {
    if options.sources.is_empty() {
        let mut patterns = config.trusted_patterns();
        patterns.push(SourcePattern::parse("builtin:*").expect("static pattern"));
        return Ok(patterns);
    }
    options
        .sources
        .iter()
        .map(|s| {
            SourcePattern::parse(s).map_err(|why| {
                Error::invalid(Problem::new(
                    Location::default().with_field(format!("--source {s}")),
                    why,
                ))
            })
        })
        .collect()
}

/// Upgrades every repository of `options.repos`, `options.jobs` at a time.
pub fn upgrade(
    options: &UpgradeOptions,
    config: &Config,
    progress: &dyn Progress,
) -> Result<FleetOutcome> {
    // Bad input stops the run before anything is touched.
    pipeline::render_branch(&options.branch_template, "golden-path", "1.0.0").map_err(|why| {
        Error::invalid(Problem::new(
            Location::default().with_field("--branch-template"),
            why,
        ))
    })?;
    let allowed = allowed_sources(options, config)?;
    let previous = match &options.resume {
        Some(path) => runlog::latest_results(&runlog::read(std::slice::from_ref(path))?),
        None => BTreeMap::new(),
    };
    // This process's shard, then this stage of the rollout.
    let in_shard: Vec<&RepoEntry> = options
        .repos
        .iter()
        .filter(|r| options.shard.is_none_or(|s| s.contains(&r.id)))
        .collect();
    let todo: Vec<&RepoEntry> = options
        .rollout
        .select(in_shard.clone())
        .into_iter()
        .filter(|r| match previous.get(&r.id) {
            None => !options.only_failed,
            Some(done) => options.only_failed && done.status == RepoStatus::Failed,
        })
        .collect();
    let run_id = match (&options.resume, previous.is_empty()) {
        (Some(path), _) => resumed_run_id(path)?.unwrap_or_else(new_run_id),
        _ => new_run_id(),
    };
    let run = Run {
        options,
        config,
        shared: Default::default(),
        allowed,
        push_pace: options.push_rate.map(limits::Pace::per_minute),
        pr_pace: limits::Pace::new(options.pr_interval.max(Duration::from_secs(1))),
        pr_dir: options.cache.join("runs").join(&run_id),
        stop: AtomicBool::new(false),
    };
    // A wave starts only once the branches of the waves before it are merged or closed.
    let earlier = options.rollout.earlier(&in_shard);
    if !earlier.is_empty() {
        let mut logs = history_logs(options);
        logs.extend(options.history.iter().cloned());
        let history = runlog::latest_results(&runlog::read(&logs)?);
        let waiting_for: Vec<OpenBranch> = waves::open_branches(&run, &earlier, &history)
            .into_iter()
            .map(|(repository, branch)| OpenBranch { repository, branch })
            .collect();
        if !waiting_for.is_empty() {
            return Ok(FleetOutcome {
                run: run_id,
                waiting_for,
                run_log: None,
                dry_run: options.dry_run,
                counts: count(&[]),
                results: Vec::new(),
            });
        }
    }
    let log = if options.dry_run {
        None
    } else {
        let path = match (&options.resume, &options.run_log) {
            (Some(p), _) | (None, Some(p)) => p.clone(),
            (None, None) => options.cache.join("runs").join(format!("{run_id}.jsonl")),
        };
        let log = RunLog::open(&path, &run_id)?;
        log.write(&Event::Start(RunStart {
            run: run_id.clone(),
            started: runlog::now(),
            user: std::env::var("USER")
                .or_else(|_| std::env::var("LOGNAME"))
                .unwrap_or_else(|_| "unknown".into()),
            host: fs_err::read_to_string("/proc/sys/kernel/hostname").map_or_else(
                |_| std::env::var("HOSTNAME").unwrap_or_default(),
                |h| h.trim().to_string(),
            ),
            scaffold: env!("CARGO_PKG_VERSION").into(),
            command: options.command_line.clone(),
            repositories: todo.len(),
            shard: options.shard.map(|s| s.to_string()),
        }))?;
        #[allow(
            clippy::disallowed_methods,
            reason = "the fleet's own pointer to its last run log"
        )]
        let _ = fs_err::write(
            options.cache.join("runs").join("LAST"),
            path.display().to_string(),
        );
        Some(log)
    };
    progress.started(todo.len(), log.as_ref().map(RunLog::path));
    let next = AtomicUsize::new(0);
    let results = std::sync::Mutex::new(Vec::with_capacity(todo.len()));
    let log_error = std::sync::Mutex::new(None);
    std::thread::scope(|scope| {
        for _ in 0..options.jobs.max(1).min(todo.len().max(1)) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(repo) = todo.get(i) else { break };
                let result = if run.stopping() {
                    RepoResult::new(&repo.id, RepoStatus::Skipped)
                        .because("the run stopped at the first failure (--fail-fast)")
                } else {
                    pipeline::upgrade_one(&run, repo)
                };
                if options.fail_fast && result.status == RepoStatus::Failed {
                    run.stop.store(true, Ordering::Relaxed);
                }
                if let Some(log) = &log {
                    if let Err(e) = log.repo(&result) {
                        *log_error
                            .lock()
                            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(e);
                        run.stop.store(true, Ordering::Relaxed);
                    }
                }
                progress.finished(&result);
                results
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .push(result);
            });
        }
    });
    if let Some(e) = log_error
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
    {
        return Err(e);
    }
    let mut results = results
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    // Resumed: the repositories finished before count too.
    let processed_now: BTreeSet<&str> = todo.iter().map(|r| r.id.as_str()).collect();
    results.extend(
        previous
            .into_values()
            .filter(|r| !processed_now.contains(r.repository.as_str())),
    );
    results.sort_by(|a, b| a.repository.cmp(&b.repository));
    let counts = count(&results);
    if let Some(log) = &log {
        log.write(&Event::End {
            run: run_id.clone(),
            at: runlog::now(),
            counts: counts.clone(),
        })?;
    }
    Ok(FleetOutcome {
        run: run_id,
        waiting_for: Vec::new(),
        run_log: log.map(|l| l.path().to_path_buf()),
        dry_run: options.dry_run,
        counts,
        results,
    })
}

/// The run logs under the cache (earlier runs of this machine).
fn history_logs(options: &UpgradeOptions) -> Vec<PathBuf> {
    let mut logs: Vec<PathBuf> = fs_err::read_dir(options.cache.join("runs"))
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
                .collect()
        })
        .unwrap_or_default();
    logs.sort();
    logs
}

/// How many repositories ended in each status.
pub fn count(results: &[RepoResult]) -> BTreeMap<RepoStatus, usize> {
    let mut counts: BTreeMap<RepoStatus, usize> = RepoStatus::ALL.iter().map(|s| (*s, 0)).collect();
    for r in results {
        *counts.entry(r.status).or_default() += 1;
    }
    counts
}

/// The run log `--resume` continues when no file is named: the last run's.
pub fn last_run_log(cache: &Path) -> Result<PathBuf> {
    let pointer = cache.join("runs").join("LAST");
    fs_err::read_to_string(&pointer)
        .map(|p| PathBuf::from(p.trim()))
        .map_err(|_| {
            Error::invalid(
                Problem::new(
                    Location::default().with_field("--resume"),
                    "there is no earlier run to resume",
                )
                .hint("name its run log: --resume RUN.jsonl"),
            )
        })
}

fn resumed_run_id(path: &Path) -> Result<Option<String>> {
    Ok(runlog::read(&[path.to_path_buf()])?
        .into_iter()
        .find_map(|e| match e {
            Event::Start(s) => Some(s.run),
            _ => None,
        }))
}

fn new_run_id() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let stamp = runlog::now().replace([':', '-'], "");
    format!(
        "{stamp}-{:04x}",
        (now.subsec_nanos() ^ std::process::id()) & 0xffff
    )
}
