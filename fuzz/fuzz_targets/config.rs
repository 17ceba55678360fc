//! The config loader on arbitrary text. Errors are expected; panics,
//! hangs and runaway memory are not (alias bombs included).
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use milepost::config::Config;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // A `schema:` may name a file, which the loader reads. Device and
    // process files (`/dev/zero`, `/proc/self/...`) would make a fuzzer
    // "hang" on an endless read, which says nothing about the parser.
    if ["/dev", "/proc", "/sys"].iter().any(|p| text.contains(p)) {
        return;
    }
    let _ = Config::from_text(text, Path::new("milepost.yaml"));
});
