//! A fleet spread over engines and rolled out in stages: shards (as a
//! Kubernetes Indexed Job, GitLab's `parallel:` and a CI matrix set them),
//! the exported Job and pipelines checked by the same validators as the
//! golden paths, canaries, slices and waves, and the HTML report opened in a
//! real browser.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::fleet::{generated_remote, golden_path};
use crate::support::{git, Scaffold};

fn tools() -> PathBuf {
    PathBuf::from(
        std::env::var("GOLDPATH_TOOLS").unwrap_or_else(|_| "/opt/goldpath-validators".into()),
    )
}

fn scaffold(tmp: &Path) -> Scaffold {
    Scaffold::in_tmp(tmp)
}

/// `n` repositories at 1.0.0 (every third with a conflicting edit), listed in repos.txt.
fn small_fleet(t: &Path, n: usize) -> (PathBuf, PathBuf, Vec<PathBuf>) {
    let source = t.join("paths");
    golden_path(&source);
    let mut list = String::new();
    let mut remotes = Vec::new();
    for i in 0..n {
        let remote = generated_remote(
            t,
            &source,
            &format!("r{i:02}"),
            "1.0.0",
            &format!("n{i}"),
            |w| {
                if i % 3 == 0 {
                    let c = fs::read_to_string(w.join("config.txt")).unwrap();
                    fs::write(w.join("config.txt"), c.replace("port: 8080", "port: 7000")).unwrap();
                }
            },
        );
        list.push_str(&format!("file://{}\n", remote.display()));
        remotes.push(remote);
    }
    let path = t.join("repos.txt");
    fs::write(&path, list).unwrap();
    (source, path, remotes)
}

fn statuses(outcome: &serde_json::Value) -> BTreeMap<String, String> {
    outcome["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["repository"].as_str().unwrap().to_string(),
                r["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn run_log_results(path: &Path) -> Vec<(String, String)> {
    fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|e| e["event"] == "repo")
        .map(|e| {
            (
                e["repository"].as_str().unwrap().to_string(),
                e["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn four_shard_processes_cover_the_fleet_exactly_once_as_one_run_would() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let (source, list, _) = small_fleet(t, 12);
    let base = |extra: &[&str]| {
        let mut a = vec![
            "fleet".to_string(),
            "upgrade".into(),
            "--repos".into(),
            list.display().to_string(),
            "--source".into(),
            source.display().to_string(),
            "--json".into(),
        ];
        a.extend(extra.iter().map(std::string::ToString::to_string));
        a
    };
    // The unsharded outcome (planned only).
    let (stdout, _) = scaffold(t).args(base(&["--dry-run"])).expect_code(1);
    let whole = statuses(&serde_json::from_str(&stdout).unwrap());
    assert_eq!(whole.len(), 12);

    // Four processes at once, each told its shard the way its engine would.
    /// (name, environment the engine sets, arguments)
    type Engine<'a> = (&'a str, Vec<(&'a str, String)>, Vec<String>);
    let engines: [Engine; 4] = [
        (
            "kubernetes",
            vec![("JOB_COMPLETION_INDEX", "0".into())],
            vec!["--shards".into(), "4".into()],
        ),
        (
            "gitlab",
            vec![("CI_NODE_INDEX", "2".into()), ("CI_NODE_TOTAL", "4".into())],
            vec![],
        ),
        ("matrix-2", vec![], vec!["--shard".into(), "2/4".into()]),
        ("matrix-3", vec![], vec!["--shard".into(), "3/4".into()]),
    ];
    let children: Vec<(PathBuf, std::process::Child)> = engines
        .iter()
        .map(|(name, env, args)| {
            let log = t.join(format!("shard-{name}.jsonl"));
            let mut all = base(&["--jobs", "1", "--run-log", &log.display().to_string()]);
            all.extend(args.iter().cloned());
            let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("scaffold"));
            cmd.args(&all)
                .env("HOME", t.join("home"))
                .env("XDG_CACHE_HOME", t.join(format!("home/cache-{name}")))
                .env("XDG_CONFIG_HOME", t.join("home/config"))
                .env("GIT_CONFIG_GLOBAL", t.join("home/gitconfig"))
                .env("GIT_CONFIG_NOSYSTEM", "1")
                .env_remove("JOB_COMPLETION_INDEX")
                .env_remove("CI_NODE_INDEX")
                .env_remove("CI_NODE_TOTAL")
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null());
            for (k, v) in env {
                cmd.env(k, v);
            }
            (log, cmd.spawn().unwrap())
        })
        .collect();
    let mut union: Vec<(String, String)> = Vec::new();
    for (log, mut child) in children {
        let code = child.wait().unwrap().code();
        assert!(matches!(code, Some(0 | 1)), "{}: {code:?}", log.display());
        union.extend(run_log_results(&log));
    }
    let mut seen: Vec<&String> = union.iter().map(|(r, _)| r).collect();
    seen.sort();
    let before = seen.len();
    seen.dedup();
    assert_eq!(before, seen.len(), "no repository in two shards");
    assert_eq!(seen.len(), 12, "every repository in one shard");
    let sharded: BTreeMap<String, String> = union.into_iter().collect();
    assert_eq!(sharded, whole, "the shards together did what one run would");

    // One report over the four run logs.
    let logs: Vec<String> = ["kubernetes", "gitlab", "matrix-2", "matrix-3"]
        .iter()
        .map(|n| t.join(format!("shard-{n}.jsonl")).display().to_string())
        .collect();
    let (stdout, _) = scaffold(t)
        .args(
            ["fleet", "report", "--json"]
                .iter()
                .map(std::string::ToString::to_string)
                .chain(logs),
        )
        .expect_code(0);
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["runs"].as_array().unwrap().len(), 4);
    assert_eq!(report["results"].as_array().unwrap().len(), 12);
}

#[test]
fn exports_pass_the_same_validators_as_the_golden_paths() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let run = |args: &[&str]| -> String {
        let (stdout, _) = scaffold(t).args(args).expect_code(0);
        stdout
    };
    let tool = |name: &str| tools().join("bin").join(name);
    let check = |cmd: &mut Command, what: &str| {
        let out = cmd
            .output()
            .unwrap_or_else(|e| panic!("{what}: {e} (run tools/validators/install.sh)"));
        assert!(
            out.status.success(),
            "{what} failed:\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    };
    for (name, extra) in [
        ("job.yaml", vec![]),
        (
            "cronjob.yaml",
            vec![
                "--schedule",
                "0 6 * * 1",
                "--logs-pvc",
                "fleet-runs",
                "--namespace",
                "platform",
            ],
        ),
    ] {
        let mut args = vec![
            "fleet",
            "export",
            "kubernetes",
            "--shards",
            "4",
            "--image",
            "registry.example.com/scaffold:0.1.0",
            "--arg=--source",
            "--arg=https://git.example.com/platform/paths.git",
        ];
        args.extend(extra);
        let yaml = run(&args);
        assert!(
            yaml.contains("completionMode: Indexed")
                && yaml.contains("completions: 4")
                && yaml.contains("parallelism: 4"),
            "{yaml}"
        );
        assert!(yaml.contains("backoffLimitPerIndex"), "{yaml}");
        assert!(
            yaml.contains("${JOB_COMPLETION_INDEX}/4") && yaml.contains("--push"),
            "{yaml}"
        );
        assert!(
            yaml.contains("secretName: scaffold-fleet-git")
                && !yaml.to_lowercase().contains("password"),
            "{yaml}"
        );
        let path = t.join(name);
        fs::write(&path, &yaml).unwrap();
        check(
            Command::new(tool("kubernetes-validate"))
                .args(["--strict", "-k", "1.33.0"])
                .arg(&path),
            "kubernetes-validate",
        );
        check(
            Command::new(tools().join("venv/bin/python"))
                .arg(crate::support::repo_root().join("tools/validators/pod_security.py"))
                .arg(&path),
            "pod security restricted",
        );
    }
    let workflow = t.join(".github/workflows/fleet.yml");
    fs::create_dir_all(workflow.parent().unwrap()).unwrap();
    let gha = run(&[
        "fleet",
        "export",
        "github-actions",
        "--shards",
        "3",
        "--image",
        "registry.example.com/scaffold:0.1.0",
    ]);
    assert!(
        gha.contains("fail-fast: false") && gha.contains("- 0\n") && gha.contains("- 2\n"),
        "{gha}"
    );
    assert!(
        gha.contains("GITHUB_STEP_SUMMARY") && gha.contains("--html fleet.html"),
        "{gha}"
    );
    assert!(!gha.contains("@v4\n"), "actions pinned by SHA");
    fs::write(&workflow, &gha).unwrap();
    check(
        Command::new(tool("actionlint"))
            .arg(&workflow)
            .current_dir(t),
        "actionlint",
    );
    check(
        Command::new(tool("check-jsonschema"))
            .args(["--builtin-schema", "vendor.github-workflows"])
            .arg(&workflow),
        "workflow schema",
    );
    let gitlab = t.join("fleet.gitlab-ci.yml");
    let gl = run(&[
        "fleet",
        "export",
        "gitlab-ci",
        "--shards",
        "3",
        "--image",
        "registry.example.com/scaffold:0.1.0",
    ]);
    assert!(
        gl.contains("parallel: 3") && gl.contains("junit: fleet.xml"),
        "{gl}"
    );
    fs::write(&gitlab, &gl).unwrap();
    check(
        Command::new(tool("check-jsonschema"))
            .args(["--builtin-schema", "vendor.gitlab-ci"])
            .arg(&gitlab),
        "GitLab CI schema",
    );
    // Bad input: no shards.
    scaffold(t)
        .args([
            "fleet",
            "export",
            "github-actions",
            "--shards",
            "0",
            "--image",
            "x",
        ])
        .expect_code(2);
}

#[test]
fn canaries_slices_and_waves_that_wait_for_earlier_branches() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let (source, list, remotes) = small_fleet(t, 10);
    let upgrade = |extra: &[&str]| -> (i32, serde_json::Value) {
        let mut a = vec![
            "fleet",
            "upgrade",
            "--repos",
            list.to_str().unwrap(),
            "--source",
            source.to_str().unwrap(),
            "--json",
        ];
        a.extend(extra);
        let out = scaffold(t).args(&a).output();
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        (
            out.status.code().unwrap(),
            serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}")),
        )
    };
    // Canaries: N chosen by stable hash, the same N every time.
    let (_, a) = upgrade(&["--canary", "3", "--dry-run"]);
    let (_, b) = upgrade(&["--canary", "3", "--dry-run"]);
    assert_eq!(a["results"].as_array().unwrap().len(), 3);
    assert_eq!(statuses(&a), statuses(&b));
    // Listed canaries.
    let canaries = t.join("canaries.txt");
    fs::write(&canaries, format!("file://{}\n", remotes[4].display())).unwrap();
    let (_, c) = upgrade(&["--canary-repos", canaries.to_str().unwrap(), "--dry-run"]);
    assert_eq!(c["results"].as_array().unwrap().len(), 1);
    // A stable slice grows with the percentage.
    let (_, p30) = upgrade(&["--percent", "30", "--dry-run"]);
    let (_, p80) = upgrade(&["--percent", "80", "--dry-run"]);
    let (s30, s80) = (statuses(&p30), statuses(&p80));
    assert!(s30.keys().all(|k| s80.contains_key(k)), "30% is inside 80%");
    assert!(s30.len() <= s80.len());

    // Waves: the first pushes its branches; the second waits until they are merged or closed.
    let (_, w1) = upgrade(&["--waves", "40,100", "--wave", "1", "--push"]);
    let first: Vec<String> = statuses(&w1).into_keys().collect();
    assert!(!first.is_empty() && first.len() < 10, "{w1}");
    let (code, waiting) = upgrade(&["--waves", "40,100", "--wave", "2", "--push"]);
    assert_eq!(code, 1);
    assert_eq!(
        waiting["waiting_for"].as_array().unwrap().len(),
        first.len(),
        "{waiting}"
    );
    assert!(
        waiting["results"].as_array().unwrap().is_empty(),
        "nothing upgraded while waiting"
    );
    // Merge (or close) wave 1's branches.
    for (i, repo) in first.iter().enumerate() {
        let remote = PathBuf::from(repo);
        if i % 2 == 0 {
            git(
                &remote,
                &[
                    "update-ref",
                    "refs/heads/main",
                    "refs/heads/scaffold/svc-3.0.0",
                ],
            );
        } else {
            git(
                &remote,
                &["update-ref", "-d", "refs/heads/scaffold/svc-3.0.0"],
            );
        }
    }
    let (_, w2) = upgrade(&["--waves", "40,100", "--wave", "2", "--push"]);
    assert!(w2["waiting_for"].is_null(), "{w2}");
    let all = statuses(&w2);
    assert_eq!(all.len(), 10, "wave 2 covers the fleet (100%)");
    for repo in &first {
        assert!(
            ["up-to-date", "clean", "conflicts"].contains(&all[repo].as_str()),
            "{repo}: {}",
            all[repo]
        );
    }
}

#[test]
fn the_html_report_opens_in_a_browser_escaped_offline_and_sortable() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let source = t.join("paths");
    golden_path(&source);
    let mut list = String::new();
    for (id, edit) in [
        ("alpha", false),
        ("beta", true),
        ("<script>alert(1)</script>", false),
    ] {
        let remote = generated_remote(t, &source, id, "1.0.0", "n", |w| {
            if edit {
                let c = fs::read_to_string(w.join("config.txt")).unwrap();
                fs::write(w.join("config.txt"), c.replace("port: 8080", "port: 7000")).unwrap();
            }
        });
        list.push_str(&format!("{}\n", remote.display()));
    }
    list.push_str(&format!("{}\n", t.join("missing-<b>repo</b>").display()));
    fs::write(t.join("repos.txt"), list).unwrap();
    let run_log = t.join("run.jsonl");
    scaffold(t)
        .args([
            "fleet",
            "upgrade",
            "--repos",
            t.join("repos.txt").to_str().unwrap(),
            "--source",
            source.to_str().unwrap(),
            "--run-log",
            run_log.to_str().unwrap(),
            "-q",
        ])
        .expect_code(1);
    let html = t.join("fleet.html");
    scaffold(t)
        .args([
            "fleet",
            "report",
            run_log.to_str().unwrap(),
            "--html",
            html.to_str().unwrap(),
        ])
        .expect_code(0);
    let page = fs::read_to_string(&html).unwrap();
    assert!(
        !page.contains("<script>alert(1)</script>")
            && page.contains("&lt;script&gt;alert(1)&lt;/script&gt;")
    );
    assert!(
        !page.contains("http://") && !page.contains("https://"),
        "nothing from the network"
    );

    let shots = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("fleet-report");
    fs::create_dir_all(&shots).unwrap();
    let facts = browse(&html, &shots.join("report.png"));
    assert!(
        facts["errors"].as_array().unwrap().is_empty(),
        "console errors: {facts}"
    );
    assert!(
        facts["requests"].as_array().unwrap().is_empty(),
        "network requests: {facts}"
    );
    assert!(
        facts["dialogs"].as_array().unwrap().is_empty(),
        "a script ran: {facts}"
    );
    assert_eq!(facts["injected"], 0);
    let log: Vec<(String, String)> = run_log_results(&run_log);
    let rows = facts["rows"].as_array().unwrap();
    assert_eq!(
        rows.len(),
        log.len(),
        "one row per repository of the run log"
    );
    for status in ["clean", "conflicts", "failed"] {
        let expected = log.iter().filter(|(_, s)| s == status).count();
        assert_eq!(facts["counts"][status], expected, "{status}: {facts}");
        assert_eq!(
            rows.iter().filter(|r| r["status"] == status).count(),
            expected
        );
    }
    assert!(
        rows.iter().any(|r| r["cells"][0]
            .as_str()
            .unwrap()
            .contains("<script>alert(1)</script>")),
        "shown as text"
    );
    assert!(facts["headerScopes"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s == "col"));
    assert!(
        !facts["chartDescriptions"].as_array().unwrap().is_empty(),
        "charts have text alternatives"
    );
    let asc: Vec<&str> = facts["sortedAscending"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let desc: Vec<&str> = facts["sortedDescending"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let mut reversed = asc.clone();
    reversed.reverse();
    assert_eq!(desc, reversed, "sorting");
    assert_eq!(facts["visibleWhenFilteredByFailed"], 1);
    assert!(shots.join("report.png").exists() && shots.join("report-dark.png").exists());

    // The status page too.
    let status_html = t.join("status.html");
    scaffold(t)
        .args([
            "fleet",
            "status",
            "--repos",
            t.join("repos.txt").to_str().unwrap(),
            "--html",
            status_html.to_str().unwrap(),
        ])
        .expect_code(1);
    let facts = browse(&status_html, &shots.join("status.png"));
    assert!(
        facts["errors"].as_array().unwrap().is_empty()
            && facts["requests"].as_array().unwrap().is_empty(),
        "{facts}"
    );
    assert_eq!(facts["rows"].as_array().unwrap().len(), 4);
    assert!(
        facts["chartTitles"][0].as_str().unwrap().contains("svc"),
        "{facts}"
    );
}

/// What headless Chromium sees of a page (`tools/validators/html_report.mjs`).
fn browse(page: &Path, screenshot: &Path) -> serde_json::Value {
    let out = Command::new("node")
        .arg(crate::support::repo_root().join("tools/validators/html_report.mjs"))
        .arg(page)
        .arg(screenshot)
        .output()
        .expect("node runs");
    assert!(
        out.status.success(),
        "the browser check failed (run tools/validators/install.sh):\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}
