//! `scaffold check`: is a generated repository on the newest version of its
//! golden path, and if not, what changed in the versions between?

use std::path::Path;

use serde::Serialize;

use crate::error::{Error, Location, Problem, Result};
use crate::lock::Lock;
use crate::source::{self, Config, SourceSpec};

/// One newer version and its changelog entry.
#[derive(Debug, Clone, Serialize)]
pub struct NewerVersion {
    pub version: String,
    /// The version's section of the golden path's CHANGELOG.md, if it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub changes: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CheckOutcome {
    pub golden_path: String,
    pub source: String,
    pub current: String,
    pub latest: String,
    /// Released versions newer than the current one (and than an unfinished
    /// upgrade's target), oldest first.
    pub newer: Vec<NewerVersion>,
    /// An upgrade waiting for its conflicts to be resolved and `--continue`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pending: Option<PendingUpgrade>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PendingUpgrade {
    pub to: String,
    pub conflicts: Vec<String>,
}

impl CheckOutcome {
    /// Nothing newer, and no upgrade left unfinished.
    pub fn up_to_date(&self) -> bool {
        self.newer.is_empty() && self.pending.is_none()
    }
}

pub fn check(repo: &Path, config: &Config) -> Result<CheckOutcome> {
    let lock = Lock::read(repo)?;
    let locked = &lock.golden_path;
    let current = semver::Version::parse(&locked.version).map_err(|e| {
        Error::invalid(Problem::new(
            Location::file(repo.join(crate::lock::LOCK_PATH).display().to_string())
                .with_field("golden-path.version"),
            format!("`{}` is not a version: {e}", locked.version),
        ))
    })?;
    let spec = SourceSpec::parse(&locked.source);
    let pending = crate::upgrade::pending(repo)?.map(|s| PendingUpgrade {
        to: s.to,
        conflicts: s.conflicts,
    });
    // Versions up to the one being applied are not news.
    let applied = pending
        .as_ref()
        .and_then(|p| semver::Version::parse(&p.to).ok())
        .unwrap_or_else(|| current.clone());
    let newer: Vec<semver::Version> = source::available_versions(&spec, config)?
        .into_iter()
        .filter(|v| v.pre.is_empty() && *v > applied)
        .collect();
    let latest = newer.last().cloned().unwrap_or_else(|| applied.clone());
    // The newest release's changelog covers every version before it.
    let changelog = match newer.last() {
        Some(v) => source::load(&spec, Some(&v.to_string()), config)?.changelog,
        None => None,
    };
    Ok(CheckOutcome {
        golden_path: locked.name.clone(),
        source: locked.source.clone(),
        current: current.to_string(),
        latest: latest.to_string(),
        newer: newer
            .iter()
            .map(|v| NewerVersion {
                version: v.to_string(),
                changes: changelog.as_deref().and_then(|c| changelog_section(c, v)),
            })
            .collect(),
        pending,
    })
}

/// The body of `## 1.2.0` (or `## [1.2.0] - date`, `## v1.2.0`) in a changelog.
pub fn changelog_section(changelog: &str, version: &semver::Version) -> Option<String> {
    let wanted = version.to_string();
    let mut body: Option<Vec<&str>> = None;
    for line in changelog.lines() {
        if let Some(heading) = line.strip_prefix("## ") {
            if body.is_some() {
                break;
            }
            let first = heading.split_whitespace().next().unwrap_or_default();
            let cleaned = first
                .trim_matches(|c| c == '[' || c == ']')
                .trim_start_matches('v');
            if cleaned == wanted {
                body = Some(Vec::new());
            }
            continue;
        }
        if let Some(lines) = body.as_mut() {
            lines.push(line);
        }
    }
    let text = body?.join("\n").trim().to_string();
    (!text.is_empty()).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changelog_sections_in_common_forms() {
        let log = "# Changelog\n\n## [1.2.0] - 2026-11-01\n- Helm chart: PDB\n\n## v1.1.0\n- tracing\n\n## 1.0.0\n- first\n";
        let v = |s: &str| semver::Version::parse(s).unwrap();
        assert_eq!(
            changelog_section(log, &v("1.2.0")).as_deref(),
            Some("- Helm chart: PDB")
        );
        assert_eq!(
            changelog_section(log, &v("1.1.0")).as_deref(),
            Some("- tracing")
        );
        assert_eq!(
            changelog_section(log, &v("1.0.0")).as_deref(),
            Some("- first")
        );
        assert_eq!(changelog_section(log, &v("0.9.0")), None);
    }
}
