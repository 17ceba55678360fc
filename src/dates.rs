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
use regex::Regex;

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
fn ascii_regex(pattern: &str) -> Regex {
    // A no-break space (typed between "7." and "september") still counts.
    let pattern = pattern.replace(r"\s", "(?:\\s|\u{a0})");
    regex::RegexBuilder::new(&pattern)
        .unicode(false)
        .build()
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

/// Formats as YYYY-MM-DD.
pub fn ymd(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

// ---------------------------------------------------------------------------
// Reading candidates

/// A run of ASCII digits or of letters inside a candidate.
#[derive(Clone, Copy, Debug)]
struct Token<'a> {
    start: usize,
    end: usize,
    text: &'a str,
    number: bool,
}

/// Splits `text[start..end]` into digit runs and letter runs; offsets are
/// into `text`. Everything else separates tokens.
fn tokens(text: &str, start: usize, end: usize) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let Some(span) = text.get(start..end) else {
        return out;
    };
    let kind = |c: char| {
        if c.is_ascii_digit() {
            Some(true)
        } else if c.is_alphabetic() {
            Some(false)
        } else {
            None
        }
    };
    let mut chars = span.char_indices().peekable();
    while let Some((from, c)) = chars.next() {
        let Some(number) = kind(c) else { continue };
        let mut to = from + c.len_utf8();
        while let Some(&(i, next)) = chars.peek() {
            if kind(next) != Some(number) {
                break;
            }
            to = i + next.len_utf8();
            chars.next();
        }
        if let Some(t) = span.get(from..to) {
            out.push(Token {
                start: start + from,
                end: start + to,
                text: t,
                number,
            });
        }
    }
    out
}

fn is_digits(s: &str, lengths: std::ops::RangeInclusive<usize>) -> bool {
    lengths.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// True when the candidate `text[start..end]` continues a word or number on
/// either side ("v1.7.17", "ø7. mai", "uke 41ø").
fn glued_to_word(text: &str, start: usize, end: usize) -> bool {
    let before = text.get(..start).and_then(|s| s.chars().next_back());
    let after = text.get(end..).and_then(|s| s.chars().next());
    before.is_some_and(is_word_char) || after.is_some_and(is_word_char)
}

/// Day 1–31 and month 1–12: what a purely numeric date must look like to be
/// read as one at all.
fn numeric_shape(month: u32, day: u32) -> bool {
    (1..=12).contains(&month) && (1..=31).contains(&day)
}

fn resolve(year: Option<i32>, month: u32, day: u32) -> Result<NaiveDate, DateError> {
    let year = year.ok_or(DateError::MissingYear)?;
    NaiveDate::from_ymd_opt(year, month, day).ok_or(DateError::Nonexistent { year, month, day })
}

fn scan_dates(
    text: &str,
    default_year: Option<i32>,
    prose: bool,
) -> Vec<Mention<Result<NaiveDate, DateError>>> {
    let mut out = Vec::new();
    if !has_digit(text) {
        return out;
    }
    for m in DATE_RE.find_iter(text) {
        let (start, end) = (m.start(), m.end());
        let span = m.as_str();
        let starts_with_digit = span.starts_with(|c: char| c.is_ascii_digit());
        if !starts_with_digit {
            if !glued_to_word(text, start, end) {
                read_month_first(text, start, end, default_year, prose, &mut out);
            }
        } else if span.chars().any(char::is_alphabetic) {
            if !glued_to_word(text, start, end) {
                read_day_first(text, start, end, default_year, prose, &mut out);
            }
        } else if let Some(value) = read_run(text, start, end) {
            out.push(Mention { start, end, value });
        }
    }
    out
}

/// A run of digits separated by '.' or '-': "1.7.17", "15.12.2015",
/// "2016-09-23". `None` when it is not a date shape.
fn read_run(text: &str, start: usize, end: usize) -> Option<Result<NaiveDate, DateError>> {
    let span = text.get(start..end)?;
    let sep = span.chars().find(|c| !c.is_ascii_digit())?;
    let mut parts = span.split(sep);
    let (a, b, c) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || [a, b, c].iter().any(|p| p.contains(['.', '-'])) {
        return None;
    }
    let before = text.get(..start).and_then(|s| s.chars().next_back());
    if before.is_some_and(is_word_char) {
        return None;
    }
    let mut after = text.get(end..).unwrap_or("").chars();
    let (year, month, day) = if sep == '-' {
        // ISO; a time may follow: "2016-09-23T10:00".
        let next = after.next();
        let time_follows =
            matches!(next, Some('T' | 't')) && after.next().is_some_and(|c| c.is_ascii_digit());
        if next.is_some_and(is_word_char) && !time_follows {
            return None;
        }
        if !is_digits(a, 4..=4) || !is_digits(b, 1..=2) || !is_digits(c, 1..=2) {
            return None;
        }
        (
            a.parse::<i32>().ok()?,
            b.parse::<u32>().ok()?,
            c.parse::<u32>().ok()?,
        )
    } else {
        if after.next().is_some_and(is_word_char) {
            return None;
        }
        if !is_digits(a, 1..=2)
            || !is_digits(b, 1..=2)
            || !(is_digits(c, 2..=2) || is_digits(c, 4..=4))
        {
            return None;
        }
        let year: i32 = c.parse().ok()?;
        let year = if c.len() == 2 { 2000 + year } else { year };
        (year, b.parse::<u32>().ok()?, a.parse::<u32>().ok()?)
    };
    if !numeric_shape(month, day) {
        return None;
    }
    Some(resolve(Some(year), month, day))
}

/// The end of a day number with what belongs to it: its '.' or its
/// ordinal suffix ("7." in "7. og 8.", "23rd").
fn day_end(text: &str, tokens: &[Token<'_>], index: usize) -> usize {
    let Some(day) = tokens.get(index) else {
        return 0;
    };
    if text.get(day.end..).is_some_and(|s| s.starts_with('.')) {
        return day.end + 1;
    }
    match tokens.get(index + 1) {
        Some(next)
            if next.start == day.end
                && ["st", "nd", "rd", "th"]
                    .iter()
                    .any(|o| o.eq_ignore_ascii_case(next.text)) =>
        {
            next.end
        }
        _ => day.end,
    }
}

/// Pushes one mention per day: the first starts where the candidate does,
/// the last ends where it does, the others cover their own day number.
fn push_days(
    text: &str,
    (start, end): (usize, usize),
    toks: &[Token<'_>],
    days: &[usize],
    month: u32,
    year: Option<i32>,
    out: &mut Vec<Mention<Result<NaiveDate, DateError>>>,
) {
    for (i, &index) in days.iter().enumerate() {
        let Some(tok) = toks.get(index) else { continue };
        let Ok(day) = tok.text.parse::<u32>() else {
            continue;
        };
        let from = if i == 0 { start } else { tok.start };
        let to = if i + 1 == days.len() {
            end
        } else {
            day_end(text, toks, index)
        };
        out.push(Mention {
            start: from,
            end: to,
            value: resolve(year, month, day),
        });
    }
}

/// Whether a month word that is also a common English word ("may",
/// "march") is used in lower case, and so is probably not a month.
fn lowercase_english_word(word: &str) -> bool {
    (word == "may" || word == "march") && word.starts_with(|c: char| c.is_lowercase())
}

/// "23. sep 2016", "7. og 8. september", "23rd of September 2016".
fn read_day_first(
    text: &str,
    start: usize,
    end: usize,
    default_year: Option<i32>,
    prose: bool,
    out: &mut Vec<Mention<Result<NaiveDate, DateError>>>,
) {
    let toks = tokens(text, start, end);
    let Some((month_index, month)) = toks.iter().enumerate().find_map(|(i, t)| {
        (!t.number)
            .then(|| month_from_name(t.text).map(|m| (i, m)))
            .flatten()
    }) else {
        return;
    };
    let days: Vec<usize> = (0..month_index)
        .filter(|&i| toks.get(i).is_some_and(|t| t.number))
        .collect();
    let Some(&last_day) = days.last() else { return };
    if prose {
        let dotted = text
            .get(..day_end(text, &toks, last_day))
            .is_some_and(|s| s.ends_with('.'));
        if !dotted
            && toks
                .get(month_index)
                .is_some_and(|t| lowercase_english_word(t.text))
        {
            return;
        }
    }
    let year = toks
        .get(month_index + 1..)
        .and_then(|rest| rest.iter().find(|t| t.number && t.text.len() == 4))
        .and_then(|t| t.text.parse::<i32>().ok());
    push_days(
        text,
        (start, end),
        &toks,
        &days,
        month,
        year.or(default_year),
        out,
    );
}

/// "September 23, 2016", "Sept 23 2016", "November 14".
fn read_month_first(
    text: &str,
    start: usize,
    end: usize,
    default_year: Option<i32>,
    prose: bool,
    out: &mut Vec<Mention<Result<NaiveDate, DateError>>>,
) {
    let toks = tokens(text, start, end);
    let Some(first) = toks.first() else { return };
    let Some(month) = month_from_name(first.text) else {
        return;
    };
    if prose && !first.text.starts_with(|c: char| c.is_uppercase()) {
        return;
    }
    let days: Vec<usize> = (1..toks.len())
        .filter(|&i| toks.get(i).is_some_and(|t| t.number && t.text.len() <= 2))
        .collect();
    let year = toks
        .iter()
        .find(|t| t.number && t.text.len() == 4)
        .and_then(|t| t.text.parse::<i32>().ok());
    push_days(
        text,
        (start, end),
        &toks,
        &days,
        month,
        year.or(default_year),
        out,
    );
}

/// Reads one week candidate into mentions.
fn read_weeks(text: &str, start: usize, end: usize, out: &mut Vec<Mention<WeekRef>>) {
    let toks = tokens(text, start, end);
    let year = toks
        .iter()
        .find(|t| t.number && t.text.len() == 4)
        .and_then(|t| t.text.parse::<i32>().ok());
    let weeks: Vec<&Token<'_>> = toks
        .iter()
        .filter(|t| t.number && t.text.len() <= 2)
        .collect();
    let valid = |w: u32| (1..=53).contains(&w);
    let mut previous: Option<(u32, usize)> = None;
    for (i, tok) in weeks.iter().enumerate() {
        let Ok(week) = tok.text.parse::<u32>() else {
            continue;
        };
        if let Some((prev, prev_start)) = previous {
            let between = text.get(prev_start..tok.start).unwrap_or("");
            let is_range = between.contains(['-', '–'])
                || between
                    .split_whitespace()
                    .any(|w| w.eq_ignore_ascii_case("til") || w.eq_ignore_ascii_case("to"));
            if is_range && valid(prev) && valid(week) {
                for inner in prev.saturating_add(1)..week {
                    out.push(Mention {
                        start: prev_start,
                        end: tok.end,
                        value: WeekRef { week: inner, year },
                    });
                }
            }
        }
        if valid(week) {
            let from = if i == 0 { start } else { tok.start };
            let to = if i + 1 == weeks.len() { end } else { tok.end };
            out.push(Mention {
                start: from,
                end: to,
                value: WeekRef { week, year },
            });
        }
        previous = Some((week, tok.start));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("test date exists")
    }

    /// What a sentence should yield: each mention's text and value.
    type Found = Vec<(&'static str, Result<NaiveDate, DateError>)>;
    type Weeks = Vec<(&'static str, u32, Option<i32>)>;

    fn nonexistent(year: i32, month: u32, day: u32) -> DateError {
        DateError::Nonexistent { year, month, day }
    }

    /// The mentions as (text, value) pairs, checking the offsets on the way.
    fn dates_in(
        text: &str,
        default_year: Option<i32>,
    ) -> Vec<(&str, Result<NaiveDate, DateError>)> {
        let mentions = find_dates(text, default_year);
        check_offsets(text, mentions.iter().map(|m| (m.start, m.end)));
        mentions
            .into_iter()
            .map(|m| (&text[m.start..m.end], m.value))
            .collect()
    }

    fn weeks_in(text: &str) -> Vec<(&str, u32, Option<i32>)> {
        let mentions = find_weeks(text);
        check_offsets(text, mentions.iter().map(|m| (m.start, m.end)));
        mentions
            .into_iter()
            .map(|m| (&text[m.start..m.end], m.value.week, m.value.year))
            .collect()
    }

    fn check_offsets(text: &str, spans: impl Iterator<Item = (usize, usize)>) {
        let mut last_start = 0;
        for (start, end) in spans {
            assert!(
                start < end && end <= text.len(),
                "{start}..{end} in {text:?}"
            );
            assert!(
                text.is_char_boundary(start) && text.is_char_boundary(end),
                "{text:?}"
            );
            assert!(start >= last_start, "mentions out of order in {text:?}");
            last_start = start;
        }
    }

    #[test]
    fn patterns_compile() {
        LazyLock::force(&DATE_RE);
        LazyLock::force(&WEEK_RE);
    }

    #[test]
    fn parse_date_reads_every_format() {
        let dy = Some(2020);
        let cases: &[(&str, NaiveDate)] = &[
            // Day-dot-month, with and without space and year.
            ("23. sep 2016", d(2016, 9, 23)),
            ("07.mars 2017", d(2017, 3, 7)),
            ("4.september 2017", d(2017, 9, 4)),
            ("26.februar 2016", d(2016, 2, 26)),
            ("6.mai  2026", d(2026, 5, 6)),
            ("14. november", d(2020, 11, 14)),
            ("1.sept", d(2020, 9, 1)),
            ("26.sept", d(2020, 9, 26)),
            ("01.nov", d(2020, 11, 1)),
            ("14.nov", d(2020, 11, 14)),
            ("23. sept. 2016", d(2016, 9, 23)),
            ("14. november 2016", d(2016, 11, 14)),
            // Numeric.
            ("1.7.17", d(2017, 7, 1)),
            ("15.12.2015", d(2015, 12, 15)),
            ("1.7.2017", d(2017, 7, 1)),
            ("01.11", d(2020, 11, 1)),
            // English.
            ("September 23, 2016", d(2016, 9, 23)),
            ("Sept 23 2016", d(2016, 9, 23)),
            ("23 September 2016", d(2016, 9, 23)),
            ("23 sep 2016", d(2016, 9, 23)),
            ("23rd September 2016", d(2016, 9, 23)),
            ("November 14", d(2020, 11, 14)),
            ("september 23, 2016", d(2016, 9, 23)),
            ("Sept. 23, 2016", d(2016, 9, 23)),
            ("1st may 2016", d(2016, 5, 1)),
            // ISO.
            ("2016-09-23", d(2016, 9, 23)),
            ("2016-9-23", d(2016, 9, 23)),
            // Leap day, case, surrounding space, trailing dot.
            ("29. februar 2016", d(2016, 2, 29)),
            ("23. SEPTEMBER 2016", d(2016, 9, 23)),
            ("  23. sep 2016. ", d(2016, 9, 23)),
            ("1.sept.", d(2020, 9, 1)),
            ("15.12.2015.", d(2015, 12, 15)),
            ("\t2016-09-23\n", d(2016, 9, 23)),
        ];
        for &(text, want) in cases {
            assert_eq!(parse_date(text, dy), Ok(want), "{text:?}");
        }
    }

    #[test]
    fn every_month_name_is_read() {
        let names: &[(&str, u32)] = &[
            ("januar", 1),
            ("jan", 1),
            ("jan.", 1),
            ("january", 1),
            ("februar", 2),
            ("feb", 2),
            ("feb.", 2),
            ("february", 2),
            ("mars", 3),
            ("mar", 3),
            ("mar.", 3),
            ("march", 3),
            ("april", 4),
            ("apr", 4),
            ("apr.", 4),
            ("mai", 5),
            ("may", 5),
            ("juni", 6),
            ("jun", 6),
            ("jun.", 6),
            ("june", 6),
            ("juli", 7),
            ("jul", 7),
            ("jul.", 7),
            ("july", 7),
            ("august", 8),
            ("aug", 8),
            ("aug.", 8),
            ("september", 9),
            ("sep", 9),
            ("sep.", 9),
            ("sept", 9),
            ("sept.", 9),
            ("oktober", 10),
            ("okt", 10),
            ("okt.", 10),
            ("october", 10),
            ("oct", 10),
            ("oct.", 10),
            ("november", 11),
            ("nov", 11),
            ("nov.", 11),
            ("desember", 12),
            ("des", 12),
            ("des.", 12),
            ("december", 12),
            ("dec", 12),
            ("dec.", 12),
        ];
        for &(name, month) in names {
            let want = Ok(d(2016, month, 3));
            let upper = name.to_uppercase();
            for text in [
                format!("3. {name} 2016"),
                format!("3.{upper} 2016"),
                format!("3 {name} 2016"),
            ] {
                assert_eq!(parse_date(&text, None), want, "{text:?}");
            }
            let english = format!("{}{} 3, 2016", name[..1].to_uppercase(), &name[1..]);
            assert_eq!(parse_date(&english, None), want, "{english:?}");
            assert_eq!(
                dates_in(&format!("Frist 3. {name} 2016, se over."), None),
                vec![(format!("3. {name} 2016").as_str(), want)],
            );
        }
        assert_eq!(month_from_name("SEPT"), Some(9));
        assert_eq!(month_from_name("septe"), None);
        assert_eq!(month_name(2), Some("February"));
        assert_eq!(month_name(0), None);
        assert_eq!(month_name(13), None);
    }

    #[test]
    fn parse_date_reports_nonexistent_days() {
        let cases: &[(&str, Option<i32>, DateError)] = &[
            ("31. feb 2016", None, nonexistent(2016, 2, 31)),
            ("31. februar 2016", None, nonexistent(2016, 2, 31)),
            ("2016-02-30", None, nonexistent(2016, 2, 30)),
            ("29. februar 2017", None, nonexistent(2017, 2, 29)),
            ("29. februar", Some(2017), nonexistent(2017, 2, 29)),
            ("31.04.2016", None, nonexistent(2016, 4, 31)),
            ("31.4.17", None, nonexistent(2017, 4, 31)),
            ("April 31, 2016", None, nonexistent(2016, 4, 31)),
            ("31.11", Some(2016), nonexistent(2016, 11, 31)),
            // A named month makes a date shape whatever the day.
            ("32. jan 2016", None, nonexistent(2016, 1, 32)),
            ("0. mai 2016", None, nonexistent(2016, 5, 0)),
            ("99 May 2016", None, nonexistent(2016, 5, 99)),
        ];
        for (text, dy, want) in cases {
            assert_eq!(parse_date(text, *dy), Err(want.clone()), "{text:?}");
        }
    }

    #[test]
    fn parse_date_uses_the_default_year_only_when_none_is_written() {
        assert_eq!(
            parse_date("14. november", None),
            Err(DateError::MissingYear)
        );
        assert_eq!(parse_date("01.11", None), Err(DateError::MissingYear));
        assert_eq!(parse_date("November 14", None), Err(DateError::MissingYear));
        assert_eq!(parse_date("1.sept", None), Err(DateError::MissingYear));
        assert_eq!(parse_date("14. november", Some(1999)), Ok(d(1999, 11, 14)));
        assert_eq!(
            parse_date("14. november 2016", Some(1999)),
            Ok(d(2016, 11, 14))
        );
        assert_eq!(parse_date("1.7.17", Some(1999)), Ok(d(2017, 7, 1)));
    }

    #[test]
    fn parse_date_rejects_garbage() {
        let garbage = [
            "",
            "   ",
            ".",
            "hello",
            "sep",
            "2016",
            "13.13.2016",
            "13.13",
            "0.5.2016",
            "10.30",
            "1.2.3",
            "10.1.2.3",
            "2016-13-01",
            "2016-00-10",
            "16-09-23",
            "23/09/2016",
            "7. og 8. september",
            "mandag 14. november 2016",
            "14. november 2016 kl 10",
            "uke 41",
            "2016-W41",
            "1.sept.2016x",
            "23 sept 16",
            "may",
            "ſept 23, 2016",
            "23..9.2016",
            "123.9.2016",
            "1.7.123",
        ];
        for text in garbage {
            assert_eq!(
                parse_date(text, Some(2016)),
                Err(DateError::Unrecognised),
                "{text:?}"
            );
        }
    }

    #[test]
    fn find_dates_in_sentences() {
        let dy = Some(2016);
        let text = "Workshop ved USIT 7. og 8. september.";
        let mentions = find_dates(text, dy);
        assert_eq!(
            mentions,
            vec![
                Mention {
                    start: 18,
                    end: 20,
                    value: Ok(d(2016, 9, 7))
                },
                Mention {
                    start: 24,
                    end: 36,
                    value: Ok(d(2016, 9, 8))
                },
            ]
        );
        assert_eq!(&text[18..20], "7.");
        assert_eq!(&text[24..36], "8. september");

        let cases: &[(&str, Found)] = &[
            (
                "utført som planlagt 14. november",
                vec![("14. november", Ok(d(2016, 11, 14)))],
            ),
            (
                "Lansering 14. november",
                vec![("14. november", Ok(d(2016, 11, 14)))],
            ),
            ("Oppgradering til mitaka i uke 38.", vec![]),
            (
                "av Raymond Kristiansen, UH IaaS, 23. sep 2016",
                vec![("23. sep 2016", Ok(d(2016, 9, 23)))],
            ),
            (
                "Møte 31. februar 2016 ble avlyst.",
                vec![("31. februar 2016", Err(nonexistent(2016, 2, 31)))],
            ),
            (
                "Møtet på fredag 1.7.17 gikk bra.",
                vec![("1.7.17", Ok(d(2017, 7, 1)))],
            ),
            (
                "Ferdig 15.12.2015 og 1.7.2017.",
                vec![
                    ("15.12.2015", Ok(d(2015, 12, 15))),
                    ("1.7.2017", Ok(d(2017, 7, 1))),
                ],
            ),
            (
                "Frist 2016-09-23, se over",
                vec![("2016-09-23", Ok(d(2016, 9, 23)))],
            ),
            (
                "Logged 2016-09-23T10:00Z",
                vec![("2016-09-23", Ok(d(2016, 9, 23)))],
            ),
            (
                "Feil 2016-02-30 i loggen",
                vec![("2016-02-30", Err(nonexistent(2016, 2, 30)))],
            ),
            (
                "Kurs 7.-8. september 2017",
                vec![
                    ("7.", Ok(d(2017, 9, 7))),
                    ("8. september 2017", Ok(d(2017, 9, 8))),
                ],
            ),
            (
                "Kurs 7., 8. og 9. mars",
                vec![
                    ("7.", Ok(d(2016, 3, 7))),
                    ("8.", Ok(d(2016, 3, 8))),
                    ("9. mars", Ok(d(2016, 3, 9))),
                ],
            ),
            (
                "on the 23rd of September 2016 we",
                vec![("23rd of September 2016", Ok(d(2016, 9, 23)))],
            ),
            (
                "on 7th and 8th September",
                vec![
                    ("7th", Ok(d(2016, 9, 7))),
                    ("8th September", Ok(d(2016, 9, 8))),
                ],
            ),
            (
                "Released September 23, 2016.",
                vec![("September 23, 2016", Ok(d(2016, 9, 23)))],
            ),
            (
                "Released Sept 23 2016 and",
                vec![("Sept 23 2016", Ok(d(2016, 9, 23)))],
            ),
            (
                "Held September 23 and 24, 2016.",
                vec![
                    ("September 23", Ok(d(2016, 9, 23))),
                    ("24, 2016", Ok(d(2016, 9, 24))),
                ],
            ),
            (
                "Launch on November 14.",
                vec![("November 14", Ok(d(2016, 11, 14)))],
            ),
            (
                "Done 23 September 2016, 23 sep 2016",
                vec![
                    ("23 September 2016", Ok(d(2016, 9, 23))),
                    ("23 sep 2016", Ok(d(2016, 9, 23))),
                ],
            ),
            (
                "Først 23. sept. 2016 og så 1.sept.",
                vec![
                    ("23. sept. 2016", Ok(d(2016, 9, 23))),
                    ("1.sept", Ok(d(2016, 9, 1))),
                ],
            ),
            (
                "Fra 6.mai  2026 til 01.nov",
                vec![
                    ("6.mai  2026", Ok(d(2026, 5, 6))),
                    ("01.nov", Ok(d(2016, 11, 1))),
                ],
            ),
            (
                "mandag 14. november 12 personer",
                vec![("14. november", Ok(d(2016, 11, 14)))],
            ),
            (
                "(4.september 2017)",
                vec![("4.september 2017", Ok(d(2017, 9, 4)))],
            ),
            ("Only 2 May attend", vec![("2 May", Ok(d(2016, 5, 2)))]),
            ("2. may", vec![("2. may", Ok(d(2016, 5, 2)))]),
            ("May 2 was fine", vec![("May 2", Ok(d(2016, 5, 2)))]),
            (
                "Kurs 7. og\n8. september",
                vec![
                    ("7.", Ok(d(2016, 9, 7))),
                    ("8. september", Ok(d(2016, 9, 8))),
                ],
            ),
            (
                "Kurs\u{a0}7.\u{a0}september",
                vec![("7.\u{a0}september", Ok(d(2016, 9, 7)))],
            ),
        ];
        for (text, want) in cases {
            assert_eq!(&dates_in(text, dy), want, "{text:?}");
        }
    }

    #[test]
    fn find_dates_without_a_default_year() {
        assert_eq!(
            dates_in("Lansering 14. november", None),
            vec![("14. november", Err(DateError::MissingYear))]
        );
        assert_eq!(
            dates_in("Workshop ved USIT 7. og 8. september.", None),
            vec![
                ("7.", Err(DateError::MissingYear)),
                ("8. september", Err(DateError::MissingYear))
            ]
        );
        assert_eq!(
            dates_in("Ferdig 1.7.17", None),
            vec![("1.7.17", Ok(d(2017, 7, 1)))]
        );
    }

    #[test]
    fn find_dates_skips_what_is_not_a_date() {
        let prose = [
            "we may go, and we may 2 times",
            "Only 2 may attend, 3 march ahead",
            "in May we met, in march 2016 too",
            "i november 14 personer",
            "i september 2016 var det 14 møter",
            "Versjon 1.2 og 3.4.5, IP 10.1.2.3 og 192.168.1.1, v1.7.17 og release-1.7.17x",
            "kl. 10.30 og 10.30-11.00",
            "møte 01.11 og 14.11",
            "totalt 1.000.000 kroner og 12.500.000",
            "13.13.2016 og 32.1.2016 og 0.5.2016",
            "2016-13-01 og 2016-W41 og 22-85-50-50",
            "mail maiø mai7 sept. sep",
            "7. maiø 2016 og ø7. mai og 7. mai2016x",
            "x2016-09-23 og 2016-09-23x",
            "23/09/2016",
            "10.1.20.3 and 1.2. mai",
            "",
        ];
        for text in prose {
            assert_eq!(dates_in(text, Some(2016)), vec![], "{text:?}");
        }
    }

    #[test]
    fn find_weeks_in_prose() {
        let cases: &[(&str, Weeks)] = &[
            (
                "Oppgradering til mitaka i uke 38.",
                vec![("uke 38", 38, None)],
            ),
            ("i uke 41", vec![("uke 41", 41, None)]),
            ("uke 41", vec![("uke 41", 41, None)]),
            ("week 41", vec![("week 41", 41, None)]),
            ("Week 41, 2016", vec![("Week 41, 2016", 41, Some(2016))]),
            (
                "in week 41 of 2016.",
                vec![("week 41 of 2016", 41, Some(2016))],
            ),
            ("uke 41/2016", vec![("uke 41/2016", 41, Some(2016))]),
            (
                "i uke 31 og 32",
                vec![("uke 31", 31, None), ("32", 32, None)],
            ),
            ("uke 31-32", vec![("uke 31", 31, None), ("32", 32, None)]),
            (
                "uke 40-42",
                vec![("uke 40", 40, None), ("40-42", 41, None), ("42", 42, None)],
            ),
            (
                "Uke 40 – 42, 2016",
                vec![
                    ("Uke 40", 40, Some(2016)),
                    ("40 – 42", 41, Some(2016)),
                    ("42, 2016", 42, Some(2016)),
                ],
            ),
            ("uke 3 til 4", vec![("uke 3", 3, None), ("4", 4, None)]),
            ("weeks 3 and 4", vec![("weeks 3", 3, None), ("4", 4, None)]),
            (
                "UKE 7, Uka 8, veke 9 og wk. 10",
                vec![
                    ("UKE 7", 7, None),
                    ("Uka 8", 8, None),
                    ("veke 9", 9, None),
                    ("wk. 10", 10, None),
                ],
            ),
            (
                "wk 41 and wk41 and uke41",
                vec![("wk 41", 41, None), ("wk41", 41, None), ("uke41", 41, None)],
            ),
            ("uke nr. 12", vec![("uke nr. 12", 12, None)]),
            ("w41 og W41.", vec![("w41", 41, None), ("W41", 41, None)]),
            (
                "2016-W41 and 2016W41 and 2015-W53-4",
                vec![
                    ("2016-W41", 41, Some(2016)),
                    ("2016W41", 41, Some(2016)),
                    ("2015-W53", 53, Some(2015)),
                ],
            ),
            ("uke 52-2", vec![("uke 52", 52, None), ("2", 2, None)]),
            ("uke 50-60", vec![("uke 50", 50, None)]),
            ("uke 0 og 54, week 99", vec![]),
            (
                "ukentlig 41, Buke 41, W3C, www41, kw41, uke 41ø, 23 weeks",
                vec![],
            ),
            ("veke 53, 2016", vec![("veke 53, 2016", 53, Some(2016))]),
        ];
        for (text, want) in cases {
            assert_eq!(&weeks_in(text), want, "{text:?}");
        }
        let all = find_weeks("uke 1-53");
        assert_eq!(all.len(), 53);
        assert!(
            all.iter()
                .enumerate()
                .all(|(i, m)| m.value.week as usize == i + 1)
        );
    }

    #[test]
    fn iso_weeks_around_new_year() {
        let cases = [
            (d(2016, 1, 1), (2015, 53)),
            (d(2016, 1, 3), (2015, 53)),
            (d(2016, 1, 4), (2016, 1)),
            (d(2018, 12, 31), (2019, 1)),
            (d(2016, 9, 23), (2016, 38)),
            (d(2021, 1, 3), (2020, 53)),
            (d(2008, 12, 29), (2009, 1)),
            (d(2016, 12, 31), (2016, 52)),
        ];
        for (date, want) in cases {
            assert_eq!(iso_week(date), want, "{date}");
        }
    }

    #[test]
    fn week_bounds_and_weeks_in_year() {
        assert_eq!(
            week_bounds(2015, 53),
            Some((d(2015, 12, 28), d(2016, 1, 3)))
        );
        assert_eq!(week_bounds(2016, 53), None);
        assert_eq!(week_bounds(2016, 0), None);
        assert_eq!(week_bounds(2016, 54), None);
        assert_eq!(
            week_bounds(2016, 38),
            Some((d(2016, 9, 19), d(2016, 9, 25)))
        );
        assert_eq!(week_bounds(2019, 1), Some((d(2018, 12, 31), d(2019, 1, 6))));
        assert_eq!(
            week_bounds(2020, 53),
            Some((d(2020, 12, 28), d(2021, 1, 3)))
        );
        assert_eq!(week_bounds(i32::MAX, 1), None);
        assert_eq!(week_bounds(i32::MIN, 52), None);
        for (year, n) in [
            (2015, 53),
            (2016, 52),
            (2017, 52),
            (2020, 53),
            (2026, 53),
            (2004, 53),
            (2000, 52),
        ] {
            assert_eq!(weeks_in_year(year), n, "{year}");
        }
        // The formula agrees with chrono wherever chrono has dates.
        for year in -3000..=3000 {
            let last = d(year, 12, 28).iso_week().week();
            assert_eq!(weeks_in_year(year), last, "{year}");
            let (monday, sunday) = week_bounds(year, last).expect("last week exists");
            assert_eq!(iso_week(monday), (year, last));
            assert_eq!(sunday - monday, chrono::TimeDelta::days(6));
        }
        for year in [i32::MIN, i32::MAX, 262_143, -262_144] {
            assert!(matches!(weeks_in_year(year), 52 | 53));
        }
    }

    #[test]
    fn ymd_and_display() {
        assert_eq!(ymd(d(2016, 9, 3)), "2016-09-03");
        assert_eq!(
            nonexistent(2016, 2, 31).to_string(),
            "31 February 2016 does not exist"
        );
        assert_eq!(
            nonexistent(2016, 13, 1).to_string(),
            "day 1 of month 13 in 2016 does not exist"
        );
        assert_eq!(DateError::MissingYear.to_string(), "the date has no year");
        assert!(
            DateError::Unrecognised
                .to_string()
                .starts_with("not a date")
        );
    }

    /// A small deterministic generator, so the no-panic test needs no crate.
    fn pseudo_random_texts() -> Vec<String> {
        let pieces = [
            "1", "7", "23", "2016", "31", "0", "99", ".", ". ", "-", "–", "/", ",", " ", "\u{a0}",
            "\n", "og", "and", "til", "of", "st", "rd", "sept", "Sept", "mai", "May", "may", "feb",
            "uke", "week", "w", "W", "wk", "ø", "ſ", "K", "日本", "x", "T", "9", "12", "53", "54",
        ];
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        (0..3000)
            .map(|_| {
                let len = next() % 24;
                (0..len)
                    .map(|_| pieces[(next() % pieces.len() as u64) as usize])
                    .collect()
            })
            .collect()
    }

    #[test]
    fn never_panics_and_offsets_are_sound() {
        for text in pseudo_random_texts() {
            for dy in [None, Some(2016), Some(i32::MAX), Some(i32::MIN)] {
                let _ = parse_date(&text, dy);
                let dates = find_dates(&text, dy);
                check_offsets(&text, dates.iter().map(|m| (m.start, m.end)));
            }
            let weeks = find_weeks(&text);
            check_offsets(&text, weeks.iter().map(|m| (m.start, m.end)));
            assert!(weeks.iter().all(|m| (1..=53).contains(&m.value.week)));
        }
    }

    #[test]
    fn long_inputs_are_read_in_one_pass() {
        // Each would take hours if anything were quadratic.
        let long = [
            "1.2.".repeat(250_000),
            "10.10.10.".repeat(100_000),
            "1".repeat(1_000_000),
            "1, ".repeat(300_000),
            "1. og ".repeat(150_000) + "2. mai",
            "uke 1-".repeat(150_000),
            "7. mai ".repeat(100_000),
            "ø1.7.17 ".repeat(100_000),
            " ".repeat(1_000_000) + "x",
        ];
        for text in &long {
            let _ = find_dates(text, Some(2016));
            let _ = find_weeks(text);
            let _ = parse_date(text, Some(2016));
        }
        assert_eq!(find_dates(&long[4], Some(2016)).len(), 150_001);
    }
}
