//! The command line: the only module that knows clap. It turns arguments
//! into library options, runs, renders, and returns the exit code.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anstream::{AutoStream, ColorChoice};
use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};
use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};

use milepost::baseline;
use milepost::check::{self, CheckOptions, CheckOutcome};
use milepost::config::Level;
use milepost::diagnostic::Severity;
use milepost::render::milestones::MilestonesFormat;
use milepost::render::{self, HumanOptions, OutputFormat, escape};
use milepost::rules::Rule;

use crate::progress::TerminalProgress;

/// Exit codes: the public contract with CI systems and hooks.
const EXIT_OK: u8 = 0;
const EXIT_FINDINGS: u8 = 1;
const EXIT_CANNOT_RUN: u8 = 2;

#[derive(Debug, Parser)]
#[command(
    name = "milepost",
    version,
    about = "Keeps a team's weekly status reports honest."
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
    /// When to use colours (`auto` honours NO_COLOR and is off when output is not a terminal).
    #[arg(long, global = true, value_enum, default_value_t = ColorWhen::Auto)]
    color: ColorWhen,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check reports against their schema.
    Check(CheckArgs),
    /// The milestones: status, progress and days left, as of today or --as-of.
    Milestones(MilestonesArgs),
    /// List the reports: period, byline, first committed, last changed, findings.
    Reports(ReportsArgs),
    /// Explain a rule, or list them all.
    Explain {
        /// A rule name (`unknown-section`) or code (`S006`).
        rule: Option<String>,
    },
}

#[derive(Debug, clap::Args)]
struct MilestonesArgs {
    /// Use this config file instead of discovering milepost.yaml.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Judge as of this day (YYYY-MM-DD or any date milepost reads); only reports dated on or before it count.
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    as_of: Option<NaiveDate>,
    /// Output format; markdown and rst are ready to commit into the docs.
    #[arg(long, value_enum, default_value_t = MilestonesFormatArg::Table)]
    format: MilestonesFormatArg,
    /// List each milestone's items with their state and the report that last mentioned them.
    #[arg(long, short)]
    verbose: bool,
    /// Exit with 1 when a milestone finding (overdue, at risk, short of staff) is at or above
    /// this level; the findings are printed to stderr. For a scheduled CI job: commits and pull
    /// requests are not failed by milestones.
    #[arg(long, value_enum, value_name = "LEVEL")]
    fail_on: Option<LevelArg>,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum MilestonesFormatArg {
    Table,
    Markdown,
    Rst,
    Json,
}

fn parse_day(text: &str) -> Result<NaiveDate, String> {
    milepost::dates::parse_date(text, None).map_err(|err| format!("`{text}`: {err}"))
}

#[derive(Debug, clap::Args)]
struct ReportsArgs {
    /// Files or folders (default: every report in the repository).
    paths: Vec<PathBuf>,
    /// Use this config file instead of discovering milepost.yaml.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TableFormat::Table)]
    format: TableFormat,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum TableFormat {
    Table,
    Json,
}

#[derive(Debug, clap::Args)]
struct CheckArgs {
    /// Files or folders to check (default: every report in the repository).
    paths: Vec<PathBuf>,
    /// Use this config file instead of discovering milepost.yaml.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Human)]
    format: FormatArg,
    /// Exit with 1 when a finding is at or above this level.
    #[arg(long, value_enum, default_value_t = LevelArg::Error, value_name = "LEVEL")]
    fail_on: LevelArg,
    /// Set a rule's level over the config: `RULE=error|warning|info|off` (repeatable).
    #[arg(long, value_name = "RULE=LEVEL", value_parser = parse_severity)]
    severity: Vec<(Rule, Level)>,
    /// Print only one line per finding.
    #[arg(long, short)]
    quiet: bool,
    /// Judge tracking and milestones as of this day (default today); only reports dated on or before it count.
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    as_of: Option<NaiveDate>,
    /// Check the reports staged for commit, as staged (not as in the working tree).
    #[arg(long, conflicts_with = "changed_since")]
    staged: bool,
    /// Check the reports added, modified or renamed since the merge base of REF and HEAD.
    #[arg(long, value_name = "REF")]
    changed_since: Option<String>,
    /// Exit with 0 even when there are findings (but 2 when milepost cannot run).
    #[arg(long)]
    exit_zero: bool,
    /// Hide the findings recorded in this baseline file; report only new ones.
    #[arg(long, value_name = "FILE", conflicts_with = "write_baseline")]
    baseline: Option<PathBuf>,
    /// Record the current findings in this baseline file (atomically; an
    /// existing file is replaced only if it is a milepost baseline), then exit 0.
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum FormatArg {
    /// For people: findings with snippets and hints.
    Human,
    /// For scripts: findings, summary, notes and failures.
    Json,
    /// GitHub Actions annotations, then a plain listing.
    Github,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// JUnit XML, for CI test reports.
    Junit,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum LevelArg {
    Error,
    Warning,
    Info,
}

impl LevelArg {
    fn severity(self) -> Severity {
        match self {
            LevelArg::Error => Severity::Error,
            LevelArg::Warning => Severity::Warning,
            LevelArg::Info => Severity::Info,
        }
    }
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum ColorWhen {
    Auto,
    Always,
    Never,
}

fn parse_severity(text: &str) -> Result<(Rule, Level), String> {
    let (rule, level) = text
        .split_once('=')
        .ok_or_else(|| format!("expected RULE=LEVEL, got `{text}`"))?;
    let rule: Rule = rule.parse()?;
    let level = Level::parse(level)
        .ok_or_else(|| format!("unknown level `{level}`: expected error, warning, info or off"))?;
    Ok((rule, level))
}

impl Command {
    /// Whether the output is JSON or SARIF, whose serialiser escapes every
    /// control character (an escape code in a report reaches the output as
    /// `\u001b`).
    fn writes_escaped_output(&self) -> bool {
        match self {
            Command::Check(args) => matches!(args.format, FormatArg::Json | FormatArg::Sarif),
            Command::Milestones(args) => matches!(args.format, MilestonesFormatArg::Json),
            Command::Reports(args) => matches!(args.format, TableFormat::Json),
            Command::Explain { .. } => false,
        }
    }
}

/// Parses the process arguments and runs.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let choice = match cli.color {
        ColorWhen::Auto => ColorChoice::Auto,
        ColorWhen::Always => ColorChoice::Always,
        ColorWhen::Never => ColorChoice::Never,
    };
    // Buffered in front of the colour adapter, which scans every write for
    // escape codes: serialisers write in small pieces, and thousands of
    // findings made the scanning a tenth of a whole check. Every command
    // flushes it and reports a failed write. JSON and SARIF escape every
    // control character, so for them there is nothing to strip and the
    // adapter passes the bytes through.
    let stdout_choice = if cli.command.writes_escaped_output() {
        ColorChoice::AlwaysAnsi
    } else {
        choice
    };
    let mut stdout = BufWriter::with_capacity(
        1 << 16,
        AutoStream::new(std::io::stdout().lock(), stdout_choice),
    );
    // stderr stays unlocked: the progress bar writes to it from worker
    // threads while the main thread waits.
    let mut stderr = AutoStream::new(std::io::stderr(), choice);
    let code = match cli.command {
        Command::Check(args) => run_check(args, &mut stdout, &mut stderr),
        Command::Reports(args) => reports(args, &mut stdout, &mut stderr),
        Command::Milestones(args) => milestones(args, &mut stdout, &mut stderr),
        Command::Explain { rule } => explain(rule.as_deref(), &mut stdout, &mut stderr),
    };
    ExitCode::from(code)
}

fn run_check(args: CheckArgs, stdout: &mut dyn Write, stderr: &mut dyn Write) -> u8 {
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
    let human = HumanOptions { quiet: args.quiet };
    if let Err(err) = render::render(stdout, &outcome, format, human).and_then(|()| stdout.flush())
    {
        // A closed pipe (`milepost check | head`) is not worth a message.
        if err.kind() != std::io::ErrorKind::BrokenPipe {
            return cannot_run(stderr, &format!("cannot write the output: {err}"));
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
    // Freeing every parsed report one by one costs more, on a large tree,
    // than the exit that follows, which returns the memory at once.
    std::mem::forget(outcome);
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
    match baseline::write(&cwd.join(path), &outcome.diagnostics) {
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

/// Runs the check that `milestones` and `reports` build on; `Err` holds
/// the exit code when it could not run (the reason is already printed).
fn run_for(
    options: impl FnOnce(PathBuf) -> CheckOptions,
    stderr: &mut dyn Write,
) -> Result<CheckOutcome, u8> {
    let cwd = std::env::current_dir()
        .map_err(|err| cannot_run(stderr, &format!("cannot read the current folder: {err}")))?;
    check::run_with_progress(&options(cwd), &TerminalProgress::new(true))
        .map_err(|err| cannot_run(stderr, &err.to_string()))
}

/// The exit code after writing a listing: 2 if the output could not be
/// written (a closed pipe is not an error) or some report could not be read.
fn written(result: std::io::Result<()>, outcome: &CheckOutcome, stderr: &mut dyn Write) -> u8 {
    match result {
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

fn milestones(args: MilestonesArgs, stdout: &mut dyn Write, stderr: &mut dyn Write) -> u8 {
    let outcome = match run_for(
        |cwd| CheckOptions {
            cwd,
            config: args.config,
            as_of: args.as_of,
            wants_milestones: true,
            ..CheckOptions::default()
        },
        stderr,
    ) {
        Ok(outcome) => outcome,
        Err(code) => return code,
    };
    let Some(milestones) = &outcome.milestones else {
        return cannot_run(
            stderr,
            "no milestones: write milestones.yaml, or point `milestones:` in milepost.yaml at a milestones file or a plan document",
        );
    };
    let format = match args.format {
        MilestonesFormatArg::Table => MilestonesFormat::Table,
        MilestonesFormatArg::Markdown => MilestonesFormat::Markdown,
        MilestonesFormatArg::Rst => MilestonesFormat::Rst,
        MilestonesFormatArg::Json => MilestonesFormat::Json,
    };
    let result = render::milestones::render(stdout, milestones, format, args.verbose)
        .and_then(|()| stdout.flush());
    let code = written(result, &outcome, stderr);
    match args.fail_on {
        Some(level) if code == EXIT_OK => milestone_gate(&outcome, level.severity(), stderr),
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
    let quiet = HumanOptions { quiet: true };
    let _ = render::render(stderr, &failing, OutputFormat::Human, quiet);
    EXIT_FINDINGS
}

fn reports(args: ReportsArgs, stdout: &mut dyn Write, stderr: &mut dyn Write) -> u8 {
    let outcome = match run_for(
        |cwd| CheckOptions {
            cwd,
            paths: args.paths,
            config: args.config,
            wants_history: true,
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
    let result = match args.format {
        TableFormat::Table => render::reports::table(stdout, &outcome),
        TableFormat::Json => render::reports::json(stdout, &outcome),
    };
    written(result.and_then(|()| stdout.flush()), &outcome, stderr)
}

fn explain(rule: Option<&str>, stdout: &mut dyn Write, stderr: &mut dyn Write) -> u8 {
    let text = match rule {
        Some(name) => match name.parse::<Rule>() {
            Ok(rule) => format!(
                "{} ({}), default severity {}{}\n{}\n\n{}",
                rule.name(),
                rule.code(),
                rule.default_severity(),
                if rule.enabled_by_default() {
                    ""
                } else {
                    " (off unless turned on)"
                },
                rule.summary(),
                rule.explain().trim_end()
            ),
            Err(message) => return cannot_run(stderr, &message),
        },
        None => {
            let mut table = Table::new();
            table
                .load_preset(UTF8_FULL_CONDENSED)
                .set_content_arrangement(ContentArrangement::Dynamic)
                .set_header(["code", "rule", "default", "checks that"]);
            for rule in Rule::ALL {
                let default = if rule.enabled_by_default() {
                    rule.default_severity().as_str()
                } else {
                    "off"
                };
                table.add_row([rule.code(), rule.name(), default, rule.summary()]);
            }
            format!(
                "{table}\n\n`milepost explain RULE` tells what a rule checks, why, and shows an example."
            )
        }
    };
    match writeln!(stdout, "{text}").and_then(|()| stdout.flush()) {
        Ok(()) => EXIT_OK,
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => EXIT_OK,
        Err(err) => cannot_run(stderr, &format!("cannot write the output: {err}")),
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

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn severity_flag_parses() {
        assert_eq!(
            parse_severity("title=warning"),
            Ok((Rule::Title, Level::On(Severity::Warning)))
        );
        assert_eq!(
            parse_severity("S009=off"),
            Ok((Rule::EmptySection, Level::Off))
        );
        assert!(parse_severity("title").is_err());
        assert!(parse_severity("title=loud").is_err());
    }
}
