//! What an upgrade is about to touch, saved before it writes anything, so
//! `--abort` can put the repository back exactly as it was: the files (or
//! their absence), the git index, the lock and the pristine ref. Kept under
//! `.git/scaffold/upgrade/`, where no commit picks it up.

// Owns scaffold's own upgrade state under `.git/scaffold/upgrade/`.
#![allow(clippy::disallowed_methods)]

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::apply;
use crate::error::{Error, Location, Problem, Result};
use crate::git::{self, PENDING_REF, PRISTINE_REF};
use crate::tree::RelPath;
use crate::worktree;

/// The saved state of the last upgrade.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct UpgradeState {
    pub from: String,
    pub to: String,
    /// HEAD when the upgrade ran; `--abort` refuses once it has moved.
    pub head: String,
    /// The pristine ref before the upgrade.
    #[serde(default)]
    pub pristine: Option<String>,
    /// Waiting for the user to resolve conflicts and `--continue`.
    pub pending: bool,
    /// `.rej` files were written instead of inline conflicts.
    #[serde(default)]
    pub rej: bool,
    /// Every path the upgrade writes or deletes, and whether it existed before.
    pub touched: Vec<Touched>,
    /// Conflicted paths (for `--continue` to check).
    #[serde(default)]
    pub conflicts: Vec<String>,
    /// Every file that existed was copied aside: `--abort` can put all back.
    /// A state without it (a run killed while saving) is never restored from.
    #[serde(default)]
    pub complete: bool,
    /// Every file was written. A complete state that is not done is the
    /// trace of a run that was killed mid-way: only `--abort` may follow.
    #[serde(default = "done_by_default")]
    pub done: bool,
}

/// States saved before this field existed were always done.
fn done_by_default() -> bool {
    true
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Touched {
    pub path: String,
    pub existed: bool,
    /// The hash of what the upgrade writes there (`None`: it deletes it).
    /// `--abort` deletes a file that did not exist before only when it
    /// still holds exactly this: never a file scaffold did not write.
    #[serde(default)]
    pub written: Option<String>,
}

fn dir(repo: &Path) -> Result<PathBuf> {
    Ok(git::git_dir(repo)?.join("scaffold/upgrade"))
}

/// Saves `state` and a copy of every touched file and of the index; the
/// state file, marked complete, is written last.
pub fn save(repo: &Path, state: &mut UpgradeState) -> Result<()> {
    let dir = dir(repo)?;
    if dir.exists() {
        fs_err::remove_dir_all(&dir)?;
    }
    state.complete = false;
    state.done = false;
    fs_err::create_dir_all(dir.join("files"))?;
    let index = git::git_dir(repo)?.join("index");
    if index.is_file() {
        fs_err::copy(&index, dir.join("index"))?;
    }
    for t in state.touched.iter().filter(|t| t.existed) {
        let path =
            RelPath::new(&t.path).map_err(|why| Error::Git(format!("saving {}: {why}", t.path)))?;
        match worktree::read_file(repo, &path)? {
            Some(entry) => apply::write_file_atomic(&dir.join("files"), &path, &entry)?,
            None => {
                return Err(Error::destination(
                    repo.join(&t.path),
                    "vanished while the upgrade was saving it; nothing was changed",
                ))
            }
        }
    }
    state.complete = true;
    write_state(repo, state)
}

/// Rewrites the state file alone (after the upgrade finished or went
/// pending), atomically: a reader sees the old state or the new, never half.
pub fn write_state(repo: &Path, state: &UpgradeState) -> Result<()> {
    let text = toml::to_string(state).map_err(|e| {
        Error::destination(
            dir(repo).unwrap_or_default().join("state.toml"),
            format!("cannot save the upgrade state: {e}"),
        )
    })?;
    let dir = dir(repo)?;
    let file = crate::tree::FileEntry::new(text.into_bytes(), false);
    apply::write_file_atomic(
        &dir,
        &RelPath::new("state.toml").expect("static path"),
        &file,
    )
}

/// The last upgrade's state, if one was saved.
pub fn load(repo: &Path) -> Result<Option<UpgradeState>> {
    let path = dir(repo)?.join("state.toml");
    if !path.is_file() {
        return Ok(None);
    }
    let text = fs_err::read_to_string(&path)?;
    toml::from_str(&text).map(Some).map_err(|e| {
        Error::invalid(
            Problem::from_toml(&e, &text, path.display().to_string())
                .hint("the saved upgrade state is corrupt; restore files with git (`git checkout -- .`) and delete the folder"),
        )
    })
}

/// Puts every touched file, the index and the refs back, then forgets the
/// state. Refuses, changing nothing, when the saved copies are incomplete.
/// A file the upgrade created is deleted only if it still holds what the
/// upgrade wrote; any other is left alone and returned.
pub fn restore(repo: &Path, state: &UpgradeState) -> Result<Vec<String>> {
    let dir = dir(repo)?;
    let mut paths = Vec::with_capacity(state.touched.len());
    for t in &state.touched {
        let path = RelPath::new(&t.path).map_err(|why| {
            Error::invalid(Problem::new(
                Location::file(dir.join("state.toml").display().to_string()),
                format!("names the path `{}`, which {why}", t.path),
            ))
        })?;
        let saved = worktree::read_file(&dir.join("files"), &path)?;
        if t.existed && saved.is_none() {
            return Err(incomplete(
                &dir,
                &format!("the saved copy of `{}` is missing", t.path),
            ));
        }
        paths.push((path, saved));
    }
    if !state.complete {
        return Err(incomplete(
            &dir,
            "it was never finished (the run was interrupted while saving)",
        ));
    }
    let mut left_alone = Vec::new();
    for (t, (path, saved)) in state.touched.iter().zip(&paths) {
        match saved {
            Some(entry) if t.existed => apply::write_file_atomic(repo, path, entry)?,
            _ => match worktree::read_file(repo, path)? {
                None => {}
                Some(current) if Some(current.hash()) == t.written => {
                    apply::remove_file(repo, path)?;
                }
                Some(_) => left_alone.push(t.path.clone()),
            },
        }
    }
    apply::clean_temporaries(repo, paths.iter().map(|(p, _)| p));
    if dir.join("index").is_file() {
        fs_err::copy(dir.join("index"), git::git_dir(repo)?.join("index"))?;
    }
    git::set_ref(repo, PRISTINE_REF, state.pristine.as_deref())?;
    git::set_ref(repo, PENDING_REF, None)?;
    clear(repo)?;
    Ok(left_alone)
}

fn incomplete(dir: &Path, why: &str) -> Error {
    Error::invalid(
        Problem::new(
            Location::file(dir.display().to_string()),
            format!("the saved upgrade state cannot be restored: {why}; nothing was changed"),
        )
        .hint("put files back with git (`git status`, `git checkout -- FILE`), then delete that folder"),
    )
}

/// Removes temporary files a killed run may have left beside the files it touched.
pub fn clean_leftovers(repo: &Path, state: &UpgradeState) {
    let paths: Vec<RelPath> = state
        .touched
        .iter()
        .filter_map(|t| RelPath::new(&t.path).ok())
        .collect();
    apply::clean_temporaries(repo, paths.iter());
}

pub fn clear(repo: &Path) -> Result<()> {
    let dir = dir(repo)?;
    if dir.exists() {
        fs_err::remove_dir_all(&dir)?;
    }
    Ok(())
}

/// The new lock an upgrade waiting for `--continue` will write.
pub fn pending_lock_path(repo: &Path) -> Result<PathBuf> {
    Ok(dir(repo)?.join("lock.toml"))
}

/// Parks the lock an upgrade with conflicts moves to, for `--continue`.
pub fn write_pending_lock(repo: &Path, text: &str) -> Result<()> {
    fs_err::write(pending_lock_path(repo)?, text)?;
    Ok(())
}
