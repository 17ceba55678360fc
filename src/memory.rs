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

/// The commits a history walk visits before its run gives memory back: a
/// cold walk of a real repository's few thousand commits leaves tables
/// worth giving back; a run that walked a few commits above its cache
/// leaves next to nothing, and `malloc_trim` walking the heap was 1% of
/// the CPU of such a run after one new commit (profiled).
pub(crate) const AFTER_WALKING: usize = 1_000;

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

    fn git(dir: &Path, args: &[&str], input: Option<&str>) {
        use std::io::Write;
        let mut child = std::process::Command::new("git")
            .args(args)
            .current_dir(dir)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        if let Some(input) = input {
            child
                .stdin
                .take()
                .unwrap()
                .write_all(input.as_bytes())
                .unwrap();
        }
        drop(child.stdin.take());
        assert!(child.wait().unwrap().success(), "git {args:?}");
    }

    fn count() {
        CALLS.with(|calls| calls.set(calls.get() + 1));
    }

    fn calls() -> usize {
        CALLS.with(Cell::get)
    }

    #[test]
    fn a_long_walk_gives_memory_back_once_and_a_cached_run_or_a_hook_does_not() {
        set_release(count);
        let dir = tempfile::tempdir().unwrap();
        let report = "docs/status/2016_uke_38.rst";
        // A report added in the first of AFTER_WALKING commits, the rest
        // edit another file.
        let mut stream = String::new();
        for n in 0..AFTER_WALKING {
            let (path, content) = if n == 0 {
                (report, "Uke 38\n======\n".to_string())
            } else {
                ("notes.txt", format!("{n}\n"))
            };
            let parent = if n == 0 {
                String::new()
            } else {
                format!("from :{n}\n")
            };
            stream.push_str(&format!(
                "commit refs/heads/main\nmark :{}\ncommitter A <a@example.org> {} +0000\ndata 1\nx\n{parent}M 100644 inline {path}\ndata {}\n{content}\n",
                n + 1,
                1_474_300_800 + 60 * n,
                content.len(),
            ));
        }
        git(dir.path(), &["init", "-q", "-b", "main"], None);
        git(dir.path(), &["fast-import", "--quiet"], Some(&stream));
        git(dir.path(), &["reset", "-q", "--hard", "main"], None);
        let options = |staged| CheckOptions {
            cwd: dir.path().to_path_buf(),
            staged,
            ..CheckOptions::default()
        };

        let before = calls();
        let cold = run(&options(false)).unwrap();
        assert_eq!(cold.reports.len(), 1);
        assert_eq!(cold.history.map(|h| h.walked), Some(AFTER_WALKING));
        assert_eq!(calls(), before + 1, "a long walk gives memory back");
        let cached = run(&options(false)).unwrap();
        assert_eq!(cached.history.map(|h| h.walked), Some(0));
        assert_eq!(calls(), before + 1, "a run from the cache does not");
        std::fs::write(dir.path().join(report), "Uke 38\n======\n\nNy.\n").unwrap();
        git(dir.path(), &["add", report], None);
        let hook = run(&options(true)).unwrap();
        assert_eq!(hook.reports.len(), 1, "the staged report is checked");
        assert_eq!(calls(), before + 1, "a commit hook gives nothing back");
    }
}
