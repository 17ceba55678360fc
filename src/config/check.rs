//! Every mistake in a `milepost.yaml` at once, each at the value it is
//! about (a bad glob at its own line and column, a number out of range at
//! the number), in words rather than Rust types ("a whole number of weeks",
//! "a list of globs", never `u32` or "a sequence").
//!
//! The config is read as a YAML value first and held to its shape here;
//! the typed reading in `config.rs` follows only when nothing is wrong, so
//! it never has to explain itself. Rule parameters are held to what each
//! rule declares (`Rule::params`): one place says what a rule takes.

use serde_yaml::Value;

use crate::yaml_pos::{Problem, describe, join, known_keys};

use super::Level;
use crate::registry::Rule;

/// Globs built while checking, by their text.
pub type Globs = std::collections::HashMap<String, globset::Glob>;

/// Every top-level key of `milepost.yaml` (held to `ConfigFile` by a test
/// in `config.rs`).
pub const KEYS: &[&str] = &[
    "reports",
    "exclude",
    "rules",
    "sphinx_source",
    "milestones",
    "milestones_year",
    "staffing",
    "cadence",
    "standing",
];

/// The keys of one `reports:` entry.
const ENTRY_KEYS: &[&str] = &["glob", "schema", "rules", "cadence"];

/// Holds a whole config to its shape: every mistake in `value`. The globs
/// that are valid are put in `built`, by their text, for the config to
/// match with: building one is most of what checking it costs.
pub fn check(value: &Value, built: &mut Globs) -> Vec<Problem> {
    let mut out = Vec::new();
    let map = match value {
        Value::Null => return out,
        Value::Mapping(map) => map,
        other => {
            out.push(Problem::at_value(
                "",
                format!(
                    "milepost.yaml must be a map of keys (`reports:`, `rules:`, …), not {}",
                    describe(other)
                ),
            ));
            return out;
        }
    };
    for (key, value) in known_keys(map, "", KEYS, "milepost.yaml", &mut out) {
        match key {
            "reports" => reports(value, built, &mut out),
            "exclude" => {
                for (path, pattern) in list_of_text(value, "exclude", "a list of globs", &mut out) {
                    glob(&path, pattern, built, &mut out);
                }
            }
            "standing" => {
                list_of_text(value, "standing", "a list of wordings", &mut out);
            }
            "rules" => rules(value, &mut out),
            "sphinx_source" | "milestones" => {
                text(value, key, "a path relative to milepost.yaml", &mut out);
            }
            "milestones_year" if !matches!(value.as_i64(), Some(1900..=2200)) => {
                out.push(Problem::at_value(
                    key,
                    format!(
                        "`milestones_year` must be a year such as 2016, not {}",
                        describe(value)
                    ),
                ));
            }
            "staffing" if !value.is_mapping() => {
                out.push(Problem::at_value(
                    key,
                    format!(
                        "`staffing` must be a map of word lists (`people:`, `shortage:`, …), not {}",
                        describe(value)
                    ),
                ));
            }
            _ => {}
        }
    }
    out
}

fn text<'a>(value: &'a Value, path: &str, what: &str, out: &mut Vec<Problem>) -> Option<&'a str> {
    match value.as_str() {
        Some(text) if !text.trim().is_empty() => Some(text),
        _ => {
            let name = path.rsplit('.').next().unwrap_or(path);
            out.push(Problem::at_value(
                path,
                format!("`{name}` must be {what}, not {}", describe(value)),
            ));
            None
        }
    }
}

/// The texts of a list (with their paths), and a problem for anything else.
fn list_of_text<'a>(
    value: &'a Value,
    path: &str,
    what: &str,
    out: &mut Vec<Problem>,
) -> Vec<(String, &'a str)> {
    let Some(items) = value.as_sequence() else {
        let name = path.rsplit('.').next().unwrap_or(path);
        out.push(Problem::at_value(
            path,
            format!("`{name}` must be {what}, not {}", describe(value)),
        ));
        return Vec::new();
    };
    items
        .iter()
        .enumerate()
        .filter_map(|(index, item)| {
            let item_path = join(path, &index.to_string());
            match item.as_str() {
                Some(text) => Some((item_path, text)),
                None => {
                    out.push(Problem::at_value(
                        &item_path,
                        format!("expected text here, not {}", describe(item)),
                    ));
                    None
                }
            }
        })
        .collect()
}

fn glob(path: &str, pattern: &str, built: &mut Globs, out: &mut Vec<Problem>) {
    match super::glob(pattern) {
        Ok(glob) => {
            built.insert(pattern.to_owned(), glob);
        }
        Err(_) => {
            let reason = globset::Glob::new(pattern)
                .err()
                .map_or_else(String::new, |err| format!(": {}", err.kind()));
            out.push(Problem::at_value(
                path,
                format!("invalid glob `{pattern}`{reason}"),
            ));
        }
    }
}

fn reports(value: &Value, built: &mut Globs, out: &mut Vec<Problem>) {
    let Some(entries) = value.as_sequence() else {
        out.push(Problem::at_value(
            "reports",
            format!(
                "`reports` must be a list of entries (`- glob: …`), not {}",
                describe(value)
            ),
        ));
        return;
    };
    for (index, entry) in entries.iter().enumerate() {
        let path = format!("reports.{index}");
        let Some(map) = entry.as_mapping() else {
            out.push(Problem::at_value(
                &path,
                format!(
                    "a `reports` entry must be a map with `glob` (and `schema`, `rules`), not {}",
                    describe(entry)
                ),
            ));
            continue;
        };
        let entries = known_keys(map, &path, ENTRY_KEYS, "a `reports` entry", out);
        if !entries.iter().any(|(key, _)| *key == "glob") {
            out.push(Problem::at_value(
                &path,
                "this `reports` entry has no `glob`".into(),
            ));
        }
        for (key, value) in entries {
            let at = join(&path, key);
            match key {
                "glob" => {
                    if let Some(pattern) = text(value, &at, "a glob", out) {
                        glob(&at, pattern, built, out);
                    }
                }
                "schema" => {
                    text(value, &at, "a built-in schema name or a schema file", out);
                }
                "rules" => match value.as_mapping() {
                    Some(levels) => {
                        for (rule, level) in levels {
                            let rule_path = join(&at, rule.as_str().unwrap_or(""));
                            if rule_name(rule, &rule_path, out).is_some() {
                                self::level(level, &rule_path, out);
                            }
                        }
                    }
                    None => out.push(Problem::at_value(
                        &at,
                        format!(
                            "`rules` must be a map of rule names to levels, not {}",
                            describe(value)
                        ),
                    )),
                },
                _ => {}
            }
        }
    }
}

fn rule_name(key: &Value, path: &str, out: &mut Vec<Problem>) -> Option<Rule> {
    let Some(name) = key.as_str() else {
        out.push(Problem::at_value(
            path,
            format!("a rule name is expected, not {}", describe(key)),
        ));
        return None;
    };
    match name.parse::<Rule>() {
        Ok(rule) => Some(rule),
        Err(message) => {
            out.push(Problem::at_key(path, message));
            None
        }
    }
}

fn level(value: &Value, path: &str, out: &mut Vec<Problem>) {
    let ok = match value {
        Value::String(text) => Level::parse(text).is_some(),
        // YAML 1.1 reads a bare `off` as false.
        Value::Bool(false) => true,
        _ => false,
    };
    if !ok {
        let shown = match value {
            Value::String(text) => format!("unknown level `{text}`"),
            other => format!("a level is expected, not {}", describe(other)),
        };
        out.push(Problem::at_value(
            path,
            format!("{shown}: expected `error`, `warning`, `info` or `off`"),
        ));
    }
}

fn rules(value: &Value, out: &mut Vec<Problem>) {
    let Some(map) = value.as_mapping() else {
        out.push(Problem::at_value(
            "rules",
            format!(
                "`rules` must be a map of rule names to levels or settings, not {}",
                describe(value)
            ),
        ));
        return;
    };
    for (key, setting) in map {
        let path = join("rules", key.as_str().unwrap_or(""));
        let Some(rule) = rule_name(key, &path, out) else {
            continue;
        };
        let Some(params) = setting.as_mapping() else {
            level(setting, &path, out);
            continue;
        };
        let mut known: Vec<&str> = vec!["severity"];
        known.extend(rule.params().iter().map(|p| p.key));
        for (name, value) in params {
            let Some(name) = name.as_str() else {
                out.push(Problem::at_value(
                    &path,
                    format!("a parameter name is expected, not {}", describe(name)),
                ));
                continue;
            };
            let at = join(&path, name);
            if name == "severity" {
                level(value, &at, out);
                continue;
            }
            let Some(param) = rule.params().iter().find(|p| p.key == name) else {
                let takes: Vec<&str> = rule.params().iter().map(|p| p.key).collect();
                let takes = if takes.is_empty() {
                    "takes no parameters, only a level".to_owned()
                } else {
                    format!("takes {}", takes.join(", "))
                };
                out.push(Problem::at_key(
                    &at,
                    format!("`{rule}` has no parameter `{name}`: it {takes}"),
                ));
                continue;
            };
            // Numbers are held to their range here; other kinds of
            // parameter to their own reading in config.rs.
            if let Some((low, high)) = param.range {
                let number = value.as_u64();
                if !number.is_some_and(|n| (u64::from(low)..=u64::from(high)).contains(&n)) {
                    out.push(Problem::at_value(
                        &at,
                        format!(
                            "`{rule}: {name}` must be {} (at most {high}), not {}",
                            param.what,
                            match number {
                                Some(n) => n.to_string(),
                                None => describe(value),
                            }
                        ),
                    ));
                }
            } else if name == "breaks" {
                for (item, week) in list_of_text(value, &at, param.what, out) {
                    if let Err(message) = super::parse_weeks(week) {
                        out.push(Problem::at_value(&item, message));
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(yaml: &str) -> Vec<(String, String)> {
        let value: Value = serde_yaml::from_str(yaml).unwrap();
        check(&value, &mut Globs::new())
            .into_iter()
            .map(|p| (p.path, p.message))
            .collect()
    }

    #[test]
    fn every_problem_at_once_in_words() {
        let found = problems(
            "reports:\n  - glob: 'docs/[*.rst'\n    schema: 3\n  - schema: uke\nexclude: x\nrules:\n  stale-item: {weeks: lots, days: 2}\n  titel: off\n  title: loud\n  missing-report: {breaks: [2016-W99]}\nmilestones_year: soon\nreport: []\n",
        );
        let paths: Vec<&str> = found.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            paths,
            [
                "report",
                "reports.0.glob",
                "reports.0.schema",
                "reports.1",
                "exclude",
                "rules.stale-item.weeks",
                "rules.stale-item.days",
                "rules.titel",
                "rules.title",
                "rules.missing-report.breaks.0",
                "milestones_year",
            ]
        );
        let all: String = found.iter().map(|(_, m)| format!("{m}\n")).collect();
        for words in [
            "invalid glob `docs/[*.rst`",
            "`exclude` must be a list of globs, not the text `x`",
            "`stale-item: weeks` must be a whole number of weeks, at least 1 (at most 520), not the text `lots`",
            "`stale-item` has no parameter `days`",
            "unknown rule `titel` (did you mean `title`?)",
            "unknown level `loud`",
            "2016 has no week 99",
            "`milestones_year` must be a year such as 2016",
            "unknown key `report` in milepost.yaml (did you mean `reports`?)",
        ] {
            assert!(all.contains(words), "{words}\n{all}");
        }
        for rust in ["u32", "sequence", "invalid type", "i32"] {
            assert!(!all.contains(rust), "{rust}\n{all}");
        }
    }

    #[test]
    fn a_good_config_has_no_problems() {
        assert!(
            problems("reports:\n  - glob: '*.rst'\n    schema: uke\n    rules: {title: off}\nrules:\n  late-report: {severity: error, days: 3}\n  section-order: off\n  missing-report: {breaks: ['2016-W28..2016-W31']}\nsphinx_source: docs\nmilestones_year: 2016\n")
                .is_empty()
        );
        assert!(problems("").is_empty());
    }
}
