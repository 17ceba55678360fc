//! `milepost new`: the next report of a series, written from the schema
//! and the latest report.
//!
//! Teams make next week's report by copying last week's file, which is how
//! a stale title, a wrong week or a wrong month gets in. This module writes
//! the skeleton instead, and takes its style from the series itself, not
//! from a template of ours: the file name, title, byline and date are the
//! previous report's with the week, date and author put in; headings are
//! adorned as the previous report adorned them; the lines between the
//! byline and the first section (a `.. contents::` directive) are kept.
//!
//! What goes in the sections, in the schema's order:
//! - done: nothing but a comment saying what goes there (the one
//!   `empty-section` finding a fresh report has, on purpose);
//! - in progress and planned: the latest report's items, as written,
//!   with their `milepost: item=` tags, so tracking follows them on;
//! - any other section: its body copied as is when the schema says so
//!   (`copy_to_next: true`, for standing text such as a status
//!   paragraph), else a comment.
//!
//! The module only computes text; `cli/new.rs` finds the latest report,
//! asks git for the author and writes the file.

pub mod date_style;

use chrono::NaiveDate;
use regex::Regex;

use crate::report::{Document, Format, Section};
use crate::schema::{Schema, SectionKind, SectionSpec};
use date_style::DateStyle;

/// The report the new one follows.
pub struct Previous<'a> {
    /// Repository-relative, `/`-separated.
    pub path: &'a str,
    pub text: &'a str,
    pub document: &'a Document,
    pub schema: &'a Schema,
}

/// What the new report is for.
#[derive(Clone, Debug)]
pub struct Request<'a> {
    /// ISO week-year and week.
    pub year: i32,
    pub week: u32,
    pub date: NaiveDate,
    /// git's `user.name`; `None` keeps the previous byline's author.
    pub author: Option<&'a str>,
}

/// The new report: where it goes and what it says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scaffold {
    /// Repository-relative, beside the previous report.
    pub path: String,
    pub text: String,
}

/// Why a scaffold cannot be written; the message names what is missing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refused(pub String);

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Writes the report for `request` that follows `previous`.
pub fn scaffold(previous: &Previous, request: &Request) -> Result<Scaffold, Refused> {
    let format = Format::from_path(previous.path)
        .ok_or_else(|| Refused(format!("{}: not a report file", previous.path)))?;
    let path = next_path(previous, request)?;
    let lines: Vec<&str> = previous.text.lines().collect();
    let style = HeadingStyle::of(format, previous.document, &lines);
    let mut out = Writer::default();

    let title = next_title(previous, request)?;
    style.title(&mut out, &title);
    if format == Format::Markdown {
        out.blank();
    }
    if let Some(byline) = next_byline(previous, request) {
        out.line(&byline);
    }
    out.blank();
    for line in preamble_extra(previous.document, &lines) {
        out.line(line);
    }

    for spec in &previous.schema.sections {
        let present = sections_of(previous, spec);
        if !spec.required && present.is_empty() {
            continue;
        }
        let heading = present
            .first()
            .map_or(spec.title.as_str(), |(_, s)| s.heading.text.trim());
        out.blank();
        style.section(&mut out, heading);
        out.blank();
        match spec.kind {
            SectionKind::Done => {
                out.comment(
                    format,
                    &format!("What was completed in week {} goes here.", request.week),
                );
            }
            SectionKind::InProgress | SectionKind::Planned => {
                let carried = carried_items(previous, spec.kind, &lines);
                if carried.is_empty() {
                    out.comment(format, "Nothing carried over from the last report.");
                }
                for (i, item) in carried.iter().enumerate() {
                    if i > 0 {
                        out.blank();
                    }
                    for line in item {
                        out.line(line);
                    }
                }
            }
            _ if spec.copy_to_next && !present.is_empty() => {
                for (index, section) in &present {
                    for line in section_body(previous.document, *index, section, &lines) {
                        out.line(line);
                    }
                }
            }
            _ => out.comment(format, "Write this week's text here."),
        }
    }
    Ok(Scaffold {
        path,
        text: out.finish(),
    })
}

/// The text and its line discipline: no two blank lines in a row, one
/// newline at the end.
#[derive(Default)]
struct Writer {
    text: String,
}

impl Writer {
    fn line(&mut self, line: &str) {
        if line.trim().is_empty() {
            return self.blank();
        }
        self.text.push_str(line.trim_end());
        self.text.push('\n');
    }

    fn blank(&mut self) {
        if !self.text.is_empty() && !self.text.ends_with("\n\n") {
            self.text.push('\n');
        }
    }

    fn comment(&mut self, format: Format, text: &str) {
        match format {
            Format::Rst => self.line(&format!(".. {text}")),
            Format::Markdown => self.line(&format!("<!-- {text} -->")),
        }
    }

    fn finish(mut self) -> String {
        while self.text.ends_with("\n\n") {
            self.text.pop();
        }
        self.text
    }
}

/// The previous report's path with the week (and year) its schema's
/// file-name pattern finds replaced: `2016_uke_38.rst` → `2016_uke_39.rst`.
fn next_path(previous: &Previous, request: &Request) -> Result<String, Refused> {
    let (dir, name) = match previous.path.rsplit_once('/') {
        Some((dir, name)) => (Some(dir), name),
        None => (None, previous.path),
    };
    let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
    let pattern = previous.schema.file_name.as_ref().ok_or_else(|| {
        Refused(format!(
            "the {} schema has no `file_name` pattern, so the new report's name is unknown",
            previous.schema.name
        ))
    })?;
    let stem = substitute_period(pattern, stem, request).ok_or_else(|| {
        Refused(format!(
            "{}: its name does not match the {} schema's `file_name` pattern",
            previous.path, previous.schema.name
        ))
    })?;
    let name = if ext.is_empty() {
        stem
    } else {
        format!("{stem}.{ext}")
    };
    Ok(match dir {
        Some(dir) => format!("{dir}/{name}"),
        None => name,
    })
}

/// The previous title with the week (and year) replaced; the schema's
/// example title when the previous one does not match.
fn next_title(previous: &Previous, request: &Request) -> Result<String, Refused> {
    let pattern = &previous.schema.title;
    previous
        .document
        .title
        .as_ref()
        .and_then(|t| substitute_period(pattern, t.text.trim(), request))
        .or_else(|| {
            let example = previous.schema.examples.title.as_deref()?;
            substitute_period(pattern, example, request)
        })
        .ok_or_else(|| {
            Refused(format!(
                "{}: its title does not match the {} schema's `title` pattern, and the schema has no example title",
                previous.path, previous.schema.name
            ))
        })
}

/// `text` with the `week` and `year` groups of `pattern` replaced by the
/// request's, keeping a zero-padded week padded (`uke_05`) and a two-digit
/// year short; `None` when `text` does not match or has no week group.
pub fn substitute_period(pattern: &Regex, text: &str, request: &Request) -> Option<String> {
    let captures = pattern.captures(text)?;
    let week = captures.name("week")?;
    let mut edits = vec![(week.range(), pad_like(week.as_str(), request.week))];
    if let Some(year) = captures.name("year") {
        let value = if year.as_str().len() == 2 {
            format!("{:02}", request.year.rem_euclid(100))
        } else {
            request.year.to_string()
        };
        edits.push((year.range(), value));
    }
    Some(apply(text, edits))
}

fn pad_like(old: &str, week: u32) -> String {
    if old.len() == 2 && old.starts_with('0') {
        format!("{week:02}")
    } else {
        week.to_string()
    }
}

/// Replaces byte ranges of `text` (not overlapping) with new text.
fn apply(text: &str, mut edits: Vec<(std::ops::Range<usize>, String)>) -> String {
    edits.sort_by_key(|(range, _)| std::cmp::Reverse(range.start));
    let mut out = text.to_owned();
    for (range, value) in edits {
        out.replace_range(range, &value);
    }
    out
}

/// The previous byline with the author and the date replaced, the date in
/// the series' own style; `None` when the schema has no byline.
fn next_byline(previous: &Previous, request: &Request) -> Option<String> {
    let pattern = previous.schema.byline.as_ref()?;
    let english = previous.schema.language.as_deref() == Some("en");
    let from_previous = previous
        .document
        .preamble
        .first()
        .map(|p| p.text.as_str())
        .filter(|text| pattern.is_match(text));
    // No byline to copy: none is made up (an example's organisation is
    // someone else's); `check` will ask for one.
    let base = from_previous?;
    let captures = pattern.captures(base)?;
    let mut edits = Vec::new();
    if let (Some(author), Some(at)) = (request.author, captures.name("author")) {
        edits.push((at.range(), author.to_owned()));
    }
    if let Some(at) = captures.name("date") {
        let style = DateStyle::detect(at.as_str(), english)
            .unwrap_or_else(|| DateStyle::for_language(english));
        edits.push((at.range(), written_date(&style, request.date)));
    }
    Some(apply(base, edits).trim_end().to_owned())
}

/// The date in `style`, or ISO if the style would not read back as the
/// same day (no style of ours should, but a wrong date is worse than a
/// plain one).
fn written_date(style: &DateStyle, date: NaiveDate) -> String {
    let written = style.write(date);
    if crate::dates::parse_date(&written, None) == Ok(date) {
        written
    } else {
        crate::dates::ymd(date)
    }
}

/// Lines between the byline (or title) and the first section, such as
/// `.. contents::`: kept, trimmed of blank lines at both ends.
fn preamble_extra<'a>(document: &Document, lines: &[&'a str]) -> Vec<&'a str> {
    let after = document
        .preamble
        .first()
        .map(|p| p.end_line)
        .or_else(|| document.title.as_ref().map(|t| t.pos.line + 1))
        .unwrap_or(0) as usize;
    let Some(first) = document.sections.first() else {
        return Vec::new();
    };
    let mut until = first.heading.pos.line as usize - 1;
    // An overline belongs to the heading.
    if until > 0 && lines.get(until - 1).is_some_and(|l| is_adornment(l)) {
        until -= 1;
    }
    if after >= until {
        return Vec::new();
    }
    trim_blank(&lines[after..until])
}

fn trim_blank<'a>(lines: &[&'a str]) -> Vec<&'a str> {
    let start = lines.iter().position(|l| !l.trim().is_empty());
    let end = lines.iter().rposition(|l| !l.trim().is_empty());
    match (start, end) {
        (Some(start), Some(end)) => lines[start..=end].to_vec(),
        _ => Vec::new(),
    }
}

/// The top-level sections of the previous report that `spec` names.
fn sections_of<'a>(previous: &Previous<'a>, spec: &SectionSpec) -> Vec<(usize, &'a Section)> {
    previous
        .document
        .sections
        .iter()
        .enumerate()
        .filter(|(_, s)| s.depth == 1)
        .filter(|(_, s)| {
            previous
                .schema
                .section_index(&s.heading.text)
                .is_some_and(|i| std::ptr::eq(&previous.schema.sections[i], spec))
        })
        .collect()
}

/// The items of every section of `kind` in the previous report, each as
/// its source lines, a `milepost: item=` tag comment before it kept.
fn carried_items<'a>(
    previous: &Previous,
    kind: SectionKind,
    lines: &[&'a str],
) -> Vec<Vec<&'a str>> {
    let document = previous.document;
    let mut out = Vec::new();
    for (index, section) in document.sections.iter().enumerate() {
        let of_kind = section.depth == 1
            && previous
                .schema
                .section_index(&section.heading.text)
                .is_some_and(|i| previous.schema.sections[i].kind == kind);
        if !of_kind {
            continue;
        }
        for item in document.items_under(index) {
            let mut block = Vec::new();
            if let Some(tag) = tag_before(document, item.pos.line) {
                block.extend(source_lines(lines, tag.pos.line, tag.end_line));
                block.push("");
            }
            block.extend(trim_blank(&source_lines(
                lines,
                item.pos.line,
                item.end_line,
            )));
            out.push(block);
        }
    }
    out
}

/// The `milepost: item=` comment whose next item starts at `line`.
fn tag_before(document: &Document, line: u32) -> Option<&crate::report::Comment> {
    let items: Vec<u32> = document
        .sections
        .iter()
        .flat_map(|s| s.items.iter().map(|i| i.pos.line))
        .collect();
    document.comments.iter().rev().find(|c| {
        let is_tag = c
            .text
            .trim()
            .strip_prefix("milepost:")
            .is_some_and(|rest| rest.trim().starts_with("item="));
        let next_item = items.iter().filter(|&&l| l > c.end_line).min();
        is_tag && next_item == Some(&line)
    })
}

fn source_lines<'a>(lines: &[&'a str], first: u32, last: u32) -> Vec<&'a str> {
    let first = (first as usize).saturating_sub(1);
    let last = (last as usize).min(lines.len());
    lines
        .get(first..last)
        .map(<[&str]>::to_vec)
        .unwrap_or_default()
}

/// The body of a section and of the sections nested in it, as written.
fn section_body<'a>(
    document: &Document,
    index: usize,
    section: &Section,
    lines: &[&'a str],
) -> Vec<&'a str> {
    let mut start = section.heading.pos.line as usize; // the line after the title
    if lines.get(start).is_some_and(|l| is_adornment(l)) {
        start += 1;
    }
    let end = document.sections[index + 1..]
        .iter()
        .take_while(|s| s.depth > section.depth)
        .map(|s| s.end_line)
        .fold(section.end_line, u32::max) as usize;
    let end = end.min(lines.len());
    if start >= end {
        return Vec::new();
    }
    trim_blank(&lines[start..end])
}

/// A reStructuredText adornment line (or a Markdown setext underline):
/// one punctuation character repeated.
fn is_adornment(line: &str) -> bool {
    let line = line.trim_end();
    let mut chars = line.chars();
    match chars.next() {
        Some(first) if first.is_ascii_punctuation() && line.len() >= 2 => chars.all(|c| c == first),
        _ => false,
    }
}

/// How the series adorns its title and its sections.
#[derive(Clone, Copy, Debug)]
struct HeadingStyle {
    format: Format,
    title: Adornment,
    section: Adornment,
}

#[derive(Clone, Copy, Debug)]
enum Adornment {
    /// reStructuredText: the character, and whether there is an overline.
    Rst(char, bool),
    /// Markdown `#`s.
    Atx(usize),
    /// Markdown setext underline (`=` or `-`).
    Setext(char),
}

impl HeadingStyle {
    fn of(format: Format, document: &Document, lines: &[&str]) -> HeadingStyle {
        let read = |line: u32, fallback: Adornment| -> Adornment {
            let at = line as usize;
            let text = lines.get(at.wrapping_sub(1)).copied().unwrap_or("");
            let under = lines.get(at).copied().unwrap_or("");
            match format {
                Format::Rst => {
                    let Some(c) = under.chars().next().filter(|_| is_adornment(under)) else {
                        return fallback;
                    };
                    let over = at >= 2 && lines.get(at - 2).is_some_and(|l| is_adornment(l));
                    Adornment::Rst(c, over)
                }
                Format::Markdown => {
                    let hashes = text.chars().take_while(|&c| c == '#').count();
                    if hashes > 0 {
                        Adornment::Atx(hashes)
                    } else if let Some(c) = under.chars().next().filter(|_| is_adornment(under)) {
                        Adornment::Setext(c)
                    } else {
                        fallback
                    }
                }
            }
        };
        let (title, section) = match format {
            Format::Rst => (Adornment::Rst('=', true), Adornment::Rst('=', false)),
            Format::Markdown => (Adornment::Atx(1), Adornment::Atx(2)),
        };
        HeadingStyle {
            format,
            title: document
                .title
                .as_ref()
                .map_or(title, |t| read(t.pos.line, title)),
            section: document
                .sections
                .iter()
                .find(|s| s.depth == 1)
                .map_or(section, |s| read(s.heading.pos.line, section)),
        }
    }

    fn title(&self, out: &mut Writer, text: &str) {
        Self::write(self.format, self.title, out, text);
    }

    fn section(&self, out: &mut Writer, text: &str) {
        Self::write(self.format, self.section, out, text);
    }

    fn write(format: Format, adornment: Adornment, out: &mut Writer, text: &str) {
        let width = unicode_width::UnicodeWidthStr::width(text).max(2);
        match (format, adornment) {
            (_, Adornment::Rst(c, over)) => {
                let line: String = std::iter::repeat_n(c, width).collect();
                if over {
                    out.line(&line);
                }
                out.line(text);
                out.line(&line);
            }
            (_, Adornment::Atx(n)) => out.line(&format!("{} {text}", "#".repeat(n))),
            (_, Adornment::Setext(c)) => {
                out.line(text);
                out.line(&std::iter::repeat_n(c, width).collect::<String>());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> Request<'static> {
        Request {
            year: 2016,
            week: 39,
            date: NaiveDate::from_ymd_opt(2016, 9, 30).unwrap(),
            author: Some("Kari Nordmann"),
        }
    }

    fn scaffold_of(path: &str, text: &str, schema: &str) -> Result<Scaffold, Refused> {
        let schema = Schema::builtin(schema).unwrap().unwrap();
        let document = crate::report::parse(Format::from_path(path).unwrap(), text);
        scaffold(
            &Previous {
                path,
                text,
                document: &document,
                schema: &schema,
            },
            &request(),
        )
    }

    const PREVIOUS: &str = "======\nUke 38\n======\nav Raymond Kristiansen, UH IaaS, 23. sep 2016\n\n\
.. contents:: :depth: 2\n\n\
Fullført\n========\n\n- Workshop ved USIT.\n\n\
Under arbeid\n============\n\n.. milepost: item=dns\n\n- Det jobbes med DNS for\n  instanser.\n\n\
Planlagt fremdrift\n==================\n\n- Oppgradere ceph.\n\n- Felles keystone.\n\n\
Utfordringer\n============\n\n- API-tilgang.\n\n\
Oppdatert status\n================\n\nOppdateres på Trello.\n";

    #[test]
    fn the_next_report_follows_the_series() {
        let new = scaffold_of("docs/2016_uke_38.rst", PREVIOUS, "uke").unwrap();
        assert_eq!(new.path, "docs/2016_uke_39.rst");
        let expected = "======\nUke 39\n======\nav Kari Nordmann, UH IaaS, 30. sep 2016\n\n\
.. contents:: :depth: 2\n\n\
Fullført\n========\n\n.. What was completed in week 39 goes here.\n\n\
Under arbeid\n============\n\n.. milepost: item=dns\n\n- Det jobbes med DNS for\n  instanser.\n\n\
Planlagt fremdrift\n==================\n\n- Oppgradere ceph.\n\n- Felles keystone.\n\n\
Utfordringer\n============\n\n- API-tilgang.\n\n\
Oppdatert status\n================\n\nOppdateres på Trello.\n";
        assert_eq!(new.text, expected);
    }

    #[test]
    fn a_padded_week_stays_padded_and_a_year_moves_on() {
        let schema = Schema::builtin("uke").unwrap().unwrap();
        let pattern = schema.file_name.as_ref().unwrap();
        let mut request = request();
        request.week = 2;
        request.year = 2017;
        assert_eq!(
            substitute_period(pattern, "2016_uke_05", &request).as_deref(),
            Some("2017_uke_02")
        );
        assert_eq!(
            substitute_period(pattern, "uke-52", &request).as_deref(),
            Some("uke-2")
        );
        assert_eq!(substitute_period(pattern, "notes", &request), None);
    }

    #[test]
    fn a_name_outside_the_pattern_is_refused_by_name() {
        let err = scaffold_of("notes.rst", PREVIOUS, "uke").unwrap_err();
        assert!(err.0.contains("notes.rst"), "{err}");
    }

    #[test]
    fn markdown_keeps_its_heading_style_and_date_style() {
        let previous = "# Week 38\n\nby Ann Smith, UH IaaS, September 23, 2016\n\n\
## Completed\n\n- Done a thing.\n\n## In progress\n\n<!-- milepost: item=dns -->\n- DNS for instances.\n\n\
## Planned\n\n- Upgrade ceph.\n\n## Challenges\n\n- API access.\n\n## Status update\n\nOn Trello.\n";
        let new = scaffold_of("2016-week-38.md", previous, "weekly").unwrap();
        assert_eq!(new.path, "2016-week-39.md");
        assert!(
            new.text.starts_with(
                "# Week 39\n\nby Kari Nordmann, UH IaaS, September 30, 2016\n\n## Completed\n\n<!-- What was completed in week 39 goes here. -->\n"
            ),
            "{}",
            new.text
        );
        assert!(
            new.text
                .contains("<!-- milepost: item=dns -->\n\n- DNS for instances.\n")
        );
        assert!(!new.text.contains("Done a thing"));
    }
}
