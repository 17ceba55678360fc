//! The history cache: `<git common dir>/milepost/history-<hash>.json`.
//!
//! A history walk over 100,000 commits takes seconds; a CI job or a hook
//! that runs after each new commit should not pay that again. The result of
//! a walk is stored with the commit it was computed at (the *tip*), and the
//! next run walks only the commits reachable from HEAD and not from the tip,
//! then splices the stored histories in where lineages reach the tip (see
//! [`super::history`]).
//!
//! - The file lives in the *common* git dir, so all worktrees of a clone
//!   share it, and git never touches it (nothing under `.git/milepost/` is
//!   git's).
//! - One file per selection: its name hashes the caller's `cache_key` (what
//!   the filter selects: it cannot be hashed itself) and the report folders;
//!   both are also stored in the file and compared, so a hash collision
//!   cannot mix selections.
//! - The tip must be an ancestor of HEAD; after a rebase or a reset it is
//!   not, and the cache is ignored (and replaced after the run).
//! - It is written atomically (a temporary file renamed over the old one),
//!   so a concurrent reader sees the old or the new file, never half of one.
//!   A file that does not parse or does not fit is ignored and overwritten;
//!   a cache that cannot be written (a read-only repository) is skipped
//!   silently: it only ever saves time.
//! - Shallow clones are not cached: deepening one changes history without
//!   moving HEAD.

use std::collections::HashMap;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

use chrono::{DateTime, FixedOffset};
use git2::{Oid, Repository};
use serde::{Deserialize, Serialize};

use super::similar::fnv1a;
use super::{CommitInfo, FileHistory, History};

/// Bumped whenever the meaning or the shape of the file changes.
const FORMAT: u32 = 1;

#[derive(Serialize, Deserialize)]
struct CacheFile {
    format: u32,
    key: String,
    prefixes: Vec<String>,
    tip: String,
    commits: Vec<StoredCommit>,
    files: HashMap<String, StoredFile>,
}

#[derive(Serialize, Deserialize)]
struct StoredCommit {
    id: String,
    author: String,
    email: String,
    /// Author time: seconds since the epoch and offset in minutes.
    time: (i64, i32),
    committed: (i64, i32),
}

#[derive(Serialize, Deserialize)]
struct StoredFile {
    first: usize,
    last: usize,
    versions: Vec<(usize, String)>,
    boundary: bool,
}

/// A stored history, ready to be spliced.
pub(crate) struct CachedHistory {
    pub(crate) tip: Oid,
    pub(crate) commits: Vec<CommitInfo>,
    pub(crate) files: HashMap<String, CachedFile>,
}

pub(crate) struct CachedFile {
    pub(crate) first: usize,
    pub(crate) last: usize,
    pub(crate) versions: Vec<(usize, String)>,
    pub(crate) boundary: bool,
}

impl CachedHistory {
    pub(crate) fn to_history(&self) -> History {
        let info = |i: usize| self.commits[i].clone();
        History {
            files: self
                .files
                .iter()
                .map(|(path, file)| {
                    (
                        path.clone(),
                        FileHistory {
                            first: info(file.first),
                            last: info(file.last),
                            versions: file
                                .versions
                                .iter()
                                .map(|(c, blob)| (info(*c), blob.clone()))
                                .collect(),
                            boundary: file.boundary,
                        },
                    )
                })
                .collect(),
            ..History::default()
        }
    }
}

fn cache_path(repo: &Repository, key: &str, prefixes: &[String]) -> PathBuf {
    let mut identity = format!("{FORMAT}\0{key}");
    for prefix in prefixes {
        identity.push('\0');
        identity.push_str(prefix);
    }
    repo.commondir()
        .join("milepost")
        .join(format!("history-{:016x}.json", fnv1a(identity.as_bytes())))
}

/// The stored history for this selection, if there is a valid one.
pub(crate) fn load(repo: &Repository, key: &str, prefixes: &[String]) -> Option<CachedHistory> {
    let bytes = std::fs::read(cache_path(repo, key, prefixes)).ok()?;
    let file: CacheFile = serde_json::from_slice(&bytes).ok()?;
    if file.format != FORMAT || file.key != key || file.prefixes != prefixes {
        return None;
    }
    let commits = file
        .commits
        .into_iter()
        .map(StoredCommit::into_info)
        .collect::<Option<Vec<_>>>()?;
    let fits = |i: usize| i < commits.len();
    let mut files = HashMap::with_capacity(file.files.len());
    for (path, stored) in file.files {
        let valid = fits(stored.first)
            && fits(stored.last)
            && stored
                .versions
                .iter()
                .all(|(c, blob)| fits(*c) && Oid::from_str(blob).is_ok());
        if !valid {
            return None;
        }
        files.insert(
            path,
            CachedFile {
                first: stored.first,
                last: stored.last,
                versions: stored.versions,
                boundary: stored.boundary,
            },
        );
    }
    Some(CachedHistory {
        tip: Oid::from_str(&file.tip).ok()?,
        commits,
        files,
    })
}

/// Stores `history`, computed at `tip`. Failures are ignored.
pub(crate) fn store(
    repo: &Repository,
    key: &str,
    prefixes: &[String],
    tip: Oid,
    history: &History,
) {
    let _ = try_store(repo, key, prefixes, tip, history);
}

fn try_store(
    repo: &Repository,
    key: &str,
    prefixes: &[String],
    tip: Oid,
    history: &History,
) -> Option<()> {
    let mut commits = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut add = |info: &CommitInfo, commits: &mut Vec<StoredCommit>| -> usize {
        *index.entry(info.id.clone()).or_insert_with(|| {
            commits.push(StoredCommit::from_info(info));
            commits.len() - 1
        })
    };
    let mut files = HashMap::with_capacity(history.files.len());
    for (path, file) in &history.files {
        let stored = StoredFile {
            first: add(&file.first, &mut commits),
            last: add(&file.last, &mut commits),
            versions: file
                .versions
                .iter()
                .map(|(info, blob)| (add(info, &mut commits), blob.clone()))
                .collect(),
            boundary: file.boundary,
        };
        files.insert(path.clone(), stored);
    }
    let file = CacheFile {
        format: FORMAT,
        key: key.to_owned(),
        prefixes: prefixes.to_vec(),
        tip: tip.to_string(),
        commits,
        files,
    };
    let path = cache_path(repo, key, prefixes);
    let dir = path.parent()?;
    std::fs::create_dir_all(dir).ok()?;
    let temp = tempfile::NamedTempFile::new_in(dir).ok()?;
    {
        let mut writer = BufWriter::new(temp.as_file());
        serde_json::to_writer(&mut writer, &file).ok()?;
        writer.flush().ok()?;
    }
    temp.persist(&path).ok()?;
    Some(())
}

impl StoredCommit {
    fn from_info(info: &CommitInfo) -> StoredCommit {
        let pair = |t: &DateTime<FixedOffset>| (t.timestamp(), t.offset().local_minus_utc() / 60);
        StoredCommit {
            id: info.id.clone(),
            author: info.author.clone(),
            email: info.email.clone(),
            time: pair(&info.time),
            committed: pair(&info.committed),
        }
    }

    fn into_info(self) -> Option<CommitInfo> {
        Oid::from_str(&self.id).ok()?;
        Some(CommitInfo {
            short: self.id.get(..7)?.to_owned(),
            id: self.id,
            author: self.author,
            email: self.email,
            time: super::datetime(self.time.0, self.time.1),
            committed: super::datetime(self.committed.0, self.committed.1),
        })
    }
}
