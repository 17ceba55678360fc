//! Renderers: one file per output format. Each takes the outcome of a run
//! and writes to a `Write`; the binary decides where that goes and whether
//! colours survive (anstream strips them when they should not show).

pub mod human;
pub mod json;

use std::io::{self, Write};

use crate::check::CheckOutcome;

/// The output formats of `check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    Human,
    Json,
}

/// How much the human format says.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HumanOptions {
    /// One line per finding: no snippets, hints, notes or summary.
    pub quiet: bool,
}

/// Writes `outcome` in `format`.
pub fn render(
    out: &mut dyn Write,
    outcome: &CheckOutcome,
    format: OutputFormat,
    options: HumanOptions,
) -> io::Result<()> {
    match format {
        OutputFormat::Human => human::render(out, outcome, options),
        OutputFormat::Json => json::render(out, outcome),
    }
}
