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

// ---------------------------------------------------------------------------
// Top-level blocks

/// A block outside any container, as the section builder needs it.
enum Block {
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
    fn last_line(&self) -> u32 {
        match self {
            Block::Heading { last_line, .. }
            | Block::Comment { last_line }
            | Block::Content { last_line } => *last_line,
            Block::Paragraph(paragraph) => paragraph.end_line,
            Block::List(items) => items.last().map_or(0, |item| item.end_line),
        }
    }
}

/// A heading whose text is still being read.
struct OpenHeading {
    level: u8,
    range: Range<usize>,
    first_child: Option<usize>,
    text: String,
}

/// A link or image whose text is still being read.
struct OpenLink {
    /// Where the link text ends so far (the destination comes after it).
    text_end: usize,
    /// Where the whole link ends.
    end: usize,
    target: Option<PendingTarget>,
}

/// What a relative link or image will record once its end is seen.
enum PendingTarget {
    Inline(String),
    Reference { label: String, dest: String },
}

/// A table being read.
#[derive(Default)]
struct OpenTable {
    pos: Pos,
    header: Vec<TableRow>,
    rows: Vec<TableRow>,
    cells: Vec<String>,
    cell: Option<String>,
    row_line: u32,
}

/// Finds `<!-- … -->` in HTML fed piece by piece (a comment may span the
/// lines of an HTML block).
#[derive(Default)]
struct CommentScanner {
    open: Option<FoundComment>,
    found: Vec<FoundComment>,
    /// Whether anything but white space appeared outside comments.
    other_html: bool,
}

/// A comment's text and where it starts (its first non-white-space
/// character) and ends (its `-->`) in the source.
struct FoundComment {
    body: String,
    start: usize,
    started: bool,
    end: usize,
}

/// Maps offsets in a piece of HTML to the source. They match when the
/// piece is the source text itself, as it is except in rare container
/// cases where everything is placed at the piece's start.
struct Origin {
    start: usize,
    exact: bool,
}

/// One pass over the events; see the module documentation.
struct Collector<'a> {
    text: &'a str,
    loc: Locator<'a>,
    /// Number of open tags.
    depth: usize,
    blocks: Vec<Block>,
    /// Items of the top-level list being read.
    list: Option<(Vec<Item>, ItemMarker)>,
    heading: Option<OpenHeading>,
    html: Option<CommentScanner>,
    links: Vec<Link>,
    open_links: Vec<OpenLink>,
    used_definitions: HashSet<usize>,
    comments: Vec<Comment>,
    tables: Vec<Table>,
    table: Option<OpenTable>,
}

impl<'a> Collector<'a> {
    fn new(text: &'a str) -> Self {
        Collector {
            text,
            loc: Locator::new(text),
            depth: 0,
            blocks: Vec::new(),
            list: None,
            heading: None,
            html: None,
            links: Vec::new(),
            open_links: Vec::new(),
            used_definitions: HashSet::new(),
            comments: Vec::new(),
            tables: Vec::new(),
            table: None,
        }
    }

    fn event(&mut self, event: Event<'_>, range: Range<usize>, defs: &RefDefs<'_>) {
        match event {
            Event::Start(tag) => {
                self.note_child(&range);
                self.start(tag, range);
                self.depth += 1;
            }
            Event::End(tag) => {
                self.depth = self.depth.saturating_sub(1);
                if matches!(tag, TagEnd::Link | TagEnd::Image) {
                    self.close_link(defs);
                } else {
                    self.extend_link_text(range.end);
                }
                self.end(tag, range);
            }
            leaf => {
                self.note_child(&range);
                self.leaf(leaf, range);
            }
        }
    }

    fn start(&mut self, tag: Tag<'_>, range: Range<usize>) {
        let top_level = self.depth == 0;
        match tag {
            Tag::Heading { level, .. } if top_level => self.open_heading(level, range),
            Tag::Paragraph if top_level => {
                let paragraph = self.paragraph(range);
                self.blocks.push(Block::Paragraph(paragraph));
            }
            Tag::List(first) if top_level => {
                let marker = match first {
                    Some(_) => ItemMarker::Enumerated,
                    None => ItemMarker::Bullet,
                };
                self.list = Some((Vec::new(), marker));
            }
            Tag::Item if self.depth == 1 && self.list.is_some() => self.top_item(range),
            Tag::HtmlBlock => self.html = Some(CommentScanner::default()),
            Tag::Link {
                link_type,
                dest_url,
                id,
                ..
            } => self.open_link(link_type, &dest_url, &id, range.start + 1..range.end),
            Tag::Image {
                link_type,
                dest_url,
                id,
                ..
            } => self.open_link(link_type, &dest_url, &id, range.start + 2..range.end),
            Tag::Table(_) => self.open_table(range.start),
            Tag::TableHead | Tag::TableRow => self.open_row(range.start),
            Tag::TableCell => self.open_cell(),
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd, range: Range<usize>) {
        let top_level = self.depth == 0;
        match tag {
            TagEnd::Heading(_) => self.close_heading(),
            TagEnd::List(_) if top_level => {
                if let Some((items, _)) = self.list.take() {
                    self.blocks.push(Block::List(items));
                }
            }
            TagEnd::HtmlBlock => self.close_html_block(range.clone(), top_level),
            TagEnd::Table => self.close_table(),
            TagEnd::TableHead => self.close_row(true),
            TagEnd::TableRow => self.close_row(false),
            TagEnd::TableCell => self.close_cell(),
            _ => {}
        }
        let recorded = matches!(
            tag,
            TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::List(_) | TagEnd::HtmlBlock
        );
        if top_level && !recorded {
            let last_line = self.loc.last_line(range);
            self.blocks.push(Block::Content { last_line });
        }
    }

    fn leaf(&mut self, event: Event<'_>, range: Range<usize>) {
        match event {
            Event::Text(text) => self.push_inline(&text),
            Event::Code(code) => {
                self.doc_role(&code, range.clone());
                // `pulldown-cmark` turns a `\r\n` inside a code span into two
                // spaces; headings (outside containers) take it from the
                // source instead.
                match self.text.get(range) {
                    Some(span) if self.heading.is_some() && span.contains('\r') => {
                        self.push_inline(&code_span_text(span));
                    }
                    _ => self.push_inline(&code),
                }
            }
            Event::SoftBreak | Event::HardBreak => self.push_inline(" "),
            Event::Html(html) => self.feed_html_block(&html, range),
            Event::InlineHtml(html) => self.inline_comment(&html, range),
            Event::Rule if self.depth == 0 => {
                let last_line = self.loc.last_line(range);
                self.blocks.push(Block::Content { last_line });
            }
            _ => {}
        }
    }

    fn finish(mut self) -> Document {
        if let Some(mut scanner) = self.html.take() {
            scanner.close(self.text.len());
            self.record_comments(scanner.take_found());
        }
        self.links.sort_by_key(|link| link.pos);
        let line_count = self.loc.index.line_count();
        let mut document = assemble(self.blocks);
        document.links = self.links;
        document.comments = self.comments;
        document.tables = self.tables;
        document.line_count = line_count;
        document
    }

    // --- paragraphs and items ----------------------------------------------

    fn paragraph(&mut self, range: Range<usize>) -> Paragraph {
        let start = skip_white_space(self.text, range.start, range.end);
        let end = trimmed_end(self.text, start..range.end);
        Paragraph {
            text: join_lines(self.text.get(start..end).unwrap_or_default()),
            pos: self.loc.pos(start),
            end_line: self.loc.last_line(start..end),
        }
    }

    fn top_item(&mut self, range: Range<usize>) {
        let marker_start = skip_white_space(self.text, range.start, range.end);
        let after_marker = marker_end(self.text, marker_start, range.end);
        let start = match skip_white_space(self.text, after_marker, range.end) {
            // An empty item: its text would start after the marker's space.
            start if start == range.end => after_marker + leading_blanks(self.text, after_marker),
            start => start,
        };
        let end = trimmed_end(self.text, start..range.end);
        let text = join_lines(self.text.get(start..end).unwrap_or_default());
        let pos = self.loc.pos(start);
        let end_line = self.loc.last_line(start..end);
        if let Some((items, marker)) = &mut self.list {
            let marker = *marker;
            items.push(Item {
                text,
                pos,
                end_line,
                marker,
            });
        }
    }

    // --- headings ------------------------------------------------------------

    fn open_heading(&mut self, level: HeadingLevel, range: Range<usize>) {
        self.heading = Some(OpenHeading {
            level: heading_level(level),
            range,
            first_child: None,
            text: String::new(),
        });
    }

    fn close_heading(&mut self) {
        let Some(open) = self.heading.take() else {
            return;
        };
        let start = match open.first_child {
            Some(start) => start,
            None => atx_text_start(self.text, open.range.clone()),
        };
        let heading = Heading {
            text: open.text.trim().to_owned(),
            pos: self.loc.pos(start),
            level: open.level,
        };
        let last_line = self.loc.last_line(open.range);
        self.blocks.push(Block::Heading { heading, last_line });
    }

    /// Adds inline text to the heading or table cell being read, if any.
    fn push_inline(&mut self, text: &str) {
        if let Some(cell) = self.table.as_mut().and_then(|t| t.cell.as_mut()) {
            cell.push_str(text);
        } else if let Some(heading) = &mut self.heading {
            heading.text.push_str(text);
        }
    }

    // --- links -------------------------------------------------------------

    /// Opens a link or image; `rest` runs from its text (after `[` or `![`)
    /// to its end.
    fn open_link(&mut self, link_type: LinkType, dest: &str, label: &str, rest: Range<usize>) {
        let target = match link_type {
            _ if !is_relative(dest) => None,
            LinkType::Inline => Some(PendingTarget::Inline(dest.to_owned())),
            LinkType::Reference | LinkType::Collapsed | LinkType::Shortcut => {
                Some(PendingTarget::Reference {
                    label: label.to_owned(),
                    dest: dest.to_owned(),
                })
            }
            _ => None,
        };
        self.open_links.push(OpenLink {
            text_end: rest.start,
            end: rest.end,
            target,
        });
    }

    /// Notes an event that opens or is inline content: the first one in a
    /// heading is where its text starts.
    fn note_child(&mut self, range: &Range<usize>) {
        self.extend_link_text(range.end);
        if let Some(heading) = &mut self.heading {
            heading.first_child.get_or_insert(range.start);
        }
    }

    /// Any event inside a link's text pushes the known end of that text.
    fn extend_link_text(&mut self, end: usize) {
        if let Some(open) = self.open_links.last_mut() {
            open.text_end = open.text_end.max(end);
        }
    }

    fn close_link(&mut self, defs: &RefDefs<'_>) {
        let Some(open) = self.open_links.pop() else {
            return;
        };
        let found = match open.target {
            None => None,
            Some(PendingTarget::Inline(dest)) => {
                let offset =
                    inline_destination(self.text, open.text_end..open.end).unwrap_or(open.text_end);
                Some((dest, offset))
            }
            Some(PendingTarget::Reference { label, dest }) => self
                .definition_destination(&label, defs)
                .map(|offset| (dest, offset)),
        };
        if let Some((dest, offset)) = found {
            let pos = self.loc.pos(offset);
            self.push_link(LinkKind::Relative, link_target(&dest), pos);
        }
    }

    /// Where the destination of the definition `label` starts, the first
    /// time the definition is used; `None` afterwards.
    fn definition_destination(&mut self, label: &str, defs: &RefDefs<'_>) -> Option<usize> {
        // Labels match case-insensitively with white space collapsed;
        // `RefDefs::get` does the case.
        let label = collapse_white_space(label);
        let def = defs.get(&label)?;
        if !self.used_definitions.insert(def.span.start) {
            return None;
        }
        Some(definition_destination(self.text, def.span.clone()))
    }

    /// MyST's ``{doc}`target` `` role: a code span right after `{doc}`.
    fn doc_role(&mut self, code: &str, range: Range<usize>) {
        let role = range
            .start
            .checked_sub(5)
            .and_then(|start| self.text.get(start..range.start));
        if role != Some("{doc}") {
            return;
        }
        // A code span may run over a line break (a space in `code`, two
        // for `\r\n`): white space is collapsed so both give one target.
        let target = collapse_white_space(angle_bracket_target(code));
        let offset = self
            .text
            .get(range.clone())
            .and_then(|span| span.find(&target))
            .map_or(range.start, |at| range.start + at);
        let pos = self.loc.pos(offset);
        self.push_link(LinkKind::Doc, target, pos);
    }

    fn push_link(&mut self, kind: LinkKind, target: String, pos: Pos) {
        if !target.is_empty() {
            self.links.push(Link { kind, target, pos });
        }
    }

    // --- comments ------------------------------------------------------------

    fn feed_html_block(&mut self, html: &str, range: Range<usize>) {
        if let Some(scanner) = &mut self.html {
            scanner.feed(html, Origin::new(html, range));
            let found = scanner.take_found();
            self.record_comments(found);
        }
    }

    fn close_html_block(&mut self, range: Range<usize>, top_level: bool) {
        let Some(mut scanner) = self.html.take() else {
            return;
        };
        scanner.close(trimmed_end(self.text, range.clone()).saturating_sub(1));
        let only_comments = !scanner.other_html;
        self.record_comments(scanner.take_found());
        if top_level {
            let last_line = self.loc.last_line(range);
            self.blocks.push(if only_comments {
                Block::Comment { last_line }
            } else {
                Block::Content { last_line }
            });
        }
    }

    fn inline_comment(&mut self, html: &str, range: Range<usize>) {
        if html.starts_with("<!--") {
            let end = range.end.saturating_sub(1);
            let mut scanner = CommentScanner::default();
            scanner.feed(html, Origin::new(html, range));
            scanner.close(end);
            self.record_comments(scanner.take_found());
        }
    }

    fn record_comments(&mut self, found: Vec<FoundComment>) {
        for found in found {
            let pos = self.loc.pos(found.start);
            let end_line = self.loc.line(found.end).max(pos.line);
            let lines: Vec<&str> = found.body.lines().map(str::trim).collect();
            self.comments.push(Comment {
                text: lines.join("\n").trim().to_owned(),
                pos,
                end_line,
            });
        }
    }

    // --- tables --------------------------------------------------------------

    fn open_table(&mut self, start: usize) {
        self.table = Some(OpenTable {
            pos: self.loc.pos(start),
            ..OpenTable::default()
        });
    }

    fn open_row(&mut self, start: usize) {
        let line = self.loc.line(start);
        if let Some(table) = &mut self.table {
            table.cells.clear();
            table.row_line = line;
        }
    }

    fn open_cell(&mut self) {
        if let Some(table) = &mut self.table {
            table.cell = Some(String::new());
        }
    }

    fn close_cell(&mut self) {
        if let Some(table) = &mut self.table
            && let Some(cell) = table.cell.take()
        {
            table.cells.push(cell.trim().to_owned());
        }
    }

    fn close_row(&mut self, header: bool) {
        if let Some(table) = &mut self.table {
            let row = TableRow {
                line: table.row_line,
                cells: std::mem::take(&mut table.cells),
            };
            if header {
                table.header.push(row);
            } else {
                table.rows.push(row);
            }
        }
    }

    fn close_table(&mut self) {
        if let Some(table) = self.table.take() {
            self.tables.push(Table {
                pos: table.pos,
                header: table.header,
                rows: table.rows,
            });
        }
    }
}

impl Origin {
    fn new(piece: &str, range: Range<usize>) -> Self {
        Origin {
            exact: range.len() == piece.len(),
            start: range.start,
        }
    }

    fn offset(&self, at: usize) -> usize {
        if self.exact {
            self.start + at
        } else {
            self.start
        }
    }
}

impl CommentScanner {
    fn feed(&mut self, html: &str, origin: Origin) {
        let mut at = 0;
        while let Some(rest) = html.get(at..).filter(|rest| !rest.is_empty()) {
            at += match &mut self.open {
                Some(open) => match rest.find("-->") {
                    Some(close) => {
                        open.push(rest.get(..close).unwrap_or_default(), origin.offset(at));
                        self.close(origin.offset(at + close));
                        close + 3
                    }
                    None => {
                        open.push(rest, origin.offset(at));
                        rest.len()
                    }
                },
                None => match rest.find("<!--") {
                    Some(open) => {
                        let before = rest.get(..open).unwrap_or_default();
                        self.other_html |= !before.trim().is_empty();
                        let text = rest.get(open + 4..).unwrap_or_default();
                        open + self.open_comment(text, origin.offset(at + open + 4))
                    }
                    None => {
                        self.other_html |= !rest.trim().is_empty();
                        rest.len()
                    }
                },
            };
        }
    }

    /// Opens a comment whose text, `rest`, starts at source offset `start`;
    /// returns how much was consumed: the `<!--` and, for the empty
    /// comments `<!-->` and `<!--->`, the rest of their markers.
    fn open_comment(&mut self, rest: &str, start: usize) -> usize {
        self.open = Some(FoundComment {
            body: String::new(),
            start,
            started: false,
            end: start,
        });
        let empty = ["->", ">"]
            .into_iter()
            .find(|marker| rest.starts_with(marker));
        if empty.is_some() {
            self.close(start);
        }
        4 + empty.map_or(0, str::len)
    }

    fn take_found(&mut self) -> Vec<FoundComment> {
        std::mem::take(&mut self.found)
    }

    /// Ends the open comment, if any, at source offset `end`; at the end of
    /// an HTML block, an unclosed comment ends with it.
    fn close(&mut self, end: usize) {
        if let Some(mut comment) = self.open.take() {
            comment.end = end.max(comment.start);
            self.found.push(comment);
        }
    }
}

impl FoundComment {
    /// Adds comment text found at source offset `offset`.
    fn push(&mut self, text: &str, offset: usize) {
        if !self.started {
            let trimmed = text.trim_start();
            if !trimmed.is_empty() {
                self.start = offset + (text.len() - trimmed.len());
                self.started = true;
            }
        }
        self.body.push_str(text);
    }
}

// ---------------------------------------------------------------------------
// Small scanners over the source

/// The content of a code span outside containers as CommonMark defines it:
/// line endings as spaces, one space stripped from both ends.
fn code_span_text(span: &str) -> String {
    let fence = span.len() - span.trim_start_matches('`').len();
    let inner = span
        .get(fence..span.len().saturating_sub(fence))
        .unwrap_or_default();
    let text = inner.replace("\r\n", " ").replace(['\r', '\n'], " ");
    let stripped = text.strip_prefix(' ').and_then(|t| t.strip_suffix(' '));
    match stripped {
        Some(inner) if !text.trim().is_empty() => inner.to_owned(),
        _ => text,
    }
}

/// The end of a list marker (`-`, `*`, `+`, `1.`, `1)`) starting at `start`.
fn marker_end(text: &str, start: usize, end: usize) -> usize {
    let bytes = text.as_bytes().get(start..end).unwrap_or_default();
    let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    let len = match bytes.get(digits) {
        Some(b'.' | b')') if digits > 0 => digits + 1,
        Some(b'-' | b'*' | b'+') if digits == 0 => 1,
        _ => 0,
    };
    start + len
}

/// Where the text of an ATX heading without inline content would start.
fn atx_text_start(text: &str, range: Range<usize>) -> usize {
    let start = skip_white_space(text, range.start, range.end);
    let hashes = text
        .as_bytes()
        .get(start..range.end)
        .unwrap_or_default()
        .iter()
        .take_while(|&&b| b == b'#')
        .count();
    let after = start + hashes;
    after + leading_blanks(text.get(..range.end).unwrap_or(text), after)
}

/// The number of spaces and tabs at `from`.
fn leading_blanks(text: &str, from: usize) -> usize {
    text.as_bytes()
        .get(from..)
        .unwrap_or_default()
        .iter()
        .take_while(|&&b| b == b' ' || b == b'\t')
        .count()
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// The start of an inline link's destination: after the `](` that follows
/// the link text (`tail` runs from the end of that text to the end of the
/// link), white space and an opening `<`.
fn inline_destination(text: &str, tail: Range<usize>) -> Option<usize> {
    let rest = text.get(tail.clone())?;
    let close = rest.find(']')?;
    let after = rest.get(close + 1..)?.strip_prefix('(')?;
    let dest = after.trim_start();
    let dest = dest.strip_prefix('<').unwrap_or(dest);
    Some(tail.end - dest.len())
}

/// The start of the destination in a link reference definition
/// (`[label]: <dest> "title"`) spanning `span`.
fn definition_destination(text: &str, span: Range<usize>) -> usize {
    let Some(def) = text.get(span.clone()) else {
        return span.start;
    };
    let mut escaped = false;
    let close = def.char_indices().skip(1).find(|&(_, c)| {
        let found = c == ']' && !escaped;
        escaped = c == '\\' && !escaped;
        found
    });
    let Some(after) = close.and_then(|(at, _)| def.get(at + 1..)) else {
        return span.start;
    };
    let dest = after.strip_prefix(':').unwrap_or(after).trim_start();
    let dest = dest.strip_prefix('<').unwrap_or(dest);
    span.start + def.len() - dest.len()
}

/// Runs of white space as single spaces, without any at either end.
fn collapse_white_space(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether a destination points to a local file: no scheme, no `//host`,
/// not a fragment of this document.
fn is_relative(dest: &str) -> bool {
    let dest = dest.trim();
    !(dest.is_empty()
        || dest.starts_with('#')
        || dest.starts_with('?')
        || dest.starts_with("//")
        || has_scheme(dest))
}

/// `scheme:` as RFC 3986 spells it: a letter, then letters, digits, `+`,
/// `-` or `.`.
fn has_scheme(dest: &str) -> bool {
    let Some((scheme, _)) = dest.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// The target of a relative destination: no `#fragment` or `?query`,
/// percent-decoded when that gives valid UTF-8.
fn link_target(dest: &str) -> String {
    let dest = dest.trim();
    let end = dest.find(['#', '?']).unwrap_or(dest.len());
    percent_decode(dest.get(..end).unwrap_or(dest))
}

fn percent_decode(text: &str) -> String {
    if !text.contains('%') {
        return text.to_owned();
    }
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        let hex = bytes.get(at + 1..at + 3).and_then(hex_byte);
        match hex {
            Some(value) if byte == b'%' => {
                decoded.push(value);
                at += 3;
            }
            _ => {
                decoded.push(byte);
                at += 1;
            }
        }
    }
    String::from_utf8(decoded).unwrap_or_else(|_| text.to_owned())
}

fn hex_byte(pair: &[u8]) -> Option<u8> {
    let digits = std::str::from_utf8(pair).ok()?;
    u8::from_str_radix(digits, 16).ok()
}

/// `title <target>` gives `target`; anything else is the target itself.
fn angle_bracket_target(role: &str) -> &str {
    let role = role.trim();
    role.strip_suffix('>')
        .and_then(|inner| inner.rsplit_once('<'))
        .map_or(role, |(_, target)| target)
}

// ---------------------------------------------------------------------------
// Title, preamble and sections

/// Builds title, preamble and sections from the top-level blocks.
fn assemble(blocks: Vec<Block>) -> Document {
    let title_index = title_index(&blocks);
    let mut ranks = [false; 7];
    for (index, block) in blocks.iter().enumerate() {
        if let Block::Heading { heading, .. } = block
            && Some(index) != title_index
        {
            ranks[usize::from(heading.level.min(6))] = true;
        }
    }
    let depth_of = |level: u8| -> u8 {
        let below = ranks
            .iter()
            .take(usize::from(level.min(6)))
            .filter(|&&used| used);
        u8::try_from(below.count() + 1).unwrap_or(u8::MAX)
    };

    let mut document = Document::default();
    let mut builder: Option<SectionBuilder> = None;
    for (index, block) in blocks.into_iter().enumerate() {
        match block {
            Block::Heading { heading, .. } if Some(index) == title_index => {
                document.title = Some(heading);
            }
            Block::Heading { heading, last_line } => {
                document
                    .sections
                    .extend(builder.take().map(SectionBuilder::finish));
                let depth = depth_of(heading.level);
                builder = Some(SectionBuilder::new(heading, depth, last_line));
            }
            block => match &mut builder {
                Some(section) => section.add(block),
                None => {
                    if let Block::Paragraph(paragraph) = block {
                        document.preamble.push(paragraph);
                    }
                }
            },
        }
    }
    document
        .sections
        .extend(builder.map(SectionBuilder::finish));
    document
}

/// The index of the block promoted to title: the first block that is not a
/// comment, when it is the only heading of the smallest level.
fn title_index(blocks: &[Block]) -> Option<usize> {
    let levels = blocks.iter().filter_map(|block| match block {
        Block::Heading { heading, .. } => Some(heading.level),
        _ => None,
    });
    let smallest = levels.clone().min()?;
    let lone = levels.filter(|&level| level == smallest).count() == 1;
    let (index, first) = blocks
        .iter()
        .enumerate()
        .find(|(_, block)| !matches!(block, Block::Comment { .. }))?;
    match first {
        Block::Heading { heading, .. } if lone && heading.level == smallest => Some(index),
        _ => None,
    }
}

/// A section whose body is still being read.
struct SectionBuilder {
    heading: Heading,
    depth: u8,
    list_items: Vec<Item>,
    has_list: bool,
    paragraphs: Vec<Paragraph>,
    has_content: bool,
    end_line: u32,
}

impl SectionBuilder {
    fn new(heading: Heading, depth: u8, last_line: u32) -> Self {
        SectionBuilder {
            heading,
            depth,
            list_items: Vec::new(),
            has_list: false,
            paragraphs: Vec::new(),
            has_content: false,
            end_line: last_line,
        }
    }

    fn add(&mut self, block: Block) {
        self.end_line = self.end_line.max(block.last_line());
        match block {
            Block::Comment { .. } => {}
            Block::List(items) => {
                self.has_content = true;
                self.has_list = true;
                self.list_items.extend(items);
            }
            Block::Paragraph(paragraph) => {
                self.has_content = true;
                self.paragraphs.push(paragraph);
            }
            Block::Heading { .. } | Block::Content { .. } => self.has_content = true,
        }
    }

    fn finish(self) -> Section {
        let paragraphs = self.paragraphs.into_iter().map(paragraph_item);
        let (items, prose) = if self.has_list {
            (self.list_items, paragraphs.collect())
        } else {
            (paragraphs.collect(), Vec::new())
        };
        Section {
            heading: self.heading,
            depth: self.depth,
            items,
            prose,
            has_content: self.has_content,
            end_line: self.end_line,
        }
    }
}

fn paragraph_item(paragraph: Paragraph) -> Item {
    Item {
        text: paragraph.text,
        pos: paragraph.pos,
        end_line: paragraph.end_line,
        marker: ItemMarker::Paragraph,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXAMPLE: &str = "\
# Uke 38

av Raymond Kristiansen, UH IaaS, 23. sep 2016

## Fullført

- Workshop ved USIT 7. og 8. september.

- Oppgradering til mitaka i uke 38. Utført med ansible som kunne testes i
  `test01` og `test02` først.

## Oppdatert status

Arbeidet frem til leveranse 14. november vil vi oppdatere fortløpende.

Kun større oppgaver, utfordringer og avvik vil bli oppdatert her.
";

    fn item(text: &str, pos: (u32, u32), end_line: u32, marker: ItemMarker) -> Item {
        Item {
            text: text.to_owned(),
            pos: Pos::new(pos.0, pos.1),
            end_line,
            marker,
        }
    }

    fn heading_texts(doc: &Document) -> Vec<(&str, u8)> {
        doc.sections
            .iter()
            .map(|s| (s.heading.text.as_str(), s.depth))
            .collect()
    }

    fn item_texts(section: &Section) -> Vec<&str> {
        section.items.iter().map(|i| i.text.as_str()).collect()
    }

    fn link(kind: LinkKind, target: &str, pos: (u32, u32)) -> Link {
        Link {
            kind,
            target: target.to_owned(),
            pos: Pos::new(pos.0, pos.1),
        }
    }

    #[test]
    fn example_report_with_exact_positions() {
        let doc = parse(EXAMPLE);
        let title = doc.title.as_ref().expect("title");
        assert_eq!(title.text, "Uke 38");
        assert_eq!((title.pos, title.level), (Pos::new(1, 3), 1));
        assert_eq!(
            doc.preamble,
            vec![Paragraph {
                text: "av Raymond Kristiansen, UH IaaS, 23. sep 2016".to_owned(),
                pos: Pos::new(3, 1),
                end_line: 3,
            }]
        );
        assert_eq!(doc.sections.len(), 2);

        let done = &doc.sections[0];
        assert_eq!(done.heading.text, "Fullført");
        assert_eq!((done.heading.pos, done.heading.level), (Pos::new(5, 4), 2));
        assert_eq!((done.depth, done.has_content, done.end_line), (1, true, 10));
        assert_eq!(
            done.items,
            vec![
                item(
                    "Workshop ved USIT 7. og 8. september.",
                    (7, 3),
                    7,
                    ItemMarker::Bullet
                ),
                item(
                    "Oppgradering til mitaka i uke 38. Utført med ansible som kunne \
                     testes i `test01` og `test02` først.",
                    (9, 3),
                    10,
                    ItemMarker::Bullet
                ),
            ]
        );

        let status = &doc.sections[1];
        assert_eq!(status.heading.text, "Oppdatert status");
        assert_eq!(status.heading.pos, Pos::new(12, 4));
        assert_eq!(
            (status.depth, status.has_content, status.end_line),
            (1, true, 16)
        );
        assert_eq!(
            status.items,
            vec![
                item(
                    "Arbeidet frem til leveranse 14. november vil vi oppdatere fortløpende.",
                    (14, 1),
                    14,
                    ItemMarker::Paragraph
                ),
                item(
                    "Kun større oppgaver, utfordringer og avvik vil bli oppdatert her.",
                    (16, 1),
                    16,
                    ItemMarker::Paragraph
                ),
            ]
        );
        assert!(doc.links.is_empty() && doc.comments.is_empty() && doc.tables.is_empty());
        assert_eq!(doc.line_count, 16);
    }

    #[test]
    fn atx_and_setext_headings() {
        let text = "Title\n=====\n\nPart\n----\n\ntext\n\n  ## Also **bold** `code` ##\n\n##\n";
        let doc = parse(text);
        let title = doc.title.expect("title");
        assert_eq!(
            (title.text.as_str(), title.pos, title.level),
            ("Title", Pos::new(1, 1), 1)
        );
        let headings: Vec<_> = doc
            .sections
            .iter()
            .map(|s| (s.heading.text.as_str(), s.heading.pos, s.heading.level))
            .collect();
        assert_eq!(
            headings,
            vec![
                ("Part", Pos::new(4, 1), 2),
                ("Also bold code", Pos::new(9, 6), 2),
                ("", Pos::new(11, 3), 2),
            ]
        );
        // A setext heading ends on its underline.
        assert_eq!(doc.sections[0].end_line, 7);
        assert_eq!(doc.sections[2].end_line, 11);
        assert!(!doc.sections[2].has_content);
    }

    #[test]
    fn multi_line_setext_heading_joins_its_lines() {
        let doc = parse("Weekly\nreport\n===\n\n## A\n");
        let title = doc.title.expect("title");
        assert_eq!(
            (title.text.as_str(), title.pos),
            ("Weekly report", Pos::START)
        );
    }

    #[test]
    fn title_promotion_compresses_depths() {
        let doc = parse("# T\n\n### A\n\n##### B\n\n### C\n");
        assert_eq!(doc.title.as_ref().map(|t| t.text.as_str()), Some("T"));
        assert_eq!(heading_texts(&doc), vec![("A", 1), ("B", 2), ("C", 1)]);
    }

    #[test]
    fn lone_smallest_heading_is_title_whatever_its_level() {
        let doc = parse("## T\n\n### A\n");
        assert_eq!(doc.title.as_ref().map(|t| t.level), Some(2));
        assert_eq!(heading_texts(&doc), vec![("A", 1)]);
    }

    #[test]
    fn no_title_when_the_top_level_repeats() {
        let doc = parse("# A\n\nintro\n\n# B\n\n### C\n");
        assert!(doc.title.is_none());
        assert_eq!(heading_texts(&doc), vec![("A", 1), ("B", 1), ("C", 2)]);
        assert_eq!(item_texts(&doc.sections[0]), vec!["intro"]);
    }

    #[test]
    fn no_title_when_the_document_does_not_start_with_it() {
        let doc = parse("Intro *text*\nhere.\n\n# A\n\n## B\n");
        assert!(doc.title.is_none());
        assert_eq!(doc.preamble.len(), 1);
        assert_eq!(doc.preamble[0].text, "Intro *text* here.");
        assert_eq!(doc.preamble[0].end_line, 2);
        assert_eq!(heading_texts(&doc), vec![("A", 1), ("B", 2)]);

        let doc = parse("## A\n\n# B\n");
        assert!(doc.title.is_none());
        assert_eq!(heading_texts(&doc), vec![("A", 2), ("B", 1)]);
    }

    #[test]
    fn comments_before_the_title_do_not_stop_promotion() {
        let doc = parse("<!-- milepost: disable=title -->\n\n# T\n\n## S\n\ntext\n");
        assert_eq!(doc.title.map(|t| t.pos), Some(Pos::new(3, 3)));
        assert_eq!(
            doc.comments,
            vec![Comment {
                text: "milepost: disable=title".to_owned(),
                pos: Pos::new(1, 6),
                end_line: 1,
            }]
        );
    }

    #[test]
    fn nested_lists_belong_to_their_top_level_item() {
        let text = "# T\n\n## S\n\n- one\n  - one.a\n\n    1. deep `x`\n- two\n";
        let doc = parse(text);
        assert_eq!(
            doc.sections[0].items,
            vec![
                item("one - one.a 1. deep `x`", (5, 3), 8, ItemMarker::Bullet),
                item("two", (9, 3), 9, ItemMarker::Bullet),
            ]
        );
        assert_eq!(doc.sections[0].end_line, 9);
    }

    #[test]
    fn ordered_lists_are_enumerated() {
        let doc =
            parse("## S\n\n1. first\n2. second\n\n10) tenth\n   more\n\n* star\n+ plus\n\n## R\n");
        let items = &doc.sections[0].items;
        let got: Vec<_> = items
            .iter()
            .map(|i| (i.text.as_str(), i.pos, i.marker))
            .collect();
        assert_eq!(
            got,
            vec![
                ("first", Pos::new(3, 4), ItemMarker::Enumerated),
                ("second", Pos::new(4, 4), ItemMarker::Enumerated),
                ("tenth more", Pos::new(6, 5), ItemMarker::Enumerated),
                ("star", Pos::new(9, 3), ItemMarker::Bullet),
                ("plus", Pos::new(10, 3), ItemMarker::Bullet),
            ]
        );
        assert_eq!(items[2].end_line, 7);
    }

    #[test]
    fn lazy_continuation_lines_belong_to_the_item() {
        let doc = parse("## S\n\n- first line\ncontinued lazily\n- second\n\n## R\n");
        assert_eq!(
            doc.sections[0].items,
            vec![
                item("first line continued lazily", (3, 3), 4, ItemMarker::Bullet),
                item("second", (5, 3), 5, ItemMarker::Bullet),
            ]
        );
    }

    #[test]
    fn item_text_may_start_on_the_next_line() {
        let doc = parse("## S\n\n-\n  late start\n\n## R\n");
        assert_eq!(
            doc.sections[0].items,
            vec![item("late start", (4, 3), 4, ItemMarker::Bullet)]
        );
    }

    #[test]
    fn only_list_items_are_items_when_a_section_has_a_list() {
        let doc = parse("## S\n\nIntro.\n\n- a\n\nOutro.\n\n- b\n\n## R\n");
        assert_eq!(item_texts(&doc.sections[0]), vec!["a", "b"]);
        assert_eq!(doc.sections[0].end_line, 9);
    }

    #[test]
    fn lists_in_block_quotes_are_not_items() {
        let doc = parse("## S\n\n> - quoted\n\nSaid.\n\n## Only quote\n\n> - q\n");
        assert_eq!(item_texts(&doc.sections[0]), vec!["Said."]);
        let quote = &doc.sections[1];
        assert!(quote.items.is_empty());
        assert!(quote.has_content);
        assert_eq!(quote.end_line, 9);
    }

    #[test]
    fn headings_inside_containers_are_not_sections() {
        let doc = parse("## S\n\n- # not a section\n> # nor this\n\n## R\n");
        assert_eq!(heading_texts(&doc), vec![("S", 1), ("R", 1)]);
        assert_eq!(item_texts(&doc.sections[0]), vec!["# not a section"]);
    }

    #[test]
    fn empty_sections() {
        let doc = parse("## A\n\n<!-- only a comment -->\n\n## B\n\n\n## C\nx\n");
        let got: Vec<_> = doc
            .sections
            .iter()
            .map(|s| (s.has_content, s.end_line, s.items.len()))
            .collect();
        assert_eq!(got, vec![(false, 3, 0), (false, 5, 0), (true, 9, 1)]);
    }

    #[test]
    fn relative_and_external_links() {
        let text = "## Lenker\n\n\
            Se [plan](../plans/prod.md#risk \"Plan\") og [nett](https://x.org), \
            [e-post](mailto:a@b.no), [topp](#lenker), [vert](//h/x), [tom]().\n\
            æø ![bilde](<img/a%20b.png?raw=1>) <https://auto.link> \
            [![ikon](icon.svg)](docs/index.md)\n";
        let doc = parse(text);
        assert_eq!(
            doc.links,
            vec![
                link(LinkKind::Relative, "../plans/prod.md", (3, 11)),
                link(LinkKind::Relative, "img/a b.png", (4, 14)),
                link(LinkKind::Relative, "icon.svg", (4, 65)),
                link(LinkKind::Relative, "docs/index.md", (4, 76)),
            ]
        );
    }

    #[test]
    fn link_destination_on_the_next_line() {
        let doc = parse("[plan](\n  plan.md)\n");
        assert_eq!(doc.links, vec![link(LinkKind::Relative, "plan.md", (2, 3))]);
    }

    #[test]
    fn reference_links_point_at_their_definition() {
        let text = "Use [the plan][Plan  B], [plan b] and [Plan B][].\n\
            See [ext] too.\n\n\
            [plan b]: <../plan.md> \"Plan\"\n\
            [ext]: https://x.org\n\
            [unused]: other.md\n";
        let doc = parse(text);
        assert_eq!(
            doc.links,
            vec![link(LinkKind::Relative, "../plan.md", (4, 12))]
        );
    }

    #[test]
    fn doc_role_gives_doc_links() {
        let text = "I {doc}`../plans/production` og {doc}`Planen <../plans/x>`, ikke `../y`.\n";
        let doc = parse(text);
        assert_eq!(
            doc.links,
            vec![
                link(LinkKind::Doc, "../plans/production", (1, 9)),
                link(LinkKind::Doc, "../plans/x", (1, 47)),
            ]
        );
    }

    #[test]
    fn links_in_code_are_not_links() {
        let text = "`[a](b.md)` and\n\n```\n[c](d.md) {doc}`x`\n```\n\n    [e](f.md)\n";
        assert!(parse(text).links.is_empty());
    }

    #[test]
    fn block_and_inline_comments() {
        let text = "## S\n\n<!--\n  milepost: milestone=M3\n  second line\n-->\n\n\
            - Done <!-- tag: x --> today\n- <!---->empty\n\n## R\n";
        let doc = parse(text);
        assert_eq!(
            doc.comments,
            vec![
                Comment {
                    text: "milepost: milestone=M3\nsecond line".to_owned(),
                    pos: Pos::new(4, 3),
                    end_line: 6,
                },
                Comment {
                    text: "tag: x".to_owned(),
                    pos: Pos::new(8, 13),
                    end_line: 8,
                },
                Comment {
                    text: String::new(),
                    pos: Pos::new(9, 7),
                    end_line: 9,
                },
            ]
        );
        assert_eq!(
            item_texts(&doc.sections[0]),
            vec!["Done <!-- tag: x --> today", "<!---->empty"]
        );
    }

    #[test]
    fn comments_in_code_and_headings() {
        let text =
            "# Uke 38 <!-- milepost: disable=title -->\n\n`<!-- no -->`\n\n```\n<!-- no -->\n```\n";
        let doc = parse(text);
        assert_eq!(doc.title.map(|t| t.text), Some("Uke 38".to_owned()));
        assert_eq!(doc.comments.len(), 1);
        assert_eq!(doc.comments[0].text, "milepost: disable=title");
        assert_eq!(doc.comments[0].pos, Pos::new(1, 15));
    }

    #[test]
    fn html_blocks_with_more_than_comments_are_content() {
        let doc = parse("## S\n\n<div>\n<!-- c --> x\n</div>\n\n## R\n");
        assert!(doc.sections[0].has_content);
        assert_eq!(doc.comments.len(), 1);
        assert_eq!(doc.comments[0].pos, Pos::new(4, 6));
    }

    #[test]
    fn unclosed_comment_runs_to_the_end_of_its_block() {
        let doc = parse("<!-- open\nstill open\n");
        assert_eq!(doc.comments.len(), 1);
        assert_eq!(doc.comments[0].text, "open\nstill open");
        assert_eq!(doc.comments[0].end_line, 2);
    }

    #[test]
    fn pipe_tables() {
        let text =
            "## S\n\n| Oppgave | *Status* |\n|---|:-:|\n| `a` | **ok** |\n| b |  |\n\n## R\n";
        let doc = parse(text);
        assert_eq!(
            doc.tables,
            vec![Table {
                pos: Pos::new(3, 1),
                header: vec![TableRow {
                    line: 3,
                    cells: vec!["Oppgave".to_owned(), "Status".to_owned()],
                }],
                rows: vec![
                    TableRow {
                        line: 5,
                        cells: vec!["a".to_owned(), "ok".to_owned()],
                    },
                    TableRow {
                        line: 6,
                        cells: vec!["b".to_owned(), String::new()],
                    },
                ],
            }]
        );
        let section = &doc.sections[0];
        assert!(section.has_content && section.items.is_empty());
        assert_eq!(section.end_line, 6);
    }

    #[test]
    fn code_blocks_hold_no_headings_or_items() {
        let text = "# T\n\n## S\n\n```md\n# fake heading\n- fake item\n```\n\n    ## indented\n    - fake\n";
        let doc = parse(text);
        assert_eq!(heading_texts(&doc), vec![("S", 1)]);
        let section = &doc.sections[0];
        assert!(section.items.is_empty() && section.has_content);
        assert_eq!(section.end_line, 11);
    }

    #[test]
    fn crlf_gives_the_same_result_as_lf() {
        let samples = [
            EXAMPLE,
            "Title `a\nb`\n===\n\n<!--\n  a\n  b\n-->\n\n## S\n\n- x [l](a.md)\n  y {doc}`p\nq`\n\n\
             | a | b |\n|---|---|\n| 1 | 2 |\n",
        ];
        for lf in samples {
            let crlf = lf.replace('\n', "\r\n");
            assert_eq!(format!("{:?}", parse(lf)), format!("{:?}", parse(&crlf)));
        }
        assert!(!format!("{:?}", parse(&EXAMPLE.replace('\n', "\r\n"))).contains("\\r"));
    }

    #[test]
    fn empty_and_blank_input() {
        for text in ["", "\n\n", "   \n", "<!-- -->"] {
            let doc = parse(text);
            assert!(doc.title.is_none() && doc.sections.is_empty() && doc.preamble.is_empty());
        }
        assert_eq!(parse("").line_count, 0);
        assert_eq!(parse("a\nb").line_count, 2);
    }

    /// Found by the `markdown` fuzz target: a paragraph of nothing but a
    /// no-break space (content in CommonMark, white space to `str::trim`)
    /// was placed after its own text, past the last line of the file.
    #[test]
    fn paragraph_of_unicode_space_stays_in_the_text() {
        for (text, pos) in [
            ("# T\n\n## S\n\n\u{a0}\n", Pos::new(5, 1)),
            ("# T\n\n## S\n\n\u{3000}\u{a0}", Pos::new(5, 1)),
            ("# T\n\n## S\n\n- \u{a0}\n", Pos::new(5, 3)),
            ("\u{a0}\n", Pos::new(1, 1)),
        ] {
            let doc = parse(text);
            let first = doc
                .sections
                .first()
                .and_then(|s| s.items.first().map(|i| (i.pos, i.end_line)))
                .or_else(|| doc.preamble.first().map(|p| (p.pos, p.end_line)));
            let (found, end_line) = first.expect("an item or a paragraph");
            assert_eq!(found, pos, "{text:?}");
            assert!(
                end_line >= found.line && end_line <= doc.line_count,
                "{text:?}"
            );
        }
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        for opener in ["- ", "1. ", "> ", "* - "] {
            let text = format!("## S\n\n{}x\n\n## R\n", opener.repeat(10_000));
            let doc = parse(&text);
            assert_eq!(doc.sections.len(), 2);
        }
        let brackets = format!("{}x{}\n", "[".repeat(10_000), "](a.md)".repeat(10_000));
        let images = format!("{}x{}\n", "![".repeat(10_000), "](a.md)".repeat(10_000));
        let emphasis = format!("{}x{}\n", "*".repeat(10_000), "*".repeat(10_000));
        for text in [brackets, images, emphasis] {
            let _ = parse(&text);
        }
        let indented: String = (0..2_000)
            .map(|i| format!("{}- x\n", "  ".repeat(i)))
            .collect();
        let doc = parse(&format!("## S\n\n{indented}\n## R\n"));
        assert_eq!(doc.sections[0].items.len(), 1);
    }

    #[test]
    fn long_lines_stay_linear() {
        let words = "ord ".repeat(2_500_000);
        let doc = parse(&format!("## S\n\n{words}\n\n## R\n"));
        assert_eq!(doc.sections[0].items[0].text.len(), words.trim_end().len());
        assert_eq!(doc.sections[0].end_line, 3);

        let links = "æ [a](b.md) ".repeat(200_000);
        let doc = parse(&links);
        assert_eq!(doc.links.len(), 200_000);
        assert_eq!(doc.links[1].pos, Pos::new(1, 19));
        assert_eq!(doc.links[199_999].pos, Pos::new(1, 199_999 * 12 + 7));
    }

    #[test]
    fn locator_agrees_with_line_index() {
        let text = "æøå [x](y)\nline two ø\n\nend";
        let index = LineIndex::new(text);
        let mut loc = Locator::new(text);
        let offsets: Vec<usize> = text.char_indices().map(|(at, _)| at).collect();
        for &at in offsets.iter().chain(offsets.iter().rev()).step_by(3) {
            assert_eq!(loc.pos(at), index.pos(at), "offset {at}");
        }
        assert_eq!(loc.pos(text.len()), index.pos(text.len()));
    }

    #[test]
    fn helpers() {
        assert!(is_relative("../a.md") && is_relative("/abs/b.md") && is_relative("a/b:c"));
        assert!(!is_relative("HTTPS://x") && !is_relative("#x") && !is_relative("//h"));
        assert_eq!(link_target("a%20b%.md?x#y"), "a b%.md");
        assert_eq!(link_target("%ff.md"), "%ff.md");
        assert_eq!(angle_bracket_target("Title <t>"), "t");
        assert_eq!(marker_end("10) x", 0, 5), 3);
        assert_eq!(marker_end("x", 0, 1), 0);
    }

    #[test]
    fn front_matter_is_skipped_and_lines_kept() {
        let text = "---\ntitle: Uke 38\ntags: [status]\n---\n# Uke 38\n\nav A, B, 23. sep 2016\n\n## Fullført\n\n- Ferdig.\n";
        let doc = parse(text);
        let title = doc.title.expect("a title after the front matter");
        assert_eq!(title.text, "Uke 38");
        assert_eq!(title.pos.line, 5);
        assert_eq!(doc.sections.len(), 1);
        assert_eq!(doc.sections[0].items[0].pos.line, 11);
        // An unclosed `---` is a thematic break, not front matter: the
        // heading after it is still read, on its own line.
        let doc = parse("---\n# Uke 38\n");
        let heading = doc
            .title
            .or(doc.sections.first().map(|s| s.heading.clone()));
        assert_eq!(
            heading.map(|h| (h.text, h.pos.line)),
            Some(("Uke 38".to_owned(), 2))
        );
    }
}
