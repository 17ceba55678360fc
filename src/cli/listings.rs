//! `milepost milestones` and `milepost reports`: listings built on a check
//! run, as terminal tables or for the docs and scripts.

use std::io::Write;

use milepost::check::{self, CheckOptions, CheckOutcome};
use milepost::diagnostic::Severity;
use milepost::render::milestones::MilestonesFormat;
use milepost::render::{self, OutputFormat, RenderOptions, escape};

use super::args::{MilestonesArgs, MilestonesFormatArg, ReportsArgs, TableFormat};
use super::output::Output;
use super::{EXIT_FINDINGS, EXIT_OK, run_for, written};

pub fn milestones(mut args: MilestonesArgs, out: Output, stderr: &mut dyn Write) -> u8 {
    let outcome = match super::milestones_run(args.config.take(), args.as_of, stderr) {
        Ok(outcome) => outcome,
        Err(code) => return code,
    };
    let code = show_milestones(args, out, &outcome, stderr);
    super::discard(outcome);
    code
}

fn show_milestones(
    args: MilestonesArgs,
    mut out: Output,
    outcome: &CheckOutcome,
    stderr: &mut dyn Write,
) -> u8 {
    let Some(milestones) = &outcome.milestones else {
        return super::EXIT_CANNOT_RUN;
    };
    if let Some(found) = &outcome.milestones_found {
        let _ = writeln!(
            stderr,
            "note: no `milestones:` in milepost.yaml: milestones from {}",
            escape::terminal_line(found)
        );
    }
    let format = match args.format {
        MilestonesFormatArg::Human => MilestonesFormat::Table,
        MilestonesFormatArg::Markdown => MilestonesFormat::Markdown,
        MilestonesFormatArg::Rst => MilestonesFormat::Rst,
        MilestonesFormatArg::Json => MilestonesFormat::Json,
        MilestonesFormatArg::Html => {
            let result =
                super::dashboard::page_dir(args.output_file.as_deref()).and_then(|page_dir| {
                    render::html::page(&mut out, milestones, &render::html::Links { page_dir })
                });
            return finish_milestones(result, out, outcome, args.fail_on, stderr);
        }
        MilestonesFormatArg::SvgBadge => {
            let result = render::html::badge(&mut out, milestones);
            return finish_milestones(result, out, outcome, args.fail_on, stderr);
        }
    };
    let style = out.table_style();
    let result = render::milestones::render(&mut out, milestones, format, args.verbose, style);
    finish_milestones(result, out, outcome, args.fail_on, stderr)
}

/// The exit code once the listing is written: `--fail-on` judges the
/// milestone findings.
fn finish_milestones(
    result: std::io::Result<()>,
    out: Output,
    outcome: &CheckOutcome,
    fail_on: Option<super::args::LevelArg>,
    stderr: &mut dyn Write,
) -> u8 {
    let code = written(result, out, outcome, stderr);
    match fail_on {
        Some(level) if code == EXIT_OK => milestone_gate(outcome, level.severity(), stderr),
        _ => code,
    }
}

/// `milestones --fail-on`: 1 when a milestone finding reaches `fail_on`,
/// with those findings on stderr (stdout holds the table).
fn milestone_gate(outcome: &CheckOutcome, fail_on: Severity, stderr: &mut dyn Write) -> u8 {
    let failing = CheckOutcome {
        diagnostics: check::milestone_findings(outcome)
            .filter(|d| d.severity >= fail_on)
            .cloned()
            .collect(),
        ..CheckOutcome::default()
    };
    if failing.diagnostics.is_empty() {
        return EXIT_OK;
    }
    let quiet = RenderOptions {
        quiet: true,
        ..RenderOptions::default()
    };
    let _ = render::render(stderr, &failing, OutputFormat::Human, quiet);
    EXIT_FINDINGS
}

pub fn reports(args: ReportsArgs, mut out: Output, stderr: &mut dyn Write) -> u8 {
    let outcome = match run_for(
        |cwd| CheckOptions {
            cwd,
            paths: args.paths,
            config: args.config,
            wants_history: true,
            ignores_milestones: true,
            counts_only: true,
            ..CheckOptions::default()
        },
        stderr,
    ) {
        Ok(outcome) => outcome,
        Err(code) => return code,
    };
    for note in &outcome.notes {
        let message = escape::terminal(&note.message);
        match &note.path {
            Some(path) => {
                let _ = writeln!(stderr, "note: {}: {message}", escape::terminal(path));
            }
            None => {
                let _ = writeln!(stderr, "note: {message}");
            }
        }
    }
    let style = out.table_style();
    let result = match args.format {
        TableFormat::Human => render::reports::table(&mut out, &outcome, style),
        TableFormat::Json => render::reports::json(&mut out, &outcome),
    };
    let code = written(result, out, &outcome, stderr);
    super::discard(outcome);
    code
}
