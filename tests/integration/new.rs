//! `scaffold new` end to end, through the real binary.

use std::fs;
use std::os::unix::fs::PermissionsExt;

use crate::support::{engine_example, fixtures, git, read_tree, Scaffold};

fn good() -> String {
    fixtures().join("paths/good").to_string_lossy().into_owned()
}

#[test]
fn builtin_renders_into_a_git_repo_with_one_commit_lock_and_pristine_ref() {
    let tmp = tempfile::tempdir().unwrap();
    let dest = tmp.path().join("orders");
    let (stdout, _) = Scaffold::in_tmp(tmp.path())
        .args([
            "new",
            "java-service",
            &dest.to_string_lossy(),
            "--set",
            "service_name=orders",
            "--defaults",
        ])
        .expect_code(0);
    assert!(stdout.contains("Created"), "{stdout}");
    assert!(stdout.contains("Next steps"), "{stdout}");

    assert_eq!(git(&dest, &["rev-list", "--count", "HEAD"]).trim(), "1");
    assert_eq!(
        git(&dest, &["status", "--porcelain"]).trim(),
        "",
        "work tree is clean after the initial commit"
    );
    assert_eq!(
        git(&dest, &["log", "-1", "--format=%an <%ae>"]).trim(),
        "Test User <test@example.com>"
    );
    assert_eq!(
        git(&dest, &["rev-parse", "--abbrev-ref", "HEAD"]).trim(),
        "main"
    );

    // The pristine ref holds exactly the rendered files: HEAD minus the lock.
    let pristine: Vec<String> = git(
        &dest,
        &["ls-tree", "-r", "--name-only", "refs/scaffold/pristine"],
    )
    .lines()
    .map(String::from)
    .collect();
    let head: Vec<String> = git(&dest, &["ls-tree", "-r", "--name-only", "HEAD"])
        .lines()
        .filter(|p| !p.starts_with(".scaffold/"))
        .map(String::from)
        .collect();
    assert_eq!(pristine, head);
    assert!(
        pristine.contains(&".github/workflows/ci.yml".to_string()),
        "dotfolders survive: {pristine:?}"
    );

    // The lock records the golden path, answers (sorted, no secrets) and a hash per file.
    let lock = fs::read_to_string(dest.join(".scaffold/lock.toml")).unwrap();
    assert!(lock.contains("name = \"java-service\""));
    assert!(lock.contains("source = \"builtin:java-service\""));
    assert!(lock.contains("service_name = \"orders\""));
    assert!(
        !lock.contains("registry_token"),
        "secrets are never written: {lock}"
    );
    assert!(
        !lock.contains("package_path"),
        "computed values are not answers: {lock}"
    );
    let hashes = lock.lines().filter(|l| l.contains("= \"sha256:")).count();
    assert_eq!(hashes, pristine.len(), "one hash per generated file");
    assert!(
        lock.contains("seed-once = [\"src/main/resources/application-local.yaml\"]"),
        "{lock}"
    );
}

#[test]
fn exec_bits_binary_files_layers_conditions_and_delimiters() {
    let tmp = tempfile::tempdir().unwrap();
    let dest = tmp.path().join("svc");
    Scaffold::in_tmp(tmp.path())
        .args([
            "new",
            &engine_example(),
            &dest.to_string_lossy(),
            "--set",
            "service_name=svc",
            "--set",
            "database=none",
            "--defaults",
            "--no-git",
        ])
        .expect_code(0);
    let tree = read_tree(&dest);
    assert!(
        tree["mvnw"].1 && tree["scripts/verify-layout.sh"].1,
        "exec bits kept"
    );
    assert!(!tree["README.md"].1);
    let png = fs::read(
        fixtures()
            .join("engine-example/java-service/template/src/main/resources/static/favicon.png"),
    )
    .unwrap();
    assert_eq!(
        tree["src/main/resources/static/favicon.png"].0, png,
        "binary copied byte for byte"
    );
    assert!(
        !tree.keys().any(|p| p.contains("/db/")),
        "conditional folder dropped when database=none"
    );
    assert!(
        tree.contains_key("src/main/java/com/example/svc/cache/CacheConfig.java"),
        "templated folder names"
    );
    assert!(!tree.keys().any(|p| p.ends_with(".draft")), "excluded glob");
    assert!(
        tree.contains_key("docs/service.md"),
        ".hbs suffix rendered by handlebars and dropped"
    );
    assert!(!tree.contains_key(".gitlab-ci.yml"), "only the chosen CI");
    assert!(!dest.join(".git").exists(), "--no-git");

    let helm =
        String::from_utf8(tree["deploy/helm/svc/templates/deployment.yaml"].0.clone()).unwrap();
    assert!(
        helm.contains("{{ .Values.image.repository }}:{{ .Values.image.tag }}"),
        "Helm syntax survives:\n{helm}"
    );
    assert!(
        helm.contains("app.kubernetes.io/name: svc"),
        "our [[ ]] substitution ran:\n{helm}"
    );
    let ci = String::from_utf8(tree[".github/workflows/ci.yml"].0.clone()).unwrap();
    assert!(
        ci.contains("${{ secrets.REGISTRY_TOKEN }}") && ci.contains("${{ github.sha }}"),
        "Actions syntax survives:\n{ci}"
    );
    assert!(ci.contains("Build svc"), "{ci}");
}

#[test]
fn dry_run_writes_nothing_and_json_describes_the_plan() {
    let tmp = tempfile::tempdir().unwrap();
    let dest = tmp.path().join("x");
    let (stdout, _) = Scaffold::in_tmp(tmp.path())
        .args([
            "new",
            &good(),
            &dest.to_string_lossy(),
            "--set",
            "name=demo",
            "--defaults",
            "--dry-run",
            "--json",
        ])
        .expect_code(0);
    assert!(!dest.exists());
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["golden_path"], "good");
    assert_eq!(json["version"], "1.2.0");
    assert_eq!(json["dry_run"], true);
    let paths: Vec<&str> = json["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        [
            ".scaffold/lock.toml",
            "README.md",
            "bin/run.sh",
            "src/demo/lib.rs"
        ]
    );
    assert_eq!(json["tasks"][0]["ran"], false);
}

#[test]
fn tasks_need_trust_and_secrets_reach_tasks_only() {
    let tmp = tempfile::tempdir().unwrap();
    let untrusted = tmp.path().join("untrusted");
    let (_, stderr) = Scaffold::in_tmp(tmp.path())
        .args([
            "new",
            &good(),
            &untrusted.to_string_lossy(),
            "--set",
            "name=demo",
            "--set",
            "token=hunter2",
            "--defaults",
            "--no-git",
        ])
        .expect_code(0);
    assert!(
        !untrusted.join("task-ran").exists(),
        "tasks never run without trust"
    );
    assert!(stderr.contains("--trust"), "{stderr}");
    assert!(!fs::read_to_string(untrusted.join(".scaffold/lock.toml"))
        .unwrap()
        .contains("hunter2"));

    let trusted = tmp.path().join("trusted");
    Scaffold::in_tmp(tmp.path())
        .args([
            "new",
            &good(),
            &trusted.to_string_lossy(),
            "--set",
            "name=demo",
            "--defaults",
            "--trust",
        ])
        .expect_code(0);
    assert!(trusted.join("task-ran").exists());
    assert_eq!(
        git(&trusted, &["status", "--porcelain"]).trim(),
        "",
        "task output is part of the initial commit"
    );

    // Trust from the user's config file, by prefix.
    let home = tmp.path().join("home2");
    let config = tmp.path().join("config.toml");
    fs::write(
        &config,
        format!("trusted = [\"{}*\"]\n", fixtures().display()),
    )
    .unwrap();
    let by_config = tmp.path().join("by-config");
    Scaffold::new(&home)
        .env("SCAFFOLD_CONFIG", &config)
        .args([
            "new",
            &good(),
            &by_config.to_string_lossy(),
            "--set",
            "name=demo",
            "--defaults",
            "--no-git",
        ])
        .expect_code(0);
    assert!(by_config.join("task-ran").exists());
}

#[test]
fn force_writes_into_a_non_empty_folder_but_never_through_a_symlink() {
    let tmp = tempfile::tempdir().unwrap();
    let dest = tmp.path().join("existing");
    fs::create_dir_all(&dest).unwrap();
    fs::write(dest.join("mine.txt"), "keep me").unwrap();
    Scaffold::in_tmp(tmp.path())
        .args([
            "new",
            &good(),
            &dest.to_string_lossy(),
            "--set",
            "name=demo",
            "--defaults",
            "--no-git",
            "--force",
        ])
        .expect_code(0);
    assert_eq!(
        fs::read_to_string(dest.join("mine.txt")).unwrap(),
        "keep me"
    );
    assert!(dest.join("README.md").exists());
    assert!(
        fs::metadata(dest.join("bin/run.sh"))
            .unwrap()
            .permissions()
            .mode()
            & 0o111
            != 0
    );

    let outside = tmp.path().join("outside");
    fs::create_dir_all(&outside).unwrap();
    let dest2 = tmp.path().join("trap");
    fs::create_dir_all(&dest2).unwrap();
    std::os::unix::fs::symlink(&outside, dest2.join("src")).unwrap();
    let (_, stderr) = Scaffold::in_tmp(tmp.path())
        .args([
            "new",
            &good(),
            &dest2.to_string_lossy(),
            "--set",
            "name=demo",
            "--defaults",
            "--no-git",
            "--force",
        ])
        .expect_code(2);
    assert!(stderr.contains("symlink"), "{stderr}");
    assert_eq!(
        fs::read_dir(&outside).unwrap().count(),
        0,
        "nothing written outside"
    );
    assert!(!dest2.join("README.md").exists(), "nothing written at all");
}

#[test]
fn answers_files_in_every_format_and_set_wins() {
    let tmp = tempfile::tempdir().unwrap();
    let files = [
        ("a.toml", "name = \"from-toml\"\nport = 9000\n"),
        ("a.yaml", "name: from-yaml\nport: 9000\n"),
        ("a.json", "{\"name\": \"from-json\", \"port\": 9000}"),
    ];
    for (file, text) in files {
        let path = tmp.path().join(file);
        fs::write(&path, text).unwrap();
        let dest = tmp.path().join(format!("out-{file}"));
        Scaffold::in_tmp(tmp.path())
            .args([
                "new",
                &good(),
                &dest.to_string_lossy(),
                "--answers",
                &path.to_string_lossy(),
                "--set",
                "port=9100",
                "--defaults",
                "--no-git",
            ])
            .expect_code(0);
        let readme = fs::read_to_string(dest.join("README.md")).unwrap();
        let stem = file.replace("a.", "from-");
        assert_eq!(
            readme,
            format!("name: {stem}\nport: 9100\nflavour: vanilla\n")
        );
    }
}

#[test]
fn service_request_picks_the_golden_path_and_maps_every_field() {
    let tmp = tempfile::tempdir().unwrap();
    let request = tmp.path().join("platform-request.yaml");
    fs::write(&request, "apiVersion: platform.company.com/v1\nkind: ServiceRequest\nmetadata:\n  name: user-service\nspec:\n  type: microservice\n  language: java\n  database: postgresql\n  cache: redis\n  monitoring: enabled\n  scaling: {min: 2, max: 10}\n  resources: {cpu: 500m, memory: 1Gi}\n").unwrap();
    let dest = tmp.path().join("user-service");
    let (stdout, _) = Scaffold::in_tmp(tmp.path())
        .args([
            "new",
            "--request",
            &request.to_string_lossy(),
            &dest.to_string_lossy(),
            "--json",
        ])
        .expect_code(0);
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["golden_path"], "java-service");
    assert_eq!(
        json["unused_request_fields"],
        serde_json::json!([]),
        "every request field lands somewhere"
    );
    // Each request field, where a reader of the repository sees it.
    let read = |path: &str| fs::read_to_string(dest.join(path)).unwrap();
    let values = read("deploy/helm/user-service/values.yaml");
    let catalog = read("catalog-info.yaml");
    let pom = read("pom.xml");
    for (field, file, text, expected) in [
        (
            "metadata.name",
            "catalog-info.yaml",
            &catalog,
            "name: user-service\n",
        ),
        (
            "spec.type",
            "catalog-info.yaml",
            &catalog,
            "goldpath.dev/golden-path: java-service\n",
        ),
        (
            "spec.language",
            "catalog-info.yaml",
            &catalog,
            "    - java\n",
        ),
        (
            "spec.database",
            "pom.xml",
            &pom,
            "<artifactId>spring-boot-starter-flyway</artifactId>",
        ),
        (
            "spec.database",
            "catalog-info.yaml",
            &catalog,
            "resource:user-service-db",
        ),
        (
            "spec.cache",
            "pom.xml",
            &pom,
            "<artifactId>spring-boot-starter-data-redis</artifactId>",
        ),
        (
            "spec.cache",
            "catalog-info.yaml",
            &catalog,
            "resource:user-service-cache",
        ),
        (
            "spec.monitoring",
            "values.yaml",
            &values,
            "serviceMonitor:\n    enabled: true\n",
        ),
        (
            "spec.scaling",
            "values.yaml",
            &values,
            "minReplicas: 2\n  maxReplicas: 10\n",
        ),
        (
            "spec.resources",
            "values.yaml",
            &values,
            "requests:\n    cpu: 500m\n    memory: 1Gi\n",
        ),
    ] {
        assert!(
            text.contains(expected),
            "{field}: missing {expected:?} in {file}:\n{text}"
        );
    }
    assert!(dest
        .join("src/main/resources/db/migration/V1__create_item.sql")
        .exists());
    assert!(dest
        .join("deploy/helm/user-service/templates/servicemonitor.yaml")
        .exists());
    assert!(dest
        .join("deploy/helm/user-service/templates/hpa.yaml")
        .exists());
}

#[test]
fn list_schema_and_help() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("home");
    let (stdout, _) = Scaffold::new(&home)
        .args(["list", "--json"])
        .env("SCAFFOLD_CATALOG", fixtures().join("paths"))
        .expect_code(0);
    let list: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["api-gateway", "java-service", "queue-consumer", "good"],
        "built-ins, then the catalog; layers are not listed"
    );
    assert_eq!(list[3]["owner"], "test-team");

    let (table, _) = Scaffold::new(&home).args(["list"]).expect_code(0);
    assert!(
        table.starts_with("NAME") && table.contains("java-service") && table.contains("2.0.0"),
        "{table}"
    );

    let (schema, _) = Scaffold::new(&home).args(["schema"]).expect_code(0);
    let schema: serde_json::Value = serde_json::from_str(&schema).unwrap();
    for key in [
        "name",
        "version",
        "variables",
        "files",
        "conditions",
        "render",
        "tasks",
        "extends",
        "request",
    ] {
        assert!(
            schema["properties"].get(key).is_some(),
            "schema lacks {key}"
        );
    }

    let (help, _) = Scaffold::new(&home).args(["new", "--help"]).expect_code(0);
    assert!(
        help.contains("Examples:") && help.contains("--request"),
        "{help}"
    );
}

#[test]
fn shell_completions_and_man_pages_come_from_the_same_commands() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("home");
    let scaffold = assert_cmd::cargo::cargo_bin("scaffold");
    let scaffold = scaffold.display();
    // bash: the script loads, and completing `scaffold fl` offers `fleet`.
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!(
            "source <('{scaffold}' completions bash) && COMP_WORDS=(scaffold fl) && COMP_CWORD=1 \
             && _scaffold scaffold fl scaffold && echo \"${{COMPREPLY[@]}}\""
        ))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "fleet");
    for shell in ["zsh", "fish", "powershell", "elvish"] {
        let (script, _) = Scaffold::new(&home)
            .args(["completions", shell])
            .expect_code(0);
        for word in ["upgrade", "fleet", "defaults"] {
            assert!(script.contains(word), "{shell} completions lack {word}");
        }
    }
    let (_, err) = Scaffold::new(&home)
        .args(["completions", "tcsh"])
        .expect_code(2);
    assert!(err.contains("possible values: bash"), "{err}");

    // The man page renders with groff without a warning; --out-dir writes one per command.
    let (page, _) = Scaffold::new(&home).args(["man"]).expect_code(0);
    assert!(page.contains(".TH scaffold 1"), "{page}");
    let mut groff = std::process::Command::new("groff")
        .args(["-man", "-Tutf8", "-ww", "-z"])
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("groff (apt: groff-base) runs");
    use std::io::Write as _;
    groff
        .stdin
        .take()
        .unwrap()
        .write_all(page.as_bytes())
        .unwrap();
    let checked = groff.wait_with_output().unwrap();
    assert!(
        checked.status.success() && checked.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&checked.stderr)
    );
    let dir = tmp.path().join("man/man1");
    Scaffold::new(&home)
        .args(["man", "--out-dir", &dir.to_string_lossy()])
        .expect_code(0);
    for page in ["scaffold.1", "scaffold-new.1", "scaffold-fleet-upgrade.1"] {
        assert!(dir.join(page).is_file(), "no {page}");
    }
}

/// A folder source renders what a published tag of it would hold: files its
/// `.gitignore` ignores (an editor's swap file) are left out, dotfiles that
/// are not ignored are kept.
#[test]
fn folder_sources_leave_out_what_git_ignores() {
    let tmp = tempfile::tempdir().unwrap();
    let source = tmp.path().join("good");
    crate::support::copy_dir(&fixtures().join("paths/good"), &source);
    fs::write(source.join(".gitignore"), "*.swp\n/template/build/\n").unwrap();
    fs::write(source.join("template/.README.md.swp"), "editor state").unwrap();
    fs::create_dir_all(source.join("template/build")).unwrap();
    fs::write(source.join("template/build/out.txt"), "build output").unwrap();
    fs::create_dir_all(source.join("template/.github")).unwrap();
    fs::write(source.join("template/.github/CODEOWNERS"), "* @team\n").unwrap();
    let dest = tmp.path().join("out");
    Scaffold::in_tmp(tmp.path())
        .args(["new", &source.to_string_lossy(), &dest.to_string_lossy()])
        .args(["--defaults", "--no-git", "-q", "--set", "name=demo"])
        .expect_code(0);
    let tree = read_tree(&dest);
    assert!(tree.contains_key(".github/CODEOWNERS"), "{:?}", tree.keys());
    assert!(tree.contains_key("README.md"));
    assert!(!tree.contains_key(".README.md.swp"), "{:?}", tree.keys());
    assert!(
        !tree.keys().any(|k| k.starts_with("build/")),
        "{:?}",
        tree.keys()
    );
}

/// An unknown answer's hint lists what can be answered: computed values,
/// which `--set` refuses, are not offered.
#[test]
fn the_unknown_answer_hint_offers_only_answerable_variables() {
    let tmp = tempfile::tempdir().unwrap();
    let dest = tmp.path().join("svc");
    let (_, stderr) = Scaffold::in_tmp(tmp.path())
        .args(["new", "java-service", &dest.to_string_lossy(), "--defaults"])
        .args(["--set", "service_name=svc", "--set", "zzqqx=1"])
        .expect_code(2);
    let hint = stderr
        .lines()
        .find(|l| l.contains("hint: the answers it takes:"))
        .unwrap_or_else(|| panic!("{stderr}"));
    assert!(
        hint.contains("service_name") && hint.contains("database"),
        "{hint}"
    );
    assert!(!hint.contains("package_path"), "computed: {hint}");
    assert!(!dest.exists());
}

/// A request field no question maps is said on stderr (even with -q), so a
/// typo in platform-request.yaml does not pass silently.
#[test]
fn request_fields_the_golden_path_ignores_are_a_warning() {
    let tmp = tempfile::tempdir().unwrap();
    let request = tmp.path().join("platform-request.yaml");
    fs::write(&request, "apiVersion: platform.company.com/v1\nkind: ServiceRequest\nmetadata:\n  name: user-service\nspec:\n  type: microservice\n  databse: postgresql\n").unwrap();
    let dest = tmp.path().join("user-service");
    let (_, stderr) = Scaffold::in_tmp(tmp.path())
        .args(["new", "--request", &request.to_string_lossy()])
        .args([&dest.to_string_lossy(), "--defaults", "-q", "--no-git"])
        .expect_code(0);
    assert!(
        stderr.contains(
            "warning: request fields this golden path does not use (ignored): spec.databse"
        ),
        "{stderr}"
    );
}
