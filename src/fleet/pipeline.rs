//! One repository of a fleet run, start to end: sync its clone, read its
//! lock, check its source is allowed, plan the upgrade, write it on a
//! branch, push, describe, and open a pull request. Every way this can end
//! is a `RepoResult`; nothing here stops the rest of the run.

// Writes the fleet's own files: a corrupt clone of its cache, PR descriptions in the run folder.
#![allow(clippy::disallowed_methods)]

use std::time::Instant;

use super::gitcli::{check_branch_name, FleetGit, GitFailure};
use super::repos::{RepoEntry, RepoLocation};
use super::runlog::{RepoResult, RepoStatus};
use super::{mirror, prbody, ConflictMode, Run};
use crate::git;
use crate::lock::Lock;
use crate::repo_lock::RepoLock;
use crate::upgrade::{self, ConflictStyle, ExecuteOptions, UpgradeRequest};

/// The trailer that marks a commit as scaffold's own, and says which upgrade it holds.
pub const TRAILER: &str = "Scaffold-Upgrade:";

/// Why a repository stopped early.
enum Stop {
    Skipped(String),
    Failed(String),
}

impl From<crate::error::Error> for Stop {
    fn from(e: crate::error::Error) -> Stop {
        Stop::Failed(first_line(&e.to_string()))
    }
}

impl From<GitFailure> for Stop {
    fn from(e: GitFailure) -> Stop {
        match e {
            GitFailure::Timeout => Stop::Failed("timeout".into()),
            GitFailure::Failed(m) => Stop::Failed(m),
        }
    }
}

fn first_line(text: &str) -> String {
    text.lines().next().unwrap_or_default().trim().to_string()
}

/// Upgrades one repository; never panics out (a panic is a failure).
pub(super) fn upgrade_one(run: &Run<'_>, repo: &RepoEntry) -> RepoResult {
    let started = Instant::now();
    let mut result = RepoResult::new(&repo.id, RepoStatus::Failed);
    let attempt = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        attempt(run, repo, &mut result)
    }));
    match attempt {
        Ok(Ok(status)) => result.status = status,
        Ok(Err(Stop::Skipped(why))) => {
            result.status = RepoStatus::Skipped;
            result.reason = Some(why);
        }
        Ok(Err(Stop::Failed(why))) => {
            result.status = RepoStatus::Failed;
            result.reason = Some(if Instant::now() >= run.deadline_from(started) {
                "timeout".into()
            } else {
                why
            });
        }
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| {
                    panic
                        .downcast_ref::<&str>()
                        .map(std::string::ToString::to_string)
                })
                .unwrap_or_else(|| "unknown".into());
            result.status = RepoStatus::Failed;
            result.reason = Some(format!("internal error: {message}"));
        }
    }
    result.durations.total_ms = started.elapsed().as_millis() as u64;
    result
}

fn attempt(run: &Run<'_>, repo: &RepoEntry, result: &mut RepoResult) -> Result<RepoStatus, Stop> {
    let opts = run.options;
    let started = Instant::now();
    let deadline = run.deadline_from(started);
    let credentials = match &repo.location {
        RepoLocation::Remote(url) => url.credentials.as_ref(),
        RepoLocation::Local(_) => None,
    };
    let git = FleetGit {
        allow_file: matches!(repo.location, RepoLocation::Local(_)),
        credentials,
        deadline,
    };
    if let RepoLocation::Local(path) = &repo.location {
        if !git::is_repository_root(path) {
            return Err(Stop::Failed(format!(
                "{} is not a git repository",
                path.display()
            )));
        }
    }

    // 1. The fleet's own clone, fetched. One run at a time works in it; git
    // lock files left there by a run that was killed are cleared.
    let dir = mirror::path_for(&opts.cache, repo);
    fs_err::create_dir_all(dir.parent().expect("under the cache"))
        .map_err(|e| Stop::Failed(e.to_string()))?;
    let guard =
        RepoLock::acquire_file(&dir, &dir.with_extension("lock"), "scaffold fleet upgrade")?;
    mirror::clear_stale_git_locks(&dir);
    mirror::sync(&git, repo, &dir)?;
    result.durations.fetch_ms = started.elapsed().as_millis() as u64;
    if mirror::size(&dir) > opts.max_size {
        let _ = fs_err::remove_dir_all(&dir);
        return Err(Stop::Failed(format!(
            "too large (over {} MiB)",
            opts.max_size >> 20
        )));
    }
    let branch_name = match &repo.branch {
        Some(b) => b.clone(),
        None => git::default_branch(&dir)?
            .ok_or_else(|| Stop::Failed("the repository has no default branch".into()))?,
    };
    let base = git::resolve(&dir, &format!("refs/remotes/origin/{branch_name}"))?
        .ok_or_else(|| Stop::Failed(format!("the repository has no branch `{branch_name}`")))?;
    git::reset_to(&dir, &base)?;
    upgrade::discard_state(&dir, &guard)?;
    git::copy_ref_if_missing(
        &dir,
        "refs/remotes/origin-scaffold/pristine",
        git::PRISTINE_REF,
    )?;

    // 2. Its lock: what it says is checked, never obeyed.
    let lock = match Lock::read(&dir) {
        Ok(lock) => lock,
        Err(e) => {
            let message = e.to_string();
            let why = if message.contains("no lock file") {
                "not generated by scaffold (no .scaffold/lock.toml)".to_string()
            } else {
                format!("unreadable lock: {}", first_line(&message))
            };
            return Err(Stop::Skipped(why));
        }
    };
    result.golden_path = Some(lock.golden_path.name.clone());
    result.from = Some(lock.golden_path.version.clone());
    if let Some(f) = opts.filters.iter().find(|f| !f.matches(&lock)) {
        return Err(Stop::Skipped(format!(
            "does not match --where {}{}{}",
            f.key, f.op, f.value
        )));
    }
    if !run.allows(&lock.golden_path.source) {
        return Err(Stop::Skipped(format!(
            "source not allowed: {}",
            lock.golden_path.source
        )));
    }

    // 3. The plan, from renders shared with the rest of the run.
    let plan_started = Instant::now();
    let request = UpgradeRequest {
        to: opts.to.clone(),
        set: opts.set.clone(),
        source: None,
    };
    let plan = upgrade::plan_shared(&dir, &request, run.config, &run.shared)?;
    result.to = Some(plan.to.clone());
    result.durations.plan_ms = plan_started.elapsed().as_millis() as u64;
    if plan.is_noop() {
        return Ok(RepoStatus::UpToDate);
    }
    let branch =
        render_branch(&opts.branch_template, &plan.golden_path, &plan.to).map_err(Stop::Skipped)?;
    result.branch = Some(branch.clone());
    let marker = format!(
        "{TRAILER} {} {} -> {}",
        plan.golden_path, plan.from, plan.to
    );
    // A branch the remote already has: ours with this upgrade is done; one
    // a person committed to is theirs, never overwritten.
    let remote_branch = format!("refs/remotes/origin/{branch}");
    if git::resolve(&dir, &remote_branch)?.is_some() {
        let commits = git::commits_since(&dir, &remote_branch, &base)?;
        if commits.iter().any(|c| !c.message.contains(TRAILER)) {
            return Err(Stop::Skipped(format!("branch {branch} has human commits")));
        }
        if let Some(ours) = commits.first() {
            if ours.message.contains(&marker) {
                result.commit = Some(ours.id.clone());
                result.pushed = true;
                result.reason = Some(format!("branch {branch} already holds this upgrade"));
                return Ok(RepoStatus::UpToDate);
            }
            return Err(Stop::Skipped(format!(
                "branch {branch} holds another upgrade; merge or delete it first"
            )));
        }
    }
    let outcome_preview = upgrade::outcome_of(&plan);
    result.conflicts.clone_from(&outcome_preview.conflicts);
    result.changed = outcome_preview.changed.len();
    let status = if outcome_preview.conflicts.is_empty() {
        RepoStatus::Clean
    } else {
        RepoStatus::Conflicts
    };
    if opts.dry_run {
        return Ok(status);
    }
    if run.stopping() {
        return Err(Stop::Skipped("the run stopped (--fail-fast)".into()));
    }

    // 4. Written on a branch of the fleet's clone.
    let write_started = Instant::now();
    let outcome = upgrade::execute(
        &dir,
        &plan,
        &ExecuteOptions {
            allow_dirty: false,
            conflict_style: ConflictStyle::Inline,
        },
        &guard,
    )?;
    let markers = opts.conflicts == ConflictMode::Commit;
    if outcome.pending {
        let conflicted: Vec<crate::tree::RelPath> = outcome
            .conflicts
            .iter()
            .filter_map(|p| crate::tree::RelPath::new(p).ok())
            .collect();
        if markers {
            // The files with their markers are what is committed; the lock
            // moves, so whoever resolves them only has to edit and commit.
            let refs: Vec<&crate::tree::RelPath> = conflicted.iter().collect();
            git::stage_paths(&dir, &refs)?;
            upgrade::continue_upgrade(&dir, &guard)?;
        } else {
            // Left out: those files as they were, and the lock not moved, so
            // the next upgrade still brings their change.
            git::restore_from_head(&dir, &conflicted)?;
            upgrade::discard_state(&dir, &guard)?;
        }
    }
    let message = commit_message(&outcome, &marker, markers);
    let commit = git::commit_all_to_branch(&dir, &branch, &message, opts.author.as_ref())?
        .ok_or_else(|| {
            Stop::Skipped(
                "nothing left to commit (every change conflicted and was left out)".into(),
            )
        })?;
    upgrade::discard_state(&dir, &guard)?;
    drop(guard);
    result.commit = Some(commit);
    result.durations.write_ms = write_started.elapsed().as_millis() as u64;

    // 5. The description, the push, the pull request.
    let body = prbody::PrBody {
        repository: &repo.id,
        outcome: &outcome,
        changelog: changelog_between(&plan),
        branch: &branch,
        markers_committed: markers,
        command: &opts.command_line.join(" "),
    }
    .render();
    let body_path = run.pr_dir.join(format!(
        "{}.md",
        dir.file_name().unwrap_or_default().to_string_lossy()
    ));
    fs_err::create_dir_all(&run.pr_dir).map_err(|e| Stop::Failed(e.to_string()))?;
    fs_err::write(&body_path, body).map_err(|e| Stop::Failed(e.to_string()))?;
    result.pr_body = Some(body_path.display().to_string());
    if !opts.push {
        result.location = Some(format!("{} (branch {branch})", dir.display()));
        return Ok(status);
    }
    if let Some(pace) = &run.push_pace {
        pace.wait();
    }
    let push_started = Instant::now();
    let push_url = match &repo.push {
        Some(url) => url.clean.clone(),
        None => mirror::fetch_url(repo),
    };
    let push_credentials = repo
        .push
        .as_ref()
        .and_then(|u| u.credentials.as_ref())
        .or(credentials);
    let push_git = FleetGit {
        credentials: push_credentials,
        ..git
    };
    let refspec = format!("refs/heads/{branch}:refs/heads/{branch}");
    let mut push_args = vec!["push", "--quiet"];
    if repo.push.is_none() && matches!(repo.location, RepoLocation::Local(_)) {
        push_args.push(super::gitcli::LOCAL_RECEIVE_PACK);
    }
    push_args.extend(["--", &push_url, &refspec]);
    push_git.run(Some(&dir), &push_args).map_err(|e| match e {
        GitFailure::Timeout => Stop::Failed("timeout".into()),
        GitFailure::Failed(m) => Stop::Failed(format!("push rejected: {m}")),
    })?;
    result.pushed = true;
    result.durations.push_ms = push_started.elapsed().as_millis() as u64;
    if let Some(command) = &opts.open_pr {
        run.pr_pace.wait();
        let title = prbody::title(&outcome);
        match super::open_pr::run(command, &dir, &branch, &title, &body_path, &repo.id) {
            Ok(printed) => result.pull_request = Some(printed).filter(|p| !p.is_empty()),
            Err(why) => return Err(Stop::Failed(format!("--open-pr failed: {why}"))),
        }
    }
    Ok(status)
}

/// The branch for an upgrade: the template with `{golden_path}` and
/// `{version}` filled in, checked against git's rules for branch names.
pub(super) fn render_branch(
    template: &str,
    golden_path: &str,
    version: &str,
) -> Result<String, String> {
    let name = template
        .replace("{golden_path}", golden_path)
        .replace("{version}", version);
    check_branch_name(&name)?;
    Ok(name)
}

fn commit_message(outcome: &upgrade::UpgradeOutcome, marker: &str, markers: bool) -> String {
    let mut message = format!("{}\n\n", prbody::title(outcome));
    message.push_str(&format!(
        "{} file(s) changed by the golden path.\n",
        outcome.changed.len()
    ));
    if !outcome.conflicts.is_empty() {
        message.push_str(if markers {
            "\nThese files hold conflict markers to resolve:\n"
        } else {
            "\nThese files conflicted and were left out:\n"
        });
        for c in &outcome.conflicts {
            message.push_str(&format!("  {c}\n"));
        }
    }
    message.push_str(&format!("\n{marker}\n"));
    message
}

/// The changelog sections of the versions the upgrade crosses, oldest first.
fn changelog_between(plan: &upgrade::UpgradePlan) -> Vec<(String, Option<String>)> {
    let (Ok(from), Ok(to)) = (
        semver::Version::parse(&plan.from),
        semver::Version::parse(&plan.to),
    ) else {
        return Vec::new();
    };
    let Some(changelog) = plan.target.changelog.as_deref() else {
        return vec![(plan.to.clone(), None)];
    };
    let mut versions: Vec<semver::Version> = changelog
        .lines()
        .filter_map(|l| l.strip_prefix("## "))
        .filter_map(|h| h.split_whitespace().next())
        .filter_map(|v| {
            semver::Version::parse(
                v.trim_matches(|c| c == '[' || c == ']')
                    .trim_start_matches('v'),
            )
            .ok()
        })
        .filter(|v| *v > from && *v <= to)
        .collect();
    versions.sort();
    versions.dedup();
    if versions.is_empty() {
        versions.push(to);
    }
    versions
        .into_iter()
        .map(|v| {
            let text = crate::freshness::changelog_section(changelog, &v);
            (v.to_string(), text)
        })
        .collect()
}
