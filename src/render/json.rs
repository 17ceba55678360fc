//! The JSON format: `{"findings": [...], "summary": {...}, "notes": [...]}`,
//! and `"statistics": [...]` with `--statistics`.
//! Findings are [`Diagnostic`]s serialized as they are, so the JSON and the
//! human output can never disagree about a finding.

use std::io::{self, Write};

use serde::Serialize;

use super::statistics::RuleCount;
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
    /// Present with `--statistics`: findings per rule, most first. Absent
    /// otherwise, so that the output of a plain run keeps its shape.
    #[serde(skip_serializing_if = "Option::is_none")]
    statistics: Option<Vec<RuleCount>>,
}

pub fn render(out: &mut dyn Write, outcome: &CheckOutcome, statistics: bool) -> io::Result<()> {
    let output = JsonOutput {
        findings: &outcome.diagnostics,
        summary: outcome.summary(),
        notes: &outcome.notes,
        failures: outcome.failures.iter().map(ToString::to_string).collect(),
        baseline: outcome.baseline,
        statistics: statistics.then(|| super::statistics::count(&outcome.diagnostics)),
    };
    serde_json::to_writer_pretty(&mut *out, &output).map_err(super::json_io_error)?;
    writeln!(out)
}
