//! Findings. A rule never prints: it returns [`Diagnostic`]s, and the
//! renderers decide how they look. The JSON output is this type serialized.

use serde::Serialize;

use crate::hash::fnv1a_parts;
pub use crate::registry::{Rule, Severity};
use crate::report::Pos;

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
    /// Where the value the finding is about ends, on the same line: the
    /// column just after its last character (as SARIF's `endColumn`), so a
    /// snippet can underline the value and an editor can select it. `None`
    /// when the finding points at a spot rather than at a value (a missing
    /// section, a whole report); `null` in JSON then, so that every finding
    /// has the same keys.
    pub end_column: Option<u32>,
    pub message: String,
    pub hint: Option<String>,
    /// The source line the finding points into, for snippets.
    #[serde(skip)]
    pub source_line: Option<String>,
    /// Identifies the finding across edits that only shift lines: a hash of
    /// the rule, the path, the text of the line it points into and which
    /// occurrence of that text it is. Used by SARIF and baselines.
    #[serde(skip)]
    pub fingerprint: String,
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
            end_column: None,
            message: message.into(),
            hint: None,
            source_line: None,
            fingerprint: String::new(),
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Marks the value the finding is about: `text` as written, starting
    /// at the finding's position. Text that spans lines is cut at the first
    /// line end; [`clamp_span`] later keeps the end within the source line.
    pub fn spanning(mut self, text: &str) -> Self {
        let first_line = text.split(['\n', '\r']).next().unwrap_or("");
        let width = u32::try_from(first_line.chars().count()).unwrap_or(u32::MAX);
        self.end_column = (width > 0).then(|| self.column.saturating_add(width));
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

/// Fills in [`Diagnostic::fingerprint`] for the findings of one file (in
/// any order; they are fingerprinted in position order so the occurrence
/// count is stable).
pub fn fingerprint_all(diagnostics: &mut [Diagnostic]) {
    use crate::hash::{OFFSET_BASIS, fnv1a_extend};
    let mut order: Vec<usize> = (0..diagnostics.len()).collect();
    order.sort_by_key(|&i| (diagnostics[i].line, diagnostics[i].column));
    let mut seen: std::collections::HashMap<u64, u32> = std::collections::HashMap::new();
    for i in order {
        let d = &diagnostics[i];
        // FNV-1a: stable across Rust versions and platforms, which `std`'s
        // hasher does not promise; fingerprints are stored in baseline files
        // and code-scanning databases, so they must never change. It is
        // `fnv1a_parts` of the rule, the path and the line's words joined by
        // one space, fed word by word rather than joined first.
        let mut base = OFFSET_BASIS;
        for part in [d.rule.name(), &d.path] {
            base = fnv1a_extend(fnv1a_extend(base, part.as_bytes()), &[0xff]);
        }
        let line = d.source_line.as_deref().unwrap_or("");
        for (n, word) in line.split_whitespace().enumerate() {
            if n > 0 {
                base = fnv1a_extend(base, b" ");
            }
            base = fnv1a_extend(base, word.as_bytes());
        }
        let base = fnv1a_extend(base, &[0xff]);
        let occurrence = seen.entry(base).or_insert(0);
        *occurrence += 1;
        let fingerprint = fnv1a_parts(&[&base.to_string(), &occurrence.to_string()]);
        diagnostics[i].fingerprint = format!("{fingerprint:016x}");
    }
}

/// Keeps a finding's end within its source line once that line is known:
/// a span that would run past the line's end is cut there, and one that
/// does not start within the line (a position past its end) is dropped.
pub fn clamp_span(diagnostic: &mut Diagnostic) {
    let Some(end) = diagnostic.end_column else {
        return;
    };
    let Some(line) = diagnostic.source_line.as_deref() else {
        diagnostic.end_column = None;
        return;
    };
    let past_last = u32::try_from(line.trim_end().chars().count())
        .unwrap_or(u32::MAX)
        .saturating_add(1);
    let end = end.min(past_last);
    diagnostic.end_column = (end > diagnostic.column).then_some(end);
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

    /// Fingerprints are stored in baselines and code-scanning databases:
    /// these values were computed before the hash moved to `crate::hash`
    /// and must never change.
    #[test]
    fn fingerprints_are_pinned() {
        let at = |line: u32| {
            let mut d = Diagnostic::new(
                Rule::BrokenLink,
                "docs/status/2016_uke_39.rst",
                Pos::new(line, 3),
                "broken",
            );
            d.source_line = Some("- Se  :doc:`../plans/x`".to_owned());
            d
        };
        let mut found = vec![at(7), at(9)];
        fingerprint_all(&mut found);
        assert_eq!(found[0].fingerprint, "a7fe6b2241d243d6");
        assert_eq!(found[1].fingerprint, "a7f46b2241c9ef51");
    }

    /// The words are fed one by one: the same as hashing them joined.
    #[test]
    fn fingerprints_hash_the_words_of_the_line_joined_by_one_space() {
        for line in [
            None,
            Some(""),
            Some("   "),
            Some(" a\tb  c "),
            Some("- Se  :doc:`x`"),
        ] {
            let mut d = Diagnostic::new(Rule::Title, "a.rst", Pos::new(1, 1), "m");
            d.source_line = line.map(str::to_owned);
            let words: Vec<&str> = line.unwrap_or("").split_whitespace().collect();
            let base = fnv1a_parts(&[Rule::Title.name(), "a.rst", &words.join(" ")]);
            let expected = fnv1a_parts(&[&base.to_string(), "1"]);
            fingerprint_all(std::slice::from_mut(&mut d));
            assert_eq!(d.fingerprint, format!("{expected:016x}"), "{line:?}");
        }
    }

    #[test]
    fn fingerprints_survive_line_shifts_and_tell_repeats_apart() {
        let at = |line: u32, text: &str| {
            let mut d = Diagnostic::new(
                Rule::BrokenLink,
                "a.rst",
                Pos::new(line, 3),
                format!("line {line}"),
            );
            d.source_line = Some(text.to_owned());
            d
        };
        let mut before = vec![
            at(10, "- Se :doc:`x`"),
            at(12, "- Se :doc:`x`"),
            at(14, "- other"),
        ];
        let mut after = vec![
            at(22, "-  Se  :doc:`x`"),
            at(20, "- Se :doc:`x`"),
            at(30, "- other"),
        ];
        fingerprint_all(&mut before);
        fingerprint_all(&mut after);
        assert_eq!(before[0].fingerprint, after[1].fingerprint);
        assert_eq!(before[1].fingerprint, after[0].fingerprint);
        assert_eq!(before[2].fingerprint, after[2].fingerprint);
        assert_ne!(before[0].fingerprint, before[1].fingerprint);
        assert_eq!(before[0].fingerprint.len(), 16);
    }

    #[test]
    fn spans_end_after_the_value_and_stay_within_the_line() {
        let at = |column: u32, text: &str, line: &str| {
            let mut d =
                Diagnostic::new(Rule::Title, "a.rst", Pos::new(1, column), "x").spanning(text);
            d.source_line = Some(line.to_owned());
            clamp_span(&mut d);
            d.end_column
        };
        // `Uke 83`: six characters from column 1, so the end is column 7.
        assert_eq!(at(1, "Uke 83", "Uke 83"), Some(7));
        // Characters, not bytes: `Fullførtt` is nine characters.
        assert_eq!(at(1, "Fullførtt", "Fullførtt"), Some(10));
        // Text that runs past the line (a value spanning lines) is cut.
        assert_eq!(at(5, "abc\ndef", "xxxxab"), Some(7));
        // A position past the end of the line has no span.
        assert_eq!(at(9, "abc", "short"), None);
        // An empty value has none either.
        assert_eq!(at(1, "", "short"), None);
        // Without a source line there is nothing to underline.
        let mut d = Diagnostic::new(Rule::Title, "a.rst", Pos::START, "x").spanning("abc");
        clamp_span(&mut d);
        assert_eq!(d.end_column, None);
    }

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
