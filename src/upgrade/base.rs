//! The merge base: the pristine render of the version the repository is on,
//! proven to be that render before it is used.
//!
//! `refs/scaffold/pristine` is a local cache: a clone does not get it, and a
//! clone that pulled someone else's upgrade still has the render of the
//! version before. So the lock records the git tree id of its pristine
//! render (`pristine-tree`), and the ref is used only when it points at that
//! tree. Otherwise the lock's version is rendered again with the lock's
//! answers and each file checked against the lock's hashes; a file that
//! does not match has an unknown base. Without the source, the hashes alone
//! remain (see `plan`).

use std::path::Path;

use serde::Serialize;

use super::plan::render_with_answers;
use crate::error::Result;
use crate::git;
use crate::lock::Lock;
use crate::render_plan::Rendered;
use crate::source::{self, Config, SourceSpec};
use crate::tree::{FileEntry, RelPath, Tree, TreeIds};
use crate::worktree;

/// Where the merge base came from (reported to the user).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum BaseSource {
    PristineRef,
    ReRendered,
    LockHashes,
}

/// The merge base of an upgrade.
pub(super) struct Base {
    pub source: BaseSource,
    /// Every base file's id; `None` with only the lock's hashes.
    pub ids: Option<TreeIds>,
    /// Content: all of it when re-rendered or from hashes; from the pristine
    /// ref, none until `load` reads what the upgrade needs.
    pub tree: Tree,
    /// Paths whose base content is not known.
    pub unknown: Vec<RelPath>,
    /// Why a pristine ref there was not used, for the user.
    pub note: Option<String>,
    pub pristine_commit: Option<String>,
}

impl Base {
    /// The base content of `paths` (those it has).
    pub fn load(&self, repo: &Path, paths: &[RelPath]) -> Result<Tree> {
        match (&self.pristine_commit, &self.ids) {
            (Some(_), Some(ids)) => {
                git::read_blobs(repo, paths.iter().filter_map(|p| ids.get_key_value(p)))
            }
            _ => Ok(paths
                .iter()
                .filter_map(|p| self.tree.get(p).map(|e| (p.clone(), e.clone())))
                .collect()),
        }
    }
}

/// Finds the merge base for `lock`, from the best source that proves itself.
pub(super) fn find(
    repo: &Path,
    spec: &SourceSpec,
    lock: &Lock,
    lock_label: &str,
    theirs: &Rendered,
    config: &Config,
    shared: &super::shared::Shared,
) -> Result<Base> {
    let mut note = None;
    if git::is_repository_root(repo) {
        if let Some(commit) = git::read_ref(repo, git::PRISTINE_REF)? {
            let (tree_id, ids) = git::commit_ids(repo, &commit)?;
            match &lock.golden_path.pristine_tree {
                Some(expected) if *expected == tree_id => {
                    return Ok(Base {
                        source: BaseSource::PristineRef,
                        ids: Some(ids),
                        tree: Tree::new(),
                        unknown: Vec::new(),
                        note: None,
                        pristine_commit: Some(commit),
                    });
                }
                Some(_) => {
                    note = Some(format!(
                        "{} is not the render of {} {} recorded in the lock (it was left by another version); not used",
                        git::PRISTINE_REF, lock.golden_path.name, lock.golden_path.version
                    ));
                }
                // A lock from before `pristine-tree`: the ref must match every hash.
                None => {
                    let tree = git::read_blobs(repo, ids.iter())?;
                    if matches_lock(&tree, lock) {
                        return Ok(Base {
                            source: BaseSource::PristineRef,
                            ids: Some(ids),
                            tree,
                            unknown: Vec::new(),
                            note: None,
                            pristine_commit: Some(commit),
                        });
                    }
                    note = Some(format!(
                        "{} does not match the lock's hashes (it was left by another version); not used",
                        git::PRISTINE_REF
                    ));
                }
            }
        }
    }
    let version = &lock.golden_path.version;
    let rerendered = shared
        .load(&spec.display(), version, false, || {
            source::load(spec, Some(version), config)
        })
        .and_then(|gp| {
            let key = format!("base\0{}\0{version}\0{:?}", spec.display(), lock.answers);
            shared.render(key, || {
                render_with_answers(&gp, &lock.answers, lock_label, &[]).map(std::sync::Arc::new)
            })
        });
    if let Ok(shared_render) = rerendered {
        let rendered = shared_render.0.clone();
        // Every file must be what the lock says was generated; one that is not
        // (a template since retagged, an engine that renders differently) has
        // an unknown base rather than a wrong one.
        let unknown: Vec<RelPath> = if lock.files.is_empty() {
            Vec::new()
        } else {
            rendered
                .tree
                .iter()
                .filter(|(p, e)| lock.files.get(p.as_str()) != Some(&e.hash()))
                .map(|(p, _)| p.clone())
                .collect()
        };
        let mut tree = rendered.tree;
        for p in &unknown {
            tree.insert(p.clone(), unknown_entry());
        }
        return Ok(Base {
            source: BaseSource::ReRendered,
            ids: unknown.is_empty().then(|| git::ids_of(&tree)),
            tree,
            unknown,
            note,
            pristine_commit: None,
        });
    }
    let paths: Vec<RelPath> = lock
        .files
        .keys()
        .filter_map(|p| RelPath::new(p).ok())
        .collect();
    let (tree, unknown) = from_hashes(repo, lock, &paths, &theirs.subset(&paths)?)?;
    Ok(Base {
        source: BaseSource::LockHashes,
        ids: None,
        tree,
        unknown,
        note,
        pristine_commit: None,
    })
}

/// Whether `tree` holds exactly the files the lock's hashes describe.
fn matches_lock(tree: &Tree, lock: &Lock) -> bool {
    tree.len() == lock.files.len()
        && tree
            .iter()
            .all(|(p, e)| lock.files.get(p.as_str()) == Some(&e.hash()))
}

fn unknown_entry() -> FileEntry {
    FileEntry::new(b"\0scaffold: base unknown\0".to_vec(), false)
}

/// Only hashes: a file whose current content matches its hash was never
/// touched (its base is what is there); one the template did not change has
/// the template's content as base; any other base is unknown.
fn from_hashes(
    repo: &Path,
    lock: &Lock,
    paths: &[RelPath],
    theirs: &Tree,
) -> Result<(Tree, Vec<RelPath>)> {
    let ours = worktree::read_paths(repo, paths)?;
    let mut base = Tree::new();
    let mut unknown = Vec::new();
    for path in paths.iter().cloned() {
        let hash = &lock.files[path.as_str()];
        let known = [ours.get(&path), theirs.get(&path)]
            .into_iter()
            .flatten()
            .find(|e| e.hash() == *hash)
            .cloned();
        if let Some(entry) = known {
            base.insert(path, entry);
        } else {
            base.insert(path.clone(), unknown_entry());
            unknown.push(path);
        }
    }
    Ok((base, unknown))
}
