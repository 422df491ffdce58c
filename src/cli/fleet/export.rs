//! `scaffold fleet export`: the fleet as a Kubernetes Job, a GitHub Actions
//! matrix or a GitLab pipeline, one shard per index.

use clap::{Args, Subcommand};
use goldpath::error::{Error, Location, Problem, Result};
use goldpath::fleet;

use super::exit;
use super::output::out;

/// Print what runs the fleet on an existing engine, one shard per index.
#[derive(Args)]
#[command(after_help = "Examples:\n  \
    scaffold fleet export kubernetes --shards 8 --image registry.example.com/scaffold:0.1 > fleet-job.yaml\n  \
    scaffold fleet export kubernetes --shards 8 --image IMAGE --schedule '0 6 * * 1' --logs-pvc fleet-runs\n  \
    scaffold fleet export github-actions --shards 4 --image IMAGE > .github/workflows/fleet.yml\n  \
    scaffold fleet export gitlab-ci --shards 4 --image IMAGE > fleet.gitlab-ci.yml")]
pub(super) struct ExportArgs {
    #[command(subcommand)]
    target: ExportTarget,
}

#[derive(Subcommand)]
enum ExportTarget {
    /// A Kubernetes Indexed Job (or a `CronJob` around one) running one shard per index.
    Kubernetes(KubernetesArgs),
    /// A GitHub Actions workflow: a matrix over the shards, then one report job.
    GithubActions(PipelineArgs),
    /// A GitLab CI pipeline: `parallel:` over the shards, then one report job.
    GitlabCi(PipelineArgs),
}

#[derive(Args)]
struct PipelineArgs {
    /// How many shards (parallel processes).
    #[arg(long, value_name = "N")]
    shards: u64,

    /// The container image holding scaffold, git and sh.
    #[arg(long, value_name = "IMAGE")]
    image: String,

    /// The repository list, as the job sees it.
    #[arg(long, value_name = "FILE", default_value = "repos.txt")]
    repos: String,

    /// More arguments for `scaffold fleet upgrade` (repeatable, e.g. --arg=--source --arg=URL).
    #[arg(long = "arg", value_name = "ARG", allow_hyphen_values = true)]
    args: Vec<String>,
}

#[derive(Args)]
struct KubernetesArgs {
    #[command(flatten)]
    pipeline: PipelineArgs,

    /// The Job's (or `CronJob`'s) name.
    #[arg(long, default_value = "scaffold-fleet-upgrade")]
    name: String,

    /// The namespace to put it in.
    #[arg(long)]
    namespace: Option<String>,

    /// The `ConfigMap` holding the repository list (key repos.txt).
    #[arg(long, value_name = "NAME", default_value = "scaffold-fleet-repos")]
    repos_configmap: String,

    /// The Secret holding git credentials (key `credentials`, git's credential-store format).
    #[arg(long, value_name = "NAME", default_value = "scaffold-fleet-git")]
    secret: String,

    /// A `PersistentVolumeClaim` for the run logs (they also go to each pod's log).
    #[arg(long, value_name = "NAME")]
    logs_pvc: Option<String>,

    /// A cron schedule: a `CronJob` (one run at a time) instead of a Job.
    #[arg(long, value_name = "CRON")]
    schedule: Option<String>,
}

pub(super) fn run_export(args: ExportArgs) -> Result<u8> {
    let pipeline = |p: &PipelineArgs| -> Result<fleet::export::ExportOptions> {
        if p.shards == 0 {
            return Err(Error::invalid(Problem::new(
                Location::default().with_field("--shards"),
                "must be at least 1",
            )));
        }
        Ok(fleet::export::ExportOptions {
            shards: p.shards,
            image: p.image.clone(),
            repos: p.repos.clone(),
            extra: p.args.clone(),
        })
    };
    let text = match &args.target {
        ExportTarget::Kubernetes(k) => fleet::export::kubernetes(
            &pipeline(&k.pipeline)?,
            &fleet::export::KubernetesOptions {
                name: k.name.clone(),
                namespace: k.namespace.clone(),
                repos_configmap: k.repos_configmap.clone(),
                secret: k.secret.clone(),
                logs_pvc: k.logs_pvc.clone(),
                schedule: k.schedule.clone(),
            },
        ),
        ExportTarget::GithubActions(p) => fleet::export::github_actions(&pipeline(p)?),
        ExportTarget::GitlabCi(p) => fleet::export::gitlab_ci(&pipeline(p)?),
    };
    out!("{text}");
    Ok(exit::OK)
}
