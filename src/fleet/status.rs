//! `scaffold fleet status`: where every repository of the fleet stands (its
//! golden path and version, how far behind the newest release, how far it
//! drifted from its pristine render, when it last moved) and, per golden
//! path, how the fleet is spread over versions (adoption).
//!
//! Read-only: local repositories are read in place (libgit2, no hooks);
//! remote ones through the fleet's clone, fetched first.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde::Serialize;

use super::gitcli::FleetGit;
use super::repos::{RepoEntry, RepoLocation};
use super::{mirror, Filter};
use crate::lock::Lock;
use crate::source::{self, Config, SourceSpec};

/// One repository's standing.
#[derive(Debug, Clone, Serialize)]
pub struct RepoStanding {
    pub repository: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub golden_path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latest: Option<String>,
    /// Released versions newer than the repository's.
    pub behind: usize,
    /// Generated files changed since the pristine render, and the lines
    /// changed in them (unknown when only the lock's hashes are there to compare).
    pub drift_files: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub drift_lines: Option<usize>,
    /// When the lock last changed (the last upgrade), as a commit date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_upgrade: Option<String>,
    /// Why the repository could not be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<String>,
}

/// The fleet's standing.
#[derive(Debug, Clone, Serialize)]
pub struct FleetStatus {
    pub repositories: Vec<RepoStanding>,
    /// Per golden path: how many repositories are on each version.
    pub adoption: BTreeMap<String, BTreeMap<String, usize>>,
}

impl FleetStatus {
    pub fn any_behind(&self) -> bool {
        self.repositories.iter().any(|r| r.behind > 0)
    }
}

/// Reads the standing of every repository, `jobs` at a time.
pub fn status(
    repos: &[RepoEntry],
    filters: &[Filter],
    config: &Config,
    cache: &Path,
    jobs: usize,
    timeout: Duration,
) -> FleetStatus {
    let next = AtomicUsize::new(0);
    let rows = std::sync::Mutex::new(Vec::new());
    let versions = std::sync::Mutex::new(BTreeMap::<String, Vec<semver::Version>>::new());
    std::thread::scope(|scope| {
        for _ in 0..jobs.max(1).min(repos.len().max(1)) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(repo) = repos.get(i) else { break };
                if let Some(row) = standing(repo, filters, config, cache, timeout, &versions) {
                    rows.lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner)
                        .push(row);
                }
            });
        }
    });
    let mut repositories = rows
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    repositories.sort_by(|a, b| a.repository.cmp(&b.repository));
    let mut adoption: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
    for r in &repositories {
        if let (Some(gp), Some(v)) = (&r.golden_path, &r.version) {
            *adoption
                .entry(gp.clone())
                .or_default()
                .entry(v.clone())
                .or_default() += 1;
        }
    }
    FleetStatus {
        repositories,
        adoption,
    }
}

/// One row; `None` when the repository does not pass the filters.
fn standing(
    repo: &RepoEntry,
    filters: &[Filter],
    config: &Config,
    cache: &Path,
    timeout: Duration,
    versions: &std::sync::Mutex<BTreeMap<String, Vec<semver::Version>>>,
) -> Option<RepoStanding> {
    let mut row = RepoStanding {
        repository: repo.id.clone(),
        golden_path: None,
        version: None,
        latest: None,
        behind: 0,
        drift_files: 0,
        drift_lines: None,
        last_upgrade: None,
        problem: None,
    };
    let dir = match &repo.location {
        // A checkout is read where it is; a bare repository through a clone.
        RepoLocation::Local(path) if path.join(".git").exists() => path.clone(),
        location => {
            let dir = mirror::path_for(cache, repo);
            let git = FleetGit {
                allow_file: matches!(location, RepoLocation::Local(_)),
                credentials: match location {
                    RepoLocation::Remote(url) => url.credentials.as_ref(),
                    RepoLocation::Local(_) => None,
                },
                deadline: Instant::now() + timeout,
            };
            if let Err(e) = mirror::sync(&git, repo, &dir) {
                row.problem = Some(match e {
                    super::gitcli::GitFailure::Timeout => "timeout".into(),
                    super::gitcli::GitFailure::Failed(m) => m,
                });
                return Some(row);
            }
            let base = repo
                .branch
                .clone()
                .or_else(|| crate::git::default_branch(&dir).ok().flatten())
                .and_then(|b| {
                    crate::git::resolve(&dir, &format!("refs/remotes/origin/{b}"))
                        .ok()
                        .flatten()
                });
            if let Some(commit) = base {
                if let Err(e) = crate::git::reset_to(&dir, &commit) {
                    row.problem = Some(e.to_string());
                    return Some(row);
                }
            } else {
                row.problem = Some("no default branch".into());
                return Some(row);
            }
            dir
        }
    };
    let lock = match Lock::read(&dir) {
        Ok(l) => l,
        Err(e) => {
            row.problem = Some(e.to_string().lines().next().unwrap_or_default().to_string());
            return Some(row);
        }
    };
    if !filters.iter().all(|f| f.matches(&lock)) {
        return None;
    }
    row.golden_path = Some(lock.golden_path.name.clone());
    row.version = Some(lock.golden_path.version.clone());
    let source_key = lock.golden_path.source.clone();
    let known = versions
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .get(&source_key)
        .cloned();
    let available = match known {
        Some(v) => Ok(v),
        None => source::available_versions(&SourceSpec::parse(&source_key), config).inspect(|v| {
            versions
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .insert(source_key.clone(), v.clone());
        }),
    };
    match (available, semver::Version::parse(&lock.golden_path.version)) {
        (Ok(available), Ok(current)) => {
            let newer: Vec<&semver::Version> = available
                .iter()
                .filter(|v| v.pre.is_empty() && **v > current)
                .collect();
            row.behind = newer.len();
            row.latest = Some(
                newer
                    .last()
                    .map_or_else(|| current.to_string(), std::string::ToString::to_string),
            );
        }
        (Err(e), _) => row.problem = Some(e.to_string()),
        (_, Err(e)) => row.problem = Some(format!("bad version in the lock: {e}")),
    }
    if let Ok(drift) = crate::drift::drift(&dir) {
        row.drift_files = drift.files.len();
        row.drift_lines = (drift.base == crate::drift::DriftBase::PristineRef)
            .then(|| drift.files.iter().map(|f| f.added + f.removed).sum());
    }
    row.last_upgrade = crate::git::last_change(&dir, crate::lock::LOCK_PATH)
        .ok()
        .flatten()
        .map(super::runlog::rfc3339_of);
    Some(row)
}
