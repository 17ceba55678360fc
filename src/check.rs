//! `milepost check`: select the reports, read and check each one in
//! parallel, and collect the findings in a stable order.
//!
//! Each file is checked on its own, so one bad file never stops the others:
//! what cannot be read becomes a finding (`encoding`) or a note (binary), or
//! a failure that is reported after everything else was checked.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use std::sync::Arc;

use rayon::prelude::*;

use crate::baseline::{Baseline, BaselineStats};
use crate::config::{Level, SchemaChoice};
use crate::dates;
use crate::diagnostic::{Diagnostic, Note, Severity, Summary, fingerprint_all};
use crate::error::{Error, Result};
use crate::git::{CommitInfo, Repo};
use crate::milestones::{self, MilestoneRow};
use crate::report::{self, Document, Format, LineIndex, Pos};
use crate::rules::history::{self, Publication, Published};
use crate::rules::series::SeriesEntry;
use crate::rules::{self, FileContext, Rule, structure::ReportInfo};
use crate::schema::Schema;
use crate::schema::SectionKind;
use crate::source::{self, Undecodable};
use crate::suppress;
use crate::tracking::{self, ReportView};
use crate::workspace::{ReportFile, Workspace, absolute};

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
}

/// One checked report.
#[derive(Debug)]
pub struct CheckedReport {
    pub path: String,
    pub schema: Option<Arc<Schema>>,
    pub info: ReportInfo,
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
        self.document
            .as_ref()
            .and_then(|d| d.title.as_ref())
            .map_or(Pos::START, |t| t.pos)
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
}

/// Milestone progress as of a day.
#[derive(Debug)]
pub struct MilestonesOutcome {
    pub as_of: NaiveDate,
    pub milestones: Vec<MilestoneRow>,
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

/// Runs `check`. An `Err` means nothing could be checked (bad config, bad
/// path); per-file problems are inside the outcome.
pub fn run(options: &CheckOptions) -> Result<CheckOutcome> {
    run_with_progress(options, &NoProgress)
}

/// [`run`], telling `progress` how far it has come.
pub fn run_with_progress(options: &CheckOptions, progress: &dyn Progress) -> Result<CheckOutcome> {
    let mut workspace = Workspace::open(&options.cwd, options.config.as_deref())?;
    for (rule, level) in &options.severities {
        workspace.config.override_severity(*rule, *level);
    }
    let mut notes = Vec::new();
    let repo = if workspace.is_git {
        Repo::discover(&workspace.root)?
    } else {
        None
    };
    let files = select_files(&workspace, repo.as_ref(), options, &mut notes)?;
    if files.is_empty() {
        notes.push(Note {
            path: None,
            message: if options.paths.is_empty() {
                "no reports found: with no milepost.yaml, reports are .rst and .md files whose names contain `uke` or `week`".into()
            } else {
                "no reports among the given paths".into()
            },
        });
    }

    progress.start("checking reports", files.len() as u64);
    let results: Vec<FileResult> = files
        .par_iter()
        .map(|file| {
            let result = check_file(&workspace, file);
            progress.advance();
            result
        })
        .collect();
    progress.finish();

    let mut outcome = CheckOutcome {
        notes,
        ..CheckOutcome::default()
    };
    let mut checked = Vec::new();
    for result in results {
        match result {
            FileResult::Checked(file) => checked.push(*file),
            FileResult::Skipped(note) => outcome.notes.push(note),
            FileResult::Failed(error) => outcome.failures.push(error),
        }
    }

    if workspace.config.enabled(Rule::MissingReport) {
        let whole = options.paths.is_empty() && options.changed_since.is_none();
        let context = if whole || options.staged {
            // Everything is checked already; or this is a commit hook, which
            // must stay fast: a gap is then judged among the staged reports.
            Vec::new()
        } else {
            // Only some files are checked: the rest of each series is
            // placed by file name, without being read.
            workspace.reports(&options.cwd, &[], &mut Vec::new())?
        };
        let entries = series_entries(&workspace, &checked, &context);
        for finding in rules::series::missing_reports(&entries, &workspace.config.breaks()) {
            if let Some(file) = checked.iter_mut().find(|f| f.report.path == finding.path) {
                file.diagnostics.push(finding);
            }
        }
    }

    apply_history(
        &workspace,
        repo.as_ref(),
        options,
        &mut checked,
        &mut outcome.notes,
    )?;
    let extra = apply_tracking(&workspace, options, &mut checked, &mut outcome)?;

    let finished: Vec<(CheckedReport, Vec<Diagnostic>)> = checked
        .into_par_iter()
        .map(|file| finish(&workspace, file))
        .collect();
    for (report, diagnostics) in finished {
        outcome.diagnostics.extend(diagnostics);
        outcome.reports.push(report);
    }
    outcome.diagnostics.extend(extra);
    if let Some(path) = &options.baseline {
        let baseline = Baseline::load(&absolute(&options.cwd, path))?;
        let checked: Vec<&str> = outcome.reports.iter().map(|r| r.path.as_str()).collect();
        outcome.baseline = Some(baseline.apply(&mut outcome.diagnostics, &checked));
    }
    outcome
        .diagnostics
        .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    Ok(outcome)
}

/// The files to check: the staged reports, the reports changed since a
/// reference, or the reports under the given paths (all by default).
fn select_files(
    workspace: &Workspace,
    repo: Option<&Repo>,
    options: &CheckOptions,
    notes: &mut Vec<Note>,
) -> Result<Vec<ReportFile>> {
    if !options.staged && options.changed_since.is_none() {
        return workspace.reports(&options.cwd, &options.paths, notes);
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
    let under_paths = |file: &ReportFile| {
        wanted.is_empty() || wanted.iter().any(|w| file.abs_path.starts_with(w))
    };
    let mut files: Vec<ReportFile> = if options.staged {
        repo.staged()?
            .into_iter()
            .filter_map(|staged| {
                let mut file = workspace.report_at(&staged.path)?;
                file.content = Some(staged.content);
                Some(file)
            })
            .collect()
    } else {
        let reference = options.changed_since.as_deref().unwrap_or_default();
        repo.changed_since(reference)?
            .iter()
            .filter_map(|path| workspace.report_at(path))
            .filter(|file| file.abs_path.is_file())
            .collect()
    };
    files.retain(under_paths);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// Runs the history rules: with `--staged`, only on reports that are not in
/// any commit yet (they are published today, and nothing else needs the
/// commit graph, which keeps the hook fast); otherwise on every checked
/// report, from one (cached) walk of the history.
fn apply_history(
    workspace: &Workspace,
    repo: Option<&Repo>,
    options: &CheckOptions,
    checked: &mut [CheckedFile],
    notes: &mut Vec<Note>,
) -> Result<()> {
    let config = &workspace.config;
    let wanted = [
        Rule::LateReport,
        Rule::BylineVsCommit,
        Rule::EditedAfterPublish,
    ];
    let rules_on = wanted.iter().any(|&rule| config.enabled(rule));
    if (!options.wants_history && !rules_on) || checked.is_empty() {
        return Ok(());
    }
    let Some(repo) = repo else {
        notes.push(Note {
            path: None,
            message: "not a git repository: late-report, byline-vs-commit and edited-after-publish were skipped".into(),
        });
        return Ok(());
    };
    let days = |rule: Rule| config.rule(rule).days.unwrap_or(rule.default_days());
    let limits = history::Limits {
        late_days: days(Rule::LateReport),
        byline_days: days(Rule::BylineVsCommit),
        edit_days: days(Rule::EditedAfterPublish),
        check_edits: config.enabled(Rule::EditedAfterPublish),
    };

    if options.staged {
        let today = options
            .today
            .unwrap_or_else(|| chrono::Local::now().date_naive());
        for file in checked.iter_mut() {
            if repo.read_head(&file.report.path)?.is_some() {
                continue;
            }
            let published = Published {
                path: &file.report.path,
                info: &file.report.info,
                anchor: file.report.title_pos(),
                publication: Publication::BeingCommitted(today),
            };
            let findings = history::check(&published, limits, &|_| None);
            file.diagnostics.extend(findings);
        }
        return Ok(());
    }

    let prefix = workspace.project_prefix();
    let prefixes: Vec<String> = if prefix.is_empty() {
        Vec::new()
    } else {
        vec![prefix]
    };
    let history = repo.history(
        &|path| workspace.is_report_path(path),
        &prefixes,
        Some(&config.selection_key),
    )?;
    if history.shallow {
        notes.push(Note {
            path: None,
            message: "this clone is shallow: reports first seen at its boundary have no known first commit, so late-report and byline-vs-commit skip them; fetch the full history (`git fetch --unshallow`, or `fetch-depth: 0` with actions/checkout)".into(),
        });
    }
    notes.extend(history.notes.iter().map(|message| Note {
        path: None,
        message: message.clone(),
    }));
    for file in checked.iter_mut() {
        let Some(file_history) = history.files.get(&file.report.path) else {
            continue;
        };
        let published = Published {
            path: &file.report.path,
            info: &file.report.info,
            anchor: file.report.title_pos(),
            publication: Publication::Committed(file_history),
        };
        let findings = history::check(&published, limits, &|blob| repo.blob(blob));
        file.diagnostics.extend(findings);
        if !file_history.boundary {
            file.report.first_commit = Some(file_history.first.clone());
        }
        file.report.last_commit = Some(file_history.last.clone());
    }
    Ok(())
}

/// Follows items through the series and holds the milestones against
/// them: `stale-item` and `overdue-item` go to the reports, the milestone
/// findings (returned) to the milestone definitions. Skipped in the commit
/// hook, which must stay fast; with only some files checked, the other
/// reports are read as context.
fn apply_tracking(
    workspace: &Workspace,
    options: &CheckOptions,
    checked: &mut [CheckedFile],
    outcome: &mut CheckOutcome,
) -> Result<Vec<Diagnostic>> {
    let config = &workspace.config;
    let per_report = [Rule::StaleItem, Rule::OverdueItem];
    let per_milestone = [Rule::MilestoneOverdue, Rule::MilestoneAtRisk];
    let report_rules = per_report.iter().any(|&r| config.enabled(r));
    let milestone_rules = per_milestone.iter().any(|&r| config.enabled(r));
    if options.staged || !(report_rules || milestone_rules || options.wants_milestones) {
        return Ok(Vec::new());
    }
    let as_of = options
        .as_of
        .unwrap_or_else(|| chrono::Local::now().date_naive());

    let whole = options.paths.is_empty() && options.changed_since.is_none();
    let context: Vec<CheckedFile> = if whole {
        Vec::new()
    } else {
        workspace
            .reports(&options.cwd, &[], &mut Vec::new())?
            .par_iter()
            .filter(|file| !checked.iter().any(|c| c.report.path == file.path))
            .filter_map(|file| match check_file(workspace, file) {
                FileResult::Checked(file) => Some(*file),
                _ => None,
            })
            .collect()
    };
    let views: Vec<ReportView> = checked
        .iter()
        .chain(context.iter())
        .filter_map(|file| {
            let info = &file.report.info;
            let date = info
                .date
                .or_else(|| dates::week_bounds(info.year?, info.week?).map(|(_, sunday)| sunday))?;
            Some(ReportView {
                path: &file.report.path,
                date,
                document: file.report.document.as_ref()?,
                schema: file.report.schema.as_deref()?,
            })
        })
        .filter(|view| view.date <= as_of)
        .collect();
    let items = tracking::track(&views);

    let mut latest: HashMap<String, NaiveDate> = HashMap::new();
    for view in &views {
        let entry = latest
            .entry(rules::series::series_key(view.path))
            .or_insert(view.date);
        *entry = (*entry).max(view.date);
    }
    let limits = rules::tracking::Limits {
        stale_weeks: config.rule(Rule::StaleItem).weeks.unwrap_or(6),
        stale_reports: config.rule(Rule::StaleItem).reports.unwrap_or(4),
    };
    let mut findings = rules::tracking::stale_items(&items, &latest, limits);
    findings.extend(rules::tracking::overdue_items(&items));

    let milestones = milestones::load_configured(
        &workspace.project,
        config.milestones.as_deref(),
        config.milestones_year,
        |path| workspace.relative(path),
    )?;
    let mut extra = Vec::new();
    if let Some(milestones) = milestones {
        // The challenges of the latest report of each series, up to the day.
        let risks: Vec<String> = views
            .iter()
            .filter(|v| latest.get(&rules::series::series_key(v.path)) == Some(&v.date))
            .flat_map(risk_texts)
            .collect();
        let progress: Vec<milestones::Progress> = milestones
            .iter()
            .map(|m| milestones::progress(m, &items, &risks, as_of))
            .collect();
        extra = rules::tracking::milestone_findings(&progress);
        let mut rows: Vec<MilestoneRow> = progress.iter().map(MilestoneRow::from).collect();
        let allocation = if milestones.iter().any(|m| m.staffing.is_some()) {
            latest_allocation(&views, config)
        } else {
            None
        };
        for (row, milestone) in rows.iter_mut().zip(&milestones) {
            let Some(need) = &milestone.staffing else {
                continue;
            };
            let Some((source, have)) = &allocation else {
                continue;
            };
            row.staffing_reported = Some(*have);
            if *have < need.fte && need.until.is_none_or(|until| as_of <= until) {
                extra.push(staffing_finding(milestone, need, source, *have));
            }
        }
        apply_levels(workspace, &mut extra);
        for finding in &mut extra {
            finding.source_line = milestone_source_line(workspace, &finding.path, finding.line);
        }
        fingerprint_all(&mut extra);
        outcome.milestones = Some(MilestonesOutcome {
            as_of,
            milestones: rows,
        });
    }
    for finding in findings {
        if let Some(file) = checked.iter_mut().find(|f| f.report.path == finding.path) {
            file.diagnostics.push(finding);
        }
    }
    Ok(extra)
}

/// The latest staffing the reports give: the newest report (up to the day)
/// whose challenges state the current allocation, with where it says so.
fn latest_allocation(
    views: &[ReportView],
    config: &crate::config::Config,
) -> Option<(String, f64)> {
    let lexicon = config
        .staffing
        .as_ref()
        .unwrap_or_else(|| crate::staffing::Lexicon::builtin());
    // Newest first, stopping at the first report that states it.
    let mut newest: Vec<&ReportView> = views.iter().collect();
    newest.sort_by(|a, b| (b.date, b.path).cmp(&(a.date, a.path)));
    newest.into_iter().find_map(|view| {
        // The last entry that states it, within the newest report.
        let have = risk_texts(view)
            .iter()
            .rev()
            .filter(|text| lexicon.may_concern_people(text))
            .find_map(|text| crate::staffing::read_fte_with(text, lexicon).have)?;
        Some((format!("{} of {}", view.path, dates::ymd(view.date)), have))
    })
}

fn staffing_finding(
    milestone: &milestones::Milestone,
    need: &milestones::Staffing,
    source: &str,
    have: f64,
) -> Diagnostic {
    let until = need
        .until
        .map_or_else(String::new, |until| format!(" until {}", dates::ymd(until)));
    Diagnostic::new(
        Rule::StaffingRisk,
        &milestone.path,
        Pos::new(milestone.line, 1),
        format!(
            "milestone `{}` needs {:.1} FTE{until}; the latest report ({source}) gives {have:.1}: short {:.1}",
            milestone.title,
            need.fte,
            need.fte - have
        ),
    )
    .with_hint("staff the milestone, or move its date; the reports' challenges say how many people there are")
}

/// The texts of a report's challenges entries.
fn risk_texts(view: &ReportView) -> Vec<String> {
    view.document
        .sections
        .iter()
        .enumerate()
        .filter(|(_, s)| {
            s.depth == 1
                && view
                    .schema
                    .section_index(&s.heading.text)
                    .is_some_and(|i| view.schema.sections[i].kind == SectionKind::Risks)
        })
        .flat_map(|(i, _)| view.document.items_under(i).map(|item| item.text.clone()))
        .collect()
}

fn milestone_source_line(workspace: &Workspace, path: &str, line: u32) -> Option<String> {
    let text = std::fs::read_to_string(workspace.root.join(path)).ok()?;
    LineIndex::new(&text).line_text(line).map(str::to_owned)
}

/// A report read and checked on its own, waiting for the rules over the
/// whole series and for the last steps (levels, suppressions, snippets).
struct CheckedFile {
    report: CheckedReport,
    /// How the schema was chosen, for placing an unreadable report.
    choice: SchemaChoice,
    text: String,
    /// Raw findings, before configured levels and suppressions.
    diagnostics: Vec<Diagnostic>,
}

enum FileResult {
    Checked(Box<CheckedFile>),
    Skipped(Note),
    Failed(Error),
}

fn check_file(workspace: &Workspace, file: &ReportFile) -> FileResult {
    let read = match &file.content {
        Some(content) => Ok(content.clone()),
        None => std::fs::read(&file.abs_path),
    };
    let bytes = match read {
        Ok(bytes) => bytes,
        Err(err) => return FileResult::Failed(Error::io(Path::new(&file.path), err)),
    };
    let text = match source::decode(bytes) {
        Ok(text) => text,
        Err(Undecodable::Binary) => {
            return FileResult::Skipped(Note {
                path: Some(file.path.clone()),
                message: "binary file, skipped".into(),
            });
        }
        Err(Undecodable::NotUtf8 { pos }) => {
            let finding = Diagnostic::new(Rule::Encoding, &file.path, pos, "the file is not UTF-8")
                .with_hint("re-save it as UTF-8, e.g. `iconv -f latin1 -t utf-8`");
            return checked(
                file,
                None,
                None,
                ReportInfo::default(),
                String::new(),
                vec![finding],
            );
        }
    };
    let Some(format) = Format::from_path(&file.path) else {
        return FileResult::Skipped(Note {
            path: Some(file.path.clone()),
            message: "not a reStructuredText or Markdown file, skipped".into(),
        });
    };
    let document = report::parse(format, &text);
    let schema = match &file.schema {
        SchemaChoice::Fixed(schema) => Arc::clone(schema),
        SchemaChoice::ByLanguage => {
            choose_by_language(&workspace.config.builtins, &document, &file.path)
        }
    };

    if text.trim().is_empty() {
        let finding = Diagnostic::new(Rule::Title, &file.path, Pos::START, "the file is empty")
            .with_hint("a report starts with its title, then its byline and sections");
        return checked(
            file,
            Some(schema),
            Some(document),
            ReportInfo::default(),
            text,
            vec![finding],
        );
    }

    let ctx = FileContext {
        path: &file.path,
        abs_path: &file.abs_path,
        doc: &document,
        schema: &schema,
        workspace,
    };
    let mut diagnostics = Vec::new();
    let info = rules::structure::check(&ctx, &mut diagnostics);
    rules::sections::check(&ctx, &mut diagnostics);
    rules::links::check(&ctx, &mut diagnostics);
    if workspace.config.enabled(Rule::StaffingRisk) {
        let lexicon = workspace
            .config
            .staffing
            .as_ref()
            .unwrap_or_else(|| crate::staffing::Lexicon::builtin());
        rules::staffing::check(
            &ctx,
            &workspace.config.staffing_sections,
            lexicon,
            &mut diagnostics,
        );
    }
    checked(file, Some(schema), Some(document), info, text, diagnostics)
}

fn checked(
    file: &ReportFile,
    schema: Option<Arc<Schema>>,
    document: Option<Document>,
    info: ReportInfo,
    text: String,
    diagnostics: Vec<Diagnostic>,
) -> FileResult {
    FileResult::Checked(Box::new(CheckedFile {
        choice: file.schema.clone(),
        report: CheckedReport {
            path: file.path.clone(),
            schema,
            info,
            document,
            first_commit: None,
            last_commit: None,
        },
        text,
        diagnostics,
    }))
}

/// Where each report sits in its series: checked reports by what they say
/// about themselves, the others (`context`) by their file names.
fn series_entries(
    workspace: &Workspace,
    checked: &[CheckedFile],
    context: &[ReportFile],
) -> Vec<SeriesEntry> {
    let by_name = |path: &str, schema: &SchemaChoice| {
        let schemas: Vec<&Schema> = match schema {
            SchemaChoice::Fixed(schema) => vec![schema.as_ref()],
            SchemaChoice::ByLanguage => workspace.config.builtins.iter().map(Arc::as_ref).collect(),
        };
        schemas
            .into_iter()
            .find_map(|schema| rules::structure::period_from_path(path, schema))
    };
    let mut entries: Vec<SeriesEntry> = checked
        .iter()
        .filter_map(|file| {
            let info = &file.report.info;
            // A report that could not be read still fills its week.
            let (year, week) = match (info.year, info.week) {
                (Some(year), Some(week)) => (year, week),
                _ => by_name(&file.report.path, &file.choice)?,
            };
            Some(SeriesEntry {
                path: file.report.path.clone(),
                year,
                week,
                anchor: Some(file.report.title_pos()),
            })
        })
        .collect();
    for file in context {
        if checked.iter().any(|c| c.report.path == file.path) {
            continue;
        }
        if let Some((year, week)) = by_name(&file.path, &file.schema) {
            entries.push(SeriesEntry {
                path: file.path.clone(),
                year,
                week,
                anchor: None,
            });
        }
    }
    entries
}

/// The last steps for one file's findings, in this order: configured
/// levels (a rule turned off is gone before suppressions are weighed, so a
/// suppression of an `off` rule is not called unused), inline suppressions,
/// then source lines and fingerprints. The text is dropped here.
fn finish(workspace: &Workspace, file: CheckedFile) -> (CheckedReport, Vec<Diagnostic>) {
    let CheckedFile {
        report,
        text,
        mut diagnostics,
        ..
    } = file;
    apply_levels(workspace, &mut diagnostics);
    if let Some(document) = &report.document {
        let enabled = |rule: Rule| workspace.config.enabled(rule);
        let mut problems = suppress::apply(&report.path, document, &mut diagnostics, enabled);
        apply_levels(workspace, &mut problems);
        diagnostics.extend(problems);
    }
    attach_source_lines(&text, &mut diagnostics);
    (report, diagnostics)
}

fn apply_levels(workspace: &Workspace, diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.retain_mut(|d| match workspace.config.severity(d.rule, d.severity) {
        Some(severity) => {
            d.severity = severity;
            true
        }
        None => false,
    });
}

/// Diagnostics carry their source line (for snippets and fingerprints); it
/// is taken while the file's text is at hand so nothing is read twice.
fn attach_source_lines(text: &str, diagnostics: &mut [Diagnostic]) {
    if diagnostics.is_empty() {
        return;
    }
    let index = LineIndex::new(text);
    for diagnostic in diagnostics.iter_mut() {
        diagnostic.source_line = index.line_text(diagnostic.line).map(str::to_owned);
    }
    fingerprint_all(diagnostics);
}

/// With no schema configured, a report is read with the built-in schema
/// whose language it is written in: the one whose title pattern matches,
/// else the one that knows most of its section titles, else by file name.
fn choose_by_language(builtins: &[Arc<Schema>], document: &Document, path: &str) -> Arc<Schema> {
    let title = document.title.as_ref().map(|t| t.text.trim());
    let score = |schema: &Schema| {
        let title_matches = title.is_some_and(|t| schema.title.is_match(t));
        let known = document
            .top_sections()
            .filter(|s| schema.section_index(&s.heading.text).is_some())
            .count();
        let named = path
            .to_lowercase()
            .contains(match schema.language.as_deref() {
                Some("en") => "week",
                _ => "uke",
            });
        (title_matches, known, named)
    };
    // `rev` so that on a tie the first built-in (`uke`) wins.
    builtins
        .iter()
        .rev()
        .max_by_key(|schema| score(schema))
        .map(Arc::clone)
        .unwrap_or_else(|| Arc::clone(&builtins[0]))
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
        let results: Vec<FileResult> = files.iter().map(|f| check_file(&workspace, f)).collect();
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
