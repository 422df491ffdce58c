//! One clone per repository in the cache folder, fetched on every run: the
//! fleet's own copy to work in, so a developer's checkout (and its
//! uncommitted work) is never touched, and the mirror's config is only ever
//! what scaffold wrote into it.

// Owns the fleet's clones in its cache folder.
#![allow(clippy::disallowed_methods)]

use std::path::{Path, PathBuf};

use super::gitcli::{FleetGit, GitFailure, LOCAL_UPLOAD_PACK};
use super::repos::{RepoEntry, RepoLocation};

/// Where the clone of `repo` lives under the fleet cache.
pub fn path_for(cache: &Path, repo: &RepoEntry) -> PathBuf {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(repo.id.as_bytes());
    let short: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
    let tail: String = repo
        .id
        .trim_end_matches('/')
        .trim_end_matches(".git")
        .rsplit(['/', ':'])
        .next()
        .unwrap_or("repo")
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .take(40)
        .collect();
    cache.join("repos").join(format!("{tail}-{short}"))
}

/// What git is given as the repository's address (never from the repository itself).
pub fn fetch_url(repo: &RepoEntry) -> String {
    match &repo.location {
        RepoLocation::Remote(url) => url.clean.clone(),
        RepoLocation::Local(path) => path.display().to_string(),
    }
}

/// Clones `repo` into `dir`, or fetches into the existing clone: remote
/// branches under `refs/remotes/origin/`, the remote's `refs/scaffold/*`
/// under `refs/remotes/origin-scaffold/` (a hint only; a pristine ref is
/// checked against the lock before use).
pub fn sync(git: &FleetGit<'_>, repo: &RepoEntry, dir: &Path) -> Result<(), GitFailure> {
    let url = fetch_url(repo);
    let local = matches!(repo.location, RepoLocation::Local(_));
    let upload_pack: &[&str] = if local { &[LOCAL_UPLOAD_PACK] } else { &[] };
    if !is_clone(dir) {
        // Cloned into a fresh folder beside it and renamed into place: a run
        // killed mid-clone leaves a `.partial-*` folder (its git may even go
        // on writing there), never a half clone here.
        let failed = |e: std::io::Error| GitFailure::Failed(e.to_string());
        let parent = dir.parent().unwrap_or(Path::new("."));
        fs_err::create_dir_all(parent).map_err(failed)?;
        remove_stale_partials(dir);
        let _ = fs_err::remove_dir_all(dir);
        let partial = tempfile::Builder::new()
            .prefix(&partial_prefix(dir))
            .tempdir_in(parent)
            .map_err(failed)?;
        let target = partial.path().display().to_string();
        let mut args = vec!["clone", "--quiet", "--no-checkout", "--origin", "origin"];
        args.extend_from_slice(upload_pack);
        args.extend(["--", &url, &target]);
        git.run(None, &args)?;
        fs_err::rename(partial.path(), dir).map_err(failed)?;
    }
    // The address is the list's each time: whatever a previous run or anyone
    // else wrote there is not used.
    if crate::git::config_value(dir, "remote.origin.url")
        .ok()
        .flatten()
        .as_deref()
        != Some(url.as_str())
    {
        git.run(Some(dir), &["remote", "set-url", "--", "origin", &url])?;
    }
    let mut args = vec!["fetch", "--quiet", "--prune", "--no-tags"];
    args.extend_from_slice(upload_pack);
    args.extend([
        "--",
        "origin",
        "+refs/heads/*:refs/remotes/origin/*",
        "+refs/scaffold/*:refs/remotes/origin-scaffold/*",
    ]);
    git.run(Some(dir), &args)?;
    Ok(())
}

/// Whether `dir` holds a clone made by [`sync`] (its `.git` was renamed into
/// place whole, with its `HEAD` and config).
fn is_clone(dir: &Path) -> bool {
    dir.join(".git/HEAD").is_file() && dir.join(".git/config").is_file()
}

fn partial_prefix(dir: &Path) -> String {
    format!(
        "{}.partial-",
        dir.file_name().unwrap_or_default().to_string_lossy()
    )
}

/// Best effort: folders of clones killed before they were renamed into place.
fn remove_stale_partials(dir: &Path) {
    let (Some(parent), prefix) = (dir.parent(), partial_prefix(dir)) else {
        return;
    };
    for entry in fs_err::read_dir(parent).into_iter().flatten().flatten() {
        if entry.file_name().to_string_lossy().starts_with(&prefix) {
            let _ = fs_err::remove_dir_all(entry.path());
        }
    }
}

/// The size of the clone's git objects, in bytes.
pub fn size(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir.join(".git"))
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .sum()
}

/// Removes git's `*.lock` files from the clone's git folder: only called
/// under the fleet's own lock of the clone, so any that are there were left
/// by a run that was killed.
pub fn clear_stale_git_locks(dir: &Path) {
    let git_dir = dir.join(".git");
    for entry in walkdir::WalkDir::new(&git_dir)
        .max_depth(6)
        .into_iter()
        .filter_entry(|e| e.file_name() != "objects")
        .flatten()
        .filter(|e| e.file_type().is_file())
    {
        if entry.path().extension().is_some_and(|e| e == "lock") {
            let _ = fs_err::remove_file(entry.path());
        }
    }
}
