//! `Tree`: an in-memory set of files keyed by `RelPath`.
//!
//! Rendering produces a `Tree`; writing, hashing, committing and merging
//! are operations on trees. `RelPath` is the safety boundary: it can
//! only hold a normalised relative path with no `..`, no root, no empty
//! components and no `.git` component (in any spelling git itself refuses),
//! so a tree can never name a file outside its destination or inside a
//! repository's git directory.

use std::collections::BTreeMap;
use std::fmt;

use sha2::{Digest, Sha256};

/// A normalised, `/`-separated relative path that cannot escape its root.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RelPath(String);

impl RelPath {
    /// Parses and normalises `raw` (`\` is accepted as a separator, `.` and
    /// empty components are dropped). Refuses `..`, absolute paths, drive
    /// prefixes, NUL bytes and `.git` components, explaining why.
    pub fn new(raw: &str) -> Result<RelPath, String> {
        if raw.contains('\0') {
            return Err("contains a NUL byte".into());
        }
        let unified = raw.replace('\\', "/");
        if unified.starts_with('/') {
            return Err("is absolute; only paths relative to the destination are allowed".into());
        }

        let mut parts = Vec::new();
        for part in unified.split('/') {
            match part {
                "" | "." => {}
                ".." => return Err("contains `..`, which would leave the destination".into()),
                p if is_git_dir_alias(p) => {
                    return Err(format!(
                        "has the component `{p}`: the repository's git directory (refused in any spelling, as git does)"
                    ))
                }
                p => parts.push(p),
            }
        }
        if parts.is_empty() {
            return Err("is empty".into());
        }
        let first = parts[0].as_bytes();
        if first.len() >= 2 && first[0].is_ascii_alphabetic() && first[1] == b':' {
            return Err("has a drive prefix; only relative paths are allowed".into());
        }
        Ok(RelPath(parts.join("/")))
    }

    /// A path a template rendered: as strict as `new`, and also refuses empty
    /// and `.` components (a value that rendered as `/x`, `x/` or `a//b`) and
    /// control characters, instead of quietly normalising them away.
    pub fn rendered(raw: &str) -> Result<RelPath, String> {
        if raw.starts_with('/') || raw.starts_with('\\') {
            return Err("is absolute; only paths relative to the destination are allowed".into());
        }
        if let Some(c) = raw.chars().find(|c| c.is_control()) {
            return Err(format!("contains the control character {c:?}"));
        }
        if raw
            .split(['/', '\\'])
            .any(|part| part.is_empty() || part == ".")
        {
            return Err("has an empty or `.` folder name".into());
        }
        RelPath::new(raw)
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

/// Whether a path component names a git directory as git's own
/// `verify_path` sees it: `.git` in any case, its NTFS aliases (`git~1`,
/// trailing dots and spaces, `::$DATA` streams) and its HFS+ aliases (with
/// Unicode code points that HFS+ ignores).
pub fn is_git_dir_alias(component: &str) -> bool {
    const HFS_IGNORED: [char; 16] = [
        '\u{200c}', '\u{200d}', '\u{200e}', '\u{200f}', '\u{202a}', '\u{202b}', '\u{202c}',
        '\u{202d}', '\u{202e}', '\u{206a}', '\u{206b}', '\u{206c}', '\u{206d}', '\u{206e}',
        '\u{206f}', '\u{feff}',
    ];
    let folded: String = component
        .chars()
        .filter(|c| !HFS_IGNORED.contains(c))
        .collect::<String>()
        .to_ascii_lowercase();
    let rest = match folded.strip_prefix(".git") {
        Some(rest) => rest,
        None => match folded.strip_prefix("git~1") {
            Some(rest) => rest,
            None => return false,
        },
    };
    // NTFS drops trailing dots and spaces, and `name:stream` is the same file.
    let before_stream = rest.split(':').next().unwrap_or_default();
    before_stream.chars().all(|c| c == '.' || c == ' ')
}

/// One file's content and the mode bits we carry: executable, or a symbolic
/// link (whose content is its target).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileEntry {
    pub content: Vec<u8>,
    pub executable: bool,
    pub symlink: bool,
}

impl FileEntry {
    pub fn new(content: Vec<u8>, executable: bool) -> Self {
        FileEntry {
            content,
            executable,
            symlink: false,
        }
    }

    /// A symbolic link to `target`.
    pub fn symlink(target: Vec<u8>) -> Self {
        FileEntry {
            content: target,
            executable: false,
            symlink: true,
        }
    }

    /// The git file mode: `100644`, `100755` or `120000`.
    pub fn git_mode(&self) -> i32 {
        match (self.symlink, self.executable) {
            (true, _) => 0o120000,
            (false, true) => 0o100755,
            (false, false) => 0o100644,
        }
    }

    /// `sha256:<hex>` of the content (`symlink:sha256:<hex>` of a link's
    /// target); the exec bit is recorded separately.
    pub fn hash(&self) -> String {
        let digest = Sha256::digest(&self.content);
        let mut out = String::with_capacity(15 + 64);
        if self.symlink {
            out.push_str("symlink:");
        }
        out.push_str("sha256:");
        for byte in digest {
            out.push_str(&format!("{byte:02x}"));
        }
        out
    }

    /// Never text-merged: a symlink, or content git calls binary (a NUL
    /// byte in the first 8,000 bytes). Text in any encoding merges.
    pub fn is_binary(&self) -> bool {
        self.symlink || is_binary(&self.content)
    }

    /// Never rendered by a template engine: binary, or not UTF-8.
    pub fn is_verbatim(&self) -> bool {
        self.is_binary() || std::str::from_utf8(&self.content).is_err()
    }
}

/// git's rule (`buffer_is_binary`): a NUL byte in the first 8,000 bytes.
pub fn is_binary(content: &[u8]) -> bool {
    let head = &content[..content.len().min(8000)];
    head.contains(&0)
}

/// Where a symlink at `link` pointing at `target` leads, as a path inside
/// the same tree; an error when it would leave the tree or enter `.git`.
pub fn symlink_destination(link: &RelPath, target: &[u8]) -> Result<RelPath, String> {
    let target =
        std::str::from_utf8(target).map_err(|_| "has a target that is not UTF-8".to_string())?;
    if target.is_empty() {
        return Err("has an empty target".into());
    }
    let unified = target.replace('\\', "/");
    if unified.starts_with('/') || (unified.len() >= 2 && unified.as_bytes()[1] == b':') {
        return Err(format!(
            "points at the absolute path `{target}`, outside the repository"
        ));
    }
    let mut parts: Vec<&str> = match link.0.rsplit_once('/') {
        Some((parent, _)) => parent.split('/').collect(),
        None => Vec::new(),
    };
    for part in unified.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Err(format!("points at `{target}`, outside the repository"));
                }
            }
            p => parts.push(p),
        }
    }
    if parts.is_empty() {
        return Err(format!("points at `{target}`, the repository's root"));
    }
    RelPath::new(&parts.join("/")).map_err(|why| format!("points at `{target}`, which {why}"))
}

/// What git knows of a file without reading it: its blob id and file mode
/// (`100644`, `100755` or `120000`). Two entries are equal exactly when
/// their `BlobRef`s are, so comparisons need no content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct BlobRef {
    pub id: [u8; 20],
    pub mode: u32,
}

impl BlobRef {
    /// The id in hex, as git prints it.
    pub fn hex(&self) -> String {
        self.id.iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// A `BlobRef` per path: a tree known by ids only.
pub type TreeIds = BTreeMap<RelPath, BlobRef>;

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
        assert!(RelPath::new("./c:/x").is_err(), "a drive after normalising");
        assert_eq!(
            RelPath::new("./.:/").unwrap().as_str(),
            ".:",
            "found by fuzzing"
        );
        assert_eq!(RelPath::new(".:").unwrap().as_str(), ".:");
        assert!(RelPath::new("").is_err());
        assert!(RelPath::new("./").is_err());
    }

    #[test]
    fn relpath_refuses_every_spelling_of_the_git_directory() {
        for bad in [
            ".git",
            ".git/config",
            "a/.git/hooks/pre-commit",
            ".GIT/config",
            ".Git",
            "git~1/config",
            "GIT~1",
            ".git.",
            ".git ",
            ".git. . ",
            ".git::$INDEX_ALLOCATION/config",
            ".g\u{200c}it/config",
            "\u{feff}.git",
        ] {
            let err = RelPath::new(bad).unwrap_err();
            assert!(err.contains("git directory"), "{bad:?}: {err}");
        }
        for good in [
            ".github/workflows/ci.yml",
            ".gitignore",
            ".gitattributes",
            "git",
            "a.git",
            ".gitkeep",
            "x/.git-blame-ignore-revs",
        ] {
            assert!(RelPath::new(good).is_ok(), "{good}");
        }
    }

    #[test]
    fn rendered_paths_are_strict() {
        assert!(RelPath::rendered("/etc/passwd")
            .unwrap_err()
            .contains("absolute"));
        assert!(RelPath::rendered("a//b").unwrap_err().contains("empty"));
        assert!(RelPath::rendered("a/b/").unwrap_err().contains("empty"));
        assert!(RelPath::rendered("./a").unwrap_err().contains("empty"));
        assert!(RelPath::rendered("a\x1b[31m")
            .unwrap_err()
            .contains("control"));
        assert!(RelPath::rendered("src/.git/hooks/x").is_err());
        assert_eq!(
            RelPath::rendered("src/com/acme/App.java").unwrap().as_str(),
            "src/com/acme/App.java"
        );
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
    fn binary_detection_is_gits() {
        assert!(is_binary(b"\x89PNG\r\n\x1a\n\0\0"));
        assert!(!is_binary(&[0xe9, 0x74, 0xe9]), "ISO-8859-1 text is text");
        assert!(
            FileEntry::new(vec![0xe9, 0x74, 0xe9], false).is_verbatim(),
            "but never rendered"
        );
        assert!(!is_binary("héllo {{ x }}".as_bytes()));
        let mut late_nul = vec![b'a'; 8000];
        late_nul.push(0);
        assert!(
            !is_binary(&late_nul),
            "git looks at the first 8,000 bytes only"
        );
        assert!(FileEntry::symlink(b"x".to_vec()).is_binary());
    }

    #[test]
    fn symlinks_stay_inside_the_tree() {
        let link = RelPath::new("docs/current").unwrap();
        assert_eq!(
            symlink_destination(&link, b"../src/v2").unwrap().as_str(),
            "src/v2"
        );
        assert_eq!(
            symlink_destination(&link, b"v2").unwrap().as_str(),
            "docs/v2"
        );
        assert!(symlink_destination(&link, b"../../etc")
            .unwrap_err()
            .contains("outside"));
        assert!(symlink_destination(&link, b"/etc/passwd")
            .unwrap_err()
            .contains("absolute"));
        assert!(symlink_destination(&link, b"../.git/config")
            .unwrap_err()
            .contains("git directory"));
        assert!(symlink_destination(&link, b"..")
            .unwrap_err()
            .contains("root"));
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
