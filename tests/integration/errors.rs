//! Every bad-input fixture under `tests/fixtures/errors/<mistake>/` must fail
//! with exit code 2, a message naming the file, line and field, and nothing
//! written. One snapshot holds every message, so a reviewer reads them all
//! at once (refresh with `INSTA_UPDATE=always` or `cargo insta review`).

use std::fs;
use std::path::Path;

use crate::support::{fixtures, read_tree, Scaffold};

fn run_fixture(dir: &Path) -> String {
    let tmp = tempfile::tempdir().unwrap();
    let work = tmp.path().join("work");
    fs::create_dir_all(&work).unwrap();
    let dest = work.join("dest");
    let setup = fs::read_to_string(dir.join("setup")).unwrap_or_default();
    if setup.contains("dest-non-empty") {
        fs::create_dir_all(&dest).unwrap();
        fs::write(dest.join("keep.txt"), "mine\n").unwrap();
    }
    if setup.contains("dest-git-repo") {
        fs::create_dir_all(&dest).unwrap();
        fs::write(dest.join("keep.txt"), "mine\n").unwrap();
        crate::support::git(&dest, &["init", "-q"]);
    }
    // DEST is a link to a folder outside the work folder.
    let elsewhere = tmp.path().join("elsewhere");
    if setup.contains("dest-symlink") {
        fs::create_dir_all(&elsewhere).unwrap();
        std::os::unix::fs::symlink(&elsewhere, &dest).unwrap();
    }
    let before = dest.exists().then(|| read_tree(&dest));
    let git_before = dest
        .join(".git")
        .exists()
        .then(|| read_tree_with_git(&dest));
    let good = fixtures().join("paths/good");
    let args: Vec<String> = fs::read_to_string(dir.join("args"))
        .unwrap()
        .lines()
        .filter(|l| !l.is_empty())
        .map(|l| {
            l.replace("$HERE", &dir.to_string_lossy())
                .replace("$GOOD", &good.to_string_lossy())
                .replace("$DEST", &dest.to_string_lossy())
        })
        .collect();
    let (_, stderr) = Scaffold::in_tmp(tmp.path())
        .args(&args)
        .current_dir(&work)
        .expect_code(2);

    // Nothing half-written: DEST untouched, no staging folder left behind.
    assert_eq!(
        dest.exists().then(|| read_tree(&dest)),
        before,
        "{}: DEST changed",
        dir.display()
    );
    assert_eq!(
        dest.join(".git")
            .exists()
            .then(|| read_tree_with_git(&dest)),
        git_before,
        "{}: DEST's git repository changed",
        dir.display()
    );
    if elsewhere.exists() {
        assert_eq!(
            fs::read_dir(&elsewhere).unwrap().count(),
            0,
            "{}: wrote through the link",
            dir.display()
        );
    }
    // No secret value reaches stderr, whatever failed.
    assert!(
        !stderr.contains("LEAKED"),
        "{}: a secret value was printed:\n{stderr}",
        dir.display()
    );
    assert!(
        !Path::new("/tmp/scaffold-absolute").exists(),
        "{}: wrote an absolute path",
        dir.display()
    );
    let leftovers: Vec<_> = fs::read_dir(&work)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != "dest")
        .collect();
    assert!(
        leftovers.is_empty(),
        "{}: left behind {leftovers:?}",
        dir.display()
    );

    stderr
        .replace(&*dir.to_string_lossy(), "[FIXTURE]")
        .replace(&*fixtures().to_string_lossy(), "[FIXTURES]")
        .replace(&*tmp.path().to_string_lossy(), "[TMP]")
}

/// Every file under `root`, `.git` included.
fn read_tree_with_git(root: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(root)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(root).unwrap().display().to_string(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn every_bad_input_fixture_fails_cleanly_with_a_located_message() {
    let root = fixtures().join("errors");
    let mut names: Vec<_> = fs::read_dir(&root)
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(
        names.len() >= 40,
        "expected one fixture per mistake, found {}",
        names.len()
    );
    let mut report = String::new();
    for name in &names {
        let message = run_fixture(&root.join(name));
        assert!(
            message.starts_with("error: "),
            "{name}: message should start with `error: `\n{message}"
        );
        report.push_str(&format!("== {name}\n{message}\n"));
    }
    insta::assert_snapshot!("error_messages", report);
}
