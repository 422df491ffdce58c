//! When one machine is not enough, an existing engine spreads the fleet:
//! these write the Kubernetes Indexed Job (or `CronJob`), GitHub Actions
//! workflow and GitLab CI pipeline that run one `scaffold fleet upgrade
//! --shard I/N` per index and then report over every shard's run log.
//! Built as data and printed as YAML, so quoting is never hand-made.

use serde_json::{json, Value};

/// What every export needs.
#[derive(Debug, Clone)]
pub struct ExportOptions {
    pub shards: u64,
    /// The container image with `scaffold` (and git, sh) in it.
    pub image: String,
    /// The repository list, as the pipeline sees it (a path in its checkout).
    pub repos: String,
    /// Arguments added to `scaffold fleet upgrade` (e.g. `--source URL --to 2.1.0`).
    pub extra: Vec<String>,
}

/// Options of the Kubernetes export.
#[derive(Debug, Clone)]
pub struct KubernetesOptions {
    pub name: String,
    pub namespace: Option<String>,
    pub repos_configmap: String,
    pub secret: String,
    /// A `PersistentVolumeClaim` for the run logs; without, they go to the pod log.
    pub logs_pvc: Option<String>,
    pub schedule: Option<String>,
}

const RUNS: &str = "/var/lib/scaffold/runs";

fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

fn upgrade_args(o: &ExportOptions, shard: &str, run_log: &str) -> String {
    let mut args = vec![
        "scaffold".to_string(),
        "fleet".into(),
        "upgrade".into(),
        "--repos".into(),
        shell_quote(&o.repos),
        "--shard".into(),
        shard.to_string(),
        "--push".into(),
        "--run-log".into(),
        run_log.to_string(),
    ];
    args.extend(o.extra.iter().map(|a| shell_quote(a)));
    args.join(" ")
}

/// A Kubernetes Indexed Job: completions = parallelism = shards, one
/// `scaffold fleet upgrade --shard $JOB_COMPLETION_INDEX/N --push` per
/// index, restricted Pod Security, the list from a `ConfigMap`, git
/// credentials from a Secret (a git credential store file, never inline).
/// With a schedule, a `CronJob` around it (one run at a time).
pub fn kubernetes(o: &ExportOptions, k: &KubernetesOptions) -> String {
    let n = o.shards;
    let log = format!("{RUNS}/$(date -u +%Y%m%dT%H%M%SZ)-shard-${{JOB_COMPLETION_INDEX}}.jsonl");
    let script = format!(
        "set -u\nmkdir -p {RUNS}\nlog={log}\n{upgrade}\nstatus=$?\n# The run log also goes to the pod log, for `kubectl logs` and log collectors.\ncat \"$log\"\n# Conflicts and failed repositories are in the run log; only bad input fails the index.\n[ \"$status\" -le 1 ]\n",
        upgrade = upgrade_args(
            &ExportOptions {
                repos: "/etc/scaffold/repos/repos.txt".into(),
                ..o.clone()
            },
            &format!("\"${{JOB_COMPLETION_INDEX}}/{n}\""),
            "\"$log\""
        ),
    );
    let labels = json!({
        "app.kubernetes.io/name": "scaffold-fleet",
        "app.kubernetes.io/component": "upgrade",
    });
    let logs_volume = match &k.logs_pvc {
        Some(claim) => json!({ "name": "runs", "persistentVolumeClaim": { "claimName": claim } }),
        None => json!({ "name": "runs", "emptyDir": {} }),
    };
    let pod = json!({
        "metadata": { "labels": labels },
        "spec": {
            "restartPolicy": "Never",
            "automountServiceAccountToken": false,
            "securityContext": {
                "runAsNonRoot": true,
                "runAsUser": 65532,
                "runAsGroup": 65532,
                "fsGroup": 65532,
                "seccompProfile": { "type": "RuntimeDefault" }
            },
            "containers": [{
                "name": "scaffold",
                "image": o.image,
                "command": ["sh", "-c", script],
                "env": [
                    { "name": "HOME", "value": "/var/lib/scaffold/home" },
                    { "name": "XDG_CACHE_HOME", "value": "/var/lib/scaffold/cache" },
                    { "name": "GIT_CONFIG_COUNT", "value": "1" },
                    { "name": "GIT_CONFIG_KEY_0", "value": "credential.helper" },
                    { "name": "GIT_CONFIG_VALUE_0", "value": "store --file=/etc/scaffold/git/credentials" }
                ],
                "securityContext": {
                    "allowPrivilegeEscalation": false,
                    "readOnlyRootFilesystem": true,
                    "runAsNonRoot": true,
                    "capabilities": { "drop": ["ALL"] }
                },
                "resources": {
                    "requests": { "cpu": "500m", "memory": "512Mi" },
                    "limits": { "cpu": "2", "memory": "2Gi" }
                },
                "volumeMounts": [
                    { "name": "repos", "mountPath": "/etc/scaffold/repos", "readOnly": true },
                    { "name": "git-credentials", "mountPath": "/etc/scaffold/git", "readOnly": true },
                    { "name": "work", "mountPath": "/var/lib/scaffold" },
                    { "name": "runs", "mountPath": RUNS },
                    { "name": "tmp", "mountPath": "/tmp" }
                ]
            }],
            "volumes": [
                { "name": "repos", "configMap": { "name": k.repos_configmap } },
                { "name": "git-credentials", "secret": { "secretName": k.secret, "defaultMode": 256 } },
                { "name": "work", "emptyDir": {} },
                logs_volume,
                { "name": "tmp", "emptyDir": {} }
            ]
        }
    });
    let job_spec = json!({
        "completionMode": "Indexed",
        "completions": n,
        "parallelism": n,
        "backoffLimitPerIndex": 2,
        "maxFailedIndexes": n,
        "ttlSecondsAfterFinished": 86400,
        "template": pod
    });
    let mut metadata = json!({ "name": k.name, "labels": labels });
    if let Some(ns) = &k.namespace {
        metadata["namespace"] = json!(ns);
    }
    let doc = match &k.schedule {
        None => {
            json!({ "apiVersion": "batch/v1", "kind": "Job", "metadata": metadata, "spec": job_spec })
        }
        Some(cron) => json!({
            "apiVersion": "batch/v1",
            "kind": "CronJob",
            "metadata": metadata,
            "spec": {
                "schedule": cron,
                "concurrencyPolicy": "Forbid",
                "successfulJobsHistoryLimit": 3,
                "failedJobsHistoryLimit": 3,
                "jobTemplate": { "metadata": { "labels": labels }, "spec": job_spec }
            }
        }),
    };
    yaml(&doc)
}

/// Actions pinned by full commit SHA (tags can move); the version as a comment.
const CHECKOUT: &str = "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683"; // v4.2.2
const UPLOAD: &str = "actions/upload-artifact@ea165f8d65b6e75b540449e92b4886f43607fa02"; // v4.6.2
const DOWNLOAD: &str = "actions/download-artifact@d3f86a106a0bac45b974a628896c90dbdf5c8093"; // v4.3.0

/// A GitHub Actions workflow: a matrix over the shards (`fail-fast: false`),
/// each uploading its run log, then one job that downloads them all and runs
/// `scaffold fleet report` (Markdown into the job summary; `JUnit` and HTML as
/// artifacts).
pub fn github_actions(o: &ExportOptions) -> String {
    let n = o.shards;
    let shards: Vec<u64> = (0..n).collect();
    let upgrade = upgrade_args(
        o,
        &format!("\"${{{{ matrix.shard }}}}/{n}\""),
        "\"runs/shard-${{ matrix.shard }}.jsonl\"",
    );
    let doc = json!({
        "name": "scaffold fleet upgrade",
        "on": {
            "workflow_dispatch": {},
            "schedule": [{ "cron": "0 6 * * 1" }]
        },
        "permissions": { "contents": "read" },
        "concurrency": { "group": "scaffold-fleet", "cancel-in-progress": false },
        "jobs": {
            "upgrade": {
                "runs-on": "ubuntu-latest",
                "container": { "image": o.image },
                "timeout-minutes": 120,
                "strategy": { "fail-fast": false, "matrix": { "shard": shards } },
                "steps": [
                    { "uses": CHECKOUT, "with": { "persist-credentials": false } },
                    {
                        "name": "Upgrade this shard",
                        "env": {
                            "GIT_CONFIG_COUNT": "1",
                            "GIT_CONFIG_KEY_0": "credential.helper",
                            "GIT_CONFIG_VALUE_0": "!f() { test \"$1\" = get && echo username=x-access-token && echo \"password=$FLEET_TOKEN\"; }; f",
                            "FLEET_TOKEN": "${{ secrets.SCAFFOLD_FLEET_TOKEN }}"
                        },
                        "run": format!("mkdir -p runs\n{upgrade} || [ $? -eq 1 ]")
                    },
                    {
                        "uses": UPLOAD,
                        "if": "always()",
                        "with": {
                            "name": "run-log-${{ matrix.shard }}",
                            "path": "runs/shard-${{ matrix.shard }}.jsonl",
                            "if-no-files-found": "error"
                        }
                    }
                ]
            },
            "report": {
                "runs-on": "ubuntu-latest",
                "container": { "image": o.image },
                "needs": "upgrade",
                "if": "always()",
                "steps": [
                    {
                        "uses": DOWNLOAD,
                        "with": { "pattern": "run-log-*", "path": "runs", "merge-multiple": true }
                    },
                    {
                        "name": "Report",
                        "run": "scaffold fleet report runs/*.jsonl --markdown summary.md --junit fleet.xml --html fleet.html\ncat summary.md >> \"$GITHUB_STEP_SUMMARY\""
                    },
                    {
                        "uses": UPLOAD,
                        "with": { "name": "fleet-report", "path": "fleet.html\nfleet.xml\nsummary.md" }
                    }
                ]
            }
        }
    });
    yaml(&doc)
}

/// A GitLab CI pipeline: `parallel: N` (scaffold reads `CI_NODE_INDEX` and
/// `CI_NODE_TOTAL`), each job keeping its run log as an artifact, then a
/// report job with the `JUnit` report GitLab shows natively.
pub fn gitlab_ci(o: &ExportOptions) -> String {
    let mut upgrade: Vec<String> = vec![
        "scaffold".into(),
        "fleet".into(),
        "upgrade".into(),
        "--repos".into(),
        shell_quote(&o.repos),
        "--push".into(),
        "--run-log".into(),
        "\"runs/shard-${CI_NODE_INDEX}.jsonl\"".into(),
    ];
    upgrade.extend(o.extra.iter().map(|a| shell_quote(a)));
    let doc = json!({
        "stages": ["upgrade", "report"],
        "fleet-upgrade": {
            "stage": "upgrade",
            "image": o.image,
            "parallel": o.shards,
            "script": [
                "mkdir -p runs",
                format!("{} || [ $? -eq 1 ]", upgrade.join(" "))
            ],
            "artifacts": { "when": "always", "paths": ["runs/"], "expire_in": "30 days" }
        },
        "fleet-report": {
            "stage": "report",
            "image": o.image,
            "needs": [{ "job": "fleet-upgrade", "artifacts": true }],
            "when": "always",
            "script": [
                "scaffold fleet report runs/*.jsonl --markdown summary.md --junit fleet.xml --html fleet.html",
                "cat summary.md"
            ],
            "artifacts": {
                "when": "always",
                "paths": ["fleet.html", "fleet.xml", "summary.md"],
                "reports": { "junit": "fleet.xml" },
                "expire_in": "30 days"
            }
        }
    });
    yaml(&doc)
}

fn yaml(doc: &Value) -> String {
    format!(
        "# Written by `scaffold fleet export` ({}).\n{}",
        env!("CARGO_PKG_VERSION"),
        serde_norway::to_string(doc).expect("YAML")
    )
}
