//! `heading-underline`: a reStructuredText adornment shorter than its
//! title is lengthened to the title's width; and the adornment edits that
//! the other fixes need when they change a heading's text.

use std::collections::BTreeMap;

use super::{Edit, Fix, Input};
use crate::registry::Rule;
use crate::report::Format;
use crate::rules::headings::short_adornments;

pub fn fixes(input: &Input) -> Vec<Fix> {
    if input.format != Format::Rst {
        return Vec::new();
    }
    let lines: Vec<&str> = input.text.lines().collect();
    let mut by_heading: BTreeMap<u32, Fix> = BTreeMap::new();
    for short in short_adornments(input.document, &lines) {
        let Some((start, line)) = input.line(short.line) else {
            continue;
        };
        let old = line.trim_end();
        let fix = by_heading.entry(short.title_line).or_insert_with(|| Fix {
            rule: Rule::HeadingUnderline,
            line: short.title_line,
            what: format!(
                "adornment lengthened to the title's {} characters",
                short.title_width
            ),
            edits: Vec::new(),
        });
        fix.edits.push(Edit {
            range: start..start + old.len(),
            text: std::iter::repeat_n(short.char, short.title_width).collect(),
        });
    }
    by_heading.into_values().collect()
}

/// When a fix changes the text of the heading on `title_line` from
/// `old_width` to `new_width` columns: the edits that keep its adornment
/// lines right (an adornment as long as the old title follows it; a
/// longer one stays unless it would now be short).
pub fn follow_title(
    input: &Input,
    title_line: u32,
    old_width: usize,
    new_width: usize,
) -> Vec<Edit> {
    if input.format != Format::Rst {
        return Vec::new();
    }
    let mut edits = Vec::new();
    for line_number in [title_line + 1, title_line.saturating_sub(1)] {
        if line_number == 0 {
            continue;
        }
        let Some((start, line)) = input.line(line_number) else {
            continue;
        };
        let adornment = line.trim_end();
        let Some(c) = adornment.chars().next() else {
            continue;
        };
        let is_adornment =
            c.is_ascii_punctuation() && adornment.len() >= 2 && adornment.chars().all(|x| x == c);
        if is_adornment && (adornment.len() == old_width || adornment.len() < new_width) {
            edits.push(Edit {
                range: start..start + adornment.len(),
                text: std::iter::repeat_n(c, new_width).collect(),
            });
        }
    }
    edits
}

#[cfg(test)]
mod tests {
    use super::super::apply;
    use super::super::testing::with_input;
    use super::*;

    #[test]
    fn short_adornments_are_lengthened_to_the_title() {
        let text = "=====\nUke 10\n=====\nav A, B, 11. mar 2016\n\nFullført\n======\n\n- Ja.\n";
        let found = with_input("2016_uke_10.rst", text, None, fixes);
        assert_eq!(found.len(), 2);
        let (out, applied) = apply(text, &found);
        assert_eq!(applied.len(), 2);
        assert_eq!(
            out,
            "======\nUke 10\n======\nav A, B, 11. mar 2016\n\nFullført\n========\n\n- Ja.\n"
        );
        // Nothing left to fix.
        assert!(with_input("2016_uke_10.rst", &out, None, fixes).is_empty());
    }
}
