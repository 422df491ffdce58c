//! Golden paths in a local folder.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::{Error, Location, Problem, Result};
use crate::tree::{FileEntry, RelPath};

/// Splits a golden-path folder into (root holding its sibling layers, folder name).
pub fn locate(path: &Path, name: Option<&str>) -> Result<(PathBuf, String), String> {
    if !path.exists() {
        return Err("does not exist".into());
    }
    let path = fs_err::canonicalize(path).map_err(|e| e.to_string())?;
    if let Some(name) = name {
        if super::is_golden_path_dir(&path.join(name)) {
            return Ok((path, name.to_string()));
        }
        if super::is_golden_path_dir(&path.join("golden-paths").join(name)) {
            return Ok((path.join("golden-paths"), name.to_string()));
        }
        return Err(format!(
            "has no golden path `{name}` (looked for {name}/ and golden-paths/{name}/)"
        ));
    }
    if !super::is_golden_path_dir(&path) {
        return Err(format!(
            "is not a golden path: no {} in it",
            crate::manifest::MANIFEST_FILE
        ));
    }
    let dir = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let root = path
        .parent()
        .map_or_else(|| PathBuf::from("/"), Path::to_path_buf);
    Ok((root, dir))
}

/// Every file under `dir` that git would publish: dotfiles included (a
/// template's `.github/` must not vanish), files the folder's `.gitignore`
/// rules (and the repository's around it) ignore left out, as a published
/// tag would not hold them either. Symbolic links are kept as links.
pub fn read_dir(dir: &Path) -> Result<Option<BTreeMap<RelPath, FileEntry>>> {
    if !dir.is_dir() {
        return Ok(None);
    }
    let mut paths = Vec::new();
    let walker = ignore::WalkBuilder::new(dir)
        .hidden(false)
        .follow_links(false)
        .require_git(false)
        .filter_entry(|e| e.file_name() != ".git")
        .build();
    for entry in walker {
        let entry = entry.map_err(|e| std::io::Error::other(e.to_string()))?;
        let Some(kind) = entry.file_type() else {
            continue;
        };
        if !(kind.is_file() || kind.is_symlink()) {
            continue;
        }
        let rel = entry.path().strip_prefix(dir).expect("walked under dir");
        let rel = RelPath::new(&rel.to_string_lossy()).map_err(|why| {
            Error::invalid(Problem::new(
                Location::file(entry.path().display().to_string()),
                format!("cannot be part of a golden path: its path {why}"),
            ))
        })?;
        paths.push((rel, entry.into_path(), kind.is_symlink()));
    }
    let files = paths
        .into_par_iter()
        .map(|(rel, path, symlink)| {
            let entry = if symlink {
                FileEntry::symlink(crate::worktree::link_target(&path)?)
            } else {
                FileEntry::new(fs_err::read(&path)?, is_executable(&path)?)
            };
            Ok((rel, entry))
        })
        .collect::<Result<BTreeMap<_, _>>>()?;
    Ok(Some(files))
}

#[cfg(unix)]
fn is_executable(path: &Path) -> Result<bool> {
    use std::os::unix::fs::PermissionsExt;
    Ok(fs_err::metadata(path)?.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(_: &Path) -> Result<bool> {
    Ok(false)
}
