//! The run log: one JSON object per line, appended and flushed to disk as
//! each repository finishes. It is the audit trail (who changed what, when,
//! from where, with which command) and the resume point: a repository with
//! a result line is done; after a crash, `--resume` does the others.

use std::collections::BTreeMap;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Location, Problem, Result};

/// How a repository ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RepoStatus {
    /// Already on the target version (or its branch already holds the upgrade).
    UpToDate,
    /// Upgraded without conflicts.
    Clean,
    /// Upgraded with conflicts (committed with markers, or left out).
    Conflicts,
    /// Something went wrong; the error says what.
    Failed,
    /// Not upgraded on purpose; the reason says why.
    Skipped,
}

impl RepoStatus {
    pub const ALL: [RepoStatus; 5] = [
        RepoStatus::UpToDate,
        RepoStatus::Clean,
        RepoStatus::Conflicts,
        RepoStatus::Failed,
        RepoStatus::Skipped,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RepoStatus::UpToDate => "up-to-date",
            RepoStatus::Clean => "clean",
            RepoStatus::Conflicts => "conflicts",
            RepoStatus::Failed => "failed",
            RepoStatus::Skipped => "skipped",
        }
    }
}

/// How long each step took, in milliseconds.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Durations {
    pub fetch_ms: u64,
    pub plan_ms: u64,
    pub write_ms: u64,
    pub push_ms: u64,
    pub total_ms: u64,
}

/// One repository's outcome: a line of the run log.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RepoResult {
    pub repository: String,
    pub status: RepoStatus,
    /// Why it was skipped, or the error it failed with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub golden_path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub branch: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    #[serde(default)]
    pub pushed: bool,
    /// Files that hold conflict markers (or were left out, with `--conflicts skip`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<String>,
    /// How many files the upgrade changed.
    #[serde(default)]
    pub changed: usize,
    /// Where the branch is when it was not pushed (the fleet's clone).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// The pull-request description written for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pr_body: Option<String>,
    /// What `--open-pr` printed (e.g. the pull request's address).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pull_request: Option<String>,
    #[serde(default)]
    pub durations: Durations,
}

impl RepoResult {
    pub fn new(repository: &str, status: RepoStatus) -> RepoResult {
        RepoResult {
            repository: repository.to_string(),
            status,
            reason: None,
            golden_path: None,
            from: None,
            to: None,
            branch: None,
            commit: None,
            pushed: false,
            conflicts: Vec::new(),
            changed: 0,
            location: None,
            pr_body: None,
            pull_request: None,
            durations: Durations::default(),
        }
    }

    pub fn because(mut self, reason: impl Into<String>) -> RepoResult {
        self.reason = Some(reason.into());
        self
    }
}

/// Who ran what, and when: the first line of a run.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RunStart {
    pub run: String,
    pub started: String,
    pub user: String,
    pub host: String,
    pub scaffold: String,
    pub command: Vec<String>,
    pub repositories: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<String>,
}

/// A line of the run log.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "kebab-case")]
pub enum Event {
    Start(RunStart),
    Repo {
        run: String,
        at: String,
        #[serde(flatten)]
        result: RepoResult,
    },
    End {
        run: String,
        at: String,
        counts: BTreeMap<RepoStatus, usize>,
    },
}

/// An open run log, appended to line by line (each line flushed and synced).
pub struct RunLog {
    path: PathBuf,
    file: Mutex<fs_err::File>,
    pub run: String,
}

impl RunLog {
    /// Opens (creating it and its folder) the log at `path` for run `run`.
    pub fn open(path: &Path, run: &str) -> Result<RunLog> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs_err::create_dir_all(parent)?;
        }
        let file = fs_err::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)?;
        Ok(RunLog {
            path: path.to_path_buf(),
            file: Mutex::new(file),
            run: run.to_string(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn write(&self, event: &Event) -> Result<()> {
        let mut line = serde_json::to_string(event).expect("events serialise");
        line.push('\n');
        let mut file = self
            .file
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        file.write_all(line.as_bytes())?;
        file.flush()?;
        file.file().sync_data()?;
        Ok(())
    }

    pub fn repo(&self, result: &RepoResult) -> Result<()> {
        self.write(&Event::Repo {
            run: self.run.clone(),
            at: now(),
            result: result.clone(),
        })
    }
}

/// Every event of the logs at `paths`, in order. A torn last line (a run
/// killed while writing) is ignored; any other bad line is an error naming it.
pub fn read(paths: &[PathBuf]) -> Result<Vec<Event>> {
    let mut events = Vec::new();
    for path in paths {
        let label = path.display().to_string();
        let file = fs_err::File::open(path).map_err(|e| {
            Error::invalid(Problem::new(
                Location::file(&label),
                format!(
                    "cannot read the run log: {}",
                    std::io::Error::from(e.kind())
                ),
            ))
        })?;
        let lines: Vec<String> = std::io::BufReader::new(file)
            .lines()
            .collect::<std::io::Result<_>>()
            .map_err(|e| Error::invalid(Problem::new(Location::file(&label), e.to_string())))?;
        let last = lines.len();
        for (i, line) in lines.iter().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            match serde_json::from_str::<Event>(line) {
                Ok(e) => events.push(e),
                Err(_) if i + 1 == last && !line.ends_with('}') => {}
                Err(e) => {
                    return Err(Error::invalid(Problem::new(
                        Location::file(&label).with_line(Some(i + 1)),
                        format!("not a run log event: {e}"),
                    )))
                }
            }
        }
    }
    Ok(events)
}

/// The latest result of each repository in `events`.
pub fn latest_results(events: &[Event]) -> BTreeMap<String, RepoResult> {
    let mut out = BTreeMap::new();
    for e in events {
        if let Event::Repo { result, .. } = e {
            out.insert(result.repository.clone(), result.clone());
        }
    }
    out
}

/// Now, as an RFC 3339 UTC timestamp (`2026-12-05T23:10:57Z`).
pub fn now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    rfc3339(secs)
}

/// A Unix time as an RFC 3339 UTC timestamp.
pub fn rfc3339_of(secs: i64) -> String {
    rfc3339(secs.max(0) as u64)
}

fn rfc3339(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Civil from days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_rfc3339() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_796_512_257), "2026-12-05T23:10:57Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
    }

    #[test]
    fn a_torn_last_line_is_ignored_and_results_read_back() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("run.jsonl");
        let log = RunLog::open(&path, "r1").unwrap();
        log.repo(&RepoResult::new("https://h/a.git", RepoStatus::Clean))
            .unwrap();
        log.repo(&RepoResult::new("https://h/b.git", RepoStatus::Failed).because("boom"))
            .unwrap();
        fs_err::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap()
            .write_all(b"{\"event\":\"repo\",\"run\":\"r1\",\"rep")
            .unwrap();
        let events = read(&[path]).unwrap();
        let latest = latest_results(&events);
        assert_eq!(latest.len(), 2);
        assert_eq!(latest["https://h/b.git"].reason.as_deref(), Some("boom"));
    }
}
