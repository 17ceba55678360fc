//! `milepost check`: run the rules, render the findings, choose the exit
//! code; or record a baseline.

use std::io::Write;
use std::path::Path;

use milepost::baseline;
use milepost::check::{self, CheckOptions, CheckOutcome};
use milepost::render::{self, OutputFormat, RenderOptions, escape};

use super::args::{CheckArgs, FormatArg};
use super::output::Output;
use super::{EXIT_CANNOT_RUN, EXIT_FINDINGS, EXIT_OK, cannot_run};
use crate::progress::TerminalProgress;

pub fn run(args: CheckArgs, mut out: Output, stderr: &mut dyn Write) -> u8 {
    let cwd = match std::env::current_dir() {
        Ok(cwd) => cwd,
        Err(err) => return cannot_run(stderr, &format!("cannot read the current folder: {err}")),
    };
    let options = CheckOptions {
        cwd,
        paths: args.paths,
        config: args.config,
        severities: args.severity,
        baseline: args.baseline,
        staged: args.staged,
        changed_since: args.changed_since,
        as_of: args.as_of,
        ..CheckOptions::default()
    };
    let progress = TerminalProgress::new(!args.quiet);
    let outcome = match check::run_with_progress(&options, &progress) {
        Ok(outcome) => outcome,
        Err(err) => return cannot_run(stderr, &err.to_string()),
    };
    if let Some(path) = &args.write_baseline {
        return write_baseline(path, &options.cwd, &outcome, stderr);
    }
    let format = match args.format {
        FormatArg::Human => OutputFormat::Human,
        FormatArg::Json => OutputFormat::Json,
        FormatArg::Github => OutputFormat::Github,
        FormatArg::Sarif => OutputFormat::Sarif,
        FormatArg::Junit => OutputFormat::Junit,
    };
    let options = RenderOptions {
        quiet: args.quiet,
        statistics: args.statistics,
    };
    let to_file = out.is_file();
    let result = render::render(&mut out, &outcome, format, options).and_then(|()| out.finish());
    if let Err(err) = result {
        // A closed pipe (`milepost check | head`) is not worth a message.
        if to_file || err.kind() != std::io::ErrorKind::BrokenPipe {
            return cannot_run(stderr, &format!("cannot write the output: {err}"));
        }
    }
    if to_file {
        // Whoever ran it still sees what happened; the file has the rest.
        for failure in &outcome.failures {
            let _ = writeln!(
                stderr,
                "milepost: error: {}",
                escape::terminal_line(&failure.to_string())
            );
        }
        if !args.quiet {
            let _ = writeln!(stderr, "{}", render::summary_line(&outcome.summary()));
        }
    }
    if !outcome.failures.is_empty() {
        return EXIT_CANNOT_RUN;
    }
    let fail_on = args.fail_on.severity();
    let code = if check::fails(&outcome, fail_on) && !args.exit_zero {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    };
    super::discard(outcome);
    code
}

fn write_baseline(path: &Path, cwd: &Path, outcome: &CheckOutcome, stderr: &mut dyn Write) -> u8 {
    if !outcome.failures.is_empty() {
        for failure in &outcome.failures {
            let _ = writeln!(
                stderr,
                "milepost: error: {}",
                escape::terminal(&failure.to_string())
            );
        }
        return cannot_run(
            stderr,
            "some reports could not be read; the baseline was not written",
        );
    }
    // Per report: the findings folded into a later report's are recorded too.
    let all: Vec<_> = outcome
        .diagnostics
        .iter()
        .chain(&outcome.repeated)
        .cloned()
        .collect();
    match baseline::write(&cwd.join(path), &all) {
        Ok(count) => {
            let _ = writeln!(
                stderr,
                "milepost: wrote {count} findings to {}",
                escape::terminal(&path.display().to_string())
            );
            EXIT_OK
        }
        Err(err) => cannot_run(stderr, &err.to_string()),
    }
}
