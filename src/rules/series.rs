//! Rules over a series of reports rather than one file: `missing-report`.
//!
//! A series is the reports of one folder, with year folders folded together
//! (`status/2016/` and `status/2017/` are one series), ordered by ISO week.
//! Reports this run does not check still count, placed by their file names,
//! so checking one file still sees the gap before it; findings are only
//! reported on checked files.

use std::collections::{BTreeMap, HashSet};

use chrono::Duration;

use super::Rule;
use crate::dates;
use crate::diagnostic::Diagnostic;
use crate::report::Pos;

/// A report's place in its series.
#[derive(Clone, Debug)]
pub struct SeriesEntry {
    pub path: String,
    pub year: i32,
    pub week: u32,
    /// Where a finding about this report goes (its title), when checked.
    pub anchor: Option<Pos>,
}

/// Weeks with no report between consecutive reports of each series.
pub fn missing_reports(entries: &[SeriesEntry], breaks: &[(i32, u32)]) -> Vec<Diagnostic> {
    let breaks: HashSet<(i32, u32)> = breaks.iter().copied().collect();
    let mut series: BTreeMap<String, Vec<&SeriesEntry>> = BTreeMap::new();
    for entry in entries {
        series
            .entry(series_key(&entry.path))
            .or_default()
            .push(entry);
    }
    let mut out = Vec::new();
    for reports in series.values_mut() {
        reports.sort_by_key(|e| (e.year, e.week, e.path.clone()));
        for pair in reports.windows(2) {
            let (before, after) = (pair[0], pair[1]);
            let Some(anchor) = after.anchor else { continue };
            let missing: Vec<(i32, u32)> =
                weeks_between((before.year, before.week), (after.year, after.week))
                    .into_iter()
                    .filter(|week| !breaks.contains(week))
                    .collect();
            if let Some(finding) = finding(after, before, anchor, &missing) {
                out.push(finding);
            }
        }
    }
    out
}

fn finding(
    after: &SeriesEntry,
    before: &SeriesEntry,
    anchor: Pos,
    missing: &[(i32, u32)],
) -> Option<Diagnostic> {
    let (first, last) = (missing.first()?, missing.last()?);
    let weeks = if missing.len() == 1 {
        format!("week {} of {}", first.1, first.0)
    } else if first.0 == last.0 {
        format!(
            "{} weeks, {}–{} of {}",
            missing.len(),
            first.1,
            last.1,
            first.0
        )
    } else {
        format!(
            "{} weeks, {}-W{} to {}-W{}",
            missing.len(),
            first.0,
            first.1,
            last.0,
            last.1
        )
    };
    let previous = before.path.rsplit('/').next().unwrap_or(&before.path);
    Some(
        Diagnostic::new(
            Rule::MissingReport,
            &after.path,
            anchor,
            format!("no report for {weeks} since `{previous}`"),
        )
        .with_hint("add the missing report, or list the weeks as `breaks` of missing-report in milepost.yaml"),
    )
}

/// The ISO weeks strictly between two weeks.
fn weeks_between(from: (i32, u32), to: (i32, u32)) -> Vec<(i32, u32)> {
    let (Some((start, _)), Some((end, _))) = (
        dates::week_bounds(from.0, from.1),
        dates::week_bounds(to.0, to.1),
    ) else {
        return Vec::new();
    };
    let mut weeks = Vec::new();
    let mut monday = start + Duration::days(7);
    while monday < end {
        weeks.push(dates::iso_week(monday));
        monday += Duration::days(7);
    }
    weeks
}

/// The folder of a report with year folders folded: `docs/2016/a.rst` and
/// `docs/2017/b.rst` are one series, `docs/team-a/...` another.
pub fn series_key(path: &str) -> String {
    let mut parts: Vec<&str> = path.split('/').collect();
    parts.pop();
    parts
        .iter()
        .map(|part| {
            if part.len() == 4 && part.bytes().all(|b| b.is_ascii_digit()) {
                "*"
            } else {
                part
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(path: &str, year: i32, week: u32, checked: bool) -> SeriesEntry {
        SeriesEntry {
            path: path.into(),
            year,
            week,
            anchor: checked.then_some(Pos::new(2, 1)),
        }
    }

    #[test]
    fn finds_gaps_across_new_year_and_respects_breaks() {
        let entries = [
            entry("s/2015/2015_uke_52.rst", 2015, 52, true),
            entry("s/2016/2016_uke_02.rst", 2016, 2, true),
            entry("s/2016/2016_uke_06.rst", 2016, 6, true),
            entry("other/2016_uke_06.rst", 2016, 6, true),
            entry("other/2016_uke_07.rst", 2016, 7, true),
        ];
        let findings = missing_reports(&entries, &[(2016, 4)]);
        let messages: Vec<_> = findings
            .iter()
            .map(|d| (d.path.as_str(), d.message.as_str()))
            .collect();
        assert_eq!(
            messages,
            [
                (
                    "s/2016/2016_uke_02.rst",
                    "no report for 2 weeks, 2015-W53 to 2016-W1 since `2015_uke_52.rst`"
                ),
                (
                    "s/2016/2016_uke_06.rst",
                    "no report for 2 weeks, 3–5 of 2016 since `2016_uke_02.rst`"
                ),
            ]
        );
    }

    #[test]
    fn only_checked_reports_get_findings_and_duplicates_are_no_gap() {
        let entries = [
            entry("s/a.rst", 2016, 30, false),
            entry("s/b.rst", 2016, 32, false),
            entry("s/c.rst", 2016, 32, true),
            entry("s/d.rst", 2016, 34, true),
        ];
        let findings = missing_reports(&entries, &[]);
        assert_eq!(findings.len(), 1);
        assert_eq!(findings[0].path, "s/d.rst");
        assert_eq!(
            findings[0].message,
            "no report for week 33 of 2016 since `c.rst`"
        );
    }
}
