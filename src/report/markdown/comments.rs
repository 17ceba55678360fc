//! HTML comments (`<!-- … -->`) found in HTML fed piece by piece.

use super::*;

/// Finds `<!-- … -->` in HTML fed piece by piece (a comment may span the
/// lines of an HTML block).
#[derive(Default)]
pub(super) struct CommentScanner {
    open: Option<FoundComment>,
    found: Vec<FoundComment>,
    /// Whether anything but white space appeared outside comments.
    pub(super) other_html: bool,
}

/// A comment's text and where it starts (its first non-white-space
/// character) and ends (its `-->`) in the source.
pub(super) struct FoundComment {
    pub(super) body: String,
    pub(super) start: usize,
    started: bool,
    pub(super) end: usize,
}

impl CommentScanner {
    pub(super) fn feed(&mut self, html: &str, origin: Origin) {
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

    pub(super) fn take_found(&mut self) -> Vec<FoundComment> {
        std::mem::take(&mut self.found)
    }

    /// Ends the open comment, if any, at source offset `end`; at the end of
    /// an HTML block, an unclosed comment ends with it.
    pub(super) fn close(&mut self, end: usize) {
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
