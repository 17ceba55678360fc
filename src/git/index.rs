//! What is staged, read straight from the index file.
//!
//! A pre-commit hook must answer in well under a tenth of a second. Through
//! libgit2, opening a 10,000-file index costs a checksum of the whole file
//! and an allocation per entry, and turning it into a tree re-reads every
//! tree of the repository; together several times `git diff --cached`.
//! Git itself uses the index's *cache tree* (the `TREE` extension: the tree
//! id of every folder whose entries have not changed since it was last
//! computed) to skip unchanged folders, and so does this module:
//!
//! 1. the index file is parsed in place (versions 2, 3 and 4), without
//!    verifying its checksum (git does not either, outside `fsck`);
//! 2. a folder whose cache-tree id equals HEAD's tree id for that folder is
//!    skipped whole; any other folder is compared entry by entry with HEAD.
//!
//! A sparse index (`index.sparse`) holds *sparse-directory* entries: a
//! folder outside the sparse-checkout cone, collapsed to one entry (mode
//! 040000, path ending in `/`) naming its tree. Such an entry is compared
//! with HEAD's tree for that folder by id, and where they differ the two
//! trees are compared (descending only into differing subtrees), so a
//! report staged under a collapsed folder is found like any other.
//!
//! Anything this parser does not handle (a split index, whose entries are
//! in another file; an unknown version; a malformed file) returns `None`,
//! and the caller asks git (see `plumbing.rs`).
//!
//! The header's entry count is not trusted for an allocation: a file that
//! claims 2^31 entries cannot hold more than its size allows.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use git2::Oid;

use super::tree::{Change, Kind, MAX_DEPTH, Trees};

const OID_LEN: usize = 20;
const ENTRY_FIXED: usize = 62;

/// What an index entry stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum What {
    /// A stage-0 file or symbolic link, with its git mode.
    File(u32),
    /// A sparse-directory entry: the folder's tree.
    SparseDir,
    /// Present but not a staged file: a conflict stage, an intent-to-add
    /// entry, a submodule. It keeps HEAD's path from looking deleted.
    Other,
}

/// One entry of the index.
pub(crate) struct Entry<'a> {
    /// Borrowed from the file, except in version 4, where paths are
    /// compressed against the previous one. A sparse directory's ends in
    /// `/`.
    pub(crate) path: Cow<'a, [u8]>,
    pub(crate) id: &'a [u8],
    pub(crate) what: What,
}

/// The entries and the valid cache-tree ids of an index file, or `None`
/// if this parser does not handle it.
pub(crate) struct Parsed<'a> {
    pub(crate) entries: Vec<Entry<'a>>,
    /// Folder (`""` for the root) → its tree id, for valid cache-tree nodes.
    trees: HashMap<Vec<u8>, &'a [u8]>,
}

fn be32(data: &[u8], at: usize) -> Option<u32> {
    let bytes: [u8; 4] = data.get(at..at + 4)?.try_into().ok()?;
    Some(u32::from_be_bytes(bytes))
}

fn be16(data: &[u8], at: usize) -> Option<u16> {
    let bytes: [u8; 2] = data.get(at..at + 2)?.try_into().ok()?;
    Some(u16::from_be_bytes(bytes))
}

/// The entries and the cache tree of an index file.
pub(crate) fn parse(data: &[u8]) -> Option<Parsed<'_>> {
    parse_with(data, true)
}

/// The entries of an index file, without reading its cache tree (which
/// only the comparison with HEAD uses); `None` as for [`parse`].
pub(crate) fn parse_entries(data: &[u8]) -> Option<Parsed<'_>> {
    parse_with(data, false)
}

fn parse_with(data: &[u8], with_trees: bool) -> Option<Parsed<'_>> {
    if data.get(..4)? != b"DIRC" {
        return None;
    }
    let version = be32(data, 4)?;
    if !(2..=4).contains(&version) {
        return None;
    }
    let count = be32(data, 8)? as usize;
    let end = data.len().checked_sub(OID_LEN)?;
    let mut at = 12;
    // Each entry takes at least ENTRY_FIXED bytes and a NUL.
    let mut entries = Vec::with_capacity(count.min(data.len() / (ENTRY_FIXED + 1)));
    let mut previous: Vec<u8> = Vec::new();
    for _ in 0..count {
        let mode = be32(data, at + 24)?;
        let id = data.get(at + 40..at + 40 + OID_LEN)?;
        let flags = be16(data, at + 60)?;
        let mut path_at = at + ENTRY_FIXED;
        let mut extended = 0;
        if flags & 0x4000 != 0 {
            if version < 3 {
                return None;
            }
            extended = be16(data, path_at)?;
            path_at += 2;
        }
        let stage = (flags >> 12) & 0x3;
        let intent_to_add = extended & 0x2000 != 0;
        let is_file = matches!(mode & 0o170000, 0o100000 | 0o120000);
        let what = if stage != 0 || intent_to_add {
            What::Other
        } else if is_file {
            What::File(mode)
        } else if mode & 0o170000 == 0o040000 {
            What::SparseDir
        } else {
            What::Other
        };
        if version == 4 {
            let (strip, after) = varint(data, path_at)?;
            let nul = after + data.get(after..)?.iter().position(|&b| b == 0)?;
            let keep_len = previous.len().checked_sub(strip)?;
            previous.truncate(keep_len);
            previous.extend_from_slice(&data[after..nul]);
            entries.push(Entry {
                path: Cow::Owned(previous.clone()),
                id,
                what,
            });
            at = nul + 1;
        } else {
            let nul = path_at + data.get(path_at..)?.iter().position(|&b| b == 0)?;
            entries.push(Entry {
                path: Cow::Borrowed(&data[path_at..nul]),
                id,
                what,
            });
            // Entries are padded with 1 to 8 NULs to a multiple of 8.
            at += (nul - at + 8) & !7;
        }
        if at > end {
            return None;
        }
    }
    let mut trees = HashMap::new();
    while at + 8 <= end {
        let signature = data.get(at..at + 4)?;
        let size = be32(data, at + 4)? as usize;
        let body = data.get(at + 8..at + 8 + size)?;
        match signature {
            b"TREE" if with_trees => cache_tree(body, &mut trees)?,
            // A split index keeps entries in another file.
            b"link" => return None,
            _ => {}
        }
        at += 8 + size;
    }
    Some(Parsed { entries, trees })
}

/// git's varint for version 4 path compression.
fn varint(data: &[u8], at: usize) -> Option<(usize, usize)> {
    let mut at = at;
    let mut byte = *data.get(at)?;
    at += 1;
    let mut value = usize::from(byte & 0x7f);
    while byte & 0x80 != 0 {
        byte = *data.get(at)?;
        at += 1;
        value = value.checked_add(1)?.checked_shl(7)? | usize::from(byte & 0x7f);
    }
    Some((value, at))
}

/// Parses the `TREE` extension into folder → tree id (valid nodes only).
fn cache_tree<'a>(body: &'a [u8], out: &mut HashMap<Vec<u8>, &'a [u8]>) -> Option<()> {
    let mut at = 0;
    node(body, &mut at, &[], out, 0)?;
    Some(())
}

fn node<'a>(
    body: &'a [u8],
    at: &mut usize,
    parent: &[u8],
    out: &mut HashMap<Vec<u8>, &'a [u8]>,
    depth: usize,
) -> Option<()> {
    if depth > MAX_DEPTH {
        return None;
    }
    let nul = *at + body.get(*at..)?.iter().position(|&b| b == 0)?;
    let name = &body[*at..nul];
    let mut path = parent.to_vec();
    if !name.is_empty() {
        if !path.is_empty() {
            path.push(b'/');
        }
        path.extend_from_slice(name);
    }
    let line_end = nul + 1 + body.get(nul + 1..)?.iter().position(|&b| b == b'\n')?;
    let line = std::str::from_utf8(&body[nul + 1..line_end]).ok()?;
    let (count, subtrees) = line.split_once(' ')?;
    let count: i64 = count.parse().ok()?;
    let subtrees: usize = subtrees.parse().ok()?;
    *at = line_end + 1;
    if count >= 0 {
        let id = body.get(*at..*at + OID_LEN)?;
        *at += OID_LEN;
        out.insert(path.clone(), id);
    }
    for _ in 0..subtrees {
        node(body, at, &path, out, depth + 1)?;
    }
    Some(())
}

/// How the index differs from HEAD, for the files only.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct IndexDiff {
    /// Added or modified paths: `(path, blob id, git mode, added)`;
    /// `added`: HEAD has no file there.
    pub(crate) changed: Vec<(String, Oid, u32, bool)>,
    /// Paths at HEAD that the index no longer has: `(path, blob id)`.
    pub(crate) deleted: Vec<(String, Oid)>,
}

/// How an index file, parsed with its cache tree, differs from `head` (a
/// root tree id, `None` before the first commit); `None` when a tree is
/// missing or nested too deep.
pub(crate) fn staged_in(
    parsed: &Parsed<'_>,
    head: Option<Oid>,
    trees: &mut Trees<'_>,
) -> Option<IndexDiff> {
    let mut out = IndexDiff::default();
    compare(parsed, &parsed.entries, b"", head, trees, &mut out, 0)?;
    Some(out)
}

fn lossy(path: &[u8]) -> String {
    String::from_utf8_lossy(path).into_owned()
}

/// Compares the entries of one folder (`dir`, all entries under it) with
/// HEAD's tree for it. `depth` is the folder's depth: deeper than
/// [`MAX_DEPTH`] is refused (the recursion must not overflow the stack).
fn compare(
    parsed: &Parsed<'_>,
    entries: &[Entry<'_>],
    dir: &[u8],
    head: Option<Oid>,
    trees: &mut Trees<'_>,
    out: &mut IndexDiff,
    depth: usize,
) -> Option<()> {
    if depth > MAX_DEPTH {
        return None;
    }
    if let (Some(cached), Some(head)) = (parsed.trees.get(dir), head)
        && *cached == head.as_bytes()
    {
        return Some(());
    }
    let head_entries = match head {
        Some(tree) => trees.listing(tree).ok()?,
        None => HashMap::new(),
    };
    let mut seen: HashSet<&[u8]> = HashSet::new();
    let prefix = if dir.is_empty() { 0 } else { dir.len() + 1 };
    let mut i = 0;
    while i < entries.len() {
        let rest = entries[i].path.get(prefix..)?;
        match rest.iter().position(|&b| b == b'/') {
            // A sparse directory: its tree against HEAD's.
            Some(slash) if slash + 1 == rest.len() && entries[i].what == What::SparseDir => {
                let name = &rest[..slash];
                let head_sub = match head_entries.get(name) {
                    Some((id, Kind::Tree)) => Some(*id),
                    _ => None,
                };
                if let Some((key, _)) = head_entries.get_key_value(name) {
                    seen.insert(key.as_slice());
                }
                let tree = Oid::from_bytes(entries[i].id).ok()?;
                sparse_dir(
                    &entries[i].path[..prefix + slash],
                    head_sub,
                    tree,
                    trees,
                    out,
                )?;
                i += 1;
            }
            Some(slash) => {
                // A subfolder: the run of entries under it.
                let name = &rest[..slash];
                let sub_len = prefix + slash;
                let sub = &entries[i].path[..sub_len];
                let run = entries[i..]
                    .iter()
                    .take_while(|e| {
                        e.path.len() > sub_len && e.path.starts_with(sub) && e.path[sub_len] == b'/'
                    })
                    .count();
                let head_sub = match head_entries.get(name) {
                    Some((id, Kind::Tree)) => Some(*id),
                    _ => None,
                };
                if head_sub.is_some()
                    && let Some((key, _)) = head_entries.get_key_value(name)
                {
                    seen.insert(key.as_slice());
                }
                let run = run.max(1);
                compare(
                    parsed,
                    &entries[i..i + run],
                    sub,
                    head_sub,
                    trees,
                    out,
                    depth + 1,
                )?;
                i += run;
            }
            None => {
                let entry = &entries[i];
                let at_head = head_entries.get_key_value(rest);
                if let Some((key, (_, kind))) = at_head
                    && *kind != Kind::Tree
                {
                    seen.insert(key.as_slice());
                }
                if let What::File(mode) = entry.what {
                    let same =
                        matches!(at_head, Some((_, (id, Kind::Blob))) if id.as_bytes() == entry.id);
                    if !same {
                        let id = Oid::from_bytes(entry.id).ok()?;
                        let added = !matches!(at_head, Some((_, (_, Kind::Blob))));
                        out.changed.push((lossy(&entry.path), id, mode, added));
                    }
                }
                i += 1;
            }
        }
    }
    // What HEAD has here and the index does not.
    for (name, (id, kind)) in &head_entries {
        if seen.contains(name.as_slice()) {
            continue;
        }
        let mut path = dir.to_vec();
        if !path.is_empty() {
            path.push(b'/');
        }
        path.extend_from_slice(name);
        match kind {
            Kind::Blob => out.deleted.push((lossy(&path), *id)),
            Kind::Tree => {
                let mut changes = Vec::new();
                trees
                    .diff(Some(*id), None, &lossy(&path), &mut changes)
                    .ok()?;
                out.deleted
                    .extend(changes.into_iter().filter_map(|change| match change {
                        Change::Deleted { path, id } => Some((path, id)),
                        _ => None,
                    }));
            }
            Kind::Gitlink => {}
        }
    }
    Some(())
}

/// A sparse-directory entry (`tree`, the folder at `dir`) against HEAD's
/// tree for that folder: the files that differ, with their modes.
fn sparse_dir(
    dir: &[u8],
    head: Option<Oid>,
    tree: Oid,
    trees: &mut Trees<'_>,
    out: &mut IndexDiff,
) -> Option<()> {
    let dir = lossy(dir);
    let mut changes = Vec::new();
    trees.diff(head, Some(tree), &dir, &mut changes).ok()?;
    for change in changes {
        match change {
            Change::Added { path, id } => {
                let inside = path.get(dir.len() + 1..).unwrap_or_default();
                let mode = trees.lookup_mode(tree, inside).ok()??;
                out.changed.push((path, id, mode, true));
            }
            Change::Modified { path, new: id, .. } => {
                let inside = path.get(dir.len() + 1..).unwrap_or_default();
                let mode = trees.lookup_mode(tree, inside).ok()??;
                out.changed.push((path, id, mode, false));
            }
            Change::Deleted { path, id } => out.deleted.push((path, id)),
        }
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_follow_git() {
        assert_eq!(varint(&[0x05], 0), Some((5, 1)));
        // 0x80 0x00 is 128 in git's offset encoding.
        assert_eq!(varint(&[0x80, 0x00], 0), Some((128, 2)));
        assert_eq!(varint(&[0x80], 0), None);
    }

    #[test]
    fn rejects_what_it_does_not_know() {
        assert!(parse(b"not an index at all, not at all").is_none());
        let mut v5 = b"DIRC\0\0\0\x05\0\0\0\0".to_vec();
        v5.extend([0; 20]);
        assert!(parse(&v5).is_none());
    }

    /// A header that claims 2^31 entries (an 85 GB allocation, taken at
    /// its word) is refused after the few bytes there are.
    #[test]
    fn does_not_trust_the_entry_count() {
        let mut data = b"DIRC\0\0\0\x02\x80\0\0\0".to_vec();
        data.extend([0; 100]);
        assert!(parse(&data).is_none());
    }

    /// A cache tree nested deeper than the bound is refused, not recursed
    /// into until the stack overflows.
    #[test]
    fn deep_cache_trees_are_refused() {
        let mut body = Vec::new();
        for level in 0..20_000 {
            body.extend(if level == 0 { &b""[..] } else { &b"d"[..] });
            body.extend(b"\0-1 1\n");
        }
        let mut out = HashMap::new();
        assert!(cache_tree(&body, &mut out).is_none());
    }

    #[test]
    fn reads_a_cache_tree() {
        let mut body = b"\x002 1\n".to_vec();
        body.extend([1; 20]);
        body.extend(b"docs\0-1 0\n");
        let mut out = HashMap::new();
        cache_tree(&body, &mut out).expect("parses");
        assert_eq!(out.len(), 1);
        assert_eq!(out.get(&b""[..]).map(|id| id[0]), Some(1));
    }
}
