//! Sealed cache files: a magic line, a checksum, then a postcard payload,
//! written atomically. Both caches under `.git/milepost/` (the history of
//! the reports, `git/cache.rs`, and the results of checking them,
//! `check/cache.rs`) are files of this kind.
//!
//! - postcard is not self-describing, so a file of another kind (or an
//!   older format) is told apart by its magic line rather than misread.
//! - postcard has no redundancy: a flipped byte in a date or an id still
//!   parses, into another date or an invented commit. The checksum catches
//!   it, and a file whose checksum fails is ignored like any unusable
//!   cache (the run computes afresh and writes a good one).
//! - A write goes to a temporary file beside the target, renamed over it
//!   ([`crate::temp_files`]), so a concurrent reader sees the old file or
//!   the new one, never half of one. A cache that cannot be written (a
//!   read-only repository) is skipped: it only ever saves time.
//!
//! A leaf apart from the temporary-file naming and FNV's constants.

use std::io::Write;
use std::path::Path;

use crate::temp_files::TEMP_MARK;

/// `payload` sealed behind `magic`: the bytes of a cache file.
pub fn seal(magic: &[u8], payload: &[u8]) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(magic.len() + 8 + payload.len());
    bytes.extend_from_slice(magic);
    bytes.extend_from_slice(&checksum(payload).to_le_bytes());
    bytes.extend_from_slice(payload);
    bytes
}

/// Serialises `value` with postcard and seals it; `None` if it cannot be
/// serialised. Serialised in memory first: postcard writes byte by byte,
/// and a call through a writer for each is slower than one copy.
pub fn seal_value<T: serde::Serialize>(magic: &[u8], value: &T) -> Option<Vec<u8>> {
    let mut bytes = magic.to_vec();
    bytes.extend_from_slice(&[0; 8]);
    let mut bytes = postcard::to_extend(value, bytes).ok()?;
    let sum = checksum(&bytes[magic.len() + 8..]).to_le_bytes();
    bytes[magic.len()..magic.len() + 8].copy_from_slice(&sum);
    Some(bytes)
}

/// The payload of a sealed file's `bytes`, if they begin with `magic` and
/// the checksum holds.
pub fn open<'a>(magic: &[u8], bytes: &'a [u8]) -> Option<&'a [u8]> {
    let sealed = bytes.strip_prefix(magic)?;
    let stored: [u8; 8] = sealed.get(..8)?.try_into().ok()?;
    let payload = &sealed[8..];
    (u64::from_le_bytes(stored) == checksum(payload)).then_some(payload)
}

/// Writes `bytes` to `path` atomically, creating its folder; stale
/// temporary files of killed writers in that folder are removed first.
/// `None` when anything fails (the caller carries on without a cache).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Option<()> {
    let dir = path.parent()?;
    std::fs::create_dir_all(dir).ok()?;
    crate::temp_files::remove_stale(dir, TEMP_MARK);
    let temp = tempfile::Builder::new()
        .prefix(TEMP_MARK)
        .tempfile_in(dir)
        .ok()?;
    temp.as_file().write_all(bytes).ok()?;
    temp.persist(path).ok()?;
    Some(())
}

/// A 64-bit checksum, eight bytes at a step: each step (xor a word,
/// multiply by FNV's odd prime, fold the high half down) is a bijection
/// of the running value, so a change confined to one word always changes
/// the result, and flips in several words collide only by chance (2^-64).
/// FNV-1a byte by byte ([`crate::hash::fnv1a`]) would take about 8 ms over
/// a 7.5 MB cache, a quarter of a cached run; this takes about one. It is a
/// different function on purpose (it only has to agree with itself, and a
/// change to it only invalidates caches, which are rebuilt). It guards
/// against damage, not against an adversary: what a cache is keyed on is
/// hashed with SHA-1 (`check/cache.rs`).
fn checksum(data: &[u8]) -> u64 {
    use crate::hash::{OFFSET_BASIS, PRIME};
    let mut hash: u64 = OFFSET_BASIS ^ data.len() as u64;
    let mut step = |word: u64| {
        hash = (hash ^ word).wrapping_mul(PRIME);
        hash ^= hash >> 32;
    };
    let mut words = data.chunks_exact(8);
    for word in &mut words {
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(word);
        step(u64::from_le_bytes(bytes));
    }
    let mut tail = [0u8; 8];
    tail[..words.remainder().len()].copy_from_slice(words.remainder());
    step(u64::from_le_bytes(tail));
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAGIC: &[u8] = b"test cache\n";

    #[test]
    fn a_sealed_payload_opens_and_a_flipped_byte_does_not() {
        let payload = b"the history of ten thousand reports".to_vec();
        let bytes = seal(MAGIC, &payload);
        assert_eq!(open(MAGIC, &bytes), Some(payload.as_slice()));
        assert_eq!(open(b"other cache\n", &bytes), None);
        for at in MAGIC.len()..bytes.len() {
            let mut damaged = bytes.clone();
            damaged[at] ^= 0x10;
            assert_eq!(open(MAGIC, &damaged), None, "flip at byte {at}");
        }
        assert_eq!(open(MAGIC, &bytes[..bytes.len() - 1]), None);
    }

    #[test]
    fn seal_value_agrees_with_seal() {
        let value = (3u32, String::from("uke"));
        let by_value = seal_value(MAGIC, &value).unwrap();
        let payload = postcard::to_allocvec(&value).unwrap();
        assert_eq!(by_value, seal(MAGIC, &payload));
    }

    #[test]
    fn an_atomic_write_replaces_the_file_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("milepost").join("results.bin");
        write_atomic(&path, b"first").unwrap();
        write_atomic(&path, b"second").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"second");
        let left: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(left.len(), 1, "no temporary file is left: {left:?}");
    }
}
