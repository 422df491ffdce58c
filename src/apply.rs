//! The only module that writes the user's files.
//!
//! A new destination is built in a staging folder beside it and renamed into
//! place in one step, so a failure leaves nothing behind. An existing (empty,
//! or `--force`d) destination gets a staging folder inside it and each file is
//! renamed into place, after checking that no folder on the way is a symlink
//! that would lead outside. Exec bits are kept; the umask is respected.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::tree::{RelPath, Tree};

/// What is at the destination before we write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Destination {
    Missing,
    Empty,
    NonEmpty,
}

/// Checks `dest` early (before any question is asked).
pub fn inspect(dest: &Path, force: bool) -> Result<Destination> {
    match fs_err::symlink_metadata(dest) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Destination::Missing),
        Err(e) => Err(e.into()),
        Ok(_) if !dest.is_dir() => Err(Error::destination(dest, "exists and is not a folder")),
        Ok(_) => {
            let empty = fs_err::read_dir(dest)?.next().is_none();
            match (empty, force) {
                (true, _) => Ok(Destination::Empty),
                (false, true) => Ok(Destination::NonEmpty),
                (false, false) => Err(Error::destination(dest, "exists and is not empty; choose a new folder, or pass --force to write into it (existing files with the same names are replaced)")),
            }
        }
    }
}

/// Writes `tree`, and `extra` (scaffold's own files, such as the lock), under `dest`.
pub fn write_tree(tree: &Tree, extra: &Tree, dest: &Path, state: Destination) -> Result<()> {
    match state {
        Destination::Missing => write_fresh(&[tree, extra], dest),
        Destination::Empty | Destination::NonEmpty => write_into_existing(&[tree, extra], dest),
    }
}

fn write_fresh(trees: &[&Tree], dest: &Path) -> Result<()> {
    let parent = match dest.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs_err::create_dir_all(&parent)?;
    let staging = tempfile::Builder::new()
        .prefix(".scaffold-staging-")
        .tempdir_in(&parent)?;
    write_files(trees, staging.path())?;
    let staged = staging.keep();
    if let Err(e) = fs_err::rename(&staged, dest) {
        let _ = fs_err::remove_dir_all(&staged);
        return Err(e.into());
    }
    Ok(())
}

fn write_into_existing(trees: &[&Tree], dest: &Path) -> Result<()> {
    let root = fs_err::canonicalize(dest)?;
    let paths = || trees.iter().flat_map(|t| t.paths());
    for path in paths() {
        refuse_symlinked_folders(&root, path)?;
    }
    let staging = tempfile::Builder::new()
        .prefix(".scaffold-staging-")
        .tempdir_in(&root)?;
    write_files(trees, staging.path())?;
    for dir in folders(trees) {
        fs_err::create_dir_all(root.join(dir.as_str()))?;
    }
    for path in paths() {
        let target = root.join(path.as_str());
        if target.is_dir() && !target.is_symlink() {
            return Err(Error::destination(
                &target,
                "is a folder, but the golden path has a file there",
            ));
        }
        fs_err::rename(staging.path().join(path.as_str()), target)?;
    }
    Ok(())
}

/// Refuses a path whose existing ancestors inside `root` include a symlink.
fn refuse_symlinked_folders(root: &Path, path: &RelPath) -> Result<()> {
    let mut current = root.to_path_buf();
    let parts: Vec<&str> = path.components().collect();
    for part in &parts[..parts.len() - 1] {
        current.push(part);
        match fs_err::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                return Err(Error::destination(&current, format!("is a symlink; refusing to write `{path}` through it (it could lead outside the destination)")));
            }
            Ok(_) => {}
            Err(_) => break,
        }
    }
    Ok(())
}

fn folders(trees: &[&Tree]) -> BTreeSet<RelPath> {
    trees
        .iter()
        .flat_map(|t| t.paths())
        .filter_map(RelPath::parent)
        .collect()
}

fn write_files(trees: &[&Tree], root: &Path) -> Result<()> {
    for dir in folders(trees) {
        fs_err::create_dir_all(root.join(dir.as_str()))?;
    }
    let entries: Vec<_> = trees.iter().flat_map(|t| t.iter()).collect();
    entries
        .par_iter()
        .try_for_each(|(path, entry)| -> Result<()> {
            let target = root.join(path.as_str());
            let mut file = open_new(&target, entry.executable)?;
            file.write_all(&entry.content)?;
            Ok(())
        })
}

#[cfg(unix)]
fn open_new(path: &Path, executable: bool) -> Result<fs_err::File> {
    use fs_err::os::unix::fs::OpenOptionsExt;
    let mut options = fs_err::OpenOptions::new();
    options
        .write(true)
        .create_new(true)
        .mode(if executable { 0o777 } else { 0o666 });
    Ok(options.open(path)?)
}

#[cfg(not(unix))]
fn open_new(path: &Path, _executable: bool) -> Result<fs_err::File> {
    Ok(fs_err::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?)
}

/// Writes one file under `root` atomically: a temporary file in the same
/// folder, then a rename over the old one. Refuses symlinked folders on the way.
pub fn write_file_atomic(
    root: &Path,
    path: &RelPath,
    entry: &crate::tree::FileEntry,
) -> Result<()> {
    refuse_symlinked_folders(root, path)?;
    let target = root.join(path.as_str());
    let folder = target.parent().expect("a file under root has a parent");
    fs_err::create_dir_all(folder)?;
    let mut temp = tempfile::Builder::new()
        .prefix(".scaffold-")
        .tempfile_in(folder)?;
    temp.write_all(&entry.content)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = if entry.executable { 0o755 } else { 0o644 };
        temp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))?;
    }
    temp.persist(&target).map_err(|e| e.error)?;
    Ok(())
}

/// Deletes the file at `path` under `root` if it is there (anything else there,
/// such as a folder, is left alone), then the folders it leaves empty (up to,
/// not including, `root`).
pub fn remove_file(root: &Path, path: &RelPath) -> Result<()> {
    refuse_symlinked_folders(root, path)?;
    let full = root.join(path.as_str());
    if full.symlink_metadata().is_ok_and(|m| !m.is_file()) {
        return Ok(());
    }
    match fs_err::remove_file(&full) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e.into()),
        _ => {}
    }
    let mut folder = path.parent();
    while let Some(dir) = folder {
        if fs_err::remove_dir(root.join(dir.as_str())).is_err() {
            break;
        }
        folder = dir.parent();
    }
    Ok(())
}
