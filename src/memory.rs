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
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    static CALLS: AtomicUsize = AtomicUsize::new(0);

    fn count() {
        CALLS.fetch_add(1, Ordering::SeqCst);
    }

    #[test]
    fn a_run_gives_memory_back_the_way_the_process_said() {
        set_release(count);
        let before = CALLS.load(Ordering::SeqCst);
        release();
        assert!(CALLS.load(Ordering::SeqCst) > before);
    }
}
