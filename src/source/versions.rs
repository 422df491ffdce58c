//! Version tags: `vX.Y.Z` in a repository with one golden path,
//! `NAME/vX.Y.Z` in a repository holding several.

use semver::Version;

use crate::git::Tag;

/// A tag understood as a golden-path version.
#[derive(Debug, Clone)]
pub struct VersionTag {
    pub golden_path: Option<String>,
    pub version: Version,
    pub tag: String,
    pub commit: String,
}

/// `v1.2.0` -> (None, 1.2.0); `api/v1.2.0` -> (Some("api"), 1.2.0).
pub fn parse_tag(tag: &str) -> Option<(Option<String>, Version)> {
    let (name, version) = match tag.rsplit_once('/') {
        Some((name, v)) => (Some(name.to_string()), v),
        None => (None, tag),
    };
    let version = Version::parse(version.strip_prefix('v')?).ok()?;
    Some((name, version))
}

pub fn version_tags(tags: &[Tag]) -> Vec<VersionTag> {
    tags.iter()
        .filter_map(|t| {
            let (golden_path, version) = parse_tag(&t.name)?;
            Some(VersionTag {
                golden_path,
                version,
                tag: t.name.clone(),
                commit: t.commit.clone(),
            })
        })
        .collect()
}

/// The tag for `wanted` (`1.2.0` or `v1.2.0`), else the newest non-prerelease.
pub fn pick<'a>(
    candidates: &[&'a VersionTag],
    wanted: Option<&str>,
) -> Result<&'a VersionTag, String> {
    let available = || {
        let mut v: Vec<String> = candidates.iter().map(|t| t.version.to_string()).collect();
        v.sort();
        if v.is_empty() {
            "none".to_string()
        } else {
            v.join(", ")
        }
    };
    match wanted {
        Some(w) => {
            let parsed = Version::parse(w.strip_prefix('v').unwrap_or(w)).map_err(|e| format!("`{w}` is not a version: {e}"))?;
            candidates.iter().find(|t| t.version == parsed).copied()
                .ok_or_else(|| format!("has no version {parsed} (available: {})", available()))
        }
        None => candidates.iter().filter(|t| t.version.pre.is_empty()).max_by(|a, b| a.version.cmp(&b.version)).copied()
            .ok_or_else(|| format!("has no released version tag (available: {}); tag one (`git tag v1.0.0`) or pass --version", available())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(name: &str) -> Tag {
        Tag {
            name: name.into(),
            commit: "c".into(),
        }
    }

    #[test]
    fn newest_release_wins_over_prereleases() {
        let tags = version_tags(&[
            tag("v1.0.0"),
            tag("v1.2.0"),
            tag("v2.0.0-rc.1"),
            tag("junk"),
        ]);
        let refs: Vec<&VersionTag> = tags.iter().collect();
        assert_eq!(pick(&refs, None).unwrap().version.to_string(), "1.2.0");
        assert_eq!(pick(&refs, Some("v2.0.0-rc.1")).unwrap().tag, "v2.0.0-rc.1");
        assert!(pick(&refs, Some("3.0.0"))
            .unwrap_err()
            .contains("available: 1.0.0, 1.2.0, 2.0.0-rc.1"));
    }

    #[test]
    fn monorepo_tags() {
        assert_eq!(parse_tag("api/v1.0.0").unwrap().0.as_deref(), Some("api"));
        assert!(parse_tag("api/1.0.0").is_none());
    }
}
