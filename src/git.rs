//! Everything we do with git: the only module that imports `git2`.
//!
//! Local object work (reading a tag's tree, init, commit, refs) uses git2,
//! in-process and fast. Network transport (clone, fetch) runs the `git` CLI
//! on purpose: it honours the user's SSH keys, credential helpers, proxies
//! and `insteadOf` rules exactly as their own `git clone` would.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use git2::{ObjectType, Oid, Repository, Signature, TreeWalkMode, TreeWalkResult};

use crate::error::{Error, Result};
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

/// Clones `url` as a bare repository into `cache`, or fetches into it when it exists.
pub fn clone_or_fetch(url: &str, cache: &Path) -> Result<()> {
    let mut cmd = Command::new("git");
    if cache.join("HEAD").is_file() {
        cmd.arg("-C").arg(cache).args([
            "fetch",
            "--quiet",
            "--prune",
            "--force",
            "--tags",
            "origin",
            "+refs/heads/*:refs/heads/*",
        ]);
    } else {
        if let Some(parent) = cache.parent() {
            fs_err::create_dir_all(parent)?;
        }
        cmd.args(["clone", "--quiet", "--bare", "--", url])
            .arg(cache);
    }
    let output = cmd
        .env("GIT_TERMINAL_PROMPT", "0")
        .output()
        .map_err(|e| Error::Git(format!("cannot run `git`: {e}")))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(Error::Git(
            stderr
                .trim()
                .lines()
                .last()
                .unwrap_or("git failed")
                .to_string(),
        ));
    }
    Ok(())
}

/// All tags of the repository at `path`, peeled to commits.
pub fn tags(path: &Path) -> Result<Vec<Tag>> {
    let repo = Repository::open(path)?;
    let mut tags = Vec::new();
    for name in repo.tag_names(None)?.iter().flatten() {
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
    let repo = Repository::open(path)?;
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
    let mut files = BTreeMap::new();
    let mut failure = None;
    tree.walk(TreeWalkMode::PreOrder, |dir, entry| {
        if entry.kind() != Some(ObjectType::Blob) {
            return TreeWalkResult::Ok;
        }
        let name = format!("{dir}{}", entry.name().unwrap_or_default());
        let blob = match repo.find_blob(entry.id()) {
            Ok(b) => b,
            Err(e) => {
                failure = Some(e);
                return TreeWalkResult::Abort;
            }
        };
        if let Ok(rel) = RelPath::new(&name) {
            files.insert(
                rel,
                FileEntry::new(blob.content().to_vec(), entry.filemode() == 0o100755),
            );
        }
        TreeWalkResult::Ok
    })?;
    match failure {
        Some(e) => Err(e.into()),
        None => Ok(Some(files)),
    }
}

/// Who commits: `--author`, else `GIT_AUTHOR_NAME`/`EMAIL`, else the user's git
/// config, else a neutral scaffold identity.
#[derive(Debug, Clone)]
pub struct Author {
    pub name: String,
    pub email: String,
}

/// Initialises a repository at `dest` (already holding the files), commits
/// everything in one initial commit, and stores `pristine` as a commit under
/// `PRISTINE_REF` so a later upgrade has its merge base. Returns the commit id.
pub fn init_and_commit(
    dest: &Path,
    pristine: &Tree,
    message: &str,
    author: Option<&Author>,
) -> Result<String> {
    // Like `git init`: the user's init.defaultBranch, else `main`.
    let branch = git2::Config::open_default()
        .ok()
        .and_then(|c| c.get_string("init.defaultBranch").ok())
        .unwrap_or_else(|| "main".into());
    let mut init = git2::RepositoryInitOptions::new();
    init.initial_head(&branch);
    let repo = Repository::init_opts(dest, &init)?;
    let signature = match author.cloned().or_else(author_from_env) {
        Some(a) => Signature::now(&a.name, &a.email)?,
        None => repo
            .signature()
            .or_else(|_| Signature::now("scaffold", "scaffold@localhost"))?,
    };
    let mut index = repo.index()?;
    index.add_all(["*"], git2::IndexAddOption::DEFAULT, None)?;
    index.write()?;
    let tree = repo.find_tree(index.write_tree()?)?;
    let head = repo.commit(Some("HEAD"), &signature, &signature, message, &tree, &[])?;

    let pristine_tree = repo.find_tree(write_tree(&repo, pristine)?)?;
    let pristine_commit = repo.commit(
        None,
        &signature,
        &signature,
        "scaffold: pristine render",
        &pristine_tree,
        &[],
    )?;
    repo.reference(
        PRISTINE_REF,
        pristine_commit,
        true,
        "scaffold new: pristine render",
    )?;
    Ok(head.to_string())
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

/// Writes `tree` into the object database without touching the work tree.
fn write_tree(repo: &Repository, tree: &Tree) -> Result<Oid> {
    // Build nested trees bottom-up from the flat path map.
    #[derive(Default)]
    struct Dir {
        files: BTreeMap<String, (Oid, i32)>,
        dirs: BTreeMap<String, Dir>,
    }
    let mut root = Dir::default();
    for (path, entry) in tree.iter() {
        let oid = repo.blob(&entry.content)?;
        let mode = if entry.executable { 0o100755 } else { 0o100644 };
        let mut dir = &mut root;
        let parts: Vec<&str> = path.components().collect();
        for part in &parts[..parts.len() - 1] {
            dir = dir.dirs.entry((*part).to_string()).or_default();
        }
        dir.files
            .insert(parts[parts.len() - 1].to_string(), (oid, mode));
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

/// The tree stored under `PRISTINE_REF`, if the repository has one.
pub fn read_pristine(repo_path: &Path) -> Result<Option<Tree>> {
    let repo = Repository::open(repo_path)?;
    let commit = match repo.find_reference(PRISTINE_REF) {
        Ok(r) => r.peel_to_commit()?.id().to_string(),
        Err(_) => return Ok(None),
    };
    Ok(read_files(repo_path, &commit, "")?.map(|files| files.into_iter().collect()))
}
