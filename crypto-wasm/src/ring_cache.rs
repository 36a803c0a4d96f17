//! A bounded LRU cache of decoded MLSAG ring members, used by [`crate::mlsag::verify_cached`].
//!
//! Decoys recur across transactions, so a verifier meets the same ring member `(P, C)` again and
//! again. Decoding `P` and `C` (two ristretto255 decompressions) and `Hp(P)` (an RFC 9380
//! hash-to-point) cost about a tenth of an MLSAG verification; this cache keeps their results.
//!
//! # A cached entry never changes a verdict
//!
//! - The key is the exact 64 bytes `enc(P) ‖ enc(C)` as they appear in the transaction, not a
//!   hash or a decoded form: two lookups hit the same entry only if their bytes are equal.
//! - The value is `(decode(P), Hp(enc(P)), decode(C))`, a deterministic function of those bytes
//!   alone (it depends on no other ring member, message, pseudo-output or key image; `Z = C − C'`
//!   is recomputed on every verification).
//! - An entry is inserted only after both decodings succeeded, so a rejected encoding
//!   (non-canonical, not on the group, identity) is never cached and is rejected again, with the
//!   same error in the same order, on every call.
//! - Entries are never mutated after insertion; eviction only removes.
//!
//! Hence verification with the cache computes exactly the values it would compute without it,
//! and returns the same result. `crypto-wasm/tests/ring_cache.rs` (proptest) and
//! `crypto-wasm/test/ring-cache.test.ts` (fast-check, through WebAssembly) compare both.
//!
//! # Bounds
//!
//! At most `capacity` entries (least recently used evicted first). An entry holds three
//! decoded points (3 × 160 bytes) and its 64-byte key; with the map and list overhead about
//! 0.6 KB, so 8,192 entries take about 5 MB. Keys are attacker-chosen, so the map hashes them
//! with SipHash-1-3 keyed from the system random source (getrandom; `crypto.getRandomValues`
//! in WebAssembly) rather than a fixed hash.

use core::hash::BuildHasher;
use core::num::NonZeroUsize;

use curve25519_dalek::ristretto::RistrettoPoint;
use lru::LruCache;
use siphasher::sip::SipHasher13;

/// Key: `enc(P) ‖ enc(C)`, the ring member's one-time key and commitment, 64 bytes.
pub type Key = [u8; 64];

/// A decoded ring member: `P`, `Hp(P)` and `C`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Member {
    /// The one-time key `P`.
    pub p: RistrettoPoint,
    /// `Hp(P)`, the key-image base (docs/crypto.md §5).
    pub hp: RistrettoPoint,
    /// The amount commitment `C`.
    pub c: RistrettoPoint,
}

/// Counters for metrics. `hits + misses` is the number of ring members looked up.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Look-ups answered from the cache.
    pub hits: u64,
    /// Look-ups that decoded the member (whether or not it was then inserted).
    pub misses: u64,
    /// Entries held now (≤ capacity).
    pub entries: u64,
    /// The bound on entries.
    pub capacity: u64,
}

/// SipHash-1-3 with a random 128-bit key drawn once per cache.
#[derive(Clone)]
pub struct KeyedSip {
    k0: u64,
    k1: u64,
}

impl KeyedSip {
    fn random() -> KeyedSip {
        let mut k = [0u8; 16];
        // A failing system source leaves the key zero: the map stays correct, only its
        // resistance to chosen-collision keys is lost (getrandom documents this as practically
        // impossible after start-up).
        let _ = getrandom::fill(&mut k);
        KeyedSip {
            k0: u64::from_le_bytes(k[..8].try_into().expect("8 bytes")),
            k1: u64::from_le_bytes(k[8..].try_into().expect("8 bytes")),
        }
    }
}

impl BuildHasher for KeyedSip {
    type Hasher = SipHasher13;
    fn build_hasher(&self) -> SipHasher13 {
        SipHasher13::new_with_keys(self.k0, self.k1)
    }
}

/// The bounded LRU cache of decoded ring members.
pub struct RingCache {
    map: LruCache<Key, Member, KeyedSip>,
    hits: u64,
    misses: u64,
}

impl RingCache {
    /// A cache of at most `capacity` entries (`capacity ≥ 1`).
    pub fn new(capacity: NonZeroUsize) -> RingCache {
        RingCache {
            map: LruCache::with_hasher(capacity, KeyedSip::random()),
            hits: 0,
            misses: 0,
        }
    }

    /// Changes the bound, evicting the least recently used entries beyond it. Keeps counters.
    pub fn resize(&mut self, capacity: NonZeroUsize) {
        self.map.resize(capacity);
    }

    /// The cached member for `key`, marking it most recently used; counts a hit or a miss.
    pub fn get(&mut self, key: &Key) -> Option<Member> {
        match self.map.get(key) {
            Some(m) => {
                self.hits += 1;
                Some(*m)
            }
            None => {
                self.misses += 1;
                None
            }
        }
    }

    /// Inserts a member decoded from exactly the bytes `key` (see the module docs).
    pub fn insert(&mut self, key: Key, member: Member) {
        self.map.put(key, member);
    }

    /// Hits, misses, entries and capacity.
    pub fn stats(&self) -> Stats {
        Stats {
            hits: self.hits,
            misses: self.misses,
            entries: self.map.len() as u64,
            capacity: self.map.cap().get() as u64,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT as G;
    use curve25519_dalek::scalar::Scalar;

    fn member(i: u64) -> (Key, Member) {
        let p = G * Scalar::from(i + 1);
        let mut k = [0u8; 64];
        k[..32].copy_from_slice(p.compress().as_bytes());
        k[32..].copy_from_slice(p.compress().as_bytes());
        (k, Member { p, hp: p, c: p })
    }

    #[test]
    fn bound_and_lru_order() {
        let mut c = RingCache::new(NonZeroUsize::new(3).unwrap());
        for i in 0..3 {
            let (k, m) = member(i);
            c.insert(k, m);
        }
        assert!(c.get(&member(0).0).is_some()); // 0 becomes most recent
        let (k, m) = member(3);
        c.insert(k, m); // evicts 1, the least recent
        assert!(c.get(&member(1).0).is_none());
        assert!(c.get(&member(0).0).is_some());
        assert_eq!(
            c.stats(),
            Stats {
                hits: 2,
                misses: 1,
                entries: 3,
                capacity: 3
            }
        );
        c.resize(NonZeroUsize::new(1).unwrap());
        assert_eq!(c.stats().entries, 1);
    }
}
