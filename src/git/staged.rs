//! What the pre-commit hook checks: the staged files, with their modes and
//! the renames among them.
//!
//! Whichever way the index was compared with HEAD (the index parser, or
//! git's plumbing), the result comes here as added or modified files and
//! deleted ones. A report renamed with `git mv` is a deletion and an
//! addition; they are paired as git pairs them by default: an exact blob
//! id first (the same file name preferred among equals), then content at
//! least 50% similar (lines, as the history's move detection measures it,
//! see `similar.rs`), best pairs first. The caller gets the old name in
//! [`StagedFile::renamed_from`], so that the report is followed to its
//! history rather than taken for a new one.

use std::collections::HashMap;

use crate::error::Result;

use super::similar::{self, THRESHOLD};
use super::{FileMode, StagedFile};

/// Above this many (added × deleted) unpaired files, only exact ids pair:
/// each comparison reads two blobs.
const MAX_SIMILARITY_PAIRS: usize = 10_000;

/// An added or modified file of the index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Changed {
    pub(crate) path: String,
    /// The blob id, in hex.
    pub(crate) id: String,
    pub(crate) mode: u32,
    /// Not at HEAD (so it may be the new name of a rename).
    pub(crate) added: bool,
}

/// Reads blobs by hex id, in order (`None`: missing).
pub(crate) type ReadBlobs<'a> = dyn Fn(&[String]) -> Result<Vec<Option<Vec<u8>>>> + 'a;

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// The staged files (sorted by path), renames paired with `deleted`
/// (`(path, hex id)` at HEAD). Files whose blob is missing from the store
/// are an error from `read`.
pub(crate) fn build(
    changed: Vec<Changed>,
    deleted: Vec<(String, String)>,
    read: &ReadBlobs<'_>,
) -> Result<Vec<StagedFile>> {
    let changed: Vec<(Changed, FileMode)> = changed
        .into_iter()
        .filter_map(|c| FileMode::from_git(c.mode).map(|mode| (c, mode)))
        .collect();
    let ids: Vec<String> = changed.iter().map(|(c, _)| c.id.clone()).collect();
    let contents = read(&ids)?;
    let renames = pair(&changed, &contents, &deleted, read)?;
    let mut files: Vec<StagedFile> = changed
        .into_iter()
        .zip(contents)
        .enumerate()
        .filter_map(|(i, ((c, mode), content))| {
            Some(StagedFile {
                path: c.path,
                content: content?,
                mode,
                renamed_from: renames.get(&i).cloned(),
            })
        })
        .collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// Index of an added file → the deleted path it was renamed from.
fn pair(
    changed: &[(Changed, FileMode)],
    contents: &[Option<Vec<u8>>],
    deleted: &[(String, String)],
    read: &ReadBlobs<'_>,
) -> Result<HashMap<usize, String>> {
    let mut renames = HashMap::new();
    let adds: Vec<usize> = (0..changed.len()).filter(|&i| changed[i].0.added).collect();
    if adds.is_empty() || deleted.is_empty() {
        return Ok(renames);
    }
    let mut by_id: HashMap<&str, Vec<usize>> = HashMap::new();
    for (d, (_, id)) in deleted.iter().enumerate() {
        by_id.entry(id.as_str()).or_default().push(d);
    }
    let mut used = vec![false; deleted.len()];
    let mut rest = Vec::new();
    for &a in &adds {
        let (add, _) = &changed[a];
        let candidates = by_id.get(add.id.as_str()).map(Vec::as_slice).unwrap_or(&[]);
        let free = || candidates.iter().copied().filter(|&d| !used[d]);
        let chosen = free()
            .find(|&d| file_name(&deleted[d].0) == file_name(&add.path))
            .or_else(|| free().next());
        match chosen {
            Some(d) => {
                used[d] = true;
                renames.insert(a, deleted[d].0.clone());
            }
            None => rest.push(a),
        }
    }
    let rest_dels: Vec<usize> = (0..deleted.len()).filter(|&d| !used[d]).collect();
    if rest.is_empty()
        || rest_dels.is_empty()
        || rest.len().saturating_mul(rest_dels.len()) > MAX_SIMILARITY_PAIRS
    {
        return Ok(renames);
    }
    let old_ids: Vec<String> = rest_dels.iter().map(|&d| deleted[d].1.clone()).collect();
    let old_prints: Vec<Option<Vec<u64>>> = read(&old_ids)?
        .into_iter()
        .map(|content| content.map(|c| similar::fingerprint(&c)))
        .collect();
    let mut scored: Vec<(f64, bool, usize, usize)> = Vec::new();
    for &a in &rest {
        let Some(content) = &contents[a] else {
            continue;
        };
        let print = similar::fingerprint(content);
        for (k, &d) in rest_dels.iter().enumerate() {
            let Some(old) = &old_prints[k] else { continue };
            let score = similar::similarity(&print, old);
            if score >= THRESHOLD {
                let same_name = file_name(&deleted[d].0) == file_name(&changed[a].0.path);
                scored.push((score, same_name, a, d));
            }
        }
    }
    similar::rank(&mut scored);
    for (_, _, a, d) in scored {
        if renames.contains_key(&a) || used[d] {
            continue;
        }
        used[d] = true;
        renames.insert(a, deleted[d].0.clone());
    }
    Ok(renames)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn changed(path: &str, id: &str, added: bool) -> Changed {
        Changed {
            path: path.into(),
            id: id.into(),
            mode: 0o100644,
            added,
        }
    }

    #[test]
    fn pairs_exact_then_similar_renames() {
        let blobs: HashMap<&str, &str> = [
            ("1", "Uke 1\n* a\n* b\n* c\n"),
            ("2", "Uke 2\n* x\n* y\n* z\n"),
            ("3", "Uke 2\n* x\n* y\n* w\n"),
            ("4", "something else entirely\n"),
            ("5", "nothing alike\n"),
            ("6", "modified\n"),
        ]
        .into_iter()
        .collect();
        let read = |ids: &[String]| -> Result<Vec<Option<Vec<u8>>>> {
            Ok(ids
                .iter()
                .map(|id| blobs.get(id.as_str()).map(|t| t.as_bytes().to_vec()))
                .collect())
        };
        let files = build(
            vec![
                changed("new/a.rst", "1", true),
                changed("new/b.rst", "3", true),
                changed("new/c.rst", "4", true),
                changed("kept.rst", "6", false),
            ],
            vec![
                ("old/a.rst".into(), "1".into()),
                ("old/b.rst".into(), "2".into()),
                ("old/gone.rst".into(), "5".into()),
            ],
            &read,
        )
        .expect("built");
        let renamed: Vec<(&str, Option<&str>)> = files
            .iter()
            .map(|f| (f.path.as_str(), f.renamed_from.as_deref()))
            .collect();
        assert_eq!(
            renamed,
            [
                ("kept.rst", None),
                ("new/a.rst", Some("old/a.rst")),
                ("new/b.rst", Some("old/b.rst")),
                ("new/c.rst", None),
            ]
        );
        assert!(files.iter().all(|f| f.mode == FileMode::Regular));
    }

    #[test]
    fn modes_are_told_and_submodules_left_out() {
        let read = |ids: &[String]| -> Result<Vec<Option<Vec<u8>>>> {
            Ok(ids.iter().map(|id| Some(id.as_bytes().to_vec())).collect())
        };
        let mut link = changed("link.rst", "target.rst", true);
        link.mode = 0o120000;
        let mut tool = changed("tool.sh", "x", true);
        tool.mode = 0o100755;
        let mut sub = changed("sub", "abc", true);
        sub.mode = 0o160000;
        let files = build(vec![link, tool, sub], Vec::new(), &read).expect("built");
        let modes: Vec<(&str, FileMode)> =
            files.iter().map(|f| (f.path.as_str(), f.mode)).collect();
        assert_eq!(
            modes,
            [
                ("link.rst", FileMode::Symlink),
                ("tool.sh", FileMode::Executable)
            ]
        );
        assert_eq!(files[0].content, b"target.rst");
    }
}
