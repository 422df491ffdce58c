//! `scaffold lint`: one fixture golden path per mistake (their messages in one
//! snapshot), upgrade safety against a real tagged repository, the machine
//! formats, exit codes, and the shipped golden paths linting clean.

use std::fs;

use crate::support::{fixtures, repo_root, repo_with_published_svc, Scaffold};

#[test]
fn each_mistake_is_reported_with_its_place_and_a_fix() {
    let tmp = tempfile::tempdir().unwrap();
    let root = fixtures().join("lint");
    let mut names: Vec<String> = fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() >= 12, "{names:?}");
    let mut report = String::new();
    for name in &names {
        let dir = root.join(name);
        // Run from the fixtures' folder: paths are printed relative to it.
        let out = Scaffold::in_tmp(tmp.path())
            .args(["lint", &dir.to_string_lossy()])
            .current_dir(&root)
            .output();
        let code = out.status.code().unwrap();
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        // Only warnings: exit 0; any error: exit 1.
        let expected = i32::from(name != "unused-variable");
        assert_eq!(code, expected, "{name}:\n{text}");
        // The fixture's name is the rule it trips, or close to it; each points at a file.
        assert!(
            text.starts_with(&format!("{name}/")),
            "{name}: no relative location in\n{text}"
        );
        report.push_str(&format!("## {name} (exit {code})\n{text}\n"));
    }
    insta::assert_snapshot!("lint_messages", report);
}

#[test]
fn upgrade_safety_is_checked_against_the_previous_published_version() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = repo_with_published_svc(tmp.path(), "lint-upgrade");

    let out = Scaffold::in_tmp(tmp.path())
        .args(["lint", &repo.join("svc").to_string_lossy(), "--json"])
        .output();
    assert_eq!(out.status.code(), Some(1));
    let reports: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let report = &reports[0];
    assert_eq!(report["previous_version"], "1.0.0");
    let rules: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(
        rules,
        [
            "new-variable-without-default",
            "removed-variable-without-migration",
            "removed-file",
            "semver"
        ]
    );
    let semver = &report["findings"][3];
    assert!(
        semver["message"]
            .as_str()
            .unwrap()
            .contains("must be at least 2.0.0, not 1.0.1"),
        "{semver}"
    );

    // Fixing all of it: a default, a drop migration, a rename, a major version.
    let manifest = repo.join("svc/golden-path.toml");
    let text = fs::read_to_string(&manifest)
        .unwrap()
        .replace("version = \"1.0.1\"", "version = \"2.0.0\"")
        .replace(
            "prompt = \"Owning team\"",
            "prompt = \"Owning team\"\ndefault = \"platform\"",
        );
    fs::write(
        &manifest,
        format!("{text}\n[[migrations]]\ndrop = \"legacy_flag\"\n\n[[renames]]\nfrom = \"NOTES.md\"\nto = \"README.md\"\n"),
    )
    .unwrap();
    let (stdout, _) = Scaffold::in_tmp(tmp.path())
        .args(["lint", &repo.join("svc").to_string_lossy()])
        .expect_code(0);
    assert!(
        stdout.ends_with("svc 2.0.0: 0 errors, 0 warnings, upgrade safety checked against 1.0.0\n"),
        "{stdout}"
    );

    // A variable renamed by a migration is not removed: a minor bump will do.
    let text = fs::read_to_string(&manifest)
        .unwrap()
        .replace("version = \"2.0.0\"", "version = \"1.1.0\"")
        .replace(
            "[[migrations]]\ndrop = \"legacy_flag\"",
            "[[migrations]]\nrename = { from = \"legacy_flag\", to = \"legacy_mode\" }",
        )
        .replace("[[renames]]\nfrom = \"NOTES.md\"\nto = \"README.md\"\n", "");
    fs::write(
        &manifest,
        format!("{text}\n[variables.legacy_mode]\ntype = \"boolean\"\ndefault = false\n"),
    )
    .unwrap();
    fs::write(
        repo.join("svc/template/NOTES.md"),
        "legacy: {{ legacy_mode }}\n",
    )
    .unwrap();
    let (stdout, _) = Scaffold::in_tmp(tmp.path())
        .args(["lint", &repo.join("svc").to_string_lossy()])
        .expect_code(0);
    assert!(
        stdout.ends_with("svc 1.1.0: 0 errors, 0 warnings, upgrade safety checked against 1.0.0\n"),
        "{stdout}"
    );
}

#[test]
fn sarif_for_code_scanning_and_exit_codes() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("home");
    let bad = fixtures().join("lint/helm-braces-collide");
    let out = Scaffold::new(&home)
        .args(["lint", &bad.to_string_lossy(), "--sarif"])
        .output();
    assert_eq!(out.status.code(), Some(1));
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "delimiter-collision");
    assert_eq!(result["level"], "error");
    assert_eq!(
        result["locations"][0]["physicalLocation"]["region"]["startLine"],
        7
    );

    let (_, stderr) = Scaffold::new(&home)
        .args(["lint", &tmp.path().join("nothing-here").to_string_lossy()])
        .expect_code(2);
    assert!(stderr.contains("no golden-path.toml"), "{stderr}");
}

#[test]
fn the_shipped_golden_paths_lint_clean() {
    let tmp = tempfile::tempdir().unwrap();
    let (stdout, _) = Scaffold::in_tmp(tmp.path())
        .args(["lint", &repo_root().join("golden-paths").to_string_lossy()])
        .expect_code(0);
    assert_eq!(
        stdout,
        "api-gateway 2.0.0: 0 errors, 0 warnings, upgrade safety checked against 1.0.0\n\
         java-service 2.0.0: 0 errors, 0 warnings, upgrade safety checked against 1.0.0\n\
         queue-consumer 2.0.0: 0 errors, 0 warnings, upgrade safety checked against 1.0.0\n"
    );
}
