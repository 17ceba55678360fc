//! Milestones straight from a plan document's table, like the brief's:
//!
//! ```text
//! ======== ===================================================
//!  Frist    Leveranse
//! ======== ===================================================
//!  1.sept   Oppgradere til mitaka
//!  14.nov   Lansering
//! ======== ===================================================
//! ```
//!
//! The first table whose rows start with a deadline is read: each row is a
//! milestone with one item, recognised by the content words of its
//! delivery text. A deadline without a year ("14.nov") takes the year the
//! config gives, else the one year the document names.

use std::path::Path;
use std::sync::LazyLock;

use regex::Regex;

use super::{Matcher, Milestone, MilestoneItem};
use crate::dates::{DateError, parse_date};
use crate::error::{Error, Result};
use crate::report::{self, Document, Format, Table};
use crate::source;
use crate::tracking::words::content_words;

static YEAR: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"\b(19|20)\d{2}\b").ok());

/// Reads the milestones from the plan document `bytes` read from `file`
/// (`path` is its repository-relative name for messages).
pub fn load(file: &Path, path: &str, year: Option<i32>, bytes: Vec<u8>) -> Result<Vec<Milestone>> {
    let text =
        source::decode(bytes).map_err(|_| Error::invalid(file, None, "is not UTF-8 text"))?;
    let format = Format::from_path(path).ok_or_else(|| {
        Error::invalid(
            file,
            None,
            "a plan document must be .rst or .md (or use a milestones .yaml file)",
        )
    })?;
    let document = report::parse(format, &text);
    let year = year.or_else(|| document_year(&document));
    let table = document
        .tables
        .iter()
        .find(|table| {
            table
                .rows
                .iter()
                .any(|row| row.cells.first().is_some_and(|c| looks_like_deadline(c)))
        })
        .ok_or_else(|| Error::invalid(file, None, "no table of deadlines and deliveries found"))?;
    let mut milestones = rows(table, file, path, year)?;
    // Only reports from the plan's own date count for its milestones.
    let written = plan_date(&document);
    for milestone in &mut milestones {
        milestone.from = written;
    }
    Ok(milestones)
}

/// The plan's own date: the first full date (with its year) in the text
/// between its title and its first section ("av Kari, UH IaaS, 1. aug
/// 2016", "Sist oppdatert 2016-08-01").
fn plan_date(document: &Document) -> Option<chrono::NaiveDate> {
    document.preamble.iter().find_map(|paragraph| {
        crate::dates::find_dates(&paragraph.text, None)
            .into_iter()
            .find_map(|m| m.value.ok())
    })
}

fn looks_like_deadline(cell: &str) -> bool {
    !matches!(parse_date(cell, Some(2000)), Err(DateError::Unrecognised))
}

/// The year the document names, if it names exactly one (title, preamble
/// or headings).
fn document_year(document: &Document) -> Option<i32> {
    let regex = YEAR.as_ref()?;
    let texts = document
        .title
        .iter()
        .map(|t| t.text.as_str())
        .chain(document.preamble.iter().map(|p| p.text.as_str()))
        .chain(document.sections.iter().map(|s| s.heading.text.as_str()));
    let mut years: Vec<i32> = texts
        .flat_map(|text| {
            regex
                .find_iter(text)
                .filter_map(|m| m.as_str().parse().ok())
                .collect::<Vec<_>>()
        })
        .collect();
    years.sort_unstable();
    years.dedup();
    match years.as_slice() {
        [year] => Some(*year),
        _ => None,
    }
}

/// Headers of a column of keywords for each row ("Stikkord: lansering,
/// produksjonssetting"): the words the reports use for the milestone when
/// they are not the plan's.
const KEYWORD_HEADERS: &[&str] = &[
    "nøkkelord",
    "stikkord",
    "søkeord",
    "match",
    "keywords",
    "keyword",
];

/// The index of the keyword column, if the table has one.
fn keyword_column(table: &Table) -> Option<usize> {
    table.header.iter().find_map(|row| {
        row.cells.iter().position(|cell| {
            let cell = crate::text::lower_nfc(cell.trim());
            KEYWORD_HEADERS.contains(&cell.as_str())
        })
    })
}

/// A delivery's inline keywords, `[match: lansering, produksjonssetting]`,
/// and the delivery without them.
fn inline_keywords(delivery: &str) -> (String, Vec<String>) {
    let Some(start) = delivery.find("[match:") else {
        return (delivery.to_owned(), Vec::new());
    };
    let Some(len) = delivery[start..].find(']') else {
        return (delivery.to_owned(), Vec::new());
    };
    let inside = &delivery[start + "[match:".len()..start + len];
    let words = inside
        .split(',')
        .map(|w| w.trim().to_owned())
        .filter(|w| !w.is_empty())
        .collect();
    let rest = format!("{}{}", &delivery[..start], &delivery[start + len + 1..]);
    (rest.trim().to_owned(), words)
}

fn rows(table: &Table, file: &Path, path: &str, year: Option<i32>) -> Result<Vec<Milestone>> {
    let mut milestones = Vec::new();
    let keyword_column = keyword_column(table);
    for row in &table.rows {
        let (Some(deadline), Some(delivery)) = (row.cells.first(), row.cells.get(1)) else {
            continue;
        };
        let (delivery, mut keywords) = inline_keywords(delivery.trim());
        let delivery = delivery.as_str();
        if delivery.is_empty() {
            continue;
        }
        if let Some(cell) = keyword_column.and_then(|c| row.cells.get(c)) {
            keywords.extend(
                cell.split(',')
                    .map(|w| w.trim().to_owned())
                    .filter(|w| !w.is_empty()),
            );
        }
        let at = Some((row.line as usize, 1));
        let due = parse_date(deadline, year).map_err(|err| match err {
            DateError::MissingYear => Error::invalid(
                file,
                at,
                format!("cannot tell the year of `{deadline}`: write it, or set `milestones_year` in milepost.yaml"),
            ),
            other => Error::invalid(file, at, format!("deadline `{deadline}`: {other}")),
        })?;
        let id = slug(delivery);
        milestones.push(Milestone {
            id: id.clone(),
            title: delivery.to_owned(),
            due,
            from: None,
            staffing: None,
            items: vec![MilestoneItem {
                id,
                title: delivery.to_owned(),
                matchers: std::iter::once(Matcher::Words(content_words(delivery)))
                    .chain(keywords.iter().filter_map(|k| super::matcher(k).ok()))
                    .collect(),
                tag: None,
            }],
            path: path.to_owned(),
            line: row.line,
        });
    }
    Ok(milestones)
}

/// `Felles keystone og full reinstall` → `felles-keystone-og-full-reinstall`.
pub fn slug(text: &str) -> String {
    let mut slug = String::new();
    for c in crate::text::lower_nfc(text).chars() {
        if c.is_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    const PLAN: &str = "=========================\nPlan for produksjon 2016\n=========================\n\n======== ===================================================\n Frist    Leveranse\n======== ===================================================\n 1.sept   Oppgradere til mitaka\n 26.sept  Felles keystone og full reinstall av bgo og osl\n 01.nov   Produksjonsklar bgo og osl\n 14.nov   Lansering\n======== ===================================================\n";

    #[test]
    fn the_plan_s_own_date_is_where_its_milestones_start() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("plan.rst");
        let dated = PLAN.replacen(
            "\n\n=====",
            "\n\nav Kari Nordmann, UH IaaS, 1. aug 2016\n\n=====",
            1,
        );
        assert_ne!(dated, PLAN);
        std::fs::write(&file, &dated).unwrap();
        let milestones = load(&file, "plan.rst", None, dated.into_bytes()).unwrap();
        assert_eq!(milestones.len(), 4);
        assert!(
            milestones
                .iter()
                .all(|m| m.from == NaiveDate::from_ymd_opt(2016, 8, 1)),
            "{milestones:?}"
        );
        let undated = load(&file, "plan.rst", None, PLAN.as_bytes().to_vec()).unwrap();
        assert!(undated.iter().all(|m| m.from.is_none()));
    }

    #[test]
    fn reads_the_brief_s_plan_table() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("plan.rst");
        std::fs::write(&file, PLAN).unwrap();
        let milestones = load(&file, "plan.rst", None, std::fs::read(&file).unwrap()).unwrap();
        let dues: Vec<(String, NaiveDate)> =
            milestones.iter().map(|m| (m.id.clone(), m.due)).collect();
        let day = |m, d| NaiveDate::from_ymd_opt(2016, m, d).unwrap();
        assert_eq!(
            dues,
            [
                ("oppgradere-til-mitaka".to_owned(), day(9, 1)),
                (
                    "felles-keystone-og-full-reinstall-av-bgo-og-osl".to_owned(),
                    day(9, 26)
                ),
                ("produksjonsklar-bgo-og-osl".to_owned(), day(11, 1)),
                ("lansering".to_owned(), day(11, 14)),
            ]
        );
        assert_eq!(milestones[3].line, 11);
    }

    #[test]
    fn a_year_must_come_from_somewhere() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("plan.rst");
        std::fs::write(&file, PLAN.replace(" 2016", "")).unwrap();
        let err = load(&file, "plan.rst", None, std::fs::read(&file).unwrap())
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("plan.rst:8:1: cannot tell the year of `1.sept`"),
            "{err}"
        );
        assert_eq!(
            load(&file, "plan.rst", Some(2017), std::fs::read(&file).unwrap()).unwrap()[0].due,
            NaiveDate::from_ymd_opt(2017, 9, 1).unwrap()
        );
        std::fs::write(
            &file,
            "| Frist | Leveranse |\n|---|---|\n| 1.7.17 | Ny lagring |\n| 15.12.2015 | Pilot |\n",
        )
        .unwrap();
        let md = dir.path().join("plan.md");
        std::fs::rename(&file, &md).unwrap();
        let milestones = load(&md, "plan.md", None, std::fs::read(&md).unwrap()).unwrap();
        assert_eq!(
            milestones[0].due,
            NaiveDate::from_ymd_opt(2017, 7, 1).unwrap()
        );
        assert_eq!(
            milestones[1].due,
            NaiveDate::from_ymd_opt(2015, 12, 15).unwrap()
        );
    }
}
