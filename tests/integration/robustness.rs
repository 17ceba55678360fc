//! Robustness of the report parsers: whatever the input, they return a
//! document (never panic), every position they report lies inside the
//! text, and they stay fast on the shapes that make naive parsers
//! quadratic or recursive.
//!
//! The property tests run a bounded number of cases so that `cargo test`
//! stays quick; the long searches are the cargo-fuzz targets in `fuzz/`
//! (see `fuzz/README.md`), whose `-timeout=1` is the real speed check. The
//! timing assertions here are deliberately generous (debug build, a
//! machine busy with other work): they catch an accidental quadratic or
//! exponential path, not a slow constant.
//!
//! Proptest's failure persistence is off: a failing case is printed with
//! its shrunk input, and belongs in an explicit regression test (here or in
//! the parser's unit tests) rather than in a file proptest maintains.

use std::time::{Duration, Instant};

use milepost::report::{self, Document, Format, Pos};
use proptest::prelude::*;
use proptest::test_runner::Config;

const FORMATS: [Format; 2] = [Format::Rst, Format::Markdown];

/// How long a 64 KB input may take in a debug build. The fuzzers hold
/// release builds to one second for any input up to 64 KB.
const BUDGET: Duration = Duration::from_secs(2);

fn config(cases: u32) -> Config {
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

/// Panics when a reported position is outside the document.
fn check_positions(doc: &Document) {
    let lines = doc.line_count.max(1);
    let ok = |pos: Pos| pos.line >= 1 && pos.line <= lines && pos.column >= 1;
    let positions = doc
        .title
        .iter()
        .map(|t| t.pos)
        .chain(doc.preamble.iter().map(|p| p.pos))
        .chain(doc.sections.iter().map(|s| s.heading.pos))
        .chain(
            doc.sections
                .iter()
                .flat_map(|s| s.items.iter().map(|i| i.pos)),
        )
        .chain(doc.links.iter().map(|l| l.pos))
        .chain(doc.comments.iter().map(|c| c.pos))
        .chain(doc.tables.iter().map(|t| t.pos));
    for pos in positions {
        assert!(ok(pos), "{pos:?} outside a document of {lines} lines");
    }
    for section in &doc.sections {
        for item in &section.items {
            assert!(
                item.end_line >= item.pos.line,
                "{item:?} ends before it starts"
            );
        }
    }
}

/// Decodes like a file and parses in both formats.
fn parse_everything(bytes: Vec<u8>) {
    if let Ok(text) = milepost::source::decode(bytes) {
        for format in FORMATS {
            check_positions(&report::parse(format, &text));
        }
    }
}

/// Pieces of reStructuredText syntax, for line soup.
fn rst_piece() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "- ",
        "* ",
        "+ ",
        "• ",
        "1. ",
        "#. ",
        "(a) ",
        "i. ",
        "ii) ",
        "A. ",
        "=====",
        "-----",
        "~~~~",
        "^^",
        "..",
        ".. ",
        ":: ",
        "::",
        ".. note:: ",
        ".. image:: x.png",
        ".. figure::",
        ".. include:: y.rst",
        ".. |s| replace:: ",
        ".. _t: ",
        "__ ",
        "[1]_ ",
        ":field: ",
        ":doc:`",
        ":doc:`a <b>`",
        "`",
        "``",
        "\\",
        "<",
        ">",
        "| ",
        "+---+---+",
        "|   |   |",
        "+===+===+",
        "===  ===",
        "---  ---",
        ">>> ",
        "Uke 38",
        "æøå",
        "漢字",
        "\u{301}",
        "text ",
        "\t",
        "  ",
        "    ",
        "\r",
    ])
}

/// Pieces of Markdown syntax, for line soup.
fn markdown_piece() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "# ",
        "## ",
        "###### ",
        "- ",
        "* ",
        "1. ",
        "2) ",
        "> ",
        "```",
        "~~~",
        "    ",
        "\t",
        "---",
        "===",
        "| a | b |",
        "|---|---|",
        "[",
        "]",
        "(",
        ")",
        "![",
        "](x.md)",
        "[ref]: ",
        "<!--",
        "-->",
        "<div>",
        "</div>",
        "{doc}`",
        "`",
        "*",
        "_",
        "\\",
        "<",
        ">",
        "&amp;",
        "Week 38",
        "æøå",
        "text ",
        "  ",
        "\r",
    ])
}

/// Lines made of `piece`s, joined into a document.
fn soup(piece: impl Strategy<Value = &'static str>) -> impl Strategy<Value = String> {
    let line = prop::collection::vec(piece, 0..6).prop_map(|pieces| pieces.concat());
    prop::collection::vec(line, 0..60).prop_map(|lines| lines.join("\n"))
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        parse_everything(bytes);
    }

    #[test]
    fn random_text_never_panics(text in any::<String>()) {
        parse_everything(text.into_bytes());
    }

    #[test]
    fn rst_line_soup_never_panics(text in soup(rst_piece())) {
        parse_everything(text.into_bytes());
    }

    #[test]
    fn markdown_line_soup_never_panics(text in soup(markdown_piece())) {
        parse_everything(text.into_bytes());
    }
}

/// Inputs the fuzzers in `fuzz/` found, kept as they were found (the
/// parsers' unit tests hold minimised versions).
const FUZZ_FINDINGS: &[&[u8]] = &[
    // markdown: a paragraph of a lone no-break space was placed on the line
    // after the end of the file.
    b"#g/# T \n\n[ref]:           p Aned\n \n# # \x1f  \n\xc2\xa0\n",
];

#[test]
fn fuzz_findings_stay_fixed() {
    for input in FUZZ_FINDINGS {
        parse_everything(input.to_vec());
    }
}

/// A section around `body`, so that list items are items of a section.
fn in_section(format: Format, body: &str) -> String {
    match format {
        Format::Rst => format!("Title\n=====\n\nDone\n----\n\n{body}"),
        Format::Markdown => format!("# Title\n\n## Done\n\n{body}"),
    }
}

fn parse_timed(format: Format, text: &str) -> (Document, Duration) {
    let start = Instant::now();
    let doc = report::parse(format, text);
    (doc, start.elapsed())
}

/// The items of the section "Done".
fn done_items(doc: &Document) -> usize {
    let done = doc.sections.iter().find(|s| s.heading.text == "Done");
    done.map_or(0, |s| s.items.len())
}

#[test]
fn ten_thousand_deep_lists_parse() {
    const DEPTH: usize = 10_000;
    // One level per line, each indented two more columns: 100 MB of mostly
    // spaces, so the bound is per megabyte (the 64 KB checks below hold
    // the parsers to the real budget).
    let mut body = String::new();
    for level in 0..DEPTH {
        body.push_str(&" ".repeat(level * 2));
        body.push_str("- x\n");
    }
    let megabytes = u32::try_from(body.len() >> 20).unwrap_or(u32::MAX);
    for format in FORMATS {
        let (doc, took) = parse_timed(format, &in_section(format, &body));
        check_positions(&doc);
        assert_eq!(done_items(&doc), 1, "{format:?}: one top-level item");
        assert!(
            took < BUDGET / 8 * megabytes,
            "{format:?}: {took:?} for {DEPTH} levels ({megabytes} MB)"
        );
    }
    for format in FORMATS {
        // All levels on one line.
        let line = format!("{}x\n", "- ".repeat(DEPTH));
        let (doc, took) = parse_timed(format, &in_section(format, &line));
        check_positions(&doc);
        assert_eq!(done_items(&doc), 1, "{format:?}: one top-level item");
        assert!(
            took < BUDGET,
            "{format:?}: {took:?} for {DEPTH} markers on a line"
        );
    }
}

/// 64 KB of each shape that tends to be slow: deep nesting, long lines,
/// unclosed markup, many small blocks, tables.
fn inputs_64k() -> Vec<(&'static str, String)> {
    const SIZE: usize = 64 * 1024;
    let fill = |unit: &str| unit.repeat(SIZE / unit.len().max(1) + 1);
    let mut nested = String::new();
    let mut level = 0;
    while nested.len() < SIZE {
        nested.push_str(&" ".repeat(level));
        nested.push_str("- x\n");
        level += 2;
    }
    vec![
        ("nested list", nested),
        ("one long line", fill("word :doc:`x` ")),
        ("unclosed roles", fill(":doc:`x ")),
        ("unclosed literals", fill("``x ")),
        ("backquotes", fill("`")),
        ("brackets", fill("[")),
        ("link openers", fill("[a](")),
        ("emphasis", fill("*a _b ")),
        ("comment openers", fill("<!-- ")),
        ("block quotes", fill("> ")),
        ("adornments", fill("=\n")),
        ("titles", fill("Title\n=====\n\n")),
        ("bullets", fill("- a\n")),
        ("enumerators", fill("1. a\n")),
        ("directives", fill(".. note::\n   x\n")),
        ("indent ladder", fill("x\n  y\n    z\n")),
        ("grid table", fill("+---+---+\n| a | b |\n")),
        ("simple table", fill("===  ===\na    b\n")),
        (
            "pipe table",
            format!("| a | b |\n|---|---|\n{}", fill("| 1 | 2 |\n")),
        ),
        ("tabs", fill("\t-\t")),
        ("crlf", fill("- a\r\n")),
        ("non-ASCII", fill("æøå 漢字 ")),
    ]
}

#[test]
fn any_64k_input_parses_quickly() {
    for (name, text) in inputs_64k() {
        for format in FORMATS {
            let (doc, took) = parse_timed(format, &text);
            check_positions(&doc);
            assert!(took < BUDGET, "{format:?} took {took:?} on 64 KB of {name}");
        }
    }
}

proptest! {
    #![proptest_config(config(8))]

    /// Random 64 KB soups: the speed bound holds for mixtures too.
    #[test]
    fn random_64k_soup_parses_quickly(
        seed in prop::collection::vec(rst_piece(), 64..128),
        md in prop::collection::vec(markdown_piece(), 64..128),
    ) {
        for (format, pieces) in [(Format::Rst, seed), (Format::Markdown, md)] {
            let unit = pieces.join("\n");
            let text = unit.repeat(64 * 1024 / unit.len().max(1) + 1);
            let (doc, took) = parse_timed(format, &text);
            check_positions(&doc);
            prop_assert!(took < BUDGET, "{:?} took {:?}", format, took);
        }
    }
}
