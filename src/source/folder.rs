//! Golden paths in a local folder.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::Result;
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
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("/"));
    Ok((root, dir))
}

/// Every file under `dir`, dotfiles included (a template's `.github/` must not vanish).
pub fn read_dir(dir: &Path) -> Result<Option<BTreeMap<RelPath, FileEntry>>> {
    if !dir.is_dir() {
        return Ok(None);
    }
    let mut paths = Vec::new();
    let walker = walkdir::WalkDir::new(dir)
        .follow_links(false)
        .into_iter()
        .filter_entry(|e| e.file_name() != ".git");
    for entry in walker {
        let entry = entry.map_err(|e| std::io::Error::other(e.to_string()))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(dir).expect("walked under dir");
        if let Ok(rel) = RelPath::new(&rel.to_string_lossy()) {
            paths.push((rel, entry.into_path()));
        }
    }
    let files = paths
        .into_par_iter()
        .map(|(rel, path)| {
            Ok((
                rel,
                FileEntry::new(fs_err::read(&path)?, is_executable(&path)?),
            ))
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
