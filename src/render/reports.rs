//! `milepost reports`: one row per report with its period, byline, when git
//! says it was first committed and last changed, and its finding counts.
//! The table shows paths and bylines through [`escape::terminal`]; the
//! JSON needs nothing (serde_json escapes control characters).

use std::collections::HashMap;
use std::io::{self, Write};

use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
use serde::Serialize;

use super::escape;
use crate::check::{CheckOutcome, CheckedReport};
use crate::dates::ymd;
use crate::diagnostic::{Severity, Summary};
use crate::git::CommitInfo;
use crate::rules::history::commit_date;

#[derive(Serialize)]
struct ReportsJson<'a> {
    reports: Vec<ReportRow<'a>>,
}

#[derive(Serialize)]
struct ReportRow<'a> {
    path: &'a str,
    year: Option<i32>,
    week: Option<u32>,
    date: Option<String>,
    author: Option<&'a str>,
    first_committed: Option<CommitRef>,
    last_changed: Option<CommitRef>,
    findings: Counts,
}

#[derive(Serialize)]
struct CommitRef {
    date: String,
    commit: String,
}

#[derive(Clone, Copy, Default, Serialize)]
struct Counts {
    errors: usize,
    warnings: usize,
    infos: usize,
}

fn commit_ref(commit: Option<&CommitInfo>) -> Option<CommitRef> {
    commit.map(|c| CommitRef {
        date: ymd(commit_date(c)),
        commit: c.short.clone(),
    })
}

fn counts(outcome: &CheckOutcome) -> HashMap<&str, Counts> {
    let mut counts: HashMap<&str, Counts> = HashMap::new();
    for d in &outcome.diagnostics {
        let entry = counts.entry(d.path.as_str()).or_default();
        match d.severity {
            Severity::Error => entry.errors += 1,
            Severity::Warning => entry.warnings += 1,
            Severity::Info => entry.infos += 1,
        }
    }
    counts
}

fn rows(outcome: &CheckOutcome) -> Vec<ReportRow<'_>> {
    let counts = counts(outcome);
    let mut reports: Vec<&CheckedReport> = outcome.reports.iter().collect();
    reports.sort_by(|a, b| a.path.cmp(&b.path));
    reports
        .into_iter()
        .map(|r| ReportRow {
            path: &r.path,
            year: r.info.year,
            week: r.info.week,
            date: r.info.date.map(ymd),
            author: r.info.author.as_deref(),
            first_committed: commit_ref(r.first_commit.as_ref()),
            last_changed: commit_ref(r.last_commit.as_ref()),
            findings: counts.get(r.path.as_str()).copied().unwrap_or_default(),
        })
        .collect()
}

pub fn json(out: &mut dyn Write, outcome: &CheckOutcome) -> io::Result<()> {
    serde_json::to_writer_pretty(
        &mut *out,
        &ReportsJson {
            reports: rows(outcome),
        },
    )
    .map_err(super::json_io_error)?;
    writeln!(out)
}

pub fn table(out: &mut dyn Write, outcome: &CheckOutcome) -> io::Result<()> {
    let mut table = Table::new();
    table
        .load_preset(UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header([
            "report",
            "week",
            "dated",
            "author",
            "first committed",
            "last changed",
            "findings",
        ]);
    let dash = || "-".to_owned();
    for row in rows(outcome) {
        let commit = |c: &Option<CommitRef>| {
            c.as_ref()
                .map_or_else(dash, |c| format!("{} {}", c.date, c.commit))
        };
        let findings = row.findings;
        table.add_row([
            escape::terminal(row.path).into_owned(),
            match (row.year, row.week) {
                (Some(year), Some(week)) => format!("{year}-W{week:02}"),
                _ => dash(),
            },
            row.date.clone().unwrap_or_else(dash),
            row.author
                .map_or_else(dash, |author| escape::terminal(author).into_owned()),
            commit(&row.first_committed),
            commit(&row.last_changed),
            format!(
                "{}E {}W {}I",
                findings.errors, findings.warnings, findings.infos
            ),
        ]);
    }
    writeln!(out, "{table}")?;
    let summary: Summary = outcome.summary();
    writeln!(out, "{} reports", summary.files)
}
