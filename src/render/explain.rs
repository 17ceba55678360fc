//! `milepost explain`: a rule's explanation for a terminal, as Markdown
//! for a docs site, or as JSON for tools; and the list of every rule.
//!
//! The explanations are Markdown (`src/rules/docs/`), one text for the
//! docs and the terminal. On a terminal, raw Markdown reads badly (`##`,
//! backticks, paragraphs broken where the source was), so it is rendered:
//! headings bold, code spans dim, paragraphs and list items wrapped to the
//! width, code blocks indented as they are, tables drawn. The styles are
//! anstyle codes, which the binary's stream strips when colours are off.
//! All of this text is milepost's own, never a repository's.

use std::io::{self, Write};

use anstyle::Style;
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use super::table::{Fit, Styled, TableStyle, fitted};
use crate::rules::Rule;

const BOLD: Style = Style::new().bold();
const DIM: Style = Style::new().dimmed();
const ITALIC: Style = Style::new().italic();

/// Paragraphs wrap at the terminal's width, but no wider than this, which
/// reads better on a wide screen; and at this width when none is known.
pub const TEXT_WIDTH: usize = 80;

/// A rule as `explain --format json` gives it.
#[derive(Serialize)]
pub struct RuleDoc {
    pub name: &'static str,
    pub code: &'static str,
    pub default_severity: &'static str,
    pub enabled_by_default: bool,
    pub summary: &'static str,
    /// The explanation, as Markdown.
    pub explanation: &'static str,
}

impl RuleDoc {
    pub fn new(rule: Rule) -> Self {
        RuleDoc {
            name: rule.name(),
            code: rule.code(),
            default_severity: rule.default_severity().as_str(),
            enabled_by_default: rule.enabled_by_default(),
            summary: rule.summary(),
            explanation: rule.explain(),
        }
    }
}

/// One rule as an object, or (without a rule) every rule as an array.
pub fn json(out: &mut dyn Write, rule: Option<Rule>) -> io::Result<()> {
    match rule {
        Some(rule) => serde_json::to_writer_pretty(&mut *out, &RuleDoc::new(rule)),
        None => {
            let all: Vec<RuleDoc> = Rule::ALL.iter().copied().map(RuleDoc::new).collect();
            serde_json::to_writer_pretty(&mut *out, &all)
        }
    }
    .map_err(super::json_io_error)?;
    writeln!(out)
}

fn default_level(rule: Rule) -> String {
    if rule.enabled_by_default() {
        rule.default_severity().to_string()
    } else {
        format!("{}, off unless turned on", rule.default_severity())
    }
}

/// Markdown for a docs site: one rule as a page (`# name (code)`), or
/// every rule on one page, a table of them first and each rule's
/// headings one level down.
pub fn markdown(out: &mut dyn Write, rule: Option<Rule>) -> io::Result<()> {
    match rule {
        Some(rule) => markdown_rule(out, rule, 1),
        None => {
            writeln!(out, "# Rules\n")?;
            writeln!(out, "| code | rule | default | checks that |")?;
            writeln!(out, "| --- | --- | --- | --- |")?;
            for &rule in Rule::ALL {
                let default = if rule.enabled_by_default() {
                    rule.default_severity().as_str()
                } else {
                    "off"
                };
                writeln!(
                    out,
                    "| {} | [`{}`](#{}) | {default} | {} |",
                    rule.code(),
                    rule.name(),
                    rule.name(),
                    rule.summary()
                )?;
            }
            for &rule in Rule::ALL {
                writeln!(out)?;
                markdown_rule(out, rule, 2)?;
            }
            Ok(())
        }
    }
}

fn markdown_rule(out: &mut dyn Write, rule: Rule, level: usize) -> io::Result<()> {
    writeln!(
        out,
        "{} {} ({})\n\nChecks that {}. Default severity: {}.\n",
        "#".repeat(level),
        rule.name(),
        rule.code(),
        rule.summary(),
        default_level(rule)
    )?;
    write!(out, "{}", demoted(rule.explain(), level - 1))
}

/// `markdown` with every ATX heading `levels` deeper, code fences left
/// alone. The explanations use `##` sections under the rule's `#`.
fn demoted(markdown: &str, levels: usize) -> String {
    let mut shown = String::with_capacity(markdown.len() + 32);
    let mut fenced = false;
    for line in markdown.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fenced = !fenced;
        } else if !fenced && line.starts_with('#') {
            shown.push_str(&"#".repeat(levels));
        }
        shown.push_str(line);
    }
    shown
}

/// The list of rules for a terminal: a table fitted to `style.width`,
/// then how to read more.
pub fn listing(out: &mut dyn Write, style: TableStyle) -> io::Result<()> {
    let rows = Rule::ALL
        .iter()
        .map(|&rule| {
            let default = if rule.enabled_by_default() {
                rule.default_severity().as_str()
            } else {
                "off"
            };
            vec![
                Styled::from(rule.code()),
                Styled::from(rule.name()),
                Styled::from(default),
                Styled::from(rule.summary()),
            ]
        })
        .collect();
    let fits = [Fit::Keep, Fit::Keep, Fit::Keep, Fit::Words];
    let header = ["code", "rule", "default", "checks that"];
    writeln!(out, "{}", fitted(&header, rows, &fits, style))?;
    writeln!(
        out,
        "\n{BOLD}milepost explain RULE{BOLD:#} tells what a rule checks, why, and shows an example."
    )
}

/// One rule for a terminal: its name, code and default severity, its
/// summary, and the explanation rendered from Markdown at `width`.
pub fn terminal(out: &mut dyn Write, rule: Rule, style: TableStyle) -> io::Result<()> {
    writeln!(
        out,
        "{BOLD}{} ({}){BOLD:#}, default severity {}",
        rule.name(),
        rule.code(),
        default_level(rule)
    )?;
    writeln!(out, "{}\n", rule.summary())?;
    let width = style
        .width
        .filter(|&w| w >= super::table::MIN_WIDTH)
        .map_or(TEXT_WIDTH, |w| usize::from(w).min(TEXT_WIDTH));
    write!(out, "{}", to_terminal(rule.explain(), width, style))
}

/// A piece of a word in one style.
type Piece = (String, Style);

/// Inline text gathered for the block being read, as words of styled
/// pieces; `None` is a hard line break.
#[derive(Default)]
struct Inline {
    words: Vec<Option<Vec<Piece>>>,
    /// Whether the next text continues the last word (no space between).
    joined: bool,
}

impl Inline {
    fn text(&mut self, text: &str, style: Style) {
        for (i, part) in text.split(' ').enumerate() {
            if i > 0 {
                self.joined = false;
            }
            if part.is_empty() {
                continue;
            }
            match self.words.last_mut() {
                Some(Some(word)) if self.joined => match word.last_mut() {
                    Some((last, last_style)) if *last_style == style => last.push_str(part),
                    _ => word.push((part.to_owned(), style)),
                },
                _ => self.words.push(Some(vec![(part.to_owned(), style)])),
            }
            self.joined = true;
        }
    }

    fn space(&mut self) {
        self.joined = false;
    }

    fn hard_break(&mut self) {
        self.words.push(None);
        self.joined = false;
    }

    fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    fn plain(&self) -> String {
        let words: Vec<String> = self
            .words
            .iter()
            .flatten()
            .map(|word| word.iter().map(|(text, _)| text.as_str()).collect())
            .collect();
        words.join(" ")
    }

    /// The words wrapped at `width`, the first line after `first` and the
    /// others after `rest` (a list item's bullet and its hanging indent).
    /// A style is opened where it starts and closed where it ends or the
    /// line does, so a bold heading is one bold run.
    fn wrapped(&mut self, width: usize, first: &str, rest: &str) -> String {
        let mut lines = Lines {
            shown: String::new(),
            line: String::from(first),
            used: first.width(),
            open: Style::new(),
            fresh: true,
        };
        for word in std::mem::take(&mut self.words) {
            let Some(word) = word else {
                lines.end(rest);
                continue;
            };
            let word_width: usize = word.iter().map(|(text, _)| text.width()).sum();
            if !lines.fresh && lines.used + 1 + word_width > width {
                lines.end(rest);
            }
            if !lines.fresh {
                // The space belongs to a run only if the next word goes on with it.
                let next = word.first().map_or(Style::new(), |(_, style)| *style);
                let space = if next == lines.open {
                    next
                } else {
                    Style::new()
                };
                lines.push(" ", space);
                lines.used += 1;
            }
            for (text, style) in &word {
                lines.push(text, *style);
            }
            lines.used += word_width;
            lines.fresh = false;
        }
        lines.end("");
        self.joined = false;
        lines.shown
    }
}

/// Lines being filled with styled text.
struct Lines {
    shown: String,
    line: String,
    used: usize,
    /// The style in force on the line.
    open: Style,
    fresh: bool,
}

impl Lines {
    fn push(&mut self, text: &str, style: Style) {
        if style != self.open {
            self.line
                .push_str(&format!("{}{style}", self.open.render_reset()));
            self.open = style;
        }
        self.line.push_str(text);
    }

    /// Ends the line and starts the next after `indent`.
    fn end(&mut self, indent: &str) {
        let reset = self.open.render_reset().to_string();
        self.shown.push_str(self.line.trim_end());
        self.shown.push_str(&reset);
        self.shown.push('\n');
        self.open = Style::new();
        self.line = indent.to_owned();
        self.used = indent.width();
        self.fresh = true;
    }
}

/// Where in a list the reader is: the bullet of the current item and
/// whether its first line has been written.
struct ListLevel {
    next_number: Option<u64>,
    bullet_written: bool,
    bullet: String,
}

/// A Markdown table being read: its header, its rows, the row being read.
type Gathered = (Vec<String>, Vec<Vec<String>>, Vec<String>);

/// Renders Markdown for a terminal at `width` columns.
pub fn to_terminal(markdown: &str, width: usize, style: TableStyle) -> String {
    let mut shown = String::new();
    let mut inline = Inline::default();
    let mut styles: Vec<Style> = Vec::new();
    let mut lists: Vec<ListLevel> = Vec::new();
    let mut link: Option<String> = None;
    let mut code_block: Option<String> = None;
    let mut table: Option<Gathered> = None;
    // Blocks are separated by a blank line, except a heading from what it
    // heads and the items of a list from each other.
    let mut after_heading = false;
    let separate = |shown: &mut String, after_heading: &mut bool| {
        if !shown.is_empty() && !*after_heading {
            shown.push('\n');
        }
        *after_heading = false;
    };
    let current = |styles: &[Style]| {
        styles.iter().fold(Style::new(), |acc, s| {
            let mut merged = acc;
            if s.get_effects().contains(anstyle::Effects::BOLD) {
                merged = merged.bold();
            }
            if s.get_effects().contains(anstyle::Effects::ITALIC) {
                merged = merged.italic();
            }
            merged
        })
    };
    let indent = |lists: &[ListLevel]| "  ".repeat(lists.len());
    let flush_item = |inline: &mut Inline, lists: &mut [ListLevel], shown: &mut String| {
        if inline.is_empty() {
            return;
        }
        let depth = lists.len();
        let Some(level) = lists.last_mut() else {
            return;
        };
        let outer = "  ".repeat(depth.saturating_sub(1));
        let rest = format!("{outer}{}", " ".repeat(level.bullet.width()));
        let first = if level.bullet_written {
            rest.clone()
        } else {
            format!("{outer}{}", level.bullet)
        };
        level.bullet_written = true;
        shown.push_str(&inline.wrapped(width, &first, &rest));
    };
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Start(Tag::Heading { .. }) => {
                separate(&mut shown, &mut after_heading);
                styles.push(BOLD);
            }
            Event::End(TagEnd::Heading(_)) => {
                styles.pop();
                shown.push_str(&inline.wrapped(width, "", ""));
                after_heading = true;
            }
            Event::Start(Tag::Paragraph) if lists.is_empty() => {
                separate(&mut shown, &mut after_heading);
            }
            Event::End(TagEnd::Paragraph) => {
                if lists.is_empty() {
                    shown.push_str(&inline.wrapped(width, "", ""));
                } else {
                    flush_item(&mut inline, &mut lists, &mut shown);
                }
            }
            Event::Start(Tag::List(start)) => {
                flush_item(&mut inline, &mut lists, &mut shown);
                if lists.is_empty() {
                    separate(&mut shown, &mut after_heading);
                }
                lists.push(ListLevel {
                    next_number: start,
                    bullet_written: false,
                    bullet: String::new(),
                });
            }
            Event::End(TagEnd::List(_)) => {
                flush_item(&mut inline, &mut lists, &mut shown);
                lists.pop();
            }
            Event::Start(Tag::Item) => {
                if let Some(level) = lists.last_mut() {
                    level.bullet = match &mut level.next_number {
                        Some(n) => {
                            let bullet = format!("{n}. ");
                            *n += 1;
                            bullet
                        }
                        None => "- ".to_owned(),
                    };
                    level.bullet_written = false;
                }
            }
            Event::End(TagEnd::Item) => flush_item(&mut inline, &mut lists, &mut shown),
            Event::Start(Tag::CodeBlock(_)) => {
                flush_item(&mut inline, &mut lists, &mut shown);
                if lists.is_empty() {
                    separate(&mut shown, &mut after_heading);
                }
                code_block = Some(String::new());
            }
            Event::End(TagEnd::CodeBlock) => {
                let pad = format!("{}    ", indent(&lists));
                for line in code_block.take().unwrap_or_default().lines() {
                    if line.is_empty() {
                        shown.push('\n');
                    } else {
                        shown.push_str(&format!("{pad}{line}\n"));
                    }
                }
            }
            Event::Start(Tag::Table(_)) => {
                separate(&mut shown, &mut after_heading);
                table = Some((Vec::new(), Vec::new(), Vec::new()));
            }
            Event::End(TagEnd::TableCell) => {
                if let Some((_, _, row)) = &mut table {
                    row.push(inline.plain());
                    inline = Inline::default();
                }
            }
            Event::End(TagEnd::TableHead) => {
                if let Some((header, _, row)) = &mut table {
                    *header = std::mem::take(row);
                }
            }
            Event::End(TagEnd::TableRow) => {
                if let Some((_, rows, row)) = &mut table {
                    rows.push(std::mem::take(row));
                }
            }
            Event::End(TagEnd::Table) => {
                if let Some((header, rows, _)) = table.take() {
                    let heads: Vec<&str> = header.iter().map(String::as_str).collect();
                    let fits = vec![Fit::Words; heads.len()];
                    let rows = rows
                        .into_iter()
                        .map(|row| row.into_iter().map(Styled::from).collect())
                        .collect();
                    let table_style = TableStyle {
                        width: u16::try_from(width).ok(),
                        color: style.color,
                    };
                    shown.push_str(&format!("{}\n", fitted(&heads, rows, &fits, table_style)));
                }
            }
            Event::Start(Tag::Strong) => styles.push(BOLD),
            Event::Start(Tag::Emphasis) => styles.push(ITALIC),
            Event::End(TagEnd::Strong | TagEnd::Emphasis) => {
                styles.pop();
            }
            Event::Start(Tag::Link { dest_url, .. }) => link = Some(dest_url.to_string()),
            Event::End(TagEnd::Link) => {
                if let Some(url) = link.take()
                    && !url.starts_with('#')
                    && url != inline.plain()
                {
                    inline.space();
                    inline.text(&format!("({url})"), Style::new());
                }
            }
            Event::Text(text) => match &mut code_block {
                Some(block) => block.push_str(&text),
                None => inline.text(&text, current(&styles)),
            },
            Event::Code(code) => inline.text(&code, DIM),
            Event::SoftBreak => inline.space(),
            Event::HardBreak => inline.hard_break(),
            Event::Rule => {
                separate(&mut shown, &mut after_heading);
                shown.push_str(&"─".repeat(width.min(40)));
                shown.push('\n');
            }
            Event::Html(html) | Event::InlineHtml(html) => inline.text(&html, Style::new()),
            _ => {}
        }
    }
    if !inline.is_empty() {
        shown.push_str(&inline.wrapped(width, "", ""));
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(markdown: &str, width: usize) -> String {
        let shown = to_terminal(markdown, width, TableStyle::default());
        anstream::adapter::strip_str(&shown).to_string()
    }

    #[test]
    fn no_markdown_syntax_is_left() {
        for &rule in Rule::ALL {
            let shown = plain(rule.explain(), 80);
            // Code blocks are indented and shown as they are.
            let prose: String = shown
                .lines()
                .filter(|line| !line.starts_with("    "))
                .collect::<Vec<_>>()
                .join("\n");
            for syntax in ["## ", "`", "**"] {
                assert!(
                    !prose.contains(syntax),
                    "{}: `{syntax}` left in:\n{shown}",
                    rule.name()
                );
            }
            for line in shown.lines() {
                // Code blocks and tables keep their width; prose wraps.
                if !line.starts_with("    ") && !line.starts_with(['│', '┌', '└', '╞', '├'])
                {
                    assert!(line.width() <= 80, "{}: too long: {line}", rule.name());
                }
            }
        }
    }

    #[test]
    fn headings_paragraphs_lists_and_code() {
        let markdown = "## What it checks\nThat the `title` is\nthere, **really**.\n\n- one item that is long enough to wrap here\n- two\n\n```rst\nUke 38\n======\n```\n";
        assert_eq!(
            plain(markdown, 24),
            "What it checks\nThat the title is there,\nreally.\n\n- one item that is long\n  enough to wrap here\n- two\n\n    Uke 38\n    ======\n"
        );
        let styled = to_terminal(markdown, 80, TableStyle::default());
        assert!(styled.contains(&format!("{BOLD}What it checks{BOLD:#}")));
        assert!(styled.contains(&format!("{DIM}title{DIM:#}")), "{styled:?}");
    }

    #[test]
    fn headings_demote_outside_code_fences() {
        assert_eq!(
            demoted("## A\n```\n# not a heading\n```\n", 1),
            "### A\n```\n# not a heading\n```\n"
        );
    }
}
