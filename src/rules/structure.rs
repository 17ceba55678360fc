//! The rules about what a report says about itself: `title`, `byline`,
//! `date-format` and `week-mismatch`. They share one pass because they read
//! the same facts (the week and year from the file name, folder, title and
//! date), and the same pass yields the report's [`ReportInfo`], which later
//! rules (series, tracking) build on.

use chrono::{Datelike, Duration, NaiveDate};
use regex::Captures;

use super::{FileContext, Rule};
use crate::dates::{self, DateError};
use crate::diagnostic::Diagnostic;
use crate::report::{Paragraph, Pos, to_u32};
use crate::schema::Schema;
use crate::text::ellipsize;
use regex::Regex;

/// What a report says about itself, after consistency checks.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReportInfo {
    /// ISO week-year of the report's week.
    pub year: Option<i32>,
    pub week: Option<u32>,
    /// The byline date.
    pub date: Option<NaiveDate>,
    pub author: Option<String>,
    pub organisation: Option<String>,
}

/// A week, and possibly a year, stated somewhere.
#[derive(Clone, Copy, Debug)]
struct Stated {
    week: Option<u32>,
    year: Option<i32>,
    pos: Pos,
}

/// A byline that matched the schema's pattern.
struct Byline {
    author: Option<String>,
    organisation: Option<String>,
    date: Option<NaiveDate>,
    date_pos: Pos,
}

/// Runs the structure rules and reads the report's period, date and author.
pub fn check(ctx: &FileContext, out: &mut Vec<Diagnostic>) -> ReportInfo {
    let from_file = file_name_period(ctx);
    let folder_year = folder_year(ctx.path);
    let from_title = check_title(ctx, out);
    let byline = check_byline(ctx, out);

    let stated_year = from_file
        .and_then(|s| s.year)
        .or(from_title.and_then(|s| s.year))
        .or(folder_year);
    check_years(ctx, from_file, from_title, folder_year, out);

    let week = match (from_file.and_then(|s| s.week), from_title) {
        (
            Some(file_week),
            Some(Stated {
                week: Some(title_week),
                pos,
                ..
            }),
        ) => {
            if file_week != title_week {
                out.push(
                    Diagnostic::new(
                        Rule::WeekMismatch,
                        ctx.path,
                        pos,
                        format!("the title says week {title_week}, but the file name says week {file_week}"),
                    )
                    .with_hint("a report copied from last week keeps its old title: fix the title or rename the file"),
                );
            }
            Some(file_week)
        }
        (Some(file_week), _) => Some(file_week),
        (None, title) => title.and_then(|s| s.week),
    };

    let date = byline.as_ref().and_then(|b| b.date);
    let year = match week {
        Some(week) => check_week_and_date(ctx, week, stated_year, byline.as_ref(), out),
        None => stated_year,
    };
    check_item_dates(ctx, year.or(date.map(|d| d.year())), out);

    let (year, week) = match (year, week, date) {
        (year, Some(week), _) => (year, Some(week)),
        (_, None, Some(date)) => {
            let (year, week) = dates::iso_week(date);
            (Some(year), Some(week))
        }
        (year, None, None) => (year, None),
    };
    ReportInfo {
        year,
        week,
        date,
        author: byline.as_ref().and_then(|b| b.author.clone()),
        organisation: byline.and_then(|b| b.organisation),
    }
}

/// The week and year in the file name, by the schema's `file_name` pattern.
fn file_name_period(ctx: &FileContext) -> Option<Stated> {
    file_name_stated(ctx.path, ctx.schema)
}

/// The ISO year and week a report's path names (file name, else folder for
/// the year), without reading the file: how series rules place reports
/// that this run does not check.
pub fn period_from_path(path: &str, schema: &Schema) -> Option<(i32, u32)> {
    let stated = file_name_stated(path, schema)?;
    Some((stated.year.or_else(|| folder_year(path))?, stated.week?))
}

fn file_name_stated(path: &str, schema: &Schema) -> Option<Stated> {
    let pattern = schema.file_name.as_ref()?;
    let name = path.rsplit('/').next().unwrap_or(path);
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    let caps = pattern.captures(stem)?;
    Some(Stated {
        week: capture_number(&caps, "week"),
        year: capture_number(&caps, "year"),
        pos: Pos::START,
    })
}

/// A folder named like a year (`status/2016/uke_38.rst`): the nearest one.
fn folder_year(path: &str) -> Option<i32> {
    let mut folders: Vec<&str> = path.split('/').collect();
    folders.pop();
    folders.iter().rev().find_map(|folder| {
        (folder.len() == 4 && folder.bytes().all(|b| b.is_ascii_digit()))
            .then(|| folder.parse().ok())
            .flatten()
            .filter(|year| (1900..=2200).contains(year))
    })
}

fn capture_number<T: std::str::FromStr>(caps: &Captures, name: &str) -> Option<T> {
    caps.name(name).and_then(|m| m.as_str().parse().ok())
}

fn check_title(ctx: &FileContext, out: &mut Vec<Diagnostic>) -> Option<Stated> {
    let example = ctx.schema.examples.title.as_deref();
    let hint = |text: &str| match example {
        Some(example) => format!("{text}, like `{example}`"),
        None => format!("{text} matching `{}`", ctx.schema.title.as_str()),
    };
    let Some(title) = &ctx.doc.title else {
        let (pos, message) = match ctx.doc.sections.first() {
            Some(first) => (
                first.heading.pos,
                format!(
                    "no document title: `{}` is not a lone top-level title at the start",
                    ellipsize(&first.heading.text, 60)
                ),
            ),
            None => (Pos::START, "no title".to_owned()),
        };
        out.push(
            Diagnostic::new(Rule::Title, ctx.path, pos, message)
                .with_hint(hint("start the report with its title")),
        );
        return None;
    };
    match ctx.schema.title.captures(title.text.trim()) {
        Some(caps) => Some(Stated {
            week: capture_number(&caps, "week"),
            year: capture_number(&caps, "year"),
            pos: title.pos,
        }),
        None => {
            out.push(
                Diagnostic::new(
                    Rule::Title,
                    ctx.path,
                    title.pos,
                    format!(
                        "title `{}` does not match the {} schema",
                        ellipsize(&title.text, 60),
                        ctx.schema.name
                    ),
                )
                .spanning(title.text.trim())
                .with_hint(hint("write the title")),
            );
            None
        }
    }
}

fn check_byline(ctx: &FileContext, out: &mut Vec<Diagnostic>) -> Option<Byline> {
    // A template without a byline (`byline: null`): nothing to look for.
    let pattern = ctx.schema.byline.as_ref()?;
    let hint = match ctx.schema.examples.byline.as_deref() {
        Some(example) => format!("write a byline after the title, like `{example}`"),
        None => format!("write a byline matching `{}`", pattern.as_str()),
    };
    let Some(paragraph) = ctx.doc.preamble.first() else {
        if ctx.doc.title.is_some() {
            let pos = ctx.doc.title.as_ref().map_or(Pos::START, |t| t.pos);
            out.push(
                Diagnostic::new(Rule::Byline, ctx.path, pos, "no byline after the title")
                    .with_hint(hint),
            );
        }
        return None;
    };
    let text = byline_text(pattern, paragraph, paragraph.text.trim());
    let Some(caps) = pattern.captures(text) else {
        out.push(
            Diagnostic::new(
                Rule::Byline,
                ctx.path,
                paragraph.pos,
                format!(
                    "`{}` is not a byline of the {} schema",
                    ellipsize(text, 60),
                    ctx.schema.name
                ),
            )
            .with_hint(hint),
        );
        return None;
    };
    let text_offset = paragraph.text.len() - paragraph.text.trim_start().len();
    let (date, date_pos) = match caps.name("date") {
        Some(m) => {
            let pos = pos_in(paragraph, text_offset + m.start());
            match dates::parse_date(m.as_str(), None) {
                Ok(date) => (Some(date), pos),
                Err(err) => {
                    out.push(date_finding(ctx.path, pos, m.as_str(), &err));
                    (None, pos)
                }
            }
        }
        None => (None, paragraph.pos),
    };
    let owned = |name: &str| caps.name(name).map(|m| m.as_str().trim().to_owned());
    Some(Byline {
        author: owned("author"),
        organisation: owned("organisation"),
        date,
        date_pos,
    })
}

/// The byline within the paragraph after the title. A byline may wrap over
/// lines, so the whole paragraph is read first; when that gives no date and
/// the paragraph spans lines, the longest prefix (cut between words) that
/// is a byline with a date is the byline, and the rest a note, such as
/// `(en uke forsinket pga ferie)` on the line after it.
fn byline_text<'t>(pattern: &Regex, paragraph: &Paragraph, text: &'t str) -> &'t str {
    let dated = |candidate: &str| {
        pattern
            .captures(candidate)
            .and_then(|caps| caps.name("date"))
            .is_some_and(|date| dates::parse_date(date.as_str(), None).is_ok())
    };
    if paragraph.end_line <= paragraph.pos.line || dated(text) {
        return text;
    }
    text.char_indices()
        .rev()
        .filter(|&(_, c)| c == ' ')
        .map(|(at, _)| text[..at].trim_end())
        .find(|prefix| dated(prefix))
        .unwrap_or(text)
}

fn date_finding(path: &str, pos: Pos, text: &str, err: &DateError) -> Diagnostic {
    let (message, hint) = match err {
        DateError::Nonexistent { .. } => (
            format!("`{text}` is not a real date: {err}"),
            "check the day and the month",
        ),
        DateError::MissingYear => (
            format!("`{text}` has no year"),
            "write the date with its year, like `23. sep 2016`",
        ),
        DateError::Unrecognised => (
            format!("cannot read the date `{}`", ellipsize(text, 40)),
            "write a date like `23. sep 2016`, `23 September 2016` or `2016-09-23`",
        ),
    };
    Diagnostic::new(Rule::DateFormat, path, pos, message)
        .spanning(text)
        .with_hint(hint)
}

/// Full dates in items that name days which do not exist. Only a mention
/// with its year written out and a day of at most 31 counts: in prose,
/// "i uke 36. Jan Erik ..." is a week and a name, not the 36th of January.
fn check_item_dates(ctx: &FileContext, year: Option<i32>, out: &mut Vec<Diagnostic>) {
    for section in &ctx.doc.sections {
        for item in &section.items {
            for mention in dates::find_dates(&item.text, year) {
                let text = item
                    .text
                    .get(mention.start..mention.end)
                    .unwrap_or_default();
                if let Err(err @ DateError::Nonexistent { year, day, .. }) = &mention.value
                    && *day <= 31
                    && text.contains(&year.to_string())
                {
                    out.push(date_finding(ctx.path, item.pos, text, err));
                }
            }
        }
    }
}

/// Years stated in different places must agree.
fn check_years(
    ctx: &FileContext,
    from_file: Option<Stated>,
    from_title: Option<Stated>,
    folder_year: Option<i32>,
    out: &mut Vec<Diagnostic>,
) {
    let file_year = from_file.and_then(|s| s.year);
    if let (Some(file_year), Some(folder_year)) = (file_year, folder_year)
        && file_year != folder_year
    {
        out.push(
            Diagnostic::new(
                Rule::WeekMismatch,
                ctx.path,
                Pos::START,
                format!("the file name says {file_year}, but the report is in the folder for {folder_year}"),
            )
            .with_hint("move the report to the right year's folder, or fix the year in its name"),
        );
    }
    if let Some(Stated {
        year: Some(title_year),
        pos,
        ..
    }) = from_title
        && let Some(other) = file_year.or(folder_year)
        && other != title_year
    {
        out.push(Diagnostic::new(
            Rule::WeekMismatch,
            ctx.path,
            pos,
            format!("the title says {title_year}, but the file's path says {other}"),
        ));
    }
}

/// Checks that the week exists and that the byline date falls in it (plus
/// grace days); returns the ISO week-year of the report.
fn check_week_and_date(
    ctx: &FileContext,
    week: u32,
    stated_year: Option<i32>,
    byline: Option<&Byline>,
    out: &mut Vec<Diagnostic>,
) -> Option<i32> {
    let grace = ctx.schema.grace_days;
    let dated = byline.and_then(|b| b.date.map(|date| (date, b.date_pos)));
    let fits = |year: i32, date: NaiveDate| {
        dates::week_bounds(year, week).is_some_and(|(monday, sunday)| {
            monday <= date && date <= sunday + Duration::days(grace.into())
        })
    };
    let title_pos = ctx.doc.title.as_ref().map_or(Pos::START, |t| t.pos);

    let Some(year) = stated_year else {
        // No year written anywhere: the date decides which year's week it is.
        let (date, pos) = dated?;
        let year = [date.year() - 1, date.year()]
            .into_iter()
            .rev()
            .find(|&y| fits(y, date));
        if year.is_none() {
            out.push(outside_week(
                ctx,
                pos,
                date,
                week,
                dates::iso_week(date).0,
                grace,
            ));
        }
        return year.or(Some(dates::iso_week(date).0));
    };

    if dates::week_bounds(year, week).is_none() {
        let mut finding = Diagnostic::new(
            Rule::WeekMismatch,
            ctx.path,
            title_pos,
            format!(
                "{year} has no week {week}: its ISO weeks run from 1 to {}",
                dates::weeks_in_year(year)
            ),
        );
        if let Some((date, _)) = dated
            && let Some(other) = [year - 1, year + 1].into_iter().find(|&y| fits(y, date))
        {
            finding = finding.with_hint(format!(
                "the date {} puts week {week} in ISO week-year {other}",
                dates::ymd(date)
            ));
        }
        out.push(finding);
        return Some(year);
    }

    if let Some((date, pos)) = dated
        && !fits(year, date)
    {
        match [year - 1, year + 1].into_iter().find(|&y| fits(y, date)) {
                Some(other) => out.push(
                    Diagnostic::new(
                        Rule::WeekMismatch,
                        ctx.path,
                        pos,
                        format!(
                            "the date {} puts week {week} in ISO week-year {other}, but the report says {year}",
                            dates::ymd(date)
                        ),
                    )
                    .with_hint(
                        "fix the year in the file or folder name, or the date; ISO week-years differ from calendar years around New Year (1 January 2016 is in week 53 of 2015)",
                    ),
                ),
                None => out.push(outside_week(ctx, pos, date, week, year, grace)),
            }
    }
    Some(year)
}

fn outside_week(
    ctx: &FileContext,
    pos: Pos,
    date: NaiveDate,
    week: u32,
    year: i32,
    grace: u32,
) -> Diagnostic {
    let range = dates::week_bounds(year, week).map_or_else(String::new, |(monday, sunday)| {
        format!(
            " ({} to {}, plus {grace} days' grace to {})",
            dates::ymd(monday),
            dates::ymd(sunday),
            dates::ymd(sunday + Duration::days(grace.into()))
        )
    });
    Diagnostic::new(
        Rule::WeekMismatch,
        ctx.path,
        pos,
        format!(
            "dated {}, outside week {week} of {year}{range}",
            dates::ymd(date)
        ),
    )
    .with_hint(format!(
        "{} is in week {} of {}: fix the date or the week",
        dates::ymd(date),
        dates::iso_week(date).1,
        dates::iso_week(date).0
    ))
}

/// The position of byte `offset` of a paragraph's joined text. Exact while
/// the paragraph is one line (bylines are); otherwise the column may drift
/// past the first line's end, so it falls back to the paragraph's start.
fn pos_in(paragraph: &Paragraph, offset: usize) -> Pos {
    let spans_lines = paragraph.end_line > paragraph.pos.line;
    match paragraph.text.get(..offset) {
        Some(prefix) if !spans_lines => Pos::new(
            paragraph.pos.line,
            paragraph
                .pos
                .column
                .saturating_add(to_u32(prefix.chars().count())),
        ),
        _ => paragraph.pos,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_year_is_the_nearest_year_folder() {
        assert_eq!(folder_year("docs/2016/uke_38.rst"), Some(2016));
        assert_eq!(folder_year("2015/docs/2016/uke_38.rst"), Some(2016));
        assert_eq!(folder_year("docs/status/2016_uke_38.rst"), None);
        assert_eq!(folder_year("docs/0042/uke_38.rst"), None);
    }
}
