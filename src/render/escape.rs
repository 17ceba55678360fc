//! Escaping for every consumer of milepost's output, in one place.
//!
//! milepost runs on pull requests from strangers, and almost everything it
//! prints comes from them: file names, headings, item text quoted in
//! messages. Each consumer has its own dangerous characters, so each gets
//! its own function, and every output site calls the one for its consumer:
//!
//! - [`terminal`]: people at a terminal. Control characters (an escape
//!   sequence that retitles the window or rewrites the screen, a carriage
//!   return that hides what came before) and the bidirectional overrides
//!   of "Trojan Source" are shown as `\n`, `\x1b`, `\u{202e}`, never sent.
//!   [`snippet`] does the same for a source line and keeps the caret under
//!   the right character.
//! - The GitHub Actions runner reads every line milepost prints, in any
//!   format, when it runs in a workflow: it runs a line that starts with
//!   `::` (after leading white space) as a workflow command (`::error`,
//!   `::add-mask::`, `::stop-commands::`), and, for the old syntax, a line
//!   that contains `##[command]` anywhere. So terminal text is also made
//!   safe for it: [`terminal`] breaks up `##[`, and [`terminal_line`],
//!   for text that begins a line (a path, the plain listing of the
//!   `github` format), also makes sure the line cannot start with `::`.
//!   [`github_data`] and [`github_property`] escape the parts of
//!   milepost's own workflow commands.
//! - [`xml_text`], [`xml_attribute`]: JUnit XML.
//! - [`uri_path`]: SARIF's `artifactLocation.uri`.
//! - [`markdown_cell`], [`rst_cell`]: tables committed into a docs site.
//!
//! JSON (the `json` and `sarif` formats) needs nothing here: serde_json
//! escapes every control character.
//!
//! Escaped characters are written the way Rust writes them (`\n`, `\x1b`,
//! `\u{202e}`); a backslash in the text itself is left alone, since
//! doubling every one (a Windows path in a message) would cost more
//! readability than the rare ambiguity is worth.

use std::borrow::Cow;
use std::fmt::Write as _;

use unicode_width::UnicodeWidthStr;

/// Text for a terminal, inside a line: control characters, bidirectional
/// controls and Unicode line separators are shown escaped, and `##[` is
/// written `##\x5b` (see [`guard`]). Borrows when there is nothing to
/// escape, which is nearly always.
pub fn terminal(text: &str) -> Cow<'_, str> {
    shown(text, false)
}

/// Text that begins a line on a terminal or in a CI log: as [`terminal`],
/// and a first visible `:` is written `\x3a`, so that no line can be a
/// workflow command. The plain listing of the `github` format is made of
/// such lines, and so is the human format's first line of a finding,
/// which starts with the path.
pub fn terminal_line(text: &str) -> String {
    shown(text, true).into_owned()
}

/// Text that may span lines on a terminal or in a CI log, such as an
/// error whose message is laid out on several lines (a regex error draws
/// a caret under the pattern): line feeds are kept, and every line is as
/// [`terminal_line`].
pub fn terminal_lines(text: &str) -> String {
    text.split('\n')
        .map(terminal_line)
        .collect::<Vec<_>>()
        .join("\n")
}

fn shown(text: &str, starts_line: bool) -> Cow<'_, str> {
    let shown = controls_escaped(text);
    match guard(&shown, starts_line) {
        Some(safe) => Cow::Owned(safe),
        None => shown,
    }
}

/// `text` with the characters a terminal must not get escaped.
fn controls_escaped(text: &str) -> Cow<'_, str> {
    if !text.chars().any(hidden_from_terminal) {
        return Cow::Borrowed(text);
    }
    let mut shown = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        push_shown(&mut shown, c, hidden_from_terminal);
    }
    Cow::Owned(shown)
}

/// Makes shown text safe from the GitHub runner, or says it already is.
/// The runner's comparisons are culture-sensitive, which skips characters
/// that are invisible by default (`#\u{200b}#[` contains `##[` to it,
/// `\u{200b}::` starts with `::`), so the check is made on the text
/// without them; only when it finds something are those characters
/// escaped too (an emoji's joiners and variation selectors stay as they
/// are otherwise), `##[` written `##\x5b`, and, at the start of a line, a
/// first visible `:` `\x3a`.
fn guard(shown: &str, starts_line: bool) -> Option<String> {
    let skeleton: Cow<'_, str> = if shown.chars().any(ignorable) {
        Cow::Owned(shown.chars().filter(|&c| !ignorable(c)).collect())
    } else {
        Cow::Borrowed(shown)
    };
    let risky = skeleton.contains("##[") || (starts_line && skeleton.trim_start().starts_with(':'));
    if !risky {
        return None;
    }
    let mut safe = String::with_capacity(shown.len() + 8);
    for c in shown.chars() {
        push_shown(&mut safe, c, ignorable);
    }
    let mut safe = safe.replace("##[", "##\\x5b");
    if starts_line {
        let indent = safe.len() - safe.trim_start().len();
        if safe[indent..].starts_with(':') {
            safe.replace_range(indent..=indent, "\\x3a");
        }
    }
    Some(safe)
}

/// A source line for a snippet, and how far (in terminal columns) to
/// indent the caret that points at 1-based character `column`.
///
/// Tabs become one space, as columns count them as one character;
/// escaped characters take the width of their escape, so the caret is
/// counted on the text as shown, in display width (a wide character
/// takes two columns).
pub fn snippet(line: &str, column: u32) -> (String, usize) {
    let (shown, marked) = snippet_span(line, column, None);
    (shown, marked.start)
}

/// As [`snippet`], for a finding that marks a value from `column` up to
/// (not including) `end_column`: the display columns the value takes in the
/// shown line, so that a wide character or an escape is underlined as wide
/// as it is shown. Without an end (or an end not after the start) the range
/// is one column wide, for a single caret.
pub fn snippet_span(
    line: &str,
    column: u32,
    end_column: Option<u32>,
) -> (String, std::ops::Range<usize>) {
    let line = line.trim_end();
    // The same escapes as `terminal`, made one character at a time so
    // that the caret can be placed: a line that `guard` finds risky has
    // its invisible characters and the `[` of `##[` escaped too.
    let risky = guard(&controls_escaped(line), false).is_some();
    let before = usize::try_from(column.saturating_sub(1)).unwrap_or(usize::MAX);
    let mut shown = String::with_capacity(line.len());
    let after = end_column
        .and_then(|end| usize::try_from(end.saturating_sub(1)).ok())
        .filter(|&after| after > before);
    let mut caret = None;
    let mut end = None;
    let mut count = 0;
    for c in line.chars() {
        if count == before {
            caret = Some(shown.width());
        }
        if Some(count) == after {
            end = Some(shown.width());
        }
        if c == '\t' {
            shown.push(' ');
        } else if hidden_from_terminal(c) || (risky && ignorable(c)) {
            push_escape(&mut shown, c);
        } else if risky && c == '[' && shown.ends_with("##") {
            shown.push_str("\\x5b");
        } else {
            shown.push(c);
        }
        count += 1;
    }
    // A column past the end of the line (a missing section, end of file):
    // the caret goes that far past the last character.
    let caret = caret.unwrap_or_else(|| shown.width().saturating_add(before - count.min(before)));
    // An end at or past the line's end underlines to the last character.
    let end = match after {
        Some(_) => end.unwrap_or_else(|| shown.width()),
        None => caret + 1,
    };
    (shown, caret..end.max(caret + 1))
}

/// A workflow command's message, as `escapeData` in GitHub's toolkit: the
/// runner undoes `%25`, `%0D` and `%0A`. Callers pass text already made
/// fit for people with [`terminal`], so the only line breaks left are the
/// ones milepost means (before a hint).
pub fn github_data(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => escaped.push_str("%25"),
            '\r' => escaped.push_str("%0D"),
            '\n' => escaped.push_str("%0A"),
            c => escaped.push(c),
        }
    }
    escaped
}

/// A workflow command's property value (`file=...`), as `escapeProperty`
/// in GitHub's toolkit: `:` and `,` delimit the properties and the
/// message, so they are escaped too. The runner undoes exactly these
/// escapes, so a path round-trips and the annotation lands on the file;
/// any other control character is percent-encoded as well (the runner
/// keeps it as `%1B`, so such a file gets an annotation without a place,
/// which is better than a raw escape code in the log).
pub fn github_property(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => escaped.push_str("%25"),
            '\r' => escaped.push_str("%0D"),
            '\n' => escaped.push_str("%0A"),
            ':' => escaped.push_str("%3A"),
            ',' => escaped.push_str("%2C"),
            c if c.is_control() => {
                let mut bytes = [0; 4];
                for byte in c.encode_utf8(&mut bytes).bytes() {
                    let _ = write!(escaped, "%{byte:02X}");
                }
            }
            c => escaped.push(c),
        }
    }
    escaped
}

/// Element content in XML 1.0.
pub fn xml_text(text: &str) -> String {
    xml(text, false)
}

/// An attribute value in double quotes in XML 1.0.
pub fn xml_attribute(text: &str) -> String {
    xml(text, true)
}

/// Markup characters become references. Line ends and tabs survive as
/// themselves or as references (a parser folds them into spaces in an
/// attribute, and turns a literal CR into LF). Other control characters
/// cannot appear in an XML 1.0 document at all, not even as references,
/// and U+FFFE and U+FFFF are not characters to XML: all of them are shown
/// escaped as for a terminal, where a CI system may well print the text.
fn xml(text: &str, attribute: bool) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&apos;"),
            '\r' => escaped.push_str("&#13;"),
            '\n' if attribute => escaped.push_str("&#10;"),
            '\t' if attribute => escaped.push_str("&#9;"),
            '\n' | '\t' => escaped.push(c),
            c if hidden_from_terminal(c) || !allowed_in_xml(c) => push_escape(&mut escaped, c),
            c => escaped.push(c),
        }
    }
    escaped
}

/// XML 1.0's `Char` production.
fn allowed_in_xml(c: char) -> bool {
    matches!(c,
        '\t' | '\n' | '\r'
        | '\u{20}'..='\u{D7FF}'
        | '\u{E000}'..='\u{FFFD}'
        | '\u{10000}'..='\u{10FFFF}')
}

/// A `/`-separated relative path as a relative URI reference (RFC 3986):
/// every byte that is not unreserved or a sub-delimiter is percent-encoded
/// as UTF-8 (space, `%`, `#`, `?`, control characters, non-ASCII), and so
/// is `:`, which in the first segment would read as a scheme.
pub fn uri_path(path: &str) -> String {
    let mut uri = String::with_capacity(path.len());
    for byte in path.bytes() {
        let keep = byte.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=@/".contains(&byte);
        if keep {
            uri.push(char::from(byte));
        } else {
            let _ = write!(uri, "%{byte:02X}");
        }
    }
    uri
}

/// A cell of a GitHub-flavoured Markdown table: shown as on a terminal
/// (so a line break cannot start a new row), then every character that
/// could end the cell (`|`), open a link or image (`[`, `]`), an HTML tag
/// or autolink (`<`, `>`), an entity (`&`), or change the formatting is
/// backslash-escaped, backslashes included, so the cell reads exactly
/// as the text.
pub fn markdown_cell(text: &str) -> String {
    let shown = terminal(text);
    let mut escaped = String::with_capacity(shown.len());
    for c in shown.chars() {
        if matches!(
            c,
            '\\' | '|' | '[' | ']' | '<' | '>' | '&' | '*' | '_' | '`' | '~'
        ) {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

/// A cell of a reStructuredText grid table: shown as on a terminal (a
/// line break would tear the grid), then inline markup (`` ` ``, `*`,
/// `_`, `|`: roles, links, references, substitutions) and backslashes are
/// backslash-escaped, and so is a first character that is ASCII
/// punctuation, since a cell is a body of its own where `.. include::`
/// would be a directive and `- ` a list.
pub fn rst_cell(text: &str) -> String {
    let shown = terminal(text);
    let mut escaped = String::with_capacity(shown.len());
    for (i, c) in shown.chars().enumerate() {
        if matches!(c, '\\' | '`' | '*' | '_' | '|') || (i == 0 && c.is_ascii_punctuation()) {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

/// Characters that must not reach a terminal as themselves: C0 and C1
/// controls and DEL (escape sequences, carriage returns, line breaks),
/// the bidirectional controls that make text display in another order
/// than it reads, and the Unicode line and paragraph separators.
fn hidden_from_terminal(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{061C}' | '\u{200E}' | '\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
            | '\u{2028}' | '\u{2029}')
}

/// Characters that are invisible by default and that ICU collation, and
/// so the runner's string matching, skips: soft hyphen, zero-width
/// spaces and joiners, word joiners and invisible operators, variation
/// selectors, the byte-order mark, Arabic and other format characters,
/// tags.
fn ignorable(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{0600}'..='\u{0605}' | '\u{06DD}' | '\u{070F}' | '\u{0890}' | '\u{0891}' | '\u{08E2}'
        | '\u{180B}'..='\u{180F}'
        | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}'
        | '\u{3164}'
        | '\u{FE00}'..='\u{FE0F}'
        | '\u{FEFF}' | '\u{FFA0}'
        | '\u{FFF0}'..='\u{FFFB}'
        | '\u{110BD}' | '\u{110CD}'
        | '\u{13430}'..='\u{1343F}'
        | '\u{1BCA0}'..='\u{1BCA3}'
        | '\u{1D173}'..='\u{1D17A}'
        | '\u{E0000}'..='\u{E0FFF}')
}

fn push_shown(out: &mut String, c: char, hidden: fn(char) -> bool) {
    if hidden(c) {
        push_escape(out, c);
    } else {
        out.push(c);
    }
}

/// `\n`, `\r`, `\t`, `\x1b` for ASCII, `\u{202e}` beyond.
fn push_escape(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c if c.is_ascii() => {
            let _ = write!(out, "\\x{:02x}", u32::from(c));
        }
        c => {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OSC_TITLE: &str = "Bud\u{1b}]0;pwned\u{7}sjett";

    #[test]
    fn terminal_shows_controls_and_keeps_the_rest() {
        assert_eq!(terminal("Fullført 100% 🚀"), "Fullført 100% 🚀");
        assert!(matches!(terminal("plain"), Cow::Borrowed(_)));
        assert_eq!(terminal(OSC_TITLE), "Bud\\x1b]0;pwned\\x07sjett");
        assert_eq!(
            terminal("a\nb\r\tc\u{0}\u{7f}\u{9b}"),
            "a\\nb\\r\\tc\\x00\\x7f\\u{9b}"
        );
        assert_eq!(terminal("uke\u{202e}tsr.md"), "uke\\u{202e}tsr.md");
        assert_eq!(terminal("a\u{2028}b"), "a\\u{2028}b");
    }

    #[test]
    fn terminal_lines_keeps_line_feeds_but_guards_every_line() {
        assert_eq!(
            terminal_lines("regex parse error:\n    (\n    ^\nerror: unclosed group"),
            "regex parse error:\n    (\n    ^\nerror: unclosed group"
        );
        assert_eq!(
            terminal_lines("bad `x\n ::add-mask::y\r`"),
            "bad `x\n \\x3a:add-mask::y\\r`"
        );
    }

    #[test]
    fn snippet_caret_follows_the_escaped_text() {
        // The caret under the `s` after the OSC sequence.
        let (shown, caret) = snippet(OSC_TITLE, 14);
        assert_eq!(shown, "Bud\\x1b]0;pwned\\x07sjett");
        assert_eq!(&shown[caret..caret + 1], "s");
        // Tabs count as one column; wide characters as two.
        assert_eq!(snippet("\tx", 2), (" x".into(), 1));
        assert_eq!(snippet("会議 x", 4), ("会議 x".into(), 5));
        // A trailing CR of a CRLF file is not shown.
        assert_eq!(snippet("abc\r", 2), ("abc".into(), 1));
        // Past the end.
        assert_eq!(snippet("a\u{1b}", 4), ("a\\x1b".into(), 6));
        assert_eq!(snippet("", u32::MAX).0, "");
        // A span underlines the value as wide as it is shown: two wide
        // characters are four columns, an escaped control four more.
        assert_eq!(snippet_span("x 会議 y", 3, Some(5)).1, 2..6);
        assert_eq!(snippet_span("a\u{1b}b", 1, Some(4)).1, 0..6);
        // An end past the line stops at its last character; an end not
        // after the start is a single caret.
        assert_eq!(snippet_span("abc", 2, Some(99)).1, 1..3);
        assert_eq!(snippet_span("abc", 2, Some(2)).1, 1..2);
        assert_eq!(snippet_span("abc", 2, None).1, 1..2);
        // Old-style commands are broken up here too, caret and all.
        let (shown, caret) = snippet("##[add-mask]x y", 15);
        assert_eq!(shown, "##\\x5badd-mask]x y");
        assert_eq!(&shown[caret..], "y");
        let (shown, caret) = snippet("#\u{200b}#[a] y", 8);
        assert_eq!(shown, "#\\u{200b}#[a] y");
        assert_eq!(&shown[caret..], "y");
    }

    #[test]
    fn github_data_escapes_percent_and_line_ends() {
        assert_eq!(github_data("100% done\r\nnext"), "100%25 done%0D%0Anext");
        assert_eq!(github_data("%0A"), "%250A");
        assert_eq!(github_data("a: b, c"), "a: b, c");
    }

    #[test]
    fn github_property_also_escapes_delimiters_and_controls() {
        assert_eq!(
            github_property("docs/a,b: 50%.rst"),
            "docs/a%2Cb%3A 50%25.rst"
        );
        assert_eq!(
            github_property("x\n::error file=a::y"),
            "x%0A%3A%3Aerror file=a%3A%3Ay"
        );
        assert_eq!(github_property("a\u{1b}]0;t\u{7}"), "a%1B]0;t%07");
        assert_eq!(github_property("\u{9b}"), "%C2%9B");
    }

    #[test]
    fn lines_cannot_be_workflow_commands() {
        assert_eq!(
            terminal_line("uke\n::error file=a::x.rst:1:1: error"),
            "uke\\n::error file=a::x.rst:1:1: error"
        );
        assert_eq!(
            terminal_line("::stop-commands::t"),
            "\\x3a:stop-commands::t"
        );
        assert_eq!(terminal_line("  \u{a0}::x"), "  \u{a0}\\x3a:x");
        assert_eq!(terminal_line("\u{200b}::x"), "\\u{200b}::x");
        assert_eq!(terminal_line("\u{feff}::x"), "\\u{feff}::x");
        assert_eq!(terminal_line("a.rst:1:1: x :: y"), "a.rst:1:1: x :: y");
        assert_eq!(terminal_line(""), "");
        // Inside a line, `::` is harmless and left alone.
        assert_eq!(terminal("::x"), "::x");
    }

    #[test]
    fn old_style_commands_are_broken_up_anywhere() {
        assert_eq!(terminal("a `##[add-mask]x` b"), "a `##\\x5badd-mask]x` b");
        assert_eq!(terminal("#\u{200b}#[add-mask]x"), "#\\u{200b}#[add-mask]x");
        // Harmless `#` and invisible characters are left alone.
        assert_eq!(terminal("## [x] #1"), "## [x] #1");
        assert_eq!(terminal("❤\u{fe0f} #[x]"), "❤\u{fe0f} #[x]");
        assert!(matches!(terminal("# heading"), Cow::Borrowed(_)));
    }

    #[test]
    fn xml_escapes_markup_and_shows_what_xml_cannot_hold() {
        assert_eq!(
            xml_attribute(r#"<a href="x">Tom & Jerry's</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&apos;s&lt;/a&gt;"
        );
        assert_eq!(
            xml_text("a\u{0}b\u{1b}c\u{FFFE}d\u{85}"),
            "a\\x00b\\x1bc\\u{fffe}d\\u{85}"
        );
        assert_eq!(xml_text("a\nb\tc\r\nd"), "a\nb\tc&#13;\nd");
        assert_eq!(xml_attribute("a\nb\tc"), "a&#10;b&#9;c");
    }

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(
            uri_path("docs/status/2016_uke_38.rst"),
            "docs/status/2016_uke_38.rst"
        );
        assert_eq!(
            uri_path("docs/my notes/uke 38#1?.rst"),
            "docs/my%20notes/uke%2038%231%3F.rst"
        );
        assert_eq!(uri_path("c:/uke%.rst"), "c%3A/uke%25.rst");
        assert_eq!(uri_path("fullført/uke.md"), "fullf%C3%B8rt/uke.md");
        assert_eq!(uri_path("a\nb\u{1b}.rst"), "a%0Ab%1B.rst");
    }

    #[test]
    fn markdown_cells_cannot_make_rows_links_or_tags() {
        assert_eq!(markdown_cell("a | b"), "a \\| b");
        assert_eq!(
            markdown_cell("x\n| injected | row |"),
            "x\\\\n\\| injected \\| row \\|"
        );
        assert_eq!(
            markdown_cell("[click](https://evil) <img src=x> &amp;"),
            "\\[click\\](https://evil) \\<img src=x\\> \\&amp;"
        );
        assert_eq!(markdown_cell("mitaka"), "mitaka");
        assert_eq!(markdown_cell("a\u{1b}b"), "a\\\\x1bb");
    }

    #[test]
    fn rst_cells_cannot_make_directives_or_references() {
        assert_eq!(
            rst_cell(".. include:: /etc/passwd"),
            "\\.. include:: /etc/passwd"
        );
        assert_eq!(
            rst_cell("see `x <https://evil>`_"),
            "see \\`x <https://evil>\\`\\_"
        );
        assert_eq!(rst_cell("|sub| *b*"), "\\|sub\\| \\*b\\*");
        assert_eq!(rst_cell("- item"), "\\- item");
        assert_eq!(rst_cell("Oppgradere til mitaka"), "Oppgradere til mitaka");
        assert_eq!(rst_cell("a\nb"), "a\\\\nb");
    }
}
