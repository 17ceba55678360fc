//! The human format: `path:line:col: severity[rule] message` (the shape
//! compilers print, which editors and terminals turn into links), then the
//! source line with a caret under the spot, a hint, and a closing summary.
//! With `--statistics`, one line per rule with its count takes the place of
//! the findings.
//!
//! annotate-snippets was considered, but its rustc layout puts the location
//! on a second line (`--> path:line:col`), which breaks the one-line
//! `path:line:col:` form that quickfix lists and `grep` rely on; the snippet
//! itself is three lines, so it is drawn here.
//!
//! Everything that comes from a report (paths, messages that quote it,
//! hints, source lines, notes, failures) goes through
//! [`escape::terminal`]: only milepost's own colours reach the terminal as
//! escape codes. The path, which starts a line, goes through
//! [`escape::terminal_line`], since this format too ends up in CI logs
//! (a pre-commit hook run in a workflow), where the runner would take a
//! line starting with `::` for a command.

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};

use super::escape;
use super::style::severity_style;
use super::{RenderOptions, statistics};
use crate::check::CheckOutcome;
use crate::diagnostic::{Diagnostic, Severity};

const BOLD: Style = Style::new().bold();
const GUTTER: Style = AnsiColor::Blue.on_default().bold();
const HINT: Style = AnsiColor::Cyan.on_default();

pub fn render(
    out: &mut dyn Write,
    outcome: &CheckOutcome,
    options: RenderOptions,
) -> io::Result<()> {
    if options.statistics {
        statistics::write_lines(out, &statistics::count(&outcome.diagnostics))?;
    } else {
        for diagnostic in &outcome.diagnostics {
            header(out, diagnostic)?;
            if !options.quiet {
                snippet(out, diagnostic)?;
            }
        }
    }
    for failure in &outcome.failures {
        let style = severity_style(Severity::Error);
        writeln!(
            out,
            "{style}error{style:#}: {}",
            escape::terminal(&failure.to_string())
        )?;
    }
    if options.quiet {
        return Ok(());
    }
    for note in &outcome.notes {
        match &note.path {
            Some(path) => writeln!(
                out,
                "{BOLD}note{BOLD:#}: {}: {}",
                escape::terminal(path),
                escape::terminal(&note.message)
            )?,
            None => writeln!(
                out,
                "{BOLD}note{BOLD:#}: {}",
                escape::terminal(&note.message)
            )?,
        }
    }
    summary(out, outcome)
}

fn header(out: &mut dyn Write, d: &Diagnostic) -> io::Result<()> {
    let style = severity_style(d.severity);
    writeln!(
        out,
        "{BOLD}{}:{}:{}:{BOLD:#} {style}{}[{}]{style:#} {BOLD}{}{BOLD:#}",
        escape::terminal_line(&d.path),
        d.line,
        d.column,
        d.severity,
        d.rule,
        escape::terminal(&d.message)
    )
}

fn snippet(out: &mut dyn Write, d: &Diagnostic) -> io::Result<()> {
    let number = d.line.to_string();
    let pad = " ".repeat(number.len());
    if let Some(line) = d.source_line.as_deref() {
        let (shown, marked) = escape::snippet_span(line, d.column, d.end_column);
        let style = severity_style(d.severity);
        writeln!(out, "{GUTTER}{pad} |{GUTTER:#}")?;
        writeln!(out, "{GUTTER}{number} |{GUTTER:#} {shown}")?;
        writeln!(
            out,
            "{GUTTER}{pad} |{GUTTER:#} {}{style}{}{style:#}",
            " ".repeat(marked.start),
            "^".repeat(marked.len())
        )?;
    }
    if let Some(hint) = &d.hint {
        writeln!(
            out,
            "{GUTTER}{pad} ={GUTTER:#} {HINT}hint{HINT:#}: {}",
            escape::terminal(hint)
        )?;
    }
    writeln!(out)
}

fn summary(out: &mut dyn Write, outcome: &CheckOutcome) -> io::Result<()> {
    let s = outcome.summary();
    let baseline = match outcome.baseline {
        Some(stats) => format!(
            " ({} hidden by the baseline, {} fixed since)",
            plural(stats.hidden, "finding", "findings"),
            plural(stats.fixed, "baseline entry", "baseline entries")
        ),
        None => String::new(),
    };
    writeln!(
        out,
        "{BOLD}checked {}: {}, {}, {}{baseline}{BOLD:#}",
        plural(s.files, "report", "reports"),
        plural(s.errors, "error", "errors"),
        plural(s.warnings, "warning", "warnings"),
        plural(s.infos, "info", "infos")
    )
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
