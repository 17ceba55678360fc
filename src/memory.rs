//! Giving freed memory back to the system between the steps of a run.
//!
//! A cold run's history walk builds large tables and frees them when it
//! ends, while the reports' results, allocated meanwhile on other threads,
//! stay. glibc returns the free memory at the top of a heap, not the free
//! pages between live blocks: on 10,000 reports in 100,000 commits, some
//! runs kept 20–30 MB of such pages through the steps after the walk, and
//! the next step's allocations on top of them took the run past its
//! 200 MB goal. Asking the allocator to give those pages back takes
//! `unsafe` (`malloc_trim`), which the library forbids: the binary registers
//! how ([`set_release`]), and a run calls [`release`] where a large step
//! has just ended.

use std::sync::OnceLock;

static RELEASE: OnceLock<fn()> = OnceLock::new();

/// Sets how freed memory is given back (once per process; later calls are
/// ignored).
pub fn set_release(release: fn()) {
    let _ = RELEASE.set(release);
}

/// Gives freed memory back, if the process said how.
pub(crate) fn release() {
    if let Some(release) = RELEASE.get() {
        release();
    }
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;
    use std::path::Path;

    use super::*;
    use crate::check::{CheckOptions, run};

    thread_local! {
        /// Calls on this thread: a run gives memory back on the thread
        /// that runs it, and other tests run at the same time.
        static CALLS: Cell<usize> = const { Cell::new(0) };
    }

    fn count() {
        CALLS.with(|calls| calls.set(calls.get() + 1));
    }

    fn calls() -> usize {
        CALLS.with(Cell::get)
    }

    #[test]
    fn a_run_gives_memory_back_once_and_a_commit_hook_does_not() {
        set_release(count);
        let dir = tempfile::tempdir().unwrap();
        let report = "docs/status/2016_uke_38.rst";
        std::fs::create_dir_all(dir.path().join("docs/status")).unwrap();
        std::fs::write(dir.path().join(report), "Uke 38\n======\n").unwrap();
        let repo = git2::Repository::init(dir.path()).unwrap();
        let mut index = repo.index().unwrap();
        index.add_path(Path::new(report)).unwrap();
        index.write().unwrap();
        let options = |staged| CheckOptions {
            cwd: dir.path().to_path_buf(),
            staged,
            ..CheckOptions::default()
        };

        let before = calls();
        let hook = run(&options(true)).unwrap();
        assert_eq!(hook.reports.len(), 1, "the staged report is checked");
        assert_eq!(calls(), before, "a commit hook gives nothing back");
        let whole = run(&options(false)).unwrap();
        assert_eq!(whole.reports.len(), 1);
        assert_eq!(calls(), before + 1);
    }
}
