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
//! Anything this parser does not handle (a split index, an unknown
//! version) returns `None`, and the caller falls back to libgit2.

use std::borrow::Cow;
use std::collections::HashMap;

use git2::Oid;

use super::tree::{Kind, Trees};

const OID_LEN: usize = 20;
const ENTRY_FIXED: usize = 62;

/// One stage-0 file entry of the index.
struct Entry<'a> {
    /// Borrowed from the file, except in version 4, where paths are
    /// compressed against the previous one.
    path: Cow<'a, [u8]>,
    id: &'a [u8],
}

/// The entries (stage 0, files only, not intent-to-add) and the valid
/// cache-tree ids of an index file, or `None` if this parser does not
/// handle it.
struct Parsed<'a> {
    entries: Vec<Entry<'a>>,
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

fn parse(data: &[u8]) -> Option<Parsed<'_>> {
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
    let mut entries = Vec::with_capacity(count);
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
        let keep = stage == 0 && !intent_to_add && is_file;
        if version == 4 {
            let (strip, after) = varint(data, path_at)?;
            let nul = after + data.get(after..)?.iter().position(|&b| b == 0)?;
            let keep_len = previous.len().checked_sub(strip)?;
            previous.truncate(keep_len);
            previous.extend_from_slice(&data[after..nul]);
            if keep {
                entries.push(Entry {
                    path: Cow::Owned(previous.clone()),
                    id,
                });
            }
            at = nul + 1;
        } else {
            let nul = path_at + data.get(path_at..)?.iter().position(|&b| b == 0)?;
            if keep {
                entries.push(Entry {
                    path: Cow::Borrowed(&data[path_at..nul]),
                    id,
                });
            }
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
            b"TREE" => cache_tree(body, &mut trees)?,
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
    node(body, &mut at, &[], out)?;
    Some(())
}

fn node<'a>(
    body: &'a [u8],
    at: &mut usize,
    parent: &[u8],
    out: &mut HashMap<Vec<u8>, &'a [u8]>,
) -> Option<()> {
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
        node(body, at, &path, out)?;
    }
    Some(())
}

/// Paths staged in the index file `data` that differ from `head` (a root
/// tree id, `None` before the first commit), with their blob ids; `None`
/// when this parser does not handle the file, or a tree is missing.
pub(crate) fn staged(
    data: &[u8],
    head: Option<Oid>,
    trees: &mut Trees<'_>,
) -> Option<Vec<(String, Oid)>> {
    let parsed = parse(data)?;
    let mut out = Vec::new();
    compare(&parsed, &parsed.entries, b"", head, trees, &mut out)?;
    Some(out)
}

/// Compares the entries of one folder (`dir`, all entries under it) with
/// HEAD's tree for it.
fn compare(
    parsed: &Parsed<'_>,
    entries: &[Entry<'_>],
    dir: &[u8],
    head: Option<Oid>,
    trees: &mut Trees<'_>,
    out: &mut Vec<(String, Oid)>,
) -> Option<()> {
    if let (Some(cached), Some(head)) = (parsed.trees.get(dir), head)
        && *cached == head.as_bytes()
    {
        return Some(());
    }
    let head_entries = match head {
        Some(tree) => trees.listing(tree).ok()?,
        None => HashMap::new(),
    };
    let prefix = if dir.is_empty() { 0 } else { dir.len() + 1 };
    let mut i = 0;
    while i < entries.len() {
        let rest = entries[i].path.get(prefix..)?;
        match rest.iter().position(|&b| b == b'/') {
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
                compare(parsed, &entries[i..i + run], sub, head_sub, trees, out)?;
                i += run.max(1);
            }
            None => {
                let entry = &entries[i];
                let same = matches!(head_entries.get(rest), Some((id, Kind::Blob)) if id.as_bytes() == entry.id);
                if !same {
                    let id = Oid::from_bytes(entry.id).ok()?;
                    out.push((String::from_utf8_lossy(&entry.path).into_owned(), id));
                }
                i += 1;
            }
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
