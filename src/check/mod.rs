//! `milepost check`: select the reports, read and check each one in
//! parallel, and collect the findings in a stable order.
//!
//! Each file is checked on its own, so one bad file never stops the others:
//! what cannot be read becomes a finding (`encoding`) or a note (binary), or
//! a failure that is reported after everything else was checked.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use std::sync::Arc;

use rayon::prelude::*;

use crate::baseline::{Baseline, BaselineStats};
use crate::config::{Level, SchemaChoice};
use crate::dates;
use crate::diagnostic::{Diagnostic, Note, Severity, Summary, clamp_span, fingerprint_all};
use crate::error::{Error, Result};
use crate::git::{CommitInfo, Repo};
use crate::hash::FastMap;
use crate::milestones::{self, MilestoneRow};
use crate::report::{self, Document, Format, LineIndex, Pos};
use crate::rules::history::{self, Publication, Published};
use crate::rules::series::SeriesEntry;
use crate::rules::{self, FileContext, Rule, structure::ReportInfo};
use crate::schema::Schema;
use crate::schema::SectionKind;
use crate::source;
use crate::suppress;
use crate::tracking::{self, ReportView};
use crate::workspace::{ReportFile, Workspace, absolute};

mod cache;
mod dated;
mod discover;
mod file;
mod follow;
mod pipeline;
mod publication;
mod repeats;
mod scope;
mod series;
mod staged;
mod wordings;

use cache::ResultsCache;
use file::{CheckedFile, Depth, FileResult, check_file, parse_unparsed, read_report};
use follow::apply_tracking;
pub use pipeline::run_with_progress;
use publication::apply_history;
use scope::Scope;
use series::series_entries;

/// What to check, as the command line says it.
#[derive(Clone, Debug, Default)]
pub struct CheckOptions {
    /// The folder to start from (the process's current folder).
    pub cwd: PathBuf,
    /// Files or folders; empty means every report in the repository.
    pub paths: Vec<PathBuf>,
    /// `--config`.
    pub config: Option<PathBuf>,
    /// `--severity RULE=LEVEL`, over the config file.
    pub severities: Vec<(Rule, Level)>,
    /// `--baseline FILE`: hide the findings it records.
    pub baseline: Option<PathBuf>,
    /// `--staged`: check the reports staged for commit, as staged.
    pub staged: bool,
    /// `--changed-since REF`: check the reports changed since the merge
    /// base of REF and HEAD.
    pub changed_since: Option<String>,
    /// The day a report being committed now is published on (default:
    /// today, in local time).
    pub today: Option<NaiveDate>,
    /// Read the history even if no history rule is on (`milepost reports`
    /// shows first and last commits).
    pub wants_history: bool,
    /// The day to judge tracking and milestones on (`--as-of`; default
    /// today): only reports dated on or before it count.
    pub as_of: Option<NaiveDate>,
    /// Compute milestone progress even if no milestone rule is on
    /// (`milepost milestones`).
    pub wants_milestones: bool,
    /// Keep every report's document in the outcome (`milepost new` and
    /// `milepost changelog` read them); else a report is parsed only for
    /// the steps that need it, and let go after them.
    pub wants_documents: bool,
    /// The findings about milestones are not wanted (`milepost reports`
    /// counts findings per report; those belong to the milestones file).
    /// Computing them follows every series again whenever one changed.
    pub ignores_milestones: bool,
    /// Only how many findings each report has is shown (`milepost
    /// reports`): the findings are neither fingerprinted nor sorted, which
    /// is a tenth of a run after one new commit.
    pub counts_only: bool,
}

/// One checked report.
#[derive(Debug)]
pub struct CheckedReport {
    pub path: String,
    pub schema: Option<Arc<Schema>>,
    pub info: ReportInfo,
    /// Where its title is: findings about the report as a whole go there.
    /// Kept apart from the document, which a report whose results came
    /// from the results cache does not have.
    pub title: Option<Pos>,
    /// The parsed report, when [`CheckOptions::wants_documents`] asks for
    /// every one. Otherwise `None` for most reports: one whose results
    /// came from the results cache, or were stored in it, is parsed only
    /// for the steps that need it, and following its series lets it go
    /// again (a whole tree's documents are not held at once). `None` also
    /// when it could not be read.
    pub document: Option<Document>,
    /// The commit that first added the report (following moves), when git
    /// knows it as a fact (not the boundary of a shallow clone).
    pub first_commit: Option<CommitInfo>,
    /// The last commit that changed it.
    pub last_commit: Option<CommitInfo>,
}

impl CheckedReport {
    /// Where findings about the report as a whole go: its title, else the
    /// first line.
    pub fn title_pos(&self) -> Pos {
        self.title.unwrap_or(Pos::START)
    }
}

/// Everything a run found.
#[derive(Debug, Default)]
pub struct CheckOutcome {
    pub diagnostics: Vec<Diagnostic>,
    pub notes: Vec<Note>,
    /// Files that could not be read at all; they make the exit code 2.
    pub failures: Vec<Error>,
    pub reports: Vec<CheckedReport>,
    /// What `--baseline` hid and found fixed.
    pub baseline: Option<BaselineStats>,
    /// Milestone progress, when milestones are defined and wanted.
    pub milestones: Option<MilestonesOutcome>,
    /// Findings folded into the same finding on a later report of their
    /// series (`check/repeats.rs`): not shown, but recorded by `--write-baseline`,
    /// whose entries are per report.
    pub repeated: Vec<Diagnostic>,
    /// Where the milestones came from when no config named them: "the plan
    /// table of X, linked from Y".
    pub milestones_found: Option<String>,
    /// The history the run read, when it read one. Kept to the end so that
    /// the command line frees it with everything else, at exit, at once:
    /// ten thousand histories take 25 ms to free one by one, and freeing
    /// them on another thread slows every allocation of the run.
    pub history: Option<crate::git::History>,
    /// The results cache, still being written: what the run found is
    /// shown meanwhile.
    pub cache_write: CacheWrite,
}

/// A results cache being written on another thread. Dropping it waits for
/// the write, and so does [`CacheWrite::wait`], for an outcome that is
/// not dropped: a process that ended first would leave no cache.
#[derive(Debug, Default)]
pub struct CacheWrite(Option<std::thread::JoinHandle<()>>);

impl CacheWrite {
    /// Waits for the write to end (a write that failed only costs time
    /// later).
    pub fn wait(&mut self) {
        if let Some(writing) = self.0.take() {
            let _ = writing.join();
        }
    }
}

impl Drop for CacheWrite {
    fn drop(&mut self) {
        self.wait();
    }
}

/// Milestone progress as of a day.
#[derive(Debug)]
pub struct MilestonesOutcome {
    pub as_of: NaiveDate,
    pub milestones: Vec<MilestoneRow>,
    /// Per row of `milestones`: its items' timelines (the HTML picture).
    pub timelines: Vec<milestones::timeline::MilestoneTimeline>,
    /// The repository root, which every path is relative to: a page links
    /// to the reports relative to where it is written.
    pub root: PathBuf,
    /// The configured Sphinx source folder, relative to the root.
    pub sphinx_source: Option<PathBuf>,
}

impl CheckOutcome {
    pub fn summary(&self) -> Summary {
        Summary::count(self.reports.len(), &self.diagnostics)
    }
}

/// Told about long work so that a front end can show progress; the library
/// itself never draws anything.
pub trait Progress: Sync {
    /// Work of `total` steps begins.
    fn start(&self, what: &str, total: u64);
    /// One more step is done (called from several threads).
    fn advance(&self);
    fn finish(&self);
}

/// Progress nobody watches.
pub struct NoProgress;

impl Progress for NoProgress {
    fn start(&self, _: &str, _: u64) {}
    fn advance(&self) {}
    fn finish(&self) {}
}

/// Up to this many files are checked on the calling thread: a commit hook
/// checks one or two, and starting a thread pool for them costs more (in
/// thread stacks and idle spinning) than it saves.
const FEW_FILES: usize = 4;

/// Runs `check`. An `Err` means nothing could be checked (bad config, bad
/// path); per-file problems are inside the outcome.
pub fn run(options: &CheckOptions) -> Result<CheckOutcome> {
    run_with_progress(options, &NoProgress)
}

/// The day a report stands for: its byline date, else the Sunday of its
/// week; `None` when it says neither.
pub(super) fn report_day(info: &ReportInfo) -> Option<NaiveDate> {
    info.date
        .or_else(|| info.named.as_ref().and_then(|named| named.day()))
        .or_else(|| dates::week_bounds(info.year?, info.week?).map(|(_, sunday)| sunday))
}

/// Gives each finding to the checked report it names (findings for other
/// files are dropped). By a map: a scan of every report per finding is
/// quadratic, and thousands of findings meet ten thousand reports.
fn attach(checked: &mut [CheckedFile], findings: Vec<Diagnostic>) {
    let by_path: FastMap<&str, usize> = checked
        .iter()
        .enumerate()
        .map(|(i, file)| (file.report.path.as_str(), i))
        .collect();
    // The places first, so that each finding is moved once (tens of
    // thousands of them), into its report.
    let places: Vec<Option<usize>> = findings
        .iter()
        .map(|finding| by_path.get(finding.path.as_str()).copied())
        .collect();
    for (finding, place) in findings.into_iter().zip(places) {
        if let Some(i) = place {
            checked[i].diagnostics.push(finding);
        }
    }
}

/// The last steps for one file's findings, in this order: configured
/// levels (a rule turned off is gone before suppressions are weighed, so a
/// suppression of an `off` rule is not called unused), inline suppressions,
/// then source lines and fingerprints (not for a count, see
/// [`CheckOptions::counts_only`]). The text is dropped here.
fn finish(
    workspace: &Workspace,
    mut file: CheckedFile,
    options: &CheckOptions,
) -> (CheckedReport, Vec<Diagnostic>) {
    if file.unparsed.is_some_and(|unparsed| unparsed.comments) {
        file.parse(&workspace.boundary);
    }
    let mut diagnostics = std::mem::take(&mut file.diagnostics);
    apply_levels(workspace, &mut diagnostics);
    if let Some(document) = &file.report.document {
        let enabled = |rule: Rule| workspace.config.enabled(rule);
        let mut problems = suppress::apply(&file.report.path, document, &mut diagnostics, enabled);
        apply_levels(workspace, &mut problems);
        diagnostics.extend(problems);
    }
    // A report taken from the results cache unread has the lines of the
    // findings it kept; it is read for any other.
    if diagnostics.iter().any(|d| d.source_line.is_none())
        && let Some(text) = file.text(&workspace.boundary)
    {
        fill_source_lines(text, &mut diagnostics);
    }
    // Spans are kept within the line each finding carries.
    for diagnostic in &mut diagnostics {
        clamp_span(diagnostic);
    }
    if !options.counts_only {
        fingerprint_all(&mut diagnostics);
    }
    (file.report, diagnostics)
}

fn apply_levels(workspace: &Workspace, diagnostics: &mut Vec<Diagnostic>) {
    let prefix = workspace.project_prefix();
    diagnostics.retain_mut(|d| {
        // Globs are relative to the project folder, findings to the root.
        let in_project = match prefix.as_str() {
            "" => Some(d.path.as_str()),
            prefix => d
                .path
                .strip_prefix(prefix)
                .and_then(|p| p.strip_prefix('/')),
        };
        let level = match in_project {
            Some(relative) => workspace.config.severity_at(relative, d.rule, d.severity),
            None => workspace.config.severity(d.rule, d.severity),
        };
        match level {
            Some(severity) => {
                d.severity = severity;
                true
            }
            None => false,
        }
    });
}

/// Gives the findings without one the text of their line in `text`.
fn fill_source_lines(text: &str, diagnostics: &mut [Diagnostic]) {
    if diagnostics.iter().all(|d| d.source_line.is_some()) {
        return;
    }
    let index = LineIndex::new(text);
    for diagnostic in diagnostics.iter_mut().filter(|d| d.source_line.is_none()) {
        diagnostic.source_line = index.line_text(diagnostic.line).map(str::to_owned);
    }
}

/// Gives the findings without one the text of their line, from the texts
/// of `files` that were read.
fn fill_lines_from<'a>(files: impl Iterator<Item = &'a CheckedFile>, findings: &mut [Diagnostic]) {
    if findings.iter().all(|d| d.source_line.is_some()) {
        return;
    }
    let texts: FastMap<&str, &str> = files
        .filter_map(|file| Some((file.report.path.as_str(), file.text.as_deref()?)))
        .collect();
    let mut wanted: Vec<usize> = (0..findings.len())
        .filter(|&i| findings[i].source_line.is_none())
        .collect();
    wanted.sort_by(|&a, &b| findings[a].path.cmp(&findings[b].path));
    let mut index: Option<(String, LineIndex)> = None;
    for i in wanted {
        let Some(text) = texts.get(findings[i].path.as_str()) else {
            continue;
        };
        if index
            .as_ref()
            .is_none_or(|(path, _)| *path != findings[i].path)
        {
            index = Some((findings[i].path.clone(), LineIndex::new(text)));
        }
        if let Some((_, lines)) = &index {
            findings[i].source_line = lines.line_text(findings[i].line).map(str::to_owned);
        }
    }
}

/// The findings about milestones rather than reports: the milestone rules,
/// and staffing shortfalls found against a milestone's needs (located in
/// the milestones file, not in a report).
pub fn milestone_findings(outcome: &CheckOutcome) -> impl Iterator<Item = &Diagnostic> {
    let reports: HashSet<&str> = outcome.reports.iter().map(|r| r.path.as_str()).collect();
    outcome.diagnostics.iter().filter(move |d| match d.rule {
        Rule::MilestoneOverdue | Rule::MilestoneAtRisk => true,
        Rule::StaffingRisk => !reports.contains(d.path.as_str()),
        _ => false,
    })
}

/// Whether the outcome should fail the build at `fail_on`.
pub fn fails(outcome: &CheckOutcome, fail_on: Severity) -> bool {
    outcome.summary().reaches(fail_on)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A report listed and then gone (deleted, or unreadable) before it is
    /// read: a failure naming the file, not a panic, and the rest goes on.
    #[test]
    fn a_report_that_vanishes_after_listing_is_a_failure_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("2016_uke_37.rst"), "Uke 37\n======\n").unwrap();
        std::fs::write(dir.path().join("2016_uke_38.rst"), "Uke 38\n======\n").unwrap();
        let workspace = Workspace::open(dir.path(), None).unwrap();
        let files = workspace.reports(dir.path(), &[], &mut Vec::new()).unwrap();
        assert_eq!(files.len(), 2);
        std::fs::remove_file(dir.path().join("2016_uke_37.rst")).unwrap();
        let results: Vec<FileResult> = files
            .iter()
            .map(|f| check_file(&workspace, f, None))
            .collect();
        match &results[0] {
            FileResult::Failed(err) => {
                let text = err.to_string();
                assert!(text.starts_with("2016_uke_37.rst: "), "{text}");
            }
            _ => panic!("the vanished report must be a failure"),
        }
        assert!(matches!(&results[1], FileResult::Checked(_)));
    }
}
