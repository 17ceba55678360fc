//! The GitHub Actions format: one workflow command per finding, which the
//! runner turns into an annotation on the file and line, in the job summary
//! and in a pull request's diff:
//!
//! ```text
//! ::error file=docs/2016_uke_39.rst,line=2,col=1,title=week-mismatch::the title says week 38, …%0Ahint: …
//! ```
//!
//! Errors are `::error`, warnings `::warning` and infos `::notice`. The
//! hint goes after the message on a line of its own (an escaped newline,
//! `%0A`), as in the other machine formats, so the annotation shows it.
//!
//! GitHub shows at most ten error and ten warning annotations per step and
//! drops the rest silently, so after the commands comes a plain listing of
//! every finding (`path:line:col: severity[rule] message`, not a command),
//! the failures, the notes and the closing summary line: the log of the
//! step always tells the whole story.
//!
//! Escaping follows GitHub's own toolkit (`@actions/core`'s `command.ts`):
//! in the message `%`, CR and LF are percent-encoded; in the properties
//! `:` and `,` as well, since they delimit the command and its properties.

use std::io::{self, Write};

use super::{message_with_hint, plain_line, summary_line};
use crate::check::CheckOutcome;
use crate::diagnostic::Severity;

pub fn render(out: &mut dyn Write, outcome: &CheckOutcome) -> io::Result<()> {
    for d in &outcome.diagnostics {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        writeln!(
            out,
            "::{command} file={},line={},col={},title={}::{}",
            escape_property(&d.path),
            d.line,
            d.column,
            escape_property(d.rule.name()),
            escape_data(&message_with_hint(d)),
        )?;
    }
    // A file that could not be read fails the run (exit 2); it gets an
    // annotation too, or the failed step would show no reason.
    for failure in &outcome.failures {
        writeln!(
            out,
            "::error title=milepost::{}",
            escape_data(&failure.to_string())
        )?;
    }
    if !outcome.diagnostics.is_empty() || !outcome.failures.is_empty() {
        writeln!(out)?;
    }
    for d in &outcome.diagnostics {
        writeln!(out, "{}", plain_line(d))?;
    }
    for failure in &outcome.failures {
        writeln!(out, "error: {failure}")?;
    }
    for note in &outcome.notes {
        match &note.path {
            Some(path) => writeln!(out, "note: {path}: {}", note.message)?,
            None => writeln!(out, "note: {}", note.message)?,
        }
    }
    writeln!(out, "{}", summary_line(&outcome.summary()))
}

/// Escapes a command's message, as `escapeData` in GitHub's toolkit.
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value, as `escapeProperty` in GitHub's toolkit.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_escapes_percent_first_and_line_ends() {
        assert_eq!(escape_data("100% done\r\nnext"), "100%25 done%0D%0Anext");
        assert_eq!(escape_data("%0A"), "%250A");
        assert_eq!(escape_data("a: b, c"), "a: b, c");
    }

    #[test]
    fn properties_also_escape_colons_and_commas() {
        assert_eq!(
            escape_property("docs/a,b: 50%.rst"),
            "docs/a%2Cb%3A 50%25.rst"
        );
        assert_eq!(escape_property("x\ny"), "x%0Ay");
    }
}
