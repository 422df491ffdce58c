//! The fleet's trust model, played by hostile repositories: a lock that
//! points elsewhere, config and hooks that would run code, names that would
//! be markup or shell, a repository that never answers. Marker files must
//! never appear, nothing may be fetched from a source the run does not
//! allow, every hostile repository ends skipped or failed with its reason,
//! and the others are upgraded.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use crate::fleet::{generated_remote, golden_path};
use crate::support::{git, GitHttpServer, Scaffold};

fn scaffold(tmp: &Path) -> Scaffold {
    Scaffold::in_tmp(tmp)
}

/// Rewrites the `source = "…"` line of a repository's lock (and commits it).
fn point_lock_at(work: &Path, source: &str) {
    let lock = fs::read_to_string(work.join(".scaffold/lock.toml")).unwrap();
    let lock: String = lock
        .lines()
        .map(|l| {
            if l.starts_with("source = ") {
                format!("source = {}\n", toml_string(source))
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    fs::write(work.join(".scaffold/lock.toml"), lock).unwrap();
}

fn toml_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// A hook (or fsmonitor) script that leaves `marker` behind if it ever runs.
fn marker_script(dir: &Path, name: &str, marker: &Path) -> PathBuf {
    fs::create_dir_all(dir).unwrap();
    let path = dir.join(name);
    fs::write(&path, format!("#!/bin/sh\ntouch '{}'\n", marker.display())).unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).unwrap();
    path
}

fn result<'a>(outcome: &'a serde_json::Value, needle: &str) -> &'a serde_json::Value {
    outcome["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["repository"].as_str().unwrap().contains(needle))
        .unwrap_or_else(|| panic!("no result for {needle}: {outcome}"))
}

#[test]
fn hostile_members_are_skipped_or_failed_and_run_no_code_while_the_rest_upgrade() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let markers = t.join("markers");
    fs::create_dir_all(&markers).unwrap();
    let allowed = t.join("paths");
    golden_path(&allowed);

    // A private golden-path repository the runner can read, served over HTTP.
    let private_root = t.join("private");
    fs::create_dir_all(&private_root).unwrap();
    let private_work = t.join("private-work");
    golden_path(&private_work);
    git(
        t,
        &[
            "clone",
            "-q",
            "--bare",
            &private_work.to_string_lossy(),
            &private_root.join("paths.git").to_string_lossy(),
        ],
    );
    let private = GitHttpServer::start(&private_root, "", "");
    let private_url = format!("http://127.0.0.1:{}/paths.git", private.port);

    let mut list = String::new();
    let mut add = |line: String| list.push_str(&format!("{line}\n"));
    // Well-behaved members.
    let good = generated_remote(t, &allowed, "good", "1.0.0", "good", |_| {});
    add(format!("file://{}", good.display()));
    // Locks pointing elsewhere: the private repository, a local path, a file:// URL.
    for (id, source) in [
        ("to-private", private_url.clone()),
        ("to-local-path", private_work.display().to_string()),
        ("to-file-url", format!("file://{}", private_work.display())),
        (
            "option-source",
            "--upload-pack=touch /tmp/scaffold-pwned-upload-pack".to_string(),
        ),
    ] {
        let remote = generated_remote(t, &allowed, id, "1.0.0", id, |w| point_lock_at(w, &source));
        add(format!("file://{}", remote.display()));
    }
    // A local checkout whose own config and hooks would run code.
    let local = t.join("work").join("poisoned-checkout");
    let remote_for_local = generated_remote(
        t,
        &allowed,
        "poisoned-checkout",
        "1.0.0",
        "poisoned",
        |_| {},
    );
    let _ = remote_for_local;
    let hooks = t.join("evil-hooks");
    for hook in [
        "post-checkout",
        "pre-commit",
        "post-commit",
        "reference-transaction",
        "pre-push",
        "post-merge",
    ] {
        marker_script(&hooks, hook, &markers.join(format!("checkout-{hook}")));
    }
    let fsmonitor = marker_script(
        &t.join("evil"),
        "fsmonitor",
        &markers.join("checkout-fsmonitor"),
    );
    fs::write(local.join(".gitattributes"), "* filter=evil\n").unwrap();
    git(&local, &["add", "-A"]);
    git(&local, &["commit", "-qm", "attributes"]);
    // Poisoned after the last commit: from here on, any git that reads this
    // config runs the markers.
    git(
        &local,
        &["config", "core.hooksPath", &hooks.to_string_lossy()],
    );
    git(
        &local,
        &["config", "core.fsmonitor", &fsmonitor.to_string_lossy()],
    );
    git(
        &local,
        &[
            "config",
            "filter.evil.smudge",
            &format!("touch {}; cat", markers.join("checkout-filter").display()),
        ],
    );
    git(
        &local,
        &[
            "config",
            "filter.evil.clean",
            &format!("touch {}; cat", markers.join("checkout-filter").display()),
        ],
    );
    add(local.display().to_string());
    // A name full of markup and shell.
    let odd_name =
        "odd-<script>alert(1)</script>-$(touch${IFS}pwned)-`touch${IFS}pwned2`-[x](javascript:y)";
    let odd = generated_remote(t, &allowed, odd_name, "1.0.0", "odd", |_| {});
    add(odd.display().to_string());
    let list_path = t.join("repos.txt");
    fs::write(&list_path, &list).unwrap();

    let run_log = t.join("run.jsonl");
    let (stdout, stderr) = scaffold(t)
        .args([
            "fleet",
            "upgrade",
            "--repos",
            &list_path.to_string_lossy(),
            "--source",
            &allowed.to_string_lossy(),
            "--push",
            "--json",
            "--run-log",
            &run_log.to_string_lossy(),
            "--open-pr",
            "printf '%s %s' {repo} {title} > last-pr.txt",
        ])
        .current_dir(t)
        .expect_code(0);
    let outcome: serde_json::Value =
        serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}\n{stdout}\n{stderr}"));
    assert_eq!(
        result(&outcome, "/good.git")["status"],
        "clean",
        "{outcome}"
    );
    for id in [
        "to-private",
        "to-local-path",
        "to-file-url",
        "option-source",
    ] {
        let r = result(&outcome, &format!("/{id}.git"));
        assert_eq!(r["status"], "skipped", "{id}: {r}");
        assert!(
            r["reason"]
                .as_str()
                .unwrap()
                .starts_with("source not allowed"),
            "{id}: {r}"
        );
    }
    assert!(
        private.requests().is_empty(),
        "nothing was fetched from the private source: {:?}",
        private.requests()
    );
    let poisoned = result(&outcome, "poisoned-checkout");
    assert_eq!(
        poisoned["status"], "clean",
        "its own config is not the fleet's: {poisoned}"
    );
    assert_eq!(result(&outcome, "odd-")["status"], "clean");

    // Now the fleet's own clone is poisoned too (as if someone wrote into the cache).
    let clones: Vec<PathBuf> = fs::read_dir(t.join("home/cache/scaffold/fleet/repos"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert!(
        clones.iter().any(|c| c.join("last-pr.txt").exists()),
        "--open-pr ran (in the repository's clone)"
    );
    for clone in &clones {
        let config = clone.join(".git/config");
        let mut text = fs::read_to_string(&config).unwrap();
        text.push_str(&format!(
            "[core]\n\thooksPath = {}\n\tfsmonitor = {}\n[filter \"evil\"]\n\tsmudge = touch {}; cat\n",
            hooks.display(),
            marker_script(&t.join("evil"), "fsmonitor2", &markers.join("mirror-fsmonitor")).display(),
            markers.join("mirror-filter").display()
        ));
        fs::write(&config, text).unwrap();
    }
    // A newer version, so every clone is checked out, committed and pushed again.
    fs::write(
        allowed.join("golden-path.toml"),
        fs::read_to_string(allowed.join("golden-path.toml"))
            .unwrap()
            .replace("3.0.0", "3.1.0"),
    )
    .unwrap();
    fs::write(allowed.join("template/README.md"), "# {{ name }}\n\n3.1\n").unwrap();
    git(&allowed, &["add", "-A"]);
    git(&allowed, &["commit", "-qm", "3.1.0"]);
    git(&allowed, &["tag", "v3.1.0"]);
    let (stdout, _) = scaffold(t)
        .args([
            "fleet",
            "upgrade",
            "--repos",
            &list_path.to_string_lossy(),
            "--source",
            &allowed.to_string_lossy(),
            "--push",
            "--json",
        ])
        .current_dir(t)
        .expect_code(0);
    let again: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(result(&again, "/good.git")["status"], "clean", "{again}");

    let left: Vec<String> = fs::read_dir(&markers)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(left.is_empty(), "code ran: {left:?}");
    assert!(!Path::new("/tmp/scaffold-pwned-upload-pack").exists());
    assert!(
        !allowed.join("TASK-RAN").exists(),
        "tasks never run in a fleet"
    );
    assert!(!t.join("pwned").exists() && !t.join("pwned2").exists());

    for clone in &clones {
        assert!(!clone.join("pwned").exists() && !clone.join("pwned2").exists());
    }

    // Output is data: the odd name is text in Markdown, JUnit and the PR body.
    let md = t.join("summary.md");
    let junit = t.join("fleet.xml");
    scaffold(t)
        .args([
            "fleet",
            "report",
            &run_log.to_string_lossy(),
            "--markdown",
            &md.to_string_lossy(),
            "--junit",
            &junit.to_string_lossy(),
        ])
        .expect_code(0);
    let md = fs::read_to_string(&md).unwrap();
    assert!(
        md.contains(&format!("`{}", t.join("remotes").join(odd_name).display())),
        "in a code span:\n{md}"
    );
    let xml = fs::read_to_string(&junit).unwrap();
    assert!(
        !xml.contains("<script>") && xml.contains("&lt;script&gt;"),
        "{xml}"
    );
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut names = Vec::new();
    loop {
        match reader.read_event().unwrap() {
            quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e)
                if e.name().as_ref() == b"testcase" =>
            {
                names.push(
                    e.try_get_attribute("name")
                        .unwrap()
                        .unwrap()
                        .unescape_value()
                        .unwrap()
                        .into_owned(),
                );
            }
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    assert!(
        names.iter().any(|n| n.contains(odd_name)),
        "the name survives escaping: {names:?}"
    );
    let body = fs::read_to_string(result(&outcome, "odd-")["pr_body"].as_str().unwrap()).unwrap();
    assert!(
        !body.contains(&format!("] {odd_name}")) && body.contains("``"),
        "{body}"
    );
}

#[test]
fn a_branch_template_that_starts_with_a_dash_is_refused_before_anything_runs() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let allowed = t.join("paths");
    golden_path(&allowed);
    let good = generated_remote(t, &allowed, "good", "1.0.0", "good", |_| {});
    let (_, stderr) = scaffold(t)
        .args([
            "fleet",
            "upgrade",
            &format!("file://{}", good.display()),
            "--source",
            &allowed.to_string_lossy(),
            "--push",
            "--branch-template=--force-{golden_path}",
        ])
        .expect_code(2);
    assert!(
        stderr.contains("--branch-template") && stderr.contains("starts with `-`"),
        "{stderr}"
    );
    assert!(
        !t.join("home/cache/scaffold/fleet").exists(),
        "nothing was cloned"
    );
    // And a repository given as an option-like name is bad input too.
    let (_, stderr) = scaffold(t)
        .args(["fleet", "upgrade", "--", "--upload-pack=touch x"])
        .expect_code(2);
    assert!(stderr.contains("starts with `-`"), "{stderr}");
}

#[test]
fn a_repository_slower_than_the_time_limit_fails_and_the_run_goes_on() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let allowed = t.join("paths");
    golden_path(&allowed);
    let served = t.join("served");
    fs::create_dir_all(&served).unwrap();
    for id in ["fast", "slow"] {
        let remote = generated_remote(t, &allowed, id, "1.0.0", id, |_| {});
        fs::rename(&remote, served.join(format!("{id}.git"))).unwrap();
    }
    let server = GitHttpServer::start_with(
        &served,
        "",
        "",
        &[("SLOW_PREFIX", "/slow.git"), ("SLOW_SECONDS", "30")],
    );
    let list = t.join("repos.txt");
    fs::write(
        &list,
        format!(
            "http://127.0.0.1:{p}/slow.git\nhttp://127.0.0.1:{p}/fast.git\n",
            p = server.port
        ),
    )
    .unwrap();
    let started = std::time::Instant::now();
    let (stdout, _) = scaffold(t)
        .args([
            "fleet",
            "upgrade",
            "--repos",
            &list.to_string_lossy(),
            "--source",
            &allowed.to_string_lossy(),
            "--timeout",
            "3",
            "--json",
        ])
        .expect_code(1);
    assert!(started.elapsed().as_secs() < 25, "the slow one was cut off");
    let outcome: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(result(&outcome, "/slow.git")["status"], "failed");
    assert_eq!(result(&outcome, "/slow.git")["reason"], "timeout");
    assert_eq!(
        result(&outcome, "/fast.git")["status"],
        "clean",
        "{outcome}"
    );
}
