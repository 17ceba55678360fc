//! Block markers (docutils' `Body.patterns`), matched without regex: bullets,
//! field lists, explicit markup, adornments, table borders, directive and
//! footnote labels.

use super::*;

/// Length in bytes of a bullet (`-`, `*`, `+`, `•`, `‣`, `⁃`) at the start
/// of `rest`.
pub(super) fn bullet_len(rest: &str) -> Option<usize> {
    let c = rest.chars().next()?;
    if !matches!(c, '-' | '*' | '+' | '•' | '‣' | '⁃') {
        return None;
    }
    space_or_end_at(rest, c.len_utf8()).then_some(c.len_utf8())
}

/// Length of a field marker (`:name:`), per docutils'
/// `:(?![: ])([^:\\]|\\.|:(?!([ `]|$)))*(?<! ):( +|$)`.
pub(super) fn field_marker_len(rest: &str) -> Option<usize> {
    let bytes = rest.as_bytes();
    if bytes.first() != Some(&b':') {
        return None;
    }
    match bytes.get(1) {
        None | Some(b':') => return None,
        Some(&b) if is_space(b) => return None,
        _ => {}
    }
    let mut k = 1;
    while let Some(&b) = bytes.get(k) {
        match b {
            b'\\' => k += 2,
            b':' => match bytes.get(k + 1) {
                None => return closes_field(bytes, k),
                Some(&n) if is_space(n) => return closes_field(bytes, k),
                Some(b'`') => return None,
                _ => k += 1,
            },
            _ => k += 1,
        }
    }
    None
}

/// The `:` at `k` closes a field name unless white space precedes it.
pub(super) fn closes_field(bytes: &[u8], k: usize) -> Option<usize> {
    let before = bytes.get(k.wrapping_sub(1)).copied().unwrap_or(b' ');
    (!is_space(before)).then_some(k + 1)
}

/// `..` followed by white space or the line end.
pub(super) fn explicit_markup(rest: &str) -> bool {
    rest.starts_with("..") && space_or_end_at(rest, 2)
}

/// A marker made of `prefix` followed by white space or the line end.
pub(super) fn simple_marker(rest: &str, prefix: &str) -> bool {
    rest.starts_with(prefix) && space_or_end_at(rest, prefix.len())
}

/// A line of one repeated ASCII punctuation character: a title adornment or
/// a transition.
pub(super) fn is_adornment(s: &str) -> bool {
    let mut bytes = trim_space_end(s).bytes();
    match bytes.next() {
        Some(first) if first.is_ascii_punctuation() => bytes.all(|b| b == first),
        _ => false,
    }
}

/// The top (or bottom) border of a grid table: `+---+----+`.
pub(super) fn is_grid_border(s: &str) -> bool {
    let t = trim_space_end(s);
    t.len() >= 5
        && t.starts_with("+-")
        && t.ends_with("-+")
        && t.bytes().all(|b| b == b'+' || b == b'-')
}

/// The top border of a simple table: at least two runs of `=`.
pub(super) fn is_simple_table_top(s: &str) -> bool {
    let t = trim_space_end(s);
    is_simple_table_border(t) && t.bytes().any(is_space)
}

/// Any simple table border: `=+[ =]*`.
pub(super) fn is_simple_table_border(s: &str) -> bool {
    let t = trim_space_end(s);
    t.starts_with('=') && t.bytes().all(|b| b == b'=' || is_space(b))
}

/// Length of the longest docutils "simple name" at the start of `s`: words
/// joined by single `-`, `.`, `_`, `+` or `:`.
pub(super) fn simplename_len(s: &str) -> usize {
    let mut end = 0;
    let mut chars = s.char_indices().peekable();
    loop {
        let mut word = false;
        while let Some(&(k, c)) = chars.peek() {
            if !c.is_alphanumeric() {
                break;
            }
            word = true;
            end = k + c.len_utf8();
            chars.next();
        }
        if !word {
            return end;
        }
        match chars.peek() {
            Some(&(_, '-' | '.' | '_' | '+' | ':')) => {
                let mut ahead = chars.clone();
                ahead.next();
                if !ahead.peek().is_some_and(|&(_, c)| c.is_alphanumeric()) {
                    return end;
                }
                chars.next();
            }
            _ => return end,
        }
    }
}

pub(super) fn is_simplename(s: &str) -> bool {
    !s.is_empty() && simplename_len(s) == s.len()
}

/// A directive marker after `.. `: `name::` or `name ::`, followed by white
/// space or the line end. Returns the name length and the offset after `::`.
pub(super) fn directive_marker(rest: &str) -> Option<(usize, usize)> {
    let name = simplename_len(rest);
    if name == 0 {
        return None;
    }
    let mut k = name;
    if rest.as_bytes().get(k) == Some(&b' ') {
        k += 1;
    }
    if !rest.get(k..)?.starts_with("::") {
        return None;
    }
    k += 2;
    space_or_end_at(rest, k).then_some((name, k))
}

/// Length of a footnote or citation label (`[1]`, `[#]`, `[#name]`, `[*]`,
/// `[name]`) after `.. `.
pub(super) fn footnote_label_len(rest: &str) -> Option<usize> {
    let inner = rest.strip_prefix('[')?;
    let close = inner.find(']')?;
    let label = inner.get(..close)?;
    let valid = (!label.is_empty() && label.bytes().all(|b| b.is_ascii_digit()))
        || label == "#"
        || label == "*"
        || label.strip_prefix('#').is_some_and(is_simplename)
        || is_simplename(label);
    (valid && space_or_end_at(inner, close + 1)).then_some(close + 2)
}

/// `_` or `|` followed by something other than white space: the start of a
/// hyperlink target or a substitution definition after `.. `.
pub(super) fn starts_with_tight(rest: &str, marker: char) -> bool {
    rest.strip_prefix(marker)
        .is_some_and(|after| after.chars().next().is_some_and(|c| !c.is_whitespace()))
}

/// In `|name| directive:: args`, the offset of the directive name.
pub(super) fn substitution_directive_start(rest: &str) -> Option<usize> {
    let inner = rest.strip_prefix('|')?;
    let mut from = 0;
    loop {
        let bar = from + inner.get(from..)?.find('|')?;
        let before = inner.get(..bar)?;
        if bar > 0 && !before.ends_with(char::is_whitespace) && space_or_end_at(inner, bar + 1) {
            let after = inner.get(bar + 1..)?;
            let skipped = after.len() - after.trim_start_matches(is_space_char).len();
            return Some(1 + bar + 1 + skipped);
        }
        from = bar + 1;
    }
}
