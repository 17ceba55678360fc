//! The JSON format: `{"findings": [...], "summary": {...}, "notes": [...]}`.
//! Findings are [`Diagnostic`]s serialized as they are, so the JSON and the
//! human output can never disagree about a finding.

use std::io::{self, Write};

use serde::Serialize;

use crate::baseline::BaselineStats;
use crate::check::CheckOutcome;
use crate::diagnostic::{Diagnostic, Note, Summary};

#[derive(Serialize)]
struct JsonOutput<'a> {
    findings: &'a [Diagnostic],
    summary: Summary,
    notes: &'a [Note],
    /// Files that could not be read; they make the exit code 2.
    failures: Vec<String>,
    /// Present with `--baseline`: findings hidden, entries fixed.
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline: Option<BaselineStats>,
}

pub fn render(out: &mut dyn Write, outcome: &CheckOutcome) -> io::Result<()> {
    let output = JsonOutput {
        findings: &outcome.diagnostics,
        summary: outcome.summary(),
        notes: &outcome.notes,
        failures: outcome.failures.iter().map(ToString::to_string).collect(),
        baseline: outcome.baseline,
    };
    serde_json::to_writer_pretty(&mut *out, &output).map_err(super::json_io_error)?;
    writeln!(out)
}
