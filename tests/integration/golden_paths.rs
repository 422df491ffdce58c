//! The three shipped golden paths, proven by real validators: each is rendered for a
//! covering set of answers and every render goes through `tools/validators/validate-repo.sh`
//! (helm lint/template, Kubernetes and CRD schemas, Pod Security "restricted", promtool,
//! actionlint, hadolint, yamllint, check-jsonschema, the Backstage catalog model, the
//! `OpenAPI` validator, tree-sitter-java with pom-backed imports, Flyway migrations and the
//! code's SQL on a throwaway `PostgreSQL`). The validators come from
//! `tools/validators/install.sh`, which `.ci/run` calls; a missing one fails, never skips.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{read_tree, repo_root, Scaffold};

/// (golden path, answers beyond `--defaults`): every choice of every golden path is taken
/// at least once, and each pair of the big switches (database x cache, broker x CI,
/// monitoring x everything) appears together.
pub(crate) const MATRIX: &[(&str, &[&str])] = &[
    ("java-service", &["service_name=orders"]),
    (
        "java-service",
        &[
            "service_name=billing-api",
            "database=none",
            "cache=none",
            "ci=gitlab",
            "monitoring=false",
            "exposure=ingress",
            "secrets=existing-secret",
            "features=tracing,openapi-ui",
            "extra_env=LOG_LEVEL=debug,FEATURE_X=on",
        ],
    ),
    (
        "java-service",
        &[
            "service_name=ledger",
            "cache=none",
            "ci=gitlab",
            "exposure=none",
            "features=tracing",
            "lifecycle=production",
        ],
    ),
    (
        "java-service",
        &[
            "service_name=profiles",
            "database=none",
            "monitoring=false",
            "secrets=existing-secret",
            "features=openapi-ui",
            "min_replicas=1",
            "max_replicas=1",
        ],
    ),
    ("queue-consumer", &["service_name=payments-worker"]),
    (
        "queue-consumer",
        &[
            "service_name=mailer",
            "broker=rabbitmq",
            "ci=gitlab",
            "monitoring=false",
            "min_replicas=0",
        ],
    ),
    (
        "queue-consumer",
        &[
            "service_name=audit-sink",
            "broker=rabbitmq",
            "secrets=existing-secret",
            "max_attempts=1",
        ],
    ),
    (
        "queue-consumer",
        &["service_name=clicks", "ci=gitlab", "monitoring=false"],
    ),
    ("api-gateway", &["service_name=edge"]),
    (
        "api-gateway",
        &[
            "service_name=partner-gw",
            "ci=gitlab",
            "monitoring=false",
            "routes=/ web:8080 rpm=100",
            "cors_origins=*",
        ],
    ),
];

pub(crate) fn render(tmp: &Path, source: &str, answers: &[&str]) -> PathBuf {
    let name = answers[0].trim_start_matches("service_name=");
    let dest = tmp.join(format!("{source}-{name}"));
    let mut args = vec![
        "new".to_string(),
        source.to_string(),
        dest.to_string_lossy().into_owned(),
        "--defaults".into(),
        "--no-git".into(),
        "-q".into(),
    ];
    for answer in answers {
        args.push("--set".into());
        args.push(answer.to_string());
    }
    Scaffold::in_tmp(tmp).args(args).expect_code(0);
    dest
}

/// Runs the validators on `repos`, one process per repository, all at once.
fn validate(repos: &[PathBuf]) -> Vec<(PathBuf, bool, String)> {
    let script = repo_root().join("tools/validators/validate-repo.sh");
    let children: Vec<_> = repos
        .iter()
        .map(|repo| {
            let child = Command::new("bash")
                .arg(&script)
                .arg(repo)
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("bash runs");
            (repo.clone(), child)
        })
        .collect();
    children
        .into_iter()
        .map(|(repo, child)| {
            let out = child.wait_with_output().unwrap();
            let text = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            (repo, out.status.success(), text)
        })
        .collect()
}

#[test]
fn every_golden_path_render_passes_the_validators() {
    let tmp = tempfile::tempdir().unwrap();
    let repos: Vec<PathBuf> = MATRIX
        .iter()
        .map(|(source, answers)| render(tmp.path(), source, answers))
        .collect();
    let results = validate(&repos);
    let failed: Vec<String> = results
        .iter()
        .filter(|(_, ok, _)| !ok)
        .map(|(repo, _, text)| format!("{}:\n{text}", repo.display()))
        .collect();
    assert!(failed.is_empty(), "{}", failed.join("\n"));
    for (repo, _, text) in &results {
        // Each render really went through the checks that apply to it.
        let tree = read_tree(repo);
        let mut expected = vec![
            "ok   helm lint",
            "ok   kubernetes-validate --strict",
            "ok   CRD schemas",
            "ok   pod security restricted",
            "ok   yamllint",
            "ok   backstage catalog",
        ];
        if tree.contains_key("pom.xml") {
            expected.extend(["ok   java parse + imports", "ok   hadolint"]);
        }
        if tree.keys().any(|p| p.contains("/db/migration/")) {
            expected.push("ok   flyway migrations on PostgreSQL");
        }
        if tree.keys().any(|p| p.starts_with("monitoring/")) {
            expected.extend(["ok   promtool check rules", "ok   promtool test rules"]);
        }
        if tree.contains_key(".github/workflows/ci.yml") {
            expected.extend(["ok   actionlint", "ok   workflow schema"]);
        } else {
            expected.push("ok   gitlab-ci schema");
        }
        for check in expected {
            assert!(
                text.contains(check),
                "{}: no `{check}` in\n{text}",
                repo.display()
            );
        }
    }
}

/// Every file of a render whose path starts with one of `prefixes`, concatenated.
fn contents(
    tree: &std::collections::BTreeMap<String, (Vec<u8>, bool)>,
    prefixes: &[&str],
) -> String {
    tree.iter()
        .filter(|(path, _)| prefixes.iter().any(|p| path.starts_with(p)))
        .map(|(path, (bytes, _))| format!("== {path}\n{}", String::from_utf8_lossy(bytes)))
        .collect()
}

#[test]
fn switched_off_components_leave_no_trace() {
    let tmp = tempfile::tempdir().unwrap();
    let code = ["pom.xml", "src/", "compose.yaml"];
    for (source, answers) in MATRIX {
        let repo = render(tmp.path(), source, answers);
        let tree = read_tree(&repo);
        let answer = |name: &str, default: &str| {
            answers
                .iter()
                .find_map(|a| a.strip_prefix(&format!("{name}=")))
                .unwrap_or(default)
                .to_string()
        };
        let text = contents(&tree, &code).to_lowercase();
        let mut forbidden: Vec<&str> = Vec::new();
        if *source == "java-service" && answer("database", "postgresql") == "none" {
            forbidden.extend([
                "postgres",
                "flyway",
                "jakarta.persistence",
                "datasource",
                "jdbc",
            ]);
        }
        if *source == "java-service" && answer("cache", "redis") == "none" {
            forbidden.extend(["redis", "@cache", "spring-boot-starter-cache"]);
        }
        if answer("monitoring", "true") == "false" {
            forbidden.push("prometheus");
            assert!(
                !tree.keys().any(|p| p.starts_with("monitoring/")
                    || p.ends_with("servicemonitor.yaml")
                    || p.ends_with("prometheusrule.yaml")),
                "{source} {answers:?}: monitoring files without monitoring"
            );
        }
        if *source == "queue-consumer" {
            let other = if answer("broker", "kafka") == "kafka" {
                "rabbit"
            } else {
                "kafka"
            };
            forbidden.push(other);
            let deploy = contents(&tree, &["deploy/"]).to_lowercase();
            assert!(
                !deploy.contains(other),
                "{source} {answers:?}: {other} in deploy files"
            );
            assert!(
                !tree.keys().any(|p| p.ends_with("hpa.yaml")),
                "KEDA, not an HPA"
            );
        }
        for word in forbidden {
            assert!(
                !text.contains(word),
                "{source} {answers:?}: `{word}` although switched off:\n{}",
                text.lines()
                    .filter(|l| l.contains(word) || l.starts_with("== "))
                    .collect::<Vec<_>>()
                    .join("\n")
            );
        }
    }
}

#[test]
fn helm_and_github_actions_braces_survive_rendering() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = render(tmp.path(), "java-service", &["service_name=orders"]);
    let read = |p: &str| fs::read_to_string(repo.join(p)).unwrap();
    let workflow = read(".github/workflows/ci.yml");
    for expected in [
        "group: ${{ github.workflow }}-${{ github.ref }}",
        "tags: ${{ env.IMAGE }}:${{ github.sha }}",
        "password: ${{ secrets.GITHUB_TOKEN }}",
        "{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json",
        "IMAGE: ghcr.io/example-org/orders",
    ] {
        assert!(
            workflow.contains(expected),
            "missing {expected:?} in\n{workflow}"
        );
    }
    let deployment = read("deploy/helm/orders/templates/deployment.yaml");
    for expected in [
        "name: {{ include \"orders.fullname\" . }}",
        "{{- if not .Values.autoscaling.enabled }}",
        "- name: orders\n          image: \"{{ .Values.image.repository }}:{{ .Values.image.tag | default .Chart.AppVersion }}\"",
    ] {
        assert!(deployment.contains(expected), "missing {expected:?} in\n{deployment}");
    }
    let rules = read("deploy/helm/orders/files/alerts.rules.yaml");
    assert!(
        rules.contains("{{ $value | humanizePercentage }}"),
        "{rules}"
    );
    assert!(rules.contains("job=\"orders\""), "{rules}");
}

#[test]
fn the_validators_catch_a_broken_render() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = render(tmp.path(), "java-service", &["service_name=orders"]);
    let edit = |path: &str, from: &str, to: &str| {
        let file = repo.join(path);
        let text = fs::read_to_string(&file).unwrap();
        assert!(text.contains(from), "{path} has no {from:?}");
        fs::write(&file, text.replacen(from, to, 1)).unwrap();
    };
    edit(
        "deploy/helm/orders/templates/deployment.yaml",
        "readOnlyRootFilesystem: true",
        "readOnlyRootFilesystem: false",
    );
    edit(
        "src/main/java/com/example/orders/Application.java",
        "import org.springframework.boot.SpringApplication;",
        "import org.springframework.boot.SpringApplication;\nimport java.util.Map;\nimport org.apache.commons.lang3.StringUtils;",
    );
    edit(
        "monitoring/alerts.test.yaml",
        "in staging: 100% of API requests fail",
        "in staging: 99% of API requests fail",
    );
    edit(
        "deploy/helm/orders/values.yaml",
        "namespaces: [monitoring]",
        "namespaces: [observability]",
    );
    edit(
        ".github/workflows/ci.yml",
        "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683",
        "actions/checkout@v4",
    );
    edit(
        "catalog-info.yaml",
        "lifecycle: experimental",
        "lifecycle: [experimental]",
    );
    edit(
        "deploy/helm/orders/templates/servicemonitor.yaml",
        "scrapeTimeout: 10s",
        "scrapeTimout: 10s",
    );
    edit(
        "src/main/resources/db/migration/V1__create_item.sql",
        "NOT NULL,",
        "NOT NULL REFERENCES missing_table,",
    );
    let results = validate(&[repo]);
    let (_, ok, text) = &results[0];
    assert!(!ok, "{text}");
    for expected in [
        "FAIL pod security restricted",
        "container orders: readOnlyRootFilesystem must be true",
        "FAIL java parse + imports",
        "unused import java.util.Map",
        "no known dependency provides org.apache.commons.lang3.StringUtils",
        "FAIL promtool test rules",
        "FAIL backstage catalog",
        "FAIL network policy flows",
        "FAIL Prometheus -> app metrics :8080/TCP must be allowed",
        "FAIL actions pinned to commits",
        "actions/checkout@v4 is not pinned to a full commit SHA",
        "FAIL CRD schemas",
        "unknown field(s): spec.endpoints[0].scrapeTimout",
        "FAIL flyway migrations on PostgreSQL",
        "relation \"missing_table\" does not exist",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
}

#[test]
fn gateway_and_consumer_requests_map_every_field() {
    let tmp = tempfile::tempdir().unwrap();
    let cases = [
        (
            "api-gateway",
            "metadata:\n  name: shop-edge\nspec:\n  type: gateway\n  hostname: shop.example.com\n  routes:\n    - /api/cart cart:80 auth rpm=300\n    - /api/search search:8080\n  auth:\n    issuer: https://login.example.com\n  monitoring: enabled\n  scaling: {min: 3, max: 12}\n  resources: {cpu: 500m, memory: 256Mi}\n",
            "deploy/helm/shop-edge/values.yaml",
            &[
                "hostname: shop.example.com",
                "- path: /api/cart\n      service: cart\n      port: 80\n      auth: true\n      requestsPerMinute: 300",
                "issuer: https://login.example.com",
                "minReplicas: 3\n    maxReplicas: 12",
                "cpu: 500m",
                "podMonitor:\n    enabled: true",
            ][..],
        ),
        (
            "queue-consumer",
            "metadata:\n  name: invoices\nspec:\n  type: consumer\n  broker: rabbitmq\n  queue: billing.invoices\n  monitoring: disabled\n  scaling: {min: 0, max: 20}\n  resources: {cpu: 100m, memory: 384Mi}\n",
            "deploy/helm/invoices/values.yaml",
            &[
                "queue: billing.invoices",
                "minReplicas: 0\n  maxReplicas: 20",
                "cpu: 100m\n    memory: 384Mi",
                "serviceMonitor:\n    enabled: false",
            ][..],
        ),
    ];
    for (golden_path, spec, values_file, expected) in cases {
        let request = tmp.path().join(format!("{golden_path}.yaml"));
        fs::write(
            &request,
            format!("apiVersion: platform.company.com/v1\nkind: ServiceRequest\n{spec}"),
        )
        .unwrap();
        let dest = tmp.path().join(golden_path);
        let (stdout, _) = Scaffold::in_tmp(tmp.path())
            .args([
                "new",
                "--request",
                &request.to_string_lossy(),
                &dest.to_string_lossy(),
                "--no-git",
                "--json",
            ])
            .expect_code(0);
        let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        assert_eq!(json["golden_path"], golden_path);
        assert_eq!(json["unused_request_fields"], serde_json::json!([]));
        let values = fs::read_to_string(dest.join(values_file)).unwrap();
        for text in expected {
            assert!(
                values.contains(text),
                "{golden_path}: missing {text:?} in\n{values}"
            );
        }
    }
}
