//! The results cache: `<git common dir>/milepost/results.bin`.
//!
//! A report that has not changed since the last run gives the same
//! per-file findings, and a series none of whose reports changed gives the
//! same item-tracking findings; parsing and tracking are most of a check's
//! time, so both are kept, and a warm run costs little more than reading
//! the files.
//!
//! - **A report** is stored under its path and its blob id (git's SHA-1 of
//!   its bytes, [`crate::git::blob_id`]), with what later steps need of it
//!   instead of its document: the schema it was read with, what it says
//!   about itself (`ReportInfo`), its title's place, its per-file findings
//!   other than links, and its links. Links are judged again on every run,
//!   against the tree as it is then (a linked file may have appeared or
//!   gone while the report stayed the same). Whether it has comments addressed to
//!   milepost (suppressions) and whether it says a report was not written (for
//!   `missing-report`) is kept too: only those few reports are parsed
//!   again, on the step that needs them.
//! - **A series** is stored under the SHA-1 of its reports' paths, blob
//!   ids and days, with the findings of `stale-item`, `overdue-item`,
//!   `dropped-item` and the overdue dates in status sections; any change to
//!   a report of the series, or a report added or gone, misses. A run that
//!   shows milestones follows every series (the milestones need the items
//!   themselves); a `check`'s milestone findings are stored under every
//!   series' key, the milestones file's bytes and the day.
//! - **The whole file** is keyed on what every finding may depend on: this
//!   build of milepost, the text of the config and of every schema file it
//!   read, the `--severity` overrides and the project folder. Any change to
//!   them starts afresh (a comment in `milepost.yaml` too: unlike the
//!   history walk, almost every result depends on the config).
//! - It is a sealed file ([`crate::sealed`]): checksummed and written
//!   atomically, rewritten only when a run computed something it did not
//!   hold or left something behind. A whole run keeps exactly what it saw;
//!   a run over some reports adds to what was there. A file that is not a
//!   regular file, or does not open, parse or fit, is ignored and replaced.
//! - **A report's file metadata** (its [`Stat`]) is kept beside its blob id
//!   once the file has been still for a few seconds before a run read it:
//!   while it is unchanged, the next run takes the stored results without
//!   opening the file, as git trusts its index (the findings keep the text
//!   of their line for that). A file changed since, even to the same size
//!   and modification time, has another change time.
//! - `--staged` runs do not use it: a commit hook checks a file or two,
//!   from the index, and loading the cache would cost more than it saves.

use std::ops::Range;
use std::path::PathBuf;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::hash::{FastMap, FastSet};

use crate::diagnostic::Diagnostic;
use crate::registry::{Rule, Severity};
use crate::report::{Link, Pos};
use crate::rules::dated::{Named, NamedDates};
use crate::rules::structure::ReportInfo;

/// Bumped whenever the meaning or the shape of the file changes.
const FORMAT: u32 = 2;

/// The first bytes of the file (see [`crate::sealed`]).
const MAGIC: &[u8] = b"milepost results cache\n";

/// A SHA-1: a blob id, or the key of a series or of the whole file.
pub(crate) type Id = [u8; 20];

/// What the cache keeps of a report checked on its own.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct StoredReport {
    pub(crate) id: Id,
    /// The name of the schema it was read with.
    pub(crate) schema: String,
    pub(crate) info: StoredInfo,
    pub(crate) title: Option<Pos>,
    /// Its per-file findings, before levels and suppressions; not links.
    pub(crate) findings: Vec<StoredFinding>,
    pub(crate) links: Vec<Link>,
    /// The document has comments addressed to milepost: suppressions
    /// need it parsed again.
    pub(crate) comments: bool,
    /// The document says a report was not written: `missing-report`
    /// needs it parsed again.
    pub(crate) gap_note: bool,
}

/// A report's entry, encoded where it was checked: a run holds these
/// bytes for the reports it checks, not the [`StoredReport`]s (with their
/// links and findings), until the file is written.
#[derive(Debug)]
pub(crate) struct EncodedReport {
    pub(crate) id: Id,
    bytes: Vec<u8>,
}

impl EncodedReport {
    /// `None` if postcard refuses it (nothing in a report is of a kind it
    /// refuses); the report is then not stored.
    pub(crate) fn of(stored: &StoredReport) -> Option<EncodedReport> {
        Some(EncodedReport {
            id: stored.id,
            bytes: postcard::to_allocvec(stored).ok()?,
        })
    }
}

/// A finding as stored: its rule by code, so that a file written by
/// another build can never name a rule this one lacks (it is then unused).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct StoredFinding {
    code: String,
    severity: Severity,
    path: String,
    line: u32,
    column: u32,
    end_column: Option<u32>,
    message: String,
    hint: Option<String>,
    /// The text of its line, so that a report the run does not read still
    /// shows it (snippets, fingerprints).
    source_line: Option<String>,
}

impl StoredFinding {
    pub(crate) fn of(finding: &Diagnostic) -> Self {
        StoredFinding {
            code: finding.code.to_owned(),
            severity: finding.severity,
            path: finding.path.clone(),
            line: finding.line,
            column: finding.column,
            end_column: finding.end_column,
            message: finding.message.clone(),
            hint: finding.hint.clone(),
            source_line: finding.source_line.clone(),
        }
    }

    /// The finding again, its strings moved rather than copied (a run
    /// takes back tens of thousands). `None` for a rule this build does
    /// not have.
    pub(crate) fn into_diagnostic(self) -> Option<Diagnostic> {
        let rule = Rule::ALL.iter().copied().find(|r| r.code() == self.code)?;
        Some(Diagnostic {
            severity: self.severity,
            path: self.path,
            end_column: self.end_column,
            hint: self.hint,
            source_line: self.source_line,
            ..Diagnostic::new(rule, "", Pos::new(self.line, self.column), self.message)
        })
    }
}

/// [`ReportInfo`] as stored.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(crate) struct StoredInfo {
    year: Option<i32>,
    week: Option<u32>,
    date: Option<NaiveDate>,
    author: Option<String>,
    organisation: Option<String>,
    named: Option<StoredNamedDates>,
}

/// [`NamedDates`] as stored: the file name's, the title's, the byline's.
type StoredNamedDates = (
    Option<StoredNamed>,
    Option<StoredNamed>,
    Option<(NaiveDate, Pos)>,
);

/// [`Named`] as stored: a reading's order by name (see
/// [`crate::dated::ORDERS`]).
#[derive(Clone, Debug, Serialize, Deserialize)]
struct StoredNamed {
    date: NaiveDate,
    text: String,
    pos: Pos,
    readings: Vec<(NaiveDate, String)>,
    resolution: Option<String>,
}

impl StoredInfo {
    pub(crate) fn of(info: &ReportInfo) -> Self {
        let named = |n: &Named| StoredNamed {
            date: n.date,
            text: n.text.clone(),
            pos: n.pos,
            readings: n
                .readings
                .iter()
                .map(|r| (r.date, r.order.to_owned()))
                .collect(),
            resolution: n.resolution.clone(),
        };
        StoredInfo {
            year: info.year,
            week: info.week,
            date: info.date,
            author: info.author.clone(),
            organisation: info.organisation.clone(),
            named: info.named.as_ref().map(|n| {
                (
                    n.file.as_ref().map(named),
                    n.title.as_ref().map(named),
                    n.byline,
                )
            }),
        }
    }

    /// The info back; `None` if a reading names an order this build does
    /// not know.
    pub(crate) fn to_info(&self) -> Option<ReportInfo> {
        let named = |n: &StoredNamed| -> Option<Named> {
            Some(Named {
                date: n.date,
                text: n.text.clone(),
                pos: n.pos,
                readings: n
                    .readings
                    .iter()
                    .map(|(date, order)| {
                        let order = crate::dated::ORDERS.iter().find(|o| **o == order)?;
                        Some(crate::dated::Reading { date: *date, order })
                    })
                    .collect::<Option<_>>()?,
                resolution: n.resolution.clone(),
            })
        };
        // Absent stays absent; present must come back.
        let either = |stored: &Option<StoredNamed>| match stored {
            None => Some(None),
            Some(stored) => named(stored).map(Some),
        };
        let named = match &self.named {
            None => None,
            Some((file, title, byline)) => Some(NamedDates {
                file: either(file)?,
                title: either(title)?,
                byline: *byline,
            }),
        };
        Some(ReportInfo {
            year: self.year,
            week: self.week,
            date: self.date,
            author: self.author.clone(),
            organisation: self.organisation.clone(),
            named,
        })
    }
}

/// The file's layout: each entry in its own postcard bytes, borrowed from
/// the file when it is read.
#[derive(Serialize, Deserialize)]
struct CacheFile<'a> {
    format: u32,
    key: Id,
    #[serde(borrow)]
    reports: Vec<(&'a str, Id, Option<Stat>, Bytes<'a>)>,
    #[serde(borrow)]
    series: Vec<(Id, Bytes<'a>)>,
}

/// An entry's bytes, written as bytes. serde writes a `&[u8]` as a
/// sequence of `u8`, one call per byte (most of the time of writing a
/// 14 MB file); postcard writes both as their length and the bytes, so
/// the file is the same either way.
#[derive(Clone, Copy, Deserialize)]
struct Bytes<'a>(&'a [u8]);

impl Serialize for Bytes<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(self.0)
    }
}

/// The results of earlier runs, for one run.
///
/// Entries stay in their postcard bytes (where they lie in the file that
/// was read) until they are asked for: the reports' on the checking
/// threads, in parallel, rather than all at once before checking starts
/// (about 30 ms of a 10,000-report run).
#[derive(Debug)]
pub(crate) struct ResultsCache {
    path: PathBuf,
    key: Id,
    /// The file as read.
    file: Vec<u8>,
    /// Each report's blob id, metadata and where its entry lies in `file`.
    reports: FastMap<Box<str>, (Id, Option<Stat>, Range<usize>)>,
    /// When this run opened the cache, before it read any report, in
    /// seconds since 1970 (see [`Stat::settled`]).
    started: i64,
    /// Where each series' entry lies in `file`.
    series: FastMap<Id, Range<usize>>,
}

/// The reports' part of [`Fresh`], which is known before the series are
/// followed.
#[derive(Debug, Default)]
pub(crate) struct FreshReports {
    pub(crate) reports: Vec<(String, EncodedReport)>,
    pub(crate) stats: Vec<(String, Stat)>,
    pub(crate) whole: Option<Vec<String>>,
}

/// The start of the next file, up to its series
/// ([`ResultsCache::encode_reports`]); `None` if it could not be encoded.
#[derive(Debug)]
pub(crate) struct EncodedReports {
    bytes: Option<Vec<u8>>,
    /// Whether the reports' part differs from the file's.
    changed: bool,
    /// Whether the run was whole (its series forget those it did not see).
    whole: bool,
}

impl Fresh {
    /// The reports' part, taken out.
    pub(crate) fn take_reports(&mut self) -> FreshReports {
        FreshReports {
            reports: std::mem::take(&mut self.reports),
            stats: std::mem::take(&mut self.stats),
            whole: self.whole.take(),
        }
    }
}

/// What a run adds to the cache.
#[derive(Debug, Default)]
pub(crate) struct Fresh {
    /// Reports checked this run and not found in the cache.
    pub(crate) reports: Vec<(String, EncodedReport)>,
    /// Series followed this run and not found in the cache.
    pub(crate) series: Vec<(Id, Vec<StoredFinding>)>,
    /// Every series key this run looked up, found or not: a whole run
    /// keeps these and forgets the rest (states the tree has left).
    pub(crate) seen_series: Vec<Id>,
    /// Every report path of a whole run (what the file should keep); empty
    /// for a run over some reports, which only adds.
    pub(crate) whole: Option<Vec<String>>,
    /// The metadata of reports read this run that had settled
    /// ([`ResultsCache::stat_to_keep`]), where the cache does not hold it yet.
    pub(crate) stats: Vec<(String, Stat)>,
}

/// A report file's metadata as `stat` gives it: git's index trusts the
/// same fields to say a file has not changed since it was hashed. Unix
/// only; elsewhere every report is read and hashed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Stat {
    dev: u64,
    ino: u64,
    mode: u32,
    size: u64,
    /// Seconds and nanoseconds.
    modified: (i64, i64),
    changed: (i64, i64),
}

/// How long a file must have been still before a run read it for its
/// metadata to be trusted: longer than any file system's clock step (two
/// seconds on FAT), so that a change made after the read cannot leave the
/// same times behind.
const SETTLE_SECONDS: i64 = 2;

impl Stat {
    #[cfg(unix)]
    pub(crate) fn of(meta: &std::fs::Metadata) -> Option<Stat> {
        use std::os::unix::fs::MetadataExt;
        Some(Stat {
            dev: meta.dev(),
            ino: meta.ino(),
            mode: meta.mode(),
            size: meta.size(),
            modified: (meta.mtime(), meta.mtime_nsec()),
            changed: (meta.ctime(), meta.ctime_nsec()),
        })
    }

    #[cfg(not(unix))]
    pub(crate) fn of(_meta: &std::fs::Metadata) -> Option<Stat> {
        None
    }

    /// Whether the file was last written and last changed (its change
    /// time moves with any write, chmod or `touch`) more than
    /// [`SETTLE_SECONDS`] before `started`. Only then can its metadata
    /// vouch for its bytes: a write after the read (so after `started`)
    /// leaves a later time, whatever the file system's clock step.
    fn settled(&self, started: i64) -> bool {
        let limit = started.saturating_sub(SETTLE_SECONDS);
        self.modified.0 < limit && self.changed.0 < limit
    }
}

impl ResultsCache {
    /// The cache in `dir` for a run keyed on `inputs` (see the module
    /// doc), loaded if there is a usable one, else empty.
    pub(crate) fn open(dir: PathBuf, inputs: &[impl AsRef<[u8]>]) -> ResultsCache {
        let key = key_of(inputs);
        let path = dir.join("results.bin");
        let started = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |since| {
                i64::try_from(since.as_secs()).unwrap_or(i64::MAX)
            });
        let mut cache = ResultsCache {
            path,
            key,
            file: Vec::new(),
            reports: FastMap::default(),
            series: FastMap::default(),
            started,
        };
        // Read like a file the operator names: only a regular file (a pipe
        // put there would hang the run), and not beyond the size cap.
        let Ok(bytes) = crate::boundary::read_operator_file(&cache.path) else {
            return cache;
        };
        let within = |part: &[u8]| {
            let start = part.as_ptr() as usize - bytes.as_ptr() as usize;
            start..start + part.len()
        };
        if let Some(payload) = crate::sealed::open(MAGIC, &bytes)
            && let Ok(file) = postcard::from_bytes::<CacheFile>(payload)
            && file.format == FORMAT
            && file.key == key
        {
            cache.reports = file
                .reports
                .iter()
                .map(|(path, id, stat, entry)| (Box::from(*path), (*id, *stat, within(entry.0))))
                .collect();
            cache.series = file
                .series
                .iter()
                .map(|(id, entry)| (*id, within(entry.0)))
                .collect();
            drop(file);
            cache.file = bytes;
        }
        cache
    }

    /// The folder of the file (the wordings store lives beside it, see
    /// [`super::wordings`]).
    pub(crate) fn dir(&self) -> Option<&std::path::Path> {
        self.path.parent()
    }

    /// The bytes of an entry of the file.
    fn bytes(&self, range: &Range<usize>) -> &[u8] {
        self.file.get(range.clone()).unwrap_or_default()
    }

    /// The stored results of the report at `path` with blob id `id`.
    pub(crate) fn report(&self, path: &str, id: &Id) -> Option<StoredReport> {
        let (stored_id, _, entry) = self.reports.get(path)?;
        if stored_id != id {
            return None;
        }
        let stored: StoredReport = postcard::from_bytes(self.bytes(entry)).ok()?;
        (stored.id == *id).then_some(stored)
    }

    /// The stored results of the report at `path` if metadata is stored
    /// for it and its file's, looked at (`current`) only then, is the
    /// same: the file need not be read. A report without stored metadata
    /// (a cold run's every report) costs no look.
    pub(crate) fn report_unchanged(
        &self,
        path: &str,
        current: impl FnOnce() -> Option<Stat>,
    ) -> Option<StoredReport> {
        let (id, Some(stored), _) = self.reports.get(path)? else {
            return None;
        };
        if current()? != *stored {
            return None;
        }
        self.report(path, id)
    }

    /// The metadata to keep for the report at `path`, read this run with
    /// `stat`: `None` when the file has not settled (see
    /// [`Stat::settled`]) or the cache holds this very metadata already.
    pub(crate) fn stat_to_keep(&self, path: &str, stat: Option<Stat>) -> Option<Stat> {
        let stat = stat.filter(|stat| stat.settled(self.started))?;
        let known = self
            .reports
            .get(path)
            .is_some_and(|(_, stored, _)| stored.as_ref() == Some(&stat));
        (!known).then_some(stat)
    }

    /// Replaces every series' stored findings with bytes that do not
    /// decode, in a file whose checksum holds (what no run writes), and
    /// says how many there were.
    #[cfg(test)]
    pub(crate) fn damage_series(self) -> usize {
        let garbage = [0xff; 3];
        let reports = self.report_entries();
        let series: Vec<(Id, Bytes)> = self
            .series
            .keys()
            .map(|key| (*key, Bytes(&garbage)))
            .collect();
        let file = CacheFile {
            format: FORMAT,
            key: self.key,
            reports,
            series,
        };
        let bytes = crate::sealed::seal_value(MAGIC, &file, 0).expect("seals");
        crate::sealed::write_atomic(&self.path, &bytes).expect("written");
        self.series.len()
    }

    /// The reports' entries as the file has them, in path order.
    #[cfg(test)]
    fn report_entries(&self) -> Vec<(&str, Id, Option<Stat>, Bytes<'_>)> {
        let mut reports: Vec<(&str, Id, Option<Stat>, Bytes)> = self
            .reports
            .iter()
            .map(|(path, (id, stat, range))| (&**path, *id, *stat, Bytes(self.bytes(range))))
            .collect();
        reports.sort_unstable_by(|a, b| a.0.cmp(b.0));
        reports
    }

    /// Whether findings are stored under `key` (see [`Self::series`]).
    pub(crate) fn holds_series(&self, key: &Id) -> bool {
        self.series.contains_key(key)
    }

    /// The stored tracking findings of the series keyed `key`, as
    /// findings; `None` when there are none stored, or one names a rule
    /// this build lacks (the series is then followed afresh).
    pub(crate) fn series(&self, key: &Id) -> Option<Vec<Diagnostic>> {
        let stored: Vec<StoredFinding> =
            postcard::from_bytes(self.bytes(self.series.get(key)?)).ok()?;
        stored
            .into_iter()
            .map(StoredFinding::into_diagnostic)
            .collect()
    }

    /// Writes what a run learnt, both parts at once (a run encodes the
    /// reports' part early, see [`Self::encode_reports`]).
    #[cfg(test)]
    pub(crate) fn store(&self, mut fresh: Fresh) {
        let reports = self.encode_reports(fresh.take_reports());
        self.store_with(reports, fresh);
    }

    /// The reports' part of the next file: the entries the cache holds,
    /// less those of paths a whole run did not see (`whole`), with this
    /// run's new entries and metadata. Made apart (on another thread, while
    /// the run follows its series) from the part that waits for the series
    /// ([`Self::store_with`]): it is most of the file.
    pub(crate) fn encode_reports(&self, fresh: FreshReports) -> EncodedReports {
        let new: Vec<(String, Id, Vec<u8>)> = fresh
            .reports
            .into_iter()
            .map(|(path, encoded)| (path, encoded.id, encoded.bytes))
            .collect();
        let stats: FastMap<&str, Stat> = fresh
            .stats
            .iter()
            .map(|(path, stat)| (path.as_str(), *stat))
            .collect();
        let current: Option<FastSet<&str>> = fresh
            .whole
            .as_ref()
            .map(|paths| paths.iter().map(String::as_str).collect());
        let replaced: FastSet<&str> = new.iter().map(|(path, _, _)| path.as_str()).collect();
        let mut entries: Vec<(&str, Id, Option<Stat>, Bytes)> =
            Vec::with_capacity(self.reports.len() + new.len());
        let mut forgotten = false;
        for (path, (id, stat, entry)) in &self.reports {
            if current
                .as_ref()
                .is_some_and(|current| !current.contains(&**path))
            {
                forgotten = true;
                continue;
            }
            if !replaced.contains(&**path) {
                let stat = stats.get(&**path).copied().or(*stat);
                entries.push((path, *id, stat, Bytes(self.bytes(entry))));
            }
        }
        for (path, id, bytes) in &new {
            entries.push((path, *id, stats.get(path.as_str()).copied(), Bytes(bytes)));
        }
        entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
        // The entries, their paths and about 60 bytes of ids and metadata
        // beside each; the series are added later.
        let expected: usize = entries
            .iter()
            .map(|entry| entry.0.len() + entry.3.0.len() + 60)
            .sum();
        // The file's fields up to the series, as `CacheFile` has them.
        let mut bytes = crate::sealed::begin(MAGIC, expected + expected / 4);
        let header = (FORMAT, self.key, entries);
        let bytes = postcard::serialize_with_flavor(&header, crate::sealed::Appending(&mut bytes))
            .ok()
            .map(|()| bytes);
        EncodedReports {
            changed: !new.is_empty() || !fresh.stats.is_empty() || forgotten,
            bytes,
            whole: fresh.whole.is_some(),
        }
    }

    /// Writes the file from `reports` ([`Self::encode_reports`]) and the
    /// series of `fresh` (its reports' part taken already), if anything
    /// changed.
    pub(crate) fn store_with(&self, reports: EncodedReports, fresh: Fresh) {
        let Some(mut bytes) = reports.bytes else {
            return;
        };
        let new: Vec<(Id, Vec<u8>)> = fresh
            .series
            .iter()
            .filter_map(|(key, findings)| Some((*key, postcard::to_allocvec(findings).ok()?)))
            .collect();
        let seen: Option<FastSet<&Id>> = reports.whole.then(|| fresh.seen_series.iter().collect());
        let replaced: FastSet<&Id> = new.iter().map(|(key, _)| key).collect();
        let mut series: Vec<(Id, Bytes)> = Vec::with_capacity(self.series.len() + new.len());
        let mut forgotten = false;
        for (key, entry) in &self.series {
            if seen.as_ref().is_some_and(|seen| !seen.contains(key)) {
                forgotten = true;
                continue;
            }
            if !replaced.contains(key) {
                series.push((*key, Bytes(self.bytes(entry))));
            }
        }
        series.extend(new.iter().map(|(key, bytes)| (*key, Bytes(bytes))));
        series.sort_unstable_by_key(|entry| entry.0);
        if !(reports.changed || !new.is_empty() || forgotten) {
            return;
        }
        if postcard::serialize_with_flavor(&series, crate::sealed::Appending(&mut bytes)).is_err() {
            return;
        }
        let bytes = crate::sealed::close(MAGIC, bytes);
        let _ = crate::sealed::write_atomic(&self.path, &bytes);
    }
}

/// The key of the whole file: SHA-1 over the format, this build and the
/// run's `inputs`, each with its length so that no two lists run together.
fn key_of(inputs: &[impl AsRef<[u8]>]) -> Id {
    let mut bytes = Vec::new();
    bytes.extend_from_slice(&FORMAT.to_le_bytes());
    bytes.extend_from_slice(env!("CARGO_PKG_VERSION").as_bytes());
    bytes.extend_from_slice(crate::sealed::build_identity());
    for input in inputs {
        let input = input.as_ref();
        bytes.extend_from_slice(&(input.len() as u64).to_le_bytes());
        bytes.extend_from_slice(input);
    }
    digest(&bytes)
}

/// The key of a series: SHA-1 over each of its reports' path, blob id
/// and day, in order.
pub(crate) fn series_key<'a>(reports: impl Iterator<Item = (&'a str, &'a Id, NaiveDate)>) -> Id {
    let mut bytes = Vec::new();
    for (path, id, day) in reports {
        bytes.extend_from_slice(&(path.len() as u64).to_le_bytes());
        bytes.extend_from_slice(path.as_bytes());
        bytes.extend_from_slice(id);
        bytes.extend_from_slice(&day.to_string().into_bytes());
    }
    digest(&bytes)
}

/// SHA-1 of `bytes`.
pub(crate) fn digest(bytes: &[u8]) -> Id {
    crate::git::blob_id(bytes).unwrap_or([0; 20])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding() -> Diagnostic {
        let mut finding = Diagnostic::new(
            Rule::BrokenLink,
            "docs/2016_uke_38.rst",
            Pos::new(12, 5),
            "broken :doc: link `plan`",
        )
        .with_hint("fix the path");
        finding.end_column = Some(9);
        finding.severity = Severity::Error;
        finding
    }

    #[test]
    fn a_finding_comes_back_as_it_went_in() {
        let back = StoredFinding::of(&finding()).into_diagnostic().unwrap();
        assert_eq!(back, finding());
    }

    #[test]
    fn a_finding_of_an_unknown_rule_is_not_taken_back() {
        let mut stored = StoredFinding::of(&finding());
        stored.code = "Z999".into();
        assert!(stored.into_diagnostic().is_none());
    }

    #[test]
    fn a_date_named_report_info_comes_back_as_it_went_in() {
        let day = NaiveDate::from_ymd_opt(2017, 2, 26).unwrap();
        let named = Named {
            date: day,
            text: "26/02/17".into(),
            pos: Pos::new(1, 9),
            readings: vec![crate::dated::Reading {
                date: day,
                order: "day/month/year",
            }],
            resolution: Some("read as day/month/year".into()),
        };
        let info = ReportInfo {
            year: Some(2017),
            week: Some(8),
            date: Some(day),
            author: Some("Kari".into()),
            organisation: None,
            named: Some(NamedDates {
                file: Some(named.clone()),
                title: None,
                byline: Some((day, Pos::new(3, 1))),
            }),
        };
        assert_eq!(StoredInfo::of(&info).to_info(), Some(info.clone()));
        let mut unknown = StoredInfo::of(&info);
        if let Some((Some(file), _, _)) = &mut unknown.named {
            file.readings[0].1 = "sideways".into();
        }
        assert_eq!(unknown.to_info(), None);
    }

    fn stored(id: u8) -> EncodedReport {
        EncodedReport::of(&StoredReport {
            id: [id; 20],
            schema: "uke".into(),
            info: StoredInfo::of(&ReportInfo::default()),
            title: Some(Pos::new(1, 1)),
            findings: vec![StoredFinding::of(&finding())],
            links: Vec::new(),
            comments: false,
            gap_note: false,
        })
        .unwrap()
    }

    impl ResultsCache {
        /// Stores `reports` and `stats` as a run over some reports does.
        fn into_stored(self, reports: Vec<(String, EncodedReport)>, stats: Vec<(String, Stat)>) {
            self.store(Fresh {
                reports,
                stats,
                ..Fresh::default()
            });
        }
    }

    /// Entries written as bytes make the file that writing them as a
    /// sequence of `u8` made, and are read back as such.
    #[test]
    fn entries_are_written_as_their_bytes_in_the_same_layout() {
        let entry: Vec<u8> = (0..=255).collect();
        let as_bytes = postcard::to_allocvec(&(Bytes(&entry), 7u8)).unwrap();
        let as_sequence = postcard::to_allocvec(&(entry.as_slice(), 7u8)).unwrap();
        assert_eq!(as_bytes, as_sequence);
        let (read, _): (Bytes, u8) = postcard::from_bytes(&as_bytes).unwrap();
        assert_eq!(read.0, entry.as_slice());
    }

    #[test]
    fn a_stored_run_is_found_by_path_and_id_and_only_under_its_key() {
        let dir = tempfile::tempdir().unwrap();
        let cache = ResultsCache::open(dir.path().to_path_buf(), &[b"config A"]);
        assert!(cache.report("a.rst", &[1; 20]).is_none());
        cache.store(Fresh {
            reports: vec![("a.rst".into(), stored(1))],
            series: vec![([7; 20], vec![StoredFinding::of(&finding())])],
            seen_series: vec![[7; 20]],
            whole: Some(vec!["a.rst".into()]),
            stats: Vec::new(),
        });
        let cache = ResultsCache::open(dir.path().to_path_buf(), &[b"config A"]);
        assert!(cache.report("a.rst", &[1; 20]).is_some());
        assert!(cache.report("a.rst", &[2; 20]).is_none(), "another blob");
        assert!(cache.report("b.rst", &[1; 20]).is_none(), "another path");
        assert_eq!(cache.series(&[7; 20]), Some(vec![finding()]));
        let other = ResultsCache::open(dir.path().to_path_buf(), &[b"config B"]);
        assert!(other.report("a.rst", &[1; 20]).is_none(), "another config");
        // Inputs are kept apart: ["ab", "c"] is not ["a", "bc"].
        assert_ne!(key_of(&[&b"ab"[..], b"c"]), key_of(&[&b"a"[..], b"bc"]));
    }

    #[test]
    fn a_whole_run_keeps_only_what_it_saw_and_a_partial_run_adds() {
        let dir = tempfile::tempdir().unwrap();
        let open = || ResultsCache::open(dir.path().to_path_buf(), &[b"config"]);
        open().store(Fresh {
            reports: vec![("a.rst".into(), stored(1)), ("b.rst".into(), stored(2))],
            series: Vec::new(),
            seen_series: Vec::new(),
            whole: Some(vec!["a.rst".into(), "b.rst".into()]),
            stats: Vec::new(),
        });
        open().store(Fresh {
            reports: vec![("c.rst".into(), stored(3))],
            series: Vec::new(),
            seen_series: Vec::new(),
            whole: None,
            stats: Vec::new(),
        });
        let cache = open();
        assert!(cache.report("a.rst", &[1; 20]).is_some());
        assert!(cache.report("c.rst", &[3; 20]).is_some());
        // b.rst was deleted: a whole run forgets it.
        open().store(Fresh {
            reports: Vec::new(),
            series: Vec::new(),
            seen_series: Vec::new(),
            whole: Some(vec!["a.rst".into(), "c.rst".into()]),
            stats: Vec::new(),
        });
        let cache = open();
        assert!(cache.report("b.rst", &[2; 20]).is_none());
        assert!(cache.report("c.rst", &[3; 20]).is_some());
    }

    /// The file made in two parts (the reports' early, the series' when
    /// they are known) is the `CacheFile` of its entries, byte for byte;
    /// series come back, and a whole run forgets those it did not see.
    #[test]
    fn the_file_written_in_two_parts_is_the_whole_layout_and_series_come_back() {
        let dir = tempfile::tempdir().unwrap();
        let open = || ResultsCache::open(dir.path().to_path_buf(), &[b"config"]);
        let findings = vec![StoredFinding::of(&finding())];
        let series = |keys: &[u8]| -> Vec<(Id, Vec<StoredFinding>)> {
            keys.iter().map(|k| ([*k; 20], findings.clone())).collect()
        };
        let cache = open();
        let reports = cache.encode_reports(FreshReports {
            reports: vec![("a.rst".into(), stored(1)), ("b.rst".into(), stored(2))],
            stats: Vec::new(),
            whole: Some(vec!["a.rst".into(), "b.rst".into()]),
        });
        cache.store_with(
            reports,
            Fresh {
                series: series(&[7, 8]),
                seen_series: vec![[7; 20], [8; 20]],
                whole: Some(Vec::new()),
                ..Fresh::default()
            },
        );
        let written = std::fs::read(dir.path().join("results.bin")).unwrap();
        let cache = open();
        let reports = cache.report_entries();
        let mut kept: Vec<(Id, Bytes)> = cache
            .series
            .iter()
            .map(|(key, range)| (*key, Bytes(cache.bytes(range))))
            .collect();
        kept.sort_unstable_by_key(|entry| entry.0);
        assert_eq!((reports.len(), kept.len()), (2, 2));
        let whole = CacheFile {
            format: FORMAT,
            key: cache.key,
            reports,
            series: kept,
        };
        assert_eq!(
            crate::sealed::seal_value(MAGIC, &whole, 0).unwrap(),
            written
        );
        assert_eq!(cache.series(&[7; 20]).unwrap().len(), 1);
        assert_eq!(cache.series(&[8; 20]).unwrap().len(), 1);
        // A partial run adds a series; a whole run that saw only 9 keeps it alone.
        open().store(Fresh {
            series: series(&[9]),
            ..Fresh::default()
        });
        assert!(open().holds_series(&[7; 20]) && open().holds_series(&[9; 20]));
        open().store(Fresh {
            seen_series: vec![[9; 20]],
            whole: Some(vec!["a.rst".into(), "b.rst".into()]),
            ..Fresh::default()
        });
        let cache = open();
        assert!(!cache.holds_series(&[7; 20]) && !cache.holds_series(&[8; 20]));
        assert!(cache.holds_series(&[9; 20]));
        assert!(cache.report("a.rst", &[1; 20]).is_some());
    }

    #[test]
    fn a_damaged_file_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let open = || ResultsCache::open(dir.path().to_path_buf(), &[b"config"]);
        open().store(Fresh {
            reports: vec![("a.rst".into(), stored(1))],
            series: Vec::new(),
            seen_series: Vec::new(),
            whole: None,
            stats: Vec::new(),
        });
        let path = dir.path().join("results.bin");
        let mut bytes = std::fs::read(&path).unwrap();
        let last = bytes.len() - 3;
        bytes[last] ^= 0x40;
        std::fs::write(&path, bytes).unwrap();
        assert!(open().report("a.rst", &[1; 20]).is_none());
    }

    fn stat(changed: i64, size: u64) -> Stat {
        Stat {
            dev: 1,
            ino: 2,
            mode: 0o100644,
            size,
            modified: (changed - 10, 5),
            changed: (changed, 7),
        }
    }

    #[test]
    fn metadata_is_kept_once_settled_and_vouches_only_for_itself() {
        let dir = tempfile::tempdir().unwrap();
        let open = || ResultsCache::open(dir.path().to_path_buf(), &[b"config"]);
        let cache = open();
        let now = cache.started;
        // Changed (written, touched, chmod-ed) within the settling time of
        // the run's start, or after it: not kept.
        assert_eq!(cache.stat_to_keep("a.rst", Some(stat(now, 10))), None);
        assert_eq!(cache.stat_to_keep("a.rst", Some(stat(now - 2, 10))), None);
        assert_eq!(cache.stat_to_keep("a.rst", Some(stat(now + 60, 10))), None);
        let settled = stat(now - 3, 10);
        assert_eq!(cache.stat_to_keep("a.rst", Some(settled)), Some(settled));
        assert_eq!(cache.stat_to_keep("a.rst", None), None);
        cache.into_stored(
            vec![("a.rst".into(), stored(1))],
            vec![("a.rst".into(), settled)],
        );

        let cache = open();
        assert!(cache.report_unchanged("a.rst", || Some(settled)).is_some());
        assert_eq!(cache.stat_to_keep("a.rst", Some(settled)), None, "known");
        for other in [
            stat(now - 3, 11),
            stat(now - 4, 10),
            Stat { ino: 3, ..settled },
        ] {
            assert!(
                cache.report_unchanged("a.rst", || Some(other)).is_none(),
                "{other:?}"
            );
        }
        assert!(cache.report_unchanged("b.rst", || Some(settled)).is_none());
        // A report stored afresh has no metadata until it is given some.
        cache.into_stored(vec![("a.rst".into(), stored(2))], Vec::new());
        let cache = open();
        // Without stored metadata the file is not even looked at.
        let looked = std::cell::Cell::new(false);
        let look = || {
            looked.set(true);
            Some(settled)
        };
        assert!(cache.report_unchanged("a.rst", look).is_none());
        assert!(cache.report_unchanged("b.rst", look).is_none());
        assert!(!looked.get(), "looked at a file with no stored metadata");
        assert!(cache.report("a.rst", &[2; 20]).is_some());
    }
}
