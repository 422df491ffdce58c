//! Rendered output of the built-in and fixture golden paths, compared file
//! by file (content and exec bit) with the committed trees under
//! `snapshots/`. `SNAPSHOTS=overwrite cargo test` refreshes them.

use std::fs;
use std::path::Path;

use crate::support::{fixtures, read_tree, repo_root, Scaffold};

/// (snapshot name, SOURCE, extra args)
const CASES: &[(&str, &str, &[&str])] = &[
    (
        "java-service-defaults",
        "java-service",
        &["--set", "service_name=orders"],
    ),
    (
        "queue-consumer-defaults",
        "queue-consumer",
        &["--set", "service_name=payments-worker"],
    ),
    (
        "api-gateway-defaults",
        "api-gateway",
        &["--set", "service_name=edge"],
    ),
    ("good-fixture", "./paths/good", &["--set", "name=demo-app"]),
];

#[test]
fn rendered_trees_match_committed_snapshots() {
    let overwrite = std::env::var("SNAPSHOTS").is_ok_and(|v| v == "overwrite");
    let mut mismatches = Vec::new();
    for (name, source, extra) in CASES {
        let tmp = tempfile::tempdir().unwrap();
        let dest = tmp.path().join("out");
        Scaffold::in_tmp(tmp.path())
            .current_dir(&fixtures())
            .args([
                "new",
                source,
                &dest.to_string_lossy(),
                "--defaults",
                "--no-git",
                "-q",
            ])
            .args(*extra)
            .expect_code(0);
        // Local sources are recorded absolute; the snapshot must not depend on the clone's path.
        let lock = dest.join(".scaffold/lock.toml");
        let text = fs::read_to_string(&lock).unwrap();
        fs::write(
            &lock,
            text.replace(&*repo_root().to_string_lossy(), "[REPO]"),
        )
        .unwrap();
        let expected_dir = repo_root().join("snapshots").join(name);
        if overwrite {
            let _ = fs::remove_dir_all(&expected_dir);
            crate::support::copy_dir(&dest, &expected_dir);
            continue;
        }
        let actual = read_tree(&dest);
        let expected = read_tree(&expected_dir);
        if actual != expected {
            mismatches.push(describe(name, &expected, &actual, &expected_dir));
        }
    }
    assert!(
        mismatches.is_empty(),
        "rendered output differs from snapshots/ (SNAPSHOTS=overwrite cargo test refreshes):\n{}",
        mismatches.join("\n")
    );
}

type Files = std::collections::BTreeMap<String, (Vec<u8>, bool)>;

fn describe(name: &str, expected: &Files, actual: &Files, dir: &Path) -> String {
    let mut lines = vec![format!("{name} ({}):", dir.display())];
    for path in expected
        .keys()
        .chain(actual.keys())
        .collect::<std::collections::BTreeSet<_>>()
    {
        match (expected.get(path), actual.get(path)) {
            (Some(_), None) => lines.push(format!("  missing  {path}")),
            (None, Some(_)) => lines.push(format!("  extra    {path}")),
            (Some(e), Some(a)) if e.0 != a.0 => lines.push(format!("  content  {path}")),
            (Some(e), Some(a)) if e.1 != a.1 => {
                lines.push(format!("  exec bit {path}: expected {}, got {}", e.1, a.1));
            }
            _ => {}
        }
    }
    lines.join("\n")
}
