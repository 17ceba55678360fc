//! Findings. A rule never prints: it returns [`Diagnostic`]s, and the
//! renderers decide how they look. The JSON output is this type serialized.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::report::Pos;
use crate::rules::Rule;

/// How serious a finding is. Ordered so that `Error > Warning > Info`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One finding, pointing at an exact place in a file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub rule: Rule,
    pub code: &'static str,
    pub severity: Severity,
    /// Relative to the repository root, with `/` separators.
    pub path: String,
    pub line: u32,
    pub column: u32,
    pub message: String,
    pub hint: Option<String>,
    /// The source line the finding points into, for snippets.
    #[serde(skip)]
    pub source_line: Option<String>,
}

impl Diagnostic {
    /// A finding at the rule's default severity; the engine applies the
    /// configured severity afterwards, in one place.
    pub fn new(rule: Rule, path: &str, pos: Pos, message: impl Into<String>) -> Self {
        Diagnostic {
            rule,
            code: rule.code(),
            severity: rule.default_severity(),
            path: path.to_owned(),
            line: pos.line.max(1),
            column: pos.column.max(1),
            message: message.into(),
            hint: None,
            source_line: None,
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn pos(&self) -> Pos {
        Pos::new(self.line, self.column)
    }

    /// The order of the JSON output and of the human output: by path, then
    /// by place, then by rule so that equal places are stable.
    pub fn sort_key(&self) -> (&str, u32, u32, &'static str) {
        (&self.path, self.line, self.column, self.rule.name())
    }
}

/// Something the user should know that is not a finding about a report:
/// a binary file skipped, git unavailable. Notes never change the exit code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Note {
    pub path: Option<String>,
    pub message: String,
}

/// Counts for the closing summary line and the JSON `summary`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Summary {
    pub fn count(files: usize, diagnostics: &[Diagnostic]) -> Self {
        let mut summary = Summary {
            files,
            ..Summary::default()
        };
        for diagnostic in diagnostics {
            match diagnostic.severity {
                Severity::Error => summary.errors += 1,
                Severity::Warning => summary.warnings += 1,
                Severity::Info => summary.infos += 1,
            }
        }
        summary
    }

    /// Whether anything is at or above `level`.
    pub fn reaches(&self, level: Severity) -> bool {
        match level {
            Severity::Error => self.errors > 0,
            Severity::Warning => self.errors + self.warnings > 0,
            Severity::Info => self.errors + self.warnings + self.infos > 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severities_are_ordered() {
        assert!(Severity::Error > Severity::Warning);
        assert!(Severity::Warning > Severity::Info);
    }

    #[test]
    fn summary_reaches_levels() {
        let mut d = Diagnostic::new(Rule::Title, "a.rst", Pos::START, "x");
        d.severity = Severity::Warning;
        let summary = Summary::count(1, &[d]);
        assert_eq!(summary.warnings, 1);
        assert!(!summary.reaches(Severity::Error));
        assert!(summary.reaches(Severity::Warning));
        assert!(summary.reaches(Severity::Info));
        assert!(!Summary::count(1, &[]).reaches(Severity::Info));
    }
}
