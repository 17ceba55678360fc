//! `milepost.yaml`: which files are reports, which schema each uses, what to
//! exclude, and rule severities. Flags from the command line are layered
//! over the file in one place, [`Config::override_severity`].

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use globset::{Glob, GlobBuilder, GlobMatcher, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};

use crate::boundary::{Boundary, Located, Refusal};
use crate::error::{Error, Result, line_of_key};
use crate::registry::Rule;
use crate::registry::Severity;
use crate::report::Format;
use crate::schema::{Loader, Schema};

mod check;
mod lazy_glob;

use lazy_glob::LazyGlob;

/// Every name a config file may have (looked for from the current folder up
/// to the repository root), in the order they are named in
/// messages (as ruff and markdownlint accept a dotted variant and both
/// YAML extensions). Two in one folder is an error: which one wins would
/// be a guess.
pub const FILE_NAMES: &[&str] = &[
    "milepost.yaml",
    "milepost.yml",
    ".milepost.yaml",
    ".milepost.yml",
];

/// A rule's configured level: a severity, or `off`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Off,
    On(Severity),
}

impl Level {
    pub fn parse(text: &str) -> Option<Level> {
        match text.trim() {
            "off" => Some(Level::Off),
            "error" => Some(Level::On(Severity::Error)),
            "warning" => Some(Level::On(Severity::Warning)),
            "info" => Some(Level::On(Severity::Info)),
            _ => None,
        }
    }
}

/// Reads a level from a string (or YAML 1.1's `off`, which is `false`).
struct LevelVisitor;

impl<'de> Visitor<'de> for LevelVisitor {
    type Value = Level;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("one of `error`, `warning`, `info`, `off`")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Level, E> {
        Level::parse(value).ok_or_else(|| {
            E::custom(format!(
                "unknown level `{value}`: expected `error`, `warning`, `info` or `off`"
            ))
        })
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Level, E> {
        // YAML 1.1 reads a bare `off` as false.
        if value {
            Err(E::custom(
                "expected `error`, `warning`, `info` or `off`, not `true`",
            ))
        } else {
            Ok(Level::Off)
        }
    }
}

impl<'de> Deserialize<'de> for Level {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(LevelVisitor)
    }
}

/// A rule's settings: its level, and the parameters some rules take. In the
/// config a rule maps to a level (`title: warning`) or to a map
/// (`late-report: {severity: error, days: 10}`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RuleSettings {
    pub level: Option<Level>,
    /// A number of days (`late-report`, `byline-vs-commit`, `edited-after-publish`).
    pub days: Option<u32>,
    /// A number of weeks.
    pub weeks: Option<u32>,
    /// A number of reports.
    pub reports: Option<u32>,
    /// Weeks with no report on purpose (`missing-report`): `2016-W29`, or a
    /// range `2016-W28..2016-W31`.
    pub breaks: Vec<String>,
}

impl<'de> Deserialize<'de> for RuleSettings {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct SettingsVisitor;

        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Detailed {
            severity: Option<Level>,
            days: Option<u32>,
            weeks: Option<u32>,
            reports: Option<u32>,
            #[serde(default)]
            breaks: Vec<String>,
        }

        impl<'de> Visitor<'de> for SettingsVisitor {
            type Value = RuleSettings;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a level (`error`, `warning`, `info`, `off`) or a map with `severity` and the rule's parameters")
            }

            fn visit_str<E: de::Error>(self, value: &str) -> Result<RuleSettings, E> {
                Ok(RuleSettings {
                    level: Some(
                        de::value::StrDeserializer::new(value).deserialize_any(LevelVisitor)?,
                    ),
                    ..RuleSettings::default()
                })
            }

            fn visit_bool<E: de::Error>(self, value: bool) -> Result<RuleSettings, E> {
                Ok(RuleSettings {
                    level: Some(LevelVisitor.visit_bool(value)?),
                    ..RuleSettings::default()
                })
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RuleSettings, A::Error> {
                let detailed = Detailed::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(RuleSettings {
                    level: detailed.severity,
                    days: detailed.days,
                    weeks: detailed.weeks,
                    reports: detailed.reports,
                    breaks: detailed.breaks,
                })
            }
        }

        deserializer.deserialize_any(SettingsVisitor)
    }
}

/// One `reports:` entry.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReportsEntry {
    glob: String,
    /// A built-in schema name or a path relative to the config file; absent
    /// means "choose by the report's language".
    schema: Option<String>,
    /// Rule levels for these reports only, over the top-level `rules:`
    /// (`unknown-section: off` for incident write-ups).
    #[serde(default)]
    rules: BTreeMap<String, Level>,
    /// How often these reports are due (over the top-level `cadence:`).
    cadence: Option<crate::cadence::Cadence>,
}

/// The config file as written.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    #[serde(default)]
    reports: Vec<ReportsEntry>,
    #[serde(default)]
    exclude: Vec<String>,
    #[serde(default)]
    rules: BTreeMap<String, RuleSettings>,
    sphinx_source: Option<String>,
    milestones: Option<String>,
    milestones_year: Option<i32>,
    staffing: Option<crate::staffing::ExtraWords>,
    /// How often reports are due, for every series without its own.
    cadence: Option<crate::cadence::Cadence>,
    #[serde(default)]
    standing: Vec<String>,
}

/// Which files are reports, and with which schema.
#[derive(Debug)]
enum Selection {
    /// No `reports:` in the config: `.rst` and `.md` files whose names
    /// contain `uke` or `week`.
    Default,
    Globs(Vec<GlobEntry>),
}

/// One `reports:` entry, compiled.
#[derive(Debug)]
struct GlobEntry {
    matcher: LazyGlob,
    schema: Option<Arc<Schema>>,
    levels: HashMap<Rule, Level>,
    cadence: Option<crate::cadence::Cadence>,
}

/// The kinds of section `staffing-risk` reads when the config does not say
/// (`staffing: sections:`).
pub const DEFAULT_STAFFING_KINDS: &[crate::schema::SectionKind] =
    &[crate::schema::SectionKind::Risks];

/// What a report is checked with, once selected.
#[derive(Clone, Debug)]
pub enum SchemaChoice {
    Fixed(Arc<Schema>),
    /// Decided per report from its title and sections.
    ByLanguage,
}

/// The loaded configuration.
#[derive(Debug)]
pub struct Config {
    /// The config file, when there is one.
    pub path: Option<PathBuf>,
    selection: Selection,
    exclude: GlobSet,
    settings: HashMap<Rule, RuleSettings>,
    /// The built-in schemas, for choosing by language.
    pub builtins: crate::schema::builtins::Builtins,
    /// The Sphinx source folder relative to the root, when configured.
    pub sphinx_source: Option<PathBuf>,
    /// Names which files are reports (globs and excludes), so that caches
    /// built for one selection are not used for another.
    pub selection_key: String,
    /// The milestones: a YAML file or a plan document with a table,
    /// relative to the config's folder.
    pub milestones: Option<PathBuf>,
    /// The year of plan-table deadlines that do not name one.
    pub milestones_year: Option<i32>,
    /// Wordings of standing duties (`standing:`), lower case: items that
    /// contain one are neither stale nor dropped.
    pub standing: Vec<String>,
    /// The staffing words, with the repository's own added (`staffing:`).
    pub staffing: Option<crate::staffing::Lexicon>,
    /// The kinds of section `staffing-risk` reads (`staffing: sections:`).
    pub staffing_sections: Vec<crate::schema::SectionKind>,
    /// The schema files the config made milepost read (canonical paths).
    pub schema_files: Vec<PathBuf>,
    /// The text of the config file, then of each schema file it made
    /// milepost read: the results cache (`check/cache.rs`) is keyed on
    /// them, as every finding may depend on them.
    pub sources: Vec<String>,
    /// The top-level `cadence:` (weekly when absent).
    pub cadence: crate::cadence::Cadence,
}

impl Config {
    /// The configuration used when there is no config file.
    pub fn default_config() -> Result<Config> {
        Ok(Config {
            path: None,
            selection: Selection::Default,
            exclude: GlobSet::empty(),
            settings: HashMap::new(),
            builtins: crate::schema::builtins::Builtins::default(),
            sphinx_source: None,
            selection_key: "default".into(),
            milestones: None,
            milestones_year: None,
            standing: Vec::new(),
            staffing: None,
            staffing_sections: DEFAULT_STAFFING_KINDS.to_vec(),
            schema_files: Vec::new(),
            sources: Vec::new(),
            cadence: crate::cadence::Cadence::default(),
        })
    }

    /// Reads and compiles the config file at `path`. A config the operator
    /// named (`--config`) may be anywhere; a discovered one is read through
    /// `boundary` like any file of the repository. Either way the files it
    /// names (schemas, milestones, the Sphinx source) must be inside the
    /// repository.
    pub fn load(path: &Path, boundary: &Boundary, named_by_operator: bool) -> Result<Config> {
        let read = if named_by_operator {
            crate::boundary::read_operator_file(path)
        } else {
            boundary.read(path)
        };
        let given = if named_by_operator {
            " (given with --config)"
        } else {
            ""
        };
        let bytes = read.map_err(|refusal| match refusal {
            Refusal::NotAFile("a folder") => {
                Error::invalid(path, None, format!("is a folder, not a config file{given}"))
            }
            other => Error::invalid(path, None, format!("{other}{given}")),
        })?;
        let text = String::from_utf8(bytes)
            .map_err(|_| Error::invalid(path, None, "is not UTF-8 text"))?;
        Config::from_text(&text, path, boundary)
    }

    /// Compiles config `text` as if read from `path` (relative schema paths
    /// resolve from its folder); the files it names are read inside
    /// `boundary`.
    pub fn from_text(text: &str, path: &Path, boundary: &Boundary) -> Result<Config> {
        // Every mistake at once, at its value, before the typed reading.
        let value = crate::yaml::value(text, path)?;
        let mut built = check::Globs::new();
        let problems = check::check(&value, &mut built);
        if !problems.is_empty() {
            return Err(crate::yaml_pos::located(path, text, problems));
        }
        let file: ConfigFile = crate::yaml::typed(value, text, path)
            .map_err(|err| crate::cadence::locate_value(text, err))?;
        let base = path.parent().unwrap_or(Path::new("."));
        let at = |key: &str| line_of_key(text, key).map(|line| (line, 1));

        // A glob the check built (every valid one it saw), else built here.
        let mut take_glob = |pattern: &str, key: &str| {
            built
                .remove(pattern)
                .map_or_else(|| glob(pattern), Ok)
                .map_err(|err| {
                    Error::invalid(path, at(key), format!("invalid glob `{pattern}`: {err}"))
                })
        };
        let mut loader = Loader::within(boundary);
        let mut loaded: HashMap<String, Arc<Schema>> = HashMap::new();
        let mut entries = Vec::new();
        for entry in &file.reports {
            let matcher = LazyGlob::new(take_glob(&entry.glob, "glob")?);
            if let Some(reference) = &entry.schema {
                check_schema_exists(reference, base, boundary)
                    .map_err(|message| Error::invalid(path, at("schema"), message))?;
            }
            let schema = match &entry.schema {
                None => None,
                Some(reference) => Some(match loaded.get(reference) {
                    Some(schema) => Arc::clone(schema),
                    None => {
                        let schema = Arc::new(loader.load(reference, base)?);
                        loaded.insert(reference.clone(), Arc::clone(&schema));
                        schema
                    }
                }),
            };
            let mut levels = HashMap::new();
            for (name, level) in &entry.rules {
                let rule: Rule = name
                    .parse()
                    .map_err(|message: String| Error::invalid(path, at(name), message))?;
                levels.insert(rule, *level);
            }
            entries.push(GlobEntry {
                matcher,
                schema,
                levels,
                cadence: entry.cadence.clone(),
            });
        }

        let mut exclude = GlobSetBuilder::new();
        for pattern in &file.exclude {
            exclude.add(take_glob(pattern, "exclude")?);
        }
        let exclude = exclude
            .build()
            .map_err(|err| Error::invalid(path, at("exclude"), err.to_string()))?;

        let mut settings = HashMap::new();
        for (name, setting) in file.rules {
            let rule: Rule = name
                .parse()
                .map_err(|message: String| Error::invalid(path, at(&name), message))?;
            for range in &setting.breaks {
                parse_weeks(range)
                    .map_err(|message| Error::invalid(path, at("breaks"), message))?;
            }
            check_params(rule, &setting).map_err(|(key, message)| {
                Error::invalid(path, at_param(text, &name, key), message)
            })?;
            settings.insert(rule, setting);
        }

        // The Sphinx source is relative to the root, milestones to the
        // config's folder.
        for (key, value, from) in [
            (
                "sphinx_source",
                file.sphinx_source.as_deref(),
                boundary.root(),
            ),
            ("milestones", file.milestones.as_deref(), base),
        ] {
            let Some(value) = value else { continue };
            if boundary.locate(&from.join(value)) == Located::Outside {
                return Err(Error::invalid(
                    path,
                    at(key),
                    format!(
                        "{key} `{value}` leads outside the repository; milepost reads only files inside it"
                    ),
                ));
            }
        }

        Ok(Config {
            path: Some(path.to_path_buf()),
            selection: if entries.is_empty() {
                Selection::Default
            } else {
                Selection::Globs(entries)
            },
            exclude,
            settings,
            builtins: crate::schema::builtins::Builtins::default(),
            sphinx_source: file.sphinx_source.map(PathBuf::from),
            selection_key: format!(
                "{:?} {:?}",
                file.reports.iter().map(|e| &e.glob).collect::<Vec<_>>(),
                file.exclude
            ),
            milestones: file.milestones.map(PathBuf::from),
            milestones_year: file.milestones_year,
            standing: file
                .standing
                .iter()
                .map(|p| crate::text::lower_nfc(p.trim()))
                .filter(|p| !p.is_empty())
                .collect(),
            staffing: file
                .staffing
                .as_ref()
                .map(crate::staffing::Lexicon::with_extra),
            staffing_sections: file
                .staffing
                .as_ref()
                .map(|s| s.sections.clone())
                .filter(|sections| !sections.is_empty())
                .unwrap_or_else(|| DEFAULT_STAFFING_KINDS.to_vec()),
            schema_files: loader.read,
            sources: std::iter::once(text.to_owned())
                .chain(loader.texts)
                .collect(),
            cadence: file.cadence.unwrap_or_default(),
        })
    }

    /// Whether the file at `relative` (repository-relative, `/`-separated)
    /// is a report, and if so how to choose its schema.
    pub fn select(&self, relative: &str) -> Option<SchemaChoice> {
        if self.exclude.is_match(relative) {
            return None;
        }
        match &self.selection {
            Selection::Default => is_default_report(relative).then_some(SchemaChoice::ByLanguage),
            Selection::Globs(_) => self.entry(relative).map(|entry| match &entry.schema {
                Some(schema) => SchemaChoice::Fixed(Arc::clone(schema)),
                None => SchemaChoice::ByLanguage,
            }),
        }
    }

    /// The `reports:` entry that selects `relative` (project-relative): the
    /// first whose glob matches.
    fn entry(&self, relative: &str) -> Option<&GlobEntry> {
        match &self.selection {
            Selection::Default => None,
            Selection::Globs(entries) => entries
                .iter()
                .find(|entry| entry.matcher.is_match(relative)),
        }
    }

    /// The cadence of the reports at `relative` (project-relative): their
    /// `reports:` entry's, else the top-level one.
    pub fn cadence_at(&self, relative: &str) -> &crate::cadence::Cadence {
        self.entry(relative)
            .and_then(|entry| entry.cadence.as_ref())
            .unwrap_or(&self.cadence)
    }

    /// [`Config::severity`] for a finding in the file at `relative`
    /// (project-relative): the level its `reports:` entry sets for the rule
    /// wins over the top-level one.
    pub fn severity_at(&self, relative: &str, rule: Rule, found: Severity) -> Option<Severity> {
        match self
            .entry(relative)
            .and_then(|entry| entry.levels.get(&rule))
        {
            Some(Level::Off) => None,
            Some(Level::On(severity)) => Some(*severity),
            None => self.severity(rule, found),
        }
    }

    /// The severity a finding ends up with: the configured level of its rule
    /// if there is one, else what the rule chose. `None` means the rule is
    /// off.
    pub fn severity(&self, rule: Rule, found: Severity) -> Option<Severity> {
        match self.settings.get(&rule).and_then(|s| s.level) {
            Some(Level::Off) => None,
            Some(Level::On(severity)) => Some(severity),
            None => rule.enabled_by_default().then_some(found),
        }
    }

    /// Whether `rule` is on: configured to a severity, or on by default.
    pub fn enabled(&self, rule: Rule) -> bool {
        match self.settings.get(&rule).and_then(|s| s.level) {
            Some(level) => level != Level::Off,
            None => rule.enabled_by_default(),
        }
    }

    /// A rule's settings (parameters unset when the config says nothing).
    pub fn rule(&self, rule: Rule) -> RuleSettings {
        self.settings.get(&rule).cloned().unwrap_or_default()
    }

    /// The weeks `missing-report` must not ask for.
    pub fn breaks(&self) -> Vec<(i32, u32)> {
        self.rule(Rule::MissingReport)
            .breaks
            .iter()
            .filter_map(|range| parse_weeks(range).ok())
            .flatten()
            .collect()
    }

    /// Command-line `--severity RULE=LEVEL` wins over the file.
    pub fn override_severity(&mut self, rule: Rule, level: Level) {
        self.settings.entry(rule).or_default().level = Some(level);
    }
}

/// `2016-W29` or `2016-W28..2016-W31` as the weeks it names (at most a
/// few years' worth, so a typo cannot make a huge list).
pub fn parse_weeks(text: &str) -> std::result::Result<Vec<(i32, u32)>, String> {
    let week = |part: &str| -> std::result::Result<(i32, u32), String> {
        let bad = || format!("`{part}` is not an ISO week like `2016-W29`");
        let (year, week) = part
            .trim()
            .split_once(['-'])
            .and_then(|(y, w)| {
                Some((
                    y.parse::<i32>().ok()?,
                    w.strip_prefix(['W', 'w'])?.parse::<u32>().ok()?,
                ))
            })
            .ok_or_else(bad)?;
        crate::dates::week_bounds(year, week)
            .ok_or_else(|| format!("{year} has no week {week}"))?;
        Ok((year, week))
    };
    let (first, last) = match text.split_once("..") {
        Some((first, last)) => (week(first)?, week(last)?),
        None => {
            let only = week(text)?;
            (only, only)
        }
    };
    let (Some((start, _)), Some((_, end))) = (
        crate::dates::week_bounds(first.0, first.1),
        crate::dates::week_bounds(last.0, last.1),
    ) else {
        return Err(format!("`{text}` names a week that does not exist"));
    };
    if end < start || (end - start).num_days() > 3 * 366 {
        return Err(format!(
            "`{text}` is not a range of at most three years, first week first"
        ));
    }
    let mut weeks = Vec::new();
    let mut monday = start;
    while monday <= end {
        weeks.push(crate::dates::iso_week(monday));
        monday += chrono::Duration::days(7);
    }
    Ok(weeks)
}

/// Globs match repository-relative paths; `*` stays within one folder and
/// `**` crosses folders, as in `.gitignore`.
/// Holds a rule's settings to the parameters the rule declares
/// ([`Rule::params`]): a key the rule does not take, or a number out of its
/// range, is an error naming the key.
fn check_params(
    rule: Rule,
    setting: &RuleSettings,
) -> std::result::Result<(), (&'static str, String)> {
    let given: [(&'static str, Option<u32>, bool); 4] = [
        ("days", setting.days, setting.days.is_some()),
        ("weeks", setting.weeks, setting.weeks.is_some()),
        ("reports", setting.reports, setting.reports.is_some()),
        ("breaks", None, !setting.breaks.is_empty()),
    ];
    for (key, number, present) in given {
        if !present {
            continue;
        }
        let Some(param) = rule.params().iter().find(|p| p.key == key) else {
            let takes: Vec<&str> = rule.params().iter().map(|p| p.key).collect();
            let takes = if takes.is_empty() {
                "takes no parameters, only a level".to_owned()
            } else {
                format!("takes {}", takes.join(", "))
            };
            return Err((
                key,
                format!("`{rule}` has no parameter `{key}`: it {takes}"),
            ));
        };
        if let (Some(value), Some((low, high))) = (number, param.range)
            && !(low..=high).contains(&value)
        {
            let message = format!(
                "`{rule}: {key}` must be {} (at most {high}), not {value}",
                param.what
            );
            return Err((key, message));
        }
    }
    Ok(())
}

/// Where the parameter `key` of rule `rule` is written: its line under the
/// rule's key, else the rule's line.
fn at_param(text: &str, rule: &str, key: &str) -> Option<(usize, usize)> {
    let rule_line = line_of_key(text, rule)?;
    let found = text
        .lines()
        .enumerate()
        .skip(rule_line - 1)
        .find_map(|(i, line)| {
            let column = line.find(&format!("{key}:"))?;
            Some((i + 1, column + 1))
        });
    Some(found.unwrap_or((rule_line, 1)))
}

/// A `schema:` that is neither a built-in name nor a file is said where it
/// was written, with the nearest built-in name, rather than as a missing
/// file at a path the user never typed.
fn check_schema_exists(
    reference: &str,
    base: &Path,
    boundary: &Boundary,
) -> std::result::Result<(), String> {
    let builtins = || crate::schema::BUILTIN.iter().map(|(name, _)| *name);
    if builtins().any(|name| name == reference)
        || boundary.locate(&base.join(reference)) != Located::Missing
    {
        return Ok(());
    }
    let names: Vec<&str> = builtins().collect();
    let suggestion = crate::text::closest(reference, builtins())
        .map_or_else(String::new, |near| format!(" (did you mean `{near}`?)"));
    Err(format!(
        "schema `{reference}` not found: it is neither a built-in schema ({}) nor a file{suggestion}",
        names.join(", ")
    ))
}

/// A compiled glob as config entries match it, or `None` if `pattern` is
/// not a valid glob (for `milepost init`, which proposes globs).
pub fn glob_matcher(pattern: &str) -> Option<GlobMatcher> {
    glob(pattern).ok().map(|g| g.compile_matcher())
}

fn glob(pattern: &str) -> Result<Glob, globset::Error> {
    GlobBuilder::new(pattern.trim_start_matches("./"))
        .literal_separator(true)
        .build()
}

/// The default report selection: a `.rst` or `.md` file whose name contains
/// `uke` or `week`, in any case, or that is named by a date in a folder
/// named like status reports ([`crate::dated::looks_like_dated_report`]).
fn is_default_report(relative: &str) -> bool {
    let name = relative.rsplit('/').next().unwrap_or(relative);
    let lower = name.to_lowercase();
    Format::from_path(name).is_some()
        && (lower.ends_with(".rst") || lower.ends_with(".md"))
        && (lower.contains("uke")
            || lower.contains("week")
            || crate::dated::looks_like_dated_report(relative))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(text: &str) -> Result<Config> {
        let boundary = Boundary::new(PathBuf::from("/repo"));
        Config::from_text(text, Path::new("/repo/milepost.yaml"), &boundary)
    }

    /// A path compiles the globs it is tried against whose literal start
    /// it has, and no other: a commit hook asking about one report does
    /// not compile every entry `milepost init` wrote.
    #[test]
    fn a_path_compiles_only_the_globs_it_could_match() {
        let dir = tempfile::tempdir().unwrap();
        let boundary = Boundary::new(dir.path().canonicalize().unwrap());
        let text = "reports:\n  - glob: 'docs/a/*.rst'\n    schema: uke\n  - glob: 'docs/b/*.rst'\n    schema: uke\n  - glob: '**/*.md'\n    schema: weekly\n";
        let config = Config::from_text(text, &dir.path().join("milepost.yaml"), &boundary).unwrap();
        let compiled = |config: &Config| -> Vec<bool> {
            let Selection::Globs(entries) = &config.selection else {
                panic!("globs")
            };
            entries
                .iter()
                .map(|entry| entry.matcher.compiled())
                .collect()
        };
        assert_eq!(compiled(&config), [false, false, false]);
        assert!(config.entry("docs/b/2016_uke_01.rst").is_some());
        assert_eq!(compiled(&config), [false, true, false]);
        assert!(config.entry("docs/a/notes.txt").is_none());
        assert_eq!(compiled(&config), [true, true, true]);
    }

    /// Configs of every key, as `milepost init` writes them and as the
    /// example is, read from their parsed value as from their text
    /// (`yaml::typed`).
    #[test]
    fn configs_read_from_their_value_as_from_their_text() {
        let texts = [
            include_str!("../examples/uh-iaas/milepost.yaml"),
            "reports:\n  - glob: 'docs/a/2018/{2018_uke_01.rst,2018_uke_02.rst}'\n    schema: 'schemas/uke-2016.yaml'\n    rules: {stale-item: off}\n    cadence: {every: biweekly, on: onsdag, deadline: wednesday 23:59, breaks: [2017-W10]}\nexclude: ['docs/old/**']\nrules:\n  late-report: {severity: warning, days: 3}\n  stale-item: off\nsphinx_source: docs\nmilestones: plan.yaml\nmilestones_year: 2016\nstaffing: {people: [postdoc], not_staff: [lustre]}\ncadence:\n  every: weekly\n  breaks: [W28..W31, 12-22..01-02]\nstanding: ['Drift av tjenesten']\n",
        ];
        for text in texts {
            let path = Path::new("milepost.yaml");
            let value = crate::yaml::value(text, path).unwrap();
            let problems = check::check(&value, &mut check::Globs::new());
            assert!(problems.is_empty(), "{problems:?}");
            let read: ConfigFile = crate::yaml::typed(value, text, path).unwrap();
            let from_text: ConfigFile = serde_yaml::from_str(text).unwrap();
            assert_eq!(format!("{read:?}"), format!("{from_text:?}"));
        }
    }

    #[test]
    fn default_selection() {
        let config = Config::default_config().unwrap();
        assert!(config.select("docs/status/2016_uke_38.rst").is_some());
        assert!(config.select("docs/Week-38.md").is_some());
        assert!(config.select("docs/index.rst").is_none());
        assert!(config.select("docs/uke38.png").is_none());
        assert!(config.select("docs/uke38.txt").is_none());
    }

    #[test]
    fn first_matching_glob_wins() {
        let config = config(
            "reports:\n  - glob: 'docs/2016/*.rst'\n    schema: weekly\n  - glob: 'docs/**/*.rst'\n    schema: uke\nexclude: ['docs/old/**']\n",
        )
        .unwrap();
        let name = |path: &str| match config.select(path) {
            Some(SchemaChoice::Fixed(schema)) => Some(schema.name.clone()),
            Some(SchemaChoice::ByLanguage) => Some("auto".into()),
            None => None,
        };
        assert_eq!(name("docs/2016/a.rst").as_deref(), Some("weekly"));
        assert_eq!(name("docs/2017/a.rst").as_deref(), Some("uke"));
        assert_eq!(name("docs/2016/sub/a.rst").as_deref(), Some("uke"));
        assert_eq!(name("docs/old/a.rst"), None);
        assert_eq!(name("other/a.rst"), None);
    }

    /// The history cache is keyed on the selection only: a comment or a
    /// rule level in the config must not throw away a warm cache.
    #[test]
    fn the_cache_key_depends_on_the_selection_only() {
        let plain = config("reports:\n  - glob: 'docs/**/*uke*.rst'\n").unwrap();
        let commented = config(
            "# a comment\nreports:\n  - glob: 'docs/**/*uke*.rst'  # weekly\nrules:\n  late-report: off\n",
        )
        .unwrap();
        assert_eq!(plain.selection_key, commented.selection_key);
        let other = config("reports:\n  - glob: 'docs/**/*week*.md'\n").unwrap();
        assert_ne!(plain.selection_key, other.selection_key);
    }

    #[test]
    fn rule_levels() {
        let config = config(
            "rules:\n  section-order: off\n  empty-section: error\n  title: {severity: warning}\n",
        )
        .unwrap();
        assert_eq!(config.severity(Rule::SectionOrder, Severity::Warning), None);
        assert_eq!(
            config.severity(Rule::EmptySection, Severity::Warning),
            Some(Severity::Error)
        );
        assert_eq!(
            config.severity(Rule::Title, Severity::Error),
            Some(Severity::Warning)
        );
        assert_eq!(
            config.severity(Rule::Byline, Severity::Error),
            Some(Severity::Error)
        );
    }

    #[test]
    fn unknown_rule_is_located_and_suggested() {
        let err = config("rules:\n  titel: off\n").unwrap_err().to_string();
        assert_eq!(
            err,
            "/repo/milepost.yaml:2:3: unknown rule `titel` (did you mean `title`?)"
        );
    }

    #[test]
    fn bad_level_and_unknown_key_are_located() {
        let err = config("rules:\n  title: loud\n").unwrap_err().to_string();
        assert!(err.starts_with("/repo/milepost.yaml:2:"), "{err}");
        assert!(err.contains("unknown level `loud`"), "{err}");
        let err = config("report:\n  - glob: x\n").unwrap_err().to_string();
        assert!(err.starts_with("/repo/milepost.yaml:1:"), "{err}");
        assert!(err.contains("unknown key `report`"), "{err}");
    }

    /// The checker's list of keys is the config's: a key added to
    /// `ConfigFile` must be added to `check::KEYS` too.
    #[test]
    fn the_checker_knows_every_key() {
        let err = serde_yaml::from_str::<ConfigFile>("bogus: 1\n")
            .unwrap_err()
            .to_string();
        let listed: Vec<&str> = err.split('`').skip(3).step_by(2).collect();
        assert_eq!(listed, check::KEYS, "{err}");
    }

    #[test]
    fn invalid_glob_is_an_error() {
        let err = config("reports:\n  - glob: 'docs/[*.rst'\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("invalid glob"), "{err}");
    }
}
