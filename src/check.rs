//! `milepost check`: select the reports, read and check each one in
//! parallel, and collect the findings in a stable order.
//!
//! Each file is checked on its own, so one bad file never stops the others:
//! what cannot be read becomes a finding (`encoding`) or a note (binary), or
//! a failure that is reported after everything else was checked.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::baseline::{Baseline, BaselineStats};
use crate::config::{Level, SchemaChoice};
use crate::diagnostic::{Diagnostic, Note, Severity, Summary, fingerprint_all};
use crate::error::{Error, Result};
use crate::report::{self, Document, Format, LineIndex, Pos};
use crate::rules::{self, FileContext, Rule, structure::ReportInfo};
use crate::schema::Schema;
use crate::source::{self, Undecodable};
use crate::suppress;
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
}

/// One checked report.
#[derive(Debug)]
pub struct CheckedReport {
    pub path: String,
    pub schema: Option<Arc<Schema>>,
    pub info: ReportInfo,
    pub document: Option<Document>,
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
    let files = workspace.reports(&options.cwd, &options.paths, &mut notes)?;
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
    for result in results {
        match result {
            FileResult::Checked {
                report,
                diagnostics,
            } => {
                outcome.diagnostics.extend(diagnostics);
                outcome.reports.push(*report);
            }
            FileResult::Skipped(note) => outcome.notes.push(note),
            FileResult::Failed(error) => outcome.failures.push(error),
        }
    }
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

enum FileResult {
    Checked {
        report: Box<CheckedReport>,
        diagnostics: Vec<Diagnostic>,
    },
    Skipped(Note),
    Failed(Error),
}

fn check_file(workspace: &Workspace, file: &ReportFile) -> FileResult {
    let bytes = match std::fs::read(&file.abs_path) {
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
            let findings = finish(workspace, "", None, vec![finding]);
            return checked(file, None, None, ReportInfo::default(), findings);
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
        let findings = finish(workspace, &text, None, vec![finding]);
        return checked(
            file,
            Some(schema),
            Some(document),
            ReportInfo::default(),
            findings,
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
    let diagnostics = finish(workspace, &text, Some((&file.path, &document)), diagnostics);
    checked(file, Some(schema), Some(document), info, diagnostics)
}

/// The last steps for one file's findings, in this order: configured
/// levels (a rule turned off is gone before suppressions are weighed, so a
/// suppression of an `off` rule is not called unused), inline suppressions,
/// then source lines and fingerprints.
fn finish(
    workspace: &Workspace,
    text: &str,
    suppressible: Option<(&str, &Document)>,
    mut diagnostics: Vec<Diagnostic>,
) -> Vec<Diagnostic> {
    apply_levels(workspace, &mut diagnostics);
    if let Some((path, document)) = suppressible {
        let enabled = |rule: Rule| {
            workspace
                .config
                .severity(rule, rule.default_severity())
                .is_some()
        };
        let mut problems = suppress::apply(path, document, &mut diagnostics, enabled);
        apply_levels(workspace, &mut problems);
        diagnostics.extend(problems);
    }
    attach_source_lines(text, &mut diagnostics);
    diagnostics
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

fn checked(
    file: &ReportFile,
    schema: Option<Arc<Schema>>,
    document: Option<Document>,
    info: ReportInfo,
    diagnostics: Vec<Diagnostic>,
) -> FileResult {
    FileResult::Checked {
        report: Box::new(CheckedReport {
            path: file.path.clone(),
            schema,
            info,
            document,
        }),
        diagnostics,
    }
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
