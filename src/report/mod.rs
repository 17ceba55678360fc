//! The report model: what milepost knows about one document, whatever its
//! markup. Both parsers fill the same [`Document`], so every rule works on
//! reStructuredText and Markdown alike.
//!
//! The model is deliberately a little flat: sections are a list with a depth
//! rather than a tree, because rules mostly ask "the top-level sections in
//! order" and "the items under this section", and a list answers both
//! without recursion.

pub mod markdown;
pub mod rst;

use serde::{Deserialize, Serialize};

/// A place in a source file. Both numbers are 1-based; the column counts
/// characters (not bytes), which is what editors and CI annotations expect.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
}

impl Pos {
    pub const START: Pos = Pos { line: 1, column: 1 };

    pub fn new(line: u32, column: u32) -> Self {
        Pos { line, column }
    }
}

/// The markup a file is written in, decided by its extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Rst,
    Markdown,
}

impl Format {
    /// `None` for files milepost cannot read as a report.
    pub fn from_path(path: &str) -> Option<Format> {
        let ext = path.rsplit_once('.')?.1.to_ascii_lowercase();
        match ext.as_str() {
            "rst" | "rest" | "txt" => Some(Format::Rst),
            "md" | "markdown" => Some(Format::Markdown),
            _ => None,
        }
    }
}

/// One parsed document.
#[derive(Clone, Debug, Default)]
pub struct Document {
    /// The document title: a lone top-level heading at the very start (as
    /// docutils promotes it), or `None`.
    pub title: Option<Heading>,
    /// Paragraphs between the title and the first section, in order. The
    /// byline ("av Raymond Kristiansen, UH IaaS, 23. sep 2016") is the first.
    pub preamble: Vec<Paragraph>,
    /// Every section below the title, in document order.
    pub sections: Vec<Section>,
    /// Every link to a local file or document (external URLs are not kept).
    pub links: Vec<Link>,
    /// Comments (`.. text` in reStructuredText, `<!-- text -->` in Markdown),
    /// which carry inline suppressions and milestone tags.
    pub comments: Vec<Comment>,
    /// Tables (simple and grid tables, Markdown pipe tables).
    pub tables: Vec<Table>,
    /// Number of lines in the source; a file ending without a newline still
    /// counts its last line.
    pub line_count: u32,
}

impl Document {
    /// The sections directly below the title, in order: the ones a schema
    /// describes.
    pub fn top_sections(&self) -> impl Iterator<Item = &Section> {
        self.sections.iter().filter(|s| s.depth == 1)
    }

    /// The items of the section at `index` and of every section nested in
    /// it, in document order.
    pub fn items_under(&self, index: usize) -> impl Iterator<Item = &Item> {
        self.section_and_nested(index).flat_map(|s| s.items.iter())
    }

    /// The section at `index`, then every section nested in it.
    fn section_and_nested(&self, index: usize) -> impl Iterator<Item = &Section> {
        let depth = self.sections[index].depth;
        let nested = self.sections[index + 1..]
            .iter()
            .take_while(move |s| s.depth > depth);
        std::iter::once(&self.sections[index]).chain(nested)
    }

    /// The items and the prose beside them ([`Section::prose`]) of the
    /// section at `index` and of every section nested in it, in document
    /// order: all the text written under a heading, for rules that read
    /// content whether it is a bullet or a paragraph.
    pub fn texts_under(&self, index: usize) -> impl Iterator<Item = &Item> {
        self.section_and_nested(index).flat_map(|s| {
            let mut texts: Vec<&Item> = s.items.iter().chain(&s.prose).collect();
            texts.sort_by_key(|item| (item.pos.line, item.pos.column));
            texts
        })
    }
}

/// A section title.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Heading {
    /// The title text with surrounding white space and inline markup kept as
    /// written (rules compare it after normalisation).
    pub text: String,
    pub pos: Pos,
    /// The level as the markup gives it: for reStructuredText the order in
    /// which the adornment style first appeared (1 = first style seen), for
    /// Markdown the number of `#` (setext `=` is 1, `-` is 2).
    pub level: u8,
}

/// A section and the items of its own body (not of its subsections).
#[derive(Clone, Debug)]
pub struct Section {
    pub heading: Heading,
    /// 1 for a section directly below the title, 2 for one nested in it, …
    pub depth: u8,
    pub items: Vec<Item>,
    /// Paragraphs of the body beside a list: the list's bullets are the
    /// items, and these are kept apart so that rules about structure see
    /// the list alone while rules about content can read the prose too.
    /// Empty when the body has no list (its paragraphs are the items).
    pub prose: Vec<Item>,
    /// Whether the body holds anything besides blank lines and comments
    /// (a directive or a table counts), so that a section whose only content
    /// is a table or an image is not called empty.
    pub has_content: bool,
    /// Last line of the section's own body (before the next heading).
    pub end_line: u32,
}

/// How an item was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemMarker {
    /// `-`, `*`, `+`, or `•`.
    Bullet,
    /// `1.`, `#.`, `(a)`, `i)`.
    Enumerated,
    /// A paragraph in a section that has no list.
    Paragraph,
}

/// A top-level list item (or paragraph, in a section without a list), with
/// its nested lists and continuation lines.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    /// The item's text: its lines trimmed and joined with single spaces,
    /// nested items included, inline markup kept as written.
    pub text: String,
    /// Where the item's text starts (after the list marker).
    pub pos: Pos,
    /// The last line that belongs to the item.
    pub end_line: u32,
    pub marker: ItemMarker,
}

/// A paragraph outside any section (the preamble).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Paragraph {
    /// Lines trimmed and joined with single spaces.
    pub text: String,
    pub pos: Pos,
    pub end_line: u32,
}

/// What kind of reference a [`Link`] is; each resolves a little differently.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LinkKind {
    /// `:doc:` role: a document name without extension.
    Doc,
    /// `.. include::`
    Include,
    /// `.. literalinclude::`
    LiteralInclude,
    /// `.. image::`
    Image,
    /// `.. figure::`
    Figure,
    /// A Markdown link or image with a relative target.
    Relative,
}

impl LinkKind {
    pub fn describe(self) -> &'static str {
        match self {
            LinkKind::Doc => ":doc: link",
            LinkKind::Include => "include",
            LinkKind::LiteralInclude => "literalinclude",
            LinkKind::Image => "image",
            LinkKind::Figure => "figure",
            LinkKind::Relative => "link",
        }
    }
}

/// A reference to a local file or document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    pub kind: LinkKind,
    /// The target as written: for `:doc:` the part in angle brackets when
    /// there is one; for Markdown without the `#fragment` or `?query`.
    pub target: String,
    /// Where the target text starts.
    pub pos: Pos,
}

/// A comment: its text without the comment markers, trimmed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    pub text: String,
    pub pos: Pos,
    pub end_line: u32,
}

/// A table, read as rows of cell texts (multi-line cells joined with
/// spaces).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    pub pos: Pos,
    /// Header rows (those above `===` in a simple table, above `+===+` in a
    /// grid table, the first row of a Markdown table).
    pub header: Vec<TableRow>,
    pub rows: Vec<TableRow>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableRow {
    pub line: u32,
    pub cells: Vec<String>,
}

/// Parses a document in the given format. Never fails: anything the parser
/// does not understand is plain text.
pub fn parse(format: Format, text: &str) -> Document {
    match format {
        Format::Rst => rst::parse(text),
        Format::Markdown => markdown::parse(text),
    }
}

/// Maps byte offsets in a text to [`Pos`]. Built once per file so that
/// positions cost a binary search, which keeps huge files linear.
pub struct LineIndex<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { text, line_starts }
    }

    /// The position of the character at byte `offset` (clamped to the text).
    pub fn pos(&self, offset: usize) -> Pos {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let start = self.line_starts[line];
        let column = self
            .text
            .get(start..offset)
            .map_or(offset - start, |prefix| prefix.chars().count());
        Pos::new(to_u32(line + 1), to_u32(column + 1))
    }

    /// The text of 1-based line `line`, without its line end.
    pub fn line_text(&self, line: u32) -> Option<&'a str> {
        if line > self.line_count() {
            return None;
        }
        let index = usize::try_from(line).ok()?.checked_sub(1)?;
        let start = *self.line_starts.get(index)?;
        let end = self
            .line_starts
            .get(index + 1)
            .map_or(self.text.len(), |next| next - 1);
        self.text.get(start..end)
    }

    pub fn line_count(&self) -> u32 {
        let trailing_newline = self.text.ends_with('\n');
        let count = self.line_starts.len() - usize::from(trailing_newline || self.text.is_empty());
        to_u32(count)
    }
}

/// Line and column numbers saturate rather than wrap on absurdly large input.
pub fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_index_counts_characters_not_bytes() {
        let text = "Fullført\næøå x\n";
        let index = LineIndex::new(text);
        assert_eq!(index.pos(0), Pos::new(1, 1));
        let x = text.find('x').unwrap();
        assert_eq!(index.pos(x), Pos::new(2, 5));
        assert_eq!(index.line_count(), 2);
    }

    #[test]
    fn line_count_without_trailing_newline() {
        assert_eq!(LineIndex::new("a\nb").line_count(), 2);
        assert_eq!(LineIndex::new("").line_count(), 0);
    }

    #[test]
    fn format_from_extension() {
        assert_eq!(Format::from_path("a/2016_uke_38.rst"), Some(Format::Rst));
        assert_eq!(Format::from_path("week-38.MD"), Some(Format::Markdown));
        assert_eq!(Format::from_path("uke.png"), None);
        assert_eq!(Format::from_path("noext"), None);
    }
}
