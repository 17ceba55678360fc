//! Explicit markup: directives (and the links some of them make),
//! substitution definitions, comments and invisible blocks.

use super::*;

impl<'a> Parser<'a> {
    /// `..` blocks: footnotes, targets, substitutions, directives, comments.
    pub(super) fn explicit_markup(&mut self, i: usize, s: usize, col: usize) -> Flow {
        let Some(line) = self.line(i) else {
            return Flow::Done(i + 1);
        };
        let (after, _) = self.skip_space(&line, s + 2, col + 2);
        let rest = self.text_from(&line, after);
        if let Some(len) = footnote_label_len(rest) {
            return self.opened_body(i, s, col, after + len, Block::Content);
        }
        if starts_with_tight(rest, '_') {
            return self.invisible_block(i, col, true);
        }
        if starts_with_tight(rest, '|') {
            return self.substitution(i, col, after);
        }
        if let Some((name_len, args)) = directive_marker(rest) {
            let name = rest.get(..name_len).unwrap_or("");
            return self.directive(i, s, col, after, name, args);
        }
        self.comment(i, col, after)
    }

    /// End of an indented block that starts on line `i` at column `col`:
    /// the following lines that are blank or indented further.
    pub(super) fn indented_block_end(&self, i: usize, col: usize, until_blank: bool) -> usize {
        let mut k = i + 1;
        while let Some(l) = self.line(k) {
            if l.is_blank() {
                if until_blank {
                    break;
                }
            } else if l.indent <= col {
                break;
            }
            k += 1;
        }
        k
    }

    /// Hyperlink targets (`.. _x: url`, `__ url`): invisible, not content.
    pub(super) fn invisible_block(&mut self, i: usize, col: usize, until_blank: bool) -> Flow {
        let end = self.indented_block_end(i, col, until_blank);
        self.root_block(Block::Invisible);
        self.note_range(i, end, false);
        Flow::Done(end)
    }

    /// `.. |name| directive:: args`: invisible, but an image in it is a link.
    /// `.. |name| replace:: text` parses its text as inline markup, so a
    /// `:doc:` role in it is a link too.
    pub(super) fn substitution(&mut self, i: usize, col: usize, after: usize) -> Flow {
        let mut replacement = None;
        if let Some(line) = self.line(i) {
            let rest = self.text_from(&line, after);
            if let Some(start) = substitution_directive_start(rest)
                && let Some(directive) = rest.get(start..)
                && let Some((name_len, args)) = directive_marker(directive)
                && let Some(name) = directive.get(..name_len)
            {
                let args_at = after + start + args;
                if name.eq_ignore_ascii_case("image") {
                    self.directive_link(i, col, args_at, LinkKind::Image);
                } else if name.eq_ignore_ascii_case("replace") {
                    replacement = Some(args_at);
                }
            }
        }
        let flow = self.invisible_block(i, col, false);
        if let (Some(from), Flow::Done(end)) = (replacement, &flow) {
            self.scan_roles(i, from, *end);
        }
        flow
    }

    /// A directive at byte `s`, column `col`; its name starts at `after` and
    /// its arguments `args` bytes later.
    pub(super) fn directive(
        &mut self,
        i: usize,
        s: usize,
        col: usize,
        after: usize,
        name: &str,
        args: usize,
    ) -> Flow {
        let args_at = after + args;
        let mut block = if directive_is_silent(name) {
            Block::Silent
        } else {
            Block::Content
        };
        if let Some(kind) = directive_link_kind(name)
            && !self.directive_link(i, col, args_at, kind)
        {
            // docutils rejects these directives without their argument.
            block = Block::Error;
        }
        match directive_body(name) {
            BodyKind::Rst if directive_has_argument(name) => {
                // As in docutils, the argument (a figure's path, a topic's
                // title) runs from the marker to the first blank line, and
                // options start at the first field marker in it; neither
                // is content, but roles in the argument count. The content
                // starts after the blank line.
                self.root_block(block);
                let mut end = i + 1;
                let mut options_at = None;
                while let Some(l) = self.line(end).filter(|l| !l.is_blank() && l.indent > col) {
                    if options_at.is_none() && field_marker_len(self.content(&l)).is_some() {
                        options_at = Some(end);
                    }
                    end += 1;
                }
                self.note_range(i, end, true);
                self.scan_roles(i, args_at, options_at.unwrap_or(end));
                self.stack.push(Ctx::new(col + 1, UNKNOWN));
                Flow::Done(end)
            }
            BodyKind::Rst => self.opened_body(i, s, col, args_at, block),
            kind => {
                let end = self.indented_block_end(i, col, false);
                self.root_block(block);
                self.note_range(i, end, true);
                if kind == BodyKind::Inline {
                    self.scan_roles(i, args_at, end);
                }
                Flow::Done(end)
            }
        }
    }

    /// Records the link a directive's argument makes. As in docutils, the
    /// argument may start on the next line and continue until a blank
    /// line or an option; its lines are joined without white space. `false`
    /// when there is no argument.
    pub(super) fn directive_link(
        &mut self,
        i: usize,
        col: usize,
        args_at: usize,
        kind: LinkKind,
    ) -> bool {
        let Some(line) = self.line(i) else {
            return false;
        };
        let (args_at, _) = self.skip_space(&line, args_at, 0);
        let is_arg_line = |p: &Self, l: &Line| {
            !l.is_blank() && l.indent > col && field_marker_len(p.content(l)).is_none()
        };
        let first = self.text_from(&line, args_at).trim_end();
        let (start_line, start_byte, mut target) = if !first.is_empty() {
            (i, args_at, first.to_string())
        } else {
            match self.line(i + 1) {
                Some(next) if is_arg_line(self, &next) => {
                    (i + 1, next.text, self.content(&next).trim_end().to_string())
                }
                _ => return false,
            }
        };
        let mut k = start_line + 1;
        while let Some(l) = self.line(k).filter(|l| is_arg_line(self, l)) {
            target.push_str(self.content(&l).trim_end());
            k += 1;
        }
        let pos = self.pos(start_line, start_byte);
        let target = match kind {
            LinkKind::Image | LinkKind::Figure => uri(&target),
            _ => target,
        };
        self.links.push(Link { kind, target, pos });
        true
    }

    /// A comment with its indented continuation; `..` alone followed by a
    /// blank line is an empty comment that does not take the block below.
    pub(super) fn comment(&mut self, i: usize, col: usize, after: usize) -> Flow {
        let Some(line) = self.line(i) else {
            return Flow::Done(i + 1);
        };
        let first = self.text_from(&line, after).trim();
        self.root_block(Block::Comment);
        if first.is_empty() && self.line(i + 1).is_none_or(|l| l.is_blank()) {
            self.note(i, false);
            return Flow::Done(i + 1);
        }
        let end = self.indented_block_end(i, col, false);
        let mut text = String::from(first);
        let mut pos = (!first.is_empty()).then(|| self.pos(i, after));
        let mut last = i;
        let mut blank_run = 0;
        for k in i + 1..end {
            let Some(l) = self.line(k) else { break };
            if l.is_blank() {
                blank_run += 1;
                continue;
            }
            if !text.is_empty() {
                text.extend(std::iter::repeat_n('\n', blank_run + 1));
            }
            blank_run = 0;
            text.push_str(self.content(&l).trim_end());
            pos.get_or_insert_with(|| self.pos(k, l.text));
            last = k;
        }
        if let Some(pos) = pos {
            self.comments.push(Comment {
                text,
                pos,
                end_line: to_u32(last + 1),
            });
        }
        self.note_range(i, end, false);
        Flow::Done(end)
    }

    // -- tables ------------------------------------------------------------
}
