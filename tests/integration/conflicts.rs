//! Conflicts recorded by scaffold are real git conflicts: unmerged index
//! entries that `git status`, `git checkout --theirs` and mergetools see.

use std::fs;

use goldpath::git::{register_conflicts, ConflictStages};
use goldpath::tree::{FileEntry, RelPath};

use crate::support::git;

#[test]
fn conflicts_are_unmerged_index_entries_with_three_stages() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path();
    git(repo, &["init", "-q", "-b", "main"]);
    fs::write(repo.join("app.yaml"), "replicas: 2\n").unwrap();
    fs::write(repo.join("gone.txt"), "edited by the user\n").unwrap();
    git(repo, &["add", "-A"]);
    git(repo, &["commit", "-q", "-m", "v1"]);

    let (base, ours, theirs) = (
        FileEntry::new(b"replicas: 1\n".to_vec(), false),
        FileEntry::new(b"replicas: 2\n".to_vec(), false),
        FileEntry::new(b"replicas: 3\n".to_vec(), false),
    );
    fs::write(
        repo.join("app.yaml"),
        "<<<<<<< ours\nreplicas: 2\n=======\nreplicas: 3\n>>>>>>> theirs\n",
    )
    .unwrap();
    let gone_base = FileEntry::new(b"original\n".to_vec(), false);
    let gone_ours = FileEntry::new(b"edited by the user\n".to_vec(), false);
    let (app, gone) = (
        RelPath::new("app.yaml").unwrap(),
        RelPath::new("gone.txt").unwrap(),
    );
    register_conflicts(
        repo,
        &[
            ConflictStages {
                path: &app,
                base: Some(&base),
                ours: Some(&ours),
                theirs: Some(&theirs),
            },
            ConflictStages {
                path: &gone,
                base: Some(&gone_base),
                ours: Some(&gone_ours),
                theirs: None,
            },
        ],
    )
    .unwrap();

    let status = git(repo, &["status", "--porcelain"]);
    assert!(status.contains("UU app.yaml"), "both modified:\n{status}");
    assert!(status.contains("UD gone.txt"), "deleted by them:\n{status}");
    let stages = git(repo, &["ls-files", "-u", "--", "app.yaml"]);
    let numbers: Vec<&str> = stages
        .lines()
        .map(|l| l.split_whitespace().nth(2).unwrap())
        .collect();
    assert_eq!(numbers, ["1", "2", "3"], "{stages}");
    assert_eq!(git(repo, &["show", ":3:app.yaml"]), "replicas: 3\n");
    assert_eq!(git(repo, &["show", ":1:app.yaml"]), "replicas: 1\n");

    // The user resolves as with any merge.
    git(repo, &["checkout", "--theirs", "--", "app.yaml"]);
    assert_eq!(
        fs::read_to_string(repo.join("app.yaml")).unwrap(),
        "replicas: 3\n"
    );
    git(repo, &["add", "app.yaml", "gone.txt"]);
    assert!(!git(repo, &["status", "--porcelain"]).contains("UU"));
}
