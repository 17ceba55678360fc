//! The commit graph, read once.
//!
//! libgit2's topological revwalk parses every commit, and the walk then
//! parses each one again (as itself and as its child's parent); with
//! 100,000 commits that was a third of the time. Here each commit object is
//! read from the object database once and the few header fields milepost
//! needs are parsed in place; the visiting order (children before parents,
//! newest first among the commits that are ready, like `git log
//! --topo-order`) is computed from that.
//!
//! Shallow clones: commits listed in the `shallow` file are given no
//! parents, as git and libgit2 do (their parents are not in the store).

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::sync::Arc;

use git2::{ObjectType, Odb, Oid};

use super::tree::{OidMap, OidSet};

/// The parts of a commit the history needs.
#[derive(Clone, Debug)]
pub(crate) struct CommitData {
    pub(crate) tree: Oid,
    pub(crate) parents: Vec<Oid>,
    pub(crate) author: Signature,
    pub(crate) committer_time: (i64, i32),
}

/// An author: name, email, time (seconds) and offset (minutes).
#[derive(Clone, Debug, Default)]
pub(crate) struct Signature {
    pub(crate) name: Arc<str>,
    pub(crate) email: Arc<str>,
    pub(crate) time: (i64, i32),
}

/// The strings of the last author read, shared while the author repeats
/// (authors come in runs). Two new strings per commit (and two more for the
/// committer, thrown away) were a tenth of reading the graph.
#[derive(Default)]
pub(crate) struct Authors {
    last: Option<(Vec<u8>, Arc<str>, Arc<str>)>,
}

impl Authors {
    /// `raw` is `Name <email>` as stored.
    fn get(&mut self, raw: &[u8], name: &[u8], email: &[u8]) -> (Arc<str>, Arc<str>) {
        match &self.last {
            Some((known, name, email)) if known.as_slice() == raw => {
                (Arc::clone(name), Arc::clone(email))
            }
            _ => {
                let name: Arc<str> = String::from_utf8_lossy(name).into();
                let email: Arc<str> = String::from_utf8_lossy(email).into();
                self.last = Some((raw.to_vec(), Arc::clone(&name), Arc::clone(&email)));
                (name, email)
            }
        }
    }
}

/// Commits to visit, in order, and what they say.
///
/// Commits are numbered as they are found (an *index*), and everything is
/// kept in vectors by index: the walk, the plan of the second thread and
/// the ordering look commits and parents up by number, not in a map of
/// 100,000 ids (whose cache misses were a tenth of the walk's own thread).
#[derive(Default)]
pub(crate) struct Graph {
    /// Indices, children before parents.
    pub(crate) order: Vec<u32>,
    /// Every commit found, read or not (a parent that could not be read).
    ids: Vec<Oid>,
    /// What each commit says; `None` where it could not be read.
    commits: Vec<Option<CommitData>>,
    /// Per index, where its parents' indices start in `parents` (they are
    /// in the commit's order): `parents[starts[i]..starts[i] + n]`, with
    /// `n` the commit's number of parents. A parent outside the graph
    /// (above a cached tip, the tip's side) is [`OUTSIDE`].
    starts: Vec<u32>,
    parents: Vec<u32>,
}

/// A parent that is not in the graph.
const OUTSIDE: u32 = u32::MAX;

impl Graph {
    /// Every commit reachable from `head`. A commit that cannot be read
    /// becomes a note and is left out (its children then see a missing
    /// parent).
    pub(crate) fn reachable(
        odb: &Odb<'_>,
        head: Oid,
        shallow: &OidSet,
        notes: &mut Vec<String>,
    ) -> Graph {
        Graph::reachable_with(odb, head, shallow, notes, &mut |_, _| {})
    }

    /// [`Graph::reachable`], telling `on_read` of each commit as it is read
    /// (parents mostly just after their children), so that work on it can
    /// start before the whole graph is known.
    pub(crate) fn reachable_with(
        odb: &Odb<'_>,
        head: Oid,
        shallow: &OidSet,
        notes: &mut Vec<String>,
        on_read: &mut dyn FnMut(Oid, &CommitData),
    ) -> Graph {
        let mut graph = Graph::default();
        let mut found: OidMap<u32> = OidMap::default();
        let mut authors = Authors::default();
        let mut stack = vec![graph.found(&mut found, head)];
        while let Some(index) = stack.pop() {
            let id = graph.ids[index as usize];
            let Some(data) = read(odb, id, shallow, notes, &mut authors) else {
                continue;
            };
            graph.starts[index as usize] = graph.parents.len() as u32;
            for parent in &data.parents {
                let known = found.len();
                let at = graph.found(&mut found, *parent);
                if found.len() > known {
                    stack.push(at);
                }
                graph.parents.push(at);
            }
            on_read(id, &data);
            graph.commits[index as usize] = Some(data);
        }
        graph.ordered();
        graph
    }

    /// The commits `ids` (e.g. those a revwalk found above a hidden tip);
    /// their parents outside `ids` are outside the graph.
    pub(crate) fn of(
        odb: &Odb<'_>,
        ids: &[Oid],
        shallow: &OidSet,
        notes: &mut Vec<String>,
    ) -> Graph {
        let mut graph = Graph::default();
        let mut found: OidMap<u32> = OidMap::default();
        for id in ids {
            graph.found(&mut found, *id);
        }
        let mut authors = Authors::default();
        for id in ids {
            let index = graph.found(&mut found, *id) as usize;
            if graph.commits[index].is_some() {
                continue;
            }
            let Some(data) = read(odb, *id, shallow, notes, &mut authors) else {
                continue;
            };
            graph.starts[index] = graph.parents.len() as u32;
            for parent in &data.parents {
                graph
                    .parents
                    .push(found.get(parent).copied().unwrap_or(OUTSIDE));
            }
            graph.commits[index] = Some(data);
        }
        graph.ordered();
        graph
    }

    /// The index of `id`, numbering it if it is new.
    fn found(&mut self, found: &mut OidMap<u32>, id: Oid) -> u32 {
        let next = self.ids.len() as u32;
        let index = *found.entry(id).or_insert(next);
        if index == next {
            self.ids.push(id);
            self.commits.push(None);
            self.starts.push(0);
        }
        index
    }

    pub(crate) fn id(&self, index: u32) -> Oid {
        self.ids[index as usize]
    }

    /// The commit at `index`, if it was read.
    pub(crate) fn commit(&self, index: u32) -> Option<&CommitData> {
        self.commits.get(index as usize)?.as_ref()
    }

    /// The index of the commit's `edge`th parent, if that parent was read.
    pub(crate) fn parent(&self, index: u32, edge: usize) -> Option<u32> {
        let start = *self.starts.get(index as usize)? as usize;
        let parent = *self.parents.get(start + edge)?;
        self.commit(parent).map(|_| parent)
    }

    /// Children before parents; among ready commits, the newest first (by
    /// committer time, then id, so the order is deterministic).
    fn ordered(&mut self) {
        let mut children = vec![0u32; self.ids.len()];
        for (index, data) in self.commits.iter().enumerate() {
            let Some(data) = data else { continue };
            for edge in 0..data.parents.len() {
                if let Some(parent) = self.parent(index as u32, edge) {
                    children[parent as usize] += 1;
                }
            }
        }
        let key = |graph: &Graph, index: u32| {
            let time = graph.commit(index).map_or(0, |c| c.committer_time.0);
            (time, Reverse(graph.ids[index as usize]), index)
        };
        let mut ready: BinaryHeap<(i64, Reverse<Oid>, u32)> = (0..self.ids.len() as u32)
            .filter(|&i| self.commit(i).is_some() && children[i as usize] == 0)
            .map(|i| key(self, i))
            .collect();
        let mut order = Vec::with_capacity(self.ids.len());
        while let Some((_, _, index)) = ready.pop() {
            order.push(index);
            let count = self.commit(index).map_or(0, |c| c.parents.len());
            for edge in 0..count {
                if let Some(parent) = self.parent(index, edge) {
                    children[parent as usize] -= 1;
                    if children[parent as usize] == 0 {
                        ready.push(key(self, parent));
                    }
                }
            }
        }
        self.order = order;
    }
}

fn read(
    odb: &Odb<'_>,
    id: Oid,
    shallow: &OidSet,
    notes: &mut Vec<String>,
    authors: &mut Authors,
) -> Option<CommitData> {
    let parsed = match odb.read(id) {
        Ok(object) if object.kind() == ObjectType::Commit => parse_with(object.data(), authors),
        Ok(_) => None,
        Err(err) => {
            notes.push(format!(
                "commit {id} could not be read ({}); history before it is unknown",
                err.message()
            ));
            return None;
        }
    };
    match parsed {
        Some(mut data) => {
            if shallow.contains(&id) {
                data.parents.clear();
            }
            Some(data)
        }
        None => {
            notes.push(format!(
                "commit {id} is malformed; history before it is unknown"
            ));
            None
        }
    }
}

/// Parses the header of a raw commit object.
#[cfg(test)]
pub(crate) fn parse(data: &[u8]) -> Option<CommitData> {
    parse_with(data, &mut Authors::default())
}

/// Parses the header of a raw commit object, sharing the author's strings
/// with the last commit's when they are the same.
fn parse_with(data: &[u8], authors: &mut Authors) -> Option<CommitData> {
    let mut tree = None;
    // Room for the one parent most commits have: a vector's first push
    // makes room for four (80 bytes), for each of 100,000 commits.
    let mut parents = Vec::with_capacity(1);
    let mut author = None;
    let mut committer_time = None;
    for line in data.split(|&b| b == b'\n') {
        if line.is_empty() {
            break;
        }
        if let Some(hex) = line.strip_prefix(b"tree ") {
            tree = Some(oid(hex)?);
        } else if let Some(hex) = line.strip_prefix(b"parent ") {
            parents.push(oid(hex)?);
        } else if let Some(sig) = line.strip_prefix(b"author ") {
            author = signature(sig).map(|(raw, name, email, time)| {
                let (name, email) = authors.get(raw, name, email);
                Signature { name, email, time }
            });
        } else if let Some(sig) = line.strip_prefix(b"committer ") {
            committer_time = signature(sig).map(|(.., time)| time);
        }
    }
    let author = author.unwrap_or_default();
    Some(CommitData {
        tree: tree?,
        parents,
        committer_time: committer_time.unwrap_or(author.time),
        author,
    })
}

/// A full hex object id (decoded here: libgit2's parser, through a string
/// check, was a tenth of reading the graph).
fn oid(hex: &[u8]) -> Option<Oid> {
    let hex = hex.trim_ascii();
    if hex.len() != 40 {
        return None;
    }
    let nibble = |digit: u8| match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        b'A'..=b'F' => Some(digit - b'A' + 10),
        _ => None,
    };
    let mut raw = [0u8; 20];
    for (byte, pair) in raw.iter_mut().zip(hex.chunks_exact(2)) {
        *byte = (nibble(pair[0])? << 4) | nibble(pair[1])?;
    }
    Oid::from_bytes(&raw).ok()
}

/// `Name <email> 1474300800 +0200`: `Name <email>`, the name, the email
/// (raw) and the time (seconds, offset minutes).
type RawSignature<'a> = (&'a [u8], &'a [u8], &'a [u8], (i64, i32));

fn signature(sig: &[u8]) -> Option<RawSignature<'_>> {
    let open = sig.iter().position(|&b| b == b'<')?;
    let close = open + sig[open..].iter().position(|&b| b == b'>')?;
    let rest = std::str::from_utf8(&sig[close + 1..]).ok()?;
    let mut parts = rest.split_ascii_whitespace();
    let seconds: i64 = parts.next()?.parse().ok()?;
    let offset = parts.next().and_then(offset_minutes).unwrap_or(0);
    Some((
        &sig[..=close],
        sig[..open].trim_ascii(),
        &sig[open + 1..close],
        (seconds, offset),
    ))
}

fn offset_minutes(tz: &str) -> Option<i32> {
    let (sign, digits) = match tz.as_bytes().first()? {
        b'-' => (-1, &tz[1..]),
        b'+' => (1, &tz[1..]),
        _ => (1, tz),
    };
    if digits.len() != 4 {
        return None;
    }
    let value: i32 = digits.parse().ok()?;
    Some(sign * (value / 100 * 60 + value % 100))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_commit_headers() {
        let raw = b"tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n\
parent 0123456789abcdef0123456789abcdef01234567\n\
parent 89abcdef0123456789abcdef0123456789abcdef\n\
author Kari Nordmann <kari@uib.no> 1474300800 +0200\n\
committer Ola <ola@uio.no> 1474387200 -0130\n\
gpgsig -----BEGIN PGP SIGNATURE-----\n \n -----END PGP SIGNATURE-----\n\
\n\
parent ffffffffffffffffffffffffffffffffffffffff is only a message\n";
        let data = parse(raw).expect("parses");
        assert_eq!(data.parents.len(), 2);
        assert_eq!(&*data.author.name, "Kari Nordmann");
        assert_eq!(&*data.author.email, "kari@uib.no");
        assert_eq!(data.author.time, (1_474_300_800, 120));
        assert_eq!(data.committer_time, (1_474_387_200, -90));
        assert!(parse(b"parent x\n").is_none());
        let tree = |hex: &str| parse(format!("tree {hex}\n").as_bytes()).map(|c| c.tree);
        assert_eq!(
            tree("0123456789ABCDEFabcdef0123456789abcdef01"),
            Oid::from_str("0123456789abcdefabcdef0123456789abcdef01").ok()
        );
        assert!(tree("0123456789abcdef0123456789abcdef0123456").is_none());
        assert!(tree("0123456789abcdef0123456789abcdef012345g7").is_none());
    }

    #[test]
    fn a_repeated_author_is_shared_and_another_is_not() {
        let commit = |who: &str| {
            format!(
                "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n\
                 author {who} 1474300800 +0200\ncommitter X <x@y> 1474300800 +0200\n\nm\n"
            )
        };
        let mut authors = Authors::default();
        let a = parse_with(commit("Ola <ola@uio.no>").as_bytes(), &mut authors).expect("a");
        let b = parse_with(commit("Ola <ola@uio.no>").as_bytes(), &mut authors).expect("b");
        let c = parse_with(commit("Ola <ola@uib.no>").as_bytes(), &mut authors).expect("c");
        assert!(Arc::ptr_eq(&a.author.name, &b.author.name));
        assert_eq!(&*c.author.name, "Ola");
        assert_eq!(&*c.author.email, "ola@uib.no");
        assert!(!Arc::ptr_eq(&a.author.email, &c.author.email));
    }
}
