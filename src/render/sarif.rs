//! The SARIF format (Static Analysis Results Interchange Format, 2.1.0):
//! what code-scanning services read, GitHub's among them
//! (`github/codeql-action/upload-sarif`), so findings show up as alerts on
//! the repository and in pull requests, and are tracked across commits.
//!
//! The log is written from the small serde structs below, which hold only
//! what milepost fills in, rather than with a SARIF crate: the full object
//! model is large, and the output is tested by reading it back with the
//! `serde-sarif` types and by validating it against the official schema.
//!
//! Choices worth knowing:
//! - Every rule is listed in `tool.driver.rules`, whether it fired or not,
//!   so a service can show the explanation of any of them; a result points
//!   at its rule by `ruleId` and `ruleIndex`.
//! - `message.text` is the message, then `hint: …` on a line of its own, as
//!   in the other machine formats.
//! - Paths are relative to the repository root, so `uriBaseId` is
//!   `%SRCROOT%` and the URI is the path, percent-encoded as a URI
//!   reference requires ([`escape::uri_path`]). Text fields need no
//!   escaping of their own: serde_json escapes every control character.
//! - Columns count Unicode characters, not UTF-16 code units (SARIF's
//!   default), so the run says `columnKind: unicodeCodePoints`.
//! - `partialFingerprints["milepost/v1"]` is the finding's fingerprint,
//!   which survives edits that only shift lines: services use it to tell a
//!   moved alert from a new one.
//! - Files that could not be read and notes are tool execution
//!   notifications of the one invocation, which is unsuccessful when there
//!   are failures (milepost then exits with 2).

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;

use super::{escape, message_with_hint};
use crate::check::CheckOutcome;
use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::Rule;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const FINGERPRINT_KEY: &str = "milepost/v1";

#[derive(Serialize)]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    invocations: [Invocation; 1],
    column_kind: &'static str,
    results: Vec<SarifResult>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    information_uri: &'static str,
    rules: Vec<ReportingDescriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReportingDescriptor {
    id: &'static str,
    name: String,
    short_description: Text,
    full_description: Text,
    help: Help,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: &'static str,
    markdown: &'static str,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    code: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Text,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Text,
    locations: [Location; 1],
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    partial_fingerprints: BTreeMap<&'static str, String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    uri_base_id: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    start_column: u32,
    /// Exclusive, as SARIF defines it; the end line is the start line when
    /// left out, which is the only kind of span milepost has.
    #[serde(skip_serializing_if = "Option::is_none")]
    end_column: Option<u32>,
}

pub fn render(out: &mut dyn Write, outcome: &CheckOutcome) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &log(outcome)).map_err(super::json_io_error)?;
    writeln!(out)
}

fn log(outcome: &CheckOutcome) -> Log {
    let mut notifications: Vec<Notification> = outcome
        .failures
        .iter()
        .map(|failure| Notification {
            level: "error",
            message: Text {
                text: failure.to_string(),
            },
        })
        .collect();
    notifications.extend(outcome.notes.iter().map(|note| Notification {
        level: "note",
        message: Text {
            text: match &note.path {
                Some(path) => format!("{path}: {}", note.message),
                None => note.message.clone(),
            },
        },
    }));
    Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "milepost",
                    version: env!("CARGO_PKG_VERSION"),
                    information_uri: env!("CARGO_PKG_REPOSITORY"),
                    rules: Rule::ALL.iter().map(|&rule| descriptor(rule)).collect(),
                },
            },
            invocations: [Invocation {
                execution_successful: outcome.failures.is_empty(),
                tool_execution_notifications: notifications,
            }],
            column_kind: "unicodeCodePoints",
            results: outcome.diagnostics.iter().map(result).collect(),
        }],
    }
}

fn descriptor(rule: Rule) -> ReportingDescriptor {
    ReportingDescriptor {
        id: rule.name(),
        name: pascal_case(rule.name()),
        short_description: Text {
            text: rule.summary().to_owned(),
        },
        full_description: Text {
            text: rule.summary().to_owned(),
        },
        help: Help {
            text: rule.explain(),
            markdown: rule.explain(),
        },
        default_configuration: Configuration {
            level: level(rule.default_severity()),
        },
        properties: RuleProperties { code: rule.code() },
    }
}

fn result(d: &Diagnostic) -> SarifResult {
    let mut partial_fingerprints = BTreeMap::new();
    // Findings that were never fingerprinted have an empty one; an empty
    // fingerprint would make them all look like the same alert.
    if !d.fingerprint.is_empty() {
        partial_fingerprints.insert(FINGERPRINT_KEY, d.fingerprint.clone());
    }
    SarifResult {
        rule_id: d.rule.name(),
        rule_index: Rule::ALL.iter().position(|&rule| rule == d.rule),
        level: level(d.severity),
        message: Text {
            text: message_with_hint(d),
        },
        locations: [Location {
            physical_location: PhysicalLocation {
                artifact_location: ArtifactLocation {
                    uri: escape::uri_path(&d.path),
                    uri_base_id: "%SRCROOT%",
                },
                region: Region {
                    start_line: d.line,
                    start_column: d.column,
                    end_column: d.end_column,
                },
            },
        }],
        partial_fingerprints,
    }
}

/// SARIF's levels: `info` is `note`.
fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// `week-mismatch` → `WeekMismatch`, the conventional form of a SARIF
/// rule's friendly `name`.
fn pascal_case(name: &str) -> String {
    name.split('-')
        .flat_map(|word| {
            let mut chars = word.chars();
            chars
                .next()
                .map(|first| first.to_uppercase().chain(chars))
                .into_iter()
                .flatten()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_names_become_pascal_case() {
        assert_eq!(pascal_case("week-mismatch"), "WeekMismatch");
        assert_eq!(pascal_case("title"), "Title");
    }
}
