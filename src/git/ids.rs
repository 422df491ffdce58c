//! Trees known by object ids, not content. An upgrade compares the pristine
//! render, the work tree and the new version path by path; most paths are
//! the same on all three sides, and git can say so from ids it already has
//! (tree entries, the index's stat-clean entries) without reading, inflating
//! or hashing a byte. Only what differs is read.

use std::collections::BTreeMap;
use std::path::Path;

use git2::{ObjectType, Oid, Repository, Status, StatusOptions, TreeWalkMode, TreeWalkResult};

use crate::error::{Error, Result};
use crate::tree::{BlobRef, FileEntry, RelPath, Tree, TreeIds};

fn blob_ref(id: Oid, mode: i32) -> BlobRef {
    let mut bytes = [0u8; 20];
    bytes.copy_from_slice(id.as_bytes());
    BlobRef {
        id: bytes,
        mode: mode as u32,
    }
}

fn oid(r: &BlobRef) -> Oid {
    Oid::from_bytes(&r.id).expect("20 bytes")
}

/// The id git gives `entry` (hashing it, in memory).
pub fn blob_ref_of(entry: &FileEntry) -> BlobRef {
    let id = Oid::hash_object(ObjectType::Blob, &entry.content).expect("hashing in memory");
    blob_ref(id, entry.git_mode())
}

/// Ids of every file of `tree`, hashed in parallel.
pub fn ids_of(tree: &Tree) -> TreeIds {
    use rayon::prelude::*;
    let entries: Vec<(&RelPath, &FileEntry)> = tree.iter().collect();
    entries
        .par_iter()
        .map(|(p, e)| ((*p).clone(), blob_ref_of(e)))
        .collect()
}

/// The id of the git tree object `ids` make, computed in memory (no
/// repository needed): what a commit of exactly these files would point at.
pub fn tree_id(ids: &TreeIds) -> String {
    #[derive(Default)]
    struct Dir<'a> {
        files: BTreeMap<&'a str, BlobRef>,
        dirs: BTreeMap<&'a str, Dir<'a>>,
    }
    let mut root = Dir::default();
    for (path, r) in ids {
        let parts: Vec<&str> = path.components().collect();
        let mut dir = &mut root;
        for part in &parts[..parts.len() - 1] {
            dir = dir.dirs.entry(part).or_default();
        }
        dir.files.insert(parts[parts.len() - 1], *r);
    }
    fn hash(dir: &Dir<'_>) -> Oid {
        // git sorts entries by name, a folder's name as if it ended in `/`.
        let mut entries: Vec<(String, &str, [u8; 20])> = Vec::new();
        for (name, sub) in &dir.dirs {
            let mut id = [0u8; 20];
            id.copy_from_slice(hash(sub).as_bytes());
            entries.push((format!("{name}/"), "40000", id));
        }
        for (name, r) in &dir.files {
            let mode = match r.mode {
                0o120000 => "120000",
                0o100755 => "100755",
                _ => "100644",
            };
            entries.push(((*name).to_string(), mode, r.id));
        }
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        let mut bytes = Vec::new();
        for (name, mode, id) in entries {
            bytes.extend_from_slice(mode.as_bytes());
            bytes.push(b' ');
            bytes.extend_from_slice(name.trim_end_matches('/').as_bytes());
            bytes.push(0);
            bytes.extend_from_slice(&id);
        }
        Oid::hash_object(ObjectType::Tree, &bytes).expect("hashing in memory")
    }
    hash(&root).to_string()
}

/// The files of `commit`'s tree, by id: nothing is inflated.
pub fn commit_ids(repo_path: &Path, commit: &str) -> Result<(String, TreeIds)> {
    let repo = Repository::open(repo_path)?;
    let tree = repo.find_commit(Oid::from_str(commit)?)?.tree()?;
    let mut ids = TreeIds::new();
    tree.walk(TreeWalkMode::PreOrder, |dir, entry| {
        if entry.kind() == Some(ObjectType::Blob) {
            let name = format!("{dir}{}", String::from_utf8_lossy(entry.name_bytes()));
            if let Ok(path) = RelPath::new(&name) {
                ids.insert(path, blob_ref(entry.id(), entry.filemode()));
            }
        }
        TreeWalkResult::Ok
    })?;
    Ok((tree.id().to_string(), ids))
}

/// The blobs `wanted` names, read from the repository at `repo_path`.
pub fn read_blobs<'a>(
    repo_path: &Path,
    wanted: impl IntoIterator<Item = (&'a RelPath, &'a BlobRef)>,
) -> Result<Tree> {
    let repo = Repository::open(repo_path)?;
    let mut tree = Tree::new();
    for (path, r) in wanted {
        let blob = repo.find_blob(oid(r)).map_err(|e| {
            Error::Git(format!(
                "{path}: blob {} is missing: {}",
                r.hex(),
                e.message()
            ))
        })?;
        let content = blob.content().to_vec();
        let entry = match r.mode {
            0o120000 => FileEntry::symlink(content),
            mode => FileEntry::new(content, mode == 0o100755),
        };
        tree.insert(path.clone(), entry);
    }
    Ok(tree)
}

/// One look at the work tree (git's status, by stat data, re-checking racy
/// entries): what is uncommitted, and what is known without reading.
#[derive(Debug, Clone, Default)]
pub struct WorkTreeStatus {
    /// Tracked paths with uncommitted changes, staged or not.
    pub dirty: Vec<String>,
    /// The index entry of every tracked file whose work-tree copy is
    /// unchanged: its content is that blob. Modified, deleted and untracked
    /// files are absent: their content must be read.
    pub clean: TreeIds,
}

pub fn work_tree_status(repo_path: &Path) -> Result<WorkTreeStatus> {
    let repo = Repository::open(repo_path)?;
    let mut options = StatusOptions::new();
    options
        .include_untracked(false)
        .include_ignored(false)
        .exclude_submodules(true);
    let statuses = repo.statuses(Some(&mut options))?;
    let work_tree_changed = Status::WT_MODIFIED
        | Status::WT_DELETED
        | Status::WT_TYPECHANGE
        | Status::WT_RENAMED
        | Status::CONFLICTED;
    let mut dirty = Vec::new();
    let mut changed: std::collections::HashSet<Vec<u8>> = std::collections::HashSet::new();
    for s in statuses.iter() {
        if s.status() != Status::CURRENT {
            dirty.push(String::from_utf8_lossy(s.path_bytes()).into_owned());
        }
        if s.status().intersects(work_tree_changed) {
            changed.insert(s.path_bytes().to_vec());
        }
    }
    let index = repo.index()?;
    let mut clean = TreeIds::new();
    for entry in index.iter() {
        if (entry.flags >> 12) & 0x3 != 0 || changed.contains(&entry.path) {
            continue;
        }
        if let Ok(path) = RelPath::new(&String::from_utf8_lossy(&entry.path)) {
            clean.insert(path, blob_ref(entry.id, entry.mode as i32));
        }
    }
    Ok(WorkTreeStatus { dirty, clean })
}

/// The paths of `ids` whose blobs the repository does not have yet.
pub fn missing_blobs(repo_path: &Path, ids: &TreeIds) -> Result<Vec<RelPath>> {
    let repo = Repository::open(repo_path)?;
    let odb = repo.odb()?;
    Ok(ids
        .iter()
        .filter(|(_, r)| !odb.exists(oid(r)))
        .map(|(p, _)| p.clone())
        .collect())
}

/// A tree already in the repository that a new one mostly repeats: only
/// the folders that differ are written (as `git merge-tree` reuses subtrees).
pub struct Baseline<'a> {
    pub commit: &'a str,
    pub ids: &'a TreeIds,
}

/// Stores the tree `ids` describe as a parentless commit under `reference`,
/// writing the blobs of `new` first (those the repository did not have yet,
/// as `missing_blobs` found).
pub fn store_ids_ref(
    repo_path: &Path,
    ids: &TreeIds,
    new: &Tree,
    baseline: Option<Baseline<'_>>,
    reference: &str,
    message: &str,
) -> Result<String> {
    let repo = Repository::open(repo_path)?;
    for (path, entry) in new.iter() {
        let written = repo.blob(&entry.content)?;
        if ids.get(path).is_some_and(|r| oid(r) != written) {
            return Err(Error::Git(format!("{path}: content does not match its id")));
        }
    }
    let tree_id = if let Some(base) = baseline {
        let base_tree = repo.find_commit(Oid::from_str(base.commit)?)?.tree()?;
        let mut update = git2::build::TreeUpdateBuilder::new();
        for (path, r) in ids {
            if base.ids.get(path) != Some(r) {
                let mode = match r.mode {
                    0o120000 => git2::FileMode::Link,
                    0o100755 => git2::FileMode::BlobExecutable,
                    _ => git2::FileMode::Blob,
                };
                update.upsert(path.as_str(), oid(r), mode);
            }
        }
        for path in base.ids.keys().filter(|p| !ids.contains_key(*p)) {
            update.remove(path.as_str());
        }
        update.create_updated(&repo, &base_tree)?
    } else {
        let blobs: Vec<(&RelPath, (Oid, i32))> = ids
            .iter()
            .map(|(p, r)| (p, (oid(r), r.mode as i32)))
            .collect();
        super::build_tree(&repo, blobs.iter())?
    };
    let tree = repo.find_tree(tree_id)?;
    let signature = super::signature(&repo, None)?;
    Ok(super::commit_to_ref(&repo, &signature, &tree, reference, message)?.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tree_ids_match_gits() {
        let tmp = tempfile::tempdir().unwrap();
        let repo = Repository::init(tmp.path()).unwrap();
        let mut tree = Tree::new();
        tree.insert(
            RelPath::new("a.txt").unwrap(),
            FileEntry::new(b"a\n".to_vec(), false),
        );
        tree.insert(
            RelPath::new("a-b/x").unwrap(),
            FileEntry::new(b"x".to_vec(), true),
        );
        tree.insert(
            RelPath::new("a/y").unwrap(),
            FileEntry::new(b"y".to_vec(), false),
        );
        tree.insert(
            RelPath::new("link").unwrap(),
            FileEntry::symlink(b"a.txt".to_vec()),
        );
        let ids = ids_of(&tree);
        let commit = store_ids_ref(tmp.path(), &ids, &tree, None, "refs/x", "x").unwrap();
        let written = repo
            .find_commit(Oid::from_str(&commit).unwrap())
            .unwrap()
            .tree_id();
        assert_eq!(
            tree_id(&ids),
            written.to_string(),
            "computed in memory as git does"
        );
        let (tree_oid, read) = commit_ids(tmp.path(), &commit).unwrap();
        assert_eq!(tree_oid, written.to_string());
        assert_eq!(read, ids);

        // From a baseline, only what differs is written, and the result is the same tree.
        let mut next = tree.clone();
        next.insert(
            RelPath::new("a/y").unwrap(),
            FileEntry::new(b"y2".to_vec(), false),
        );
        next.remove(&RelPath::new("a-b/x").unwrap());
        next.insert(
            RelPath::new("new/z").unwrap(),
            FileEntry::new(b"z".to_vec(), false),
        );
        let next_ids = ids_of(&next);
        let baseline = Baseline {
            commit: &commit,
            ids: &ids,
        };
        let updated =
            store_ids_ref(tmp.path(), &next_ids, &next, Some(baseline), "refs/y", "y").unwrap();
        let written = repo
            .find_commit(Oid::from_str(&updated).unwrap())
            .unwrap()
            .tree_id();
        assert_eq!(tree_id(&next_ids), written.to_string());
    }
}
