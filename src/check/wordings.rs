//! The wordings store: `<git common dir>/milepost/wordings/`, one file per
//! series with what a run read of the series' wordings
//! ([`crate::tracking::Wordings`]).
//!
//! After a commit that changes one report, the results cache answers for
//! every other series, and the series that changed is followed again.
//! Reading its wordings was a third of that (on a series of 500 reports,
//! 5,000 distinct wordings, 28 ms of a 260 ms run); with the last run's
//! readings only the new wordings are read.
//!
//! - A file is kept per series, beside the results cache and used with
//!   it, so that a run reads only the files of the series it follows (a
//!   tree's wordings take more room than its results: about 1.3 MB per
//!   series of 500 reports).
//! - Its name is the FNV-1a hash of the series' name, and the file holds
//!   the name: a file of another series under the same hash is not used.
//! - What is read from a wording depends on the wording and on milepost
//!   (the stop words, the stemming, the done phrases), not on the config:
//!   the file is keyed on this build of milepost only.
//! - It is a sealed file ([`crate::sealed`]), written atomically, and only
//!   when the run read something the file did not hold. A whole run
//!   removes the files of series that are gone. A file that is not a
//!   regular file, or does not open, parse or fit, is ignored and
//!   replaced.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::hash::fnv1a;
use crate::tracking::{Wordings, WordingsToKeep};

/// Bumped whenever the meaning or the shape of the files changes.
const FORMAT: u32 = 1;

/// The first bytes of a file (see [`crate::sealed`]).
const MAGIC: &[u8] = b"milepost series wordings\n";

/// Where the wordings of series are kept, and for which build.
pub(crate) struct WordingStore {
    dir: PathBuf,
    build: Vec<u8>,
}

/// A file as written: borrowed.
#[derive(Serialize)]
struct Written<'a> {
    format: u32,
    build: &'a [u8],
    series: &'a str,
    wordings: &'a WordingsToKeep<'a>,
}

/// A file as read: the same layout, owned.
#[derive(Deserialize)]
struct Read {
    format: u32,
    build: Vec<u8>,
    series: String,
    wordings: Wordings,
}

impl WordingStore {
    /// The store in `cache_dir` (the folder of the results cache).
    pub(crate) fn in_dir(cache_dir: &Path) -> WordingStore {
        let mut build = env!("CARGO_PKG_VERSION").as_bytes().to_vec();
        build.extend_from_slice(crate::sealed::build_identity());
        WordingStore {
            dir: cache_dir.join("wordings"),
            build,
        }
    }

    fn path(&self, series: &str) -> PathBuf {
        self.dir.join(file_name(series))
    }

    /// The wordings kept for `series`, if there is a usable file.
    pub(crate) fn load(&self, series: &str) -> Option<Wordings> {
        // Read like a file the operator names: only a regular file (a pipe
        // put there would hang the run), and not beyond the size cap.
        let bytes = crate::boundary::read_operator_file(&self.path(series)).ok()?;
        let payload = crate::sealed::open(MAGIC, &bytes)?;
        let file: Read = postcard::from_bytes(payload).ok()?;
        (file.format == FORMAT && file.build == self.build && file.series == series)
            .then_some(file.wordings)
    }

    /// Keeps `wordings` for `series`. Failures are ignored: the store only
    /// ever saves time.
    pub(crate) fn store(&self, series: &str, wordings: &WordingsToKeep) {
        let file = Written {
            format: FORMAT,
            build: &self.build,
            series,
            wordings,
        };
        let expected = wordings.approximate_bytes() + series.len() + self.build.len() + 16;
        if let Some(bytes) = crate::sealed::seal_value(MAGIC, &file, expected) {
            let _ = crate::sealed::write_atomic(&self.path(series), &bytes);
        }
    }

    /// Removes the files of every series but `series` (a whole run's).
    pub(crate) fn keep_only<'s>(&self, series: impl Iterator<Item = &'s str>) {
        let wanted: std::collections::HashSet<String> = series.map(file_name).collect();
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let ours = name.len() == "0123456789abcdef.bin".len() && name.ends_with(".bin");
            let is_file = entry.file_type().is_ok_and(|t| t.is_file());
            if ours && is_file && !wanted.contains(&name) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }
}

fn file_name(series: &str) -> String {
    format!("{:016x}.bin", fnv1a(series.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Format, parse};
    use crate::schema::Schema;
    use crate::tracking::{ReportView, Tracking, track_one_series};

    /// A small series followed, its wordings stored under each name of
    /// `series`; what was kept, as it reads back.
    fn follow_and_store(store: &WordingStore, series: &[&str]) -> Wordings {
        let text = "Uke 38\n======\n\nav A, B, 1. jan 2016\n\nUnder arbeid\n------------\n\n\
                    - Oppgradere til Ocata i test.\n";
        let document = parse(Format::Rst, text);
        let schema = Schema::builtin("uke").unwrap().unwrap();
        let view = ReportView {
            path: "s/2016_uke_38.rst",
            date: crate::dates::week_bounds(2016, 38).unwrap().1,
            document: &document,
            schema: &schema,
        };
        let mut kept = None;
        track_one_series(&[view], &Tracking::default(), None, |to_keep| {
            for name in series {
                store.store(name, to_keep);
            }
            let bytes = postcard::to_allocvec(to_keep).unwrap();
            kept = Some(postcard::from_bytes(&bytes).unwrap());
        });
        kept.expect("a first reading is kept")
    }

    #[test]
    fn a_series_gets_back_what_was_kept_for_it_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let store = WordingStore::in_dir(dir.path());
        assert_eq!(store.load("docs/nord/status"), None);
        let kept = follow_and_store(&store, &["docs/nord/status"]);
        assert_eq!(store.load("docs/nord/status"), Some(kept));
        assert_eq!(store.load("docs/sor/status"), None);

        // A file of another series under this one's name is not used.
        let nord = store.path("docs/nord/status");
        std::fs::copy(&nord, store.path("docs/sor/status")).unwrap();
        assert_eq!(store.load("docs/sor/status"), None);

        // Nor one another build wrote, nor a damaged one.
        let other = WordingStore {
            dir: store.dir.clone(),
            build: b"another build".to_vec(),
        };
        assert_eq!(other.load("docs/nord/status"), None);
        let mut bytes = std::fs::read(&nord).unwrap();
        let middle = bytes.len() / 2;
        bytes[middle] ^= 0x20;
        std::fs::write(&nord, &bytes).unwrap();
        assert_eq!(store.load("docs/nord/status"), None);

        // A folder where the file should be is skipped.
        std::fs::remove_file(&nord).unwrap();
        std::fs::create_dir(&nord).unwrap();
        assert_eq!(store.load("docs/nord/status"), None);
    }

    #[test]
    fn a_whole_run_removes_the_files_of_series_that_are_gone() {
        let dir = tempfile::tempdir().unwrap();
        let store = WordingStore::in_dir(dir.path());
        follow_and_store(
            &store,
            &["docs/nord/status", "docs/sor/status", "docs/vest/status"],
        );
        let notes = store.dir.join("notes.txt");
        std::fs::write(&notes, "not ours").unwrap();
        store.keep_only(["docs/nord/status", "docs/vest/status"].into_iter());
        assert!(store.load("docs/nord/status").is_some());
        assert!(store.load("docs/vest/status").is_some());
        assert!(!store.path("docs/sor/status").exists());
        assert!(notes.exists(), "a file milepost did not name is left");
    }
}
