//! Text blocks: paragraphs (and the byline among them), definition items
//! and literal blocks.

use super::*;

impl<'a> Parser<'a> {
    /// A text line: title, definition list item or paragraph, decided by the
    /// line below it (docutils' `Text` state).
    pub(super) fn text_block(&mut self, i: usize, s: usize, col: usize, first_known: bool) -> Flow {
        let threshold = self.top().threshold;
        if let Some(next) = self
            .line(i + 1)
            .filter(|l| !l.is_blank() && l.indent >= threshold)
        {
            if !first_known && next.indent > col {
                return self.definition_item(i, s, col);
            }
            if self.titles_allowed(col, first_known)
                && next.indent == 0
                && is_adornment(self.content(&next))
                && let Some(flow) = self.underlined_title(i, s, &next)
            {
                return flow;
            }
            if !self.titles_allowed(col, first_known)
                && (first_known || next.indent == col)
                && is_adornment(self.content(&next))
                && let Some(line) = self.line(i)
            {
                // A title inside a list item, quote or directive: docutils
                // reports an unexpected section title and shows both lines
                // as an error (no paragraph, no inline markup), unless the
                // underline is too short to be one.
                let title = column_width(self.text_from(&line, s).trim_end());
                let under = trim_space_end(self.content(&next)).len();
                if title <= under || under >= 4 {
                    return self.malformed(i, i + 2);
                }
            }
        }
        self.paragraph(i, s, col, first_known)
    }

    /// A term with its indented definition.
    pub(super) fn definition_item(&mut self, i: usize, s: usize, col: usize) -> Flow {
        let top_item = self.at_root();
        if top_item {
            self.root_block(Block::Content);
            self.start_item(i, s, ItemMarker::Paragraph);
        }
        self.note(i, true);
        self.scan_roles(i, s, i + 1);
        let mut ctx = Ctx::new(col + 1, UNKNOWN);
        ctx.top_item = top_item;
        self.stack.push(ctx);
        Flow::Done(i + 1)
    }

    /// Lines at the same indentation up to a blank line. A paragraph ending
    /// in `::` introduces a literal block.
    pub(super) fn paragraph(&mut self, i: usize, s: usize, col: usize, first_known: bool) -> Flow {
        let threshold = self.top().threshold;
        let mut indent = col;
        let mut relaxed = first_known;
        let mut end = i + 1;
        while let Some(l) = self.line(end) {
            if l.is_blank() || l.indent < threshold {
                break;
            }
            if relaxed {
                // The marker line's text sits wherever the marker leaves it;
                // the next line sets the body's real indentation.
                indent = l.indent;
                relaxed = false;
                let ctx = self.top_mut();
                ctx.base = ctx.base.min(indent);
            } else if l.indent != indent {
                break;
            }
            end += 1;
        }
        self.note_range(i, end, true);
        self.scan_roles(i, s, end);
        if self.at_root() {
            self.root_block(Block::Content);
            self.root_paragraph(i, s, end);
        }
        let last = self.line(end - 1).map_or("", |l| self.content(&l));
        if ends_with_literal_marker(last) {
            return Flow::Done(self.literal_block(end));
        }
        Flow::Done(end)
    }

    pub(super) fn root_paragraph(&mut self, i: usize, s: usize, end: usize) {
        let mut text = String::new();
        for k in i..end {
            let Some(line) = self.line(k) else { break };
            let from = if k == i { s } else { line.text };
            let piece = self.text_from(&line, from).trim();
            if !text.is_empty() && !piece.is_empty() {
                text.push(' ');
            }
            text.push_str(piece);
        }
        if text == "::" {
            return; // docutils makes no paragraph of a lone `::`
        }
        let paragraph = Paragraph {
            text,
            pos: self.pos(i, s),
            end_line: to_u32(end),
        };
        match self.sections.last_mut() {
            Some(section) => section.loose.push(Loose {
                item: Item {
                    text: paragraph.text,
                    pos: paragraph.pos,
                    end_line: paragraph.end_line,
                    marker: ItemMarker::Paragraph,
                },
                is_paragraph: true,
            }),
            None => self.pre_paragraphs.push(paragraph),
        }
    }

    /// The literal block after a `::` paragraph, from line `from`: the
    /// following indented lines, or lines quoted with one punctuation
    /// character at the paragraph's own indentation.
    pub(super) fn literal_block(&mut self, from: usize) -> usize {
        let base = self.top().base;
        let mut k = from;
        if base != UNKNOWN {
            let mut last_text = None;
            while let Some(l) = self.line(k) {
                if !l.is_blank() {
                    if l.indent <= base {
                        break;
                    }
                    last_text = Some(k);
                }
                k += 1;
            }
            if last_text.is_some() {
                self.root_block(Block::Content);
                self.note_range(from, k, true);
                return k;
            }
        }
        self.quoted_literal_block(k)
    }

    pub(super) fn quoted_literal_block(&mut self, from: usize) -> usize {
        let mut k = from;
        while self.line(k).is_some_and(|l| l.is_blank()) {
            k += 1;
        }
        let Some(first) = self.line(k) else {
            return k;
        };
        let ctx = self.top_mut();
        if ctx.base == UNKNOWN {
            ctx.base = first.indent;
        }
        let base = ctx.base;
        let quote = self
            .content(&first)
            .bytes()
            .next()
            .filter(u8::is_ascii_punctuation);
        let Some(quote) = quote.filter(|_| first.indent == base) else {
            return from;
        };
        let start = k;
        while let Some(l) = self.line(k) {
            if l.is_blank()
                || l.indent != base
                || self.content(&l).as_bytes().first() != Some(&quote)
            {
                break;
            }
            k += 1;
        }
        self.root_block(Block::Content);
        self.note_range(start, k, true);
        k
    }

    // -- explicit markup -------------------------------------------------
}
