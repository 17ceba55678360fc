//! The pieces a document is built from while the lines go by: open
//! contexts, builders of items and sections, adornment styles.

use super::*;

/// `base` of a context none of whose blocks has been seen yet.
pub(super) const UNKNOWN: usize = usize::MAX;

/// An open indented block: list item, block quote, definition, field body,
/// footnote or directive body.
#[derive(Clone, Copy, Debug)]
pub(super) struct Ctx {
    /// A non-blank line indented less than this leaves the context.
    pub(super) threshold: usize,
    /// Column of the context's own blocks; lines indented further start a
    /// block quote. `UNKNOWN` until the first line is seen.
    pub(super) base: usize,
    /// The context is a top-level item whose lines make up `Parser::item`.
    pub(super) top_item: bool,
    /// The previous block here was this enumerated item, so the next
    /// enumerator is read in the same sequence (`i.` after `h.` is a letter).
    pub(super) last_enum: Option<Enumerator>,
}

impl Ctx {
    pub(super) fn new(threshold: usize, base: usize) -> Ctx {
        Ctx {
            threshold,
            base,
            top_item: false,
            last_enum: None,
        }
    }
}

/// What kind of block starts at the section level, to decide whether a
/// section has content and whether the first heading may become the title.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Block {
    Content,
    /// Markup docutils rejects (a malformed table or title): it shows as an
    /// error message, which counts as content here but, like all docutils
    /// system messages, does not keep the next heading from being the title.
    Error,
    Comment,
    /// Hyperlink targets and substitution definitions: invisible.
    Invisible,
    /// A directive that puts nothing visible in the body (`meta`,
    /// `sectnum`, `highlight`, …). It counts as content, as every directive
    /// does in the model, but like docutils' invisible nodes it may precede
    /// the document title.
    Silent,
    Transition,
}

impl Block {
    pub(super) fn is_content(self) -> bool {
        matches!(self, Block::Content | Block::Error | Block::Silent)
    }

    /// docutils' `PreBibliographic` nodes, which may precede the title.
    pub(super) fn may_precede_title(self) -> bool {
        matches!(
            self,
            Block::Comment | Block::Invisible | Block::Error | Block::Silent
        )
    }
}

/// An adornment style: the character and whether it has an overline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Style {
    pub(super) ch: u8,
    pub(super) overline: bool,
}

/// A top-level item being collected line by line.
pub(super) struct ItemBuilder {
    pub(super) text: String,
    pub(super) pos: Pos,
    pub(super) first_line: usize,
    /// Where the item's text starts on its first line (after the marker).
    pub(super) text_from: usize,
    pub(super) end_line: u32,
    pub(super) marker: ItemMarker,
}

impl ItemBuilder {
    pub(super) fn push(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        if !self.text.is_empty() {
            self.text.push(' ');
        }
        self.text.push_str(text);
    }
}

/// A paragraph or definition item of a section, in order; only paragraphs
/// can form the preamble.
pub(super) struct Loose {
    pub(super) item: Item,
    pub(super) is_paragraph: bool,
}

/// A section being read; its items are decided when the document ends.
pub(super) struct SectionBuilder {
    pub(super) heading: Heading,
    /// Position of the adornment style in order of first appearance.
    pub(super) level: usize,
    /// Top-level bullet and enumerated items.
    pub(super) list_items: Vec<Item>,
    /// Top-level paragraphs and definition items: the items when there is
    /// no list, and the preamble when the section becomes the title.
    pub(super) loose: Vec<Loose>,
    pub(super) has_content: bool,
    pub(super) end_line: u32,
}

impl SectionBuilder {
    /// The finished section; `shift` is 1 when a title was promoted above
    /// it, so that its depth counts from the title.
    pub(super) fn finish(self, shift: usize) -> Section {
        let (items, prose) = if self.list_items.is_empty() {
            (self.loose.into_iter().map(|l| l.item).collect(), Vec::new())
        } else {
            let prose = self.loose.into_iter().filter(|l| l.is_paragraph);
            (self.list_items, prose.map(|l| l.item).collect())
        };
        Section {
            heading: self.heading,
            depth: u8::try_from(self.level.saturating_sub(shift)).unwrap_or(u8::MAX),
            items,
            prose,
            has_content: self.has_content,
            end_line: self.end_line,
        }
    }

    pub(super) fn into_preamble(self) -> Vec<Paragraph> {
        self.loose
            .into_iter()
            .filter(|l| l.is_paragraph)
            .map(|l| Paragraph {
                text: l.item.text,
                pos: l.item.pos,
                end_line: l.item.end_line,
            })
            .collect()
    }
}

/// What a block handler did with its line.
pub(super) enum Flow {
    /// Consumed lines up to (not including) this one.
    Done(usize),
    /// Opened a context whose first block starts later on the same line
    /// (after a list marker, field name or directive); read it next.
    Rest {
        s: usize,
        col: usize,
        first_known: bool,
    },
}
