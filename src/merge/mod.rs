//! Deciding, path by path, what an upgrade does with three trees: `base`
//! (the pristine render of the version the repository is on), `ours` (the
//! repository) and `theirs` (the new version rendered with the same answers).
//!
//! Pure: no I/O. The text merge is passed in (git's, from `git::merge_text`),
//! so this module stays testable with any merger. Conflicts are results, not
//! errors; the caller writes them as git conflicts or `.rej` files.

mod decide;

pub use decide::{decide, Action, Class, Decision, MergedText, PathRules, TextMerger};
