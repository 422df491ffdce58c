//! `scaffold fleet` against a real fleet: a golden path with three
//! versions, repositories generated from it at different versions with
//! different answers and edits, bare remotes reached over file:// and over
//! `git daemon` on loopback, and the members that go wrong (not generated, a
//! corrupt lock, a remote that rejects pushes, a branch a person committed to).

use std::fs;
use std::path::{Path, PathBuf};

use crate::support::{git, Scaffold};

/// The golden path: three versions, each changing `config.txt`.
pub fn golden_path(root: &Path) {
    fs::create_dir_all(root.join("template")).unwrap();
    git(root, &["init", "-q", "-b", "main"]);
    for (version, port) in [("1.0.0", "8080"), ("2.0.0", "8081"), ("3.0.0", "8082")] {
        fs::write(
            root.join("golden-path.toml"),
            format!("name = \"svc\"\nversion = \"{version}\"\n\n[variables.name]\ndefault = \"app\"\n\n[[tasks]]\nrun = \"touch {}/TASK-RAN\"\n", root.display()),
        )
        .unwrap();
        fs::write(
            root.join("template/config.txt"),
            format!("name: {{{{ name }}}}\nport: {port}\nreplicas: 2\ntimeout: 30s\n"),
        )
        .unwrap();
        fs::write(root.join("template/README.md"), "# {{ name }}\n").unwrap();
        fs::write(
            root.join("CHANGELOG.md"),
            "# Changelog\n\n## 3.0.0\n- port 8082\n\n## 2.0.0\n- port 8081 <b>bold</b>\n\n## 1.0.0\n- first\n",
        )
        .unwrap();
        git(root, &["add", "-A"]);
        git(root, &["commit", "-q", "-m", version]);
        git(root, &["tag", &format!("v{version}")]);
    }
}

/// A bare remote holding a repository generated at `version` with `name`,
/// after `edit` ran in the generating checkout (and was committed).
pub fn generated_remote(
    tmp: &Path,
    source: &Path,
    id: &str,
    version: &str,
    name: &str,
    edit: impl FnOnce(&Path),
) -> PathBuf {
    let work = tmp.join("work").join(id);
    Scaffold::in_tmp(tmp)
        .args([
            "new",
            &source.to_string_lossy(),
            &work.to_string_lossy(),
            "--version",
            version,
            "--defaults",
            "--set",
            &format!("name={name}"),
            "-q",
        ])
        .expect_code(0);
    edit(&work);
    git(&work, &["add", "-A"]);
    let _ = std::process::Command::new("git")
        .args(["commit", "-q", "-m", "team edits"])
        .current_dir(&work)
        .env("GIT_AUTHOR_NAME", "Team")
        .env("GIT_AUTHOR_EMAIL", "team@example.com")
        .env("GIT_COMMITTER_NAME", "Team")
        .env("GIT_COMMITTER_EMAIL", "team@example.com")
        .output();
    bare_from(tmp, id, &work)
}

fn bare_from(tmp: &Path, id: &str, work: &Path) -> PathBuf {
    let remote = tmp.join("remotes").join(format!("{id}.git"));
    fs::create_dir_all(remote.parent().unwrap()).unwrap();
    git(
        tmp,
        &[
            "init",
            "-q",
            "--bare",
            "-b",
            "main",
            &remote.to_string_lossy(),
        ],
    );
    git(
        work,
        &[
            "push",
            "-q",
            &remote.to_string_lossy(),
            "HEAD:refs/heads/main",
        ],
    );
    remote
}

fn scaffold(tmp: &Path) -> Scaffold {
    Scaffold::in_tmp(tmp)
        .env("GIT_AUTHOR_NAME", "Fleet Bot")
        .env("GIT_AUTHOR_EMAIL", "fleet@example.com")
        .env("GIT_COMMITTER_NAME", "Fleet Bot")
        .env("GIT_COMMITTER_EMAIL", "fleet@example.com")
}

/// `git daemon` serving `base` on loopback (pushes enabled); killed on drop.
struct Daemon {
    child: std::process::Child,
    port: u16,
}

impl Daemon {
    fn start(base: &Path) -> Daemon {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        // git-daemon itself, not `git daemon`: git runs its dashed commands as a child,
        // so killing `git` would leave the daemon running (and holding the test's output
        // pipe open, which hangs `cargo test | tee`).
        let exec_path = std::process::Command::new("git")
            .arg("--exec-path")
            .output()
            .expect("git --exec-path");
        let exec_path = String::from_utf8(exec_path.stdout).unwrap();
        let child = std::process::Command::new(Path::new(exec_path.trim()).join("git-daemon"))
            .args([
                "--reuseaddr",
                "--listen=127.0.0.1",
                &format!("--port={port}"),
                "--export-all",
                "--enable=receive-pack",
                &format!("--base-path={}", base.display()),
                &base.display().to_string(),
            ])
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("git daemon runs");
        for _ in 0..200 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(25));
        }
        Daemon { child, port }
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The fleet of the scenario, by name; `repos.txt` lists them.
struct Fleet {
    remotes: std::collections::BTreeMap<&'static str, PathBuf>,
    list: PathBuf,
    source: PathBuf,
    _daemon: Daemon,
}

fn fleet(tmp: &Path) -> Fleet {
    let source = tmp.join("paths");
    golden_path(&source);
    let mut remotes = std::collections::BTreeMap::new();
    remotes.insert(
        "clean",
        generated_remote(tmp, &source, "clean", "1.0.0", "orders", |w| {
            fs::write(w.join("NOTES.md"), "ours\n").unwrap();
        }),
    );
    remotes.insert(
        "edited",
        generated_remote(tmp, &source, "edited", "2.0.0", "billing", |w| {
            let c = fs::read_to_string(w.join("config.txt")).unwrap();
            fs::write(
                w.join("config.txt"),
                c.replace("timeout: 30s", "timeout: 90s"),
            )
            .unwrap();
        }),
    );
    remotes.insert(
        "conflict",
        generated_remote(tmp, &source, "conflict", "1.0.0", "users", |w| {
            let c = fs::read_to_string(w.join("config.txt")).unwrap();
            fs::write(w.join("config.txt"), c.replace("port: 8080", "port: 9999")).unwrap();
        }),
    );
    remotes.insert(
        "current",
        generated_remote(tmp, &source, "current", "3.0.0", "done", |_| {}),
    );
    // Not generated by scaffold.
    let plain = tmp.join("work/plain");
    fs::create_dir_all(&plain).unwrap();
    git(&plain, &["init", "-q", "-b", "main"]);
    fs::write(plain.join("README.md"), "plain\n").unwrap();
    git(&plain, &["add", "-A"]);
    git(&plain, &["commit", "-qm", "plain"]);
    remotes.insert("plain", bare_from(tmp, "plain", &plain));
    // A corrupt lock.
    remotes.insert(
        "corrupt",
        generated_remote(tmp, &source, "corrupt", "1.0.0", "broken", |w| {
            fs::write(w.join(".scaffold/lock.toml"), "[lock\nformat = ").unwrap();
        }),
    );
    // A remote that rejects every push.
    let rejecting = generated_remote(tmp, &source, "rejecting", "1.0.0", "strict", |_| {});
    let hook = rejecting.join("hooks/pre-receive");
    fs::write(&hook, "#!/bin/sh\necho 'pushes are closed' >&2\nexit 1\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(&hook, fs::Permissions::from_mode(0o755)).unwrap();
    remotes.insert("rejecting", rejecting);
    // Its scaffold branch already has a person's commit.
    let human = generated_remote(tmp, &source, "human", "1.0.0", "people", |_| {});
    let clone = tmp.join("work/human-clone");
    git(
        tmp,
        &[
            "clone",
            "-q",
            &human.to_string_lossy(),
            &clone.to_string_lossy(),
        ],
    );
    git(&clone, &["checkout", "-q", "-b", "scaffold/svc-3.0.0"]);
    fs::write(clone.join("mine.txt"), "a person was here\n").unwrap();
    git(&clone, &["add", "-A"]);
    git(
        &clone,
        &["commit", "-qm", "my own work on the bot's branch"],
    );
    git(&clone, &["push", "-q", "origin", "scaffold/svc-3.0.0"]);
    remotes.insert("human", human);

    let daemon = Daemon::start(&tmp.join("remotes"));
    let list = tmp.join("repos.txt");
    let mut text = String::from("# the fleet\n");
    for (name, remote) in &remotes {
        // Three members over git:// (the rejecting one's pre-receive hook runs
        // in the daemon, as a forge's would), the rest over file://.
        if ["clean", "edited", "rejecting"].contains(name) {
            text.push_str(&format!("git://127.0.0.1:{}/{name}.git\n", daemon.port));
        } else {
            text.push_str(&format!("file://{}\n", remote.display()));
        }
    }
    fs::write(&list, text).unwrap();
    Fleet {
        remotes,
        list,
        source,
        _daemon: daemon,
    }
}

fn json(stdout: &str) -> serde_json::Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"))
}

fn result_of<'a>(outcome: &'a serde_json::Value, repo: &str) -> &'a serde_json::Value {
    outcome["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| {
            r["repository"]
                .as_str()
                .unwrap()
                .contains(&format!("/{repo}.git"))
        })
        .unwrap_or_else(|| panic!("no result for {repo}: {outcome}"))
}

fn branch_file(remote: &Path, branch: &str, file: &str) -> String {
    git(remote, &["show", &format!("{branch}:{file}")])
}

#[test]
fn a_fleet_upgrade_branches_pushes_reports_and_reruns_idempotently() {
    let tmp = tempfile::tempdir().unwrap();
    let f = fleet(tmp.path());
    let source = format!("{}", f.source.display());
    let before: Vec<String> = f
        .remotes
        .values()
        .map(|r| git(r, &["for-each-ref"]))
        .collect();

    // A dry run plans and classifies, and writes nothing anywhere.
    let (stdout, _) = scaffold(tmp.path())
        .args([
            "fleet",
            "upgrade",
            "--repos",
            &f.list.to_string_lossy(),
            "--source",
            &source,
            "--dry-run",
            "--json",
        ])
        .expect_code(1);
    let dry = json(&stdout);
    assert_eq!(result_of(&dry, "clean")["status"], "clean");
    assert_eq!(result_of(&dry, "conflict")["status"], "conflicts");
    assert!(dry["run_log"].is_null(), "no run log for a dry run");
    let after_dry: Vec<String> = f
        .remotes
        .values()
        .map(|r| git(r, &["for-each-ref"]))
        .collect();
    assert_eq!(before, after_dry, "no remote changed");

    let run_log = tmp.path().join("run.jsonl");
    let (stdout, _) = scaffold(tmp.path())
        .args([
            "fleet", "upgrade", "--repos", &f.list.to_string_lossy(), "--source", &source,
            "--push", "--jobs", "3", "--json", "--run-log", &run_log.to_string_lossy(),
            "--open-pr", "echo https://forge.example/pr/$(basename {repo}) > /dev/null; printf 'https://forge.example/%s' {branch}; printf '%s|%s\\n' {title} {body_file} >> PR-CALLS",
        ])
        .expect_code(1);
    let run = json(&stdout);
    let status = |repo: &str| {
        result_of(&run, repo)["status"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(status("clean"), "clean");
    assert_eq!(status("edited"), "clean");
    assert_eq!(status("conflict"), "conflicts");
    assert_eq!(status("current"), "up-to-date");
    assert_eq!(status("plain"), "skipped");
    assert_eq!(status("corrupt"), "skipped");
    assert_eq!(status("rejecting"), "failed");
    assert_eq!(status("human"), "skipped");
    assert!(result_of(&run, "plain")["reason"]
        .as_str()
        .unwrap()
        .contains("not generated by scaffold"));
    assert!(result_of(&run, "corrupt")["reason"]
        .as_str()
        .unwrap()
        .contains("unreadable lock"));
    assert!(result_of(&run, "rejecting")["reason"]
        .as_str()
        .unwrap()
        .contains("push rejected"));
    assert!(result_of(&run, "human")["reason"]
        .as_str()
        .unwrap()
        .contains("human commits"));
    assert_eq!(
        result_of(&run, "clean")["pull_request"],
        "https://forge.example/scaffold/svc-3.0.0"
    );

    // The branches: the upgrade, with the team's edits kept, the markers where they conflict.
    let branch = "scaffold/svc-3.0.0";
    let clean = &f.remotes["clean"];
    assert_eq!(
        branch_file(clean, branch, "config.txt"),
        "name: orders\nport: 8082\nreplicas: 2\ntimeout: 30s\n"
    );
    assert_eq!(branch_file(clean, branch, "NOTES.md"), "ours\n");
    assert!(branch_file(clean, branch, ".scaffold/lock.toml").contains("version = \"3.0.0\""));
    assert_eq!(
        branch_file(&f.remotes["edited"], branch, "config.txt"),
        "name: billing\nport: 8082\nreplicas: 2\ntimeout: 90s\n"
    );
    let conflicted = branch_file(&f.remotes["conflict"], branch, "config.txt");
    assert!(
        conflicted.contains("<<<<<<< yours\nport: 9999\n=======\nport: 8082\n>>>>>>> svc 3.0.0"),
        "{conflicted}"
    );
    let message = git(
        &f.remotes["conflict"],
        &["log", "-1", "--format=%an%n%B", branch],
    );
    assert!(
        message.starts_with("Fleet Bot\nUpgrade svc 1.0.0 -> 3.0.0"),
        "{message}"
    );
    assert!(
        message.contains("config.txt") && message.contains("Scaffold-Upgrade: svc 1.0.0 -> 3.0.0"),
        "{message}"
    );
    assert_eq!(
        before[0].lines().find(|l| l.ends_with("refs/heads/main")),
        git(clean, &["for-each-ref"])
            .lines()
            .find(|l| l.ends_with("refs/heads/main")),
        "the default branch is never touched"
    );
    assert!(!git(&f.remotes["rejecting"], &["branch"]).contains("scaffold/"));
    assert!(
        !f.source.join("TASK-RAN").exists(),
        "no task ever runs in a fleet"
    );
    // The person's branch is untouched.
    assert!(
        git(&f.remotes["human"], &["log", "-1", "--format=%s", branch]).contains("my own work")
    );

    // The pull-request description.
    let body =
        fs::read_to_string(result_of(&run, "conflict")["pr_body"].as_str().unwrap()).unwrap();
    assert!(
        body.contains("port 8081 <b>bold</b>") && body.contains("```text"),
        "changelog shown as text:\n{body}"
    );
    assert!(body.contains("| `config.txt` |"), "{body}");
    assert!(body.contains("resolve"), "{body}");

    // The run log: the audit trail.
    let log = fs::read_to_string(&run_log).unwrap();
    let events: Vec<serde_json::Value> = log
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(events[0]["event"], "start");
    assert!(events[0]["command"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a == "--push"));
    assert_eq!(events.iter().filter(|e| e["event"] == "repo").count(), 8);
    assert_eq!(events.last().unwrap()["event"], "end");

    // Reports: Markdown grouped, JUnit parseable with one case per repository.
    let md = tmp.path().join("summary.md");
    let junit = tmp.path().join("fleet.xml");
    scaffold(tmp.path())
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
        md.contains("| conflicts | 1 |") && md.contains("## Failed (1)"),
        "{md}"
    );
    let cases = junit_cases(&fs::read_to_string(&junit).unwrap());
    assert_eq!(cases.len(), 8);
    assert_eq!(
        cases.iter().filter(|(_, kind)| kind == "failure").count(),
        1,
        "conflicts"
    );
    assert_eq!(
        cases.iter().filter(|(_, kind)| kind == "error").count(),
        1,
        "failed"
    );
    assert_eq!(
        cases.iter().filter(|(_, kind)| kind == "skipped").count(),
        3
    );

    // Again: the branches already hold the upgrades; nothing is committed twice.
    let heads = git(clean, &["rev-parse", branch]);
    let (stdout, _) = scaffold(tmp.path())
        .args([
            "fleet",
            "upgrade",
            "--repos",
            &f.list.to_string_lossy(),
            "--source",
            &source,
            "--push",
            "--json",
        ])
        .expect_code(1);
    let again = json(&stdout);
    assert_eq!(result_of(&again, "clean")["status"], "up-to-date");
    assert_eq!(result_of(&again, "conflict")["status"], "up-to-date");
    assert_eq!(
        git(clean, &["rev-parse", branch]),
        heads,
        "no second commit, no force push"
    );
}

/// (test case name, what it holds: "ok", "failure", "error", "skipped")
fn junit_cases(xml: &str) -> Vec<(String, String)> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut cases: Vec<(String, String)> = Vec::new();
    loop {
        match reader.read_event().expect("well-formed JUnit") {
            Event::Start(e) | Event::Empty(e) if e.name().as_ref() == b"testcase" => {
                let name = e
                    .try_get_attribute("name")
                    .unwrap()
                    .unwrap()
                    .unescape_value()
                    .unwrap()
                    .into_owned();
                cases.push((name, "ok".into()));
            }
            Event::Start(e) | Event::Empty(e)
                if [b"failure".as_slice(), b"error", b"skipped"].contains(&e.name().as_ref()) =>
            {
                cases.last_mut().unwrap().1 =
                    String::from_utf8_lossy(e.name().as_ref()).into_owned();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    cases
}

#[test]
fn skip_mode_leaves_conflicted_files_and_the_lock_and_commits_the_rest() {
    let tmp = tempfile::tempdir().unwrap();
    let source = tmp.path().join("paths");
    golden_path(&source);
    let remote = generated_remote(tmp.path(), &source, "r", "1.0.0", "users", |w| {
        let c = fs::read_to_string(w.join("config.txt")).unwrap();
        fs::write(w.join("config.txt"), c.replace("port: 8080", "port: 9999")).unwrap();
        fs::write(w.join("README.md"), "# users, our readme\n").unwrap();
    });
    // v3 also changes the README so there is something clean to commit.
    fs::write(source.join("template/README.md"), "# {{ name }}\n\nMore.\n").unwrap();
    fs::write(
        source.join("golden-path.toml"),
        fs::read_to_string(source.join("golden-path.toml"))
            .unwrap()
            .replace("3.0.0", "3.1.0"),
    )
    .unwrap();
    fs::write(source.join("template/extra.txt"), "new file\n").unwrap();
    git(&source, &["add", "-A"]);
    git(&source, &["commit", "-qm", "3.1.0"]);
    git(&source, &["tag", "v3.1.0"]);
    let (stdout, _) = scaffold(tmp.path())
        .args([
            "fleet",
            "upgrade",
            &format!("file://{}", remote.display()),
            "--source",
            &source.to_string_lossy(),
            "--push",
            "--conflicts",
            "skip",
            "--json",
        ])
        .expect_code(1);
    let r = &json(&stdout)["results"][0];
    assert_eq!(r["status"], "conflicts");
    let branch = "scaffold/svc-3.1.0";
    assert_eq!(
        branch_file(&remote, branch, "config.txt"),
        "name: users\nport: 9999\nreplicas: 2\ntimeout: 30s\n",
        "left as it was"
    );
    assert_eq!(
        branch_file(&remote, branch, "extra.txt"),
        "new file\n",
        "the rest is committed"
    );
    assert!(
        branch_file(&remote, branch, ".scaffold/lock.toml").contains("version = \"1.0.0\""),
        "the lock stays"
    );
}

#[test]
fn resume_after_kill_finishes_the_run_without_duplicate_commits() {
    let tmp = tempfile::tempdir().unwrap();
    let source = tmp.path().join("paths");
    golden_path(&source);
    let mut lines = String::new();
    let mut remotes = Vec::new();
    for i in 0..6 {
        let r = generated_remote(
            tmp.path(),
            &source,
            &format!("r{i}"),
            "1.0.0",
            &format!("n{i}"),
            |_| {},
        );
        lines.push_str(&format!("file://{}\n", r.display()));
        remotes.push(r);
    }
    let list = tmp.path().join("repos.txt");
    fs::write(&list, lines).unwrap();
    let run_log = tmp.path().join("run.jsonl");
    let args = |extra: &[&str]| {
        let mut a: Vec<String> = [
            "fleet",
            "upgrade",
            "--repos",
            &list.to_string_lossy(),
            "--source",
            &source.to_string_lossy(),
            "--push",
            "--jobs",
            "1",
            "--json",
        ]
        .iter()
        .map(std::string::ToString::to_string)
        .collect();
        a.extend(extra.iter().map(std::string::ToString::to_string));
        a
    };
    // Kill -9 the first run once the log shows a repository finished.
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("scaffold"))
        .args(args(&["--run-log", &run_log.to_string_lossy()]))
        .env("HOME", tmp.path().join("home"))
        .env("XDG_CACHE_HOME", tmp.path().join("home/cache"))
        .env("XDG_CONFIG_HOME", tmp.path().join("home/config"))
        .env("GIT_CONFIG_GLOBAL", tmp.path().join("home/gitconfig"))
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    loop {
        let done = fs::read_to_string(&run_log)
            .unwrap_or_default()
            .matches("\"event\":\"repo\"")
            .count();
        if done >= 2 || started.elapsed().as_secs() > 60 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let _ = child.kill();
    let _ = child.wait();
    let finished_before = fs::read_to_string(&run_log)
        .unwrap()
        .matches("\"event\":\"repo\"")
        .count();
    assert!(
        finished_before < 6,
        "the run was interrupted ({finished_before} done)"
    );

    let (stdout, _) = scaffold(tmp.path())
        .args(args(&["--resume", &run_log.to_string_lossy()]))
        .expect_code(0);
    let outcome = json(&stdout);
    assert_eq!(outcome["results"].as_array().unwrap().len(), 6, "{stdout}");
    assert!(
        outcome["results"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["status"] == "clean" || r["status"] == "up-to-date"),
        "{stdout}"
    );
    for r in &remotes {
        let commits = git(r, &["rev-list", "--count", "main..scaffold/svc-3.0.0"]);
        assert_eq!(
            commits.trim(),
            "1",
            "{}: one commit on the branch",
            r.display()
        );
    }
    let log = fs::read_to_string(&run_log).unwrap();
    let repo_events = log.matches("\"event\":\"repo\"").count();
    assert_eq!(
        repo_events, 6,
        "each repository finished once across both runs:\n{log}"
    );
}

#[test]
fn status_shows_versions_drift_and_adoption_and_scan_with_where_selects() {
    let tmp = tempfile::tempdir().unwrap();
    let t = tmp.path();
    let source = t.join("paths");
    golden_path(&source);
    for (id, version, edit) in [
        ("a", "1.0.0", true),
        ("b", "2.0.0", false),
        ("c", "3.0.0", false),
    ] {
        generated_remote(t, &source, id, version, id, |w| {
            if edit {
                let c = fs::read_to_string(w.join("config.txt")).unwrap();
                fs::write(
                    w.join("config.txt"),
                    c.replace("timeout: 30s", "timeout: 90s\nextra: 1"),
                )
                .unwrap();
            }
        });
    }
    // Something under the scanned folder that is not generated, and a node_modules to skip.
    fs::create_dir_all(t.join("work/node_modules/x/.scaffold")).unwrap();
    fs::write(
        t.join("work/node_modules/x/.scaffold/lock.toml"),
        "not scanned",
    )
    .unwrap();
    let (stdout, _) = scaffold(t)
        .args([
            "fleet",
            "status",
            "--scan",
            &t.join("work").to_string_lossy(),
            "--json",
        ])
        .expect_code(1);
    let st = json(&stdout);
    let rows = st["repositories"].as_array().unwrap();
    assert_eq!(rows.len(), 3, "{stdout}");
    let row = |id: &str| {
        rows.iter()
            .find(|r| {
                r["repository"]
                    .as_str()
                    .unwrap()
                    .ends_with(&format!("/{id}"))
            })
            .unwrap()
    };
    assert_eq!(row("a")["behind"], 2);
    assert_eq!(row("a")["latest"], "3.0.0");
    assert_eq!(row("a")["drift_files"], 1);
    assert_eq!(
        row("a")["drift_lines"],
        3,
        "the checkout has its pristine ref: lines are known"
    );
    assert_eq!(row("c")["behind"], 0);
    assert!(row("a")["last_upgrade"].as_str().unwrap().ends_with('Z'));
    assert_eq!(st["adoption"]["svc"]["1.0.0"], 1);
    assert_eq!(st["adoption"]["svc"]["3.0.0"], 1);

    // --where over locks; the human table.
    let (stdout, _) = scaffold(t)
        .args([
            "fleet",
            "status",
            "--scan",
            &t.join("work").to_string_lossy(),
            "--where",
            "version>=2",
            "--where",
            "answers.name!=c",
        ])
        .expect_code(1);
    assert!(stdout.starts_with("REPOSITORY"), "{stdout}");
    assert_eq!(
        stdout.lines().filter(|l| l.contains("/work/")).count(),
        1,
        "{stdout}"
    );
    assert!(stdout.contains("svc: 2.0.0: 1"), "{stdout}");

    // Upgrading scanned repositories never touches the developer's checkouts.
    let before = git(&t.join("work/a"), &["status", "--porcelain"]);
    let (stdout, _) = scaffold(t)
        .args([
            "fleet",
            "upgrade",
            "--scan",
            &t.join("work").to_string_lossy(),
            "--where",
            "golden_path=svc",
            "--where",
            "version<3",
            "--source",
            &source.to_string_lossy(),
            "--json",
        ])
        .expect_code(0);
    let run = json(&stdout);
    assert_eq!(run["results"].as_array().unwrap().len(), 3);
    assert_eq!(run["counts"]["clean"], 2, "{stdout}");
    assert_eq!(
        run["counts"]["skipped"], 1,
        "c does not match version<3: {stdout}"
    );
    assert_eq!(git(&t.join("work/a"), &["status", "--porcelain"]), before);
    assert!(
        !git(&t.join("work/a"), &["branch"]).contains("scaffold/"),
        "no --push: nothing left the fleet's clone"
    );
    let location = run["results"][0]["location"].as_str().unwrap();
    assert!(
        location.contains("(branch scaffold/svc-3.0.0)"),
        "{location}"
    );
}
