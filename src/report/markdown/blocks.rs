//! The top-level blocks: what the one pass records and the section
//! builder reads.

use super::*;

/// A block outside any container, as the section builder needs it.
pub(super) enum Block {
    Heading {
        heading: Heading,
        last_line: u32,
    },
    Paragraph(Paragraph),
    List(Vec<Item>),
    /// An HTML block holding nothing but comments.
    Comment {
        last_line: u32,
    },
    /// Anything else: code, table, block quote, rule, other HTML.
    Content {
        last_line: u32,
    },
}

impl Block {
    pub(super) fn last_line(&self) -> u32 {
        match self {
            Block::Heading { last_line, .. }
            | Block::Comment { last_line }
            | Block::Content { last_line } => *last_line,
            Block::Paragraph(paragraph) => paragraph.end_line,
            Block::List(items) => items.last().map_or(0, |item| item.end_line),
        }
    }
}
