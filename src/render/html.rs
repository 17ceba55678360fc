//! `milestones --format html` and `dashboard`: one self-contained page
//! (inline CSS and SVG, no script, no fonts or anything else fetched),
//! and `milestones --format svg-badge`, a badge for a README.
//!
//! The page is the timeline picture ([`super::timeline`], whose geometry
//! is computed and tested there) above the progress table, with the same
//! numbers as `--format human` and `json`, each item linking to the report
//! that last mentioned it.
//!
//! The markup is written by askama templates (`src/render/templates/dashboard.html`,
//! `src/render/templates/badge.svg`): they are compiled with the crate, so a field
//! the template names that does not exist is a build error, not a blank
//! in a page; and every `{{ value }}` is HTML-escaped, with no `|safe`
//! anywhere (a test holds the templates to that). Every heading, item and
//! file name on the page comes from the repository, so this matters.
//! Before escaping, text is shown as on a terminal ([`escape::terminal`]):
//! control characters, which HTML and XML do not allow, are written
//! visibly. The page also carries a Content-Security-Policy that allows no
//! script and no fetch at all, in case anything ever slipped through.

use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};

use askama::Template;

use super::escape;
use super::milestones::{days, staffing};
use super::timeline::{self, Picture};
use crate::check::MilestonesOutcome;
use crate::dates::ymd;
use crate::milestones::{MilestoneRow, Status};

/// The progress table's header: `--format human`'s columns, with the
/// item counts by state spelled out.
const HEADER: [&str; 11] = [
    "id",
    "title",
    "due",
    "status",
    "done",
    "in progress",
    "planned",
    "not started",
    "progress",
    "days",
    "staffing",
];

/// A link to a report.
struct Link {
    href: String,
    text: String,
}

struct ItemCells {
    id: String,
    title: String,
    state: String,
    link: Option<Link>,
}

struct RowCells {
    id: String,
    title: String,
    due: String,
    status: &'static str,
    done: String,
    in_progress: usize,
    planned: usize,
    not_started: usize,
    percent: usize,
    days: String,
    staffing: String,
    items: Vec<ItemCells>,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct Page<'a> {
    version: &'static str,
    as_of: String,
    /// "4 milestones, 4 items, 2 seen in the reports".
    counts: String,
    picture: &'a Picture,
    header: [&'static str; 11],
    rows: Vec<RowCells>,
}

/// Text from the repository, made fit for a page: control characters and
/// bidirectional overrides shown escaped (askama escapes the markup).
fn shown(text: &str) -> String {
    escape::terminal(text).into_owned()
}

/// Where links on a page point, and from where.
#[derive(Clone, Debug)]
pub struct Links {
    /// The folder the page is written to (absolute).
    pub page_dir: PathBuf,
}

/// The report a link points to: the built Sphinx page when the report is
/// under the configured Sphinx source (`make html`'s layout:
/// `SOURCE/_build/html/NAME.html`), else the source file.
fn target(outcome: &MilestonesOutcome, report: &str) -> PathBuf {
    if let Some(source) = &outcome.sphinx_source {
        let source = source.to_string_lossy().replace('\\', "/");
        let source = source.trim_end_matches('/');
        if let Some(rest) = report.strip_prefix(&format!("{source}/")) {
            return outcome
                .root
                .join(source)
                .join("_build/html")
                .join(Path::new(rest).with_extension("html"));
        }
    }
    outcome.root.join(report)
}

/// `to` relative to the folder `from`, both absolute, `/`-separated;
/// `None` when they share no root (another drive).
pub fn relative_to(from: &Path, to: &Path) -> Option<String> {
    let from: Vec<Component> = from.components().collect();
    let to: Vec<Component> = to.components().collect();
    if from.first() != to.first() {
        return None;
    }
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_owned(); from.len() - common];
    parts.extend(
        to[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    Some(parts.join("/"))
}

fn link(outcome: &MilestonesOutcome, links: &Links, report: &str) -> Link {
    let target = target(outcome, report);
    let href = match relative_to(&links.page_dir, &target) {
        Some(relative) => escape::uri_path(&relative),
        // No relative way there: the path as a file URI.
        None => format!(
            "file:///{}",
            escape::uri_path(
                target
                    .to_string_lossy()
                    .replace('\\', "/")
                    .trim_start_matches('/')
            )
        ),
    };
    Link {
        href,
        text: shown(report),
    }
}

fn row_cells(outcome: &MilestonesOutcome, links: &Links, row: &MilestoneRow) -> RowCells {
    RowCells {
        id: shown(&row.id),
        title: shown(&row.title),
        due: row.due.clone(),
        status: row.status.as_str(),
        done: format!("{}/{}", row.items_done, row.items_total),
        in_progress: row.items_in_progress,
        planned: row.items_planned,
        not_started: row.items_not_started,
        percent: (row.items_done * 100)
            .checked_div(row.items_total)
            .unwrap_or(0),
        days: days(row),
        staffing: staffing(row),
        items: row
            .items
            .iter()
            .map(|item| ItemCells {
                id: shown(&item.id),
                title: shown(&item.title),
                state: match &item.completed_on {
                    Some(day) => format!("{} {day}", item.state),
                    None => item.state.replace('_', " "),
                },
                link: item
                    .last_report
                    .as_deref()
                    .map(|report| link(outcome, links, report)),
            })
            .collect(),
    }
}

/// Repository text in the picture, shown as on a terminal.
fn clean_picture(picture: &mut Picture) {
    for row in &mut picture.rows {
        row.label = shown(&row.label);
        row.full_label = shown(&row.full_label);
        if let Some(bar) = &mut row.bar {
            bar.item = shown(&bar.item);
            for segment in &mut bar.segments {
                segment.title = shown(&segment.title);
            }
            if let Some(done) = &mut bar.done {
                done.title = shown(&done.title);
            }
        }
        if let Some(diamond) = &mut row.diamond {
            diamond.milestone = shown(&diamond.milestone);
            diamond.title = shown(&diamond.title);
        }
    }
}

fn count(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// The page.
pub fn page(out: &mut dyn Write, outcome: &MilestonesOutcome, links: &Links) -> io::Result<()> {
    let mut picture = timeline::picture(outcome);
    clean_picture(&mut picture);
    let page = Page {
        version: env!("CARGO_PKG_VERSION"),
        as_of: ymd(outcome.as_of),
        counts: format!(
            "{}, {}, {} seen in the reports",
            count(outcome.milestones.len(), "milestone"),
            count(
                outcome.milestones.iter().map(|m| m.items.len()).sum(),
                "item"
            ),
            picture.rows.iter().filter(|r| r.bar.is_some()).count()
        ),
        picture: &picture,
        header: HEADER,
        rows: outcome
            .milestones
            .iter()
            .map(|row| row_cells(outcome, links, row))
            .collect(),
    };
    let html = page.render().map_err(io::Error::other)?;
    out.write_all(html.as_bytes())?;
    writeln!(out)
}

#[derive(Template)]
#[template(path = "badge.svg")]
struct Badge {
    width: f64,
    left: f64,
    right: f64,
    label: &'static str,
    message: String,
    colour: &'static str,
    text_colour: &'static str,
}

/// The badge's font (Verdana 11 px) is wider than the page's.
const BADGE_CHAR: f64 = 7.0;

/// The next milestone: the first by due date that is not done; when all
/// are done, the last one.
fn next(outcome: &MilestonesOutcome) -> Option<&MilestoneRow> {
    let mut rows: Vec<&MilestoneRow> = outcome.milestones.iter().collect();
    rows.sort_by(|a, b| a.due.cmp(&b.due));
    rows.iter()
        .find(|r| !matches!(r.status, Status::Done | Status::DoneLate))
        .or(rows.last())
        .copied()
}

/// The badge for a README: the next milestone, its state and due date.
pub fn badge(out: &mut dyn Write, outcome: &MilestonesOutcome) -> io::Result<()> {
    let (message, colour, text_colour) = match next(outcome) {
        None => ("none defined".to_owned(), "#8c8c8c", "#ffffff"),
        Some(row) => {
            let status = match row.status {
                Status::Overdue => format!("overdue {} d", -row.days_left),
                Status::DoneLate => "done late".to_owned(),
                other => other.as_str().replace('-', " "),
            };
            let title = crate::text::ellipsize(&shown(&row.title), 40).into_owned();
            let (colour, text) = match row.status {
                // The same colour-blind-safe palette as the page; the
                // status is always written too.
                Status::Done => ("#009e73", "#ffffff"),
                Status::DoneLate => ("#e69f00", "#000000"),
                Status::OnTrack => ("#0072b2", "#ffffff"),
                Status::AtRisk => ("#cc79a7", "#000000"),
                Status::Overdue => ("#d55e00", "#ffffff"),
                Status::NotStarted => ("#8c8c8c", "#ffffff"),
            };
            (format!("{title}: {status}, due {}", row.due), colour, text)
        }
    };
    let label = "next milestone";
    let width = |text: &str| (text.chars().count() as f64 * BADGE_CHAR + 12.0).round();
    let (left, right) = (width(label), width(&message));
    let badge = Badge {
        width: left + right,
        left,
        right,
        label,
        message,
        colour,
        text_colour,
    };
    let svg = badge.render().map_err(io::Error::other)?;
    out.write_all(svg.as_bytes())?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_links_climb_out_of_the_page_folder() {
        let page = Path::new("/repo/site/out");
        assert_eq!(
            relative_to(page, Path::new("/repo/docs/status/uke 38.rst")).as_deref(),
            Some("../../docs/status/uke 38.rst")
        );
        assert_eq!(
            relative_to(Path::new("/repo"), Path::new("/repo/a.rst")).as_deref(),
            Some("a.rst")
        );
    }

    #[test]
    fn reports_under_the_sphinx_source_link_to_the_built_page() {
        let outcome = MilestonesOutcome {
            as_of: chrono::NaiveDate::from_ymd_opt(2016, 10, 1).unwrap(),
            milestones: Vec::new(),
            timelines: Vec::new(),
            root: PathBuf::from("/repo"),
            sphinx_source: Some(PathBuf::from("docs")),
        };
        assert_eq!(
            target(&outcome, "docs/status/2016_uke_38.rst"),
            Path::new("/repo/docs/_build/html/status/2016_uke_38.html")
        );
        // Only the file name's extension is replaced.
        assert_eq!(
            target(&outcome, "docs/status.d/uke_38.md"),
            Path::new("/repo/docs/_build/html/status.d/uke_38.html")
        );
        assert_eq!(
            target(&outcome, "other/2016_uke_38.rst"),
            Path::new("/repo/other/2016_uke_38.rst")
        );
        let links = Links {
            page_dir: PathBuf::from("/repo"),
        };
        let link = link(&outcome, &links, "docs/status/a \"b\"#?.rst");
        assert_eq!(link.href, "docs/_build/html/status/a%20%22b%22%23%3F.html");
    }

    #[test]
    fn templates_never_turn_escaping_off() {
        for template in [
            include_str!("templates/dashboard.html"),
            include_str!("templates/badge.svg"),
        ] {
            assert!(!template.contains("|safe"), "a template uses |safe");
            assert!(!template.contains("escape"), "a template changes escaping");
            assert!(!template.contains("<script"), "a template holds a script");
        }
    }
}
