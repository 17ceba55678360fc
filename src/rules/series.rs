//! Rules over a series of reports rather than one file: `missing-report`.
//!
//! A series is the reports of one folder, with year folders folded together
//! (`status/2016/` and `status/2017/` are one series), ordered by their day
//! (a week-numbered report's Monday, a date-named report's date). Reports
//! this run does not check still count, placed by their file names, so
//! checking one file still sees the gap before it; findings are only
//! reported on checked files.
//!
//! Each series has a cadence ([`crate::cadence`]): a report is asked for in
//! every period (week, fortnight, month) between two reports, except the
//! periods its breaks cover and those the later report explains ("no
//! report for weeks 12 and 13 because of holidays", [`super::excuses`]).

use std::collections::{BTreeMap, HashSet};

use chrono::{Datelike, NaiveDate};

use super::Rule;
use super::excuses::Explained;
use crate::cadence::{Cadence, Every, Period};
use crate::dates;
use crate::diagnostic::Diagnostic;
use crate::report::Pos;

/// A report's place in its series.
#[derive(Clone, Debug)]
pub struct SeriesEntry {
    pub path: String,
    pub year: i32,
    pub week: u32,
    /// The report's day, when it is named by a date (else its week's
    /// Monday stands for it).
    pub day: Option<NaiveDate>,
    /// Where a finding about this report goes (its title), when checked.
    pub anchor: Option<Pos>,
    /// The gaps before it that the report itself explains.
    pub explained: Explained,
}

impl SeriesEntry {
    fn day(&self) -> Option<NaiveDate> {
        self.day
            .or_else(|| dates::week_bounds(self.year, self.week).map(|(monday, _)| monday))
    }
}

/// Weeks with no report between consecutive reports of each series, for a
/// weekly cadence with the one-off `breaks` of `missing-report`.
pub fn missing_reports(entries: &[SeriesEntry], breaks: &[(i32, u32)]) -> Vec<Diagnostic> {
    let weekly = Cadence::default();
    missing_by_cadence(entries, breaks, &|_| &weekly)
}

/// Periods with no report between consecutive reports of each series, by
/// the cadence `cadence_of` gives for a report's path; `breaks` are the
/// `missing-report` rule's weeks, which hold for every cadence.
pub fn missing_by_cadence<'c>(
    entries: &[SeriesEntry],
    breaks: &[(i32, u32)],
    cadence_of: &dyn Fn(&str) -> &'c Cadence,
) -> Vec<Diagnostic> {
    let breaks: HashSet<(i32, u32)> = breaks.iter().copied().collect();
    // A week that does not exist (week 53 of 2016) has no day: it stays
    // in its place in the series, and no gap is judged across it.
    let mut series: BTreeMap<String, Vec<(Option<NaiveDate>, &SeriesEntry)>> = BTreeMap::new();
    for entry in entries {
        series
            .entry(series_key(&entry.path))
            .or_default()
            .push((entry.day(), entry));
    }
    let mut out = Vec::new();
    for reports in series.values_mut() {
        reports.sort_by(|a, b| {
            (a.1.year, a.1.week, a.0, &a.1.path).cmp(&(b.1.year, b.1.week, b.0, &b.1.path))
        });
        let Some(anchor_day) = reports.iter().find_map(|(day, _)| *day) else {
            continue;
        };
        for pair in reports.windows(2) {
            let ((before_day, before), (after_day, after)) = (pair[0], pair[1]);
            let Some(anchor) = after.anchor else { continue };
            let (Some(before_day), Some(after_day)) = (before_day, after_day) else {
                continue;
            };
            let cadence = cadence_of(&after.path);
            let (from, to) = (
                cadence.index(anchor_day, before_day),
                cadence.index(anchor_day, after_day),
            );
            let missing: Vec<Period> = (from.saturating_add(1)..to)
                .filter_map(|index| cadence.period(anchor_day, index))
                .filter(|period| {
                    let in_breaks = |day: NaiveDate| breaks.contains(&dates::iso_week(day));
                    !cadence.excused_with(*period, &in_breaks)
                        && !after.explained.covers(period.start, period.end)
                })
                .collect();
            let message = match cadence.every {
                Every::Weekly => {
                    let weeks: Vec<(i32, u32)> =
                        missing.iter().map(|p| dates::iso_week(p.start)).collect();
                    describe_weeks(&weeks)
                }
                Every::Biweekly => describe_fortnights(&missing),
                Every::Monthly => describe_months(&missing),
            };
            if let Some(what) = message {
                out.push(finding(
                    after,
                    before,
                    anchor,
                    &what,
                    !after.explained.is_empty(),
                ));
            }
        }
    }
    out
}

fn finding(
    after: &SeriesEntry,
    before: &SeriesEntry,
    anchor: Pos,
    what: &str,
    explains_some: bool,
) -> Diagnostic {
    let previous = short_name(&before.path);
    let hint = if explains_some {
        "the report explains another gap, not this one: name these weeks too (\"no report for weeks 12 and 13 because of holidays\"), or add the missing report"
    } else {
        "add the missing report, say why in this one (\"no report for week 12 because of holidays\"), or list the weeks as breaks (`breaks` of missing-report, or the series' `cadence:`) in milepost.yaml"
    };
    Diagnostic::new(
        Rule::MissingReport,
        &after.path,
        anchor,
        format!("no report for {what} since `{previous}`"),
    )
    .with_hint(hint)
}

/// "week 9 of 2017", "2 weeks, 3–5 of 2016", "2 weeks, 2015-W53 to 2016-W1".
fn describe_weeks(missing: &[(i32, u32)]) -> Option<String> {
    let (first, last) = (missing.first()?, missing.last()?);
    Some(if missing.len() == 1 {
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
    })
}

/// "the fortnight from 2017-03-06", "2 fortnights, 2017-03-06 to 2017-04-02".
fn describe_fortnights(missing: &[Period]) -> Option<String> {
    let (first, last) = (missing.first()?, missing.last()?);
    Some(if missing.len() == 1 {
        format!(
            "the fortnight {} to {}",
            dates::ymd(first.start),
            dates::ymd(first.end)
        )
    } else {
        format!(
            "{} fortnights, {} to {}",
            missing.len(),
            dates::ymd(first.start),
            dates::ymd(last.end)
        )
    })
}

/// "March 2017", "2 months, March 2017 to April 2017".
fn describe_months(missing: &[Period]) -> Option<String> {
    let month = |p: &Period| {
        format!(
            "{} {}",
            dates::month_name(p.start.month()).unwrap_or("?"),
            p.start.year()
        )
    };
    let (first, last) = (missing.first()?, missing.last()?);
    Some(if missing.len() == 1 {
        month(first)
    } else {
        format!(
            "{} months, {} to {}",
            missing.len(),
            month(first),
            month(last)
        )
    })
}

/// How a report is named in a message about another: its file name, or,
/// for a report named by its folders (`2017/03/08.md`), the date path.
pub fn short_name(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or(path);
    let stem = name.split('.').next().unwrap_or(name);
    if !(1..=2).contains(&stem.len()) || !stem.bytes().all(|b| b.is_ascii_digit()) {
        return name;
    }
    // The last three parts: year, month, day.
    let mut start = path.len();
    for _ in 0..3 {
        match path[..start].rfind('/') {
            Some(at) => start = at,
            None => return path,
        }
    }
    &path[start + 1..]
}

/// The folder of a report with year folders folded: `docs/2016/a.rst` and
/// `docs/2017/b.rst` are one series, `docs/team-a/...` another. Month and
/// day folders below a year folder (`status/2017/03/08.md`) are folded
/// too: a series named by date in folders is one series.
///
/// Built in one pass into one string: a run asks for the series of every
/// report and of every tracking finding, tens of thousands of times.
pub fn series_key(path: &str) -> String {
    let Some((folder, _)) = path.rsplit_once('/') else {
        return String::new();
    };
    let mut key = String::with_capacity(folder.len());
    let mut below_year = false;
    for (i, part) in folder.split('/').enumerate() {
        if i > 0 {
            key.push('/');
        }
        let digits = part.bytes().all(|b| b.is_ascii_digit());
        if digits && part.len() == 4 {
            below_year = true;
            key.push('*');
        } else if digits && below_year && (1..=2).contains(&part.len()) {
            key.push('*');
        } else {
            below_year = false;
            key.push_str(part);
        }
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(path: &str, year: i32, week: u32, checked: bool) -> SeriesEntry {
        SeriesEntry {
            path: path.into(),
            year,
            week,
            day: None,
            anchor: checked.then_some(Pos::new(2, 1)),
            explained: Explained::default(),
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
    fn monthly_gaps_weigh_the_rule_s_break_weeks_by_days() {
        let dated = |path: &str, date: &str, checked: bool| {
            let day = NaiveDate::parse_from_str(date, "%Y-%m-%d").unwrap();
            let (year, week) = dates::iso_week(day);
            SeriesEntry {
                day: Some(day),
                ..entry(path, year, week, checked)
            }
        };
        let monthly = Cadence {
            every: Every::Monthly,
            ..Cadence::default()
        };
        let entries = [
            dated("m/a.md", "2017-06-30", true),
            dated("m/b.md", "2017-09-01", true),
        ];
        // Weeks 27–31 of 2017 hold most of July; week 33 is a week of August.
        let breaks: Vec<(i32, u32)> = (27..=31).map(|w| (2017, w)).chain([(2017, 33)]).collect();
        let findings = missing_by_cadence(&entries, &breaks, &|_| &monthly);
        let messages: Vec<&str> = findings.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(messages, ["no report for August 2017 since `a.md`"]);
    }

    #[test]
    fn short_names_keep_the_date_of_folder_named_reports() {
        assert_eq!(short_name("s/2016_uke_38.rst"), "2016_uke_38.rst");
        assert_eq!(short_name("status/2017/03/08.md"), "2017/03/08.md");
        assert_eq!(short_name("03/08.md"), "03/08.md");
    }

    #[test]
    fn month_and_day_folders_below_a_year_are_one_series() {
        assert_eq!(series_key("status/2017/03/08.md"), "status/*/*");
        assert_eq!(series_key("2016_uke_38.rst"), "");
        assert_eq!(series_key("a//2016/b.rst"), "a//*");
        assert_eq!(series_key("status/2017/04/05.md"), "status/*/*");
        assert_eq!(series_key("status/2017/uke_38.rst"), "status/*");
        assert_eq!(series_key("status/07/team/a.md"), "status/07/team");
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
