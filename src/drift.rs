//! `scaffold diff`: how a generated repository has drifted from the pristine
//! render it started from. Only files the golden path generated count: new
//! files of the team's own are their code, not drift.

use std::path::Path;

use serde::Serialize;

use crate::error::Result;
use crate::git;
use crate::lock::Lock;
use crate::textdiff;
use crate::tree::{is_binary, FileEntry, RelPath, Tree};
use crate::worktree::read_file;

/// What the drift was measured against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DriftBase {
    /// The pristine render stored under `refs/scaffold/pristine`: full diffs.
    PristineRef,
    /// Only the lock's per-file hashes (no git, or the ref is gone): which files, not how.
    LockHashes,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DriftKind {
    Modified,
    Deleted,
    /// Only the exec bit changed.
    ModeChanged,
    /// A conflict of the unfinished upgrade, not resolved yet.
    Conflict,
}

#[derive(Debug, Clone, Serialize)]
pub struct FileDrift {
    pub path: String,
    pub kind: DriftKind,
    pub binary: bool,
    pub added: usize,
    pub removed: usize,
    /// The unified diff, when the base content is known and both sides are text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unified: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Drift {
    pub golden_path: String,
    /// The version measured against: during an unfinished upgrade, its target.
    pub version: String,
    pub base: DriftBase,
    /// The version an unfinished upgrade (waiting for `--continue`) moves from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pending_from: Option<String>,
    pub files: Vec<FileDrift>,
}

/// Measures the drift of the repository at `repo`. Files generated once
/// (`seed-once`) are the team's from the start, never drift. During an
/// unfinished upgrade the drift is measured against the render it moves to,
/// and its unresolved conflicts are listed as such.
pub fn drift(repo: &Path) -> Result<Drift> {
    let lock = Lock::read(repo)?;
    let mut drift = match pending_upgrade(repo, &lock)? {
        Some(pending) => pending,
        None => against_pristine(repo, &lock)?,
    };
    drift
        .files
        .retain(|f| !lock.golden_path.seed_once.contains(&f.path));
    Ok(drift)
}

/// The drift against the pending render of an upgrade waiting for `--continue`.
fn pending_upgrade(repo: &Path, lock: &Lock) -> Result<Option<Drift>> {
    if !git::is_repository_root(repo) {
        return Ok(None);
    }
    let Some(state) = crate::upgrade::pending(repo)? else {
        return Ok(None);
    };
    let Some(target) = git::read_render_ref(repo, git::PENDING_REF)? else {
        return Ok(None);
    };
    let mut files = against_tree(repo, &target)?;
    for f in &mut files {
        if state.conflicts.contains(&f.path) && still_conflicted(repo, &f.path, state.rej)? {
            *f = FileDrift {
                path: f.path.clone(),
                kind: DriftKind::Conflict,
                binary: f.binary,
                added: 0,
                removed: 0,
                unified: None,
            };
        }
    }
    Ok(Some(Drift {
        golden_path: lock.golden_path.name.clone(),
        version: state.to,
        base: DriftBase::PristineRef,
        pending_from: Some(state.from),
        files,
    }))
}

/// Whether a conflicted file still holds git's markers (or its `.rej` is still there).
fn still_conflicted(repo: &Path, path: &str, rej: bool) -> Result<bool> {
    if rej {
        return Ok(repo.join(format!("{path}.rej")).exists());
    }
    let Ok(rel) = RelPath::new(path) else {
        return Ok(false);
    };
    Ok(read_file(repo, &rel)?.is_some_and(|f| {
        f.content
            .split(|b| *b == b'\n')
            .any(|line| line.starts_with(b"<<<<<<< ") || line == b"=======")
    }))
}

fn against_pristine(repo: &Path, lock: &Lock) -> Result<Drift> {
    // Only the render the lock records: a ref left by another version
    // (a clone that pulled an upgrade) would show the wrong drift.
    let pristine = if git::is_repository_root(repo) {
        match git::read_ref(repo, git::PRISTINE_REF)? {
            Some(commit) => {
                let (tree_id, _) = git::commit_ids(repo, &commit)?;
                let matches = lock
                    .golden_path
                    .pristine_tree
                    .as_deref()
                    .is_none_or(|t| t == tree_id);
                if matches {
                    git::read_pristine(repo)?
                } else {
                    None
                }
            }
            None => None,
        }
    } else {
        None
    };
    let (base, files) = match pristine {
        Some(tree) => (DriftBase::PristineRef, against_tree(repo, &tree)?),
        None => (DriftBase::LockHashes, against_hashes(repo, lock)?),
    };
    Ok(Drift {
        golden_path: lock.golden_path.name.clone(),
        version: lock.golden_path.version.clone(),
        base,
        pending_from: None,
        files,
    })
}

fn against_tree(repo: &Path, pristine: &Tree) -> Result<Vec<FileDrift>> {
    let mut out = Vec::new();
    for (path, base) in pristine.iter() {
        let Some(current) = read_file(repo, path)? else {
            out.push(diff(path, base, None));
            continue;
        };
        if current.content != base.content || current.symlink != base.symlink {
            out.push(diff(path, base, Some(&current)));
        } else if current.executable != base.executable {
            out.push(FileDrift {
                path: path.to_string(),
                kind: DriftKind::ModeChanged,
                binary: base.is_binary(),
                added: 0,
                removed: 0,
                unified: None,
            });
        }
    }
    Ok(out)
}

fn against_hashes(repo: &Path, lock: &Lock) -> Result<Vec<FileDrift>> {
    let mut out = Vec::new();
    for (path, hash) in &lock.files {
        let Ok(rel) = RelPath::new(path) else {
            continue;
        };
        let kind = match read_file(repo, &rel)? {
            None => DriftKind::Deleted,
            Some(current) if current.hash() != *hash => DriftKind::Modified,
            Some(_) => continue,
        };
        out.push(FileDrift {
            path: path.clone(),
            kind,
            binary: false,
            added: 0,
            removed: 0,
            unified: None,
        });
    }
    Ok(out)
}

/// The drift of one file from its `base`; `current` is `None` when the file was deleted.
fn diff(path: &RelPath, base: &FileEntry, current: Option<&FileEntry>) -> FileDrift {
    let kind = if current.is_some() {
        DriftKind::Modified
    } else {
        DriftKind::Deleted
    };
    let new = current.map_or(&[][..], |c| &c.content[..]);
    let binary = base.is_binary() || current.is_some_and(FileEntry::is_binary) || is_binary(new);
    let mut drift = FileDrift {
        path: path.to_string(),
        kind,
        binary,
        added: 0,
        removed: 0,
        unified: None,
    };
    if !binary {
        let new_label = if current.is_some() {
            format!("b/{path}")
        } else {
            "/dev/null".to_string()
        };
        let old_text = std::str::from_utf8(&base.content).unwrap_or_default();
        let new_text = std::str::from_utf8(new).unwrap_or_default();
        let d = textdiff::unified(old_text, new_text, &format!("a/{path}"), &new_label);
        (drift.added, drift.removed, drift.unified) = (d.added, d.removed, Some(d.unified));
    }
    drift
}
