//! `scaffold publish`: release a golden-path version from its git repository.
//! It refuses unless the working version is ready: the version given matches the
//! manifest and is above the last tag, the changelog has an entry for it, the
//! golden path's folders are committed, and lint and the scenarios pass. Then it
//! tags `NAME/vX.Y.Z` (annotated with the changelog entry) and optionally pushes.

use std::path::Path;

use serde::Serialize;

use crate::error::{Error, Location, Problem, Problems, Result};
use crate::freshness::changelog_section;
use crate::git;
use crate::lint::{self, Report};
use crate::report::Reporter;
use crate::scenarios::{self, TestOptions, TestReport};
use crate::source::{self, Config, SourceSpec};

#[derive(Debug, Clone, Default)]
pub struct PublishOptions {
    pub version: String,
    pub push: bool,
    pub remote: String,
    pub dry_run: bool,
}

#[derive(Debug, Serialize)]
pub struct PublishOutcome {
    pub golden_path: String,
    pub tag: String,
    pub previous: Option<String>,
    pub dry_run: bool,
    pub tagged: bool,
    pub pushed: bool,
    /// Why nothing was tagged, when lint or the scenarios fail.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refused: Option<String>,
    pub lint: Report,
    pub test: TestReport,
}

pub fn publish(
    dir: &Path,
    opts: &PublishOptions,
    config: &Config,
    reporter: &dyn Reporter,
) -> Result<PublishOutcome> {
    let spec = SourceSpec::Folder {
        path: dir.to_path_buf(),
        name: None,
    };
    let gp = source::load(&spec, None, config)?;
    let m = &gp.manifest;
    let label = gp.manifest_label().to_string();
    let mut problems = Problems::default();
    let wanted = semver::Version::parse(&opts.version).map_err(|e| {
        Error::invalid(Problem::new(
            Location::default().with_field("--version"),
            format!("`{}` is not a version: {e}", opts.version),
        ))
    })?;
    if wanted != m.semver() {
        problems.push(
            Problem::new(
                Location::file(&label).with_field("version"),
                format!("the manifest says {}, not {wanted}", m.version),
            )
            .hint(format!(
                "set `version = \"{wanted}\"` in golden-path.toml and commit it"
            )),
        );
    }
    let repository = source::Published::find(dir, &m.name).ok_or_else(|| {
        Error::invalid(
            Problem::new(Location::file(dir.display().to_string()), "is not in a git repository")
                .hint("golden paths are published as tags of their git repository: `git init` and commit first"),
        )
    })?;
    let root = repository.root.as_path();
    let tag = repository.tag(&wanted.to_string());
    let repo_spec = repository.spec();
    let published = source::available_versions(&repo_spec, config).unwrap_or_default();
    let previous = published.iter().max().cloned();
    if let Some(last) = &previous {
        if wanted <= *last {
            problems.push(
                Problem::new(
                    Location::default().with_field("--version"),
                    format!("{wanted} is not above the last published version {last}"),
                )
                .hint("publish a higher version"),
            );
        }
    }
    let changelog_label = dir.join(source::CHANGELOG_FILE).display().to_string();
    let entry = gp
        .changelog
        .as_deref()
        .and_then(|c| changelog_section(c, &wanted));
    if entry.is_none() {
        problems.push(
            Problem::new(
                Location::file(&changelog_label),
                format!("no entry for {wanted}"),
            )
            .hint(format!("add a `## {wanted}` section saying what changed")),
        );
    }
    let dirty = git::run_cli(
        root,
        &[
            "status",
            "--porcelain",
            "--",
            &dir.canonicalize().unwrap_or_default().to_string_lossy(),
        ],
    )?;
    if !dirty.trim().is_empty() {
        problems.push(
            Problem::new(
                Location::file(dir.display().to_string()),
                "has uncommitted changes: the tag would not contain them",
            )
            .hint("commit them first"),
        );
    }
    problems.into_result(())?;

    let lint = lint::lint(dir, config)?;
    let test = scenarios::run(dir, &TestOptions::default(), config, reporter)?;
    let refused = if lint.errors() > 0 {
        Some(format!("lint found {} error(s)", lint.errors()))
    } else if test.failed() > 0 {
        Some(format!("{} scenario check(s) failed", test.failed()))
    } else {
        None
    };
    let mut outcome = PublishOutcome {
        golden_path: m.name.clone(),
        tag: tag.clone(),
        previous: previous.map(|v| v.to_string()),
        dry_run: opts.dry_run,
        tagged: false,
        pushed: false,
        refused,
        lint,
        test,
    };
    if outcome.refused.is_some() || opts.dry_run {
        return Ok(outcome);
    }
    let message = format!(
        "{} {wanted}\n\n{}",
        m.name,
        entry.unwrap_or_default().trim()
    );
    git::run_cli(root, &["tag", "-a", &tag, "-m", &message])?;
    outcome.tagged = true;
    if opts.push {
        git::run_cli(root, &["push", &opts.remote, &format!("refs/tags/{tag}")])?;
        outcome.pushed = true;
    }
    Ok(outcome)
}
