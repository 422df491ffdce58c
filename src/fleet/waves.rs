//! Rolling an upgrade out the way a careful platform team does: a few canary
//! repositories first, then a stable slice, then waves that a scheduled job
//! advances one at a time, each only once the branches of the waves before
//! it are merged or closed. Which repositories a stage takes depends on their
//! stable hash only (`shard`); whether a wave may start is read from the run
//! logs and the remotes' branches, never from memory.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Instant;

use super::gitcli::FleetGit;
use super::repos::{RepoEntry, RepoLocation};
use super::runlog::RepoResult;
use super::shard::{canary_rank, percentile};
use super::{mirror, Run};
use crate::error::{Error, Location, Problem, Result};

/// Which part of the fleet a run takes.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Rollout {
    /// Every repository.
    #[default]
    All,
    /// The first N repositories by stable hash.
    Canary(usize),
    /// Exactly these repositories (ids).
    CanaryRepos(BTreeSet<String>),
    /// A stable slice: repositories whose percentile is below P percent.
    Percent(f64),
    /// Wave `wave` (1-based) of cumulative percentages `plan`.
    Wave { plan: Vec<f64>, wave: usize },
}

impl Rollout {
    /// Parses `--waves 1,10,50,100` with `--wave K`.
    pub fn waves(plan: &str, wave: usize) -> Result<Rollout> {
        let bad = |why: String| {
            Error::invalid(
                Problem::new(Location::default().with_field("--waves"), why).hint(
                    "list growing percentages ending at 100, e.g. --waves 1,10,50,100 --wave 2",
                ),
            )
        };
        let plan: Vec<f64> = plan
            .split(',')
            .map(|p| p.trim().trim_end_matches('%').parse::<f64>())
            .collect::<std::result::Result<_, _>>()
            .map_err(|_| bad(format!("`{plan}` is not a list of percentages")))?;
        if plan.is_empty()
            || plan.windows(2).any(|w| w[0] >= w[1])
            || plan.iter().any(|p| *p <= 0.0 || *p > 100.0)
        {
            return Err(bad(format!(
                "`{plan:?}` must grow, each above 0 and at most 100"
            )));
        }
        if wave == 0 || wave > plan.len() {
            return Err(Error::invalid(Problem::new(
                Location::default().with_field("--wave"),
                format!("wave {wave} is not one of 1 to {}", plan.len()),
            )));
        }
        Ok(Rollout::Wave { plan, wave })
    }

    /// The repositories this stage takes, in their order.
    pub fn select<'a>(&self, repos: Vec<&'a RepoEntry>) -> Vec<&'a RepoEntry> {
        let below = |pct: f64| {
            let limit = (pct * 100.0).round() as u64;
            move |r: &&RepoEntry| percentile(&r.id) < limit
        };
        match self {
            Rollout::All => repos,
            Rollout::Canary(n) => {
                let mut ranked = repos;
                ranked.sort_by_key(|r| canary_rank(&r.id));
                ranked.truncate(*n);
                ranked.sort_by(|a, b| a.id.cmp(&b.id));
                ranked
            }
            Rollout::CanaryRepos(ids) => {
                repos.into_iter().filter(|r| ids.contains(&r.id)).collect()
            }
            Rollout::Percent(p) => repos.into_iter().filter(below(*p)).collect(),
            Rollout::Wave { plan, wave } => {
                repos.into_iter().filter(below(plan[wave - 1])).collect()
            }
        }
    }

    /// The repositories of the waves before this one (empty for the first,
    /// and for the other kinds of rollout).
    pub fn earlier<'a>(&self, repos: &[&'a RepoEntry]) -> Vec<&'a RepoEntry> {
        match self {
            Rollout::Wave { plan, wave } if *wave > 1 => {
                let limit = (plan[wave - 2] * 100.0).round() as u64;
                repos
                    .iter()
                    .filter(|r| percentile(&r.id) < limit)
                    .copied()
                    .collect()
            }
            _ => Vec::new(),
        }
    }
}

/// Branches of `earlier` repositories that the run logs say were pushed and
/// that are still open on their remote: neither merged into the branch they
/// were made from, nor deleted. (repository, branch)
pub(super) fn open_branches(
    run: &Run<'_>,
    earlier: &[&RepoEntry],
    history: &BTreeMap<String, RepoResult>,
) -> Vec<(String, String)> {
    let mut open = Vec::new();
    for repo in earlier {
        let Some(branch) = history
            .get(&repo.id)
            .filter(|r| r.pushed)
            .and_then(|r| r.branch.clone())
        else {
            continue;
        };
        let git = FleetGit {
            allow_file: matches!(repo.location, RepoLocation::Local(_)),
            credentials: match &repo.location {
                RepoLocation::Remote(url) => url.credentials.as_ref(),
                RepoLocation::Local(_) => None,
            },
            deadline: Instant::now() + run.options.timeout,
        };
        let dir = mirror::path_for(&run.options.cache, repo);
        if mirror::sync(&git, repo, &dir).is_err() {
            open.push((repo.id.clone(), branch));
            continue;
        }
        let tip = crate::git::resolve(&dir, &format!("refs/remotes/origin/{branch}"))
            .ok()
            .flatten();
        let base = repo
            .branch
            .clone()
            .or_else(|| crate::git::default_branch(&dir).ok().flatten())
            .and_then(|b| {
                crate::git::resolve(&dir, &format!("refs/remotes/origin/{b}"))
                    .ok()
                    .flatten()
            });
        let target = history.get(&repo.id).and_then(|r| r.to.clone());
        let merged = match (&tip, &base) {
            (None, _) => true, // closed: the branch is gone
            (Some(tip), Some(base)) => {
                crate::git::is_ancestor(&dir, tip, base).unwrap_or(false)
                    || squash_merged(&dir, base, target.as_deref())
            }
            (Some(_), None) => false,
        };
        if !merged {
            open.push((repo.id.clone(), branch));
        }
    }
    open
}

/// Whether the lock on `base` is already at `target` (a squash merge leaves
/// no ancestry, but the lock moved).
fn squash_merged(dir: &std::path::Path, base: &str, target: Option<&str>) -> bool {
    let (Some(target), Ok(Some(text))) = (
        target.and_then(|t| semver::Version::parse(t).ok()),
        crate::git::read_file_at(dir, base, "", crate::lock::LOCK_PATH),
    ) else {
        return false;
    };
    toml::from_str::<crate::lock::Lock>(&String::from_utf8_lossy(&text))
        .ok()
        .and_then(|l| semver::Version::parse(&l.golden_path.version).ok())
        .is_some_and(|v| v >= target)
}
