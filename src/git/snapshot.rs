//! The whole index as it will be committed, for checks that look beyond
//! the staged files (does a link in a staged report point at a file that
//! will be in the commit?) and for `check --staged PATHS` (those paths'
//! staged versions).
//!
//! Stage-0 files only (a conflicted path is not committable yet, an
//! intent-to-add entry is not committed). In a sparse index a collapsed
//! folder is one entry naming its tree: its files are looked up in that
//! tree when asked for, not listed up front.

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
    /// `(path, blob id, mode)`, sorted by path: looked up by binary
    /// search. The hook builds a snapshot of every entry of a large index
    /// and asks it about a handful of links, so building must be cheap (a
    /// hash map of 3,000 paths was a quarter of a hook run).
    /// Each path is a range of `names` (one buffer, not a string per
    /// entry).
    pub(crate) files: Vec<(Span, BlobId, FileMode)>,
    /// Every listed path, NFC, one after the other.
    names: String,
    /// Collapsed folders of a sparse index: `(folder, tree)`, sorted.
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

/// Where a path lies in [`IndexSnapshot::names`].
pub(crate) type Span = (usize, usize);

/// A blob's id: as the index parser found it (kept as bytes: the hook
/// builds a snapshot of every entry and reads a handful), or as git's
/// plumbing printed it (hex, SHA-1 or SHA-256).
#[derive(Clone, Debug)]
pub(crate) enum BlobId {
    Oid(Oid),
    Hex(String),
}

impl BlobId {
    fn hex(&self) -> String {
        match self {
            BlobId::Oid(id) => super::hex(*id),
            BlobId::Hex(text) => text.clone(),
        }
    }
}

impl<'r> IndexSnapshot<'r> {
    pub(crate) fn empty(repo: &'r Repo) -> Self {
        IndexSnapshot {
            repo,
            files: Vec::new(),
            names: String::new(),
            sparse: Vec::new(),
        }
    }

    /// Sorts what was added (the index is sorted already, except where NFC
    /// changed a name), so lookups can search.
    fn seal(mut self) -> Self {
        let names = std::mem::take(&mut self.names);
        let name = |span: &Span| &names[span.0..span.1];
        if !self.files.is_sorted_by(|a, b| name(&a.0) <= name(&b.0)) {
            self.files.sort_by(|a, b| name(&a.0).cmp(name(&b.0)));
        }
        self.names = names;
        self.sparse.sort_unstable();
        self
    }

    fn name(&self, span: &Span) -> &str {
        &self.names[span.0..span.1]
    }

    fn entry(&self, path: &str) -> Option<&(Span, BlobId, FileMode)> {
        let at = self
            .files
            .binary_search_by(|(span, _, _)| self.name(span).cmp(path))
            .ok()?;
        self.files.get(at)
    }

    /// Whether some listed file or collapsed folder lies under `folder`.
    fn holds(&self, folder: &str) -> bool {
        let prefix = format!("{folder}/");
        let under = |paths: &mut dyn Iterator<Item = &str>| {
            paths.next().is_some_and(|p| p.starts_with(&prefix))
        };
        let first = self
            .files
            .partition_point(|(span, _, _)| self.name(span) < prefix.as_str());
        let sparse = self
            .sparse
            .partition_point(|(p, _)| p.as_str() < prefix.as_str());
        under(
            &mut self.files[first..]
                .iter()
                .map(|(span, _, _)| self.name(span)),
        ) || under(&mut self.sparse[sparse..].iter().map(|(p, _)| p.as_str()))
            || self.sparse.iter().any(|(p, _)| p == folder)
    }

    fn add_file(&mut self, path: &str, id: BlobId, mode: FileMode) {
        let start = self.names.len();
        self.names.push_str(&nfc(path));
        self.files.push(((start, self.names.len()), id, mode));
    }

    /// From the index file's bytes; `None` when the parser does not handle
    /// them (a split index).
    pub(crate) fn parse(repo: &'r Repo, data: &[u8]) -> Option<Self> {
        Self::of_parsed(repo, &index::parse_entries(data)?)
    }

    /// [`IndexSnapshot::parse`] of an index already parsed.
    pub(crate) fn of_parsed(repo: &'r Repo, parsed: &index::Parsed<'_>) -> Option<Self> {
        let mut snapshot = IndexSnapshot::empty(repo);
        // Sized once: growing by doubling copies the lists, and on a large
        // index the fresh pages cost more than the parsing.
        snapshot.files.reserve_exact(parsed.entries.len());
        let names: usize = parsed.entries.iter().map(|e| e.path.len()).sum();
        snapshot.names.reserve_exact(names);
        for entry in &parsed.entries {
            // `from_utf8` checks ASCII a word at a time; the lossy form
            // goes byte by byte (a tenth of a hook run on 3,000 entries).
            let path = match std::str::from_utf8(&entry.path) {
                Ok(path) => std::borrow::Cow::Borrowed(path),
                Err(_) => String::from_utf8_lossy(&entry.path),
            };
            match entry.what {
                What::File(mode) => {
                    if let Some(mode) = FileMode::from_git(mode) {
                        let id = Oid::from_bytes(entry.id).ok()?;
                        snapshot.add_file(&path, BlobId::Oid(id), mode);
                    }
                }
                What::SparseDir => {
                    let folder = nfc(path.trim_end_matches('/')).into_owned();
                    let tree = Oid::from_bytes(entry.id).ok()?;
                    snapshot.sparse.push((folder, tree));
                }
                What::Other => {}
            }
        }
        Some(snapshot.seal())
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
                snapshot.add_file(&entry.path, BlobId::Hex(entry.id), mode);
            }
        }
        Ok(snapshot.seal())
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
        if self.entry(path).is_some() {
            return true;
        }
        self.in_sparse(path)
            .and_then(|(tree, inside)| self.sparse_entry(tree, inside))
            .is_some_and(|(_, kind, _)| kind == Kind::Blob)
    }

    /// Whether a folder will be committed at `path` (`""` is the root).
    pub fn contains_dir(&self, path: &str) -> bool {
        let path = path.trim_end_matches('/');
        if path.is_empty() || self.holds(path) {
            return true;
        }
        self.in_sparse(path)
            .and_then(|(tree, inside)| self.sparse_entry(tree, inside))
            .is_some_and(|(_, kind, _)| kind == Kind::Tree)
    }

    /// The mode of the file at `path`, if one will be committed there.
    pub fn mode(&self, path: &str) -> Option<FileMode> {
        if let Some((_, _, mode)) = self.entry(path) {
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
        if let Some((_, id, _)) = self.entry(path) {
            return self.repo.blob_by_hex(&id.hex());
        }
        let (tree, inside) = self.in_sparse(path)?;
        let (id, kind, _) = self.sparse_entry(tree, inside)?;
        if kind != Kind::Blob {
            return None;
        }
        self.repo.blob(id)
    }

    /// Every file listed (not those inside collapsed folders), sorted.
    pub fn files(&self) -> Vec<&str> {
        self.files
            .iter()
            .map(|(span, _, _)| self.name(span))
            .collect()
    }
}
