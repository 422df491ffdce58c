//! `scaffold publish`: tag a golden-path version once it is ready.

use std::path::PathBuf;

use clap::Args;
use goldpath::publish::{publish, PublishOptions};
use goldpath::source::Config;

use super::output::{errln, outln, Tone};
use super::{exit, output};

/// Publish a golden-path version: refuses unless the version matches the manifest
/// and is above the last tag, the changelog has an entry for it, the folder is
/// committed, and `scaffold lint` and `scaffold test` pass. Then tags `NAME/vX.Y.Z`
/// (or `vX.Y.Z` for a repository holding one golden path) and, with --push, pushes it.
#[derive(Args)]
#[command(after_help = "Examples:\n  \
    scaffold publish ./golden-paths/java-service --version 1.3.0 --dry-run\n  \
    scaffold publish ./golden-paths/java-service --version 1.3.0 --push\n\n\
    Exit codes: 0 tagged (or would be, with --dry-run), 1 lint or scenarios failed (nothing tagged),\n  \
    2 not ready: version, changelog, uncommitted changes (nothing tagged).")]
pub struct PublishArgs {
    /// The golden path folder, inside its git repository.
    #[arg(value_name = "PATH")]
    path: PathBuf,
    /// The version to publish; must equal the manifest's.
    #[arg(long, value_name = "X.Y.Z")]
    version: String,
    /// Push the tag to the remote.
    #[arg(long)]
    push: bool,
    /// The remote to push to.
    #[arg(long, default_value = "origin")]
    remote: String,
    /// Run every check, tag nothing.
    #[arg(long)]
    dry_run: bool,
    /// Print JSON (the tag, and the lint and test reports).
    #[arg(long)]
    json: bool,
}

pub fn run(args: PublishArgs) -> u8 {
    let opts = PublishOptions {
        version: args.version,
        push: args.push,
        remote: args.remote,
        dry_run: args.dry_run,
    };
    let progress = output::ProgressReporter::new(args.json);
    let outcome =
        match Config::load().and_then(|config| publish(&args.path, &opts, &config, &progress)) {
            Ok(o) => o,
            Err(e) => return output::fail(&e, args.json),
        };
    if args.json {
        output::print_json(&outcome);
    } else if let Some(reason) = &outcome.refused {
        errln!(
            "{}: not publishing {}: {reason}; run `scaffold lint` and `scaffold test` on it for details",
            output::paint("error", Tone::Error),
            outcome.tag
        );
    } else if outcome.dry_run {
        outln!(
            "Would tag {} (lint clean, {} scenario(s) pass){}",
            outcome.tag,
            outcome.test.scenarios.len(),
            if opts.push {
                format!(" and push it to {}", opts.remote)
            } else {
                String::new()
            }
        );
    } else {
        outln!(
            "Tagged {}{}",
            outcome.tag,
            if outcome.pushed {
                format!(" and pushed it to {}", opts.remote)
            } else {
                String::new()
            }
        );
    }
    if outcome.refused.is_some() {
        exit::FOUND
    } else {
        exit::OK
    }
}
