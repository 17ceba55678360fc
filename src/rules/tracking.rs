//! The tracking rules, over the whole series: `stale-item`, `overdue-item`,
//! `dropped-item`, `milestone-overdue` and `milestone-at-risk`.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use rayon::prelude::*;

use super::Rule;
use crate::dates;
use crate::diagnostic::Diagnostic;
use crate::milestones::{Progress, Status};
use crate::report::Pos;
use crate::text::ellipsize;
use crate::tracking::{State, TrackedItem};

/// The thresholds, from the config (or the defaults).
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub stale_weeks: u32,
    pub stale_reports: u32,
    /// How many later reports must leave an item out before it counts as
    /// dropped (`dropped-item: {reports: N}`).
    pub dropped_reports: u32,
}

/// The default of `dropped-item: {reports: N}`: a month of weekly reports,
/// longer than the two or three weeks an item is often left out and then
/// put back.
pub const DROPPED_REPORTS: u32 = 4;

/// Items that have not moved for too long, reported on their latest
/// sighting if that is in the latest report of their series (an item
/// still listed now).
pub fn stale_items(
    items: &[TrackedItem],
    latest: &HashMap<String, NaiveDate>,
    limits: Limits,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for item in items {
        let Some(last) = item.last_seen() else {
            continue;
        };
        if item.done_on.is_some() || item.standing || latest.get(&*item.series) != Some(&last.date)
        {
            continue;
        }
        // The run of consecutive reports, ending now, that list it in its
        // current state: a report that leaves it out breaks the run.
        let mut trailing: Vec<&crate::tracking::Sighting> = vec![last];
        for s in item.sightings.iter().rev().skip(1) {
            let after = trailing[trailing.len() - 1];
            if s.state != last.state || s.report + 1 != after.report {
                break;
            }
            trailing.push(s);
        }
        let Some(since) = trailing.last() else {
            continue;
        };
        let message = match last.state {
            State::InProgress => {
                let weeks = (last.date - since.date).num_days() / 7;
                (weeks > i64::from(limits.stale_weeks)).then(|| {
                    format!(
                        "in progress for {weeks} weeks, since {} (`{}`)",
                        dates::ymd(since.date),
                        file_name(&since.path)
                    )
                })
            }
            State::Planned => (trailing.len() > limits.stale_reports as usize).then(|| {
                format!(
                    "planned in {} reports in a row without moving, since {} (`{}`)",
                    trailing.len(),
                    dates::ymd(since.date),
                    file_name(&since.path)
                )
            }),
            State::Done => None,
        };
        if let Some(message) = message {
            out.push(
                Diagnostic::new(Rule::StaleItem, &last.path, last.pos, message)
                    .with_hint("say what blocks it, split it, give it a date, or drop it openly"),
            );
        }
    }
    out
}

/// Items that vanished without being reported done: planned or in progress
/// when last listed, left out of at least `dropped_reports` reports of
/// their series since, not standing duties, and not said to be dropped on
/// purpose ("utgår", "cancelled"). Flagged on the last report that listed
/// them.
pub fn dropped_items(items: &[TrackedItem], limits: Limits) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for item in items {
        let (Some(first), Some(last)) = (item.first_seen(), item.last_seen()) else {
            continue;
        };
        if item.done_on.is_some()
            || item.standing
            || last.state == State::Done
            || item.reports_since < limits.dropped_reports as usize
            || crate::tracking::prose::says_dropped(&last.text)
        {
            continue;
        }
        let listed = if item.sightings.len() == 1 {
            "listed once".to_owned()
        } else {
            format!(
                "listed in {} reports from {}",
                item.sightings.len(),
                dates::ymd(first.date)
            )
        };
        out.push(
            Diagnostic::new(
                Rule::DroppedItem,
                &last.path,
                last.pos,
                format!(
                    "{} here and {listed}, then left out of the {} reports since, never reported done: `{}`",
                    last.state.as_str(),
                    item.reports_since,
                    ellipsize(&last.text, 60)
                ),
            )
            .with_hint("report it done, say that it was dropped, or put it back in the plan"),
        );
    }
    out
}

/// Words of a plan in prose: a sentence of the status that names a date
/// and one of these is a promise ("planned delivery June 2017",
/// "leveranse 14. november").
const PLAN_WORDS: &[&str] = &[
    "planlagt",
    "planlegger",
    "planen",
    "leveranse",
    "levering",
    "leveres",
    "frist",
    "skal",
    "ventes",
    "forventet",
    "planned",
    "plan",
    "delivery",
    "deliver",
    "delivered",
    "deadline",
    "due",
    "will",
    "expected",
    "scheduled",
];

/// Sentences of the status prose of the latest report of each series that
/// promise something by a day, week or month already past, and do not say
/// it is done: a plan written in prose and still standing.
pub fn overdue_in_status(
    views: &[crate::tracking::ReportView],
    latest: &HashMap<String, NaiveDate>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for view in views {
        if latest.get(&crate::rules::series::series_key(view.path)) != Some(&view.date) {
            continue;
        }
        for (index, section) in view.document.sections.iter().enumerate() {
            let is_status = section.depth == 1
                && view
                    .schema
                    .section_index(&section.heading.text)
                    .and_then(|i| view.schema.sections.get(i))
                    .is_some_and(|s| s.kind == crate::schema::SectionKind::Status);
            if !is_status {
                continue;
            }
            for text in view.document.texts_under(index) {
                for sentence in text.text.split_inclusive(['.', '!', '?']) {
                    let lower = crate::text::lower_nfc(sentence);
                    let promise = lower
                        .split(|c: char| !c.is_alphanumeric())
                        .any(|word| PLAN_WORDS.contains(&word));
                    if !promise || crate::tracking::prose::says_done(sentence) {
                        continue;
                    }
                    let named = Named::read(sentence, view.date.year());
                    let Some((day, what)) = named.passed(view.date) else {
                        continue;
                    };
                    out.push(
                        Diagnostic::new(
                            Rule::OverdueItem,
                            view.path,
                            text.pos,
                            format!(
                                "the status still promises {what}, which ended {}: `{}`",
                                dates::ymd(day),
                                ellipsize(sentence.trim(), 60)
                            ),
                        )
                        .with_hint("say whether it was delivered, or give the new date"),
                    );
                }
            }
        }
    }
    out
}

/// Planned or in-progress sightings that name a day or week already past
/// by their report's date.
pub fn overdue_items(items: &[TrackedItem]) -> Vec<Diagnostic> {
    items.par_iter().flat_map_iter(overdue_sightings).collect()
}

fn overdue_sightings(item: &TrackedItem) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // An item is often copied unchanged from week to week: its wording is
    // read for dates once per run of equal wordings.
    let mut named: Option<Named> = None;
    for sighting in &item.sightings {
        if sighting.state == State::Done {
            continue;
        }
        let year = sighting.date.year();
        if !named
            .as_ref()
            .is_some_and(|n| n.year == year && n.text == sighting.text)
        {
            named = Some(Named::read(&sighting.text, year));
        }
        let passed = named.as_ref().and_then(|named| named.passed(sighting.date));
        if let Some((named, what)) = passed {
            out.push(
                Diagnostic::new(
                    Rule::OverdueItem,
                    &sighting.path,
                    sighting.pos,
                    format!(
                        "still {} on {}, but it names {what}, which ended {}: `{}`",
                        sighting.state.as_str(),
                        dates::ymd(sighting.date),
                        dates::ymd(named),
                        ellipsize(&sighting.text, 60)
                    ),
                )
                .with_hint(
                    "move it to the done section with when it was done, or give it a new date",
                ),
            );
        }
    }
    out
}

/// The weeks and dates a wording names, read for a report of `year`.
struct Named<'t> {
    text: &'t str,
    year: i32,
    weeks: Vec<dates::Mention<dates::WeekRef>>,
    days: Vec<dates::Mention<Result<NaiveDate, dates::DateError>>>,
    /// Months with a year ("planned delivery June 2017"), as their last day.
    months: Vec<NaiveDate>,
}

impl<'t> Named<'t> {
    fn read(text: &'t str, year: i32) -> Named<'t> {
        // Both return at once for text without a digit (most items).
        Named {
            text,
            year,
            weeks: dates::find_weeks(text),
            days: dates::find_dates(text, Some(year)),
            months: crate::tracking::prose::named_months(text),
        }
    }

    /// The latest day or week named that ended before `report_date`, a day
    /// of the year the wording was read for.
    fn passed(&self, report_date: NaiveDate) -> Option<(NaiveDate, String)> {
        let (text, year) = (self.text, self.year);
        let weeks = self.weeks.iter().filter_map(|m| {
            let week = m.value.week;
            // "uke 2" written in December means next year's week 2.
            let year = m.value.year.unwrap_or_else(|| {
                let (report_year, report_week) = dates::iso_week(report_date);
                if report_week >= 40 && week <= 13 {
                    report_year + 1
                } else {
                    report_year
                }
            });
            dates::week_bounds(year, week).map(|(_, sunday)| (sunday, format!("week {week}")))
        });
        let days = self.days.iter().filter_map(|m| {
            let day = m.value.clone().ok()?;
            let written = text.get(m.start..m.end).unwrap_or_default();
            // A plan that names "15. januar" in November means next January.
            let day =
                if !written.contains(&year.to_string()) && (report_date - day).num_days() > 180 {
                    day.with_year(year + 1).unwrap_or(day)
                } else {
                    day
                };
            Some((day, dates::ymd(day)))
        });
        let months = self.months.iter().map(|&last| {
            let name = dates::month_name(last.month()).unwrap_or_default();
            (last, format!("{name} {}", last.year()))
        });
        // Every named time must have passed: "uke 41 eller 42" is not overdue in week 42.
        let named: Vec<(NaiveDate, String)> = weeks.chain(days).chain(months).collect();
        if named.is_empty() || named.iter().any(|(day, _)| *day >= report_date) {
            return None;
        }
        named.into_iter().max_by_key(|(day, _)| *day)
    }
}

/// The latest day or week an item names that ended before `report_date`.
#[cfg(test)]
fn passed_date(text: &str, report_date: NaiveDate) -> Option<(NaiveDate, String)> {
    Named::read(text, report_date.year()).passed(report_date)
}

/// `milestone-overdue` and `milestone-at-risk`, at each milestone's
/// definition.
pub fn milestone_findings(progress: &[Progress]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for p in progress {
        let m = p.milestone;
        let pos = Pos::new(m.line, 1);
        let total = m.items.len();
        match p.status {
            Status::Overdue => out.push(
                Diagnostic::new(
                    Rule::MilestoneOverdue,
                    &m.path,
                    pos,
                    format!(
                        "milestone `{}` was due {} ({} days ago): {} of {total} items done",
                        m.title,
                        dates::ymd(m.due),
                        -p.days_left,
                        p.done
                    ),
                )
                .with_hint(open_items(p)),
            ),
            Status::AtRisk => {
                let why = if p.named_in_risks.is_empty() {
                    format!(
                        "{} of {total} items done with {} days left",
                        p.done, p.days_left
                    )
                } else {
                    format!("{} named in the challenges", p.named_in_risks.join(", "))
                };
                out.push(
                    Diagnostic::new(
                        Rule::MilestoneAtRisk,
                        &m.path,
                        pos,
                        format!(
                            "milestone `{}` due {} is at risk: {why}",
                            m.title,
                            dates::ymd(m.due)
                        ),
                    )
                    .with_hint(open_items(p)),
                );
            }
            _ => {}
        }
    }
    out
}

fn open_items(p: &Progress) -> String {
    let open: Vec<String> = p
        .items
        .iter()
        .filter(|i| i.state != Some(State::Done))
        .map(|i| {
            format!(
                "{} ({})",
                i.item.title,
                i.state.map_or("not started", State::as_str)
            )
        })
        .collect();
    format!("open: {}", open.join("; "))
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2016, m, d).unwrap()
    }

    #[test]
    fn passed_dates_and_weeks() {
        // Week 41 ended 16 October.
        assert!(passed_date("Vi vil i uke 41 ta en full reinstallasjon", day(10, 14)).is_none());
        let (ended, what) =
            passed_date("Vi vil i uke 41 ta en full reinstallasjon", day(10, 28)).unwrap();
        assert_eq!((ended, what.as_str()), (day(10, 16), "week 41"));
        assert!(passed_date("Lansering 14. november", day(11, 11)).is_none());
        assert!(passed_date("Lansering 14. november", day(11, 18)).is_some());
        assert!(passed_date("i uke 41 eller 44", day(10, 28)).is_none());
        assert!(passed_date("Oppgradere ceph", day(10, 28)).is_none());
        assert!(
            passed_date("Planlagt i uke 2", day(12, 20)).is_none(),
            "next year's week 2"
        );
        assert!(
            passed_date("Klart til 15. januar", day(11, 18)).is_none(),
            "next January"
        );
        assert!(
            passed_date("Klart til 15. januar 2016", day(11, 18)).is_some(),
            "a year written out is meant"
        );
        let (ended, what) = passed_date("Planned delivery June 2016.", day(10, 7)).unwrap();
        assert_eq!((ended, what.as_str()), (day(6, 30), "June 2016"));
        assert!(passed_date("Planned delivery December 2016.", day(10, 7)).is_none());
    }
}
