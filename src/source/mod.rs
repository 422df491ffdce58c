//! Where golden paths come from: the built-in catalog, a local folder, or a
//! git repository with version tags. Every source is read into memory first
//! (a git source straight from its object database, no checkout), so the
//! rest of the engine never touches the source's file system.

mod builtin;
mod catalog;
mod folder;
mod layers;
mod releases;
mod remote;
mod spec;
mod versions;

pub use catalog::{catalog_entries, find_by_request_type, CatalogEntry, Config};
pub use folder::read_dir as read_folder;
pub use layers::{GoldenPath, Layer, CHANGELOG_FILE};
pub use remote::{
    looks_like_url, normalise_local, parse as parse_remote, redact_url, Credentials, RemoteUrl,
    SourcePattern,
};
pub use spec::{Published, SourceSpec};
pub use versions::parse_tag;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::git;
use crate::tree::{FileEntry, RelPath};

/// Where a rendered golden path came from, as recorded in the lock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The source as the user named it, credentials stripped.
    pub source: String,
    pub kind: &'static str,
    /// The version tag, for git sources.
    pub tag: Option<String>,
    /// The commit, for git sources.
    pub commit: Option<String>,
}

/// A place golden paths are read from, with their sibling layers.
#[derive(Debug, Clone)]
pub(crate) enum Root {
    Builtin,
    Folder(PathBuf),
    Git { repo: PathBuf, commit: String },
}

/// A layer's files: those read, and (git sources only) those left unread,
/// by id, until something needs them.
pub(crate) struct LayerFiles {
    pub files: BTreeMap<RelPath, FileEntry>,
    pub deferred: crate::tree::TreeIds,
}

impl Root {
    /// The files of folder `dir`; with `defer_copies`, a git source leaves
    /// unread the files its manifest copies (`files.copy`) or excludes: an
    /// upgrade reads only those whose id shows a change.
    pub(crate) fn read_layer(&self, dir: &str, defer_copies: bool) -> Result<Option<LayerFiles>> {
        let Root::Git { repo, commit } = self else {
            return Ok(self.read_dir(dir)?.map(|files| LayerFiles {
                files,
                deferred: Default::default(),
            }));
        };
        let globs = if defer_copies {
            git::read_file_at(repo, commit, dir, crate::manifest::MANIFEST_FILE)?
                .and_then(|text| copied_or_excluded(&String::from_utf8_lossy(&text)))
        } else {
            None
        };
        let defer = |rel: &RelPath| {
            globs.as_ref().is_some_and(|g| {
                rel.strip_prefix(layers::TEMPLATE_DIR)
                    .is_some_and(|p| g.is_match(p.as_str()))
            })
        };
        Ok(git::read_files_deferring(repo, commit, dir, &defer)?
            .map(|(files, deferred)| LayerFiles { files, deferred }))
    }

    /// The files of the golden path in folder `dir` (relative to the root).
    pub(crate) fn read_dir(&self, dir: &str) -> Result<Option<BTreeMap<RelPath, FileEntry>>> {
        match self {
            Root::Builtin => Ok(builtin::read_dir(dir)),
            Root::Folder(root) => folder::read_dir(&root.join(dir)),
            Root::Git { repo, commit } => git::read_files(repo, commit, dir),
        }
    }

    /// Whether folder `dir` of a folder source is a symbolic link (which could lead anywhere).
    pub(crate) fn is_symlinked_folder(&self, dir: &str) -> bool {
        match self {
            Root::Folder(root) => {
                fs_err::symlink_metadata(root.join(dir)).is_ok_and(|m| m.file_type().is_symlink())
            }
            _ => false,
        }
    }

    /// Whether folder `dir` holds a golden-path manifest (nothing else is read).
    pub(crate) fn has_manifest(&self, dir: &str) -> Result<bool> {
        let file = crate::manifest::MANIFEST_FILE;
        Ok(match self {
            Root::Builtin => {
                builtin::read_dir(dir).is_some_and(|f| f.keys().any(|p| p.as_str() == file))
            }
            Root::Folder(root) => root.join(dir).join(file).is_file(),
            Root::Git { repo, commit } => git::has_file(repo, commit, dir, file)?,
        })
    }

    /// A label for error messages: where a manifest of `dir` lives.
    pub(crate) fn label(&self, dir: &str, file: &str) -> String {
        let joined = if dir.is_empty() {
            file.to_string()
        } else {
            format!("{dir}/{file}")
        };
        match self {
            Root::Builtin => format!("golden-paths/{joined}"),
            Root::Folder(root) => root.join(joined).display().to_string(),
            Root::Git { commit, .. } => {
                format!("{joined} (at {})", &commit[..commit.len().min(10)])
            }
        }
    }
}

/// The globs of a manifest's `files.copy` and `files.exclude` (what never
/// needs reading to render), if it has any and they parse.
fn copied_or_excluded(manifest: &str) -> Option<globset::GlobSet> {
    let table: toml::Table = toml::from_str(manifest).ok()?;
    let files = table.get("files")?.as_table()?;
    let patterns: Vec<String> = ["copy", "exclude"]
        .iter()
        .filter_map(|k| files.get(*k).and_then(|v| v.as_array()))
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect();
    if patterns.is_empty() {
        return None;
    }
    crate::manifest::globset(&patterns).ok()
}

/// Resolves `spec` at `version` (or the newest release) and loads it with its layers.
pub fn load(spec: &SourceSpec, version: Option<&str>, config: &Config) -> Result<GoldenPath> {
    load_with(spec, version, config, false)
}

/// Like `load`, but files a git source's manifest copies as they are are not
/// read: they are in `GoldenPath::deferred` by id (`plan::render` then
/// leaves them in `Rendered::deferred`).
pub fn load_deferring_copies(
    spec: &SourceSpec,
    version: Option<&str>,
    config: &Config,
) -> Result<GoldenPath> {
    load_with(spec, version, config, true)
}

fn load_with(
    spec: &SourceSpec,
    version: Option<&str>,
    config: &Config,
    defer_copies: bool,
) -> Result<GoldenPath> {
    let resolved;
    let spec = match spec {
        SourceSpec::Name(name) => {
            resolved = catalog::resolve_name(name, config)?;
            &resolved
        }
        other => other,
    };
    let display = spec.display();
    let (root, dir, tag, commit) = match spec {
        SourceSpec::Builtin(name) | SourceSpec::Name(name) => {
            if !builtin::exists(name) {
                let names = builtin::names();
                let mut message = format!("no built-in golden path named `{name}`");
                if let Some(best) =
                    crate::error::did_you_mean(name, names.iter().map(String::as_str))
                {
                    message.push_str(&format!("; did you mean `{best}`?"));
                }
                message.push_str(&format!(
                    " (built-ins: {}; a folder needs a path like `./{name}`)",
                    names.join(", ")
                ));
                return Err(Error::source_error(&display, message));
            }
            (Root::Builtin, name.clone(), None, None)
        }
        SourceSpec::Folder { path, name } => {
            let (root, dir) = folder::locate(path, name.as_deref())
                .map_err(|m| Error::source_error(&display, m))?;
            (Root::Folder(root), dir, None, None)
        }
        SourceSpec::Git {
            location,
            local,
            name,
        } => {
            let (repo, name, tags) =
                git_version_tags(location, *local, name.as_deref(), config, &display)?;
            let candidates: Vec<&versions::VersionTag> = tags.iter().collect();
            let chosen = versions::pick(&candidates, version)
                .map_err(|m| Error::source_error(&display, m))?;
            let root = Root::Git {
                repo: repo.clone(),
                commit: chosen.commit.clone(),
            };
            let dir = match &name {
                None => String::new(),
                Some(n) => locate_in_repo(&root, n)?.ok_or_else(|| Error::source_error(&display,
                    format!("tag {} has no folder `{n}` or `golden-paths/{n}` with a golden-path.toml", chosen.tag)))?,
            };
            (
                root,
                dir,
                Some(chosen.tag.clone()),
                Some(chosen.commit.clone()),
            )
        }
    };
    // The lock must let `check` and `upgrade` find the source again from
    // anywhere: local paths are recorded absolute.
    let recorded = match (spec, &root) {
        (SourceSpec::Folder { .. }, Root::Folder(base)) => base.join(&dir).display().to_string(),
        (
            SourceSpec::Git {
                local: true, name, ..
            },
            Root::Git { repo, .. },
        ) => {
            let absolute = fs_err::canonicalize(repo).unwrap_or_else(|_| repo.clone());
            match name {
                Some(n) => format!("{}#{n}", absolute.display()),
                None => absolute.display().to_string(),
            }
        }
        _ => display.clone(),
    };
    // A version that is not the current one may be kept under `releases/`.
    let dir = match (version, &root) {
        (Some(wanted), Root::Builtin | Root::Folder(_)) => {
            let wanted = wanted.strip_prefix('v').unwrap_or(wanted);
            let released = releases::dir_of(wanted, &dir);
            if !dir.contains('/') && root.has_manifest(&released)? {
                released
            } else {
                dir
            }
        }
        _ => dir,
    };
    let origin = Origin {
        source: recorded,
        kind: match spec {
            SourceSpec::Builtin(_) | SourceSpec::Name(_) => "builtin",
            SourceSpec::Folder { .. } => "folder",
            SourceSpec::Git { .. } => "git",
        },
        tag,
        commit,
    };
    let golden_path = layers::load(&root, &dir, origin, defer_copies)?;
    if let (Some(wanted), None) = (version, &golden_path.origin.tag) {
        let wanted_clean = wanted.strip_prefix('v').unwrap_or(wanted);
        if wanted_clean != golden_path.manifest.version {
            return Err(Error::source_error(&display, format!(
                "has no version {wanted_clean}: it is version {}{} (git sources hold one version per tag; others keep earlier ones under `releases/<version>/`)",
                golden_path.manifest.version,
                released_list(&root, &dir))));
        }
    }
    Ok(golden_path)
}

/// The repository, the golden path's name in it, and that golden path's version tags.
fn git_version_tags(
    location: &str,
    local: bool,
    wanted: Option<&str>,
    config: &Config,
    display: &str,
) -> Result<(PathBuf, Option<String>, Vec<versions::VersionTag>)> {
    let repo = if local {
        PathBuf::from(location)
    } else {
        fetch_remote(location, config)?
    };
    let tags = versions::version_tags(&git::tags(&repo)?);
    let name = pick_golden_path(&tags, wanted).map_err(|m| Error::source_error(display, m))?;
    let tags = tags.into_iter().filter(|t| t.golden_path == name).collect();
    Ok((repo, name, tags))
}

/// The versions `spec` offers, ascending: every version tag of a git
/// source; the one version of a built-in or a folder.
pub fn available_versions(spec: &SourceSpec, config: &Config) -> Result<Vec<semver::Version>> {
    if let SourceSpec::Name(name) = spec {
        return available_versions(&catalog::resolve_name(name, config)?, config);
    }
    let mut versions = if let SourceSpec::Git {
        location,
        local,
        name,
    } = spec
    {
        let (_, _, tags) =
            git_version_tags(location, *local, name.as_deref(), config, &spec.display())?;
        tags.into_iter().map(|t| t.version).collect()
    } else {
        let current = load(spec, None, config)?;
        let mut versions = vec![current.manifest.semver()];
        if let Some((root, dir)) = root_of(spec) {
            versions.extend(releases::versions(&root, &dir));
        }
        versions
    };
    versions.sort();
    versions.dedup();
    Ok(versions)
}

/// The root a built-in or folder source reads from, and its folder there
/// (`None` for git sources).
fn root_of(spec: &SourceSpec) -> Option<(Root, String)> {
    match spec {
        SourceSpec::Builtin(name) | SourceSpec::Name(name) => Some((Root::Builtin, name.clone())),
        SourceSpec::Folder { path, name } => folder::locate(path, name.as_deref())
            .ok()
            .map(|(root, dir)| (Root::Folder(root), dir)),
        SourceSpec::Git { .. } => None,
    }
}

/// ", or 1.0.0, 1.1.0 from releases/" when `root` keeps released versions of folder `dir`.
fn released_list(root: &Root, dir: &str) -> String {
    let mut versions = releases::versions(root, dir);
    versions.sort();
    if versions.is_empty() {
        return String::new();
    }
    let list: Vec<String> = versions.iter().map(ToString::to_string).collect();
    format!(", or {} from releases/", list.join(", "))
}

fn pick_golden_path(
    tags: &[versions::VersionTag],
    wanted: Option<&str>,
) -> Result<Option<String>, String> {
    if let Some(w) = wanted {
        return Ok(Some(w.to_string()));
    }
    if tags.iter().any(|t| t.golden_path.is_none()) {
        return Ok(None);
    }
    let mut names: Vec<&str> = tags
        .iter()
        .filter_map(|t| t.golden_path.as_deref())
        .filter(|n| !n.starts_with('_'))
        .collect();
    names.sort_unstable();
    names.dedup();
    match names.as_slice() {
        [] => Err("has no version tags (`vX.Y.Z`, or `NAME/vX.Y.Z` for a repository of several golden paths)".into()),
        [one] => Ok(Some(one.to_string())),
        many => Err(format!("holds several golden paths ({}); pick one with SOURCE#NAME", many.join(", "))),
    }
}

fn locate_in_repo(root: &Root, name: &str) -> Result<Option<String>> {
    for dir in [name.to_string(), format!("golden-paths/{name}")] {
        if root.has_manifest(&dir)? {
            return Ok(Some(dir));
        }
    }
    Ok(None)
}

/// Clones a remote source into the cache once; later uses fetch. The URL
/// is normalised first (what is fetched is what the lock records), and
/// credentials in it reach git for this one call only.
fn fetch_remote(raw: &str, config: &Config) -> Result<PathBuf> {
    let url =
        remote::parse(raw).map_err(|why| Error::source_error(remote::redact_url(raw), why))?;
    let cache = config.cache_dir().join("git").join(cache_key(&url.clean));
    // Once per process: a fleet run asks for the same source many times, and
    // concurrent fetches into one clone would trip over git's locks.
    let guard = fetch_guard(&cache);
    let mut fetched = guard
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if !*fetched {
        git::clone_or_fetch(&url.clean, url.credentials.as_ref(), &cache)
            .map_err(|e| Error::source_error(&url.clean, format!("cannot fetch: {e}")))?;
        *fetched = true;
    }
    Ok(cache)
}

/// Whether the cached clone at a path was fetched by this process (one lock each).
fn fetch_guard(cache: &Path) -> std::sync::Arc<std::sync::Mutex<bool>> {
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex, OnceLock};
    static FETCHED: OnceLock<Mutex<HashMap<PathBuf, Arc<Mutex<bool>>>>> = OnceLock::new();
    FETCHED
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .entry(cache.to_path_buf())
        .or_default()
        .clone()
}

fn cache_key(clean: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(clean.as_bytes());
    let short: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
    let tail: String = clean
        .trim_end_matches(".git")
        .rsplit(['/', ':'])
        .next()
        .unwrap_or("repo")
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    format!("{tail}-{short}")
}

/// Whether a folder on disk is a golden path (holds a manifest).
pub(crate) fn is_golden_path_dir(path: &Path) -> bool {
    path.join(crate::manifest::MANIFEST_FILE).is_file()
}
