//! Tree comparisons on a second thread, for the history walk.
//!
//! Reading objects (pack lookup, inflate) is most of a cold history walk,
//! and it is one core's work as long as the walk reads them itself. But
//! the comparison of a commit's report folders with each parent's (a list
//! of [`Change`]s) does not depend on the walk's state: only on the two
//! trees and on the folders compared. So a *producer* thread, with its own
//! object database (git2's handles are `Send`, not `Sync`), computes those
//! lists ahead of the walk, and the walk (the *consumer*, which stays
//! sequential and owns every decision: lineages, moves, merges, notes)
//! takes them instead of reading the trees itself.
//!
//! - **While the graph is read**, the producer receives the commits in
//!   batches as they are read and compares each with its parents as soon as
//!   their trees are known, over the folders known so far.
//! - **Then, in walk order**, the commits are cut into chunks. The producer
//!   claims chunks ahead of the walk; the walk, when the commit it needs is
//!   not ready, claims and computes a chunk itself (the one it needs, or one
//!   a little ahead) rather than wait: both cores read objects until the
//!   end. Neither runs more than [`LOOKAHEAD`] chunks ahead.
//! - **Folders.** A lineage that followed a report moved in from another
//!   folder compares that folder too. The walk publishes every folder its
//!   lineages compare; comparisons started after that include it. A result
//!   is used only if its folders cover the lineage's, restricted to them
//!   (so it is exactly what the walk would have computed); otherwise, and
//!   when a comparison failed (a missing object), the walk computes it
//!   itself, as without this module, notes and all.
//! - Where something was added in the folders, the comparison of the whole
//!   trees is made too (the walk looks there for the source of a move from
//!   outside); the trees are in the thread's cache by then. Blob
//!   similarity stays in the walk.
//!
//! Two things decide whether the second core helps at all (measured: without
//! them two threads were slower than one):
//! - libgit2 shares one handle per pack file between all repositories of a
//!   process, and holds its lock for each index lookup: the producer opens
//!   the object folder under a path of its own (see [`own_odb`]);
//! - memory freed on another thread than the one that allocated it takes
//!   the lock of the allocating thread's arena: the commits are sent without
//!   allocations of their own, and the producer's results go back to it to
//!   be freed ([`Shared::bury`]).
//!
//! libgit2 still has one global lock (its memory-window list) that every
//! object read takes briefly: two threads read objects about 1.7 times as
//! fast as one (measured on 2 cores), not twice.
//!
//! A producer that cannot open the object store, or that dies, only leaves
//! more work to the walk: results never depend on it.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::Receiver;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock};
use std::time::Duration;

use git2::{Odb, Oid};

use super::tree::{Change, OidMap, Region, Trees};

/// Commits per chunk of the walk order. The first commit of a chunk reads
/// its parent's trees again on the other thread (with 64, the two threads
/// read 7% more trees than one; with 256, 2%), and libgit2, whose cache of
/// delta bases is per thread here, rebuilds their delta chains from the
/// start: 1024 made the cold walk 4-5% faster than 256 (512: 3-4%; 2048:
/// no better).
pub(crate) const CHUNK: usize = 1024;
/// Commits sent to the producer at a time while the graph is read.
pub(crate) const BATCH: usize = 256;
/// How many chunks either side may run ahead of the walk: the comparisons
/// made before the walk finds a new folder (at most this many chunks) are
/// made again by the walk.
const LOOKAHEAD: usize = 8;

/// One commit to compare: its tree and, per parent, the parent's tree
/// (`None`: the empty tree, for a root or a parent that could not be read),
/// in the order the walk compares them.
#[derive(Clone, Debug)]
pub(crate) struct Job {
    pub(crate) id: Oid,
    pub(crate) tree: Oid,
    pub(crate) olds: Vec<Option<Oid>>,
}

/// The comparison of a commit with one parent.
pub(crate) struct Edge {
    /// Over the region.
    changes: Vec<Change>,
    /// Over the whole tree, when something was added in the region (the
    /// walk looks there for the source of a move into the region that has
    /// none inside it); `None` when not needed or when it failed.
    whole: Option<Vec<Change>>,
}

/// The comparisons of one commit with its parents, over `region`; an edge
/// is `None` when it failed (the walk then redoes it, to note the error).
pub(crate) struct Prepared {
    pub(crate) region: Arc<Region>,
    edges: Vec<Option<Edge>>,
    /// Made on the producer thread (and so to be freed there).
    by_producer: bool,
}

impl Prepared {
    /// How many parents it was compared with (1 for a root).
    pub(crate) fn edges(&self) -> usize {
        self.edges.len()
    }
}

/// A commit as the graph reader sends it: at most two parents (`None`:
/// more, left for the walk order), kept inline so that the message holds
/// no allocation of the reader's thread.
pub(crate) struct Read {
    pub(crate) id: Oid,
    pub(crate) tree: Oid,
    pub(crate) parents: Option<[Option<Oid>; 2]>,
}

impl Read {
    pub(crate) fn new(id: Oid, tree: Oid, parents: &[Oid]) -> Read {
        let parents = match *parents {
            [] => Some([None, None]),
            [a] => Some([Some(a), None]),
            [a, b] => Some([Some(a), Some(b)]),
            _ => None,
        };
        Read { id, tree, parents }
    }
}

/// The walk order, once the graph is read.
struct Plan {
    jobs: Vec<Job>,
    claimed: Vec<AtomicBool>,
}

/// What the walk and the producer share.
pub(crate) struct Shared {
    chunk: usize,
    /// The region of everything, for [`Edge::whole`].
    whole: Region,
    done: Mutex<OidMap<Prepared>>,
    /// Used results of the producer, to be freed on its thread.
    buried: Mutex<Vec<Prepared>>,
    /// Signalled when results arrive, when the walk moves on to another
    /// chunk, and at the end.
    changed: Condvar,
    region: Mutex<Arc<Region>>,
    plan: OnceLock<Plan>,
    /// The walk's position (in walk order).
    walk_pos: AtomicUsize,
    stop: AtomicBool,
    producer_alive: AtomicBool,
}

/// Clears `producer_alive` however the producer ends (a panic included),
/// so that the walk never waits for it in vain.
struct Alive<'s>(&'s Shared);

impl Drop for Alive<'_> {
    fn drop(&mut self) {
        self.0.producer_alive.store(false, Ordering::SeqCst);
        self.0.changed.notify_all();
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding the lock leaves the data consistent (only
    // whole entries are inserted or removed).
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Compares one commit with its parents.
fn prepare(
    trees: &mut Trees<'_>,
    job: &Job,
    region: &Arc<Region>,
    whole: &Region,
    by_producer: bool,
) -> Prepared {
    let edges = job
        .olds
        .iter()
        .map(|&old| {
            let mut changes = Vec::new();
            trees
                .diff_region(old, Some(job.tree), region, &mut changes)
                .ok()?;
            let added = changes.iter().any(|c| matches!(c, Change::Added { .. }));
            let whole = (added && old.is_some() && !region.is_whole())
                .then(|| {
                    let mut all = Vec::new();
                    trees
                        .diff_region(old, Some(job.tree), whole, &mut all)
                        .ok()
                        .map(|()| all)
                })
                .flatten();
            Some(Edge { changes, whole })
        })
        .collect();
    Prepared {
        region: Arc::clone(region),
        edges,
        by_producer,
    }
}

impl Shared {
    pub(crate) fn new(region: Arc<Region>, chunk: usize) -> Shared {
        Shared {
            chunk: chunk.max(1),
            whole: Region::new(&[]),
            done: Mutex::new(OidMap::default()),
            buried: Mutex::new(Vec::new()),
            changed: Condvar::new(),
            region: Mutex::new(region),
            plan: OnceLock::new(),
            walk_pos: AtomicUsize::new(0),
            stop: AtomicBool::new(false),
            producer_alive: AtomicBool::new(true),
        }
    }

    /// The walk order is known: chunks can be claimed.
    pub(crate) fn set_plan(&self, jobs: Vec<Job>) {
        let chunks = jobs.len().div_ceil(self.chunk);
        let claimed = (0..chunks).map(|_| AtomicBool::new(false)).collect();
        let _ = self.plan.set(Plan { jobs, claimed });
        self.changed.notify_all();
    }

    /// Hands a used result back. The producer's are freed on its thread:
    /// memory freed on another thread than the one that allocated it takes
    /// the allocator's lock of that thread's arena, and the two threads
    /// then mostly wait for each other.
    pub(crate) fn bury(&self, prepared: Prepared) {
        if prepared.by_producer {
            lock(&self.buried).push(prepared);
        }
    }

    fn free_buried(&self) {
        let buried = std::mem::take(&mut *lock(&self.buried));
        drop(buried);
    }

    /// There is no producer (no thread could be started).
    pub(crate) fn producer_gone(&self) {
        self.producer_alive.store(false, Ordering::SeqCst);
        self.changed.notify_all();
    }

    /// The walk is over (or gave up): the producer stops.
    pub(crate) fn finish(&self) {
        self.stop.store(true, Ordering::SeqCst);
        self.changed.notify_all();
    }

    /// Makes sure comparisons started from now on cover `region`.
    pub(crate) fn publish(&self, region: &Region) {
        let mut current = lock(&self.region);
        if !current.covers(region) {
            *current = Arc::new(current.with(region.prefixes()));
        }
    }

    fn region(&self) -> Arc<Region> {
        Arc::clone(&lock(&self.region))
    }

    fn claim(&self, plan: &Plan, chunk: usize) -> bool {
        plan.claimed.get(chunk).is_some_and(|flag| {
            flag.compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire)
                .is_ok()
        })
    }

    /// Computes the commits of a chunk not already done, nor already
    /// behind the walk. The results are published together: the map is
    /// locked twice per chunk, not twice per commit (both threads take that
    /// lock).
    fn compute(&self, plan: &Plan, chunk: usize, trees: &mut Trees<'_>, by_producer: bool) {
        let region = self.region();
        let start = (chunk * self.chunk).max(self.walk_pos.load(Ordering::SeqCst));
        let end = ((chunk + 1) * self.chunk).min(plan.jobs.len());
        let Some(jobs) = plan.jobs.get(start..end) else {
            return;
        };
        let todo: Vec<&Job> = {
            let done = lock(&self.done);
            jobs.iter()
                .filter(|job| !done.contains_key(&job.id))
                .collect()
        };
        let mut results = Vec::with_capacity(todo.len());
        for job in todo {
            if self.stop.load(Ordering::Relaxed) {
                break;
            }
            results.push((
                job.id,
                prepare(trees, job, &region, &self.whole, by_producer),
            ));
        }
        let mut done = lock(&self.done);
        for (id, prepared) in results {
            done.insert(id, prepared);
        }
        drop(done);
        self.changed.notify_all();
    }

    /// The comparisons of the commit at walk position `pos`, computing
    /// them (or others ahead) with the walk's own `trees` rather than
    /// waiting. `None`: the walk computes them itself.
    pub(crate) fn take(&self, pos: usize, id: Oid, trees: &mut Trees<'_>) -> Option<Prepared> {
        let plan = self.plan.get()?;
        let chunk = pos / self.chunk;
        if self.walk_pos.swap(pos, Ordering::SeqCst) / self.chunk != chunk {
            self.changed.notify_all();
        }
        let mut computed_own = false;
        loop {
            if let Some(prepared) = lock(&self.done).remove(&id) {
                return Some(prepared);
            }
            if computed_own {
                return None;
            }
            if self.claim(plan, chunk) {
                self.compute(plan, chunk, trees, false);
                computed_own = true;
                continue;
            }
            // The producer has this chunk: do one ahead meanwhile.
            if let Some(ahead) = (chunk + 1..=chunk + LOOKAHEAD).find(|&c| self.claim(plan, c)) {
                self.compute(plan, ahead, trees, false);
                continue;
            }
            if !self.producer_alive.load(Ordering::SeqCst) {
                return None;
            }
            let done = lock(&self.done);
            if done.contains_key(&id) {
                continue;
            }
            // Woken by each chunk the producer finishes; the timeout only
            // guards against a lost wake-up.
            drop(
                self.changed
                    .wait_timeout(done, Duration::from_millis(20))
                    .unwrap_or_else(|poisoned| poisoned.into_inner()),
            );
        }
    }

    /// The producer: opens the repository again and compares commits,
    /// first as the graph is read (`commits`, closed when it is complete),
    /// then chunk by chunk in walk order.
    pub(crate) fn produce(&self, objects: PathBuf, commits: Receiver<Vec<Read>>) {
        let _alive = Alive(self);
        let Some(odb) = own_odb(&objects) else {
            return;
        };
        let mut trees = Trees::new(odb);

        // While the graph is read: each commit once its parents' trees are
        // known (parents are read just after their children, mostly).
        let mut known: OidMap<(Oid, Vec<Oid>)> = OidMap::default();
        let mut waiting: OidMap<Vec<Oid>> = OidMap::default();
        let mut ready: Vec<Oid> = Vec::new();
        'read: for read in commits.iter().flatten() {
            let Read { id, tree, parents } = read;
            // Octopus merges are left for later.
            let Some(parents) = parents else { continue };
            let parents: Vec<Oid> = parents.into_iter().flatten().collect();
            if self.stop.load(Ordering::Relaxed) {
                return;
            }
            if self.plan.get().is_some() {
                // The walk has started: what is left is claimed in chunks.
                break 'read;
            }
            known.insert(id, (tree, parents));
            ready.push(id);
            ready.extend(waiting.remove(&id).unwrap_or_default());
            let region = self.region();
            // Each commit is here once: on arrival, or when the parent it
            // waited for arrives (it waits for one parent at a time).
            while let Some(next) = ready.pop() {
                let Some((tree, parents)) = known.get(&next) else {
                    continue;
                };
                if let Some(missing) = parents.iter().find(|p| !known.contains_key(p)) {
                    waiting.entry(*missing).or_default().push(next);
                    continue;
                }
                let olds = if parents.is_empty() {
                    vec![None]
                } else {
                    parents
                        .iter()
                        .map(|p| known.get(p).map(|(tree, _)| *tree))
                        .collect()
                };
                let job = Job {
                    id: next,
                    tree: *tree,
                    olds,
                };
                let prepared = prepare(&mut trees, &job, &region, &self.whole, true);
                lock(&self.done).insert(next, prepared);
            }
        }
        // The batches not taken before the walk started are its to compare:
        // dropping the channel frees them now, not after the walk (8 MB of
        // 100,000 commits when the walk catches up early).
        drop((known, waiting, commits));

        // In walk order.
        let Some(plan) = self.wait_for_plan() else {
            return;
        };
        let mut next = 0;
        while next < plan.claimed.len() && !self.stop.load(Ordering::Relaxed) {
            let walk = self.walk_pos.load(Ordering::SeqCst) / self.chunk;
            next = next.max(walk);
            if next > walk + LOOKAHEAD {
                let done = lock(&self.done);
                if self.walk_pos.load(Ordering::SeqCst) / self.chunk + LOOKAHEAD < next
                    && !self.stop.load(Ordering::SeqCst)
                {
                    drop(
                        self.changed
                            .wait_timeout(done, Duration::from_millis(20))
                            .unwrap_or_else(|poisoned| poisoned.into_inner()),
                    );
                }
                continue;
            }
            if self.claim(plan, next) {
                self.compute(plan, next, &mut trees, true);
                self.free_buried();
            }
            next += 1;
        }
    }

    fn wait_for_plan(&self) -> Option<&Plan> {
        let mut done = lock(&self.done);
        loop {
            if let Some(plan) = self.plan.get() {
                return Some(plan);
            }
            if self.stop.load(Ordering::SeqCst) {
                return None;
            }
            done = self
                .changed
                .wait_timeout(done, Duration::from_millis(20))
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .0;
        }
    }
}

/// An object database of its own over the folder `objects`. Not the
/// repository's reopened: libgit2 shares one handle per pack file between
/// all repositories of a process, keyed by its path, and that handle's lock
/// is held for each object's index lookup, so two threads reading through
/// it mostly wait for each other (a second thread made the walk slower).
/// The folder is named with a trailing `/.`, which makes the pack paths,
/// and so the handles, this thread's own. Loose objects and alternates are
/// read as the repository reads them.
fn own_odb(objects: &std::path::Path) -> Option<Odb<'static>> {
    let path = format!("{}/.", objects.to_str()?);
    let odb = Odb::new().ok()?;
    odb.add_disk_alternate(&path).ok()?;
    Some(odb)
}

/// The changes of edge `edge` of a commit's comparisons (`same`: made over
/// `region` itself), restricted to `region`, as if compared over it alone;
/// and those over the whole tree, if made. They are borrowed, not taken:
/// the producer's allocations go back to it to be freed (see
/// [`Shared::bury`]).
pub(crate) fn edge<'p>(
    prepared: &'p mut Option<(Prepared, bool)>,
    edge: usize,
    region: &Region,
) -> Option<(&'p mut [Change], Option<&'p mut [Change]>)> {
    let (prepared, same) = prepared.as_mut()?;
    let Edge { changes, whole } = prepared.edges.get_mut(edge)?.as_mut()?;
    let whole = whole.as_mut().map(Vec::as_mut_slice);
    if *same {
        return Some((changes.as_mut_slice(), whole));
    }
    // The changes outside the region go to the end, without being freed.
    let mut held = 0;
    for i in 0..changes.len() {
        if region.holds(changes[i].path()) {
            changes.swap(held, i);
            held += 1;
        }
    }
    Some((changes.get_mut(..held)?, whole))
}
