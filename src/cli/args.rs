//! The clap types: every command, flag and value the command line takes.
//! Only this module and its siblings know clap; the library gets plain
//! options.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};
use clap_complete::Shell;

use milepost::config::Level;
use milepost::diagnostic::Severity;
use milepost::rules::Rule;

#[derive(Debug, Parser)]
#[command(
    name = "milepost",
    version,
    // `milepost check --version` works too, instead of clap suggesting
    // `--severity`.
    propagate_version = true,
    about = "Keeps a team's weekly status reports honest."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// When to use colours: `auto` is on for a terminal, off when NO_COLOR is
    /// set, and on for any output when FORCE_COLOR or CLICOLOR_FORCE is set.
    #[arg(long, global = true, value_enum, default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check reports against their schema.
    Check(CheckArgs),
    /// The milestones: status, progress and days left, as of today or --as-of.
    Milestones(MilestonesArgs),
    /// List the reports: period, byline, first committed, last changed, findings.
    Reports(ReportsArgs),
    /// Write next week's report: the schema's sections, open items carried over.
    New(NewArgs),
    /// Every item reported done, once: when, for which milestone, and where it was announced.
    Changelog(ChangelogArgs),
    /// Write the milestones page (timeline and progress table) to DIR/index.html.
    Dashboard(DashboardArgs),
    /// Explain a rule, or list them all.
    Explain(ExplainArgs),
    /// Print a shell completion script to stdout.
    Completions(CompletionsArgs),
    /// Print the man page (roff) to stdout, or write every page to a folder.
    Man(ManArgs),
}

#[derive(Debug, clap::Args)]
pub struct MilestonesArgs {
    /// Use this config file instead of discovering milepost.yaml.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Judge as of this day (YYYY-MM-DD or any date milepost reads); only reports dated on or before it count.
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    pub as_of: Option<NaiveDate>,
    /// Output format; markdown and rst are ready to commit into the docs.
    #[arg(long, value_enum, default_value_t = MilestonesFormatArg::Human)]
    pub format: MilestonesFormatArg,
    /// List each milestone's items with their state and the report that last mentioned them.
    #[arg(long, short)]
    pub verbose: bool,
    /// Exit with 1 when a milestone finding (overdue, at risk, short of staff) is at or above
    /// this level; the findings are printed to stderr. For a scheduled CI job: commits and pull
    /// requests are not failed by milestones.
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub fail_on: Option<LevelArg>,
    /// Write the output to FILE (atomically: a temporary file beside it, then a rename).
    #[arg(long, value_name = "FILE")]
    pub output_file: Option<PathBuf>,
}

/// The default format is called `human` in every command; `table`, its old
/// name in `milestones` and `reports`, is still accepted.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum MilestonesFormatArg {
    /// A table for people at a terminal.
    #[value(alias = "table")]
    Human,
    /// A GitHub-flavoured Markdown table.
    Markdown,
    /// A reStructuredText grid table.
    Rst,
    /// For scripts.
    Json,
    /// One self-contained page: the timeline picture and the progress table.
    Html,
    /// A badge (SVG) with the next milestone and its state, for a README.
    SvgBadge,
}

#[derive(Debug, clap::Args)]
pub struct DashboardArgs {
    /// The folder to write index.html into (created if missing; its parent must exist).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Use this config file instead of discovering milepost.yaml.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Judge as of this day (YYYY-MM-DD or any date milepost reads); only reports dated on or before it count.
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    pub as_of: Option<NaiveDate>,
    /// Replace an existing DIR/index.html.
    #[arg(long)]
    pub force: bool,
}

pub fn parse_day(text: &str) -> Result<NaiveDate, String> {
    milepost::dates::parse_date(text, None).map_err(|err| format!("`{text}`: {err}"))
}

#[derive(Debug, clap::Args)]
pub struct ReportsArgs {
    /// Files or folders (default: every report in the repository).
    pub paths: Vec<PathBuf>,
    /// Use this config file instead of discovering milepost.yaml.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TableFormat::Human)]
    pub format: TableFormat,
    /// Write the output to FILE (atomically: a temporary file beside it, then a rename).
    #[arg(long, value_name = "FILE")]
    pub output_file: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum TableFormat {
    /// A table for people at a terminal.
    #[value(alias = "table")]
    Human,
    /// For scripts.
    Json,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Files or folders to check (default: every report in the repository).
    pub paths: Vec<PathBuf>,
    /// Use this config file instead of discovering milepost.yaml.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Human)]
    pub format: FormatArg,
    /// Exit with 1 when a finding is at or above this level.
    #[arg(long, value_enum, default_value_t = LevelArg::Error, value_name = "LEVEL")]
    pub fail_on: LevelArg,
    /// Set a rule's level over the config: `RULE=error|warning|info|off` (repeatable).
    #[arg(long, value_name = "RULE=LEVEL", value_parser = parse_severity)]
    pub severity: Vec<(Rule, Level)>,
    /// Print only one line per finding.
    #[arg(long, short)]
    pub quiet: bool,
    /// Count the findings per rule: one line per rule (count, code, name), most first, in
    /// place of the findings; with --format json, a `statistics` array beside them.
    #[arg(long)]
    pub statistics: bool,
    /// Judge tracking and milestones as of this day (default today); only reports dated on or before it count.
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    pub as_of: Option<NaiveDate>,
    /// Check the reports staged for commit, as staged (not as in the working tree).
    #[arg(long, conflicts_with = "changed_since")]
    pub staged: bool,
    /// Check the reports added, modified or renamed since the merge base of REF and HEAD.
    #[arg(long, value_name = "REF")]
    pub changed_since: Option<String>,
    /// Exit with 0 even when there are findings (but 2 when milepost cannot run).
    #[arg(long)]
    pub exit_zero: bool,
    /// Hide the findings recorded in this baseline file; report only new ones.
    #[arg(long, value_name = "FILE", conflicts_with = "write_baseline")]
    pub baseline: Option<PathBuf>,
    /// Record the current findings in this baseline file (atomically; an
    /// existing file is replaced only if it is a milepost baseline), then exit 0.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// Write the output to FILE (atomically: a temporary file beside it, then a rename);
    /// the summary line and any failure still go to stderr.
    #[arg(long, value_name = "FILE", conflicts_with = "write_baseline")]
    pub output_file: Option<PathBuf>,
    /// Repair what can be proved (see `milepost explain` for each rule), atomically, then
    /// report what is left; with --staged, a file with unstaged changes is not touched.
    #[arg(long, conflicts_with_all = ["diff", "write_baseline"])]
    pub fix: bool,
    /// Print the repairs --fix would make as a unified diff, and change nothing.
    #[arg(long, conflicts_with = "write_baseline")]
    pub diff: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
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
pub enum LevelArg {
    Error,
    Warning,
    Info,
}

impl LevelArg {
    pub fn severity(self) -> Severity {
        match self {
            LevelArg::Error => Severity::Error,
            LevelArg::Warning => Severity::Warning,
            LevelArg::Info => Severity::Info,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// A rule name (`unknown-section`) or code (`S006`); without one, every rule.
    pub rule: Option<String>,
    /// Output format: `human` renders for a terminal; `markdown` is for a docs site, `json`
    /// for tools (an object, or an array of every rule).
    #[arg(long, value_enum, default_value_t = ExplainFormat::Human)]
    pub format: ExplainFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExplainFormat {
    /// Rendered for a terminal: bold headings, wrapped paragraphs.
    Human,
    /// The explanations as Markdown pages.
    Markdown,
    /// Name, code, default severity, summary and explanation (Markdown).
    Json,
}

#[derive(Debug, clap::Args)]
pub struct ChangelogArgs {
    /// Use this config file instead of discovering milepost.yaml.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Only items completed on or after this day.
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    pub since: Option<NaiveDate>,
    /// Only items completed on or before this day.
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    pub until: Option<NaiveDate>,
    /// How to group the items.
    #[arg(long, value_enum, default_value_t = GroupArg::Week)]
    pub group: GroupArg,
    /// Output format; markdown and rst are pages ready to commit into the docs.
    #[arg(long, value_enum, default_value_t = ChangelogFormatArg::Markdown)]
    pub format: ChangelogFormatArg,
    /// Write the output to FILE (atomically); links to the reports are relative to its folder.
    #[arg(long, value_name = "FILE")]
    pub output_file: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum GroupArg {
    /// By ISO week of completion, newest first.
    Week,
    /// By month of completion, newest first.
    Month,
    /// By milestone, in the milestones file's order; items of none last.
    Milestone,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ChangelogFormatArg {
    /// A Markdown page with relative links to the reports.
    Markdown,
    /// A reStructuredText page with :doc: links to the reports.
    Rst,
    /// For scripts.
    Json,
}

#[derive(Debug, clap::Args)]
pub struct NewArgs {
    /// Use this config file instead of discovering milepost.yaml.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The ISO week to write (`2016-W39`); default: the week after the latest report.
    #[arg(long, value_name = "YYYY-Www", value_parser = parse_week)]
    pub week: Option<(i32, u32)>,
    /// The byline date: `today`, or a date (default: the Friday of the week).
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    /// Follow the latest report of this schema (default: the latest report of any).
    #[arg(long, value_name = "NAME")]
    pub schema: Option<String>,
    /// Print the report to stdout instead of writing it.
    #[arg(long)]
    pub dry_run: bool,
}

/// `2016-W39` (or `2016-w39`, `2016W39`) as ISO year and week.
pub fn parse_week(text: &str) -> Result<(i32, u32), String> {
    let bad = || format!("`{text}`: expected an ISO week such as 2016-W39");
    let (year, week) = text.split_once(['W', 'w']).ok_or_else(bad)?;
    let year: i32 = year.trim_end_matches('-').parse().map_err(|_| bad())?;
    let week: u32 = week.parse().map_err(|_| bad())?;
    if milepost::dates::week_bounds(year, week).is_none() {
        return Err(format!("`{text}`: {year} has no week {week}"));
    }
    Ok((year, week))
}

#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: Shell,
}

#[derive(Debug, clap::Args)]
pub struct ManArgs {
    /// Write `milepost.1` and one page per subcommand (`milepost-check.1`, …) into DIR,
    /// each atomically, instead of printing the main page.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

pub fn parse_severity(text: &str) -> Result<(Rule, Level), String> {
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
    /// `\u001b`), or a completion script or man page, which are milepost's
    /// own text: nothing to strip, so the colour adapter can pass the bytes
    /// through.
    pub fn writes_escaped_output(&self) -> bool {
        match self {
            Command::Check(args) => matches!(args.format, FormatArg::Json | FormatArg::Sarif),
            // HTML and SVG are escaped by their templates, control
            // characters included.
            Command::Milestones(args) => matches!(
                args.format,
                MilestonesFormatArg::Json
                    | MilestonesFormatArg::Html
                    | MilestonesFormatArg::SvgBadge
            ),
            Command::Dashboard(_) => true,
            Command::Reports(args) => matches!(args.format, TableFormat::Json),
            Command::Explain(args) => args.format == ExplainFormat::Json,
            // A report is the repository's own text, escaped when printed.
            Command::New(_) => false,
            Command::Changelog(args) => args.format == ChangelogFormatArg::Json,
            Command::Completions(_) | Command::Man(_) => true,
        }
    }
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

    #[test]
    fn weeks_parse_as_iso_weeks() {
        assert_eq!(parse_week("2016-W39"), Ok((2016, 39)));
        assert_eq!(parse_week("2015w53"), Ok((2015, 53)));
        assert!(parse_week("2016-W53").is_err());
        assert!(parse_week("2016-39").is_err());
        assert!(parse_week("W39").is_err());
    }

    #[test]
    fn table_is_still_a_name_of_the_default_format() {
        for command in ["milestones", "reports"] {
            for format in ["table", "human"] {
                let cli = Cli::try_parse_from(["milepost", command, "--format", format]);
                assert!(cli.is_ok(), "{command} --format {format}");
            }
        }
        assert!(Cli::try_parse_from(["milepost", "check", "--format", "human"]).is_ok());
    }
}
