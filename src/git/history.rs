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

/// Above this many (added × removed) unmatched pairs in one commit, only
/// pairs with the same file name are compared for similarity.
const MAX_SIMILARITY_PAIRS: usize = 250_000;

/// Walk position given to events that come from the cache: older than any
/// commit of the walk.
const CACHED_POS: usize = usize::MAX;

/// HEAD paths a name stands for (almost always one).
#[derive(Clone, Debug)]
enum Targets {
    One(u32),
    Many(Vec<u32>),
}

impl Targets {
    fn as_slice(&self) -> &[u32] {
        match self {
            Targets::One(t) => std::slice::from_ref(t),
            Targets::Many(ts) => ts,
        }
    }

    fn union(&mut self, other: &Targets) {
        for &t in other.as_slice() {
            if !self.as_slice().contains(&t) {
                let mut all = self.as_slice().to_vec();
                all.push(t);
                *self = Targets::Many(all);
            }
        }
    }
}

/// What is followed at one commit: name (interned) → HEAD paths, and the
/// folders to compare: the report folders, plus those that followed names
/// lived in before they were moved into them.
#[derive(Clone, Debug)]
struct Lineage {
    names: HashMap<u32, Targets>,
    region: Rc<Region>,
}

impl Lineage {
    fn merge(&mut self, other: &Lineage) {
        for (name, targets) in &other.names {
            match self.names.entry(*name) {
                MapEntry::Occupied(mut entry) => entry.get_mut().union(targets),
                MapEntry::Vacant(entry) => {
                    entry.insert(targets.clone());
                }
            }
        }
        if !Rc::ptr_eq(&self.region, &other.region) && self.region != other.region {
            self.region = Rc::new(self.region.with(other.region.prefixes()));
        }
    }
}

/// What happened to a followed name between a parent and the commit.
#[derive(Clone, Copy, Debug)]
enum Out {
    Changed(Oid),
    Moved {
        from: u32,
        blob: Oid,
        edited: bool,
    },
    /// Added against this parent; `blob` is `None` only when the commit's
    /// own tree could not be read.
    Added {
        blob: Option<Oid>,
        boundary: bool,
    },
}

impl Out {
    fn blob(&self) -> Option<Oid> {
        match *self {
            Out::Changed(blob) | Out::Moved { blob, .. } => Some(blob),
            Out::Added { blob, .. } => blob,
        }
    }
}

/// A candidate for the first addition of a file.
#[derive(Clone, Copy, Debug)]
struct First {
    commit: usize,
    time: i64,
    pos: usize,
    boundary: bool,
}

/// What is known about one HEAD path so far.
#[derive(Debug, Default)]
struct Acc {
    first: Option<First>,
    last: Option<usize>,
    /// `(walk position, commit index, blob)`.
    versions: Vec<(usize, usize, Blob)>,
}

/// A version's blob id: found by the walk, or taken from the cache as the
/// hex it is stored as (tens of thousands of them: parsing each to print it
/// again was a tenth of a cached run).
#[derive(Clone, Debug)]
enum Blob {
    Id(Oid),
    Hex(String),
}

impl Blob {
    fn into_hex(self) -> String {
        match self {
            Blob::Id(id) => super::hex(id),
            Blob::Hex(hex) => hex,
        }
    }
}

impl Acc {
    fn offer_first(&mut self, candidate: First) {
        let better = match self.first {
            None => true,
            Some(current) => {
                candidate.time < current.time
                    || (candidate.time == current.time && candidate.pos > current.pos)
            }
        };
        if better {
            self.first = Some(candidate);
        }
    }
}

/// The walk did not fit the cache (it reached a hidden commit other than the
/// cached tip): start over without it.
struct Bail;

/// Interned paths.
#[derive(Default)]
struct Interner {
    ids: HashMap<String, u32>,
    names: Vec<String>,
}

impl Interner {
    fn intern(&mut self, path: &str) -> u32 {
        if let Some(&id) = self.ids.get(path) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names.push(path.to_owned());
        self.ids.insert(path.to_owned(), id);
        id
    }

    fn get(&self, path: &str) -> Option<u32> {
        self.ids.get(path).copied()
    }

    fn name(&self, id: u32) -> &str {
        &self.names[id as usize]
    }
}

/// Commits that appear in results, each turned into a [`CommitInfo`] once,
/// after the walk: made during it (four strings each, for ~70,000 commits
/// of 100,000) they slowed every object read after them, through the
/// allocator and the caches, by more than their own cost (8% of a cold
/// walk, measured).
#[derive(Default)]
pub(crate) struct CommitTable {
    entries: Vec<TableEntry>,
    index: OidMap<usize>,
}

enum TableEntry {
    /// From the cache.
    Ready(Arc<CommitInfo>),
    /// Seen by this walk: what its [`CommitInfo`] will be made of.
    Later {
        id: Oid,
        author: Signature,
        committed: (i64, i32),
    },
}

impl CommitTable {
    fn of(&mut self, id: Oid, commit: &CommitData) -> usize {
        if let Some(&i) = self.index.get(&id) {
            return i;
        }
        let i = self.entries.len();
        self.index.insert(id, i);
        self.entries.push(TableEntry::Later {
            id,
            author: commit.author.clone(),
            committed: commit.committer_time,
        });
        i
    }

    fn len(&self) -> usize {
        self.entries.len()
    }

    /// The committer time (seconds) of entry `i`.
    fn committed(&self, i: usize) -> Option<i64> {
        Some(match self.entries.get(i)? {
            TableEntry::Ready(info) => info.committed.timestamp(),
            TableEntry::Later { committed, .. } => committed.0,
        })
    }

    /// Every entry as a [`CommitInfo`], in order.
    fn into_infos(self) -> Vec<Arc<CommitInfo>> {
        self.entries
            .into_iter()
            .map(|entry| match entry {
                TableEntry::Ready(info) => info,
                TableEntry::Later {
                    id,
                    author,
                    committed,
                } => Arc::new(CommitInfo::from_parts(id, &author, committed)),
            })
            .collect()
    }

    /// A table that starts with the commits of a cache, in order (`ids`
    /// are theirs, parsed).
    fn from_infos(infos: Vec<Arc<CommitInfo>>, ids: &[Oid]) -> Option<CommitTable> {
        if ids.len() != infos.len() {
            return None;
        }
        let mut index = OidMap::with_capacity(infos.len());
        for (i, id) in ids.iter().enumerate() {
            index.insert(*id, i);
        }
        Some(CommitTable {
            entries: infos.into_iter().map(TableEntry::Ready).collect(),
            index,
        })
    }
}

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
    let mut walk = Walk::new(repo, filter, Rc::clone(&region), parallel)?;
    let head_files = walk.head_files(head)?;

    let cache_key = cache_key.filter(|_| !shallow);
    let cached = cache_key
        .and_then(|key| cache::load(&cache::cache_path(repo, key, &prefixes), key, &prefixes));

    if let Some(cached) = cached {
        let covers = head_files.len() == cached.snapshot.files.len()
            && head_files
                .iter()
                .all(|(path, _)| cached.snapshot.files.contains_key(path));
        if cached.tip == head && covers {
            return Ok(History {
                files: cached.snapshot.into_histories(),
                shallow,
                notes: Vec::new(),
                walked: 0,
                head: Some(head.to_string()),
            });
        }
        let descends =
            cached.tip != head && repo.graph_descendant_of(head, cached.tip).unwrap_or(false);
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

impl<'a> Walk<'a> {
    fn new(
        repo: &'a Repository,
        filter: &'a dyn Fn(&str) -> bool,
        region: Rc<Region>,
        parallel: Option<usize>,
    ) -> Result<Walk<'a>, git2::Error> {
        Ok(Walk {
            repo,
            trees: Trees::new(repo.odb()?),
            filter,
            region,
            whole: Rc::new(Region::new(&[])),
            shallow_roots: shallow_roots(repo),
            interner: Interner::default(),
            commits: CommitTable::default(),
            accs: Vec::new(),
            notes: Vec::new(),
            walked: 0,
            parallel,
            published: None,
            coverage: None,
        })
    }

    /// The report paths at HEAD, sorted.
    fn head_files(&mut self, head: Oid) -> Result<Vec<(String, Oid)>, git2::Error> {
        let tree = self.repo.find_commit(head)?.tree_id();
        let mut files = Vec::new();
        for prefix in self.region.prefixes() {
            self.trees.files(tree, prefix, &mut files)?;
        }
        files.retain(|(path, _)| (self.filter)(path));
        files.sort();
        files.dedup();
        Ok(files)
    }

    /// The commits to visit: all of them, or with a cached tip, those a
    /// revwalk finds above it (libgit2 stops that walk early). `None` when
    /// the walk above the tip fails: the run then starts over without the
    /// cache.
    fn graph(&mut self, head: Oid, hide: Option<Oid>) -> Result<Option<Graph>, git2::Error> {
        let Some(tip) = hide else {
            let graph =
                Graph::reachable(self.trees.odb(), head, &self.shallow_roots, &mut self.notes);
            return Ok(Some(graph));
        };
        let mut revwalk = self.repo.revwalk()?;
        revwalk.push(head)?;
        revwalk.hide(tip)?;
        let Ok(ids) = revwalk.collect::<Result<Vec<Oid>, _>>() else {
            return Ok(None);
        };
        let mut notes = Vec::new();
        let graph = Graph::of(self.trees.odb(), &ids, &self.shallow_roots, &mut notes);
        Ok(notes.is_empty().then_some(graph))
    }

    /// Walks from `head` (hiding the cached tip, if any) and records events.
    fn run(
        &mut self,
        head: Oid,
        head_files: &[(String, Oid)],
        cached: Option<CachedHistory>,
    ) -> Result<Result<(), Bail>, git2::Error> {
        self.accs = head_files.iter().map(|_| Acc::default()).collect();
        let mut start = Lineage {
            names: HashMap::new(),
            region: Rc::clone(&self.region),
        };
        for (target, (path, _)) in head_files.iter().enumerate() {
            let name = self.interner.intern(path);
            start.names.insert(name, Targets::One(target as u32));
        }
        let hide = cached.as_ref().map(|c| c.tip);
        // The cached commits become the start of this run's table, so the
        // cached records' indices stay valid.
        let cached_files = match cached {
            Some(cached) => match CommitTable::from_infos(cached.snapshot.commits, &cached.ids) {
                Some(table) => {
                    self.commits = table;
                    Some(cached.snapshot.files)
                }
                None => return Ok(Err(Bail)),
            },
            None => None,
        };
        let hidden_tree = match hide {
            Some(tip) => Some(self.repo.find_commit(tip)?.tree_id()),
            None => None,
        };
        let mut pending: OidMap<Rc<Lineage>> = OidMap::default();
        pending.insert(head, Rc::new(start));
        let hidden = hide.zip(hidden_tree);
        // The second thread is for full walks (a cold run, or one that
        // could not use the cache); a walk above a cached tip is short.
        let walked = match (hide, self.parallel) {
            (None, Some(chunk)) => self.walk_parallel(head, chunk, &mut pending),
            _ => {
                let Some(graph) = self.graph(head, hide)? else {
                    return Ok(Err(Bail));
                };
                self.visit_all(&graph, hidden, &mut pending, None)
            }
        };
        if walked.is_err() {
            return Ok(Err(Bail));
        }
        if let (Some(mut files), Some(state)) =
            (cached_files, hide.and_then(|tip| pending.remove(&tip)))
            && self.splice(&mut files, &state).is_err()
        {
            return Ok(Err(Bail));
        }
        Ok(Ok(()))
    }

    /// A full walk from `head` with a second thread comparing trees (see
    /// [`super::prefetch`]): it starts on the commits as the graph is read,
    /// then shares the comparisons with the walk, chunk by chunk.
    fn walk_parallel(
        &mut self,
        head: Oid,
        chunk: usize,
        pending: &mut OidMap<Rc<Lineage>>,
    ) -> Result<(), Bail> {
        /// Stops the producer however the walk ends (a panic included), so
        /// that the scope can join it.
        struct Stop<'s>(&'s Shared);
        impl Drop for Stop<'_> {
            fn drop(&mut self) {
                self.0.finish();
            }
        }

        let shared = Shared::new(Arc::new(Region::new(self.region.prefixes())), chunk);
        let objects = self.repo.commondir().join("objects");
        let walked = std::thread::scope(|scope| {
            let shared = &shared;
            let _stop = Stop(shared);
            let (sender, receiver) = std::sync::mpsc::channel();
            // No thread (the system refused one): the walk does it all.
            let producer = std::thread::Builder::new()
                .spawn_scoped(scope, move || shared.produce(objects, receiver))
                .inspect_err(|_| shared.producer_gone())
                .ok();
            // Sent in batches: one message per commit would wake the
            // producer (a system call) for each.
            let mut batch = Vec::with_capacity(prefetch::BATCH);
            let graph = Graph::reachable_with(
                self.trees.odb(),
                head,
                &self.shallow_roots,
                &mut self.notes,
                &mut |id, data| {
                    batch.push(prefetch::Read::new(id, data.tree, &data.parents));
                    if batch.len() == prefetch::BATCH {
                        let full =
                            std::mem::replace(&mut batch, Vec::with_capacity(prefetch::BATCH));
                        // A producer that is gone only leaves more to the walk.
                        let _ = sender.send(full);
                    }
                },
            );
            let _ = sender.send(batch);
            drop(sender);
            shared.set_plan(jobs(&graph));
            let result = self.visit_all(&graph, None, pending, Some(shared));
            shared.finish();
            // A producer that panicked only left more work to the walk.
            if let Some(producer) = producer {
                let _ = producer.join();
            }
            (result, graph)
        });
        let (result, graph) = walked;
        // Freeing 100,000 commits and what was left of the comparisons
        // takes tens of milliseconds that the result need not wait for.
        // (If no thread can be started, they are freed here.)
        let _ = std::thread::Builder::new().spawn(move || drop((graph, shared)));
        result
    }

    /// Visits the commits of `graph` in order.
    fn visit_all(
        &mut self,
        graph: &Graph,
        hidden: Option<(Oid, Oid)>,
        pending: &mut OidMap<Rc<Lineage>>,
        shared: Option<&Shared>,
    ) -> Result<(), Bail> {
        for (pos, &index) in graph.order.iter().enumerate() {
            self.walked += 1;
            let Some(state) = pending.remove(&graph.id(index)) else {
                continue;
            };
            if state.names.is_empty() {
                continue;
            }
            self.visit(pos, index, state, graph, hidden, pending, shared)?;
        }
        Ok(())
    }

    /// Compares one commit with its parents, records events and passes the
    /// lineage on.
    #[allow(clippy::too_many_arguments)]
    fn visit(
        &mut self,
        pos: usize,
        index: u32,
        state: Rc<Lineage>,
        graph: &Graph,
        hidden: Option<(Oid, Oid)>,
        pending: &mut OidMap<Rc<Lineage>>,
        shared: Option<&Shared>,
    ) -> Result<(), Bail> {
        let id = graph.id(index);
        let Some(commit) = graph.commit(index) else {
            return Ok(());
        };
        let tree = commit.tree;
        let region = Rc::clone(&state.region);
        let mut prepared =
            shared.and_then(|shared| self.prepared(shared, pos, id, commit, &region));

        // (parent to continue into, outcomes of followed names that are not
        // unchanged against it)
        let mut sides: Vec<(Option<Oid>, HashMap<u32, Out>)> = Vec::new();
        if commit.parents.is_empty() {
            let boundary = self.shallow_roots.contains(&id);
            let pre = prefetch::edge(&mut prepared, 0, &region);
            let outs = self.compare(id, None, tree, &state, &region, boundary, pre);
            sides.push((None, outs));
        }
        for (edge, &parent) in commit.parents.iter().enumerate() {
            let read = graph.parent(index, edge).and_then(|p| graph.commit(p));
            let parent_tree = match (read, hidden) {
                (Some(data), _) => Some(data.tree),
                (None, Some((tip, tip_tree))) if tip == parent => Some(tip_tree),
                // Above a cached tip, any other commit outside the walk is
                // an ancestor of the tip: the cache does not fit.
                (None, Some(_)) => return Err(Bail),
                // A parent that could not be read (already noted).
                (None, None) => None,
            };
            let boundary = parent_tree.is_none();
            let pre = prefetch::edge(&mut prepared, edge, &region);
            let outs = self.compare(id, parent_tree, tree, &state, &region, boundary, pre);
            sides.push((parent_tree.map(|_| parent), outs));
        }

        self.record(pos, id, commit, &state, &sides);
        if let (Some(shared), Some((prepared, _))) = (shared, prepared) {
            shared.bury(prepared);
        }

        // The lineage is handed on: shared with every parent where nothing
        // was added or moved, changed in place for the last parent when no
        // one else holds it (the common, linear case: no copy of the map).
        let count = sides.len();
        let mut owned = Some(state);
        for (i, (parent, outs)) in sides.into_iter().enumerate() {
            let Some(parent) = parent else { continue };
            let Some(state) = owned.as_ref() else { break };
            let reshaped = outs
                .values()
                .any(|out| matches!(out, Out::Moved { .. } | Out::Added { .. }));
            let next = if reshaped {
                let mut next = match owned.take() {
                    Some(state) if i + 1 == count => state,
                    Some(state) => {
                        let copy = Rc::clone(&state);
                        owned = Some(state);
                        copy
                    }
                    None => break,
                };
                let lineage = Rc::make_mut(&mut next);
                let mut folders = Vec::new();
                for (name, out) in &outs {
                    match *out {
                        Out::Changed(_) => {}
                        Out::Added { .. } => {
                            lineage.names.remove(name);
                        }
                        Out::Moved { from, .. } => {
                            if let Some(targets) = lineage.names.remove(name) {
                                match lineage.names.entry(from) {
                                    MapEntry::Occupied(mut e) => e.get_mut().union(&targets),
                                    MapEntry::Vacant(e) => {
                                        e.insert(targets);
                                    }
                                }
                            }
                            let source = self.interner.name(from);
                            if !region.contains(source) {
                                folders.push(parent_folder(source));
                            }
                        }
                    }
                }
                if !folders.is_empty() {
                    lineage.region = Rc::new(region.with(&folders));
                }
                next
            } else {
                Rc::clone(state)
            };
            match pending.entry(parent) {
                MapEntry::Vacant(entry) => {
                    entry.insert(next);
                }
                MapEntry::Occupied(mut entry) => {
                    if !Rc::ptr_eq(entry.get(), &next) {
                        Rc::make_mut(entry.get_mut()).merge(&next);
                    }
                }
            }
        }
        Ok(())
    }

    /// The second thread's comparisons of `commit` with its parents, if
    /// they cover the lineage's `region` (after telling it of the region),
    /// and whether they were made over that very region.
    fn prepared(
        &mut self,
        shared: &Shared,
        pos: usize,
        id: Oid,
        commit: &CommitData,
        region: &Rc<Region>,
    ) -> Option<(prefetch::Prepared, bool)> {
        if !self
            .published
            .as_ref()
            .is_some_and(|last| Rc::ptr_eq(last, region))
        {
            shared.publish(region);
            self.published = Some(Rc::clone(region));
        }
        let prepared = shared.take(pos, id, &mut self.trees)?;
        if prepared.edges() != commit.parents.len().max(1) {
            return None;
        }
        let (covers, same) = match &self.coverage {
            Some((theirs, ours, covers, same))
                if Arc::ptr_eq(theirs, &prepared.region) && Rc::ptr_eq(ours, region) =>
            {
                (*covers, *same)
            }
            _ => {
                let same = prepared.region.prefixes() == region.prefixes();
                let covers = same || prepared.region.covers(region);
                self.coverage = Some((
                    Arc::clone(&prepared.region),
                    Rc::clone(region),
                    covers,
                    same,
                ));
                (covers, same)
            }
        };
        covers.then_some((prepared, same))
    }

    /// Turns per-parent outcomes into events at `commit`: an event counts
    /// only if it holds against every parent.
    fn record(
        &mut self,
        pos: usize,
        id: Oid,
        commit: &CommitData,
        state: &Lineage,
        sides: &[(Option<Oid>, HashMap<u32, Out>)],
    ) {
        let Some((_, first_side)) = sides.first() else {
            return;
        };
        let mut touched: Vec<u32> = first_side
            .keys()
            .copied()
            .filter(|name| sides.iter().all(|(_, outs)| outs.contains_key(name)))
            .collect();
        touched.sort_unstable();
        if touched.is_empty() {
            return;
        }
        let index = self.commits.of(id, commit);
        let time = commit.committer_time.0;
        for name in touched {
            let outs: Vec<Out> = sides
                .iter()
                .filter_map(|(_, o)| o.get(&name).copied())
                .collect();
            let blob = outs[0].blob();
            let added = outs.iter().all(|o| matches!(o, Out::Added { .. }));
            let boundary = outs
                .iter()
                .any(|o| matches!(o, Out::Added { boundary: true, .. }));
            let same_blob_somewhere = outs
                .iter()
                .any(|o| matches!(o, Out::Moved { edited: false, .. }));
            let Some(targets) = state.names.get(&name) else {
                continue;
            };
            for &target in targets.as_slice() {
                let acc = &mut self.accs[target as usize];
                if acc.last.is_none() {
                    acc.last = Some(index);
                }
                if let Some(blob) = blob.filter(|_| !same_blob_somewhere) {
                    acc.versions.push((pos, index, Blob::Id(blob)));
                }
                if added {
                    acc.offer_first(First {
                        commit: index,
                        time,
                        pos,
                        boundary,
                    });
                }
            }
        }
    }

    /// Outcomes of the followed names of a commit against one parent
    /// (`old` is the parent's root tree, `None` for the empty tree), from
    /// the changes under `region` (`pre`, when the second thread has them).
    /// A tree missing from the store becomes a note, and the names are
    /// taken as unchanged.
    #[allow(clippy::too_many_arguments)]
    fn compare(
        &mut self,
        commit: Oid,
        old: Option<Oid>,
        new: Oid,
        state: &Lineage,
        region: &Region,
        boundary: bool,
        pre: Option<(&mut [Change], Option<&mut [Change]>)>,
    ) -> HashMap<u32, Out> {
        let mut own = Vec::new();
        let (changes, pre_whole) = match pre {
            Some((changes, whole)) => (changes, whole),
            None => {
                if let Err(err) = self.trees.diff_region(old, Some(new), region, &mut own) {
                    self.missing(commit, &err);
                    return self.unknown_before(new, state, region);
                }
                (own.as_mut_slice(), None)
            }
        };
        by_path(changes);
        let (mut outs, mut unpaired) = self.outcomes(commit, changes, state, boundary);
        // A report moved in from outside the report folders: look at the
        // whole tree of this commit for its source.
        if unpaired && old.is_some() && !region.is_whole() {
            if let Some(changes) = pre_whole {
                by_path(changes);
                return self.outcomes(commit, changes, state, boundary).0;
            }
            let mut changes = Vec::new();
            let whole = Rc::clone(&self.whole);
            match self.trees.diff_region(old, Some(new), &whole, &mut changes) {
                Ok(()) => {
                    by_path(&mut changes);
                    (outs, unpaired) = self.outcomes(commit, &changes, state, boundary);
                }
                Err(err) => self.missing(commit, &err),
            }
        }
        let _ = unpaired;
        outs
    }

    /// When a commit cannot be compared with a parent, what came before is
    /// unknown: every followed name ends here, as a boundary (its blob is
    /// given when the commit's own tree can still be read).
    fn unknown_before(&mut self, new: Oid, state: &Lineage, region: &Region) -> HashMap<u32, Out> {
        let mut present = Vec::new();
        let blobs: HashMap<String, Oid> =
            match self
                .trees
                .diff_region(None, Some(new), region, &mut present)
            {
                Ok(()) => present
                    .into_iter()
                    .filter_map(|change| match change {
                        Change::Added { path, id } => Some((path, id)),
                        _ => None,
                    })
                    .collect(),
                Err(_) => HashMap::new(),
            };
        state
            .names
            .keys()
            .map(|&name| {
                let blob = blobs.get(self.interner.name(name)).copied();
                (
                    name,
                    Out::Added {
                        blob,
                        boundary: true,
                    },
                )
            })
            .collect()
    }

    fn missing(&mut self, commit: Oid, err: &git2::Error) {
        self.notes.push(format!(
            "commit {commit}: an object could not be read ({}); \
             the history of reports before this commit is unknown",
            err.message()
        ));
    }

    /// Outcomes from one list of changes, and whether a followed name was
    /// added with no move source found.
    fn outcomes(
        &mut self,
        commit: Oid,
        changes: &[Change],
        state: &Lineage,
        boundary: bool,
    ) -> (HashMap<u32, Out>, bool) {
        let followed = |interner: &Interner, path: &str| {
            interner
                .get(path)
                .filter(|name| state.names.contains_key(name))
        };
        let mut outs = HashMap::new();
        let mut added_followed = false;
        for change in changes {
            match change {
                Change::Modified { path, new, .. } => {
                    if let Some(name) = followed(&self.interner, path) {
                        outs.insert(name, Out::Changed(*new));
                    }
                }
                Change::Added { path, .. } => {
                    added_followed |= followed(&self.interner, path).is_some();
                }
                Change::Deleted { .. } => {}
            }
        }
        if !added_followed {
            return (outs, false);
        }
        let moves = self.pair(commit, changes, state);
        let mut unpaired = false;
        for change in changes {
            let Change::Added { path, id } = change else {
                continue;
            };
            let Some(name) = followed(&self.interner, path) else {
                continue;
            };
            let out = match moves.get(path.as_str()) {
                Some((from, from_id)) => Out::Moved {
                    from: self.interner.intern(from),
                    blob: *id,
                    edited: from_id != id,
                },
                None => {
                    unpaired = true;
                    Out::Added {
                        blob: Some(*id),
                        boundary,
                    }
                }
            };
            outs.insert(name, out);
        }
        (outs, unpaired)
    }

    /// Pairs added with removed paths of one commit: added path → (removed
    /// path, its blob). Exact blob ids first; then, among what is left,
    /// content similarity of at least [`THRESHOLD`], best first, a same file
    /// name breaking ties. Each removed path is the source of at most one
    /// addition, so a copy never steals the history of a move.
    fn pair(
        &mut self,
        commit: Oid,
        changes: &[Change],
        state: &Lineage,
    ) -> HashMap<String, (String, Oid)> {
        let filter = self.filter;
        let mut adds: Vec<(&str, Oid)> = Vec::new();
        let mut dels: Vec<(&str, Oid)> = Vec::new();
        for change in changes {
            match change {
                Change::Added { path, id } => {
                    let followed = self
                        .interner
                        .get(path)
                        .is_some_and(|name| state.names.contains_key(&name));
                    if followed || filter(path) {
                        adds.push((path, *id));
                    }
                }
                Change::Deleted { path, id } => dels.push((path, *id)),
                Change::Modified { .. } => {}
            }
        }
        let mut moves = HashMap::new();
        if adds.is_empty() || dels.is_empty() {
            return moves;
        }

        // Exact blob ids.
        let mut by_id: HashMap<Oid, Vec<usize>> = HashMap::new();
        for (i, (_, id)) in dels.iter().enumerate() {
            by_id.entry(*id).or_default().push(i);
        }
        let mut used = vec![false; dels.len()];
        let mut rest_adds = Vec::new();
        for &(path, id) in &adds {
            let candidates = by_id.get(&id).map(Vec::as_slice).unwrap_or(&[]);
            let free = || candidates.iter().copied().filter(|&i| !used[i]);
            let chosen = free()
                .find(|&i| file_name(dels[i].0) == file_name(path))
                .or_else(|| free().next());
            match chosen {
                Some(i) => {
                    used[i] = true;
                    moves.insert(path.to_owned(), (dels[i].0.to_owned(), dels[i].1));
                }
                None => rest_adds.push((path, id)),
            }
        }

        // Similar content, among reports (or same-named files) only.
        let add_names: HashSet<&str> = rest_adds.iter().map(|(p, _)| file_name(p)).collect();
        let rest_dels: Vec<usize> = (0..dels.len())
            .filter(|&i| !used[i])
            .filter(|&i| filter(dels[i].0) || add_names.contains(file_name(dels[i].0)))
            .collect();
        if rest_adds.is_empty() || rest_dels.is_empty() {
            return moves;
        }
        let same_name_only = rest_adds.len().saturating_mul(rest_dels.len()) > MAX_SIMILARITY_PAIRS;
        if same_name_only {
            self.notes.push(format!(
                "commit {commit}: {} added and {} removed reports with different content; \
                 only same-named pairs were compared to find moves",
                rest_adds.len(),
                rest_dels.len()
            ));
        }
        let mut prints: HashMap<Oid, Option<Rc<Vec<u64>>>> = HashMap::new();
        let mut scored: Vec<(f64, bool, usize, usize)> = Vec::new();
        for (a, &(add_path, add_id)) in rest_adds.iter().enumerate() {
            for &d in &rest_dels {
                let same_name = file_name(add_path) == file_name(dels[d].0);
                if same_name_only && !same_name {
                    continue;
                }
                let (Some(x), Some(y)) = (
                    self.fingerprint(&mut prints, commit, add_id),
                    self.fingerprint(&mut prints, commit, dels[d].1),
                ) else {
                    continue;
                };
                let score = similar::similarity(&x, &y);
                if score >= THRESHOLD {
                    scored.push((score, same_name, a, d));
                }
            }
        }
        similar::rank(&mut scored);
        let mut add_used = vec![false; rest_adds.len()];
        for (_, _, a, d) in scored {
            if add_used[a] || used[d] {
                continue;
            }
            add_used[a] = true;
            used[d] = true;
            moves.insert(rest_adds[a].0.to_owned(), (dels[d].0.to_owned(), dels[d].1));
        }
        moves
    }

    fn fingerprint(
        &mut self,
        prints: &mut HashMap<Oid, Option<Rc<Vec<u64>>>>,
        commit: Oid,
        blob: Oid,
    ) -> Option<Rc<Vec<u64>>> {
        if let Some(known) = prints.get(&blob) {
            return known.clone();
        }
        let print = match self.trees.odb().read(blob) {
            Ok(object) => Some(Rc::new(similar::fingerprint(object.data()))),
            Err(err) => {
                self.notes.push(format!(
                    "commit {commit}: blob {blob} could not be read ({}); \
                     it was not compared for moves",
                    err.message()
                ));
                None
            }
        };
        prints.insert(blob, print.clone());
        print
    }

    /// Splices the cached history of the names that reached the cached tip
    /// (the cached commits are the first entries of the commit table).
    /// Each name is spliced once, so its record is taken, not copied (the
    /// blob ids were checked when the cache was loaded).
    fn splice(&mut self, files: &mut HashMap<String, Record>, state: &Lineage) -> Result<(), Bail> {
        for (name, targets) in &state.names {
            let path = self.interner.name(*name);
            let file = files.remove(path).ok_or(Bail)?;
            let (first, last) = (file.first, file.last);
            let versions: Vec<(usize, usize, Blob)> = file
                .versions
                .into_iter()
                .map(|(commit, blob)| (CACHED_POS, commit, Blob::Hex(blob)))
                .collect();
            if last >= self.commits.len() {
                return Err(Bail);
            }
            let time = self.commits.committed(first).ok_or(Bail)?;
            for &target in targets.as_slice() {
                let acc = &mut self.accs[target as usize];
                if acc.last.is_none() {
                    acc.last = Some(last);
                }
                acc.versions.extend(versions.iter().cloned());
                acc.offer_first(First {
                    commit: first,
                    time,
                    pos: CACHED_POS,
                    boundary: file.boundary,
                });
            }
        }
        Ok(())
    }

    /// The history of every HEAD path, and the same as a table for the
    /// cache.
    fn finish(
        mut self,
        head_files: &[(String, Oid)],
        head: Oid,
        shallow: bool,
        saver: &Saver<'_>,
    ) -> History {
        let parallel = self.parallel.is_some();
        let table = std::mem::take(&mut self.commits);
        let accs = std::mem::take(&mut self.accs);
        // Making the commits' infos (~70,000 for 10,000 reports) and the
        // records take about as long: with a second core, both at once.
        let (commits, (records, lost)) =
            rayon::join(|| table.into_infos(), || records(head_files, accs));
        if lost > 0 {
            self.notes.push(format!(
                "{lost} report(s) at HEAD have no known first commit (objects missing); \
                 they are left out of the history"
            ));
        }
        let snapshot = Snapshot {
            commits,
            files: records,
        };
        let save = saver.target.is_some() && self.notes.is_empty();
        // Writing the cache and building the result from the same table
        // also take about as long.
        let files = if save && parallel {
            rayon::join(|| saver.save(&snapshot), || snapshot.histories()).1
        } else {
            if save {
                saver.save(&snapshot);
            }
            snapshot.into_histories()
        };
        History {
            files,
            shallow,
            notes: self.notes,
            walked: self.walked,
            head: Some(head.to_string()),
        }
    }
}

/// The cache's records of the HEAD paths, from what the walk gathered, and
/// how many paths have no first commit (objects were missing).
fn records(head_files: &[(String, Oid)], accs: Vec<Acc>) -> (HashMap<String, Record>, usize) {
    let mut records = HashMap::with_capacity(head_files.len());
    let mut lost = 0usize;
    for ((path, _), acc) in head_files.iter().zip(accs) {
        let Some(first) = acc.first else {
            lost += 1;
            continue;
        };
        let mut versions = acc.versions;
        versions.sort_by_key(|v| std::cmp::Reverse(v.0));
        let mut seen = HashSet::new();
        versions.retain(|(_, commit, _)| seen.insert(*commit));
        records.insert(
            path.clone(),
            Record {
                first: first.commit,
                last: acc.last.unwrap_or(first.commit),
                boundary: first.boundary,
                versions: versions
                    .into_iter()
                    .map(|(_, commit, blob)| (commit, blob.into_hex()))
                    .collect(),
            },
        );
    }
    (records, lost)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use git2::{Index, IndexEntry, IndexTime, Signature, Time};

    use super::*;

    /// Writes `files` as a tree and commits it with `parents`.
    fn commit(repo: &Repository, files: &BTreeMap<String, String>, parents: &[Oid], t: i64) -> Oid {
        let mut index = Index::new().expect("index");
        for (path, content) in files {
            index
                .add(&IndexEntry {
                    ctime: IndexTime::new(0, 0),
                    mtime: IndexTime::new(0, 0),
                    dev: 0,
                    ino: 0,
                    mode: 0o100644,
                    uid: 0,
                    gid: 0,
                    file_size: 0,
                    id: repo.blob(content.as_bytes()).expect("blob"),
                    flags: path.len().min(0xfff) as u16,
                    flags_extended: 0,
                    path: path.as_bytes().to_vec(),
                })
                .expect("add");
        }
        let tree = repo
            .find_tree(index.write_tree_to(repo).expect("tree"))
            .expect("tree");
        let sig = Signature::new("Ola", "ola@example.org", &Time::new(t, 60)).expect("sig");
        let parents: Vec<_> = parents
            .iter()
            .map(|p| repo.find_commit(*p).expect("parent"))
            .collect();
        let parents: Vec<_> = parents.iter().collect();
        repo.commit(None, &sig, &sig, "c", &tree, &parents)
            .expect("commit")
    }

    fn report(week: usize, lines: usize) -> String {
        let mut text = format!("Uke {week}\n=======\n\n");
        for line in 0..lines {
            text.push_str(&format!(
                "* punkt {line} i uke {week}, med nok tekst til å ligne\n"
            ));
        }
        text
    }

    /// A history with copies, edits, side branches merged back (one of
    /// them adding the same report as main), a move of the reports from
    /// outside the report folder into it, a rename inside it and an edit
    /// during a move.
    fn busy_repository() -> (tempfile::TempDir, Oid) {
        let dir = tempfile::tempdir().expect("temp");
        let repo = Repository::init(dir.path()).expect("init");
        let mut files = BTreeMap::new();
        files.insert("README".to_string(), "x".to_string());
        let mut tip = commit(&repo, &files, &[], 1_000);
        let mut folder = "status";
        for i in 1..160usize {
            let t = 1_000 + i as i64 * 600;
            match i % 7 {
                // A new report, copied from the last one and edited.
                0 | 3 => {
                    let week = i;
                    files.insert(
                        format!("{folder}/uke_{week:03}.rst"),
                        report(week, 3 + i % 5),
                    );
                }
                // An edit of a recent report.
                1 | 4 => {
                    if let Some((_, text)) =
                        files.iter_mut().rev().find(|(p, _)| p.ends_with(".rst"))
                    {
                        text.push_str(&format!("* endring {i}\n"));
                    }
                }
                _ => {
                    files.insert(format!("src/m{}.py", i % 3), format!("v = {i}\n"));
                }
            }
            if i == 80 {
                // The reorganisation: every report moves into docs/status,
                // one of them edited on the way, one renamed.
                let moved: BTreeMap<String, String> = std::mem::take(&mut files)
                    .into_iter()
                    .map(|(p, c)| match p.strip_prefix("status/") {
                        Some(rest) if rest == "uke_003.rst" => {
                            (format!("docs/status/{rest}"), c + "* flyttet\n")
                        }
                        Some("uke_007.rst") => ("docs/status/2016/uke_7.rst".to_string(), c),
                        Some(rest) => (format!("docs/status/{rest}"), c),
                        None => (p, c),
                    })
                    .collect();
                files = moved;
                folder = "docs/status";
            }
            if i % 20 == 10 {
                // A side branch from here, merged at the next commit; at
                // 50 it adds the same report as main does.
                let mut side = files.clone();
                side.insert(format!("{folder}/side_{i}.rst"), report(1000 + i, 4));
                if i == 50 {
                    side.insert(format!("{folder}/both.rst"), report(2000, 4));
                }
                let side_tip = commit(&repo, &side, &[tip], t + 1);
                files.extend(side);
                if i == 50 {
                    tip = commit(&repo, &files, &[tip], t + 2);
                }
                tip = commit(&repo, &files, &[tip, side_tip], t + 300);
            } else {
                tip = commit(&repo, &files, &[tip], t);
            }
        }
        repo.reference("refs/heads/main", tip, true, "tip")
            .expect("ref");
        repo.set_head("refs/heads/main").expect("head");
        (dir, tip)
    }

    /// The walk with a second thread (in chunks of 1, 3 and 64 commits:
    /// the producer, the walk computing its own chunk, and the walk working
    /// ahead all happen) gives the same history as the walk alone.
    #[test]
    fn the_second_thread_changes_nothing() {
        let (dir, _) = busy_repository();
        let repo = Repository::open(dir.path()).expect("open");
        let filter = |path: &str| path.ends_with(".rst");
        let prefixes = vec!["docs/status".to_string()];
        let alone = history_with(&repo, &filter, &prefixes, None, None).expect("history");
        assert!(alone.notes.is_empty(), "{:?}", alone.notes);
        assert!(alone.files.len() > 40);
        let moved = &alone.files["docs/status/uke_014.rst"];
        assert!(moved.first.committed.timestamp() < 1_000 + 80 * 600);
        for chunk in [1, 3, 64] {
            let both = history_with(&repo, &filter, &prefixes, None, Some(chunk)).expect("history");
            assert_eq!(both.files, alone.files, "chunk {chunk}");
            assert_eq!(both.notes, alone.notes, "chunk {chunk}");
            assert_eq!(both.walked, alone.walked, "chunk {chunk}");
        }
    }
}
