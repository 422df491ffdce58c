//! The security review's cases, played for real: hostile golden paths and
//! sources, concurrent and interrupted runs, and the files a user owns.
//! (Bad input that must fail with nothing written is in `errors.rs`, one
//! fixture per mistake.)

use std::fs;
use std::path::{Path, PathBuf};

use crate::support::{generate_at, git, snapshot, tag_version, Scaffold};

fn scaffold(tmp: &Path) -> Scaffold {
    Scaffold::in_tmp(tmp)
}

/// A golden-path repository `svc` with one task that records it ran, at `v1.0.0`.
fn source_with_task(root: &Path) {
    tag_version(
        root,
        "1.0.0",
        "\n[[tasks]]\nname = \"mark\"\nrun = \"touch task-ran\"\n",
        &[("README.md", "hello\n")],
    );
}

#[test]
fn trust_compares_normalised_urls_and_tasks_of_lookalike_sources_never_run() {
    let tmp = tempfile::tempdir().unwrap();
    let platform = tmp.path().join("srv/platform/paths");
    let evil = tmp.path().join("srv/evil/paths");
    source_with_task(&platform);
    source_with_task(&evil);
    let home = tmp.path().join("home");
    fs::create_dir_all(home.join("config/scaffold")).unwrap();
    let trusted = format!("file://{}/srv/platform/*", tmp.path().display());
    fs::write(
        home.join("config/scaffold/config.toml"),
        format!("trusted = [\"{trusted}\"]\n"),
    )
    .unwrap();

    // The trusted source itself, spelled with another case for the scheme: tasks run.
    let good = format!("FILE://{}", platform.display());
    let dest = tmp.path().join("good");
    scaffold(tmp.path())
        .args(["new", &good, &dest.to_string_lossy(), "--defaults", "-q"])
        .expect_code(0);
    assert!(
        dest.join("task-ran").exists(),
        "a trusted source runs its tasks"
    );
    let lock = fs::read_to_string(dest.join(".scaffold/lock.toml")).unwrap();
    assert!(
        lock.contains(&format!("source = \"file://{}\"", platform.display())),
        "the lock records the normalised URL that was fetched:\n{lock}"
    );

    // `.../platform/../evil/...` is refused outright: no fetch, nothing written.
    let lookalike = format!("file://{}/srv/platform/../evil/paths", tmp.path().display());
    let dest = tmp.path().join("lookalike");
    let (_, stderr) = scaffold(tmp.path())
        .args(["new", &lookalike, &dest.to_string_lossy(), "--defaults"])
        .expect_code(2);
    assert!(stderr.contains("`..` path segments"), "{stderr}");
    assert!(!dest.exists());

    // The other repository, spelled plainly, is simply not trusted.
    let other = format!("file://{}", evil.display());
    let dest = tmp.path().join("other");
    let (_, stderr) = scaffold(tmp.path())
        .args(["new", &other, &dest.to_string_lossy(), "--defaults"])
        .expect_code(0);
    assert!(stderr.contains("not trusted"), "{stderr}");
    assert!(!dest.join("task-ran").exists());

    // A query that hides the real host from a naive reader is refused.
    let (_, stderr) = scaffold(tmp.path())
        .args([
            "new",
            "http://127.0.0.1:9?@trusted.example/platform/x.git",
            &tmp.path().join("q").to_string_lossy(),
            "--defaults",
        ])
        .expect_code(2);
    assert!(stderr.contains("has a query"), "{stderr}");
}

#[test]
fn credentials_in_a_source_url_reach_git_and_nothing_else() {
    let tmp = tempfile::tempdir().unwrap();
    let served = tmp.path().join("served");
    let platform = served.join("paths.git");
    let work = tmp.path().join("work");
    source_with_task(&work);
    git(
        tmp.path(),
        &[
            "clone",
            "-q",
            "--bare",
            &work.to_string_lossy(),
            &platform.to_string_lossy(),
        ],
    );
    let server = crate::support::GitHttpServer::start(&served, "bob", "TOKEN-s3cret-1234");
    let url = format!(
        "http://bob:TOKEN-s3cret-1234@127.0.0.1:{}/paths.git",
        server.port
    );
    let dest = tmp.path().join("repo");
    let (stdout, stderr) = scaffold(tmp.path())
        .args(["new", &url, &dest.to_string_lossy(), "--defaults", "--json"])
        .expect_code(0);
    assert!(
        server.authorised_requests() > 0,
        "git sent the credentials when asked"
    );
    // Nothing written or printed holds the token: lock, commits, cache, output.
    let mut haystack = format!("{stdout}{stderr}");
    for root in [&dest, &tmp.path().join("home")] {
        for entry in walkdir::WalkDir::new(root).into_iter().flatten() {
            if entry.file_type().is_file() {
                haystack.push_str(&String::from_utf8_lossy(&fs::read(entry.path()).unwrap()));
            }
        }
    }
    haystack.push_str(&git(&dest, &["log", "--all", "-p"]));
    assert!(!haystack.contains("TOKEN-s3cret"), "the token leaked");
    let lock = fs::read_to_string(dest.join(".scaffold/lock.toml")).unwrap();
    assert!(
        lock.contains(&format!(
            "source = \"http://127.0.0.1:{}/paths.git\"",
            server.port
        )),
        "{lock}"
    );

    // A wrong token is refused by the server, and the error does not echo it.
    let bad = format!(
        "http://bob:WRONG-token-5678@127.0.0.1:{}/paths.git",
        server.port
    );
    let (stdout, stderr) = scaffold(tmp.path())
        .args([
            "new",
            &bad,
            &tmp.path().join("bad").to_string_lossy(),
            "--defaults",
            "--json",
        ])
        .expect_code(2);
    assert!(
        !format!("{stdout}{stderr}").contains("WRONG-token"),
        "{stderr}"
    );
}

#[test]
fn a_failing_git_step_leaves_no_destination_behind() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("home");
    let s = scaffold(tmp.path());
    // An initial branch name git refuses makes the repository step fail
    // after every file was written to the staging folder.
    let broken =
        "[user]\n\tname = T\n\temail = t@example.com\n[init]\n\tdefaultBranch = bad..name\n";
    fs::write(home.join("gitconfig"), broken).unwrap();
    fs::write(home.join(".gitconfig"), broken).unwrap();
    let dest = tmp.path().join("work/orders");
    fs::create_dir_all(tmp.path().join("work")).unwrap();
    let (_, stderr) = s
        .args([
            "new",
            "java-service",
            &dest.to_string_lossy(),
            "--defaults",
            "--set",
            "service_name=orders",
        ])
        .expect_code(2);
    assert!(!stderr.is_empty());
    assert!(!dest.exists(), "no half-made repository");
    assert_eq!(
        fs::read_dir(tmp.path().join("work")).unwrap().count(),
        0,
        "no staging folder left"
    );
}

#[test]
fn a_failing_task_leaves_a_complete_repository_its_output_shown_and_exit_1() {
    let tmp = tempfile::tempdir().unwrap();
    let source = tmp.path().join("paths");
    tag_version(
        &source,
        "1.0.0",
        "\n[variables.token]\nsecret = true\ndefault = \"LEAKED-task-secret\"\n\n[[tasks]]\nname = \"prepare\"\nrun = \"echo preparing; echo changed > made-by-task.txt; echo \\\"token is $SCAFFOLD_SECRET_TOKEN\\\" >&2; exit 3\"\n\n[[tasks]]\nname = \"after\"\nrun = \"touch never\"\n",
        &[("README.md", "hello\n")],
    );
    let dest = tmp.path().join("repo");
    let (stdout, stderr) = scaffold(tmp.path())
        .args([
            "new",
            &source.to_string_lossy(),
            &dest.to_string_lossy(),
            "--defaults",
            "--trust",
        ])
        .expect_code(1);
    assert!(
        stderr.contains("preparing"),
        "task output is shown live:\n{stderr}"
    );
    assert!(
        stderr.contains("token is ***"),
        "secrets are masked:\n{stderr}"
    );
    assert!(!format!("{stdout}{stderr}").contains("LEAKED"));
    assert!(stderr.contains("task `prepare` exited 3"), "{stderr}");
    assert!(stderr.contains("git status"), "a next step: {stderr}");
    // A complete repository: initial commit, pristine ref, the task's change left for review.
    assert_eq!(git(&dest, &["log", "--format=%s"]).lines().count(), 1);
    git(&dest, &["rev-parse", "refs/scaffold/pristine"]);
    assert_eq!(
        git(&dest, &["status", "--porcelain"]),
        "?? made-by-task.txt\n"
    );
    assert!(
        !dest.join("never").exists(),
        "tasks after a failure do not run"
    );

    // --json says the same, with the output captured.
    let dest = tmp.path().join("repo2");
    let (stdout, _) = scaffold(tmp.path())
        .args([
            "new",
            &source.to_string_lossy(),
            &dest.to_string_lossy(),
            "--defaults",
            "--trust",
            "--json",
        ])
        .expect_code(1);
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["tasks"][0]["status"], "failed");
    assert_eq!(json["tasks"][0]["exit_code"], 3);
    // stdout and stderr lines interleave as they come: check the set.
    let output: Vec<&str> = json["tasks"][0]["output"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap())
        .collect();
    assert!(
        output.contains(&"preparing") && output.contains(&"token is ***"),
        "{output:?}"
    );
    assert_eq!(json["tasks"][1]["status"], "skipped");
    assert!(!stdout.contains("LEAKED"));
}

#[test]
fn tasks_that_succeed_are_committed_on_top_of_the_render() {
    let tmp = tempfile::tempdir().unwrap();
    let source = tmp.path().join("paths");
    source_with_task(&source);
    let dest = tmp.path().join("repo");
    scaffold(tmp.path())
        .args([
            "new",
            &source.to_string_lossy(),
            &dest.to_string_lossy(),
            "--defaults",
            "--trust",
            "-q",
        ])
        .expect_code(0);
    assert_eq!(git(&dest, &["status", "--porcelain"]), "", "a clean tree");
    let log = git(&dest, &["log", "--format=%s"]);
    assert_eq!(log.lines().count(), 2, "{log}");
    assert!(log.starts_with("Run the tasks of svc 1.0.0"), "{log}");
    // The pristine render does not hold what tasks made.
    let pristine = git(
        &dest,
        &["ls-tree", "-r", "--name-only", "refs/scaffold/pristine"],
    );
    assert!(!pristine.contains("task-ran"), "{pristine}");
}

#[test]
fn a_second_upgrade_waits_for_the_first_and_a_dead_holders_lock_is_taken_over() {
    let tmp = tempfile::tempdir().unwrap();
    let source = tmp.path().join("paths");
    tag_version(&source, "1.0.0", "", &[("a.txt", "one\n")]);
    let repo = generate_at(tmp.path(), &source, "1.0.0", &[]);
    tag_version(&source, "2.0.0", "", &[("a.txt", "two\n")]);
    let lock = repo.join(".git/scaffold.lock");
    let host = fs::read_to_string("/proc/sys/kernel/hostname").unwrap();
    // A live holder: this test process.
    fs::write(
        &lock,
        format!(
            "pid={} host={} since=0 command=scaffold upgrade\n",
            std::process::id(),
            host.trim()
        ),
    )
    .unwrap();
    let before = snapshot(&repo);
    let (_, stderr) = scaffold(tmp.path())
        .current_dir(&repo)
        .args(["upgrade"])
        .expect_code(2);
    assert!(
        stderr.contains("another scaffold is working on this repository"),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("pid {}", std::process::id())),
        "{stderr}"
    );
    assert_eq!(snapshot(&repo), before, "nothing touched");
    let (_, stderr) = scaffold(tmp.path())
        .current_dir(&repo)
        .args(["upgrade", "--abort"])
        .expect_code(2);
    assert!(
        stderr.contains("another scaffold"),
        "--abort waits too: {stderr}"
    );

    // A holder that no longer exists (pid far above pid_max) on this host: taken over.
    fs::write(
        &lock,
        format!(
            "pid=4294967 host={} since=0 command=scaffold upgrade\n",
            host.trim()
        ),
    )
    .unwrap();
    scaffold(tmp.path())
        .current_dir(&repo)
        .args(["upgrade", "-q"])
        .expect_code(0);
    assert_eq!(fs::read_to_string(repo.join("a.txt")).unwrap(), "two\n");
    assert!(!lock.exists(), "released when done");
}

#[test]
fn two_upgrades_at_once_one_runs_and_abort_never_deletes_what_it_did_not_write() {
    let tmp = tempfile::tempdir().unwrap();
    let source = tmp.path().join("paths");
    let many: Vec<(String, String)> = (0..300)
        .map(|i| (format!("f/{i}.txt"), format!("{i}\n")))
        .collect();
    tag_version(&source, "1.0.0", "", &many);
    let repo = generate_at(tmp.path(), &source, "1.0.0", &[]);
    let v2: Vec<(String, String)> = (0..300)
        .map(|i| (format!("f/{i}.txt"), format!("{i} v2\n")))
        .chain([("new.txt".to_string(), "new\n".to_string())])
        .collect();
    tag_version(&source, "2.0.0", "", &v2);
    let run = || {
        let tmp = tmp.path().to_path_buf();
        let repo = repo.clone();
        std::thread::spawn(move || {
            scaffold(&tmp)
                .current_dir(&repo)
                .args(["upgrade", "-q"])
                .output()
        })
    };
    let (a, b) = (run(), run());
    let codes = [
        a.join().unwrap().status.code(),
        b.join().unwrap().status.code(),
    ];
    assert!(codes.contains(&Some(0)), "one ran: {codes:?}");
    assert!(
        codes.iter().all(|c| *c == Some(0) || *c == Some(2)),
        "{codes:?}"
    );
    // Whichever order they ran in, the repository is one whole upgrade.
    assert_eq!(fs::read_to_string(repo.join("f/7.txt")).unwrap(), "7 v2\n");

    // The user edits a file the upgrade created; --abort puts back the rest, keeps it.
    fs::write(repo.join("new.txt"), "mine now\n").unwrap();
    let (_, stderr) = scaffold(tmp.path())
        .current_dir(&repo)
        .args(["upgrade", "--abort"])
        .expect_code(0);
    assert!(stderr.contains("left new.txt alone"), "{stderr}");
    assert_eq!(
        fs::read_to_string(repo.join("new.txt")).unwrap(),
        "mine now\n"
    );
    assert_eq!(fs::read_to_string(repo.join("f/7.txt")).unwrap(), "7\n");
    assert_eq!(
        git(&repo, &["ls-files"]).lines().count(),
        301,
        "every committed file is still there"
    );
}

#[test]
fn an_interrupted_upgrade_is_refused_until_aborted_and_abort_cleans_temporaries() {
    let tmp = tempfile::tempdir().unwrap();
    let source = tmp.path().join("paths");
    tag_version(&source, "1.0.0", "", &[("a/x.txt", "one\n")]);
    let repo = generate_at(tmp.path(), &source, "1.0.0", &[]);
    tag_version(&source, "2.0.0", "", &[("a/x.txt", "two\n")]);
    let before = snapshot(&repo);
    scaffold(tmp.path())
        .current_dir(&repo)
        .args(["upgrade", "-q"])
        .expect_code(0);
    // Make it look like a run killed mid-write: state not done, a temporary left.
    let state = repo.join(".git/scaffold/upgrade/state.toml");
    let text = fs::read_to_string(&state)
        .unwrap()
        .replace("done = true", "done = false");
    fs::write(&state, text).unwrap();
    fs::write(repo.join("a/.scaffold-tmp-Ab12cD"), "half").unwrap();
    fs::write(repo.join("a/.scaffold-tmp-notours.txt"), "a user's file").unwrap();

    let (_, stderr) = scaffold(tmp.path())
        .current_dir(&repo)
        .args(["upgrade", "--allow-dirty"])
        .expect_code(2);
    assert!(stderr.contains("was interrupted"), "{stderr}");
    assert!(
        !repo.join("a/.scaffold-tmp-Ab12cD").exists(),
        "the next run cleans up"
    );
    fs::write(repo.join("a/.scaffold-tmp-Xy34zW"), "half").unwrap();
    scaffold(tmp.path())
        .current_dir(&repo)
        .args(["upgrade", "--abort"])
        .expect_code(0);
    assert!(
        !repo.join("a/.scaffold-tmp-Xy34zW").exists(),
        "abort cleans up"
    );
    assert!(
        repo.join("a/.scaffold-tmp-notours.txt").exists(),
        "only our own names"
    );
    fs::remove_file(repo.join("a/.scaffold-tmp-notours.txt")).unwrap();
    assert_eq!(snapshot(&repo), before);

    // A saved state whose copies are missing is refused, changing nothing.
    scaffold(tmp.path())
        .current_dir(&repo)
        .args(["upgrade", "-q"])
        .expect_code(0);
    fs::remove_dir_all(repo.join(".git/scaffold/upgrade/files")).unwrap();
    let during = snapshot(&repo);
    let (_, stderr) = scaffold(tmp.path())
        .current_dir(&repo)
        .args(["upgrade", "--abort"])
        .expect_code(2);
    assert!(stderr.contains("cannot be restored"), "{stderr}");
    assert_eq!(snapshot(&repo), during);
}

#[test]
fn conflict_rej_never_replaces_the_users_own_rej_file() {
    let tmp = tempfile::tempdir().unwrap();
    let source = tmp.path().join("paths");
    tag_version(&source, "1.0.0", "", &[("a.txt", "one\n")]);
    let repo = generate_at(tmp.path(), &source, "1.0.0", &[]);
    tag_version(&source, "2.0.0", "", &[("a.txt", "two\n")]);
    fs::write(repo.join("a.txt"), "mine\n").unwrap();
    git(&repo, &["commit", "-qam", "mine"]);
    fs::write(repo.join("a.txt.rej"), "my own notes\n").unwrap();
    scaffold(tmp.path())
        .current_dir(&repo)
        .args(["upgrade", "--conflict", "rej", "-q"])
        .expect_code(1);
    assert_eq!(
        fs::read_to_string(repo.join("a.txt.rej")).unwrap(),
        "my own notes\n"
    );
    let ours = fs::read_to_string(repo.join("a.txt.scaffold.rej")).unwrap();
    assert!(ours.contains("+two"), "{ours}");
    // Resolving means deleting scaffold's file; the user's stays and does not block.
    fs::remove_file(repo.join("a.txt.scaffold.rej")).unwrap();
    scaffold(tmp.path())
        .current_dir(&repo)
        .args(["upgrade", "--continue"])
        .expect_code(0);
    assert_eq!(
        fs::read_to_string(repo.join("a.txt.rej")).unwrap(),
        "my own notes\n"
    );
}

#[test]
fn symlinks_inside_the_repository_stay_symlinks_in_new_and_upgrade() {
    let tmp = tempfile::tempdir().unwrap();
    let source = tmp.path().join("paths");
    tag_version(&source, "1.0.0", "", &[("docs/v1.md", "one\n")]);
    std::os::unix::fs::symlink("v1.md", source.join("template/docs/current.md")).unwrap();
    git(&source, &["add", "-A"]);
    git(&source, &["commit", "-qm", "link"]);
    git(&source, &["tag", "-f", "v1.0.0"]);
    let repo = generate_at(tmp.path(), &source, "1.0.0", &[]);
    assert_eq!(
        fs::read_link(repo.join("docs/current.md")).unwrap(),
        PathBuf::from("v1.md")
    );
    assert_eq!(
        git(&repo, &["ls-files", "-s", "docs/current.md"])
            .split_whitespace()
            .next(),
        Some("120000")
    );

    tag_version(&source, "2.0.0", "", &[("docs/v2.md", "two\n")]);
    std::os::unix::fs::symlink("v2.md", source.join("template/docs/current.md")).unwrap();
    git(&source, &["add", "-A"]);
    git(&source, &["commit", "-qm", "link"]);
    git(&source, &["tag", "-f", "v2.0.0"]);
    scaffold(tmp.path())
        .current_dir(&repo)
        .args(["upgrade", "-q"])
        .expect_code(0);
    assert_eq!(
        fs::read_link(repo.join("docs/current.md")).unwrap(),
        PathBuf::from("v2.md")
    );
    assert_eq!(
        git(&repo, &["status", "--porcelain"])
            .lines()
            .filter(|l| l.contains("current.md"))
            .count(),
        1
    );
}

#[test]
fn text_that_is_not_utf8_merges_like_git() {
    let tmp = tempfile::tempdir().unwrap();
    let source = tmp.path().join("paths");
    // ISO-8859-1: "café" is 63 61 66 e9.
    let v1 = b"caf\xe9 1\nline 2\nline 3\nline 4\nline 5\n".to_vec();
    let v2 = b"caf\xe9 1\nline 2\nline 3\nline 4\nline 5 from v2\n".to_vec();
    tag_version(&source, "1.0.0", "", &[("keep.txt", "x\n")]);
    fs::write(source.join("template/latin1.txt"), &v1).unwrap();
    git(&source, &["add", "-A"]);
    git(&source, &["commit", "-qm", "latin1"]);
    git(&source, &["tag", "-f", "v1.0.0"]);
    let repo = generate_at(tmp.path(), &source, "1.0.0", &[]);
    tag_version(&source, "2.0.0", "", &[("keep.txt", "x\n")]);
    fs::write(source.join("template/latin1.txt"), &v2).unwrap();
    git(&source, &["add", "-A"]);
    git(&source, &["commit", "-qm", "latin1 v2"]);
    git(&source, &["tag", "-f", "v2.0.0"]);
    fs::write(
        repo.join("latin1.txt"),
        b"caf\xe9 1 by the user\nline 2\nline 3\nline 4\nline 5\n",
    )
    .unwrap();
    git(&repo, &["commit", "-qam", "mine"]);
    scaffold(tmp.path())
        .current_dir(&repo)
        .args(["upgrade", "-q"])
        .expect_code(0);
    assert_eq!(
        fs::read(repo.join("latin1.txt")).unwrap(),
        b"caf\xe9 1 by the user\nline 2\nline 3\nline 4\nline 5 from v2\n"
    );
}

#[test]
fn gitattributes_binary_files_are_never_text_merged() {
    let tmp = tempfile::tempdir().unwrap();
    let source = tmp.path().join("paths");
    let lines = |last: &str| format!("1\n2\n3\n4\n5\n{last}\n");
    tag_version(
        &source,
        "1.0.0",
        "",
        &[("data.lst", lines("6")), ("plain.txt", lines("6"))],
    );
    let repo = generate_at(tmp.path(), &source, "1.0.0", &[]);
    tag_version(
        &source,
        "2.0.0",
        "",
        &[("data.lst", lines("six")), ("plain.txt", lines("six"))],
    );
    fs::write(repo.join(".gitattributes"), "*.lst binary\n").unwrap();
    fs::write(repo.join("data.lst"), format!("one\n{}", &lines("6")[2..])).unwrap();
    fs::write(repo.join("plain.txt"), format!("one\n{}", &lines("6")[2..])).unwrap();
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-qm", "mine"]);
    let (stdout, _) = scaffold(tmp.path())
        .current_dir(&repo)
        .args(["upgrade", "--json"])
        .expect_code(1);
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        json["conflicts"],
        serde_json::json!(["data.lst"]),
        "{stdout}"
    );
    assert_eq!(
        fs::read_to_string(repo.join("data.lst")).unwrap(),
        "one\n2\n3\n4\n5\n6\n",
        "a binary conflict keeps the user's file, without markers"
    );
    assert_eq!(
        fs::read_to_string(repo.join("plain.txt")).unwrap(),
        "one\n2\n3\n4\n5\nsix\n",
        "text still merges"
    );
}

#[test]
fn a_file_the_user_renamed_gets_the_golden_paths_change_and_lookalikes_conflict() {
    let tmp = tempfile::tempdir().unwrap();
    let source = tmp.path().join("paths");
    let body = |tls: &str| {
        format!("server:\n  port: 8080\n  tls: {tls}\n  threads: 8\n  timeout: 30s\nlogging:\n  level: info\n")
    };
    tag_version(
        &source,
        "1.0.0",
        "",
        &[("config/app.yml", body("off")), ("other.txt", "x\n".into())],
    );
    let repo = generate_at(tmp.path(), &source, "1.0.0", &[]);
    tag_version(
        &source,
        "2.0.0",
        "",
        &[("config/app.yml", body("on")), ("other.txt", "x\n".into())],
    );
    git(&repo, &["mv", "config/app.yml", "config/application.yml"]);
    let edited = body("off").replace("level: info", "level: debug");
    fs::write(repo.join("config/application.yml"), &edited).unwrap();
    git(&repo, &["commit", "-qam", "rename"]);

    let (stdout, _) = scaffold(tmp.path())
        .current_dir(&repo)
        .args(["upgrade", "--json"])
        .expect_code(0);
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        json["user_renames"][0]["from"], "config/app.yml",
        "{stdout}"
    );
    assert_eq!(json["user_renames"][0]["to"], "config/application.yml");
    assert_eq!(
        fs::read_to_string(repo.join("config/application.yml")).unwrap(),
        body("on").replace("level: info", "level: debug"),
        "the security fix reached the renamed file, the user's edit kept"
    );
    assert!(!repo.join("config/app.yml").exists(), "not brought back");

    // Two equally good candidates: a conflict at the old path, never a silent drop.
    let tmp = tempfile::tempdir().unwrap();
    let source = tmp.path().join("paths");
    tag_version(&source, "1.0.0", "", &[("config/app.yml", body("off"))]);
    let repo = generate_at(tmp.path(), &source, "1.0.0", &[]);
    tag_version(&source, "2.0.0", "", &[("config/app.yml", body("on"))]);
    git(&repo, &["mv", "config/app.yml", "config/a.yml"]);
    fs::write(repo.join("config/b.yml"), body("off")).unwrap();
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-qm", "two copies"]);
    let (stdout, _) = scaffold(tmp.path())
        .current_dir(&repo)
        .args(["upgrade", "--json"])
        .expect_code(1);
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        json["conflicts"],
        serde_json::json!(["config/app.yml"]),
        "{stdout}"
    );
    assert!(git(&repo, &["status", "--porcelain"]).contains("config/app.yml"));
}
