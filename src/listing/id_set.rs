//! The ids seen while a listing is checked for duplicates: a hash set of `&str`
//! with a hasher made for short keys. SipHash (std's default) took most of the
//! check's time, which runs after the last page arrived and so adds to every
//! listing's wall time. The seed is random per set, so colliding ids cannot be
//! prepared in advance.

use std::collections::hash_map::RandomState;
use std::collections::HashSet;
use std::hash::{BuildHasher, Hasher};

const K: u64 = 0x9E37_79B9_7F4A_7C15;

/// The high and low halves of the full product, folded: every input bit reaches
/// every output bit.
#[inline]
fn fold(a: u64, b: u64) -> u64 {
    let full = u128::from(a) * u128::from(b);
    (full as u64) ^ ((full >> 64) as u64)
}

#[derive(Clone, Copy)]
pub(super) struct Seed(u64);

pub(super) struct IdHasher(u64);

impl BuildHasher for Seed {
    type Hasher = IdHasher;
    fn build_hasher(&self) -> IdHasher {
        IdHasher(self.0)
    }
}

impl Hasher for IdHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut h = self.0;
        let mut words = bytes.chunks_exact(8);
        for word in &mut words {
            h = fold(h ^ u64::from_le_bytes(word.try_into().expect("8 bytes")), K);
        }
        // The last 8 bytes, overlapping the words before when the length is no
        // multiple of 8: no copy of the remainder into a buffer (the length is
        // folded in, so ids that differ only there still hash apart).
        let last = match bytes.len() {
            0..8 => {
                let mut last = [0u8; 8];
                last[..bytes.len()].copy_from_slice(bytes);
                u64::from_le_bytes(last)
            }
            len => u64::from_le_bytes(bytes[len - 8..].try_into().expect("8 bytes")),
        };
        self.0 = fold(h ^ last, K ^ bytes.len() as u64);
    }

    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}

pub(super) fn with_capacity<'a>(capacity: usize) -> HashSet<&'a str, Seed> {
    // std's per-thread random keys, as a default HashSet uses them: fastrand's
    // global generator would allocate a thread handle on the caller's thread,
    // which the process never frees (valgrind reports it).
    let seed = RandomState::new().hash_one(capacity);
    HashSet::with_capacity_and_hasher(capacity, Seed(seed))
}

#[cfg(test)]
mod tests {
    #[test]
    fn tells_ids_apart() {
        let ids: Vec<String> = (0..20_000)
            .map(|i| format!("{i:08x}-ab12-4cde-8f00-{i:012}"))
            .collect();
        let mut set = super::with_capacity(ids.len());
        assert!(ids.iter().all(|id| set.insert(id.as_str())));
        assert!(ids.iter().all(|id| !set.insert(id.as_str())));
        assert!(set.insert(""));
        assert!(set.insert("a"));
        assert!(!set.insert("a"));
    }
}
