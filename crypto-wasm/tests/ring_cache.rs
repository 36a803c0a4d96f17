//! The ring-member cache never changes an MLSAG verdict (crate::ring_cache, docs/crypto.md §5):
//! for valid and tampered signatures, over rings that reuse the same member bytes in other
//! positions, beside other members, and with a different commitment, `verify_cached` through
//! one shared small cache returns exactly what `verify` returns (same Ok, same error code and
//! reason), and the cache never holds more than its bound.

use core::num::NonZeroUsize;

use baios_crypto::mlsag::{key_image, sign, verify, verify_cached};
use baios_crypto::pedersen::commit;
use baios_crypto::ring_cache::RingCache;
use baios_crypto::rng::seeded_rng;
use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use proptest::prelude::*;

/// A pool of members whose secrets are known, so any of them can sign: `P_i = x_i·G`,
/// `C_i = commit(5, y_i)`.
struct Pool {
    x: Vec<Scalar>,
    y: Vec<Scalar>,
    p: Vec<RistrettoPoint>,
    c: Vec<RistrettoPoint>,
}

fn pool(size: usize, seed: u8) -> Pool {
    let mut rng = seeded_rng([seed; 32]);
    let x: Vec<Scalar> = (0..size).map(|_| Scalar::random(&mut rng)).collect();
    let y: Vec<Scalar> = (0..size).map(|_| Scalar::random(&mut rng)).collect();
    let p = x.iter().map(RistrettoPoint::mul_base).collect();
    let c = y.iter().map(|y| commit(5, y)).collect();
    Pool { x, y, p, c }
}

fn enc(ps: &[RistrettoPoint]) -> Vec<u8> {
    ps.iter().flat_map(|p| p.compress().to_bytes()).collect()
}

/// One verification's inputs, as bytes.
#[derive(Clone)]
struct Case {
    msg: Vec<u8>,
    keys: Vec<u8>,
    comms: Vec<u8>,
    pseudo: Vec<u8>,
    ki: Vec<u8>,
    sig: Vec<u8>,
}

/// A valid signature over the ring `members` (pool indices; `commits[j]` is the pool index of
/// member j's commitment, normally the same) by ring position `signer`.
fn signed(pool: &Pool, members: &[usize], commits: &[usize], signer: usize, seed: u8) -> Case {
    let keys: Vec<_> = members.iter().map(|&i| pool.p[i]).collect();
    let comms: Vec<_> = commits.iter().map(|&i| pool.c[i]).collect();
    let mut rng = seeded_rng([seed; 32]);
    let y2 = Scalar::random(&mut rng);
    let pseudo = commit(5, &y2);
    let xs = pool.x[members[signer]];
    let z = pool.y[commits[signer]] - y2;
    let msg = [seed; 32];
    let sig = sign(&msg, &keys, &comms, &pseudo, signer, &xs, &z, &mut rng).expect("signs");
    Case {
        msg: msg.to_vec(),
        keys: enc(&keys),
        comms: enc(&comms),
        pseudo: pseudo.compress().to_bytes().to_vec(),
        ki: key_image(&xs, &keys[signer]).compress().to_bytes().to_vec(),
        sig,
    }
}

fn plain(c: &Case) -> Result<(), String> {
    verify(&c.msg, &c.keys, &c.comms, &c.pseudo, &c.ki, &c.sig).map_err(|e| e.to_string())
}

fn cached(c: &Case, cache: &mut RingCache) -> Result<(), String> {
    verify_cached(
        &c.msg,
        &c.keys,
        &c.comms,
        &c.pseudo,
        &c.ki,
        &c.sig,
        Some(cache),
    )
    .map_err(|e| e.to_string())
}

/// Tampered variants of a valid case: a flipped signature byte, a flipped ring-key byte (often
/// not a point), a flipped commitment byte, another message, and member j's key paired with
/// member k's commitment (same key bytes as a cached entry, different commitment).
fn tampered(c: &Case, pos: usize, bit: u8) -> Vec<Case> {
    let n = c.keys.len() / 32;
    let mut out = Vec::new();
    let mut t = c.clone();
    let i = pos % t.sig.len();
    t.sig[i] ^= 1 << (bit % 8);
    out.push(t);
    let mut t = c.clone();
    let i = pos % t.keys.len();
    t.keys[i] ^= 1 << (bit % 8);
    out.push(t);
    let mut t = c.clone();
    let i = pos % t.comms.len();
    t.comms[i] ^= 1 << (bit % 8);
    out.push(t);
    let mut t = c.clone();
    t.msg[0] ^= 1;
    out.push(t);
    if n > 1 {
        let (j, k) = (pos % n, (pos + 1) % n);
        let mut t = c.clone();
        t.comms.copy_within(32 * k..32 * k + 32, 32 * j);
        out.push(t);
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn cached_and_uncached_verdicts_agree(
        seed in any::<u8>(),
        capacity in 1usize..24,
        rings in prop::collection::vec(
            (prop::collection::vec(0usize..16, 1..=11), any::<usize>(), any::<usize>(), any::<u8>()),
            1..5,
        ),
    ) {
        let pool = pool(16, seed);
        let mut cache = RingCache::new(NonZeroUsize::new(capacity).unwrap());
        let mut valid = 0;
        // Each ring is verified twice, so the second pass meets its members in the cache.
        for round in 0..2 {
            for (i, (members, signer, pos, bit)) in rings.iter().enumerate() {
                let mut m = members.clone();
                m.sort_unstable();
                m.dedup(); // ring members are distinct
                let signer = signer % m.len();
                let case = signed(&pool, &m, &m, signer, seed.wrapping_add(i as u8));
                let want = plain(&case);
                prop_assert_eq!(&want, &Ok(()));
                prop_assert_eq!(cached(&case, &mut cache), want);
                valid += 1;
                for t in tampered(&case, *pos, *bit) {
                    let want = plain(&t);
                    prop_assert!(want.is_err());
                    prop_assert_eq!(cached(&t, &mut cache), want);
                }
                // The same member bytes in reverse positions (a different ring, same entries).
                let mut rev = m.clone();
                rev.reverse();
                let case = signed(&pool, &rev, &rev, 0, seed ^ 0x55 ^ round);
                prop_assert_eq!(cached(&case, &mut cache), plain(&case));
                prop_assert!(cache.stats().entries <= capacity as u64);
            }
        }
        let s = cache.stats();
        prop_assert!(s.entries <= capacity as u64);
        prop_assert_eq!(s.capacity, capacity as u64);
        prop_assert!(valid > 0);
    }

    /// Members paired with other commitments: the keys `enc(P) ‖ enc(C)` differ, so a cached
    /// `(P, C)` never stands in for `(P, C')`; valid signatures over the re-paired ring verify and
    /// the original signature over it is rejected, with and without the cache.
    #[test]
    fn same_key_with_another_commitment(seed in any::<u8>(), n in 2usize..=11) {
        let pool = pool(12, seed);
        let members: Vec<usize> = (0..n).collect();
        let shifted: Vec<usize> = (0..n).map(|j| (j + 1) % n).collect();
        let mut cache = RingCache::new(NonZeroUsize::new(64).unwrap());
        let a = signed(&pool, &members, &members, 0, seed);
        let b = signed(&pool, &members, &shifted, 0, seed.wrapping_add(1));
        for case in [&a, &b, &a, &b] {
            prop_assert_eq!(cached(case, &mut cache), Ok(()));
        }
        let mut mixed = a.clone();
        mixed.comms = b.comms.clone();
        let want = plain(&mixed);
        prop_assert!(want.is_err());
        prop_assert_eq!(cached(&mixed, &mut cache), want);
        prop_assert_eq!(cache.stats().entries, 2 * n as u64);
        prop_assert!(cache.stats().hits >= 2 * n as u64);
    }
}
