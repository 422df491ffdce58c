//! The upgrade plan: base, ours, theirs, and a decision per path.
//!
//! - **theirs** is the target version rendered with the recorded answers
//!   (plus `--set`, plus defaults for variables the new version adds).
//! - **base** is the pristine render stored under `refs/scaffold/pristine`;
//!   without it, the recorded version re-rendered from its source; without
//!   that, the lock's per-file hashes, where only files the user never
//!   touched may change and every other difference is a conflict.
//! - **ours** is the work tree, read only at the paths base and theirs name.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

use serde_json::Value;

use super::base::BaseSource;
use super::migrate::migrate;
use super::moves::{answer_moves, apply_renames, rendered_renames};
use super::shared::Shared;
use crate::answers::{AnswerInputs, LabelledAnswers, Resolved};
use crate::error::{Error, Location, Problem, Result};
use crate::git::{self, MergeLabels};
use crate::lock::{Lock, LOCK_PATH};
use crate::merge::{decide, Action, Class, Decision, MergedText, PathRules};
use crate::render_plan::{self, Rendered};
use crate::source::{self, Config, GoldenPath, SourceSpec};
use crate::tree::{RelPath, Tree, TreeIds};
use crate::worktree;

/// What the user asked for.
#[derive(Debug, Default, Clone)]
pub struct UpgradeRequest {
    /// Target version; default the newest release.
    pub to: Option<String>,
    /// `--set key=value` answers, on top of the recorded ones.
    pub set: Vec<(String, String)>,
    /// `--source`: where the golden path lives now, when the lock's source
    /// moved; recorded in the new lock.
    pub source: Option<String>,
}

/// Everything an upgrade would do, computed in memory.
#[derive(Debug)]
pub struct UpgradePlan {
    pub golden_path: String,
    pub from: String,
    pub to: String,
    pub base_source: BaseSource,
    pub decisions: Vec<Decision>,
    /// The new pristine render (for the ref) and its seed-once files.
    pub theirs: Rendered,
    /// The git id of every file of `theirs` (the new pristine tree, by ids).
    pub theirs_ids: TreeIds,
    /// The `sha256:` of every file of `theirs`, for the new lock.
    pub theirs_hashes: BTreeMap<String, String>,
    /// The merge base by ids, and its commit, when it is the pristine ref
    /// (so its blobs and trees are in the repository already).
    pub base_ids: Option<TreeIds>,
    pub base_commit: Option<String>,
    /// The source as the lock records it (the new lock keeps it).
    pub source: String,
    /// Why the merge base is not the pristine ref, when one was there.
    pub base_note: Option<String>,
    /// The uncommitted paths the plan saw (what `execute` refuses unless
    /// allowed), when it looked at a git work tree.
    pub dirty: Option<Vec<String>>,
    /// The answers of the new version (for the new lock).
    pub answers: Resolved,
    /// Recorded answers to variables the new version no longer has.
    pub dropped_answers: Vec<String>,
    /// What the upgrade does to the recorded answers.
    pub answer_changes: super::AnswerChanges,
    /// `--set` changes answers: the same version is re-rendered and merged
    /// even when there is no newer one.
    pub reanswered: bool,
    /// `--source` points the lock somewhere new.
    pub repointed: bool,
    /// Generated files the user renamed, into which the new version was merged.
    pub user_renames: Vec<super::UserRename>,
    /// The target version as loaded (tag, commit, layers, for the new lock).
    pub target: Arc<GoldenPath>,
}

impl UpgradePlan {
    /// Already on the target version, with the answers it was rendered with.
    pub fn is_noop(&self) -> bool {
        self.from == self.to && !self.reanswered && !self.repointed
    }

    pub fn conflicts(&self) -> usize {
        self.decisions.iter().filter(|d| d.is_conflict()).count()
    }
}

pub fn plan(repo: &Path, request: &UpgradeRequest, config: &Config) -> Result<UpgradePlan> {
    plan_shared(repo, request, config, &Shared::default())
}

/// `plan`, sharing loads and renders with the other upgrades of a run.
pub fn plan_shared(
    repo: &Path,
    request: &UpgradeRequest,
    config: &Config,
    shared: &Shared,
) -> Result<UpgradePlan> {
    // git's status of the work tree (a stat of every file) runs beside the
    // source load and render, which do not touch the repository.
    std::thread::scope(|scope| {
        let status = scope.spawn(|| {
            if git::is_repository_root(repo) {
                git::work_tree_status(repo)
            } else {
                Ok(git::WorkTreeStatus::default())
            }
        });
        plan_with(repo, request, config, shared, || {
            status
                .join()
                .unwrap_or_else(|_| Err(Error::Git("reading the work tree's status failed".into())))
        })
    })
}

/// Where an upgrade starts: the lock, its label for errors, the source to
/// load (`--source`, else the lock's) and the version the repository is on.
pub(super) fn starting_point(
    repo: &Path,
    request: &UpgradeRequest,
) -> Result<(Lock, String, SourceSpec, semver::Version)> {
    let lock = Lock::read(repo)?;
    let lock_label = repo.join(LOCK_PATH).display().to_string();
    let locked = &lock.golden_path;
    let spec = SourceSpec::parse(request.source.as_deref().unwrap_or(&locked.source));
    let current = semver::Version::parse(&locked.version).map_err(|e| {
        Error::invalid(Problem::new(
            Location::file(&lock_label).with_field("golden-path.version"),
            e.to_string(),
        ))
    })?;
    Ok((lock, lock_label, spec, current))
}

fn plan_with(
    repo: &Path,
    request: &UpgradeRequest,
    config: &Config,
    shared: &Shared,
    status: impl FnOnce() -> Result<git::WorkTreeStatus>,
) -> Result<UpgradePlan> {
    let (lock, lock_label, spec, current) = starting_point(repo, request)?;
    let locked = &lock.golden_path;
    let available = shared.versions(&spec.display(), || {
        source::available_versions(&spec, config)
    })?;
    let target = target_version(&spec, &available, request.to.as_deref(), &current)?;

    let target_gp = shared.load(&spec.display(), &target.to_string(), true, || {
        source::load_deferring_copies(&spec, Some(&target.to_string()), config)
    })?;
    if target_gp.manifest.name != locked.name {
        return Err(Error::invalid(
            Problem::new(
                Location::default().with_field("--source"),
                format!(
                    "`{}` holds golden path `{}`, but this repository was generated from `{}`",
                    spec.display(),
                    target_gp.manifest.name,
                    locked.name
                ),
            )
            .hint("name the folder or repository the golden path moved to (`NAME` picks one of several: `PATH#NAME`)"),
        ));
    }
    let migrated = migrate(&lock.answers, &target_gp, &current, true)?;
    let rendered = shared.render(render_key(&spec, &target, &migrated, &request.set), || {
        render_with_answers(&target_gp, &migrated, &lock_label, &request.set).map(Arc::new)
    })?;
    let (theirs, answers, dropped_answers) = (*rendered).clone();
    let answer_changes = super::answer_changes::between(
        &lock.answers,
        &answers.recorded(),
        &dropped_answers,
        &target_gp,
        &current,
    );
    let theirs_ids = theirs.ids();
    let mut plan = UpgradePlan {
        golden_path: locked.name.clone(),
        from: current.to_string(),
        to: target.to_string(),
        base_source: BaseSource::PristineRef,
        base_note: None,
        dirty: None,
        decisions: Vec::new(),
        theirs,
        theirs_ids,
        theirs_hashes: BTreeMap::new(),
        base_ids: None,
        base_commit: None,
        source: match &request.source {
            Some(_) => target_gp.origin.source.clone(),
            None => locked.source.clone(),
        },
        answers,
        dropped_answers,
        reanswered: !answer_changes.changed.is_empty() && target == current,
        repointed: request.source.is_some() && target_gp.origin.source != locked.source,
        answer_changes,
        user_renames: Vec::new(),
        target: target_gp,
    };
    if plan.is_noop() {
        return Ok(plan);
    }

    let base = super::base::find(
        repo,
        &spec,
        &lock,
        &lock_label,
        &plan.theirs,
        config,
        shared,
    )?;
    plan.base_source = base.source;
    plan.base_note.clone_from(&base.note);
    if base.source == BaseSource::PristineRef {
        plan.base_ids.clone_from(&base.ids);
        plan.base_commit.clone_from(&base.pristine_commit);
    }
    let mut renames = rendered_renames(&plan.target, &plan.answers)?;
    renames.extend(answer_moves(
        &plan,
        &lock,
        &lock_label,
        &current,
        &request.set,
    )?);
    let seed_once: Vec<RelPath> = locked
        .seed_once
        .iter()
        .filter_map(|p| RelPath::new(p).ok())
        .collect();

    // Compare by id first: a path the golden path did not change, or where
    // the work tree already holds the new version, keeps what is there, and
    // none of its bytes is read. Only the rest is loaded and decided.
    let all_paths: BTreeSet<RelPath> = match &base.ids {
        Some(ids) => ids.keys().chain(plan.theirs_ids.keys()).cloned().collect(),
        None => base
            .tree
            .paths()
            .chain(plan.theirs_ids.keys())
            .cloned()
            .collect(),
    };
    let status = status()?;
    plan.dirty = Some(status.dirty.clone());
    let ours_known = status.clean;
    let mut settled = Vec::new();
    let mut wanted = Vec::new();
    for path in &all_paths {
        let moved = renames.iter().any(|(from, to)| {
            [from, to]
                .iter()
                .any(|r| path.as_str() == r.as_str() || path.strip_prefix(r).is_some())
        });
        let ids = base
            .ids
            .as_ref()
            .filter(|_| !moved && !base.unknown.contains(path));
        let Some(ids) = ids else {
            wanted.push(path.clone());
            continue;
        };
        let (b, o, t) = (
            ids.get(path),
            ours_known.get(path),
            plan.theirs_ids.get(path),
        );
        let class = if b == t {
            Some(if o.is_some() && o != b {
                Class::UserOnly
            } else if o.is_none() && b.is_some() {
                // Modified or deleted in the work tree: the user's change stays.
                Class::UserOnly
            } else {
                Class::Unchanged
            })
        } else if o.is_some() && o == t {
            Some(Class::SameChange)
        } else {
            None
        };
        match class {
            Some(class) if !seed_once.contains(path) || class != Class::SameChange => {
                settled.push(Decision {
                    path: path.clone(),
                    class: if seed_once.contains(path) {
                        Class::SeedOnce
                    } else {
                        class
                    },
                    action: Action::Keep,
                });
            }
            _ => wanted.push(path.clone()),
        }
    }
    let mut base_tree = base.load(repo, &wanted)?;
    let mut ours = worktree::read_paths(repo, &wanted)?;
    let theirs_tree = plan.theirs.subset(&wanted)?;
    plan.theirs_hashes = theirs_hashes(&plan, &lock, base.ids.as_ref(), &theirs_tree)?;
    let mut unknown = base.unknown.clone();
    let moved = apply_renames(&renames, &mut base_tree, &mut ours)?;
    for (old, new, _) in &moved {
        if let Some(u) = unknown.iter_mut().find(|u| *u == old) {
            *u = new.clone();
        }
    }
    let (base_label, theirs_label) = (
        format!("{} {}", locked.name, current),
        format!("{} {}", locked.name, target),
    );
    let labels = MergeLabels {
        base: &base_label,
        ours: "yours",
        theirs: &theirs_label,
    };
    let mut merge_text = |b: &[u8], o: &[u8], t: &[u8]| {
        git::merge_text(b, o, t, &labels).map(|m| MergedText {
            content: m.content,
            conflicted: m.conflicted,
        })
    };
    let attributes = git::Attributes::open(repo);
    let binary = |p: &RelPath| attributes.as_ref().is_some_and(|a| a.is_binary(p));
    let rules = PathRules {
        seed_once: &seed_once,
        binary: &binary,
    };
    // Follow the user's own renames: base and theirs move to where the user
    // keeps the file, so the new version merges into it there.
    let followed = super::user_renames::find(
        repo,
        &base_tree,
        &ours,
        &theirs_tree,
        &all_paths,
        &seed_once,
    )?;
    let theirs_tree_for_conflicts = theirs_tree.clone();
    let mut theirs_input = theirs_tree;
    for (from, to, _) in &followed.renames {
        if let Some(b) = base_tree.remove(from) {
            base_tree.insert(to.clone(), b);
        }
        if let Some(t) = theirs_input.remove(from) {
            theirs_input.insert(to.clone(), t);
        }
    }
    for (p, e) in followed.ours.iter() {
        ours.insert(p.clone(), e.clone());
    }
    let mut decisions = decide(&base_tree, &ours, &theirs_input, &rules, &mut merge_text)?;
    for d in decisions
        .iter_mut()
        .filter(|d| followed.ambiguous.contains(&d.path))
    {
        // Deleted, or renamed to one of several look-alikes: never a silent drop.
        if let (Some(b), Some(t)) = (
            base_tree.get(&d.path),
            theirs_tree_for_conflicts.get(&d.path),
        ) {
            d.action = Action::Conflict {
                content: Some(t.clone()),
                base: Some(b.clone()),
                ours: None,
                theirs: Some(t.clone()),
            };
        }
    }
    plan.user_renames = followed.renames.into_iter().map(|(_, _, r)| r).collect();
    for d in decisions.iter_mut().filter(|d| unknown.contains(&d.path)) {
        mark_unknown_base(d);
    }
    for (old, new, ours_had) in moved {
        // The user's copy lives at the old path: a decision to keep it means moving it.
        if let Some(d) = decisions
            .iter_mut()
            .find(|d| d.path == new && d.action == Action::Keep)
        {
            if let Some(entry) = ours.get(&new) {
                d.action = Action::Write(entry.clone());
            }
        }
        if ours_had {
            decisions.push(Decision {
                path: old,
                class: Class::Renamed,
                action: Action::Delete,
            });
        }
    }
    decisions.extend(settled);
    decisions.sort_by(|a, b| a.path.cmp(&b.path));
    decisions.dedup_by(|a, b| a.path == b.path);
    plan.decisions = decisions;
    Ok(plan)
}

/// The lock's hash of every file of the new render. A file whose id equals
/// its base's (a proven pristine render, so the old lock's hash is its hash)
/// keeps the old hash; only the others are hashed, reading those not read.
fn theirs_hashes(
    plan: &UpgradePlan,
    lock: &Lock,
    base_ids: Option<&TreeIds>,
    loaded: &Tree,
) -> Result<BTreeMap<String, String>> {
    let mut hashes = BTreeMap::new();
    let mut unread = Vec::new();
    for (path, id) in &plan.theirs_ids {
        let known = base_ids
            .and_then(|b| b.get(path))
            .filter(|b| *b == id)
            .and_then(|_| lock.files.get(path.as_str()));
        let entry = plan.theirs.tree.get(path).or_else(|| loaded.get(path));
        match (known, entry) {
            (Some(hash), _) => {
                hashes.insert(path.to_string(), hash.clone());
            }
            (None, Some(entry)) => {
                hashes.insert(path.to_string(), entry.hash());
            }
            (None, None) => unread.push(path.clone()),
        }
    }
    for (path, entry) in plan.theirs.subset(&unread)? {
        hashes.insert(path.to_string(), entry.hash());
    }
    Ok(hashes)
}

/// `--to`, else the newest release; never older than `current`.
pub(super) fn target_version(
    spec: &SourceSpec,
    available: &[semver::Version],
    to: Option<&str>,
    current: &semver::Version,
) -> Result<semver::Version> {
    let target = match to {
        Some(raw) => {
            let wanted =
                semver::Version::parse(raw.strip_prefix('v').unwrap_or(raw)).map_err(|e| {
                    Error::invalid(Problem::new(
                        Location::default().with_field("--to"),
                        format!("`{raw}` is not a version: {e}"),
                    ))
                })?;
            if !available.contains(&wanted) {
                let list: Vec<String> = available.iter().map(ToString::to_string).collect();
                return Err(Error::invalid(Problem::new(
                    Location::default().with_field("--to"),
                    format!(
                        "{} has no version {wanted} (available: {})",
                        spec.display(),
                        list.join(", ")
                    ),
                )));
            }
            wanted
        }
        None => available
            .iter()
            .filter(|v| v.pre.is_empty())
            .max()
            .cloned()
            .unwrap_or_else(|| current.clone()),
    };
    if target < *current {
        return Err(Error::invalid(
            Problem::new(Location::default().with_field("--to"), format!("{target} is older than the version this repository is on ({current}); downgrades are refused"))
                .hint("to go back, revert the upgrade commit in git"),
        ));
    }
    Ok(target)
}

/// What identifies a render: source, version, answers and `--set`.
pub(super) fn render_key(
    spec: &SourceSpec,
    version: &semver::Version,
    answers: &BTreeMap<String, Value>,
    set: &[(String, String)],
) -> String {
    format!(
        "{}\0{version}\0{}\0{set:?}",
        spec.display(),
        serde_json::to_string(answers).unwrap_or_default()
    )
}

/// Renders `gp` with the lock's answers (those it still declares), `--set`, and defaults.
pub(super) fn render_with_answers(
    gp: &GoldenPath,
    recorded: &BTreeMap<String, Value>,
    lock_label: &str,
    set: &[(String, String)],
) -> Result<(Rendered, Resolved, Vec<String>)> {
    let compiled = render_plan::compile(gp)?;
    let (kept, dropped): (Vec<_>, Vec<_>) = recorded
        .iter()
        .partition(|(name, _)| gp.manifest.variables.contains_key(*name));
    let inputs = AnswerInputs {
        file: Some(LabelledAnswers {
            label: lock_label.to_string(),
            places: Default::default(),
            values: kept
                .into_iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        }),
        request: None,
        set: set.to_vec(),
        reask: false,
    };
    let (resolved, rendered) = render_plan::resolve_and_render(gp, &compiled, &inputs, None)?;
    Ok((
        rendered,
        resolved,
        dropped.into_iter().map(|(k, _)| k.clone()).collect(),
    ))
}

/// A path whose base is unknown cannot be merged: a conflict that keeps the
/// user's file, with no base stage.
fn mark_unknown_base(d: &mut Decision) {
    if let Action::Conflict {
        content,
        base,
        ours,
        ..
    } = &mut d.action
    {
        *base = None;
        content.clone_from(ours);
        if d.class == Class::BinaryConflict {
            d.class = Class::BothChanged;
        }
    }
}
