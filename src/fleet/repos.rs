//! Which repositories a fleet run covers: a list file, a scan of a folder,
//! and `--where` filters over their locks.
//!
//! The list belongs to the platform team and is trusted: it says where each
//! repository is and where its branch may be pushed. Everything inside a
//! repository (its lock, its config) is not, and is never used to decide
//! where to fetch from or push to.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::{Error, Location, Problem, Problems, Result};
use crate::lock::Lock;
use crate::source::{parse_remote, RemoteUrl};

/// Where a repository of the fleet lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RepoLocation {
    /// A git URL (normalised; its credentials, if any, kept aside for git).
    Remote(RemoteUrl),
    /// A repository on this machine (a work tree).
    Local(PathBuf),
}

/// One repository of the fleet, as the list names it.
#[derive(Debug, Clone)]
pub struct RepoEntry {
    /// How reports, run logs and shards name it: the normalised URL, or the
    /// absolute path. Never holds credentials.
    pub id: String,
    pub location: RepoLocation,
    /// The branch to upgrade from (`branch=`), else the remote's default.
    pub branch: Option<String>,
    /// Where to push instead of the repository itself (`push=URL`), listed by the team.
    pub push: Option<RemoteUrl>,
}

impl RepoEntry {
    /// A local repository by path.
    pub fn local(path: &Path) -> RepoEntry {
        let absolute = crate::source::normalise_local(path);
        RepoEntry {
            id: absolute.display().to_string(),
            location: RepoLocation::Local(absolute),
            branch: None,
            push: None,
        }
    }

    fn parse(raw: &str) -> std::result::Result<RepoEntry, String> {
        let mut words = raw.split_whitespace();
        let place = words.next().ok_or("is empty")?;
        if place.starts_with('-') {
            return Err(format!(
                "`{place}` starts with `-`, which git would read as an option"
            ));
        }
        let mut entry = if crate::source::looks_like_url(place) {
            let url = parse_remote(place).map_err(|why| format!("`{}` {why}", redact(place)))?;
            if url.scheme == "file" {
                RepoEntry::local(&url.file_path())
            } else {
                RepoEntry {
                    id: url.clean.clone(),
                    location: RepoLocation::Remote(url),
                    branch: None,
                    push: None,
                }
            }
        } else {
            RepoEntry::local(Path::new(place))
        };
        for word in words {
            let (key, value) = word
                .split_once('=')
                .ok_or_else(|| format!("`{word}` is not key=value"))?;
            match key {
                "branch" => {
                    super::gitcli::check_branch_name(value)?;
                    entry.branch = Some(value.to_string());
                }
                "push" => {
                    entry.push = Some(
                        parse_remote(value)
                            .map_err(|why| format!("push=`{}` {why}", redact(value)))?,
                    );
                }
                other => {
                    return Err(format!(
                        "unknown setting `{other}`; a line may set branch=NAME and push=URL"
                    ))
                }
            }
        }
        Ok(entry)
    }
}

fn redact(raw: &str) -> String {
    crate::source::redact_url(raw)
}

/// Reads a repository list: one repository per line (a git URL or a local
/// path), then optional `key=value` settings; `#` starts a comment. Every bad
/// line is reported, with its number.
pub fn read_list(path: &Path) -> Result<Vec<RepoEntry>> {
    let label = path.display().to_string();
    let text = fs_err::read_to_string(path).map_err(|e| {
        Error::invalid(Problem::new(
            Location::file(&label),
            format!(
                "cannot read the repository list: {}",
                std::io::Error::from(e.kind())
            ),
        ))
    })?;
    let mut entries = Vec::new();
    let mut problems = Problems::default();
    let mut seen = std::collections::BTreeSet::new();
    for (i, line) in text.lines().enumerate() {
        let content = line.split_once('#').map_or(line, |(c, _)| c).trim();
        if content.is_empty() {
            continue;
        }
        match RepoEntry::parse(content) {
            Ok(entry) if !seen.insert(entry.id.clone()) => problems.push(Problem::new(
                Location::file(&label).with_line(Some(i + 1)),
                format!("`{}` is listed twice", entry.id),
            )),
            Ok(entry) => entries.push(entry),
            Err(why) => problems.push(Problem::new(
                Location::file(&label).with_line(Some(i + 1)),
                why,
            )),
        }
    }
    problems.into_result(entries)
}

/// Every generated repository under `dir`: a git work tree holding
/// `.scaffold/lock.toml`. Walked in parallel, honouring `.gitignore`, never
/// into `.git`, `node_modules` or through symbolic links.
pub fn scan(dir: &Path) -> Result<Vec<RepoEntry>> {
    if !dir.is_dir() {
        return Err(Error::invalid(Problem::new(
            Location::file(dir.display().to_string()).with_field("--scan"),
            "is not a folder",
        )));
    }
    let found = std::sync::Mutex::new(Vec::new());
    ignore::WalkBuilder::new(dir)
        .hidden(false)
        .follow_links(false)
        .filter_entry(|e| {
            let name = e.file_name();
            name != ".git" && name != "node_modules"
        })
        .build_parallel()
        .run(|| {
            Box::new(|entry| {
                let Ok(entry) = entry else {
                    return ignore::WalkState::Continue;
                };
                let path = entry.path();
                let is_repo = entry.file_type().is_some_and(|t| t.is_dir())
                    && path.join(".git").exists()
                    && path.join(crate::lock::LOCK_PATH).is_file();
                if is_repo {
                    found.lock().expect("not poisoned").push(path.to_path_buf());
                }
                ignore::WalkState::Continue
            })
        });
    let mut paths = found.into_inner().expect("not poisoned");
    paths.sort();
    Ok(paths.iter().map(|p| RepoEntry::local(p)).collect())
}

/// A `--where KEY OP VALUE` filter over a lock.
#[derive(Debug, Clone, Serialize)]
pub struct Filter {
    pub key: String,
    pub op: String,
    pub value: String,
}

const OPERATORS: [&str; 6] = ["<=", ">=", "!=", "<", ">", "="];

impl Filter {
    /// Parses `golden_path=java-service`, `version<2`, `answers.database!=none`.
    pub fn parse(raw: &str) -> Result<Filter> {
        let bad = |why: String| {
            Error::invalid(
                Problem::new(Location::default().with_field(format!("--where {raw}")), why).hint(
                    "write KEY OP VALUE, e.g. `golden_path=java-service` or `version<2.0.0`; keys: golden_path, version, source, answers.NAME; operators: = != < <= > >=",
                ),
            )
        };
        let (at, op) = raw
            .char_indices()
            .find_map(|(i, _)| {
                OPERATORS
                    .iter()
                    .find(|op| raw[i..].starts_with(*op))
                    .map(|op| (i, *op))
            })
            .ok_or_else(|| bad("has no operator".into()))?;
        let key = raw[..at].trim().to_string();
        let value = raw[at + op.len()..].trim().to_string();
        let known = matches!(key.as_str(), "golden_path" | "version" | "source")
            || key.strip_prefix("answers.").is_some_and(|n| !n.is_empty());
        if !known {
            return Err(bad(format!("`{key}` is not a key a lock has")));
        }
        if key == "version" && padded_version(&value).is_none() {
            return Err(bad(format!("`{value}` is not a version")));
        }
        Ok(Filter {
            key,
            op: op.to_string(),
            value,
        })
    }

    /// Whether `lock` passes.
    pub fn matches(&self, lock: &Lock) -> bool {
        let g = &lock.golden_path;
        if self.key == "version" {
            let (Some(have), Some(want)) =
                (padded_version(&g.version), padded_version(&self.value))
            else {
                return false;
            };
            return compare(&self.op, have.cmp(&want));
        }
        let have = match self.key.as_str() {
            "golden_path" => Some(g.name.clone()),
            "source" => Some(g.source.clone()),
            key => key
                .strip_prefix("answers.")
                .and_then(|name| lock.answers.get(name))
                .map(|v| match v {
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                }),
        };
        let Some(have) = have else {
            return self.op == "!=";
        };
        compare(&self.op, have.as_str().cmp(self.value.as_str()))
    }
}

fn compare(op: &str, ordering: std::cmp::Ordering) -> bool {
    use std::cmp::Ordering::{Equal, Greater, Less};
    match op {
        "=" => ordering == Equal,
        "!=" => ordering != Equal,
        "<" => ordering == Less,
        "<=" => ordering != Greater,
        ">" => ordering == Greater,
        _ => ordering != Less,
    }
}

/// `2` and `2.1` read as `2.0.0` and `2.1.0`.
fn padded_version(raw: &str) -> Option<semver::Version> {
    let raw = raw.strip_prefix('v').unwrap_or(raw);
    let dots = raw.split('-').next().unwrap_or(raw).matches('.').count();
    let full = match dots {
        0 => format!("{raw}.0.0"),
        1 => format!("{raw}.0"),
        _ => raw.to_string(),
    };
    semver::Version::parse(&full).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::disallowed_methods, reason = "the test writes its fixture")]
    fn list_lines_with_settings_and_every_mistake_reported() {
        let tmp = tempfile::tempdir().unwrap();
        let list = tmp.path().join("repos.txt");
        fs_err::write(
            &list,
            "# the fleet\nhttps://git.example.com/team/orders.git branch=develop\n\n./local/repo   # a checkout\nhttps://x:secret@git.example.com/a.git push=https://git.example.com/fork/a.git\n",
        )
        .unwrap();
        let entries = read_list(&list).unwrap();
        assert_eq!(entries.len(), 3);
        assert_eq!(entries[0].id, "https://git.example.com/team/orders.git");
        assert_eq!(entries[0].branch.as_deref(), Some("develop"));
        assert!(matches!(entries[1].location, RepoLocation::Local(_)));
        assert_eq!(
            entries[2].id, "https://git.example.com/a.git",
            "no credentials in ids"
        );

        fs_err::write(
            &list,
            "-oops\nhttps://h/a.git colour=red\nhttps://h/a.git branch=..bad\nhttps://h/b.git\nhttps://h/b.git\n",
        )
        .unwrap();
        let err = read_list(&list).unwrap_err().to_string();
        for want in [
            ":1",
            "starts with `-`",
            ":2",
            "unknown setting",
            ":3",
            ":5",
            "listed twice",
        ] {
            assert!(err.contains(want), "{want}: {err}");
        }
    }

    #[test]
    fn where_filters() {
        let lock: Lock = toml::from_str(
            "[lock]\nformat = 1\nengine-version = \"0.1.0\"\n[golden-path]\nname = \"java-service\"\nversion = \"1.4.0\"\nsource = \"builtin:java-service\"\n[answers]\ndatabase = \"postgresql\"\nreplicas = 3\n",
        )
        .unwrap();
        for (raw, expected) in [
            ("golden_path=java-service", true),
            ("version<2", true),
            ("version>=1.4", true),
            ("version>1.4.0", false),
            ("answers.database!=none", true),
            ("answers.replicas=3", true),
            ("answers.missing=x", false),
            ("source=builtin:java-service", true),
        ] {
            assert_eq!(
                Filter::parse(raw).unwrap().matches(&lock),
                expected,
                "{raw}"
            );
        }
        assert!(Filter::parse("colour=red").is_err());
        assert!(Filter::parse("version<two").is_err());
        assert!(Filter::parse("golden_path").is_err());
    }
}
