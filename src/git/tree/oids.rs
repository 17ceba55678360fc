//! Maps and sets keyed by object id, without calls into libgit2.

use super::*;

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
