//! A scenario's expected tree: compared file by file (content and exec bit),
//! or rewritten with `--update`.

use std::path::Path;

use super::Check;
use crate::error::{Error, Result};
use crate::textdiff::unified;
use crate::tree::{FileEntry, RelPath, Tree};

pub(super) fn compare(tree: &Tree, expected_dir: &Path, update: bool) -> Result<Check> {
    if update {
        if expected_dir.exists() {
            std::fs::remove_dir_all(expected_dir)
                .map_err(|e| Error::destination(expected_dir, e.to_string()))?;
        }
        let state = crate::apply::inspect(expected_dir, false)?;
        crate::apply::write_tree(tree, &Tree::default(), expected_dir, state)?;
        return Ok(Check::new("snapshot", "expected/", true, "updated"));
    }
    if !expected_dir.is_dir() {
        return Ok(Check::new(
            "snapshot",
            "expected/",
            false,
            "no expected/ yet: run with --update to record it",
        ));
    }
    let expected = read(expected_dir)?;
    let mut detail = Vec::new();
    for (path, entry) in tree.iter() {
        match expected.get(path) {
            None => detail.push(format!("+ {path} (new file)")),
            Some(old) if old.content != entry.content => {
                let diff = unified(
                    &String::from_utf8_lossy(&old.content),
                    &String::from_utf8_lossy(&entry.content),
                    &format!("expected/{path}"),
                    &format!("rendered/{path}"),
                );
                detail.push(diff.unified.lines().take(40).collect::<Vec<_>>().join("\n"));
            }
            Some(old) if old.executable != entry.executable => {
                detail.push(format!(
                    "~ {path}: exec bit {} -> {}",
                    old.executable, entry.executable
                ));
            }
            Some(_) => {}
        }
    }
    for path in expected.paths() {
        if tree.get(path).is_none() {
            detail.push(format!("- {path} (no longer rendered)"));
        }
    }
    let passed = detail.is_empty();
    Ok(Check::new(
        "snapshot",
        "expected/",
        passed,
        detail.join("\n"),
    ))
}

fn read(dir: &Path) -> Result<Tree> {
    let mut tree = Tree::default();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(|e| Error::destination(dir, e.to_string()))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(dir).expect("under dir");
        let rel = RelPath::new(&rel.to_string_lossy())
            .map_err(|e| Error::destination(entry.path(), e.to_string()))?;
        let content = std::fs::read(entry.path())
            .map_err(|e| Error::destination(entry.path(), e.to_string()))?;
        #[cfg(unix)]
        let executable = {
            use std::os::unix::fs::PermissionsExt;
            entry
                .metadata()
                .map(|m| m.permissions().mode() & 0o111 != 0)
                .unwrap_or(false)
        };
        #[cfg(not(unix))]
        let executable = false;
        tree.insert(rel, FileEntry::new(content, executable));
    }
    Ok(tree)
}
