//! Local operations on a fleet's clone of a repository, all in libgit2: it
//! runs no hooks, no fsmonitor and no filter drivers, whatever the
//! repository's files or config say.

use std::path::Path;

use git2::{build::CheckoutBuilder, BranchType, Oid, Repository, Sort};

use super::{signature, Author};
use crate::error::{Error, Result};

/// The commit `reference` (a full ref name, or a remote-tracking branch like
/// `refs/remotes/origin/main`) points at, if it exists.
pub fn resolve(repo_path: &Path, reference: &str) -> Result<Option<String>> {
    let repo = Repository::open(repo_path)?;
    let found = match repo.find_reference(reference) {
        Ok(r) => Some(r.peel_to_commit()?.id().to_string()),
        Err(_) => None,
    };
    Ok(found)
}

/// The branch `refs/remotes/origin/HEAD` points at (a clone's default branch).
pub fn default_branch(repo_path: &Path) -> Result<Option<String>> {
    let repo = Repository::open(repo_path)?;
    let target = repo
        .find_reference("refs/remotes/origin/HEAD")
        .ok()
        .and_then(|r| {
            r.symbolic_target()
                .ok()
                .flatten()
                .map(std::string::ToString::to_string)
        });
    Ok(target.and_then(|t| t.strip_prefix("refs/remotes/origin/").map(str::to_string)))
}

/// Puts the work tree and index exactly at `commit` (detached HEAD), removing
/// anything else: what a previous run left, tracked or not.
pub fn reset_to(repo_path: &Path, commit: &str) -> Result<()> {
    let repo = Repository::open(repo_path)?;
    let object = repo.find_object(Oid::from_str(commit)?, None)?;
    let mut checkout = CheckoutBuilder::new();
    checkout.force().remove_untracked(true).remove_ignored(true);
    repo.checkout_tree(&object, Some(&mut checkout))?;
    repo.set_head_detached(object.id())?;
    let mut index = repo.index()?;
    index.read_tree(&object.peel_to_tree()?)?;
    index.write()?;
    repo.cleanup_state()?;
    Ok(())
}

/// One commit of a branch: who wrote it and its message.
#[derive(Debug, Clone)]
pub struct BranchCommit {
    pub id: String,
    pub message: String,
}

/// The commits on `branch_ref` that `base` does not have, newest first.
pub fn commits_since(repo_path: &Path, branch_ref: &str, base: &str) -> Result<Vec<BranchCommit>> {
    let repo = Repository::open(repo_path)?;
    let tip = repo.find_reference(branch_ref)?.peel_to_commit()?.id();
    let mut walk = repo.revwalk()?;
    walk.set_sorting(Sort::TOPOLOGICAL)?;
    walk.push(tip)?;
    walk.hide(Oid::from_str(base)?)?;
    let mut out = Vec::new();
    for id in walk {
        let commit = repo.find_commit(id?)?;
        out.push(BranchCommit {
            id: commit.id().to_string(),
            message: commit.message().unwrap_or_default().to_string(),
        });
    }
    Ok(out)
}

/// Stages everything in the work tree (conflicted files as they are, with
/// their markers), commits it on top of HEAD and points the local branch
/// `branch` at the commit. `None` when there was nothing to commit.
pub fn commit_all_to_branch(
    repo_path: &Path,
    branch: &str,
    message: &str,
    author: Option<&Author>,
) -> Result<Option<String>> {
    let repo = Repository::open(repo_path)?;
    let mut index = repo.index()?;
    index.add_all(["*"], git2::IndexAddOption::DEFAULT, None)?;
    index.update_all(["*"], None)?;
    index.write()?;
    if index.has_conflicts() {
        return Err(Error::Git(
            "conflicts are still unmerged in the index".into(),
        ));
    }
    let tree = repo.find_tree(index.write_tree()?)?;
    let parent = repo.head()?.peel_to_commit()?;
    if parent.tree_id() == tree.id() {
        return Ok(None);
    }
    let signature = signature(&repo, author)?;
    let id = repo.commit(None, &signature, &signature, message, &tree, &[&parent])?;
    let commit = repo.find_commit(id)?;
    repo.branch(branch, &commit, true)?;
    repo.set_head_detached(id)?;
    Ok(Some(id.to_string()))
}

/// Deletes the local branch `branch` if it exists.
pub fn delete_local_branch(repo_path: &Path, branch: &str) -> Result<()> {
    let repo = Repository::open(repo_path)?;
    if let Ok(mut b) = repo.find_branch(branch, BranchType::Local) {
        b.delete()?;
    }
    Ok(())
}

/// Copies `from` to `to` (a ref of this repository) when `to` is missing.
pub fn copy_ref_if_missing(repo_path: &Path, from: &str, to: &str) -> Result<()> {
    let repo = Repository::open(repo_path)?;
    if repo.find_reference(to).is_ok() {
        return Ok(());
    }
    if let Ok(r) = repo.find_reference(from) {
        if let Some(target) = r.target() {
            repo.reference(
                to,
                target,
                false,
                "scaffold fleet: pristine from the remote",
            )?;
        }
    }
    Ok(())
}

/// Puts `paths` back as HEAD has them, in the work tree and the index
/// (resolving any conflict entries); a path HEAD does not have is removed.
pub fn restore_from_head(repo_path: &Path, paths: &[crate::tree::RelPath]) -> Result<()> {
    let repo = Repository::open(repo_path)?;
    let head = repo.head()?.peel_to_tree()?;
    let mut index = repo.index()?;
    for path in paths {
        let p = Path::new(path.as_str());
        let _ = index.conflict_remove(p);
        let _ = index.remove_path(p);
        match head.get_path(p) {
            Ok(entry) => {
                let blob = repo.find_blob(entry.id())?;
                let file = match entry.filemode() {
                    0o120000 => crate::tree::FileEntry::symlink(blob.content().to_vec()),
                    mode => crate::tree::FileEntry::new(blob.content().to_vec(), mode == 0o100755),
                };
                crate::apply::write_file_atomic(repo_path, path, &file)?;
                index.add_path(p)?;
            }
            Err(_) => crate::apply::remove_file(repo_path, path)?,
        }
    }
    index.write()?;
    Ok(())
}

/// When `path` last changed on HEAD's history (the commit time, in Unix
/// seconds), looking back at most 1,000 commits.
pub fn last_change(repo_path: &Path, path: &str) -> Result<Option<i64>> {
    let repo = Repository::open(repo_path)?;
    let Ok(head) = repo.head().and_then(|h| h.peel_to_commit()) else {
        return Ok(None);
    };
    let entry_id = |c: &git2::Commit<'_>| {
        c.tree()
            .ok()
            .and_then(|t| t.get_path(Path::new(path)).ok().map(|e| e.id()))
    };
    let mut walk = repo.revwalk()?;
    walk.push(head.id())?;
    walk.simplify_first_parent()?;
    for id in walk.take(1000) {
        let commit = repo.find_commit(id?)?;
        let here = entry_id(&commit);
        let before = commit.parent(0).ok().and_then(|p| entry_id(&p));
        if here != before {
            return Ok(Some(commit.time().seconds()));
        }
    }
    Ok(None)
}

/// A value of the repository's own config file (`.git/config` only).
pub fn config_value(repo_path: &Path, key: &str) -> Result<Option<String>> {
    let repo = Repository::open(repo_path)?;
    let config = repo.config()?.open_level(git2::ConfigLevel::Local)?;
    Ok(config.get_string(key).ok())
}

/// Whether commit `ancestor` is `descendant` or one of its ancestors.
pub fn is_ancestor(repo_path: &Path, ancestor: &str, descendant: &str) -> Result<bool> {
    let repo = Repository::open(repo_path)?;
    let (a, d) = (Oid::from_str(ancestor)?, Oid::from_str(descendant)?);
    Ok(a == d || repo.graph_descendant_of(d, a)?)
}
