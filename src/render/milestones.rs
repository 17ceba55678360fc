//! `milepost milestones`: one row per milestone (id, title, due date,
//! status, items done of total, a progress bar, days left or overdue,
//! staffing), as a terminal table, Markdown or reStructuredText ready to
//! commit into the docs site, or JSON.
//!
//! Ids, titles and report paths come from the repository, so each format
//! escapes them for its reader ([`escape`]): the terminal table shows
//! control characters escaped, the Markdown and reStructuredText tables
//! escape whatever would end a cell or turn into a link, a tag or a
//! directive. The other cells are milepost's own text.

use std::io::{self, Write};

use comfy_table::{Table, presets};
use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use super::escape;
use super::table::{Fit, Styled, TableStyle, Tone, fitted, fitted_sparing, left_out_note};
use crate::check::MilestonesOutcome;
use crate::dates::ymd;
use crate::milestones::plan::slug;
use crate::milestones::{MilestoneRow, Status, bar};

/// The output formats of `milepost milestones`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MilestonesFormat {
    Table,
    Markdown,
    Rst,
    Json,
}

const HEADER: [&str; 8] = [
    "id", "title", "due", "status", "done", "progress", "days", "staffing",
];

/// What gives way when the terminal table is narrowed: the title, the
/// days (`20` over `overdue`) and the staffing text wrap between words;
/// ids, dates, statuses, counts and the bar stay whole.
const FITS: [Fit; 8] = [
    Fit::Keep,
    Fit::Words,
    Fit::Keep,
    Fit::Keep,
    Fit::Keep,
    Fit::Keep,
    Fit::Words,
    Fit::Words,
];

/// The columns a narrow terminal can spare, in the order they go: the bar
/// repeats `done`, and the id is for configs (the title names the
/// milestone for people).
const SPARE: [usize; 2] = [5, 0];

const ITEM_HEADER: [&str; 4] = ["item", "title", "state", "last report"];
const ITEM_FITS: [Fit; 4] = [Fit::Keep, Fit::Words, Fit::Words, Fit::Path];

/// The colour of a status in the terminal table: what needs attention in
/// red and yellow, what is finished in green.
fn tone(status: Status) -> Option<Tone> {
    match status {
        Status::Overdue => Some(Tone::Bad),
        Status::AtRisk => Some(Tone::Warn),
        Status::DoneLate => Some(Tone::Note),
        Status::Done => Some(Tone::Good),
        Status::OnTrack => Some(Tone::Calm),
        Status::NotStarted => None,
    }
}

/// A shortfall of staff is worth the same yellow as a milestone at risk.
fn staffing_tone(row: &MilestoneRow) -> Option<Tone> {
    match (&row.staffing, row.staffing_reported) {
        (Some(need), Some(have)) if have < need.fte => Some(Tone::Warn),
        _ => None,
    }
}

pub(super) fn days(row: &MilestoneRow) -> String {
    // A finished milestone is judged by when it finished, not by today.
    match row.days_late {
        Some(late) if late <= 0 => return "on time".into(),
        Some(1) => return "1 day late".into(),
        Some(late) => return format!("{late} days late"),
        None => {}
    }
    match row.days_left {
        0 => "due today".into(),
        d if d > 0 => format!("{d} left"),
        d => format!("{} overdue", -d),
    }
}

pub(super) fn staffing(row: &MilestoneRow) -> String {
    let Some(need) = &row.staffing else {
        return String::new();
    };
    let until = need
        .until
        .map_or_else(String::new, |until| format!(" until {}", ymd(until)));
    match row.staffing_reported {
        Some(have) if have < need.fte => format!(
            "needs {:.1}{until}, has {have:.1}: short {:.1}",
            need.fte,
            need.fte - have
        ),
        Some(have) => format!("needs {:.1}{until}, has {have:.1}", need.fte),
        None => format!("needs {:.1} FTE{until}, none reported", need.fte),
    }
}

/// How a format escapes text from the repository in a cell.
type Escape = fn(&str) -> String;

/// Which id columns the tables show. A milestone read from a plan
/// document's table gets its title's slug as its id, and its one item the
/// same: a column that only spells the title again in lower case is left
/// out (JSON keeps the ids). An id someone chose is always shown.
#[derive(Clone, Copy)]
struct Ids {
    milestones: bool,
    items: bool,
}

impl Ids {
    fn of(outcome: &MilestonesOutcome) -> Ids {
        let chosen = |id: &str, title: &str| id != slug(title);
        let milestones = outcome
            .milestones
            .iter()
            .any(|row| chosen(&row.id, &row.title));
        let items = milestones
            || outcome
                .milestones
                .iter()
                .flat_map(|row| &row.items)
                .any(|item| chosen(&item.id, &item.title));
        Ids { milestones, items }
    }
}

/// `cells` without the first (the id) unless `keep`.
fn ids_kept<T>(mut cells: Vec<T>, keep: bool) -> Vec<T> {
    if !keep && !cells.is_empty() {
        cells.remove(0);
    }
    cells
}

fn terminal_cell(text: &str) -> String {
    escape::terminal(text).into_owned()
}

fn cells(row: &MilestoneRow, esc: Escape) -> [String; 8] {
    [
        esc(&row.id),
        esc(&row.title),
        row.due.clone(),
        row.status.as_str().to_owned(),
        format!("{}/{}", row.items_done, row.items_total),
        progress(row),
        days(row),
        staffing(row),
    ]
}

/// The progress bar, or, when no report mentions any of the milestone's
/// items, that: a plan row whose words the reports never use is not "not
/// started", it is unmatched (give it keywords).
fn progress(row: &MilestoneRow) -> String {
    if row.items_total > 0 && row.items.iter().all(|i| i.last_report.is_none()) {
        "no report".to_owned()
    } else {
        bar(row.items_done, row.items_total, 10)
    }
}

/// A milestone's row in the `--verbose` items table. Its items' rows are
/// marked `↳`: their indentation does not survive Markdown or
/// reStructuredText rendering, and emphasis would need `*`, which cells
/// escape.
fn milestone_line(row: &MilestoneRow, esc: Escape, ids: bool) -> Vec<String> {
    let cells = vec![
        esc(&row.id),
        esc(&row.title),
        row.status.as_str().to_owned(),
        String::new(),
    ];
    ids_kept(cells, ids)
}

/// An item's rows in the `--verbose` items table; without the id column
/// (`ids`: false) the `↳` mark goes on the title.
fn item_lines(row: &MilestoneRow, esc: Escape, ids: bool) -> Vec<Vec<String>> {
    row.items
        .iter()
        .map(|item| {
            let title = if ids {
                esc(&item.title)
            } else {
                format!("↳ {}", esc(&item.title))
            };
            let cells = vec![
                format!("↳ {}", esc(&item.id)),
                title,
                match &item.completed_on {
                    Some(day) => format!("{} {day}", item.state),
                    None => item.state.replace('_', " "),
                },
                item.last_report.as_deref().map_or_else(|| "-".into(), esc),
            ];
            ids_kept(cells, ids)
        })
        .collect()
}

pub fn render(
    out: &mut dyn Write,
    outcome: &MilestonesOutcome,
    format: MilestonesFormat,
    verbose: bool,
    style: TableStyle,
) -> io::Result<()> {
    match format {
        MilestonesFormat::Json => json(out, outcome),
        MilestonesFormat::Table => terminal(out, outcome, verbose, style),
        MilestonesFormat::Markdown => markdown(out, outcome, verbose),
        MilestonesFormat::Rst => rst(out, outcome, verbose),
    }
}

/// The terminal table, fitted to `style.width` with statuses coloured
/// when `style.color`.
fn terminal(
    out: &mut dyn Write,
    outcome: &MilestonesOutcome,
    verbose: bool,
    style: TableStyle,
) -> io::Result<()> {
    let ids = Ids::of(outcome);
    let rows = outcome
        .milestones
        .iter()
        .map(|row| {
            let mut cells: Vec<Styled> = cells(row, terminal_cell)
                .into_iter()
                .map(Styled::from)
                .collect();
            cells[3].tone = tone(row.status);
            cells[7].tone = staffing_tone(row);
            ids_kept(cells, ids.milestones)
        })
        .collect();
    writeln!(out, "milestones as of {}", ymd(outcome.as_of))?;
    let header = ids_kept(HEADER.to_vec(), ids.milestones);
    let fits = ids_kept(FITS.to_vec(), ids.milestones);
    // Without the id column the bar is one column further left.
    let spare: Vec<usize> = if ids.milestones {
        SPARE.to_vec()
    } else {
        SPARE.iter().filter(|&&i| i > 0).map(|i| i - 1).collect()
    };
    let (table, left_out) = fitted_sparing(&header, rows, &fits, style, &spare);
    writeln!(out, "{table}")?;
    if let Some(note) = left_out_note(&left_out, style.width) {
        writeln!(out, "{note}")?;
    }
    if verbose {
        let mut rows = Vec::new();
        for row in &outcome.milestones {
            let mut line: Vec<Styled> = milestone_line(row, terminal_cell, ids.items)
                .into_iter()
                .map(Styled::from)
                .collect();
            let status = if ids.items { 2 } else { 1 };
            line[status].tone = tone(row.status);
            rows.push(line);
            rows.extend(
                item_lines(row, terminal_cell, ids.items)
                    .into_iter()
                    .map(|line| line.into_iter().map(Styled::from).collect()),
            );
        }
        writeln!(out)?;
        let header = ids_kept(ITEM_HEADER.to_vec(), ids.items);
        let fits = ids_kept(ITEM_FITS.to_vec(), ids.items);
        writeln!(out, "{}", fitted(&header, rows, &fits, style))?;
    }
    Ok(())
}

/// A GitHub-flavoured Markdown table for the docs site: never coloured,
/// never wrapped (a cell's line break would end the row).
fn markdown(out: &mut dyn Write, outcome: &MilestonesOutcome, verbose: bool) -> io::Result<()> {
    let esc: Escape = escape::markdown_cell;
    let ids = Ids::of(outcome);
    let mut table = Table::new();
    table
        .load_preset(presets::ASCII_MARKDOWN)
        .force_no_tty()
        .set_header(ids_kept(HEADER.to_vec(), ids.milestones));
    for row in &outcome.milestones {
        table.add_row(ids_kept(cells(row, esc).to_vec(), ids.milestones));
    }
    writeln!(out, "Milestones as of {}:\n", ymd(outcome.as_of))?;
    writeln!(out, "{table}")?;
    if verbose {
        let mut items = Table::new();
        items
            .load_preset(presets::ASCII_MARKDOWN)
            .force_no_tty()
            .set_header(ids_kept(ITEM_HEADER.to_vec(), ids.items));
        for row in &outcome.milestones {
            items.add_row(milestone_line(row, esc, ids.items));
            for line in item_lines(row, esc, ids.items) {
                items.add_row(line);
            }
        }
        writeln!(out)?;
        writeln!(out, "{items}")?;
    }
    Ok(())
}

/// A reStructuredText grid table, which docutils and Sphinx render as is.
fn rst(out: &mut dyn Write, outcome: &MilestonesOutcome, verbose: bool) -> io::Result<()> {
    writeln!(out, "Milestones as of {}:\n", ymd(outcome.as_of))?;
    let ids = Ids::of(outcome);
    let rows: Vec<Vec<String>> = outcome
        .milestones
        .iter()
        .map(|r| ids_kept(cells(r, escape::rst_cell).to_vec(), ids.milestones))
        .collect();
    let header = ids_kept(HEADER.map(str::to_owned).to_vec(), ids.milestones);
    grid(out, &header, &rows)?;
    if verbose {
        writeln!(out)?;
        let mut rows = Vec::new();
        for row in &outcome.milestones {
            rows.push(milestone_line(row, escape::rst_cell, ids.items));
            rows.extend(item_lines(row, escape::rst_cell, ids.items));
        }
        let header = ids_kept(ITEM_HEADER.map(str::to_owned).to_vec(), ids.items);
        grid(out, &header, &rows)?;
    }
    Ok(())
}

/// Cells are padded to the display width that docutils measures (a wide
/// character counts two columns), or the grid would not parse.
fn grid(out: &mut dyn Write, header: &[String], rows: &[Vec<String>]) -> io::Result<()> {
    let width = |i: usize| {
        std::iter::once(&header[i])
            .chain(rows.iter().filter_map(|r| r.get(i)))
            .map(|c| c.width())
            .max()
            .unwrap_or(0)
    };
    let widths: Vec<usize> = (0..header.len()).map(width).collect();
    let border = |fill: char| {
        let mut line = String::from("+");
        for w in &widths {
            line.push_str(&fill.to_string().repeat(w + 2));
            line.push('+');
        }
        line
    };
    let row_line = |cells: &[String]| {
        let mut line = String::from("|");
        for (i, w) in widths.iter().enumerate() {
            let cell = cells.get(i).map_or("", String::as_str);
            line.push_str(&format!(
                " {cell}{} |",
                " ".repeat(w.saturating_sub(cell.width()))
            ));
        }
        line
    };
    writeln!(out, "{}", border('-'))?;
    writeln!(out, "{}", row_line(header))?;
    writeln!(out, "{}", border('='))?;
    for row in rows {
        writeln!(out, "{}", row_line(row))?;
        writeln!(out, "{}", border('-'))?;
    }
    Ok(())
}

#[derive(Serialize)]
struct JsonOut<'a> {
    as_of: String,
    milestones: &'a [MilestoneRow],
}

fn json(out: &mut dyn Write, outcome: &MilestonesOutcome) -> io::Result<()> {
    let output = JsonOut {
        as_of: ymd(outcome.as_of),
        milestones: &outcome.milestones,
    };
    serde_json::to_writer_pretty(&mut *out, &output).map_err(super::json_io_error)?;
    writeln!(out)
}
