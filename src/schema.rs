//! Report schemas: what a family of reports looks like. Built-in schemas are
//! YAML files under `schema/` compiled into the binary; a config can point at
//! its own files, which may `extends:` another schema and override parts.
//!
//! Schemas are compiled once per run (regexes included) and shared by every
//! file, which keeps the per-file cost to matching.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use crate::boundary::{Boundary, Refusal};

use regex::Regex;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result, line_of_key};
use crate::registry::Severity;

pub mod builtins;
mod check;
pub mod edit;
use crate::text::title_key;
use edit::SectionsField;

/// The schemas compiled into milepost, by name.
pub const BUILTIN: &[(&str, &str)] = &[
    ("uke", include_str!("../schema/uke.yaml")),
    ("weekly", include_str!("../schema/weekly.yaml")),
    // Reports named by date: chosen only for date-named files (see
    // `check::file::choose_by_language`), so week-numbered trees see no
    // change.
    ("status", include_str!("../schema/status.yaml")),
    ("standup", include_str!("../schema/standup.yaml")),
    (
        "accomplishments",
        include_str!("../schema/accomplishments.yaml"),
    ),
    ("goals", include_str!("../schema/goals.yaml")),
];

/// What a section is for; tracking and staffing rules work by kind, so a
/// schema in any language plugs into them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SectionKind {
    Done,
    InProgress,
    Planned,
    Risks,
    Status,
    Notes,
}

/// Whether a section outside the schema is an error or a warning.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum UnknownSectionLevel {
    Error,
    Warning,
}

/// A section as the schema file states it.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionSpec {
    pub title: String,
    pub kind: SectionKind,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default = "yes")]
    pub required: bool,
    #[serde(default)]
    pub repeatable: bool,
    /// A carry-over section: a copy of the previous report's section of
    /// this kind (*Original Goals*, a copy of last week's `planned`).
    #[serde(default)]
    pub copy_of: Option<SectionKind>,
    /// `milepost new` copies this section's text into the next report
    /// (standing text, such as a status paragraph that changes rarely);
    /// otherwise a section other than in progress and planned starts empty.
    #[serde(default)]
    pub copy_to_next: bool,
}

fn yes() -> bool {
    true
}

/// What is wrong when a schema's `key` pattern lacks the capture `group`
/// it needs, or `None`. A week may also be named by a date (a date-named
/// series). One place, for the typed reading here and the whole-file check
/// (`schema/check.rs`), so the two never disagree.
pub(crate) fn missing_capture(key: &str, regex: &Regex, group: &str) -> Option<String> {
    let dated = group == "week" && crate::dated::names_date(regex);
    if dated || regex.capture_names().flatten().any(|name| name == group) {
        return None;
    }
    let or_date = if group == "week" {
        ", or a date: `(?P<date>...)`, or `(?P<year>...)`, `(?P<month>...)` and `(?P<day>...)`"
    } else {
        ""
    };
    Some(format!(
        "key `{key}`: the pattern must capture `(?P<{group}>...)`{or_date}"
    ))
}

/// Example values quoted in hints.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Examples {
    pub file_name: Option<String>,
    pub title: Option<String>,
    pub byline: Option<String>,
}

/// A schema file as written: every field optional so that `extends` can
/// fill in what a small schema leaves out.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SchemaFile {
    name: Option<String>,
    description: Option<String>,
    extends: Option<String>,
    language: Option<String>,
    file_name: Option<String>,
    title: Option<String>,
    /// Absent: inherited; `null`: this template has no byline (a 2015
    /// template that never had one); a pattern: the byline.
    #[serde(default, deserialize_with = "present")]
    byline: Option<Option<String>>,
    grace_days: Option<u32>,
    unknown_section: Option<UnknownSectionLevel>,
    order: Option<bool>,
    examples: Option<Examples>,
    /// The list, or edits to the parent's list ([`edit`]).
    sections: Option<SectionsField>,
}

/// Reads a key that is present (even as `null`) as `Some`, so that `null`
/// can mean something other than "not given".
fn present<'de, D, T>(deserializer: D) -> std::result::Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(deserializer).map(Some)
}

impl SchemaFile {
    /// Fields of `self` win; the rest come from `parent`.
    fn over(self, parent: SchemaFile) -> SchemaFile {
        SchemaFile {
            name: self.name.or(parent.name),
            description: self.description.or(parent.description),
            extends: None,
            language: self.language.or(parent.language),
            file_name: self.file_name.or(parent.file_name),
            title: self.title.or(parent.title),
            byline: self.byline.or(parent.byline),
            grace_days: self.grace_days.or(parent.grace_days),
            unknown_section: self.unknown_section.or(parent.unknown_section),
            order: self.order.or(parent.order),
            examples: self.examples.or(parent.examples),
            sections: self.sections.or(parent.sections),
        }
    }
}

/// Where a schema came from, for messages.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum SchemaOrigin {
    Builtin(&'static str),
    File(PathBuf),
}

impl fmt::Display for SchemaOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SchemaOrigin::Builtin(name) => write!(f, "built-in schema `{name}`"),
            SchemaOrigin::File(path) => write!(f, "{}", path.display()),
        }
    }
}

/// A compiled schema.
#[derive(Debug)]
pub struct Schema {
    pub name: String,
    pub description: String,
    pub origin: SchemaOrigin,
    pub language: Option<String>,
    /// Matched against the file name without extension; captures `week`
    /// and optionally `year`.
    pub file_name: Option<Regex>,
    /// Captures `week` and optionally `year`.
    pub title: Regex,
    /// Captures `date` and optionally `author` and `organisation`; `None`
    /// when the schema says its reports have no byline (`byline: null`).
    pub byline: Option<Regex>,
    pub grace_days: u32,
    pub unknown_section: Severity,
    pub order: bool,
    pub examples: Examples,
    pub sections: Vec<SectionSpec>,
    /// Title or alias (as [`title_key`]) to index in `sections`.
    lookup: HashMap<String, usize>,
}

impl Schema {
    /// Whether the reports are named by a date rather than a week: the
    /// file-name or title pattern captures a date and no week
    /// ([`crate::dated`]).
    pub fn is_dated(&self) -> bool {
        self.file_name
            .as_ref()
            .is_some_and(crate::dated::names_date)
            || crate::dated::names_date(&self.title)
    }

    /// The index of the section spec a heading belongs to.
    pub fn section_index(&self, heading: &str) -> Option<usize> {
        self.lookup.get(title_key(heading).as_ref()).copied()
    }

    /// Every title and alias, for suggestions.
    pub fn known_titles(&self) -> impl Iterator<Item = &str> {
        self.sections.iter().flat_map(|s| {
            std::iter::once(s.title.as_str()).chain(s.aliases.iter().map(String::as_str))
        })
    }

    /// Loads a built-in schema by name.
    pub fn builtin(name: &str) -> Option<Result<Schema>> {
        BUILTIN
            .iter()
            .find(|(builtin, _)| *builtin == name)
            .map(|(_, _)| Loader::default().load(name, Path::new(".")))
    }
}

/// Resolves `extends` chains and reports cycles. Schema files are read
/// only through a [`Boundary`]: a schema path in a config from a pull
/// request may name anything.
#[derive(Default)]
pub struct Loader<'a> {
    chain: Vec<SchemaOrigin>,
    /// `None` allows only the built-in schemas.
    files: Option<&'a Boundary>,
    /// Every schema file read so far (`extends` parents too), so that a
    /// run can tell which of the files it was given are schema files.
    pub read: Vec<PathBuf>,
    /// Their texts, in the same order: what the results cache is keyed on.
    pub texts: Vec<String>,
    /// Every pattern compiled so far, for the check of a file and for its
    /// schema.
    patterns: Patterns,
    /// The built-ins read so far: every schema `milepost init` writes
    /// extends one, and reading it is as costly as reading the file.
    builtins_read: HashMap<&'static str, SchemaFile>,
}

/// Patterns compiled, by their text. The schemas `milepost init` writes,
/// one per template era, mostly repeat each other's patterns (15 patterns,
/// 4 of them different, in a repository of five eras), each was compiled
/// twice (checked, then compiled for the schema), and a commit hook loads
/// every schema its config names: the compiles saved were a tenth of a
/// hook in such a repository.
#[derive(Default)]
pub(crate) struct Patterns {
    by_text: HashMap<String, Regex>,
    /// How many were compiled (what a test counts).
    compiled: usize,
}

impl Patterns {
    /// `pattern` compiled, once per loader (a clone shares the compiled
    /// program).
    pub(crate) fn compile(&mut self, pattern: &str) -> std::result::Result<Regex, regex::Error> {
        if let Some(regex) = self.by_text.get(pattern) {
            return Ok(regex.clone());
        }
        let regex = Regex::new(pattern)?;
        self.compiled += 1;
        self.by_text.insert(pattern.to_owned(), regex.clone());
        Ok(regex)
    }
}

impl<'a> Loader<'a> {
    /// A loader that reads schema files inside `boundary`'s root.
    pub fn within(boundary: &'a Boundary) -> Loader<'a> {
        Loader {
            chain: Vec::new(),
            files: Some(boundary),
            read: Vec::new(),
            texts: Vec::new(),
            patterns: Patterns::default(),
            builtins_read: HashMap::new(),
        }
    }

    /// Loads the schema named `reference`: a built-in name, or a path
    /// relative to `base_dir` (the folder of the file that names it).
    pub fn load(&mut self, reference: &str, base_dir: &Path) -> Result<Schema> {
        let (origin, text, file) = self.read(reference, base_dir)?;
        let merged = self.resolve(origin.clone(), &text, file, base_dir)?;
        compile(merged, origin, &text, &mut self.patterns)
    }

    fn read(
        &mut self,
        reference: &str,
        base_dir: &Path,
    ) -> Result<(SchemaOrigin, String, PathBuf)> {
        if let Some((name, text)) = BUILTIN.iter().find(|(name, _)| *name == reference) {
            return Ok((
                SchemaOrigin::Builtin(name),
                (*text).to_owned(),
                PathBuf::from(format!("<built-in schema {name}>")),
            ));
        }
        let path = base_dir.join(reference);
        let not_found = || {
            let builtins: Vec<_> = BUILTIN.iter().map(|(name, _)| *name).collect();
            Error::invalid(
                &path,
                None,
                format!(
                    "schema `{reference}` not found: it is neither a built-in schema ({}) nor a file",
                    builtins.join(", ")
                ),
            )
        };
        let Some(boundary) = self.files else {
            return Err(not_found());
        };
        let bytes = boundary.read(&path).map_err(|refusal| match refusal {
            Refusal::Missing => not_found(),
            Refusal::NotAFile("a folder") => {
                Error::invalid(&path, None, "is a folder, not a schema file")
            }
            other => Error::invalid(&path, None, format!("schema `{reference}` {other}")),
        })?;
        let text = String::from_utf8(bytes)
            .map_err(|_| Error::invalid(&path, None, "is not UTF-8 text"))?;
        let canonical = path.canonicalize().unwrap_or_else(|_| path.clone());
        self.read.push(canonical.clone());
        self.texts.push(text.clone());
        Ok((SchemaOrigin::File(canonical), text, path))
    }

    fn resolve(
        &mut self,
        origin: SchemaOrigin,
        text: &str,
        file: PathBuf,
        base_dir: &Path,
    ) -> Result<SchemaFile> {
        if let Some(start) = self.chain.iter().position(|seen| *seen == origin) {
            let cycle: Vec<String> = self.chain[start..]
                .iter()
                .chain(std::iter::once(&origin))
                .map(ToString::to_string)
                .collect();
            return Err(Error::invalid(
                &file,
                line_of_key(text, "extends").map(|line| (line, 1)),
                format!("schema extends itself: {}", cycle.join(" → ")),
            ));
        }
        // Built-in schemas are known good (a test holds them to the full
        // check); skipping the duplicate-key pass keeps start-up short.
        let parsed: SchemaFile = match origin {
            SchemaOrigin::Builtin(name) => match self.builtins_read.get(name) {
                Some(parsed) => parsed.clone(),
                None => {
                    let parsed: SchemaFile =
                        serde_yaml::from_str(text).map_err(|err| Error::yaml(&file, &err))?;
                    self.builtins_read.insert(name, parsed.clone());
                    parsed
                }
            },
            SchemaOrigin::File(_) => {
                // Every mistake at once, at its value, before the typed reading.
                let value = crate::yaml::value(text, &file)?;
                let problems = check::check(&value, &mut self.patterns);
                if !problems.is_empty() {
                    return Err(crate::yaml_pos::located(&file, text, problems));
                }
                crate::yaml::typed(value, text, &file)?
            }
        };
        let Some(parent_ref) = parsed.extends.clone() else {
            return Ok(parsed);
        };
        self.chain.push(origin);
        let parent_dir = file
            .parent()
            .map_or_else(|| base_dir.to_path_buf(), Path::to_path_buf);
        let (parent_origin, parent_text, parent_file) = self.read(&parent_ref, &parent_dir)?;
        let parent = self.resolve(parent_origin, &parent_text, parent_file, &parent_dir)?;
        self.chain.pop();
        let mut parsed = parsed;
        if let (Some(SectionsField::Edit(edits)), Some(SectionsField::List(inherited))) =
            (&parsed.sections, &parent.sections)
        {
            let list = edit::apply(inherited.clone(), edits).map_err(|err| {
                Error::invalid(&file, locate_edit(text, err.key, &err.name), err.message)
            })?;
            parsed.sections = Some(SectionsField::List(list));
        }
        Ok(parsed.over(parent))
    }
}

/// Where a section edit's name is written: the first line at or after the
/// edit's key that holds it, at its column; else the key's line.
fn locate_edit(text: &str, key: &str, name: &str) -> Option<(usize, usize)> {
    let key_line = line_of_key(text, key)?;
    let found = text
        .lines()
        .enumerate()
        .skip(key_line - 1)
        .find_map(|(index, line)| {
            let byte = line.find(name)?;
            Some((index + 1, line[..byte].chars().count() + 1))
        });
    Some(found.unwrap_or((key_line, 1)))
}

fn compile(
    file: SchemaFile,
    origin: SchemaOrigin,
    text: &str,
    patterns: &mut Patterns,
) -> Result<Schema> {
    let path = match &origin {
        SchemaOrigin::Builtin(name) => PathBuf::from(format!("<built-in schema {name}>")),
        SchemaOrigin::File(path) => path.clone(),
    };
    fn required_missing(key: &str, path: &Path) -> Error {
        Error::invalid(path, None, format!("missing required key `{key}`"))
    }
    fn required<T>(value: Option<T>, key: &str, path: &Path) -> Result<T> {
        value.ok_or_else(|| required_missing(key, path))
    }
    let mut regex = |pattern: &str, key: &str, groups: &[&str]| -> Result<Regex> {
        // At the pattern itself; worked out only for an error (reading the
        // positions of a whole file is a tenth of a commit hook's start).
        let at = || {
            crate::yaml_pos::Positions::of(text)
                .at(key)
                .or_else(|| line_of_key(text, key).map(|line| (line, 1)))
        };
        let regex = patterns.compile(pattern).map_err(|err| {
            Error::invalid(&path, at(), format!("key `{key}`: invalid regex: {err}"))
        })?;
        for group in groups {
            if let Some(message) = missing_capture(key, &regex, group) {
                return Err(Error::invalid(&path, at(), message));
            }
        }
        Ok(regex)
    };

    let sections = match required(file.sections, "sections", &path)? {
        SectionsField::List(list) => list,
        SectionsField::Edit(_) => {
            return Err(Error::invalid(
                &path,
                line_of_key(text, "sections").map(|line| (line, 1)),
                "`sections:` edits (`add`, `remove`, `rename`, `change`, `move`) need a schema to edit: add `extends:`, or give the sections as a list",
            ));
        }
    };
    let mut lookup = HashMap::new();
    for (index, section) in sections.iter().enumerate() {
        for name in std::iter::once(&section.title).chain(&section.aliases) {
            if let Some(previous) = lookup.insert(title_key(name).into_owned(), index)
                && previous != index
            {
                return Err(Error::invalid(
                    &path,
                    line_of_key(text, "sections").map(|line| (line, 1)),
                    format!(
                        "`{name}` names two sections (`{}` and `{}`)",
                        sections[previous].title, section.title
                    ),
                ));
            }
        }
    }

    Ok(Schema {
        name: file.name.unwrap_or_else(|| origin.to_string()),
        description: file.description.unwrap_or_default(),
        file_name: file
            .file_name
            .as_deref()
            .map(|p| regex(p, "file_name", &["week"]))
            .transpose()?,
        title: regex(&required(file.title, "title", &path)?, "title", &["week"])?,
        byline: match file.byline {
            Some(Some(pattern)) => Some(regex(&pattern, "byline", &["date"])?),
            Some(None) => None,
            None => return Err(required_missing("byline", &path)),
        },
        grace_days: file.grace_days.unwrap_or(7),
        unknown_section: match file.unknown_section {
            Some(UnknownSectionLevel::Warning) => Severity::Warning,
            _ => Severity::Error,
        },
        order: file.order.unwrap_or(true),
        examples: file.examples.unwrap_or_default(),
        language: file.language,
        sections,
        lookup,
        origin,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtins_compile() {
        for (name, _) in BUILTIN {
            let schema = Schema::builtin(name).unwrap().unwrap();
            assert_eq!(schema.name, *name);
            assert!(schema.sections.len() >= 4);
        }
    }

    /// The checker's keys are the schema file's: a key added to
    /// `SchemaFile` must be added to `check::KEYS` too.
    #[test]
    fn the_checker_knows_every_key() {
        let err = serde_yaml::from_str::<SchemaFile>("bogus: 1\n")
            .unwrap_err()
            .to_string();
        let listed: Vec<&str> = err.split('`').skip(3).step_by(2).collect();
        assert_eq!(listed, check::KEYS, "{err}");
    }

    #[test]
    fn builtins_pass_the_full_yaml_check() {
        for (name, text) in BUILTIN {
            let parsed: Result<SchemaFile> = crate::yaml::from_str(text, Path::new(name));
            assert!(parsed.is_ok(), "{name}: {parsed:?}");
        }
    }

    #[test]
    fn builtin_patterns_read_the_seed() {
        let uke = Schema::builtin("uke").unwrap().unwrap();
        let caps = uke
            .byline
            .as_ref()
            .unwrap()
            .captures("av Raymond Kristiansen, UH IaaS, 23. sep 2016")
            .unwrap();
        assert_eq!(&caps["author"], "Raymond Kristiansen");
        assert_eq!(&caps["organisation"], "UH IaaS");
        assert_eq!(&caps["date"], "23. sep 2016");
        assert_eq!(&uke.title.captures("Uke 38").unwrap()["week"], "38");
        let file = uke
            .file_name
            .as_ref()
            .unwrap()
            .captures("2016_uke_38")
            .unwrap();
        assert_eq!((&file["year"], &file["week"]), ("2016", "38"));
        assert_eq!(uke.section_index("Fullført"), Some(0));
        assert_eq!(uke.section_index("Ferdig"), Some(0));
        assert_eq!(uke.section_index("Fullfort"), None);
    }

    #[test]
    fn date_named_builtins_read_common_names_and_titles() {
        let status = Schema::builtin("status").unwrap().unwrap();
        assert!(status.is_dated());
        let file = status.file_name.as_ref().unwrap();
        for (stem, date) in [
            ("projectname-170226", "170226"),
            ("2017-02-26", "2017-02-26"),
            ("status_20170226", "20170226"),
            ("weekly-status-2017-02-26", "2017-02-26"),
        ] {
            assert_eq!(&file.captures(stem).unwrap()["date"], date, "{stem}");
        }
        assert!(file.captures("2016_uke_38").is_none());
        for (title, date) in [
            ("Projectname 26/02/17", "26/02/17"),
            ("Status 2017-02-26", "2017-02-26"),
            ("Weekly update: March 8, 2017", "March 8, 2017"),
            ("Status 8. mars 2017", "8. mars 2017"),
            ("2017-02-26", "2017-02-26"),
        ] {
            assert_eq!(
                &status.title.captures(title).unwrap()["date"],
                date,
                "{title}"
            );
        }
        let goals = Schema::builtin("goals").unwrap().unwrap();
        let original = goals.section_index("Original Goals").unwrap();
        assert_eq!(goals.sections[original].copy_of, Some(SectionKind::Planned));
        assert_eq!(
            goals.file_name.as_ref().map(Regex::as_str),
            status.file_name.as_ref().map(Regex::as_str)
        );
        for name in ["uke", "weekly"] {
            assert!(!Schema::builtin(name).unwrap().unwrap().is_dated());
        }
    }

    #[test]
    fn english_byline_keeps_the_comma_in_the_date() {
        let weekly = Schema::builtin("weekly").unwrap().unwrap();
        let caps = weekly
            .byline
            .as_ref()
            .unwrap()
            .captures("by Jane Doe, UiO, USIT, September 23, 2016")
            .unwrap();
        assert_eq!(&caps["organisation"], "UiO, USIT");
        assert_eq!(&caps["date"], "September 23, 2016");
    }

    #[test]
    fn invalid_regex_names_file_key_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let boundary = Boundary::new(dir.path().canonicalize().unwrap());
        std::fs::write(
            dir.path().join("s.yaml"),
            "extends: uke\ntitle: '(unclosed'\n",
        )
        .unwrap();
        let err = Loader::within(&boundary)
            .load("s.yaml", dir.path())
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("s.yaml:2:8: key `title`: invalid regex"),
            "{err}"
        );
    }

    #[test]
    fn extends_overrides_and_detects_cycles() {
        let dir = tempfile::tempdir().unwrap();
        let boundary = Boundary::new(dir.path().canonicalize().unwrap());
        std::fs::write(dir.path().join("a.yaml"), "extends: uke\ngrace_days: 3\n").unwrap();
        let schema = Loader::within(&boundary)
            .load("a.yaml", dir.path())
            .unwrap();
        assert_eq!(schema.grace_days, 3);
        assert_eq!(schema.sections[0].title, "Fullført");

        std::fs::write(dir.path().join("b.yaml"), "extends: c.yaml\n").unwrap();
        std::fs::write(dir.path().join("c.yaml"), "extends: b.yaml\n").unwrap();
        let err = Loader::within(&boundary)
            .load("b.yaml", dir.path())
            .unwrap_err()
            .to_string();
        assert!(err.contains("schema extends itself"), "{err}");
        std::fs::write(dir.path().join("self.yaml"), "extends: self.yaml\n").unwrap();
        let err = Loader::within(&boundary)
            .load("self.yaml", dir.path())
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("self.yaml:1:1: schema extends itself"),
            "{err}"
        );
    }

    /// Schemas of one config that repeat each other's patterns (as the
    /// ones `milepost init` writes per era do) compile each pattern once,
    /// for the check and the schema both, and read their built-in parent
    /// once; each comes out as a loader of its own would make it.
    #[test]
    fn one_loader_compiles_each_pattern_and_reads_each_parent_once() {
        let dir = tempfile::tempdir().unwrap();
        let boundary = Boundary::new(dir.path().canonicalize().unwrap());
        let title = "title: '^(?i:Uke\\s*(?P<week>[0-9]{1,2}))$'\n";
        let byline = "byline: '^(?i:av)\\s+(?P<author>[^,]+?),\\s*(?P<date>[^,]+?)$'\n";
        std::fs::write(
            dir.path().join("era-1.yaml"),
            format!("extends: uke\nname: era-1\n{title}{byline}"),
        )
        .unwrap();
        std::fs::write(
            dir.path().join("era-2.yaml"),
            format!("extends: uke\nname: era-2\n{title}{byline}grace_days: 3\n"),
        )
        .unwrap();
        let mut loader = Loader::within(&boundary);
        let first = loader.load("era-1.yaml", dir.path()).unwrap();
        let second = loader.load("era-2.yaml", dir.path()).unwrap();
        // title, byline, and the file name pattern both inherit from `uke`.
        assert_eq!(loader.patterns.compiled, 3);
        assert_eq!(loader.builtins_read.len(), 1);
        // Everything but the order of a hash map.
        let shape = |schema: &Schema| {
            let lookup: std::collections::BTreeMap<_, _> = schema.lookup.iter().collect();
            let mut shown = format!("{schema:?}");
            shown.truncate(shown.find(", lookup:").unwrap_or(shown.len()));
            format!("{shown} {lookup:?}")
        };
        for (name, shared) in [("era-1.yaml", &first), ("era-2.yaml", &second)] {
            let alone = Loader::within(&boundary).load(name, dir.path()).unwrap();
            assert_eq!(shape(&alone), shape(shared));
        }
        assert_eq!((first.grace_days, second.grace_days), (7, 3));
    }

    /// Every built-in, and a schema of every key, read from its parsed
    /// value as from its text (`yaml::typed`).
    #[test]
    fn schema_files_read_from_their_value_as_from_their_text() {
        let every_key = "name: x\ndescription: d\nextends: uke\nlanguage: nb\nfile_name: '(?P<week>1)'\ntitle: '(?P<week>1)'\nbyline: ~\ngrace_days: 3\nunknown_section: warning\norder: false\nexamples: {title: Uke 1}\nsections:\n  add:\n    - {title: Ny, kind: notes, aliases: [N], required: false, repeatable: true}\n";
        let texts = BUILTIN.iter().map(|(_, text)| *text).chain([every_key]);
        for text in texts {
            let path = Path::new("s.yaml");
            let value = crate::yaml::value(text, path).unwrap();
            let read: SchemaFile = crate::yaml::typed(value, text, path).unwrap();
            let from_text: SchemaFile = serde_yaml::from_str(text).unwrap();
            assert_eq!(format!("{read:?}"), format!("{from_text:?}"));
        }
    }

    #[test]
    fn sections_can_be_edited_in_a_schema_that_extends() {
        let dir = tempfile::tempdir().unwrap();
        let boundary = Boundary::new(dir.path().canonicalize().unwrap());
        std::fs::write(
            dir.path().join("a.yaml"),
            "extends: uke\nsections:\n  remove: [Oppdatert status]\n  move:\n    - {title: Utfordringer, before: Fullført}\n",
        )
        .unwrap();
        // Edits of edits: b extends a.
        std::fs::write(
            dir.path().join("b.yaml"),
            "extends: a.yaml\nsections:\n  rename: {Annet: Diverse}\n",
        )
        .unwrap();
        let schema = Loader::within(&boundary)
            .load("b.yaml", dir.path())
            .unwrap();
        let titles: Vec<&str> = schema.sections.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "Utfordringer",
                "Fullført",
                "Under arbeid",
                "Planlagt fremdrift",
                "Diverse"
            ]
        );
        assert_eq!(schema.section_index("Diverse"), Some(4));
        assert_eq!(schema.section_index("Annet"), None);

        std::fs::write(
            dir.path().join("c.yaml"),
            "extends: uke\nsections:\n  remove:\n    - Fullført\n    - Oppdatert statu\n",
        )
        .unwrap();
        let err = Loader::within(&boundary)
            .load("c.yaml", dir.path())
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("c.yaml:5:7: `remove`: no section `Oppdatert statu` to edit (did you mean `Oppdatert status`?)"),
            "{err}"
        );
        std::fs::write(
            dir.path().join("d.yaml"),
            "name: d\ntitle: '^(?P<week>[0-9]+)$'\nbyline: null\nsections:\n  remove: [A]\n",
        )
        .unwrap();
        let err = Loader::within(&boundary)
            .load("d.yaml", dir.path())
            .unwrap_err()
            .to_string();
        assert!(err.contains("d.yaml:4:1: `sections:` edits"), "{err}");
    }

    #[test]
    fn missing_capture_group_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let boundary = Boundary::new(dir.path().canonicalize().unwrap());
        std::fs::write(
            dir.path().join("s.yaml"),
            "extends: uke\ntitle: '^Uke \\d+$'\n",
        )
        .unwrap();
        let err = Loader::within(&boundary)
            .load("s.yaml", dir.path())
            .unwrap_err()
            .to_string();
        assert!(err.contains("must capture `(?P<week>...)`"), "{err}");
    }

    #[test]
    fn unknown_schema_reference_lists_builtins() {
        let err = Loader::default()
            .load("ukee", Path::new("/nonexistent"))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(
                "neither a built-in schema (uke, weekly, status, standup, accomplishments, goals)"
            ),
            "{err}"
        );
    }
}
