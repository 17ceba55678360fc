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

/// The document `json` writes (written row by row, see
/// [`write_rows_json`]; the test holds the two to each other).
#[cfg(test)]
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
        commit: c.short().to_owned(),
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
    use rayon::prelude::*;
    let mut reports: Vec<&CheckedReport> = outcome.reports.iter().collect();
    reports.par_sort_unstable_by(|a, b| a.path.cmp(&b.path));
    reports
        .into_par_iter()
        .with_min_len(256)
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
    write_rows_json(out, &rows(outcome))
}

/// `{"reports": rows}` as `serde_json::to_writer_pretty` writes it, and a
/// newline. The rows are written apart, in parallel, each indented as it
/// stands in the list: 10,000 rows are 4 MB of JSON, a tenth of a run
/// after one new commit when written on one thread. (serde_json writes a
/// line break inside a string as `\n`, so every line break in a row's
/// text is its printer's.)
fn write_rows_json(out: &mut dyn Write, rows: &[ReportRow]) -> io::Result<()> {
    use rayon::prelude::*;
    let written: Vec<Vec<u8>> = rows
        .par_iter()
        .with_min_len(256)
        .map(|row| {
            let plain = serde_json::to_vec_pretty(row)?;
            let mut indented = Vec::with_capacity(plain.len() + plain.len() / 4);
            for (i, line) in plain.split(|&byte| byte == b'\n').enumerate() {
                if i > 0 {
                    indented.extend_from_slice(b"\n    ");
                }
                indented.extend_from_slice(line);
            }
            Ok(indented)
        })
        .collect::<serde_json::Result<_>>()
        .map_err(super::json_io_error)?;
    out.write_all(b"{\n  \"reports\": [")?;
    for (i, row) in written.iter().enumerate() {
        out.write_all(if i == 0 { b"\n    " } else { b",\n    " })?;
        out.write_all(row)?;
    }
    if !written.is_empty() {
        out.write_all(b"\n  ")?;
    }
    out.write_all(b"]\n}\n")
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

#[cfg(test)]
mod tests {
    use super::*;

    fn row<'a>(path: &'a str, author: Option<&'a str>, resolutions: Vec<&'a str>) -> ReportRow<'a> {
        ReportRow {
            path,
            year: Some(2016),
            week: Some(38),
            date: Some("2016-09-23".into()),
            named_date: path.len().is_multiple_of(2).then(|| "2016-09-21".into()),
            resolutions,
            author,
            first_committed: Some(CommitRef {
                date: "2016-09-25".into(),
                commit: "0123456".into(),
            }),
            last_changed: None,
            findings: Counts {
                errors: 1,
                warnings: 0,
                infos: 3,
            },
        }
    }

    /// The rows written apart and placed make what serde_json's pretty
    /// printer makes of the whole, for no row, one and several, with
    /// escapes, line breaks and wide characters in the strings.
    #[test]
    fn rows_written_apart_are_the_pretty_printed_whole() {
        let sets = [
            Vec::new(),
            vec![row("docs/2016_uke_38.rst", Some("Ola"), Vec::new())],
            vec![
                row(
                    "docs/a\nb \"c\" \\ d.rst",
                    Some("Bjørn\tÅs"),
                    vec!["day first"],
                ),
                row("docs/日本/uke_1.md", None, vec!["x", "y"]),
                row("docs/\u{1b}[31m.rst", Some(""), Vec::new()),
            ],
        ];
        for rows in sets {
            let mut apart = Vec::new();
            write_rows_json(&mut apart, &rows).unwrap();
            let mut whole = serde_json::to_vec_pretty(&ReportsJson { reports: rows }).unwrap();
            whole.push(b'\n');
            assert_eq!(
                String::from_utf8(apart).unwrap(),
                String::from_utf8(whole).unwrap()
            );
        }
    }
}
