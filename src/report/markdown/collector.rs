//! The one pass over pulldown-cmark's events (see the module
//! documentation of [`super`]).

use super::*;

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

/// Maps offsets in a piece of HTML to the source. They match when the
/// piece is the source text itself, as it is except in rare container
/// cases where everything is placed at the piece's start.
pub(super) struct Origin {
    start: usize,
    exact: bool,
}

/// One pass over the events; see the module documentation.
pub(super) struct Collector<'a> {
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
    pub(super) fn new(text: &'a str) -> Self {
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

    pub(super) fn event(&mut self, event: Event<'_>, range: Range<usize>, defs: &RefDefs<'_>) {
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

    pub(super) fn finish(mut self) -> Document {
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

    pub(super) fn offset(&self, at: usize) -> usize {
        if self.exact {
            self.start + at
        } else {
            self.start
        }
    }
}
