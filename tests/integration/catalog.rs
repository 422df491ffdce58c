//! The catalog people browse: `scaffold show` and `scaffold export backstage`,
//! the exported Software Templates checked by Backstage's own validator.

use std::fs;
use std::process::Command;

use crate::support::{repo_root, Scaffold};

#[test]
fn show_lists_versions_questions_files_and_changelog() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("home");
    let (stdout, _) = Scaffold::new(&home)
        .args(["show", "java-service", "--json"])
        .expect_code(0);
    let desc: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(desc["name"], "java-service");
    assert_eq!(desc["versions"], serde_json::json!(["1.0.0", "2.0.0"]));
    assert_eq!(desc["request_type"], "microservice");
    let var = |name: &str| {
        desc["variables"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["name"] == name)
            .unwrap_or_else(|| panic!("no {name}"))
            .clone()
    };
    assert!(var("service_name").get("default").is_none());
    assert_eq!(
        var("database")["choices"],
        serde_json::json!(["postgresql", "none"])
    );
    assert_eq!(var("db_name")["when"], "database != 'none'");
    assert!(
        !stdout.contains("\"package_path\""),
        "computed values are not questions"
    );
    let hpa = desc["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"].as_str().unwrap().ends_with("templates/hpa.yaml"))
        .unwrap();
    assert!(
        hpa.get("when").is_none(),
        "computed values that are the same for every render are decided, not shown as conditions: {hpa}"
    );
    assert!(
        !stdout.contains("workload") && !stdout.contains("http_api"),
        "no condition reads a computed constant"
    );
    assert_eq!(var("slo_target")["when"], "monitoring");
    let when_of = |suffix: &str| {
        desc["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["path"].as_str().unwrap().ends_with(suffix))
            .unwrap_or_else(|| panic!("no {suffix}"))["when"][0]
            .clone()
    };
    assert_eq!(
        when_of("templates/externalsecret.yaml"),
        "secrets == 'external-secrets' and (database != 'none' or cache != 'none')",
        "a constant inside an `or` group is decided too (java-service has no broker)"
    );
    assert!(
        desc["files"].as_array().unwrap().iter().any(|f| f["path"]
            .as_str()
            .unwrap()
            .ends_with("templates/deployment.yaml")),
        "java-service runs a Deployment"
    );
    let (gateway, _) = Scaffold::new(&home)
        .args(["show", "api-gateway", "--json"])
        .expect_code(0);
    assert!(
        !gateway.contains("templates/deployment.yaml") && !gateway.contains("templates/hpa.yaml"),
        "files the gateway (workload = gateway) never produces are not listed"
    );
    assert!(desc["changelog"].as_str().unwrap().contains("## 1.0.0"));

    let (human, _) = Scaffold::new(&home)
        .args(["show", "api-gateway"])
        .expect_code(0);
    for expected in [
        "api-gateway 2.0.0",
        "Questions",
        "routes",
        "Files",
        "Changelog",
    ] {
        assert!(human.contains(expected), "missing {expected:?} in\n{human}");
    }
    let (_, stderr) = Scaffold::new(&home)
        .args(["show", "jav-service"])
        .expect_code(2);
    assert!(stderr.contains("did you mean `java-service`"), "{stderr}");

    let (human, _) = Scaffold::new(&home)
        .args(["show", "java-service"])
        .expect_code(0);
    assert!(
        human.contains("any of: tracing, openapi-ui") && human.contains("one of: postgresql, none"),
        "multi-choice reads as such:\n{human}"
    );
    let good = crate::support::fixtures().join("paths/good");
    let (human, _) = Scaffold::new(&home)
        .args(["show", &good.to_string_lossy()])
        .expect_code(0);
    let token = human
        .lines()
        .skip_while(|l| !l.starts_with("  token"))
        .nth(1)
        .unwrap_or_default();
    assert!(token.contains("secret: reaches tasks only"), "{human}");
}

#[test]
fn backstage_templates_pass_backstages_validator() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("home");
    let mut files = Vec::new();
    for name in ["java-service", "queue-consumer", "api-gateway"] {
        let out = tmp.path().join(format!("{name}.yaml"));
        Scaffold::new(&home)
            .args(["export", "backstage", name, "-o", &out.to_string_lossy()])
            .expect_code(0);
        files.push(out);
    }
    let java: serde_json::Value =
        serde_norway::from_str(&fs::read_to_string(&files[0]).unwrap()).unwrap();
    assert_eq!(java["kind"], "Template");
    let form = &java["spec"]["parameters"][0];
    assert_eq!(form["required"], serde_json::json!(["service_name"]));
    assert_eq!(
        form["properties"]["database"]["enum"],
        serde_json::json!(["postgresql", "none"])
    );
    // `db_name` appears only when a database is chosen, as `scaffold new` asks it.
    let branch = &form["dependencies"]["database"]["oneOf"][0];
    assert_eq!(
        branch["properties"]["database"]["enum"],
        serde_json::json!(["postgresql"])
    );
    assert_eq!(branch["properties"]["db_name"]["type"], "string");
    let step = &java["spec"]["steps"][0];
    assert_eq!(step["action"], "goldpath:scaffold:new");
    assert_eq!(step["input"]["source"], "builtin:java-service");
    assert_eq!(
        step["input"]["answers"]["service_name"],
        "${{ parameters.service_name }}"
    );
    // Choice labels are what the form shows.
    assert_eq!(
        form["properties"]["ci"]["enumNames"],
        serde_json::json!(["GitHub Actions", "GitLab CI"])
    );
    // A templated default is described, and scaffold computes it when left empty.
    let description = &form["properties"]["description"];
    assert!(description.get("default").is_none(), "{description}");
    assert!(
        description["description"]
            .as_str()
            .unwrap()
            .contains("Leave empty for the golden path's default: The <service_name> service."),
        "{description}"
    );
    // The `ci` answer picks where the repository is published.
    let steps = java["spec"]["steps"].as_array().unwrap();
    let publish: Vec<(&str, &str)> = steps
        .iter()
        .filter(|s| s["action"].as_str().unwrap().starts_with("publish:"))
        .map(|s| (s["action"].as_str().unwrap(), s["if"].as_str().unwrap()))
        .collect();
    assert_eq!(
        publish,
        [
            ("publish:github", "${{ parameters.ci == 'github-actions' }}"),
            ("publish:gitlab", "${{ parameters.ci == 'gitlab' }}"),
        ]
    );
    assert_eq!(
        java["spec"]["parameters"][1]["properties"]["repoUrl"]["ui:options"]["allowedHosts"],
        serde_json::json!(["github.com", "gitlab.com"])
    );
    let (custom, _) = Scaffold::new(&home)
        .args(["export", "backstage", "java-service"])
        .args(["--allowed-host", "git.example.com"])
        .expect_code(0);
    assert!(
        custom.contains("allowedHosts:\n          - git.example.com\n"),
        "{custom}"
    );
    // A secret with a default is optional.
    let good = crate::support::fixtures().join("paths/good");
    let (tiny, _) = Scaffold::new(&home)
        .args(["export", "backstage", &good.to_string_lossy()])
        .expect_code(0);
    let tiny: serde_json::Value = serde_norway::from_str(&tiny).unwrap();
    let required = &tiny["spec"]["parameters"][0]["required"];
    assert!(
        !required
            .as_array()
            .unwrap()
            .contains(&serde_json::json!("token")),
        "{required}"
    );

    let (_, stderr) = Scaffold::new(&home)
        .args(["export", "backstage", "./no-such-path"])
        .expect_code(2);
    assert!(stderr.contains("no-such-path"), "{stderr}");

    let script = repo_root().join("tools/validators/catalog.mjs");
    let out = Command::new("node")
        .arg(&script)
        .args(&files)
        .output()
        .expect("node runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(text.matches("OK ").count(), 3, "{text}");
}

/// A golden path of the catalog is named like a built-in everywhere: `list`
/// shows its name, `new`, `show` and `export` take it; a name with two
/// candidates is an error listing both, and `builtin:NAME` picks the built-in.
#[test]
fn catalog_names_work_wherever_built_in_names_do() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("home");
    let catalog = tmp.path().join("catalog");
    crate::support::copy_dir(
        &crate::support::fixtures().join("paths/good"),
        &catalog.join("good"),
    );
    let with_catalog = || Scaffold::new(&home).env("SCAFFOLD_CATALOG", &catalog);

    let (table, _) = with_catalog().args(["list"]).expect_code(0);
    let row = table
        .lines()
        .find(|l| l.contains("Fixture golden path"))
        .unwrap();
    assert!(row.starts_with("good "), "{table}");

    let dest = tmp.path().join("made");
    with_catalog()
        .args(["new", "good", &dest.to_string_lossy()])
        .args(["--defaults", "--no-git", "-q", "--set", "name=demo"])
        .expect_code(0);
    let lock = fs::read_to_string(dest.join(".scaffold/lock.toml")).unwrap();
    let recorded = catalog.join("good").canonicalize().unwrap();
    assert!(
        lock.contains(&format!("source = \"{}\"", recorded.display())),
        "{lock}"
    );
    let (card, _) = with_catalog().args(["show", "good"]).expect_code(0);
    assert!(card.starts_with("good 1.2.0"), "{card}");
    with_catalog()
        .args(["export", "backstage", "good"])
        .expect_code(0);

    // Without the catalog the name is unknown, with a hint.
    let (_, stderr) = Scaffold::new(&home).args(["show", "good"]).expect_code(2);
    assert!(stderr.contains("no golden path named `good`"), "{stderr}");
    let (_, stderr) = with_catalog().args(["show", "goood"]).expect_code(2);
    assert!(stderr.contains("did you mean `good`?"), "{stderr}");

    // The catalog holding a java-service too: ambiguous, both listed.
    crate::support::copy_dir(
        &repo_root().join("golden-paths/java-service"),
        &catalog.join("java-service"),
    );
    crate::support::copy_dir(
        &repo_root().join("golden-paths/_base"),
        &catalog.join("_base"),
    );
    let (_, stderr) = with_catalog().args(["show", "java-service"]).expect_code(2);
    assert!(
        stderr.contains("`java-service` names 2 golden paths: builtin:java-service, ")
            && stderr.contains("catalog/java-service"),
        "{stderr}"
    );
    let (card, _) = with_catalog()
        .args(["show", "builtin:java-service"])
        .expect_code(0);
    assert!(card.contains("(builtin:java-service)"), "{card}");
}
