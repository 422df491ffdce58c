//! What an upgrade is about to touch, saved before it writes anything, so
//! `--abort` can put the repository back exactly as it was: the files (or
//! their absence), the git index, the lock and the pristine ref. Kept under
//! `.git/scaffold/upgrade/`, where no commit picks it up.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::apply;
use crate::error::{Error, Result};
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
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Touched {
    pub path: String,
    pub existed: bool,
}

fn dir(repo: &Path) -> Result<PathBuf> {
    Ok(git::git_dir(repo)?.join("scaffold/upgrade"))
}

/// Saves `state` and a copy of every touched file and of the index.
pub fn save(repo: &Path, state: &UpgradeState) -> Result<()> {
    let dir = dir(repo)?;
    if dir.exists() {
        fs_err::remove_dir_all(&dir)?;
    }
    fs_err::create_dir_all(dir.join("files"))?;
    let index = git::git_dir(repo)?.join("index");
    if index.is_file() {
        fs_err::copy(&index, dir.join("index"))?;
    }
    for t in state.touched.iter().filter(|t| t.existed) {
        let path =
            RelPath::new(&t.path).map_err(|why| Error::Git(format!("saving {}: {why}", t.path)))?;
        if let Some(entry) = worktree::read_file(repo, &path)? {
            apply::write_file_atomic(&dir.join("files"), &path, &entry)?;
        }
    }
    write_state(repo, state)
}

/// Rewrites the state file alone (after the upgrade finished or went pending).
pub fn write_state(repo: &Path, state: &UpgradeState) -> Result<()> {
    let text =
        toml::to_string(state).map_err(|e| Error::Git(format!("saving upgrade state: {e}")))?;
    fs_err::write(dir(repo)?.join("state.toml"), text)?;
    Ok(())
}

/// The last upgrade's state, if one was saved.
pub fn load(repo: &Path) -> Result<Option<UpgradeState>> {
    let path = dir(repo)?.join("state.toml");
    if !path.is_file() {
        return Ok(None);
    }
    let text = fs_err::read_to_string(&path)?;
    toml::from_str(&text)
        .map(Some)
        .map_err(|e| Error::Git(format!("{}: {}", path.display(), e.message())))
}

/// Puts every touched file, the index and the refs back, then forgets the state.
pub fn restore(repo: &Path, state: &UpgradeState) -> Result<()> {
    let dir = dir(repo)?;
    for t in &state.touched {
        let path = RelPath::new(&t.path)
            .map_err(|why| Error::Git(format!("restoring {}: {why}", t.path)))?;
        match t
            .existed
            .then(|| worktree::read_file(&dir.join("files"), &path))
            .transpose()?
            .flatten()
        {
            Some(entry) => apply::write_file_atomic(repo, &path, &entry)?,
            None => apply::remove_file(repo, &path)?,
        }
    }
    if dir.join("index").is_file() {
        fs_err::copy(dir.join("index"), git::git_dir(repo)?.join("index"))?;
    }
    git::set_ref(repo, PRISTINE_REF, state.pristine.as_deref())?;
    git::set_ref(repo, PENDING_REF, None)?;
    clear(repo)
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
