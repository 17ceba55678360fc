//! The reStructuredText reader: turns a status report into the [`Document`]
//! model.
//!
//! # Approach
//!
//! Python docutils is the reference, but its parser is a recursive state
//! machine that re-parses every nested block. Reports are small, yet the
//! reader must also survive fuzzed input (10 MB lines, lists nested 10,000
//! deep, 50 MB files) in linear time and without recursion, so this reader is
//! a single forward pass over the lines with an explicit stack of open
//! *contexts* (list items, block quotes, directive bodies, field bodies,
//! definitions). Each context records the indentation a line needs to stay
//! inside it; a less indented line closes it, exactly as docutils ends an
//! indented block. Blocks whose content is never parsed (comments, literal
//! blocks, code directives, hyperlink targets) and blocks that only make
//! sense whole (paragraphs, tables, titles) are consumed eagerly by one
//! handler; everything else returns to the main loop line by line.
//!
//! Only what the model needs is kept: section titles and their levels, the
//! top-level items of each section, preamble paragraphs, comments, tables
//! and local links (`:doc:` roles and the `include`, `literalinclude`,
//! `image` and `figure` directives). Inline markup is kept as written.
//!
//! An item's text is every line of the item, trimmed and joined with
//! spaces: nested list markers and directive lines are kept as written;
//! comment and hyperlink target lines are left out.
//!
//! # Deliberate differences from docutils
//!
//! * docutils takes the indentation of an indented block as the minimum over
//!   all its lines, which needs look-ahead; here the first line sets it and a
//!   later, less indented line lowers it. The two only disagree about how
//!   blocks nested inside items, quotes and directives are grouped, which the
//!   model does not record.
//! * No subtitle promotion and no docinfo: a second lone section after the
//!   title stays a section.
//! * Markup docutils rejects (malformed tables, broken or inconsistently
//!   nested titles) is content, since the rendered page shows an error there;
//!   like docutils' error messages it does not stop the next heading from
//!   becoming the document title. Tables docutils rejects are not tables.
//! * Grid tables are read row by row between separator lines; a cell that
//!   spans rows is split between them. East Asian wide characters count as
//!   one column inside tables (in titles they count two, as in docutils).
//! * Option lists are read as paragraphs; definition list items count as
//!   paragraph items of a section that has no bullet or enumerated list.
//! * Directive bodies are parsed as reStructuredText (for comments, links
//!   and tables) unless the directive is known to hold code or data; a few
//!   known directives (`figure`, `topic`, …) take their first line as an
//!   argument. No other knowledge of directive specs is used.
//! * `:doc:` roles follow simplified inline-markup start and end rules; a
//!   line break inside a role's target becomes a space; `:std:doc:` is not
//!   recognised. Backslash escapes are honoured as in docutils: an escaped
//!   backquote does not end the role, an escaped `<` does not start the
//!   target, and the target is unescaped as Sphinx does before it looks
//!   the document up.
//! * Empty comments (`..` alone) are not recorded; only ASCII white space
//!   indents (docutils also strips e.g. a leading no-break space).

use super::{
    Comment, Document, Heading, Item, ItemMarker, Link, LinkKind, Paragraph, Pos, Section, Table,
    TableRow, to_u32,
};

/// Parses a reStructuredText report. Never fails: anything the reader does
/// not recognise is plain text, as in docutils.
pub fn parse(text: &str) -> Document {
    Parser::new(text).run()
}

// ---------------------------------------------------------------------------
// Lines
// ---------------------------------------------------------------------------

/// One source line, located by byte offsets into the whole text so that no
/// line is ever copied.
#[derive(Clone, Copy, Debug)]
struct Line {
    /// Byte offset of the line's first character.
    start: usize,
    /// Byte offset of the first non-white-space character (`end` if blank).
    text: usize,
    /// Byte offset just past the line's last non-white-space character.
    end: usize,
    /// Column of `text` with tabs expanded to 8-column stops, as docutils
    /// expands them before parsing.
    indent: usize,
}

impl Line {
    fn is_blank(&self) -> bool {
        self.text >= self.end
    }
}

/// Splits `src` into lines; a trailing `\r` is part of the line end, so CRLF
/// input gets the same lines (and line numbers) as LF input.
fn split_lines(src: &str) -> Vec<Line> {
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

fn measure_line(src: &str, start: usize, end: usize) -> Line {
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
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | 0x0b | 0x0c)
}

fn is_space_char(c: char) -> bool {
    c.is_ascii() && is_space(c as u8)
}

/// The column after `b` when `b` sits at `col`.
fn next_col(col: usize, b: u8) -> usize {
    if b == b'\t' {
        (col / 8 + 1) * 8
    } else {
        col + 1
    }
}

fn trim_space_end(s: &str) -> &str {
    s.trim_end_matches(is_space_char)
}

/// Whether the byte at `at` is white space or past the end: the `( +|$)`
/// that follows every docutils block marker.
fn space_or_end_at(s: &str, at: usize) -> bool {
    s.as_bytes().get(at).is_none_or(|&b| is_space(b))
}

/// Display width of a title, as docutils' `column_width`: combining marks
/// take no column and East Asian wide characters take two.
fn column_width(s: &str) -> usize {
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

// ---------------------------------------------------------------------------
// Block markers (docutils `Body.patterns`), matched without regex
// ---------------------------------------------------------------------------

/// Length in bytes of a bullet (`-`, `*`, `+`, `•`, `‣`, `⁃`) at the start
/// of `rest`.
fn bullet_len(rest: &str) -> Option<usize> {
    let c = rest.chars().next()?;
    if !matches!(c, '-' | '*' | '+' | '•' | '‣' | '⁃') {
        return None;
    }
    space_or_end_at(rest, c.len_utf8()).then_some(c.len_utf8())
}

/// Length of a field marker (`:name:`), per docutils'
/// `:(?![: ])([^:\\]|\\.|:(?!([ `]|$)))*(?<! ):( +|$)`.
fn field_marker_len(rest: &str) -> Option<usize> {
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
fn closes_field(bytes: &[u8], k: usize) -> Option<usize> {
    let before = bytes.get(k.wrapping_sub(1)).copied().unwrap_or(b' ');
    (!is_space(before)).then_some(k + 1)
}

/// `..` followed by white space or the line end.
fn explicit_markup(rest: &str) -> bool {
    rest.starts_with("..") && space_or_end_at(rest, 2)
}

/// A marker made of `prefix` followed by white space or the line end.
fn simple_marker(rest: &str, prefix: &str) -> bool {
    rest.starts_with(prefix) && space_or_end_at(rest, prefix.len())
}

/// A line of one repeated ASCII punctuation character: a title adornment or
/// a transition.
fn is_adornment(s: &str) -> bool {
    let mut bytes = trim_space_end(s).bytes();
    match bytes.next() {
        Some(first) if first.is_ascii_punctuation() => bytes.all(|b| b == first),
        _ => false,
    }
}

/// The top (or bottom) border of a grid table: `+---+----+`.
fn is_grid_border(s: &str) -> bool {
    let t = trim_space_end(s);
    t.len() >= 5
        && t.starts_with("+-")
        && t.ends_with("-+")
        && t.bytes().all(|b| b == b'+' || b == b'-')
}

/// The top border of a simple table: at least two runs of `=`.
fn is_simple_table_top(s: &str) -> bool {
    let t = trim_space_end(s);
    is_simple_table_border(t) && t.bytes().any(is_space)
}

/// Any simple table border: `=+[ =]*`.
fn is_simple_table_border(s: &str) -> bool {
    let t = trim_space_end(s);
    t.starts_with('=') && t.bytes().all(|b| b == b'=' || is_space(b))
}

/// Length of the longest docutils "simple name" at the start of `s`: words
/// joined by single `-`, `.`, `_`, `+` or `:`.
fn simplename_len(s: &str) -> usize {
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

fn is_simplename(s: &str) -> bool {
    !s.is_empty() && simplename_len(s) == s.len()
}

/// A directive marker after `.. `: `name::` or `name ::`, followed by white
/// space or the line end. Returns the name length and the offset after `::`.
fn directive_marker(rest: &str) -> Option<(usize, usize)> {
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
fn footnote_label_len(rest: &str) -> Option<usize> {
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
fn starts_with_tight(rest: &str, marker: char) -> bool {
    rest.strip_prefix(marker)
        .is_some_and(|after| after.chars().next().is_some_and(|c| !c.is_whitespace()))
}

/// In `|name| directive:: args`, the offset of the directive name.
fn substitution_directive_start(rest: &str) -> Option<usize> {
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

// ---------------------------------------------------------------------------
// Enumerated list markers
// ---------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum EnumFormat {
    /// `1.`
    Period,
    /// `1)`
    RParen,
    /// `(1)`
    Parens,
}

impl EnumFormat {
    fn affixes(self) -> (&'static str, &'static str) {
        match self {
            EnumFormat::Period => ("", "."),
            EnumFormat::RParen => ("", ")"),
            EnumFormat::Parens => ("(", ")"),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Sequence {
    Arabic,
    LowerAlpha,
    UpperAlpha,
    LowerRoman,
    UpperRoman,
    /// `#`
    Auto,
}

impl Sequence {
    /// docutils tries the sequences in this order when nothing is expected.
    const ORDER: [Sequence; 5] = [
        Sequence::Arabic,
        Sequence::LowerAlpha,
        Sequence::UpperAlpha,
        Sequence::LowerRoman,
        Sequence::UpperRoman,
    ];

    fn matches(self, body: &str) -> bool {
        let bytes = body.as_bytes();
        match self {
            Sequence::Arabic => !bytes.is_empty() && bytes.iter().all(u8::is_ascii_digit),
            Sequence::LowerAlpha => matches!(bytes, [b] if b.is_ascii_lowercase()),
            Sequence::UpperAlpha => matches!(bytes, [b] if b.is_ascii_uppercase()),
            Sequence::LowerRoman => {
                !bytes.is_empty() && bytes.iter().all(|b| b"ivxlcdm".contains(b))
            }
            Sequence::UpperRoman => {
                !bytes.is_empty() && bytes.iter().all(|b| b"IVXLCDM".contains(b))
            }
            Sequence::Auto => body == "#",
        }
    }
}

/// A parsed enumerator such as `3.` or `(iv)`.
#[derive(Clone, Copy, Debug)]
struct Enumerator {
    format: EnumFormat,
    sequence: Sequence,
    /// `None` for an invalid Roman numeral, which makes the line plain text.
    ordinal: Option<u64>,
    /// Bytes taken by the marker (without the white space after it).
    len: usize,
}

impl Enumerator {
    fn parse(rest: &str, expected: Option<Sequence>) -> Option<Enumerator> {
        let bytes = rest.as_bytes();
        let parens = bytes.first() == Some(&b'(');
        let body_start = usize::from(parens);
        let body_len = bytes
            .iter()
            .skip(body_start)
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'#')
            .count();
        let body_end = body_start + body_len;
        let format = match (parens, bytes.get(body_end)) {
            (true, Some(b')')) => EnumFormat::Parens,
            (false, Some(b'.')) => EnumFormat::Period,
            (false, Some(b')')) => EnumFormat::RParen,
            _ => return None,
        };
        let len = body_end + 1;
        if body_len == 0 || !space_or_end_at(rest, len) {
            return None;
        }
        let body = rest.get(body_start..body_end)?;
        let sequence = classify_sequence(body, expected)?;
        Some(Enumerator {
            format,
            sequence,
            ordinal: ordinal_of(body, sequence),
            len,
        })
    }

    /// The marker the next item of the same list would start with, and the
    /// auto-numbered (`#`) one; `None` when the sequence runs out.
    fn successors(&self) -> Option<(String, String)> {
        let next = self.ordinal?.checked_add(1)?;
        let body = match self.sequence {
            Sequence::Auto => "#".to_string(),
            Sequence::Arabic => next.to_string(),
            Sequence::LowerAlpha | Sequence::UpperAlpha => {
                let letter = u8::try_from(next).ok().filter(|n| *n <= 26)?;
                let c = char::from(b'a' + letter - 1);
                if self.sequence == Sequence::UpperAlpha {
                    c.to_ascii_uppercase().to_string()
                } else {
                    c.to_string()
                }
            }
            Sequence::LowerRoman => to_roman(next)?.to_ascii_lowercase(),
            Sequence::UpperRoman => to_roman(next)?,
        };
        let (prefix, suffix) = self.format.affixes();
        Some((
            format!("{prefix}{body}{suffix}"),
            format!("{prefix}#{suffix}"),
        ))
    }

    /// Whether `next` continues the list this enumerator belongs to.
    fn is_followed_by(&self, next: &Enumerator) -> bool {
        next.format == self.format
            && (next.sequence == Sequence::Auto
                || (next.sequence == self.sequence
                    && next.ordinal.is_some()
                    && next.ordinal == self.ordinal.and_then(|o| o.checked_add(1))))
    }
}

fn classify_sequence(body: &str, expected: Option<Sequence>) -> Option<Sequence> {
    if body == "#" {
        return Some(Sequence::Auto);
    }
    if let Some(sequence) = expected
        && sequence.matches(body)
    {
        return Some(sequence);
    }
    match body {
        "i" => Some(Sequence::LowerRoman),
        "I" => Some(Sequence::UpperRoman),
        _ => Sequence::ORDER.into_iter().find(|s| s.matches(body)),
    }
}

fn ordinal_of(body: &str, sequence: Sequence) -> Option<u64> {
    match sequence {
        Sequence::Auto => Some(1),
        // Absurdly long numbers saturate; their successor is then unknown.
        Sequence::Arabic => Some(body.parse().unwrap_or(u64::MAX)),
        Sequence::LowerAlpha | Sequence::UpperAlpha => body
            .bytes()
            .next()
            .map(|b| u64::from(b.to_ascii_lowercase() - b'a') + 1),
        Sequence::LowerRoman | Sequence::UpperRoman => from_roman(body),
    }
}

const ROMAN: [(u64, &str); 13] = [
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
];

/// Roman numerals 1 to 4999, as docutils' `roman` module writes them.
fn to_roman(mut n: u64) -> Option<String> {
    if n == 0 || n > 4999 {
        return None;
    }
    let mut out = String::new();
    for (value, numeral) in ROMAN {
        while n >= value {
            out.push_str(numeral);
            n -= value;
        }
    }
    Some(out)
}

/// Reads a Roman numeral, accepting only the canonical spelling (as
/// docutils does: `iiii` is not an enumerator).
fn from_roman(text: &str) -> Option<u64> {
    if text.is_empty() || text.len() > 16 {
        return None;
    }
    let upper = text.to_ascii_uppercase();
    let mut rest = upper.as_str();
    let mut n = 0;
    for (value, numeral) in ROMAN {
        while let Some(after) = rest.strip_prefix(numeral) {
            n += value;
            rest = after;
        }
    }
    (rest.is_empty() && to_roman(n)? == upper).then_some(n)
}

// ---------------------------------------------------------------------------
// Directives
// ---------------------------------------------------------------------------

/// How much of a directive's body the reader looks into.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum BodyKind {
    /// reStructuredText content (admonitions, `figure` captions, unknown
    /// extension directives): parsed for comments, links and tables.
    Rst,
    /// Text with inline markup but no block structure: only roles are read.
    Inline,
    /// Code, data or options: never looked into.
    Opaque,
}

fn directive_body(name: &str) -> BodyKind {
    const OPAQUE: &[&str] = &[
        "code-block",
        "code",
        "sourcecode",
        "literalinclude",
        "include",
        "raw",
        "math",
        "highlight",
        "graphviz",
        "graph",
        "digraph",
        "uml",
        "plantuml",
        "mermaid",
        "productionlist",
        "doctest",
        "testcode",
        "testoutput",
        "testsetup",
        "testcleanup",
        "ipython",
        "jupyter-execute",
        "code-cell",
        "contents",
        "sectnum",
        "section-numbering",
        "toctree",
        "image",
        "index",
        "meta",
        "default-role",
        "role",
        "tabularcolumns",
        "autosummary",
    ];
    const INLINE: &[&str] = &["parsed-literal", "csv-table"];
    let is = |list: &[&str]| list.iter().any(|n| n.eq_ignore_ascii_case(name));
    if is(OPAQUE) {
        BodyKind::Opaque
    } else if is(INLINE) {
        BodyKind::Inline
    } else {
        BodyKind::Rst
    }
}

/// Directives with reStructuredText content whose first line is an
/// argument rather than content.
fn directive_has_argument(name: &str) -> bool {
    const WITH_ARGUMENT: &[&str] = &[
        "figure",
        "topic",
        "sidebar",
        "admonition",
        "rubric",
        "table",
        "list-table",
        "container",
        "class",
        "only",
        "versionadded",
        "versionchanged",
        "deprecated",
    ];
    WITH_ARGUMENT.iter().any(|n| n.eq_ignore_ascii_case(name))
}

/// Directives that leave nothing visible in the document body: docutils
/// makes invisible nodes of them (`meta`, `pending` for `sectnum` and
/// `target-notes`), moves them out of the body (`header`, `footer`) or only
/// changes settings (`title`, `role`, `default-role`); Sphinx's `highlight`
/// and `index` are alike. None of them keeps the next heading from becoming
/// the document title.
fn directive_is_silent(name: &str) -> bool {
    const SILENT: &[&str] = &[
        "meta",
        "sectnum",
        "section-numbering",
        "target-notes",
        "header",
        "footer",
        "title",
        "role",
        "default-role",
        "highlight",
        "index",
    ];
    SILENT.iter().any(|n| n.eq_ignore_ascii_case(name))
}

fn directive_link_kind(name: &str) -> Option<LinkKind> {
    [
        ("include", LinkKind::Include),
        ("literalinclude", LinkKind::LiteralInclude),
        ("image", LinkKind::Image),
        ("figure", LinkKind::Figure),
    ]
    .into_iter()
    .find(|(n, _)| n.eq_ignore_ascii_case(name))
    .map(|(_, kind)| kind)
}

// ---------------------------------------------------------------------------
// `:doc:` roles
// ---------------------------------------------------------------------------

/// Character columns within one line, advanced monotonically so that many
/// positions on a very long line cost one pass over it.
struct Cursor<'t> {
    text: &'t str,
    byte: usize,
    col: usize,
}

impl Cursor<'_> {
    fn col_at(&mut self, byte: usize) -> usize {
        if byte > self.byte
            && let Some(skipped) = self.text.get(self.byte..byte)
        {
            self.col += skipped.chars().count();
            self.byte = byte;
        }
        self.col
    }
}

/// A `:doc:` role whose closing backquote has not been seen yet.
struct OpenRole {
    content: String,
    start: Pos,
    /// Byte index in `content` and position of the last `<`, which starts
    /// the target in `Title <target>` form.
    angle: Option<(usize, Pos)>,
}

impl OpenRole {
    /// The link the role makes: the part in angle brackets when there is a
    /// title, else the whole content. An empty target (`Title <>`) is kept
    /// for the link rule to report.
    fn into_link(self) -> Link {
        let content = self.content;
        let explicit = match self.angle {
            Some((lt, pos)) if lt > 0 && content.ends_with('>') => content
                .get(lt + 1..content.len() - 1)
                .map(|target| (target.to_string(), pos)),
            _ => None,
        };
        let (target, pos) = explicit.unwrap_or((content, self.start));
        Link {
            kind: LinkKind::Doc,
            target: unescape(&target),
            pos,
        }
    }
}

/// docutils' `unescape` of role text, as Sphinx applies it to a `:doc:`
/// target: a backslash is dropped and the character after it kept, except
/// that an escaped space (or line break) disappears with it.
fn unescape(text: &str) -> String {
    if !text.contains('\\') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
        } else if let Some(next) = chars.next().filter(|n| !n.is_whitespace()) {
            out.push(next);
        }
    }
    out
}

/// docutils' `directives.uri`, which `image` and `figure` apply to their
/// argument: white space is removed (so `my picture.png` names
/// `mypicture.png`), except escaped white space, which becomes a space;
/// other backslash escapes are undone.
fn uri(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some(next) if next.is_whitespace() => out.push(' '),
                Some(next) => out.push(next),
                None => {}
            }
        } else if !c.is_whitespace() {
            out.push(c);
        }
    }
    out
}

/// Whether `text` ends in an escaping backslash (an odd run of them).
fn ends_escaped(text: &str) -> bool {
    let run = text.len() - text.trim_end_matches('\\').len();
    run % 2 == 1
}

#[derive(Default)]
enum RoleState {
    #[default]
    Text,
    /// Inside ``inline literal``, where roles are not markup.
    Literal,
    Role(OpenRole),
}

/// Finds `:doc:` roles in the lines of one text block (a paragraph, a title,
/// a table row). A role may continue on the next line of the same block;
/// the scanner is dropped at the end of the block, as inline markup cannot
/// cross paragraphs.
#[derive(Default)]
struct RoleScanner {
    state: RoleState,
}

impl RoleScanner {
    fn feed(&mut self, src: &str, line_no: usize, line: &Line, from: usize, links: &mut Vec<Link>) {
        let Some(text) = src.get(from..line.end) else {
            return;
        };
        let prefix = if from <= line.text {
            from.saturating_sub(line.start)
        } else {
            (line.text - line.start) + src.get(line.text..from).map_or(0, |p| p.chars().count())
        };
        let mut cursor = Cursor {
            text,
            byte: 0,
            col: prefix + 1,
        };
        let line_no = to_u32(line_no + 1);
        if let RoleState::Role(role) = &mut self.state {
            role.content.push(' ');
        }
        let mut k = 0;
        loop {
            let (next, state) = match std::mem::take(&mut self.state) {
                RoleState::Text => scan_text(text, k, &mut cursor, line_no),
                RoleState::Literal => scan_literal(text, k),
                RoleState::Role(role) => scan_role(text, k, role, &mut cursor, line_no, links),
            };
            self.state = state;
            match next {
                Some(n) => k = n,
                None => break,
            }
        }
    }
}

/// Looks for the next inline literal or `:doc:` role from byte `k`.
fn scan_text(
    text: &str,
    k: usize,
    cursor: &mut Cursor,
    line_no: u32,
) -> (Option<usize>, RoleState) {
    let bytes = text.as_bytes();
    let Some(p) = bytes
        .iter()
        .skip(k)
        .position(|&b| b == b':' || b == b'`')
        .map(|off| k + off)
    else {
        return (None, RoleState::Text);
    };
    let after = |n: usize| text.get(p + n..).and_then(|s| s.chars().next());
    if bytes.get(p) == Some(&b'`') {
        if bytes.get(p + 1) == Some(&b'`') && after(2).is_some_and(|c| !c.is_whitespace()) {
            return (Some(p + 2), RoleState::Literal);
        }
        return (Some(p + 1), RoleState::Text);
    }
    let is_role = text.get(p..).is_some_and(|s| s.starts_with(":doc:`"))
        && role_may_start_after(text.get(..p).and_then(|s| s.chars().next_back()))
        && after(6).is_some_and(|c| !c.is_whitespace());
    if !is_role {
        return (Some(p + 1), RoleState::Text);
    }
    let start = Pos::new(line_no, to_u32(cursor.col_at(p + 6)));
    let role = OpenRole {
        content: String::new(),
        start,
        angle: None,
    };
    (Some(p + 6), RoleState::Role(role))
}

/// docutils' inline markup start rule, simplified: a role starts at the line
/// start or after white space or punctuation, never after a backslash.
fn role_may_start_after(prev: Option<char>) -> bool {
    prev.is_none_or(|c| !(c.is_alphanumeric() || matches!(c, '\\' | '`' | '_')))
}

fn scan_literal(text: &str, k: usize) -> (Option<usize>, RoleState) {
    match text.get(k..).and_then(|s| s.find("``")) {
        Some(off) => (Some(k + off + 2), RoleState::Text),
        None => (None, RoleState::Literal),
    }
}

/// Collects role content up to the closing backquote.
fn scan_role(
    text: &str,
    k: usize,
    mut role: OpenRole,
    cursor: &mut Cursor,
    line_no: u32,
    links: &mut Vec<Link>,
) -> (Option<usize>, RoleState) {
    let Some(rest) = text.get(k..) else {
        return (None, RoleState::Role(role));
    };
    let mut prev = role.content.chars().next_back();
    // Whether `c` is escaped by the backslash before it (`\\` escapes the
    // second backslash, which then escapes nothing).
    let mut escaped = ends_escaped(&role.content);
    for (off, c) in rest.char_indices() {
        let p = k + off;
        if c == '`' && !escaped && prev.is_some_and(|b| !b.is_whitespace()) {
            let next = text.get(p + 1..).and_then(|s| s.chars().next());
            if next.is_none_or(|n| !n.is_alphanumeric()) {
                links.push(role.into_link());
                return (Some(p + 1), RoleState::Text);
            }
        }
        if c == '<' && !escaped {
            let pos = Pos::new(line_no, to_u32(cursor.col_at(p) + 1));
            role.angle = Some((role.content.len(), pos));
        }
        escaped = c == '\\' && !escaped;
        role.content.push(c);
        prev = Some(c);
    }
    (None, RoleState::Role(role))
}

// ---------------------------------------------------------------------------
// Tables
// ---------------------------------------------------------------------------

/// A table line as characters with tabs expanded, starting at the table's
/// column and without trailing white space; docutils measures table columns
/// in characters of the expanded line.
fn table_chars(src: &str, line: &Line, from_col: usize) -> Vec<char> {
    let mut out = Vec::new();
    let mut col = 0;
    for c in src.get(line.start..line.end).unwrap_or("").chars() {
        let width_end = if c == '\t' {
            (col / 8 + 1) * 8
        } else {
            col + 1
        };
        let shown = if is_space_char(c) { ' ' } else { c };
        while col < width_end {
            if col >= from_col {
                out.push(shown);
            }
            col += 1;
        }
    }
    while out.last().is_some_and(|c| c.is_whitespace()) {
        out.pop();
    }
    out
}

/// The trimmed text of `chars[start..end]`, clamped to the line.
fn cell_slice(chars: &[char], start: usize, end: usize) -> String {
    let end = end.min(chars.len());
    let start = start.min(end);
    chars
        .get(start..end)
        .unwrap_or_default()
        .iter()
        .collect::<String>()
        .trim()
        .to_string()
}

/// Joins the non-empty pieces of a multi-line cell with single spaces.
fn join_cell(pieces: impl Iterator<Item = String>) -> String {
    let mut out = String::new();
    for piece in pieces.filter(|p| !p.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&piece);
    }
    out
}

/// Runs of `marker` in a border line: the columns of a simple table.
fn marker_runs(chars: &[char], marker: char) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let mut start = None;
    for (k, &c) in chars.iter().enumerate() {
        match (c == marker, start) {
            (true, None) => start = Some(k),
            (false, Some(s)) => {
                runs.push((s, k));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        runs.push((s, chars.len()));
    }
    runs
}

/// Header and body rows of a table.
type Rows = (Vec<TableRow>, Vec<TableRow>);

fn is_simple_border_chars(chars: &[char], marker: char) -> bool {
    chars.first() == Some(&marker) && chars.iter().all(|&c| c == marker || c == ' ')
}

/// Rows of a simple table as they are found, with the block line each
/// starts on.
struct SimpleRows<'b> {
    block: &'b [Vec<char>],
    first_line: usize,
    rows: Vec<(usize, TableRow)>,
}

impl SimpleRows<'_> {
    /// Adds the row made of block lines `start..end` read with `columns`;
    /// `None` when the table is malformed.
    fn push(&mut self, start: usize, end: usize, columns: &[(usize, usize)]) -> Option<()> {
        let lines = self.block.get(start..end)?;
        let row = TableRow {
            line: to_u32(self.first_line + start + 1),
            cells: simple_row_cells(lines, columns)?,
        };
        self.rows.push((start, row));
        Some(())
    }

    /// docutils' `structure_from_cells`: the body starts with the first row
    /// that starts below the header border (with none, all rows are body).
    fn split(self, head_sep: Option<usize>) -> Rows {
        let first_body = head_sep
            .and_then(|h| self.rows.iter().position(|(start, _)| *start > h))
            .unwrap_or(0);
        let mut rows: Vec<TableRow> = self.rows.into_iter().map(|(_, row)| row).collect();
        let body = rows.split_off(first_body);
        (rows, body)
    }
}

/// Reads a simple table the way docutils' `SimpleTableParser` does; `None`
/// when docutils would call it malformed. `block[k]` is source line
/// `first_line + k` (0-based); the first and last lines are borders.
fn parse_simple_table(block: &[Vec<char>], first_line: usize) -> Option<Rows> {
    let last = block.len().checked_sub(1).filter(|&n| n >= 1)?;
    let columns = marker_runs(block.first()?, '=');
    let border_end = columns.last()?.1;
    let &(first_start, first_end) = columns.first()?;
    let mut separators =
        (1..last).filter(|&k| block.get(k).is_some_and(|l| is_simple_border_chars(l, '=')));
    let head_sep = separators.next();
    if separators.next().is_some() {
        return None;
    }
    let mut table = SimpleRows {
        block,
        first_line,
        rows: Vec::new(),
    };
    let mut start = 1;
    let mut text_found = false;
    for (offset, line) in block.iter().enumerate().take(last + 1).skip(1) {
        if offset == last || Some(offset) == head_sep || is_simple_border_chars(line, '-') {
            // A border or column span line completes the row above it (an
            // empty one if there is none, as in docutils).
            let spec = span_columns(line, &columns, border_end)?;
            table.push(start, offset, &spec)?;
            start = offset + 1;
            text_found = false;
        } else if !cell_slice(line, first_start, first_end).is_empty() {
            // Text in the first column starts a new row.
            if text_found && offset != start {
                table.push(start, offset, &columns)?;
            }
            start = offset;
            text_found = true;
        } else if !text_found {
            start = offset + 1;
        }
    }
    Some(table.split(head_sep))
}

/// The cells a span line (or border) gives the row above it: each run of
/// `-`/`=` must start and end on column boundaries of the top border.
fn span_columns(
    line: &[char],
    columns: &[(usize, usize)],
    border_end: usize,
) -> Option<Vec<(usize, usize)>> {
    let dashes: Vec<char> = line
        .iter()
        .map(|&c| if c == '=' { '-' } else { c })
        .collect();
    let runs = marker_runs(&dashes, '-');
    if runs.last()?.1 != border_end {
        return None;
    }
    let mut k = 0;
    for &(start, end) in &runs {
        if columns.get(k)?.0 != start {
            return None;
        }
        while columns.get(k)?.1 != end {
            k += 1;
        }
        k += 1;
    }
    Some(runs)
}

/// Cell texts of one simple table row; text in a column margin makes the
/// table malformed, text past the last column belongs to it.
fn simple_row_cells(lines: &[Vec<char>], columns: &[(usize, usize)]) -> Option<Vec<String>> {
    for pair in columns.windows(2) {
        let (end, next_start) = (pair[0].1, pair[1].0);
        if lines
            .iter()
            .any(|l| !cell_slice(l, end, next_start).is_empty())
        {
            return None;
        }
    }
    let last = columns.len().checked_sub(1)?;
    Some(
        columns
            .iter()
            .enumerate()
            .map(|(k, &(start, end))| {
                let end = if k == last { usize::MAX } else { end };
                join_cell(lines.iter().map(|l| cell_slice(l, start, end)))
            })
            .collect(),
    )
}

/// Reads a grid table row by row: rows are separated by lines whose
/// segments are `+---+` borders, cells by `|` at column boundaries that
/// every line of the row has. The `+===+` line separates the header.
fn parse_grid_table(block: &[Vec<char>], first_line: usize) -> Option<Rows> {
    let is_full_border = |l: &[char]| {
        l.first() == Some(&'+')
            && l.last() == Some(&'+')
            && l.iter().all(|&c| matches!(c, '+' | '-' | '='))
    };
    // docutils allows one `+===+` line, neither first nor last.
    let is_head_sep = |l: &[char]| is_full_border(l) && l.get(1) == Some(&'=');
    let mut head_seps = block.iter().enumerate().filter(|(_, l)| is_head_sep(l));
    if let Some((k, _)) = head_seps.next()
        && (k == 0 || k + 1 == block.len() || head_seps.next().is_some())
    {
        return None;
    }
    let mut bounds: Vec<usize> = block
        .iter()
        .filter(|l| is_full_border(l))
        .flat_map(|l| {
            l.iter()
                .enumerate()
                .filter(|(_, c)| **c == '+')
                .map(|(k, _)| k)
        })
        .collect();
    bounds.sort_unstable();
    bounds.dedup();
    let mut header = Vec::new();
    let mut rows: Vec<TableRow> = Vec::new();
    let mut row_lines: Vec<usize> = Vec::new();
    for (k, line) in block.iter().enumerate().skip(1) {
        if !is_row_separator(line, &bounds) {
            row_lines.push(k);
            continue;
        }
        rows.extend(grid_row(block, &row_lines, &bounds, first_line));
        row_lines.clear();
        if is_head_sep(line) {
            header = std::mem::take(&mut rows);
        }
    }
    rows.extend(grid_row(block, &row_lines, &bounds, first_line));
    Some((header, rows))
}

/// The row made of the `block` lines `row_lines`, if there are any.
fn grid_row(
    block: &[Vec<char>],
    row_lines: &[usize],
    bounds: &[usize],
    first_line: usize,
) -> Option<TableRow> {
    let first = *row_lines.first()?;
    let lines: Vec<&[char]> = row_lines
        .iter()
        .filter_map(|&r| block.get(r).map(Vec::as_slice))
        .collect();
    Some(TableRow {
        line: to_u32(first_line + first + 1),
        cells: grid_row_cells(&lines, bounds),
    })
}

/// A line with a `+---+` segment between two column boundaries: a row
/// border, possibly only under some columns when a cell spans rows.
fn is_row_separator(line: &[char], bounds: &[usize]) -> bool {
    let corners: Vec<usize> = bounds
        .iter()
        .copied()
        .filter(|&b| line.get(b) == Some(&'+'))
        .collect();
    corners.windows(2).any(|pair| {
        let (a, b) = (pair[0], pair[1]);
        b > a + 1
            && line
                .get(a + 1..b)
                .is_some_and(|seg| seg.iter().all(|&c| c == '-' || c == '='))
    })
}

fn grid_row_cells(lines: &[&[char]], bounds: &[usize]) -> Vec<String> {
    let dividers: Vec<usize> = bounds
        .iter()
        .copied()
        .filter(|&b| lines.iter().all(|l| matches!(l.get(b), Some('|' | '+'))))
        .collect();
    dividers
        .windows(2)
        .map(|pair| join_cell(lines.iter().map(|l| cell_slice(l, pair[0] + 1, pair[1]))))
        .collect()
}

// ---------------------------------------------------------------------------
// Document building blocks
// ---------------------------------------------------------------------------

/// `base` of a context none of whose blocks has been seen yet.
const UNKNOWN: usize = usize::MAX;

/// An open indented block: list item, block quote, definition, field body,
/// footnote or directive body.
#[derive(Clone, Copy, Debug)]
struct Ctx {
    /// A non-blank line indented less than this leaves the context.
    threshold: usize,
    /// Column of the context's own blocks; lines indented further start a
    /// block quote. `UNKNOWN` until the first line is seen.
    base: usize,
    /// The context is a top-level item whose lines make up `Parser::item`.
    top_item: bool,
    /// The previous block here was this enumerated item, so the next
    /// enumerator is read in the same sequence (`i.` after `h.` is a letter).
    last_enum: Option<Enumerator>,
}

impl Ctx {
    fn new(threshold: usize, base: usize) -> Ctx {
        Ctx {
            threshold,
            base,
            top_item: false,
            last_enum: None,
        }
    }
}

/// What kind of block starts at the section level, to decide whether a
/// section has content and whether the first heading may become the title.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Block {
    Content,
    /// Markup docutils rejects (a malformed table or title): it shows as an
    /// error message, which counts as content here but, like all docutils
    /// system messages, does not keep the next heading from being the title.
    Error,
    Comment,
    /// Hyperlink targets and substitution definitions: invisible.
    Invisible,
    /// A directive that puts nothing visible in the body (`meta`,
    /// `sectnum`, `highlight`, …). It counts as content, as every directive
    /// does in the model, but like docutils' invisible nodes it may precede
    /// the document title.
    Silent,
    Transition,
}

impl Block {
    fn is_content(self) -> bool {
        matches!(self, Block::Content | Block::Error | Block::Silent)
    }

    /// docutils' `PreBibliographic` nodes, which may precede the title.
    fn may_precede_title(self) -> bool {
        matches!(
            self,
            Block::Comment | Block::Invisible | Block::Error | Block::Silent
        )
    }
}

/// An adornment style: the character and whether it has an overline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Style {
    ch: u8,
    overline: bool,
}

/// A top-level item being collected line by line.
struct ItemBuilder {
    text: String,
    pos: Pos,
    first_line: usize,
    /// Where the item's text starts on its first line (after the marker).
    text_from: usize,
    end_line: u32,
    marker: ItemMarker,
}

impl ItemBuilder {
    fn push(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        if !self.text.is_empty() {
            self.text.push(' ');
        }
        self.text.push_str(text);
    }
}

/// A paragraph or definition item of a section, in order; only paragraphs
/// can form the preamble.
struct Loose {
    item: Item,
    is_paragraph: bool,
}

/// A section being read; its items are decided when the document ends.
struct SectionBuilder {
    heading: Heading,
    /// Position of the adornment style in order of first appearance.
    level: usize,
    /// Top-level bullet and enumerated items.
    list_items: Vec<Item>,
    /// Top-level paragraphs and definition items: the items when there is
    /// no list, and the preamble when the section becomes the title.
    loose: Vec<Loose>,
    has_content: bool,
    end_line: u32,
}

impl SectionBuilder {
    /// The finished section; `shift` is 1 when a title was promoted above
    /// it, so that its depth counts from the title.
    fn finish(self, shift: usize) -> Section {
        let (items, prose) = if self.list_items.is_empty() {
            (self.loose.into_iter().map(|l| l.item).collect(), Vec::new())
        } else {
            let prose = self.loose.into_iter().filter(|l| l.is_paragraph);
            (self.list_items, prose.map(|l| l.item).collect())
        };
        Section {
            heading: self.heading,
            depth: u8::try_from(self.level.saturating_sub(shift)).unwrap_or(u8::MAX),
            items,
            prose,
            has_content: self.has_content,
            end_line: self.end_line,
        }
    }

    fn into_preamble(self) -> Vec<Paragraph> {
        self.loose
            .into_iter()
            .filter(|l| l.is_paragraph)
            .map(|l| Paragraph {
                text: l.item.text,
                pos: l.item.pos,
                end_line: l.item.end_line,
            })
            .collect()
    }
}

/// What a block handler did with its line.
enum Flow {
    /// Consumed lines up to (not including) this one.
    Done(usize),
    /// Opened a context whose first block starts later on the same line
    /// (after a list marker, field name or directive); read it next.
    Rest {
        s: usize,
        col: usize,
        first_known: bool,
    },
}

// ---------------------------------------------------------------------------
// The parser
// ---------------------------------------------------------------------------

struct Parser<'a> {
    src: &'a str,
    lines: Vec<Line>,
    /// The document level; its blocks start at column 0.
    root: Ctx,
    /// Open nested contexts, innermost last.
    stack: Vec<Ctx>,
    /// The top-level item being read, while its context is open.
    item: Option<ItemBuilder>,
    sections: Vec<SectionBuilder>,
    /// Paragraphs before the first section.
    pre_paragraphs: Vec<Paragraph>,
    /// Something other than comments and targets precedes the first
    /// section, so it cannot become the document title.
    body_before_first_section: bool,
    /// Adornment styles in order of first appearance (docutils' memo).
    title_styles: Vec<Style>,
    /// Level of the current section (0 before the first).
    section_level: usize,
    links: Vec<Link>,
    comments: Vec<Comment>,
    tables: Vec<Table>,
}

impl<'a> Parser<'a> {
    fn new(src: &'a str) -> Self {
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

    fn run(mut self) -> Document {
        let mut i = 0;
        while i < self.lines.len() {
            i = self.step(i).max(i + 1);
        }
        self.leave_contexts(0);
        self.finish()
    }

    // -- small accessors ---------------------------------------------------

    fn line(&self, i: usize) -> Option<Line> {
        self.lines.get(i).copied()
    }

    /// The line's text after its indentation.
    fn content(&self, line: &Line) -> &'a str {
        self.src.get(line.text..line.end).unwrap_or("")
    }

    fn text_from(&self, line: &Line, from: usize) -> &'a str {
        self.src.get(from..line.end).unwrap_or("")
    }

    fn at_root(&self) -> bool {
        self.stack.is_empty()
    }

    fn top(&self) -> &Ctx {
        self.stack.last().unwrap_or(&self.root)
    }

    fn top_mut(&mut self) -> &mut Ctx {
        match self.stack.last_mut() {
            Some(ctx) => ctx,
            None => &mut self.root,
        }
    }

    /// Position of byte `byte` on line `i`, counting characters.
    fn pos(&self, i: usize, byte: usize) -> Pos {
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
    fn col_after(&self, from: usize, from_col: usize, to: usize) -> usize {
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
    fn skip_space(&self, line: &Line, mut byte: usize, mut col: usize) -> (usize, usize) {
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
    fn note(&mut self, i: usize, visible: bool) {
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

    fn note_range(&mut self, from: usize, to: usize, visible: bool) {
        for k in from..to {
            self.note(k, visible);
        }
    }

    /// Records a block that starts at the section level.
    fn root_block(&mut self, block: Block) {
        if !self.at_root() {
            return;
        }
        match self.sections.last_mut() {
            Some(section) => section.has_content |= block.is_content(),
            None => self.body_before_first_section |= !block.may_precede_title(),
        }
    }

    /// Closes every context that a line indented by `indent` leaves.
    fn leave_contexts(&mut self, indent: usize) {
        while self.stack.last().is_some_and(|ctx| indent < ctx.threshold) {
            if self.stack.pop().is_some_and(|ctx| ctx.top_item) {
                self.finish_item();
            }
        }
    }

    fn finish_item(&mut self) {
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

    fn start_item(&mut self, i: usize, text_from: usize, marker: ItemMarker) {
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
    fn step(&mut self, i: usize) -> usize {
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
    fn block_start(
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
    fn dispatch(&mut self, i: usize, s: usize, col: usize, first_known: bool) -> Flow {
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
    fn list_enumerator(
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
    fn enumerator_is_item(&self, i: usize, col: usize, e: &Enumerator) -> bool {
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
    fn list_item(
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
    fn opened_body(&mut self, i: usize, s: usize, col: usize, after: usize, block: Block) -> Flow {
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
    fn doctest(&mut self, i: usize) -> Flow {
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
    fn line_block(&mut self, i: usize, s: usize, col: usize) -> Flow {
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
    fn titles_allowed(&self, col: usize, first_known: bool) -> bool {
        self.at_root() && col == 0 && !first_known
    }

    /// A line of repeated punctuation at a block start: an overline, a
    /// transition, or (when `None` is returned) ordinary text, following
    /// docutils' `Line` state.
    fn adornment_line(
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
    fn overlined_title(
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
    fn underlined_title(&mut self, i: usize, s: usize, under: &Line) -> Option<Flow> {
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
    fn malformed(&mut self, from: usize, to: usize) -> Flow {
        let to = to.min(self.lines.len());
        self.root_block(Block::Error);
        self.note_range(from, to, true);
        Flow::Done(to)
    }

    /// Starts a section if the style fits docutils' nesting rules; a title
    /// whose level is inconsistent is an error there and content here.
    fn section_title(
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
    fn register_style(&mut self, style: Style) -> Option<usize> {
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

    /// A text line: title, definition list item or paragraph, decided by the
    /// line below it (docutils' `Text` state).
    fn text_block(&mut self, i: usize, s: usize, col: usize, first_known: bool) -> Flow {
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
    fn definition_item(&mut self, i: usize, s: usize, col: usize) -> Flow {
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
    fn paragraph(&mut self, i: usize, s: usize, col: usize, first_known: bool) -> Flow {
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

    fn root_paragraph(&mut self, i: usize, s: usize, end: usize) {
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
    fn literal_block(&mut self, from: usize) -> usize {
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

    fn quoted_literal_block(&mut self, from: usize) -> usize {
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

    /// `..` blocks: footnotes, targets, substitutions, directives, comments.
    fn explicit_markup(&mut self, i: usize, s: usize, col: usize) -> Flow {
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
    fn indented_block_end(&self, i: usize, col: usize, until_blank: bool) -> usize {
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
    fn invisible_block(&mut self, i: usize, col: usize, until_blank: bool) -> Flow {
        let end = self.indented_block_end(i, col, until_blank);
        self.root_block(Block::Invisible);
        self.note_range(i, end, false);
        Flow::Done(end)
    }

    /// `.. |name| directive:: args`: invisible, but an image in it is a link.
    /// `.. |name| replace:: text` parses its text as inline markup, so a
    /// `:doc:` role in it is a link too.
    fn substitution(&mut self, i: usize, col: usize, after: usize) -> Flow {
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
    fn directive(
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
    fn directive_link(&mut self, i: usize, col: usize, args_at: usize, kind: LinkKind) -> bool {
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
    fn comment(&mut self, i: usize, col: usize, after: usize) -> Flow {
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

    fn simple_table(&mut self, i: usize, s: usize, col: usize) -> Flow {
        let Some(line) = self.line(i) else {
            return Flow::Done(i + 1);
        };
        let top_len = trim_space_end(self.text_from(&line, s)).len();
        let (end, complete) = self.simple_table_extent(i, col, top_len);
        let parsed = complete
            .then(|| parse_simple_table(&self.table_block(i, end, col), i))
            .flatten();
        let Some((header, rows)) = parsed else {
            return self.malformed(i, end);
        };
        self.root_block(Block::Content);
        self.note_range(i, end, true);
        self.push_table(i, s, end, header, rows);
        Flow::Done(end)
    }

    /// docutils' `isolate_simple_table`: the table ends at its second border
    /// after the top, or at a border followed by a blank line. Returns the
    /// end and whether a proper bottom was found (else the lines up to the
    /// last border, or to the end of the block, are an error).
    fn simple_table_extent(&self, i: usize, col: usize, top_len: usize) -> (usize, bool) {
        let ends_block = |k: usize| self.line(k).is_none_or(|l| l.is_blank() || l.indent < col);
        let mut found = 0;
        let mut found_at = None;
        let mut k = i + 1;
        while let Some(l) = self.line(k) {
            if !l.is_blank() && l.indent < col {
                break;
            }
            let content = self.content(&l);
            if !l.is_blank() && l.indent == col && is_simple_table_border(content) {
                if trim_space_end(content).len() != top_len {
                    return (k + 1, false);
                }
                found += 1;
                found_at = Some(k);
                if found == 2 || ends_block(k + 1) {
                    return (k + 1, true);
                }
            }
            k += 1;
        }
        match found_at {
            Some(f) => (f + 1, false),
            None => (k, false),
        }
    }

    fn grid_table(&mut self, i: usize, s: usize, col: usize) -> Flow {
        let mut k = i;
        while let Some(l) = self.line(k) {
            let edge = self.content(&l).as_bytes().first().copied();
            if l.is_blank() || l.indent != col || !matches!(edge, Some(b'+' | b'|')) {
                break;
            }
            k += 1;
        }
        // A lone border is a table without rows in docutils.
        let last_is_border = k > i
            && self
                .line(k - 1)
                .is_some_and(|l| is_grid_border(self.content(&l)));
        let end = if last_is_border {
            k
        } else {
            // docutils looks back from the second-last line for a border.
            let bottom = (i + 2..k.saturating_sub(1)).rev().find(|&m| {
                self.line(m)
                    .is_some_and(|l| is_grid_border(self.content(&l)))
            });
            match bottom {
                Some(m) => m + 1,
                None => return self.malformed(i, k),
            }
        };
        let block = self.table_block(i, end, col);
        let width = block.first().map_or(0, Vec::len);
        let edges_ok = block
            .iter()
            .all(|l| l.len() == width && matches!(l.last(), Some('+' | '|')));
        let parsed = edges_ok.then(|| parse_grid_table(&block, i)).flatten();
        let Some((header, rows)) = parsed else {
            return self.malformed(i, end);
        };
        self.root_block(Block::Content);
        self.note_range(i, end, true);
        self.push_table(i, s, end, header, rows);
        Flow::Done(end)
    }

    fn table_block(&self, from: usize, to: usize, col: usize) -> Vec<Vec<char>> {
        (from..to)
            .filter_map(|k| self.line(k))
            .map(|l| table_chars(self.src, &l, col))
            .collect()
    }

    /// Records a table on lines `i..end`; roles in its cells are links
    /// (each line is scanned alone, as cells split it).
    fn push_table(
        &mut self,
        i: usize,
        s: usize,
        end: usize,
        header: Vec<TableRow>,
        rows: Vec<TableRow>,
    ) {
        for k in i..end {
            if let Some(l) = self.line(k) {
                self.scan_roles(k, l.text, k + 1);
            }
        }
        let pos = self.pos(i, s);
        self.tables.push(Table { pos, header, rows });
    }

    // -- roles ---------------------------------------------------------------

    /// Scans lines `first..end` for `:doc:` roles, the first from byte
    /// `from`; a blank line ends a block of text.
    fn scan_roles(&mut self, first: usize, from: usize, end: usize) {
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
    fn finish(self) -> Document {
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
fn ends_with_literal_marker(last_line: &str) -> bool {
    let t = last_line.trim_end();
    let Some(before) = t.strip_suffix("::") else {
        return false;
    };
    let backslashes = before.len() - before.trim_end_matches('\\').len();
    backslashes % 2 == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED: &str = r#"======
Uke 38
======
av Raymond Kristiansen, UH IaaS, 23. sep 2016

.. contents:: :depth: 2


Fullført
========

- Workshop ved USIT 7. og 8. september.

- Oppgradering til mitaka i uke 38. Utført med ansible som kunne testes i
  `test01` og `test02` først. Tok ca 60 min i `bgo` og `osl`, og førte kun
  til små avbrudd i de forskjellige tjenesten under oppgraderingen. Alle
  kjørende instanser skal ha fungert som normalt under oppdateringen.

- Søknaden om prosjektmidler fra UH-sky er sendt til UNINETT. Usikkert når den
  er ferdig behandlet.

- Det er satt opp et internt monitoringstjeneste basert på Sensu. I første
  omgang skal det gi oss et dashboard med litt metrics om hva som skjer.

Under arbeid
============

- `test02` ved USIT er satt opp, men mangler forsatt public nett. Har derfor
  litt begrenset nytteverdi. Det jobbes med å fullfør oppsettet, men krever
  nok litt hjelp av nettverk ved USIT for å få fullført.

- Det jobbes med å få på plass en tjeneste for DNS for instanser.

Planlagt fremdrift
==================

- Sette opp felles keystone database for to lokasjoner. Dette vil gjøre det
  mulig å ha et felles dashboard med to regioner: `osl` og `bgo`.

- Oppgradere ceph til siste versjon.

- Det er også ønskelig at alle i prosjekt deltar på Openstack Summit i
  Barcelona: https://www.openstack.org/summit/barcelona-2016

Utfordringer
============

- API-tilgang er ikke optimal slik den er satt opp nå, men det fungerer. Ser
  ingen enkel fiks som kan løse det før vi går i produksjon i november.
  Det blir da viktig å gjøre brukerne kjent med hvilke utfordringer som gjelder.

- I :doc:`../plans/production` har jeg skrevet at vi trenger 4 personer frem
  til nyttår for å komme i produksjon. Vi er nå prosjektleder (100% delt),
  UiB (1 person 100%) og UiO (1 person 60% og en person 40%). Det ser ikke ut
  til å berøre datoene i leveransen, men vil kunne påvirke innholdet dersom vi
  støter på større utfordringer.

Oppdatert status
================

Arbeidet frem til leveranse 14. november vil vi oppdatere fortløpende
på Trello: https://trello.com/b/loLFWWtV/iaas-release-plan

Kun større oppgaver, utfordringer og avvik vil bli oppdatert her.
"#;

    fn section<'d>(doc: &'d Document, title: &str) -> &'d Section {
        doc.sections
            .iter()
            .find(|s| s.heading.text == title)
            .unwrap_or_else(|| panic!("no section {title:?} in {:?}", titles(doc)))
    }

    fn titles(doc: &Document) -> Vec<(&str, u8)> {
        doc.sections
            .iter()
            .map(|s| (s.heading.text.as_str(), s.depth))
            .collect()
    }

    fn item_texts(section: &Section) -> Vec<&str> {
        section.items.iter().map(|i| i.text.as_str()).collect()
    }

    /// Two top-level sections, so that nothing becomes the document title.
    fn in_section(body: &str) -> Document {
        parse(&format!("Other\n=====\n\nS\n=\n\n{body}"))
    }

    // -- the seed report ---------------------------------------------------

    #[test]
    fn seed_title_and_preamble() {
        let doc = parse(SEED);
        let title = doc.title.as_ref().expect("title");
        assert_eq!(title.text, "Uke 38");
        assert_eq!(title.pos, Pos::new(2, 1));
        assert_eq!(title.level, 1);
        assert_eq!(doc.preamble.len(), 1);
        assert_eq!(
            doc.preamble[0].text,
            "av Raymond Kristiansen, UH IaaS, 23. sep 2016"
        );
        assert_eq!(doc.preamble[0].pos, Pos::new(4, 1));
        assert_eq!(doc.preamble[0].end_line, 4);
        assert_eq!(doc.line_count, 64);
    }

    #[test]
    fn seed_sections() {
        let doc = parse(SEED);
        assert_eq!(
            titles(&doc),
            [
                ("Fullført", 1),
                ("Under arbeid", 1),
                ("Planlagt fremdrift", 1),
                ("Utfordringer", 1),
                ("Oppdatert status", 1)
            ]
        );
        let fullfort = section(&doc, "Fullført");
        assert_eq!(fullfort.heading.pos, Pos::new(9, 1));
        assert_eq!(fullfort.heading.level, 2);
        assert!(fullfort.has_content);
        assert_eq!(fullfort.end_line, 23);
        assert_eq!(section(&doc, "Oppdatert status").end_line, 64);
    }

    #[test]
    fn seed_bullet_items() {
        let doc = parse(SEED);
        let items = &section(&doc, "Fullført").items;
        assert_eq!(items.len(), 4);
        assert!(items.iter().all(|i| i.marker == ItemMarker::Bullet));
        assert_eq!(items[0].text, "Workshop ved USIT 7. og 8. september.");
        assert_eq!(items[0].pos, Pos::new(12, 3));
        assert_eq!(items[0].end_line, 12);
        let second = &items[1];
        assert!(second.text.starts_with("Oppgradering til mitaka i uke 38."));
        assert!(second.text.ends_with("som normalt under oppdateringen."));
        assert!(
            second.text.contains("testes i `test01` og"),
            "{}",
            second.text
        );
        assert_eq!(second.pos, Pos::new(14, 3));
        assert_eq!(second.end_line, 17);
        assert_eq!(section(&doc, "Under arbeid").items.len(), 2);
        assert_eq!(section(&doc, "Planlagt fremdrift").items.len(), 3);
        assert_eq!(section(&doc, "Utfordringer").items.len(), 2);
    }

    #[test]
    fn seed_paragraph_items() {
        let doc = parse(SEED);
        let status = section(&doc, "Oppdatert status");
        assert_eq!(
            item_texts(status),
            [
                "Arbeidet frem til leveranse 14. november vil vi oppdatere fortløpende på Trello: https://trello.com/b/loLFWWtV/iaas-release-plan",
                "Kun større oppgaver, utfordringer og avvik vil bli oppdatert her."
            ]
        );
        assert!(
            status
                .items
                .iter()
                .all(|i| i.marker == ItemMarker::Paragraph)
        );
        assert_eq!(status.items[0].pos, Pos::new(61, 1));
        assert_eq!(status.items[0].end_line, 62);
    }

    #[test]
    fn seed_links_and_comments() {
        let doc = parse(SEED);
        assert_eq!(
            doc.links,
            [Link {
                kind: LinkKind::Doc,
                target: "../plans/production".into(),
                pos: Pos::new(52, 11),
            }]
        );
        // `.. contents::` is a directive: neither a comment nor a link.
        assert!(doc.comments.is_empty());
        assert!(doc.tables.is_empty());
    }

    // -- titles and sections -------------------------------------------------

    #[test]
    fn levels_follow_the_order_styles_appear_in() {
        let doc =
            parse("Status\n======\n\nText.\n\nAnnet\n-----\n\n- sub\n\nAnnet\n=====\n\n- top\n");
        assert!(doc.title.is_none());
        assert_eq!(titles(&doc), [("Status", 1), ("Annet", 2), ("Annet", 1)]);
        assert_eq!(doc.sections[1].heading.level, 2);
        assert_eq!(item_texts(&doc.sections[1]), ["sub"]);
        assert_eq!(item_texts(&doc.sections[2]), ["top"]);
        // A section's own items exclude its subsections'.
        assert_eq!(item_texts(&doc.sections[0]), ["Text."]);
    }

    #[test]
    fn overline_styles_differ_from_underline_styles() {
        let doc = parse("=====\nTitle\n=====\n\nA\n=\n\n-----\n  B\n-----\n\nC\n=\n");
        assert_eq!(doc.title.as_ref().map(|t| t.text.as_str()), Some("Title"));
        assert_eq!(titles(&doc), [("A", 1), ("B", 2), ("C", 1)]);
        assert_eq!(doc.sections[1].heading.pos, Pos::new(9, 3));
        assert_eq!(doc.sections[1].end_line, 10);
    }

    /// Found by the docutils differential test: docutils measures an
    /// overlined title with its indentation, so ` osl` under a three-
    /// character overline is too wide and the overline is text.
    #[test]
    fn short_overline_counts_the_title_indentation() {
        let doc = in_section("^^^\n osl\n^^^\n\n- item\n");
        assert_eq!(titles(&doc), [("Other", 1), ("S", 1)]);
        assert_eq!(section(&doc, "S").items.len(), 1);
        let doc = in_section("^^^^\n osl\n^^^^\n\n- item\n");
        assert_eq!(titles(&doc), [("Other", 1), ("S", 1), ("osl", 2)]);
    }

    /// Found by the docutils differential test: `.. meta::` (and other
    /// directives that leave nothing in the body) before the title did not
    /// let it become the document title.
    #[test]
    fn silent_directives_may_precede_the_title() {
        for directive in [
            ".. meta::\n   :keywords: uke\n",
            ".. sectnum::\n",
            ".. highlight:: python\n",
            ".. header:: Page header\n",
            ".. title:: Browser title\n",
            ".. default-role:: code\n",
        ] {
            let doc = parse(&format!("{directive}\nTitle\n=====\n\nSub\n---\n\ntext\n"));
            assert_eq!(
                doc.title.as_ref().map(|t| t.text.as_str()),
                Some("Title"),
                "{directive}"
            );
            assert_eq!(titles(&doc), [("Sub", 1)]);
        }
        // A directive that shows something still blocks the promotion.
        let doc = parse(".. note:: Hi\n\nTitle\n=====\n\nSub\n---\n");
        assert!(doc.title.is_none());
        // And a silent directive still makes its section non-empty.
        let doc = in_section(".. index:: keystone\n");
        assert!(section(&doc, "S").has_content);
    }

    /// Found by the docutils differential test: a text line with an
    /// underline inside a list item or quote is an "unexpected section
    /// title" error in docutils, so inline markup in it is never read.
    #[test]
    fn titles_inside_blocks_are_errors_not_text() {
        let doc = in_section(
            "- item\n\n  Sub :doc:`not/a/link`\n  --------------------\n\n  :doc:`a/link`\n",
        );
        let targets: Vec<&str> = doc.links.iter().map(|l| l.target.as_str()).collect();
        assert_eq!(targets, ["a/link"]);
        let s = section(&doc, "S");
        assert_eq!(s.items.len(), 1);
        assert_eq!(s.items[0].end_line, 12);
        // Too short an underline keeps it a paragraph with its roles.
        let doc = in_section("   quoted :doc:`x`\n   ==\n");
        assert_eq!(doc.links.len(), 1);
    }

    /// Found by the docutils differential test: without its argument an
    /// `image` is a docutils error, which may precede the title.
    #[test]
    fn link_directive_without_argument_is_an_error() {
        let doc = parse(".. image::\n\nTitle\n=====\n");
        assert_eq!(doc.title.as_ref().map(|t| t.text.as_str()), Some("Title"));
        assert!(doc.links.is_empty());
    }

    #[test]
    fn title_promotion_needs_a_lone_first_section() {
        let two = parse("A\n=\n\nB\n=\n");
        assert!(two.title.is_none());
        assert_eq!(titles(&two), [("A", 1), ("B", 1)]);

        let text_first = parse("Intro.\n\nA\n=\n\nB\n-\n");
        assert!(text_first.title.is_none());
        assert_eq!(text_first.preamble[0].text, "Intro.");
        assert_eq!(titles(&text_first), [("A", 1), ("B", 2)]);

        let comment_first = parse(".. milepost: disable=title\n\nA\n=\n\nB\n-\n");
        assert_eq!(
            comment_first.title.as_ref().map(|t| t.text.as_str()),
            Some("A")
        );
        assert_eq!(titles(&comment_first), [("B", 1)]);
        assert_eq!(comment_first.comments[0].text, "milepost: disable=title");
    }

    #[test]
    fn no_subtitle_promotion() {
        let doc = parse("Title\n=====\n\nSub\n---\n\ntext\n");
        assert_eq!(doc.title.as_ref().map(|t| t.text.as_str()), Some("Title"));
        assert_eq!(titles(&doc), [("Sub", 1)]);
    }

    #[test]
    fn short_underlines() {
        // Shorter than the title and under 4 characters: plain text.
        let doc = in_section("Short\n==\n");
        assert_eq!(item_texts(section(&doc, "S")), ["Short =="]);
        // 4 or more characters: a title (docutils warns).
        let doc = parse("A\n=\n\nLonger title\n====\n");
        assert_eq!(titles(&doc), [("A", 1), ("Longer title", 1)]);
        // As long as a short title: a title.
        let doc = parse("A\n=\n\nB\n=\n\nab\n--\n");
        assert_eq!(titles(&doc), [("A", 1), ("B", 1), ("ab", 2)]);
    }

    #[test]
    fn underline_counts_characters_not_bytes() {
        let doc = parse("Fullført\n========\n\nÆøå æøå\n=======\n");
        assert_eq!(titles(&doc), [("Fullført", 1), ("Æøå æøå", 1)]);
        let doc = parse("x\n=\n\nå\n-\n\n- på :doc:`æ/ø`\n");
        assert_eq!(doc.links[0].pos, Pos::new(7, 12));
        assert_eq!(section(&doc, "å").items[0].pos, Pos::new(7, 3));
    }

    #[test]
    fn transitions_are_not_titles() {
        let doc = in_section("Before.\n\n----------\n\nAfter.\n");
        assert_eq!(titles(&doc), [("Other", 1), ("S", 1)]);
        assert_eq!(item_texts(section(&doc, "S")), ["Before.", "After."]);
        let only = in_section("----\n");
        assert!(!section(&only, "S").has_content);
    }

    #[test]
    fn inconsistent_title_level_is_not_a_section() {
        // A third style may only open a level below the deepest one.
        let doc = parse("A\n=\n\nB\n-\n\nC\n=\n\nD\n~\n\ntext\n");
        assert_eq!(titles(&doc), [("A", 1), ("B", 2), ("C", 1)]);
        assert!(section(&doc, "C").has_content);
    }

    #[test]
    fn paragraph_lines_do_not_become_titles() {
        let doc = in_section("line one\nline two\n========\n");
        assert_eq!(
            item_texts(section(&doc, "S")),
            ["line one line two ========"]
        );
    }

    // -- items ---------------------------------------------------------------

    #[test]
    fn enumerated_items() {
        let body = "1. first\n2. second\n   continues\n\n(a) alpha\n(b) beta\n\ni. roman\nii. two\n\n#. auto\n\n3) paren\n\nIV. upper\n";
        let doc = in_section(body);
        let s = section(&doc, "S");
        assert_eq!(
            item_texts(s),
            [
                "first",
                "second continues",
                "alpha",
                "beta",
                "roman",
                "two",
                "auto",
                "paren",
                "upper"
            ]
        );
        assert!(s.items.iter().all(|i| i.marker == ItemMarker::Enumerated));
        assert_eq!(s.items[2].pos, Pos::new(11, 5));
    }

    #[test]
    fn enumerator_needs_a_fitting_next_line() {
        // docutils: "A." followed by a non-item line is a paragraph.
        let doc = in_section("A. Einstein was a genius\nand more text.\n");
        let s = section(&doc, "S");
        assert_eq!(s.items[0].marker, ItemMarker::Paragraph);
        assert_eq!(item_texts(s), ["A. Einstein was a genius and more text."]);
        // Letters continue a letter list: `i.` after `h.` is a letter.
        let doc = in_section("h. eight\ni. nine\nj. ten\n");
        assert_eq!(item_texts(section(&doc, "S")), ["eight", "nine", "ten"]);
        // Invalid Roman numerals are text.
        let doc = in_section("iiii. no\n");
        assert_eq!(section(&doc, "S").items[0].marker, ItemMarker::Paragraph);
    }

    #[test]
    fn nested_lists_and_continuations_join_into_one_item() {
        let body = "- parent\n  line two\n\n  - child one\n\n    child continues\n\n  - child two\n\n  back in parent\n- next\n";
        let doc = in_section(body);
        let s = section(&doc, "S");
        assert_eq!(
            item_texts(s),
            [
                "parent line two - child one child continues - child two back in parent",
                "next"
            ]
        );
        assert_eq!(s.items[0].end_line, 16);
        assert_eq!(s.items[1].pos, Pos::new(17, 3));
    }

    #[test]
    fn continuation_must_reach_the_text_column() {
        // docutils ends the item at a line indented less than its text.
        let doc = in_section("-   item\n  not item\n");
        let s = section(&doc, "S");
        assert_eq!(item_texts(s), ["item"]);
        assert!(s.has_content);
    }

    #[test]
    fn item_with_text_on_the_next_line() {
        let doc = in_section("-\n  text below\n\n*\n");
        let s = section(&doc, "S");
        assert_eq!(item_texts(s), ["text below", ""]);
        assert_eq!(s.items[0].pos, Pos::new(8, 3));
        assert_eq!(s.items[1].pos, Pos::new(10, 2));
    }

    #[test]
    fn lists_in_block_quotes_are_not_items() {
        let doc = in_section("Intro.\n\n   - quoted\n   - list\n");
        let s = section(&doc, "S");
        assert_eq!(item_texts(s), ["Intro."]);
        let doc = in_section("   - only quoted\n");
        let s = section(&doc, "S");
        assert!(s.items.is_empty());
        assert!(s.has_content);
    }

    #[test]
    fn list_items_win_over_paragraphs() {
        let doc = in_section("Intro.\n\n- a\n- b\n\nOutro.\n");
        assert_eq!(item_texts(section(&doc, "S")), ["a", "b"]);
    }

    #[test]
    fn definition_items_count_as_paragraph_items() {
        let doc = in_section("Term\n    Its definition\n    goes on.\n\n:field: not an item\n");
        let s = section(&doc, "S");
        assert_eq!(item_texts(s), ["Term Its definition goes on."]);
        assert_eq!(s.items[0].marker, ItemMarker::Paragraph);
    }

    #[test]
    fn field_lists_are_content_not_items() {
        let doc = in_section(":author: Someone\n:date: today\n");
        let s = section(&doc, "S");
        assert!(s.items.is_empty());
        assert!(s.has_content);
    }

    #[test]
    fn comments_inside_items_are_not_item_text() {
        let doc = in_section("- done\n\n  .. milepost: milestone=M1\n\n  more\n");
        assert_eq!(item_texts(section(&doc, "S")), ["done more"]);
        assert_eq!(doc.comments[0].text, "milepost: milestone=M1");
        assert_eq!(doc.comments[0].pos, Pos::new(9, 6));
    }

    // -- literal blocks ------------------------------------------------------

    #[test]
    fn literal_blocks_hide_titles_lists_and_directives() {
        let body = "Example::\n\n  Fake title\n  ==========\n\n  - fake item\n  .. image:: fake.png\n\nAfter.\n\n::\n\n  - also fake\n";
        let doc = in_section(body);
        assert_eq!(titles(&doc), [("Other", 1), ("S", 1)]);
        assert_eq!(item_texts(section(&doc, "S")), ["Example::", "After."]);
        assert!(doc.links.is_empty());
    }

    #[test]
    fn literal_block_inside_an_item() {
        let doc = in_section("- real::\n\n      Not a title\n      -----------\n\n- second\n");
        let s = section(&doc, "S");
        assert_eq!(item_texts(s), ["real:: Not a title -----------", "second"]);
        assert_eq!(doc.sections.len(), 2);
    }

    #[test]
    fn code_directive_bodies_are_opaque() {
        let doc = in_section(
            ".. code-block:: rst\n\n   Title\n   =====\n\n   .. image:: x.png\n   :doc:`no`\n",
        );
        assert_eq!(doc.sections.len(), 2);
        assert!(doc.links.is_empty());
        assert!(section(&doc, "S").has_content);
    }

    #[test]
    fn quoted_literal_block() {
        let doc = in_section("Quoted::\n\n> - not a list\n> still quoted\n\n- item\n");
        assert_eq!(item_texts(section(&doc, "S")), ["item"]);
    }

    // -- explicit markup -----------------------------------------------------

    #[test]
    fn comments_that_look_like_directives() {
        let doc = in_section(
            ".. note: hello\n   continued\n\n.. note:: real\n\n..\n   bare comment\n   two lines\n\n.. todo - not a directive\n",
        );
        let texts: Vec<&str> = doc.comments.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "note: hello\ncontinued",
                "bare comment\ntwo lines",
                "todo - not a directive"
            ]
        );
        assert_eq!(doc.comments[0].pos, Pos::new(7, 4));
        assert_eq!(doc.comments[0].end_line, 8);
        assert_eq!(doc.comments[1].pos, Pos::new(13, 4));
        assert_eq!(doc.comments[1].end_line, 14);
    }

    #[test]
    fn empty_comment_does_not_take_the_block_below() {
        let doc = in_section("- item\n\n..\n\n   quoted after empty comment\n");
        assert!(doc.comments.is_empty());
        assert_eq!(item_texts(section(&doc, "S")), ["item"]);
    }

    #[test]
    fn comment_keeps_inner_blank_lines() {
        let doc = parse(".. first\n\n   second\n\n\nText.\n");
        assert_eq!(doc.comments[0].text, "first\n\nsecond");
        assert_eq!(doc.comments[0].end_line, 3);
    }

    #[test]
    fn targets_footnotes_and_substitutions_are_not_comments() {
        let doc = in_section(
            ".. _target: http://example.com\n\n.. [1] A footnote.\n\n.. |logo| image:: img/logo.png\n",
        );
        assert!(doc.comments.is_empty());
        assert_eq!(doc.links.len(), 1);
        assert_eq!(doc.links[0].kind, LinkKind::Image);
        assert_eq!(doc.links[0].target, "img/logo.png");
        assert_eq!(doc.links[0].pos, Pos::new(11, 19));
    }

    #[test]
    fn only_comments_is_no_content() {
        let doc = in_section(".. just a comment\n\n.. _target: http://x\n");
        let s = section(&doc, "S");
        assert!(!s.has_content);
        assert_eq!(s.end_line, 9);
        let empty = parse("A\n=\n\nB\n=\n\n\n");
        assert!(!empty.sections[1].has_content);
        assert_eq!(empty.sections[1].end_line, 5);
    }

    #[test]
    fn directive_links() {
        let body = ".. include:: ../common/footer.rst\n\n.. literalinclude:: code.py\n   :lines: 1-3\n\n.. image:: pics/a.png\n   :width: 100\n\n.. figure::\n   pics/b.png\n\n   Caption with :doc:`Text <../plans/x>`.\n\n.. IMAGE:: upper.png\n";
        let doc = in_section(body);
        let links: Vec<(LinkKind, &str, Pos)> = doc
            .links
            .iter()
            .map(|l| (l.kind, l.target.as_str(), l.pos))
            .collect();
        assert_eq!(
            links,
            [
                (LinkKind::Include, "../common/footer.rst", Pos::new(7, 14)),
                (LinkKind::LiteralInclude, "code.py", Pos::new(9, 21)),
                (LinkKind::Image, "pics/a.png", Pos::new(12, 12)),
                (LinkKind::Figure, "pics/b.png", Pos::new(16, 4)),
                (LinkKind::Doc, "../plans/x", Pos::new(18, 29)),
                (LinkKind::Image, "upper.png", Pos::new(20, 12)),
            ]
        );
        let s = section(&doc, "S");
        assert!(s.has_content);
        assert!(s.items.is_empty());
    }

    /// Found by the docutils differential test: `image` and `figure` take
    /// their argument through docutils' `uri()`, which drops white space
    /// (escaped white space stays, as a space); `include` keeps it.
    #[test]
    fn image_targets_lose_white_space() {
        let doc = in_section(
            ".. image:: my picture.png\n\n.. |s| image:: s.png\n   more words\n\n.. figure:: a\\ b\\\\c.png\n\n.. include:: my file.rst\n",
        );
        let targets: Vec<&str> = doc.links.iter().map(|l| l.target.as_str()).collect();
        assert_eq!(
            targets,
            [
                "mypicture.png",
                "s.pngmorewords",
                "a b\\c.png",
                "my file.rst"
            ]
        );
    }

    /// Found by the docutils differential test: `replace` substitutions
    /// parse their text as inline markup, so their roles are links.
    #[test]
    fn roles_in_replace_substitutions_are_links() {
        let doc = in_section(
            ".. |plan| replace:: the :doc:`plan <../plans/x>`\n   and :doc:`more`\n\n.. |y| unicode:: U+2014 .. :doc:`not/a/link`\n",
        );
        let targets: Vec<&str> = doc.links.iter().map(|l| l.target.as_str()).collect();
        assert_eq!(targets, ["../plans/x", "more"]);
        assert_eq!(doc.links[0].pos, Pos::new(7, 37));
        assert!(!section(&doc, "S").has_content);
    }

    /// Found by the docutils differential test: a directive's argument
    /// runs to the first blank line, so lines right below `.. topic::` or
    /// `.. figure::` are argument or options, never content.
    #[test]
    fn directive_argument_runs_to_the_blank_line() {
        let doc = in_section(
            ".. topic:: Title\n   continued :doc:`in/title`\n   :class: x\n\n   .. a comment\n\n.. admonition::\n   ===  ===\n   ===  ===\n\n.. figure::\n   .. not a comment\n",
        );
        let comments: Vec<&str> = doc.comments.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(comments, ["a comment"]);
        assert!(doc.tables.is_empty());
        let links: Vec<&str> = doc.links.iter().map(|l| l.target.as_str()).collect();
        assert_eq!(links, ["in/title", "..notacomment"]);
    }

    #[test]
    fn image_alone_is_content() {
        let doc = in_section(".. image:: x.png\n");
        assert!(section(&doc, "S").has_content);
    }

    // -- roles -------------------------------------------------------------

    #[test]
    fn doc_role_forms() {
        let doc = parse(
            "Title :doc:`in/title`\n=====================\n\nPlain :doc:`a/b` and :doc:`Text <c/d>`.\nSplit :doc:`Some\n<e/f>` and ``:doc:`literal``` and x:doc:`glued`.\n:doc:`start` and \\:doc:`escaped`.\n",
        );
        let links: Vec<(&str, Pos)> = doc
            .links
            .iter()
            .map(|l| (l.target.as_str(), l.pos))
            .collect();
        assert_eq!(
            links,
            [
                ("in/title", Pos::new(1, 13)),
                ("a/b", Pos::new(4, 13)),
                ("c/d", Pos::new(4, 34)),
                ("e/f", Pos::new(6, 2)),
                ("start", Pos::new(7, 7)),
            ]
        );
    }

    #[test]
    fn role_split_before_the_target_text() {
        let doc = in_section("- see :doc:`the\n  plan <../plans/\n  x>` now\n");
        assert_eq!(doc.links[0].target, "../plans/ x");
        assert_eq!(doc.links[0].pos, Pos::new(8, 9));
        let doc = in_section("see :doc:`../plans/\nproduction`\n");
        assert_eq!(doc.links[0].target, "../plans/ production");
        assert_eq!(doc.links[0].pos, Pos::new(7, 11));
    }

    #[test]
    fn empty_doc_target_is_kept_for_the_link_rule() {
        let doc = in_section("see :doc:`Title <>`\n");
        assert_eq!(doc.links[0].target, "");
        assert_eq!(doc.links[0].pos, Pos::new(7, 18));
    }

    /// Found by the docutils differential test (`tests/rst/doc_roles.rst`):
    /// the target was kept with its backslashes, and an escaped backslash
    /// before the closing backquote hid the end of the role.
    #[test]
    fn role_targets_are_unescaped() {
        let doc = in_section(
            "a :doc:`escaped\\`tick` b :doc:`x \\<y>` c :doc:`t <p\\ q>` d :doc:`z\\\\` e\n",
        );
        let targets: Vec<&str> = doc.links.iter().map(|l| l.target.as_str()).collect();
        assert_eq!(targets, ["escaped`tick", "x <y>", "pq", "z\\"]);
        assert_eq!(doc.links[2].pos, Pos::new(7, 51));
    }

    #[test]
    fn unclosed_role_does_not_cross_paragraphs() {
        let doc = in_section("bad :doc:`open\n\nnext :doc:`ok`\n");
        let targets: Vec<&str> = doc.links.iter().map(|l| l.target.as_str()).collect();
        assert_eq!(targets, ["ok"]);
    }

    // -- tables --------------------------------------------------------------

    const SIMPLE_TABLE: &str = "======== ===================================================
 Frist    Leveranse
======== ===================================================
 1.sept   Oppgradere til mitaka
 26.sept  Felles keystone og full reinstall av bgo og osl
 01.nov   Produksjonsklar bgo og osl
 14.nov   Lansering
======== ===================================================
";

    fn cells(rows: &[TableRow]) -> Vec<Vec<&str>> {
        rows.iter()
            .map(|r| r.cells.iter().map(String::as_str).collect())
            .collect()
    }

    #[test]
    fn simple_table() {
        let doc = in_section(SIMPLE_TABLE);
        assert_eq!(doc.tables.len(), 1);
        let table = &doc.tables[0];
        assert_eq!(table.pos, Pos::new(7, 1));
        assert_eq!(cells(&table.header), [["Frist", "Leveranse"]]);
        assert_eq!(table.header[0].line, 8);
        assert_eq!(
            cells(&table.rows),
            [
                ["1.sept", "Oppgradere til mitaka"],
                ["26.sept", "Felles keystone og full reinstall av bgo og osl"],
                ["01.nov", "Produksjonsklar bgo og osl"],
                ["14.nov", "Lansering"],
            ]
        );
        assert_eq!(table.rows[3].line, 13);
        let s = section(&doc, "S");
        assert!(s.has_content);
        assert!(s.items.is_empty());
    }

    #[test]
    fn simple_table_multi_line_rows_and_spans() {
        let table = "=====  =====  ======\n   Inputs     Output\n------------  ------\n  A      B    A or B\n=====  =====  ======\nFalse  False  False\nTrue   False  True\n       still  row two\n=====  =====  ======\n";
        let doc = parse(table);
        let t = &doc.tables[0];
        assert_eq!(
            cells(&t.header),
            [vec!["Inputs", "Output"], vec!["A", "B", "A or B"]]
        );
        assert_eq!(
            cells(&t.rows),
            [
                ["False", "False", "False"],
                ["True", "False still", "True row two"]
            ]
        );
        assert_eq!(t.rows[1].line, 7);
    }

    #[test]
    fn simple_table_without_header_and_with_overflow() {
        let doc = parse("==  ==\na   b is longer than the border\nc   d\n==  ==\n");
        let t = &doc.tables[0];
        assert!(t.header.is_empty());
        assert_eq!(
            cells(&t.rows),
            [["a", "b is longer than the border"], ["c", "d"]]
        );
    }

    #[test]
    fn malformed_simple_table_is_no_table() {
        let doc = parse("===  ===\n a  b\n===  ====\n");
        assert!(doc.tables.is_empty());
        // Text in a column margin.
        let doc = parse("===  ===\n a xx b\n===  ===\n");
        assert!(doc.tables.is_empty());
    }

    #[test]
    fn grid_table_with_multi_line_cells() {
        let body = "+--------+--------------+\n| Head 1 | Head 2       |\n+========+==============+\n| a      | multi        |\n|        | line cell    |\n+--------+--------------+\n| b      | :doc:`x/y`   |\n+--------+--------------+\n| spans both columns    |\n+-----------------------+\n";
        let doc = in_section(body);
        let t = &doc.tables[0];
        assert_eq!(t.pos, Pos::new(7, 1));
        assert_eq!(cells(&t.header), [["Head 1", "Head 2"]]);
        assert_eq!(
            cells(&t.rows),
            [
                vec!["a", "multi line cell"],
                vec!["b", ":doc:`x/y`"],
                vec!["spans both columns"]
            ]
        );
        assert_eq!(t.rows[0].line, 10);
        assert_eq!(doc.links[0].target, "x/y");
        assert_eq!(doc.links[0].pos, Pos::new(13, 18));
    }

    /// Found by the docutils differential test: a lone `+---+` line is a
    /// table without rows in docutils (its top is also its bottom).
    #[test]
    fn lone_grid_border_is_an_empty_table() {
        let doc = in_section("+-----+\nafter\n");
        assert_eq!(doc.tables.len(), 1);
        assert!(doc.tables[0].rows.is_empty() && doc.tables[0].header.is_empty());
        assert_eq!(item_texts(section(&doc, "S")), ["after"]);
    }

    #[test]
    fn malformed_grid_table_is_content() {
        let doc = in_section("+----+----+\n| a  | b |\n+----+----+\n");
        assert!(doc.tables.is_empty());
        assert!(section(&doc, "S").has_content);
    }

    #[test]
    fn table_in_a_list_item() {
        let doc = in_section("- item\n\n  ===  ===\n  a    b\n  ===  ===\n");
        assert_eq!(cells(&doc.tables[0].rows), [["a", "b"]]);
        assert_eq!(doc.tables[0].pos, Pos::new(9, 3));
        assert_eq!(section(&doc, "S").items.len(), 1);
    }

    // -- input shapes --------------------------------------------------------

    #[test]
    fn crlf_gives_the_same_document_as_lf() {
        let lf = parse(SEED);
        let crlf = parse(&SEED.replace('\n', "\r\n"));
        assert_eq!(format!("{lf:?}"), format!("{crlf:?}"));
        let lf = in_section(SIMPLE_TABLE);
        let crlf = in_section(&SIMPLE_TABLE.replace('\n', "\r\n"));
        assert_eq!(format!("{lf:?}"), format!("{crlf:?}"));
    }

    #[test]
    fn tabs_expand_to_eight_columns() {
        // `-<tab>` puts the text at column 8, so tab-indented lines continue
        // the item, even after a blank line (as in docutils).
        let doc = in_section(
            "-\tTab item\n\tcontinued\n\n\tmore\n\n*  Item\n\n\t.. image:: in-item.png\n",
        );
        let s = section(&doc, "S");
        assert_eq!(
            item_texts(s),
            ["Tab item continued more", "Item .. image:: in-item.png"]
        );
        // Columns count characters: the tab is one.
        assert_eq!(s.items[0].pos, Pos::new(7, 3));
        assert_eq!(doc.links[0].pos, Pos::new(14, 13));
        // A tab-indented line under a 2-column item text still continues it.
        let doc = in_section("- a\n\tb\n");
        assert_eq!(item_texts(section(&doc, "S")), ["a b"]);
    }

    #[test]
    fn line_count_semantics() {
        assert_eq!(parse("").line_count, 0);
        assert_eq!(parse("a").line_count, 1);
        assert_eq!(parse("a\n").line_count, 1);
        assert_eq!(parse("a\nb").line_count, 2);
        assert_eq!(parse("\n\n").line_count, 2);
        assert_eq!(parse("a\r\nb\r\n").line_count, 2);
    }

    #[test]
    fn empty_and_blank_input() {
        for text in ["", "\n", "   \n\t\n", "\u{a0}\n"] {
            let doc = parse(text);
            assert!(doc.title.is_none() && doc.sections.is_empty() && doc.preamble.is_empty());
        }
    }

    #[test]
    fn garbage_never_panics() {
        const PIECES: &[&str] = &[
            "-",
            "*",
            " ",
            "  ",
            "\t",
            "\n",
            "\r\n",
            "\r",
            "=",
            "====",
            "+--+",
            "|",
            "..",
            "::",
            ":",
            "`",
            ":doc:`",
            ">",
            "<",
            "1.",
            "(a)",
            "#.",
            "i)",
            "_",
            "|x|",
            "[1]",
            "a",
            "æ",
            "ø",
            "\u{301}",
            "é",
            "+====+",
            "== ==",
            "code-block",
            "image",
            " :: ",
            ">>>",
            "__",
            "\\",
            "\u{a0}",
            "\u{3000}",
            "漢",
            "\u{b}",
            "\u{c}",
        ];
        let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
        for _ in 0..3000 {
            let mut text = String::new();
            for _ in 0..(seed % 60) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                text.push_str(PIECES[(seed % PIECES.len() as u64) as usize]);
            }
            let doc = parse(&text);
            let lines = doc.line_count;
            let positions = doc
                .sections
                .iter()
                .map(|s| s.heading.pos)
                .chain(
                    doc.sections
                        .iter()
                        .flat_map(|s| s.items.iter().map(|i| i.pos)),
                )
                .chain(doc.links.iter().map(|l| l.pos))
                .chain(doc.comments.iter().map(|c| c.pos))
                .chain(doc.tables.iter().map(|t| t.pos));
            for pos in positions {
                assert!(
                    pos.line >= 1 && pos.line <= lines && pos.column >= 1,
                    "{pos:?} in {text:?}"
                );
            }
        }
    }

    #[test]
    fn deeply_nested_list_is_one_item() {
        let depth = 10_000;
        let mut text = String::from("A\n=\n\nB\n=\n\n");
        for level in 0..depth {
            text.push_str(&" ".repeat(level * 2));
            text.push_str("- x\n");
        }
        let doc = parse(&text);
        let items = &doc.sections[1].items;
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].text.len(), 4 * depth - 3);
        assert_eq!(items[0].end_line, to_u32(depth + 6));
        // Nesting on a single line, too.
        let doc = parse(&format!("A\n=\n\nB\n=\n\n{}x\n", "- ".repeat(depth)));
        assert_eq!(doc.sections[1].items.len(), 1);
    }

    #[test]
    fn long_single_line() {
        let line = "word :doc:`t` ".repeat(700_000);
        let doc = parse(&line);
        assert_eq!(doc.line_count, 1);
        assert_eq!(doc.preamble.len(), 1);
        assert_eq!(doc.links.len(), 700_000);
        let last = doc.links.last().map(|l| l.pos);
        assert_eq!(last, Some(Pos::new(1, to_u32(14 * 699_999 + 12))));
    }

    #[test]
    fn long_line_of_markers() {
        for line in [
            "=".repeat(1 << 20),
            "= ".repeat(1 << 19),
            "+-".repeat(1 << 19) + "+",
            "1".repeat(1 << 20) + ".",
        ] {
            let doc = parse(&line);
            assert_eq!(doc.line_count, 1);
        }
    }
}
