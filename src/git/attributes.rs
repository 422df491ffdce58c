//! A repository's `.gitattributes`, read as git reads them: which files
//! `git add` normalises, and which git merges as binary.

use std::path::Path;

use git2::Repository;

use crate::tree::RelPath;

/// A repository's `.gitattributes`, as `git merge` reads them.
pub struct Attributes {
    repo: Repository,
}

impl Attributes {
    /// The value of attribute `name` for `path`: the work tree's
    /// `.gitattributes` first, then the index's, as git reads them.
    fn attr(&self, path: &RelPath, name: &str) -> Option<git2::AttrValue<'_>> {
        self.repo
            .get_attr_bytes(
                Path::new(path.as_str()),
                name,
                git2::AttrCheckFlags::FILE_THEN_INDEX,
            )
            .ok()
            .flatten()
            .map(|v| git2::AttrValue::from_bytes(Some(v)))
    }

    /// `None` when `repo_path` is no repository (nothing is marked then).
    pub fn open(repo_path: &Path) -> Option<Attributes> {
        Repository::open(repo_path)
            .ok()
            .map(|repo| Attributes { repo })
    }

    /// Whether `git add` normalises `path`'s line endings: `text` set, or
    /// `text=auto` (also implied by an `eol` alone) and `content` not binary.
    pub fn is_normalised_text(&self, path: &RelPath, content: &[u8]) -> bool {
        let attr = |name: &str| self.attr(path, name);
        match attr("text") {
            Some(git2::AttrValue::True) => true,
            Some(git2::AttrValue::Bytes(b)) if b == b"auto" => !crate::tree::is_binary(content),
            None | Some(git2::AttrValue::Unspecified) => {
                attr("eol").is_some_and(|v| !matches!(v, git2::AttrValue::Unspecified))
                    && !crate::tree::is_binary(content)
            }
            _ => false,
        }
    }

    /// Whether git would merge `path` as binary: `binary`, `-text`, `-merge`
    /// or `merge=binary` (work tree first, then the index, as git does).
    pub fn is_binary(&self, path: &RelPath) -> bool {
        let attr = |name: &str| self.attr(path, name);
        let is_false = |v: Option<git2::AttrValue<'_>>| matches!(v, Some(git2::AttrValue::False));
        is_false(attr("merge"))
            || is_false(attr("text"))
            || matches!(attr("merge"), Some(git2::AttrValue::Bytes(b)) if b == b"binary")
    }
}
