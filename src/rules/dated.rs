//! Date-named reports: reading the dates a report is named by (file name,
//! title) in the per-file pass, and `date-mismatch`, the counterpart of
//! `week-mismatch` for them, once the first commit is known.
//!
//! A report named by a date states its day up to four times: in its file
//! name, its title, its byline and (to git) by its first commit. A report
//! made by copying an older one keeps the older date in the place its
//! writer forgot, so when three agree and one does not, the finding names
//! that one: it is the place to fix. Agreement is within the schema's
//! `grace_days`. A first commit later than the other dates is a late
//! report (`late-report`), not a mismatch; only one earlier than the date
//! it names (by more than the grace) is.

use chrono::NaiveDate;

use super::{FileContext, Rule};
use crate::dated::{self, Captured, Reading, Resolved};
use crate::diagnostic::Diagnostic;
use crate::report::Pos;

/// A date a report is named by, where it is written, and how it was read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Named {
    pub date: NaiveDate,
    /// The date as written.
    pub text: String,
    pub pos: Pos,
    /// Every reading of the text that is a real day.
    pub readings: Vec<Reading>,
    /// How an ambiguous text was resolved (`26/02/17` read as ...).
    pub resolution: Option<String>,
}

/// The dates a date-named report states about itself.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NamedDates {
    pub file: Option<Named>,
    pub title: Option<Named>,
    /// The byline date and where it is.
    pub byline: Option<(NaiveDate, Pos)>,
}

impl NamedDates {
    /// The day the report stands for: its file name's date, else its
    /// title's, else its byline's.
    pub fn day(&self) -> Option<NaiveDate> {
        self.file
            .as_ref()
            .or(self.title.as_ref())
            .map(|n| n.date)
            .or(self.byline.map(|(date, _)| date))
    }

    /// The statements of every ambiguous date's resolution.
    pub fn resolutions(&self) -> Vec<&str> {
        [&self.file, &self.title]
            .into_iter()
            .flatten()
            .filter_map(|n| n.resolution.as_deref())
            .collect()
    }

    /// Resolves ambiguous dates again now that the first commit is known:
    /// the file name by the byline, else the commit; the title by the file
    /// name, else the byline, else the commit.
    pub fn resolve_with_commit(&mut self, commit: Option<NaiveDate>) {
        let byline = self.byline.map(|(date, _)| date);
        if let Some(file) = &mut self.file {
            re_resolve(file, &[("byline", byline), ("first commit", commit)]);
        }
        let file = self.file.as_ref().map(|n| n.date);
        if let Some(title) = &mut self.title {
            re_resolve(
                title,
                &[
                    ("file name", file),
                    ("byline", byline),
                    ("first commit", commit),
                ],
            );
        }
    }
}

fn re_resolve(named: &mut Named, references: &[(&str, Option<NaiveDate>)]) {
    if named.readings.len() < 2 {
        return;
    }
    if let Some(Resolved { date, resolution }) =
        dated::resolve(&named.text, &named.readings, references)
    {
        named.date = date;
        named.resolution = resolution;
    }
}

/// Reads the dates in the file name and the title of a report whose schema
/// names reports by date; an unreadable date is a `date-format` finding.
pub fn read(
    ctx: &FileContext,
    byline: Option<(NaiveDate, Pos)>,
    out: &mut Vec<Diagnostic>,
) -> NamedDates {
    let byline_date = byline.map(|(date, _)| date);
    let title_pos = ctx.doc.title.as_ref().map_or(Pos::START, |t| t.pos);
    let file = ctx
        .schema
        .file_name
        .as_ref()
        .filter(|pattern| dated::names_date(pattern))
        .and_then(|pattern| {
            let subject = dated::file_name_subject(ctx.path, pattern);
            let caps = pattern.captures(subject)?;
            named(
                ctx.path,
                "file name",
                subject,
                &caps,
                title_pos,
                &[("byline", byline_date)],
                out,
            )
        });
    let file_date = file.as_ref().map(|n| n.date);
    let title = ctx
        .doc
        .title
        .as_ref()
        .filter(|_| dated::names_date(&ctx.schema.title))
        .and_then(|title| {
            let text = title.text.trim();
            let caps = ctx.schema.title.captures(text)?;
            // The date within the title, where a finding about it points.
            let lead = title.text.len() - title.text.trim_start().len();
            let pos = caps.name("date").map_or(title.pos, |m| {
                let before = title.text[..lead + m.start()].chars().count();
                Pos::new(
                    title.pos.line,
                    title
                        .pos
                        .column
                        .saturating_add(crate::report::to_u32(before)),
                )
            });
            named(
                ctx.path,
                "title",
                text,
                &caps,
                pos,
                &[("file name", file_date), ("byline", byline_date)],
                out,
            )
        });
    NamedDates {
        file,
        title,
        byline,
    }
}

fn named(
    path: &str,
    place: &str,
    subject: &str,
    caps: &regex::Captures,
    pos: Pos,
    references: &[(&str, Option<NaiveDate>)],
    out: &mut Vec<Diagnostic>,
) -> Option<Named> {
    let text = caps
        .name("date")
        .map_or(subject, |m| m.as_str())
        .trim()
        .to_owned();
    match dated::from_captures(caps)? {
        Captured::Invalid(why) => {
            out.push(
                Diagnostic::new(
                    Rule::DateFormat,
                    path,
                    pos,
                    format!("the {place} names no real day: {why}"),
                )
                .with_hint("write the date as the schema's pattern says, with a real day"),
            );
            None
        }
        Captured::Readings(readings) => {
            let resolved = dated::resolve(&text, &readings, references)?;
            Some(Named {
                date: resolved.date,
                text,
                pos,
                readings,
                resolution: resolved.resolution,
            })
        }
    }
}

/// One place a date is stated, for `date-mismatch`.
struct Source {
    what: &'static str,
    date: NaiveDate,
    pos: Pos,
    /// The date as written at `pos`, for the finding's span.
    text: Option<String>,
}

/// `date-mismatch`: the file name's, title's and byline's dates and the
/// first commit must agree within `grace` days; the finding goes to the odd
/// one out when there is one.
pub fn date_mismatch(
    path: &str,
    named: &NamedDates,
    first_commit: Option<NaiveDate>,
    grace: u32,
    anchor: Pos,
) -> Option<Diagnostic> {
    let mut sources: Vec<Source> = Vec::new();
    if let Some(file) = &named.file {
        sources.push(Source {
            what: "file name",
            date: file.date,
            pos: anchor,
            text: None,
        });
    }
    if let Some(title) = &named.title {
        sources.push(Source {
            what: "title",
            date: title.date,
            pos: title.pos,
            text: Some(title.text.clone()),
        });
    }
    if let Some((date, pos)) = named.byline {
        sources.push(Source {
            what: "byline",
            date,
            pos,
            text: None,
        });
    }
    if let Some(date) = first_commit {
        sources.push(Source {
            what: "first commit",
            date,
            pos: anchor,
            text: None,
        });
    }
    if sources.len() < 2 {
        return None;
    }
    let grace = i64::from(grace);
    let agree = |a: &Source, b: &Source| (a.date - b.date).num_days().abs() <= grace;
    let agreeing = |i: usize| {
        sources
            .iter()
            .enumerate()
            .filter(|&(j, other)| j != i && agree(&sources[i], other))
            .count()
    };
    let counts: Vec<usize> = (0..sources.len()).map(agreeing).collect();
    if counts.iter().all(|&c| c == sources.len() - 1) {
        return None;
    }
    let resolutions = named.resolutions();
    let with_resolutions = |hint: String| {
        if resolutions.is_empty() {
            hint
        } else {
            format!("{hint} ({})", resolutions.join("; "))
        }
    };
    // The odd one out: the only source that disagrees with all the others,
    // which all agree among themselves.
    let odd = (sources.len() >= 3)
        .then(|| {
            let lonely: Vec<usize> = (0..sources.len()).filter(|&i| counts[i] == 0).collect();
            let [odd] = lonely[..] else { return None };
            let rest_agree = (0..sources.len())
                .filter(|&i| i != odd)
                .all(|i| counts[i] == sources.len() - 2);
            rest_agree.then_some(odd)
        })
        .flatten();
    match odd {
        Some(odd) => {
            let source = &sources[odd];
            let others: Vec<&Source> = sources
                .iter()
                .enumerate()
                .filter(|&(i, _)| i != odd)
                .map(|(_, s)| s)
                .collect();
            let reference = others[0].date;
            let apart = (source.date - reference).num_days();
            // A late first commit is `late-report`'s to say.
            if source.what == "first commit" && apart > 0 {
                return None;
            }
            let direction = if apart < 0 { "before" } else { "after" };
            let names: Vec<&str> = others.iter().map(|s| s.what).collect();
            let message = format!(
                "the {} says {}, {} days {direction} the {} ({}): the {} is the odd one out",
                source.what,
                crate::dates::ymd(source.date),
                apart.abs(),
                join_and(&names),
                crate::dates::ymd(reference),
                source.what
            );
            let hint = match source.what {
                "title" => {
                    "a report copied from an earlier one keeps its old title: fix the title's date"
                }
                "byline" => {
                    "a report copied from an earlier one keeps its old byline: fix the byline's date"
                }
                "file name" => "rename the file to the date its title and byline give",
                _ => "the report was committed before the day it is named for: fix its dates",
            };
            let finding = Diagnostic::new(Rule::DateMismatch, path, source.pos, message)
                .with_hint(with_resolutions(hint.to_owned()));
            Some(match &source.text {
                Some(text) => finding.spanning(text),
                None => finding,
            })
        }
        None => {
            let said: Vec<String> = sources
                .iter()
                .map(|s| format!("the {} says {}", s.what, crate::dates::ymd(s.date)))
                .collect();
            let pos = sources
                .iter()
                .find(|s| s.what == "title")
                .map_or(anchor, |s| s.pos);
            Some(
                Diagnostic::new(
                    Rule::DateMismatch,
                    path,
                    pos,
                    format!(
                        "the report's dates disagree by more than {grace} days: {}",
                        said.join(", ")
                    ),
                )
                .with_hint(with_resolutions(
                    "no one date stands out: make the file name, title and byline name the same day".to_owned(),
                )),
            )
        }
    }
}

fn join_and(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn named(date: NaiveDate, pos: Pos) -> Named {
        Named {
            date,
            text: crate::dates::ymd(date),
            pos,
            readings: Vec::new(),
            resolution: None,
        }
    }

    #[test]
    fn a_copied_title_is_the_odd_one_out() {
        let dates = NamedDates {
            file: Some(named(day(2017, 3, 8), Pos::START)),
            title: Some(named(day(2017, 2, 26), Pos::new(1, 3))),
            byline: Some((day(2017, 3, 8), Pos::new(3, 1))),
        };
        let finding = date_mismatch(
            "s/p-170308.md",
            &dates,
            Some(day(2017, 3, 8)),
            3,
            Pos::START,
        )
        .unwrap();
        assert_eq!(finding.rule, Rule::DateMismatch);
        assert_eq!((finding.line, finding.column), (1, 3));
        assert_eq!(
            finding.message,
            "the title says 2017-02-26, 10 days before the file name, byline and first commit (2017-03-08): the title is the odd one out"
        );
    }

    #[test]
    fn agreement_within_grace_and_late_commits_are_no_mismatch() {
        let dates = NamedDates {
            file: Some(named(day(2017, 3, 8), Pos::START)),
            title: Some(named(day(2017, 3, 8), Pos::new(1, 3))),
            byline: Some((day(2017, 3, 10), Pos::new(3, 1))),
        };
        assert!(date_mismatch("a.md", &dates, Some(day(2017, 3, 9)), 3, Pos::START).is_none());
        // Committed a month late: late-report's finding, not this one.
        assert!(date_mismatch("a.md", &dates, Some(day(2017, 4, 9)), 3, Pos::START).is_none());
        // Committed a month before the day it is named for.
        let early = date_mismatch("a.md", &dates, Some(day(2017, 2, 1)), 3, Pos::START).unwrap();
        assert!(
            early
                .message
                .contains("the first commit is the odd one out"),
            "{}",
            early.message
        );
    }

    #[test]
    fn two_disagreeing_dates_have_no_odd_one() {
        let dates = NamedDates {
            file: Some(named(day(2017, 3, 8), Pos::START)),
            title: Some(named(day(2017, 2, 26), Pos::new(1, 3))),
            byline: None,
        };
        let finding = date_mismatch("a.md", &dates, None, 3, Pos::START).unwrap();
        assert_eq!(
            finding.message,
            "the report's dates disagree by more than 3 days: the file name says 2017-03-08, the title says 2017-02-26"
        );
    }
}
