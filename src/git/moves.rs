//! Where a file that is gone went: `check --fix` repairs a `:doc:` link to
//! a document that a later commit moved (a folder renamed in a docs
//! reorganisation), when history names one new place.
//!
//! The same rule as the history walk decides what a move is: a commit that
//! removes the path and adds another with the same blob, else the one
//! added file whose lines are at least [`THRESHOLD`] alike
//! ([`super::similar`]); an added copy beside a file that stays is no
//! move. Unlike the history walk this follows one path, backwards from
//! HEAD, and only on demand (a broken link to repair), so it walks the
//! commits with two tree lookups each and reads trees in full only at the
//! commit that removed the path. Merge commits are not looked into (a move
//! is made in an ordinary commit); a path moved more than once is followed
//! to where it is now, up to [`MAX_MOVES`] times.

use git2::{ObjectType, Oid, Repository, Sort, Tree, TreeWalkMode, TreeWalkResult};

use super::similar::{THRESHOLD, fingerprint, similarity};

/// How many successive moves of one path are followed.
const MAX_MOVES: usize = 8;

/// Where the first of `olds` (repository-relative paths, not at HEAD)
/// that history moved is at HEAD, following its later moves: its index in
/// `olds` and its path now. `None` when none of them was moved, the one
/// that was is deleted now, or a move had more than one candidate
/// destination. One walk answers for all the names (a `:doc:` target may
/// be `.rst`, `.md` or `.txt`).
pub(super) fn moved_to(
    repo: &Repository,
    olds: &[&str],
) -> Result<Option<(usize, String)>, git2::Error> {
    let head = match repo.head().and_then(|h| h.peel_to_commit()) {
        Ok(commit) => commit,
        Err(_) => return Ok(None),
    };
    let head_tree = head.tree()?;
    let at_head = |path: &str| head_tree.get_path(std::path::Path::new(path)).is_ok();
    let wanted: Vec<&str> = olds.iter().copied().filter(|old| !at_head(old)).collect();
    let Some((which, mut now)) = last_move(repo, head.id(), &wanted)? else {
        return Ok(None);
    };
    for _ in 0..MAX_MOVES {
        if at_head(&now) {
            let index = olds.iter().position(|old| *old == wanted[which]);
            return Ok(index.map(|index| (index, now)));
        }
        match last_move(repo, head.id(), &[now.as_str()])? {
            Some((_, next)) => now = next,
            None => return Ok(None),
        }
    }
    Ok(None)
}

/// The newest commit (from `head`) that removed one of `paths`: which
/// one, and its destination if that commit moved it to one place.
fn last_move(
    repo: &Repository,
    head: Oid,
    paths: &[&str],
) -> Result<Option<(usize, String)>, git2::Error> {
    if paths.is_empty() {
        return Ok(None);
    }
    let mut walk = repo.revwalk()?;
    walk.push(head)?;
    walk.set_sorting(Sort::TOPOLOGICAL)?;
    for id in walk {
        let commit = repo.find_commit(id?)?;
        if commit.parent_count() != 1 {
            continue;
        }
        let tree = commit.tree()?;
        let mut parent = None;
        for (which, path) in paths.iter().enumerate() {
            let at = std::path::Path::new(path);
            if tree.get_path(at).is_ok() {
                continue;
            }
            let parent = match &parent {
                Some(parent) => parent,
                None => parent.insert(commit.parent(0)?.tree()?),
            };
            let Ok(entry) = parent.get_path(at) else {
                continue;
            };
            // This commit removed it: where did it go?
            let added = added_files(&tree, parent)?;
            let exact: Vec<&(String, Oid)> =
                added.iter().filter(|(_, id)| *id == entry.id()).collect();
            let destination = match exact.as_slice() {
                [(only, _)] => Some(only.clone()),
                [] => most_similar(repo, entry.id(), &added)?,
                _ => None,
            };
            return Ok(destination.map(|d| (which, d)));
        }
    }
    Ok(None)
}

/// Files of `tree` that are not in `parent`, with their blob ids.
fn added_files(tree: &Tree, parent: &Tree) -> Result<Vec<(String, Oid)>, git2::Error> {
    let mut files = Vec::new();
    tree.walk(TreeWalkMode::PreOrder, |folder, entry| {
        if entry.kind() == Some(ObjectType::Blob)
            && let Ok(name) = entry.name()
        {
            files.push((format!("{folder}{name}"), entry.id()));
        }
        TreeWalkResult::Ok
    })?;
    files.retain(|(path, _)| parent.get_path(std::path::Path::new(path)).is_err());
    Ok(files)
}

/// The one added file whose content is like `old`'s (at least
/// [`THRESHOLD`], and strictly more alike than any other).
fn most_similar(
    repo: &Repository,
    old: Oid,
    added: &[(String, Oid)],
) -> Result<Option<String>, git2::Error> {
    let old = fingerprint(repo.find_blob(old)?.content());
    let mut scored: Vec<(f64, &str)> = Vec::new();
    for (path, id) in added {
        let Ok(blob) = repo.find_blob(*id) else {
            continue;
        };
        let score = similarity(&old, &fingerprint(blob.content()));
        if score >= THRESHOLD {
            scored.push((score, path));
        }
    }
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    Ok(match scored.as_slice() {
        [(_, only)] => Some((*only).to_owned()),
        [(best, path), (second, _), ..] if best > second => Some((*path).to_owned()),
        _ => None,
    })
}
