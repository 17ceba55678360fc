//! Globs that select each era's reports for the config: exact for every
//! era but the last (a folder's name shape where that is exact, else a run
//! of week numbers as ranges, zero-padded as the names are, else the
//! names), and for the last era one wide glob that also takes the reports
//! still to be written.

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
    let low = shapes.iter().map(|s| s.numbers[slot]).min()?;
    let high = shapes.iter().map(|s| s.numbers[slot]).max()?;
    // Names with leading zeros (`uke_07`) are written in one width, and so
    // is the range; a mix of widths is left to the names.
    let padded = shapes
        .iter()
        .any(|s| s.widths[slot] > 1 && s.numbers[slot] < 10);
    let alternatives = if padded {
        let width = first.widths[slot];
        if shapes.iter().any(|s| s.widths[slot] != width) {
            return None;
        }
        super::shape::padded_number_range(low, high, width)?
    } else {
        super::shape::number_range(low, high)
    };
    let mut out = prefix.to_owned();
    for (index, literal) in first.literals.iter().enumerate() {
        out.push_str(&super::shape::glob_escape(literal));
        if index == slot {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(path: &str) -> Sample {
        Sample {
            path: path.to_owned(),
            title: None,
            byline: None,
            byline_date: None,
            sections: Vec::new(),
            committed: None,
        }
    }

    /// A template changed in week 36 of a year whose names are zero-padded:
    /// the first era's part of that folder is a range in two digits, not a
    /// list of 35 names, and selects exactly its files.
    #[test]
    fn a_run_of_zero_padded_weeks_is_a_range() {
        let name = |week: u32| format!("docs/status/2018/2018_uke_{week:02}.rst");
        let first: Vec<String> = (1..=35).map(name).collect();
        let second: Vec<String> = (36..=52).map(name).collect();
        let samples: Vec<Sample> = first.iter().chain(&second).map(|p| sample(p)).collect();
        let globs = for_eras(&[&first, &second], &samples, &[]);
        assert_eq!(
            globs[0],
            ["docs/status/2018/2018_uke_{0[1-9],[1-2][0-9],3[0-5]}.rst"]
        );
        let matcher = crate::config::glob_matcher(&globs[0][0]).unwrap();
        for path in &first {
            assert!(matcher.is_match(path), "{path}");
        }
        for path in &second {
            assert!(!matcher.is_match(path), "{path}");
        }
        // Mixed widths (`uke_7` beside `uke_07`) are left to the names.
        let mixed = vec![
            "docs/status/2019/2019_uke_7.rst".to_owned(),
            "docs/status/2019/2019_uke_08.rst".to_owned(),
        ];
        let later = vec!["docs/status/2019/2019_uke_09.rst".to_owned()];
        let samples: Vec<Sample> = mixed.iter().chain(&later).map(|p| sample(p)).collect();
        let globs = for_eras(&[&mixed, &later], &samples, &[]);
        assert_eq!(
            globs[0],
            ["docs/status/2019/{2019_uke_7.rst,2019_uke_08.rst}"]
        );
    }
}
