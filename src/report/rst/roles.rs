//! Inline `:doc:` roles, found with simplified inline-markup start and end
//! rules and unescaped as Sphinx does.

use super::*;

/// Character columns within one line, advanced monotonically so that many
/// positions on a very long line cost one pass over it.
pub(super) struct Cursor<'t> {
    pub(super) text: &'t str,
    pub(super) byte: usize,
    pub(super) col: usize,
}

impl Cursor<'_> {
    pub(super) fn col_at(&mut self, byte: usize) -> usize {
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
pub(super) struct OpenRole {
    pub(super) content: String,
    pub(super) start: Pos,
    /// Byte index in `content` and position of the last `<`, which starts
    /// the target in `Title <target>` form.
    pub(super) angle: Option<(usize, Pos)>,
}

impl OpenRole {
    /// The link the role makes: the part in angle brackets when there is a
    /// title, else the whole content. An empty target (`Title <>`) is kept
    /// for the link rule to report.
    pub(super) fn into_link(self) -> Link {
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
pub(super) fn unescape(text: &str) -> String {
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
pub(super) fn uri(text: &str) -> String {
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
pub(super) fn ends_escaped(text: &str) -> bool {
    let run = text.len() - text.trim_end_matches('\\').len();
    run % 2 == 1
}

#[derive(Default)]
pub(super) enum RoleState {
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
pub(super) struct RoleScanner {
    pub(super) state: RoleState,
}

impl RoleScanner {
    pub(super) fn feed(
        &mut self,
        src: &str,
        line_no: usize,
        line: &Line,
        from: usize,
        links: &mut Vec<Link>,
    ) {
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
pub(super) fn scan_text(
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
pub(super) fn role_may_start_after(prev: Option<char>) -> bool {
    prev.is_none_or(|c| !(c.is_alphanumeric() || matches!(c, '\\' | '`' | '_')))
}

pub(super) fn scan_literal(text: &str, k: usize) -> (Option<usize>, RoleState) {
    match text.get(k..).and_then(|s| s.find("``")) {
        Some(off) => (Some(k + off + 2), RoleState::Text),
        None => (None, RoleState::Literal),
    }
}

/// Collects role content up to the closing backquote.
pub(super) fn scan_role(
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
