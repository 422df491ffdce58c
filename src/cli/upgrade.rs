//! `scaffold upgrade`: move a generated repository to a newer golden-path version.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use goldpath::answers::parse_set;
use goldpath::error::{Error, Location, Problem};
use goldpath::source::Config;
use goldpath::upgrade::{
    self, AnswerChanges, ConflictStyle, ExecuteOptions, UpgradeOutcome, UpgradeRequest,
};

use super::output::{outln, Tone};
use super::prompt::{self, TerminalPrompter};
use super::{exit, output};

/// Upgrade a generated repository to a newer version of its golden path with
/// a 3-way merge that keeps every local change. The result is left in the
/// work tree and the index for you to review and commit, like `git merge
/// --no-commit`; conflicts are real git conflicts.
#[derive(Args)]
#[command(after_help = "Examples:\n  \
    scaffold upgrade                         to the newest release\n  \
    scaffold upgrade ../orders --to 2.1.0\n  \
    scaffold upgrade --set port=9090         change an answer, even on the newest version\n  \
    scaffold upgrade --ask                   answer the questions again\n  \
    scaffold upgrade --source ../platform/golden-paths/svc   the golden path moved\n  \
    scaffold upgrade --dry-run --json        the plan: per file its class and whether it conflicts\n  \
    scaffold upgrade --continue              after resolving conflicts (git add each file)\n  \
    scaffold upgrade --abort                 back to exactly before the upgrade\n\n\
Exit codes: 0 upgraded cleanly (or nothing to do), 1 upgraded with conflicts to resolve, 2 error (repository untouched).")]
pub struct UpgradeArgs {
    /// The generated repository.
    #[arg(value_name = "REPO", default_value = ".")]
    repo: PathBuf,

    /// Target version (default: the newest release).
    #[arg(long, value_name = "VERSION")]
    to: Option<String>,

    /// Set or change an answer; repeatable. Without a newer version, the
    /// current one is re-rendered with the changed answers and merged the
    /// same way (copier's `recopy`).
    #[arg(long = "set", short = 's', value_name = "KEY=VALUE")]
    set: Vec<String>,

    /// Where the golden path lives now, when it moved (a folder renamed, a
    /// repository migrated): used for this upgrade and recorded in the lock.
    #[arg(long, value_name = "SOURCE")]
    source: Option<String>,

    /// Ask the questions again on the terminal, each offering the recorded
    /// answer; changed answers are applied as with --set.
    #[arg(long, conflicts_with = "json")]
    ask: bool,

    /// Show the plan; write nothing.
    #[arg(long)]
    dry_run: bool,

    /// Print the outcome (or, with --dry-run, the plan) as JSON.
    #[arg(long)]
    json: bool,

    /// How to leave conflicts: markers and git conflict entries, or FILE.rej beside an untouched file.
    #[arg(long, value_enum, default_value_t = Conflict::Inline)]
    conflict: Conflict,

    /// Run even with uncommitted changes.
    #[arg(long)]
    allow_dirty: bool,

    /// Put the repository back exactly as it was before the last upgrade.
    #[arg(long, conflicts_with_all = ["to", "set", "dry_run", "continue_"])]
    abort: bool,

    /// Finish an upgrade whose conflicts you have resolved.
    #[arg(long = "continue", id = "continue_", conflicts_with_all = ["to", "set", "dry_run"])]
    continue_: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum Conflict {
    Inline,
    Rej,
}

pub fn run(args: UpgradeArgs) -> u8 {
    let json = args.json;
    match execute(args) {
        Ok(code) => code,
        Err(e) => output::fail(&e, json),
    }
}

fn execute(args: UpgradeArgs) -> goldpath::error::Result<u8> {
    if args.abort {
        let guard = upgrade::lock(&args.repo, "scaffold upgrade --abort")?;
        let s = upgrade::abort(&args.repo, &guard)?;
        for path in &s.left_alone {
            output::warn(format_args!(
                "left {path} alone: it no longer holds what the upgrade wrote"
            ));
        }
        if output::quiet() {
            return Ok(exit::OK);
        }
        outln!(
            "Aborted: the upgrade from {} to {} is undone.",
            s.from,
            s.to
        );
        return Ok(exit::OK);
    }
    if args.continue_ {
        let guard = upgrade::lock(&args.repo, "scaffold upgrade --continue")?;
        let s = upgrade::continue_upgrade(&args.repo, &guard)?;
        if output::quiet() {
            return Ok(exit::OK);
        }
        outln!("Upgraded to {}: conflicts resolved, lock and pristine render moved. Review and commit.", s.to);
        return Ok(exit::OK);
    }
    let set = set_answers(&args.set)?;
    let config = Config::load()?;
    let set = if args.ask {
        if !prompt::terminal_can_ask() {
            return Err(Error::invalid(
                Problem::new(
                    Location::default().with_field("--ask"),
                    "needs a terminal to ask on",
                )
                .hint("pass the answers to change with --set KEY=VALUE"),
            ));
        }
        let request = UpgradeRequest {
            to: args.to.clone(),
            set,
            source: args.source.clone(),
        };
        upgrade::ask_again(
            &args.repo,
            &request,
            &config,
            &mut TerminalPrompter::new(true),
        )?
    } else {
        set
    };
    // Held from before the work tree is read until everything is written.
    let guard = if args.dry_run {
        None
    } else {
        Some(upgrade::lock(&args.repo, "scaffold upgrade")?)
    };
    let plan = upgrade::plan(
        &args.repo,
        &UpgradeRequest {
            to: args.to.clone(),
            set,
            source: args.source.clone(),
        },
        &config,
    )?;
    let outcome = if args.dry_run {
        upgrade::outcome_of(&plan)
    } else {
        let style = match args.conflict {
            Conflict::Inline => ConflictStyle::Inline,
            Conflict::Rej => ConflictStyle::Rej,
        };
        upgrade::execute(
            &args.repo,
            &plan,
            &ExecuteOptions {
                allow_dirty: args.allow_dirty,
                conflict_style: style,
            },
            guard.as_ref().expect("locked unless --dry-run"),
        )?
    };
    if args.json {
        output::print_json(&outcome);
    } else if !output::quiet() {
        summary(&outcome, args.dry_run);
    }
    Ok(if outcome.conflicts.is_empty() {
        exit::OK
    } else {
        exit::FOUND
    })
}

fn summary(o: &UpgradeOutcome, dry_run: bool) {
    if o.from == o.to && !o.reanswered {
        outln!("Nothing to do: already on {} {}.", o.golden_path, o.to);
        return;
    }
    let base = serde_json::to_value(o.base_source)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    if o.reanswered {
        let verb = if dry_run {
            "Would re-render"
        } else {
            "Re-rendered"
        };
        outln!(
            "{verb} {} {} with changed answers (merge base: {base})",
            o.golden_path,
            o.to
        );
    } else {
        let verb = if dry_run { "Would upgrade" } else { "Upgraded" };
        outln!(
            "{verb} {} {} -> {} (merge base: {base})",
            o.golden_path,
            o.from,
            o.to
        );
    }
    print_answer_changes(&o.answers);
    let width = o.changed.iter().map(|c| c.path.len()).max().unwrap_or(0);
    for c in &o.changed {
        let class = serde_json::to_value(c.class)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let mark = if c.conflict {
            output::paint("CONFLICT", Tone::Error)
        } else {
            String::new()
        };
        outln!("  {:width$}  {class} {mark}", c.path);
    }
    for r in &o.user_renames {
        outln!(
            "  {} -> {}: you renamed it ({}% similar); the golden path's changes were merged there",
            r.from,
            r.to,
            r.similarity
        );
    }
    for path in &o.kept_deleted {
        outln!("  {path}: you deleted it; the golden path changed it; it stays deleted");
    }
    if dry_run {
        return;
    }
    if o.pending && !o.rejects.is_empty() {
        outln!(
            "\n{} conflict(s): your files are untouched; the golden path's changes are beside them in:\n  {}\nApply each by hand (a .rej is a unified diff, a .theirs the whole new file), delete it, then:\n  scaffold upgrade --continue\nor undo everything with:\n  scaffold upgrade --abort",
            o.conflicts.len(),
            o.rejects.join("\n  ")
        );
    } else if o.pending {
        outln!("\n{} conflict(s) in {}: edit each file (git's conflict markers show both sides; `git status` lists them as unmerged), `git add` it, then:\n  scaffold upgrade --continue\nor undo everything with:\n  scaffold upgrade --abort", o.conflicts.len(), o.conflicts.join(", "));
    } else {
        outln!("\nReview with `git diff --cached`, then commit. `scaffold upgrade --abort` undoes it until you do.");
    }
}

fn print_answer_changes(changes: &AnswerChanges) {
    let shown = goldpath::answers::loose_text;
    for a in &changes.added {
        outln!("  answer added: {} = {}", a.name, shown(&a.value));
    }
    for r in &changes.renamed {
        outln!("  answer renamed: {} -> {}", r.from, r.to);
    }
    for c in &changes.changed {
        outln!(
            "  answer changed: {}: {} -> {}",
            c.name,
            shown(&c.from),
            shown(&c.to)
        );
    }
    for d in &changes.dropped {
        outln!("  answer dropped: {d}");
    }
}

/// `--set KEY=VALUE` flags as pairs, each mistake named (`upgrade` and `fleet upgrade`).
pub(super) fn set_answers(raw: &[String]) -> goldpath::error::Result<Vec<(String, String)>> {
    raw.iter()
        .map(|r| {
            parse_set(r).map_err(|m| {
                Error::invalid(Problem::new(Location::default().with_field("--set"), m))
            })
        })
        .collect()
}
