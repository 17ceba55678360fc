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

mod oids;
mod raw;
mod region;
#[cfg(test)]
mod tests;

pub(crate) use oids::{OidMap, OidSet, same};
use raw::*;
use region::Node;
pub(crate) use region::{Region, is_under, normalize_prefixes};

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
