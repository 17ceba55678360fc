//! The history cache: `<git common dir>/milepost/history-<hash>.bin`.
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
//!   cannot mix selections. The report paths at HEAD are checked against
//!   the file, too.
//! - The tip must be an ancestor of HEAD; after a rebase or a reset it is
//!   not, and the cache is ignored (and replaced after the run).
//! - It is rewritten after a full walk, and after an incremental one only
//!   when that walked [`REWRITE_AFTER`] commits or more: rewriting ten
//!   megabytes after every new commit would cost more than walking the few
//!   commits above an older tip.
//! - Writing it removes the JSON caches of earlier versions (formats 1
//!   and 2), which nothing reads any more.
//! - It is written atomically (a temporary file renamed into place, see
//!   [`crate::sealed`]), so a concurrent reader sees the old file, the new
//!   one or none, never half of one.
//!   A file that does not parse or does not fit is ignored and overwritten;
//!   a cache that cannot be written (a read-only repository) is skipped
//!   silently: it only ever saves time.
//! - Shallow clones are not cached: deepening one changes history without
//!   moving HEAD. Nor is a history with notes (objects missing).
//! - The payload is checksummed ([`crate::sealed`]): postcard has no
//!   redundancy, so a flipped byte in a date or an id still parses, into
//!   another date or an invented commit. A file whose checksum fails is
//!   ignored like any other unusable cache: the run walks cold and writes
//!   a good one.
//! - Temporary files are named [`TEMP_MARK`](crate::temp_files::TEMP_MARK)`*`; one left behind by a
//!   writer that was killed is removed by a later write (once it is older
//!   than [`STALE_AFTER`](crate::temp_files::STALE_AFTER), so a concurrent writer's is left alone).
//! - The file is [`MAGIC`], the checksum (8 bytes, little-endian), then
//!   the history in postcard (a compact serde
//!   format: lengths, then bytes; authors listed once). For 10,000 reports
//!   (7.5 MB) writing it takes about 30 ms and loading it about 28 ms; as
//!   JSON (9.6 MB) they took about 55 and 40 ms, at the end of every cold
//!   run and at the start of every cached one.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, FixedOffset};
use git2::{Oid, Repository};
use serde::{Deserialize, Serialize};

use super::{CommitInfo, FileHistory};
use crate::hash::{FastMap, fnv1a};

/// Bumped whenever the meaning or the shape of the file changes.
const FORMAT: u32 = 6;

/// The first bytes of a cache file, before the postcard payload: postcard
/// is not self-describing, so a file of another kind (or an older format)
/// is told apart here rather than misread.
/// (Files of the layout before the checksum began with
/// `milepost history cache\n`: they are not read, and are overwritten.)
const MAGIC: &[u8] = b"milepost history cache, checksummed\n";

/// An incremental run that walked fewer commits leaves the cache as it is.
pub(crate) const REWRITE_AFTER: usize = 256;

/// The history of one path, by index into [`Snapshot::commits`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Record {
    pub(crate) first: usize,
    pub(crate) last: usize,
    pub(crate) boundary: bool,
    /// `(commit, blob id)`, oldest first.
    pub(crate) versions: Vec<(usize, Oid)>,
    /// The file's blob at the commit the history was taken at: a later
    /// run lists that commit's files from these and the trees' difference
    /// since, instead of listing the whole tree again.
    pub(crate) at_tip: Oid,
}

/// A history in table form: what the cache stores and a run builds.
#[derive(Debug, Default)]
pub(crate) struct Snapshot {
    pub(crate) commits: Vec<Arc<CommitInfo>>,
    pub(crate) files: FastMap<String, Record>,
}

impl Snapshot {
    /// The public form of every file, the table itself used up (its
    /// strings are moved, not copied).
    pub(crate) fn into_histories(self) -> FastMap<String, FileHistory> {
        let info = |i: usize| Arc::clone(&self.commits[i]);
        self.files
            .into_iter()
            .map(|(path, record)| {
                let history = FileHistory {
                    first: info(record.first),
                    last: info(record.last),
                    versions: record
                        .versions
                        .into_iter()
                        .map(|(c, blob)| (info(c), blob))
                        .collect(),
                    boundary: record.boundary,
                };
                (path, history)
            })
            .collect()
    }

    /// The public form of every file.
    pub(crate) fn histories(&self) -> FastMap<String, FileHistory> {
        let info = |i: usize| Arc::clone(&self.commits[i]);
        self.files
            .iter()
            .map(|(path, record)| {
                (
                    path.clone(),
                    FileHistory {
                        first: info(record.first),
                        last: info(record.last),
                        versions: record
                            .versions
                            .iter()
                            .map(|&(c, blob)| (info(c), blob))
                            .collect(),
                        boundary: record.boundary,
                    },
                )
            })
            .collect()
    }
}

/// A stored history and the commit it was computed at.
pub(crate) struct CachedHistory {
    pub(crate) tip: Oid,
    /// The ids of `snapshot.commits`, parsed.
    pub(crate) ids: Vec<Oid>,
    pub(crate) snapshot: Snapshot,
}

/// The file's content. Written from borrowed strings and read into owned
/// ones (`Cow`): the same shape both ways, without copying the history to
/// write it.
#[derive(Serialize, Deserialize)]
struct CacheFile<'a> {
    format: u32,
    /// The version of milepost that wrote it: which files a selection
    /// takes may change between versions, and a run whose HEAD is the
    /// cache's tip takes the cache's files as HEAD's without listing them.
    version: Cow<'a, str>,
    key: Cow<'a, str>,
    prefixes: Cow<'a, [String]>,
    tip: String,
    /// `(name, email)`, each once.
    people: Vec<(Cow<'a, str>, Cow<'a, str>)>,
    commits: Vec<StoredCommit<'a>>,
    files: Vec<StoredFile<'a>>,
}

/// `(id, person, author seconds, author offset minutes, committer seconds,
/// committer offset minutes)`.
type StoredCommit<'a> = (Cow<'a, str>, usize, i64, i32, i64, i32);

/// `(path, first, last, boundary, [(commit, blob)], blob at the tip)`.
/// Blob ids as their 20 bytes: a cached run loads tens of thousands, and
/// hex would be parsed and validated for each.
type StoredFile<'a> = (
    Cow<'a, str>,
    usize,
    usize,
    bool,
    Vec<(usize, [u8; 20])>,
    [u8; 20],
);

/// Where the cache of a selection lives.
pub(crate) fn cache_path(repo: &Repository, key: &str, prefixes: &[String]) -> PathBuf {
    let mut identity = format!("{FORMAT}\0{key}");
    for prefix in prefixes {
        identity.push('\0');
        identity.push_str(prefix);
    }
    repo.commondir()
        .join("milepost")
        .join(format!("history-{:016x}.bin", fnv1a(identity.as_bytes())))
}

/// The stored history for this selection at `path` (from [`cache_path`]),
/// if there is a valid one.
pub(crate) fn load(path: &Path, key: &str, prefixes: &[String]) -> Option<CachedHistory> {
    // Only a regular file (a pipe put there would hang the run).
    let bytes = crate::boundary::read_operator_file(path).ok()?;
    let payload = crate::sealed::open(MAGIC, &bytes)?;
    let file: CacheFile<'static> = postcard::from_bytes(payload).ok()?;
    drop(bytes);
    if file.format != FORMAT
        || file.version != env!("CARGO_PKG_VERSION")
        || file.key != key
        || *file.prefixes != *prefixes
    {
        return None;
    }
    let tip = Oid::from_str(&file.tip).ok()?;
    // Shared by all commits of a person, as a walk shares them.
    let people: Vec<(Arc<str>, Arc<str>)> = file
        .people
        .into_iter()
        .map(|(name, email)| (Arc::from(name), Arc::from(email)))
        .collect();
    let mut ids = Vec::with_capacity(file.commits.len());
    let commits = file
        .commits
        .into_iter()
        .map(|(id, person, time, offset, committed, committed_offset)| {
            let id = id.into_owned();
            ids.push(Oid::from_str(&id).ok()?);
            let (author, email) = people.get(person)?;
            // An id too short to be shown is not one milepost wrote.
            id.get(..7)?;
            Some(Arc::new(CommitInfo {
                id,
                author: Arc::clone(author),
                email: Arc::clone(email),
                time: super::datetime(time, offset),
                committed: super::datetime(committed, committed_offset),
            }))
        })
        .collect::<Option<Vec<_>>>()?;
    let fits = |i: usize| i < commits.len();
    let mut files = FastMap::with_capacity_and_hasher(file.files.len(), Default::default());
    for (path, first, last, boundary, versions, at_tip) in file.files {
        let valid = fits(first) && fits(last) && versions.iter().all(|(c, _)| fits(*c));
        if !valid {
            return None;
        }
        let versions = versions
            .into_iter()
            .map(|(c, blob)| Some((c, Oid::from_bytes(&blob).ok()?)))
            .collect::<Option<Vec<_>>>()?;
        files.insert(
            path.into_owned(),
            Record {
                first,
                last,
                boundary,
                versions,
                at_tip: Oid::from_bytes(&at_tip).ok()?,
            },
        );
    }
    Some(CachedHistory {
        tip,
        ids,
        snapshot: Snapshot { commits, files },
    })
}

/// Stores `snapshot`, computed at `tip`. Failures are ignored.
/// Writes the cache file at `path` (from [`cache_path`]). It takes a path,
/// not the repository, so that it can run on another thread (a
/// `Repository` is not `Sync`) while the caller builds its result.
pub(crate) fn store(path: &Path, key: &str, prefixes: &[String], tip: Oid, snapshot: &Snapshot) {
    let _ = try_store(path, key, prefixes, tip, snapshot);
}

fn try_store(
    path: &Path,
    key: &str,
    prefixes: &[String],
    tip: Oid,
    snapshot: &Snapshot,
) -> Option<()> {
    let mut people = Vec::new();
    let mut person_index: HashMap<(&str, &str), usize> = HashMap::new();
    let pair = |t: &DateTime<FixedOffset>| (t.timestamp(), t.offset().local_minus_utc() / 60);
    // Authors come in runs: the last one is checked before the index.
    let mut last: Option<(&str, &str, usize)> = None;
    let commits = snapshot
        .commits
        .iter()
        .map(|info| {
            let (author, email) = (&*info.author, &*info.email);
            let person = match last {
                Some((a, e, index)) if a == author && e == email => index,
                _ => {
                    let index = *person_index.entry((author, email)).or_insert_with(|| {
                        people.push((Cow::Borrowed(author), Cow::Borrowed(email)));
                        people.len() - 1
                    });
                    last = Some((author, email, index));
                    index
                }
            };
            let (time, offset) = pair(&info.time);
            let (committed, committed_offset) = pair(&info.committed);
            (
                Cow::Borrowed(info.id.as_str()),
                person,
                time,
                offset,
                committed,
                committed_offset,
            )
        })
        .collect();
    let mut files: Vec<StoredFile<'_>> = snapshot
        .files
        .iter()
        .map(|(path, r)| {
            (
                Cow::Borrowed(path.as_str()),
                r.first,
                r.last,
                r.boundary,
                r.versions
                    .iter()
                    .map(|&(c, blob)| (c, id_bytes(blob)))
                    .collect(),
                id_bytes(r.at_tip),
            )
        })
        .collect();
    files.sort_by(|a, b| a.0.cmp(&b.0));
    let file = CacheFile {
        format: FORMAT,
        version: Cow::Borrowed(env!("CARGO_PKG_VERSION")),
        key: Cow::Borrowed(key),
        prefixes: Cow::Borrowed(prefixes),
        tip: tip.to_string(),
        people,
        commits,
        files,
    };
    // About what a file takes per commit (ids in hex) and per version.
    let expected = 64 * file.commits.len()
        + file
            .files
            .iter()
            .map(|f| f.0.len() + 24 * f.4.len() + 32)
            .sum::<usize>();
    let bytes = crate::sealed::seal_value(MAGIC, &file, expected)?;
    crate::sealed::write_atomic(path, &bytes)?;
    remove_outdated(path.parent()?);
    Some(())
}

/// An object id as the 20 bytes the file stores.
fn id_bytes(id: Oid) -> [u8; 20] {
    let mut bytes = [0; 20];
    bytes.copy_from_slice(id.as_bytes());
    bytes
}

/// Removes the caches of earlier formats, which this version does not
/// read and which a file of its own format never replaces (the format is
/// part of the name): eight to ten megabytes each for 10,000 reports, left
/// behind by every upgrade. They are the JSON files of formats 1 and 2,
/// the files of the layout before the checksum, and sealed files of a
/// lower format; a higher format is a newer milepost's, used beside this
/// one, and stays. Everything under `.git/milepost/` is milepost's own.
fn remove_outdated(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let Some(rest) = name.strip_prefix("history-") else {
            continue;
        };
        // Only regular files are opened (a pipe would hang the run), and
        // one this user cannot read is left to the user who wrote it.
        let outdated = rest.ends_with(".json")
            || (rest.ends_with(".bin")
                && entry.file_type().is_ok_and(|t| t.is_file())
                && format_of(&entry.path())
                    .is_some_and(|format| format.is_none_or(|f| f < FORMAT)));
        if outdated {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// The format of the sealed history cache at `path`, read from its first
/// bytes: `Some(None)` for a file of another layout, `None` for one that
/// cannot be read.
fn format_of(path: &Path) -> Option<Option<u32>> {
    use std::io::Read;
    // The magic, the checksum, then the format as postcard's varint.
    let mut head = Vec::new();
    std::fs::File::open(path)
        .ok()?
        .take((MAGIC.len() + 8 + 5) as u64)
        .read_to_end(&mut head)
        .ok()?;
    let varint = head.strip_prefix(MAGIC).and_then(|rest| rest.get(8..));
    Some(
        varint
            .and_then(|varint| postcard::take_from_bytes::<u32>(varint).ok())
            .map(|(format, _)| format),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::temp_files::TEMP_MARK;

    fn snapshot() -> Snapshot {
        let info = Arc::new(CommitInfo {
            id: "0123456789abcdef0123456789abcdef01234567".into(),
            author: Arc::from("Ola"),
            email: Arc::from("ola@example.org"),
            time: super::super::datetime(1_474_300_800, 120),
            committed: super::super::datetime(1_474_300_900, 120),
        });
        let mut files = FastMap::default();
        files.insert(
            "docs/2016_uke_38.rst".to_string(),
            Record {
                first: 0,
                last: 0,
                boundary: false,
                versions: vec![(
                    0,
                    Oid::from_str("0123456789abcdef0123456789abcdef89abcdef").unwrap(),
                )],
                at_tip: Oid::from_str("89abcdef0123456789abcdef0123456789abcdef").unwrap(),
            },
        );
        Snapshot {
            commits: vec![info],
            files,
        }
    }

    /// [`snapshot`] stored under the key `key` for `docs`, in a folder of
    /// its own (kept while the returned guard lives).
    fn stored_file() -> (tempfile::TempDir, std::path::PathBuf, Vec<String>) {
        let dir = tempfile::tempdir().expect("temp");
        let path = dir.path().join("history-x.bin");
        let tip = Oid::from_str("0123456789abcdef0123456789abcdef01234567").expect("id");
        let prefixes = vec!["docs".to_string()];
        store(&path, "key", &prefixes, tip, &snapshot());
        (dir, path, prefixes)
    }

    /// One or two flipped bytes anywhere in the payload make the cache
    /// unusable (a cold walk), never a history with another date or id.
    #[test]
    fn flipped_bytes_are_caught() {
        let (_dir, path, prefixes) = stored_file();
        let good = std::fs::read(&path).expect("written");
        let loaded = load(&path, "key", &prefixes).expect("loads");
        assert_eq!(loaded.snapshot.histories(), snapshot().histories());
        for at in MAGIC.len()..good.len() {
            for flips in [&[0x01u8][..], &[0x80, 0x01]] {
                let mut bad = good.clone();
                for (k, flip) in flips.iter().enumerate() {
                    let i = MAGIC.len() + (at - MAGIC.len() + k * 7) % (good.len() - MAGIC.len());
                    bad[i] ^= flip;
                }
                std::fs::write(&path, &bad).expect("write");
                assert!(
                    load(&path, "key", &prefixes).is_none(),
                    "flip at {at} went unnoticed"
                );
            }
        }
    }

    /// A file another version of milepost wrote is not read: at HEAD it
    /// would be taken without listing HEAD's files, and which files a
    /// selection takes may differ between versions.
    #[test]
    fn a_file_written_by_another_version_is_not_read() {
        let (_dir, path, prefixes) = stored_file();
        assert!(load(&path, "key", &prefixes).is_some());
        let payload = std::fs::read(&path).expect("written");
        let payload = crate::sealed::open(MAGIC, &payload).expect("sealed");
        let mut file: CacheFile = postcard::from_bytes(payload).expect("decodes");
        file.version = Cow::Borrowed("0.0.1-older");
        let other = crate::sealed::seal_value(MAGIC, &file, 0).expect("seals");
        std::fs::write(&path, other).expect("write");
        assert!(load(&path, "key", &prefixes).is_none());
    }

    #[test]
    fn a_cache_file_says_its_format_or_that_it_has_none_or_cannot_be_read() {
        let dir = tempfile::tempdir().expect("temp");
        let sealed = dir.path().join("sealed");
        let mut bytes = MAGIC.to_vec();
        bytes.extend_from_slice(&[0; 8]);
        bytes.push(5);
        std::fs::write(&sealed, &bytes).expect("write");
        assert_eq!(format_of(&sealed), Some(Some(5)));
        let other = dir.path().join("other");
        std::fs::write(&other, b"milepost history cache\n").expect("write");
        assert_eq!(format_of(&other), Some(None), "another layout");
        // Unreadable: nothing to judge it by, so it is not removed.
        assert_eq!(format_of(&dir.path().join("missing")), None);
        assert_eq!(format_of(dir.path()), None, "a folder");
    }

    #[test]
    fn stale_temporary_files_are_removed() {
        let dir = tempfile::tempdir().expect("temp");
        let stale = dir.path().join(format!("{TEMP_MARK}killed"));
        let fresh = dir.path().join(format!("{TEMP_MARK}writing"));
        let other = dir.path().join("results.bin");
        for file in [&stale, &fresh, &other] {
            std::fs::write(file, b"x").expect("write");
        }
        let old = std::time::SystemTime::now() - 2 * crate::temp_files::STALE_AFTER;
        std::fs::File::options()
            .write(true)
            .open(&stale)
            .and_then(|f| f.set_modified(old))
            .expect("age");
        let tip = Oid::from_str("0123456789abcdef0123456789abcdef01234567").expect("id");
        store(
            &dir.path().join("history-1.bin"),
            "k",
            &[],
            tip,
            &snapshot(),
        );
        assert!(!stale.exists());
        assert!(fresh.exists());
        assert!(other.exists());
        let left: Vec<String> = std::fs::read_dir(dir.path())
            .expect("list")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|name| name.starts_with(TEMP_MARK))
            .collect();
        assert_eq!(left, [format!("{TEMP_MARK}writing")]);
    }
}
