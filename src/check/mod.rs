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
mod publication;
mod repeats;
mod scope;
mod series;
mod staged;
mod wordings;

use cache::ResultsCache;
use file::{CheckedFile, Depth, FileResult, check_file, parse_unparsed, read_report};
use follow::apply_tracking;
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

/// [`run`], telling `progress` how far it has come.
pub fn run_with_progress(options: &CheckOptions, progress: &dyn Progress) -> Result<CheckOutcome> {
    let (mut workspace, repo) = Workspace::open_with_repo(&options.cwd, options.config.as_deref())?;
    // `milestones` with nothing to show says so before checking anything.
    let milestones_file = workspace.milestones_file();
    let mut milestones_found = None;
    if options.wants_milestones && !milestones_file.is_file() {
        let looked = workspace
            .relative(&milestones_file)
            .map_or(milestones_file, PathBuf::from);
        // Nothing configured: the plan the newest reports link to.
        let found = if workspace.config.milestones.is_none() {
            discover::plan(&workspace, options)
        } else {
            crate::milestones::discover::Found::default()
        };
        match found.plan {
            Some(plan) => {
                milestones_found = found.source;
                workspace.config.milestones = Some(plan);
            }
            None => {
                return Err(Error::NoMilestones {
                    looked,
                    linked: found.looked,
                });
            }
        }
    }
    for (rule, level) in &options.severities {
        workspace.config.override_severity(*rule, *level);
    }
    // The results cache is read while the reports are listed: it does not
    // depend on which they are. (A thread that cannot be started leaves
    // the run without the cache, which only ever saves time.)
    let opening = results_cache_dir(repo.as_ref(), options).and_then(|dir| {
        let inputs = results_cache_inputs(&workspace, options);
        std::thread::Builder::new()
            .spawn(move || ResultsCache::open(dir, &inputs))
            .ok()
    });
    let mut notes = Vec::new();
    // The index as it will be committed, read once for a `--staged` run.
    let snapshot = match (&repo, options.staged) {
        (Some(repo), true) => Some(repo.index_snapshot()?),
        _ => None,
    };
    let mut failures = Vec::new();
    let (files, touched) = select_files(
        &workspace,
        repo.as_ref(),
        snapshot.as_ref(),
        options,
        &mut notes,
        &mut failures,
    )?;
    let scope = Scope::of(&workspace, options, &files, &touched);
    if files.is_empty() {
        notes.push(Note {
            path: None,
            message: if options.paths.is_empty() {
                "no reports found: with no milepost.yaml, reports are .rst and .md files whose names contain `uke` or `week`, or end in a date in a folder named like status reports".into()
            } else {
                "no reports among the given paths".into()
            },
        });
    }

    progress.start("checking reports", files.len() as u64);
    let check_all = || {
        let cache = opening.map(|opening| {
            opening
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        });
        let check_one = |file: &ReportFile| {
            let result = check_file(&workspace, file, cache.as_ref());
            progress.advance();
            result
        };
        let results: Vec<FileResult> = if files.len() <= FEW_FILES {
            files.iter().map(check_one).collect()
        } else {
            files.par_iter().map(check_one).collect()
        };
        (results, cache)
    };
    // A commit hook checks a file or two: starting the thread pool would
    // cost more than it saves. Otherwise the history is read (or walked) on
    // this thread while the reports are checked on the pool: it does not
    // depend on their text.
    let ((results, cache), history) = if files.len() <= FEW_FILES {
        (check_all(), None)
    } else {
        std::thread::scope(|threads| {
            let checking = threads.spawn(check_all);
            let history = publication::read_history(&workspace, repo.as_ref(), options);
            let checked = checking
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (checked, history)
        })
    };
    progress.finish();

    let mut outcome = CheckOutcome {
        notes,
        failures,
        milestones_found,
        ..CheckOutcome::default()
    };
    let mut checked = Vec::with_capacity(results.len());
    for result in results {
        match result {
            FileResult::Checked(file) => checked.push(*file),
            FileResult::Skipped(note) => outcome.notes.push(note),
            FileResult::Failed(error) => outcome.failures.push(error),
        }
    }

    let mut fresh = cache::Fresh {
        reports: checked
            .iter_mut()
            .filter_map(|file| Some((file.report.path.clone(), file.fresh.take()?)))
            .collect(),
        series: Vec::new(),
        seen_series: Vec::new(),
        whole: scope.is_whole().then(|| {
            checked
                .iter()
                .map(|file| file.report.path.clone())
                .collect()
        }),
        stats: checked
            .iter_mut()
            .filter_map(|file| Some((file.report.path.clone(), file.stat.take()?)))
            .collect(),
    };
    // Most of the next results cache (the reports' entries) is known now,
    // and is encoded on another thread while the series are followed; the
    // series' entries are added when they are known. (Without a thread,
    // the cache is not written: it only ever saves time.)
    let cache = cache.map(Arc::new);
    let encoding = cache.as_ref().and_then(|cache| {
        let cache = Arc::clone(cache);
        let reports = fresh.take_reports();
        std::thread::Builder::new()
            .spawn(move || cache.encode_reports(reports))
            .ok()
    });

    // A replay (`--as-of`) sees the repository as it was that day: reports
    // dated after it did not exist yet, for every rule.
    if let Some(as_of) = options.as_of {
        checked.retain(|file| report_day(&file.report.info).is_none_or(|day| day <= as_of));
    }

    if let Some(snapshot) = &snapshot {
        staged::check_links(&workspace, snapshot, &mut checked);
    }

    // A gap in a series is a repository-wide finding: judged in whole runs.
    if workspace.config.enabled(Rule::MissingReport) && scope.is_whole() {
        parse_unparsed(&mut checked, &workspace.boundary, |file| {
            file.unparsed.is_some_and(|unparsed| unparsed.gap_note)
        });
        let entries = series_entries(&workspace, &checked, &[]);
        let findings =
            rules::series::missing_by_cadence(&entries, &workspace.config.breaks(), &|path| {
                series::cadence_of(&workspace, path)
            });
        attach(&mut checked, findings);
    }

    if workspace.config.enabled(Rule::DroppedItem) || workspace.config.enabled(Rule::UnplannedGoal)
    {
        parse_unparsed(&mut checked, &workspace.boundary, |file| {
            file.report
                .schema
                .as_ref()
                .is_some_and(|schema| schema.sections.iter().any(|s| s.copy_of.is_some()))
        });
        let context = series::carry_over_context(&workspace, options, &scope, &checked)?;
        let findings = series::carry_over_findings(&checked, &context);
        attach(&mut checked, findings);
    }

    outcome.history = apply_history(
        &workspace,
        repo.as_ref(),
        options,
        &mut checked,
        &mut outcome.notes,
        history,
    )?;
    // Nothing reads the repository after its history: letting go of it
    // unmaps its pack files and frees libgit2's caches of them (on 10,000
    // reports in 100,000 commits, 40 MB) before tracking, the run's
    // largest step, allocates.
    drop(repo);
    // After a long walk, its tables, the repository's caches and the
    // reports' documents are free now, scattered between the results that
    // stay. (A run that took its history from the cache, or a commit hook,
    // freed little: giving pages back would cost it the call and the page
    // faults of taking them again.)
    if outcome
        .history
        .as_ref()
        .is_some_and(|history| history.walked >= crate::memory::AFTER_WALKING)
    {
        crate::memory::release();
    }
    dated::apply_date_mismatch(&workspace, &mut checked);
    let extra = apply_tracking(
        &workspace,
        options,
        &scope,
        &mut checked,
        &mut outcome,
        cache.as_deref(),
        &mut fresh,
    )?;
    if options.wants_documents {
        parse_unparsed(&mut checked, &workspace.boundary, |_| true);
    }
    // Everything the cache learns is known now: it is written while the
    // findings are finished. (The cache is freed here, by the last owner:
    // freeing on another thread while this one allocates slows both.)
    let storing = cache.clone().zip(encoding).and_then(|(cache, encoding)| {
        std::thread::Builder::new()
            .spawn(move || {
                if let Ok(reports) = encoding.join() {
                    cache.store_with(reports, fresh);
                }
            })
            .ok()
    });

    let finished: Vec<(CheckedReport, Vec<Diagnostic>)> = if checked.len() <= FEW_FILES {
        checked
            .into_iter()
            .map(|file| finish(&workspace, file, options))
            .collect()
    } else {
        checked
            .into_par_iter()
            .map(|file| finish(&workspace, file, options))
            .collect()
    };
    let findings = finished.iter().map(|(_, d)| d.len()).sum::<usize>() + extra.len();
    outcome.diagnostics.reserve(findings);
    outcome.reports.reserve(finished.len());
    for (report, diagnostics) in finished {
        outcome.diagnostics.extend(diagnostics);
        outcome.reports.push(report);
    }
    outcome.diagnostics.extend(extra);
    scope.retain(&mut outcome.diagnostics);
    if let Some(path) = &options.baseline {
        let baseline = Baseline::load(&absolute(&options.cwd, path))?;
        let checked: Vec<&str> = outcome.reports.iter().map(|r| r.path.as_str()).collect();
        outcome.baseline = Some(baseline.apply(&mut outcome.diagnostics, &checked));
    }
    outcome.repeated = repeats::collapse(&mut outcome.diagnostics, &outcome.reports);
    if !options.counts_only {
        outcome
            .diagnostics
            .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    }
    outcome.cache_write = CacheWrite(storing);
    Ok(outcome)
}

/// The folder of the results cache (`cache.rs`) of a run. None for
/// `--staged`: a commit hook checks a file or two, from the index, and
/// loading the cache would cost more than it saves; none without a
/// repository libgit2 opens.
fn results_cache_dir(repo: Option<&Repo>, options: &CheckOptions) -> Option<PathBuf> {
    if options.staged {
        return None;
    }
    repo?.cache_dir()
}

/// What the results cache is keyed on besides the reports themselves:
/// everything else a finding may depend on.
fn results_cache_inputs(workspace: &Workspace, options: &CheckOptions) -> Vec<Vec<u8>> {
    let mut inputs: Vec<Vec<u8>> = workspace
        .config
        .sources
        .iter()
        .map(|source| source.as_bytes().to_vec())
        .collect();
    inputs.push(format!("{:?}", options.severities).into_bytes());
    inputs.push(workspace.project_prefix().into_bytes());
    inputs
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

/// The files to check: the staged reports, the reports changed since a
/// reference, or the reports under the given paths (all by default); and,
/// for `--staged` and `--changed-since`, every path staged or changed (a
/// config file among them is in the run's scope).
fn select_files(
    workspace: &Workspace,
    repo: Option<&Repo>,
    snapshot: Option<&crate::git::IndexSnapshot>,
    options: &CheckOptions,
    notes: &mut Vec<Note>,
    failures: &mut Vec<Error>,
) -> Result<(Arc<[ReportFile]>, Vec<String>)> {
    if !options.staged && options.changed_since.is_none() {
        return Ok((
            workspace.reports(&options.cwd, &options.paths, notes)?,
            Vec::new(),
        ));
    }
    let flag = if options.staged {
        "--staged"
    } else {
        "--changed-since"
    };
    let Some(repo) = repo else {
        return Err(Error::Repository {
            path: workspace.root.clone(),
            message: format!("is not a git repository, which {flag} needs"),
        });
    };
    // Given paths narrow the selection further.
    let wanted: Vec<PathBuf> = options
        .paths
        .iter()
        .map(|p| absolute(&options.cwd, p))
        .collect();
    if let Some(snapshot) = snapshot {
        let selection = staged::select(workspace, repo, snapshot, &wanted)?;
        notes.extend(selection.notes);
        failures.extend(selection.failures);
        return Ok((selection.files.into(), selection.touched));
    }
    let under_paths =
        |abs_path: &Path| wanted.is_empty() || wanted.iter().any(|w| abs_path.starts_with(w));
    let reference = options.changed_since.as_deref().unwrap_or_default();
    let mut touched = repo.changed_since(reference)?;
    let mut files: Vec<ReportFile> = touched
        .iter()
        .filter_map(|path| workspace.report_at(path))
        .filter(|file| file.abs_path.exists() || file.abs_path.is_symlink())
        .collect();
    files.retain(|file| under_paths(&file.abs_path));
    touched.retain(|path| under_paths(&workspace.root.join(path)));
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok((files.into(), touched))
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
