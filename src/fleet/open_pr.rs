//! `--open-pr 'COMMAND'`: the user's own forge CLI (`gh`, `glab`, `tea`…)
//! opens the pull request, with its own authentication. The command runs
//! with `sh -c` in the repository's clone; `{branch}`, `{title}`,
//! `{body_file}` and `{repo}` become `"$SCAFFOLD_PR_BRANCH"` and so on, so the
//! values (which come from repositories and golden paths) reach the command
//! as data and are never read by the shell as code.

use std::path::Path;
use std::process::Command;

const PLACEHOLDERS: [(&str, &str); 4] = [
    ("branch", "SCAFFOLD_PR_BRANCH"),
    ("title", "SCAFFOLD_PR_TITLE"),
    ("body_file", "SCAFFOLD_PR_BODY_FILE"),
    ("repo", "SCAFFOLD_PR_REPO"),
];

/// The command with each placeholder (bare or already quoted) replaced by a
/// quoted variable reference.
pub fn expand(command: &str) -> String {
    let mut out = command.to_string();
    for (name, var) in PLACEHOLDERS {
        let reference = format!("\"${var}\"");
        for quoted in [format!("\"{{{name}}}\""), format!("'{{{name}}}'")] {
            out = out.replace(&quoted, &reference);
        }
        out = out.replace(&format!("{{{name}}}"), &reference);
    }
    out
}

/// Runs the command; what it printed (e.g. the pull request's address), or why it failed.
pub fn run(
    command: &str,
    dir: &Path,
    branch: &str,
    title: &str,
    body_file: &Path,
    repo: &str,
) -> Result<String, String> {
    let output = Command::new("sh")
        .arg("-c")
        .arg(expand(command))
        .current_dir(dir)
        .env("SCAFFOLD_PR_BRANCH", branch)
        .env("SCAFFOLD_PR_TITLE", title)
        .env("SCAFFOLD_PR_BODY_FILE", body_file)
        .env("SCAFFOLD_PR_REPO", repo)
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|e| format!("cannot run sh: {e}"))?;
    if output.status.success() {
        return Ok(String::from_utf8_lossy(&output.stdout).trim().to_string());
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    Err(format!(
        "{} {}",
        output.status,
        stderr.lines().last().unwrap_or_default().trim()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_become_quoted_variables() {
        assert_eq!(
            expand("gh pr create --head {branch} --title \"{title}\" --body-file '{body_file}'"),
            "gh pr create --head \"$SCAFFOLD_PR_BRANCH\" --title \"$SCAFFOLD_PR_TITLE\" --body-file \"$SCAFFOLD_PR_BODY_FILE\""
        );
    }

    #[test]
    fn values_are_data_not_code() {
        let tmp = tempfile::tempdir().unwrap();
        let out = run(
            "printf '%s' {title}",
            tmp.path(),
            "b",
            "$(touch pwned); `touch pwned2`",
            Path::new("x"),
            "r",
        )
        .unwrap();
        assert_eq!(out, "$(touch pwned); `touch pwned2`");
        assert!(!tmp.path().join("pwned").exists() && !tmp.path().join("pwned2").exists());
    }
}
