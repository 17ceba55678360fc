//! Renderers: one file per output format. Each takes the outcome of a run
//! and writes to a `Write`; the binary decides where that goes and whether
//! colours survive (anstream strips them when they should not show).
//!
//! The human and JSON formats are for people and scripts; `github`, `sarif`
//! and `junit` are for CI systems, which each read one of them natively
//! (workflow annotations, code scanning, test reports).

pub mod escape;
pub mod explain;
pub mod github;
pub mod html;
pub mod human;
pub mod json;
pub mod junit;
pub mod milestones;
pub mod reports;
pub mod sarif;
pub mod statistics;
mod style;
pub mod table;
pub mod timeline;

use std::io::{self, Write};

use crate::check::CheckOutcome;
use crate::diagnostic::{Diagnostic, Summary};

/// The output formats of `check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    Human,
    Json,
    /// GitHub Actions workflow commands (`::error file=...::message`).
    Github,
    /// SARIF 2.1.0, for code-scanning services.
    Sarif,
    /// JUnit XML, for CI test-report views.
    Junit,
}

/// How much the output says.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RenderOptions {
    /// One line per finding: no snippets, hints, notes or summary (the
    /// human format only).
    pub quiet: bool,
    /// Findings counted per rule ([`statistics`]): in the human format in
    /// place of the findings, in JSON as a `statistics` array beside them.
    pub statistics: bool,
}

/// Writes `outcome` in `format`. `options` affects the human and JSON
/// formats; the CI formats always say everything, each in its own shape.
pub fn render(
    out: &mut dyn Write,
    outcome: &CheckOutcome,
    format: OutputFormat,
    options: RenderOptions,
) -> io::Result<()> {
    match format {
        OutputFormat::Human => human::render(out, outcome, options),
        OutputFormat::Json => json::render(out, outcome, options.statistics),
        OutputFormat::Github => github::render(out, outcome),
        OutputFormat::Sarif => sarif::render(out, outcome),
        OutputFormat::Junit => junit::render(out, outcome),
    }
}

/// A finding's message with its hint, on a second line, as the machine
/// formats that have a single text field show it. One place, so that all
/// of them place the hint alike.
pub(crate) fn message_with_hint(d: &Diagnostic) -> String {
    match &d.hint {
        Some(hint) => format!("{}\nhint: {hint}", d.message),
        None => d.message.clone(),
    }
}

/// `path:line:col: severity[rule] message`, the one-line form of a finding
/// without colours (the same as the human format's first line), not yet
/// escaped: each caller escapes the whole line for its consumer.
pub(crate) fn plain_line(d: &Diagnostic) -> String {
    format!(
        "{}:{}:{}: {}[{}] {}",
        d.path, d.line, d.column, d.severity, d.rule, d.message
    )
}

/// `checked N reports: N errors, N warnings, N infos`, the human format's
/// closing line without colours.
pub fn summary_line(s: &Summary) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    format!(
        "checked {}: {}, {}, {}",
        plural(s.files, "report"),
        plural(s.errors, "error"),
        plural(s.warnings, "warning"),
        plural(s.infos, "info")
    )
}

/// serde_json's error as an I/O error that keeps its kind, so that a closed
/// pipe (`milepost check --format json | head`) stays a closed pipe.
pub(crate) fn json_io_error(err: serde_json::Error) -> std::io::Error {
    match err.io_error_kind() {
        Some(kind) => std::io::Error::from(kind),
        None => std::io::Error::other(err),
    }
}
