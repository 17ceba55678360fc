//! Section titles: adornment lines, overlined and underlined titles, and
//! the order of adornment styles that gives each its level.

use super::*;

impl<'a> Parser<'a> {
    /// A line of repeated punctuation at a block start: an overline, a
    /// transition, or (when `None` is returned) ordinary text, following
    /// docutils' `Line` state.
    pub(super) fn adornment_line(
        &mut self,
        i: usize,
        s: usize,
        col: usize,
        first_known: bool,
    ) -> Option<Flow> {
        let line = self.line(i)?;
        let over = trim_space_end(self.text_from(&line, s));
        let short = over.len() < 4;
        if !self.titles_allowed(col, first_known) {
            // Inside a list, quote or directive docutils reports an
            // unexpected title or transition; short lines are text.
            if short || over == "::" {
                return None;
            }
            self.note(i, true);
            return Some(Flow::Done(i + 1));
        }
        let next = self.line(i + 1).filter(|l| !l.is_blank());
        let Some(next) = next else {
            if short {
                return None;
            }
            self.root_block(Block::Transition);
            self.note(i, true);
            return Some(Flow::Done(i + 1));
        };
        if next.indent == 0 && is_adornment(self.content(&next)) {
            // Two adornment lines in a row: invalid title or transition.
            if short {
                return None;
            }
            return Some(self.malformed(i, i + 2));
        }
        self.overlined_title(i, over, next, short)
    }

    /// Overline, title, underline; the over- and underline must match.
    pub(super) fn overlined_title(
        &mut self,
        i: usize,
        over: &str,
        title_line: Line,
        short: bool,
    ) -> Option<Flow> {
        let Some(under) = self.line(i + 2) else {
            return if short {
                None
            } else {
                Some(self.malformed(i, i + 2))
            };
        };
        let under_text = trim_space_end(self.content(&under));
        let matches = !under.is_blank()
            && under.indent == 0
            && is_adornment(under_text)
            && under_text == over;
        if !matches {
            return if short {
                None
            } else {
                Some(self.malformed(i, i + 3))
            };
        }
        let title = self.content(&title_line).trim_end();
        // docutils measures the title line with its indentation (an
        // overlined title may be indented; the text is stripped later).
        if short && title_line.indent + column_width(title) > over.len() {
            return None;
        }
        let style = Style {
            ch: over.as_bytes().first().copied().unwrap_or(b'='),
            overline: true,
        };
        self.section_title(i + 1, title_line.text, title, style, i + 2);
        Some(Flow::Done(i + 3))
    }

    /// Text followed by an underline at the section level.
    pub(super) fn underlined_title(&mut self, i: usize, s: usize, under: &Line) -> Option<Flow> {
        let line = self.line(i)?;
        let title = self.text_from(&line, s).trim_end();
        let under_text = trim_space_end(self.content(under));
        if column_width(title) > under_text.len() && under_text.len() < 4 {
            return None;
        }
        let style = Style {
            ch: under_text.as_bytes().first().copied().unwrap_or(b'='),
            overline: false,
        };
        self.section_title(i, s, title, style, i + 1);
        Some(Flow::Done(i + 2))
    }

    /// Lines docutils reports as an error; they count as content.
    pub(super) fn malformed(&mut self, from: usize, to: usize) -> Flow {
        let to = to.min(self.lines.len());
        self.root_block(Block::Error);
        self.note_range(from, to, true);
        Flow::Done(to)
    }

    /// Starts a section if the style fits docutils' nesting rules; a title
    /// whose level is inconsistent is an error there and content here.
    pub(super) fn section_title(
        &mut self,
        title_line: usize,
        text_byte: usize,
        title: &str,
        style: Style,
        underline: usize,
    ) {
        let first = if style.overline {
            title_line - 1
        } else {
            title_line
        };
        let Some(level) = self.register_style(style) else {
            self.malformed(first, underline + 1);
            return;
        };
        let heading = Heading {
            text: title.trim().to_string(),
            pos: self.pos(title_line, text_byte),
            level: u8::try_from(level).unwrap_or(u8::MAX),
        };
        self.scan_roles(title_line, text_byte, title_line + 1);
        self.sections.push(SectionBuilder {
            heading,
            level,
            list_items: Vec::new(),
            loose: Vec::new(),
            has_content: false,
            end_line: to_u32(underline + 1),
        });
    }

    /// docutils' `check_subsection`: a known style may close sections or
    /// open one level deeper; a new style only one level below the deepest.
    pub(super) fn register_style(&mut self, style: Style) -> Option<usize> {
        let level = match self.title_styles.iter().position(|s| *s == style) {
            Some(k) if k < self.section_level + 1 => k + 1,
            Some(_) => return None,
            None if self.title_styles.len() == self.section_level => {
                self.title_styles.push(style);
                self.title_styles.len()
            }
            None => return None,
        };
        self.section_level = level;
        Some(level)
    }

    // -- paragraphs --------------------------------------------------------
}
