//! Reading candidates: a date or week mention found by the patterns is
//! split into digit and letter runs and read (day first or month first,
//! with or without a year), so that "i uke 36. Jan Erik …" is a week and a
//! name, not the 36th of January.

use super::*;

/// A run of ASCII digits or of letters inside a candidate.
#[derive(Clone, Copy, Debug)]
pub(super) struct Token<'a> {
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) text: &'a str,
    pub(super) number: bool,
}

/// Splits `text[start..end]` into digit runs and letter runs; offsets are
/// into `text`. Everything else separates tokens.
pub(super) fn tokens(text: &str, start: usize, end: usize) -> Vec<Token<'_>> {
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

pub(super) fn is_digits(s: &str, lengths: std::ops::RangeInclusive<usize>) -> bool {
    lengths.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
}

pub(super) fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// True when the candidate `text[start..end]` continues a word or number on
/// either side ("v1.7.17", "ø7. mai", "uke 41ø").
pub(super) fn glued_to_word(text: &str, start: usize, end: usize) -> bool {
    let before = text.get(..start).and_then(|s| s.chars().next_back());
    let after = text.get(end..).and_then(|s| s.chars().next());
    before.is_some_and(is_word_char) || after.is_some_and(is_word_char)
}

/// Day 1–31 and month 1–12: what a purely numeric date must look like to be
/// read as one at all.
pub(super) fn numeric_shape(month: u32, day: u32) -> bool {
    (1..=12).contains(&month) && (1..=31).contains(&day)
}

pub(super) fn resolve(year: Option<i32>, month: u32, day: u32) -> Result<NaiveDate, DateError> {
    let year = year.ok_or(DateError::MissingYear)?;
    NaiveDate::from_ymd_opt(year, month, day).ok_or(DateError::Nonexistent { year, month, day })
}

pub(super) fn scan_dates(
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
        let Some(span) = text.get(m.range()) else {
            continue;
        };
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
pub(super) fn read_run(
    text: &str,
    start: usize,
    end: usize,
) -> Option<Result<NaiveDate, DateError>> {
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
pub(super) fn day_end(text: &str, tokens: &[Token<'_>], index: usize) -> usize {
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
pub(super) fn push_days(
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
pub(super) fn lowercase_english_word(word: &str) -> bool {
    (word == "may" || word == "march") && word.starts_with(|c: char| c.is_lowercase())
}

/// "23. sep 2016", "7. og 8. september", "23rd of September 2016".
pub(super) fn read_day_first(
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
pub(super) fn read_month_first(
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
pub(super) fn read_weeks(text: &str, start: usize, end: usize, out: &mut Vec<Mention<WeekRef>>) {
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
