//! Tree comparison by object id.
//!
//! git2's `diff_tree_to_tree` builds a full iterator over both trees and
//! expands subtrees even when their ids are equal; over 100,000 commits that
//! is tens of times slower than `git log`. Here trees are read as raw objects
//! from the object database, parsed in place, and compared entry by entry in
//! git's own sort order: a subtree whose id is the same on both sides is
//! skipped without being read, so a commit costs in proportion to what it
//! changed, not to the size of the repository.
//!
//! Raw trees are kept in a small cache because a history walk reads every
//! tree twice: once as the "new" side of a commit and once as the "old"
//! side of its child.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::rc::Rc;

use git2::{ErrorClass, ErrorCode, ObjectType, Odb, Oid};

/// Bytes in a SHA-1 object id (git2 is built without SHA-256 support).
const OID_LEN: usize = 20;
/// Bytes of raw trees kept in the cache before it is cleared. A walk needs
/// only the trees of the commit it is at and of its parents; with 64 MiB
/// (tens of thousands of trees spread over the heap) every object read of a
/// cold walk got slower through cache misses, and the walk took about 15%
/// longer than with 0.5 to 16 MiB.
const CACHE_BYTES: usize = 4 << 20;

/// The deepest folder nesting the *recursive* walks accept: the
/// comparison of report regions (whose depth is that of the configured
/// report folders) and the index parser (which hands deeper indexes to
/// git). A recursive step takes up to 3 KB of stack in a debug build, and
/// a test thread has 2 MB. The comparison of whole trees
/// ([`Trees::diff`]) is iterative and has no such limit.
pub(crate) const MAX_DEPTH: usize = 256;

const MODE_TREE: u32 = 0o040000;
const MODE_GITLINK: u32 = 0o160000;

/// What a tree entry is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A file or a symbolic link.
    Blob,
    Tree,
    /// A submodule: its content is another repository's, never ours.
    Gitlink,
}

impl Kind {
    fn of(mode: u32) -> Kind {
        match mode & 0o170000 {
            MODE_TREE => Kind::Tree,
            MODE_GITLINK => Kind::Gitlink,
            _ => Kind::Blob,
        }
    }
}

/// One difference between two trees, for blobs only (subtrees are
/// expanded, submodules ignored).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Change {
    Added { path: String, id: Oid },
    Deleted { path: String, id: Oid },
    Modified { path: String, old: Oid, new: Oid },
}

impl Change {
    pub(crate) fn path(&self) -> &str {
        match self {
            Change::Added { path, .. }
            | Change::Deleted { path, .. }
            | Change::Modified { path, .. } => path,
        }
    }
}

/// An entry of a raw tree, borrowed from its bytes.
#[derive(Clone, Copy)]
struct Entry<'a> {
    kind: Kind,
    mode: u32,
    name: &'a [u8],
    id: &'a [u8],
}

impl Entry<'_> {
    fn oid(&self) -> Result<Oid, git2::Error> {
        Oid::from_bytes(self.id)
    }
}

/// Entries of a raw tree object, in stored (git) order.
fn entries(data: &[u8]) -> impl Iterator<Item = Result<Entry<'_>, git2::Error>> {
    let mut rest = data;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let parsed = parse_entry(rest);
        match parsed {
            Some((entry, tail)) => {
                rest = tail;
                Some(Ok(entry))
            }
            None => {
                rest = &[];
                Some(Err(git2::Error::new(
                    ErrorCode::Invalid,
                    ErrorClass::Tree,
                    "malformed tree object",
                )))
            }
        }
    })
}

fn parse_entry(data: &[u8]) -> Option<(Entry<'_>, &[u8])> {
    let space = data.iter().position(|&b| b == b' ')?;
    let mut mode = 0u32;
    for &digit in &data[..space] {
        if !(b'0'..=b'7').contains(&digit) {
            return None;
        }
        mode = mode.checked_mul(8)? + u32::from(digit - b'0');
    }
    let rest = &data[space + 1..];
    let nul = rest.iter().position(|&b| b == 0)?;
    let name = &rest[..nul];
    let id = rest.get(nul + 1..nul + 1 + OID_LEN)?;
    Some((
        Entry {
            kind: Kind::of(mode),
            mode,
            name,
            id,
        },
        &rest[nul + 1 + OID_LEN..],
    ))
}

/// The subtree entries of a raw tree (errors kept).
fn subtrees(data: &[u8]) -> impl Iterator<Item = Result<Entry<'_>, git2::Error>> {
    entries(data).filter(|e| !matches!(e, Ok(e) if e.kind != Kind::Tree))
}

/// git's tree order: names compared bytewise, a tree's name as if it ended
/// in `/`. (Names hold no `/`, so after the common part of the two names
/// one byte decides; comparing chained iterators was 1.5-3% of a walk.)
fn git_order(a: &Entry<'_>, b: &Entry<'_>) -> Ordering {
    let common = a.name.len().min(b.name.len());
    a.name[..common].cmp(&b.name[..common]).then_with(|| {
        let next = |e: &Entry<'_>| {
            e.name
                .get(common)
                .copied()
                .or((e.kind == Kind::Tree).then_some(b'/'))
        };
        next(a).cmp(&next(b))
    })
}

/// Appends the entry `name` to the folder `path` (in place: one buffer
/// serves a whole comparison, rather than a new string per folder level)
/// and returns the length to cut it back to.
fn enter(path: &mut String, name: &[u8]) -> usize {
    let len = path.len();
    if len > 0 {
        path.push('/');
    }
    path.push_str(&String::from_utf8_lossy(name));
    len
}

/// One folder of an iterative comparison: the two trees and how far
/// through each the comparison has come.
struct Frame {
    old: Option<Rc<[u8]>>,
    new: Option<Rc<[u8]>>,
    /// Byte offsets of the next entries.
    old_at: usize,
    new_at: usize,
    /// The path buffer's length before this folder was entered.
    base: usize,
}

/// The entry of a raw tree at byte offset `at`, and the offset after it;
/// `None` at the end.
fn peek(data: Option<&[u8]>, at: usize) -> Result<Option<(Entry<'_>, usize)>, git2::Error> {
    let Some(rest) = data.and_then(|data| data.get(at..)) else {
        return Ok(None);
    };
    if rest.is_empty() {
        return Ok(None);
    }
    match parse_entry(rest) {
        Some((entry, tail)) => Ok(Some((entry, at + (rest.len() - tail.len())))),
        None => Err(git2::Error::new(
            ErrorCode::Invalid,
            ErrorClass::Tree,
            "malformed tree object",
        )),
    }
}

/// Reads and compares trees through one object database.
pub(crate) struct Trees<'r> {
    odb: Odb<'r>,
    cache: OidMap<Rc<[u8]>>,
    cached_bytes: usize,
    /// Folder levels of the comparison under way (see [`MAX_DEPTH`]).
    depth: usize,
}

/// The error for a comparison that would go deeper than [`MAX_DEPTH`].
fn too_deep(path: &str) -> git2::Error {
    let shown: String = path.chars().take(120).collect();
    git2::Error::new(
        ErrorCode::Invalid,
        ErrorClass::Tree,
        format!(
            "folders nested more than {MAX_DEPTH} levels deep (at {shown}...): \
             milepost does not compare trees that deep"
        ),
    )
}

impl<'r> Trees<'r> {
    pub(crate) fn new(odb: Odb<'r>) -> Trees<'r> {
        Trees {
            odb,
            cache: OidMap::default(),
            cached_bytes: 0,
            depth: 0,
        }
    }

    pub(crate) fn odb(&self) -> &Odb<'r> {
        &self.odb
    }

    /// The raw bytes of a tree.
    fn load(&mut self, id: Oid) -> Result<Rc<[u8]>, git2::Error> {
        if let Some(data) = self.cache.get(&id) {
            return Ok(Rc::clone(data));
        }
        let object = self.odb.read(id)?;
        if object.kind() != ObjectType::Tree {
            return Err(git2::Error::new(
                ErrorCode::Invalid,
                ErrorClass::Tree,
                format!("object {id} is a {}, not a tree", object.kind()),
            ));
        }
        let data: Rc<[u8]> = Rc::from(object.data());
        drop(object);
        self.insert(id, Rc::clone(&data));
        Ok(data)
    }

    fn insert(&mut self, id: Oid, data: Rc<[u8]>) {
        if self.cached_bytes + data.len() > CACHE_BYTES {
            self.cache.clear();
            self.cached_bytes = 0;
        }
        self.cached_bytes += data.len();
        self.cache.insert(id, data);
    }

    /// The entries of a tree: name → (id, kind).
    pub(crate) fn listing(
        &mut self,
        tree: Oid,
    ) -> Result<HashMap<Vec<u8>, (Oid, Kind)>, git2::Error> {
        let data = self.load(tree)?;
        let mut map = HashMap::new();
        for entry in entries(&data) {
            let entry = entry?;
            map.insert(entry.name.to_vec(), (entry.oid()?, entry.kind));
        }
        Ok(map)
    }

    /// The id and kind of the entry at `path` (`/`-separated) under `root`.
    pub(crate) fn lookup(
        &mut self,
        root: Oid,
        path: &str,
    ) -> Result<Option<(Oid, Kind)>, git2::Error> {
        let mut current = (root, Kind::Tree);
        for part in path.split('/').filter(|p| !p.is_empty()) {
            if current.1 != Kind::Tree {
                return Ok(None);
            }
            let data = self.load(current.0)?;
            let mut found = None;
            for entry in entries(&data) {
                let entry = entry?;
                if entry.name == part.as_bytes() {
                    found = Some((entry.oid()?, entry.kind));
                    break;
                }
            }
            match found {
                Some(next) => current = next,
                None => return Ok(None),
            }
        }
        Ok(Some(current))
    }

    /// The git mode of the entry at `path` under `root`, if it exists.
    pub(crate) fn lookup_mode(
        &mut self,
        root: Oid,
        path: &str,
    ) -> Result<Option<u32>, git2::Error> {
        let (parent, name) = match path.rsplit_once('/') {
            Some((parent, name)) => (parent, name),
            None => ("", path),
        };
        let Some((tree, Kind::Tree)) = self.lookup(root, parent)? else {
            return Ok(None);
        };
        let data = self.load(tree)?;
        for entry in entries(&data) {
            let entry = entry?;
            if entry.name == name.as_bytes() {
                return Ok(Some(entry.mode));
            }
        }
        Ok(None)
    }

    /// The subtree at `prefix` ("" is the root itself), if it is a tree.
    pub(crate) fn subtree(
        &mut self,
        root: Option<Oid>,
        prefix: &str,
    ) -> Result<Option<Oid>, git2::Error> {
        let Some(root) = root else { return Ok(None) };
        Ok(match self.lookup(root, prefix)? {
            Some((id, Kind::Tree)) => Some(id),
            _ => None,
        })
    }

    /// Differences between two root trees, only under `region`. The
    /// region's folders are reached from the root, comparing ids at each
    /// level: where they are equal, nothing below is read, however many
    /// folders the region names there.
    pub(crate) fn diff_region(
        &mut self,
        old_root: Option<Oid>,
        new_root: Option<Oid>,
        region: &Region,
        out: &mut Vec<Change>,
    ) -> Result<(), git2::Error> {
        self.diff_node(old_root, new_root, &region.root, &mut String::new(), out)
    }

    /// [`Trees::diff_region`] below `node`, the folder at `path`.
    fn diff_node(
        &mut self,
        old: Option<Oid>,
        new: Option<Oid>,
        node: &Node,
        path: &mut String,
        out: &mut Vec<Change>,
    ) -> Result<(), git2::Error> {
        if same(old, new) {
            return Ok(());
        }
        if node.whole {
            return self.diff_in(old, new, path, out);
        }
        if self.depth >= MAX_DEPTH {
            return Err(too_deep(path));
        }
        self.depth += 1;
        let result = self.diff_node_here(old, new, node, path, out);
        self.depth -= 1;
        result
    }

    /// [`Trees::diff_node`] of one level.
    fn diff_node_here(
        &mut self,
        old: Option<Oid>,
        new: Option<Oid>,
        node: &Node,
        path: &mut String,
        out: &mut Vec<Change>,
    ) -> Result<(), git2::Error> {
        let old_data = old.map(|id| self.load(id)).transpose()?;
        let new_data = new.map(|id| self.load(id)).transpose()?;
        if node.children.len() <= 2 {
            for (name, child) in &node.children {
                let old_child = find_subtree(old_data.as_deref(), name)?;
                let new_child = find_subtree(new_data.as_deref(), name)?;
                if !same(old_child, new_child) {
                    let len = enter(path, name.as_bytes());
                    self.diff_node(old_child, new_child, child, path, out)?;
                    path.truncate(len);
                }
            }
            return Ok(());
        }
        // Many folders here: one pass over both trees' subtrees, in git
        // order, looking up only those whose ids differ.
        let mut olds = subtrees(old_data.as_deref().unwrap_or(&[]));
        let mut news = subtrees(new_data.as_deref().unwrap_or(&[]));
        let mut a = olds.next().transpose()?;
        let mut b = news.next().transpose()?;
        let mut differing: Vec<(usize, Option<Oid>, Option<Oid>)> = Vec::new();
        let mut note = |name: &[u8], old: Option<Oid>, new: Option<Oid>| {
            if let Ok(at) = node
                .children
                .binary_search_by(|(child, _)| child.as_bytes().cmp(name))
            {
                differing.push((at, old, new));
            }
        };
        loop {
            match (a, b) {
                (None, None) => break,
                (Some(x), None) => {
                    note(x.name, Some(x.oid()?), None);
                    a = olds.next().transpose()?;
                }
                (None, Some(y)) => {
                    note(y.name, None, Some(y.oid()?));
                    b = news.next().transpose()?;
                }
                (Some(x), Some(y)) => match git_order(&x, &y) {
                    Ordering::Less => {
                        note(x.name, Some(x.oid()?), None);
                        a = olds.next().transpose()?;
                    }
                    Ordering::Greater => {
                        note(y.name, None, Some(y.oid()?));
                        b = news.next().transpose()?;
                    }
                    Ordering::Equal => {
                        if x.id != y.id {
                            note(x.name, Some(x.oid()?), Some(y.oid()?));
                        }
                        a = olds.next().transpose()?;
                        b = news.next().transpose()?;
                    }
                },
            }
        }
        for (at, old_child, new_child) in differing {
            let (name, child) = &node.children[at];
            let len = enter(path, name.as_bytes());
            self.diff_node(old_child, new_child, child, path, out)?;
            path.truncate(len);
        }
        Ok(())
    }

    /// Differences between two trees (`None` is the empty tree), with paths
    /// under `base`. Subtrees with equal ids are not read.
    pub(crate) fn diff(
        &mut self,
        old: Option<Oid>,
        new: Option<Oid>,
        base: &str,
        out: &mut Vec<Change>,
    ) -> Result<(), git2::Error> {
        self.diff_in(old, new, &mut base.to_owned(), out)
    }

    /// [`Trees::diff`] of the folder at `path`.
    ///
    /// Iterative, with a stack of folders being compared (each resumes
    /// where it left off when the subfolder above it is done), so that the
    /// changes come in the same order as a recursive comparison gives, and
    /// a tree nested 10,000 folders deep needs no more than a few hundred
    /// kilobytes of heap instead of overflowing the thread's stack.
    fn diff_in(
        &mut self,
        old: Option<Oid>,
        new: Option<Oid>,
        path: &mut String,
        out: &mut Vec<Change>,
    ) -> Result<(), git2::Error> {
        if same(old, new) {
            return Ok(());
        }
        let base = path.len();
        let mut stack = vec![self.frame(old, new, base)?];
        while let Some(top) = stack.last_mut() {
            // Handles on the two trees, so that the entries can be
            // borrowed while the stack changes.
            let (old_data, new_data) = (top.old.clone(), top.new.clone());
            let a = peek(old_data.as_deref(), top.old_at)?;
            let b = peek(new_data.as_deref(), top.new_at)?;
            let order = match (&a, &b) {
                (None, None) => None,
                (Some(_), None) => Some(Ordering::Less),
                (None, Some(_)) => Some(Ordering::Greater),
                (Some((x, _)), Some((y, _))) => Some(git_order(x, y)),
            };
            match (order, a, b) {
                (Some(Ordering::Less), Some((x, next)), _) => {
                    top.old_at = next;
                    self.one_side(x, path, false, out, &mut stack)?;
                }
                (Some(Ordering::Greater), _, Some((y, next))) => {
                    top.new_at = next;
                    self.one_side(y, path, true, out, &mut stack)?;
                }
                (Some(Ordering::Equal), Some((x, old_next)), Some((y, new_next))) => {
                    top.old_at = old_next;
                    top.new_at = new_next;
                    self.both_sides(x, y, path, out, &mut stack)?;
                }
                _ => {
                    if let Some(done) = stack.pop() {
                        path.truncate(done.base);
                    }
                }
            }
        }
        path.truncate(base);
        Ok(())
    }

    /// A folder comparison about to start; `base` is the length of the
    /// path buffer to restore when it is done.
    fn frame(
        &mut self,
        old: Option<Oid>,
        new: Option<Oid>,
        base: usize,
    ) -> Result<Frame, git2::Error> {
        Ok(Frame {
            old: old.map(|id| self.load(id)).transpose()?,
            new: new.map(|id| self.load(id)).transpose()?,
            old_at: 0,
            new_at: 0,
            base,
        })
    }

    /// Starts comparing the subfolder `name` of the folder at `path`.
    fn descend(
        &mut self,
        old: Option<Oid>,
        new: Option<Oid>,
        name: &[u8],
        path: &mut String,
        stack: &mut Vec<Frame>,
    ) -> Result<(), git2::Error> {
        let base = enter(path, name);
        match self.frame(old, new, base) {
            Ok(frame) => {
                stack.push(frame);
                Ok(())
            }
            Err(err) => {
                path.truncate(base);
                Err(err)
            }
        }
    }

    /// An entry present on one side only, in the folder at `path`.
    fn one_side(
        &mut self,
        entry: Entry<'_>,
        path: &mut String,
        added: bool,
        out: &mut Vec<Change>,
        stack: &mut Vec<Frame>,
    ) -> Result<(), git2::Error> {
        let id = entry.oid()?;
        match (entry.kind, added) {
            (Kind::Gitlink, _) => Ok(()),
            (Kind::Tree, true) => self.descend(None, Some(id), entry.name, path, stack),
            (Kind::Tree, false) => self.descend(Some(id), None, entry.name, path, stack),
            (Kind::Blob, _) => {
                let len = enter(path, entry.name);
                let path_now = path.clone();
                path.truncate(len);
                out.push(if added {
                    Change::Added { path: path_now, id }
                } else {
                    Change::Deleted { path: path_now, id }
                });
                Ok(())
            }
        }
    }

    /// Entries with the same name (and so both trees or both not trees),
    /// in the folder at `path`.
    fn both_sides(
        &mut self,
        old: Entry<'_>,
        new: Entry<'_>,
        path: &mut String,
        out: &mut Vec<Change>,
        stack: &mut Vec<Frame>,
    ) -> Result<(), git2::Error> {
        if old.id == new.id && old.kind == new.kind {
            return Ok(());
        }
        match (old.kind, new.kind) {
            (Kind::Tree, Kind::Tree) => {
                let (old_id, new_id) = (old.oid()?, new.oid()?);
                self.descend(Some(old_id), Some(new_id), new.name, path, stack)
            }
            (Kind::Blob, Kind::Blob) => {
                let (old_id, new_id) = (old.oid()?, new.oid()?);
                let len = enter(path, new.name);
                out.push(Change::Modified {
                    path: path.clone(),
                    old: old_id,
                    new: new_id,
                });
                path.truncate(len);
                Ok(())
            }
            // A file replaced by a submodule or back: only the file side
            // counts.
            (Kind::Blob, _) => self.one_side(old, path, false, out, stack),
            (_, Kind::Blob) => self.one_side(new, path, true, out, stack),
            _ => Ok(()),
        }
    }

    /// Every blob under `prefix` of `root` (not submodules), as
    /// `(path, id)`, in path order.
    pub(crate) fn files(
        &mut self,
        root: Oid,
        prefix: &str,
        out: &mut Vec<(String, Oid)>,
    ) -> Result<(), git2::Error> {
        let Some(tree) = self.subtree(Some(root), prefix)? else {
            return Ok(());
        };
        let mut changes = Vec::new();
        self.diff(None, Some(tree), prefix, &mut changes)?;
        out.extend(changes.into_iter().filter_map(|change| match change {
            Change::Added { path, id } => Some((path, id)),
            _ => None,
        }));
        Ok(())
    }
}

/// The id of the subtree `name` in a raw tree, if there is one.
fn find_subtree(data: Option<&[u8]>, name: &str) -> Result<Option<Oid>, git2::Error> {
    let Some(data) = data else { return Ok(None) };
    for entry in entries(data) {
        let entry = entry?;
        if entry.name == name.as_bytes() {
            return Ok(match entry.kind {
                Kind::Tree => Some(entry.oid()?),
                _ => None,
            });
        }
    }
    Ok(None)
}

/// The folders a comparison looks in, as a tree of path components.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Region {
    prefixes: Vec<String>,
    root: Node,
}

#[derive(Debug, Default, PartialEq, Eq)]
struct Node {
    /// Everything below this folder is in the region.
    whole: bool,
    children: Vec<(String, Node)>,
}

impl Node {
    /// Children by name (bytes), for binary search.
    fn sort(&mut self) {
        self.children
            .sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
        for (_, child) in &mut self.children {
            child.sort();
        }
    }
}

impl Region {
    /// The region of some folder prefixes (normalised; none = everything).
    pub(crate) fn new(prefixes: &[String]) -> Region {
        let prefixes = normalize_prefixes(prefixes);
        let mut root = Node::default();
        for prefix in &prefixes {
            let mut node = &mut root;
            for part in prefix.split('/').filter(|p| !p.is_empty()) {
                let at = match node.children.iter().position(|(name, _)| name == part) {
                    Some(at) => at,
                    None => {
                        node.children.push((part.to_owned(), Node::default()));
                        node.children.len() - 1
                    }
                };
                node = &mut node.children[at].1;
            }
            node.whole = true;
        }
        root.sort();
        Region { prefixes, root }
    }

    pub(crate) fn prefixes(&self) -> &[String] {
        &self.prefixes
    }

    pub(crate) fn is_whole(&self) -> bool {
        self.root.whole
    }

    /// Whether `path` lies in the region.
    pub(crate) fn contains(&self, path: &str) -> bool {
        self.prefixes.iter().any(|prefix| is_under(path, prefix))
    }

    /// Whether a blob at `path` is one [`Trees::diff_region`] over this
    /// region can report: inside one of its folders (not the folder
    /// itself, which a comparison only ever descends into as a tree).
    pub(crate) fn holds(&self, path: &str) -> bool {
        self.prefixes.iter().any(|prefix| {
            prefix.is_empty()
                || path
                    .strip_prefix(prefix.as_str())
                    .is_some_and(|rest| rest.starts_with('/'))
        })
    }

    /// Whether every folder of `other` lies in this region, so that a
    /// comparison over this one, restricted with [`Region::holds`] of
    /// `other`, is the comparison over `other`.
    pub(crate) fn covers(&self, other: &Region) -> bool {
        other.prefixes.iter().all(|folder| self.contains(folder))
    }

    /// This region with more folders.
    pub(crate) fn with(&self, folders: &[String]) -> Region {
        let mut all = self.prefixes.clone();
        all.extend(folders.iter().cloned());
        Region::new(&all)
    }
}

/// Object ids are already uniformly distributed (they are SHA-1 hashes):
/// hashing them again with SipHash is wasted work on the hundreds of
/// thousands of lookups of a history walk. This hasher takes their first
/// eight bytes.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct OidHash;

#[derive(Default)]
pub(crate) struct OidHasher(u64);

impl std::hash::Hasher for OidHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes.iter().take(8) {
            self.0 = (self.0 << 8) | u64::from(byte);
        }
    }
}

impl std::hash::BuildHasher for OidHash {
    type Hasher = OidHasher;

    fn build_hasher(&self) -> OidHasher {
        OidHasher::default()
    }
}

/// An object id as a map key. git2's `Oid` compares by a call into
/// libgit2 (`git_oid_equal`) that cannot be inlined: in the hundreds of
/// thousands of lookups of a history walk that call alone was 4% of the
/// time. This compares the bytes.
#[derive(Clone, Copy)]
pub(crate) struct Key(Oid);

impl PartialEq for Key {
    fn eq(&self, other: &Key) -> bool {
        self.0.as_bytes() == other.0.as_bytes()
    }
}

impl Eq for Key {}

impl std::hash::Hash for Key {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        state.write(self.0.as_bytes());
    }
}

/// Whether two (optional) ids are the same, without calling into libgit2.
pub(crate) fn same(a: Option<Oid>, b: Option<Oid>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a.as_bytes() == b.as_bytes(),
        (None, None) => true,
        _ => false,
    }
}

/// A map keyed by object id (the part of `HashMap`'s interface in use).
pub(crate) struct OidMap<V>(HashMap<Key, V, OidHash>);

impl<V> Default for OidMap<V> {
    fn default() -> Self {
        OidMap(HashMap::default())
    }
}

impl<V> OidMap<V> {
    pub(crate) fn with_capacity(capacity: usize) -> Self {
        OidMap(HashMap::with_capacity_and_hasher(capacity, OidHash))
    }

    pub(crate) fn get(&self, id: &Oid) -> Option<&V> {
        self.0.get(&Key(*id))
    }

    pub(crate) fn contains_key(&self, id: &Oid) -> bool {
        self.0.contains_key(&Key(*id))
    }

    pub(crate) fn insert(&mut self, id: Oid, value: V) -> Option<V> {
        self.0.insert(Key(id), value)
    }

    pub(crate) fn remove(&mut self, id: &Oid) -> Option<V> {
        self.0.remove(&Key(*id))
    }

    pub(crate) fn entry(&mut self, id: Oid) -> std::collections::hash_map::Entry<'_, Key, V> {
        self.0.entry(Key(id))
    }

    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }

    pub(crate) fn clear(&mut self) {
        self.0.clear();
    }
}

impl<V> FromIterator<(Oid, V)> for OidMap<V> {
    fn from_iter<I: IntoIterator<Item = (Oid, V)>>(iter: I) -> Self {
        OidMap(iter.into_iter().map(|(id, v)| (Key(id), v)).collect())
    }
}

/// A set of object ids.
#[derive(Default)]
pub(crate) struct OidSet(std::collections::HashSet<Key, OidHash>);

impl OidSet {
    pub(crate) fn contains(&self, id: &Oid) -> bool {
        self.0.contains(&Key(*id))
    }
}

impl FromIterator<Oid> for OidSet {
    fn from_iter<I: IntoIterator<Item = Oid>>(iter: I) -> Self {
        OidSet(iter.into_iter().map(Key).collect())
    }
}

/// Normalises folder prefixes: `/`-separated, no leading `./` or trailing
/// `/`, and none inside another; an empty list (or an empty prefix) means
/// the whole tree, `[""]`.
pub(crate) fn normalize_prefixes(prefixes: &[String]) -> Vec<String> {
    let mut clean: Vec<String> = prefixes
        .iter()
        .map(|p| {
            p.replace('\\', "/")
                .split('/')
                .filter(|part| !part.is_empty() && *part != ".")
                .collect::<Vec<_>>()
                .join("/")
        })
        .collect();
    if clean.is_empty() || clean.iter().any(String::is_empty) {
        return vec![String::new()];
    }
    clean.sort();
    clean.dedup();
    let mut out: Vec<String> = Vec::new();
    for prefix in clean {
        if !out.iter().any(|kept| is_under(&prefix, kept)) {
            out.push(prefix);
        }
    }
    out
}

/// Whether `path` is `prefix` or inside it.
pub(crate) fn is_under(path: &str, prefix: &str) -> bool {
    prefix.is_empty()
        || path == prefix
        || path
            .strip_prefix(prefix)
            .is_some_and(|rest| rest.starts_with('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_are_normalised() {
        let p = |list: &[&str]| {
            normalize_prefixes(&list.iter().map(|s| s.to_string()).collect::<Vec<_>>())
        };
        assert_eq!(p(&[]), vec![String::new()]);
        assert_eq!(p(&["docs", "./"]), vec![String::new()]);
        assert_eq!(
            p(&[
                "./docs/status/",
                "docs/status/2016",
                "plans",
                "docs/statusx"
            ]),
            vec!["docs/status", "docs/statusx", "plans"]
        );
    }

    #[test]
    fn regions_nest_folders() {
        let r = Region::new(&["docs/status".into(), "docs/plans".into(), "old".into()]);
        assert!(!r.is_whole());
        assert!(r.contains("docs/status/a.rst"));
        assert!(!r.contains("docs/conf.py"));
        assert_eq!(r.root.children.len(), 2);
        assert!(Region::new(&[]).is_whole());
        assert!(r.with(&["".into()]).is_whole());
    }

    #[test]
    fn under() {
        assert!(is_under("docs/a.rst", "docs"));
        assert!(is_under("docs", "docs"));
        assert!(!is_under("docsx/a.rst", "docs"));
        assert!(is_under("anything", ""));
    }

    #[test]
    fn tree_order_puts_trees_after_dotted_names() {
        let blob = |name: &'static [u8]| Entry {
            kind: Kind::Blob,
            mode: 0o100644,
            name,
            id: &[0; 20],
        };
        let tree = |name: &'static [u8]| Entry {
            kind: Kind::Tree,
            mode: 0o040000,
            name,
            id: &[0; 20],
        };
        assert_eq!(git_order(&blob(b"a.b"), &tree(b"a")), Ordering::Less);
        assert_eq!(git_order(&tree(b"a"), &blob(b"a0")), Ordering::Less);
        assert_eq!(git_order(&blob(b"a"), &tree(b"a")), Ordering::Less);
        assert_eq!(git_order(&tree(b"a"), &tree(b"a")), Ordering::Equal);

        // Against git's definition, every pair of names and kinds.
        let names: [&'static [u8]; 9] = [
            b"a",
            b"a.b",
            b"a0",
            b"a-",
            b"ab",
            b"b",
            b"",
            b"\xc3\xa9",
            b"a\x2e",
        ];
        for x in names {
            for y in names {
                for (a, b) in [
                    (blob(x), blob(y)),
                    (blob(x), tree(y)),
                    (tree(x), blob(y)),
                    (tree(x), tree(y)),
                ] {
                    let spelled = |e: &Entry<'_>| {
                        let mut name = e.name.to_vec();
                        if e.kind == Kind::Tree {
                            name.push(b'/');
                        }
                        name
                    };
                    assert_eq!(git_order(&a, &b), spelled(&a).cmp(&spelled(&b)));
                }
            }
        }
    }

    #[test]
    fn parses_raw_entries() {
        let mut raw = b"100644 a.rst\0".to_vec();
        raw.extend([1u8; 20]);
        raw.extend(b"40000 docs\0");
        raw.extend([2u8; 20]);
        let parsed: Vec<_> = entries(&raw).collect::<Result<_, _>>().unwrap();
        assert_eq!(parsed.len(), 2);
        assert_eq!(parsed[0].kind, Kind::Blob);
        assert_eq!(parsed[1].name, b"docs");
        assert_eq!(parsed[1].kind, Kind::Tree);
        assert!(entries(b"100644 broken").any(|e| e.is_err()));
    }
}
