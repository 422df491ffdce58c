//! The git CLI as a fleet runs it: only for transport (clone, fetch, push),
//! and never running code a repository or mirror could bring along.
//!
//! Everything local (checkout, status, commit) goes through libgit2, which
//! runs no hooks, no fsmonitor and no filter drivers. For the CLI calls, every
//! command gets: no system config, `core.hooksPath=/dev/null`,
//! `core.fsmonitor=false`, only the https, http, ssh and git protocols (file
//! only when the repository list names a local path; `ext::` never), no
//! terminal prompts, credentials through a one-call helper, and every URL or
//! ref after `--` or checked not to look like an option. A deadline kills the
//! command when the repository's time is up.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::git::Credentials;

/// Why a git command did not succeed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GitFailure {
    /// It ran out of time and was killed.
    Timeout,
    /// It failed; the last line of what it said (credentials masked).
    Failed(String),
}

/// A hardened git command for one repository of the fleet.
pub struct FleetGit<'a> {
    pub allow_file: bool,
    pub credentials: Option<&'a Credentials>,
    pub deadline: Instant,
}

impl FleetGit<'_> {
    /// `git [hardening] ARGS` in `dir` (or anywhere when `None`).
    pub fn command(&self, dir: Option<&Path>, args: &[&str]) -> Command {
        let mut cmd = Command::new("git");
        if let Some(d) = dir {
            cmd.current_dir(d);
        }
        cmd.env("GIT_TERMINAL_PROMPT", "0")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE")
            .args(["-c", "core.hooksPath=/dev/null"])
            .args(["-c", "core.fsmonitor=false"])
            .args(["-c", "protocol.allow=never"]);
        for p in ["https", "http", "ssh", "git"] {
            cmd.arg("-c").arg(format!("protocol.{p}.allow=always"));
        }
        if self.allow_file {
            cmd.args(["-c", "protocol.file.allow=always"]);
        }
        if let Some(c) = self.credentials {
            crate::git::hand_over_credentials(&mut cmd, c);
        }
        cmd.args(args);
        cmd
    }

    /// Runs `git ARGS` to completion or the deadline; its stdout.
    pub fn run(&self, dir: Option<&Path>, args: &[&str]) -> Result<String, GitFailure> {
        let mut cmd = self.command(dir, args);
        cmd.stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = cmd
            .spawn()
            .map_err(|e| GitFailure::Failed(format!("cannot run git: {e}")))?;
        // Drain both pipes on threads so a chatty command cannot block on a full pipe.
        let mut out = child.stdout.take().expect("piped");
        let mut err = child.stderr.take().expect("piped");
        let out_reader = std::thread::spawn(move || {
            let mut s = Vec::new();
            let _ = out.read_to_end(&mut s);
            s
        });
        let err_reader = std::thread::spawn(move || {
            let mut s = Vec::new();
            let _ = err.read_to_end(&mut s);
            s
        });
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break status,
                Ok(None) if Instant::now() >= self.deadline => {
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err(GitFailure::Timeout);
                }
                Ok(None) => std::thread::sleep(Duration::from_millis(5)),
                Err(e) => return Err(GitFailure::Failed(e.to_string())),
            }
        };
        let stdout = out_reader.join().unwrap_or_default();
        let stderr = err_reader.join().unwrap_or_default();
        if status.success() {
            return Ok(String::from_utf8_lossy(&stdout).into_owned());
        }
        let text = String::from_utf8_lossy(&stderr);
        let last = text
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("git failed")
            .trim()
            .to_string();
        let masked = match self.credentials {
            Some(c) => crate::redact::Redactor::new([c.password.as_str(), c.username.as_str()])
                .apply(&last),
            None => last,
        };
        Err(GitFailure::Failed(masked))
    }
}

/// For a repository on this machine, git runs `upload-pack` (fetch) and
/// `receive-pack` (push) inside it, where its own config and hooks would
/// apply (a `reference-transaction` hook, say). These run them with hooks
/// and fsmonitor off instead.
pub const LOCAL_UPLOAD_PACK: &str =
    "--upload-pack=git -c core.hooksPath=/dev/null -c core.fsmonitor=false upload-pack";
pub const LOCAL_RECEIVE_PACK: &str =
    "--receive-pack=git -c core.hooksPath=/dev/null -c core.fsmonitor=false receive-pack";

/// git's own rules for a branch name (`git check-ref-format --branch`),
/// plus never a leading `-`: a name from a template or a lock is checked
/// before it reaches a command line.
pub fn check_branch_name(name: &str) -> Result<(), String> {
    let bad = |why: &str| Err(format!("`{name}` is not a valid branch name: {why}"));
    if name.is_empty() {
        return bad("it is empty");
    }
    if name.starts_with('-') {
        return bad("it starts with `-`");
    }
    if name == "@" || name.contains("@{") {
        return bad("it contains `@{` or is `@`");
    }
    if name.contains("..") || name.contains("//") {
        return bad("it contains `..` or `//`");
    }
    if name.starts_with('/') || name.ends_with('/') || name.ends_with('.') {
        return bad("it starts or ends with `/`, or ends with `.`");
    }
    if name
        .chars()
        .any(|c| c.is_control() || " ~^:?*[\\".contains(c))
    {
        return bad("it contains a space, a control character or one of ~^:?*[\\");
    }
    if name
        .split('/')
        .any(|part| part.starts_with('.') || part.ends_with(".lock"))
    {
        return bad("a part of it starts with `.` or ends with `.lock`");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn branch_names_follow_gits_rules() {
        for good in ["scaffold/java-service-2.0.0", "main", "feature/x_y"] {
            assert!(check_branch_name(good).is_ok(), "{good}");
        }
        for bad in [
            "-f",
            "--upload-pack=x",
            "a..b",
            "a b",
            "a~1",
            "x.lock",
            "a/.b",
            "x/",
            "@",
            "a@{1}",
            "a:b",
            "",
        ] {
            assert!(check_branch_name(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_deadline_kills_the_command() {
        let git = FleetGit {
            allow_file: false,
            credentials: None,
            deadline: Instant::now() + Duration::from_millis(200),
        };
        // `git -c alias.w='!sleep 5' w` runs a shell alias: git itself, no repository code.
        let started = Instant::now();
        let result = git.run(None, &["-c", "alias.w=!sleep 5", "w"]);
        assert_eq!(result, Err(GitFailure::Timeout));
        assert!(started.elapsed() < Duration::from_secs(3));
    }
}
