//! The human format: `path:line:col: severity[rule] message` (the shape
//! compilers print, which editors and terminals turn into links), then the
//! source line with a caret under the spot, a hint, and a closing summary.
//!
//! annotate-snippets was considered, but its rustc layout puts the location
//! on a second line (`--> path:line:col`), which breaks the one-line
//! `path:line:col:` form that quickfix lists and `grep` rely on; the snippet
//! itself is three lines, so it is drawn here.

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};

use super::HumanOptions;
use crate::check::CheckOutcome;
use crate::diagnostic::{Diagnostic, Severity};

const BOLD: Style = Style::new().bold();
const GUTTER: Style = AnsiColor::Blue.on_default().bold();
const HINT: Style = AnsiColor::Cyan.on_default();

fn severity_style(severity: Severity) -> Style {
    match severity {
        Severity::Error => AnsiColor::Red.on_default().bold(),
        Severity::Warning => AnsiColor::Yellow.on_default().bold(),
        Severity::Info => AnsiColor::Green.on_default().bold(),
    }
}

pub fn render(
    out: &mut dyn Write,
    outcome: &CheckOutcome,
    options: HumanOptions,
) -> io::Result<()> {
    for diagnostic in &outcome.diagnostics {
        header(out, diagnostic)?;
        if !options.quiet {
            snippet(out, diagnostic)?;
        }
    }
    for failure in &outcome.failures {
        let style = severity_style(Severity::Error);
        writeln!(out, "{style}error{style:#}: {failure}")?;
    }
    if options.quiet {
        return Ok(());
    }
    for note in &outcome.notes {
        match &note.path {
            Some(path) => writeln!(
                out,
                "{BOLD}note{BOLD:#}: {}: {}",
                printable(path),
                note.message
            )?,
            None => writeln!(out, "{BOLD}note{BOLD:#}: {}", note.message)?,
        }
    }
    summary(out, outcome)
}

fn header(out: &mut dyn Write, d: &Diagnostic) -> io::Result<()> {
    let style = severity_style(d.severity);
    writeln!(
        out,
        "{BOLD}{}:{}:{}:{BOLD:#} {style}{}[{}]{style:#} {BOLD}{}{BOLD:#}",
        printable(&d.path),
        d.line,
        d.column,
        d.severity,
        d.rule,
        d.message
    )
}

fn snippet(out: &mut dyn Write, d: &Diagnostic) -> io::Result<()> {
    let number = d.line.to_string();
    let pad = " ".repeat(number.len());
    if let Some(line) = d.source_line.as_deref() {
        // Tabs would misalign the caret; show them as one space each, the
        // same width the column counts them as.
        let shown: String = line
            .chars()
            .map(|c| if c == '\t' { ' ' } else { c })
            .collect();
        let caret_at = usize::try_from(d.column.saturating_sub(1)).unwrap_or(0);
        let style = severity_style(d.severity);
        writeln!(out, "{GUTTER}{pad} |{GUTTER:#}")?;
        writeln!(out, "{GUTTER}{number} |{GUTTER:#} {}", shown.trim_end())?;
        writeln!(
            out,
            "{GUTTER}{pad} |{GUTTER:#} {}{style}^{style:#}",
            " ".repeat(caret_at)
        )?;
    }
    if let Some(hint) = &d.hint {
        writeln!(out, "{GUTTER}{pad} ={GUTTER:#} {HINT}hint{HINT:#}: {hint}")?;
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

/// A path fit for one line of terminal output: control characters (a
/// newline in a file name) are shown escaped instead of breaking the line.
fn printable(path: &str) -> std::borrow::Cow<'_, str> {
    if path.chars().any(char::is_control) {
        std::borrow::Cow::Owned(path.chars().flat_map(char::escape_default).collect())
    } else {
        std::borrow::Cow::Borrowed(path)
    }
}
