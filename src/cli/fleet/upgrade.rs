//! `scaffold fleet upgrade`: every repository on its own branch, with progress.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, ValueEnum};
use goldpath::error::{Error, Location, Problem, Result};
use goldpath::fleet::{self, FleetOutcome, RepoResult, RepoStatus};
use goldpath::source::Config;

use super::output::{errln, outln, Tone};
use super::{cache, jobs, Selection, Sharding};
use super::{exit, output};

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Conflicts {
    /// Commit conflicted files with their markers, for whoever reviews the branch.
    Commit,
    /// Leave conflicted files (and the lock) as they were; commit the rest.
    Skip,
}

/// Upgrade every repository on its own branch: plan, 3-way merge, commit,
/// and (with --push) push and open pull requests.
///
/// Each repository is worked on in the fleet's own clone under the cache
/// folder: a developer's checkout is never touched. Only repositories whose
/// lock names an allowed source are upgraded (--source, else the sources
/// trusted in your config, plus the built-ins); no task, hook or filter of a
/// repository or golden path ever runs. Without --push nothing leaves the
/// machine: the report says where each branch is.
#[derive(Args)]
#[command(after_help = "Examples:\n  \
    scaffold fleet upgrade --repos repos.txt --dry-run\n  \
    scaffold fleet upgrade --repos repos.txt --to 2.1.0 --jobs 8 --push\n  \
    scaffold fleet upgrade --scan ~/src --where golden_path=java-service --where 'version<2'\n  \
    scaffold fleet upgrade --repos repos.txt --push --open-pr 'gh pr create --head {branch} --title {title} --body-file {body_file}'\n  \
    scaffold fleet upgrade --repos repos.txt --resume            after a crash or Ctrl-C\n  \
    scaffold fleet report RUN.jsonl --markdown summary.md --junit fleet.xml\n\n\
Exit codes: 0 every repository ended up to date, clean or skipped; 1 some have conflicts or failed; 2 bad input (nothing done).")]
pub(super) struct UpgradeArgs {
    #[command(flatten)]
    selection: Selection,

    #[command(flatten)]
    sharding: Sharding,

    /// Roll out to N canary repositories (chosen by stable hash) and stop.
    #[arg(long, value_name = "N", conflicts_with_all = ["canary_repos", "percent", "waves"])]
    canary: Option<usize>,

    /// Roll out to the repositories listed in FILE (one per line, as in --repos) and stop.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["percent", "waves"])]
    canary_repos: Option<PathBuf>,

    /// Roll out to a stable P% slice of the fleet.
    #[arg(long, value_name = "P", conflicts_with = "waves")]
    percent: Option<f64>,

    /// A wave plan of cumulative percentages (e.g. 1,10,50,100); run wave --wave K.
    #[arg(long, value_name = "LIST", requires = "wave")]
    waves: Option<String>,

    /// Which wave of --waves to run (1-based); it starts only once every branch
    /// the waves before it pushed is merged or closed (read from the run logs and the remotes).
    #[arg(long, value_name = "K", requires = "waves")]
    wave: Option<usize>,

    /// Run logs of earlier waves kept elsewhere (those under the cache are always read).
    #[arg(long, value_name = "RUNLOG")]
    after: Vec<PathBuf>,

    /// Target version (default: each repository's newest release).
    #[arg(long, value_name = "VERSION")]
    to: Option<String>,

    /// Set or change an answer in every repository; repeatable.
    #[arg(long = "set", short = 's', value_name = "KEY=VALUE")]
    set: Vec<String>,

    /// Repositories upgraded at a time (default: the number of cores).
    #[arg(long, short = 'j', value_name = "N")]
    jobs: Option<usize>,

    /// Push each branch to the repository (or to its `push=` URL from the list).
    #[arg(long)]
    push: bool,

    /// The remote pushed to: only `origin`, the repository as listed (other
    /// push targets come from the list's `push=URL`, never from a repository's config).
    #[arg(long, value_name = "NAME", default_value = "origin")]
    remote: String,

    /// Plan and classify every repository; write, commit and push nothing.
    #[arg(long)]
    dry_run: bool,

    /// What to do with conflicted files.
    #[arg(long, value_enum, default_value_t = Conflicts::Commit)]
    conflicts: Conflicts,

    /// The branch name, from {`golden_path`} and {version}.
    #[arg(long, value_name = "TEMPLATE", default_value = fleet::BRANCH_TEMPLATE)]
    branch_template: String,

    /// A command run (with sh) for each pushed branch in the repository's
    /// clone; {branch}, {title}, {`body_file`} and {repo} are passed as quoted
    /// variables (e.g. 'gh pr create --head {branch} --title {title} --body-file {`body_file`}').
    #[arg(long, value_name = "COMMAND", requires = "push")]
    open_pr: Option<String>,

    /// Stop at the first repository that fails.
    #[arg(long)]
    fail_fast: bool,

    /// A source whose repositories may be upgraded (repeatable; URL or path,
    /// a trailing * for a prefix). Default: the sources trusted in your config, plus the built-ins.
    #[arg(long = "source", value_name = "SOURCE")]
    sources: Vec<String>,

    /// Where to append the run log (default: under the cache; the path is printed).
    #[arg(long, value_name = "FILE")]
    run_log: Option<PathBuf>,

    /// Continue a run (the last one, or the one in FILE): repositories it finished are not touched again.
    #[arg(long, value_name = "FILE", num_args = 0..=1, default_missing_value = "")]
    resume: Option<PathBuf>,

    /// With --resume: retry only the repositories that failed.
    #[arg(long, requires = "resume")]
    only_failed: bool,

    /// Seconds one repository may take before it is `failed: timeout`.
    #[arg(long, value_name = "SECONDS", default_value_t = 600)]
    timeout: u64,

    /// Largest clone, in MiB, a repository may have before it is `failed: too large`.
    #[arg(long, value_name = "MIB", default_value_t = 2048)]
    max_size: u64,

    /// At most N pushes a minute (e.g. 30/min), whatever --jobs says.
    #[arg(long, value_name = "N/min")]
    push_rate: Option<String>,

    /// Commit author, "Name <email>" (default: your git config).
    #[arg(long, value_name = "NAME <EMAIL>")]
    author: Option<String>,

    /// Print the outcome as JSON.
    #[arg(long)]
    pub(super) json: bool,
}

pub(super) fn run_upgrade(args: UpgradeArgs) -> Result<u8> {
    let (repos, filters) = args.selection.resolve()?;
    let config = Config::load()?;
    let set = super::super::upgrade::set_answers(&args.set)?;
    if args.remote != "origin" {
        return Err(Error::invalid(
            Problem::new(
                Location::default().with_field("--remote"),
                format!("`{}` is not the repository as listed", args.remote),
            )
            .hint("a fleet pushes to the repository the list names, or to its `push=URL` setting in the list; never to a remote a repository's own config defines"),
        ));
    }
    let push_rate = args.push_rate.as_deref().map(parse_rate).transpose()?;
    let author = args
        .author
        .as_deref()
        .map(super::super::new::parse_author)
        .transpose()?;
    let cache = cache(&config);
    let resume = match &args.resume {
        Some(p) if p.as_os_str().is_empty() => Some(fleet::last_run_log(&cache)?),
        other => other.clone(),
    };
    let options = fleet::UpgradeOptions {
        repos,
        filters,
        to: args.to.clone(),
        set,
        jobs: jobs(args.jobs),
        push: args.push,
        dry_run: args.dry_run,
        conflicts: match args.conflicts {
            Conflicts::Commit => fleet::ConflictMode::Commit,
            Conflicts::Skip => fleet::ConflictMode::Skip,
        },
        branch_template: args.branch_template.clone(),
        open_pr: args.open_pr.clone(),
        fail_fast: args.fail_fast,
        sources: args.sources.clone(),
        run_log: args.run_log.clone(),
        resume,
        only_failed: args.only_failed,
        timeout: Duration::from_secs(args.timeout.max(1)),
        max_size: args.max_size.saturating_mul(1 << 20),
        push_rate,
        pr_interval: Duration::from_secs(1),
        author,
        command_line: std::env::args().collect(),
        cache,
        shard: args.sharding.resolve()?,
        rollout: rollout(&args)?,
        history: args.after.clone(),
    };
    let progress = Progress::new(output::quiet() || args.json);
    let outcome = fleet::upgrade(&options, &config, &progress)?;
    progress.done();
    if !outcome.waiting_for.is_empty() {
        if args.json {
            output::print_json(&outcome);
        }
        errln!(
            "{}: wave {} waits: {} branch(es) of earlier waves are still open:",
            output::paint("waiting", Tone::Warning),
            args.wave.unwrap_or_default(),
            outcome.waiting_for.len()
        );
        for b in &outcome.waiting_for {
            errln!("  {} {}", b.repository, b.branch);
        }
        errln!("  merge or close them, then run this wave again");
        return Ok(exit::FOUND);
    }
    if args.json {
        output::print_json(&outcome);
    } else if !output::quiet() {
        print_outcome(&outcome);
    }
    Ok(if outcome.all_clean() {
        exit::OK
    } else {
        exit::FOUND
    })
}

fn rollout(args: &UpgradeArgs) -> Result<fleet::Rollout> {
    Ok(
        match (&args.canary, &args.canary_repos, &args.percent, &args.waves) {
            (Some(n), _, _, _) => fleet::Rollout::Canary(*n),
            (_, Some(file), _, _) => fleet::Rollout::CanaryRepos(
                fleet::repos::read_list(file)?
                    .into_iter()
                    .map(|r| r.id)
                    .collect(),
            ),
            (_, _, Some(p), _) => {
                if !(*p > 0.0 && *p <= 100.0) {
                    return Err(Error::invalid(Problem::new(
                        Location::default().with_field("--percent"),
                        format!("{p} is not a percentage above 0 and at most 100"),
                    )));
                }
                fleet::Rollout::Percent(*p)
            }
            (_, _, _, Some(plan)) => fleet::Rollout::waves(plan, args.wave.unwrap_or(0))?,
            _ => fleet::Rollout::All,
        },
    )
}

/// `30/min` or `30`.
fn parse_rate(raw: &str) -> Result<u32> {
    raw.trim_end_matches("/min")
        .parse::<u32>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| {
            Error::invalid(Problem::new(
                Location::default().with_field("--push-rate"),
                format!("`{raw}` is not a rate like `30/min`"),
            ))
        })
}

fn print_outcome(o: &FleetOutcome) {
    let counts: Vec<String> = o
        .counts
        .iter()
        .filter(|(_, n)| **n > 0)
        .map(|(s, n)| format!("{n} {}", s.as_str()))
        .collect();
    outln!(
        "{}{} repositories: {}",
        if o.dry_run {
            "Dry run, nothing written. "
        } else {
            ""
        },
        o.results.len(),
        counts.join(", ")
    );
    for r in o
        .results
        .iter()
        .filter(|r| r.status != RepoStatus::UpToDate)
    {
        outln!("  {}", describe(r));
    }
    if let Some(log) = &o.run_log {
        outln!(
            "Run log: {}\n  scaffold fleet report {} --markdown summary.md",
            log.display(),
            log.display()
        );
    }
}

fn describe(r: &RepoResult) -> String {
    let status = match r.status {
        RepoStatus::Failed => output::paint("failed", Tone::Error),
        RepoStatus::Conflicts => output::paint("conflicts", Tone::Warning),
        RepoStatus::Clean => output::paint("clean", Tone::Good),
        other => other.as_str().to_string(),
    };
    let mut line = format!("{status:<10} {}", r.repository);
    if let (Some(from), Some(to)) = (&r.from, &r.to) {
        line.push_str(&format!(" {from} -> {to}"));
    }
    if let Some(reason) = &r.reason {
        line.push_str(&format!(": {reason}"));
    }
    if !r.conflicts.is_empty() {
        line.push_str(&format!(" (conflicts: {})", r.conflicts.join(", ")));
    }
    match (&r.branch, r.pushed, &r.location) {
        (Some(b), true, _) => line.push_str(&format!(" [pushed {b}]")),
        (_, false, Some(loc)) => line.push_str(&format!(" [{loc}]")),
        _ => {}
    }
    if let Some(pr) = &r.pull_request {
        line.push_str(&format!(" {pr}"));
    }
    line
}

/// A bar with counts by status on a terminal; a line per repository otherwise.
struct Progress {
    bar: Option<indicatif::ProgressBar>,
    quiet: bool,
    counts: std::sync::Mutex<std::collections::BTreeMap<RepoStatus, usize>>,
}

impl Progress {
    fn new(quiet: bool) -> Progress {
        let terminal = output::stderr_is_interactive();
        Progress {
            bar: (!quiet && terminal).then(|| {
                let bar = indicatif::ProgressBar::new(0);
                bar.set_style(
                    indicatif::ProgressStyle::with_template(
                        "{bar:30} {pos}/{len} repositories  {msg}  {elapsed}",
                    )
                    .expect("static template"),
                );
                bar
            }),
            quiet,
            counts: Default::default(),
        }
    }

    fn done(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl fleet::Progress for Progress {
    fn started(&self, total: usize, run_log: Option<&std::path::Path>) {
        if let Some(bar) = &self.bar {
            bar.set_length(total as u64);
        } else if !self.quiet {
            errln!(
                "{total} repositories{}",
                run_log
                    .map(|p| format!("; run log {}", p.display()))
                    .unwrap_or_default()
            );
        }
    }

    fn finished(&self, result: &RepoResult) {
        let mut counts = self
            .counts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *counts.entry(result.status).or_default() += 1;
        match &self.bar {
            Some(bar) => {
                let summary: Vec<String> = counts
                    .iter()
                    .map(|(s, n)| format!("{n} {}", s.as_str()))
                    .collect();
                bar.set_message(summary.join(", "));
                bar.inc(1);
            }
            None if !self.quiet => errln!("{}", describe(result)),
            None => {}
        }
    }
}
