//! `scaffold new`: arguments, then `goldpath::generate::new`, then a summary.

use std::path::PathBuf;

use clap::Args;
use goldpath::answers::Prompter;
use goldpath::generate::{self, NewOptions, NewOutcome};
use goldpath::git::Author;
use goldpath::source::Config;
use goldpath::tasks::TaskStatus;

use super::exit;
use super::output::{self, paint, StderrReporter};
use super::output::{errln, outln, Tone};
use super::prompt::{self, TerminalPrompter};

/// Render a golden path into a new repository.
///
/// Answers come from, lowest priority first: the golden path's defaults,
/// --answers FILE, --request FILE, --set key=value, then questions on a
/// terminal for whatever is left. Without a terminal (CI), or with
/// --defaults, nothing is ever asked: a missing answer is an error.
#[derive(Args)]
#[command(after_help = "SOURCE is one of:\n  \
    NAME                 a built-in golden path (see `scaffold list`)\n  \
    ./path/to/folder     a folder with golden-path.toml\n  \
    URL or repo path     a git repository with version tags (vX.Y.Z, or NAME/vX.Y.Z);\n                       \
    add #NAME to pick one golden path of several (repo.git#api-gateway)\n\n\
Examples:\n  \
    scaffold new java-service ./orders --defaults --set service_name=orders\n  \
    scaffold new ./golden-paths/java-service ./orders --answers answers.yaml\n  \
    scaffold new https://git.example.com/platform/paths.git#java-service ./orders --version 2.1.0\n  \
    scaffold new --request platform-request.yaml ./user-service\n  \
    scaffold new java-service ./orders --defaults --dry-run --json")]
pub struct NewArgs {
    /// The golden path; optional with --request (its `spec.type` picks one).
    #[arg(value_name = "SOURCE")]
    source: Option<String>,

    /// Where to create the repository (must not exist, or be empty).
    #[arg(value_name = "DEST")]
    dest: Option<PathBuf>,

    /// Golden-path version to use (default: the newest release tag).
    #[arg(long, value_name = "VERSION")]
    version: Option<String>,

    /// Set an answer; repeatable (`--set service_name=orders --set port=8080`). Lists are comma-separated.
    #[arg(long = "set", short = 's', value_name = "KEY=VALUE")]
    set: Vec<String>,

    /// Read answers from a TOML, YAML or JSON file.
    #[arg(long, value_name = "FILE")]
    answers: Option<PathBuf>,

    /// Read answers from a platform `ServiceRequest` (platform-request.yaml).
    #[arg(long, value_name = "FILE")]
    request: Option<PathBuf>,

    /// Never ask: use defaults for everything not given.
    #[arg(long)]
    defaults: bool,

    /// On a terminal, write without the summary and confirmation after the questions.
    #[arg(long, short = 'y')]
    yes: bool,

    /// Write into DEST even if it is not empty (files with the same names are replaced).
    #[arg(long)]
    force: bool,

    /// Show what would be written; write nothing.
    #[arg(long)]
    dry_run: bool,

    /// Do not create a git repository (no initial commit, no pristine ref).
    #[arg(long)]
    no_git: bool,

    /// Run the golden path's tasks (shell commands) even if its source is not trusted in your config.
    #[arg(long)]
    trust: bool,

    /// Commit author, "Name <email>" (default: your git config).
    #[arg(long, value_name = "NAME <EMAIL>")]
    author: Option<String>,

    /// Print a JSON summary on stdout.
    #[arg(long)]
    json: bool,
}

pub fn run(args: NewArgs) -> u8 {
    let json = args.json;
    match execute(args) {
        Ok(code) => code,
        Err(e) => output::fail(&e, json),
    }
}

fn execute(args: NewArgs) -> goldpath::error::Result<u8> {
    use goldpath::error::{Error, Location, Problem};
    // With --request, one positional argument is DEST.
    let (source, dest) = match (args.source.clone(), args.dest.clone(), &args.request) {
        (Some(s), Some(d), _) => (Some(s), d),
        (Some(only), None, Some(_)) => (None, PathBuf::from(only)),
        (Some(_), None, None) => {
            return Err(Error::invalid(
                Problem::new(
                    Location::default().with_field("DEST"),
                    "missing DEST: where should the repository go?",
                )
                .hint("scaffold new SOURCE DEST, e.g. `scaffold new java-service ./orders`"),
            ))
        }
        (None, _, _) => {
            return Err(Error::invalid(
                Problem::new(
                    Location::default().with_field("SOURCE"),
                    "missing SOURCE and DEST",
                )
                .hint("scaffold new SOURCE DEST; `scaffold list` shows the golden paths"),
            ))
        }
    };
    let author = args.author.as_deref().map(parse_author).transpose()?;
    let options = NewOptions {
        source,
        dest,
        version: args.version.clone(),
        answers_file: args.answers.clone(),
        request_file: args.request.clone(),
        set: args.set.clone(),
        force: args.force,
        dry_run: args.dry_run,
        git: !args.no_git,
        trust: args.trust,
        author,
    };
    let config = Config::load()?;
    let interactive = !args.defaults && prompt::terminal_can_ask();
    let mut terminal = TerminalPrompter::new(args.yes);
    let prompter: Option<&mut dyn Prompter> = if interactive {
        Some(&mut terminal)
    } else {
        None
    };
    let reporter = StderrReporter {
        quiet: output::quiet() || args.json,
    };
    let outcome = generate::new(&options, &config, prompter, &reporter)?;
    if args.json {
        output::print_json(&outcome);
    } else if !output::quiet() {
        summary(&outcome);
    }
    if !args.json && !outcome.unused_request_fields.is_empty() {
        output::warn(format_args!(
            "request fields this golden path does not use (ignored): {}",
            outcome.unused_request_fields.join(", ")
        ));
    }
    if let Some(task) = outcome.failed_task() {
        let code = task
            .exit_code
            .map_or_else(|| "was killed".to_string(), |c| format!("exited {c}"));
        errln!(
            "{}: task `{}` {code}. The repository was created{}; what the tasks changed is left uncommitted for review.\n  hint: cd {} && git status, fix the cause, then run it yourself: {}",
            paint("error", Tone::Error),
            task.name,
            if outcome.commit.is_some() { " with its initial commit" } else { "" },
            outcome.destination.display(),
            task.command
        );
        return Ok(exit::FOUND);
    }
    Ok(exit::OK)
}

pub(super) fn parse_author(raw: &str) -> goldpath::error::Result<Author> {
    use goldpath::error::{Error, Location, Problem};
    let parsed = raw
        .split_once('<')
        .and_then(|(name, rest)| Some((name.trim(), rest.strip_suffix('>')?.trim())));
    match parsed {
        Some((name, email)) if !name.is_empty() && email.contains('@') => Ok(Author {
            name: name.into(),
            email: email.into(),
        }),
        _ => Err(Error::invalid(Problem::new(
            Location::default().with_field("--author"),
            format!("`{raw}` is not of the form \"Name <email>\""),
        ))),
    }
}

fn summary(o: &NewOutcome) {
    let dest = o.destination.display();
    let executables = o.files.iter().filter(|f| f.executable).count();
    let bytes: usize = o.files.iter().map(|f| f.bytes).sum();
    if o.dry_run {
        outln!(
            "Would create {dest} from {} {} ({}):",
            o.golden_path,
            o.version,
            o.source
        );
        for f in &o.files {
            outln!(
                "  {}{}  ({} bytes)",
                f.path,
                if f.executable { " *" } else { "" },
                f.bytes
            );
        }
        outln!(
            "{} files, {} bytes. Nothing was written (--dry-run).",
            o.files.len(),
            bytes
        );
        return;
    }
    outln!(
        "{} {dest} from {} {} ({})",
        paint("Created", Tone::Success),
        o.golden_path,
        o.version,
        o.source
    );
    outln!(
        "  {} files ({} executable), {} KiB",
        o.files.len(),
        executables,
        bytes.div_ceil(1024)
    );
    if let Some(commit) = &o.commit {
        outln!(
            "  git repository with initial commit {}",
            &commit[..commit.len().min(10)]
        );
    }
    let ran = o
        .tasks
        .iter()
        .filter(|t| t.status == TaskStatus::Ok)
        .count();
    if ran > 0 {
        outln!(
            "  {ran} task(s) ran{}",
            o.tasks_commit
                .as_ref()
                .map(|c| format!("; their changes are in commit {}", &c[..c.len().min(10)]))
                .unwrap_or_default()
        );
    }
    let skipped: Vec<&str> = o
        .tasks
        .iter()
        .filter(|t| t.status == TaskStatus::Skipped)
        .map(|t| t.command.as_str())
        .collect();
    if !skipped.is_empty() && o.failed_task().is_none() {
        outln!("  tasks not run (untrusted source): {}", skipped.join("; "));
    }
    outln!("\nNext steps:\n  cd {dest}\n  cat README.md");
    if o.commit.is_some() {
        outln!("  git remote add origin <url> && git push -u origin HEAD");
    }
}
