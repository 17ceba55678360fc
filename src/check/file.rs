//! Reading and checking one report on its own: bytes to text, text to
//! document, the per-file rules, and the schema chosen by language.

use super::*;
use crate::boundary::Boundary;
use cache::{EncodedReport, Id, ResultsCache, Stat, StoredFinding, StoredInfo, StoredReport};

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
    /// Where the report is on disk, to read its text after all.
    pub(super) abs_path: PathBuf,
    /// `None` when the results cache vouched for the file by its metadata
    /// and it was not read: [`CheckedFile::text`] reads it when a step
    /// needs it.
    pub(super) text: Option<String>,
    /// Raw findings, before configured levels and suppressions.
    pub(super) diagnostics: Vec<Diagnostic>,
    /// The report's blob id, when the run has a results cache.
    pub(super) id: Option<Id>,
    /// Taken from the results cache instead of parsed: when the document
    /// is wanted after all.
    pub(super) unparsed: Option<Unparsed>,
    /// Its results, computed this run, for the results cache.
    pub(super) fresh: Option<EncodedReport>,
    /// Its file's metadata, for the results cache to keep.
    pub(super) stat: Option<Stat>,
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
/// parallel when there are more than a few (a commit hook has none: it
/// reads no cache, and starting the thread pool for nothing, whose
/// threads then spin before they sleep, was 5% of its time). Parsing is
/// deterministic, so the document is the one the cached results were
/// computed from.
pub(super) fn parse_unparsed(
    files: &mut [CheckedFile],
    boundary: &Boundary,
    wanted: impl Fn(&CheckedFile) -> bool,
) {
    let mut waiting: Vec<&mut CheckedFile> = files
        .iter_mut()
        .filter(|file| file.unparsed.is_some() && wanted(file))
        .collect();
    if waiting.len() <= super::FEW_FILES {
        waiting.into_iter().for_each(|file| file.parse(boundary));
    } else {
        waiting.par_iter_mut().for_each(|file| file.parse(boundary));
    }
}

impl CheckedFile {
    /// Parses a report the results cache kept, once.
    pub(super) fn parse(&mut self, boundary: &Boundary) {
        if self.unparsed.take().is_none() || self.report.document.is_some() {
            return;
        }
        let Some(format) = Format::from_path(&self.report.path) else {
            return;
        };
        if let Some(text) = self.text(boundary) {
            self.report.document = Some(report::parse(format, text));
        }
    }

    /// Lets go of the report's document and text, leaving it as the
    /// results cache gives a report back: unparsed, with what the later
    /// steps ask of an unparsed report (suppressions, a gap explained) to
    /// hand. A step that needs the document parses it again ([`parse`]).
    /// Only for reports read from the work tree: a staged one's text is
    /// the index's, which cannot be read again from its path (and staged
    /// runs do not follow series, the one step that lets go). `was` is
    /// what it was before it was parsed, if it was unparsed: then nothing
    /// needs to be read from the document.
    ///
    /// [`parse`]: CheckedFile::parse
    pub(super) fn let_go(&mut self, was: Option<Unparsed>) {
        let Some(document) = self.report.document.take() else {
            return;
        };
        self.unparsed = Some(was.unwrap_or_else(|| Unparsed {
            comments: crate::suppress::addressed(&document),
            gap_note: rules::excuses::mentions_gap(&document),
        }));
        self.text = None;
    }

    /// The report's text, read now if the run did not read it. `None` if
    /// it cannot be read or decoded any more (it was, a moment ago, with
    /// the same metadata: only a change during the run gets here).
    pub(super) fn text(&mut self, boundary: &Boundary) -> Option<&str> {
        if self.text.is_none() {
            let bytes = boundary.read(&self.abs_path).ok()?;
            self.text = Some(source::decode(bytes).ok()?);
        }
        self.text.as_deref()
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
    // Staged content is checked from the index, never from the cache.
    let cache = cache.filter(|_| file.content.is_none());
    if let Some(cache) = cache
        && let Some(kept) = unchanged(workspace, file, depth, cache)
    {
        return FileResult::Checked(Box::new(kept));
    }
    let read = match &file.content {
        Some(content) => Ok((content.clone(), None)),
        None => workspace
            .boundary
            .read_with_metadata(&file.abs_path)
            .map(|(bytes, meta)| (bytes, Some(meta))),
    };
    let (bytes, meta) = match read {
        Ok(read) => read,
        Err(refusal) => {
            return FileResult::Failed(Error::BadPath {
                path: PathBuf::from(&file.path),
                reason: refusal.to_string(),
            });
        }
    };
    let id = cache.and_then(|_| crate::git::blob_id(&bytes));
    let mut result = parse_and_check(workspace, file, depth, bytes, id, cache);
    if let FileResult::Checked(checked) = &mut result {
        checked.id = id;
        checked.stat = cache
            .and_then(|cache| cache.stat_to_keep(&file.path, meta.as_ref().and_then(Stat::of)));
    }
    result
}

/// The report as the results cache kept it, if its file's metadata says
/// it is the file the results were computed from: it is not read.
fn unchanged(
    workspace: &Workspace,
    file: &ReportFile,
    depth: Depth,
    cache: &ResultsCache,
) -> Option<CheckedFile> {
    Format::from_path(&file.path)?;
    let stored = cache.report_unchanged(&file.path, || {
        // A file the walk met as a regular file in the project is looked
        // at by its name; one that is not a regular file now is read (and
        // refused) through the boundary.
        let meta = if workspace.walked_regular_file(&file.abs_path) {
            std::fs::symlink_metadata(&file.abs_path)
                .ok()
                .filter(std::fs::Metadata::is_file)?
        } else {
            workspace.boundary.look(&file.abs_path).ok()?
        };
        Stat::of(&meta)
    })?;
    let id = stored.id;
    let mut kept = from_cache(workspace, file, stored, depth)?;
    kept.id = Some(id);
    Some(kept)
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
        && let Some(kept) = from_cache(workspace, file, stored, depth)
    {
        return FileResult::Checked(Box::new(CheckedFile {
            text: Some(text),
            ..kept
        }));
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
    // Everything but the links, which are judged again on every run; the
    // findings with their lines, which a later run may not read.
    if id.is_some() {
        fill_source_lines(&text, &mut diagnostics);
    }
    let stored = id.map(|id| StoredReport {
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
    let mut checked = checked_file(
        file,
        Some(schema),
        Some(document),
        info,
        Some(text),
        diagnostics,
    );
    // With its results stored, the report is left as the cache would give
    // it back: unparsed, its text unread. The steps that need its document
    // parse it again (`parse_unparsed`), when they need it. Held from here
    // to there, the documents and texts of 10,000 reports (75 MB) sat
    // beside a cold history walk's tables, the peak of such a run; and a
    // cold run now takes the path of a warm one.
    if let Some(stored) = stored {
        checked.report.document = None;
        checked.text = None;
        checked.unparsed = Some(Unparsed {
            comments: stored.comments,
            gap_note: stored.gap_note,
        });
        checked.fresh = EncodedReport::of(&stored);
    }
    FileResult::Checked(Box::new(checked))
}

/// A report as the results cache kept it, its links judged again when it
/// is one the run answers for (`depth`); `None` when the entry does not fit
/// this build or this config (it is then checked afresh). The text is left
/// for the caller to fill, if it has it.
fn from_cache(
    workspace: &Workspace,
    file: &ReportFile,
    stored: StoredReport,
    depth: Depth,
) -> Option<CheckedFile> {
    let builtins = &workspace.config.builtins;
    let schema = match &file.schema {
        SchemaChoice::Fixed(schema) => (schema.name == stored.schema).then(|| Arc::clone(schema)),
        SchemaChoice::ByLanguage => builtins.named(&stored.schema).cloned(),
    }?;
    let info = stored.info.to_info()?;
    let diagnostics = match depth {
        Depth::Checked => {
            let mut diagnostics = stored
                .findings
                .into_iter()
                .map(StoredFinding::into_diagnostic)
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
    let mut kept = checked_file(file, Some(schema), None, info, None, diagnostics);
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
        Some(text),
        diagnostics,
    )))
}

fn checked_file(
    file: &ReportFile,
    schema: Option<Arc<Schema>>,
    document: Option<Document>,
    info: ReportInfo,
    text: Option<String>,
    diagnostics: Vec<Diagnostic>,
) -> CheckedFile {
    CheckedFile {
        choice: file.schema.clone(),
        renamed: file.renamed_from.is_some(),
        published_today: None,
        abs_path: file.abs_path.clone(),
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
        stat: None,
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
    // A title in the first built-in's words (`Uke 38`) settles it: no
    // other week-numbered built-in's title matches it too (their patterns
    // begin with their own words, held by a test), so none could score
    // higher below, and they are not compiled for it (a commit hook in a
    // Norwegian tree compiles `uke` alone).
    let first = builtins.first();
    if title.is_some_and(|t| first.title.is_match(t)) {
        return Arc::clone(first);
    }
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

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use crate::registry::Rule;

    /// What the cache says of `path`: one finding no check would make, so
    /// that a report answered from it shows where its results came from.
    fn marked(path: &str) -> StoredReport {
        let finding = Diagnostic::new(Rule::Title, path, Pos::START, "from the cache");
        StoredReport {
            id: [9; 20],
            schema: "uke".into(),
            info: StoredInfo::of(&ReportInfo::default()),
            title: Some(Pos::START),
            findings: vec![StoredFinding::of(&finding)],
            links: Vec::new(),
            comments: false,
            gap_note: false,
        }
    }

    #[test]
    fn a_report_checked_for_the_cache_is_left_unparsed_and_parses_again_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let text =
            "Uke 38\n======\n\n.. milepost: disable=stale-item\n\nFullført\n--------\n\n- Noe.\n";
        std::fs::write(dir.path().join("2016_uke_38.rst"), text).unwrap();
        let workspace = Workspace::open(dir.path(), None).unwrap();
        let file = workspace.report_at("2016_uke_38.rst").unwrap();
        let read = |cache: Option<&ResultsCache>| match read_report(
            &workspace,
            &file,
            Depth::Checked,
            cache,
        ) {
            FileResult::Checked(checked) => checked,
            _ => panic!("the report is checked"),
        };
        let cache_dir = tempfile::tempdir().unwrap();
        let cache = ResultsCache::open(cache_dir.path().to_path_buf(), &[b"config"]);
        let mut shed = read(Some(&cache));
        assert!(shed.fresh.is_some(), "its results are kept for the cache");
        assert!(shed.report.document.is_none() && shed.text.is_none());
        let unparsed = shed.unparsed.expect("left as the cache gives it back");
        assert!(unparsed.comments, "its suppression is remembered");
        assert_eq!(shed.report.title, Some(Pos::START));

        // Without a cache nothing is stored, and the document stays.
        let kept = read(None);
        assert!(kept.fresh.is_none() && kept.unparsed.is_none());
        shed.parse(&workspace.boundary);
        assert!(kept.report.document.is_some());
        assert_eq!(
            format!("{:?}", shed.report.document),
            format!("{:?}", kept.report.document)
        );
        // The same findings; the stored ones carry their lines already.
        let found = |file: &CheckedFile| {
            file.diagnostics
                .iter()
                .map(|d| (d.rule, d.line, d.column, d.message.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(found(&shed), found(&kept));
        assert!(!found(&kept).is_empty());
    }

    #[test]
    fn a_report_with_its_stored_metadata_is_not_read_and_any_change_is() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("2016_uke_38.rst");
        std::fs::write(&path, "Uke 38\n======\n\nFullført\n========\n\n- Noe.\n").unwrap();
        let workspace = Workspace::open(dir.path(), None).unwrap();
        let file = workspace.report_at("2016_uke_38.rst").unwrap();
        let cache_dir = tempfile::tempdir().unwrap();
        let open = || ResultsCache::open(cache_dir.path().to_path_buf(), &[b"config"]);
        let meta = std::fs::metadata(&path).unwrap();
        open().store(cache::Fresh {
            reports: vec![(
                file.path.clone(),
                EncodedReport::of(&marked(&file.path)).unwrap(),
            )],
            stats: vec![(file.path.clone(), Stat::of(&meta).unwrap())],
            ..cache::Fresh::default()
        });
        let read = |cache: &ResultsCache| match read_report(
            &workspace,
            &file,
            Depth::Checked,
            Some(cache),
        ) {
            FileResult::Checked(checked) => checked,
            _ => panic!("the report is checked"),
        };
        // The stored id is no blob's: only the metadata can have matched.
        let kept = read(&open());
        assert!(kept.text.is_none(), "read although its metadata matched");
        assert_eq!(kept.diagnostics.len(), 1);
        assert_eq!(kept.diagnostics[0].message, "from the cache");

        // The same size and modification time, other bytes: the change
        // time gives it away (after a tick of the file system's clock).
        std::thread::sleep(std::time::Duration::from_millis(50));
        std::fs::write(&path, "Uke 38\n======\n\nFullført\n========\n\n- Nei.\n").unwrap();
        std::fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(meta.modified().unwrap())
            .unwrap();
        let again = std::fs::metadata(&path).unwrap();
        assert_eq!(
            (again.len(), again.modified().ok()),
            (meta.len(), meta.modified().ok())
        );
        let fresh = read(&open());
        // Checked afresh, from the new bytes: its results are this run's,
        // under the new blob id (the text itself is not kept, see
        // `parse_and_check`).
        let stored = fresh.fresh.as_ref().expect("checked afresh");
        assert_eq!(Some(&stored.id), fresh.id.as_ref());
        assert_eq!(
            fresh.id,
            crate::git::blob_id("Uke 38\n======\n\nFullført\n========\n\n- Nei.\n".as_bytes())
        );
        assert!(
            fresh
                .diagnostics
                .iter()
                .all(|d| d.message != "from the cache")
        );
    }

    /// The schema a report is read with, chosen by language, and which
    /// built-ins that compiled.
    fn chosen(text: &str, path: &str) -> (String, (bool, bool, bool)) {
        let builtins = crate::schema::builtins::Builtins::default();
        let format = if path.ends_with(".md") {
            report::Format::Markdown
        } else {
            report::Format::Rst
        };
        let document = report::parse(format, text);
        let schema = choose_by_language(&builtins, &document, path);
        (schema.name.clone(), builtins.compiled())
    }

    /// A Norwegian title settles the choice with `uke` alone (a commit
    /// hook compiles nothing else); anything else is weighed against every
    /// week-numbered built-in, as before.
    #[test]
    fn a_title_in_the_first_schemas_words_compiles_no_other() {
        let uke = "======\nUke 38\n======\n\nav A, B, 23. sep 2016\n\nFullført\n========\n\n- x\n";
        assert_eq!(
            chosen(uke, "r/2016_uke_38.rst"),
            ("uke".into(), (true, false, false))
        );
        // Named `week`, titled in Norwegian: the title decides.
        assert_eq!(chosen(uke, "r/2016_week_38.rst").0, "uke");
        let week = "# Week 38\n\nby A, B, September 23, 2016\n\n## Completed\n\n- x\n";
        assert_eq!(
            chosen(week, "r/2016_week_38.md"),
            ("weekly".into(), (true, true, false))
        );
        // No title: the section titles decide, among both.
        let untitled = "## Completed\n\n- x\n\n## In progress\n\n- y\n";
        assert_eq!(
            chosen(untitled, "r/2016_uke_38.md"),
            ("weekly".into(), (true, true, false))
        );
        let untitled = "Fullført\n========\n\n- x\n\nUnder arbeid\n============\n\n- y\n";
        assert_eq!(chosen(untitled, "r/2016_week_38.rst").0, "uke");
    }
}
