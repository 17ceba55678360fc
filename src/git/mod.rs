//! Everything milepost asks of git, and the only module that touches git2.
//!
//! - [`Repo::discover`] finds the repository around a folder (a bare one is
//!   an error: reports live in a working tree).
//! - [`Repo::staged`] gives the pre-commit hook what is about to be
//!   committed, read from the index, not from the working tree: a file
//!   staged and then edited again is checked as it will be committed.
//! - [`Repo::changed_since`] gives CI the files a pull request touched.
//! - [`Repo::history`] tells when each report was really published, and
//!   every later version of it, in one walk over the commit graph.
//!
//! Why not `git log --follow`: it follows one file at a time (10,000
//! reports would be 10,000 walks), and it follows *copies*: a new week's
//! report made by copying last week's and editing it would inherit last
//! week's publication date. Here only **moves** are followed (a path that
//! disappears in the same commit), so a docs reorganisation keeps every
//! report's first date, and a copy is a new report. The details, and the
//! treatment of merges and shallow clones, are in `history.rs`; the
//! incremental cache is in `cache.rs`; the tree comparison that makes one
//! walk over 100,000 commits affordable is in `tree.rs`, the commit graph
//! in `graph.rs`, the second thread of a cold walk in `prefetch.rs`, and the
//! index reader of the pre-commit hook in `index.rs`.
//!
//! All paths are repository-relative and `/`-separated, as git stores them.

mod cache;
mod graph;
mod history;
mod index;
mod prefetch;
mod similar;
mod tree;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, FixedOffset, Offset, Utc};
use git2::{ErrorCode, Oid, Repository};

use crate::error::{Error, Result};

use self::tree::{Change, Kind, Trees};

/// A git repository with a working tree.
pub struct Repo {
    repo: Repository,
    workdir: PathBuf,
}

impl std::fmt::Debug for Repo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Repo")
            .field("workdir", &self.workdir)
            .finish()
    }
}

/// A file as it is staged in the index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StagedFile {
    /// Repository-relative, `/`-separated.
    pub path: String,
    /// The staged content (the index blob), not the working tree's.
    pub content: Vec<u8>,
}

/// A commit, as reports cite it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommitInfo {
    /// Full hex id.
    pub id: String,
    /// The first 7 hex digits.
    pub short: String,
    /// Author name. Shared between the commits of one author: a history
    /// of 10,000 reports cites ~70,000 commits by a few dozen people.
    pub author: Arc<str>,
    pub email: Arc<str>,
    /// Author time, with the author's offset: when the change was written
    /// (what `git log` shows).
    pub time: DateTime<FixedOffset>,
    /// Committer time: when the commit entered history. "Earliest" between
    /// candidates is decided on this one.
    pub committed: DateTime<FixedOffset>,
}

/// The publication history of one path at HEAD.
///
/// Commits are shared ([`Arc`]): 10,000 histories cite about 70,000
/// commits, and cloning each (four strings) was a quarter of a cached run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileHistory {
    /// The commit that first added it, following moves (not copies).
    pub first: Arc<CommitInfo>,
    /// The newest commit (in topological order from HEAD) that changed its
    /// content or its path.
    pub last: Arc<CommitInfo>,
    /// Every commit that changed the blob, oldest first, with the blob id
    /// (hex): the first entry is the addition. Pure moves are not versions
    /// (the content is the same); they do count for `last`.
    pub versions: Vec<(Arc<CommitInfo>, String)>,
    /// `first` is not a fact: it is the boundary of a shallow clone, or a
    /// commit whose parents are missing from the store, so the file may be
    /// older.
    pub boundary: bool,
}

/// The result of [`Repo::history`].
#[derive(Clone, Debug, Default)]
pub struct History {
    /// Every selected path at HEAD.
    pub files: HashMap<String, FileHistory>,
    /// The clone is shallow: dates at its boundary are not facts (see
    /// [`FileHistory::boundary`]).
    pub shallow: bool,
    /// What could not be read (objects missing from the store) and what
    /// was approximated; empty when the history is complete.
    pub notes: Vec<String>,
    /// Commits visited by this run's walk (0 when the cache was current).
    pub walked: usize,
    /// The HEAD commit the history was computed at; `None` before the first
    /// commit.
    pub head: Option<String>,
}

impl Repo {
    /// Opens the repository whose working tree contains `dir`; `Ok(None)`
    /// if there is none. A bare repository is an error.
    pub fn discover(dir: &Path) -> Result<Option<Repo>> {
        configure_libgit2();
        let repo = match Repository::discover(dir) {
            Ok(repo) => repo,
            Err(err) if err.code() == ErrorCode::NotFound => return Ok(None),
            Err(err) => {
                return Err(Error::Repository {
                    path: dir.to_path_buf(),
                    message: format!("cannot open the git repository: {}", err.message()),
                });
            }
        };
        let Some(workdir) = repo.workdir() else {
            return Err(Error::Repository {
                path: repo.path().to_path_buf(),
                message:
                    "is a bare repository: run milepost in a working tree (a clone or a worktree)"
                        .into(),
            });
        };
        let workdir = workdir
            .canonicalize()
            .unwrap_or_else(|_| workdir.to_path_buf());
        Ok(Some(Repo { repo, workdir }))
    }

    /// The root of the working tree.
    pub fn workdir(&self) -> &Path {
        &self.workdir
    }

    /// Whether this is a shallow clone (history is cut off).
    pub fn is_shallow(&self) -> bool {
        self.repo.is_shallow()
    }

    fn fail(&self, err: &git2::Error) -> Error {
        self.error(err.message())
    }

    fn error(&self, message: impl Into<String>) -> Error {
        Error::Repository {
            path: self.workdir.clone(),
            message: message.into(),
        }
    }

    fn head_tree(&self) -> Result<Option<Oid>> {
        match history::head_commit(&self.repo).map_err(|e| self.fail(&e))? {
            Some(id) => {
                let commit = self.repo.find_commit(id).map_err(|e| self.fail(&e))?;
                Ok(Some(commit.tree_id()))
            }
            None => Ok(None),
        }
    }

    /// Paths staged in the index that differ from HEAD (added, modified,
    /// renamed-to; not deleted), with their staged content, sorted by path.
    /// Before the first commit everything in the index is staged.
    ///
    /// The index is the one git uses: `GIT_INDEX_FILE` when it is set (git
    /// sets it for hooks during `git commit <paths>` and `git commit -a`,
    /// whose index is not `.git/index`), else the repository's (a
    /// worktree's own). It is read directly and compared with HEAD folder
    /// by folder, skipping folders whose cached tree id is HEAD's (see
    /// `index.rs`); when that is not possible, libgit2 turns the index into
    /// a tree, in memory, and that is compared.
    pub fn staged(&self) -> Result<Vec<StagedFile>> {
        let head_tree = self.head_tree()?;
        let index_path = self.index_path();
        let mut trees = Trees::new(self.repo.odb().map_err(|e| self.fail(&e))?);
        let fast = std::fs::read(&index_path)
            .ok()
            .and_then(|data| index::staged(&data, head_tree, &mut trees));
        let mut paths = match fast {
            Some(paths) => paths,
            None => self.staged_by_libgit2(&index_path, head_tree)?,
        };
        paths.sort();
        paths
            .into_iter()
            .map(|(path, id)| {
                let blob = trees
                    .odb()
                    .read(id)
                    .map_err(|e| self.error(format!("{path}: {}", e.message())))?;
                Ok(StagedFile {
                    path,
                    content: blob.data().to_vec(),
                })
            })
            .collect()
    }

    fn index_path(&self) -> PathBuf {
        match std::env::var_os("GIT_INDEX_FILE") {
            Some(path) if !path.is_empty() => {
                let path = PathBuf::from(path);
                match std::env::current_dir() {
                    Ok(cwd) if path.is_relative() => cwd.join(path),
                    _ => path,
                }
            }
            _ => self.repo.path().join("index"),
        }
    }

    /// The index turned into a tree by libgit2 and compared with HEAD by
    /// tree id. The tree objects go to an in-memory object store on a
    /// private handle of the repository: nothing is written to `.git`.
    fn staged_by_libgit2(
        &self,
        index_path: &Path,
        head_tree: Option<Oid>,
    ) -> Result<Vec<(String, Oid)>> {
        let fresh = Repository::open(self.repo.path()).map_err(|e| self.fail(&e))?;
        let odb = fresh.odb().map_err(|e| self.fail(&e))?;
        let _mempack = odb
            .add_new_mempack_backend(1000)
            .map_err(|e| self.fail(&e))?;
        let mut index = git2::Index::open(index_path).map_err(|e| self.fail(&e))?;
        let mut trees = Trees::new(fresh.odb().map_err(|e| self.fail(&e))?);
        let mut paths: Vec<(String, Oid)> = Vec::new();
        match index.write_tree_to(&fresh) {
            Ok(index_tree) => {
                let mut changes = Vec::new();
                trees
                    .diff(head_tree, Some(index_tree), "", &mut changes)
                    .map_err(|e| self.fail(&e))?;
                paths.extend(changes.into_iter().filter_map(|change| match change {
                    Change::Added { path, id } | Change::Modified { path, new: id, .. } => {
                        Some((path, id))
                    }
                    Change::Deleted { .. } => None,
                }));
            }
            // A conflicted index cannot become a tree: compare entry by
            // entry, skipping the conflicted paths.
            Err(_) => {
                let mut head_files = Vec::new();
                if let Some(tree) = head_tree {
                    trees
                        .files(tree, "", &mut head_files)
                        .map_err(|e| self.fail(&e))?;
                }
                let head_files: HashMap<String, Oid> = head_files.into_iter().collect();
                for entry in index.iter() {
                    let stage = (entry.flags >> 12) & 0x3;
                    if stage != 0 || entry.mode & 0o170000 == 0o160000 {
                        continue;
                    }
                    let path = String::from_utf8_lossy(&entry.path).into_owned();
                    if head_files.get(&path) != Some(&entry.id) {
                        paths.push((path, entry.id));
                    }
                }
            }
        }
        Ok(paths)
    }

    /// The content of `path` at HEAD; `None` if it is not a file there (or
    /// there is no commit yet).
    pub fn read_head(&self, path: &str) -> Result<Option<Vec<u8>>> {
        let Some(tree) = self.head_tree()? else {
            return Ok(None);
        };
        let mut trees = Trees::new(self.repo.odb().map_err(|e| self.fail(&e))?);
        match trees.lookup(tree, path).map_err(|e| self.fail(&e))? {
            Some((id, Kind::Blob)) => {
                let blob = trees.odb().read(id).map_err(|e| self.fail(&e))?;
                Ok(Some(blob.data().to_vec()))
            }
            _ => Ok(None),
        }
    }

    /// Paths added, modified or renamed (new name) between the merge base
    /// of `reference` and HEAD, and HEAD: what a pull request changed.
    /// `reference` is any revision (branch, tag, id, `origin/main`).
    pub fn changed_since(&self, reference: &str) -> Result<Vec<String>> {
        let object = self.repo.revparse_single(reference).map_err(|e| {
            self.error(format!(
                "unknown revision '{reference}' ({}); fetch it first (in CI, with enough depth)",
                e.message()
            ))
        })?;
        let target = object
            .peel_to_commit()
            .map_err(|e| self.error(format!("'{reference}' is not a commit ({})", e.message())))?;
        let head = history::head_commit(&self.repo)
            .map_err(|e| self.fail(&e))?
            .ok_or_else(|| self.error("HEAD has no commit yet"))?;
        let base = self.repo.merge_base(target.id(), head).map_err(|e| {
            self.error(format!(
                "'{reference}' and HEAD have no common ancestor ({}); in a shallow clone, fetch more history",
                e.message()
            ))
        })?;
        let tree_of = |id: Oid| {
            self.repo
                .find_commit(id)
                .map(|c| c.tree_id())
                .map_err(|e| self.fail(&e))
        };
        let mut trees = Trees::new(self.repo.odb().map_err(|e| self.fail(&e))?);
        let mut changes = Vec::new();
        trees
            .diff(Some(tree_of(base)?), Some(tree_of(head)?), "", &mut changes)
            .map_err(|e| self.fail(&e))?;
        let mut paths: Vec<String> = changes
            .into_iter()
            .filter_map(|change| match change {
                Change::Added { path, .. } | Change::Modified { path, .. } => Some(path),
                Change::Deleted { .. } => None,
            })
            .collect();
        paths.sort();
        Ok(paths)
    }

    /// The publication history of every path at HEAD under `prefixes`
    /// (report folders; empty = the whole tree) that `filter` selects, in
    /// one walk of the commit graph.
    ///
    /// `cache_key` names the selection (e.g. the config's report globs) for
    /// the cache under the git dir; `None` disables the cache. The filter
    /// itself cannot be compared between runs, so a caller that changes
    /// what it selects must change the key.
    ///
    /// Objects missing from the store do not fail the call: they end up in
    /// [`History::notes`].
    pub fn history(
        &self,
        filter: &dyn Fn(&str) -> bool,
        prefixes: &[String],
        cache_key: Option<&str>,
    ) -> Result<History> {
        history::history(&self.repo, filter, prefixes, cache_key).map_err(|e| self.fail(&e))
    }
}

impl Repo {
    /// The content of a blob by its hex id (a version in
    /// [`FileHistory::versions`]); `None` if the id is malformed or the
    /// object is missing from the store.
    pub fn blob(&self, id: &str) -> Option<Vec<u8>> {
        let oid = git2::Oid::from_str(id).ok()?;
        self.repo
            .find_blob(oid)
            .ok()
            .map(|blob| blob.content().to_vec())
    }
}

/// Two process-wide libgit2 settings, made once, for a process that only
/// reads: libgit2 checks the hash of every object it reads (git itself
/// does not, outside `fsck` and fetches), and keeps every object read in a
/// cache. In a history walk the first is a third of the time; the second
/// fills memory with objects this module reads once (it keeps the trees it
/// needs itself) and then spends a tenth of the run freeing them.
fn configure_libgit2() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        git2::opts::strict_hash_verification(false);
        git2::opts::enable_caching(false);
    });
}

impl CommitInfo {
    fn from_parts(id: Oid, author: &graph::Signature, committed: (i64, i32)) -> CommitInfo {
        let id = hex(id);
        let (seconds, offset) = author.time;
        let (committed, committed_offset) = committed;
        CommitInfo {
            short: id[..7].to_owned(),
            id,
            author: Arc::clone(&author.name),
            email: Arc::clone(&author.email),
            time: datetime(seconds, offset),
            committed: datetime(committed, committed_offset),
        }
    }
}

/// An object id in lower-case hex, as `Oid`'s `Display` writes it, without
/// the trip through libgit2 and the formatter (done ~130,000 times at the
/// end of a cold history walk).
pub(crate) fn hex(id: Oid) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut text = String::with_capacity(2 * id.as_bytes().len());
    for &byte in id.as_bytes() {
        text.push(char::from(DIGITS[usize::from(byte >> 4)]));
        text.push(char::from(DIGITS[usize::from(byte & 0xf)]));
    }
    text
}

/// A git time (seconds since the epoch, offset in minutes) as a chrono
/// time; an impossible offset becomes UTC.
pub(crate) fn datetime(seconds: i64, offset_minutes: i32) -> DateTime<FixedOffset> {
    let offset = FixedOffset::east_opt(offset_minutes.saturating_mul(60)).unwrap_or(Utc.fix());
    DateTime::from_timestamp(seconds, 0)
        .unwrap_or_default()
        .with_timezone(&offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_writes_ids_as_git_does() {
        for text in [
            "0000000000000000000000000000000000000000",
            "0123456789abcdef0123456789abcdeffedcba98",
            "ffffffffffffffffffffffffffffffffffffffff",
        ] {
            let id = Oid::from_str(text).expect("id");
            assert_eq!(hex(id), text);
            assert_eq!(hex(id), id.to_string());
        }
    }

    /// The index parser and libgit2 agree on what is staged.
    #[test]
    fn both_ways_of_reading_the_index_agree() {
        let dir = tempfile::tempdir().expect("temp");
        let repo = Repository::init(dir.path()).expect("init");
        let write = |path: &str, text: &str| {
            let full = dir.path().join(path);
            std::fs::create_dir_all(full.parent().expect("parent")).expect("mkdir");
            std::fs::write(full, text).expect("write");
        };
        for i in 0..30 {
            write(&format!("docs/{}/r{i}.rst", i % 3), "old");
        }
        write("top.md", "top");
        let mut index = repo.index().expect("index");
        index
            .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
            .expect("add");
        index.write().expect("write");
        let tree = repo
            .find_tree(index.write_tree().expect("tree"))
            .expect("tree");
        let sig = git2::Signature::now("T", "t@example.org").expect("sig");
        repo.commit(Some("HEAD"), &sig, &sig, "one", &tree, &[])
            .expect("commit");
        write("docs/1/r4.rst", "new");
        write("docs/1/deep/x.rst", "x");
        write("zz.rst", "z");
        for path in ["docs/1/r4.rst", "docs/1/deep/x.rst", "zz.rst"] {
            index.add_path(Path::new(path)).expect("add");
        }
        index
            .remove_path(Path::new("docs/2/r5.rst"))
            .expect("remove");
        index.write().expect("write");

        let milepost = Repo::discover(dir.path())
            .expect("discover")
            .expect("a repository");
        let head = milepost.head_tree().expect("head");
        let data = std::fs::read(milepost.index_path()).expect("index file");
        let mut trees = Trees::new(milepost.repo.odb().expect("odb"));
        let mut fast = index::staged(&data, head, &mut trees).expect("parsed");
        let mut slow = milepost
            .staged_by_libgit2(&milepost.index_path(), head)
            .expect("libgit2");
        fast.sort();
        slow.sort();
        assert_eq!(fast, slow);
        let paths: Vec<&str> = fast.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(paths, ["docs/1/deep/x.rst", "docs/1/r4.rst", "zz.rst"]);
    }

    #[test]
    fn git_times_keep_their_offset() {
        let t = datetime(1_474_300_800, 120);
        assert_eq!(t.to_rfc3339(), "2016-09-19T18:00:00+02:00");
        assert_eq!(datetime(0, 100_000).offset().local_minus_utc(), 0);
    }
}
