//! `unknown-section`: a heading that is a near miss of one schema section
//! ("Fullfort", "Under Arbeid", "Planlagt framdrift") takes that section's
//! name as the schema writes it.
//!
//! Unambiguous means that every title or alias close enough to be the
//! did-you-mean of the hint belongs to the same section; a heading near
//! two sections is left for a person. In reStructuredText the adornment
//! follows the new length.

use super::{Edit, Fix, Input, underline};
use crate::registry::Rule;
use crate::text::closest;

pub fn fixes(input: &Input) -> Vec<Fix> {
    let schema = input.schema;
    let mut out = Vec::new();
    for section in input.document.top_sections() {
        let heading = &section.heading;
        if schema.section_index(&heading.text).is_some() {
            continue;
        }
        let title = heading.text.trim();
        let near: Vec<&str> = schema
            .known_titles()
            .filter(|candidate| closest(title, [*candidate]).is_some())
            .collect();
        let mut sections: Vec<usize> = near
            .iter()
            .filter_map(|n| schema.section_index(n))
            .collect();
        sections.dedup();
        if sections.len() != 1 {
            continue;
        }
        let Some(best) = closest(title, near.iter().copied()) else {
            continue;
        };
        let Some((line_start, line)) = input.line(heading.pos.line) else {
            continue;
        };
        let Some(at) = line.find(title) else {
            continue;
        };
        let start = line_start + at;
        let width = |text: &str| unicode_width::UnicodeWidthStr::width(text);
        let mut edits = vec![Edit {
            range: start..start + title.len(),
            text: best.to_owned(),
        }];
        edits.extend(underline::follow_title(
            input,
            heading.pos.line,
            width(title),
            width(best),
        ));
        out.push(Fix {
            rule: Rule::UnknownSection,
            line: heading.pos.line,
            what: format!("section `{title}` → `{best}`"),
            edits,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::apply;
    use super::super::testing::with_input;
    use super::*;

    fn fixed(path: &str, text: &str) -> String {
        with_input(path, text, None, |input| apply(text, &fixes(input)).0)
    }

    #[test]
    fn a_near_miss_takes_the_schema_name_and_its_underline_follows() {
        let text = "Uke 38\n======\n\nFullfort\n========\n\n- Ja.\n\nPlanlagt framdrift\n==================\n\n- Ja.\n";
        assert_eq!(
            fixed("uke_38.rst", text),
            "Uke 38\n======\n\nFullført\n========\n\n- Ja.\n\nPlanlagt fremdrift\n==================\n\n- Ja.\n"
        );
        let text = "# Week 38\n\n## In Progres\n\n- Yes.\n";
        assert_eq!(
            fixed("week_38.md", text),
            "# Week 38\n\n## In progress\n\n- Yes.\n"
        );
    }

    #[test]
    fn a_heading_far_from_every_section_is_left_alone() {
        let text = "Uke 38\n======\n\nBudsjett\n========\n\n- Ja.\n";
        assert_eq!(fixed("uke_38.rst", text), text);
    }
}
