//! Checks shared by the fuzz targets: beyond "never panics", every position
//! the parsers report must lie inside the text they were given.

use milepost::report::{Document, Pos};

/// Panics (which the fuzzer reports) when a position is outside the text.
pub fn check_document(doc: &Document) {
    let lines = doc.line_count;
    let in_text = |pos: Pos, what: &str| {
        assert!(
            pos.line >= 1 && pos.line <= lines.max(1) && pos.column >= 1,
            "{what} at {pos:?} outside a text of {lines} lines"
        );
    };
    if let Some(title) = &doc.title {
        in_text(title.pos, "title");
    }
    for paragraph in &doc.preamble {
        in_text(paragraph.pos, "preamble paragraph");
        assert!(paragraph.end_line >= paragraph.pos.line);
    }
    for section in &doc.sections {
        in_text(section.heading.pos, "heading");
        assert!(section.depth >= 1, "section depth 0");
        assert!(section.end_line >= section.heading.pos.line);
        for item in &section.items {
            in_text(item.pos, "item");
            assert!(item.end_line >= item.pos.line, "item ends before it starts");
        }
    }
    for link in &doc.links {
        in_text(link.pos, "link");
    }
    for comment in &doc.comments {
        in_text(comment.pos, "comment");
        assert!(comment.end_line >= comment.pos.line);
    }
    for table in &doc.tables {
        in_text(table.pos, "table");
        for row in table.header.iter().chain(&table.rows) {
            assert!(
                row.line >= table.pos.line && row.line <= lines,
                "table row line"
            );
        }
    }
}
