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

use crate::diagnostic::Severity;
use crate::error::{Error, Result, line_of_key};
use crate::report::Format;
use crate::rules::Rule;
use crate::schema::{Loader, Schema};

/// The config file's name, looked for from the current folder up to the
/// repository root.
pub const FILE_NAME: &str = "milepost.yaml";

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

impl<'de> Deserialize<'de> for Level {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct LevelVisitor;

        impl<'de> Visitor<'de> for LevelVisitor {
            type Value = Level;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("one of `error`, `warning`, `info`, `off`, or a map with `severity`")
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

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Level, A::Error> {
                #[derive(Deserialize)]
                #[serde(deny_unknown_fields)]
                struct Detailed {
                    severity: Level,
                }
                let detailed = Detailed::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(detailed.severity)
            }
        }

        deserializer.deserialize_any(LevelVisitor)
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
    rules: BTreeMap<String, Level>,
    sphinx_source: Option<String>,
}

/// Which files are reports, and with which schema.
#[derive(Debug)]
enum Selection {
    /// No `reports:` in the config: `.rst` and `.md` files whose names
    /// contain `uke` or `week`.
    Default,
    Globs(Vec<(GlobMatcher, Option<Arc<Schema>>)>),
}

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
    levels: HashMap<Rule, Level>,
    /// The built-in schemas, for choosing by language.
    pub builtins: Vec<Arc<Schema>>,
    /// The Sphinx source folder relative to the root, when configured.
    pub sphinx_source: Option<PathBuf>,
}

impl Config {
    /// The configuration used when there is no config file.
    pub fn default_config() -> Result<Config> {
        Ok(Config {
            path: None,
            selection: Selection::Default,
            exclude: GlobSet::empty(),
            levels: HashMap::new(),
            builtins: builtins()?,
            sphinx_source: None,
        })
    }

    /// Reads and compiles the config file at `path`.
    pub fn load(path: &Path) -> Result<Config> {
        if path.is_dir() {
            return Err(Error::invalid(path, None, "is a folder, not a config file"));
        }
        let bytes = std::fs::read(path).map_err(|err| Error::io(path, err))?;
        let text = String::from_utf8(bytes)
            .map_err(|_| Error::invalid(path, None, "is not UTF-8 text"))?;
        Config::from_text(&text, path)
    }

    /// Compiles config `text` as if read from `path` (relative schema paths
    /// resolve from its folder).
    pub fn from_text(text: &str, path: &Path) -> Result<Config> {
        let file: ConfigFile = crate::yaml::from_str(text, path)?;
        let base = path.parent().unwrap_or(Path::new("."));
        let at = |key: &str| line_of_key(text, key).map(|line| (line, 1));

        let mut loaded: HashMap<String, Arc<Schema>> = HashMap::new();
        let mut entries = Vec::new();
        for entry in &file.reports {
            let matcher = glob(&entry.glob)
                .map_err(|err| {
                    Error::invalid(
                        path,
                        at("glob"),
                        format!("invalid glob `{}`: {err}", entry.glob),
                    )
                })?
                .compile_matcher();
            let schema = match &entry.schema {
                None => None,
                Some(reference) => Some(match loaded.get(reference) {
                    Some(schema) => Arc::clone(schema),
                    None => {
                        let schema = Arc::new(Loader::default().load(reference, base)?);
                        loaded.insert(reference.clone(), Arc::clone(&schema));
                        schema
                    }
                }),
            };
            entries.push((matcher, schema));
        }

        let mut exclude = GlobSetBuilder::new();
        for pattern in &file.exclude {
            exclude.add(glob(pattern).map_err(|err| {
                Error::invalid(
                    path,
                    at("exclude"),
                    format!("invalid glob `{pattern}`: {err}"),
                )
            })?);
        }
        let exclude = exclude
            .build()
            .map_err(|err| Error::invalid(path, at("exclude"), err.to_string()))?;

        let mut levels = HashMap::new();
        for (name, level) in file.rules {
            let rule: Rule = name
                .parse()
                .map_err(|message: String| Error::invalid(path, at(&name), message))?;
            levels.insert(rule, level);
        }

        Ok(Config {
            path: Some(path.to_path_buf()),
            selection: if entries.is_empty() {
                Selection::Default
            } else {
                Selection::Globs(entries)
            },
            exclude,
            levels,
            builtins: builtins()?,
            sphinx_source: file.sphinx_source.map(PathBuf::from),
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
            Selection::Globs(entries) => entries
                .iter()
                .find(|(matcher, _)| matcher.is_match(relative))
                .map(|(_, schema)| match schema {
                    Some(schema) => SchemaChoice::Fixed(Arc::clone(schema)),
                    None => SchemaChoice::ByLanguage,
                }),
        }
    }

    /// The severity a finding ends up with: the configured level of its rule
    /// if there is one, else what the rule chose. `None` means the rule is
    /// off.
    pub fn severity(&self, rule: Rule, found: Severity) -> Option<Severity> {
        match self.levels.get(&rule) {
            Some(Level::Off) => None,
            Some(Level::On(severity)) => Some(*severity),
            None => Some(found),
        }
    }

    /// Command-line `--severity RULE=LEVEL` wins over the file.
    pub fn override_severity(&mut self, rule: Rule, level: Level) {
        self.levels.insert(rule, level);
    }
}

fn builtins() -> Result<Vec<Arc<Schema>>> {
    crate::schema::BUILTIN
        .iter()
        .map(|(name, _)| Loader::default().load(name, Path::new(".")).map(Arc::new))
        .collect()
}

/// Globs match repository-relative paths; `*` stays within one folder and
/// `**` crosses folders, as in `.gitignore`.
fn glob(pattern: &str) -> Result<Glob, globset::Error> {
    GlobBuilder::new(pattern.trim_start_matches("./"))
        .literal_separator(true)
        .build()
}

/// The default report selection: a `.rst` or `.md` file whose name contains
/// `uke` or `week`, in any case.
fn is_default_report(relative: &str) -> bool {
    let name = relative.rsplit('/').next().unwrap_or(relative);
    let lower = name.to_lowercase();
    Format::from_path(name).is_some()
        && (lower.ends_with(".rst") || lower.ends_with(".md"))
        && (lower.contains("uke") || lower.contains("week"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(text: &str) -> Result<Config> {
        Config::from_text(text, Path::new("/repo/milepost.yaml"))
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
            "/repo/milepost.yaml:2:1: unknown rule `titel` (did you mean `title`?)"
        );
    }

    #[test]
    fn bad_level_and_unknown_key_are_located() {
        let err = config("rules:\n  title: loud\n").unwrap_err().to_string();
        assert!(err.starts_with("/repo/milepost.yaml:2:"), "{err}");
        assert!(err.contains("unknown level `loud`"), "{err}");
        let err = config("report:\n  - glob: x\n").unwrap_err().to_string();
        assert!(err.starts_with("/repo/milepost.yaml:1:"), "{err}");
        assert!(err.contains("unknown field `report`"), "{err}");
    }

    #[test]
    fn invalid_glob_is_an_error() {
        let err = config("reports:\n  - glob: 'docs/[*.rst'\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("invalid glob"), "{err}");
    }
}
