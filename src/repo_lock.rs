//! One writer per repository: every command that writes a repository holds
//! `.git/scaffold.lock` for as long as it runs, as git holds `index.lock`.
//!
//! The file is created with `O_EXCL`, so of two runs exactly one gets it;
//! the other stops before reading anything, naming the holder. A lock left
//! by a process that no longer exists on this host (`kill -9`, a crash) is
//! taken over, so `--abort` after a crash still works; a lock from another
//! host (a shared file system) is never guessed about.

// Owns `.git/scaffold.lock`.
#![allow(clippy::disallowed_methods)]

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Location, Problem, Result};
use crate::git;

const LOCK_FILE: &str = "scaffold.lock";

/// Held while a command writes the repository; released on drop.
#[derive(Debug)]
pub struct RepoLock {
    path: PathBuf,
    /// The lock a dead process left, which this one replaced.
    pub took_over: Option<String>,
}

/// Who holds a lock: written into the file, read back by whoever waits.
fn holder_line(command: &str) -> String {
    format!(
        "pid={} host={} since={} command={}\n",
        std::process::id(),
        hostname(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or_default(),
        command
    )
}

impl RepoLock {
    /// Takes the lock of the repository at `repo` for `command` (shown to
    /// anyone who has to wait), or says who holds it.
    pub fn acquire(repo: &Path, command: &str) -> Result<RepoLock> {
        let path = git::git_dir(repo)?.join(LOCK_FILE);
        RepoLock::acquire_file(repo, &path, command)
    }

    /// The same lock, as the file `path` (for a repository that may not exist yet).
    pub fn acquire_file(repo: &Path, path: &Path, command: &str) -> Result<RepoLock> {
        let path = path.to_path_buf();
        let mut took_over = None;
        for _ in 0..2 {
            // The lock appears with its holder line already in it (written to a
            // temporary file, then linked into place only if no lock exists): a
            // process killed while taking it leaves no empty lock nobody can judge.
            let dir = path.parent().unwrap_or(Path::new("."));
            let mut pending = tempfile::NamedTempFile::new_in(dir)
                .map_err(|e| crate::error::Error::destination(dir, e.to_string()))?;
            pending.write_all(holder_line(command).as_bytes())?;
            match pending.persist_noclobber(&path).map_err(|e| e.error) {
                Ok(_) => return Ok(RepoLock { path, took_over }),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    let holder = fs_err::read_to_string(&path).unwrap_or_default();
                    if holder_is_gone(&holder) && took_over.is_none() {
                        // Remove exactly the stale lock we read, then race for a new one.
                        let _ = fs_err::remove_file(&path);
                        took_over = Some(holder.trim().to_string());
                        continue;
                    }
                    return Err(busy(repo, &path, &holder));
                }
                Err(e) => return Err(e.into()),
            }
        }
        let holder = fs_err::read_to_string(&path).unwrap_or_default();
        Err(busy(repo, &path, &holder))
    }
}

impl Drop for RepoLock {
    fn drop(&mut self) {
        let _ = fs_err::remove_file(&self.path);
    }
}

fn busy(repo: &Path, lock: &Path, holder: &str) -> Error {
    let field = |key: &str| {
        holder
            .split_whitespace()
            .find_map(|kv| kv.strip_prefix(key).and_then(|v| v.strip_prefix('=')))
            .unwrap_or("?")
            .to_string()
    };
    let command = holder
        .split_once("command=")
        .map_or_else(|| "?".into(), |(_, c)| c.trim().to_string());
    Error::invalid(
        Problem::new(
            Location::file(repo.display().to_string()),
            format!(
                "another scaffold is working on this repository (pid {} on {}: `{command}`)",
                field("pid"),
                field("host")
            ),
        )
        .hint(format!(
            "wait for it to finish; if it is no longer running, delete {}",
            lock.display()
        )),
    )
}

/// Whether the process that wrote `holder` is certainly gone: it ran on this
/// host and no process has its id any more.
fn holder_is_gone(holder: &str) -> bool {
    let get = |key: &str| {
        holder
            .split_whitespace()
            .find_map(|kv| kv.strip_prefix(key).and_then(|v| v.strip_prefix('=')))
    };
    let (Some(pid), Some(host)) = (get("pid"), get("host")) else {
        return false;
    };
    host == hostname() && pid.parse::<u32>().is_ok_and(|p| !process_exists(p))
}

#[cfg(target_os = "linux")]
fn process_exists(pid: u32) -> bool {
    Path::new("/proc").join(pid.to_string()).exists()
}

#[cfg(not(target_os = "linux"))]
fn process_exists(_pid: u32) -> bool {
    // Without a cheap portable check, assume it still runs: never steal a live lock.
    true
}

fn hostname() -> String {
    fs_err::read_to_string("/proc/sys/kernel/hostname")
        .or_else(|_| fs_err::read_to_string("/etc/hostname"))
        .map(|h| h.trim().to_string())
        .ok()
        .filter(|h| !h.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "localhost".into())
}
