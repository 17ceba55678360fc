//! Content similarity, for telling a moved-and-edited report from a new one.
//!
//! A report moved in the same commit that edits it (a reorganisation that
//! also fixes links) has a new blob id, so the exact-id pairing misses it.
//! Such a pair is accepted when at least half of the lines are shared:
//! lines are compared as a multiset after trimming, blank lines ignored
//! (they would make any two reports look alike). This mirrors git's own
//! 50% rename threshold, measured on lines rather than bytes because
//! reports are edited line by line.

use crate::hash::fnv1a;

/// The share of lines (0.0 to 1.0) two texts have in common.
pub(crate) const THRESHOLD: f64 = 0.5;

/// The trimmed, non-blank lines of a text as sorted hashes.
pub(crate) fn fingerprint(data: &[u8]) -> Vec<u64> {
    let mut hashes: Vec<u64> = data
        .split(|&b| b == b'\n')
        .map(|line| line.trim_ascii())
        .filter(|line| !line.is_empty())
        .map(fnv1a)
        .collect();
    hashes.sort_unstable();
    hashes
}

/// Lines in common divided by the line count of the longer text.
pub(crate) fn similarity(a: &[u64], b: &[u64]) -> f64 {
    let longer = a.len().max(b.len());
    if longer == 0 {
        return 0.0;
    }
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    common as f64 / longer as f64
}

/// Orders rename candidates `(score, same file name, added, deleted)` best
/// first: the highest score, then a pair that keeps its file name, then by
/// position, so that pairing is deterministic.
pub(super) fn rank(scored: &mut [(f64, bool, usize, usize)]) {
    scored.sort_by(|x, y| {
        y.0.total_cmp(&x.0)
            .then(y.1.cmp(&x.1))
            .then(x.2.cmp(&y.2))
            .then(x.3.cmp(&y.3))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_lines_count_once() {
        let a = fingerprint(b"Title\n=====\n\n* one\n* two\n* three\n");
        let b = fingerprint(b"Title\n=====\n\n* one\n  * two\n* four\n");
        // Five non-blank lines each, four in common (indentation ignored).
        assert!((similarity(&a, &b) - 4.0 / 5.0).abs() < 1e-9);
        assert_eq!(similarity(&a, &a), 1.0);
        assert_eq!(similarity(&[], &[]), 0.0);
        let c = fingerprint(b"x\nx\n");
        let d = fingerprint(b"x\ny\n");
        assert_eq!(similarity(&c, &d), 0.5);
    }
}
