//! The pull-request description of one upgraded repository: what changed
//! in the golden path, what changed in this repository, the conflicts and
//! how to finish them, and how the branch was produced. Everything that
//! comes from the repository or the golden path is escaped (`markup`).

use super::markup::{md_block, md_code};
use crate::upgrade::UpgradeOutcome;

/// What the description says.
pub struct PrBody<'a> {
    pub repository: &'a str,
    pub outcome: &'a UpgradeOutcome,
    /// (version, its changelog section), oldest first.
    pub changelog: Vec<(String, Option<String>)>,
    pub branch: &'a str,
    /// Conflicted files were committed with markers (`true`) or left out.
    pub markers_committed: bool,
    pub command: &'a str,
}

/// The title of the pull request.
pub fn title(outcome: &UpgradeOutcome) -> String {
    format!(
        "Upgrade {} {} -> {}",
        outcome.golden_path, outcome.from, outcome.to
    )
}

impl PrBody<'_> {
    pub fn render(&self) -> String {
        let o = self.outcome;
        let mut out = String::new();
        out.push_str(&format!(
            "## Upgrade {} {} → {}\n\n",
            md_code(&o.golden_path),
            md_code(&o.from),
            md_code(&o.to)
        ));
        out.push_str(&format!(
            "Repository {} moves to a new version of its golden path with a 3-way merge that keeps the team's changes. ",
            md_code(self.repository)
        ));
        if o.conflicts.is_empty() {
            out.push_str("It merged without conflicts.\n\n");
        } else if self.markers_committed {
            out.push_str(&format!(
                "**{} file(s) have conflicts**, committed with conflict markers: resolve them before merging.\n\n",
                o.conflicts.len()
            ));
        } else {
            out.push_str(&format!(
                "**{} file(s) have conflicts and were left out** of this branch; the lock stays on {} until they are upgraded by hand.\n\n",
                o.conflicts.len(),
                md_code(&o.from)
            ));
        }
        if !self.changelog.is_empty() {
            out.push_str("### What changed in the golden path\n\n");
            for (version, changes) in &self.changelog {
                out.push_str(&format!("#### {}\n\n", md_code(version)));
                match changes {
                    Some(text) => out.push_str(&format!("{}\n\n", md_block(text))),
                    None => out.push_str("(no changelog entry)\n\n"),
                }
            }
        }
        out.push_str("### Files\n\n| file | change | conflict |\n| --- | --- | --- |\n");
        for c in &o.changed {
            let class = serde_json::to_value(c.class)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            out.push_str(&format!(
                "| {} | {} | {} |\n",
                md_code(&c.path),
                class,
                if c.conflict { "yes" } else { "" }
            ));
        }
        out.push('\n');
        for r in &o.user_renames {
            out.push_str(&format!(
                "- {} was renamed to {} here; the golden path's changes were merged there.\n",
                md_code(&r.from),
                md_code(&r.to)
            ));
        }
        for path in &o.kept_deleted {
            out.push_str(&format!(
                "- {} was deleted here and the golden path changed it: it stays deleted.\n",
                md_code(path)
            ));
        }
        if !o.conflicts.is_empty() {
            out.push_str("\n### Conflicts\n\n");
            for path in &o.conflicts {
                out.push_str(&format!("- {}\n", md_code(path)));
            }
            if self.markers_committed {
                out.push_str(&format!(
                    "\nTo resolve: `git fetch origin && git switch {}`, edit each file above (search for `<<<<<<<`), then commit and push.\n",
                    self.branch
                ));
            } else {
                out.push_str(
                    "\nTo finish: on the default branch, run `scaffold upgrade`, resolve the conflicts, then `scaffold upgrade --continue` and commit.\n",
                );
            }
        }
        out.push_str(&format!(
            "\n### How this was produced\n\n- merge base: {}{}\n- by `scaffold {}`: {}\n",
            serde_json::to_value(o.base_source)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default(),
            o.base_note
                .as_deref()
                .map(|n| format!(" ({})", md_code(n)))
                .unwrap_or_default(),
            env!("CARGO_PKG_VERSION"),
            md_code(self.command)
        ));
        out
    }
}
