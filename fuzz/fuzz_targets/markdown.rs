//! The markdown reader on arbitrary bytes, decoded as milepost decodes a file
//! (BOM, CRLF, binary and invalid UTF-8 are handled by `source::decode`,
//! which is fuzzed along the way).
#![no_main]

use libfuzzer_sys::fuzz_target;
use milepost::report::{self, Format};

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = milepost::source::decode(data.to_vec()) else {
        return;
    };
    let doc = report::parse(Format::Markdown, &text);
    common::check_document(&doc);
});
