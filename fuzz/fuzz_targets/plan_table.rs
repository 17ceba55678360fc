//! Plan tables: there is no separate plan-table reader yet, so this reads
//! `Document.tables` the way one would: parse a report (either format),
//! then read every cell as a date or a week, as a deadline column would be.
#![no_main]

use libfuzzer_sys::fuzz_target;
use milepost::dates;
use milepost::report::{self, Format};

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = milepost::source::decode(data.to_vec()) else {
        return;
    };
    for format in [Format::Rst, Format::Markdown] {
        let doc = report::parse(format, &text);
        common::check_document(&doc);
        for table in &doc.tables {
            let mut last = table.pos.line;
            for row in table.header.iter().chain(&table.rows) {
                assert!(row.line >= last, "table rows out of order");
                last = row.line;
                for cell in &row.cells {
                    let _ = dates::parse_date(cell, Some(2016));
                    let _ = dates::find_weeks(cell);
                }
            }
        }
    }
});
