//! Line diffs for people to read (`scaffold diff`): the only importer of `similar`.

use similar::{ChangeTag, TextDiff};

/// A unified diff of one file and its line counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileDiff {
    /// `--- a/…` / `+++ b/…` headers and hunks with 3 lines of context.
    pub unified: String,
    pub added: usize,
    pub removed: usize,
}

/// Diffs `old` against `new`, labelled like git (`a/path`, `b/path`).
pub fn unified(old: &str, new: &str, old_label: &str, new_label: &str) -> FileDiff {
    let diff = TextDiff::from_lines(old, new);
    let (mut added, mut removed) = (0, 0);
    for change in diff.iter_all_changes() {
        match change.tag() {
            ChangeTag::Insert => added += 1,
            ChangeTag::Delete => removed += 1,
            ChangeTag::Equal => {}
        }
    }
    let unified = diff
        .unified_diff()
        .context_radius(3)
        .header(old_label, new_label)
        .to_string();
    FileDiff {
        unified,
        added,
        removed,
    }
}

/// How alike two files are, from 0.0 to 1.0, as git judges renames: the
/// share of lines the two have in common (binary files: equal or not).
pub fn similarity(a: &[u8], b: &[u8]) -> f64 {
    if a == b {
        return 1.0;
    }
    if crate::tree::is_binary(a) || crate::tree::is_binary(b) {
        return 0.0;
    }
    let (a, b) = (String::from_utf8_lossy(a), String::from_utf8_lossy(b));
    f64::from(TextDiff::from_lines(a.as_ref(), b.as_ref()).ratio())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn similarity_of_lines() {
        assert!((similarity(b"a\nb\n", b"a\nb\n") - 1.0).abs() < f64::EPSILON);
        assert!(similarity(b"a\nb\nc\nd\n", b"a\nb\nc\nX\n") >= 0.7);
        assert!(similarity(b"a\nb\n", b"x\ny\n") < 0.1);
        assert!(similarity(b"\0a", b"\0b").abs() < f64::EPSILON);
    }

    #[test]
    fn unified_diff_with_counts() {
        let d = unified("a\nb\nc\n", "a\nB\nc\nd\n", "a/f", "b/f");
        assert_eq!((d.added, d.removed), (2, 1));
        assert!(
            d.unified
                .starts_with("--- a/f\n+++ b/f\n@@ -1,3 +1,4 @@\n a\n-b\n+B\n c\n+d\n"),
            "{}",
            d.unified
        );
    }
}
