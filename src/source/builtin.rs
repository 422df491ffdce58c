//! The golden paths embedded in the binary (see `build.rs`).

use std::collections::BTreeMap;

use crate::tree::{FileEntry, RelPath};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/builtin_files.rs"));
}

/// Files under `dir` of the embedded `golden-paths/`, or `None` when absent.
pub fn read_dir(dir: &str) -> Option<BTreeMap<RelPath, FileEntry>> {
    let prefix = format!("{}/", dir.trim_end_matches('/'));
    let files: BTreeMap<RelPath, FileEntry> = embedded::FILES
        .iter()
        .filter_map(|(path, bytes, exec)| {
            let rest = path.strip_prefix(&prefix)?;
            Some((
                RelPath::new(rest).ok()?,
                FileEntry::new(bytes.to_vec(), *exec),
            ))
        })
        .collect();
    (!files.is_empty()).then_some(files)
}

/// Names of the embedded golden paths that can be rendered (layers starting with `_` are not listed).
/// Whether `name` is a built-in golden path (layers such as `_base` are not).
pub fn exists(name: &str) -> bool {
    !name.starts_with('_') && !name.contains('/') && names().iter().any(|n| n == name)
}

pub fn names() -> Vec<String> {
    let mut names: Vec<String> = embedded::FILES
        .iter()
        .filter_map(|(path, _, _)| path.strip_suffix("/golden-path.toml"))
        .filter(|name| !name.contains('/') && !name.starts_with('_'))
        .map(str::to_string)
        .collect();
    names.sort();
    names
}

/// The version folders of the embedded `releases/` (see `releases.rs`).
pub fn release_folders() -> Vec<String> {
    let mut folders: Vec<String> = embedded::FILES
        .iter()
        .filter_map(|(path, _, _)| path.strip_prefix("releases/")?.split('/').next())
        .map(str::to_string)
        .collect();
    folders.dedup();
    folders
}
