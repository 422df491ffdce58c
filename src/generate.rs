//! `scaffold new`: source -> golden path -> answers -> tree -> files, lock,
//! git. Everything that can fail on bad input fails before the first write.

use std::path::PathBuf;

use serde::Serialize;

use crate::answers::{self, load_answers_file, parse_set, AnswerInputs, Prompter, ServiceRequest};
use crate::apply;
use crate::error::{Error, Location, Problem, Problems, Result};
use crate::git::{self, Author};
use crate::lock::LOCK_PATH;
use crate::render_plan;
use crate::report::Reporter;
use crate::source::{self, Config, SourceSpec};
use crate::tasks::{self, TaskOutcome, TaskStatus};
use crate::tree::{FileEntry, Tree};

/// What `scaffold new` was asked to do.
#[derive(Debug, Default)]
pub struct NewOptions {
    /// `None`: pick the golden path from the request's `spec.type`.
    pub source: Option<String>,
    pub dest: PathBuf,
    pub version: Option<String>,
    pub answers_file: Option<PathBuf>,
    pub request_file: Option<PathBuf>,
    /// Raw `key=value` strings.
    pub set: Vec<String>,
    pub force: bool,
    pub dry_run: bool,
    pub git: bool,
    pub trust: bool,
    pub author: Option<Author>,
}

/// What `scaffold new` did (or, with `--dry-run`, would do).
#[derive(Debug, Serialize)]
pub struct NewOutcome {
    pub golden_path: String,
    pub version: String,
    pub source: String,
    pub destination: PathBuf,
    pub dry_run: bool,
    pub files: Vec<FileSummary>,
    pub commit: Option<String>,
    pub tasks: Vec<TaskOutcome>,
    /// The commit holding what the tasks changed, when they changed anything.
    pub tasks_commit: Option<String>,
    /// Request fields the golden path does not map (so the user can see nothing was silently dropped).
    pub unused_request_fields: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct FileSummary {
    pub path: String,
    pub bytes: usize,
    pub executable: bool,
}

pub fn new(
    opts: &NewOptions,
    config: &Config,
    prompter: Option<&mut dyn Prompter>,
    reporter: &dyn Reporter,
) -> Result<NewOutcome> {
    let mut set = Vec::new();
    let mut problems = Problems::default();
    for raw in &opts.set {
        match parse_set(raw) {
            Ok(pair) => set.push(pair),
            Err(message) => problems.push(Problem::new(
                Location::default().with_field("--set"),
                message,
            )),
        }
    }
    problems.into_result(())?;
    let state = apply::inspect(&opts.dest, opts.force)?;
    let request = opts
        .request_file
        .as_deref()
        .map(ServiceRequest::load)
        .transpose()?;
    let source_name = match (&opts.source, &request) {
        (Some(s), _) => s.clone(),
        (None, Some(r)) => source_for_request(r, config, reporter)?,
        (None, None) => {
            return Err(Error::invalid(
                Problem::new(Location::default(), "no SOURCE given")
                    .hint("name a golden path (`scaffold list` shows them) or pass --request FILE"),
            ))
        }
    };
    let spec = SourceSpec::parse(&source_name);
    if matches!(spec, SourceSpec::Git { local: false, .. }) {
        reporter.step(&format!("fetching {}", spec.display()));
    }
    let gp = source::load(&spec, opts.version.as_deref(), config)?;
    let compiled = render_plan::compile(&gp)?;

    let mut inputs = AnswerInputs {
        set,
        ..Default::default()
    };
    if let Some(path) = &opts.answers_file {
        inputs.file = Some(load_answers_file(path)?);
    }
    let mut unused_request_fields = Vec::new();
    if let Some(r) = &request {
        let mapping = gp.manifest.request.as_ref().ok_or_else(|| {
            Error::invalid(Problem::new(
                Location::file(gp.manifest_label()).with_field("request"),
                format!(
                    "golden path `{}` declares no [request] mapping, so it cannot take --request",
                    gp.manifest.name
                ),
            ))
        })?;
        let (labelled, unused) = r.answers(mapping);
        inputs.request = Some(labelled);
        unused_request_fields = unused;
    }
    let mut prompter = prompter;
    let asking = prompter.as_mut().map(|p| &mut **p as &mut dyn Prompter);
    let (resolved, rendered) = render_plan::resolve_and_render(&gp, &compiled, &inputs, asking)?;
    let meta = answers::metadata(&gp.manifest.name, &gp.manifest.version);
    let task_list = tasks::planned(
        &gp.manifest,
        &compiled.templates,
        &resolved.full_context(meta),
    )?;

    let pristine_tree = git::tree_id(&git::ids_of(&rendered.tree));
    let lock = render_plan::lock_for(
        &gp,
        &gp.origin.source,
        &rendered,
        &resolved,
        rendered.tree.hashes(),
        pristine_tree,
    );
    let lock_path = crate::lock::lock_rel_path();
    if rendered.tree.get(&lock_path).is_some() {
        return Err(Error::invalid(Problem::new(
            Location::file(format!("template/{LOCK_PATH}")),
            "the golden path renders a file where scaffold keeps its lock",
        )));
    }
    let mut own_files = Tree::new();
    own_files.insert(
        lock_path,
        FileEntry::new(lock.to_toml().into_bytes(), false),
    );

    let mut outcome = NewOutcome {
        golden_path: gp.manifest.name.clone(),
        version: gp.manifest.version.clone(),
        source: gp.origin.source.clone(),
        destination: opts.dest.clone(),
        dry_run: opts.dry_run,
        files: summarise(&rendered.tree, &own_files),
        commit: None,
        tasks: Vec::new(),
        tasks_commit: None,
        unused_request_fields,
    };
    if opts.dry_run {
        outcome.tasks = tasks::skipped(&task_list);
        return Ok(outcome);
    }
    if let Some(p) = prompter {
        let answers: Vec<(String, serde_json::Value)> = resolved.recorded_in_order();
        let go_on = p.confirm(&answers::Confirmation {
            golden_path: &gp.manifest.name,
            version: &gp.manifest.version,
            destination: &opts.dest,
            answers: &answers,
            files: rendered.tree.len(),
        })?;
        if !go_on {
            return Err(Error::invalid(Problem::new(
                Location::file(opts.dest.display().to_string()),
                "cancelled at the confirmation: nothing was written",
            )));
        }
    }
    if opts.git && state == apply::Destination::NonEmpty && git::is_repository_root(&opts.dest) {
        return Err(Error::destination(
            &opts.dest,
            "is already a git repository; `scaffold new` creates a new one",
        ));
    }
    // The files and the repository are built in a staging folder and moved
    // into place together: a failure anywhere before leaves nothing behind.
    let staged = apply::stage(&[&rendered.tree, &own_files], &opts.dest, state)?;
    let message = format!(
        "Scaffold {} {}\n\nGenerated by scaffold {} from {}.",
        gp.manifest.name,
        gp.manifest.version,
        env!("CARGO_PKG_VERSION"),
        gp.origin.source
    );
    if opts.git {
        outcome.commit = Some(git::init_and_commit(
            staged.path(),
            &git::InitialCommit {
                pristine: &rendered.tree,
                extra: &own_files,
                message: &message,
                author: opts.author.as_ref(),
            },
        )?);
    }
    staged.publish()?;
    if !task_list.is_empty() {
        if opts.trust || config.is_trusted(&gp.origin) {
            outcome.tasks = tasks::run(&task_list, &opts.dest, &resolved, reporter)?;
            let all_ok = outcome.tasks.iter().all(|t| t.status == TaskStatus::Ok);
            if opts.git && all_ok {
                outcome.tasks_commit = git::commit_work_tree(
                    &opts.dest,
                    &format!(
                        "Run the tasks of {} {}",
                        gp.manifest.name, gp.manifest.version
                    ),
                    opts.author.as_ref(),
                )?;
            }
        } else {
            reporter.warn(&format!("{} task(s) not run because `{}` is not trusted: pass --trust to run them, or add it to `trusted` in your config", task_list.len(), gp.origin.source));
            outcome.tasks = tasks::skipped(&task_list);
        }
    }
    Ok(outcome)
}

impl NewOutcome {
    /// The task that failed, if one did (the repository was still created).
    pub fn failed_task(&self) -> Option<&TaskOutcome> {
        self.tasks.iter().find(|t| t.status == TaskStatus::Failed)
    }
}

/// Every file to write, sorted by path.
fn summarise(rendered: &Tree, own: &Tree) -> Vec<FileSummary> {
    let mut files: Vec<FileSummary> = rendered
        .iter()
        .chain(own.iter())
        .map(|(p, f)| FileSummary {
            path: p.to_string(),
            bytes: f.content.len(),
            executable: f.executable,
        })
        .collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

fn source_for_request(
    request: &ServiceRequest,
    config: &Config,
    reporter: &dyn Reporter,
) -> Result<String> {
    let kind = request.service_type().ok_or_else(|| {
        Error::invalid(Problem::new(
            Location::file(&request.label).with_field("spec.type"),
            "no SOURCE given and the request has no `spec.type` to choose a golden path by",
        ))
    })?;
    let (matches, warnings) = source::find_by_request_type(config, kind);
    for w in warnings {
        reporter.warn(&w);
    }
    match matches.as_slice() {
        [one] => Ok(one.source.clone()),
        [] => Err(Error::invalid(
            Problem::new(
                Location::file(&request.label).with_field("spec.type"),
                format!("no golden path in the catalog handles `type: {kind}`"),
            )
            .hint("name a SOURCE explicitly, or see `scaffold list`"),
        )),
        many => Err(Error::invalid(
            Problem::new(
                Location::file(&request.label).with_field("spec.type"),
                format!(
                    "several golden paths handle `type: {kind}`: {}",
                    many.iter()
                        .map(|e| e.source.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
            .hint("name the SOURCE explicitly"),
        )),
    }
}
