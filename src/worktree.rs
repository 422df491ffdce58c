//! Reading a repository's work tree into memory, one known path at a time
//! (never a full walk: a repository's `target/` or `node_modules/` is not ours).

use std::path::Path;

use rayon::prelude::*;

use crate::error::Result;
use crate::tree::{FileEntry, RelPath, Tree};

/// The regular file or symbolic link at `path` under `root`, or `None` when
/// it is absent (or a folder).
pub fn read_file(root: &Path, path: &RelPath) -> Result<Option<FileEntry>> {
    let full = root.join(path.as_str());
    match fs_err::symlink_metadata(&full) {
        Ok(meta) if meta.file_type().is_symlink() => {
            Ok(Some(FileEntry::symlink(link_target(&full)?)))
        }
        Ok(meta) if meta.is_file() => {
            #[cfg(unix)]
            let executable = {
                use std::os::unix::fs::PermissionsExt;
                meta.permissions().mode() & 0o111 != 0
            };
            #[cfg(not(unix))]
            let executable = false;
            Ok(Some(FileEntry::new(fs_err::read(&full)?, executable)))
        }
        Ok(_) => Ok(None),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// The files among `paths` that exist under `root`, read in parallel.
pub fn read_paths<'a>(root: &Path, paths: impl IntoIterator<Item = &'a RelPath>) -> Result<Tree> {
    let paths: Vec<&RelPath> = paths.into_iter().collect();
    let found: Vec<Option<(RelPath, FileEntry)>> = paths
        .par_iter()
        .map(|p| Ok(read_file(root, p)?.map(|e| ((*p).clone(), e))))
        .collect::<Result<_>>()?;
    Ok(found.into_iter().flatten().collect())
}

/// A symbolic link's target, as the bytes git stores.
#[cfg(unix)]
pub fn link_target(path: &Path) -> Result<Vec<u8>> {
    use std::os::unix::ffi::OsStrExt;
    Ok(fs_err::read_link(path)?.as_os_str().as_bytes().to_vec())
}

#[cfg(not(unix))]
pub fn link_target(path: &Path) -> Result<Vec<u8>> {
    Ok(fs_err::read_link(path)?
        .to_string_lossy()
        .replace('\\', "/")
        .into_bytes())
}
