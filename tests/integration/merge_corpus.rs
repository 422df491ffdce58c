//! Our 3-way text merge against `git merge-file`, on hundreds of generated
//! cases: where git merges cleanly the result must be byte-identical, and
//! where git reports a conflict we must report one (with the same markers).

use std::fs;
use std::process::Command;

use goldpath::git::{merge_text, MergeLabels};

/// A small deterministic generator (xorshift), so every run sees the same corpus.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// Random edits: change, delete or insert lines; some are a lone `}` or a
/// whitespace-only change, which make diff alignment ambiguous.
fn edit(rng: &mut Rng, base: &[String], side: &str) -> Vec<String> {
    let mut out = base.to_vec();
    for k in 0..rng.below(6) {
        if out.is_empty() {
            out.push(format!("{side} new {k}"));
            continue;
        }
        let i = rng.below(out.len());
        match rng.below(3) {
            0 if rng.chance(20) => out[i] = format!("{}  ", out[i]),
            0 => {
                out[i] = if rng.chance(30) {
                    "}".into()
                } else {
                    format!("{side} changed {k}")
                }
            }
            1 => {
                out.remove(i);
            }
            _ => {
                let line = if rng.chance(30) {
                    "}".into()
                } else if rng.chance(20) {
                    "same insert".into()
                } else {
                    format!("{side} inserted {k}")
                };
                out.insert(i, line);
            }
        }
    }
    out
}

fn join(lines: &[String], eol: &str, final_newline: bool) -> Vec<u8> {
    let mut text: String = lines.iter().map(|l| format!("{l}{eol}")).collect();
    if !final_newline && text.ends_with(eol) {
        text.truncate(text.len() - eol.len());
    }
    text.into_bytes()
}

fn lines(prefix: &str, n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            if i % 3 == 2 {
                "}".to_string()
            } else {
                format!("{prefix} {i}")
            }
        })
        .collect()
}

/// (name, base, ours, theirs)
type Case = (String, Vec<u8>, Vec<u8>, Vec<u8>);

fn corpus() -> Vec<Case> {
    let mut cases = Vec::new();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for n in 0..600 {
        let base = lines("line", rng.below(14));
        let (ours, theirs) = (
            edit(&mut rng, &base, "ours"),
            edit(&mut rng, &base, "theirs"),
        );
        let eol = if n % 5 == 0 { "\r\n" } else { "\n" };
        let final_newline = n % 7 != 0;
        cases.push((
            format!("random-{n}"),
            join(&base, eol, final_newline),
            join(&ours, eol, final_newline),
            join(&theirs, eol, final_newline),
        ));
    }
    let ten = lines("l", 10);
    let with = |at: usize, text: &str| {
        let mut v = ten.clone();
        v[at] = text.to_string();
        join(&v, "\n", true)
    };
    let base = join(&ten, "\n", true);
    let shaped: Vec<(&str, Vec<u8>, Vec<u8>)> = vec![
        ("start-vs-end", with(0, "ours"), with(9, "theirs")),
        ("same-line", with(4, "ours"), with(4, "theirs")),
        ("adjacent-lines", with(4, "ours"), with(5, "theirs")),
        ("one-apart", with(3, "ours"), with(5, "theirs")),
        ("identical-change", with(4, "both"), with(4, "both")),
        ("whitespace-only", with(4, "l 4 "), with(7, "theirs")),
        ("ours-deletes-all", Vec::new(), with(2, "theirs")),
        ("both-delete-all", Vec::new(), Vec::new()),
        (
            "ours-drops-final-newline",
            join(&ten, "\n", false),
            with(0, "theirs"),
        ),
        ("crlf-vs-lf", join(&ten, "\r\n", true), with(3, "theirs")),
    ];
    for (name, ours, theirs) in shaped {
        cases.push((name.to_string(), base.clone(), ours, theirs));
    }
    cases.push((
        "empty-base-both-add".into(),
        Vec::new(),
        b"ours\n".to_vec(),
        b"theirs\n".to_vec(),
    ));
    cases.push((
        "empty-base-same-add".into(),
        Vec::new(),
        b"same\n".to_vec(),
        b"same\n".to_vec(),
    ));
    cases.push((
        "empty-base-one-adds".into(),
        Vec::new(),
        Vec::new(),
        b"theirs\n".to_vec(),
    ));
    cases.push((
        "no-newline-anywhere".into(),
        b"a".to_vec(),
        b"b".to_vec(),
        b"c".to_vec(),
    ));
    for n in 0..3 {
        let big = lines("big", 20_000);
        let mut ours = big.clone();
        let mut theirs = big.clone();
        for k in 0..50 {
            ours[(k * 397 + n * 11) % 20_000] = format!("ours {k}");
            theirs[(k * 389 + n * 13 + 5) % 20_000] = format!("theirs {k}");
        }
        cases.push((
            format!("huge-{n}"),
            join(&big, "\n", true),
            join(&ours, "\n", true),
            join(&theirs, "\n", true),
        ));
    }
    cases
}

fn git_merge_file(
    dir: &std::path::Path,
    base: &[u8],
    ours: &[u8],
    theirs: &[u8],
) -> (bool, Vec<u8>) {
    fs::write(dir.join("base"), base).unwrap();
    fs::write(dir.join("ours"), ours).unwrap();
    fs::write(dir.join("theirs"), theirs).unwrap();
    let out = Command::new("git")
        .args([
            "merge-file",
            "-p",
            "-L",
            "ours",
            "-L",
            "base",
            "-L",
            "theirs",
            "ours",
            "base",
            "theirs",
        ])
        .current_dir(dir)
        .output()
        .expect("git runs");
    let code = out.status.code().expect("git exited");
    assert!(
        code >= 0,
        "git merge-file failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (code > 0, out.stdout)
}

#[test]
fn text_merge_agrees_with_git_merge_file() {
    let tmp = tempfile::tempdir().unwrap();
    let labels = MergeLabels {
        base: "base",
        ours: "ours",
        theirs: "theirs",
    };
    let cases = corpus();
    let (mut clean, mut conflicted) = (0, 0);
    let mut disagreements = Vec::new();
    for (name, base, ours, theirs) in &cases {
        let (git_conflict, git_text) = git_merge_file(tmp.path(), base, ours, theirs);
        let ours_merge = merge_text(base, ours, theirs, &labels).unwrap_or_else(|e| {
            panic!(
                "{name}: {e}\nbase {:?}\nours {:?}\ntheirs {:?}",
                String::from_utf8_lossy(base),
                String::from_utf8_lossy(ours),
                String::from_utf8_lossy(theirs)
            )
        });
        if ours_merge.conflicted != git_conflict || ours_merge.content != git_text {
            disagreements.push(format!(
                "{name}: git conflict={git_conflict}, ours conflict={}\n--- git\n{}\n--- ours\n{}",
                ours_merge.conflicted,
                String::from_utf8_lossy(&git_text),
                String::from_utf8_lossy(&ours_merge.content)
            ));
        }
        if git_conflict {
            conflicted += 1;
        } else {
            clean += 1;
        }
    }
    assert!(
        disagreements.is_empty(),
        "{} of {} cases disagree with git merge-file:\n{}",
        disagreements.len(),
        cases.len(),
        disagreements.join("\n")
    );
    assert!(
        cases.len() >= 600 && clean >= 100 && conflicted >= 100,
        "the corpus exercises both outcomes: {clean} clean, {conflicted} conflicted"
    );
}
