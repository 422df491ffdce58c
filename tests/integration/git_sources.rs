//! Git sources: real repositories built in the test with the git CLI,
//! version tags, a monorepo of golden paths, and the clone cache.

use std::fs;
use std::path::Path;

use crate::support::{git, Scaffold};

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

fn svc_manifest(version: &str) -> String {
    format!("name = \"svc\"\nversion = \"{version}\"\nextends = \"_base\"\n\n[variables.greeting]\ndefault = \"hello {version}\"\n")
}

/// A monorepo: `_base`, `svc` (1.0.0, 1.1.0, 2.0.0-rc.1) and `other` (0.1.0).
fn monorepo(root: &Path) {
    git(root, &["init", "-q", "-b", "main"]);
    write(
        &root.join("_base/golden-path.toml"),
        "name = \"_base\"\nversion = \"1.0.0\"\n\n[variables.name]\ndefault = \"app\"\n",
    );
    write(
        &root.join("_base/template/BASE.md"),
        "base for {{ name }}\n",
    );
    write(
        &root.join("other/golden-path.toml"),
        "name = \"other\"\nversion = \"0.1.0\"\n",
    );
    write(&root.join("other/template/x.txt"), "other\n");
    for version in ["1.0.0", "1.1.0", "2.0.0-rc.1"] {
        write(&root.join("svc/golden-path.toml"), &svc_manifest(version));
        write(
            &root.join("svc/template/VERSION"),
            "{{ greeting }} from {{ name }}\n",
        );
        git(root, &["add", "-A"]);
        git(root, &["commit", "-q", "-m", &format!("svc {version}")]);
        git(root, &["tag", &format!("svc/v{version}")]);
        if version == "1.0.0" {
            git(root, &["tag", "other/v0.1.0"]);
        }
    }
    // Work in progress after the last tag must never be picked up.
    write(&root.join("svc/template/VERSION"), "unreleased\n");
    git(root, &["commit", "-q", "-am", "wip"]);
}

fn render(home: &Path, source: &str, dest: &Path, extra: &[&str]) -> (String, String) {
    Scaffold::new(home)
        .args([
            "new",
            source,
            &dest.to_string_lossy(),
            "--defaults",
            "--no-git",
        ])
        .args(extra)
        .expect_code(0)
}

#[test]
fn monorepo_tags_pick_the_newest_release_or_the_asked_version() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("paths");
    fs::create_dir_all(&repo).unwrap();
    monorepo(&repo);
    let home = tmp.path().join("home");
    let source = format!("{}#svc", repo.display());

    let newest = tmp.path().join("newest");
    render(&home, &source, &newest, &[]);
    assert_eq!(
        fs::read_to_string(newest.join("VERSION")).unwrap(),
        "hello 1.1.0 from app\n"
    );
    assert_eq!(
        fs::read_to_string(newest.join("BASE.md")).unwrap(),
        "base for app\n",
        "layer read from the same tag"
    );
    let lock = fs::read_to_string(newest.join(".scaffold/lock.toml")).unwrap();
    assert!(lock.contains("tag = \"svc/v1.1.0\""), "{lock}");
    let tagged = git(&repo, &["rev-parse", "svc/v1.1.0^{commit}"]);
    assert!(
        lock.contains(&format!("commit = \"{}\"", tagged.trim())),
        "{lock}"
    );

    let older = tmp.path().join("older");
    render(&home, &source, &older, &["--version", "1.0.0"]);
    assert_eq!(
        fs::read_to_string(older.join("VERSION")).unwrap(),
        "hello 1.0.0 from app\n"
    );

    let pre = tmp.path().join("pre");
    render(&home, &source, &pre, &["--version", "v2.0.0-rc.1"]);
    assert_eq!(
        fs::read_to_string(pre.join("VERSION")).unwrap(),
        "hello 2.0.0-rc.1 from app\n"
    );

    let (_, err) = Scaffold::new(&home)
        .args([
            "new",
            &source,
            &tmp.path().join("none").to_string_lossy(),
            "--defaults",
            "--version",
            "3.0.0",
        ])
        .expect_code(2);
    assert!(
        err.contains("has no version 3.0.0 (available: 1.0.0, 1.1.0, 2.0.0-rc.1)"),
        "{err}"
    );

    let (_, err) = Scaffold::new(&home)
        .args([
            "new",
            &repo.to_string_lossy(),
            &tmp.path().join("ambiguous").to_string_lossy(),
            "--defaults",
        ])
        .expect_code(2);
    assert!(err.contains("several golden paths (other, svc)"), "{err}");
}

#[test]
fn url_sources_are_cloned_once_into_the_cache_and_fetched_later() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("paths");
    fs::create_dir_all(&repo).unwrap();
    monorepo(&repo);
    let home = tmp.path().join("home");
    let url = format!("file://{}#svc", repo.display());

    render(&home, &url, &tmp.path().join("first"), &[]);
    let cache = home.join("cache/scaffold/git");
    let entries: Vec<_> = fs::read_dir(&cache).unwrap().flatten().collect();
    assert_eq!(entries.len(), 1, "one bare clone in the cache");
    assert!(entries[0].path().join("HEAD").is_file());

    // A new release appears upstream; the next use fetches it.
    write(&repo.join("svc/golden-path.toml"), &svc_manifest("1.2.0"));
    write(
        &repo.join("svc/template/VERSION"),
        "{{ greeting }} from {{ name }}\n",
    );
    git(&repo, &["commit", "-q", "-am", "svc 1.2.0"]);
    git(&repo, &["tag", "svc/v1.2.0"]);
    let second = tmp.path().join("second");
    render(&home, &url, &second, &[]);
    assert_eq!(
        fs::read_to_string(second.join("VERSION")).unwrap(),
        "hello 1.2.0 from app\n"
    );

    let (_, err) = Scaffold::new(&home)
        .args([
            "new",
            &format!("file://{}/nope.git", tmp.path().display()),
            &tmp.path().join("x").to_string_lossy(),
            "--defaults",
        ])
        .expect_code(2);
    assert!(err.contains("cannot fetch"), "{err}");
}

#[test]
fn single_golden_path_repository_uses_plain_version_tags() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("single");
    fs::create_dir_all(&repo).unwrap();
    git(&repo, &["init", "-q", "-b", "main"]);
    for version in ["0.9.0", "1.0.0"] {
        write(
            &repo.join("golden-path.toml"),
            &format!("name = \"single\"\nversion = \"{version}\"\n"),
        );
        write(&repo.join("template/v.txt"), &format!("{version}\n"));
        git(&repo, &["add", "-A"]);
        git(&repo, &["commit", "-q", "-m", version]);
        git(&repo, &["tag", &format!("v{version}")]);
    }
    let out = tmp.path().join("out");
    render(&tmp.path().join("home"), &repo.to_string_lossy(), &out, &[]);
    assert_eq!(fs::read_to_string(out.join("v.txt")).unwrap(), "1.0.0\n");
    assert!(
        !out.join("golden-path.toml").exists(),
        "the manifest never leaks into output"
    );
}
