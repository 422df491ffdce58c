//! The decision table, one row per `Class`.

use serde::Serialize;

use crate::error::Result;
use crate::tree::{FileEntry, RelPath, Tree};

/// What happened to a path: the rows of the upgrade decision table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Class {
    /// Nobody changed it.
    Unchanged,
    /// Both sides made the same change.
    SameChange,
    /// Only the golden path changed it: take theirs.
    TemplateOnly,
    /// Only the user changed it: keep ours.
    UserOnly,
    /// New in the golden path, absent in the repository: add it.
    TemplateAdded,
    /// Both changed it: 3-way text merge (clean or conflicted).
    BothChanged,
    /// Both added it with different content: merge against an empty base.
    AddedByBoth,
    /// The golden path deleted a file the user never touched: delete it.
    TemplateDeleted,
    /// The golden path deleted a file the user edited: conflict, the user's file stays.
    TemplateDeletedUserEdited,
    /// The user deleted a file the golden path changed: it stays deleted (reported).
    UserDeletedTemplateChanged,
    /// Binary content changed on both sides: never text-merged, a conflict.
    BinaryConflict,
    /// Only the exec bit differs between the sides' changes.
    ModeChanged,
    /// A seed-once file: an upgrade never touches it.
    SeedOnce,
    /// The golden path moved this file; the user's copy moves with its edits.
    Renamed,
}

/// What to do with the repository's copy of the path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Leave the repository's file (or its absence) as it is.
    Keep,
    Write(FileEntry),
    Delete,
    /// Write `content` (with conflict markers, or ours for binary files) and
    /// register the three versions as index stages 1, 2 and 3.
    Conflict {
        content: Option<FileEntry>,
        base: Option<FileEntry>,
        ours: Option<FileEntry>,
        theirs: Option<FileEntry>,
    },
}

/// The decision for one path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub path: RelPath,
    pub class: Class,
    pub action: Action,
}

impl Decision {
    pub fn is_conflict(&self) -> bool {
        matches!(self.action, Action::Conflict { .. })
    }
}

/// A text merge's result, as the merger passed to `decide` returns it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergedText {
    pub content: Vec<u8>,
    pub conflicted: bool,
}

/// A 3-way text merge: `(base, ours, theirs) -> merged`.
pub type TextMerger<'a> = dyn FnMut(&[u8], &[u8], &[u8]) -> Result<MergedText> + 'a;

/// What the repository says about paths, beyond their content.
pub struct PathRules<'a> {
    /// Seed-once files: an upgrade never touches them.
    pub seed_once: &'a [RelPath],
    /// Paths `.gitattributes` marks `binary`, `-text` or `-merge`: never text-merged.
    pub binary: &'a dyn Fn(&RelPath) -> bool,
}

impl PathRules<'_> {
    /// No seed-once files, binary by content only.
    pub fn none() -> PathRules<'static> {
        PathRules {
            seed_once: &[],
            binary: &|_| false,
        }
    }
}

/// Decides every path present in any of the three trees, in path order.
pub fn decide(
    base: &Tree,
    ours: &Tree,
    theirs: &Tree,
    rules: &PathRules<'_>,
    merge_text: &mut TextMerger<'_>,
) -> Result<Vec<Decision>> {
    let mut paths: Vec<&RelPath> = base
        .paths()
        .chain(ours.paths())
        .chain(theirs.paths())
        .collect();
    paths.sort();
    paths.dedup();
    paths
        .into_iter()
        .map(|path| {
            let (b, o, t) = (base.get(path), ours.get(path), theirs.get(path));
            let seed_once = rules.seed_once.contains(path);
            let binary = || (rules.binary)(path);
            let (class, action) = decide_path(b, o, t, seed_once, &binary, merge_text)?;
            Ok(Decision {
                path: path.clone(),
                class,
                action,
            })
        })
        .collect()
}

type Entry<'a> = Option<&'a FileEntry>;

fn decide_path(
    b: Entry<'_>,
    o: Entry<'_>,
    t: Entry<'_>,
    seed_once: bool,
    binary_by_attributes: &dyn Fn() -> bool,
    merge_text: &mut TextMerger<'_>,
) -> Result<(Class, Action)> {
    if seed_once && (b.is_some() || o.is_some()) {
        return Ok((Class::SeedOnce, Action::Keep));
    }
    if o == t {
        let class = if o == b {
            Class::Unchanged
        } else {
            Class::SameChange
        };
        return Ok((class, Action::Keep));
    }
    if b == t {
        return Ok((Class::UserOnly, Action::Keep));
    }
    if b == o {
        return Ok(match (b, t) {
            (_, None) => (Class::TemplateDeleted, Action::Delete),
            (None, Some(t)) => (Class::TemplateAdded, Action::Write(t.clone())),
            (Some(_), Some(t)) => (Class::TemplateOnly, Action::Write(t.clone())),
        });
    }
    let conflict = |content: Option<&FileEntry>| Action::Conflict {
        content: content.cloned(),
        base: b.cloned(),
        ours: o.cloned(),
        theirs: t.cloned(),
    };
    match (b, o, t) {
        (Some(_), Some(o), None) => Ok((Class::TemplateDeletedUserEdited, conflict(Some(o)))),
        (Some(_), None, Some(_)) => Ok((Class::UserDeletedTemplateChanged, Action::Keep)),
        (base_entry, Some(o), Some(t)) => {
            let class = if base_entry.is_none() {
                Class::AddedByBoth
            } else {
                Class::BothChanged
            };
            let empty = FileEntry::new(Vec::new(), false);
            let b = base_entry.unwrap_or(&empty);
            let executable = merge_bit(b.executable, o.executable, t.executable);
            if o.content == t.content {
                return Ok((
                    Class::ModeChanged,
                    Action::Write(FileEntry::new(o.content.clone(), executable)),
                ));
            }
            if b.is_binary() || o.is_binary() || t.is_binary() || binary_by_attributes() {
                return Ok((Class::BinaryConflict, conflict(Some(o))));
            }
            let merged = merge_text(&b.content, &o.content, &t.content)?;
            let entry = FileEntry::new(merged.content, executable);
            if merged.conflicted {
                Ok((class, conflict(Some(&entry))))
            } else {
                Ok((class, Action::Write(entry)))
            }
        }
        // Every other combination has two equal sides and returned above.
        (b, o, t) => unreachable!(
            "decided above: {:?} {:?} {:?}",
            b.is_some(),
            o.is_some(),
            t.is_some()
        ),
    }
}

/// 3-way merge of one bit: whoever changed it wins (both cannot change a bit differently).
fn merge_bit(base: bool, ours: bool, theirs: bool) -> bool {
    if base == ours {
        theirs
    } else {
        ours
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> FileEntry {
        FileEntry::new(text.as_bytes().to_vec(), false)
    }

    fn tree(entries: &[(&str, FileEntry)]) -> Tree {
        entries
            .iter()
            .map(|(p, e)| (RelPath::new(p).unwrap(), e.clone()))
            .collect()
    }

    /// A line merger good enough for the table: conflicts unless one side kept base.
    #[allow(
        clippy::unnecessary_wraps,
        reason = "stands in for git's merge, which can fail"
    )]
    fn fake_merge(b: &[u8], o: &[u8], t: &[u8]) -> Result<MergedText> {
        let text = |x: &[u8]| String::from_utf8(x.to_vec()).unwrap();
        if text(b).lines().count() == 3
            && text(o).starts_with("ours")
            && text(t).ends_with("theirs\n")
        {
            return Ok(MergedText {
                content: b"ours\nmiddle\ntheirs\n".to_vec(),
                conflicted: false,
            });
        }
        Ok(MergedText {
            content: format!(
                "<<<<<<< ours\n{}=======\n{}>>>>>>> theirs\n",
                text(o),
                text(t)
            )
            .into_bytes(),
            conflicted: true,
        })
    }

    fn one(
        b: Option<FileEntry>,
        o: Option<FileEntry>,
        t: Option<FileEntry>,
        seed: bool,
    ) -> Decision {
        let wrap = |e: Option<FileEntry>| e.map(|e| tree(&[("f", e)])).unwrap_or_default();
        let seeds = if seed {
            vec![RelPath::new("f").unwrap()]
        } else {
            vec![]
        };
        let rules = PathRules {
            seed_once: &seeds,
            binary: &|_| false,
        };
        let mut decisions = decide(&wrap(b), &wrap(o), &wrap(t), &rules, &mut fake_merge).unwrap();
        assert_eq!(decisions.len(), 1);
        decisions.remove(0)
    }

    #[test]
    fn unchanged_same_change_user_only() {
        assert_eq!(
            one(Some(file("a")), Some(file("a")), Some(file("a")), false).class,
            Class::Unchanged
        );
        let d = one(Some(file("a")), Some(file("b")), Some(file("b")), false);
        assert_eq!((d.class, d.action), (Class::SameChange, Action::Keep));
        let d = one(Some(file("a")), Some(file("mine")), Some(file("a")), false);
        assert_eq!((d.class, d.action), (Class::UserOnly, Action::Keep));
    }

    #[test]
    fn template_only_added_and_deleted_untouched() {
        let d = one(Some(file("a")), Some(file("a")), Some(file("new")), false);
        assert_eq!(
            (d.class, d.action),
            (Class::TemplateOnly, Action::Write(file("new")))
        );
        let d = one(None, None, Some(file("new")), false);
        assert_eq!(
            (d.class, d.action),
            (Class::TemplateAdded, Action::Write(file("new")))
        );
        let d = one(Some(file("a")), Some(file("a")), None, false);
        assert_eq!(
            (d.class, d.action),
            (Class::TemplateDeleted, Action::Delete)
        );
    }

    #[test]
    fn both_changed_merges_cleanly_or_conflicts() {
        let d = one(
            Some(file("one\nmiddle\nthree\n")),
            Some(file("ours\nmiddle\nthree\n")),
            Some(file("one\nmiddle\ntheirs\n")),
            false,
        );
        assert_eq!(
            (d.class, d.action),
            (
                Class::BothChanged,
                Action::Write(file("ours\nmiddle\ntheirs\n"))
            )
        );
        let d = one(
            Some(file("a\n")),
            Some(file("b\n")),
            Some(file("c\n")),
            false,
        );
        assert_eq!(d.class, Class::BothChanged);
        assert!(d.is_conflict());
        let Action::Conflict {
            content,
            base,
            ours,
            theirs,
        } = d.action
        else {
            unreachable!()
        };
        assert!(String::from_utf8(content.unwrap().content)
            .unwrap()
            .starts_with("<<<<<<< ours"));
        assert_eq!(
            (base, ours, theirs),
            (Some(file("a\n")), Some(file("b\n")), Some(file("c\n"))),
            "three index stages"
        );
    }

    #[test]
    fn added_by_both_merges_against_an_empty_base() {
        let d = one(None, Some(file("x\n")), Some(file("y\n")), false);
        assert_eq!(d.class, Class::AddedByBoth);
        assert!(d.is_conflict());
    }

    #[test]
    fn deletions_against_edits() {
        let d = one(Some(file("a")), Some(file("edited")), None, false);
        assert_eq!(d.class, Class::TemplateDeletedUserEdited);
        let Action::Conflict { content, .. } = d.action else {
            panic!("conflict expected")
        };
        assert_eq!(content, Some(file("edited")), "the user's file stays");
        let d = one(Some(file("a")), None, Some(file("changed")), false);
        assert_eq!(
            (d.class, d.action),
            (Class::UserDeletedTemplateChanged, Action::Keep),
            "stays deleted"
        );
    }

    #[test]
    fn binary_files_are_never_text_merged() {
        let bin = |b: u8| FileEntry::new(vec![0, b, 1], false);
        let d = one(Some(bin(1)), Some(bin(2)), Some(bin(3)), false);
        assert_eq!(d.class, Class::BinaryConflict);
        let Action::Conflict { content, .. } = d.action else {
            panic!("conflict expected")
        };
        assert_eq!(content, Some(bin(2)), "ours is kept in the work tree");
        let d = one(Some(bin(1)), Some(bin(1)), Some(bin(3)), false);
        assert_eq!(
            (d.class, d.action),
            (Class::TemplateOnly, Action::Write(bin(3))),
            "one side changed: take it"
        );
    }

    #[test]
    fn exec_bit_changes_merge_separately_from_content() {
        let exec = |text: &str, x: bool| FileEntry::new(text.as_bytes().to_vec(), x);
        let d = one(
            Some(exec("a", false)),
            Some(exec("a", true)),
            Some(exec("a", false)),
            false,
        );
        assert_eq!(d.class, Class::UserOnly);
        let d = one(
            Some(exec("a", false)),
            Some(exec("mine", false)),
            Some(exec("a", true)),
            false,
        );
        assert_eq!(d.class, Class::BothChanged);
        let d = one(
            Some(exec("a", false)),
            Some(exec("b", true)),
            Some(exec("b", false)),
            false,
        );
        assert_eq!(
            (d.class, d.action),
            (Class::ModeChanged, Action::Write(exec("b", true)))
        );
    }

    #[test]
    fn seed_once_files_are_never_touched() {
        let d = one(Some(file("a")), Some(file("mine")), Some(file("new")), true);
        assert_eq!((d.class, d.action), (Class::SeedOnce, Action::Keep));
        let d = one(Some(file("a")), None, Some(file("new")), true);
        assert_eq!(
            (d.class, d.action),
            (Class::SeedOnce, Action::Keep),
            "deleted by the user: stays deleted"
        );
        let d = one(None, None, Some(file("new")), true);
        assert_eq!(
            d.class,
            Class::TemplateAdded,
            "a seed-once file new in this version is seeded"
        );
    }
}
