//! Lines of the source: where each starts, its indentation in columns
//! (tabs to the next multiple of eight, as docutils), and the column
//! arithmetic the other parts share.

/// One source line, located by byte offsets into the whole text so that no
/// line is ever copied.
#[derive(Clone, Copy, Debug)]
pub(super) struct Line {
    /// Byte offset of the line's first character.
    pub(super) start: usize,
    /// Byte offset of the first non-white-space character (`end` if blank).
    pub(super) text: usize,
    /// Byte offset just past the line's last non-white-space character.
    pub(super) end: usize,
    /// Column of `text` with tabs expanded to 8-column stops, as docutils
    /// expands them before parsing.
    pub(super) indent: usize,
}

impl Line {
    pub(super) fn is_blank(&self) -> bool {
        self.text >= self.end
    }
}

/// Splits `src` into lines; a trailing `\r` is part of the line end, so CRLF
/// input gets the same lines (and line numbers) as LF input.
pub(super) fn split_lines(src: &str) -> Vec<Line> {
    let mut lines = Vec::with_capacity(src.len() / 40 + 1);
    let mut start = 0;
    while start < src.len() {
        let rest = src.get(start..).unwrap_or("");
        let (mut end, next) = match rest.find('\n') {
            Some(k) => (start + k, start + k + 1),
            None => (src.len(), src.len()),
        };
        if end > start && src.as_bytes().get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        lines.push(measure_line(src, start, end));
        start = next;
    }
    lines
}

pub(super) fn measure_line(src: &str, start: usize, end: usize) -> Line {
    let bytes = src.as_bytes();
    let mut text = start;
    let mut indent = 0;
    while let Some(&b) = bytes.get(text).filter(|_| text < end) {
        if !is_space(b) {
            break;
        }
        indent = next_col(indent, b);
        text += 1;
    }
    // Trailing white space never matters (docutils strips it wherever it
    // looks), and dropping it here keeps every later check on the line
    // constant-time. A line is blank when `str.strip()` would leave nothing,
    // which includes Unicode white space such as a no-break space.
    let rest = src.get(text..end).unwrap_or("");
    let end = text + rest.trim_end().len();
    if end == text {
        text = end;
    }
    Line {
        start,
        text,
        end,
        indent,
    }
}

/// White space that counts as indentation (docutils turns `\v` and `\f`
/// into spaces and expands tabs).
pub(super) fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | 0x0b | 0x0c)
}

pub(super) fn is_space_char(c: char) -> bool {
    c.is_ascii() && is_space(c as u8)
}

/// The column after `b` when `b` sits at `col`.
pub(super) fn next_col(col: usize, b: u8) -> usize {
    if b == b'\t' {
        (col / 8 + 1) * 8
    } else {
        col + 1
    }
}

pub(super) fn trim_space_end(s: &str) -> &str {
    s.trim_end_matches(is_space_char)
}

/// Whether the byte at `at` is white space or past the end: the `( +|$)`
/// that follows every docutils block marker.
pub(super) fn space_or_end_at(s: &str, at: usize) -> bool {
    s.as_bytes().get(at).is_none_or(|&b| is_space(b))
}

/// Display width of a title, as docutils' `column_width`: combining marks
/// take no column and East Asian wide characters take two.
pub(super) fn column_width(s: &str) -> usize {
    s.chars()
        .map(|c| match u32::from(c) {
            0x0300..=0x036F
            | 0x1AB0..=0x1AFF
            | 0x1DC0..=0x1DFF
            | 0x20D0..=0x20FF
            | 0xFE20..=0xFE2F => 0,
            0x1100..=0x115F
            | 0x2E80..=0xA4CF
            | 0xAC00..=0xD7A3
            | 0xF900..=0xFAFF
            | 0xFE30..=0xFE4F
            | 0xFF00..=0xFF60
            | 0xFFE0..=0xFFE6
            | 0x20000..=0x3FFFD => 2,
            _ => 1,
        })
        .sum()
}
