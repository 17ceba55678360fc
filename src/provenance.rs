//! `milepost config`: the configuration a run would use, value by value,
//! with where each came from: a line of the config file, the command line,
//! or milepost's built-in default. When a setting surprises, this says why.
//!
//! It reads the resolved [`Config`](crate::config::Config) for what applies and the config file's
//! text (through the workspace's [`Boundary`](crate::boundary::Boundary),
//! or as the operator's file for `--config`) for where each value is
//! written.

use std::path::Path;

use serde::Serialize;
use serde_yaml::Value;

use crate::config::Level;
use crate::error::{Error, Result};
use crate::registry::Rule;
use crate::workspace::Workspace;
use crate::yaml_pos::Positions;

/// Where a value came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Origin {
    /// Written in the config file, at this line.
    File { path: String, line: usize },
    /// Given on the command line (`--severity`).
    CommandLine { flag: String },
    /// milepost's own default.
    Default,
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::File { path, line } => write!(f, "{path}:{line}"),
            Origin::CommandLine { flag } => write!(f, "command line ({flag})"),
            Origin::Default => f.write_str("built-in default"),
        }
    }
}

/// One resolved setting.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Setting {
    /// What it is (`rules.stale-item.weeks`, `reports.0.glob`).
    pub key: String,
    pub value: String,
    pub origin: Origin,
}

/// Every setting of the run `workspace` describes, with `severities`
/// (`--severity`) layered over the file as a run layers them.
pub fn settings(
    workspace: &Workspace,
    named_by_operator: bool,
    severities: &[(Rule, Level)],
) -> Result<Vec<Setting>> {
    let config = &workspace.config;
    let (value, positions, shown) = match &config.path {
        Some(path) => {
            let bytes = if named_by_operator {
                crate::boundary::read_operator_file(path)
            } else {
                workspace.boundary.read(path)
            }
            .map_err(|refusal| Error::invalid(path, None, refusal.to_string()))?;
            let text = String::from_utf8(bytes)
                .map_err(|_| Error::invalid(path, None, "is not UTF-8 text"))?;
            let value: Value = crate::yaml::from_str(&text, path)?;
            let shown = workspace
                .relative(path)
                .unwrap_or_else(|| path.display().to_string());
            (value, Positions::of(&text), shown)
        }
        None => (Value::Null, Positions::default(), String::new()),
    };
    let from_file = |key: &str| -> Option<Origin> {
        lookup(&value, key)?;
        Some(Origin::File {
            path: shown.clone(),
            line: positions.at(key).map_or(1, |(line, _)| line),
        })
    };
    let mut out = Vec::new();
    let mut push = |key: String, value: String, origin: Origin| {
        out.push(Setting { key, value, origin });
    };
    push(
        "config".into(),
        if shown.is_empty() {
            "none (no milepost.yaml found)".into()
        } else if named_by_operator {
            shown.clone()
        } else {
            format!("{shown} (found from the current folder up)")
        },
        if named_by_operator {
            Origin::CommandLine {
                flag: "--config".into(),
            }
        } else {
            Origin::Default
        },
    );
    let project = workspace.project_prefix();
    push(
        "project".into(),
        if project.is_empty() {
            ".".into()
        } else {
            project
        },
        Origin::Default,
    );

    // Which files are reports.
    match lookup(&value, "reports").and_then(Value::as_sequence) {
        Some(entries) if !entries.is_empty() => {
            for (index, entry) in entries.iter().enumerate() {
                let key = format!("reports.{index}");
                let glob = lookup(entry, "glob").and_then(Value::as_str).unwrap_or("");
                let schema = lookup(entry, "schema")
                    .and_then(Value::as_str)
                    .unwrap_or("chosen by language");
                let origin = from_file(&format!("{key}.glob")).unwrap_or(Origin::Default);
                push(key.clone(), format!("{glob} (schema: {schema})"), origin);
                if let Some(levels) = lookup(entry, "rules").and_then(Value::as_mapping) {
                    for (rule, level) in levels {
                        let rule = rule.as_str().unwrap_or("");
                        let key = format!("{key}.rules.{rule}");
                        let origin = from_file(&key).unwrap_or(Origin::Default);
                        push(key, plain(level), origin);
                    }
                }
            }
        }
        _ => push(
            "reports".into(),
            ".rst and .md files whose names contain `uke` or `week` (schema chosen by language)"
                .into(),
            Origin::Default,
        ),
    }
    if let Some(patterns) = lookup(&value, "exclude").and_then(Value::as_sequence) {
        for (index, pattern) in patterns.iter().enumerate() {
            let key = format!("exclude.{index}");
            let origin = from_file(&key).unwrap_or(Origin::Default);
            push(key, plain(pattern), origin);
        }
    }

    // Rules: the level that applies, and each parameter.
    for rule in Rule::ALL {
        let name = rule.name();
        let key = format!("rules.{name}");
        let level = match config.rule(*rule).level {
            Some(Level::Off) => "off".to_owned(),
            Some(Level::On(severity)) => severity.to_string(),
            None if rule.enabled_by_default() => rule.default_severity().to_string(),
            None => "off".to_owned(),
        };
        let origin = if severities.iter().any(|(r, _)| r == rule) {
            Origin::CommandLine {
                flag: format!("--severity {name}=…"),
            }
        } else {
            from_file(&format!("{key}.severity"))
                .or_else(|| {
                    lookup(&value, &key)
                        .filter(|v| !v.is_mapping())
                        .and_then(|_| from_file(&key))
                })
                .unwrap_or(Origin::Default)
        };
        push(key.clone(), level, origin);
        for param in rule.params() {
            let param_key = format!("{key}.{}", param.key);
            match lookup(&value, &param_key) {
                Some(given) => {
                    let origin = from_file(&param_key).unwrap_or(Origin::Default);
                    push(param_key, plain(given), origin);
                }
                None => push(param_key, param.default.to_owned(), Origin::Default),
            }
        }
    }

    // Where the rest comes from.
    let others: [(&str, String); 3] = [
        (
            "sphinx_source",
            "the nearest folder above each report holding conf.py".into(),
        ),
        (
            "milestones",
            format!(
                "milestones.yaml beside milepost.yaml ({})",
                if workspace.milestones_file().is_file() {
                    "present"
                } else {
                    "absent"
                }
            ),
        ),
        (
            "milestones_year",
            "the one year the plan document names".into(),
        ),
    ];
    for (key, default) in others {
        match lookup(&value, key) {
            Some(given) => {
                let origin = from_file(key).unwrap_or(Origin::Default);
                push(key.into(), plain(given), origin);
            }
            None => push(key.into(), default, Origin::Default),
        }
    }
    Ok(out)
}

/// The value at a dotted `path` (`rules.stale-item.weeks`, `reports.0`).
fn lookup<'a>(value: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(value, |value, part| match value {
        Value::Sequence(items) => items.get(part.parse::<usize>().ok()?),
        Value::Mapping(map) => map.get(part),
        _ => None,
    })
}

/// A value as one line of text.
fn plain(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Bool(false) => "off".into(),
        Value::Null => "nothing".into(),
        other => serde_yaml::to_string(other)
            .map(|text| {
                text.trim_end()
                    .replace('\n', " ")
                    .trim_start_matches("- ")
                    .to_owned()
            })
            .unwrap_or_default(),
    }
}

/// For tests and tools: the settings of the config at `path` without a
/// repository (the folder of `path` is the root).
pub fn settings_of(path: &Path) -> Result<Vec<Setting>> {
    let folder = path.parent().unwrap_or(Path::new("."));
    let workspace = Workspace::open(folder, Some(path))?;
    settings(&workspace, true, &[])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_value_says_where_it_came_from() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("milepost.yaml");
        std::fs::write(
            &path,
            "reports:\n  - glob: 'docs/**/*.rst'\n    schema: uke\nrules:\n  section-order: off\n  stale-item:\n    weeks: 3\nmilestones_year: 2016\n",
        )
        .unwrap();
        let settings = settings_of(&path).unwrap();
        let find = |key: &str| {
            settings
                .iter()
                .find(|s| s.key == key)
                .unwrap_or_else(|| panic!("{key}: {settings:#?}"))
                .clone()
        };
        let at = |line| Origin::File {
            path: "milepost.yaml".into(),
            line,
        };
        assert_eq!(find("reports.0").value, "docs/**/*.rst (schema: uke)");
        assert_eq!(find("reports.0").origin, at(2));
        assert_eq!(find("rules.section-order").value, "off");
        assert_eq!(find("rules.section-order").origin, at(5));
        assert_eq!(find("rules.stale-item").origin, Origin::Default);
        assert_eq!(find("rules.stale-item.weeks").value, "3");
        assert_eq!(find("rules.stale-item.weeks").origin, at(7));
        assert_eq!(find("rules.stale-item.reports").value, "4");
        assert_eq!(find("rules.stale-item.reports").origin, Origin::Default);
        assert_eq!(find("rules.title").value, "error");
        assert_eq!(find("rules.edited-after-publish").value, "off");
        assert_eq!(find("milestones_year").origin, at(8));
        assert_eq!(find("sphinx_source").origin, Origin::Default);
    }
}
