//! Released versions kept beside a collection of golden paths, as
//! `releases/<version>/<name>/` with the layers it extends as siblings
//! (`releases/1.0.0/_base/`). Sources without version tags have them: the
//! built-ins embedded in the binary, and a folder of golden paths in a
//! checkout. They are what lets `scaffold new --version`, `lint`'s upgrade
//! safety and `scaffold test`'s upgrade scenarios reach a version that is no
//! longer the current one, and what an upgrade without a pristine ref
//! re-renders as its base.

use super::builtin;
use super::Root;

/// The folder, beside the golden paths, that holds their released versions.
pub(crate) const RELEASES_DIR: &str = "releases";

/// The folder of golden path `name` (a top-level folder of the root) at `version`.
pub(crate) fn dir_of(version: &str, name: &str) -> String {
    format!("{RELEASES_DIR}/{version}/{name}")
}

/// The released versions of top-level golden path `name` under `root`, unsorted.
pub(crate) fn versions(root: &Root, name: &str) -> Vec<semver::Version> {
    if name.is_empty() || name.contains('/') {
        return Vec::new();
    }
    let folders: Vec<String> = match root {
        Root::Builtin => builtin::release_folders(),
        Root::Folder(base) => std::fs::read_dir(base.join(RELEASES_DIR))
            .map(|entries| {
                entries
                    .flatten()
                    .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default(),
        Root::Git { .. } => Vec::new(),
    };
    folders
        .iter()
        .filter_map(|v| semver::Version::parse(v).ok())
        .filter(|v| {
            root.has_manifest(&dir_of(&v.to_string(), name))
                .unwrap_or(false)
        })
        .collect()
}
