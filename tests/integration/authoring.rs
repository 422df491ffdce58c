//! The template authors' workflow on a real repository of golden paths with
//! published versions: `scaffold test` (snapshots, validators, upgrade tests) and
//! `scaffold publish` (every refusal, dry run, the tag), plus `scaffold test` on
//! the shipped golden paths with their validators.

use std::fs;

use crate::support::{
    fixtures, git, repo_root, repo_with_published_root, repo_with_published_svc, Scaffold,
};

#[test]
fn scenarios_check_snapshots_validators_and_upgrades() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = repo_with_published_svc(tmp.path(), "published");
    let svc = repo.join("svc").to_string_lossy().into_owned();
    let home = tmp.path().join("home");

    let (table, _) = Scaffold::new(&home).args(["test", &svc]).expect_code(0);
    for row in [
        "customised    upgrade 1.0.0 -> 1.1.0 with 1 patch           ok (conflicts as expected: README.md)",
        "title-edited  upgrade 1.0.0 -> 1.1.0 with 1 patch           ok (clean)",
        "defaults      validator grep -q '^log_level: ' config.yaml  ok",
        "svc 1.1.0: 3 scenarios, 8 checks, 0 failed",
    ] {
        assert!(table.contains(row), "missing {row:?} in\n{table}");
    }

    // A render that drifted from expected/ fails with the diff; --update records it.
    let expected = repo.join("svc/tests/defaults/expected/README.md");
    fs::write(&expected, "# orders\n\nsomething else\n").unwrap();
    let (table, _) = Scaffold::new(&home).args(["test", &svc]).expect_code(1);
    assert!(
        table.contains("--- defaults: snapshot expected/"),
        "{table}"
    );
    assert!(table.contains("-something else"), "{table}");
    Scaffold::new(&home)
        .args(["test", &svc, "--update", "--filter", "defaults"])
        .expect_code(0);
    assert!(fs::read_to_string(&expected).unwrap().contains("make dev"));

    // An upgrade that does not end as declared fails, saying what happened.
    fs::write(
        repo.join("svc/tests/customised/upgrade.toml"),
        "conflicts = []\n",
    )
    .unwrap();
    let (json, _) = Scaffold::new(&home)
        .args(["test", &svc, "--json", "--filter", "customised"])
        .expect_code(1);
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    let upgrade = &report["scenarios"][0]["checks"][2];
    assert_eq!(upgrade["kind"], "upgrade");
    assert_eq!(upgrade["passed"], false);
    assert_eq!(
        upgrade["detail"],
        "expected conflicts: none\ngot conflicts: README.md"
    );

    // A validator that fails names itself and shows its output.
    let manifest = repo.join("svc/golden-path.toml");
    let text = fs::read_to_string(&manifest).unwrap();
    fs::write(
        &manifest,
        text.replace("grep -q '^log_level: '", "grep -q '^loglevel: '"),
    )
    .unwrap();
    let (table, _) = Scaffold::new(&home)
        .args(["test", &svc, "--filter", "defaults"])
        .expect_code(1);
    assert!(
        table.contains("defaults  validator grep -q '^loglevel: ' config.yaml  FAIL"),
        "{table}"
    );

    let (_, stderr) = Scaffold::new(&home)
        .args(["test", &fixtures().join("paths/good").to_string_lossy()])
        .expect_code(2);
    assert!(stderr.contains("no scenarios"), "{stderr}");
}

/// The layout README documents for a repository holding one golden path
/// (tags `vX.Y.Z`): every authoring command works there as in a sub-folder.
#[test]
fn authoring_commands_work_with_the_golden_path_at_the_repository_root() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = repo_with_published_root(tmp.path(), "published");
    let svc = repo.to_string_lossy().into_owned();
    let home = tmp.path().join("home");

    let (table, _) = Scaffold::new(&home).args(["test", &svc]).expect_code(0);
    for row in [
        "customised    upgrade 1.0.0 -> 1.1.0 with 1 patch           ok (conflicts as expected: README.md)",
        "title-edited  upgrade 1.0.0 -> 1.1.0 with 1 patch           ok (clean)",
        "svc 1.1.0: 3 scenarios, 8 checks, 0 failed",
    ] {
        assert!(table.contains(row), "missing {row:?} in\n{table}");
    }
    assert!(repo.join(".git").is_dir() && repo.join("tests").is_dir());

    let (stdout, _) = Scaffold::new(&home).args(["lint", &svc]).expect_code(0);
    assert!(
        stdout.contains("upgrade safety checked against 1.0.0"),
        "{stdout}"
    );

    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "svc 1.1.0"]);
    let (stdout, _) = Scaffold::new(&home)
        .args(["publish", &svc, "--version", "1.1.0", "--dry-run"])
        .expect_code(0);
    assert_eq!(
        stdout,
        "Would tag v1.1.0 (lint clean, 3 scenario(s) pass)\n"
    );
    let (stdout, _) = Scaffold::new(&home)
        .args(["publish", &svc, "--version", "1.1.0"])
        .expect_code(0);
    assert_eq!(stdout, "Tagged v1.1.0\n");
    assert_eq!(git(&repo, &["tag", "--list"]), "v1.0.0\nv1.1.0\n");

    let generated = tmp.path().join("orders");
    Scaffold::new(&home)
        .args(["new", &svc, &generated.to_string_lossy()])
        .args(["--version", "1.0.0", "--defaults", "-q"])
        .expect_code(0);
    let (stdout, _) = Scaffold::new(&home)
        .args(["check"])
        .current_dir(&generated)
        .expect_code(1);
    assert!(stdout.contains("1.1.0 is available"), "{stdout}");
}

#[test]
fn publish_refuses_until_ready_then_tags() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = repo_with_published_svc(tmp.path(), "published");
    let svc = repo.join("svc").to_string_lossy().into_owned();
    let home = tmp.path().join("home");
    let tags = || git(&repo, &["tag", "--list"]);

    let (_, stderr) = Scaffold::new(&home)
        .args(["publish", &svc, "--version", "1.1.0"])
        .expect_code(2);
    assert!(stderr.contains("has uncommitted changes"), "{stderr}");
    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "svc 1.1.0"]);

    let (_, stderr) = Scaffold::new(&home)
        .args(["publish", &svc, "--version", "1.2.0"])
        .expect_code(2);
    assert!(
        stderr.contains("the manifest says 1.1.0, not 1.2.0")
            && stderr.contains("no entry for 1.2.0"),
        "{stderr}"
    );
    let (_, stderr) = Scaffold::new(&home)
        .args(["publish", &svc, "--version", "1.0.0"])
        .expect_code(2);
    assert!(
        stderr.contains("1.0.0 is not above the last published version 1.0.0"),
        "{stderr}"
    );

    // Scenarios failing: refused with exit 1, nothing tagged.
    fs::write(
        repo.join("svc/tests/customised/upgrade.toml"),
        "conflicts = []\n",
    )
    .unwrap();
    git(&repo, &["commit", "-qam", "wrong expectation"]);
    let (_, stderr) = Scaffold::new(&home)
        .args(["publish", &svc, "--version", "1.1.0"])
        .expect_code(1);
    assert!(stderr.contains("1 scenario check(s) failed"), "{stderr}");
    git(&repo, &["revert", "--no-edit", "HEAD"]);

    let (stdout, _) = Scaffold::new(&home)
        .args(["publish", &svc, "--version", "1.1.0", "--dry-run"])
        .expect_code(0);
    assert_eq!(
        stdout,
        "Would tag svc/v1.1.0 (lint clean, 3 scenario(s) pass)\n"
    );
    assert_eq!(tags(), "svc/v1.0.0\n");

    let (stdout, _) = Scaffold::new(&home)
        .args(["publish", &svc, "--version", "1.1.0"])
        .expect_code(0);
    assert_eq!(stdout, "Tagged svc/v1.1.0\n");
    assert_eq!(tags(), "svc/v1.0.0\nsvc/v1.1.0\n");
    let message = git(&repo, &["tag", "-l", "-n9", "svc/v1.1.0"]);
    assert!(message.contains("Adds `log_level`"), "{message}");

    // A repository generated from 1.0.0 now sees 1.1.0 and its changelog.
    let generated = tmp.path().join("orders");
    Scaffold::new(&home)
        .args([
            "new",
            &format!("{}#svc", repo.display()),
            &generated.to_string_lossy(),
            "--version",
            "1.0.0",
            "--defaults",
            "-q",
        ])
        .expect_code(0);
    let (stdout, _) = Scaffold::new(&home)
        .args(["check"])
        .current_dir(&generated)
        .expect_code(1);
    assert!(
        stdout.contains("1.1.0") && stdout.contains("Adds `log_level`"),
        "{stdout}"
    );
}

#[test]
fn the_shipped_golden_paths_pass_their_scenarios() {
    let tmp = tempfile::tempdir().unwrap();
    let tools =
        std::env::var("GOLDPATH_TOOLS").unwrap_or_else(|_| "/opt/goldpath-validators".into());
    let path = format!("{tools}/bin:{}", std::env::var("PATH").unwrap_or_default());
    for name in ["java-service", "queue-consumer", "api-gateway"] {
        let dir = repo_root().join("golden-paths").join(name);
        let (table, _) = Scaffold::in_tmp(tmp.path())
            .args(["test", &dir.to_string_lossy()])
            .env("PATH", &path)
            .expect_code(0);
        assert!(table.contains(&format!("{name} 2.0.0: ")), "{table}");
        assert!(table.contains(" 0 failed"), "{table}");
        assert!(table.contains("validator helm lint --strict"), "{table}");
    }
}

/// A validator whose program is not installed says so, with the manifest's
/// install hint, and exits 2 (the machine is not ready), not 1 (the golden
/// path failed); publish refuses the same way.
#[test]
fn a_missing_validator_tool_is_an_error_not_a_failed_check() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = repo_with_published_svc(tmp.path(), "published");
    let svc = repo.join("svc").to_string_lossy().into_owned();
    let home = tmp.path().join("home");
    let manifest = repo.join("svc/golden-path.toml");
    let text = fs::read_to_string(&manifest).unwrap().replace(
        "validators = [\"grep -q '^log_level: ' config.yaml\"]",
        "install = \"apt-get install goldpath-lint\"\nvalidators = [\"goldpath-lint-not-installed --strict .\"]",
    );
    fs::write(&manifest, text).unwrap();

    let (stdout, stderr) = Scaffold::new(&home).args(["test", &svc]).expect_code(2);
    assert!(
        stderr.contains("missing tool: goldpath-lint-not-installed")
            && stderr.contains("install it with `apt-get install goldpath-lint`"),
        "{stderr}"
    );
    assert!(!stdout.contains("FAIL"), "{stdout}");

    let (stdout, _) = Scaffold::new(&home)
        .args(["test", &svc, "--json"])
        .expect_code(2);
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["ok"], false);
    assert_eq!(json["problems"][0]["field"], "test.validators");

    git(&repo, &["add", "-A"]);
    git(&repo, &["commit", "-q", "-m", "svc 1.1.0"]);
    let (_, stderr) = Scaffold::new(&home)
        .args(["publish", &svc, "--version", "1.1.0"])
        .expect_code(2);
    assert!(stderr.contains("missing tool"), "{stderr}");
    assert_eq!(git(&repo, &["tag", "--list"]), "svc/v1.0.0\n");
}
