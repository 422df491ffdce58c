//! The only module that writes the user's files.
//!
//! A new destination is built in a staging folder beside it and renamed into
//! place in one step, so a failure leaves nothing behind. An existing (empty,
//! or `--force`d) destination gets a staging folder inside it and each file is
//! renamed into place (and put back if a later one fails), after checking
//! that no folder on the way is a symlink that would lead outside. Exec bits and symbolic links are kept; the umask
//! is respected.

// The writer of the user's files: the one module clippy.toml lets write them.
#![allow(clippy::disallowed_methods)]

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
        Ok(meta) if meta.file_type().is_symlink() => Err(Error::destination(
            dest,
            "is a symbolic link; scaffold does not write through links: name the folder it points to",
        )),
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

/// Writes `tree` as the whole content of folder `dest` (an author's
/// `expected/` tree on `scaffold test --update`): what was there goes.
pub fn replace_folder(tree: &Tree, dest: &Path) -> Result<()> {
    if dest.exists() {
        fs_err::remove_dir_all(dest)?;
    }
    let state = inspect(dest, false)?;
    write_tree(tree, &Tree::default(), dest, state)
}

/// [`replace_folder`] for a folder that is a git work tree (a throwaway
/// clone): everything but its `.git` goes.
pub fn replace_folder_keeping_git(tree: &Tree, dest: &Path) -> Result<()> {
    if let Ok(entries) = fs_err::read_dir(dest) {
        for entry in entries {
            let entry = entry?;
            if entry.file_name() == ".git" {
                continue;
            }
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                fs_err::remove_dir_all(entry.path())?;
            } else {
                fs_err::remove_file(entry.path())?;
            }
        }
    }
    let state = inspect(dest, true)?;
    write_tree(tree, &Tree::default(), dest, state)
}

/// Writes `tree`, and `extra` (scaffold's own files, such as the lock), under `dest`.
pub fn write_tree(tree: &Tree, extra: &Tree, dest: &Path, state: Destination) -> Result<()> {
    stage(&[tree, extra], dest, state)?.publish()
}

/// Files written into a staging folder, not yet at their destination. More
/// can be built there (the git repository of `scaffold new`) before
/// `publish` moves everything into place; dropped unpublished, it leaves
/// nothing behind.
pub struct Staged {
    staging: tempfile::TempDir,
    dest: PathBuf,
    state: Destination,
    paths: Vec<RelPath>,
}

/// Writes `trees` into a staging folder for `dest`: beside it when `dest`
/// does not exist yet (one rename publishes it), else inside it.
pub fn stage(trees: &[&Tree], dest: &Path, state: Destination) -> Result<Staged> {
    let paths: Vec<RelPath> = trees.iter().flat_map(|t| t.paths()).cloned().collect();
    let holder = match state {
        Destination::Missing => {
            let parent = match dest.parent() {
                Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
                _ => PathBuf::from("."),
            };
            fs_err::create_dir_all(&parent)?;
            parent
        }
        Destination::Empty | Destination::NonEmpty => {
            let root = fs_err::canonicalize(dest)?;
            for path in &paths {
                refuse_symlinked_folders(&root, path)?;
            }
            root
        }
    };
    let staging = tempfile::Builder::new()
        .prefix(".scaffold-staging-")
        .tempdir_in(&holder)?;
    write_files(trees, staging.path())?;
    Ok(Staged {
        staging,
        dest: if state == Destination::Missing {
            dest.to_path_buf()
        } else {
            holder
        },
        state,
        paths,
    })
}

impl Staged {
    /// The staging folder: the future root of the destination.
    pub fn path(&self) -> &Path {
        self.staging.path()
    }

    /// Moves everything staged into place. A new destination appears in
    /// one rename; into an existing one, each entry is renamed (a file it
    /// replaces is kept aside until the end), and a failure on the way puts
    /// back exactly what was there.
    pub fn publish(self) -> Result<()> {
        if self.state == Destination::Missing {
            let staged = self.staging.keep();
            if let Err(e) = fs_err::rename(&staged, &self.dest) {
                let _ = fs_err::remove_dir_all(&staged);
                return Err(e.into());
            }
            return Ok(());
        }
        let mut moves: Vec<PathBuf> = self
            .paths
            .iter()
            .map(|p| PathBuf::from(p.as_str()))
            .collect();
        // Whatever else was built in the staging folder (`.git`) moves whole.
        for entry in fs_err::read_dir(self.staging.path())?.flatten() {
            let name = PathBuf::from(entry.file_name());
            if !self
                .paths
                .iter()
                .any(|p| Path::new(p.as_str()).starts_with(&name))
            {
                moves.push(name);
            }
        }
        let backup = self.staging.path().join(".scaffold-replaced");
        let mut journal = Journal::default();
        let result = moves
            .iter()
            .try_for_each(|rel| journal.place(self.staging.path(), &self.dest, &backup, rel));
        if let Err(e) = result {
            journal.undo();
            return Err(e);
        }
        Ok(())
    }
}

/// What `publish` changed in an existing destination, so it can be undone.
#[derive(Default)]
struct Journal {
    created_folders: Vec<PathBuf>,
    /// (placed path, where the file it replaced was kept)
    placed: Vec<(PathBuf, Option<PathBuf>)>,
}

impl Journal {
    fn place(&mut self, staging: &Path, dest: &Path, backup: &Path, rel: &Path) -> Result<()> {
        let target = dest.join(rel);
        if let Some(parent) = target.parent() {
            let mut missing = Vec::new();
            let mut folder = parent;
            while !folder.exists() {
                missing.push(folder.to_path_buf());
                match folder.parent() {
                    Some(p) => folder = p,
                    None => break,
                }
            }
            for dir in missing.into_iter().rev() {
                fs_err::create_dir(&dir)?;
                self.created_folders.push(dir);
            }
        }
        let replaced = match fs_err::symlink_metadata(&target) {
            Ok(meta) if meta.is_dir() => {
                return Err(Error::destination(
                    &target,
                    "is a folder, but the golden path has a file there",
                ))
            }
            Ok(_) => {
                let kept = backup.join(rel);
                fs_err::create_dir_all(kept.parent().expect("under backup"))?;
                fs_err::rename(&target, &kept)?;
                Some(kept)
            }
            Err(_) => None,
        };
        if let Err(e) = fs_err::rename(staging.join(rel), &target) {
            if let Some(kept) = &replaced {
                let _ = fs_err::rename(kept, &target);
            }
            return Err(e.into());
        }
        self.placed.push((target, replaced));
        Ok(())
    }

    fn undo(self) {
        for (placed, replaced) in self.placed.into_iter().rev() {
            let removed = if placed.is_dir() && !placed.is_symlink() {
                fs_err::remove_dir_all(&placed)
            } else {
                fs_err::remove_file(&placed)
            };
            if let (Ok(()), Some(kept)) = (removed, replaced) {
                let _ = fs_err::rename(kept, &placed);
            }
        }
        for dir in self.created_folders.into_iter().rev() {
            let _ = fs_err::remove_dir(dir);
        }
    }
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
            if entry.symlink {
                return make_symlink(&entry.content, &target);
            }
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

/// The prefix of scaffold's temporary files beside the files they replace;
/// `clean_temporaries` removes leftovers of an interrupted run.
pub const TEMP_PREFIX: &str = ".scaffold-tmp-";

/// Writes one file under `root` atomically: a temporary file in the same
/// folder, then a rename over the old one. Refuses symlinked folders on the
/// way. New files get the umask's permissions, as any other program's would.
pub fn write_file_atomic(
    root: &Path,
    path: &RelPath,
    entry: &crate::tree::FileEntry,
) -> Result<()> {
    refuse_symlinked_folders(root, path)?;
    let target = root.join(path.as_str());
    let folder = target.parent().expect("a file under root has a parent");
    fs_err::create_dir_all(folder)?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMP_PREFIX);
    if entry.symlink {
        let link = builder
            .make_in(folder, |p| {
                make_symlink(&entry.content, p).map_err(io_error)
            })
            .map_err(|e| Error::destination(&target, format!("cannot create a symlink: {e}")))?;
        link.persist(&target).map_err(|e| e.error)?;
        return Ok(());
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = if entry.executable { 0o777 } else { 0o666 };
        builder.permissions(std::fs::Permissions::from_mode(mode));
    }
    let mut temp = builder.tempfile_in(folder)?;
    temp.write_all(&entry.content)?;
    temp.persist(&target).map_err(|e| e.error)?;
    Ok(())
}

/// Writes a document the user asked for (`-o FILE`, a report) atomically,
/// with the umask's permissions, like every other file scaffold writes.
pub fn write_document(path: &Path, content: &[u8]) -> Result<()> {
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| Error::destination(path, "names no file"))?;
    let file = RelPath::new(&name.to_string_lossy())
        .map_err(|why| Error::destination(path, format!("cannot be written: its name {why}")))?;
    fs_err::create_dir_all(&folder)?;
    write_file_atomic(
        &folder,
        &file,
        &crate::tree::FileEntry::new(content.to_vec(), false),
    )
}

/// Removes temporary files `write_file_atomic` left in the folders of
/// `paths` (a run killed between writing and renaming).
pub fn clean_temporaries<'a>(root: &Path, paths: impl IntoIterator<Item = &'a RelPath>) {
    let folders: BTreeSet<PathBuf> = paths
        .into_iter()
        .map(|p| match p.parent() {
            Some(dir) => root.join(dir.as_str()),
            None => root.to_path_buf(),
        })
        .collect();
    for folder in folders {
        let Ok(entries) = fs_err::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let is_ours = name.to_str().is_some_and(|n| {
                n.strip_prefix(TEMP_PREFIX).is_some_and(|rest| {
                    rest.len() == 6 && rest.chars().all(|c| c.is_ascii_alphanumeric())
                })
            });
            if is_ours && entry.file_type().is_ok_and(|t| !t.is_dir()) {
                let _ = fs_err::remove_file(entry.path());
            }
        }
    }
}

#[allow(clippy::needless_pass_by_value, reason = "used as `map_err(io_error)`")]
fn io_error(e: Error) -> std::io::Error {
    std::io::Error::other(e.to_string())
}

#[cfg(unix)]
fn make_symlink(target: &[u8], at: &Path) -> Result<()> {
    use std::os::unix::ffi::OsStrExt;
    fs_err::os::unix::fs::symlink(std::ffi::OsStr::from_bytes(target), at)?;
    Ok(())
}

#[cfg(not(unix))]
fn make_symlink(_target: &[u8], at: &Path) -> Result<()> {
    Err(Error::destination(
        at,
        "symbolic links are only written on Unix",
    ))
}

/// Deletes the file at `path` under `root` if it is there (anything else there,
/// such as a folder, is left alone), then the folders it leaves empty (up to,
/// not including, `root`).
pub fn remove_file(root: &Path, path: &RelPath) -> Result<()> {
    refuse_symlinked_folders(root, path)?;
    let full = root.join(path.as_str());
    if full
        .symlink_metadata()
        .is_ok_and(|m| !m.is_file() && !m.file_type().is_symlink())
    {
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
