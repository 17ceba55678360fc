//! Small scanners over the source: list markers, heading text, code spans
//! and link destinations as written.

use super::*;

/// The content of a code span outside containers as CommonMark defines it:
/// line endings as spaces, one space stripped from both ends.
pub(super) fn code_span_text(span: &str) -> String {
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
pub(super) fn marker_end(text: &str, start: usize, end: usize) -> usize {
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
pub(super) fn atx_text_start(text: &str, range: Range<usize>) -> usize {
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
pub(super) fn leading_blanks(text: &str, from: usize) -> usize {
    text.as_bytes()
        .get(from..)
        .unwrap_or_default()
        .iter()
        .take_while(|&&b| b == b' ' || b == b'\t')
        .count()
}

pub(super) fn heading_level(level: HeadingLevel) -> u8 {
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
pub(super) fn inline_destination(text: &str, tail: Range<usize>) -> Option<usize> {
    let rest = text.get(tail.clone())?;
    let close = rest.find(']')?;
    let after = rest.get(close + 1..)?.strip_prefix('(')?;
    let dest = after.trim_start();
    let dest = dest.strip_prefix('<').unwrap_or(dest);
    Some(tail.end - dest.len())
}

/// The start of the destination in a link reference definition
/// (`[label]: <dest> "title"`) spanning `span`.
pub(super) fn definition_destination(text: &str, span: Range<usize>) -> usize {
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
pub(super) fn collapse_white_space(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether a destination points to a local file: no scheme, no `//host`,
/// not a fragment of this document.
pub(super) fn is_relative(dest: &str) -> bool {
    let dest = dest.trim();
    !(dest.is_empty()
        || dest.starts_with('#')
        || dest.starts_with('?')
        || dest.starts_with("//")
        || has_scheme(dest))
}

/// `scheme:` as RFC 3986 spells it: a letter, then letters, digits, `+`,
/// `-` or `.`.
pub(super) fn has_scheme(dest: &str) -> bool {
    let Some((scheme, _)) = dest.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// The target of a relative destination: no `#fragment` or `?query`,
/// percent-decoded when that gives valid UTF-8.
pub(super) fn link_target(dest: &str) -> String {
    let dest = dest.trim();
    let end = dest.find(['#', '?']).unwrap_or(dest.len());
    percent_decode(dest.get(..end).unwrap_or(dest))
}

pub(super) fn percent_decode(text: &str) -> String {
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

pub(super) fn hex_byte(pair: &[u8]) -> Option<u8> {
    let digits = std::str::from_utf8(pair).ok()?;
    u8::from_str_radix(digits, 16).ok()
}

/// `title <target>` gives `target`; anything else is the target itself.
pub(super) fn angle_bracket_target(role: &str) -> &str {
    let role = role.trim();
    role.strip_suffix('>')
        .and_then(|inner| inner.rsplit_once('<'))
        .map_or(role, |(_, target)| target)
}
