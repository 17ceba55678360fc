//! The files `init` proposes, as text, and writing them: each atomically
//! (a temporary file beside it, then a rename), none over an existing file
//! unless asked (`--force`), and the config last, so that a config is
//! never left naming a schema file that is not there.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::infer::{Era, Proposal, SectionPlan};
use super::roles::kind_name;
use crate::boundary::{Boundary, Located};
use crate::error::{Error, Result};
use crate::schema::SectionKind;

/// Where editors find the JSON Schemas of the files `init` writes.
pub const CONFIG_JSON_SCHEMA: &str =
    "https://raw.githubusercontent.com/milepost-dev/milepost/main/schema/milepost.schema.json";
pub const REPORT_SCHEMA_JSON_SCHEMA: &str =
    "https://raw.githubusercontent.com/milepost-dev/milepost/main/schema/report-schema.schema.json";

/// The folder, beside the config, that the era schemas go into.
pub const SCHEMA_FOLDER: &str = "schemas";

/// One file to write, relative to the project folder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProposedFile {
    pub path: String,
    pub text: String,
}

/// A YAML single-quoted scalar.
fn quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// The schema files (one per era), then `milepost.yaml`.
pub fn files(proposal: &Proposal) -> Vec<ProposedFile> {
    let mut out = Vec::new();
    for (index, era) in proposal.eras.iter().enumerate() {
        let parent = index
            .checked_sub(1)
            .map(|i| &proposal.eras[i])
            .filter(|previous| same_frame(previous, era));
        out.push(ProposedFile {
            path: format!("{SCHEMA_FOLDER}/{}.yaml", era.name),
            text: schema_text(era, parent),
        });
    }
    out.push(ProposedFile {
        path: "milepost.yaml".into(),
        text: config_text(proposal),
    });
    out
}

/// Two eras that differ only in their sections: the later extends the
/// earlier and says only what changed.
fn same_frame(a: &Era, b: &Era) -> bool {
    a.file_name == b.file_name
        && a.title == b.title
        && a.byline == b.byline
        && a.base == b.base
        && a.grace_days == b.grace_days
}

fn span(era: &Era) -> String {
    match (era.first, era.last) {
        (Some(first), Some(last)) => format!(", {first} to {last}"),
        _ => String::new(),
    }
}

fn schema_text(era: &Era, parent: Option<&Era>) -> String {
    let mut out = format!("# yaml-language-server: $schema={REPORT_SCHEMA_JSON_SCHEMA}\n");
    out.push_str(&format!(
        "# Written by `milepost init` from {} reports{}.\n",
        era.files.len(),
        span(era)
    ));
    out.push_str(&format!("name: {}\n", quote(&era.name)));
    match parent {
        Some(parent) => {
            out.push_str(&format!(
                "# The same file names, titles and bylines as {}; other sections.\n",
                parent.name
            ));
            out.push_str(&format!(
                "extends: {}\n",
                quote(&format!("{}.yaml", parent.name))
            ));
        }
        None => {
            out.push_str(&format!("extends: {}\n", era.base));
            if let Some(file_name) = &era.file_name {
                out.push_str(&format!("file_name: {}\n", quote(file_name)));
            }
            out.push_str(&format!("title: {}\n", quote(&era.title)));
            match &era.byline {
                Some(byline) => out.push_str(&format!(
                    "# {} of {} reports have a dated byline.\nbyline: {}\n",
                    era.bylines,
                    era.files.len(),
                    quote(byline)
                )),
                None => out.push_str(&format!(
                    "# {} of {} reports have a dated byline: none is asked for.\nbyline: null\n",
                    era.bylines,
                    era.files.len()
                )),
            }
            if let Some(days) = era.grace_days {
                out.push_str(&format!(
                    "# Most reports are dated up to {days} days after their week.\ngrace_days: {days}\n"
                ));
            }
            out.push_str("examples:\n");
            out.push_str(&format!("  file_name: {}\n", quote(&era.examples.0)));
            out.push_str(&format!("  title: {}\n", quote(&era.examples.1)));
            if let Some(byline) = &era.examples.2 {
                out.push_str(&format!("  byline: {}\n", quote(byline)));
            }
        }
    }
    out.push_str(&format!(
        "order: {}{}\n",
        era.order,
        if era.order {
            ""
        } else {
            "  # the reports do not keep one order"
        }
    ));
    if let Some(edits) = parent.and_then(|parent| section_edits(parent, era)) {
        out.push_str(&format!(
            "# The sections of {}, edited.\nsections:\n{edits}",
            parent.map_or("", |p| p.name.as_str())
        ));
        return out;
    }
    out.push_str("sections:\n");
    for section in &era.sections {
        out.push_str(&format!("  - title: {}\n", quote(&section.title)));
        out.push_str(&format!(
            "    kind: {}  # {}\n",
            kind_name(section.kind),
            section.why
        ));
        if !section.aliases.is_empty() {
            let aliases: Vec<String> = section.aliases.iter().map(|a| quote(a)).collect();
            out.push_str(&format!("    aliases: [{}]\n", aliases.join(", ")));
        }
        out.push_str(&format!(
            "    required: {}  # in {} of {} reports\n",
            section.required,
            section.count,
            era.files.len()
        ));
        if matches!(section.kind, SectionKind::Risks | SectionKind::Status) {
            // As in the built-in schemas: standing text carries over.
            out.push_str("    copy_to_next: true  # `milepost new` carries its text over\n");
        }
    }
    out
}

/// The edits (`crate::schema::edit`) that turn `parent`'s sections into
/// `era`'s, when they are few and say it all: sections removed, added,
/// made optional or required, moved. `None` when a full list is clearer.
fn section_edits(parent: &Era, era: &Era) -> Option<String> {
    let same = |a: &SectionPlan, b: &SectionPlan| {
        a.title == b.title && a.kind == b.kind && a.aliases == b.aliases
    };
    let mut current: Vec<&SectionPlan> = parent.sections.iter().collect();
    let mut out = String::new();
    let removed: Vec<&SectionPlan> = parent
        .sections
        .iter()
        .filter(|p| !era.sections.iter().any(|s| same(p, s)))
        .collect();
    let mut ops = removed.len();
    if !removed.is_empty() {
        let names: Vec<String> = removed.iter().map(|r| quote(&r.title)).collect();
        out.push_str(&format!("  remove: [{}]\n", names.join(", ")));
        current.retain(|c| !removed.iter().any(|r| r.title == c.title));
    }
    let changed: Vec<&SectionPlan> = era
        .sections
        .iter()
        .filter(|s| {
            current
                .iter()
                .any(|c| same(c, s) && c.required != s.required)
        })
        .collect();
    ops += changed.len();
    if !changed.is_empty() {
        out.push_str("  change:\n");
        for section in &changed {
            out.push_str(&format!(
                "    {}: {{required: {}}}  # in {} of {} reports\n",
                quote(&section.title),
                section.required,
                section.count,
                era.files.len()
            ));
        }
    }
    let added: Vec<(usize, &SectionPlan)> = era
        .sections
        .iter()
        .enumerate()
        .filter(|(_, s)| !current.iter().any(|c| same(c, s)))
        .collect();
    ops += added.len();
    if !added.is_empty() {
        out.push_str("  add:\n");
        for (index, section) in &added {
            let place = match index.checked_sub(1).map(|i| &era.sections[i]) {
                Some(previous) => format!(", after: {}", quote(&previous.title)),
                None => current.first().map_or_else(String::new, |first| {
                    format!(", before: {}", quote(&first.title))
                }),
            };
            let copy = if matches!(section.kind, SectionKind::Risks | SectionKind::Status) {
                ", copy_to_next: true"
            } else {
                ""
            };
            out.push_str(&format!(
                "    - {{title: {}, kind: {}, required: {}{copy}{place}}}\n",
                quote(&section.title),
                kind_name(section.kind),
                section.required
            ));
            let at = (*index).min(current.len());
            current.insert(at, section);
        }
    }
    // Moves that turn the order into the era's.
    let mut moves = String::new();
    for (index, wanted) in era.sections.iter().enumerate() {
        if current.get(index).is_some_and(|c| c.title == wanted.title) {
            continue;
        }
        let from = current.iter().position(|c| c.title == wanted.title)?;
        let before = current.get(index)?.title.clone();
        let moved = current.remove(from);
        current.insert(index, moved);
        moves.push_str(&format!(
            "    - {{title: {}, before: {}}}\n",
            quote(&wanted.title),
            quote(&before)
        ));
        ops += 1;
    }
    if !moves.is_empty() {
        out.push_str("  move:\n");
        out.push_str(&moves);
    }
    (ops > 0 && ops * 2 <= era.sections.len().max(2)).then_some(out)
}

fn config_text(proposal: &Proposal) -> String {
    let mut out = format!("# yaml-language-server: $schema={CONFIG_JSON_SCHEMA}\n");
    out.push_str(&format!(
        "# Written by `milepost init` from {} report-like files: {} era(s), {} file(s) excluded.\n",
        proposal.read,
        proposal.eras.len(),
        proposal.excluded.len()
    ));
    out.push_str("# The first entry whose glob matches a file wins.\nreports:\n");
    for era in &proposal.eras {
        out.push_str(&format!(
            "  # {}: {} reports{}\n",
            era.name,
            era.files.len(),
            span(era)
        ));
        for glob in &era.globs {
            out.push_str(&format!("  - glob: {}\n", quote(glob)));
            out.push_str(&format!(
                "    schema: {}\n",
                quote(&format!("{SCHEMA_FOLDER}/{}.yaml", era.name))
            ));
        }
    }
    if !proposal.excluded.is_empty() {
        out.push_str("# Not weekly reports.\nexclude:\n");
        for excluded in &proposal.excluded {
            out.push_str(&format!("  # {}\n", one_line(&excluded.reason)));
            out.push_str(&format!(
                "  - {}\n",
                quote(&super::shape::glob_escape(&excluded.path))
            ));
        }
    }
    out
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The proposed files that already exist in `project`.
pub fn existing(project: &Path, files: &[ProposedFile]) -> Vec<PathBuf> {
    files
        .iter()
        .map(|f| project.join(&f.path))
        .filter(|p| p.symlink_metadata().is_ok())
        .collect()
}

/// Writes `files` into `project`: nothing at all when one exists and
/// `force` is off, or when one would land outside the repository; else
/// each through a temporary file beside it, renamed into place once every
/// temporary file is complete.
pub fn write(
    project: &Path,
    boundary: &Boundary,
    files: &[ProposedFile],
    force: bool,
) -> Result<()> {
    let present = existing(project, files);
    if !force && !present.is_empty() {
        let names: Vec<String> = present.iter().map(|p| p.display().to_string()).collect();
        return Err(Error::invalid(
            &present[0],
            None,
            format!(
                "already exists, and `milepost init` never overwrites without `--force` ({} file(s): {})",
                names.len(),
                names.join(", ")
            ),
        ));
    }
    let mut staged = Vec::new();
    for file in files {
        let target = project.join(&file.path);
        let folder = target.parent().unwrap_or(project);
        if let Some(nearest) = folder.ancestors().find(|a| a.exists())
            && boundary.locate(nearest) == Located::Outside
        {
            return Err(Error::invalid(
                &target,
                None,
                "leads outside the repository; milepost writes only inside it",
            ));
        }
        std::fs::create_dir_all(folder).map_err(|err| Error::io(folder, err))?;
        if boundary.locate(folder) == Located::Outside {
            return Err(Error::invalid(
                &target,
                None,
                "leads outside the repository; milepost writes only inside it",
            ));
        }
        if target.is_dir() {
            return Err(Error::invalid(&target, None, "is a folder"));
        }
        let mut temp = tempfile::Builder::new()
            .prefix(crate::temp_files::TEMP_MARK)
            .tempfile_in(folder)
            .map_err(|err| Error::io(&target, err))?;
        temp.write_all(file.text.as_bytes())
            .and_then(|()| temp.as_file().sync_all())
            .map_err(|err| Error::io(&target, err))?;
        staged.push((temp, target));
    }
    for (temp, target) in staged {
        temp.persist(&target)
            .map_err(|err| Error::io(&target, err.error))?;
    }
    Ok(())
}
