//! Carrying out an upgrade plan, `--continue` and `--abort`.
//!
//! Everything that can refuse does so before the first write. Then the
//! state is saved, the decisions are written (each file atomically), clean
//! changes are staged and conflicts become unmerged index entries (or `.rej`
//! files). A clean upgrade moves the lock and the pristine ref; one with
//! conflicts leaves both alone, and `--continue` moves them once the user
//! has resolved every conflict.

use std::path::Path;

use serde::Serialize;

use super::base::BaseSource;
use super::plan::UpgradePlan;
use super::state::{self, Touched, UpgradeState};
use crate::apply;
use crate::error::{Error, Location, Problem, Result};
use crate::git::{self, ConflictStages, PENDING_REF, PRISTINE_REF};
use crate::lock::Lock;
use crate::merge::{Action, Class, Decision};
use crate::repo_lock::RepoLock;
use crate::textdiff;
use crate::tree::{FileEntry, RelPath};

/// How conflicts are left for the user.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ConflictStyle {
    /// Conflict markers in the file and unmerged index entries, like `git merge`.
    #[default]
    Inline,
    /// The user's file untouched, the golden path's change beside it in `FILE.rej`.
    Rej,
}

#[derive(Debug, Clone, Default)]
pub struct ExecuteOptions {
    pub allow_dirty: bool,
    pub conflict_style: ConflictStyle,
}

/// What an upgrade did, for the user and for `--json`.
#[derive(Debug, Clone, Serialize)]
pub struct UpgradeOutcome {
    pub golden_path: String,
    pub from: String,
    pub to: String,
    pub base_source: BaseSource,
    /// Why the pristine ref was not the merge base, when one was there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base_note: Option<String>,
    /// Every path that changed, with its class.
    pub changed: Vec<ChangedPath>,
    pub conflicts: Vec<String>,
    /// Files the user deleted that the golden path changed (they stay deleted).
    pub kept_deleted: Vec<String>,
    pub dropped_answers: Vec<String>,
    /// Answers added (with the value taken), renamed, changed or dropped.
    pub answers: super::AnswerChanges,
    /// The same version re-rendered with changed answers (`--set`).
    pub reanswered: bool,
    /// Generated files you renamed; the new version was merged into them.
    pub user_renames: Vec<super::UserRename>,
    /// Waiting for `scaffold upgrade --continue`.
    pub pending: bool,
    /// With `--conflict rej`: the files holding the golden path's rejected
    /// changes (`FILE.rej`, or `FILE.theirs` for binary files), beside the
    /// user's untouched files.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rejects: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChangedPath {
    pub path: String,
    pub class: Class,
    pub conflict: bool,
}

/// Summarises a plan as an outcome (also what `--dry-run` reports).
pub fn outcome_of(plan: &UpgradePlan) -> UpgradeOutcome {
    let changed = plan
        .decisions
        .iter()
        .filter(|d| !matches!(d.action, Action::Keep))
        .map(|d| ChangedPath {
            path: d.path.to_string(),
            class: d.class,
            conflict: d.is_conflict(),
        })
        .collect();
    UpgradeOutcome {
        golden_path: plan.golden_path.clone(),
        from: plan.from.clone(),
        to: plan.to.clone(),
        base_source: plan.base_source,
        base_note: plan.base_note.clone(),
        changed,
        conflicts: plan
            .decisions
            .iter()
            .filter(|d| d.is_conflict())
            .map(|d| d.path.to_string())
            .collect(),
        kept_deleted: plan
            .decisions
            .iter()
            .filter(|d| d.class == Class::UserDeletedTemplateChanged && !d.is_conflict())
            .map(|d| d.path.to_string())
            .collect(),
        dropped_answers: plan.dropped_answers.clone(),
        answers: plan.answer_changes.clone(),
        reanswered: plan.reanswered,
        user_renames: plan.user_renames.clone(),
        pending: false,
        rejects: Vec::new(),
    }
}

/// Takes the repository's lock for an upgrade, `--continue` or `--abort`:
/// every function here that writes wants it.
pub fn lock(repo: &Path, command: &str) -> Result<RepoLock> {
    if !git::is_repository_root(repo) {
        return Err(Error::invalid(
            Problem::new(
                Location::file(repo.display().to_string()),
                "is not a git repository; an upgrade records conflicts as git conflicts",
            )
            .hint("run `git init && git add -A && git commit` first"),
        ));
    }
    RepoLock::acquire(repo, command)
}

/// Refuses what an upgrade must not run on.
pub fn check_repository(repo: &Path, allow_dirty: bool) -> Result<()> {
    check_with(repo, allow_dirty, None)
}

/// `check_repository`, taking the uncommitted paths from a status already
/// read under the repository's lock (a plan's) instead of reading it again.
fn check_with(repo: &Path, allow_dirty: bool, dirty: Option<&[String]>) -> Result<()> {
    let refuse = |message: String, hint: &str| {
        Err(Error::invalid(
            Problem::new(Location::file(repo.display().to_string()), message).hint(hint),
        ))
    };
    if !git::is_repository_root(repo) {
        return refuse(
            "is not a git repository; an upgrade records conflicts as git conflicts".into(),
            "run `git init && git add -A && git commit` first",
        );
    }
    match state::load(repo)? {
        Some(s) if s.pending => {
            return refuse(
                "an upgrade is waiting for its conflicts to be resolved".into(),
                "resolve them, then `scaffold upgrade --continue`; or `scaffold upgrade --abort`",
            );
        }
        Some(s) if !s.done => {
            state::clean_leftovers(repo, &s);
            return refuse(
                format!("the upgrade to {} was interrupted before it finished", s.to),
                "run `scaffold upgrade --abort` to put every file back, then upgrade again",
            );
        }
        _ => {}
    }
    if git::merge_in_progress(repo)? {
        return refuse(
            "is in the middle of a merge, rebase or cherry-pick".into(),
            "finish or abort it first",
        );
    }
    if !allow_dirty {
        let dirty = match dirty {
            Some(d) => d.to_vec(),
            None => git::dirty_paths(repo)?,
        };
        if !dirty.is_empty() {
            return refuse(
                format!("has uncommitted changes: {}", dirty.join(", ")),
                "commit or stash them, or pass --allow-dirty",
            );
        }
    }
    Ok(())
}

/// Writes `plan` into `repo`, whose lock the caller holds.
pub fn execute(
    repo: &Path,
    plan: &UpgradePlan,
    options: &ExecuteOptions,
    _lock: &RepoLock,
) -> Result<UpgradeOutcome> {
    check_with(repo, options.allow_dirty, plan.dirty.as_deref())?;
    let mut outcome = outcome_of(plan);
    if plan.is_noop() {
        return Ok(outcome);
    }
    let rej = options.conflict_style == ConflictStyle::Rej;
    let mut writes: Vec<(RelPath, Option<FileEntry>)> = Vec::new();
    for d in &plan.decisions {
        let taken: Vec<RelPath> = writes.iter().map(|(p, _)| p.clone()).collect();
        let written = writes_for(d, rej, |p| {
            taken.contains(p) || fs_err::symlink_metadata(repo.join(p.as_str())).is_ok()
        });
        if rej && d.is_conflict() {
            outcome
                .rejects
                .extend(written.iter().map(|(p, _)| p.to_string()));
        }
        writes.extend(written);
    }
    let exists = |p: &RelPath| {
        fs_err::symlink_metadata(repo.join(p.as_str()))
            .is_ok_and(|m| m.is_file() || m.file_type().is_symlink())
    };
    let lock_path = crate::lock::lock_rel_path();
    let mut touched: Vec<Touched> = writes
        .iter()
        .map(|(p, entry)| Touched {
            path: p.to_string(),
            existed: exists(p),
            written: entry.as_ref().map(FileEntry::hash),
        })
        .collect();
    touched.push(Touched {
        path: lock_path.to_string(),
        existed: true,
        written: None,
    });
    let mut saved = UpgradeState {
        from: plan.from.clone(),
        to: plan.to.clone(),
        head: git::head_commit(repo)?,
        pristine: git::read_ref(repo, PRISTINE_REF)?,
        pending: false,
        rej,
        touched,
        conflicts: outcome.conflicts.clone(),
        complete: false,
        done: false,
    };
    state::save(repo, &mut saved)?;

    // Nothing lost: if anything fails from here on, put back what was
    // already written, so the repository is in its old state, never a mix.
    if let Err(e) = write_plan(repo, plan, &writes, rej, &mut saved, &mut outcome) {
        return Err(match state::restore(repo, &saved) {
            Ok(_) => e,
            Err(restoring) => Error::destination(repo, format!("{e}; restoring the repository also failed: {restoring} (scaffold upgrade --abort retries)")),
        });
    }
    Ok(outcome)
}

/// Writes the decisions, stages them, records conflicts, and moves (or parks) lock and ref.
fn write_plan(
    repo: &Path,
    plan: &UpgradePlan,
    writes: &[(RelPath, Option<FileEntry>)],
    rej: bool,
    saved: &mut UpgradeState,
    outcome: &mut UpgradeOutcome,
) -> Result<()> {
    for (path, entry) in writes {
        match entry {
            Some(e) => apply::write_file_atomic(repo, path, e)?,
            None => apply::remove_file(repo, path)?,
        }
    }
    let clean: Vec<&RelPath> = plan
        .decisions
        .iter()
        .filter(|d| !d.is_conflict() && !matches!(d.action, Action::Keep))
        .map(|d| &d.path)
        .collect();
    let stages: Vec<ConflictStages<'_>> = if rej {
        Vec::new()
    } else {
        plan.decisions
            .iter()
            .filter_map(|d| match &d.action {
                Action::Conflict {
                    base, ours, theirs, ..
                } => Some(ConflictStages {
                    path: &d.path,
                    base: base.as_ref(),
                    ours: ours.as_ref(),
                    theirs: theirs.as_ref(),
                }),
                _ => None,
            })
            .collect()
    };
    git::update_index(repo, &clean, &stages)?;

    let new_lock = lock_for(plan);
    if outcome.conflicts.is_empty() {
        finish(repo, &new_lock, Some(plan))?;
    } else {
        git::store_ids_ref(
            repo,
            &plan.theirs_ids,
            &new_blobs(repo, plan)?,
            baseline(plan),
            PENDING_REF,
            "scaffold upgrade: pending pristine render",
        )?;
        state::write_pending_lock(repo, &new_lock.to_toml())?;
        saved.pending = true;
        outcome.pending = true;
    }
    saved.done = true;
    state::write_state(repo, saved)
}

/// The files a decision writes (`Some`) or deletes (`None`). `taken` says
/// whether a path is already in use (a `.rej` never replaces anything).
fn writes_for(
    d: &Decision,
    rej: bool,
    taken: impl Fn(&RelPath) -> bool,
) -> Vec<(RelPath, Option<FileEntry>)> {
    match &d.action {
        Action::Keep => vec![],
        Action::Write(e) => vec![(d.path.clone(), Some(e.clone()))],
        Action::Delete => vec![(d.path.clone(), None)],
        Action::Conflict { content, .. } if !rej => content
            .iter()
            .map(|c| (d.path.clone(), Some(c.clone())))
            .collect(),
        Action::Conflict { base, theirs, .. } => {
            vec![rejected_change(
                &d.path,
                base.as_ref(),
                theirs.as_ref(),
                taken,
            )]
        }
    }
}

/// `FILE.rej`: the golden path's change as a unified diff, or `FILE.theirs`
/// with its whole new content when there is no text diff to show.
fn rejected_change(
    path: &RelPath,
    base: Option<&FileEntry>,
    theirs: Option<&FileEntry>,
    taken: impl Fn(&RelPath) -> bool,
) -> (RelPath, Option<FileEntry>) {
    // `FILE.rej`, else `FILE.scaffold.rej`, `FILE.scaffold-2.rej`, ...: the
    // user's own file of that name is never replaced.
    #[allow(
        clippy::maybe_infinite_iter,
        reason = "stops at the first free name; some name is free"
    )]
    let free = |ext: &str| {
        (1..)
            .map(|n| match n {
                1 => format!("{path}.{ext}"),
                2 => format!("{path}.scaffold.{ext}"),
                n => format!("{path}.scaffold-{}.{ext}", n - 1),
            })
            .map(|p| RelPath::new(&p).expect("a sibling of a valid path"))
            .find(|p| !taken(p))
            .expect("an unused name exists")
    };
    let text = |e: Option<&FileEntry>| {
        e.filter(|e| !e.is_verbatim())
            .map(|e| String::from_utf8_lossy(&e.content).into_owned())
    };
    match (
        base.map_or(Some(String::new()), |b| text(Some(b))),
        theirs.map_or(Some(String::new()), |t| text(Some(t))),
    ) {
        (Some(old), Some(new)) => {
            let new_label = if theirs.is_some() {
                format!("b/{path}")
            } else {
                "/dev/null".to_string()
            };
            let diff = textdiff::unified(&old, &new, &format!("a/{path}"), &new_label);
            (
                free("rej"),
                Some(FileEntry::new(diff.unified.into_bytes(), false)),
            )
        }
        _ => (free("theirs"), theirs.cloned()),
    }
}

/// The lock after the upgrade (keeping the source as the lock recorded it).
fn lock_for(plan: &UpgradePlan) -> Lock {
    crate::render_plan::lock_for(
        &plan.target,
        &plan.source,
        &plan.theirs,
        &plan.answers,
        plan.theirs_hashes.clone(),
        git::tree_id(&plan.theirs_ids),
    )
}

/// The content of the new render's files the repository does not hold yet
/// (a file whose id is its base's is there already).
fn new_blobs(repo: &Path, plan: &UpgradePlan) -> Result<crate::tree::Tree> {
    let changed: crate::tree::TreeIds = plan
        .theirs_ids
        .iter()
        .filter(|(p, id)| plan.base_ids.as_ref().and_then(|b| b.get(*p)) != Some(*id))
        .map(|(p, id)| (p.clone(), *id))
        .collect();
    plan.theirs.subset(&git::missing_blobs(repo, &changed)?)
}

/// The pristine tree the new one is built from, when the base was the pristine ref.
fn baseline(plan: &UpgradePlan) -> Option<git::Baseline<'_>> {
    match (&plan.base_commit, &plan.base_ids) {
        (Some(commit), Some(ids)) => Some(git::Baseline { commit, ids }),
        _ => None,
    }
}

/// Writes the new lock, moves the pristine ref, stages the lock.
fn finish(repo: &Path, lock: &Lock, pristine: Option<&UpgradePlan>) -> Result<()> {
    let lock_path = crate::lock::lock_rel_path();
    apply::write_file_atomic(
        repo,
        &lock_path,
        &FileEntry::new(lock.to_toml().into_bytes(), false),
    )?;
    if let Some(plan) = pristine {
        git::store_ids_ref(
            repo,
            &plan.theirs_ids,
            &new_blobs(repo, plan)?,
            baseline(plan),
            PRISTINE_REF,
            "scaffold upgrade: pristine render",
        )?;
    } else {
        let pending = git::read_ref(repo, PENDING_REF)?
            .ok_or_else(|| Error::Git("the pending pristine render is missing".into()))?;
        git::set_ref(repo, PRISTINE_REF, Some(&pending))?;
        git::set_ref(repo, PENDING_REF, None)?;
    }
    git::stage_paths(repo, &[&lock_path])
}

/// `--continue`: once every conflict is resolved, moves the lock and the pristine ref.
pub fn continue_upgrade(repo: &Path, _lock: &RepoLock) -> Result<UpgradeState> {
    let nothing = || {
        Error::invalid(Problem::new(
            Location::file(repo.display().to_string()),
            "no upgrade is waiting to be continued",
        ))
    };
    let mut saved = state::load(repo)?
        .filter(|s| s.pending)
        .ok_or_else(nothing)?;
    let unresolved: Vec<String> = if saved.rej {
        saved
            .touched
            .iter()
            .filter(|t| !t.existed && t.written.is_some())
            .map(|t| t.path.clone())
            .filter(|p| (p.ends_with(".rej") || p.ends_with(".theirs")) && repo.join(p).exists())
            .collect()
    } else {
        git::unmerged_paths(repo)?
    };
    if !unresolved.is_empty() {
        let how = if saved.rej {
            "apply or discard each .rej/.theirs file and delete it"
        } else {
            "edit each file, then `git add` it"
        };
        return Err(Error::invalid(
            Problem::new(
                Location::file(repo.display().to_string()),
                format!("conflicts are not resolved yet: {}", unresolved.join(", ")),
            )
            .hint(how),
        ));
    }
    if saved.rej {
        // What the user made of each conflicted file joins the rest of the
        // upgrade in the index, as `git add` does in the inline style.
        let resolved: Vec<RelPath> = saved
            .conflicts
            .iter()
            .filter_map(|p| RelPath::new(p).ok())
            .collect();
        git::stage_paths(repo, &resolved.iter().collect::<Vec<_>>())?;
    }
    let pending = state::pending_lock_path(repo)?;
    let text = fs_err::read_to_string(&pending)?;
    let lock: Lock = toml::from_str(&text).map_err(|e| {
        Error::invalid(Problem::from_toml(&e, &text, pending.display().to_string()))
    })?;
    finish(repo, &lock, None)?;
    saved.pending = false;
    state::write_state(repo, &saved)?;
    Ok(saved)
}

/// Forgets any saved or pending upgrade of `repo` without touching its
/// files: for a fleet's own clones, which are reset before every run.
pub fn discard_state(repo: &Path, _lock: &RepoLock) -> Result<()> {
    state::clear(repo)?;
    git::set_ref(repo, PENDING_REF, None)
}

/// What `--abort` did.
#[derive(Debug, Clone, Serialize)]
pub struct AbortOutcome {
    pub from: String,
    pub to: String,
    /// Files the upgrade would have deleted but that no longer hold what it wrote: kept.
    pub left_alone: Vec<String>,
}

/// `--abort`: the repository exactly as before the last upgrade.
pub fn abort(repo: &Path, _lock: &RepoLock) -> Result<AbortOutcome> {
    let saved = state::load(repo)?.ok_or_else(|| {
        Error::invalid(Problem::new(
            Location::file(repo.display().to_string()),
            "no upgrade to abort",
        ))
    })?;
    if git::head_commit(repo)? != saved.head {
        return Err(Error::invalid(
            Problem::new(
                Location::file(repo.display().to_string()),
                "the upgrade was already committed",
            )
            .hint("revert that commit with git instead"),
        ));
    }
    let left_alone = state::restore(repo, &saved)?;
    Ok(AbortOutcome {
        from: saved.from,
        to: saved.to,
        left_alone,
    })
}
