//! `milepost reports`: one row per report with its period, byline, when git
//! says it was first committed and last changed, and its finding counts.
//! The table shows paths and bylines through [`escape::terminal`]; the
//! JSON needs nothing (serde_json escapes control characters).

use std::io::{self, Write};

use serde::Serialize;

use super::escape;
use super::table::{Fit, Styled, TableStyle, Tone, fitted_sparing, left_out_note};
use crate::check::{CheckOutcome, CheckedReport};
use crate::dates::ymd;
use crate::diagnostic::{Severity, Summary};
use crate::git::CommitInfo;
use crate::hash::FastMap;
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
    /// A date-named report's day (file name, else title).
    #[serde(skip_serializing_if = "Option::is_none")]
    named_date: Option<String>,
    /// How ambiguous dates in its name or title were read.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    resolutions: Vec<&'a str>,
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

fn counts(outcome: &CheckOutcome) -> FastMap<&str, Counts> {
    let mut counts: FastMap<&str, Counts> =
        FastMap::with_capacity_and_hasher(outcome.reports.len(), Default::default());
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
            named_date: r.info.named.as_ref().and_then(|n| n.day()).map(ymd),
            resolutions: r
                .info
                .named
                .as_ref()
                .map(|n| n.resolutions())
                .unwrap_or_default(),
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

const HEADER: [&str; 7] = [
    "report",
    "week",
    "dated",
    "author",
    "first committed",
    "last changed",
    "findings",
];

/// What gives way when the table is narrowed: the path wraps after a
/// `/`, the author and the commits (`date id`) between words; the week,
/// the byline date and the counts stay whole.
const FITS: [Fit; 7] = [
    Fit::Path,
    Fit::Keep,
    Fit::Keep,
    Fit::Words,
    Fit::Words,
    Fit::Words,
    Fit::Keep,
];

/// The columns a narrow terminal can spare, in the order they go: the
/// author (the report says it), then the last change.
const SPARE: [usize; 2] = [3, 5];

/// The colour of a report's counts: red with errors, yellow with
/// warnings, cyan with only infos, green when clean.
fn tone(counts: Counts) -> Tone {
    if counts.errors > 0 {
        Tone::Bad
    } else if counts.warnings > 0 {
        Tone::Warn
    } else if counts.infos > 0 {
        Tone::Calm
    } else {
        Tone::Good
    }
}

/// The terminal table, fitted to `style.width`, counts coloured when
/// `style.color`; then the number of reports.
pub fn table(out: &mut dyn Write, outcome: &CheckOutcome, style: TableStyle) -> io::Result<()> {
    let dash = || "-".to_owned();
    let rows = rows(outcome);
    // How ambiguous dates were read, under the table (the cells stay
    // short): in full where no other date decided, counted otherwise (the
    // JSON states every one).
    let resolved: Vec<(&str, &str)> = rows
        .iter()
        .flat_map(|row| row.resolutions.iter().map(|r| (row.path, *r)))
        .collect();
    let rows = rows
        .into_iter()
        .map(|row| {
            let commit = |c: &Option<CommitRef>| {
                c.as_ref()
                    .map_or_else(dash, |c| format!("{} {}", c.date, c.commit))
            };
            let findings = row.findings;
            vec![
                Styled::from(escape::terminal(row.path).into_owned()),
                Styled::from(match (row.year, row.week) {
                    (Some(year), Some(week)) => format!("{year}-W{week:02}"),
                    _ => dash(),
                }),
                Styled::from(
                    row.date
                        .clone()
                        .or_else(|| row.named_date.clone())
                        .unwrap_or_else(dash),
                ),
                Styled::from(
                    row.author
                        .map_or_else(dash, |author| escape::terminal(author).into_owned()),
                ),
                Styled::from(commit(&row.first_committed)),
                Styled::from(commit(&row.last_changed)),
                Styled {
                    text: format!(
                        "{}E {}W {}I",
                        findings.errors, findings.warnings, findings.infos
                    ),
                    tone: Some(tone(findings)),
                },
            ]
        })
        .collect();
    let (table, left_out) = fitted_sparing(&HEADER, rows, &FITS, style, &SPARE);
    writeln!(out, "{table}")?;
    if let Some(note) = left_out_note(&left_out, style.width) {
        writeln!(out, "{note}")?;
    }
    let (undecided, decided): (Vec<_>, Vec<_>) = resolved
        .into_iter()
        .partition(|(_, r)| r.contains(crate::dated::UNDECIDED));
    for (path, resolution) in undecided {
        writeln!(
            out,
            "{}: {}",
            escape::terminal(path),
            escape::terminal(resolution)
        )?;
    }
    if !decided.is_empty() {
        let (count, were) = match decided.len() {
            1 => ("1 date".to_owned(), "was"),
            n => (format!("{n} dates"), "were"),
        };
        writeln!(
            out,
            "{count} could be read more than one way and {were} read by the report's other dates (`--format json` states each)"
        )?;
    }
    let summary: Summary = outcome.summary();
    writeln!(out, "{} reports", summary.files)
}
