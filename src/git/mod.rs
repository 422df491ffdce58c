//! Everything we do with git: the only module that imports `git2`.
//!
//! Local object work (reading a tag's tree, init, commit, refs) uses git2,
//! in-process and fast. Network transport (clone, fetch) runs the `git` CLI
//! on purpose: it honours the user's SSH keys, credential helpers, proxies
//! and `insteadOf` rules exactly as their own `git clone` would.
//! `transport` runs that CLI; `attributes` reads `.gitattributes` as git
//! does; `text_merge` is git's own 3-way file merge, in memory.

mod attributes;
mod eol;
mod error;
mod ids;
mod index;
mod text_merge;
mod transport;
mod worktree_ops;

pub use ids::{
    blob_ref_of, commit_ids, ids_of, missing_blobs, read_blobs, store_ids_ref, tree_id,
    work_tree_status, Baseline, WorkTreeStatus,
};

pub use attributes::Attributes;
use index::bare_index_entry;
pub use index::{
    register_conflicts, stage_paths, tracked_paths, unmerged_paths, update_index, ConflictStages,
};
pub use text_merge::{merge_text, MergeLabels, TextMerge};
pub use transport::{
    clone_or_fetch, hand_over_credentials, run_cli, transport_command, Credentials,
};
pub use worktree_ops::{
    commit_all_to_branch, commits_since, config_value, copy_ref_if_missing, default_branch,
    delete_local_branch, is_ancestor, last_change, reset_to, resolve, restore_from_head,
    BranchCommit,
};

use std::collections::BTreeMap;
use std::path::Path;

use git2::{ObjectType, Oid, Repository, Signature, TreeWalkMode, TreeWalkResult};

use crate::error::{Error, Location, Problem, Result};
use crate::tree::{FileEntry, RelPath, Tree};

/// The ref holding the pristine render that the repository's files started from.
pub const PRISTINE_REF: &str = "refs/scaffold/pristine";

/// A tag name and the commit it points at.
#[derive(Debug, Clone)]
pub struct Tag {
    pub name: String,
    pub commit: String,
}

/// Whether `path` is the top of a git repository (work tree or bare).
pub fn is_repository_root(path: &Path) -> bool {
    path.join(".git").exists() || (path.join("HEAD").is_file() && path.join("objects").is_dir())
}

/// The root of the git work tree holding `dir` (canonical), if any.
pub fn work_tree_root(dir: &Path) -> Option<std::path::PathBuf> {
    let dir = dir.canonicalize().ok()?;
    dir.ancestors()
        .find(|a| a.join(".git").exists())
        .map(Path::to_path_buf)
}

/// All tags of the repository at `path`, peeled to commits.
pub fn tags(path: &Path) -> Result<Vec<Tag>> {
    let repo = Repository::open(path)?;
    let mut tags = Vec::new();
    // Tag names that are not UTF-8 are skipped: they cannot be version tags.
    for name in repo.tag_names(None)?.iter().flatten().flatten() {
        let object = repo.revparse_single(&format!("refs/tags/{name}"))?;
        let commit = object.peel_to_commit()?;
        tags.push(Tag {
            name: name.to_string(),
            commit: commit.id().to_string(),
        });
    }
    Ok(tags)
}

/// The commit HEAD points at.
pub fn head_commit(path: &Path) -> Result<String> {
    let repo = Repository::open(path)?;
    let id = repo.head()?.peel_to_commit()?.id();
    Ok(id.to_string())
}

/// The files under `subdir` (empty for the root) of `commit`, read from the object database.
pub fn read_files(
    path: &Path,
    commit: &str,
    subdir: &str,
) -> Result<Option<BTreeMap<RelPath, FileEntry>>> {
    Ok(read_files_deferring(path, commit, subdir, &|_| false)?.map(|(files, _)| files))
}

/// Like `read_files`, but the regular files `defer` picks are not read:
/// they come back as ids, to be read later only if needed.
pub fn read_files_deferring(
    path: &Path,
    commit: &str,
    subdir: &str,
    defer: &dyn Fn(&RelPath) -> bool,
) -> Result<Option<(BTreeMap<RelPath, FileEntry>, crate::tree::TreeIds)>> {
    let repo = Repository::open(path)?;
    let commit_id = commit;
    let commit = repo.find_commit(Oid::from_str(commit)?)?;
    let root = commit.tree()?;
    let tree = if subdir.is_empty() {
        root
    } else {
        match root.get_path(Path::new(subdir)) {
            Ok(entry) if entry.kind() == Some(ObjectType::Tree) => repo.find_tree(entry.id())?,
            _ => return Ok(None),
        }
    };
    // First the names and ids (no content), then the blobs, in parallel.
    let mut listed: Vec<(RelPath, Oid, i32)> = Vec::new();
    let mut failure: Option<Error> = None;
    let walked = tree.walk(TreeWalkMode::PreOrder, |dir, entry| {
        if entry.kind() != Some(ObjectType::Blob) {
            return TreeWalkResult::Ok;
        }
        let name = format!("{dir}{}", String::from_utf8_lossy(entry.name_bytes()));
        match RelPath::new(&name) {
            Ok(rel) => {
                listed.push((rel, entry.id(), entry.filemode()));
                TreeWalkResult::Ok
            }
            Err(why) => {
                failure = Some(Error::invalid(Problem::new(
                    Location::file(format!(
                        "{name} (at {})",
                        &commit_id[..commit_id.len().min(10)]
                    )),
                    format!("cannot be part of a golden path: its path {why}"),
                )));
                TreeWalkResult::Abort
            }
        }
    });
    if let Some(e) = failure {
        return Err(e);
    }
    walked?;
    use rayon::prelude::*;
    let (deferred, listed): (Vec<_>, Vec<_>) = listed
        .into_iter()
        .partition(|(rel, _, mode)| *mode != 0o120000 && defer(rel));
    let deferred = deferred
        .into_iter()
        .map(|(rel, id, mode)| {
            let mut bytes = [0u8; 20];
            bytes.copy_from_slice(id.as_bytes());
            (
                rel,
                crate::tree::BlobRef {
                    id: bytes,
                    mode: mode as u32,
                },
            )
        })
        .collect();
    let files = listed
        .into_par_iter()
        .map_init(
            || Repository::open(path),
            |repo, (rel, id, mode)| {
                let repo = repo
                    .as_ref()
                    .map_err(|e| Error::Git(e.message().to_string()))?;
                let content = repo.find_blob(id)?.content().to_vec();
                let file = match mode {
                    0o120000 => FileEntry::symlink(content),
                    mode => FileEntry::new(content, mode == 0o100755),
                };
                Ok((rel, file))
            },
        )
        .collect::<Result<BTreeMap<_, _>>>()?;
    Ok(Some((files, deferred)))
}

/// The content of `subdir/file` at `commit`, if it is there.
pub fn read_file_at(
    path: &Path,
    commit: &str,
    subdir: &str,
    file: &str,
) -> Result<Option<Vec<u8>>> {
    let repo = Repository::open(path)?;
    let tree = repo.find_commit(Oid::from_str(commit)?)?.tree()?;
    let wanted = if subdir.is_empty() {
        file.to_string()
    } else {
        format!("{subdir}/{file}")
    };
    match tree.get_path(Path::new(&wanted)) {
        Ok(e) if e.kind() == Some(ObjectType::Blob) => {
            Ok(Some(repo.find_blob(e.id())?.content().to_vec()))
        }
        _ => Ok(None),
    }
}

/// Whether `commit` has a folder `subdir` holding a file `file` (no blob is read).
pub fn has_file(path: &Path, commit: &str, subdir: &str, file: &str) -> Result<bool> {
    let repo = Repository::open(path)?;
    let tree = repo.find_commit(Oid::from_str(commit)?)?.tree()?;
    let wanted = if subdir.is_empty() {
        file.to_string()
    } else {
        format!("{subdir}/{file}")
    };
    Ok(tree
        .get_path(Path::new(&wanted))
        .is_ok_and(|e| e.kind() == Some(ObjectType::Blob)))
}

/// Who commits: `--author`, else `GIT_AUTHOR_NAME`/`EMAIL`, else the user's git
/// config, else a neutral scaffold identity.
#[derive(Debug, Clone)]
pub struct Author {
    pub name: String,
    pub email: String,
}

/// What the initial commit of a new repository holds.
pub struct InitialCommit<'a> {
    /// The render: committed, and stored alone under `PRISTINE_REF`.
    pub pristine: &'a Tree,
    /// scaffold's own files (the lock): committed, not part of the pristine render.
    pub extra: &'a Tree,
    pub message: &'a str,
    pub author: Option<&'a Author>,
}

/// Initialises a repository at `dest` (already holding the files), commits
/// everything in one initial commit, and stores the pristine render as a
/// commit under `PRISTINE_REF` so a later upgrade has its merge base.
///
/// The blobs are written once, from memory, in parallel, and the index is
/// filled from them plus a `stat` of each file, so nothing is read back or
/// hashed twice.
pub fn init_and_commit(dest: &Path, c: &InitialCommit<'_>) -> Result<String> {
    // Like `git init`: the user's init.defaultBranch, else `main`.
    let branch = git2::Config::open_default()
        .ok()
        .and_then(|c| c.get_string("init.defaultBranch").ok())
        .unwrap_or_else(|| "main".into());
    let mut init = git2::RepositoryInitOptions::new();
    init.initial_head(&branch);
    let repo = Repository::init_opts(dest, &init)?;
    let signature = signature(&repo, c.author)?;
    let pristine = write_blobs(dest, c.pristine)?;
    let extra = write_blobs(dest, c.extra)?;
    let pristine_tree = repo.find_tree(build_tree(&repo, pristine.iter())?)?;
    let committed = eol::as_git_adds(&repo, dest, c.pristine, &pristine)?;

    let mut index = repo.index()?;
    for (path, blob) in committed.iter().chain(extra.iter()) {
        index.add(&index_entry(dest, path, blob)?)?;
    }
    let head_tree = repo.find_tree(build_tree(&repo, committed.iter().chain(extra.iter()))?)?;
    index.write()?;
    let head = repo.commit(
        Some("HEAD"),
        &signature,
        &signature,
        c.message,
        &head_tree,
        &[],
    )?;
    commit_to_ref(
        &repo,
        &signature,
        &pristine_tree,
        PRISTINE_REF,
        "scaffold: pristine render",
    )?;
    Ok(head.to_string())
}

/// Commits every change in the work tree on top of HEAD, as `git add -A &&
/// git commit` would; `None` when nothing changed.
pub fn commit_work_tree(
    repo_path: &Path,
    message: &str,
    author: Option<&Author>,
) -> Result<Option<String>> {
    let repo = Repository::open(repo_path)?;
    let mut index = repo.index()?;
    index.add_all(["*"], git2::IndexAddOption::DEFAULT, None)?;
    index.update_all(["*"], None)?;
    index.write()?;
    let tree = repo.find_tree(index.write_tree()?)?;
    let parent = repo.head()?.peel_to_commit()?;
    if parent.tree_id() == tree.id() {
        return Ok(None);
    }
    let signature = signature(&repo, author)?;
    let id = repo.commit(
        Some("HEAD"),
        &signature,
        &signature,
        message,
        &tree,
        &[&parent],
    )?;
    Ok(Some(id.to_string()))
}

/// Who commits: `author`, else `GIT_AUTHOR_NAME`/`EMAIL`, else the git
/// config, else scaffold's own identity.
fn signature(repo: &Repository, author: Option<&Author>) -> Result<Signature<'static>> {
    Ok(match author.cloned().or_else(author_from_env) {
        Some(a) => Signature::now(&a.name, &a.email)?,
        None => repo
            .signature()
            .or_else(|_| Signature::now("scaffold", "scaffold@localhost"))?,
    })
}

/// Commits `tree` without a parent (never on a branch) and points `reference` at it.
fn commit_to_ref(
    repo: &Repository,
    signature: &Signature<'_>,
    tree: &git2::Tree<'_>,
    reference: &str,
    message: &str,
) -> Result<Oid> {
    let commit = repo.commit(None, signature, signature, message, tree, &[])?;
    repo.reference(reference, commit, true, message)?;
    Ok(commit)
}

/// A blob id and its git file mode.
type Blob = (Oid, i32);

/// Writes every file of `tree` as a blob, in parallel (one repository handle per thread).
fn write_blobs<'t>(repo_path: &Path, tree: &'t Tree) -> Result<Vec<(&'t RelPath, Blob)>> {
    use rayon::prelude::*;
    let entries: Vec<_> = tree.iter().collect();
    entries
        .par_iter()
        .map_init(
            || Repository::open(repo_path),
            |repo, (path, entry)| {
                let repo = repo
                    .as_ref()
                    .map_err(|e| Error::Git(e.message().to_string()))?;
                Ok((*path, (repo.blob(&entry.content)?, entry.git_mode())))
            },
        )
        .collect()
}

/// An index entry for a file just written, with its stat data so that
/// `git status` does not need to re-hash it.
fn index_entry(dest: &Path, path: &RelPath, (id, mode): &Blob) -> Result<git2::IndexEntry> {
    let meta = fs_err::symlink_metadata(dest.join(path.as_str()))?;
    let mut entry = bare_index_entry(path, *id, *mode as u32, meta.len() as u32, 0);
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        entry.ctime = git2::IndexTime::new(meta.ctime() as i32, meta.ctime_nsec() as u32);
        entry.mtime = git2::IndexTime::new(meta.mtime() as i32, meta.mtime_nsec() as u32);
        entry.dev = meta.dev() as u32;
        entry.ino = meta.ino() as u32;
        entry.uid = meta.uid();
        entry.gid = meta.gid();
    }
    Ok(entry)
}

/// `GIT_AUTHOR_NAME` / `GIT_AUTHOR_EMAIL`, which the git CLI honours and libgit2 does not.
fn author_from_env() -> Option<Author> {
    let name = std::env::var("GIT_AUTHOR_NAME")
        .ok()
        .filter(|n| !n.is_empty())?;
    let email = std::env::var("GIT_AUTHOR_EMAIL")
        .ok()
        .filter(|e| !e.is_empty())?;
    Some(Author { name, email })
}

/// Builds nested tree objects bottom-up from (path, blob) pairs.
fn build_tree<'a>(
    repo: &Repository,
    blobs: impl Iterator<Item = &'a (&'a RelPath, Blob)>,
) -> Result<Oid> {
    #[derive(Default)]
    struct Dir {
        files: BTreeMap<String, Blob>,
        dirs: BTreeMap<String, Dir>,
    }
    let mut root = Dir::default();
    for (path, blob) in blobs {
        let mut dir = &mut root;
        let parts: Vec<&str> = path.components().collect();
        for part in &parts[..parts.len() - 1] {
            dir = dir.dirs.entry((*part).to_string()).or_default();
        }
        dir.files.insert(parts[parts.len() - 1].to_string(), *blob);
    }
    fn build(repo: &Repository, dir: &Dir) -> Result<Oid> {
        let mut builder = repo.treebuilder(None)?;
        for (name, sub) in &dir.dirs {
            builder.insert(name, build(repo, sub)?, 0o040000)?;
        }
        for (name, (oid, mode)) in &dir.files {
            builder.insert(name, *oid, *mode)?;
        }
        Ok(builder.write()?)
    }
    build(repo, &root)
}

/// Where an upgrade waiting for `--continue` keeps the new pristine render.
pub const PENDING_REF: &str = "refs/scaffold/pending";

/// The repository's git directory (`.git`).
pub fn git_dir(repo_path: &Path) -> Result<std::path::PathBuf> {
    Ok(Repository::open(repo_path)?.path().to_path_buf())
}

/// Tracked files with uncommitted changes (staged or not), for the dirty-tree check.
pub fn dirty_paths(repo_path: &Path) -> Result<Vec<String>> {
    let repo = Repository::open(repo_path)?;
    let mut options = git2::StatusOptions::new();
    options.include_untracked(false).include_ignored(false);
    let statuses = repo.statuses(Some(&mut options))?;
    Ok(statuses
        .iter()
        .filter(|s| s.status() != git2::Status::CURRENT)
        .filter_map(|s| s.path().ok().map(str::to_string))
        .collect())
}

/// Whether a merge, rebase, cherry-pick or revert is in progress, or the index has conflicts.
pub fn merge_in_progress(repo_path: &Path) -> Result<bool> {
    let repo = Repository::open(repo_path)?;
    Ok(repo.state() != git2::RepositoryState::Clean || repo.index()?.has_conflicts())
}

/// Stores `tree` as a parentless commit and points `reference` at it.
pub fn store_tree_ref(
    repo_path: &Path,
    tree: &Tree,
    reference: &str,
    message: &str,
) -> Result<String> {
    let repo = Repository::open(repo_path)?;
    let signature = signature(&repo, None)?;
    let blobs = write_blobs(repo_path, tree)?;
    let tree = repo.find_tree(build_tree(&repo, blobs.iter())?)?;
    Ok(commit_to_ref(&repo, &signature, &tree, reference, message)?.to_string())
}

/// The commit `reference` points at, if it exists.
pub fn read_ref(repo_path: &Path, reference: &str) -> Result<Option<String>> {
    let repo = Repository::open(repo_path)?;
    let found = match repo.find_reference(reference) {
        Ok(r) => Some(r.peel_to_commit()?.id().to_string()),
        Err(_) => None,
    };
    Ok(found)
}

/// Points `reference` at `commit`, or deletes it when `commit` is `None`.
pub fn set_ref(repo_path: &Path, reference: &str, commit: Option<&str>) -> Result<()> {
    let repo = Repository::open(repo_path)?;
    match commit {
        Some(c) => {
            repo.reference(reference, Oid::from_str(c)?, true, "scaffold")?;
        }
        None => {
            if let Ok(mut r) = repo.find_reference(reference) {
                r.delete()?;
            }
        }
    }
    Ok(())
}

/// The tree stored under `PRISTINE_REF`, if the repository has one.
pub fn read_pristine(repo_path: &Path) -> Result<Option<Tree>> {
    read_render_ref(repo_path, PRISTINE_REF)
}

/// The render stored under `reference` (the pristine or the pending one).
pub fn read_render_ref(repo_path: &Path, reference: &str) -> Result<Option<Tree>> {
    let repo = Repository::open(repo_path)?;
    let commit = match repo.find_reference(reference) {
        Ok(r) => r.peel_to_commit()?.id().to_string(),
        Err(_) => return Ok(None),
    };
    Ok(read_files(repo_path, &commit, "")?.map(|files| files.into_iter().collect()))
}
