//! `milepost changelog`: every item reported done, once, grouped by week,
//! month or milestone, as a page for the docs site or as JSON.

use std::io::Write;
use std::path::Path;

use milepost::changelog::render::{ChangelogFormat, render};
use milepost::changelog::{self, Grouping, Range};
use milepost::tracking::{self, ReportView};
use milepost::workspace::Workspace;

use super::args::{ChangelogArgs, ChangelogFormatArg, GroupArg};
use super::output::Output;
use super::{cannot_run, written};

pub fn run(args: ChangelogArgs, mut out: Output, stderr: &mut dyn Write) -> u8 {
    let outcome = match super::documents_run(args.config.clone(), stderr) {
        Ok(outcome) => outcome,
        Err(code) => return code,
    };
    let Ok(cwd) = std::env::current_dir() else {
        return cannot_run(stderr, "cannot read the current folder");
    };
    let workspace = match Workspace::open(&cwd, args.config.as_deref()) {
        Ok(workspace) => workspace,
        Err(err) => return cannot_run(stderr, &err.to_string()),
    };
    let milestones = match milepost::milestones::load_configured(
        &workspace.boundary,
        &workspace.project,
        workspace.config.milestones.as_deref(),
        workspace.config.milestones_year,
        |path| workspace.relative(path),
    ) {
        Ok(milestones) => milestones.unwrap_or_default(),
        Err(err) => return cannot_run(stderr, &err.to_string()),
    };
    let views: Vec<ReportView> = outcome
        .reports
        .iter()
        .filter_map(|report| {
            let info = &report.info;
            // The report's day: its byline date, else the Sunday of its week.
            let date = info.date.or_else(|| {
                milepost::dates::week_bounds(info.year?, info.week?).map(|(_, sunday)| sunday)
            })?;
            Some(ReportView {
                path: &report.path,
                date,
                document: report.document.as_ref()?,
                schema: report.schema.as_deref()?,
            })
        })
        .collect();
    let items = tracking::track(&views);
    let range = Range {
        since: args.since,
        until: args.until,
    };
    let grouping = match args.group {
        GroupArg::Week => Grouping::Week,
        GroupArg::Month => Grouping::Month,
        GroupArg::Milestone => Grouping::Milestone,
    };
    let groups = changelog::group(changelog::entries(&items, &milestones, range), grouping);
    let format = match args.format {
        ChangelogFormatArg::Markdown => ChangelogFormat::Markdown,
        ChangelogFormatArg::Rst => ChangelogFormat::Rst,
        ChangelogFormatArg::Json => ChangelogFormat::Json,
    };
    // Links are relative to where the page goes: the output file's folder,
    // else the current folder.
    let folder = match &args.output_file {
        Some(file) => milepost::boundary::absolute(&cwd, file)
            .parent()
            .map_or_else(|| cwd.clone(), Path::to_path_buf),
        None => cwd.clone(),
    };
    let base = folder
        .canonicalize()
        .ok()
        .and_then(|folder| workspace.relative(&folder))
        .unwrap_or_default();
    let result = render(&mut out, &groups, format, grouping, range, &base);
    drop(items);
    written(result, out, &outcome, stderr)
}
