//! The whole index as it will be committed, for checks that look beyond
//! the staged files (does a link in a staged report point at a file that
//! will be in the commit?) and for `check --staged PATHS` (those paths'
//! staged versions).
//!
//! Stage-0 files only (a conflicted path is not committable yet, an
//! intent-to-add entry is not committed). In a sparse index a collapsed
//! folder is one entry naming its tree: its files are looked up in that
//! tree when asked for, not listed up front.

use std::collections::{HashMap, HashSet};

use git2::Oid;

use crate::text::nfc;

use super::index::{self, What};
use super::plumbing::Git;
use super::tree::{Kind, Trees};
use super::{FileMode, Repo};

/// The index as it will be committed. Paths are repository-relative,
/// `/`-separated and NFC, as milepost prints them.
pub struct IndexSnapshot<'r> {
    pub(crate) repo: &'r Repo,
    /// Path → (blob id in hex, mode).
    pub(crate) files: HashMap<String, (String, FileMode)>,
    /// Every folder that holds a listed file (not the root).
    pub(crate) dirs: HashSet<String>,
    /// Collapsed folders of a sparse index: `(folder, tree)`.
    pub(crate) sparse: Vec<(String, Oid)>,
}

impl std::fmt::Debug for IndexSnapshot<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IndexSnapshot")
            .field("files", &self.files.len())
            .field("sparse", &self.sparse)
            .finish()
    }
}

impl<'r> IndexSnapshot<'r> {
    fn empty(repo: &'r Repo) -> Self {
        IndexSnapshot {
            repo,
            files: HashMap::new(),
            dirs: HashSet::new(),
            sparse: Vec::new(),
        }
    }

    /// Records the folders above `path`.
    fn add_parents(&mut self, path: &str) {
        let mut folder = path;
        while let Some((parent, _)) = folder.rsplit_once('/') {
            if !self.dirs.insert(parent.to_owned()) {
                break;
            }
            folder = parent;
        }
    }

    fn add_file(&mut self, path: &str, id: String, mode: FileMode) {
        let path = nfc(path).into_owned();
        self.add_parents(&path);
        self.files.insert(path, (id, mode));
    }

    /// From the index file's bytes; `None` when the parser does not handle
    /// them (a split index).
    pub(crate) fn parse(repo: &'r Repo, data: &[u8]) -> Option<Self> {
        let parsed = index::parse(data)?;
        let mut snapshot = IndexSnapshot::empty(repo);
        for entry in &parsed.entries {
            let path = String::from_utf8_lossy(&entry.path);
            match entry.what {
                What::File(mode) => {
                    if let Some(mode) = FileMode::from_git(mode) {
                        let id = super::hex(Oid::from_bytes(entry.id).ok()?);
                        snapshot.add_file(&path, id, mode);
                    }
                }
                What::SparseDir => {
                    let folder = nfc(path.trim_end_matches('/')).into_owned();
                    let tree = Oid::from_bytes(entry.id).ok()?;
                    snapshot.add_parents(&folder);
                    snapshot.dirs.insert(folder.clone());
                    snapshot.sparse.push((folder, tree));
                }
                What::Other => {}
            }
        }
        Some(snapshot)
    }

    /// From `git ls-files --stage` (which expands a sparse index).
    pub(crate) fn from_git(repo: &'r Repo, git: &Git) -> crate::error::Result<Self> {
        let entries = git
            .ls_files()
            .map_err(|failure| repo.error(failure.to_string()))?;
        let mut snapshot = IndexSnapshot::empty(repo);
        for entry in entries {
            if entry.stage != 0 {
                continue;
            }
            if let Some(mode) = FileMode::from_git(entry.mode) {
                snapshot.add_file(&entry.path, entry.id, mode);
            }
        }
        Ok(snapshot)
    }

    /// The collapsed folder holding `path`, and the path inside it.
    fn in_sparse<'p>(&self, path: &'p str) -> Option<(Oid, &'p str)> {
        self.sparse.iter().find_map(|(folder, tree)| {
            let inside = path.strip_prefix(folder.as_str())?.strip_prefix('/')?;
            Some((*tree, inside))
        })
    }

    /// What a collapsed folder's tree has at `inside`.
    fn sparse_entry(&self, tree: Oid, inside: &str) -> Option<(Oid, Kind, u32)> {
        let odb = self.repo.odb()?;
        let mut trees = Trees::new(odb);
        let (id, kind) = trees.lookup(tree, inside).ok()??;
        let mode = trees.lookup_mode(tree, inside).ok()??;
        Some((id, kind, mode))
    }

    /// Whether a file (or symbolic link) will be committed at `path`.
    pub fn contains_file(&self, path: &str) -> bool {
        if self.files.contains_key(path) {
            return true;
        }
        self.in_sparse(path)
            .and_then(|(tree, inside)| self.sparse_entry(tree, inside))
            .is_some_and(|(_, kind, _)| kind == Kind::Blob)
    }

    /// Whether a folder will be committed at `path` (`""` is the root).
    pub fn contains_dir(&self, path: &str) -> bool {
        let path = path.trim_end_matches('/');
        if path.is_empty() || self.dirs.contains(path) {
            return true;
        }
        self.in_sparse(path)
            .and_then(|(tree, inside)| self.sparse_entry(tree, inside))
            .is_some_and(|(_, kind, _)| kind == Kind::Tree)
    }

    /// The mode of the file at `path`, if one will be committed there.
    pub fn mode(&self, path: &str) -> Option<FileMode> {
        if let Some((_, mode)) = self.files.get(path) {
            return Some(*mode);
        }
        let (tree, inside) = self.in_sparse(path)?;
        let (_, kind, mode) = self.sparse_entry(tree, inside)?;
        (kind == Kind::Blob).then(|| FileMode::from_git(mode))?
    }

    /// The staged content of the file at `path` (a symbolic link's is its
    /// target's name); `None` if no file will be committed there or its
    /// blob is missing.
    pub fn content(&self, path: &str) -> Option<Vec<u8>> {
        if let Some((id, _)) = self.files.get(path) {
            return self.repo.blob(id);
        }
        let (tree, inside) = self.in_sparse(path)?;
        let (id, kind, _) = self.sparse_entry(tree, inside)?;
        if kind != Kind::Blob {
            return None;
        }
        self.repo.blob(&super::hex(id))
    }

    /// Every file listed (not those inside collapsed folders), sorted.
    pub fn files(&self) -> Vec<&str> {
        let mut paths: Vec<&str> = self.files.keys().map(String::as_str).collect();
        paths.sort_unstable();
        paths
    }
}
