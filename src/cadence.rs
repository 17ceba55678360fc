//! How often a series reports, and when it does not: the `cadence:` of a
//! config (top level, or one `reports:` entry). `missing-report` asks for a
//! report in every period of the cadence between two reports, except the
//! periods a recurring or one-off break covers; `late-report` holds each
//! report to the cadence's deadline when one is given.
//!
//! ```yaml
//! cadence:
//!   every: weekly          # weekly | biweekly | monthly
//!   on: wednesday          # the day reports are dated (informative)
//!   deadline: wednesday 23:59
//!   breaks: [W28..W31, 12-22..01-02, 2017-W10]
//! ```
//!
//! A break is a range of ISO weeks or of days, every year (`W28..W31`,
//! `12-22..01-02`, which may run over New Year) or once (`2017-W10`,
//! `2017-W09..2017-W10`, `2017-03-01..2017-03-14`). A period is excused
//! when breaks cover at least half of its days: a week's holiday excuses a
//! fortnight's report, but not a month's.
//!
//! Weekday names are English or Norwegian (`wednesday`, `wed`, `onsdag`).
//! It knows dates (and, for config errors, `crate::error`), not reports.

use chrono::{Datelike, Duration, NaiveDate, NaiveTime, Weekday};
use serde::Deserialize;

/// How often reports are due.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Every {
    #[default]
    Weekly,
    /// Every second week, counted from the series' first report.
    Biweekly,
    Monthly,
}

/// A series' cadence. Each value is checked as it is read, so that a bad
/// one is reported at its own line and column.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cadence {
    #[serde(default)]
    pub every: Every,
    /// The weekday reports are dated on.
    #[serde(default, deserialize_with = "on_day")]
    pub on: Option<Weekday>,
    #[serde(default)]
    pub deadline: Option<Deadline>,
    #[serde(default)]
    pub breaks: Vec<Break>,
}

/// Reads `on:` as a weekday name.
fn on_day<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<Weekday>, D::Error> {
    let text = String::deserialize(deserializer)?;
    weekday(&text)
        .map(Some)
        .ok_or_else(|| serde::de::Error::custom(format!("`on: {text}` is not a weekday")))
}

/// Implements `Deserialize` through a parser that names what is wrong.
macro_rules! from_text {
    ($type:ty) => {
        impl<'de> Deserialize<'de> for $type {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = String::deserialize(deserializer)?;
                <$type>::parse(&text).map_err(serde::de::Error::custom)
            }
        }
    };
}
from_text!(Deadline);
from_text!(Break);

/// A weekday by its English or Norwegian name, full or three letters.
pub fn weekday(name: &str) -> Option<Weekday> {
    const NAMES: [(&str, &str, Weekday); 7] = [
        ("monday", "mandag", Weekday::Mon),
        ("tuesday", "tirsdag", Weekday::Tue),
        ("wednesday", "onsdag", Weekday::Wed),
        ("thursday", "torsdag", Weekday::Thu),
        ("friday", "fredag", Weekday::Fri),
        ("saturday", "lørdag", Weekday::Sat),
        ("sunday", "søndag", Weekday::Sun),
    ];
    let name = name.trim().trim_end_matches('.').to_lowercase();
    if name.chars().count() < 3 {
        return None;
    }
    NAMES
        .iter()
        .find(|(english, norwegian, _)| english.starts_with(&name) || norwegian.starts_with(&name))
        .map(|&(_, _, day)| day)
}

/// When a report is due: a weekday and a time (`wednesday 23:59`), or a
/// time alone (the report's own day).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Deadline {
    pub weekday: Option<Weekday>,
    pub time: NaiveTime,
}

impl Deadline {
    /// `wednesday 23:59`, `onsdag 12:00`, `friday` (end of the day), `23:59`.
    pub fn parse(text: &str) -> Result<Deadline, String> {
        let bad =
            || format!("`deadline: {text}` is not a weekday and a time like `wednesday 23:59`");
        let mut weekday_part = None;
        let mut time = None;
        for word in text.split_whitespace() {
            if let Ok(at) = NaiveTime::parse_from_str(word, "%H:%M") {
                time = Some(at);
            } else if let Some(day) = weekday(word) {
                weekday_part = Some(day);
            } else {
                return Err(bad());
            }
        }
        if weekday_part.is_none() && time.is_none() {
            return Err(bad());
        }
        let end_of_day = NaiveTime::from_hms_opt(23, 59, 59).ok_or_else(bad)?;
        Ok(Deadline {
            weekday: weekday_part,
            time: time.unwrap_or(end_of_day),
        })
    }

    /// The moment a report is due. A report named by a date is due on the
    /// first deadline weekday on or after that date; a report of an ISO
    /// week, on the first one on or after the Friday of its week (reports
    /// describe the week they end, so "monday 12:00" is the Monday after).
    pub fn due(&self, day: NaiveDate, of_week: bool) -> chrono::NaiveDateTime {
        let start = if of_week {
            NaiveDate::from_isoywd_opt(day.iso_week().year(), day.iso_week().week(), Weekday::Fri)
                .unwrap_or(day)
        } else {
            day
        };
        let date = match self.weekday {
            Some(weekday) => {
                let ahead = (7 + weekday.num_days_from_monday()
                    - start.weekday().num_days_from_monday())
                    % 7;
                start + Duration::days(i64::from(ahead))
            }
            None => start,
        };
        date.and_time(self.time)
    }
}

/// Days when no report is expected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Break {
    /// ISO weeks `from..=to` of every year (`to < from` runs over New Year).
    YearlyWeeks { from: u32, to: u32 },
    /// Month-days `from..=to` of every year.
    YearlyDays { from: (u32, u32), to: (u32, u32) },
    /// The days `from..=to`, once.
    Days { from: NaiveDate, to: NaiveDate },
}

impl Break {
    pub fn parse(text: &str) -> Result<Break, String> {
        let bad = || {
            format!(
                "break `{text}` is not a week or day range like `W28..W31`, `12-22..01-02`, `2017-W10` or `2017-03-01..2017-03-14`"
            )
        };
        let (first, last) = text.split_once("..").unwrap_or((text, text));
        let (first, last) = (first.trim(), last.trim());
        if let (Some(from), Some(to)) = (yearly_week(first), yearly_week(last)) {
            return Ok(Break::YearlyWeeks { from, to });
        }
        if let (Some(from), Some(to)) = (month_day(first), month_day(last)) {
            return Ok(Break::YearlyDays { from, to });
        }
        let (Some(from), Some(to)) = (day_or_week(first, true), day_or_week(last, false)) else {
            return Err(bad());
        };
        if to < from || (to - from).num_days() > 3 * 366 {
            return Err(format!(
                "break `{text}` is not a range of at most three years, first day first"
            ));
        }
        Ok(Break::Days { from, to })
    }

    /// Whether the break covers `day`.
    pub fn covers(&self, day: NaiveDate) -> bool {
        match *self {
            Break::YearlyWeeks { from, to } => {
                let week = day.iso_week().week();
                if from <= to {
                    (from..=to).contains(&week)
                } else {
                    week >= from || week <= to
                }
            }
            Break::YearlyDays { from, to } => {
                let here = (day.month(), day.day());
                if from <= to {
                    from <= here && here <= to
                } else {
                    here >= from || here <= to
                }
            }
            Break::Days { from, to } => from <= day && day <= to,
        }
    }
}

/// `W28` (any year).
fn yearly_week(text: &str) -> Option<u32> {
    let week: u32 = text.strip_prefix(['W', 'w'])?.parse().ok()?;
    (1..=53).contains(&week).then_some(week)
}

/// `12-22` (any year).
fn month_day(text: &str) -> Option<(u32, u32)> {
    let (month, day) = text.split_once('-')?;
    if month.len() > 2 || day.len() > 2 {
        return None;
    }
    let (month, day) = (month.parse().ok()?, day.parse().ok()?);
    // Checked against a leap year, so 02-29 is a valid break day.
    NaiveDate::from_ymd_opt(2000, month, day)?;
    Some((month, day))
}

/// `2017-03-01`, or `2017-W10` (its Monday if `first`, else its Sunday).
fn day_or_week(text: &str, first: bool) -> Option<NaiveDate> {
    if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Some(day);
    }
    let (year, week) = text.split_once('-')?;
    let (monday, sunday) = crate::dates::week_bounds(year.parse().ok()?, yearly_week(week)?)?;
    Some(if first { monday } else { sunday })
}

/// serde_yaml places an error inside `cadence:` at the start of its
/// mapping; this moves it to the value the message quotes (`` `deadline:
/// someday` ``, `` break `summer` ``), the first place at or after that
/// line where the value is written.
pub fn locate_value(text: &str, error: crate::error::Error) -> crate::error::Error {
    let crate::error::Error::InvalidFile {
        path,
        location: Some((line, column)),
        message,
    } = error
    else {
        return error;
    };
    // Only errors inside a `cadence:` (serde_yaml names the path).
    if !(message.starts_with("cadence") || message.contains(".cadence")) {
        return crate::error::Error::InvalidFile {
            path,
            location: Some((line, column)),
            message,
        };
    }
    let quoted = message
        .split('`')
        .nth(1)
        .map(|q| q.split_once(": ").map_or(q, |(_, value)| value));
    let found = quoted.filter(|q| !q.is_empty()).and_then(|value| {
        text.lines()
            .enumerate()
            .skip(line.saturating_sub(1))
            .find_map(|(index, line_text)| {
                let at = line_text.find(value)?;
                Some((index + 1, line_text[..at].chars().count() + 1))
            })
    });
    crate::error::Error::InvalidFile {
        path,
        location: Some(found.unwrap_or((line, column))),
        message,
    }
}

/// One period of a cadence: the days `start..=end`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Period {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl Cadence {
    /// The index of the period holding `day`; `anchor` is the series' first
    /// day (biweekly periods are counted from its week).
    pub fn index(&self, anchor: NaiveDate, day: NaiveDate) -> i64 {
        match self.every {
            // 0001-01-01, day 1 of the era, was a Monday.
            Every::Weekly => (i64::from(monday(day).num_days_from_ce()) - 1).div_euclid(7),
            Every::Biweekly => (day - monday(anchor)).num_days().div_euclid(14),
            Every::Monthly => i64::from(day.year()) * 12 + i64::from(day.month0()),
        }
    }

    /// The days of period `index` (as [`Cadence::index`] numbers them).
    pub fn period(&self, anchor: NaiveDate, index: i64) -> Option<Period> {
        let period = match self.every {
            Every::Weekly => {
                let start = NaiveDate::from_num_days_from_ce_opt(
                    i32::try_from(index.checked_mul(7)? + 1).ok()?,
                )?;
                Period {
                    start,
                    end: start + Duration::days(6),
                }
            }
            Every::Biweekly => {
                let start = monday(anchor) + Duration::days(index.checked_mul(14)?);
                Period {
                    start,
                    end: start + Duration::days(13),
                }
            }
            Every::Monthly => {
                let year = i32::try_from(index.div_euclid(12)).ok()?;
                let month = u32::try_from(index.rem_euclid(12)).ok()? + 1;
                let start = NaiveDate::from_ymd_opt(year, month, 1)?;
                let next = if month == 12 {
                    NaiveDate::from_ymd_opt(year + 1, 1, 1)?
                } else {
                    NaiveDate::from_ymd_opt(year, month + 1, 1)?
                };
                Period {
                    start,
                    end: next - Duration::days(1),
                }
            }
        };
        Some(period)
    }

    /// Whether breaks cover at least half of the period's days.
    pub fn excused(&self, period: Period) -> bool {
        self.excused_with(period, &|_| false)
    }

    /// [`Cadence::excused`], with more days off (`also`: the weeks of
    /// `missing-report`'s own `breaks`).
    pub fn excused_with(&self, period: Period, also: &dyn Fn(NaiveDate) -> bool) -> bool {
        let days = (period.end - period.start).num_days() + 1;
        let covered = (0..days)
            .map(|n| period.start + Duration::days(n))
            .filter(|day| also(*day) || self.breaks.iter().any(|b| b.covers(*day)))
            .count();
        i64::try_from(covered).unwrap_or(i64::MAX) * 2 >= days
    }
}

/// The Monday of `day`'s week.
fn monday(day: NaiveDate) -> NaiveDate {
    day - Duration::days(i64::from(day.weekday().num_days_from_monday()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn parses_a_full_cadence() {
        let cadence: Cadence = serde_yaml::from_str(
            "every: biweekly\non: onsdag\ndeadline: wednesday 23:59\nbreaks: [W28..W31, 12-22..01-02, 2017-W10, 2017-03-01..2017-03-14]\n",
        )
        .unwrap();
        assert_eq!(cadence.every, Every::Biweekly);
        assert_eq!(cadence.on, Some(Weekday::Wed));
        assert_eq!(
            cadence.deadline,
            Some(Deadline {
                weekday: Some(Weekday::Wed),
                time: NaiveTime::from_hms_opt(23, 59, 0).unwrap()
            })
        );
        assert_eq!(cadence.breaks.len(), 4);
        assert!(cadence.breaks[0].covers(day(2019, 7, 15)));
        assert!(!cadence.breaks[0].covers(day(2019, 8, 15)));
        assert!(cadence.breaks[1].covers(day(2019, 12, 31)));
        assert!(cadence.breaks[1].covers(day(2020, 1, 2)));
        assert!(!cadence.breaks[1].covers(day(2020, 1, 3)));
        assert!(cadence.breaks[2].covers(day(2017, 3, 12)));
        assert!(!cadence.breaks[2].covers(day(2018, 3, 12)));
    }

    #[test]
    fn bad_values_are_named() {
        for (text, expected) in [
            ("on: someday\n", "`on: someday` is not a weekday"),
            (
                "deadline: soon\n",
                "`deadline: soon` is not a weekday and a time",
            ),
            (
                "breaks: [summer]\n",
                "break `summer` is not a week or day range",
            ),
            ("every: daily\n", "unknown variant `daily`"),
        ] {
            let err = serde_yaml::from_str::<Cadence>(text)
                .unwrap_err()
                .to_string();
            assert!(err.contains(expected), "{text}: {err}");
        }
    }

    #[test]
    fn deadlines_fall_on_the_report_day_or_after_its_week() {
        let deadline = Deadline::parse("Wednesday 23:59").unwrap();
        // A report dated Wednesday 8 March 2017 is due that evening.
        assert_eq!(
            deadline.due(day(2017, 3, 8), false).to_string(),
            "2017-03-08 23:59:00"
        );
        // A report of week 10 of 2017 is due the Wednesday after its Friday.
        assert_eq!(
            deadline.due(day(2017, 3, 6), true).to_string(),
            "2017-03-15 23:59:00"
        );
        assert_eq!(
            Deadline::parse("fredag")
                .unwrap()
                .due(day(2017, 3, 6), true)
                .to_string(),
            "2017-03-10 23:59:59"
        );
    }

    #[test]
    fn periods_and_excuses() {
        let monthly = Cadence {
            every: Every::Monthly,
            breaks: vec![
                Break::parse("W28..W31").unwrap(),
                Break::parse("12-22..01-02").unwrap(),
            ],
            ..Cadence::default()
        };
        let anchor = day(2017, 1, 4);
        let july = monthly
            .period(anchor, monthly.index(anchor, day(2017, 7, 9)))
            .unwrap();
        assert_eq!((july.start, july.end), (day(2017, 7, 1), day(2017, 7, 31)));
        assert!(monthly.excused(july));
        let december = monthly
            .period(anchor, monthly.index(anchor, day(2017, 12, 1)))
            .unwrap();
        assert!(!monthly.excused(december));
        let biweekly = Cadence {
            every: Every::Biweekly,
            ..Cadence::default()
        };
        assert_eq!(biweekly.index(anchor, day(2017, 1, 15)), 0);
        assert_eq!(biweekly.index(anchor, day(2017, 1, 16)), 1);
        let weekly = Cadence::default();
        let week = weekly
            .period(anchor, weekly.index(anchor, day(2017, 3, 8)))
            .unwrap();
        assert_eq!((week.start, week.end), (day(2017, 3, 6), day(2017, 3, 12)));
    }
}
