//! The history rules: `late-report`, `byline-vs-commit` and
//! `edited-after-publish`. They hold what a report says about itself (its
//! week, its byline date) against what git knows (when it was first
//! committed, and when it changed since).
//!
//! Dates of commits are taken in the committer's own offset, as the date a
//! person in that time zone would name. A first commit that is only the
//! boundary of a shallow clone is not a fact, so no rule judges it.

use chrono::{Duration, NaiveDate, NaiveDateTime};
use git2::Oid;

use super::Rule;
use crate::dates;
use crate::diagnostic::Diagnostic;
use crate::git::{CommitInfo, FileHistory};
use crate::report::{self, Document, Format, Pos};
use crate::rules::structure::ReportInfo;
use crate::source;

/// When a report was published, as far as git can tell.
pub enum Publication<'a> {
    /// In history: its first commit and later versions.
    Committed(&'a FileHistory),
    /// Staged but in no commit yet: it is being published today.
    BeingCommitted(NaiveDate),
}

/// A checked report and its publication.
pub struct Published<'a> {
    pub path: &'a str,
    pub info: &'a ReportInfo,
    /// Where findings go (the title).
    pub anchor: Pos,
    pub publication: Publication<'a>,
    /// The series' deadline for this report (`cadence: deadline:`) and the
    /// days of grace after it; `None` judges by the week and `days`.
    pub due: Option<(NaiveDateTime, u32)>,
}

/// The thresholds, from the config (or the defaults).
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub late_days: u32,
    pub byline_days: u32,
    pub edit_days: u32,
    pub check_edits: bool,
}

/// Runs the history rules on one report. `read_blob` fetches an old
/// version's content by blob id (for `edited-after-publish`).
pub fn check(
    report: &Published,
    limits: Limits,
    read_blob: &dyn Fn(Oid) -> Option<Vec<u8>>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let (first_date, first_label) = match &report.publication {
        Publication::Committed(history) if history.boundary => return out,
        Publication::Committed(history) => (
            commit_date(&history.first),
            format!(
                "first committed {} ({})",
                dates::ymd(commit_date(&history.first)),
                history.first.short()
            ),
        ),
        Publication::BeingCommitted(today) => {
            (*today, format!("committed today, {}", dates::ymd(*today)))
        }
    };

    if let Some((due, grace)) = report.due {
        if let Some(finding) = past_deadline(report, due, grace, &first_label) {
            out.push(finding);
        }
    } else if let (Some(year), Some(week)) = (report.info.year, report.info.week)
        && let Some((_, sunday)) = dates::week_bounds(year, week)
    {
        let late = (first_date - sunday).num_days();
        if late > i64::from(limits.late_days) {
            out.push(
                Diagnostic::new(
                    Rule::LateReport,
                    report.path,
                    report.anchor,
                    format!(
                        "{first_label}, {late} days after week {week} of {year} ended ({})",
                        dates::ymd(sunday)
                    ),
                )
                .with_hint(format!(
                    "reports are due within {} days of their week; publish next week's on time",
                    limits.late_days
                )),
            );
        }
    }

    if let Some(byline) = report.info.date {
        let apart = (first_date - byline).num_days();
        if apart.abs() > i64::from(limits.byline_days) {
            let direction = if apart > 0 { "before" } else { "after" };
            out.push(
                Diagnostic::new(
                    Rule::BylineVsCommit,
                    report.path,
                    report.anchor,
                    format!(
                        "the byline says {}, {} days {direction} the report was {first_label}",
                        dates::ymd(byline),
                        apart.abs()
                    ),
                )
                .with_hint("date the byline when the report is written and commit it then"),
            );
        }
    }

    if limits.check_edits
        && let Publication::Committed(history) = &report.publication
        && let Some(finding) = edited_after(report, history, limits.edit_days, read_blob)
    {
        out.push(finding);
    }
    out
}

/// `late-report` by the series' deadline: first committed (in the
/// committer's own time) more than `grace` days after `due`. A report being
/// committed today is judged by the day alone.
fn past_deadline(
    report: &Published,
    due: NaiveDateTime,
    grace: u32,
    first_label: &str,
) -> Option<Diagnostic> {
    let limit = due + Duration::days(i64::from(grace));
    let published = match &report.publication {
        Publication::Committed(history) => history.first.committed.naive_local(),
        Publication::BeingCommitted(today) => today.and_time(chrono::NaiveTime::MIN),
    };
    if published <= limit {
        return None;
    }
    let late = published - due;
    let (days, hours) = (late.num_days(), late.num_hours() % 24);
    let after = match (days, hours) {
        (0, hours) => format!("{hours} hours"),
        (1, _) => "1 day".to_owned(),
        (days, _) => format!("{days} days"),
    };
    let grace_words = match grace {
        0 => String::new(),
        1 => " and its day of grace".to_owned(),
        days => format!(" and its {days} days of grace"),
    };
    Some(
        Diagnostic::new(
            Rule::LateReport,
            report.path,
            report.anchor,
            format!(
                "{first_label}, {after} after its deadline ({} {}){grace_words}",
                due.format("%A"),
                due.format("%Y-%m-%d %H:%M")
            ),
        )
        .with_hint("the series' cadence sets the deadline (`cadence: deadline:` in milepost.yaml); publish the next report on time"),
    )
}

/// The date of a commit in its committer's time zone.
pub fn commit_date(commit: &CommitInfo) -> NaiveDate {
    commit.committed.date_naive()
}

/// The latest version, more than `days` after publication, whose items
/// differ in their words from the version before it.
fn edited_after(
    report: &Published,
    history: &FileHistory,
    days: u32,
    read_blob: &dyn Fn(Oid) -> Option<Vec<u8>>,
) -> Option<Diagnostic> {
    let published = commit_date(&history.first);
    let deadline = published + Duration::days(i64::from(days));
    let format = Format::from_path(report.path)?;
    let words = |blob: Oid| -> Option<Vec<String>> {
        let text = source::decode(read_blob(blob)?).ok()?;
        Some(item_words(&report::parse(format, &text)))
    };
    let mut edit = None;
    for pair in history.versions.windows(2) {
        let (before, after) = (&pair[0], &pair[1]);
        if commit_date(&after.0) <= deadline {
            continue;
        }
        if words(before.1)? != words(after.1)? {
            edit = Some(&after.0);
        }
    }
    let commit = edit?;
    let late = (commit_date(commit) - published).num_days();
    Some(
        Diagnostic::new(
            Rule::EditedAfterPublish,
            report.path,
            report.anchor,
            format!(
                "items changed on {} ({}), {late} days after the report was published on {}",
                dates::ymd(commit_date(commit)),
                commit.short(),
                dates::ymd(published)
            ),
        )
        .with_hint("say what changed in a new report instead of rewriting an old one"),
    )
}

/// The words of every item, per item: what changes when an item is added,
/// removed or reworded, and not when a link target is fixed or a paragraph
/// re-wrapped.
pub fn item_words(document: &Document) -> Vec<String> {
    document
        .sections
        .iter()
        .flat_map(|s| s.items.iter())
        .map(|item| content_words(&item.text))
        .collect()
}

fn content_words(text: &str) -> String {
    let mut kept = String::with_capacity(text.len());
    let mut rest = text;
    // Drop link targets: `<target>` in roles and rst links, `(target)`
    // after `]` in Markdown, and bare URLs.
    while let Some(c) = rest.chars().next() {
        let skip_to = match c {
            '<' => rest.find('>').map(|i| i + 1),
            ']' if rest[1..].starts_with('(') => rest.find(')').map(|i| i + 1),
            'h' if rest.starts_with("http://") || rest.starts_with("https://") => {
                Some(rest.find(char::is_whitespace).unwrap_or(rest.len()))
            }
            _ => None,
        };
        match skip_to {
            Some(end) => {
                kept.push(' ');
                rest = &rest[end..];
            }
            None => {
                kept.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    // Role names (`:doc:`) are markup, not words.
    kept.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .filter(|w| !matches!(w.as_str(), "doc" | "ref"))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_fixes_and_rewrapping_keep_the_words() {
        let before = content_words(
            "Se :doc:`planen <../plans/production>` og\n  https://trello.com/b/x for detaljer.",
        );
        let after = content_words(
            "Se :doc:`planen <../plan/production>` og https://trello.com/b/y  for   detaljer",
        );
        assert_eq!(before, after);
        assert_eq!(
            content_words("See [the plan](a.md) now"),
            content_words("See [the plan](b.md) now")
        );
        assert_ne!(
            content_words("Ceph oppgradert."),
            content_words("Ceph ikke oppgradert.")
        );
    }
}
