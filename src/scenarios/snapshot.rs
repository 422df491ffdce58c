//! A scenario's expected tree: compared file by file (content and exec bit),
//! or rewritten with `--update`.

use std::path::Path;

use super::Check;
use crate::error::Result;
use crate::textdiff::unified;
use crate::tree::Tree;

pub(super) fn compare(tree: &Tree, expected_dir: &Path, update: bool) -> Result<Check> {
    if update {
        crate::apply::replace_folder(tree, expected_dir)?;
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
    let expected: Tree = crate::source::read_folder(expected_dir)?
        .unwrap_or_default()
        .into_iter()
        .collect();
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
