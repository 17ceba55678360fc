//! Reading and checking one report on its own: bytes to text, text to
//! document, the per-file rules, and the schema chosen by language.

use super::*;

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

pub(super) fn check_file(workspace: &Workspace, file: &ReportFile) -> FileResult {
    read_report(workspace, file, Depth::Checked)
}

/// Reads and parses a report, and runs the per-file rules `depth` asks for.
pub(super) fn read_report(workspace: &Workspace, file: &ReportFile, depth: Depth) -> FileResult {
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
    // Staged reports are judged against the index, after this parallel
    // pass (see `staged.rs`).
    if file.content.is_none() {
        rules::links::check(&ctx, workspace, &mut diagnostics);
    }
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

pub(super) fn checked(
    file: &ReportFile,
    schema: Option<Arc<Schema>>,
    document: Option<Document>,
    info: ReportInfo,
    text: String,
    diagnostics: Vec<Diagnostic>,
) -> FileResult {
    FileResult::Checked(Box::new(CheckedFile {
        choice: file.schema.clone(),
        renamed: file.renamed_from.is_some(),
        published_today: None,
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
