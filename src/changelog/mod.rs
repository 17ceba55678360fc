//! `milepost changelog`: what was delivered, from the reports.
//!
//! Every item that tracking ([`crate::tracking::track`]) saw reported
//! done, once: with the day it was done (the date it names, else the
//! report's), the milestone it belongs to (the first milestone, in
//! definition order, with an item that matches it, as `milestones` decides
//! it), and the report that announced it. This module only uses
//! tracking's public API (`track`, `TrackedItem`, `State`), so that the
//! way items are followed can improve without it.
//!
//! An item reported done again in a later report (a done section copied
//! forward) is one delivery: within a series, a second done item with the
//! same tag, or the same wording, is left out.
//!
//! The order is fixed whatever the file system or the threads do: groups
//! newest first (milestones in definition order, items with none last),
//! and within a group by completion day, newest first, then report path,
//! then text.

pub mod render;

use std::collections::HashSet;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::dates::ymd;
use crate::milestones::Milestone;
use crate::text::lower_nfc;
use crate::tracking::{State, TrackedItem};

/// One delivered item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// The item as the report that announced it wrote it.
    pub text: String,
    /// `YYYY-MM-DD`.
    pub completed_on: String,
    /// ISO week of the completion day, `YYYY-Www`.
    pub week: String,
    /// Repository-relative path of the report that announced it.
    pub report: String,
    /// That report's date, `YYYY-MM-DD`.
    pub report_date: String,
    pub milestone: Option<MilestoneRef>,
    /// Its `milepost: item=` tag, if any.
    pub tag: Option<String>,
    /// Line of the item in the report.
    pub line: u32,
    #[serde(skip)]
    day: NaiveDate,
    #[serde(skip)]
    milestone_order: usize,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MilestoneRef {
    pub id: String,
    pub title: String,
}

/// How entries are grouped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Grouping {
    Week,
    Month,
    Milestone,
}

/// A group of entries: a week (`2016-W38`), a month (`2016-09`) or a
/// milestone (its id; `null` for the items of no milestone).
#[derive(Clone, Debug, Serialize)]
pub struct Group {
    pub key: Option<String>,
    /// For people: the week or month again, or the milestone's title.
    pub title: String,
    pub entries: Vec<Entry>,
}

/// The days to include, both ends inclusive.
#[derive(Clone, Copy, Debug, Default)]
pub struct Range {
    pub since: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
}

impl Range {
    fn contains(&self, day: NaiveDate) -> bool {
        self.since.is_none_or(|since| day >= since) && self.until.is_none_or(|until| day <= until)
    }
}

/// The delivered items among `items`, in `range`, each once.
pub fn entries(items: &[TrackedItem], milestones: &[Milestone], range: Range) -> Vec<Entry> {
    let mut seen: HashSet<(String, String)> = HashSet::new();
    let mut out: Vec<Entry> = Vec::new();
    // Earliest first, so that a repeat is the later one.
    let mut done: Vec<(&TrackedItem, NaiveDate)> = items
        .iter()
        .filter_map(|item| Some((item, item.done_on?)))
        .collect();
    done.sort_by_cached_key(|(item, day)| {
        let sighting = item
            .sightings
            .iter()
            .find(|s| s.state == State::Done)
            .map(|s| (s.date, s.path.to_string(), s.pos));
        (*day, sighting)
    });
    for (item, day) in done {
        let Some(sighting) = item.sightings.iter().find(|s| s.state == State::Done) else {
            continue;
        };
        let identity = match &item.tag {
            Some(tag) => format!("tag:{tag}"),
            None => format!("text:{}", lower_nfc(sighting.text.trim())),
        };
        if !seen.insert((item.series.to_string(), identity)) {
            continue;
        }
        if !range.contains(day) {
            continue;
        }
        let milestone = milestones
            .iter()
            .enumerate()
            .find(|(_, m)| m.items.iter().any(|mi| mi.matches(item)));
        let (year, week) = crate::dates::iso_week(day);
        out.push(Entry {
            text: sighting.text.to_string(),
            completed_on: ymd(day),
            week: format!("{year}-W{week:02}"),
            report: sighting.path.to_string(),
            report_date: ymd(sighting.date),
            milestone: milestone.map(|(_, m)| MilestoneRef {
                id: m.id.clone(),
                title: m.title.clone(),
            }),
            tag: item.tag.clone(),
            line: sighting.pos.line,
            day,
            milestone_order: milestone.map_or(usize::MAX, |(i, _)| i),
        });
    }
    out
}

/// A group's rank (smaller first), key and title.
type GroupKey = (i64, Option<String>, String);

/// `entries` in groups, in the fixed order (see the module doc).
pub fn group(mut entries: Vec<Entry>, grouping: Grouping) -> Vec<Group> {
    entries.sort_by(|a, b| {
        (b.day, &a.report, a.line, &a.text).cmp(&(a.day, &b.report, b.line, &b.text))
    });
    let key_of = |entry: &Entry| -> GroupKey {
        match grouping {
            Grouping::Week => {
                let (year, week) = crate::dates::iso_week(entry.day);
                (
                    -(i64::from(year) * 100 + i64::from(week)),
                    Some(entry.week.clone()),
                    format!("Week {week}, {year}"),
                )
            }
            Grouping::Month => (
                -(i64::from(entry.day.year()) * 100 + i64::from(entry.day.month())),
                Some(format!("{}-{:02}", entry.day.year(), entry.day.month())),
                format!(
                    "{} {}",
                    crate::dates::month_name(entry.day.month()).unwrap_or("?"),
                    entry.day.year()
                ),
            ),
            Grouping::Milestone => match &entry.milestone {
                Some(m) => (
                    i64::try_from(entry.milestone_order).unwrap_or(i64::MAX),
                    Some(m.id.clone()),
                    m.title.clone(),
                ),
                None => (i64::MAX, None, "Other deliveries".to_owned()),
            },
        }
    };
    let mut keyed: Vec<(GroupKey, Entry)> = entries.into_iter().map(|e| (key_of(&e), e)).collect();
    // Stable: the entries' order holds within a group.
    keyed.sort_by_key(|(key, _)| key.0);
    let mut groups: Vec<Group> = Vec::new();
    for ((_, key, title), entry) in keyed {
        match groups.last_mut() {
            Some(group) if group.key == key && group.title == title => group.entries.push(entry),
            _ => groups.push(Group {
                key,
                title,
                entries: vec![entry],
            }),
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Format, parse};
    use crate::schema::Schema;
    use crate::tracking::{ReportView, track};

    fn report(week: u32, done: &[&str], planned: &[&str]) -> String {
        let list =
            |items: &[&str]| -> String { items.iter().map(|i| format!("- {i}\n\n")).collect() };
        format!(
            "Uke {week}\n======\n\nFullført\n--------\n\n{}Planlagt fremdrift\n------------------\n\n{}",
            list(done),
            list(planned)
        )
    }

    fn delivered(texts: &[(&str, u32, String)], range: Range) -> Vec<Entry> {
        let schema = Schema::builtin("uke").unwrap().unwrap();
        let docs: Vec<_> = texts
            .iter()
            .map(|(path, week, text)| (*path, *week, parse(Format::Rst, text)))
            .collect();
        let views: Vec<ReportView> = docs
            .iter()
            .map(|(path, week, doc)| ReportView {
                path,
                date: NaiveDate::from_isoywd_opt(2016, *week, chrono::Weekday::Fri).unwrap(),
                document: doc,
                schema: &schema,
            })
            .collect();
        let items = track(&views);
        entries(&items, &[], range)
    }

    #[test]
    fn a_delivery_repeated_in_the_next_report_counts_once() {
        let reports = [
            (
                "s/uke_37.rst",
                37,
                report(37, &[], &["Oppgradere ceph til siste versjon."]),
            ),
            (
                "s/uke_38.rst",
                38,
                report(38, &["Oppgradert ceph til siste versjon."], &[]),
            ),
            (
                "s/uke_39.rst",
                39,
                report(39, &["Oppgradert ceph til siste versjon."], &[]),
            ),
        ];
        let got = delivered(&reports, Range::default());
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].report, "s/uke_38.rst");
        assert_eq!(got[0].completed_on, "2016-09-23");
        assert_eq!(got[0].week, "2016-W38");
    }

    #[test]
    fn a_named_completion_day_wins_and_the_range_is_inclusive() {
        let reports = [(
            "s/uke_38.rst",
            38,
            report(
                38,
                &["Workshop ved USIT 20. september 2016.", "Ny nettside."],
                &[],
            ),
        )];
        let got = delivered(&reports, Range::default());
        let days: Vec<&str> = got.iter().map(|e| e.completed_on.as_str()).collect();
        assert!(
            days.contains(&"2016-09-20") && days.contains(&"2016-09-23"),
            "{days:?}"
        );
        let since = NaiveDate::from_ymd_opt(2016, 9, 21);
        let got = delivered(&reports, Range { since, until: None });
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].text, "Ny nettside.");
        let until = NaiveDate::from_ymd_opt(2016, 9, 20);
        let got = delivered(&reports, Range { since: None, until });
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].completed_on, "2016-09-20");
    }

    #[test]
    fn groups_are_newest_first_and_the_order_does_not_depend_on_input_order() {
        let mut reports = vec![
            (
                "s/uke_37.rst",
                37,
                report(37, &["Alfa levert.", "Beta levert."], &[]),
            ),
            ("s/uke_39.rst", 39, report(39, &["Gamma levert."], &[])),
            ("s/uke_41.rst", 41, report(41, &["Delta levert."], &[])),
        ];
        let forward = group(delivered(&reports, Range::default()), Grouping::Week);
        reports.reverse();
        let backward = group(delivered(&reports, Range::default()), Grouping::Week);
        let keys = |groups: &[Group]| -> Vec<(Option<String>, Vec<String>)> {
            groups
                .iter()
                .map(|g| {
                    (
                        g.key.clone(),
                        g.entries.iter().map(|e| e.text.clone()).collect(),
                    )
                })
                .collect()
        };
        assert_eq!(keys(&forward), keys(&backward));
        assert_eq!(
            keys(&forward),
            [
                (Some("2016-W41".into()), vec!["Delta levert.".to_owned()]),
                (Some("2016-W39".into()), vec!["Gamma levert.".to_owned()]),
                (
                    Some("2016-W37".into()),
                    vec!["Alfa levert.".to_owned(), "Beta levert.".to_owned()]
                ),
            ]
        );
        let months = group(delivered(&reports, Range::default()), Grouping::Month);
        let titles: Vec<&str> = months.iter().map(|g| g.title.as_str()).collect();
        assert_eq!(titles, ["October 2016", "September 2016"]);
    }
}
