//! Inline suppression: a writer silences a finding on purpose, in the report
//! itself, with a comment the docs build ignores.
//!
//! - reStructuredText: `.. milepost: disable=RULE[,RULE]` silences those
//!   rules on the next item, preamble paragraph or section (with its
//!   subsections); `.. milepost: disable-file=RULE[,RULE]` on the whole file.
//! - Markdown: `<!-- milepost: disable=RULE -->` and
//!   `<!-- milepost: disable-file=RULE -->`.
//!
//! Rules are named by name or code. A suppression that silences nothing is
//! itself reported (`unused-suppression`), so stale ones do not pile up.

use crate::diagnostic::Diagnostic;
use crate::report::{Comment, Document, Pos};
use crate::rules::Rule;

/// One parsed suppression comment.
#[derive(Debug)]
struct Suppression {
    rules: Vec<Rule>,
    /// Parallel to `rules`: whether that rule silenced anything.
    used: Vec<bool>,
    /// Lines it covers; `None` for the whole file.
    lines: Option<(u32, u32)>,
    pos: Pos,
}

/// Removes the findings the document's comments suppress, and returns
/// findings about the suppressions themselves (unused, or naming unknown
/// rules). `enabled` tells whether a rule is on at all: suppressing a rule
/// the config turned off is not reported as unused.
pub fn apply(
    path: &str,
    doc: &Document,
    diagnostics: &mut Vec<Diagnostic>,
    enabled: impl Fn(Rule) -> bool,
) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let mut suppressions: Vec<Suppression> = doc
        .comments
        .iter()
        .filter_map(|comment| parse(path, doc, comment, &mut problems))
        .collect();
    if suppressions.is_empty() {
        return problems;
    }
    diagnostics.retain(|d| {
        for suppression in &mut suppressions {
            let covers = suppression
                .lines
                .is_none_or(|(first, last)| (first..=last).contains(&d.line));
            if let Some(index) = suppression.rules.iter().position(|&r| r == d.rule)
                && covers
            {
                suppression.used[index] = true;
                return false;
            }
        }
        true
    });
    for suppression in &suppressions {
        let unused: Vec<&str> = suppression
            .rules
            .iter()
            .zip(&suppression.used)
            .filter(|&(&rule, &used)| !used && enabled(rule))
            .map(|(rule, _)| rule.name())
            .collect();
        if unused.is_empty() {
            continue;
        }
        problems.push(
            Diagnostic::new(
                Rule::UnusedSuppression,
                path,
                suppression.pos,
                format!("suppression of {} silences nothing", unused.join(", ")),
            )
            .with_hint("remove it from the comment: the finding it was for is gone"),
        );
    }
    problems
}

/// Reads one comment; `None` if it is not a milepost comment.
/// Whether `doc` has a comment addressed to milepost, which [`apply`]
/// reads: the results cache keeps this instead of the document, and reads
/// the document again only for a report that has one.
pub fn addressed(doc: &Document) -> bool {
    doc.comments
        .iter()
        .any(|comment| directive(comment).is_some_and(|d| !d.starts_with("item=")))
}

/// The text of a comment addressed to milepost, after `milepost:`.
fn directive(comment: &Comment) -> Option<&str> {
    Some(comment.text.trim().strip_prefix("milepost:")?.trim())
}

fn parse(
    path: &str,
    doc: &Document,
    comment: &Comment,
    problems: &mut Vec<Diagnostic>,
) -> Option<Suppression> {
    let directive = directive(comment)?;
    // An item tag is tracking's (`milepost: item=dns`), not a suppression.
    if directive.starts_with("item=") {
        return None;
    }
    let (whole_file, list) = if let Some(list) = directive.strip_prefix("disable-file=") {
        (true, list)
    } else if let Some(list) = directive.strip_prefix("disable=") {
        (false, list)
    } else {
        problems.push(
            Diagnostic::new(
                Rule::UnusedSuppression,
                path,
                comment.pos,
                format!("cannot read the milepost comment `{}`", comment.text.trim()),
            )
            .with_hint("write `milepost: disable=RULE` or `milepost: disable-file=RULE`"),
        );
        return None;
    };
    let mut rules = Vec::new();
    for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        match name.parse::<Rule>() {
            Ok(rule) => rules.push(rule),
            Err(message) => problems.push(Diagnostic::new(
                Rule::UnusedSuppression,
                path,
                comment.pos,
                message,
            )),
        }
    }
    if rules.is_empty() {
        return None;
    }
    let lines = if whole_file {
        None
    } else {
        Some(next_node(doc, comment.end_line).unwrap_or((0, 0)))
    };
    Some(Suppression {
        used: vec![false; rules.len()],
        rules,
        lines,
        pos: comment.pos,
    })
}

/// The line span of the first item, preamble paragraph or section that
/// starts after `line`. A section's span starts at its heading's first
/// adornment line (an overline sits above the text) and runs to the end of
/// its last subsection.
fn next_node(doc: &Document, line: u32) -> Option<(u32, u32)> {
    let items = doc
        .sections
        .iter()
        .flat_map(|s| s.items.iter())
        .map(|item| (item.pos.line, item.end_line));
    let paragraphs = doc.preamble.iter().map(|p| (p.pos.line, p.end_line));
    let sections = doc.sections.iter().enumerate().map(|(i, section)| {
        let end = doc.sections[i + 1..]
            .iter()
            .take_while(|s| s.depth > section.depth)
            .last()
            .map_or(section.end_line, |s| s.end_line);
        (
            section.heading.pos.line,
            end.max(section.heading.pos.line + 1),
        )
    });
    items
        .chain(paragraphs)
        .chain(sections)
        .filter(|&(start, _)| start > line)
        .min_by_key(|&(start, _)| start)
        // A heading's overline is one line above its text.
        .map(|(start, end)| (start.saturating_sub(1).max(line + 1), end))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Format, parse as parse_doc};

    fn finding(rule: Rule, line: u32) -> Diagnostic {
        Diagnostic::new(rule, "r.rst", Pos::new(line, 1), "x")
    }

    #[test]
    fn disable_applies_to_the_next_item_only() {
        let text = "Tittel\n======\n\nSeksjon\n-------\n\n.. milepost: disable=date-format\n\n- Første punkt.\n\n- Andre punkt.\n";
        let doc = parse_doc(Format::Rst, text);
        let mut findings = vec![finding(Rule::DateFormat, 9), finding(Rule::DateFormat, 11)];
        let problems = apply("r.rst", &doc, &mut findings, |_| true);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(findings.iter().map(|d| d.line).collect::<Vec<_>>(), [11]);
    }

    #[test]
    fn an_item_tag_is_not_a_suppression() {
        let text = "Tittel\n======\n\nSeksjon\n-------\n\n.. milepost: item=dns\n\n- DNS.\n";
        let doc = parse_doc(Format::Rst, text);
        let problems = apply("r.rst", &doc, &mut Vec::new(), |_| true);
        assert!(problems.is_empty(), "{problems:?}");
    }

    #[test]
    fn disable_before_a_section_covers_the_section() {
        let text = "Tittel\n======\n\n.. milepost: disable=S009,unknown-section\n\nBudsjett\n--------\n\nAnnet\n-----\n\n- Tekst.\n";
        let doc = parse_doc(Format::Rst, text);
        let mut findings = vec![
            finding(Rule::UnknownSection, 6),
            finding(Rule::EmptySection, 6),
            finding(Rule::UnknownSection, 9),
        ];
        let problems = apply("r.rst", &doc, &mut findings, |_| true);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(findings.iter().map(|d| d.line).collect::<Vec<_>>(), [9]);
    }

    #[test]
    fn unused_and_unknown_suppressions_are_reported() {
        let text = "Tittel\n======\n\n.. milepost: disable-file=title\n\n.. milepost: disable=titel\n\n.. milepost: enable=x\n\nSeksjon\n-------\n\n- Punkt.\n";
        let doc = parse_doc(Format::Rst, text);
        let mut findings = vec![finding(Rule::Byline, 3)];
        let problems = apply("r.rst", &doc, &mut findings, |_| true);
        let messages: Vec<_> = problems
            .iter()
            .map(|d| (d.rule, d.line, d.message.as_str()))
            .collect();
        assert_eq!(messages.len(), 3, "{messages:?}");
        assert!(
            messages
                .iter()
                .all(|(rule, _, _)| *rule == Rule::UnusedSuppression)
        );
        assert!(
            messages
                .iter()
                .any(|(_, line, m)| *line == 4 && m.contains("silences nothing"))
        );
        assert!(
            messages
                .iter()
                .any(|(_, line, m)| *line == 6 && m.contains("did you mean `title`"))
        );
        assert!(
            messages
                .iter()
                .any(|(_, line, m)| *line == 8 && m.contains("cannot read"))
        );
        assert_eq!(findings.len(), 1);
    }

    #[test]
    fn markdown_comments_suppress_too() {
        let text = "# Tittel\n\n<!-- milepost: disable-file=broken-link -->\n\n## Seksjon\n\n- [x](mangler.md)\n";
        let doc = parse_doc(Format::Markdown, text);
        let mut findings = vec![finding(Rule::BrokenLink, 7)];
        assert!(apply("r.md", &doc, &mut findings, |_| true).is_empty());
        assert!(findings.is_empty());
    }
}
