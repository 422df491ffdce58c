//! The git CLI, for what a user's own git does: clone and fetch over the
//! network (so SSH keys, credential helpers, proxies and `insteadOf` rules
//! apply), with no prompts, only the allowed protocols, and credentials from
//! a URL handed over through a one-call credential helper.

use std::fmt;
use std::path::Path;
use std::process::Command;

use crate::error::{Error, Location, Problem, Result};

/// Runs the git CLI in `dir` for what a user's own git would do there (clone a
/// local repository, apply a patch, commit, tag, push); its stdout, or its stderr
/// as the error.
pub fn run_cli(dir: &Path, args: &[&str]) -> Result<String> {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_TERMINAL_PROMPT", "0")
        .output()
        .map_err(|e| Error::destination(dir, format!("cannot run git: {e}")))?;
    if !out.status.success() {
        return Err(Error::invalid(Problem::new(
            Location::file(dir.display().to_string()),
            format!(
                "git {} failed: {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr).trim()
            ),
        )));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// A user name and password (or token) that came inside a URL. Its `Debug`
/// never shows them.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    pub username: String,
    pub password: String,
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Credentials(***)")
    }
}

/// Transports a source may be fetched over (`ext::` and others never).
const ALLOWED_PROTOCOLS: [&str; 5] = ["https", "http", "ssh", "git", "file"];

/// A `git` command for network transport: no terminal prompts, only the
/// allowed protocols, and credentials (when given) through a credential
/// helper that reads them from this one process's environment: they never
/// appear on a command line or in any file git writes.
pub fn transport_command(credentials: Option<&Credentials>) -> Command {
    let mut cmd = Command::new("git");
    cmd.env("GIT_TERMINAL_PROMPT", "0")
        .args(["-c", "protocol.allow=never"]);
    for p in ALLOWED_PROTOCOLS {
        cmd.arg("-c").arg(format!("protocol.{p}.allow=always"));
    }
    if let Some(c) = credentials {
        hand_over_credentials(&mut cmd, c);
    }
    cmd
}

/// Gives `cmd` the credentials that came inside a URL, for this one call:
/// a credential helper that reads them from the child's environment (never
/// the command line, the config or the cache), replacing the user's helpers.
pub fn hand_over_credentials(cmd: &mut Command, c: &Credentials) {
    cmd.args([
        "-c",
        "credential.helper=",
        "-c",
        "credential.helper=!f() { test \"$1\" = get || exit 0; printf 'username=%s\\npassword=%s\\n' \"$SCAFFOLD_GIT_USERNAME\" \"$SCAFFOLD_GIT_PASSWORD\"; }; f",
    ])
    .env("SCAFFOLD_GIT_USERNAME", &c.username)
    .env("SCAFFOLD_GIT_PASSWORD", &c.password);
}

/// Clones `url` (credential-free) as a bare repository into `cache`, or
/// fetches into it when it exists. The cache's recorded remote is always
/// the credential-free URL (older caches that held a token are scrubbed).
pub fn clone_or_fetch(url: &str, credentials: Option<&Credentials>, cache: &Path) -> Result<()> {
    let mut cmd = transport_command(credentials);
    if cache.join("HEAD").is_file() {
        let scrub = Command::new("git")
            .arg("-C")
            .arg(cache)
            .args(["config", "remote.origin.url", url])
            .output()
            .map_err(|e| Error::Git(format!("cannot run `git`: {e}")))?;
        if !scrub.status.success() {
            return Err(Error::Git(format!(
                "cannot update the cached clone at {}",
                cache.display()
            )));
        }
        cmd.arg("-C").arg(cache).args([
            "fetch",
            "--quiet",
            "--prune",
            "--force",
            "--tags",
            "--",
            url,
            "+refs/heads/*:refs/heads/*",
        ]);
    } else {
        if let Some(parent) = cache.parent() {
            fs_err::create_dir_all(parent)?;
        }
        cmd.args(["clone", "--quiet", "--bare", "--", url])
            .arg(cache);
    }
    let output = cmd
        .output()
        .map_err(|e| Error::Git(format!("cannot run `git`: {e}")))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let last = stderr.trim().lines().last().unwrap_or("git failed");
        let redactor = crate::redact::Redactor::new(
            credentials
                .map(|c| c.password.as_str())
                .into_iter()
                .filter(|p| p.len() >= 4),
        );
        return Err(Error::Git(redactor.apply(last)));
    }
    Ok(())
}
