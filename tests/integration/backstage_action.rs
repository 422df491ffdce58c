//! The Backstage scaffolder action `goldpath:scaffold:new` (a TypeScript
//! backend module in `integrations/backstage/`), tested with Backstage's own
//! test utilities against this build's `scaffold`: `npm ci` (once, from the
//! npm registry) and `npm test` there.

use std::process::Command;

use assert_cmd::cargo::cargo_bin;

use crate::support::repo_root;

#[test]
fn the_backstage_action_renders_through_scaffold_in_backstages_test_harness() {
    let module = repo_root().join("integrations/backstage");
    let installed = module.join("node_modules/.package-lock.json");
    let lock = module.join("package-lock.json");
    let stale = match (installed.metadata(), lock.metadata()) {
        (Ok(i), Ok(l)) => i.modified().unwrap() < l.modified().unwrap(),
        _ => true,
    };
    if stale {
        let out = Command::new("npm")
            .args(["ci", "--prefer-offline", "--no-audit", "--no-fund"])
            .current_dir(&module)
            .output()
            .expect("npm runs (Node 20 and npm are needed for the Backstage module)");
        assert!(
            out.status.success(),
            "npm ci failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let out = Command::new("npm")
        .arg("test")
        .current_dir(&module)
        .env("SCAFFOLD_BIN", cargo_bin("scaffold"))
        .env("CI", "true")
        .output()
        .expect("npm runs");
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{report}");
    assert!(
        report.contains("Tests:       6 passed, 6 total"),
        "{report}"
    );
}
