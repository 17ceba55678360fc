//! `milepost milestones`: one row per milestone (id, title, due date,
//! status, items done of total, a progress bar, days left or overdue,
//! staffing), as a terminal table, Markdown or reStructuredText ready to
//! commit into the docs site, or JSON.

use std::io::{self, Write};

use comfy_table::{ContentArrangement, Table, presets};
use serde::Serialize;

use crate::check::MilestonesOutcome;
use crate::dates::ymd;
use crate::milestones::{MilestoneRow, bar};

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

fn days(row: &MilestoneRow) -> String {
    match row.days_left {
        0 => "due today".into(),
        d if d > 0 => format!("{d} left"),
        d => format!("{} overdue", -d),
    }
}

fn staffing(row: &MilestoneRow) -> String {
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

fn cells(row: &MilestoneRow) -> [String; 8] {
    [
        row.id.clone(),
        row.title.clone(),
        row.due.clone(),
        row.status.as_str().to_owned(),
        format!("{}/{}", row.items_done, row.items_total),
        bar(row.items_done, row.items_total, 10),
        days(row),
        staffing(row),
    ]
}

fn item_lines(row: &MilestoneRow) -> Vec<[String; 4]> {
    row.items
        .iter()
        .map(|item| {
            [
                format!("  {}", item.id),
                item.title.clone(),
                match &item.completed_on {
                    Some(day) => format!("{} {day}", item.state),
                    None => item.state.replace('_', " "),
                },
                item.last_report.clone().unwrap_or_else(|| "-".into()),
            ]
        })
        .collect()
}

pub fn render(
    out: &mut dyn Write,
    outcome: &MilestonesOutcome,
    format: MilestonesFormat,
    verbose: bool,
) -> io::Result<()> {
    match format {
        MilestonesFormat::Json => json(out, outcome),
        MilestonesFormat::Table => table(out, outcome, verbose, presets::UTF8_FULL_CONDENSED),
        MilestonesFormat::Markdown => table(out, outcome, verbose, presets::ASCII_MARKDOWN),
        MilestonesFormat::Rst => rst(out, outcome, verbose),
    }
}

fn table(
    out: &mut dyn Write,
    outcome: &MilestonesOutcome,
    verbose: bool,
    preset: &str,
) -> io::Result<()> {
    let markdown = preset == presets::ASCII_MARKDOWN;
    let mut table = Table::new();
    table.load_preset(preset).set_header(HEADER);
    if !markdown {
        table.set_content_arrangement(ContentArrangement::Dynamic);
    }
    for row in &outcome.milestones {
        let mut cells = cells(row);
        if markdown {
            // A `|` in a cell would end it.
            for cell in &mut cells {
                *cell = cell.replace('|', "\\|");
            }
        }
        table.add_row(cells);
    }
    if markdown {
        writeln!(out, "Milestones as of {}:\n", ymd(outcome.as_of))?;
    } else {
        writeln!(out, "milestones as of {}", ymd(outcome.as_of))?;
    }
    writeln!(out, "{table}")?;
    if verbose {
        let mut items = Table::new();
        items
            .load_preset(preset)
            .set_header(["item", "title", "state", "last report"]);
        for row in &outcome.milestones {
            items.add_row([
                row.id.clone(),
                row.title.clone(),
                row.status.as_str().to_owned(),
                String::new(),
            ]);
            for line in item_lines(row) {
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
    let rows: Vec<Vec<String>> = outcome
        .milestones
        .iter()
        .map(|r| cells(r).to_vec())
        .collect();
    grid(out, &HEADER.map(str::to_owned), &rows)?;
    if verbose {
        writeln!(out)?;
        let mut rows = Vec::new();
        for row in &outcome.milestones {
            rows.push(vec![
                row.id.clone(),
                row.title.clone(),
                row.status.as_str().to_owned(),
                String::new(),
            ]);
            rows.extend(item_lines(row).into_iter().map(|l| l.to_vec()));
        }
        grid(
            out,
            &["item", "title", "state", "last report"].map(str::to_owned),
            &rows,
        )?;
    }
    Ok(())
}

fn grid(out: &mut dyn Write, header: &[String], rows: &[Vec<String>]) -> io::Result<()> {
    let width = |i: usize| {
        std::iter::once(&header[i])
            .chain(rows.iter().filter_map(|r| r.get(i)))
            .map(|c| c.chars().count())
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
                " ".repeat(w - cell.chars().count())
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
