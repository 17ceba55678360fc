//! Globs that select each era's reports for the config: exact for every
//! era but the last (a folder's name shape where that is exact, else a run
//! of week numbers as ranges, else the names), and for the last era one
//! wide glob that also takes the reports still to be written.

use std::collections::BTreeMap;

use super::sample::Sample;
use super::shape::Shape;

/// Globs for each era. Every era but the last gets globs that select
/// exactly its files (a folder's name shape where that is exact, else the
/// names); the last era gets one glob that also takes the reports still to
/// be written. Entries are tried in order, so the earlier eras' exact globs
/// win over the last era's wide one.
///
/// `eras` holds each era's files (project-relative, date order); the
/// result holds each era's globs.
pub fn for_eras(eras: &[&[String]], samples: &[Sample], excluded: &[&str]) -> Vec<Vec<String>> {
    let count = eras.len();
    let mut out = Vec::new();
    for (index, era_files) in eras.iter().enumerate() {
        let mut globs = Vec::new();
        let mut by_folder: BTreeMap<String, Vec<&str>> = BTreeMap::new();
        for file in era_files.iter() {
            let folder = file.rsplit_once('/').map_or("", |(f, _)| f);
            by_folder.entry(folder.to_owned()).or_default().push(file);
        }
        let others = |folder: &str| -> Vec<&str> {
            samples
                .iter()
                .map(|s| s.path.as_str())
                .filter(|p| p.rsplit_once('/').map_or("", |(f, _)| f) == folder)
                .filter(|p| !excluded.contains(p))
                .collect()
        };
        if index + 1 == count {
            out.push(vec![wide_glob(era_files)]);
            continue;
        }
        for (folder, files) in by_folder {
            let shape = Shape::of(
                files[0]
                    .rsplit('/')
                    .next()
                    .and_then(|n| n.rsplit_once('.'))
                    .map_or("", |(stem, _)| stem),
            );
            let extension = files[0].rsplit_once('.').map_or("", |(_, e)| e);
            let prefix = if folder.is_empty() {
                String::new()
            } else {
                format!("{}/", super::shape::glob_escape(&folder))
            };
            let candidate = format!("{prefix}{}", shape.glob(extension));
            let exact = crate::config::glob_matcher(&candidate).is_some_and(|m| {
                others(&folder)
                    .iter()
                    .all(|p| m.is_match(p) == files.contains(p))
            });
            let ranged = week_range_glob(&prefix, &files, extension);
            let exact_for = |glob: &str| {
                crate::config::glob_matcher(glob).is_some_and(|m| {
                    others(&folder)
                        .iter()
                        .all(|p| m.is_match(p) == files.contains(p))
                })
            };
            if exact {
                globs.push(candidate);
            } else if let Some(ranged) = ranged.filter(|g| exact_for(g)) {
                globs.push(ranged);
            } else {
                let names: Vec<String> = files
                    .iter()
                    .map(|f| super::shape::glob_escape(f.rsplit('/').next().unwrap_or(f)))
                    .collect();
                globs.push(if names.len() == 1 {
                    format!("{prefix}{}", names[0])
                } else {
                    format!("{prefix}{{{}}}", names.join(","))
                });
            }
        }
        out.push(globs);
    }
    out
}

/// A glob for files of one name shape whose numbers differ in one place
/// only (the week): that number's range as alternatives
/// (`2024_uke_{1[3-9],[2-4][0-9],5[0-2]}.rst`). `None` for any other set.
fn week_range_glob(prefix: &str, files: &[&str], extension: &str) -> Option<String> {
    let shapes: Vec<Shape> = files
        .iter()
        .map(|f| {
            let name = f.rsplit('/').next().unwrap_or(f);
            Shape::of(name.rsplit_once('.').map_or(name, |(stem, _)| stem))
        })
        .collect();
    let first = shapes.first()?;
    if shapes.iter().any(|s| s.key() != first.key()) {
        return None;
    }
    let varying: Vec<usize> = (0..first.numbers.len())
        .filter(|&i| shapes.iter().any(|s| s.numbers[i] != first.numbers[i]))
        .collect();
    let [slot] = varying[..] else {
        return None;
    };
    if shapes
        .iter()
        .any(|s| s.widths[slot] > 1 && s.numbers[slot] < 10)
    {
        return None; // leading zeros: the names say it better
    }
    let low = shapes.iter().map(|s| s.numbers[slot]).min()?;
    let high = shapes.iter().map(|s| s.numbers[slot]).max()?;
    let mut out = prefix.to_owned();
    for (index, literal) in first.literals.iter().enumerate() {
        out.push_str(&super::shape::glob_escape(literal));
        if index == slot {
            let alternatives = super::shape::number_range(low, high);
            if alternatives.len() == 1 {
                out.push_str(&alternatives[0]);
            } else {
                out.push_str(&format!("{{{}}}", alternatives.join(",")));
            }
        } else if index < first.numbers.len() {
            out.push_str(&format!(
                "{:0width$}",
                first.numbers[index],
                width = first.widths[index]
            ));
        }
    }
    Some(format!("{out}.{extension}"))
}

/// One glob for the last era: the folder all its files share, and the
/// shape of its newest file's name, at any depth below.
fn wide_glob(files: &[String]) -> String {
    let folders: Vec<Vec<&str>> = files
        .iter()
        .map(|f| {
            let mut parts: Vec<&str> = f.split('/').collect();
            parts.pop();
            parts
        })
        .collect();
    let mut common: Vec<&str> = folders.first().cloned().unwrap_or_default();
    for folder in &folders {
        let shared = common
            .iter()
            .zip(folder)
            .take_while(|(a, b)| a == b)
            .count();
        common.truncate(shared);
    }
    // Next year's folder must match too.
    while common
        .last()
        .is_some_and(|p| p.len() == 4 && p.bytes().all(|b| b.is_ascii_digit()))
    {
        common.pop();
    }
    let newest = files.last().map_or("", String::as_str);
    let name = newest.rsplit('/').next().unwrap_or(newest);
    let (stem, extension) = name.rsplit_once('.').unwrap_or((name, ""));
    let glob = Shape::of(stem).glob(extension);
    let prefix: Vec<String> = common
        .iter()
        .map(|p| super::shape::glob_escape(p))
        .collect();
    if prefix.is_empty() {
        format!("**/{glob}")
    } else {
        format!("{}/**/{glob}", prefix.join("/"))
    }
}
