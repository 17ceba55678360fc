//! Dates that name a report: the date in a date-named report's file name
//! (`projectname-170226.md`, `2017-02-26.md`, `2017/02/26.md`) or title
//! (`# Projectname 26/02/17`, `Status 26. februar 2017`).
//!
//! A schema's `file_name` or `title` pattern names a date either with the
//! groups `year`, `month` and `day` (the order is then the pattern's, and
//! only a two-digit year needs resolving) or with one group `date`, whose
//! text is read here in every order it could be written in. `26/02/17` may
//! be 26 February 2017 or 17 February 2026: every reading that is a real day
//! is kept, and [`resolve`] picks the one nearest to the other dates the
//! report has (its file name, its byline, its first commit), saying which
//! it chose and why, so that a reader can check the guess.
//!
//! A leaf beside [`crate::dates`]: it knows nothing of reports or rules.

use chrono::NaiveDate;
use regex::{Captures, Regex};

/// The capture groups that make a pattern name a date rather than a week.
const DATE_GROUPS: [&str; 3] = ["year", "month", "day"];

/// Whether a pattern captures a date (`date`, or `year`, `month` and `day`)
/// and no `week`: the mark of a date-named series.
pub fn names_date(pattern: &Regex) -> bool {
    let has = |group: &str| pattern.capture_names().flatten().any(|name| name == group);
    !has("week") && (has("date") || DATE_GROUPS.iter().all(|group| has(group)))
}

/// A file name (without extension) that ends in a date: `2017-03-08`,
/// `20170308` or `170308`, alone or after a name and a separator.
static DATED_STEM: std::sync::LazyLock<Regex> = std::sync::LazyLock::new(|| {
    Regex::new(r"^(?:.*[-_ .])?(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{8}|[0-9]{6})$")
        .expect("the dated-stem pattern is valid")
});

/// Folder words that mark status reports, for the selection without a
/// config: a date-named file elsewhere (a blog post, release notes, an
/// incident report under `reports/`) is not taken for a status report, so
/// a tree that had no reports before does not fail now.
const REPORT_FOLDER_WORDS: [&str; 4] = ["status", "weekly", "standup", "ukerapport"];

/// Whether a repository-relative path looks like a date-named status
/// report: its name ends in a date and one of its folders is named like
/// status reports (`Status-Reports/projectname-170308.md`,
/// `docs/weekly/2017-03-08.md`).
pub fn looks_like_dated_report(relative: &str) -> bool {
    let mut parts: Vec<&str> = relative.split('/').collect();
    let Some(name) = parts.pop() else {
        return false;
    };
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    DATED_STEM.is_match(stem)
        && parts.iter().any(|folder| {
            let folder = folder.to_lowercase();
            REPORT_FOLDER_WORDS.iter().any(|word| folder.contains(word))
        })
}

/// One way a date text can be read: the day, and the order it assumes
/// (`day/month/year`), for the statement of a resolution.
/// Every order a [`Reading`] may name: the results cache stores a reading's
/// order by name and takes it back from here.
pub const ORDERS: [&str; 4] = [
    "year/month/day",
    "day/month/year",
    "month/day/year",
    "as written",
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reading {
    pub date: NaiveDate,
    pub order: &'static str,
}

/// What a captured date says: the readings that are real days (one when the
/// text is unambiguous), or why it is none.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Captured {
    Readings(Vec<Reading>),
    /// Not a date: the text, and why (for a `date-format` finding).
    Invalid(String),
}

/// Reads the date a pattern captured.
pub fn from_captures(caps: &Captures) -> Option<Captured> {
    if let Some(text) = caps.name("date") {
        return Some(read_text(text.as_str()));
    }
    let (year, month, day) = (caps.name("year")?, caps.name("month")?, caps.name("day")?);
    let text = format!("{}-{}-{}", year.as_str(), month.as_str(), day.as_str());
    let Some(year) = year_of(year.as_str()) else {
        return Some(Captured::Invalid(format!(
            "`{}` is not a year",
            year.as_str()
        )));
    };
    let Some(month) = month_of(month.as_str()) else {
        return Some(Captured::Invalid(format!(
            "`{}` is not a month",
            month.as_str()
        )));
    };
    let Some(day) = day.as_str().trim().parse::<u32>().ok() else {
        return Some(Captured::Invalid(format!(
            "`{}` is not a day",
            day.as_str()
        )));
    };
    Some(match NaiveDate::from_ymd_opt(year, month, day) {
        Some(date) => Captured::Readings(vec![Reading {
            date,
            order: "year/month/day",
        }]),
        None => Captured::Invalid(format!("`{text}` is not a real day")),
    })
}

/// A year as written: four digits, or two (`17` is 2017, `98` is 1998).
fn year_of(text: &str) -> Option<i32> {
    let text = text.trim();
    let number: i32 = text.parse().ok()?;
    match text.len() {
        4 => Some(number),
        2 if number < 70 => Some(2000 + number),
        2 => Some(1900 + number),
        _ => None,
    }
}

/// A month as a number (`02`) or a name in English or Norwegian (`feb`,
/// `februar`, `February`).
fn month_of(text: &str) -> Option<u32> {
    let text = text.trim().trim_end_matches('.');
    match text.parse::<u32>() {
        Ok(month) => (1..=12).contains(&month).then_some(month),
        Err(_) => crate::dates::month_from_name(text),
    }
}

/// Every reading of a free date text: `2017-02-26`, `20170226`, `170226`,
/// `26.02.2017`, `26/02/17`, `26. februar 2017`, `February 26, 2017`.
pub fn read_text(text: &str) -> Captured {
    let text = text.trim().trim_end_matches('.');
    let numbers: Vec<&str> = text
        .split(['-', '/', '.', '_', ' '])
        .filter(|part| !part.is_empty())
        .collect();
    let all_digits = !numbers.is_empty()
        && numbers
            .iter()
            .all(|part| part.bytes().all(|b| b.is_ascii_digit()));
    let mut readings = Vec::new();
    let mut push = |year: Option<i32>, month: &str, day: &str, order: &'static str| {
        let (Some(year), Ok(month), Ok(day)) = (year, month.parse::<u32>(), day.parse::<u32>())
        else {
            return;
        };
        if let Some(date) = NaiveDate::from_ymd_opt(year, month, day)
            && !readings.iter().any(|r: &Reading| r.date == date)
        {
            readings.push(Reading { date, order });
        }
    };
    if all_digits && numbers.len() == 1 {
        let digits = numbers[0];
        match digits.len() {
            8 => {
                push(
                    year_of(&digits[..4]),
                    &digits[4..6],
                    &digits[6..],
                    "year/month/day",
                );
                push(
                    year_of(&digits[4..]),
                    &digits[2..4],
                    &digits[..2],
                    "day/month/year",
                );
            }
            6 => {
                push(
                    year_of(&digits[..2]),
                    &digits[2..4],
                    &digits[4..],
                    "year/month/day",
                );
                push(
                    year_of(&digits[4..]),
                    &digits[2..4],
                    &digits[..2],
                    "day/month/year",
                );
            }
            _ => {}
        }
    } else if all_digits && numbers.len() == 3 {
        let (a, b, c) = (numbers[0], numbers[1], numbers[2]);
        if a.len() == 4 {
            push(year_of(a), b, c, "year/month/day");
        } else if c.len() == 4 {
            push(year_of(c), b, a, "day/month/year");
            // Month first only where a slash allows the American order.
            if text.contains('/') {
                push(year_of(c), a, b, "month/day/year");
            }
        } else {
            push(year_of(c), b, a, "day/month/year");
            push(year_of(a), b, c, "year/month/day");
            if text.contains('/') {
                push(year_of(c), a, b, "month/day/year");
            }
        }
    }
    if !readings.is_empty() {
        return Captured::Readings(readings);
    }
    if all_digits {
        return Captured::Invalid(format!("`{text}` is not a real day in any order"));
    }
    match crate::dates::parse_date(text, None) {
        Ok(date) => Captured::Readings(vec![Reading {
            date,
            order: "as written",
        }]),
        Err(err) => Captured::Invalid(format!("cannot read the date `{text}`: {err}")),
    }
}

/// What a resolution says when nothing decided it.
pub const UNDECIDED: &str = "no other date of the report to decide by";

/// A date chosen from its readings, and the statement of how when there
/// was a choice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolved {
    pub date: NaiveDate,
    /// `None` when the text had one reading.
    pub resolution: Option<String>,
}

/// Picks the reading nearest to the first reference that is given (the
/// references in order of trust: file name, byline, first commit). With no
/// reference, the first reading (day first, as Europe writes) is taken and
/// the statement says nothing decided it.
pub fn resolve(
    text: &str,
    readings: &[Reading],
    references: &[(&str, Option<NaiveDate>)],
) -> Option<Resolved> {
    let first = *readings.first()?;
    if readings.len() == 1 {
        return Some(Resolved {
            date: first.date,
            resolution: None,
        });
    }
    let others = |chosen: Reading| {
        readings
            .iter()
            .filter(|r| r.date != chosen.date)
            .map(|r| format!("{} ({})", crate::dates::ymd(r.date), r.order))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let reference = references
        .iter()
        .find_map(|(what, date)| Some((*what, (*date)?)));
    let (chosen, why) = match reference {
        Some((what, date)) => {
            let chosen = *readings
                .iter()
                .min_by_key(|r| (r.date - date).num_days().abs())?;
            (
                chosen,
                format!(
                    "the reading nearest the {what} ({})",
                    crate::dates::ymd(date)
                ),
            )
        }
        None => (first, UNDECIDED.to_owned()),
    };
    Some(Resolved {
        date: chosen.date,
        resolution: Some(format!(
            "`{text}` read as {} ({}), {why}; also possible: {}",
            crate::dates::ymd(chosen.date),
            chosen.order,
            others(chosen)
        )),
    })
}

/// The text a file-name pattern is matched against: the file name without
/// its extension, or, for a pattern that spans folders (`(?P<year>\d{4})/
/// (?P<month>\d{2})/(?P<day>\d{2})` for `2017/02/26.md`), as many trailing
/// path components as the pattern has slashes plus one.
pub fn file_name_subject<'p>(path: &'p str, pattern: &Regex) -> &'p str {
    let slashes = pattern.as_str().matches('/').count();
    let without_extension = match path.rsplit_once('.') {
        Some((stem, extension)) if !extension.contains('/') => stem,
        _ => path,
    };
    let mut start = without_extension.len();
    for _ in 0..=slashes {
        match without_extension[..start].rfind('/') {
            Some(at) => start = at,
            None => return without_extension,
        }
    }
    &without_extension[start + 1..]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn dates(text: &str) -> Vec<NaiveDate> {
        match read_text(text) {
            Captured::Readings(readings) => readings.iter().map(|r| r.date).collect(),
            Captured::Invalid(why) => panic!("{text}: {why}"),
        }
    }

    #[test]
    fn reads_the_common_shapes() {
        assert_eq!(dates("2017-02-26"), [day(2017, 2, 26)]);
        assert_eq!(dates("20170226"), [day(2017, 2, 26)]);
        assert_eq!(dates("26.02.2017"), [day(2017, 2, 26)]);
        assert_eq!(dates("26. februar 2017"), [day(2017, 2, 26)]);
        assert_eq!(dates("February 26, 2017"), [day(2017, 2, 26)]);
        // 170226: 26 Feb 2017 (year first) or 17 Feb 2026 (day first).
        assert_eq!(dates("170226"), [day(2017, 2, 26), day(2026, 2, 17)]);
        // 26/02/17: day first, or year first; never month 26.
        assert_eq!(dates("26/02/17"), [day(2017, 2, 26), day(2026, 2, 17)]);
        assert_eq!(dates("02/26/2017"), [day(2017, 2, 26)]);
        assert!(matches!(read_text("31.02.2017"), Captured::Invalid(_)));
        assert!(matches!(read_text("soon"), Captured::Invalid(_)));
    }

    #[test]
    fn groups_with_two_digit_years_and_month_names() {
        let pattern = Regex::new(r"^p-(?P<year>\d{2})(?P<month>\d{2})(?P<day>\d{2})$").unwrap();
        assert!(names_date(&pattern));
        let caps = pattern.captures("p-170226").unwrap();
        assert_eq!(
            from_captures(&caps),
            Some(Captured::Readings(vec![Reading {
                date: day(2017, 2, 26),
                order: "year/month/day"
            }]))
        );
        let named = Regex::new(r"^(?P<day>\d+)\. (?P<month>\w+) (?P<year>\d{4})$").unwrap();
        let caps = named.captures("9. oktober 2017").unwrap();
        assert!(
            matches!(from_captures(&caps), Some(Captured::Readings(r)) if r[0].date == day(2017, 10, 9))
        );
        assert!(!names_date(&Regex::new(r"(?P<week>\d+)").unwrap()));
    }

    #[test]
    fn resolution_is_stated_and_follows_the_first_reference() {
        let Captured::Readings(readings) = read_text("26/02/17") else {
            unreachable!()
        };
        let resolved = resolve(
            "26/02/17",
            &readings,
            &[("file name", None), ("byline", Some(day(2026, 2, 18)))],
        )
        .unwrap();
        assert_eq!(resolved.date, day(2026, 2, 17));
        let statement = resolved.resolution.unwrap();
        assert!(
            statement.contains(
                "read as 2026-02-17 (year/month/day), the reading nearest the byline (2026-02-18)"
            ),
            "{statement}"
        );
        assert!(
            statement.contains("also possible: 2017-02-26 (day/month/year)"),
            "{statement}"
        );
        let alone = resolve("26/02/17", &readings, &[]).unwrap();
        assert_eq!(alone.date, day(2017, 2, 26));
        assert!(alone.resolution.unwrap().contains("no other date"));
    }

    #[test]
    fn date_named_reports_are_recognised_by_name_and_folder() {
        assert!(looks_like_dated_report(
            "Status-Reports/projectname-170308.md"
        ));
        assert!(looks_like_dated_report("docs/weekly/2017-03-08.md"));
        assert!(looks_like_dated_report("team/status/report_20170308.rst"));
        assert!(!looks_like_dated_report("blog/2017-03-08.md"));
        assert!(!looks_like_dated_report(
            "docs/reports/incident-20170308.md"
        ));
        assert!(!looks_like_dated_report("status/overview.md"));
        assert!(!looks_like_dated_report("2017-03-08.md"));
    }

    #[test]
    fn folder_patterns_see_the_trailing_components() {
        let folders = Regex::new(r"(?P<year>\d{4})/(?P<month>\d{2})/(?P<day>\d{2})").unwrap();
        assert_eq!(
            file_name_subject("status/2017/02/26.md", &folders),
            "2017/02/26"
        );
        assert_eq!(file_name_subject("02/26.md", &folders), "02/26");
        let flat = Regex::new(r"^p-(?P<date>\d{6})$").unwrap();
        assert_eq!(file_name_subject("a.b/p-170226.md", &flat), "p-170226");
    }
}
