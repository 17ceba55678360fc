//! The single forward pass: the parser's state, the main loop, the stack
//! of open contexts, list items and the hand-off to the block readers.

use super::*;

pub(super) struct Parser<'a> {
    pub(super) src: &'a str,
    pub(super) lines: Vec<Line>,
    /// The document level; its blocks start at column 0.
    pub(super) root: Ctx,
    /// Open nested contexts, innermost last.
    pub(super) stack: Vec<Ctx>,
    /// The top-level item being read, while its context is open.
    pub(super) item: Option<ItemBuilder>,
    pub(super) sections: Vec<SectionBuilder>,
    /// Paragraphs before the first section.
    pub(super) pre_paragraphs: Vec<Paragraph>,
    /// Something other than comments and targets precedes the first
    /// section, so it cannot become the document title.
    pub(super) body_before_first_section: bool,
    /// Adornment styles in order of first appearance (docutils' memo).
    pub(super) title_styles: Vec<Style>,
    /// Level of the current section (0 before the first).
    pub(super) section_level: usize,
    pub(super) links: Vec<Link>,
    pub(super) comments: Vec<Comment>,
    pub(super) tables: Vec<Table>,
}

impl<'a> Parser<'a> {
    pub(super) fn new(src: &'a str) -> Self {
        Parser {
            src,
            lines: split_lines(src),
            root: Ctx::new(0, 0),
            stack: Vec::new(),
            item: None,
            sections: Vec::new(),
            pre_paragraphs: Vec::new(),
            body_before_first_section: false,
            title_styles: Vec::new(),
            section_level: 0,
            links: Vec::new(),
            comments: Vec::new(),
            tables: Vec::new(),
        }
    }

    pub(super) fn run(mut self) -> Document {
        let mut i = 0;
        while i < self.lines.len() {
            i = self.step(i).max(i + 1);
        }
        self.leave_contexts(0);
        self.finish()
    }

    // -- small accessors ---------------------------------------------------

    pub(super) fn line(&self, i: usize) -> Option<Line> {
        self.lines.get(i).copied()
    }

    /// The line's text after its indentation.
    pub(super) fn content(&self, line: &Line) -> &'a str {
        self.src.get(line.text..line.end).unwrap_or("")
    }

    pub(super) fn text_from(&self, line: &Line, from: usize) -> &'a str {
        self.src.get(from..line.end).unwrap_or("")
    }

    pub(super) fn at_root(&self) -> bool {
        self.stack.is_empty()
    }

    pub(super) fn top(&self) -> &Ctx {
        self.stack.last().unwrap_or(&self.root)
    }

    pub(super) fn top_mut(&mut self) -> &mut Ctx {
        match self.stack.last_mut() {
            Some(ctx) => ctx,
            None => &mut self.root,
        }
    }

    /// Position of byte `byte` on line `i`, counting characters.
    pub(super) fn pos(&self, i: usize, byte: usize) -> Pos {
        let column = match self.line(i) {
            Some(line) if byte <= line.text => byte.saturating_sub(line.start),
            Some(line) => {
                (line.text - line.start)
                    + self
                        .src
                        .get(line.text..byte)
                        .map_or(0, |s| s.chars().count())
            }
            None => 0,
        };
        Pos::new(to_u32(i + 1), to_u32(column + 1))
    }

    /// Expanded column of byte `to`, given that byte `from` (on the same
    /// line, before `to`) sits at column `from_col`. Measuring from a known
    /// point rather than the line start keeps long lines linear.
    pub(super) fn col_after(&self, from: usize, from_col: usize, to: usize) -> usize {
        let between = self.src.get(from..to).unwrap_or("");
        between.bytes().fold(from_col, |col, b| {
            // Continuation bytes of a multi-byte character take no column.
            if b & 0xC0 == 0x80 {
                col
            } else {
                next_col(col, b)
            }
        })
    }

    /// The byte and column after the white space at `byte` on `line`.
    pub(super) fn skip_space(
        &self,
        line: &Line,
        mut byte: usize,
        mut col: usize,
    ) -> (usize, usize) {
        let bytes = self.src.as_bytes();
        while byte < line.end {
            match bytes.get(byte) {
                Some(&b) if is_space(b) => {
                    col = next_col(col, b);
                    byte += 1;
                }
                _ => break,
            }
        }
        (byte, col)
    }

    // -- bookkeeping ---------------------------------------------------------

    /// Records that line `i` was consumed: it extends the current section
    /// and the open top-level item, whose text it joins when `visible`
    /// (comments and targets are not part of an item's text).
    pub(super) fn note(&mut self, i: usize, visible: bool) {
        let Some(line) = self.line(i) else { return };
        if line.is_blank() {
            return;
        }
        let line_no = to_u32(i + 1);
        if let Some(section) = self.sections.last_mut() {
            section.end_line = line_no;
        }
        let Some(first_line) = self.item.as_ref().map(|item| item.first_line) else {
            return;
        };
        let from = match &self.item {
            Some(item) if i == first_line => item.text_from,
            _ => line.text,
        };
        let text = self.text_from(&line, from).trim();
        let needs_pos = self
            .item
            .as_ref()
            .is_some_and(|item| item.text.is_empty() && i != first_line);
        let pos = (needs_pos && !text.is_empty() && visible).then(|| self.pos(i, from));
        if let Some(item) = &mut self.item {
            item.end_line = line_no;
            if visible {
                if let Some(pos) = pos {
                    item.pos = pos;
                }
                item.push(text);
            }
        }
    }

    pub(super) fn note_range(&mut self, from: usize, to: usize, visible: bool) {
        for k in from..to {
            self.note(k, visible);
        }
    }

    /// Records a block that starts at the section level.
    pub(super) fn root_block(&mut self, block: Block) {
        if !self.at_root() {
            return;
        }
        match self.sections.last_mut() {
            Some(section) => section.has_content |= block.is_content(),
            None => self.body_before_first_section |= !block.may_precede_title(),
        }
    }

    /// Closes every context that a line indented by `indent` leaves.
    pub(super) fn leave_contexts(&mut self, indent: usize) {
        while self.stack.last().is_some_and(|ctx| indent < ctx.threshold) {
            if self.stack.pop().is_some_and(|ctx| ctx.top_item) {
                self.finish_item();
            }
        }
    }

    pub(super) fn finish_item(&mut self) {
        let Some(built) = self.item.take() else {
            return;
        };
        let item = Item {
            text: built.text,
            pos: built.pos,
            end_line: built.end_line,
            marker: built.marker,
        };
        if let Some(section) = self.sections.last_mut() {
            if item.marker == ItemMarker::Paragraph {
                section.loose.push(Loose {
                    item,
                    is_paragraph: false,
                });
            } else {
                section.list_items.push(item);
            }
        }
    }

    pub(super) fn start_item(&mut self, i: usize, text_from: usize, marker: ItemMarker) {
        self.item = Some(ItemBuilder {
            text: String::new(),
            pos: self.pos(i, text_from),
            first_line: i,
            text_from,
            end_line: to_u32(i + 1),
            marker,
        });
    }

    // -- the main loop -----------------------------------------------------

    /// Handles the line `i`, returning the next line to read.
    pub(super) fn step(&mut self, i: usize) -> usize {
        let Some(line) = self.line(i) else {
            return i + 1;
        };
        if line.is_blank() {
            return i + 1;
        }
        self.leave_contexts(line.indent);
        let ctx = self.top_mut();
        // Also sets an `UNKNOWN` base.
        ctx.base = ctx.base.min(line.indent);
        if line.indent > ctx.base {
            let threshold = ctx.base + 1;
            ctx.last_enum = None;
            self.root_block(Block::Content);
            self.stack.push(Ctx::new(threshold, line.indent));
        }
        self.block_start(i, line.text, line.indent, false)
    }

    /// Reads the block that starts on line `i` at byte `s` (column `col`).
    /// `first_known` marks text that follows a field name or directive
    /// marker, whose context takes its indentation from the lines below.
    /// Iterative, so `- - - - x` nests without recursion.
    pub(super) fn block_start(
        &mut self,
        i: usize,
        mut s: usize,
        mut col: usize,
        mut first_known: bool,
    ) -> usize {
        loop {
            match self.dispatch(i, s, col, first_known) {
                Flow::Done(next) => return next,
                Flow::Rest {
                    s: rest_byte,
                    col: rest_col,
                    first_known: known,
                } => {
                    s = rest_byte;
                    col = rest_col;
                    first_known = known;
                }
            }
        }
    }

    /// Recognises a block by its first line, in docutils' order.
    pub(super) fn dispatch(&mut self, i: usize, s: usize, col: usize, first_known: bool) -> Flow {
        let Some(line) = self.line(i) else {
            return Flow::Done(i + 1);
        };
        let rest = self.text_from(&line, s);
        let previous_enum = self.top_mut().last_enum.take();
        if let Some(len) = bullet_len(rest) {
            return self.list_item(i, s, col, len, ItemMarker::Bullet);
        }
        if let Some(e) = self.list_enumerator(i, rest, col, previous_enum) {
            self.top_mut().last_enum = Some(e);
            return self.list_item(i, s, col, e.len, ItemMarker::Enumerated);
        }
        if let Some(len) = field_marker_len(rest) {
            return self.opened_body(i, s, col, s + len, Block::Content);
        }
        if simple_marker(rest, ">>>") {
            return self.doctest(i);
        }
        if simple_marker(rest, "|") {
            return self.line_block(i, s, col);
        }
        if is_grid_border(rest) {
            return self.grid_table(i, s, col);
        }
        if is_simple_table_top(rest) {
            return self.simple_table(i, s, col);
        }
        if explicit_markup(rest) {
            return self.explicit_markup(i, s, col);
        }
        if simple_marker(rest, "__") {
            return self.invisible_block(i, col, true);
        }
        if is_adornment(rest)
            && let Some(flow) = self.adornment_line(i, s, col, first_known)
        {
            return flow;
        }
        self.text_block(i, s, col, first_known)
    }

    // -- lists -----------------------------------------------------------

    /// An enumerator that docutils accepts as a list item: the next line
    /// must be blank, indented, or start the next item. An enumerator that
    /// continues the previous item's list is read in that list's sequence.
    pub(super) fn list_enumerator(
        &self,
        i: usize,
        rest: &str,
        col: usize,
        previous: Option<Enumerator>,
    ) -> Option<Enumerator> {
        if let Some(prev) = previous
            && let Some(e) = Enumerator::parse(rest, Some(prev.sequence))
            && prev.is_followed_by(&e)
            && self.enumerator_is_item(i, col, &e)
        {
            return Some(e);
        }
        let e = Enumerator::parse(rest, None)?;
        self.enumerator_is_item(i, col, &e).then_some(e)
    }

    /// docutils' `is_enumerated_list_item`, which keeps sentences such as
    /// "A. Einstein was…" from becoming lists.
    pub(super) fn enumerator_is_item(&self, i: usize, col: usize, e: &Enumerator) -> bool {
        if e.ordinal.is_none() {
            return false;
        }
        let Some(next) = self.line(i + 1) else {
            return true;
        };
        if next.is_blank() || next.indent > col || next.indent < self.top().threshold {
            return true;
        }
        let Some((expected, auto)) = e.successors() else {
            return false;
        };
        let content = self.content(&next);
        [expected, auto].iter().any(|marker| {
            content
                .strip_prefix(marker.as_str())
                .is_some_and(|after| after.bytes().next().is_some_and(is_space))
        })
    }

    /// Opens a list item; a top-level one starts collecting an [`Item`].
    pub(super) fn list_item(
        &mut self,
        i: usize,
        s: usize,
        col: usize,
        marker_len: usize,
        marker: ItemMarker,
    ) -> Flow {
        let Some(line) = self.line(i) else {
            return Flow::Done(i + 1);
        };
        let marker_cols = self
            .text_from(&line, s)
            .get(..marker_len)
            .map_or(1, |m| m.chars().count());
        let (text_byte, text_col) = self.skip_space(&line, s + marker_len, col + marker_cols);
        let has_text = text_byte < line.end;
        let top_item = self.at_root();
        if top_item {
            self.root_block(Block::Content);
            self.start_item(i, text_byte, marker);
        }
        // With text after the marker, docutils requires the item's other
        // lines to be indented to that text ("known indent"); without, any
        // indentation will do and the first indented line sets it.
        let mut ctx = if has_text {
            Ctx::new(text_col, text_col)
        } else {
            Ctx::new(col + 1, UNKNOWN)
        };
        ctx.top_item = top_item;
        self.stack.push(ctx);
        if has_text {
            Flow::Rest {
                s: text_byte,
                col: text_col,
                first_known: false,
            }
        } else {
            self.note(i, true);
            Flow::Done(i + 1)
        }
    }

    /// Opens a body (field body, footnote, directive content) for a marker
    /// at byte `s`, column `col`; its first block may follow the marker on
    /// the same line, at byte `after`. Its other lines are those indented
    /// past `col`.
    pub(super) fn opened_body(
        &mut self,
        i: usize,
        s: usize,
        col: usize,
        after: usize,
        block: Block,
    ) -> Flow {
        let Some(line) = self.line(i) else {
            return Flow::Done(i + 1);
        };
        let after_col = self.col_after(s, col, after);
        let (text_byte, text_col) = self.skip_space(&line, after, after_col);
        self.root_block(block);
        self.stack.push(Ctx::new(col + 1, UNKNOWN));
        if text_byte < line.end {
            Flow::Rest {
                s: text_byte,
                col: text_col,
                first_known: true,
            }
        } else {
            self.note(i, true);
            Flow::Done(i + 1)
        }
    }

    // -- simple line-oriented blocks -----------------------------------------

    /// A doctest block: everything up to the next blank line.
    pub(super) fn doctest(&mut self, i: usize) -> Flow {
        let threshold = self.top().threshold;
        let mut k = i + 1;
        while self
            .line(k)
            .is_some_and(|l| !l.is_blank() && l.indent >= threshold)
        {
            k += 1;
        }
        self.root_block(Block::Content);
        self.note_range(i, k, true);
        Flow::Done(k)
    }

    /// A line block (`| text`) with its continuation lines.
    pub(super) fn line_block(&mut self, i: usize, s: usize, col: usize) -> Flow {
        let mut k = i + 1;
        while let Some(l) = self.line(k) {
            let continues = !l.is_blank()
                && (l.indent > col || (l.indent == col && simple_marker(self.content(&l), "|")));
            if !continues {
                break;
            }
            k += 1;
        }
        self.root_block(Block::Content);
        self.note_range(i, k, true);
        self.scan_roles(i, s, k);
        Flow::Done(k)
    }

    // -- titles and transitions ---------------------------------------------

    /// Whether a title may start here: only at the section level.
    pub(super) fn titles_allowed(&self, col: usize, first_known: bool) -> bool {
        self.at_root() && col == 0 && !first_known
    }

    /// Scans lines `first..end` for `:doc:` roles, the first from byte
    /// `from`; a blank line ends a block of text.
    pub(super) fn scan_roles(&mut self, first: usize, from: usize, end: usize) {
        let mut scanner = RoleScanner::default();
        for k in first..end {
            let Some(line) = self.line(k) else { break };
            if line.is_blank() {
                scanner = RoleScanner::default();
                continue;
            }
            let start = if k == first { from } else { line.text };
            scanner.feed(self.src, k, &line, start, &mut self.links);
        }
    }

    // -- the result --------------------------------------------------------

    /// docutils' `DocTitle` transform: a lone top-level section preceded by
    /// nothing but comments and targets becomes the document title.
    pub(super) fn finish(self) -> Document {
        let promote = !self.body_before_first_section
            && self.sections.first().is_some_and(|s| s.level == 1)
            && !self.sections.iter().skip(1).any(|s| s.level == 1);
        let mut builders = self.sections.into_iter();
        let (title, preamble, shift) = match promote.then(|| builders.next()).flatten() {
            Some(title) => (Some(title.heading.clone()), title.into_preamble(), 1),
            None => (None, self.pre_paragraphs, 0),
        };
        Document {
            title,
            preamble,
            sections: builders.map(|b| b.finish(shift)).collect(),
            links: self.links,
            comments: self.comments,
            tables: self.tables,
            line_count: to_u32(self.lines.len()),
        }
    }
}

/// `::` at the end of a paragraph, not escaped by a backslash.
pub(super) fn ends_with_literal_marker(last_line: &str) -> bool {
    let t = last_line.trim_end();
    let Some(before) = t.strip_suffix("::") else {
        return false;
    };
    let backslashes = before.len() - before.trim_end_matches('\\').len();
    backslashes % 2 == 0
}
