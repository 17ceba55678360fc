//! `heading-underline`: a reStructuredText heading whose underline (or
//! overline) is shorter than its title.
//!
//! docutils still reads such a heading as a title when the adornment has
//! at least four characters, but warns ("Title underline too short") and a
//! Sphinx build run with `-W` fails on it; under four characters the
//! heading is plain text and its section is gone. A title edited after it
//! was underlined (a week number going from 9 to 10, a section renamed)
//! is how it happens. `check --fix` lengthens the adornment.

use super::{FileContext, Rule};
use crate::diagnostic::Diagnostic;
use crate::report::{Format, Pos};

/// A heading's adornment line that is shorter than its title.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShortAdornment {
    /// The heading's text line (1-based): where the finding goes.
    pub title_line: u32,
    /// The adornment line (1-based) and its character.
    pub line: u32,
    pub char: char,
    /// Display width of the title, and length of the adornment.
    pub title_width: usize,
    pub length: usize,
}

/// The short adornments of the title and every section heading of a
/// reStructuredText document (`lines` are its source lines).
pub fn short_adornments(ctx_doc: &crate::report::Document, lines: &[&str]) -> Vec<ShortAdornment> {
    let headings = ctx_doc
        .title
        .iter()
        .chain(ctx_doc.sections.iter().map(|s| &s.heading));
    let mut out = Vec::new();
    for heading in headings {
        let at = heading.pos.line as usize; // 1-based title line
        let Some(text) = lines.get(at.wrapping_sub(1)) else {
            continue;
        };
        let title_width = unicode_width::UnicodeWidthStr::width(text.trim());
        for adornment_line in [at + 1, at.wrapping_sub(1)] {
            let Some(adornment) = adornment_line
                .checked_sub(1)
                .and_then(|i| lines.get(i))
                .map(|l| l.trim_end())
            else {
                continue;
            };
            let Some(c) = adornment.chars().next() else {
                continue;
            };
            let is_adornment = c.is_ascii_punctuation()
                && adornment.chars().all(|x| x == c)
                && adornment.len() >= 2;
            if is_adornment && adornment.len() < title_width {
                out.push(ShortAdornment {
                    title_line: heading.pos.line,
                    line: crate::report::to_u32(adornment_line),
                    char: c,
                    title_width,
                    length: adornment.len(),
                });
            }
        }
    }
    out
}

pub fn check(ctx: &FileContext, text: &str, out: &mut Vec<Diagnostic>) {
    if crate::report::Format::from_path(ctx.path) != Some(Format::Rst) {
        return;
    }
    let lines: Vec<&str> = text.lines().collect();
    let mut seen = std::collections::HashSet::new();
    for short in short_adornments(ctx.doc, &lines) {
        if !seen.insert(short.title_line) {
            continue;
        }
        out.push(
            Diagnostic::new(
                Rule::HeadingUnderline,
                ctx.path,
                Pos::new(short.title_line, 1),
                format!(
                    "the heading's {} is {} characters, shorter than its title ({})",
                    if short.line > short.title_line {
                        "underline"
                    } else {
                        "overline"
                    },
                    short.length,
                    short.title_width
                ),
            )
            .with_hint(
                "make the adornment at least as long as the title; `milepost check --fix` does",
            )
            .spanning(
                lines
                    .get(short.title_line.saturating_sub(1) as usize)
                    .map_or("", |line| line.trim_end()),
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Format, parse};

    #[test]
    fn a_short_underline_and_overline_are_found() {
        let text = "=====\nUke 10\n=====\n\nFullført\n======\n\n- Ja.\n\nUnder arbeid\n============\n\n- Ja.\n";
        let doc = parse(Format::Rst, text);
        let lines: Vec<&str> = text.lines().collect();
        let found = short_adornments(&doc, &lines);
        let places: Vec<(u32, u32)> = found.iter().map(|s| (s.title_line, s.line)).collect();
        assert_eq!(places, [(2, 3), (2, 1), (5, 6)]);
    }
}
