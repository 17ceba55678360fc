//! The command line: the only module that knows clap. It turns arguments
//! into library options, runs, renders, and returns the exit code.
//!
//! `args` holds the clap types; each command has its own module; `output`
//! knows where the output goes (stdout or `--output-file`), whether it is
//! coloured and how wide it may be.

mod args;
mod changelog;
mod check;
mod config;
mod dashboard;
mod explain;
mod fix;
mod generate;
mod init;
mod listings;
mod new;
mod output;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anstream::{AutoStream, ColorChoice};
use clap::{CommandFactory, Parser};

use milepost::check::{CheckOptions, CheckOutcome};
use milepost::render::escape;

use crate::progress::TerminalProgress;
use args::{Cli, ColorWhen, Command, FormatArg};
use output::Output;

/// Exit codes: the public contract with CI systems and hooks.
const EXIT_OK: u8 = 0;
const EXIT_FINDINGS: u8 = 1;
const EXIT_CANNOT_RUN: u8 = 2;

/// Parses the process arguments and runs.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Command::Check(args) = &cli.command
        && args.statistics
        && !matches!(args.format, FormatArg::Human | FormatArg::Json)
    {
        // A usage error, as clap's own: message, usage, exit 2.
        Cli::command()
            .error(
                clap::error::ErrorKind::ArgumentConflict,
                "--statistics works with --format human and json only",
            )
            .exit();
    }
    let choice = output::color_choice(cli.color);
    let raw = cli.command.writes_escaped_output();
    // A file is read later, in an editor or a pager that may not show
    // colours: it gets them only when asked for by name.
    let file_choice = if cli.color == ColorWhen::Always {
        ColorChoice::Always
    } else {
        ColorChoice::Never
    };
    // stderr stays unlocked: the progress bar writes to it from worker
    // threads while the main thread waits.
    let mut stderr = AutoStream::new(std::io::stderr(), choice);
    let out = match output_file(&cli.command) {
        Some(path) => match Output::file(path, file_choice, raw) {
            Ok(out) => out,
            Err(message) => return ExitCode::from(cannot_run(&mut stderr, &message)),
        },
        None => Output::stdout(choice, raw),
    };
    let code = match cli.command {
        Command::Check(args) if args.fix || args.diff => fix::run(args, out, &mut stderr),
        Command::Check(args) => check::run(args, out, &mut stderr),
        Command::Reports(args) => listings::reports(args, out, &mut stderr),
        Command::Milestones(args) => listings::milestones(args, out, &mut stderr),
        Command::New(args) => new::run(args, out, &mut stderr),
        Command::Changelog(args) => changelog::run(args, out, &mut stderr),
        Command::Dashboard(args) => dashboard::run(args, &mut stderr),
        Command::Explain(args) => explain::run(&args, out, &mut stderr),
        Command::Init(args) => init::run(&args, out, &mut stderr),
        Command::Config(args) => config::run(args, out, &mut stderr),
        Command::Completions(args) => generate::completions(args.shell, out, &mut stderr),
        Command::Man(args) => generate::man(args.out.as_deref(), out, &mut stderr),
    };
    ExitCode::from(code)
}

fn output_file(command: &Command) -> Option<&Path> {
    match command {
        Command::Check(args) => args.output_file.as_deref(),
        Command::Milestones(args) => args.output_file.as_deref(),
        Command::Reports(args) => args.output_file.as_deref(),
        Command::Changelog(args) => args.output_file.as_deref(),
        Command::New(_) | Command::Dashboard(_) => None,
        Command::Explain(_)
        | Command::Completions(_)
        | Command::Man(_)
        | Command::Init(_)
        | Command::Config(_) => None,
    }
}

/// The run `milestones` and `dashboard` share: a check that holds the
/// milestones against the reports, or the exit code when it could not run
/// or found no milestones.
fn milestones_run(
    config: Option<PathBuf>,
    as_of: Option<chrono::NaiveDate>,
    stderr: &mut dyn Write,
) -> Result<CheckOutcome, u8> {
    let outcome = run_for(
        |cwd| CheckOptions {
            cwd,
            config,
            as_of,
            wants_milestones: true,
            ..CheckOptions::default()
        },
        stderr,
    )?;
    if outcome.milestones.is_none() {
        return Err(cannot_run(
            stderr,
            "no milestones: write milestones.yaml, or point `milestones:` in milepost.yaml at a milestones file or a plan document",
        ));
    }
    Ok(outcome)
}

/// Runs the check that `new` and `changelog` build on: they read the
/// reports' documents, which a run otherwise leaves unparsed for reports
/// whose results came from the results cache.
fn documents_run(config: Option<PathBuf>, stderr: &mut dyn Write) -> Result<CheckOutcome, u8> {
    run_for(
        |cwd| CheckOptions {
            cwd,
            config,
            wants_documents: true,
            ..CheckOptions::default()
        },
        stderr,
    )
}

/// Lets go of a run's outcome without freeing it: the process ends right
/// after a command, and freeing every report and finding one by one costs
/// more, on a large tree (tens of milliseconds for 10,000 reports), than
/// the exit, which returns the memory at once. The results cache being
/// written is waited for first.
fn discard(mut outcome: CheckOutcome) {
    outcome.cache_write.wait();
    std::mem::forget(outcome);
}

/// Runs the check that `milestones` and `reports` build on; `Err` holds
/// the exit code when it could not run (the reason is already printed).
fn run_for(
    options: impl FnOnce(PathBuf) -> CheckOptions,
    stderr: &mut dyn Write,
) -> Result<CheckOutcome, u8> {
    let cwd = std::env::current_dir()
        .map_err(|err| cannot_run(stderr, &format!("cannot read the current folder: {err}")))?;
    milepost::check::run_with_progress(&options(cwd), &TerminalProgress::new(true))
        .map_err(|err| cannot_run(stderr, &err.to_string()))
}

/// Finishes the output after a listing was written to it: the exit code is
/// 2 if the output could not be written (a closed pipe is not an error; a
/// file that could not be written is, and is then left as it was) or some
/// report could not be read.
fn written(
    result: std::io::Result<()>,
    out: Output,
    outcome: &CheckOutcome,
    stderr: &mut dyn Write,
) -> u8 {
    match result.and_then(|()| out.finish()) {
        Err(err) if err.kind() != std::io::ErrorKind::BrokenPipe => {
            cannot_run(stderr, &format!("cannot write the output: {err}"))
        }
        _ if !outcome.failures.is_empty() => {
            for failure in &outcome.failures {
                let failure = escape::terminal_line(&failure.to_string());
                let _ = writeln!(stderr, "milepost: error: {failure}");
            }
            EXIT_CANNOT_RUN
        }
        _ => EXIT_OK,
    }
}

/// Prints why milepost cannot run. The message may quote a config file or
/// a path from the repository, and may be laid out on several lines (a
/// regex error draws a caret), so it is escaped line by line.
fn cannot_run(stderr: &mut dyn Write, message: &str) -> u8 {
    // If even stderr is gone there is nobody left to tell.
    let _ = writeln!(
        stderr,
        "milepost: error: {}",
        escape::terminal_lines(message)
    );
    EXIT_CANNOT_RUN
}
