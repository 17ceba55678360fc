//! Sealed cache files: a magic line, a checksum, then a postcard payload,
//! written atomically. Every cache under `.git/milepost/` (the history of
//! the reports, `git/cache.rs`; the results of checking them,
//! `check/cache.rs`; the series' wordings, `check/wordings.rs`) is a file
//! of this kind. [`build_identity`] tells apart the builds of one version,
//! for the caches a rebuilt rule may change.
//!
//! - postcard is not self-describing, so a file of another kind (or an
//!   older format) is told apart by its magic line rather than misread.
//! - postcard has no redundancy: a flipped byte in a date or an id still
//!   parses, into another date or an invented commit. The checksum catches
//!   it, and a file whose checksum fails is ignored like any unusable
//!   cache (the run computes afresh and writes a good one).
//! - A write goes to a temporary file beside the target, renamed into its
//!   place once whole ([`crate::temp_files`]); the old file is removed just
//!   before (see [`write_atomic`]). A concurrent reader sees the old file,
//!   the new one or none, never half of one. A cache that cannot be
//!   written (a read-only repository) is skipped: it only ever saves time.
//!
//! A leaf apart from the temporary-file naming and FNV's constants.

use std::io::Write;
use std::path::Path;

use crate::temp_files::TEMP_MARK;

/// Serialises `value` with postcard and seals it; `None` if it cannot be
/// serialised. `expected` is about how many bytes the payload takes (0 if
/// not known): the buffer is made that large at once, rather than grown
/// and copied while the payload is written.
pub fn seal_value<T: serde::Serialize>(
    magic: &[u8],
    value: &T,
    expected: usize,
) -> Option<Vec<u8>> {
    let mut bytes = begin(magic, expected);
    postcard::serialize_with_flavor(value, Appending(&mut bytes)).ok()?;
    Some(close(magic, bytes))
}

/// The start of a sealed file whose payload is then appended to it (with
/// [`Appending`]), with room for `expected` bytes of it: `magic` and a
/// place for the checksum, which [`close`] fills.
pub fn begin(magic: &[u8], expected: usize) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(magic.len() + 8 + expected);
    bytes.extend_from_slice(magic);
    bytes.extend_from_slice(&[0; 8]);
    bytes
}

/// Seals a file made by [`begin`] and the payload appended since.
pub fn close(magic: &[u8], mut bytes: Vec<u8>) -> Vec<u8> {
    let sum = checksum(&bytes[magic.len() + 8..]).to_le_bytes();
    bytes[magic.len()..magic.len() + 8].copy_from_slice(&sum);
    bytes
}

/// A postcard output that appends to a vector, a slice at a time.
/// (postcard's `to_extend` appends a byte at a time, even for a slice of
/// bytes: two thirds of the time of writing a 14 MB results cache.)
pub struct Appending<'a>(pub &'a mut Vec<u8>);

impl postcard::ser_flavors::Flavor for Appending<'_> {
    type Output = ();

    fn try_extend(&mut self, data: &[u8]) -> postcard::Result<()> {
        self.0.extend_from_slice(data);
        Ok(())
    }

    fn try_push(&mut self, data: u8) -> postcard::Result<()> {
        self.0.push(data);
        Ok(())
    }

    fn finalize(self) -> postcard::Result<()> {
        Ok(())
    }
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
    // The old file goes first: ext4 writes a file renamed over another
    // out to disk before the rename returns (so that a crash cannot leave
    // it empty), 10 to 50 ms for a 14 MB cache. A reader in between finds
    // no cache, which only costs it time; none ever finds half a file.
    let _ = std::fs::remove_file(path);
    temp.persist(path).ok()?;
    Some(())
}

/// What tells this build of milepost from another of the same version (a
/// developer's rebuild): the size and time of the running executable.
/// Without it a cache written by an older build of a changed rule would be
/// read as this one's. Looked up once per process: the results cache and
/// the wordings store both key on it.
pub fn build_identity() -> &'static [u8] {
    static IDENTITY: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    IDENTITY.get_or_init(|| {
        let meta = std::env::current_exe().and_then(std::fs::metadata);
        let Ok(meta) = meta else {
            return Vec::new();
        };
        let modified = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(0, |d| d.as_nanos());
        let mut bytes = meta.len().to_le_bytes().to_vec();
        bytes.extend_from_slice(&modified.to_le_bytes());
        bytes
    })
}

/// A 64-bit checksum, eight bytes at a step, in four lanes: each step
/// (xor a word, multiply by FNV's odd prime, fold the high half down) is
/// a bijection of its lane's running value, and the lanes are folded
/// together with the same step at the end, so a change confined to one
/// word always changes the result, and flips in several words collide only
/// by chance (2^-64). Four lanes, because one waits on its multiply for
/// every word: a 14 MB cache took about 8 ms in one, and takes 2 in four.
/// FNV-1a byte by byte ([`crate::hash::fnv1a`]) would take several times
/// longer still. It is a different function on purpose (it only has to
/// agree with itself, and a change to it only invalidates caches, which are
/// rebuilt). It guards against damage, not against an adversary: what a
/// cache is keyed on is hashed with SHA-1 (`check/cache.rs`).
fn checksum(data: &[u8]) -> u64 {
    use crate::hash::{OFFSET_BASIS, PRIME};
    fn step(hash: u64, word: u64) -> u64 {
        let hash = (hash ^ word).wrapping_mul(PRIME);
        hash ^ (hash >> 32)
    }
    fn word(bytes: &[u8]) -> u64 {
        let mut word = [0u8; 8];
        word[..bytes.len()].copy_from_slice(bytes);
        u64::from_le_bytes(word)
    }
    let seed = OFFSET_BASIS ^ data.len() as u64;
    let mut lanes = [
        seed,
        seed.rotate_left(16),
        seed.rotate_left(32),
        seed.rotate_left(48),
    ];
    let mut blocks = data.chunks_exact(32);
    for block in &mut blocks {
        for (lane, bytes) in lanes.iter_mut().zip(block.chunks_exact(8)) {
            *lane = step(*lane, word(bytes));
        }
    }
    let mut hash = seed;
    for lane in lanes {
        hash = step(hash, lane);
    }
    // The last 0 to 31 bytes, a word at a time (the last one padded).
    for bytes in blocks.remainder().chunks(8) {
        hash = step(hash, word(bytes));
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAGIC: &[u8] = b"test cache\n";

    /// `payload` sealed behind `magic`, spelt out: the magic, the
    /// checksum, the payload.
    fn seal(magic: &[u8], payload: &[u8]) -> Vec<u8> {
        let mut bytes = magic.to_vec();
        bytes.extend_from_slice(&checksum(payload).to_le_bytes());
        bytes.extend_from_slice(payload);
        bytes
    }

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

    /// Every lane and every length of the tail: any one byte changed
    /// changes the checksum, and so do two words swapped.
    #[test]
    fn the_checksum_sees_every_byte_at_every_length() {
        for len in 0..=100usize {
            let data: Vec<u8> = (0..len).map(|i| (i * 7 + len) as u8).collect();
            let sum = checksum(&data);
            for at in 0..len {
                for bit in [0x01, 0x80] {
                    let mut changed = data.clone();
                    changed[at] ^= bit;
                    assert_ne!(checksum(&changed), sum, "length {len}, byte {at}");
                }
            }
            let mut longer = data.clone();
            longer.push(0);
            assert_ne!(checksum(&longer), sum, "length {len}, a zero byte more");
            if len >= 16 {
                let mut swapped = data.clone();
                swapped[..16].rotate_left(8);
                if swapped != data {
                    assert_ne!(checksum(&swapped), sum, "length {len}, two words swapped");
                }
            }
        }
    }

    #[test]
    fn seal_value_agrees_with_seal() {
        let value = (3u32, String::from("uke"));
        let by_value = seal_value(MAGIC, &value, 0).unwrap();
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
