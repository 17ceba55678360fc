//! FNV-1a, 64 bits: the one small hash milepost computes itself.
//!
//! It is used where a hash must be stable across Rust releases and
//! platforms, which `std`'s `DefaultHasher` does not promise: finding
//! fingerprints (stored in baselines and code-scanning databases), the name
//! of the history cache file, the line hashes that tell a moved-and-edited
//! report from a new one, and the keys of content words. It is also cheap
//! on the short strings it sees, where SipHash's resistance to hash
//! flooding buys nothing.
//!
//! The history cache's checksum (`git/cache.rs`) is deliberately not this
//! function: it steps a 64-bit word at a time and folds, which is several
//! times faster over a multi-megabyte cache, and it only has to agree with
//! itself. It borrows the constants below.
//!
//! The maps a run fills by the ten thousand (keyed by report paths, link
//! targets, interned names) use [`FastMap`] and [`FastSet`]: foldhash
//! instead of std's SipHash, several times faster on short keys, and like
//! std's seeded at random in each process, so a file name cannot be
//! chosen in advance to collide.
//!
//! A leaf: imports nothing from the crate.

/// A `HashMap` hashed with foldhash (see the module's doc).
pub type FastMap<K, V> = foldhash::HashMap<K, V>;

/// A `HashSet` hashed with foldhash (see the module's doc).
pub type FastSet<T> = foldhash::HashSet<T>;

/// FNV's 64-bit offset basis: the hash of nothing.
pub const OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;

/// FNV's 64-bit prime.
pub const PRIME: u64 = 0x0000_0100_0000_01b3;

/// FNV-1a of `bytes`.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    fnv1a_extend(OFFSET_BASIS, bytes)
}

/// Continues an FNV-1a hash `hash` over `bytes`: hashing `a` and then `b`
/// gives the hash of `a` followed by `b`.
pub fn fnv1a_extend(mut hash: u64, bytes: &[u8]) -> u64 {
    for &byte in bytes {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(PRIME);
    }
    hash
}

/// FNV-1a of several strings, each followed by the byte `0xff` (which
/// UTF-8 never contains), so that `["ab", "c"]` and `["a", "bc"]` differ.
/// This is what `std::hash::Hash` feeds a hasher for a `str`, so it equals
/// hashing each part with a [`std::hash::Hasher`] built on [`fnv1a_extend`].
pub fn fnv1a_parts(parts: &[&str]) -> u64 {
    parts.iter().fold(OFFSET_BASIS, |hash, part| {
        fnv1a_extend(fnv1a_extend(hash, part.as_bytes()), &[0xff])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values() {
        // The published FNV-1a 64-bit test vectors.
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn parts_are_separated() {
        assert_ne!(fnv1a_parts(&["ab", "c"]), fnv1a_parts(&["a", "bc"]));
        assert_eq!(fnv1a_parts(&["ab"]), fnv1a(b"ab\xff"));
        assert_eq!(
            fnv1a_parts(&["ab", "c"]),
            fnv1a_extend(fnv1a(b"ab\xff"), b"c\xff")
        );
    }
}
