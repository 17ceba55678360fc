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
//! Escaping (see [`escape`]): properties and messages as GitHub's own
//! toolkit escapes them (`@actions/core`'s `command.ts`: `%`, CR and LF,
//! and in properties `:` and `,`); messages and hints are first made fit
//! for people, so an escape code quoted from a report shows as `\x1b`.
//! The runner also runs any line of the log that starts with `::` (an
//! `::add-mask::` or `::stop-commands::` as much as an `::error`), so
//! every line of the plain listing goes through [`escape::terminal_line`]:
//! no text from a report can begin a line, break one, or carry an
//! old-style `##[command]`.

use std::io::{self, Write};

use super::{escape, plain_line, summary_line};
use crate::check::CheckOutcome;
use crate::diagnostic::{Diagnostic, Severity};

pub fn render(out: &mut dyn Write, outcome: &CheckOutcome) -> io::Result<()> {
    for d in &outcome.diagnostics {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        // GitHub's `endColumn` names the last column of the annotation
        // (on the same line, the only span milepost has); ours is the
        // column after it, as in SARIF.
        let span = match d.end_column {
            Some(end) => format!(",endLine={},endColumn={}", d.line, end.saturating_sub(1)),
            None => String::new(),
        };
        writeln!(
            out,
            "::{command} file={},line={},col={}{span},title={}::{}",
            escape::github_property(&d.path),
            d.line,
            d.column,
            escape::github_property(d.rule.name()),
            escape::github_data(&message(d)),
        )?;
    }
    // A file that could not be read fails the run (exit 2); it gets an
    // annotation too, or the failed step would show no reason.
    for failure in &outcome.failures {
        writeln!(
            out,
            "::error title=milepost::{}",
            escape::github_data(&escape::terminal(&failure.to_string()))
        )?;
    }
    if !outcome.diagnostics.is_empty() || !outcome.failures.is_empty() {
        writeln!(out)?;
    }
    let mut line = |text: &str| writeln!(out, "{}", escape::terminal_line(text));
    for d in &outcome.diagnostics {
        line(&plain_line(d))?;
    }
    for failure in &outcome.failures {
        line(&format!("error: {failure}"))?;
    }
    for note in &outcome.notes {
        match &note.path {
            Some(path) => line(&format!("note: {path}: {}", note.message))?,
            None => line(&format!("note: {}", note.message))?,
        }
    }
    line(&summary_line(&outcome.summary()))
}

/// The annotation's text: the message, then the hint on a line of its own
/// (as in the other machine formats). Each is shown as on a terminal, so
/// the one line break left is the one before the hint.
fn message(d: &Diagnostic) -> String {
    let message = escape::terminal(&d.message);
    match &d.hint {
        Some(hint) => format!("{message}\nhint: {}", escape::terminal(hint)),
        None => message.into_owned(),
    }
}
