//! Temporary files of atomic writes (the baseline, the history cache).
//!
//! A write goes to a temporary file beside its target and is renamed over
//! it, so a reader never sees half a file. A process killed in between
//! leaves the temporary file behind; they are named recognisably and the
//! next write removes those old enough that no live writer can own them.

use std::path::Path;
use std::time::Duration;

/// Marks milepost's temporary files.
pub const TEMP_MARK: &str = ".milepost-tmp-";

/// How old a temporary file must be to count as left behind: far longer
/// than any write takes, so a concurrent writer's file is left alone.
pub const STALE_AFTER: Duration = Duration::from_secs(600);

/// Removes regular files in `dir` whose names start with `prefix` and that
/// are older than [`STALE_AFTER`]. Failures are ignored: they only leave
/// litter, as before.
pub fn remove_stale(dir: &Path, prefix: &str) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let ours = entry.file_name().to_string_lossy().starts_with(prefix);
        let stale = entry
            .metadata()
            .and_then(|meta| meta.modified())
            .ok()
            .and_then(|modified| modified.elapsed().ok())
            .is_some_and(|age| age >= STALE_AFTER);
        let is_file = entry.file_type().is_ok_and(|t| t.is_file());
        if ours && stale && is_file {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}
