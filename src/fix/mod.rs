//! `check --fix` and `check --diff`: repairs that can be proved from the
//! report itself, as text edits on byte ranges of its source.
//!
//! Only what leaves no doubt is repaired, and only where a finding of the
//! rule is reported at that line (so a suppressed or disabled rule is not
//! "fixed" behind the writer's back):
//! - `week-mismatch`: the title's week, when the file name and the byline
//!   date agree on another week (the title is the odd one out);
//! - `unknown-section`: a heading that is a near miss of exactly one
//!   schema section ([`section_name`]);
//! - `heading-underline`: a reStructuredText underline (or overline)
//!   shorter than its title ([`underline`]);
//! - `broken-link`: a `:doc:` link to a document a later commit moved,
//!   when git's history of moves names one new place ([`doc_link`]).
//!
//! A fix never touches text outside its edits; edits of two fixes that
//! overlap are not both applied (the later one waits for the next run).
//! Writing is [`mod@write`]'s job, which refuses a file that changed on disk
//! since it was read.

pub mod diff;
pub mod doc_link;
pub mod section_name;
pub mod title_week;
pub mod underline;
pub mod write;

use std::ops::Range;

use chrono::NaiveDate;

use crate::diagnostic::Diagnostic;
use crate::registry::Rule;
use crate::report::{Document, Format};
use crate::schema::Schema;

/// Replace the bytes `range` of the source with `text`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub range: Range<usize>,
    pub text: String,
}

/// The repair of one finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub rule: Rule,
    /// The line of the finding it repairs.
    pub line: u32,
    /// What it does, for people ("title week 37 → 38").
    pub what: String,
    pub edits: Vec<Edit>,
}

/// The rules that have a fix.
pub const FIXABLE: [Rule; 4] = [
    Rule::WeekMismatch,
    Rule::UnknownSection,
    Rule::HeadingUnderline,
    Rule::BrokenLink,
];

/// Where a file that is gone is now, as git's history of moves says
/// (`Repo::moved_to`); the fixes never ask git themselves.
pub trait Moves {
    /// The first of `olds` (names a gone file may have had) that was
    /// moved: its index, and where it is now.
    fn moved_to(&self, olds: &[&str]) -> Option<(usize, String)>;
}

/// No history: nothing has moved.
pub struct NoMoves;

impl Moves for NoMoves {
    fn moved_to(&self, _: &[&str]) -> Option<(usize, String)> {
        None
    }
}

/// One report, as the fixes see it.
pub struct Input<'a> {
    /// Repository-relative path.
    pub path: &'a str,
    pub text: &'a str,
    pub format: Format,
    pub document: &'a Document,
    pub schema: &'a Schema,
    /// The byline date, as the check read it.
    pub byline_date: Option<NaiveDate>,
}

impl Input<'_> {
    /// Byte offset of the start of 1-based `line`.
    fn line_start(&self, line: u32) -> Option<usize> {
        let wanted = usize::try_from(line).ok()?.checked_sub(1)?;
        if wanted == 0 {
            return Some(0);
        }
        self.text
            .match_indices('\n')
            .nth(wanted - 1)
            .map(|(at, _)| at + 1)
            .filter(|&start| start <= self.text.len())
    }

    /// 1-based `line` without its line end, and where it starts.
    fn line(&self, line: u32) -> Option<(usize, &str)> {
        let start = self.line_start(line)?;
        let rest = self.text.get(start..)?;
        let end = rest.find('\n').unwrap_or(rest.len());
        Some((start, &rest[..end]))
    }
}

/// The fixes for `findings` (this file's), each for a finding reported at
/// its line.
pub fn fixes(input: &Input, findings: &[Diagnostic], moves: &dyn Moves) -> Vec<Fix> {
    let reported = |rule: Rule, line: u32| {
        findings
            .iter()
            .any(|d| d.rule == rule && d.line == line && d.path == input.path)
    };
    let mut all = Vec::new();
    all.extend(title_week::fixes(input));
    all.extend(section_name::fixes(input));
    all.extend(underline::fixes(input));
    if findings.iter().any(|d| d.rule == Rule::BrokenLink) {
        all.extend(doc_link::fixes(input, moves));
    }
    all.retain(|fix| reported(fix.rule, fix.line));
    all
}

/// `text` with the edits of `fixes` made, and the fixes that were applied
/// (a fix whose edits overlap an applied one's is left for the next run).
pub fn apply<'f>(text: &str, fixes: &'f [Fix]) -> (String, Vec<&'f Fix>) {
    let mut taken: Vec<Range<usize>> = Vec::new();
    let mut applied = Vec::new();
    for fix in fixes {
        let overlaps = fix.edits.iter().any(|edit| {
            taken
                .iter()
                .any(|t| edit.range.start < t.end && t.start < edit.range.end)
                || edit.range.end > text.len()
                || !text.is_char_boundary(edit.range.start)
                || !text.is_char_boundary(edit.range.end)
        });
        if overlaps {
            continue;
        }
        taken.extend(fix.edits.iter().map(|e| e.range.clone()));
        applied.push(fix);
    }
    let mut edits: Vec<&Edit> = applied.iter().flat_map(|f| &f.edits).collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.range.start));
    let mut out = text.to_owned();
    for edit in edits {
        out.replace_range(edit.range.clone(), &edit.text);
    }
    (out, applied)
}

/// The fixes' unit tests read a report the way the check does.
#[cfg(test)]
pub(crate) mod testing {
    use chrono::NaiveDate;

    use super::Input;
    use crate::report::{Format, parse};
    use crate::schema::Schema;

    /// Calls `with` on the [`Input`] of `text` at `path`, read with the
    /// built-in schema of its format (`uke` for rst, `weekly` for Markdown).
    pub fn with_input<R>(
        path: &str,
        text: &str,
        byline_date: Option<NaiveDate>,
        with: impl FnOnce(&Input) -> R,
    ) -> R {
        let format = Format::from_path(path).expect("a report's extension");
        let document = parse(format, text);
        let name = if format == Format::Rst {
            "uke"
        } else {
            "weekly"
        };
        let schema = Schema::builtin(name)
            .expect("the built-ins load")
            .expect("a built-in");
        with(&Input {
            path,
            text,
            format,
            document: &document,
            schema: &schema,
            byline_date,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fix(start: usize, end: usize, text: &str) -> Fix {
        Fix {
            rule: Rule::UnknownSection,
            line: 1,
            what: String::new(),
            edits: vec![Edit {
                range: start..end,
                text: text.to_owned(),
            }],
        }
    }

    #[test]
    fn edits_apply_from_the_end_and_overlaps_wait() {
        let fixes = [fix(0, 3, "ABC"), fix(4, 7, "DE"), fix(2, 5, "x")];
        let (out, applied) = apply("abc def", &fixes);
        assert_eq!(out, "ABC DE");
        assert_eq!(applied.len(), 2);
    }

    #[test]
    fn an_edit_outside_the_text_or_inside_a_character_is_not_applied() {
        let fixes = [fix(5, 9, "x"), fix(1, 2, "y")];
        let (out, applied) = apply("øl", &fixes);
        assert_eq!(out, "øl");
        assert!(applied.is_empty());
    }
}
