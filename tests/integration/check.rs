//! `scaffold check`: newer versions and their changelog, from real tags.

use std::fs;
use std::path::Path;

use crate::support::{git, Scaffold};

/// A repository with one golden path `svc`: 1.0.0, 1.1.0, 1.2.0 and 2.0.0-rc.1.
fn tagged_repo(root: &Path) {
    git(root, &["init", "-q", "-b", "main"]);
    let mut changelog = String::from("# Changelog\n");
    for (version, note) in [
        ("1.0.0", "First release."),
        ("1.1.0", "- Adds a PodDisruptionBudget."),
        ("1.2.0", "- Alerts on saturation."),
        ("2.0.0-rc.1", "- Breaking: new layout."),
    ] {
        changelog = changelog.replacen(
            "# Changelog\n",
            &format!("# Changelog\n\n## {version}\n{note}\n"),
            1,
        );
        fs::write(
            root.join("golden-path.toml"),
            format!("name = \"svc\"\nversion = \"{version}\"\n"),
        )
        .unwrap();
        fs::create_dir_all(root.join("template")).unwrap();
        fs::write(root.join("template/VERSION"), format!("{version}\n")).unwrap();
        fs::write(root.join("CHANGELOG.md"), &changelog).unwrap();
        git(root, &["add", "-A"]);
        git(root, &["commit", "-q", "-m", version]);
        git(root, &["tag", &format!("v{version}")]);
    }
}

#[test]
fn an_older_repository_is_told_what_changed_since() {
    let tmp = tempfile::tempdir().unwrap();
    let source = tmp.path().join("paths");
    fs::create_dir_all(&source).unwrap();
    tagged_repo(&source);
    let home = tmp.path().join("home");
    let old = tmp.path().join("old");
    Scaffold::new(&home)
        .args([
            "new",
            &source.to_string_lossy(),
            &old.to_string_lossy(),
            "--version",
            "1.0.0",
            "--defaults",
            "-q",
        ])
        .expect_code(0);

    // Run from elsewhere: the lock records the source absolute.
    let (stdout, _) = Scaffold::new(&home)
        .args(["check", &old.to_string_lossy()])
        .current_dir(tmp.path())
        .expect_code(1);
    assert!(
        stdout.starts_with("svc 1.2.0 is available; this repository is on 1.0.0."),
        "{stdout}"
    );
    assert!(
        stdout.contains("1.1.0\n  - Adds a PodDisruptionBudget."),
        "{stdout}"
    );
    assert!(
        stdout.contains("1.2.0\n  - Alerts on saturation."),
        "{stdout}"
    );
    assert!(
        !stdout.contains("2.0.0-rc.1"),
        "prereleases are not offered: {stdout}"
    );

    let (json, _) = Scaffold::new(&home)
        .args(["check", "--json"])
        .current_dir(&old)
        .expect_code(1);
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        (json["current"].as_str(), json["latest"].as_str()),
        (Some("1.0.0"), Some("1.2.0"))
    );
    assert_eq!(json["newer"].as_array().unwrap().len(), 2);

    let new = tmp.path().join("new");
    Scaffold::new(&home)
        .args([
            "new",
            &source.to_string_lossy(),
            &new.to_string_lossy(),
            "--defaults",
            "-q",
        ])
        .expect_code(0);
    let (stdout, _) = Scaffold::new(&home)
        .args(["check"])
        .current_dir(&new)
        .expect_code(0);
    assert_eq!(stdout, "Up to date: svc 1.2.0 is the newest release.\n");
}

#[test]
fn builtin_repositories_are_up_to_date_with_the_installed_scaffold() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("orders");
    Scaffold::in_tmp(tmp.path())
        .args([
            "new",
            "java-service",
            &repo.to_string_lossy(),
            "--set",
            "service_name=orders",
            "--defaults",
            "-q",
            "--no-git",
        ])
        .expect_code(0);
    let (stdout, _) = Scaffold::in_tmp(tmp.path())
        .args(["check"])
        .current_dir(&repo)
        .expect_code(0);
    assert!(
        stdout.starts_with("Up to date: java-service 2.0.0"),
        "{stdout}"
    );
}
