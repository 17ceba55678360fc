//! The changelog as Markdown, reStructuredText or JSON.
//!
//! Markdown and reStructuredText are pages for the docs site: a title,
//! one section per group, one bullet per delivery linking to the report
//! that announced it, relative to the folder the page is written to (a
//! relative link in Markdown, a `:doc:` link in reStructuredText, as
//! Sphinx resolves it from the page). Item texts and titles come from the
//! repository and are escaped so that they read as written and cannot
//! become links, directives or markup of the page.

use std::io::{self, Write};

use serde::Serialize;

use super::{Entry, Group, Grouping, Range};
use crate::render::escape;
use crate::text::relative_path;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangelogFormat {
    Markdown,
    Rst,
    Json,
}

/// Writes `groups`; links are relative to `base`, the repository-relative
/// folder the output goes to (`""` for the root).
pub fn render(
    out: &mut dyn Write,
    groups: &[Group],
    format: ChangelogFormat,
    grouping: Grouping,
    range: Range,
    base: &str,
) -> io::Result<()> {
    match format {
        ChangelogFormat::Markdown => markdown(out, groups, base),
        ChangelogFormat::Rst => rst(out, groups, base),
        ChangelogFormat::Json => json(out, groups, grouping, range),
    }
}

fn markdown(out: &mut dyn Write, groups: &[Group], base: &str) -> io::Result<()> {
    writeln!(out, "# Changelog")?;
    if groups.is_empty() {
        writeln!(out, "\nNothing reported done.")?;
    }
    for group in groups {
        writeln!(out, "\n## {}\n", escape::markdown_cell(&group.title))?;
        for entry in &group.entries {
            let name = file_name(&entry.report);
            writeln!(
                out,
                "- {} ({}{}; [{}]({}))",
                escape::markdown_cell(&entry.text),
                entry.completed_on,
                milestone_note(entry, escape::markdown_cell),
                escape::markdown_cell(name),
                escape::uri_path(&relative_path(base, &entry.report)),
            )?;
        }
    }
    Ok(())
}

fn rst(out: &mut dyn Write, groups: &[Group], base: &str) -> io::Result<()> {
    writeln!(out, "=========\nChangelog\n=========")?;
    if groups.is_empty() {
        writeln!(out, "\nNothing reported done.")?;
    }
    for group in groups {
        let title = escape::rst_cell(&group.title);
        let width = unicode_width::UnicodeWidthStr::width(title.as_str()).max(1);
        writeln!(out, "\n{title}\n{}", "-".repeat(width))?;
        for entry in &group.entries {
            writeln!(
                out,
                "\n- {} ({}{}; {})",
                escape::rst_cell(&entry.text),
                entry.completed_on,
                milestone_note(entry, escape::rst_cell),
                doc_link(base, &entry.report),
            )?;
        }
    }
    Ok(())
}

fn milestone_note(entry: &Entry, escape: fn(&str) -> String) -> String {
    entry
        .milestone
        .as_ref()
        .map_or_else(String::new, |m| format!("; milestone {}", escape(&m.title)))
}

/// A `:doc:` link to a report: its path relative to `base`, without the
/// extension. A path that cannot sit inside a role (a backquote or an
/// angle bracket in it) is written as plain text.
fn doc_link(base: &str, report: &str) -> String {
    let target = relative_path(base, report);
    let target = target
        .rsplit_once('.')
        .filter(|(stem, _)| !stem.is_empty() && !stem.ends_with('/'))
        .map_or(target.as_str(), |(stem, _)| stem);
    let name = file_name(report);
    let name = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    let unsafe_char = |c: char| matches!(c, '`' | '<' | '>' | '\\') || c.is_control();
    if target.chars().any(unsafe_char) || name.chars().any(unsafe_char) {
        return escape::rst_cell(report);
    }
    format!(":doc:`{name} <{target}>`")
}

fn file_name(path: &str) -> &str {
    path.rsplit_once('/').map_or(path, |(_, name)| name)
}

#[derive(Serialize)]
struct JsonChangelog<'a> {
    group: Grouping,
    since: Option<String>,
    until: Option<String>,
    count: usize,
    groups: &'a [Group],
}

fn json(out: &mut dyn Write, groups: &[Group], grouping: Grouping, range: Range) -> io::Result<()> {
    let document = JsonChangelog {
        group: grouping,
        since: range.since.map(crate::dates::ymd),
        until: range.until.map(crate::dates::ymd),
        count: groups.iter().map(|g| g.entries.len()).sum(),
        groups,
    };
    serde_json::to_writer_pretty(&mut *out, &document)?;
    writeln!(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_relative_to_the_page() {
        assert_eq!(
            relative_path("", "status/2016_uke_38.rst"),
            "status/2016_uke_38.rst"
        );
        assert_eq!(
            relative_path("docs", "status/2016_uke_38.rst"),
            "../status/2016_uke_38.rst"
        );
        assert_eq!(
            relative_path("status", "status/2016_uke_38.rst"),
            "2016_uke_38.rst"
        );
        assert_eq!(
            doc_link("docs/changes", "docs/status/2016_uke_38.rst"),
            ":doc:`2016_uke_38 <../status/2016_uke_38>`"
        );
        assert_eq!(doc_link("", "a`b.rst"), "a\\`b.rst");
    }
}
