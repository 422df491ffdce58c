//! Spreading a fleet over processes, and rolling it out in stages, without a
//! scheduler of our own: a stable hash of each repository's id decides its
//! shard (`--shard I/N`, or the index an engine gives: a Kubernetes Indexed
//! Job's `JOB_COMPLETION_INDEX`, GitLab's `CI_NODE_INDEX`) and its place in
//! a rollout (`--canary`, `--percent`, `--waves`). The hash depends on the
//! repository alone, so every repository is in exactly one shard and adding
//! one moves no other.

use sha2::{Digest, Sha256};

use crate::error::{Error, Location, Problem, Result};

/// Which part of the fleet this process takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// 0-based.
    pub index: u64,
    pub count: u64,
}

impl Shard {
    /// `I/N`, with `I` from 0 to `N - 1`.
    pub fn parse(raw: &str) -> Result<Shard> {
        let bad = |why: &str| {
            Error::invalid(
                Problem::new(
                    Location::default().with_field("--shard"),
                    format!("`{raw}` {why}"),
                )
                .hint("write I/N with I from 0 to N-1, e.g. --shard 0/4"),
            )
        };
        let (i, n) = raw.split_once('/').ok_or_else(|| bad("is not I/N"))?;
        let (index, count) = (
            i.trim()
                .parse::<u64>()
                .map_err(|_| bad("has no shard index"))?,
            n.trim()
                .parse::<u64>()
                .map_err(|_| bad("has no shard count"))?,
        );
        if count == 0 || index >= count {
            return Err(bad("is out of range"));
        }
        Ok(Shard { index, count })
    }

    /// The shard the engine this runs in assigns: a Kubernetes Indexed Job
    /// (`JOB_COMPLETION_INDEX`, 0-based, with `shards` given) or GitLab's
    /// `parallel:` (`CI_NODE_INDEX`, 1-based, and `CI_NODE_TOTAL`).
    pub fn from_env(shards: Option<u64>) -> Result<Option<Shard>> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        if let Some(index) = var("JOB_COMPLETION_INDEX") {
            let Some(count) = shards else {
                return Err(Error::invalid(
                    Problem::new(
                        Location::default().with_field("--shards"),
                        "JOB_COMPLETION_INDEX is set (a Kubernetes Indexed Job) but not how many shards there are",
                    )
                    .hint("pass --shards N, the Job's completions"),
                ));
            };
            return Shard::parse(&format!("{index}/{count}")).map(Some);
        }
        if let (Some(index), Some(total)) = (var("CI_NODE_INDEX"), var("CI_NODE_TOTAL")) {
            let one_based: u64 = index.parse().map_err(|_| {
                Error::invalid(Problem::new(
                    Location::default().with_field("CI_NODE_INDEX"),
                    format!("`{index}` is not a number"),
                ))
            })?;
            return Shard::parse(&format!("{}/{total}", one_based.saturating_sub(1))).map(Some);
        }
        Ok(None)
    }

    /// Whether the repository `id` is in this shard.
    pub fn contains(&self, id: &str) -> bool {
        stable_hash(id, 0) % self.count == self.index
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// 64 bits of SHA-256 of `id`, taken from `part` (0, 1, 2) so that shards,
/// rollout percentiles and canary order do not correlate.
fn stable_hash(id: &str, part: usize) -> u64 {
    let digest = Sha256::digest(id.as_bytes());
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&digest[part * 8..part * 8 + 8]);
    u64::from_be_bytes(bytes)
}

/// Where the repository `id` falls in a rollout, from 0 to 9,999 (basis points).
pub fn percentile(id: &str) -> u64 {
    stable_hash(id, 1) % 10_000
}

/// The order in which canaries are picked.
pub fn canary_rank(id: &str) -> u64 {
    stable_hash(id, 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_repository_is_in_exactly_one_shard_and_stays_there() {
        let ids: Vec<String> = (0..500)
            .map(|i| format!("https://git.example.com/r{i}.git"))
            .collect();
        let shards: Vec<Shard> = (0..4).map(|i| Shard { index: i, count: 4 }).collect();
        for id in &ids {
            assert_eq!(shards.iter().filter(|s| s.contains(id)).count(), 1, "{id}");
        }
        let sizes: Vec<usize> = shards
            .iter()
            .map(|s| ids.iter().filter(|id| s.contains(id)).count())
            .collect();
        assert!(
            sizes.iter().all(|n| (90..=160).contains(n)),
            "balanced: {sizes:?}"
        );
        // A shard is a function of the repository alone.
        let before: Vec<u64> = ids.iter().map(|id| stable_hash(id, 0) % 4).collect();
        let mut more = ids.clone();
        more.push("https://git.example.com/new.git".into());
        let after: Vec<u64> = more[..ids.len()]
            .iter()
            .map(|id| stable_hash(id, 0) % 4)
            .collect();
        assert_eq!(before, after);
    }

    #[test]
    fn shards_parse_and_come_from_the_engine() {
        assert_eq!(Shard::parse("2/4").unwrap(), Shard { index: 2, count: 4 });
        for bad in ["4/4", "1", "x/2", "0/0", "-1/3"] {
            assert!(Shard::parse(bad).is_err(), "{bad}");
        }
        assert!((0..10_000).contains(&percentile("x")));
    }
}
