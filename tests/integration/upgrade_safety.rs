//! Nothing lost: random user edits survive upgrades verbatim, and an upgrade
//! that fails part-way leaves the repository exactly as it was.

use std::fs;

use crate::support::{generate_at, git, snapshot, tag_version, Scaffold};

/// Deterministic xorshift, so every run checks the same cases.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

#[test]
fn random_non_overlapping_user_edits_survive_verbatim() {
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    for case in 0..12 {
        let tmp = tempfile::tempdir().unwrap();
        let source = tmp.path().join("src");
        let files = 1 + rng.below(4);
        let v1: Vec<(String, String)> = (0..files)
            .map(|f| {
                (
                    format!("f{f}.txt"),
                    (0..30).map(|l| format!("line {l}\n")).collect(),
                )
            })
            .collect();
        // The golden path edits the bottom third, the user the top third: never adjacent.
        let mut template_edits = std::collections::BTreeMap::new();
        let v2: Vec<(String, String)> = v1
            .iter()
            .map(|(name, text)| {
                let mut lines: Vec<String> = text.lines().map(String::from).collect();
                for _ in 0..=rng.below(4) {
                    let l = 20 + rng.below(10);
                    lines[l] = format!("template {case} {l}");
                    template_edits.insert((name.clone(), l), lines[l].clone());
                }
                (
                    name.clone(),
                    lines.iter().map(|l| format!("{l}\n")).collect(),
                )
            })
            .collect();
        tag_version(&source, "1.0.0", "", &v1);
        tag_version(&source, "2.0.0", "", &v2);
        let repo = generate_at(tmp.path(), &source, "1.0.0", &[]);

        // The last edit of a line is the one that must survive.
        let mut user_edits = std::collections::BTreeMap::new();
        for (name, text) in &v1 {
            let mut lines: Vec<String> = text.lines().map(String::from).collect();
            for _ in 0..rng.below(5) {
                let l = rng.below(10);
                lines[l] = format!("user {case} {l} {}", rng.below(1000));
                user_edits.insert((name.clone(), l), lines[l].clone());
            }
            fs::write(
                repo.join(name),
                lines.iter().map(|l| format!("{l}\n")).collect::<String>(),
            )
            .unwrap();
        }
        git(
            &repo,
            &["commit", "-q", "--allow-empty", "-am", "user edits"],
        );

        Scaffold::in_tmp(tmp.path())
            .args(["upgrade"])
            .current_dir(&repo)
            .expect_code(0);
        for ((name, line), text) in user_edits.iter().chain(template_edits.iter()) {
            let content = fs::read_to_string(repo.join(name)).unwrap();
            assert_eq!(
                content.lines().nth(*line),
                Some(text.as_str()),
                "case {case}: {name}:{line} lost\n{content}"
            );
        }
    }
}

#[test]
fn an_upgrade_that_fails_part_way_leaves_the_old_state() {
    // The write that fails: the first, one in the middle, the last.
    for blocker in ["b", "n", "zz"] {
        let tmp = tempfile::tempdir().unwrap();
        let source = tmp.path().join("src");
        let files = |v: &str| -> Vec<(String, String)> {
            let mut f: Vec<(String, String)> = ["a.txt", "m.txt", "z.txt"]
                .iter()
                .map(|n| (n.to_string(), format!("{n} {v}\n")))
                .collect();
            if v == "v2" {
                f.extend(
                    ["b/new.txt", "n/new.txt", "zz/new.txt"]
                        .iter()
                        .map(|n| (n.to_string(), "new\n".to_string())),
                );
            }
            f
        };
        tag_version(&source, "1.0.0", "", &files("v1"));
        tag_version(&source, "2.0.0", "", &files("v2"));
        let repo = generate_at(tmp.path(), &source, "1.0.0", &[]);
        // An untracked file where the upgrade needs a folder makes that write fail.
        fs::write(repo.join(blocker), "in the way\n").unwrap();
        let before = snapshot(&repo);

        let (_, err) = Scaffold::in_tmp(tmp.path())
            .args(["upgrade"])
            .current_dir(&repo)
            .expect_code(2);
        assert!(err.starts_with("error: "), "{err}");
        let after = snapshot(&repo);
        assert_eq!(
            after, before,
            "blocked at {blocker}: the old state, not a mix"
        );
        assert!(
            !repo.join(".git/scaffold/upgrade").exists(),
            "no leftover state"
        );
    }
}
