//! Carry-over sections: a section a schema declares a copy of the previous
//! report's section of some kind (`copy_of: planned`), such as *Original
//! Goals*, "an exact copy of last week's goals".
//!
//! Each report's copy is held against the previous report of its series:
//! a goal planned there that is missing from the copy (and not reported
//! done here either) was dropped silently (`dropped-item`); a goal in the
//! copy that was never planned there appeared out of nowhere
//! (`unplanned-goal`). Goals are compared exactly after normalisation
//! (NFC, case, white space, trailing punctuation, list markup): no fuzzy
//! matching, because the section claims to be a copy, and a reworded goal
//! is a changed goal the reader should see.

use std::collections::{BTreeMap, HashSet};

use chrono::NaiveDate;

use super::Rule;
use crate::diagnostic::Diagnostic;
use crate::report::{Document, Item};
use crate::schema::{Schema, SectionKind};
use crate::text::{ellipsize, lower_nfc};

/// A report as this rule needs it.
pub struct CarryView<'a> {
    pub path: &'a str,
    pub document: &'a Document,
    pub schema: &'a Schema,
    /// Its place in the series: ISO year and week, then its day.
    pub order: (i32, u32, Option<NaiveDate>),
}

/// A goal as compared: lower case, NFC, single spaces, no emphasis or
/// literal markers (`*`, `` ` ``), no trailing punctuation.
pub fn normalise(text: &str) -> String {
    let lower = lower_nfc(text).replace(['*', '`'], "");
    let words: Vec<&str> = lower.split_whitespace().collect();
    words
        .join(" ")
        .trim_end_matches(['.', ',', ';', ':', '!'])
        .to_owned()
}

/// The items of `doc`'s top-level sections that `pick` accepts (by the
/// schema's spec of the section).
fn items_where<'d>(
    doc: &'d Document,
    schema: &Schema,
    pick: impl Fn(&crate::schema::SectionSpec) -> bool,
) -> Vec<&'d Item> {
    let mut out = Vec::new();
    for (index, section) in doc.sections.iter().enumerate() {
        if section.depth != 1 {
            continue;
        }
        let Some(spec) = schema.section_index(&section.heading.text) else {
            continue;
        };
        if pick(&schema.sections[spec]) {
            out.extend(doc.items_under(index));
        }
    }
    out
}

/// Holds every report's carry-over sections against the previous report of
/// its series.
pub fn check(reports: &[CarryView]) -> Vec<Diagnostic> {
    let mut series: BTreeMap<String, Vec<&CarryView>> = BTreeMap::new();
    for report in reports {
        series
            .entry(super::series::series_key(report.path))
            .or_default()
            .push(report);
    }
    let mut out = Vec::new();
    for reports in series.values_mut() {
        reports.sort_by(|a, b| (a.order, a.path).cmp(&(b.order, b.path)));
        for pair in reports.windows(2) {
            compare(pair[0], pair[1], &mut out);
        }
    }
    out
}

/// One report's carry-over sections against the report before it.
fn compare(previous: &CarryView, current: &CarryView, out: &mut Vec<Diagnostic>) {
    let previous_name = super::series::short_name(previous.path);
    for (index, section) in current.document.sections.iter().enumerate() {
        if section.depth != 1 {
            continue;
        }
        let Some(spec) = current.schema.section_index(&section.heading.text) else {
            continue;
        };
        let Some(kind) = current.schema.sections[spec].copy_of else {
            continue;
        };
        let planned = items_where(previous.document, previous.schema, |s| {
            s.kind == kind && s.copy_of.is_none()
        });
        if planned.is_empty() {
            // Nothing to copy (or the previous report has no such section:
            // missing-section says so there).
            continue;
        }
        let copied: Vec<&Item> = current.document.items_under(index).collect();
        let copied_keys: HashSet<String> = copied.iter().map(|i| normalise(&i.text)).collect();
        let done_keys: HashSet<String> = items_where(current.document, current.schema, |s| {
            s.kind == SectionKind::Done
        })
        .iter()
        .map(|i| normalise(&i.text))
        .collect();
        let planned_keys: HashSet<String> = planned.iter().map(|i| normalise(&i.text)).collect();
        let heading = &section.heading;
        for goal in &planned {
            let key = normalise(&goal.text);
            if key.is_empty() || copied_keys.contains(&key) || done_keys.contains(&key) {
                continue;
            }
            out.push(
                Diagnostic::new(
                    Rule::DroppedItem,
                    current.path,
                    heading.pos,
                    format!(
                        "`{}` was planned in `{previous_name}` but is missing from {}",
                        ellipsize(goal.text.trim(), 60),
                        heading.text.trim()
                    ),
                )
                .spanning(heading.text.trim())
                .with_hint(format!(
                    "{} copies the previous report's plan: keep every goal, and say what became of it (done, moved, dropped on purpose)",
                    heading.text.trim()
                )),
            );
        }
        for item in &copied {
            let key = normalise(&item.text);
            if key.is_empty() || planned_keys.contains(&key) {
                continue;
            }
            out.push(
                Diagnostic::new(
                    Rule::UnplannedGoal,
                    current.path,
                    item.pos,
                    format!(
                        "`{}` is under {} but was not planned in `{previous_name}`",
                        ellipsize(item.text.trim(), 60),
                        heading.text.trim()
                    ),
                )
                .spanning(item.text.trim())
                .with_hint(format!(
                    "{} copies the previous report's plan word for word: a new goal belongs in this report's plan; a reworded one is a changed goal",
                    heading.text.trim()
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Format, parse};

    #[test]
    fn normalisation_is_exact_but_forgiving_of_form() {
        assert_eq!(normalise("  Set up  *monitoring*. "), "set up monitoring");
        assert_eq!(
            normalise("Set up monitoring."),
            normalise("set up   monitoring")
        );
        assert_ne!(normalise("Set up monitoring"), normalise("Set up alerting"));
    }

    fn report(goals: &[&str], progress: &[&str], next: &[&str]) -> Document {
        let list = |items: &[&str]| items.iter().map(|i| format!("- {i}\n")).collect::<String>();
        parse(
            Format::Markdown,
            &format!(
                "# P 08/03/17\n\n## High Level Goal\n\nRun it.\n\n## Original Goals\n\n{}\n## Progress and Issues\n\n{}\n## Goals for Next Week\n\n{}",
                list(goals),
                list(progress),
                list(next)
            ),
        )
    }

    #[test]
    fn dropped_and_unplanned_goals() {
        let schema = Schema::builtin("goals").unwrap().unwrap();
        let first = report(
            &["A"],
            &["A is half done."],
            &["Set up monitoring.", "Write the docs"],
        );
        let second = report(
            &["set up monitoring", "Buy servers"],
            &["Monitoring works."],
            &["C"],
        );
        let views = [
            CarryView {
                path: "s/p-170308.md",
                document: &second,
                schema: &schema,
                order: (2017, 10, None),
            },
            CarryView {
                path: "s/p-170301.md",
                document: &first,
                schema: &schema,
                order: (2017, 9, None),
            },
        ];
        let findings = check(&views);
        let found: Vec<(Rule, &str, &str)> = findings
            .iter()
            .map(|d| (d.rule, d.path.as_str(), d.message.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (
                    Rule::DroppedItem,
                    "s/p-170308.md",
                    "`Write the docs` was planned in `p-170301.md` but is missing from Original Goals"
                ),
                (
                    Rule::UnplannedGoal,
                    "s/p-170308.md",
                    "`Buy servers` is under Original Goals but was not planned in `p-170301.md`"
                ),
            ]
        );
    }
}
