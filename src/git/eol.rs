//! Line endings as `git add` stores them: the initial commit of `new` holds
//! what git's clean filter would, so a new repository's `git status` is clean
//! even when the render has CRLF files under `eol=crlf`.

use std::path::Path;

use git2::Repository;

use super::{Attributes, Blob};
use crate::error::Result;
use crate::tree::{RelPath, Tree};

/// The blobs as `git add` would store them: a text file (by the rendered
/// `.gitattributes`) whose lines end in CRLF is stored with LF, as git's
/// clean filter does, so the new repository's `git status` is clean (a
/// `*.cmd text eol=crlf` script is CRLF on disk, LF in the commit). The
/// pristine render keeps the bytes as rendered, like the work tree, which is
/// what upgrades compare.
pub(super) fn as_git_adds<'t>(
    repo: &Repository,
    dest: &Path,
    tree: &Tree,
    blobs: &[(&'t RelPath, Blob)],
) -> Result<Vec<(&'t RelPath, Blob)>> {
    let Some(attributes) = Attributes::open(dest) else {
        return Ok(blobs.to_vec());
    };
    blobs
        .iter()
        .map(|&(path, (id, mode))| {
            let entry = tree.get(path).expect("blobs are of the tree");
            if entry.symlink || !entry.content.windows(2).any(|w| w == b"\r\n") {
                return Ok((path, (id, mode)));
            }
            if !attributes.is_normalised_text(path, &entry.content) {
                return Ok((path, (id, mode)));
            }
            let lf = crlf_to_lf(&entry.content);
            Ok((path, (repo.blob(&lf)?, mode)))
        })
        .collect()
}

/// `content` with every CRLF turned into LF (a lone CR stays, as in git).
fn crlf_to_lf(content: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(content.len());
    let mut bytes = content.iter().peekable();
    while let Some(&b) = bytes.next() {
        if b == b'\r' && bytes.peek() == Some(&&b'\n') {
            continue;
        }
        out.push(b);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crlf_becomes_lf_and_a_lone_cr_stays() {
        assert_eq!(crlf_to_lf(b"a\r\nb\r\n"), b"a\nb\n");
        assert_eq!(crlf_to_lf(b"a\rb\r\r\n"), b"a\rb\r\n");
        assert_eq!(crlf_to_lf(b"\r"), b"\r");
    }
}
