//! What the walk carries and accumulates: the lineage of followed names
//! (interned), what happened to a name against a parent, what is known of
//! each HEAD path so far, and the commits that appear in results.

use super::*;

/// HEAD paths a name stands for (almost always one).
#[derive(Clone, Debug)]
pub(super) enum Targets {
    One(u32),
    Many(Vec<u32>),
}

impl Targets {
    pub(super) fn as_slice(&self) -> &[u32] {
        match self {
            Targets::One(t) => std::slice::from_ref(t),
            Targets::Many(ts) => ts,
        }
    }

    pub(super) fn union(&mut self, other: &Targets) {
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
pub(super) struct Lineage {
    pub(super) names: FastMap<u32, Targets>,
    pub(super) region: Rc<Region>,
}

impl Lineage {
    pub(super) fn merge(&mut self, other: &Lineage) {
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
pub(super) enum Out {
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
    pub(super) fn blob(&self) -> Option<Oid> {
        match *self {
            Out::Changed(blob) | Out::Moved { blob, .. } => Some(blob),
            Out::Added { blob, .. } => blob,
        }
    }
}

/// A candidate for the first addition of a file.
#[derive(Clone, Copy, Debug)]
pub(super) struct First {
    pub(super) commit: usize,
    pub(super) time: i64,
    pub(super) pos: usize,
    pub(super) boundary: bool,
}

/// What is known about one HEAD path so far.
#[derive(Debug, Default)]
pub(super) struct Acc {
    pub(super) first: Option<First>,
    pub(super) last: Option<usize>,
    /// `(walk position, commit index, blob id)`.
    pub(super) versions: Vec<(usize, usize, Oid)>,
}

impl Acc {
    pub(super) fn offer_first(&mut self, candidate: First) {
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

/// Interned paths.
#[derive(Default)]
pub(super) struct Interner {
    pub(super) ids: FastMap<String, u32>,
    pub(super) names: Vec<String>,
}

impl Interner {
    pub(super) fn intern(&mut self, path: &str) -> u32 {
        if let Some(&id) = self.ids.get(path) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names.push(path.to_owned());
        self.ids.insert(path.to_owned(), id);
        id
    }

    pub(super) fn get(&self, path: &str) -> Option<u32> {
        self.ids.get(path).copied()
    }

    pub(super) fn name(&self, id: u32) -> &str {
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
    pub(super) entries: Vec<TableEntry>,
    pub(super) index: OidMap<usize>,
}

pub(super) enum TableEntry {
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
    pub(super) fn of(&mut self, id: Oid, commit: &CommitData) -> usize {
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

    pub(super) fn len(&self) -> usize {
        self.entries.len()
    }

    /// The committer time (seconds) of entry `i`.
    pub(super) fn committed(&self, i: usize) -> Option<i64> {
        Some(match self.entries.get(i)? {
            TableEntry::Ready(info) => info.committed.timestamp(),
            TableEntry::Later { committed, .. } => committed.0,
        })
    }

    /// Every entry as a [`CommitInfo`], in order.
    pub(super) fn into_infos(self) -> Vec<Arc<CommitInfo>> {
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
    pub(super) fn from_infos(infos: Vec<Arc<CommitInfo>>, ids: &[Oid]) -> Option<CommitTable> {
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
