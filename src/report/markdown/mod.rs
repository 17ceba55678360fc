//! Markdown reader: fills the shared report model from CommonMark (plus pipe
//! tables) so that every rule sees a Markdown report exactly as it sees its
//! reStructuredText twin.
//!
//! # Approach
//!
//! The text is parsed once by `pulldown-cmark`, whose offset iterator gives
//! every event with its byte range in the source. A single pass over those
//! events (no recursion, so nesting depth only costs heap) does two things:
//!
//! * it records the *top-level blocks* (headings, paragraphs, lists with
//!   their top-level items, comment-only HTML blocks and any other content)
//!   in a flat list, and
//! * it collects what the model keeps from anywhere in the document: links,
//!   comments and tables.
//!
//! A second step turns the block list into title, preamble and sections,
//! using the same title-promotion rule as docutils: a lone heading of the
//! smallest level that comes first becomes the title.
//!
//! Texts that the model keeps "as written" (items, paragraphs) are cut from
//! the source by byte range: each line trimmed, blank lines dropped, lines
//! joined with single spaces, which also removes any `\r`. Heading and table
//! cell texts are the inline content with markup stripped.
//!
//! Positions go through `Locator`, a cache in front of [`LineIndex`] that
//! counts columns incrementally while queries move forward on one line, so
//! that a single 10 MB line with many links stays linear.
//!
//! Choices worth knowing:
//!
//! * Only headings outside any container (list, block quote) start sections.
//! * Paragraphs before the first section form the preamble even when there
//!   is no title.
//! * A reference-style link is reported once per link definition that is
//!   used, positioned at the destination written in the definition (where a
//!   fix would go); links are sorted by position.
//! * `` {doc}`target` `` (MyST) gives a [`LinkKind::Doc`] link; like `:doc:`
//!   in reStructuredText, `title <target>` keeps the part in angle brackets.
//! * Multi-line comments keep their lines (each trimmed) joined with `\n`.

mod blocks;
mod collector;
mod comments;
mod scanners;
mod sections;

#[cfg(test)]
mod tests;

use blocks::*;
use collector::*;
use comments::*;
use scanners::*;
use sections::*;

use std::collections::HashSet;
use std::ops::Range;

use pulldown_cmark::{Event, HeadingLevel, LinkType, Options, Parser, RefDefs, Tag, TagEnd};

use super::{
    Comment, Document, Heading, Item, ItemMarker, LineIndex, Link, LinkKind, Paragraph, Pos,
    Section, Table, TableRow, to_u32,
};

/// Parses a Markdown report. Never fails and never panics: whatever is not
/// understood is plain content.
pub fn parse(text: &str) -> Document {
    let text = blank_front_matter(text);
    let text = text.as_ref();
    let mut collector = Collector::new(text);
    let mut events = Parser::new_ext(text, Options::ENABLE_TABLES).into_offset_iter();
    while let Some((event, range)) = events.next() {
        collector.event(event, range, events.reference_definitions());
    }
    collector.finish()
}

/// YAML front matter (Jekyll, MkDocs, Hugo: a first line `---`, closed by
/// `---` or `...`) turned into blank lines, so that it is neither a heading
/// nor a paragraph and every later line keeps its number. pulldown-cmark's
/// own metadata option is not used: it rescans on every `---` line.
fn blank_front_matter(text: &str) -> std::borrow::Cow<'_, str> {
    let Some(rest) = text.strip_prefix("---\n") else {
        return std::borrow::Cow::Borrowed(text);
    };
    let mut end = text.len() - rest.len();
    for line in rest.split_inclusive('\n') {
        end += line.len();
        if matches!(line.trim_end(), "---" | "...") {
            let newlines = text[..end].bytes().filter(|&b| b == b'\n').count();
            return std::borrow::Cow::Owned("\n".repeat(newlines) + &text[end..]);
        }
    }
    std::borrow::Cow::Borrowed(text)
}

// ---------------------------------------------------------------------------
// Positions

/// [`LineIndex`] with a memory of the last answer: a query at or after it on
/// the same line only counts the characters in between.
struct Locator<'a> {
    text: &'a str,
    index: LineIndex<'a>,
    last: (usize, Pos),
}

impl<'a> Locator<'a> {
    fn new(text: &'a str) -> Self {
        Locator {
            text,
            index: LineIndex::new(text),
            last: (0, Pos::START),
        }
    }

    fn pos(&mut self, offset: usize) -> Pos {
        let offset = offset.min(self.text.len());
        let (last_offset, last_pos) = self.last;
        let forward = (last_offset <= offset)
            .then(|| self.text.get(last_offset..offset))
            .flatten();
        let pos = match forward {
            Some(between) if !between.contains('\n') => Pos::new(
                last_pos.line,
                last_pos
                    .column
                    .saturating_add(to_u32(between.chars().count())),
            ),
            _ => self.index.pos(offset),
        };
        self.last = (offset, pos);
        pos
    }

    fn line(&mut self, offset: usize) -> u32 {
        self.pos(offset).line
    }

    /// The line of the last non-white-space character in `range`, or of its
    /// start when it is all white space.
    fn last_line(&mut self, range: Range<usize>) -> u32 {
        let start = range.start;
        let end = trimmed_end(self.text, range);
        self.line(end.saturating_sub(1).max(start))
    }
}

/// The end of `range` once trailing white space is dropped (never before its
/// start).
fn trimmed_end(text: &str, range: Range<usize>) -> usize {
    match text.get(range.clone()) {
        Some(slice) => range.start + slice.trim_end().len(),
        None => range.start,
    }
}

/// The lines of `slice` trimmed, blank ones dropped, joined with spaces.
fn join_lines(slice: &str) -> String {
    let mut joined = String::with_capacity(slice.len());
    for line in slice.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if !joined.is_empty() {
            joined.push(' ');
        }
        joined.push_str(line);
    }
    joined
}

/// Offset of the first non-white-space character at or after `from`, before
/// `end` (or `end`). White space is CommonMark's (ASCII): a no-break or
/// ideographic space is content, so a block made of one does not start
/// after its own end.
fn skip_white_space(text: &str, from: usize, end: usize) -> usize {
    text.get(from..end).map_or(end, |slice| {
        end - slice.trim_start_matches(is_markdown_space).len()
    })
}

/// CommonMark's white space characters.
fn is_markdown_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\u{b}' | '\u{c}' | '\r')
}
