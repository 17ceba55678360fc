//! The publication history of reports: one walk over the commit graph.
//!
//! # How the walk works
//!
//! Commits are read once (see [`super::graph`]) and visited once, newest
//! first, in topological order (a commit only after all of its children),
//! so each commit is compared with its parents exactly once for all
//! reports together. Each commit carries a *lineage*: the
//! names, as they are in that commit, of the paths at HEAD we are following
//! (a report moved from `status/a.rst` to `docs/status/a.rst` at some point
//! is followed as `status/a.rst` before that commit). A commit is compared
//! with each parent by tree id (see [`super::tree`]), only under the report
//! folders (`prefixes`) and the folders that followed names have moved out
//! of; a commit that changed nothing there costs two tree lookups.
//!
//! For a followed name N in commit C, compared with parent P:
//! - N is in P with the same blob: nothing happened; N goes on into P.
//! - N is in P with another blob: C changed it (a new *version*).
//! - N is not in P: C added it, *unless* C also removed a path Q that was in
//!   P. Added and removed paths of C are paired, exact blob id first, then by
//!   content similarity (see [`super::similar`]); a pair is a **move** and
//!   the lineage goes on as Q in P. A removal is paired with at most one
//!   addition, and only a path that disappears can be a source: a report
//!   made by copying last week's file (which stays) has no removed partner,
//!   so it is a new report first added in C, and last week's history is left
//!   alone. This is what `git log --follow` gets wrong: it follows copies,
//!   and follows only one file.
//!   When no partner is found under the report folders, the whole tree of
//!   C is compared with P (still descending only into changed subtrees), so
//!   that a reorganisation that moved the reports in from elsewhere is
//!   followed too.
//!
//! A merge commit is compared with every parent. An event at a merge (a
//! change, a move, an addition) counts only if it holds against *every*
//! parent: a file that came in unchanged from one side was not changed by
//! the merge. Lineages go on into every parent where the name (or its move
//! source) exists, so a file that arrived through both sides has two first
//! additions, and the earliest (by committer time) wins.
//!
//! A root commit is compared with the empty tree. In a shallow clone the
//! boundary commits look like roots; the files they "add" are flagged
//! ([`super::FileHistory::boundary`]) and [`super::History::shallow`] is set.
//! A commit or tree missing from the store is treated the same way (what
//! came before it is unknown: the files are flagged from there), with a
//! note in [`super::History::notes`]; nothing panics, and an incomplete
//! history is never cached.
//!
//! Blobs are never read, except the few added and removed reports of one
//! commit that have no exact partner, for the similarity check.
//!
//! The changes of a comparison are taken in path order, whatever produced
//! them: moves are paired in that order (the first of equal candidates
//! wins), so the pairing does not depend on how the folders were compared.
//!
//! # Two cores
//!
//! A full walk (a cold run) is mostly reading trees, and the comparison of
//! a commit with a parent does not depend on the lineage: a second thread
//! computes those comparisons ahead of the walk, which stays sequential and
//! takes them when they cover its lineage's folders (see
//! [`super::prefetch`]). With one core, or above a cached tip (a short
//! walk), the walk compares trees itself. Either way the history is the
//! same (a test compares them).
//!
//! # Cache
//!
//! See [`super::cache`]: the result at a tip is stored; a later run walks
//! only the commits reachable from HEAD and not from that tip (the walk
//! hides it), and where a lineage reaches the tip, the stored history of
//! that name is spliced in. If a lineage reaches a hidden commit other than
//! the tip (a merged branch that forked before it), the splice would be
//! wrong, and the run starts over without the cache.

mod finish;
mod pairing;
mod state;
mod walk;

#[cfg(test)]
mod tests;

use std::collections::hash_map::Entry as MapEntry;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;
use std::sync::Arc;

use git2::{Oid, Repository};

use super::cache::{self, CachedHistory, Record, Snapshot};
use super::graph::{CommitData, Graph, Signature};
use super::prefetch::{self, Job, Shared};
use super::similar::{self, THRESHOLD};
use super::tree::{Change, OidMap, OidSet, Region, Trees};
use super::{CommitInfo, History};
use crate::hash::FastMap;
use state::*;

/// Above this many (added × removed) unmatched pairs in one commit, only
/// pairs with the same file name are compared for similarity.
const MAX_SIMILARITY_PAIRS: usize = 250_000;

/// Walk position given to events that come from the cache: older than any
/// commit of the walk.
const CACHED_POS: usize = usize::MAX;

/// The walk did not fit the cache (it reached a hidden commit other than the
/// cached tip): start over without it.
struct Bail;

/// What every visit of one walk shares: the graph, the cached tip the walk
/// stops at (its id and tree), and the second thread's comparisons.
struct Around<'g> {
    graph: &'g Graph,
    hidden: Option<(Oid, Oid)>,
    shared: Option<&'g Shared>,
}

/// A commit against one parent: the parent to continue into, and the
/// outcomes of the followed names that are not unchanged against it.
type Side = (Option<Oid>, HashMap<u32, Out>);

/// Everything the history of one run needs.
pub(crate) struct Walk<'a> {
    repo: &'a Repository,
    trees: Trees<'a>,
    filter: &'a dyn Fn(&str) -> bool,
    region: Rc<Region>,
    whole: Rc<Region>,
    shallow_roots: OidSet,
    interner: Interner,
    commits: CommitTable,
    accs: Vec<Acc>,
    notes: Vec<String>,
    walked: usize,
    /// Compare trees on a second thread too, in chunks of this many
    /// commits (see [`super::prefetch`]); `None`: one thread.
    parallel: Option<usize>,
    /// The last lineage region published to the second thread.
    published: Option<Rc<Region>>,
    /// The last (second thread's region, lineage region) compared: whether
    /// the first covers the second, and whether they are the same. Regions
    /// change rarely, and after a reorganisation they can hold hundreds of
    /// folders: comparing them for every commit would cost more than the
    /// comparison of the trees.
    coverage: Option<(Arc<Region>, Rc<Region>, bool, bool)>,
}

/// Runs the history for `filter` under `prefixes`, with the cache when
/// `cache_key` is given (and the clone is not shallow).
pub(crate) fn history(
    repo: &Repository,
    filter: &dyn Fn(&str) -> bool,
    prefixes: &[String],
    cache_key: Option<&str>,
) -> Result<History, git2::Error> {
    // One core: the second thread would only take turns with the walk.
    let parallel = std::thread::available_parallelism()
        .is_ok_and(|n| n.get() > 1)
        .then_some(prefetch::CHUNK);
    history_with(repo, filter, prefixes, cache_key, parallel)
}

/// [`history`], with the second thread's chunk size given (`None`: one
/// thread), so that tests can compare both ways.
fn history_with(
    repo: &Repository,
    filter: &dyn Fn(&str) -> bool,
    prefixes: &[String],
    cache_key: Option<&str>,
    parallel: Option<usize>,
) -> Result<History, git2::Error> {
    let shallow = repo.is_shallow();
    let Some(head) = head_commit(repo)? else {
        return Ok(History {
            shallow,
            ..History::default()
        });
    };
    let region = Rc::new(Region::new(prefixes));
    let prefixes = region.prefixes().to_vec();
    let cache_key = cache_key.filter(|_| !shallow);
    let cached = cache_key
        .and_then(|key| cache::load(&cache::cache_path(repo, key, &prefixes), key, &prefixes));
    // The cache is of this selection (its key), written by this version
    // of milepost: at HEAD, its files are HEAD's, and the tree need not be
    // listed (a tenth of a warm check on 10,000 reports).
    let cached = match cached {
        Some(cached) if cached.tip == head => {
            return Ok(History {
                files: cached.snapshot.into_histories(),
                shallow,
                notes: Vec::new(),
                walked: 0,
                head: Some(head.to_string()),
            });
        }
        other => other,
    };
    let mut walk = Walk::new(repo, filter, Rc::clone(&region), parallel)?;
    let head_files = walk.head_files(head, cached.as_ref())?;

    if let Some(cached) = cached {
        let descends = repo.graph_descendant_of(head, cached.tip).unwrap_or(false);
        if descends {
            let mut incremental = Walk::new(repo, filter, Rc::clone(&region), parallel)?;
            match incremental.run(head, &head_files, Some(cached))? {
                Ok(()) => {
                    let save = (incremental.walked >= cache::REWRITE_AFTER)
                        .then_some(cache_key)
                        .flatten();
                    let saver = Saver::new(repo, save, &prefixes, head);
                    return Ok(incremental.finish(&head_files, head, shallow, &saver));
                }
                Err(Bail) => walk.walked += incremental.walked,
            }
        }
    }

    if walk.run(head, &head_files, None)?.is_err() {
        // Without a cache nothing is hidden, so the walk cannot bail.
        walk.notes
            .push("history walk reached a hidden commit without a cache".into());
    }
    let saver = Saver::new(repo, cache_key, &prefixes, head);
    Ok(walk.finish(&head_files, head, shallow, &saver))
}

/// Where and how a run's history is cached, if it is.
struct Saver<'s> {
    target: Option<(std::path::PathBuf, &'s str)>,
    prefixes: &'s [String],
    head: Oid,
}

impl<'s> Saver<'s> {
    fn new(repo: &Repository, key: Option<&'s str>, prefixes: &'s [String], head: Oid) -> Self {
        Saver {
            target: key.map(|key| (cache::cache_path(repo, key, prefixes), key)),
            prefixes,
            head,
        }
    }

    /// Caches a complete history (one without notes).
    fn save(&self, snapshot: &Snapshot) {
        if let Some((path, key)) = &self.target {
            cache::store(path, key, self.prefixes, self.head, snapshot);
        }
    }
}

/// The commit HEAD points at; `None` when there is no commit yet.
pub(crate) fn head_commit(repo: &Repository) -> Result<Option<Oid>, git2::Error> {
    match repo.refname_to_id("HEAD") {
        Ok(id) => Ok(Some(id)),
        Err(err)
            if matches!(
                err.code(),
                git2::ErrorCode::UnbornBranch | git2::ErrorCode::NotFound
            ) =>
        {
            Ok(None)
        }
        Err(err) => Err(err),
    }
}

/// Commit ids listed in the `shallow` file: the boundary of a shallow
/// clone, which libgit2 shows as root commits.
fn shallow_roots(repo: &Repository) -> OidSet {
    if !repo.is_shallow() {
        return OidSet::default();
    }
    let text = std::fs::read_to_string(repo.commondir().join("shallow")).unwrap_or_default();
    text.lines()
        .filter_map(|line| Oid::from_str(line.trim()).ok())
        .collect()
}

/// Puts changes in path order. Moves are paired in the order of the
/// changes (the first of equal candidates wins), and the order a comparison
/// gives depends on the shape of the region compared; in path order the
/// pairing is the same whichever thread compared, over whichever region.
fn by_path(changes: &mut [Change]) {
    changes.sort_unstable_by(|a, b| a.path().cmp(b.path()));
}

/// What the second thread compares for each commit of `graph`, in walk
/// order: the parents' trees as [`Walk::visit`] finds them in a full walk.
fn jobs(graph: &Graph) -> Vec<Job> {
    graph
        .order
        .iter()
        .filter_map(|&index| {
            let data = graph.commit(index)?;
            let olds = if data.parents.is_empty() {
                vec![None]
            } else {
                (0..data.parents.len())
                    .map(|edge| {
                        let parent = graph.parent(index, edge)?;
                        graph.commit(parent).map(|p| p.tree)
                    })
                    .collect()
            };
            Some(Job {
                id: graph.id(index),
                tree: data.tree,
                olds,
            })
        })
        .collect()
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

fn parent_folder(path: &str) -> String {
    path.rsplit_once('/')
        .map(|(folder, _)| folder.to_owned())
        .unwrap_or_default()
}
