//! The JUnit XML format, which CI systems (GitLab, Jenkins, Azure
//! Pipelines, and GitHub through test-report actions) show as a test
//! report: one test suite per checked report file, one test case per
//! finding, and a passing `clean` test case for a file without findings,
//! so that the report also lists what passed.
//!
//! Errors and warnings are `<failure>`s. Infos are passing test cases with
//! the same text in `<system-out>`: JUnit knows only pass and fail, and an
//! info is by definition not something to fail on, while a test report
//! whose failures are not failures teaches people to ignore it. Files that
//! could not be read (exit code 2) are `<error>`s in a last suite named
//! `milepost`, which also carries the notes in its `<system-out>`.
//!
//! The XML is written by hand: the shape is tiny and fixed. Text is escaped
//! by [`escape::xml_text`] and [`escape::xml_attribute`] (`& < > " '`);
//! characters that XML 1.0 does not allow at all (most control
//! characters) are shown as `\x1b` rather than dropped, so a file name
//! keeps its length and nothing hides, and line ends and tabs in
//! attributes are written as character references so parsers do not fold
//! them into spaces.

use std::collections::BTreeMap;
use std::io::{self, Write};

use super::{escape, plain_line};
use crate::check::CheckOutcome;
use crate::diagnostic::{Diagnostic, Severity};

pub fn render(out: &mut dyn Write, outcome: &CheckOutcome) -> io::Result<()> {
    // Every checked file gets a suite, findings or not; a finding about a
    // file that is not among them (none today) still gets one.
    let mut files: BTreeMap<&str, Vec<&Diagnostic>> = outcome
        .reports
        .iter()
        .map(|report| (report.path.as_str(), Vec::new()))
        .collect();
    for d in &outcome.diagnostics {
        files.entry(d.path.as_str()).or_default().push(d);
    }

    let tests: usize = files.values().map(|found| found.len().max(1)).sum();
    let failures = outcome.diagnostics.iter().filter(|d| fails(d)).count();
    let errors = outcome.failures.len();

    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="milepost" tests="{}" failures="{failures}" errors="{errors}">"#,
        tests + errors
    )?;
    for (path, found) in &files {
        writeln!(
            out,
            r#"  <testsuite name="{}" tests="{}" failures="{}" errors="0">"#,
            attr(path),
            found.len().max(1),
            found.iter().filter(|d| fails(d)).count()
        )?;
        if found.is_empty() {
            writeln!(
                out,
                r#"    <testcase name="clean" classname="{}"/>"#,
                attr(path)
            )?;
        }
        for d in found {
            testcase(out, d)?;
        }
        writeln!(out, "  </testsuite>")?;
    }
    if errors > 0 || !outcome.notes.is_empty() {
        writeln!(
            out,
            r#"  <testsuite name="milepost" tests="{errors}" failures="0" errors="{errors}">"#
        )?;
        for failure in &outcome.failures {
            let text = failure.to_string();
            writeln!(
                out,
                r#"    <testcase name="read {}" classname="milepost">"#,
                attr(&text)
            )?;
            writeln!(
                out,
                r#"      <error message="{}" type="read">{}</error>"#,
                attr(&text),
                body(&text)
            )?;
            writeln!(out, "    </testcase>")?;
        }
        if !outcome.notes.is_empty() {
            let notes: Vec<String> = outcome
                .notes
                .iter()
                .map(|note| match &note.path {
                    Some(path) => format!("note: {path}: {}", note.message),
                    None => format!("note: {}", note.message),
                })
                .collect();
            writeln!(
                out,
                "    <system-out>{}</system-out>",
                body(&notes.join("\n"))
            )?;
        }
        writeln!(out, "  </testsuite>")?;
    }
    writeln!(out, "</testsuites>")
}

/// Errors and warnings are failures; infos pass (see the module docs).
fn fails(d: &Diagnostic) -> bool {
    d.severity > Severity::Info
}

fn testcase(out: &mut dyn Write, d: &Diagnostic) -> io::Result<()> {
    let mut text = plain_line(d);
    if let Some(hint) = &d.hint {
        text.push_str("\nhint: ");
        text.push_str(hint);
    }
    writeln!(
        out,
        r#"    <testcase name="{} at {}:{}" classname="{}">"#,
        d.rule,
        d.line,
        d.column,
        attr(&d.path)
    )?;
    if !fails(d) {
        writeln!(out, "      <system-out>{}</system-out>", body(&text))?;
    } else {
        writeln!(
            out,
            r#"      <failure message="{}" type="{}">{}</failure>"#,
            attr(&d.message),
            d.rule,
            body(&text)
        )?;
    }
    writeln!(out, "    </testcase>")
}

fn attr(text: &str) -> String {
    escape::xml_attribute(text)
}

fn body(text: &str) -> String {
    escape::xml_text(text)
}
