//! The git index as `git add` and `git merge` leave it: staged work-tree
//! state, conflicts as unmerged entries (stages 1 to 3), and what it tracks.

use std::path::Path;

use git2::{Oid, Repository};

use crate::error::Result;
use crate::tree::{FileEntry, RelPath};

/// An index entry without stat data, at merge `stage` (0 when not conflicted).
pub(super) fn bare_index_entry(
    path: &RelPath,
    id: Oid,
    mode: u32,
    size: u32,
    stage: u16,
) -> git2::IndexEntry {
    let bytes = path.as_str().as_bytes().to_vec();
    git2::IndexEntry {
        ctime: git2::IndexTime::new(0, 0),
        mtime: git2::IndexTime::new(0, 0),
        dev: 0,
        ino: 0,
        mode,
        uid: 0,
        gid: 0,
        file_size: size,
        id,
        // The low 12 bits hold the path length, the next two the stage.
        flags: (bytes.len().min(0xfff) as u16) | (stage << 12),
        flags_extended: 0,
        path: bytes,
    }
}

/// The three versions of a conflicted file: base, ours, theirs (absent = deleted on that side).
pub struct ConflictStages<'a> {
    pub path: &'a RelPath,
    pub base: Option<&'a FileEntry>,
    pub ours: Option<&'a FileEntry>,
    pub theirs: Option<&'a FileEntry>,
}

/// Records conflicts as unmerged index entries (stages 1, 2 and 3), as
/// `git merge` does, so `git status`, `git mergetool` and IDEs see them.
/// The work-tree files (with markers) are the caller's to write.
pub fn register_conflicts(repo_path: &Path, conflicts: &[ConflictStages<'_>]) -> Result<()> {
    update_index(repo_path, &[], conflicts)
}

/// One pass over the index: stages the work-tree state of `stage` (like
/// `git add -A -- paths`) and records `conflicts` as unmerged entries.
pub fn update_index(
    repo_path: &Path,
    stage: &[&RelPath],
    conflicts: &[ConflictStages<'_>],
) -> Result<()> {
    let repo = Repository::open(repo_path)?;
    let mut index = repo.index()?;
    for path in stage {
        let p = Path::new(path.as_str());
        let on_disk = fs_err::symlink_metadata(repo_path.join(p))
            .is_ok_and(|m| m.is_file() || m.file_type().is_symlink());
        if on_disk {
            index.add_path(p)?;
        } else if index.get_path(p, 0).is_some() {
            index.remove_path(p)?;
        }
    }
    for c in conflicts {
        let path = Path::new(c.path.as_str());
        if index.get_path(path, 0).is_some() {
            index.remove_path(path)?;
        }
        for (stage, entry) in [(1u16, c.base), (2, c.ours), (3, c.theirs)] {
            let Some(entry) = entry else { continue };
            let id = repo.blob(&entry.content)?;
            index.add(&bare_index_entry(
                c.path,
                id,
                entry.git_mode() as u32,
                entry.content.len() as u32,
                stage,
            ))?;
        }
    }
    index.write()?;
    Ok(())
}

/// Every path tracked in the index (merged entries only).
pub fn tracked_paths(repo_path: &Path) -> Result<Vec<RelPath>> {
    let repo = Repository::open(repo_path)?;
    let index = repo.index()?;
    Ok(index
        .iter()
        // Stage 0 (bits 12-13 of the flags): merged, not a conflict side.
        .filter(|e| e.flags & 0x3000 == 0)
        .filter_map(|e| RelPath::new(&String::from_utf8_lossy(&e.path)).ok())
        .collect())
}

/// Paths with unmerged index entries.
pub fn unmerged_paths(repo_path: &Path) -> Result<Vec<String>> {
    let repo = Repository::open(repo_path)?;
    let index = repo.index()?;
    let mut paths: Vec<String> = index
        .conflicts()?
        .flatten()
        .filter_map(|c| {
            c.our
                .or(c.their)
                .or(c.ancestor)
                .map(|e| String::from_utf8_lossy(&e.path).into_owned())
        })
        .collect();
    paths.sort();
    Ok(paths)
}

/// Stages the work-tree state of `paths` (added, changed or deleted), like `git add -A -- paths`.
pub fn stage_paths(repo_path: &Path, paths: &[&RelPath]) -> Result<()> {
    update_index(repo_path, paths, &[])
}
