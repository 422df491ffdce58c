//! Golden paths that build and run: every Java render of the covering matrix
//! (`golden_paths::MATRIX`, all four java-service and all four queue-consumer renders) goes
//! through its own `./mvnw -B verify`: compiled with warnings as errors, unit tests, the
//! jar, then integration tests against real `PostgreSQL`, Redis, `RabbitMQ` and Kafka
//! (`tools/services/services.sh`; the repositories' `TEST_SERVICES=external` seam instead
//! of Testcontainers), every `application*.yaml` key checked against the Spring Boot
//! metadata of the built jar (`tools/java/boot_properties.py`), and finally the jar run as
//! Kubernetes runs it (`tools/java/run_service.py`): probes, the API, readiness DOWN without
//! `PostgreSQL` and UP through a Redis outage, the metrics contract of the alerts and
//! dashboards against its real scrape, graceful shutdown on SIGTERM.
//!
//! One build at a time: each one already keeps both cores busy, and Maven's local
//! repository (`~/.m2`) is shared and cached between runs.

use std::process::Command;

use crate::golden_paths::{render, MATRIX};
use crate::support::repo_root;

#[test]
fn every_java_render_builds_and_passes_its_own_tests_against_real_services() {
    let tmp = tempfile::tempdir().unwrap();
    let script = repo_root().join("tools/java/verify-render.sh");
    let mut failures = Vec::new();
    let mut built = 0;
    for (source, answers) in MATRIX.iter().filter(|(source, _)| *source != "api-gateway") {
        let repo = render(tmp.path(), source, answers);
        let database = repo
            .file_name()
            .unwrap()
            .to_string_lossy()
            .replace('-', "_");
        let out = Command::new("bash")
            .arg(&script)
            .arg(&repo)
            .arg(&database)
            .output()
            .expect("bash runs");
        let log = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        if !out.status.success() {
            let tail: Vec<_> = log.lines().rev().take(80).collect();
            let tail: Vec<_> = tail.into_iter().rev().collect();
            failures.push(format!("== {}\n{}", repo.display(), tail.join("\n")));
            continue;
        }
        // The build really ran the tests it ships: unit tests, then integration tests.
        assert!(log.contains("BUILD SUCCESS"), "{log}");
        let (unit, integration) = log
            .split_once("--- failsafe:")
            .unwrap_or_else(|| panic!("no integration-test phase in\n{log}"));
        for (phase, text) in [("unit", unit), ("integration", integration)] {
            assert!(
                text.contains("Tests run: ") && !text.contains("Tests run: 0,"),
                "no {phase} tests ran in {}:\n{log}",
                repo.display()
            );
        }
        assert!(log.contains(" keys checked, 0 unknown or removed"), "{log}");
        assert!(log.contains("ok   metrics contract"), "{log}");
        assert!(log.contains("ok   SIGTERM: graceful shutdown"), "{log}");
        built += 1;
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert_eq!(
        built, 8,
        "four java-service and four queue-consumer renders"
    );
}

/// A PATH with every command of this machine but `unzip`.
fn path_without_unzip(dir: &std::path::Path) -> std::ffi::OsString {
    std::fs::create_dir_all(dir).unwrap();
    let path = std::env::var_os("PATH").unwrap();
    for folder in std::env::split_paths(&path) {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let link = dir.join(&name);
            if name != "unzip" && !link.exists() {
                let _ = std::os::unix::fs::symlink(entry.path(), link);
            }
        }
    }
    dir.as_os_str().to_owned()
}

#[test]
fn the_maven_wrapper_is_upstreams_and_verifies_the_tar_gz_it_downloads_without_unzip() {
    let tmp = tempfile::tempdir().unwrap();
    let out = Command::new("bash")
        .arg(repo_root().join("tools/java/check-wrapper.sh"))
        .arg(repo_root().join("golden-paths/_base/template"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );

    let repo = render(tmp.path(), "java-service", &["service_name=wrapped"]);
    let path = path_without_unzip(&tmp.path().join("bin"));
    let mvnw = |maven_home: &str| {
        let out = Command::new("./mvnw")
            .arg("--version")
            .current_dir(&repo)
            .env("PATH", &path)
            .env("MAVEN_USER_HOME", tmp.path().join(maven_home))
            .output()
            .unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (out.status.success(), text)
    };
    // Without unzip the wrapper fetches the .tar.gz and checks it against its own sum.
    let (ok, text) = mvnw("m2-good");
    assert!(ok && text.contains("Apache Maven 3.9.16"), "{text}");

    let properties = repo.join(".mvn/wrapper/maven-wrapper.properties");
    let original = std::fs::read_to_string(&properties).unwrap();
    let line = original
        .lines()
        .find(|l| l.starts_with("distributionTarGzSha256Sum="))
        .expect("the .tar.gz is pinned")
        .to_string();
    // A wrong .tar.gz sum stops the download before anything runs.
    std::fs::write(
        &properties,
        original.replace(
            &line,
            &format!("distributionTarGzSha256Sum={}", "0".repeat(64)),
        ),
    )
    .unwrap();
    let (ok, text) = mvnw("m2-tampered");
    assert!(!ok && text.contains("SHA-256"), "{text}");
    assert!(!tmp
        .path()
        .join("m2-tampered/wrapper/dists")
        .read_dir()
        .is_ok_and(|mut d| {
            d.any(|e| {
                e.unwrap()
                    .path()
                    .join("apache-maven-3.9.16/bin/mvn")
                    .exists()
            })
        }));
    // Without a .tar.gz sum the .zip's cannot be used for it: a clear error, not a skip.
    std::fs::write(&properties, original.replace(&format!("{line}\n"), "")).unwrap();
    let (ok, text) = mvnw("m2-unpinned");
    assert!(
        !ok && text.contains("add distributionTarGzSha256Sum"),
        "{text}"
    );
}
