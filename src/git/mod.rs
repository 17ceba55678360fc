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
//! treatment of merges and shallow clones, are in `history/` (its module doc); the
//! incremental cache is in `cache.rs`; the tree comparison that makes one
//! walk over 100,000 commits affordable is in `tree/`, the commit graph
//! in `graph.rs`, the second thread of a cold walk in `prefetch.rs`, the
//! index reader of the pre-commit hook in `index.rs`, the staged files'
//! renames in `staged.rs`, the whole staged index in `snapshot.rs`, and
//! the opening of the repository in `open.rs`.
//!
//! All paths are repository-relative and `/`-separated, as git stores them
//! (history paths are also NFC, as the workspace prints them).
//!
//! # Layouts, and what happens in each
//!
//! The rule is: the right answer, or a clear error (exit 2), never a
//! silent skip. libgit2 (through git2) is the primary route; where it
//! cannot read a layout that git supports, git's plumbing answers (all
//! process spawning is in `plumbing.rs`; none on the ordinary path).
//!
//! | layout | staged (`--staged`) | history |
//! |---|---|---|
//! | ordinary, index v2-v4 | index parser (`index.rs`) | libgit2 walk |
//! | sparse index (`sdir`, 040000 entries) | index parser: collapsed folders compared by tree id, descended where they differ | libgit2 walk |
//! | split index (`link`) | `git diff-index --cached` | libgit2 walk |
//! | `GIT_DIR` / `GIT_WORK_TREE` exported | honoured ([`GitEnv`], `open.rs`) | honoured |
//! | relative `GIT_INDEX_FILE` | from the top of the work tree, as git does | n/a |
//! | SHA-256 objects, reftable refs | `git diff-index`, `git cat-file --batch` | **error**: the walk needs libgit2; the message names the rules to turn off |
//! | unknown repository extension, "dubious ownership" | **error** with git's own message (git refuses them too) | same |
//! | reports inside a submodule | (the submodule's own hook) | the submodule's history (`submodules.rs`); a note if it is not checked out |
//! | trees nested 10,000 deep | index parser hands them to git | iterative tree comparison |
//!
//! A repository that is there but unreadable is never taken for "no
//! repository" (which would switch the history rules off silently and
//! move the root to the current folder).

mod cache;
mod graph;
mod history;
mod index;
mod moves;
mod open;
mod plumbing;
mod prefetch;
mod similar;
mod snapshot;
mod staged;
mod submodules;
mod tree;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, FixedOffset, Offset, Utc};
use git2::{Oid, Repository};

use crate::error::{Error, Result};
use crate::hash::FastMap;

use self::open::Backend;
use self::tree::{Change, Kind, Trees};

pub use self::open::GitEnv;
pub use self::snapshot::IndexSnapshot;

/// A git repository with a working tree.
pub struct Repo {
    backend: Backend,
    workdir: PathBuf,
    /// The index git would use (see [`GitEnv::index_file`]).
    index_file: PathBuf,
}

impl std::fmt::Debug for Repo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Repo")
            .field("workdir", &self.workdir)
            .field("index_file", &self.index_file)
            .field("fallback", &self.fallback_reason())
            .finish()
    }
}

/// What kind of file a staged path is, from its git mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FileMode {
    /// `100644`.
    Regular,
    /// `100755`.
    Executable,
    /// `120000`: the content is the link's target, not a report's text.
    Symlink,
}

impl FileMode {
    /// The kind of a git mode; `None` for folders and submodules.
    pub fn from_git(mode: u32) -> Option<FileMode> {
        match mode & 0o170000 {
            0o100000 if mode & 0o111 != 0 => Some(FileMode::Executable),
            0o100000 => Some(FileMode::Regular),
            0o120000 => Some(FileMode::Symlink),
            _ => None,
        }
    }
}

/// A file as it is staged in the index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StagedFile {
    /// Repository-relative, `/`-separated.
    pub path: String,
    /// The staged content (the index blob), not the working tree's. For a
    /// symbolic link, the name it points at.
    pub content: Vec<u8>,
    pub mode: FileMode,
    /// The HEAD path this file was renamed from (a `git mv`, or a deletion
    /// and an addition of the same or similar content), so that its
    /// history is the old path's.
    pub renamed_from: Option<String>,
}

/// A commit, as reports cite it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommitInfo {
    /// Full hex id.
    pub id: String,
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
    /// Every commit that changed the blob, oldest first, with the blob id:
    /// the first entry is the addition. Pure moves are not versions
    /// (the content is the same); they do count for `last`.
    pub versions: Vec<(Arc<CommitInfo>, Oid)>,
    /// `first` is not a fact: it is the boundary of a shallow clone, or a
    /// commit whose parents are missing from the store, so the file may be
    /// older.
    pub boundary: bool,
}

/// The result of [`Repo::history`].
#[derive(Clone, Debug, Default)]
pub struct History {
    /// Every selected path at HEAD.
    pub files: FastMap<String, FileHistory>,
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
    /// if there is none. The process's git environment is honoured
    /// (`GIT_DIR`, `GIT_WORK_TREE`, `GIT_INDEX_FILE`: see [`GitEnv`]). A
    /// bare repository is an error, and so is one that is there but that
    /// neither libgit2 nor git can use (git's message says why).
    pub fn discover(dir: &Path) -> Result<Option<Repo>> {
        Repo::discover_with(dir, &GitEnv::from_process())
    }

    /// [`Repo::discover`] with the environment given.
    pub fn discover_with(dir: &Path, env: &GitEnv) -> Result<Option<Repo>> {
        configure_libgit2();
        Ok(open::open(dir, env)?.map(|opened| Repo {
            backend: opened.backend,
            workdir: opened.workdir,
            index_file: opened.index_file,
        }))
    }

    /// The index file's bytes (empty when there is no index yet).
    fn index_bytes(&self) -> Result<Vec<u8>> {
        match std::fs::read(&self.index_file) {
            Ok(data) => Ok(data),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
            Err(err) => Err(Error::io(&self.index_file, err)),
        }
    }

    /// The root of the working tree.
    pub fn workdir(&self) -> &Path {
        &self.workdir
    }

    /// Why this repository is read through the `git` executable rather
    /// than libgit2 (what libgit2 said); `None` when libgit2 reads it.
    pub fn fallback_reason(&self) -> Option<&str> {
        match &self.backend {
            Backend::Libgit2(_) => None,
            Backend::Plumbing { why, .. } => Some(why),
        }
    }

    /// Where milepost keeps its caches: `milepost/` in the common git dir,
    /// shared by every worktree of the clone and never touched by git.
    /// `None` when libgit2 cannot open the repository (no cache then).
    pub fn cache_dir(&self) -> Option<PathBuf> {
        match &self.backend {
            Backend::Libgit2(repo) => Some(repo.commondir().join("milepost")),
            Backend::Plumbing { .. } => None,
        }
    }

    /// Whether this is a shallow clone (history is cut off).
    pub fn is_shallow(&self) -> bool {
        match &self.backend {
            Backend::Libgit2(repo) => repo.is_shallow(),
            Backend::Plumbing { git, .. } => git.is_shallow(),
        }
    }

    fn fail(&self, err: &git2::Error) -> Error {
        self.error(err.message())
    }

    pub(crate) fn error(&self, message: impl Into<String>) -> Error {
        Error::Repository {
            path: self.workdir.clone(),
            message: message.into(),
        }
    }

    fn git_failed(&self, failure: plumbing::Failure) -> Error {
        self.error(failure.to_string())
    }

    /// The object store, when libgit2 reads the repository.
    pub(crate) fn odb(&self) -> Option<git2::Odb<'_>> {
        match &self.backend {
            Backend::Libgit2(repo) => repo.odb().ok(),
            Backend::Plumbing { .. } => None,
        }
    }

    fn head_tree(repo: &Repository) -> Result<Option<Oid>, git2::Error> {
        match history::head_commit(repo)? {
            Some(id) => Ok(Some(repo.find_commit(id)?.tree_id())),
            None => Ok(None),
        }
    }

    /// Paths staged in the index that differ from HEAD (added, modified,
    /// renamed-to; not deleted), with their staged content, mode and, for
    /// a rename, the old path; sorted by path. Before the first commit
    /// everything in the index is staged. Submodules are left out.
    ///
    /// The index is the one git uses: `GIT_INDEX_FILE` when it is set (git
    /// sets it for hooks during `git commit <paths>` and `git commit -a`,
    /// whose index is not `.git/index`; a relative one is taken from the
    /// top of the work tree, as git does), else the repository's (a
    /// worktree's own). It is read directly and compared with HEAD folder
    /// by folder, skipping folders whose cached tree id is HEAD's, and
    /// collapsed folders of a sparse index whose tree is HEAD's (see
    /// `index.rs`). An index that parser does not read (a split index),
    /// and a repository libgit2 does not read, are compared by git
    /// (`git diff-index --cached`).
    pub fn staged(&self) -> Result<Vec<StagedFile>> {
        match &self.backend {
            Backend::Libgit2(repo) => {
                let head_tree = Repo::head_tree(repo).map_err(|e| self.fail(&e))?;
                let data = self.index_bytes()?;
                self.staged_against(repo, head_tree, &data, index::parse(&data).as_ref())
            }
            Backend::Plumbing { git, .. } => self.staged_by_git(git),
        }
    }

    /// [`Repo::index_snapshot`] and [`Repo::staged`], from one read of the
    /// index (the commit hook asks for both): the second read and parse
    /// were a twentieth of a hook's instructions, and one read cannot see
    /// two states of an index that changes meanwhile.
    pub fn staged_with_snapshot(&self) -> Result<(IndexSnapshot<'_>, Vec<StagedFile>)> {
        let Backend::Libgit2(repo) = &self.backend else {
            return Ok((self.index_snapshot()?, self.staged()?));
        };
        let data = self.index_bytes()?;
        let parsed = index::parse(&data);
        let snapshot = match parsed
            .as_ref()
            .and_then(|parsed| IndexSnapshot::of_parsed(self, parsed))
        {
            Some(snapshot) => snapshot,
            None => self.snapshot_of(&data)?,
        };
        let head_tree = Repo::head_tree(repo).map_err(|e| self.fail(&e))?;
        let staged = self.staged_against(repo, head_tree, &data, parsed.as_ref())?;
        Ok((snapshot, staged))
    }

    /// The staged changes of the index file `data` against `head_tree`,
    /// `parsed` being `data` parsed with its cache tree (`None` when the
    /// parser does not read it).
    fn staged_against(
        &self,
        repo: &Repository,
        head_tree: Option<Oid>,
        data: &[u8],
        parsed: Option<&index::Parsed<'_>>,
    ) -> Result<Vec<StagedFile>> {
        let mut trees = Trees::new(repo.odb().map_err(|e| self.fail(&e))?);
        // No index yet: nothing is staged.
        let diff = if data.is_empty() {
            Some(index::IndexDiff::default())
        } else {
            parsed.and_then(|parsed| index::staged_in(parsed, head_tree, &mut trees))
        };
        match diff {
            Some(diff) => {
                let changed = diff
                    .changed
                    .into_iter()
                    .map(|(path, id, mode, added)| staged::Changed {
                        path,
                        id: hex(id),
                        mode,
                        added,
                    })
                    .collect();
                let deleted = diff
                    .deleted
                    .into_iter()
                    .map(|(path, id)| (path, hex(id)))
                    .collect();
                staged::build(changed, deleted, &|ids| self.read_blobs(ids))
            }
            // Not an index this parser reads (a split index, or a
            // damaged file): git's answer, or git's complaint.
            None => self
                .staged_by_git(&self.plumbing())
                .map_err(|err| self.index_unreadable(err)),
        }
    }

    /// The repository as git's plumbing sees it, for what libgit2 and the
    /// index parser cannot read.
    fn plumbing(&self) -> plumbing::Git {
        match &self.backend {
            Backend::Plumbing { git, .. } => git.clone(),
            Backend::Libgit2(repo) => plumbing::Git {
                git_dir: repo.path().to_path_buf(),
                work_tree: self.workdir.clone(),
                index_file: self.index_file.clone(),
            },
        }
    }

    /// [`Repo::staged`] through `git diff-index --cached`.
    fn staged_by_git(&self, git: &plumbing::Git) -> Result<Vec<StagedFile>> {
        let head = git.head().map_err(|f| self.git_failed(f))?;
        let changes = git
            .diff_index(head.as_deref())
            .map_err(|f| self.git_failed(f))?;
        let mut changed = Vec::new();
        let mut deleted = Vec::new();
        for change in changes {
            match change.status {
                b'A' | b'M' | b'T' => changed.push(staged::Changed {
                    path: change.path,
                    id: change.new_id,
                    mode: change.new_mode,
                    added: change.status == b'A' || FileMode::from_git(change.old_mode).is_none(),
                }),
                b'D' => deleted.push((change.path, change.old_id)),
                _ => {}
            }
        }
        staged::build(changed, deleted, &|ids| self.read_blobs(ids))
    }

    /// Blobs by hex id, in order; `None` for a missing one.
    fn read_blobs(&self, ids: &[String]) -> Result<Vec<Option<Vec<u8>>>> {
        match &self.backend {
            Backend::Libgit2(repo) => {
                let odb = repo.odb().map_err(|e| self.fail(&e))?;
                Ok(ids
                    .iter()
                    .map(|id| {
                        let oid = Oid::from_str(id).ok()?;
                        odb.read(oid).ok().map(|object| object.data().to_vec())
                    })
                    .collect())
            }
            Backend::Plumbing { git, .. } => git.blobs(ids).map_err(|f| self.git_failed(f)),
        }
    }

    /// The whole index as it will be committed (see [`IndexSnapshot`]).
    pub fn index_snapshot(&self) -> Result<IndexSnapshot<'_>> {
        if let Backend::Libgit2(_) = &self.backend {
            return self.snapshot_of(&self.index_bytes()?);
        }
        IndexSnapshot::from_git(self, &self.plumbing())
    }

    /// The snapshot of the index file `data` (libgit2's backend).
    fn snapshot_of(&self, data: &[u8]) -> Result<IndexSnapshot<'_>> {
        if data.is_empty() {
            return Ok(IndexSnapshot::empty(self));
        }
        if let Some(snapshot) = IndexSnapshot::parse(self, data) {
            return Ok(snapshot);
        }
        // Not an index this parser reads: git's answer, or git's
        // complaint, naming the file.
        IndexSnapshot::from_git(self, &self.plumbing()).map_err(|err| self.index_unreadable(err))
    }

    /// A failure of git on an index milepost could not parse, said as such.
    fn index_unreadable(&self, err: Error) -> Error {
        match err {
            Error::Repository { message, .. } => Error::Repository {
                path: self.index_file.clone(),
                message: format!(
                    "the index file cannot be read by milepost, and git says: {message}"
                ),
            },
            other => other,
        }
    }

    /// The content of `path` at HEAD; `None` if it is not a file there (or
    /// there is no commit yet).
    pub fn read_head(&self, path: &str) -> Result<Option<Vec<u8>>> {
        let repo = match &self.backend {
            Backend::Libgit2(repo) => repo,
            Backend::Plumbing { git, .. } => {
                let spec = format!("HEAD:{path}");
                let mut blobs = git.blobs(&[spec]).map_err(|f| self.git_failed(f))?;
                return Ok(blobs.pop().flatten());
            }
        };
        let Some(tree) = Repo::head_tree(repo).map_err(|e| self.fail(&e))? else {
            return Ok(None);
        };
        let mut trees = Trees::new(repo.odb().map_err(|e| self.fail(&e))?);
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
        let repo = match &self.backend {
            Backend::Libgit2(repo) => repo,
            Backend::Plumbing { git, .. } => return self.changed_since_by_git(git, reference),
        };
        let object = repo.revparse_single(reference).map_err(|e| {
            self.error(format!(
                "unknown revision '{reference}' ({}); fetch it first (in CI, with enough depth)",
                e.message()
            ))
        })?;
        let target = object
            .peel_to_commit()
            .map_err(|e| self.error(format!("'{reference}' is not a commit ({})", e.message())))?;
        let head = history::head_commit(repo)
            .map_err(|e| self.fail(&e))?
            .ok_or_else(|| self.error("HEAD has no commit yet"))?;
        let base = repo.merge_base(target.id(), head).map_err(|e| {
            self.error(format!(
                "'{reference}' and HEAD have no common ancestor ({}); in a shallow clone, fetch more history",
                e.message()
            ))
        })?;
        let tree_of = |id: Oid| {
            repo.find_commit(id)
                .map(|c| c.tree_id())
                .map_err(|e| self.fail(&e))
        };
        let mut trees = Trees::new(repo.odb().map_err(|e| self.fail(&e))?);
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

    /// [`Repo::changed_since`] through git's plumbing.
    fn changed_since_by_git(&self, git: &plumbing::Git, reference: &str) -> Result<Vec<String>> {
        let target = git.commit_of(reference).map_err(|f| {
            self.error(format!(
                "unknown revision '{reference}' ({f}); fetch it first (in CI, with enough depth)"
            ))
        })?;
        let head = git
            .head()
            .map_err(|f| self.git_failed(f))?
            .ok_or_else(|| self.error("HEAD has no commit yet"))?;
        let base = git.merge_base(&target, &head).map_err(|f| {
            self.error(format!(
                "'{reference}' and HEAD have no common ancestor ({f}); in a shallow clone, fetch more history"
            ))
        })?;
        let mut paths: Vec<String> = git
            .diff_tree(&base, &head)
            .map_err(|f| self.git_failed(f))?
            .into_iter()
            .filter(|c| matches!(c.status, b'A' | b'M' | b'T'))
            .filter(|c| FileMode::from_git(c.new_mode).is_some())
            .map(|c| c.path)
            .collect();
        paths.sort();
        Ok(paths)
    }

    /// The publication history of every path at HEAD under `prefixes`
    /// (report folders; empty = the whole tree) that `filter` selects, in
    /// one walk of the commit graph. Paths are NFC, as milepost prints
    /// them (a name committed decomposed, as macOS writes them, is found
    /// under its composed form). Reports inside submodules get the
    /// submodule's history (see `submodules.rs`).
    ///
    /// `cache_key` names the selection (e.g. the config's report globs) for
    /// the cache under the git dir; `None` disables the cache. The filter
    /// itself cannot be compared between runs, so a caller that changes
    /// what it selects must change the key.
    ///
    /// Objects missing from the store do not fail the call: they end up in
    /// [`History::notes`]. A repository libgit2 cannot read (SHA-256,
    /// reftable) is an error that says so: the walk needs libgit2, and
    /// giving no history would switch the history rules off silently.
    pub fn history(
        &self,
        filter: &dyn Fn(&str) -> bool,
        prefixes: &[String],
        cache_key: Option<&str>,
    ) -> Result<History> {
        let repo = match &self.backend {
            Backend::Libgit2(repo) => repo,
            Backend::Plumbing { why, .. } => {
                return Err(self.error(format!(
                    "the history rules (late-report, byline-vs-commit, edited-after-publish) \
                     cannot read this repository's history: libgit2 does not support its \
                     layout ({why}); turn those rules off in milepost.yaml \
                     (`rules: {{late-report: off, byline-vs-commit: off, edited-after-publish: off}}`) \
                     to check it without them"
                )));
            }
        };
        let mut history =
            history::history(repo, filter, prefixes, cache_key).map_err(|e| self.fail(&e))?;
        submodules::add(
            repo,
            &self.workdir,
            filter,
            prefixes,
            cache_key,
            &mut history,
        )
        .map_err(|e| self.fail(&e))?;
        normalize_keys(&mut history);
        Ok(history)
    }

    /// The content of a blob (a version in [`FileHistory::versions`]);
    /// `None` if the object is missing from the store.
    pub fn blob(&self, id: Oid) -> Option<Vec<u8>> {
        match &self.backend {
            Backend::Libgit2(repo) => Some(repo.odb().ok()?.read(id).ok()?.data().to_vec()),
            Backend::Plumbing { .. } => self.blob_by_hex(&hex(id)),
        }
    }

    /// [`Repo::blob`] by the id's hex; `None` also if it is malformed.
    pub(crate) fn blob_by_hex(&self, id: &str) -> Option<Vec<u8>> {
        self.read_blobs(&[id.to_owned()]).ok()?.pop().flatten()
    }

    /// Where the first of `olds` (repository-relative names of a file no
    /// longer at HEAD) that history moved is now, following its moves: its
    /// index in `olds` and its path. `None` when none was moved, it was
    /// deleted since, history names more than one place, or libgit2 cannot
    /// read this repository (see `moves.rs`).
    pub fn moved_to(&self, olds: &[&str]) -> Option<(usize, String)> {
        match &self.backend {
            Backend::Libgit2(repo) => moves::moved_to(repo, olds).ok().flatten(),
            Backend::Plumbing { .. } => None,
        }
    }

    /// git's `user.name` as a commit here would take it: the repository's
    /// config over the global and system ones (`milepost new` puts it in
    /// the byline). `None` when it is not set.
    pub fn user_name(&self) -> Option<String> {
        let name = match &self.backend {
            Backend::Libgit2(repo) => repo.config().ok()?.get_string("user.name").ok()?,
            Backend::Plumbing { git, .. } => git.config_value("user.name")?,
        };
        Some(name.trim().to_owned()).filter(|name| !name.is_empty())
    }
}

/// Puts the history's paths in NFC, as the workspace names files, so that
/// lookups by a printed path meet. Rebuilt only when some path is not
/// NFC already (almost never).
fn normalize_keys(history: &mut History) {
    use std::borrow::Cow;
    let decomposed = history
        .files
        .keys()
        .any(|path| matches!(crate::text::nfc(path), Cow::Owned(_)));
    if decomposed {
        history.files = std::mem::take(&mut history.files)
            .into_iter()
            .map(|(path, file)| (crate::text::nfc(&path).into_owned(), file))
            .collect();
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
    /// The first 7 hex digits (kept as a slice of the id: a string of its
    /// own for each of 70,000 commits was 3 MB).
    pub fn short(&self) -> &str {
        self.id.get(..7).unwrap_or(&self.id)
    }

    fn from_parts(id: Oid, author: &graph::Signature, committed: (i64, i32)) -> CommitInfo {
        let id = hex(id);
        let (seconds, offset) = author.time;
        let (committed, committed_offset) = committed;
        CommitInfo {
            id,
            author: Arc::clone(&author.name),
            email: Arc::clone(&author.email),
            time: datetime(seconds, offset),
            committed: datetime(committed, committed_offset),
        }
    }
}

/// The id git gives `bytes` as a file: SHA-1 (with libgit2's collision
/// detection) of a blob header and the bytes. The results cache keys a
/// report on it, as `git hash-object` would name it; a hash an author
/// cannot steer, since the cache may outlive a run on an untrusted pull
/// request.
pub fn blob_id(bytes: &[u8]) -> Option<[u8; 20]> {
    let id = Oid::hash_object(git2::ObjectType::Blob, bytes).ok()?;
    id.as_bytes().try_into().ok()
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

    /// The index parser and git's plumbing agree on what is staged,
    /// deletions included.
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

        let milepost = Repo::discover_with(dir.path(), &GitEnv::default())
            .expect("discover")
            .expect("a repository");
        let Backend::Libgit2(inner) = &milepost.backend else {
            panic!("libgit2 reads this repository");
        };
        let head = Repo::head_tree(inner).expect("head");
        let data = std::fs::read(&milepost.index_file).expect("index file");
        let mut trees = Trees::new(inner.odb().expect("odb"));
        let parsed = index::parse(&data).expect("parsed");
        let fast = index::staged_in(&parsed, head, &mut trees).expect("compared");
        let mut paths: Vec<&str> = fast.changed.iter().map(|c| c.0.as_str()).collect();
        paths.sort();
        assert_eq!(paths, ["docs/1/deep/x.rst", "docs/1/r4.rst", "zz.rst"]);
        let deleted: Vec<&str> = fast.deleted.iter().map(|d| d.0.as_str()).collect();
        assert_eq!(deleted, ["docs/2/r5.rst"]);

        if std::process::Command::new("git")
            .arg("--version")
            .output()
            .is_ok()
        {
            let by_git = milepost
                .staged_by_git(&milepost.plumbing())
                .expect("plumbing");
            assert_eq!(by_git, milepost.staged().expect("staged"));
        }
        // One read for both gives what two give, before and after the
        // index is split (which the parser leaves to git).
        let agree = |milepost: &Repo| {
            let (snapshot, staged) = milepost.staged_with_snapshot().expect("both");
            assert_eq!(staged, milepost.staged().expect("staged"));
            let alone = milepost.index_snapshot().expect("snapshot");
            assert_eq!(snapshot.files(), alone.files());
            assert!(snapshot.files().contains(&"docs/1/deep/x.rst"));
            assert!(!snapshot.files().contains(&"docs/2/r5.rst"));
        };
        agree(&milepost);
        let split = std::process::Command::new("git")
            .args(["update-index", "--split-index"])
            .current_dir(dir.path())
            .status();
        if split.is_ok_and(|status| status.success()) {
            let data = std::fs::read(&milepost.index_file).expect("index file");
            assert!(
                index::parse(&data).is_none(),
                "a split index is git's to read"
            );
            agree(&milepost);
        }
        // A repository with nothing staged yet, nor an index.
        let empty = tempfile::tempdir().expect("temp");
        Repository::init(empty.path()).expect("init");
        let fresh = Repo::discover_with(empty.path(), &GitEnv::default())
            .expect("discover")
            .expect("a repository");
        let (snapshot, staged) = fresh.staged_with_snapshot().expect("both");
        assert!(staged.is_empty() && snapshot.files().is_empty());
    }

    #[test]
    fn git_times_keep_their_offset() {
        let t = datetime(1_474_300_800, 120);
        assert_eq!(t.to_rfc3339(), "2016-09-19T18:00:00+02:00");
        assert_eq!(datetime(0, 100_000).offset().local_minus_utc(), 0);
    }
}
