//! Gaps a report explains: "no report for weeks 12 and 13 because of
//! holidays", "ingen rapport uke 28–31 pga ferie". A team that skips a
//! report usually says so in the next one; `missing-report` takes that
//! sentence as the explanation and does not ask for the reports it names.
//!
//! A sentence counts when it says there was no report (English or
//! Norwegian). The weeks and dates it names are the periods it excuses;
//! a sentence that names none ("no report last week, holidays") excuses
//! the whole gap right before the report that says it. Read from the
//! report's preamble, items and prose.

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;

use crate::dates::{self, WeekRef};
use crate::report::Document;

/// What a report says about the reports before it that were not written.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Explained {
    /// Weeks named in a "no report" sentence.
    pub weeks: Vec<WeekRef>,
    /// Days named in one.
    pub days: Vec<NaiveDate>,
    /// A "no report" sentence that names no week or day: the whole gap.
    pub whole_gap: bool,
}

impl Explained {
    pub fn is_empty(&self) -> bool {
        self.weeks.is_empty() && self.days.is_empty() && !self.whole_gap
    }

    /// Whether the explanation covers any day of `start..=end`; `year` is
    /// the ISO year a week without one is read in.
    pub fn covers(&self, start: NaiveDate, end: NaiveDate) -> bool {
        if self.whole_gap {
            return true;
        }
        let in_period = |day: NaiveDate| start <= day && day <= end;
        self.days.iter().any(|&day| in_period(day))
            || self.weeks.iter().any(|week| {
                let years = match week.year {
                    Some(year) => vec![year],
                    None => vec![dates::iso_week(start).0, dates::iso_week(end).0],
                };
                years.into_iter().any(|year| {
                    dates::week_bounds(year, week.week)
                        .is_some_and(|(monday, sunday)| monday <= end && start <= sunday)
                })
            })
    }
}

/// "No report", "no status report", "ingen rapport", "ingen ukerapport",
/// "report was skipped", "hoppet over rapporten".
static NO_REPORT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:(?:no|ingen)\s+(?:(?:status|weekly|progress)\s+)?(?:reports?|updates?|rapport(?:er|en)?|ukerapport(?:er|en)?|statusrapport(?:er|en)?|rapportering)|(?:reports?|rapport(?:en)?)\s+(?:was\s+|were\s+|ble\s+)?(?:skipped|hoppet\s+over)|(?:skipped|hoppet\s+over)\s+(?:the\s+)?(?:reports?|rapport(?:en)?))\b",
    )
    .expect("the no-report pattern is valid")
});

/// Whether the words after "no reports" make it about something other than
/// status reports: "no reports of outages", "ingen rapporter om feil".
fn about_something(after: &str) -> bool {
    let next = after
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_lowercase();
    matches!(next.as_str(), "of" | "from" | "about" | "om" | "fra" | "av")
}

/// Whether `doc` says anywhere that a report was not written: only then
/// can it explain a gap. The results cache keeps this instead of the
/// document, and reads the document again only for the few that do.
pub fn mentions_gap(doc: &Document) -> bool {
    texts(doc).any(|text| {
        NO_REPORT
            .find_iter(text)
            .any(|m| !about_something(&text[m.end()..]))
    })
}

/// The texts a report could explain a gap in: its preamble, items and
/// prose.
fn texts(doc: &Document) -> impl Iterator<Item = &str> {
    doc.preamble.iter().map(|p| p.text.as_str()).chain(
        doc.sections
            .iter()
            .flat_map(|s| s.items.iter().chain(&s.prose))
            .map(|item| item.text.as_str()),
    )
}

/// The gaps `doc` explains; `year` resolves dates without one.
pub fn explained(doc: &Document, year: Option<i32>) -> Explained {
    let mut out = Explained::default();
    for text in texts(doc) {
        let Some(found) = NO_REPORT
            .find_iter(text)
            .find(|m| !about_something(&text[m.end()..]))
        else {
            continue;
        };
        // The sentence from the phrase on: what it names is what it excuses.
        let rest = &text[found.start()..];
        let weeks: Vec<WeekRef> = dates::find_weeks(rest)
            .into_iter()
            .map(|m| m.value)
            .collect();
        let days: Vec<NaiveDate> = dates::find_dates(rest, year)
            .into_iter()
            .filter_map(|m| m.value.ok())
            .collect();
        if weeks.is_empty() && days.is_empty() {
            out.whole_gap = true;
        }
        out.weeks.extend(weeks);
        out.days.extend(days);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Format, parse};

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn reads_english_and_norwegian_explanations() {
        let doc = parse(
            Format::Markdown,
            "# Week 14\n\nNo report for weeks 12 and 13 because of holidays.\n\n## Done\n\n- x\n",
        );
        let english = explained(&doc, Some(2017));
        let weeks: Vec<u32> = english.weeks.iter().map(|w| w.week).collect();
        assert_eq!(weeks, [12, 13]);
        assert!(!english.whole_gap);
        assert!(english.covers(day(2017, 3, 20), day(2017, 3, 26)));
        assert!(!english.covers(day(2017, 3, 13), day(2017, 3, 19)));

        let doc = parse(
            Format::Rst,
            "Uke 32\n======\n\nFullført\n========\n\n- Ingen rapport uke 28–31 pga ferie.\n",
        );
        let norwegian = explained(&doc, Some(2017));
        let weeks: Vec<u32> = norwegian.weeks.iter().map(|w| w.week).collect();
        assert_eq!(weeks, [28, 29, 30, 31]);

        let doc = parse(
            Format::Markdown,
            "# Status\n\nNo report last week: the team was away.\n",
        );
        assert!(explained(&doc, None).whole_gap);
        let doc = parse(Format::Markdown, "# Status\n\nReport on the new storage.\n");
        assert!(explained(&doc, None).is_empty());
        let doc = parse(
            Format::Markdown,
            "# Status\n\n- No reports of outages this week.\n- Ingen rapporter om feil.\n",
        );
        assert!(explained(&doc, None).is_empty());
    }

    #[test]
    fn days_and_whole_gaps() {
        let doc = parse(
            Format::Markdown,
            "# Status 2017-03-22\n\n## Progress\n\n- The report of 15 March was skipped: no report on 15. mars 2017 because of the strike.\n",
        );
        let dated = explained(&doc, Some(2017));
        assert_eq!(dated.days, [day(2017, 3, 15)]);
        assert!(dated.covers(day(2017, 3, 13), day(2017, 3, 19)));
        assert!(!dated.covers(day(2017, 3, 6), day(2017, 3, 12)));
        let doc = parse(
            Format::Rst,
            "Uke 33\n======\n\nIngen rapport forrige uke (ferie).\n",
        );
        assert!(explained(&doc, Some(2017)).whole_gap);
    }
}
