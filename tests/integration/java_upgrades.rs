//! The upgrade proof on the Java golden paths: a repository generated at 1.0.0 (the
//! built-in release kept under `golden-paths/releases/`) and customised as a team would
//! (an endpoint of its own with its test, a changed setting, an edited alert, a new
//! dependency in the pom) is upgraded with `scaffold upgrade` to the current version. It
//! conflicts exactly where the scenario declares, keeps every other local change, and once
//! the conflicts are resolved its own `./mvnw -B verify` and the running service pass
//! (`tools/java/verify-render.sh`, as in `java_builds`).

use std::fs;
use std::path::Path;
use std::process::Command;

use crate::support::{git, repo_root, Scaffold};

/// What a team changed in its repository, and where the upgrade must stop for it. The
/// service names differ from `java_builds`' renders: both run at once on the same brokers.
struct Scenario {
    golden_path: &'static str,
    service: &'static str,
    package: &'static str,
    /// (file, from, to): a setting the team tuned.
    setting: (&'static str, &'static str, &'static str),
    /// (file, from, to): an alert the team edited.
    alert: (&'static str, &'static str, &'static str),
    /// The files that must conflict (the team's edits meet the golden path's).
    conflicts: &'static [&'static str],
}

const SCENARIOS: &[Scenario] = &[
    Scenario {
        golden_path: "java-service",
        service: "shop",
        package: "com/example/shop",
        setting: (
            "src/main/resources/application.yaml",
            "maximum-pool-size: 10",
            "maximum-pool-size: 20",
        ),
        alert: (
            "deploy/helm/shop/files/alerts.rules.yaml",
            "[5m])) > 0.05",
            "[5m])) > 0.02",
        ),
        conflicts: &[
            "deploy/helm/shop/files/alerts.rules.yaml",
            "src/main/resources/application.yaml",
        ],
    },
    Scenario {
        golden_path: "queue-consumer",
        service: "payments",
        package: "com/example/payments",
        setting: (
            "src/main/resources/application.yaml",
            "maximum-pool-size: 5",
            "maximum-pool-size: 8",
        ),
        alert: (
            "deploy/helm/payments/files/consumer.rules.yaml",
            "topic=\"payments.events\"}) > 1000",
            "topic=\"payments.events\"}) > 5000",
        ),
        conflicts: &[
            "deploy/helm/payments/files/consumer.rules.yaml",
            "src/main/resources/application.yaml",
        ],
    },
];

fn edit(repo: &Path, (file, from, to): (&str, &str, &str)) {
    let path = repo.join(file);
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} has no {from:?}");
    fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

/// The team's own endpoint (with a library the golden path does not ship) and its test.
fn add_endpoint(repo: &Path, package: &str) {
    let java_package = package.replace('/', ".");
    let main = repo.join("src/main/java").join(package).join("ping");
    let test = repo.join("src/test/java").join(package).join("ping");
    fs::create_dir_all(&main).unwrap();
    fs::create_dir_all(&test).unwrap();
    fs::write(
        main.join("PingController.java"),
        format!(
            "package {java_package}.ping;\n\n\
             import org.apache.commons.lang3.StringUtils;\n\
             import org.springframework.web.bind.annotation.GetMapping;\n\
             import org.springframework.web.bind.annotation.RestController;\n\n\
             /** The team's own endpoint. */\n\
             @RestController\n\
             public class PingController {{\n\n    \
             @GetMapping(\"/ping\")\n    \
             public String ping() {{\n        \
             return StringUtils.upperCase(\"pong\");\n    \
             }}\n}}\n"
        ),
    )
    .unwrap();
    fs::write(
        test.join("PingControllerTest.java"),
        format!(
            "package {java_package}.ping;\n\n\
             import static org.assertj.core.api.Assertions.assertThat;\n\n\
             import org.junit.jupiter.api.Test;\n\n\
             class PingControllerTest {{\n\n    \
             @Test\n    \
             void answersPong() {{\n        \
             assertThat(new PingController().ping()).isEqualTo(\"PONG\");\n    \
             }}\n}}\n"
        ),
    )
    .unwrap();
    edit(
        repo,
        (
            "pom.xml",
            "    </dependencies>",
            "        <dependency>\n            <groupId>org.apache.commons</groupId>\n            \
             <artifactId>commons-lang3</artifactId>\n        </dependency>\n    </dependencies>",
        ),
    );
}

#[test]
fn customised_1_0_0_repositories_upgrade_with_declared_conflicts_and_still_build_and_run() {
    let tmp = tempfile::tempdir().unwrap();
    let home = tmp.path().join("home");
    for s in SCENARIOS {
        let repo = tmp.path().join(s.golden_path);
        let dest = repo.to_string_lossy().into_owned();
        let service = format!("service_name={}", s.service);
        Scaffold::new(&home)
            .args([
                "new",
                s.golden_path,
                &dest,
                "--version",
                "1.0.0",
                "--defaults",
                "-q",
                "--set",
                &service,
            ])
            .expect_code(0);
        add_endpoint(&repo, s.package);
        edit(&repo, s.setting);
        edit(&repo, s.alert);
        git(&repo, &["add", "-A"]);
        git(&repo, &["commit", "-q", "-m", "Team changes"]);

        let (out, err) = Scaffold::new(&home)
            .args(["upgrade"])
            .current_dir(&repo)
            .expect_code(1);
        let mut conflicted: Vec<String> = git(&repo, &["diff", "--name-only", "--diff-filter=U"])
            .lines()
            .map(str::to_string)
            .collect();
        conflicted.sort();
        assert_eq!(conflicted, s.conflicts, "{out}{err}");

        // Everything else of the team's merged in: the endpoint, its test, the dependency.
        let pom = fs::read_to_string(repo.join("pom.xml")).unwrap();
        assert!(
            pom.contains("<artifactId>commons-lang3</artifactId>"),
            "{pom}"
        );
        assert!(pom.contains("<version>4.1.2</version>"), "{pom}");
        let ping = format!("src/main/java/{}/ping/PingController.java", s.package);
        assert!(repo.join(ping).is_file());

        // The team resolves: the golden path's new alerts and settings, with its own value kept.
        for path in s.conflicts {
            git(&repo, &["checkout", "--theirs", "--", path]);
        }
        let (setting_file, before, after) = s.setting;
        edit(&repo, (setting_file, before, after));
        git(&repo, &["add", "-A"]);
        Scaffold::new(&home)
            .args(["upgrade", "--continue"])
            .current_dir(&repo)
            .expect_code(0);
        let lock = fs::read_to_string(repo.join(".scaffold/lock.toml")).unwrap();
        assert!(lock.contains("version = \"2.0.0\""), "{lock}");
        git(&repo, &["commit", "-q", "-m", "Upgrade to 2.0.0"]);

        let database = format!("upgraded_{}", s.service);
        let out = Command::new("bash")
            .arg(repo_root().join("tools/java/verify-render.sh"))
            .arg(&repo)
            .arg(&database)
            .output()
            .expect("bash runs");
        let log = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.status.success(), "{}: {log}", repo.display());
        assert!(
            log.contains("Running ") && log.contains("PingControllerTest"),
            "{log}"
        );
        assert!(log.contains("ok   SIGTERM: graceful shutdown"), "{log}");
    }
}
