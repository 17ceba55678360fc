//! Every mistake in a schema file at once, each at its value, in words:
//! unknown keys, values of the wrong kind, patterns that are not regexes or
//! lack their capture group, sections without a title or kind. Run on the
//! YAML value before the typed reading, as `config/check.rs` does for
//! `milepost.yaml`; what needs the parent (`extends`) is judged after.

use serde_yaml::Value;

use super::Patterns;
use crate::yaml_pos::{Problem, describe, join, known_keys};

/// Every key of a schema file (held to `SchemaFile` by a test).
pub const KEYS: &[&str] = &[
    "name",
    "description",
    "extends",
    "language",
    "file_name",
    "title",
    "byline",
    "grace_days",
    "unknown_section",
    "order",
    "examples",
    "sections",
];

const SECTION_KEYS: &[&str] = &[
    "title",
    "kind",
    "aliases",
    "required",
    "repeatable",
    "copy_of",
    "copy_to_next",
];
const KINDS: &[&str] = &["done", "in_progress", "planned", "risks", "status", "notes"];
const EDIT_KEYS: &[&str] = &["remove", "rename", "change", "add", "move"];

fn problem(path: &str, at_key: bool, message: String) -> Problem {
    if at_key {
        Problem::at_key(path, message)
    } else {
        Problem::at_value(path, message)
    }
}

fn unknown_keys(
    map: &serde_yaml::Mapping,
    path: &str,
    known: &[&str],
    what: &str,
    out: &mut Vec<Problem>,
) {
    known_keys(map, path, known, what, out);
}

fn expect_text(value: &Value, path: &str, what: &str, out: &mut Vec<Problem>) {
    if !value.is_string() {
        let name = path.rsplit('.').next().unwrap_or(path);
        out.push(problem(
            path,
            false,
            format!("`{name}` must be {what}, not {}", describe(value)),
        ));
    }
}

fn expect_bool(value: &Value, path: &str, out: &mut Vec<Problem>) {
    if !value.is_bool() {
        let name = path.rsplit('.').next().unwrap_or(path);
        out.push(problem(
            path,
            false,
            format!(
                "`{name}` must be `true` or `false`, not {}",
                describe(value)
            ),
        ));
    }
}

fn expect_titles(value: &Value, path: &str, out: &mut Vec<Problem>) {
    match value.as_sequence() {
        Some(items) => {
            for (index, item) in items.iter().enumerate() {
                expect_text(
                    item,
                    &join(path, &index.to_string()),
                    "a section title",
                    out,
                );
            }
        }
        None => out.push(problem(
            path,
            false,
            format!("expected a list of section titles, not {}", describe(value)),
        )),
    }
}

fn kind(value: &Value, path: &str, out: &mut Vec<Problem>) {
    if !value.as_str().is_some_and(|k| KINDS.contains(&k)) {
        out.push(problem(
            path,
            false,
            format!(
                "{}: a section is one of {}",
                match value.as_str() {
                    Some(text) => format!("unknown kind `{text}`"),
                    None => format!("a kind is expected, not {}", describe(value)),
                },
                KINDS
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        ));
    }
}

/// A pattern: text, a regex, with the capture groups it must have.
fn pattern(
    value: &Value,
    key: &str,
    groups: &[&str],
    patterns: &mut Patterns,
    out: &mut Vec<Problem>,
) {
    let Some(text) = value.as_str() else {
        out.push(problem(
            key,
            false,
            format!("`{key}` must be a regex (text), not {}", describe(value)),
        ));
        return;
    };
    match patterns.compile(text) {
        Err(err) => out.push(problem(
            key,
            false,
            format!("key `{key}`: invalid regex: {err}"),
        )),
        Ok(regex) => {
            for group in groups {
                if let Some(message) = super::missing_capture(key, &regex, group) {
                    out.push(problem(key, false, message));
                }
            }
        }
    }
}

/// One section (`- title: …, kind: …`), of a list or of `add:`.
fn section(value: &Value, path: &str, extra: &[&str], out: &mut Vec<Problem>) {
    let Some(map) = value.as_mapping() else {
        out.push(problem(
            path,
            false,
            format!(
                "a section must be a map with `title` and `kind`, not {}",
                describe(value)
            ),
        ));
        return;
    };
    let known: Vec<&str> = SECTION_KEYS.iter().chain(extra).copied().collect();
    unknown_keys(map, path, &known, "a section", out);
    for required in ["title", "kind"] {
        if map.get(required).is_none() {
            out.push(problem(
                path,
                false,
                format!("this section has no `{required}`"),
            ));
        }
    }
    for (key, value) in map {
        let Some(name) = key.as_str() else { continue };
        let at = join(path, name);
        match name {
            "title" | "before" | "after" => expect_text(value, &at, "a section title", out),
            "kind" | "copy_of" => kind(value, &at, out),
            "aliases" => expect_titles(value, &at, out),
            "required" | "repeatable" | "copy_to_next" => expect_bool(value, &at, out),
            _ => {}
        }
    }
}

/// Holds a schema file to its shape. Its patterns are compiled through
/// `patterns`, where the schema then finds them.
pub(crate) fn check(value: &Value, patterns: &mut Patterns) -> Vec<Problem> {
    let mut out = Vec::new();
    let Some(map) = value.as_mapping() else {
        out.push(problem(
            "",
            false,
            format!(
                "a schema file must be a map of keys (`title:`, `sections:`, …), not {}",
                describe(value)
            ),
        ));
        return out;
    };
    unknown_keys(map, "", KEYS, "a schema file", &mut out);
    for (key, value) in map {
        let Some(name) = key.as_str() else { continue };
        match name {
            "name" | "description" | "extends" | "language" => {
                expect_text(value, name, "text", &mut out);
            }
            "file_name" | "title" => pattern(value, name, &["week"], patterns, &mut out),
            "byline" if !value.is_null() => {
                pattern(value, name, &["date"], patterns, &mut out);
            }
            "grace_days" if !matches!(value.as_u64(), Some(0..=365)) => out.push(problem(
                name,
                false,
                format!(
                    "`grace_days` must be a whole number of days, not {}",
                    describe(value)
                ),
            )),
            "unknown_section" if !matches!(value.as_str(), Some("error" | "warning")) => {
                out.push(problem(
                    name,
                    false,
                    format!(
                        "`unknown_section` must be `error` or `warning`, not {}",
                        describe(value)
                    ),
                ));
            }
            "order" => expect_bool(value, name, &mut out),
            "examples" => match value.as_mapping() {
                Some(examples) => {
                    unknown_keys(
                        examples,
                        name,
                        &["file_name", "title", "byline"],
                        "`examples`",
                        &mut out,
                    );
                    for (key, example) in examples {
                        if let Some(key) = key.as_str() {
                            expect_text(example, &join(name, key), "text", &mut out);
                        }
                    }
                }
                None => out.push(problem(
                    name,
                    false,
                    format!("`examples` must be a map, not {}", describe(value)),
                )),
            },
            "sections" => sections(value, &mut out),
            _ => {}
        }
    }
    out
}

fn sections(value: &Value, out: &mut Vec<Problem>) {
    match value {
        Value::Sequence(items) => {
            for (index, item) in items.iter().enumerate() {
                section(item, &format!("sections.{index}"), &[], out);
            }
        }
        Value::Mapping(edits) => {
            unknown_keys(edits, "sections", EDIT_KEYS, "`sections:` edits", out);
            for (key, value) in edits {
                let Some(name) = key.as_str() else { continue };
                let at = join("sections", name);
                match name {
                    "remove" => expect_titles(value, &at, out),
                    "rename" | "change" => match value.as_mapping() {
                        Some(map) => {
                            for (title, target) in map {
                                let path = join(&at, title.as_str().unwrap_or(""));
                                if name == "rename" {
                                    expect_text(target, &path, "the new title", out);
                                } else if let Some(fields) = target.as_mapping() {
                                    unknown_keys(
                                        fields,
                                        &path,
                                        &SECTION_KEYS[1..],
                                        "a `change`",
                                        out,
                                    );
                                } else {
                                    out.push(problem(
                                        &path,
                                        false,
                                        format!(
                                            "expected a map of fields to change, not {}",
                                            describe(target)
                                        ),
                                    ));
                                }
                            }
                        }
                        None => out.push(problem(
                            &at,
                            false,
                            format!(
                                "`{name}` must be a map of section titles, not {}",
                                describe(value)
                            ),
                        )),
                    },
                    "add" | "move" => match value.as_sequence() {
                        Some(items) => {
                            for (index, item) in items.iter().enumerate() {
                                let path = join(&at, &index.to_string());
                                if name == "add" {
                                    section(item, &path, &["before", "after"], out);
                                } else if let Some(map) = item.as_mapping() {
                                    unknown_keys(
                                        map,
                                        &path,
                                        &["title", "before", "after"],
                                        "a `move`",
                                        out,
                                    );
                                } else {
                                    out.push(problem(
                                        &path,
                                        false,
                                        format!(
                                            "expected `{{title: …, before: …}}`, not {}",
                                            describe(item)
                                        ),
                                    ));
                                }
                            }
                        }
                        None => out.push(problem(
                            &at,
                            false,
                            format!("`{name}` must be a list, not {}", describe(value)),
                        )),
                    },
                    _ => {}
                }
            }
        }
        other => out.push(problem(
            "sections",
            false,
            format!(
                "`sections` must be a list of sections, or a map of edits, not {}",
                describe(other)
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(yaml: &str) -> Vec<(String, String)> {
        check(
            &serde_yaml::from_str(yaml).unwrap(),
            &mut Patterns::default(),
        )
        .into_iter()
        .map(|p| (p.path, p.message))
        .collect()
    }

    #[test]
    fn every_problem_of_a_schema_file_at_once() {
        let found = problems(
            "extends: uke\ntitel: x\ntitle: '(unclosed'\nbyline: '^av (?P<who>.+)$'\ngrace_days: soon\nsections:\n  - title: A\n    kind: later\n  - kind: done\n    required: maybe\n",
        );
        let paths: Vec<&str> = found.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            paths,
            [
                "titel",
                "title",
                "byline",
                "grace_days",
                "sections.0.kind",
                "sections.1",
                "sections.1.required"
            ]
        );
        let all: String = found.iter().map(|(_, m)| format!("{m}\n")).collect();
        for words in [
            "unknown key `titel` in a schema file (did you mean `title`?)",
            "key `title`: invalid regex",
            "must capture `(?P<date>...)`",
            "`grace_days` must be a whole number of days, not the text `soon`",
            "unknown kind `later`",
            "this section has no `title`",
            "`required` must be `true` or `false`",
        ] {
            assert!(all.contains(words), "{words}\n{all}");
        }
    }

    #[test]
    fn good_schemas_and_edits_have_no_problems() {
        for (_, text) in crate::schema::BUILTIN {
            assert_eq!(problems(text), Vec::new());
        }
        assert_eq!(
            problems(
                "extends: uke\nbyline: null\nsections:\n  remove: [Annet]\n  change: {Fullført: {required: false}}\n  add:\n    - {title: Drift, kind: notes, after: Utfordringer}\n  move:\n    - {title: Drift, before: Fullført}\n"
            ),
            Vec::new()
        );
    }
}
