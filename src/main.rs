//! The `milepost` binary: argument parsing and exit codes live in `cli`;
//! everything else is the library.

// Exceptions, below, for libgit2's and glibc's process-wide settings and
// glibc's malloc_trim; none anywhere else (the library forbids it outright).
#![deny(unsafe_code)]

mod cli;
mod progress;

fn main() -> std::process::ExitCode {
    limit_mapped_packs();
    fix_allocator_thresholds();
    milepost::memory::set_release(give_back_free_pages);
    cli::main()
}

/// How much of the pack files libgit2 maps at a time: windows of
/// [`PACK_WINDOW`], at most [`PACK_MAPPED_LIMIT`] in all (its defaults are
/// 1 GiB and 8 GiB). A cold history walk reads objects from all over the
/// packs, and every page it touches stays in the process's memory while
/// mapped: on 10,000 reports in 100,000 commits, 120 MB of pack and index
/// per reader, twice (the walk reads with two, see `git/prefetch.rs`),
/// was half of a cold run's 470 MB peak. Windows past the limit are
/// unmapped, least recently used first; the pages stay in the page cache,
/// so mapping one again costs page faults, not reads (measured: no slower
/// at 64 MiB in windows of 32, nor at 16 in windows of 8, which took
/// another 20 MB off the peak of a cold run, at the end of its walk).
const PACK_WINDOW: usize = 8 << 20;
const PACK_MAPPED_LIMIT: usize = 16 << 20;

#[allow(unsafe_code)]
fn limit_mapped_packs() {
    // SAFETY: these write libgit2 globals without synchronisation, which is
    // sound as long as no other thread uses libgit2 meanwhile: this runs
    // first in `main`, before any thread is started. A failure leaves
    // libgit2's defaults, which only cost memory.
    unsafe {
        let _ = git2::opts::set_mwindow_size(PACK_WINDOW);
        let _ = git2::opts::set_mwindow_mapped_limit(PACK_MAPPED_LIMIT);
    }
}

/// How glibc's allocator gives memory back, fixed instead of adaptive.
/// By default it raises its trim threshold (up to 64 MiB) each time a
/// large block is freed, on the theory that a program which freed one
/// will allocate another; a run of milepost moves from one step to the
/// next and does not, so the freed memory of one step stayed in the
/// process through the next: 35 MB of a cold run's peak on 10,000
/// reports, measured. Free memory above [`HEAP_TRIM_THRESHOLD`] at the
/// top of a heap is given back. Fixing a threshold also fixes the size
/// from which blocks are mapped on their own (128 KiB, where the adaptive
/// rule raises it too): every such block then costs a `mmap`, page faults
/// and a `munmap`, 6% of a commit hook's time, measured. From
/// [`MMAP_THRESHOLD`] up it does, below it the heap serves: the hook 5%
/// faster than with the adaptive rule, a cold run's peak the same (4 MiB
/// was 5% faster still, but a few MB higher at the peak).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const HEAP_TRIM_THRESHOLD: libc::c_int = 128 << 10;
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const MMAP_THRESHOLD: libc::c_int = 1 << 20;

#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
fn fix_allocator_thresholds() {
    // SAFETY: mallopt sets a tunable of glibc's allocator, which is safe to
    // call at any time (it takes the allocator's own lock); this runs first
    // in `main` anyway. A failure (0) leaves glibc's default, which only
    // costs memory or time.
    unsafe {
        libc::mallopt(libc::M_TRIM_THRESHOLD, HEAP_TRIM_THRESHOLD);
        libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn fix_allocator_thresholds() {}

/// Gives glibc's free pages back to the system, also those between live
/// blocks, in every arena (see `milepost::memory`). Measured on 10,000
/// reports: a cold `check`'s peak 182–185 MB instead of 186–191 (and the
/// runs that kept 20–30 MB more after the walk no longer do), no slower
/// cold or warm within the noise of paired runs.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
fn give_back_free_pages() {
    // SAFETY: malloc_trim takes each arena's own lock, like malloc, and is
    // safe to call from any thread at any time.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn give_back_free_pages() {}
