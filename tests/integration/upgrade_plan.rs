//! Upgrade planning against real repositories: one file per row of the
//! decision table, with the user's edits committed in between.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use goldpath::merge::{Action, Class};
use goldpath::source::Config;
use goldpath::upgrade::{plan, BaseSource, UpgradePlan, UpgradeRequest};

use crate::support::{generate_at, git};

const V1: &[(&str, &str)] = &[
    ("same.txt", "unchanged\n"),
    ("template-only.txt", "v1\n"),
    ("user-only.txt", "v1\n"),
    ("both-clean.txt", "a\nb\nc\nd\ne\nf\n"),
    ("both-conflict.txt", "x\n"),
    ("removed.txt", "old\n"),
    ("removed-edited.txt", "old\n"),
    ("user-deleted.txt", "v1\n"),
    ("seed.yml", "port: 1\n"),
];

const V2: &[(&str, &str)] = &[
    ("same.txt", "unchanged\n"),
    ("template-only.txt", "v2 for {{ name }}\n"),
    ("user-only.txt", "v1\n"),
    ("both-clean.txt", "A from v2\nb\nc\nd\ne\nf\n"),
    ("both-conflict.txt", "y\n"),
    ("user-deleted.txt", "v2\n"),
    ("seed.yml", "port: 2\n"),
    ("added.txt", "region {{ region }}\n"),
];

fn write_version(root: &Path, version: &str, files: &[(&str, &str)], binary: u8) {
    let template = root.join("template");
    let _ = fs::remove_dir_all(&template);
    fs::create_dir_all(&template).unwrap();
    let region = if version.starts_with('2') {
        "\n[variables.region]\ndefault = \"eu\"\n"
    } else {
        ""
    };
    fs::write(root.join("golden-path.toml"), format!("name = \"svc\"\nversion = \"{version}\"\n\n[variables.name]\ndefault = \"app\"\n{region}\n[files]\nseed-once = [\"seed.yml\"]\n")).unwrap();
    for (path, text) in files {
        fs::write(template.join(path), text).unwrap();
    }
    fs::write(template.join("logo.bin"), [0u8, 1, binary]).unwrap();
}

/// A golden-path repository with tags v0.9.0, v1.0.0 and v2.0.0.
pub fn source_repo(root: &Path) {
    fs::create_dir_all(root).unwrap();
    git(root, &["init", "-q", "-b", "main"]);
    for (version, files, bin) in [("0.9.0", V1, 1u8), ("1.0.0", V1, 1), ("2.0.0", V2, 2)] {
        write_version(root, version, files, bin);
        git(root, &["add", "-A"]);
        git(root, &["commit", "-q", "-m", version]);
        git(root, &["tag", &format!("v{version}")]);
    }
}

/// The user's edits, one per row of the table.
pub fn edit_like_a_user(repo: &Path) {
    fs::write(repo.join("user-only.txt"), "mine\n").unwrap();
    fs::write(
        repo.join("both-clean.txt"),
        "a\nb\nc\nd\ne\nF by the user\n",
    )
    .unwrap();
    fs::write(repo.join("both-conflict.txt"), "z\n").unwrap();
    fs::write(repo.join("removed-edited.txt"), "old, edited\n").unwrap();
    fs::remove_file(repo.join("user-deleted.txt")).unwrap();
    fs::write(repo.join("seed.yml"), "port: 9999\n").unwrap();
    fs::write(repo.join("logo.bin"), [0u8, 1, 9]).unwrap();
}

fn classes(p: &UpgradePlan) -> BTreeMap<String, Class> {
    p.decisions
        .iter()
        .map(|d| (d.path.to_string(), d.class))
        .collect()
}

pub fn generate(tmp: &Path, source: &Path, extra: &[&str]) -> std::path::PathBuf {
    generate_at(
        tmp,
        source,
        "1.0.0",
        &[&["--set", "name=demo"], extra].concat(),
    )
}

#[test]
fn every_row_of_the_decision_table_against_the_pristine_ref() {
    let tmp = tempfile::tempdir().unwrap();
    let source = tmp.path().join("paths");
    source_repo(&source);
    let repo = generate(tmp.path(), &source, &[]);
    edit_like_a_user(&repo);
    git(&repo, &["commit", "-q", "-am", "my edits"]);

    let p = plan(&repo, &UpgradeRequest::default(), &Config::default()).unwrap();
    assert_eq!(
        (p.from.as_str(), p.to.as_str(), p.base_source),
        ("1.0.0", "2.0.0", BaseSource::PristineRef)
    );
    let expected: BTreeMap<String, Class> = [
        ("added.txt", Class::TemplateAdded),
        ("both-clean.txt", Class::BothChanged),
        ("both-conflict.txt", Class::BothChanged),
        ("logo.bin", Class::BinaryConflict),
        ("removed-edited.txt", Class::TemplateDeletedUserEdited),
        ("removed.txt", Class::TemplateDeleted),
        ("same.txt", Class::Unchanged),
        ("seed.yml", Class::SeedOnce),
        ("template-only.txt", Class::TemplateOnly),
        ("user-deleted.txt", Class::UserDeletedTemplateChanged),
        ("user-only.txt", Class::UserOnly),
    ]
    .into_iter()
    .map(|(p, c)| (p.to_string(), c))
    .collect();
    assert_eq!(classes(&p), expected);
    assert_eq!(p.conflicts(), 3, "both-conflict, logo.bin, removed-edited");

    let action = |path: &str| {
        p.decisions
            .iter()
            .find(|d| d.path.as_str() == path)
            .unwrap()
            .action
            .clone()
    };
    let written = |path: &str| match action(path) {
        Action::Write(e) => String::from_utf8(e.content).unwrap(),
        other => panic!("{path}: expected a write, got {other:?}"),
    };
    assert_eq!(
        written("both-clean.txt"),
        "A from v2\nb\nc\nd\ne\nF by the user\n",
        "a clean 3-way merge keeps both edits"
    );
    assert_eq!(
        written("template-only.txt"),
        "v2 for demo\n",
        "recorded answers are reused"
    );
    assert_eq!(
        written("added.txt"),
        "region eu\n",
        "a new variable takes its default"
    );
    let Action::Conflict { content, base, .. } = action("both-conflict.txt") else {
        panic!("conflict expected")
    };
    let text = String::from_utf8(content.unwrap().content).unwrap();
    assert_eq!(text, "<<<<<<< yours\nz\n=======\ny\n>>>>>>> svc 2.0.0\n");
    assert_eq!(
        base.unwrap().content,
        b"x\n",
        "stage 1 is the pristine base"
    );
}

#[test]
fn without_git_the_base_is_re_rendered_from_the_source() {
    let tmp = tempfile::tempdir().unwrap();
    let source = tmp.path().join("paths");
    source_repo(&source);
    let repo = generate(tmp.path(), &source, &["--no-git"]);
    edit_like_a_user(&repo);
    let p = plan(&repo, &UpgradeRequest::default(), &Config::default()).unwrap();
    assert_eq!(p.base_source, BaseSource::ReRendered);
    assert_eq!(classes(&p)["both-clean.txt"], Class::BothChanged);
    assert!(matches!(
        p.decisions
            .iter()
            .find(|d| d.path.as_str() == "both-clean.txt")
            .unwrap()
            .action,
        Action::Write(_)
    ));
}

#[test]
fn with_only_hashes_untouched_files_move_and_every_other_change_conflicts() {
    let tmp = tempfile::tempdir().unwrap();
    // A folder source: once it holds 2.0.0, version 1.0.0 can no longer be rendered.
    let source = tmp.path().join("svc");
    fs::create_dir_all(&source).unwrap();
    write_version(&source, "1.0.0", V1, 1);
    let repo = generate(tmp.path(), &source, &["--no-git"]);
    edit_like_a_user(&repo);
    write_version(&source, "2.0.0", V2, 2);

    let p = plan(&repo, &UpgradeRequest::default(), &Config::default()).unwrap();
    assert_eq!(p.base_source, BaseSource::LockHashes);
    let c = classes(&p);
    assert_eq!(
        c["template-only.txt"],
        Class::TemplateOnly,
        "untouched: its hash matches, so it moves"
    );
    assert_eq!(
        c["user-only.txt"],
        Class::UserOnly,
        "the template did not change it"
    );
    let both = p
        .decisions
        .iter()
        .find(|d| d.path.as_str() == "both-clean.txt")
        .unwrap();
    let Action::Conflict { content, base, .. } = &both.action else {
        panic!("an unknown base is a conflict, got {both:?}")
    };
    assert_eq!(base, &None, "no base stage when the base is unknown");
    assert_eq!(
        content.as_ref().unwrap().content,
        b"a\nb\nc\nd\ne\nF by the user\n",
        "the user's file stays"
    );
}

#[test]
fn downgrades_and_unknown_versions_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let source = tmp.path().join("paths");
    source_repo(&source);
    let repo = generate(tmp.path(), &source, &[]);
    let err = plan(
        &repo,
        &UpgradeRequest {
            to: Some("0.9.0".into()),
            ..Default::default()
        },
        &Config::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("downgrades are refused"), "{err}");
    let err = plan(
        &repo,
        &UpgradeRequest {
            to: Some("3.0.0".into()),
            ..Default::default()
        },
        &Config::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("has no version 3.0.0 (available: 0.9.0, 1.0.0, 2.0.0)"),
        "{err}"
    );
    let same = plan(
        &repo,
        &UpgradeRequest {
            to: Some("1.0.0".into()),
            ..Default::default()
        },
        &Config::default(),
    )
    .unwrap();
    assert!(same.is_noop() && same.decisions.is_empty());
}
