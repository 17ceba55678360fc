//! Reading and checking one report on its own: bytes to text, text to
//! document, the per-file rules, and the schema chosen by language.

use super::*;
use cache::{Id, ResultsCache, StoredFinding, StoredInfo, StoredReport};

/// A report read and checked on its own, waiting for the rules over the
/// whole series and for the last steps (levels, suppressions, snippets).
pub(super) struct CheckedFile {
    pub(super) report: CheckedReport,
    /// How the schema was chosen, for placing an unreadable report.
    pub(super) choice: SchemaChoice,
    /// Staged under a new name: published when the old one was.
    pub(super) renamed: bool,
    /// Staged and in no commit yet: published today (for `date-mismatch`,
    /// which holds the report's dates to the day it is published).
    pub(super) published_today: Option<NaiveDate>,
    pub(super) text: String,
    /// Raw findings, before configured levels and suppressions.
    pub(super) diagnostics: Vec<Diagnostic>,
    /// The report's blob id, when the run has a results cache.
    pub(super) id: Option<Id>,
    /// Taken from the results cache instead of parsed: when the document
    /// is wanted after all.
    pub(super) unparsed: Option<Unparsed>,
    /// Its results, computed this run, for the results cache.
    pub(super) fresh: Option<StoredReport>,
}

/// What the results cache says of a report it kept, for the steps that
/// need its document: only those parse it (see [`parse_unparsed`]).
#[derive(Clone, Copy, Debug)]
pub(super) struct Unparsed {
    /// It has comments addressed to milepost (suppressions).
    pub(super) comments: bool,
    /// It says a report was not written (`missing-report`).
    pub(super) gap_note: bool,
}

/// Parses the reports the results cache kept and `wanted` asks for, in
/// parallel. Parsing is deterministic, so the document is the one the
/// cached results were computed from.
pub(super) fn parse_unparsed(
    files: &mut [CheckedFile],
    wanted: impl Fn(&CheckedFile) -> bool + Sync,
) {
    files
        .par_iter_mut()
        .filter(|file| file.unparsed.is_some() && wanted(file))
        .for_each(CheckedFile::parse);
}

impl CheckedFile {
    /// Parses a report the results cache kept, once.
    pub(super) fn parse(&mut self) {
        if self.unparsed.take().is_none() || self.report.document.is_some() {
            return;
        }
        if let Some(format) = Format::from_path(&self.report.path) {
            self.report.document = Some(report::parse(format, &self.text));
        }
    }
}

pub(super) enum FileResult {
    Checked(Box<CheckedFile>),
    Skipped(Note),
    Failed(Error),
}

/// How much of a report a run needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Depth {
    /// Every per-file rule: the report is one the run answers for.
    Checked,
    /// Only what the rules over the series need (the document, its period
    /// and date): a report read as context for tracking, whose own findings
    /// nobody will see. Links and staffing, the costly rules, are skipped.
    Facts,
}

pub(super) fn check_file(
    workspace: &Workspace,
    file: &ReportFile,
    cache: Option<&ResultsCache>,
) -> FileResult {
    read_report(workspace, file, Depth::Checked, cache)
}

/// Reads a report and checks it as `depth` asks, or takes its results
/// from `cache` when it holds them for these very bytes.
pub(super) fn read_report(
    workspace: &Workspace,
    file: &ReportFile,
    depth: Depth,
    cache: Option<&ResultsCache>,
) -> FileResult {
    let read = match &file.content {
        Some(content) => Ok(content.clone()),
        None => workspace.boundary.read(&file.abs_path),
    };
    let bytes = match read {
        Ok(bytes) => bytes,
        Err(refusal) => {
            return FileResult::Failed(Error::BadPath {
                path: PathBuf::from(&file.path),
                reason: refusal.to_string(),
            });
        }
    };
    // Staged content is checked from the index, never from the cache.
    let id = cache
        .filter(|_| file.content.is_none())
        .and_then(|_| crate::git::blob_id(&bytes));
    let mut result = parse_and_check(workspace, file, depth, bytes, id, cache);
    if let FileResult::Checked(checked) = &mut result {
        checked.id = id;
    }
    result
}

fn parse_and_check(
    workspace: &Workspace,
    file: &ReportFile,
    depth: Depth,
    bytes: Vec<u8>,
    id: Option<Id>,
    cache: Option<&ResultsCache>,
) -> FileResult {
    let text = match source::decode(bytes) {
        Ok(text) => text,
        Err(undecodable) => {
            let finding = Diagnostic::new(
                Rule::Encoding,
                &file.path,
                undecodable.pos(),
                undecodable.to_string(),
            )
            .with_hint(undecodable.hint());
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
    if let (Some(cache), Some(id)) = (cache, &id)
        && let Some(stored) = cache.report(&file.path, id)
        && let Some(kept) = from_cache(workspace, file, &stored, depth)
    {
        return FileResult::Checked(Box::new(CheckedFile { text, ..kept }));
    }
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
        root: &workspace.root,
        sphinx_source: workspace.config.sphinx_source.as_deref(),
    };
    let mut diagnostics = Vec::new();
    let info = rules::structure::check(&ctx, &mut diagnostics);
    if depth == Depth::Facts {
        return checked(file, Some(schema), Some(document), info, text, Vec::new());
    }
    rules::sections::check(&ctx, &mut diagnostics);
    rules::headings::check(&ctx, &text, &mut diagnostics);
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
    // Everything but the links, which are judged again on every run.
    let fresh = id.map(|id| StoredReport {
        id,
        schema: schema.name.clone(),
        info: StoredInfo::of(&info),
        title: document.title.as_ref().map(|t| t.pos),
        findings: diagnostics.iter().map(StoredFinding::of).collect(),
        links: document.links.clone(),
        comments: crate::suppress::addressed(&document),
        gap_note: rules::excuses::mentions_gap(&document),
    });
    // Staged reports are judged against the index, after this parallel
    // pass (see `staged.rs`).
    if file.content.is_none() {
        rules::links::check(&ctx, workspace, &mut diagnostics);
    }
    let mut checked = checked_file(file, Some(schema), Some(document), info, text, diagnostics);
    checked.fresh = fresh;
    FileResult::Checked(Box::new(checked))
}

/// A report as the results cache kept it, its links judged again when it
/// is one the run answers for (`depth`); `None` when the entry does not fit
/// this build or this config (it is then checked afresh). The text is left
/// empty for the caller to fill.
fn from_cache(
    workspace: &Workspace,
    file: &ReportFile,
    stored: &StoredReport,
    depth: Depth,
) -> Option<CheckedFile> {
    let builtins = &workspace.config.builtins;
    let schema = match &file.schema {
        SchemaChoice::Fixed(schema) => (schema.name == stored.schema).then(|| Arc::clone(schema)),
        SchemaChoice::ByLanguage => builtins
            .week()
            .iter()
            .find(|s| s.name == stored.schema)
            .or_else(|| builtins.dated().iter().find(|s| s.name == stored.schema))
            .cloned(),
    }?;
    let info = stored.info.to_info()?;
    let diagnostics = match depth {
        Depth::Checked => {
            let mut diagnostics = stored
                .findings
                .iter()
                .map(StoredFinding::to_diagnostic)
                .collect::<Option<Vec<_>>>()?;
            let place = rules::links::Place {
                path: &file.path,
                abs_path: &file.abs_path,
                root: &workspace.root,
                sphinx_source: workspace.config.sphinx_source.as_deref(),
            };
            rules::links::check_links(&place, &stored.links, workspace, &mut diagnostics);
            diagnostics
        }
        // A report read as context: nobody sees its findings.
        Depth::Facts => Vec::new(),
    };
    let mut kept = checked_file(file, Some(schema), None, info, String::new(), diagnostics);
    kept.report.title = stored.title;
    kept.unparsed = Some(Unparsed {
        comments: stored.comments,
        gap_note: stored.gap_note,
    });
    Some(kept)
}

pub(super) fn checked(
    file: &ReportFile,
    schema: Option<Arc<Schema>>,
    document: Option<Document>,
    info: ReportInfo,
    text: String,
    diagnostics: Vec<Diagnostic>,
) -> FileResult {
    FileResult::Checked(Box::new(checked_file(
        file,
        schema,
        document,
        info,
        text,
        diagnostics,
    )))
}

fn checked_file(
    file: &ReportFile,
    schema: Option<Arc<Schema>>,
    document: Option<Document>,
    info: ReportInfo,
    text: String,
    diagnostics: Vec<Diagnostic>,
) -> CheckedFile {
    CheckedFile {
        choice: file.schema.clone(),
        renamed: file.renamed_from.is_some(),
        published_today: None,
        report: CheckedReport {
            path: file.path.clone(),
            schema,
            info,
            title: document
                .as_ref()
                .and_then(|d| d.title.as_ref())
                .map(|t| t.pos),
            document,
            first_commit: None,
            last_commit: None,
        },
        text,
        diagnostics,
        id: None,
        unparsed: None,
        fresh: None,
    }
}

/// With no schema configured, a report is read with the built-in schema
/// whose language it is written in: the one whose title pattern matches,
/// else the one that knows most of its section titles, else by file name.
/// Reports named by a date choose among the date-named built-ins (the
/// English templates), the others among the week-numbered ones.
pub(super) fn choose_by_language(
    builtins: &crate::schema::builtins::Builtins,
    document: &Document,
    path: &str,
) -> Arc<Schema> {
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
    // A report named by a date is read with the date-named built-ins, any
    // other with the week-numbered ones, as before they existed: a title
    // like `Uke 38` or a name with `uke`/`week` keeps a report among them.
    let lower = path.rsplit('/').next().unwrap_or(path).to_lowercase();
    let week_named = lower.contains("uke")
        || lower.contains("week")
        || builtins
            .week()
            .iter()
            .any(|s| title.is_some_and(|t| s.title.is_match(t)));
    // Only a file not named by week asks for the date-named built-ins (and
    // compiles them, the first time).
    let dated = !week_named
        && builtins.dated().iter().any(|s| {
            s.file_name
                .as_ref()
                .is_some_and(|f| f.is_match(crate::dated::file_name_subject(path, f)))
        });
    let candidates = if dated {
        builtins.dated()
    } else {
        builtins.week()
    };
    // `rev` so that on a tie the first built-in (`uke`) wins.
    candidates
        .iter()
        .rev()
        .max_by_key(|schema| score(schema))
        .unwrap_or(builtins.first())
        .clone()
}
