//! Writing a repaired report: atomically, and never over a change made
//! since it was read.
//!
//! The repaired text is written to a temporary file beside the report;
//! then the report is read again, and only if it still holds exactly the
//! bytes the repair started from is the temporary file renamed over it.
//! An editor that saved in between wins; the run says so and leaves the
//! file to the next run.

use std::io::Write;
use std::path::Path;

use crate::temp_files::{TEMP_MARK, remove_stale};

/// Why a repaired file was not written.
#[derive(Debug)]
pub enum NotWritten {
    /// The file on disk is no longer what the repair was computed from.
    Changed,
    Io(std::io::Error),
}

impl std::fmt::Display for NotWritten {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NotWritten::Changed => {
                f.write_str("changed on disk while it was being fixed; left as it is")
            }
            NotWritten::Io(err) => write!(f, "{err}"),
        }
    }
}

/// Replaces `path` with `new` if it still holds `original`. `read_now`
/// reads it again just before the rename (through the repository's
/// boundary, so a file swapped for a link out of the repository, or for
/// something that is not a regular file, reads as changed and is left
/// alone).
pub fn replace_if_unchanged(
    path: &Path,
    original: &[u8],
    new: &[u8],
    read_now: impl Fn(&Path) -> Option<Vec<u8>>,
) -> Result<(), NotWritten> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let prefix = format!(".{name}{TEMP_MARK}");
    remove_stale(dir, &prefix);
    let mut temp = tempfile::Builder::new()
        .prefix(&prefix)
        .tempfile_in(dir)
        .map_err(NotWritten::Io)?;
    // The report keeps its permissions.
    let meta = std::fs::symlink_metadata(path).map_err(NotWritten::Io)?;
    temp.as_file()
        .set_permissions(meta.permissions())
        .map_err(NotWritten::Io)?;
    temp.write_all(new).map_err(NotWritten::Io)?;
    temp.as_file().sync_all().map_err(NotWritten::Io)?;
    // The last look before the rename: the narrowest window there is
    // without a lock that editors do not take.
    if read_now(path).as_deref() != Some(original) {
        return Err(NotWritten::Changed);
    }
    temp.persist(path)
        .map_err(|err| NotWritten::Io(err.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_changed_since_it_was_read_is_not_clobbered() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("2016_uke_38.rst");
        std::fs::write(&path, "read\n").unwrap();
        // Someone saves after the repair was computed from "read".
        std::fs::write(&path, "saved by an editor\n").unwrap();
        let result = replace_if_unchanged(&path, b"read\n", b"fixed\n", |p| std::fs::read(p).ok());
        assert!(matches!(result, Err(NotWritten::Changed)), "{result:?}");
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "saved by an editor\n"
        );
        // The temporary file is gone too.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    /// A report swapped for a link to a file outside the repository (with
    /// the very content the repair was computed from) reads as changed
    /// through the boundary: neither the link nor its target is touched.
    #[cfg(unix)]
    #[test]
    fn a_report_swapped_for_a_link_out_of_the_repository_is_left_alone() {
        let outside = tempfile::tempdir().unwrap();
        let target = outside.path().join("secret.rst");
        std::fs::write(&target, "read\n").unwrap();
        let repo = tempfile::tempdir().unwrap();
        let root = repo.path().canonicalize().unwrap();
        let path = root.join("2016_uke_38.rst");
        std::os::unix::fs::symlink(&target, &path).unwrap();
        let boundary = crate::boundary::Boundary::new(root.clone());
        let result = replace_if_unchanged(&path, b"read\n", b"fixed\n", |p| boundary.read(p).ok());
        assert!(matches!(result, Err(NotWritten::Changed)), "{result:?}");
        assert!(
            std::fs::symlink_metadata(&path)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "read\n");
        assert_eq!(std::fs::read_dir(&root).unwrap().count(), 1);
    }

    #[test]
    fn an_unchanged_file_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("2016_uke_38.rst");
        std::fs::write(&path, "read\n").unwrap();
        replace_if_unchanged(&path, b"read\n", b"fixed\n", |p| std::fs::read(p).ok()).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "fixed\n");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
