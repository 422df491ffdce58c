//! Files the user renamed. An upgrade would otherwise see a generated file
//! the user "deleted" and keep it deleted, so the golden path's change to it
//! (possibly a security fix) would never arrive. `git merge` follows such a
//! rename by content similarity; so do we: a generated file the user no
//! longer has, which the new version changes, is matched with a file the
//! user added (tracked, not generated) when at least half their lines agree,
//! and the change is merged into it there. Two candidates that match about
//! equally well are not guessed between: that is a conflict.

use std::collections::BTreeSet;
use std::path::Path;

use serde::Serialize;

use crate::error::Result;
use crate::git;
use crate::textdiff::similarity;
use crate::tree::{FileEntry, RelPath, Tree};
use crate::worktree;

/// git's default rename threshold: half the content in common.
const THRESHOLD: f64 = 0.5;
/// Two candidates closer than this are too close to choose between.
const MARGIN: f64 = 0.1;
/// Past this many comparisons (as git's `diff.renameLimit`), no guessing.
const MAX_PAIRS: usize = 10_000;

/// A generated file the user moved, followed by the upgrade.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UserRename {
    pub from: String,
    pub to: String,
    /// Percent of lines in common, as `git status` shows for a rename.
    pub similarity: u8,
}

/// What was found: renames to follow, and deleted files whose new home is unclear.
#[derive(Debug, Default)]
pub struct Found {
    pub renames: Vec<(RelPath, RelPath, UserRename)>,
    pub ambiguous: Vec<RelPath>,
    /// The user's files at the renamed paths (to merge into).
    pub ours: Tree,
}

/// Finds the renames that matter for this upgrade.
/// `base`, `ours` and `theirs` hold at least every path where the golden
/// path changed the file; `known` is every path of the base and the new
/// version (files the user added are the others).
pub fn find(
    repo: &Path,
    base: &Tree,
    ours: &Tree,
    theirs: &Tree,
    known: &BTreeSet<RelPath>,
    seed_once: &[RelPath],
) -> Result<Found> {
    let missing: Vec<(&RelPath, &FileEntry)> = base
        .iter()
        .filter(|(p, b)| {
            ours.get(p).is_none()
                && !seed_once.contains(p)
                && theirs.get(p).is_some_and(|t| t != *b)
        })
        .collect();
    let mut found = Found::default();
    // Without git there is no record of what the user added.
    if missing.is_empty() || !git::is_repository_root(repo) {
        return Ok(found);
    }
    let added: Vec<RelPath> = git::tracked_paths(repo)?
        .into_iter()
        .filter(|p| !known.contains(p))
        .collect();
    if added.is_empty() || missing.len() * added.len() > MAX_PAIRS {
        return Ok(found);
    }
    let candidates = worktree::read_paths(repo, &added)?;
    let mut claimed: BTreeSet<RelPath> = BTreeSet::new();
    for (path, old) in missing {
        let mut scored: Vec<(f64, &RelPath)> = candidates
            .iter()
            .filter(|(p, e)| !claimed.contains(*p) && similar_size(old, e))
            .map(|(p, e)| (similarity(&old.content, &e.content), p))
            .filter(|(score, _)| *score >= THRESHOLD)
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0));
        match scored.as_slice() {
            [] => {}
            [(_, _), (second, _), ..] if scored[0].0 - second < MARGIN => {
                found.ambiguous.push(path.clone());
            }
            [(score, to), ..] => {
                let to = (*to).clone();
                claimed.insert(to.clone());
                found.ours.insert(
                    to.clone(),
                    candidates.get(&to).expect("scored from candidates").clone(),
                );
                found.renames.push((
                    path.clone(),
                    to.clone(),
                    UserRename {
                        from: path.to_string(),
                        to: to.to_string(),
                        similarity: (score * 100.0).round() as u8,
                    },
                ));
            }
        }
    }
    Ok(found)
}

/// Files whose sizes differ by more than 3x cannot be half the same (git prunes the same way).
fn similar_size(a: &FileEntry, b: &FileEntry) -> bool {
    let (x, y) = (a.content.len().max(1), b.content.len().max(1));
    x.max(y) <= 3 * x.min(y)
}
