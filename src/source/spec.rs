//! What the user typed as SOURCE, classified.

use std::path::{Path, PathBuf};

use crate::git;

/// A golden-path source as given on the command line or in config.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SourceSpec {
    /// A golden path embedded in the binary, by name (`builtin:NAME`, as locks record it).
    Builtin(String),
    /// A bare name: a built-in, or the golden path of that name in the
    /// catalog (`catalog::resolve_name` decides, refusing ambiguity).
    Name(String),
    /// A folder holding `golden-path.toml` (or, with `name`, a folder of golden paths).
    Folder { path: PathBuf, name: Option<String> },
    /// A git repository with version tags: a URL, or a local repository path.
    Git {
        location: String,
        local: bool,
        name: Option<String>,
    },
}

impl SourceSpec {
    /// Classifies `raw`. `URL#NAME` or `PATH#NAME` picks one golden path of a repository holding several.
    pub fn parse(raw: &str) -> SourceSpec {
        // As recorded in a lock file.
        if let Some(name) = raw.strip_prefix("builtin:") {
            return SourceSpec::Builtin(name.to_string());
        }
        let (location, name) = match raw.rsplit_once('#') {
            Some((loc, name)) if !name.is_empty() && !name.contains('/') => {
                (loc, Some(name.to_string()))
            }
            _ => (raw, None),
        };
        let is_url = super::remote::looks_like_url(location) || location.ends_with(".git");
        if is_url && !Path::new(location).exists() {
            return SourceSpec::Git {
                location: location.to_string(),
                local: false,
                name,
            };
        }
        let path = Path::new(location);
        if path.exists() {
            if git::is_repository_root(path) && has_version_tags(path) {
                return SourceSpec::Git {
                    location: location.to_string(),
                    local: true,
                    name,
                };
            }
            return SourceSpec::Folder {
                path: path.to_path_buf(),
                name,
            };
        }
        let looks_like_path =
            location.contains('/') || location.contains('\\') || location.starts_with('.');
        if looks_like_path {
            SourceSpec::Folder {
                path: path.to_path_buf(),
                name,
            }
        } else {
            SourceSpec::Name(location.to_string())
        }
    }

    /// How the source is recorded in a lock file: a remote URL normalised,
    /// credentials stripped.
    pub fn display(&self) -> String {
        match self {
            SourceSpec::Builtin(name) => format!("builtin:{name}"),
            SourceSpec::Name(name) => name.clone(),
            SourceSpec::Folder { path, name } => {
                with_name(&path.display().to_string(), name.as_ref())
            }
            SourceSpec::Git {
                location,
                local: false,
                name,
            } => with_name(&super::remote::redact_url(location), name.as_ref()),
            SourceSpec::Git { location, name, .. } => with_name(location, name.as_ref()),
        }
    }
}

/// A golden path's git repository, where its published versions are tags.
#[derive(Debug, Clone)]
pub struct Published {
    pub root: PathBuf,
    /// `None` when the golden path is the repository's root (tags `vX.Y.Z`, not `NAME/vX.Y.Z`).
    pub name: Option<String>,
}

impl Published {
    /// The repository holding the golden-path folder `dir`, if it is in one.
    pub fn find(dir: &Path, name: &str) -> Option<Published> {
        let dir = dir.canonicalize().ok()?;
        let root = git::work_tree_root(&dir)?;
        let name = (root != dir).then(|| name.to_string());
        Some(Published { root, name })
    }

    /// The source whose versions are the published ones.
    pub fn spec(&self) -> SourceSpec {
        SourceSpec::Git {
            location: self.root.to_string_lossy().into_owned(),
            local: true,
            name: self.name.clone(),
        }
    }

    /// The tag that publishes `version`.
    pub fn tag(&self, version: &str) -> String {
        match &self.name {
            Some(name) => format!("{name}/v{version}"),
            None => format!("v{version}"),
        }
    }
}

fn with_name(location: &str, name: Option<&String>) -> String {
    match name {
        Some(n) => format!("{location}#{n}"),
        None => location.to_string(),
    }
}

fn has_version_tags(path: &Path) -> bool {
    git::tags(path).is_ok_and(|tags| {
        tags.iter()
            .any(|t| super::versions::parse_tag(&t.name).is_some())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_sources() {
        assert_eq!(
            SourceSpec::parse("java-service"),
            SourceSpec::Name("java-service".into())
        );
        assert_eq!(
            SourceSpec::parse("builtin:java-service"),
            SourceSpec::Builtin("java-service".into())
        );
        assert_eq!(
            SourceSpec::parse("builtin:java-service"),
            SourceSpec::Builtin("java-service".into())
        );
        assert_eq!(
            SourceSpec::parse("https://git.example.com/paths.git#api-gateway"),
            SourceSpec::Git {
                location: "https://git.example.com/paths.git".into(),
                local: false,
                name: Some("api-gateway".into())
            }
        );
        assert!(matches!(
            SourceSpec::parse("./nope/here"),
            SourceSpec::Folder { .. }
        ));
    }
}
