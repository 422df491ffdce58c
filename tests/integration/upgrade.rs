//! `scaffold upgrade` end to end: exit codes, git conflicts, --continue,
//! --abort restoring exactly, --conflict rej, refusals that touch nothing.

use std::fs;
use std::path::Path;

use crate::support::{generate_at, git, snapshot, tag_version, Scaffold};
use crate::upgrade_plan::{edit_like_a_user, generate, source_repo};

fn setup(tmp: &Path, with_conflicts: bool) -> std::path::PathBuf {
    let source = tmp.join("paths");
    source_repo(&source);
    let repo = generate(tmp, &source, &[]);
    if with_conflicts {
        edit_like_a_user(&repo);
    } else {
        fs::write(
            repo.join("both-clean.txt"),
            "a\nb\nc\nd\ne\nF by the user\n",
        )
        .unwrap();
    }
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "my edits"]);
    repo
}

fn scaffold(tmp: &Path, repo: &Path) -> Scaffold {
    Scaffold::in_tmp(tmp).current_dir(repo)
}

#[test]
fn a_clean_upgrade_moves_lock_and_pristine_ref_and_abort_undoes_it_exactly() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = setup(tmp.path(), false);
    let before = snapshot(&repo);

    let (stdout, _) = scaffold(tmp.path(), &repo).args(["upgrade"]).expect_code(0);
    assert!(
        stdout.contains("Upgraded svc 1.0.0 -> 2.0.0 (merge base: pristine-ref)"),
        "{stdout}"
    );
    assert_eq!(
        fs::read_to_string(repo.join("both-clean.txt")).unwrap(),
        "A from v2\nb\nc\nd\ne\nF by the user\n",
        "both edits kept"
    );
    assert_eq!(
        fs::read_to_string(repo.join("added.txt")).unwrap(),
        "region eu\n"
    );
    assert!(!repo.join("removed.txt").exists());
    let lock = fs::read_to_string(repo.join(".scaffold/lock.toml")).unwrap();
    assert!(
        lock.contains("version = \"2.0.0\"") && lock.contains("tag = \"v2.0.0\""),
        "{lock}"
    );
    assert_eq!(
        git(&repo, &["show", "refs/scaffold/pristine:template-only.txt"]),
        "v2 for demo\n"
    );
    let status = git(&repo, &["status", "--porcelain"]);
    assert!(
        status.contains("A  added.txt")
            && status.contains("D  removed.txt")
            && status.contains("M  both-clean.txt"),
        "staged for review:\n{status}"
    );

    scaffold(tmp.path(), &repo)
        .args(["upgrade", "--abort"])
        .expect_code(0);
    assert_eq!(
        snapshot(&repo),
        before,
        "files, index and pristine ref exactly as before"
    );
}

#[test]
fn conflicts_exit_1_as_git_conflicts_and_continue_finishes_once_resolved() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = setup(tmp.path(), true);
    let (stdout, _) = scaffold(tmp.path(), &repo).args(["upgrade"]).expect_code(1);
    assert!(stdout.contains("3 conflict(s)"), "{stdout}");
    let status = git(&repo, &["status", "--porcelain"]);
    assert!(
        status.contains("UU both-conflict.txt")
            && status.contains("UU logo.bin")
            && status.contains("UD removed-edited.txt"),
        "{status}"
    );
    assert!(
        fs::read_to_string(repo.join(".scaffold/lock.toml"))
            .unwrap()
            .contains("version = \"1.0.0\""),
        "the lock does not move while conflicts remain"
    );
    assert_eq!(
        fs::read_to_string(repo.join("seed.yml")).unwrap(),
        "port: 9999\n",
        "seed-once untouched"
    );
    assert!(!repo.join("user-deleted.txt").exists(), "stays deleted");

    let (_, err) = scaffold(tmp.path(), &repo).args(["upgrade"]).expect_code(2);
    assert!(err.contains("an upgrade is waiting"), "{err}");
    let (_, err) = scaffold(tmp.path(), &repo)
        .args(["upgrade", "--continue"])
        .expect_code(2);
    assert!(
        err.contains(
            "conflicts are not resolved yet: both-conflict.txt, logo.bin, removed-edited.txt"
        ),
        "{err}"
    );

    fs::write(repo.join("both-conflict.txt"), "z and y\n").unwrap();
    git(&repo, &["checkout", "--ours", "--", "logo.bin"]);
    git(
        &repo,
        &["add", "both-conflict.txt", "logo.bin", "removed-edited.txt"],
    );
    scaffold(tmp.path(), &repo)
        .args(["upgrade", "--continue"])
        .expect_code(0);
    assert!(fs::read_to_string(repo.join(".scaffold/lock.toml"))
        .unwrap()
        .contains("version = \"2.0.0\""));
    assert_eq!(
        git(&repo, &["show", "refs/scaffold/pristine:both-conflict.txt"]),
        "y\n"
    );
    git(&repo, &["commit", "-q", "-m", "upgrade"]);
    let (stdout, _) = scaffold(tmp.path(), &repo).args(["upgrade"]).expect_code(0);
    assert!(stdout.starts_with("Nothing to do"), "{stdout}");
}

#[test]
fn rej_style_leaves_the_users_file_and_the_change_beside_it() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = setup(tmp.path(), true);
    let (summary, _) = scaffold(tmp.path(), &repo)
        .args(["upgrade", "--conflict", "rej"])
        .expect_code(1);
    assert!(
        summary.contains("beside them in:\n  both-conflict.txt.rej\n")
            && summary.contains("logo.bin.theirs")
            && !summary.contains("git status"),
        "the message matches the mode:\n{summary}"
    );
    assert_eq!(
        fs::read_to_string(repo.join("both-conflict.txt")).unwrap(),
        "z\n",
        "untouched"
    );
    let rej = fs::read_to_string(repo.join("both-conflict.txt.rej")).unwrap();
    assert!(rej.contains("-x\n+y\n"), "{rej}");
    assert!(
        repo.join("logo.bin.theirs").exists(),
        "binary: the new content beside it"
    );
    assert!(
        !git(&repo, &["status", "--porcelain"]).contains("UU"),
        "no index conflicts with rej"
    );
    scaffold(tmp.path(), &repo)
        .args(["upgrade", "--continue"])
        .expect_code(2);
    for f in [
        "both-conflict.txt.rej",
        "logo.bin.theirs",
        "removed-edited.txt.rej",
    ] {
        let _ = fs::remove_file(repo.join(f));
    }
    // Applied by hand, not `git add`ed: --continue stages it with the rest.
    fs::write(repo.join("both-conflict.txt"), "z and y\n").unwrap();
    scaffold(tmp.path(), &repo)
        .args(["upgrade", "--continue"])
        .expect_code(0);
    let status = git(&repo, &["status", "--porcelain"]);
    assert!(
        status.lines().any(|l| l == "M  both-conflict.txt"),
        "staged like every other change of the upgrade:\n{status}"
    );
    assert!(
        !status
            .lines()
            .any(|l| l.starts_with(" M") || l.starts_with("??")),
        "{status}"
    );
}

#[test]
fn refusals_leave_the_repository_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = setup(tmp.path(), false);
    fs::write(repo.join("user-only.txt"), "uncommitted\n").unwrap();
    let before = snapshot(&repo);
    let (_, err) = scaffold(tmp.path(), &repo).args(["upgrade"]).expect_code(2);
    assert!(err.contains("uncommitted changes: user-only.txt"), "{err}");
    for args in [
        vec!["upgrade", "--allow-dirty", "--to", "0.9.0"],
        vec!["upgrade", "--allow-dirty", "--to", "7.0.0"],
    ] {
        scaffold(tmp.path(), &repo).args(&args).expect_code(2);
    }
    let (json, _) = scaffold(tmp.path(), &repo)
        .args(["upgrade", "--dry-run", "--json"])
        .expect_code(0);
    assert_eq!(
        snapshot(&repo),
        before,
        "nothing written by refusals or --dry-run"
    );
    let plan: serde_json::Value = serde_json::from_str(&json).unwrap();
    let classes: Vec<(&str, &str)> = plan["changed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["path"].as_str().unwrap(), c["class"].as_str().unwrap()))
        .collect();
    assert!(
        classes.contains(&("template-only.txt", "template-only"))
            && classes.contains(&("added.txt", "template-added")),
        "{classes:?}"
    );

    scaffold(tmp.path(), &repo)
        .args(["upgrade", "--allow-dirty"])
        .expect_code(0);
    assert_eq!(
        fs::read_to_string(repo.join("user-only.txt")).unwrap(),
        "uncommitted\n",
        "the uncommitted edit survives"
    );

    let (_, err) = Scaffold::in_tmp(tmp.path())
        .args(["upgrade"])
        .current_dir(tmp.path())
        .expect_code(2);
    assert!(
        err.contains("not a git repository") || err.contains("no lock file"),
        "{err}"
    );
}

#[test]
fn bad_input_exits_2_and_touches_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = setup(tmp.path(), false);
    let lock_path = repo.join(".scaffold/lock.toml");
    let lock = fs::read_to_string(&lock_path).unwrap();
    let expect_refusal = |needle: &str| {
        let before = snapshot(&repo);
        let (_, err) = scaffold(tmp.path(), &repo)
            .args(["upgrade", "--allow-dirty"])
            .expect_code(2);
        assert!(err.contains(needle), "expected {needle:?} in:\n{err}");
        assert_eq!(snapshot(&repo), before, "{needle}: repository changed");
    };

    fs::write(
        &lock_path,
        lock.replace("engine-version = \"0.1.0\"", "engine-version = \"9.0.0\""),
    )
    .unwrap();
    expect_refusal("written by scaffold 9.0.0 (lock format 1); this is scaffold 0.1.0");

    let source_line = lock.lines().find(|l| l.starts_with("source = ")).unwrap();
    fs::write(
        &lock_path,
        lock.replace(source_line, "source = \"/nonexistent/golden-paths#svc\""),
    )
    .unwrap();
    expect_refusal("does not exist");

    fs::remove_file(&lock_path).unwrap();
    expect_refusal("no lock file: this repository was not generated by scaffold");
    fs::write(&lock_path, &lock).unwrap();

    // A real merge in progress.
    git(&repo, &["checkout", "-q", "-b", "other"]);
    fs::write(repo.join("same.txt"), "other\n").unwrap();
    git(&repo, &["commit", "-q", "-am", "other"]);
    git(&repo, &["checkout", "-q", "main"]);
    fs::write(repo.join("same.txt"), "main\n").unwrap();
    git(&repo, &["commit", "-q", "-am", "main"]);
    let merge = std::process::Command::new("git")
        .args(["merge", "-q", "other"])
        .current_dir(&repo)
        .output()
        .unwrap();
    assert!(!merge.status.success(), "the merge conflicts");
    expect_refusal("in the middle of a merge");
}

#[test]
fn declared_renames_move_the_users_file_with_its_edits() {
    let tmp = tempfile::tempdir().unwrap();
    let source = tmp.path().join("src");
    let name = "[variables.name]\ndefault = \"app\"\n";
    tag_version(
        &source,
        "1.0.0",
        name,
        &[
            ("docs/guide.md", "one\ntwo\nthree\nfour\nfive\n"),
            ("notes/a.txt", "a\n"),
        ],
    );
    let renames = "\n[[renames]]\nfrom = \"docs/guide.md\"\nto = \"handbook/guide.md\"\n\n[[renames]]\nfrom = \"notes\"\nto = \"notes-{{ name }}\"\n";
    tag_version(
        &source,
        "2.0.0",
        &format!("{name}{renames}"),
        &[
            (
                "handbook/guide.md",
                "one\ntwo\nthree\nfour\nfive, revised\n",
            ),
            ("notes-{{ name }}/a.txt", "a\n"),
        ],
    );

    let repo = generate(tmp.path(), &source, &[]);
    fs::write(
        repo.join("docs/guide.md"),
        "ONE, mine\ntwo\nthree\nfour\nfive\n",
    )
    .unwrap();
    git(&repo, &["commit", "-q", "-am", "my edit"]);

    let (stdout, _) = scaffold(tmp.path(), &repo).args(["upgrade"]).expect_code(0);
    assert!(
        stdout.contains("docs/guide.md") && stdout.contains("renamed"),
        "{stdout}"
    );
    assert_eq!(
        fs::read_to_string(repo.join("handbook/guide.md")).unwrap(),
        "ONE, mine\ntwo\nthree\nfour\nfive, revised\n",
        "moved, with both edits"
    );
    assert!(!repo.join("docs").exists(), "no stale copy left behind");
    assert_eq!(
        fs::read_to_string(repo.join("notes-demo/a.txt")).unwrap(),
        "a\n",
        "folder renames use the answers"
    );
    assert!(!repo.join("notes").exists());
    let status = git(&repo, &["status", "--porcelain"]);
    assert!(
        status.contains("R  docs/guide.md -> handbook/guide.md"),
        "git sees a rename:
{status}"
    );
}

/// One version of a golden path: its number, the rest of its manifest, its template files.
type Version<'a> = (&'a str, &'a str, &'a [(&'a str, &'a str)]);

/// A single-path golden-path repository with a tag per version.
fn versions_repo(root: &Path, versions: &[Version<'_>]) {
    for (version, manifest, files) in versions {
        tag_version(root, version, manifest, files);
    }
}

#[test]
fn answer_migrations_rename_transform_and_drop_recorded_answers() {
    let tmp = tempfile::tempdir().unwrap();
    let source = tmp.path().join("src");
    versions_repo(
        &source,
        &[
            ("1.0.0", "[variables.svc_name]\ndefault = \"app\"\n[variables.replicas]\ntype = \"integer\"\ndefault = 2\n[variables.legacy]\ndefault = \"x\"\n", &[("name.txt", "{{ svc_name }} x{{ replicas }}\n")]),
            (
                "2.0.0",
                "[variables.service_name]\n[variables.replicas]\ntype = \"integer\"\ndefault = 2\n\n[[migrations]]\nrename = { from = \"svc_name\", to = \"service_name\" }\n\n[[migrations]]\nsince = \"2.0.0\"\nset = { variable = \"replicas\", value = \"{{ replicas * 2 }}\" }\n\n[[migrations]]\ndrop = \"legacy\"\n",
                &[("name.txt", "{{ service_name }} x{{ replicas }}\n")],
            ),
        ],
    );
    let repo = generate_at(
        tmp.path(),
        &source,
        "1.0.0",
        &["--set", "svc_name=orders", "--set", "replicas=3"],
    );
    let (plan, _) = scaffold(tmp.path(), &repo)
        .args(["upgrade", "--dry-run", "--json"])
        .expect_code(0);
    let plan: serde_json::Value = serde_json::from_str(&plan).unwrap();
    assert_eq!(
        plan["answers"],
        serde_json::json!({
            "added": [],
            "renamed": [{ "from": "svc_name", "to": "service_name" }],
            "changed": [{ "name": "replicas", "from": 3, "to": 6 }],
            "dropped": ["legacy"],
        })
    );
    let (summary, _) = scaffold(tmp.path(), &repo).args(["upgrade"]).expect_code(0);
    for line in [
        "answer renamed: svc_name -> service_name",
        "answer changed: replicas: 3 -> 6",
        "answer dropped: legacy",
    ] {
        assert!(summary.contains(line), "{line:?} in\n{summary}");
    }
    assert_eq!(
        fs::read_to_string(repo.join("name.txt")).unwrap(),
        "orders x6\n",
        "renamed answer kept, value transformed"
    );
    let lock = fs::read_to_string(repo.join(".scaffold/lock.toml")).unwrap();
    assert!(
        lock.contains("service_name = \"orders\"")
            && !lock.contains("svc_name")
            && !lock.contains("legacy"),
        "{lock}"
    );
}

#[test]
fn changing_an_answer_that_names_a_path_moves_the_files_with_their_edits() {
    let tmp = tempfile::tempdir().unwrap();
    let source = tmp.path().join("src");
    let manifest = "[variables.package]\ndefault = \"orders\"\n";
    versions_repo(
        &source,
        &[
            (
                "1.0.0",
                manifest,
                &[(
                    "src/{{ package }}/App.java",
                    "package {{ package }};\nclass App {}\n",
                )],
            ),
            (
                "2.0.0",
                manifest,
                &[(
                    "src/{{ package }}/App.java",
                    "package {{ package }};\nclass App {}\n// v2\n",
                )],
            ),
        ],
    );
    let repo = generate_at(tmp.path(), &source, "1.0.0", &[]);
    fs::write(
        repo.join("src/orders/App.java"),
        "package orders;\nclass App { int mine; }\n",
    )
    .unwrap();
    git(&repo, &["commit", "-q", "-am", "mine"]);

    scaffold(tmp.path(), &repo)
        .args(["upgrade", "--set", "package=billing"])
        .expect_code(1);
    // The template changes line 1 (the package) and the user changed line 2: git calls
    // adjacent edits a conflict. It is reported in the moved file; the old path is gone.
    assert!(!repo.join("src/orders").exists(), "moved, not copied");
    let moved = fs::read_to_string(repo.join("src/billing/App.java")).unwrap();
    assert!(
        moved.contains("int mine;") && moved.contains("// v2"),
        "{moved}"
    );
}

/// A clone that pulled someone else's upgrade still has the pristine ref of
/// the version before: it must not be the merge base.
#[test]
fn a_stale_pristine_ref_from_before_a_pulled_upgrade_is_never_the_merge_base() {
    let tmp = tempfile::tempdir().unwrap();
    let source = tmp.path().join("paths");
    let files = |f: &str, g: &str| vec![("f.txt", f.to_string()), ("g.txt", g.to_string())];
    tag_version(&source, "1.0.0", "", &files("a\n", "one\n"));
    tag_version(&source, "2.0.0", "", &files("b\n", "one\n"));
    tag_version(&source, "3.0.0", "", &files("b\n", "two\n"));
    // Clone A generates at 1.0.0 and publishes it.
    let a = generate_at(tmp.path(), &source, "1.0.0", &[]);
    let remote = tmp.path().join("remote.git");
    git(
        tmp.path(),
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
        &a,
        &[
            "push",
            "-q",
            &remote.to_string_lossy(),
            "HEAD:refs/heads/main",
        ],
    );
    // Clone B (no pristine ref) upgrades to 2.0.0 and pushes.
    let b = tmp.path().join("b");
    git(
        tmp.path(),
        &[
            "clone",
            "-q",
            &remote.to_string_lossy(),
            &b.to_string_lossy(),
        ],
    );
    let (stdout, _) = scaffold(tmp.path(), &b)
        .args(["upgrade", "--to", "2.0.0"])
        .expect_code(0);
    assert!(stdout.contains("merge base: re-rendered"), "{stdout}");
    git(&b, &["commit", "-qm", "upgrade to 2.0.0"]);
    git(&b, &["push", "-q", "origin", "HEAD:main"]);
    // A pulls it: its lock says 2.0.0, its pristine ref is still the 1.0.0 render.
    git(
        &a,
        &["pull", "-q", "--ff-only", &remote.to_string_lossy(), "main"],
    );
    // A deliberately reverts 2.0.0's change to f.txt.
    fs::write(a.join("f.txt"), "a\n").unwrap();
    git(&a, &["commit", "-qam", "we keep a"]);

    let (stdout, _) = scaffold(tmp.path(), &a)
        .args(["upgrade", "--to", "3.0.0", "--json"])
        .expect_code(0);
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["base_source"], "re-rendered", "{stdout}");
    assert!(
        json["base_note"]
            .as_str()
            .unwrap()
            .contains("not the render of svc 2.0.0"),
        "{stdout}"
    );
    assert_eq!(
        json["conflicts"],
        serde_json::json!([]),
        "no false conflict"
    );
    assert_eq!(
        fs::read_to_string(a.join("f.txt")).unwrap(),
        "a\n",
        "the revert of a 2.0.0 change is kept"
    );
    assert_eq!(fs::read_to_string(a.join("g.txt")).unwrap(), "two\n");
    // The upgrade left a pristine ref that matches the new lock: the next one uses it.
    git(&a, &["commit", "-qm", "upgrade to 3.0.0"]);
    let (stdout, _) = scaffold(tmp.path(), &a)
        .args(["upgrade", "--dry-run", "--json"])
        .expect_code(0);
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["from"], "3.0.0");
    let lock = fs::read_to_string(a.join(".scaffold/lock.toml")).unwrap();
    let tree = git(&a, &["rev-parse", "refs/scaffold/pristine^{tree}"]);
    assert!(
        lock.contains(&format!("pristine-tree = \"{}\"", tree.trim())),
        "{lock}"
    );
}

/// Locks written before `pristine-tree` existed: the ref must match every hash.
#[test]
fn without_pristine_tree_in_the_lock_the_ref_is_checked_against_the_hashes() {
    let tmp = tempfile::tempdir().unwrap();
    let source = tmp.path().join("paths");
    tag_version(&source, "1.0.0", "", &[("f.txt", "a\n")]);
    tag_version(&source, "2.0.0", "", &[("f.txt", "b\n")]);
    let repo = generate_at(tmp.path(), &source, "1.0.0", &[]);
    let strip = |repo: &Path| {
        let lock = fs::read_to_string(repo.join(".scaffold/lock.toml")).unwrap();
        let old: String = lock
            .lines()
            .filter(|l| !l.starts_with("pristine-tree"))
            .map(|l| format!("{l}\n"))
            .collect();
        fs::write(repo.join(".scaffold/lock.toml"), old).unwrap();
        git(repo, &["commit", "-qam", "an old lock"]);
    };
    strip(&repo);
    let (stdout, _) = scaffold(tmp.path(), &repo)
        .args(["upgrade", "--dry-run", "--json"])
        .expect_code(0);
    assert!(
        stdout.contains("\"base_source\": \"pristine-ref\""),
        "a matching ref is used: {stdout}"
    );
    // Point the ref at another render: it no longer matches the lock's hashes.
    let other = generate_at(&tmp.path().join("o"), &source, "2.0.0", &[]);
    git(
        &repo,
        &[
            "fetch",
            "-q",
            &other.to_string_lossy(),
            "refs/scaffold/pristine:refs/scaffold/pristine",
            "-f",
        ],
    );
    let (stdout, _) = scaffold(tmp.path(), &repo)
        .args(["upgrade", "--dry-run", "--json"])
        .expect_code(0);
    assert!(
        stdout.contains("\"base_source\": \"re-rendered\""),
        "{stdout}"
    );
    assert!(
        stdout.contains("does not match the lock's hashes"),
        "{stdout}"
    );
}

/// `--set` on the newest version re-renders it with the new answer and
/// merges like an upgrade (local edits kept); new questions are reported
/// with the value taken; `--ask` needs a terminal.
#[test]
fn set_without_a_newer_version_re_renders_and_merges() {
    let tmp = tempfile::tempdir().unwrap();
    let source = tmp.path().join("src");
    versions_repo(
        &source,
        &[
            ("1.0.0", "[variables.port]\ntype = \"integer\"\ndefault = 8080\n", &[("config.txt", "port {{ port }}\n")]),
            (
                "1.1.0",
                "[variables.port]\ntype = \"integer\"\ndefault = 8080\n[variables.log_level]\ndefault = \"info\"\n",
                &[("config.txt", "port {{ port }}\nlog {{ log_level }}\n")],
            ),
        ],
    );
    let repo = generate_at(tmp.path(), &source, "1.0.0", &[]);
    let (summary, _) = scaffold(tmp.path(), &repo).args(["upgrade"]).expect_code(0);
    assert!(
        summary.contains("answer added: log_level = info"),
        "{summary}"
    );
    git(&repo, &["commit", "-qam", "upgrade to 1.1.0"]);
    fs::write(repo.join("config.txt"), "port 8080\nlog info\n# ours\n").unwrap();
    git(&repo, &["commit", "-qam", "local note"]);

    let (json, _) = scaffold(tmp.path(), &repo)
        .args(["upgrade", "--set", "port=9090", "--json"])
        .expect_code(0);
    let outcome: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(outcome["reanswered"], true);
    assert_eq!(
        (&outcome["from"], &outcome["to"]),
        (&outcome["to"], &serde_json::json!("1.1.0"))
    );
    assert_eq!(
        outcome["answers"]["changed"],
        serde_json::json!([{ "name": "port", "from": 8080, "to": 9090 }])
    );
    assert_eq!(
        fs::read_to_string(repo.join("config.txt")).unwrap(),
        "port 9090\nlog info\n# ours\n"
    );
    let lock = fs::read_to_string(repo.join(".scaffold/lock.toml")).unwrap();
    assert!(
        lock.contains("port = 9090") && lock.contains("version = \"1.1.0\""),
        "{lock}"
    );
    git(&repo, &["commit", "-qam", "port 9090"]);

    // The same answer again: nothing to do.
    let (summary, _) = scaffold(tmp.path(), &repo)
        .args(["upgrade", "--set", "port=9090"])
        .expect_code(0);
    assert!(summary.starts_with("Nothing to do"), "{summary}");

    let (_, stderr) = scaffold(tmp.path(), &repo)
        .args(["upgrade", "--ask"])
        .expect_code(2);
    assert!(stderr.contains("needs a terminal"), "{stderr}");
}

/// A golden path that moved (a folder renamed) is re-pointed with
/// `upgrade --source`: used for the upgrade and recorded in the lock; a
/// source holding another golden path is refused.
#[test]
fn upgrade_source_re_points_a_moved_golden_path() {
    let tmp = tempfile::tempdir().unwrap();
    let source = tmp.path().join("src");
    versions_repo(
        &source,
        &[
            ("1.0.0", "", &[("a.txt", "one\n")]),
            ("1.1.0", "", &[("a.txt", "one\ntwo\n")]),
        ],
    );
    let repo = generate_at(tmp.path(), &source, "1.0.0", &[]);
    let moved = tmp.path().join("platform-paths");
    fs::rename(&source, &moved).unwrap();

    let (_, stderr) = scaffold(tmp.path(), &repo).args(["upgrade"]).expect_code(2);
    assert!(stderr.contains("src"), "{stderr}");

    let other = tmp.path().join("other");
    fs::create_dir_all(&other).unwrap();
    fs::write(
        other.join("golden-path.toml"),
        "name = \"other\"\nversion = \"1.0.0\"\n",
    )
    .unwrap();
    fs::create_dir_all(other.join("template")).unwrap();
    let (_, stderr) = scaffold(tmp.path(), &repo)
        .args(["upgrade", "--source", &other.to_string_lossy()])
        .expect_code(2);
    assert!(
        stderr.contains("holds golden path `other`, but this repository was generated from `svc`"),
        "{stderr}"
    );

    scaffold(tmp.path(), &repo)
        .args(["upgrade", "--source", &moved.to_string_lossy()])
        .expect_code(0);
    assert_eq!(
        fs::read_to_string(repo.join("a.txt")).unwrap(),
        "one\ntwo\n"
    );
    let lock = fs::read_to_string(repo.join(".scaffold/lock.toml")).unwrap();
    assert!(lock.contains("platform-paths"), "{lock}");
    git(&repo, &["commit", "-qam", "1.1.0"]);
    let (summary, _) = scaffold(tmp.path(), &repo).args(["upgrade"]).expect_code(0);
    assert!(summary.starts_with("Nothing to do"), "{summary}");
}
