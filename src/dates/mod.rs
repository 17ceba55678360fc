//! Dates and ISO weeks as people write them in Norwegian and English status
//! reports: "23. sep 2016", "7. og 8. september", "1.7.17", "September 23,
//! 2016", "2016-09-23", "i uke 31 og 32", "2016-W41".
//!
//! # Design
//!
//! Finding works in two steps, for dates and for weeks alike:
//!
//! 1. One regex, compiled once, finds the *shape* of every candidate in a
//!    single left-to-right pass (`find_iter`). It needs no capture groups,
//!    so the regex crate answers with its DFAs only and the pass is linear
//!    in the length of the text, however the text is built.
//! 2. Each candidate is then read by hand: split into digit and letter
//!    tokens, the month looked up in a table, the numbers checked, the
//!    context around it inspected. This work is proportional to the
//!    candidate's own length.
//!
//! The split exists because Rust's regex has no look-around, and the
//! questions that decide whether a candidate is a date are about context:
//! is "1.7.17" part of "10.1.7.17" or "v1.7.17"? Is "7. og 8. september"
//! two dates? Instead of asking the regex, the pattern for numbers swallows
//! a whole run of dotted or dashed digits (`[0-9]+([.-][0-9]+)+`), so an IP
//! address or version number is one candidate, read once and rejected
//! whole, and nothing inside it can match again. Word boundaries in the
//! patterns are ASCII (`(?-u:\b)`), which keeps the regex on its fast
//! engines; the Unicode-aware checks ("7.mai" glued to a letter such as
//! "ø") are made by hand on the characters just outside a candidate.
//!
//! # Choices a caller should know
//!
//! * Numeric dates in prose need a year: `d.m.yy` or `d.m.yyyy` with day
//!   1–31 and month 1–12, or ISO `yyyy-m-d`. A bare "01.11" is a date only
//!   for [`parse_date`]; in prose it is as likely a time or a version.
//!   Two-digit years are 2000 + yy.
//! * A named month makes a date shape whatever the day number: "32. jan
//!   2016" and "0. mai 2016" are [`DateError::Nonexistent`], while
//!   "13.13.2016" is [`DateError::Unrecognised`].
//! * In prose, month-first dates ("September 23, 2016") need a capitalised
//!   month, as English writes it; Norwegian writes months in lower case, so
//!   "i november 14 personer" is not a date. "may" and "march" after a bare
//!   day number are months only when capitalised ("only 2 may attend").
//!   [`parse_date`] reads a whole string and skips these two rules.
//! * A list or range of days gives one mention per day named: "7. og 8.
//!   september" and "7.-8. september" both give the 7th and the 8th. Date
//!   ranges are not expanded; week ranges are ("uke 40-42" gives 40, 41, 42).
//! * Nynorsk writes the months as bokmål does; it differs in "veke"/"veka"
//!   for week, which [`find_weeks`] reads too.

use std::fmt;
use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate, Weekday};
use regex_automata::meta::Regex;
use regex_automata::util::syntax;

mod scan;
#[cfg(test)]
mod tests;

use scan::*;

/// Why a date could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DateError {
    /// Not a date in any format milepost knows.
    Unrecognised,
    /// Looks like a date but names a day that does not exist ("31. feb 2016").
    Nonexistent { year: i32, month: u32, day: u32 },
    /// A day and month without a year, and no default year was given.
    MissingYear,
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateError::Unrecognised => f.write_str(
                "not a date milepost can read (write e.g. 23. september 2016 or 2016-09-23)",
            ),
            DateError::Nonexistent { year, month, day } => match month_name(*month) {
                Some(name) => write!(f, "{day} {name} {year} does not exist"),
                None => write!(f, "day {day} of month {month} in {year} does not exist"),
            },
            DateError::MissingYear => f.write_str("the date has no year"),
        }
    }
}

impl std::error::Error for DateError {}

/// A date or week found inside prose.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mention<T> {
    /// Byte offset of the first byte of the mention.
    pub start: usize,
    /// Byte offset just past the mention.
    pub end: usize,
    pub value: T,
}

/// An ISO week mentioned in prose.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WeekRef {
    /// 1–53.
    pub week: u32,
    /// The ISO year, when the text names one ("Week 41, 2016", "2016-W41").
    pub year: Option<i32>,
}

/// Month names milepost reads, Norwegian and English, full and short.
/// Matching ignores ASCII case.
const MONTHS: &[(&str, u32)] = &[
    ("januar", 1),
    ("january", 1),
    ("jan", 1),
    ("februar", 2),
    ("february", 2),
    ("feb", 2),
    ("mars", 3),
    ("march", 3),
    ("mar", 3),
    ("april", 4),
    ("apr", 4),
    ("mai", 5),
    ("may", 5),
    ("juni", 6),
    ("june", 6),
    ("jun", 6),
    ("juli", 7),
    ("july", 7),
    ("jul", 7),
    ("august", 8),
    ("aug", 8),
    ("september", 9),
    ("sept", 9),
    ("sep", 9),
    ("oktober", 10),
    ("october", 10),
    ("okt", 10),
    ("oct", 10),
    ("november", 11),
    ("nov", 11),
    ("desember", 12),
    ("december", 12),
    ("des", 12),
    ("dec", 12),
];

/// Month names as they are written, January first: Norwegian and English,
/// full and short, in lower case (for writing dates in a series' style and
/// for tests; [`MONTHS`] is what is read).
pub const NB_MONTHS: [&str; 12] = [
    "januar",
    "februar",
    "mars",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "desember",
];
pub const NB_MONTHS_SHORT: [&str; 12] = [
    "jan", "feb", "mar", "apr", "mai", "jun", "jul", "aug", "sep", "okt", "nov", "des",
];
pub const EN_MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];
pub const EN_MONTHS_SHORT: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

const ENGLISH_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The month a name stands for ("sept" → 9), ignoring ASCII case; `None`
/// for anything else.
pub fn month_from_name(name: &str) -> Option<u32> {
    MONTHS
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|&(_, m)| m)
}

/// The English name of month 1–12.
pub fn month_name(month: u32) -> Option<&'static str> {
    let index = usize::try_from(month.checked_sub(1)?).ok()?;
    ENGLISH_MONTHS.get(index).copied()
}

/// The alternation of all month names, longest first so that a shorter
/// name never wins over a longer one that starts the same way.
fn month_alternation() -> String {
    let mut names: Vec<&str> = MONTHS.iter().map(|&(n, _)| n).collect();
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    names.join("|")
}

/// Month names and week words are ASCII, so the patterns are compiled
/// without Unicode classes and case folding: a fraction of the size, which
/// matters because every run (the commit hook too) compiles them once.
/// White space is then ASCII white space or a no-break space.
///
/// They are built with regex-automata's own builder, which `regex` wraps,
/// for one setting `regex` does not expose: no prefilter. Finding the
/// literals every match must start with (the month names in every case,
/// crossed with what may follow) was two thirds of the date pattern's
/// compile, and so a fifth of a commit hook's instructions; the texts
/// scanned are a report's short items, and only those with a digit.
fn ascii_regex(pattern: &str) -> Regex {
    // A no-break space (typed between "7." and "september") still counts.
    let pattern = pattern.replace(r"\s", "(?:\\s|\u{a0})");
    Regex::builder()
        .syntax(syntax::Config::new().unicode(false))
        .configure(Regex::config().auto_prefilter(false))
        .build(&pattern)
        .expect("date and week patterns are valid")
}

/// Whether `text` has an ASCII digit, which every date and week shape has:
/// a text without one (most items of a report) is not worth a regex scan.
fn has_digit(text: &str) -> bool {
    text.bytes().any(|b| b.is_ascii_digit())
}

/// Every date shape, as one regex without captures (see the module doc).
static DATE_RE: LazyLock<Regex> = LazyLock::new(|| {
    let month = month_alternation();
    let ord = "(?:st|nd|rd|th)";
    let year = r"[0-9]{4}(?-u:\b)";
    // Day first: "23. sep 2016", "7. og 8. september", "23rd of September".
    let dm_item = format!(r"[0-9]{{1,2}}(?:\.|{ord})?");
    let dm_sep = r"(?:\s*(?:[,&\-]|–)\s*(?:(?:og|and)\s+)?|\s+(?:og|and|til|to|eller|or)\s+)";
    let dm = format!(
        r"(?-u:\b)(?:{dm_item}{dm_sep})*[0-9]{{1,2}}(?:\.\s*|{ord}?\s+(?:of\s+)?)(?:{month})(?-u:\b)(?:\.?,?\s+{year})?"
    );
    // A run of dotted or dashed numbers: "1.7.17", "2016-09-23", but also
    // "10.1.2.3", taken whole so that nothing inside it matches.
    let run = r"[0-9]+(?:[.\-][0-9]+)+";
    // Month first: "September 23, 2016", "Sept 23 and 24".
    let md_item = format!(r"[0-9]{{1,2}}{ord}?(?-u:\b)");
    let md_sep = r"(?:\s*(?:[&\-]|–)\s*|\s+(?:og|and)\s+)";
    let md = format!(
        r"(?-u:\b)(?:{month})(?-u:\b)\.?\s+{md_item}(?:{md_sep}{md_item})*(?:,?\s+{year})?"
    );
    ascii_regex(&format!("(?i)(?:{dm})|(?:{run})|(?:{md})"))
});

/// Every week shape, as one regex without captures.
static WEEK_RE: LazyLock<Regex> = LazyLock::new(|| {
    let keyword = r"(?:uke|uka|veke|veka|weeks|week|wks|wk)";
    let num = r"[0-9]{1,2}(?-u:\b)";
    let sep = r"(?:\s*(?:[&/\-]|–)\s*|\s+(?:og|and|til|to|eller|or)\s+)";
    let year = r"(?:(?:,|\s+(?:of|i|in))?\s+|\s*/\s*)[0-9]{4}(?-u:\b)";
    let words =
        format!(r"(?-u:\b){keyword}\.?(?:\s*(?:nr|no)\.?)?\s*{num}(?:{sep}{num})*(?:{year})?");
    let short = r"(?-u:\b)w[0-9]{1,2}(?-u:\b)";
    let iso = r"(?-u:\b)[0-9]{4}-?w[0-9]{2}(?-u:\b)";
    ascii_regex(&format!("(?i)(?:{words})|(?:{iso})|(?:{short})"))
});

/// Parses a string that should be exactly one date (surrounding white space
/// and a trailing '.' allowed). `default_year` fills in a missing year
/// ("14. november", "1.sept", "01.11").
pub fn parse_date(text: &str, default_year: Option<i32>) -> Result<NaiveDate, DateError> {
    let trimmed = text.trim();
    let text = trimmed.strip_suffix('.').unwrap_or(trimmed).trim_end();
    if let Some(result) = numeric_day_month(text, default_year) {
        return result;
    }
    let mut mentions = scan_dates(text, default_year, false);
    match (mentions.pop(), mentions.is_empty()) {
        (Some(only), true) if only.start == 0 && only.end == text.len() => only.value,
        _ => Err(DateError::Unrecognised),
    }
}

/// "01.11" read as day.month; `None` if `text` is not of that shape.
fn numeric_day_month(
    text: &str,
    default_year: Option<i32>,
) -> Option<Result<NaiveDate, DateError>> {
    let (day, month) = text.split_once('.')?;
    if !is_digits(day, 1..=2) || !is_digits(month, 1..=2) {
        return None;
    }
    let (day, month) = (day.parse().ok()?, month.parse().ok()?);
    if !numeric_shape(month, day) {
        return Some(Err(DateError::Unrecognised));
    }
    Some(resolve(default_year, month, day))
}

/// Every date mentioned in a sentence, in order. Each value is a `Result`
/// so that "31. februar 2016" inside a sentence can be reported. Day-month
/// mentions without a year take `default_year`; with `None` they give
/// `Err(MissingYear)`. Shapes that are not dates at all ("13.13.2016",
/// "10.1.2.3") give no mention.
///
/// A list of days gives one mention per day: the first starts where the
/// phrase starts, the last ends where it ends (month and year included),
/// and the others cover their own day number: "7. og 8. september" gives
/// "7." and "8. september". A trailing '.' after a month name is not part of
/// the mention unless a year follows ("1.sept." gives "1.sept").
pub fn find_dates(
    text: &str,
    default_year: Option<i32>,
) -> Vec<Mention<Result<NaiveDate, DateError>>> {
    scan_dates(text, default_year, true)
}

/// Every week mentioned: "i uke 41", "week 41", "Week 41, 2016", "uke 41/2016",
/// "uke 31 og 32" (two mentions), "uke 40-42" (three), "weeks 3 and 4",
/// "wk 41", "w41", "2016-W41" (year set). Keywords: uke, uka, veke, veka,
/// week, weeks, wk, wks, any case. A year written after a list applies to
/// every week in it.
///
/// Spans follow [`find_dates`]: the first week's mention starts at the
/// keyword, the last ends after the year; a week filled in by a range
/// ("41" in "40-42") spans the range.
///
/// Week numbers outside 1–53 are left out. A year is not checked against
/// the week: "2016-W53" is found, and [`week_bounds`] says it does not exist.
/// A range runs upwards only; "uke 52-2" gives just 52 and 2.
pub fn find_weeks(text: &str) -> Vec<Mention<WeekRef>> {
    let mut out = Vec::new();
    if !has_digit(text) {
        return out;
    }
    for m in WEEK_RE.find_iter(text) {
        if glued_to_word(text, m.start(), m.end()) {
            continue;
        }
        read_weeks(text, m.start(), m.end(), &mut out);
    }
    out
}

/// Monday and Sunday of an ISO week; `None` if the year has no such week
/// (week 53 of 2016, week 0) or it is outside chrono's range.
pub fn week_bounds(year: i32, week: u32) -> Option<(NaiveDate, NaiveDate)> {
    if week == 0 || week > weeks_in_year(year) {
        return None;
    }
    let monday = NaiveDate::from_isoywd_opt(year, week, Weekday::Mon)?;
    let sunday = NaiveDate::from_isoywd_opt(year, week, Weekday::Sun)?;
    Some((monday, sunday))
}

/// The number of ISO weeks in an ISO year: 52 or 53. Computed by formula,
/// so it answers for any `i32` year.
pub fn weeks_in_year(year: i32) -> u32 {
    // Weekday of 31 December (0 = Sunday) in the proleptic Gregorian calendar.
    fn dec31(y: i64) -> i64 {
        (y + y.div_euclid(4) - y.div_euclid(100) + y.div_euclid(400)).rem_euclid(7)
    }
    let y = i64::from(year);
    // A year has 53 weeks when it ends on a Thursday, or begins on one
    // (the year before ends on a Wednesday).
    if dec31(y) == 4 || dec31(y - 1) == 3 {
        53
    } else {
        52
    }
}

/// ISO year and week of a date (2016-01-01 is in 2015-W53).
pub fn iso_week(date: NaiveDate) -> (i32, u32) {
    let week = date.iso_week();
    (week.year(), week.week())
}

/// Formats as YYYY-MM-DD (as chrono's `%Y-%m-%d`, which signs a year
/// outside 0–9999). Written out for the common years: chrono reads its
/// format string again on every call, and a listing of 10,000 reports
/// formats 30,000 dates.
pub fn ymd(date: NaiveDate) -> String {
    use std::fmt::Write;
    let year = date.year();
    if !(0..=9999).contains(&year) {
        return date.format("%Y-%m-%d").to_string();
    }
    let mut text = String::with_capacity(10);
    let _ = write!(text, "{year:04}-{:02}-{:02}", date.month(), date.day());
    text
}
