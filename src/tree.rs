//! `Tree`: an in-memory set of files keyed by `RelPath`.
//!
//! Rendering produces a `Tree`; writing, hashing, committing and (later)
//! merging are operations on trees. `RelPath` is the safety boundary: it can
//! only hold a normalised relative path with no `..`, no root and no empty
//! components, so a tree can never name a file outside its destination.

use std::collections::BTreeMap;
use std::fmt;

use sha2::{Digest, Sha256};

/// A normalised, `/`-separated relative path that cannot escape its root.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RelPath(String);

impl RelPath {
    /// Parses and normalises `raw` (`\` is accepted as a separator, `.` and
    /// empty components are dropped). Refuses `..`, absolute paths, drive
    /// prefixes and NUL bytes, explaining why.
    pub fn new(raw: &str) -> Result<RelPath, String> {
        if raw.contains('\0') {
            return Err("contains a NUL byte".into());
        }
        let unified = raw.replace('\\', "/");
        if unified.starts_with('/') {
            return Err("is absolute; only paths relative to the destination are allowed".into());
        }
        if unified.len() >= 2 && unified.as_bytes()[1] == b':' {
            return Err("has a drive prefix; only relative paths are allowed".into());
        }
        let mut parts = Vec::new();
        for part in unified.split('/') {
            match part {
                "" | "." => continue,
                ".." => return Err("contains `..`, which would leave the destination".into()),
                p => parts.push(p),
            }
        }
        if parts.is_empty() {
            return Err("is empty".into());
        }
        Ok(RelPath(parts.join("/")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The components, in order.
    pub fn components(&self) -> impl Iterator<Item = &str> {
        self.0.split('/')
    }

    /// The parent folder, if any.
    pub fn parent(&self) -> Option<RelPath> {
        self.0.rsplit_once('/').map(|(p, _)| RelPath(p.to_string()))
    }

    pub fn file_name(&self) -> &str {
        self.0.rsplit('/').next().unwrap_or(&self.0)
    }

    /// `self` with `prefix/` removed, when `self` lies under `prefix`.
    pub fn strip_prefix(&self, prefix: &str) -> Option<RelPath> {
        let prefix = prefix.trim_end_matches('/');
        self.0
            .strip_prefix(prefix)
            .and_then(|rest| rest.strip_prefix('/'))
            .filter(|rest| !rest.is_empty())
            .map(|rest| RelPath(rest.to_string()))
    }
}

impl fmt::Display for RelPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One file's content and the one mode bit we carry: executable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileEntry {
    pub content: Vec<u8>,
    pub executable: bool,
}

impl FileEntry {
    pub fn new(content: Vec<u8>, executable: bool) -> Self {
        FileEntry {
            content,
            executable,
        }
    }

    /// `sha256:<hex>` of the content; the exec bit is recorded separately.
    pub fn hash(&self) -> String {
        let digest = Sha256::digest(&self.content);
        let mut out = String::with_capacity(7 + 64);
        out.push_str("sha256:");
        for byte in digest {
            out.push_str(&format!("{byte:02x}"));
        }
        out
    }

    /// Binary files are never rendered or text-merged: anything with a NUL
    /// byte in its first 8 KiB or that is not UTF-8 (the heuristic git uses,
    /// plus the UTF-8 check that template engines need).
    pub fn is_binary(&self) -> bool {
        is_binary(&self.content)
    }
}

pub fn is_binary(content: &[u8]) -> bool {
    let head = &content[..content.len().min(8192)];
    head.contains(&0) || std::str::from_utf8(content).is_err()
}

/// An ordered map of files. Folders are implied by the paths.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tree {
    files: BTreeMap<RelPath, FileEntry>,
}

impl Tree {
    pub fn new() -> Self {
        Tree::default()
    }

    pub fn insert(&mut self, path: RelPath, entry: FileEntry) -> Option<FileEntry> {
        self.files.insert(path, entry)
    }

    pub fn get(&self, path: &RelPath) -> Option<&FileEntry> {
        self.files.get(path)
    }

    pub fn remove(&mut self, path: &RelPath) -> Option<FileEntry> {
        self.files.remove(path)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&RelPath, &FileEntry)> {
        self.files.iter()
    }

    pub fn paths(&self) -> impl Iterator<Item = &RelPath> {
        self.files.keys()
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    pub fn total_bytes(&self) -> u64 {
        self.files.values().map(|f| f.content.len() as u64).sum()
    }

    /// Hash of every file, by path (what the lock records).
    pub fn hashes(&self) -> BTreeMap<String, String> {
        use rayon::prelude::*;
        let entries: Vec<(&RelPath, &FileEntry)> = self.files.iter().collect();
        entries
            .par_iter()
            .map(|(p, f)| (p.to_string(), f.hash()))
            .collect()
    }
}

impl FromIterator<(RelPath, FileEntry)> for Tree {
    fn from_iter<I: IntoIterator<Item = (RelPath, FileEntry)>>(iter: I) -> Self {
        Tree {
            files: iter.into_iter().collect(),
        }
    }
}

impl IntoIterator for Tree {
    type Item = (RelPath, FileEntry);
    type IntoIter = std::collections::btree_map::IntoIter<RelPath, FileEntry>;
    fn into_iter(self) -> Self::IntoIter {
        self.files.into_iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relpath_normalises_and_refuses_escapes() {
        assert_eq!(RelPath::new("a/./b//c").unwrap().as_str(), "a/b/c");
        assert_eq!(RelPath::new("a\\b").unwrap().as_str(), "a/b");
        assert!(RelPath::new("../x").unwrap_err().contains(".."));
        assert!(RelPath::new("a/../../x").is_err());
        assert!(RelPath::new("/etc/passwd")
            .unwrap_err()
            .contains("absolute"));
        assert!(RelPath::new("C:/x").is_err());
        assert!(RelPath::new("").is_err());
        assert!(RelPath::new("./").is_err());
    }

    #[test]
    fn relpath_parts() {
        let p = RelPath::new("deploy/helm/app/values.yaml").unwrap();
        assert_eq!(p.file_name(), "values.yaml");
        assert_eq!(p.parent().unwrap().as_str(), "deploy/helm/app");
        assert_eq!(
            p.strip_prefix("deploy/").unwrap().as_str(),
            "helm/app/values.yaml"
        );
        assert!(p.strip_prefix("dep").is_none());
    }

    #[test]
    fn binary_detection() {
        assert!(is_binary(b"\x89PNG\r\n\x1a\n\0\0"));
        assert!(is_binary(&[0xff, 0xfe, 0x41]));
        assert!(!is_binary("héllo {{ x }}".as_bytes()));
    }

    #[test]
    fn hash_is_sha256() {
        let f = FileEntry::new(b"abc".to_vec(), false);
        assert_eq!(
            f.hash(),
            "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
