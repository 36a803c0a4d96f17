//! MLSAG ring signatures ("MLSAG simple", two rows) and key images (docs/crypto.md §5).
//!
//! Sources: Noether, "Ring Confidential Transactions", Ledger 2016, §4 (MLSAG) and §4.4 (simple
//! RingCT); Zero to Monero 2.0 §3.5 (MLSAG) and §6.2.2 (RCTTypeSimple); Liu–Wei–Wong, "Linkable
//! Spontaneous Anonymous Group Signature", ACISP 2004 (LSAG).
//!
//! ```text
//! Hp(P) = hash_to_point("BAIOS-v1-KeyImage_ristretto255_XMD:SHA-512_R255MAP_RO_", enc(P))
//! I     = x·Hp(P_π)                    Z_j = C_j − C'
//! μ     = H64("BAIOS/v1/mlsag-ring", m ‖ u32le(n) ‖ enc(P_0..P_{n−1}) ‖ enc(C_0..C_{n−1}) ‖ enc(C') ‖ enc(I))
//! c(L1, R1, L2) = Hs("BAIOS/v1/mlsag-challenge", μ ‖ enc(L1) ‖ enc(R1) ‖ enc(L2))
//! L1_j = s1_j·G + c_j·P_j    R1_j = s1_j·Hp(P_j) + c_j·I    L2_j = s2_j·G + c_j·Z_j
//! ```
//!
//! Signature bytes: `enc(c_0) ‖ enc(s1_0) ‖ enc(s2_0) ‖ … ‖ enc(s1_{n−1}) ‖ enc(s2_{n−1})`,
//! `32 + 64·n` bytes. The key image travels separately.

use curve25519_dalek::ristretto::{CompressedRistretto, RistrettoPoint};
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::{IsIdentity, VartimeMultiscalarMul};
use rand_core::CryptoRng;
use sha2::{Digest, Sha512};
use zeroize::Zeroize;

use crate::encoding::{decode_key, decode_scalar, half};
use crate::error::{CryptoError, Result};
use crate::hash::{h64, hash_to_point_key_image, tags};
use crate::ring_cache::{Key, Member, RingCache};

/// Largest ring size accepted (docs/crypto.md §5). The consensus minimum (11) is the chain's.
pub const MAX_RING_SIZE: usize = 256;

/// Length of the message `m` (the transaction's signing hash), bytes.
pub const MESSAGE_LEN: usize = 32;

/// Length in bytes of a signature over a ring of `n` members: `32 + 64·n`.
pub const fn signature_len(n: usize) -> usize {
    32 + 64 * n
}

/// The key image `I = x·Hp(P)` of one-time secret `x` for one-time key `P = x·G`
/// (Zero to Monero 2.0 §3.4; docs/crypto.md §5). The same `x` always gives the same `I`
/// (linkability). Constant time in `x`. Does not check `P == x·G`.
pub fn key_image(x: &Scalar, p: &RistrettoPoint) -> RistrettoPoint {
    x * hash_to_point_key_image(p.compress().as_bytes())
}

/// A decoded MLSAG signature: `c_0` and the responses `(s1_j, s2_j)` for `j = 0..n−1`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signature {
    /// The starting challenge `c_0`.
    pub c0: Scalar,
    /// The responses `[s1_j, s2_j]`, one pair per ring member.
    pub s: Vec<[Scalar; 2]>,
}

impl Signature {
    /// Encodes as `enc(c_0) ‖ enc(s1_0) ‖ enc(s2_0) ‖ …`, `32 + 64·n` bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(signature_len(self.s.len()));
        out.extend_from_slice(self.c0.as_bytes());
        for [s1, s2] in &self.s {
            out.extend_from_slice(s1.as_bytes());
            out.extend_from_slice(s2.as_bytes());
        }
        out
    }

    /// Decodes a signature for a ring of `n` members.
    ///
    /// Errors: `RING_SIZE` if `n` is outside `1..=256`; `INVALID_LENGTH` if
    /// `bytes.len() != 32 + 64·n`; `NON_CANONICAL_SCALAR` for any scalar `≥ ℓ`.
    pub fn from_bytes(bytes: &[u8], n: usize) -> Result<Signature> {
        check_ring_size(n)?;
        if bytes.len() != signature_len(n) {
            return Err(CryptoError::InvalidLength {
                what: "MLSAG signature",
                expected: signature_len(n),
                actual: bytes.len(),
            });
        }
        let c0 = decode_scalar(&bytes[..32], "MLSAG c0")?;
        let s = bytes[32..]
            .chunks_exact(64)
            .map(|ch| {
                Ok([
                    decode_scalar(&ch[..32], "MLSAG s1")?,
                    decode_scalar(&ch[32..], "MLSAG s2")?,
                ])
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Signature { c0, s })
    }
}

fn check_ring_size(n: usize) -> Result<()> {
    if n == 0 || n > MAX_RING_SIZE {
        return Err(CryptoError::RingSize { size: n });
    }
    Ok(())
}

fn check_len<T>(bytes: &[T], expected: usize, what: &'static str) -> Result<()> {
    if bytes.len() != expected {
        return Err(CryptoError::InvalidLength {
            what,
            expected,
            actual: bytes.len(),
        });
    }
    Ok(())
}

/// Rejects two equal ring members, comparing canonical encodings (a canonical ristretto255
/// encoding is unique, so equal bytes ⇔ equal points). `keys` is the concatenation.
fn check_duplicates(keys: &[u8]) -> Result<()> {
    let mut idx: Vec<(&[u8], usize)> = keys.chunks_exact(32).zip(0..).collect();
    idx.sort_unstable();
    for w in idx.windows(2) {
        if w[0].0 == w[1].0 {
            let (a, b) = (w[0].1.min(w[1].1), w[0].1.max(w[1].1));
            return Err(CryptoError::DuplicateRingMember {
                first: a,
                second: b,
            });
        }
    }
    Ok(())
}

/// The public ring, with both encodings and decoded points, shared by sign and verify.
struct Ring<'a> {
    keys_enc: &'a [u8],
    keys: &'a [RistrettoPoint],
    commitments_enc: &'a [u8],
    /// `Z_j = C_j − C'`.
    z: Vec<RistrettoPoint>,
    /// `Hp(P_j)`, computed once per member.
    hp: Vec<RistrettoPoint>,
}

impl<'a> Ring<'a> {
    /// A ring whose `Hp(P_j)` were computed (or taken from the ring-member cache) by the caller.
    fn with_hp(
        keys_enc: &'a [u8],
        keys: &'a [RistrettoPoint],
        commitments_enc: &'a [u8],
        commitments: &[RistrettoPoint],
        pseudo_out: &RistrettoPoint,
        hp: Vec<RistrettoPoint>,
    ) -> Ring<'a> {
        Ring {
            keys_enc,
            keys,
            commitments_enc,
            z: commitments.iter().map(|c| c - pseudo_out).collect(),
            hp,
        }
    }

    fn new(
        keys_enc: &'a [u8],
        keys: &'a [RistrettoPoint],
        commitments_enc: &'a [u8],
        commitments: &[RistrettoPoint],
        pseudo_out: &RistrettoPoint,
    ) -> Ring<'a> {
        Ring {
            keys_enc,
            keys,
            commitments_enc,
            z: commitments.iter().map(|c| c - pseudo_out).collect(),
            hp: keys_enc
                .chunks_exact(32)
                .map(|k| hash_to_point_key_image(k.try_into().expect("32 bytes")))
                .collect(),
        }
    }

    /// The SHA-512 state after `u8(len(tag)) ‖ tag ‖ μ`, cloned for every challenge.
    fn challenge_prefix(&self, msg: &[u8; 32], pseudo_enc: &[u8; 32], ki_enc: &[u8; 32]) -> Sha512 {
        let n = u32::try_from(self.keys.len()).expect("ring size ≤ 256");
        let mu = h64(
            tags::MLSAG_RING,
            &[
                msg,
                &n.to_le_bytes(),
                self.keys_enc,
                self.commitments_enc,
                pseudo_enc,
                ki_enc,
            ],
        );
        let mut h = Sha512::new();
        h.update([tags::MLSAG_CHALLENGE.len() as u8]);
        h.update(tags::MLSAG_CHALLENGE);
        h.update(mu);
        h
    }
}

fn challenge(prefix: &Sha512, encodings: &[CompressedRistretto]) -> Scalar {
    let mut h = prefix.clone();
    for e in encodings {
        h.update(e.as_bytes());
    }
    let out: [u8; 64] = h.finalize().into();
    Scalar::from_bytes_mod_order_wide(&out)
}

/// The public values one verification (or a signer's decoy steps) reuses at every ring step.
/// (A width-8 NAF table of the key image, `VartimeRistrettoPrecomputation`, was measured: it
/// costs about five scalar multiplications to build and saves about 5% of one per member, a
/// loss for rings of 11.)
struct StepContext<'a> {
    half: Scalar,
    ki: RistrettoPoint,
    ring: &'a Ring<'a>,
    prefix: Sha512,
}

impl<'a> StepContext<'a> {
    fn new(ring: &'a Ring<'a>, ki: &RistrettoPoint, prefix: Sha512) -> Self {
        StepContext {
            half: half(),
            ki: *ki,
            ring,
            prefix,
        }
    }

    /// One ring step in variable time (all inputs public): returns `c_{j+1}`.
    ///
    /// The three points are computed halved, `L1/2 = (s1/2)·G + (c/2)·P_j` and so on (exact:
    /// ℓ is odd and the group has prime order), so that `double_and_compress_batch` (RFC 9496
    /// §4.3.2) gives `enc(L1), enc(R1), enc(L2)` with one field inversion for the three instead
    /// of an inverse square root each. The bytes hashed are the same as `L.compress()`.
    fn step(&self, j: usize, c: &Scalar, s: &[Scalar; 2]) -> Scalar {
        let (hc, h1, h2) = (c * self.half, s[0] * self.half, s[1] * self.half);
        let ring = self.ring;
        let l1 = RistrettoPoint::vartime_double_scalar_mul_basepoint(&hc, &ring.keys[j], &h1);
        let r1 = RistrettoPoint::vartime_multiscalar_mul([&h1, &hc], [&ring.hp[j], &self.ki]);
        let l2 = RistrettoPoint::vartime_double_scalar_mul_basepoint(&hc, &ring.z[j], &h2);
        challenge(
            &self.prefix,
            &RistrettoPoint::double_and_compress_batch([&l1, &r1, &l2]),
        )
    }
}

/// Signs the 32-byte message `msg` with an MLSAG over the ring `(P_j, C_j)` and pseudo-output
/// `C'` (docs/crypto.md §5; Zero to Monero 2.0 §3.5). The signer is at `index` with one-time
/// secret `x` (`P_index = x·G`) and commitment-difference secret `z` (`C_index − C' = z·G`,
/// i.e. `z = y_index − y'`). Randomness `α, β` and the decoy responses come from `rng`.
/// Returns the `32 + 64·n`-byte signature; the key image is [`key_image`]`(x, P_index)`.
///
/// Errors: `INVALID_LENGTH` (`msg` not 32 bytes, or `ring_commitments.len() != ring_keys.len()`);
/// `RING_SIZE` (n outside `1..=256`); `SIGNER_INDEX`; `IDENTITY_POINT` (a ring member,
/// commitment or the pseudo-output is the identity); `DUPLICATE_RING_MEMBER`; `SIGNER_MISMATCH`
/// (`x·G ≠ P_index` or `z·G ≠ C_index − C'`).
///
/// The secret-dependent operations (`α·G`, `α·Hp`, `β·G`, `x·Hp`, `s = α − c·x`) are
/// constant time; decoy steps use only public values and run in variable time.
#[allow(clippy::too_many_arguments)]
pub fn sign<R: CryptoRng + ?Sized>(
    msg: &[u8],
    ring_keys: &[RistrettoPoint],
    ring_commitments: &[RistrettoPoint],
    pseudo_out: &RistrettoPoint,
    index: usize,
    x: &Scalar,
    z: &Scalar,
    rng: &mut R,
) -> Result<Vec<u8>> {
    let msg: &[u8; 32] = msg.try_into().map_err(|_| CryptoError::InvalidLength {
        what: "MLSAG message",
        expected: MESSAGE_LEN,
        actual: msg.len(),
    })?;
    let n = ring_keys.len();
    check_ring_size(n)?;
    check_len(ring_commitments, n, "ring commitments (count)")?;
    if index >= n {
        return Err(CryptoError::SignerIndex { index, size: n });
    }
    for p in ring_keys {
        if p.is_identity() {
            return Err(CryptoError::IdentityPoint {
                what: "ring member",
            });
        }
    }
    for c in ring_commitments {
        if c.is_identity() {
            return Err(CryptoError::IdentityPoint {
                what: "ring commitment",
            });
        }
    }
    if pseudo_out.is_identity() {
        return Err(CryptoError::IdentityPoint {
            what: "pseudo-output",
        });
    }
    let keys_enc: Vec<u8> = ring_keys
        .iter()
        .flat_map(|p| p.compress().to_bytes())
        .collect();
    check_duplicates(&keys_enc)?;
    let commitments_enc: Vec<u8> = ring_commitments
        .iter()
        .flat_map(|p| p.compress().to_bytes())
        .collect();
    let ring = Ring::new(
        &keys_enc,
        ring_keys,
        &commitments_enc,
        ring_commitments,
        pseudo_out,
    );
    if RistrettoPoint::mul_base(x) != ring_keys[index]
        || RistrettoPoint::mul_base(z) != ring.z[index]
    {
        return Err(CryptoError::SignerMismatch);
    }
    let ki = x * ring.hp[index];
    let prefix = ring.challenge_prefix(
        msg,
        pseudo_out.compress().as_bytes(),
        ki.compress().as_bytes(),
    );

    let mut alpha = Scalar::random(rng);
    let mut beta = Scalar::random(rng);
    let mut s = vec![[Scalar::ZERO; 2]; n];
    let mut c0 = Scalar::ZERO;
    let mut c = challenge(
        &prefix,
        &[
            RistrettoPoint::mul_base(&alpha).compress(),
            (alpha * ring.hp[index]).compress(),
            RistrettoPoint::mul_base(&beta).compress(),
        ],
    );
    let ctx = StepContext::new(&ring, &ki, prefix);
    let mut j = (index + 1) % n;
    while j != index {
        if j == 0 {
            c0 = c;
        }
        s[j] = [Scalar::random(rng), Scalar::random(rng)];
        c = ctx.step(j, &c, &s[j]);
        j = (j + 1) % n;
    }
    if index == 0 {
        c0 = c;
    }
    s[index] = [alpha - c * x, beta - c * z];
    alpha.zeroize();
    beta.zeroize();
    Ok(Signature { c0, s }.to_bytes())
}

/// Verifies a decoded signature over decoded points. Computes the encodings it hashes (one
/// compression per point); prefer [`verify`] when the bytes are at hand.
///
/// Errors: as [`verify`] except `NON_CANONICAL_SCALAR`/`INVALID_POINT` (already decoded);
/// `INVALID_LENGTH` also if `sig.s.len()` or `ring_commitments.len()` differ from `ring_keys.len()`.
pub fn verify_points(
    msg: &[u8],
    ring_keys: &[RistrettoPoint],
    ring_commitments: &[RistrettoPoint],
    pseudo_out: &RistrettoPoint,
    key_image: &RistrettoPoint,
    sig: &Signature,
) -> Result<()> {
    let keys_enc: Vec<u8> = ring_keys
        .iter()
        .flat_map(|p| p.compress().to_bytes())
        .collect();
    let commitments_enc: Vec<u8> = ring_commitments
        .iter()
        .flat_map(|p| p.compress().to_bytes())
        .collect();
    let n = ring_keys.len();
    check_ring_size(n)?;
    if ring_commitments.len() != n || sig.s.len() != n {
        return Err(CryptoError::InvalidLength {
            what: "ring commitments / signature responses (count)",
            expected: n,
            actual: ring_commitments.len().min(sig.s.len()),
        });
    }
    verify(
        msg,
        &keys_enc,
        &commitments_enc,
        pseudo_out.compress().as_bytes(),
        key_image.compress().as_bytes(),
        &sig.to_bytes(),
    )
}

/// Verifies an MLSAG on raw bytes (docs/crypto.md §5): `msg` 32 bytes; `ring_keys` and
/// `ring_commitments` the concatenations of `n` 32-byte ristretto255 encodings; `pseudo_out`
/// and `key_image` 32 bytes; `sig` `32 + 64·n` bytes. Returns `Ok(())` iff the challenge chain
/// recomputed from `c_0` returns to `c_0`.
///
/// Checks, in this order, before any curve arithmetic: `INVALID_LENGTH` (message, ring keys
/// not a multiple of 32, commitments, pseudo-output, key image, signature); `RING_SIZE`
/// (`n` outside `1..=256`); `NON_CANONICAL_SCALAR` (any of `c_0, s1_j, s2_j`);
/// `INVALID_POINT` / `IDENTITY_POINT` (ring members, commitments, pseudo-output, key image, in
/// that order); `DUPLICATE_RING_MEMBER`. Then `INVALID_SIGNATURE` if the ring does not close.
///
/// Cost: per member one `Hp` and three variable-time double-scalar multiplications
/// (`vartime_double_scalar_mul_basepoint` twice, a 2-term `vartime_multiscalar_mul`), and one
/// batched double-and-encode of the three points (one field inversion).
pub fn verify(
    msg: &[u8],
    ring_keys: &[u8],
    ring_commitments: &[u8],
    pseudo_out: &[u8],
    key_image: &[u8],
    sig: &[u8],
) -> Result<()> {
    verify_cached(
        msg,
        ring_keys,
        ring_commitments,
        pseudo_out,
        key_image,
        sig,
        None,
    )
}

/// [`verify`], taking each ring member's decoded `(P, Hp(P), C)` from `cache` when its exact
/// bytes `enc(P_j) ‖ enc(C_j)` are there, and inserting the members it decodes. Same inputs,
/// same checks in the same order, same result and error as [`verify`] (the argument is in
/// [`crate::ring_cache`]); `None` is [`verify`].
pub fn verify_cached(
    msg: &[u8],
    ring_keys: &[u8],
    ring_commitments: &[u8],
    pseudo_out: &[u8],
    key_image: &[u8],
    sig: &[u8],
    mut cache: Option<&mut RingCache>,
) -> Result<()> {
    check_len(msg, MESSAGE_LEN, "MLSAG message")?;
    if ring_keys.len() % 32 != 0 {
        return Err(CryptoError::InvalidLength {
            what: "ring keys",
            expected: ring_keys.len().div_ceil(32) * 32,
            actual: ring_keys.len(),
        });
    }
    let n = ring_keys.len() / 32;
    check_ring_size(n)?;
    check_len(ring_commitments, 32 * n, "ring commitments")?;
    check_len(pseudo_out, 32, "pseudo-output")?;
    check_len(key_image, 32, "key image")?;
    let sig = Signature::from_bytes(sig, n)?;

    // Cached members first; the rest are decoded in the uncached order (every ring member,
    // then every commitment), so a rejection is the same error as without the cache.
    let cache_key = |j: usize| -> Key {
        let mut k = [0u8; 64];
        k[..32].copy_from_slice(&ring_keys[32 * j..32 * j + 32]);
        k[32..].copy_from_slice(&ring_commitments[32 * j..32 * j + 32]);
        k
    };
    let cached: Vec<Option<Member>> = match cache.as_deref_mut() {
        Some(c) => (0..n).map(|j| c.get(&cache_key(j))).collect(),
        None => vec![None; n],
    };
    let keys = ring_keys
        .chunks_exact(32)
        .zip(&cached)
        .map(|(k, m)| match m {
            Some(m) => Ok(m.p),
            None => decode_key(k, "ring member"),
        })
        .collect::<Result<Vec<_>>>()?;
    let commitments = ring_commitments
        .chunks_exact(32)
        .zip(&cached)
        .map(|(k, m)| match m {
            Some(m) => Ok(m.c),
            None => decode_key(k, "ring commitment"),
        })
        .collect::<Result<Vec<_>>>()?;
    let pseudo = decode_key(pseudo_out, "pseudo-output")?;
    let ki = decode_key(key_image, "key image")?;
    check_duplicates(ring_keys)?;

    let hp: Vec<RistrettoPoint> = ring_keys
        .chunks_exact(32)
        .zip(&cached)
        .map(|(k, m)| match m {
            Some(m) => m.hp,
            None => hash_to_point_key_image(k.try_into().expect("32 bytes")),
        })
        .collect();
    if let Some(c) = cache {
        for (j, m) in cached.iter().enumerate() {
            if m.is_none() {
                let member = Member {
                    p: keys[j],
                    hp: hp[j],
                    c: commitments[j],
                };
                c.insert(cache_key(j), member);
            }
        }
    }

    let ring = Ring::with_hp(
        ring_keys,
        &keys,
        ring_commitments,
        &commitments,
        &pseudo,
        hp,
    );
    let pseudo_enc: &[u8; 32] = pseudo_out.try_into().expect("checked");
    let ki_enc: &[u8; 32] = key_image.try_into().expect("checked");
    let msg: &[u8; 32] = msg.try_into().expect("checked");
    let ctx = StepContext::new(&ring, &ki, ring.challenge_prefix(msg, pseudo_enc, ki_enc));

    let mut c = sig.c0;
    for (j, s) in sig.s.iter().enumerate() {
        c = ctx.step(j, &c, s);
    }
    if c == sig.c0 {
        Ok(())
    } else {
        Err(CryptoError::InvalidSignature { what: "MLSAG" })
    }
}

/// Decodes a 32-byte key image (`INVALID_LENGTH`, `INVALID_POINT`, `IDENTITY_POINT`).
pub fn decode_key_image(bytes: &[u8]) -> Result<RistrettoPoint> {
    decode_key(bytes, "key image")
}

/// `enc(x·Hp(P))` for a 32-byte canonical one-time secret `x` and 32-byte one-time key `P`,
/// checking `x·G == P`.
///
/// Errors: `INVALID_LENGTH`, `NON_CANONICAL_SCALAR`, `INVALID_POINT`, `IDENTITY_POINT`,
/// `SIGNER_MISMATCH` (`x·G ≠ P`).
pub fn key_image_bytes(x: &[u8], p: &[u8]) -> Result<[u8; 32]> {
    let mut xs = decode_scalar(x, "one-time secret")?;
    let pp = decode_key(p, "one-time key")?;
    if RistrettoPoint::mul_base(&xs) != pp {
        xs.zeroize();
        return Err(CryptoError::SignerMismatch);
    }
    let p_enc: &[u8; 32] = p.try_into().expect("checked");
    let ki = xs * hash_to_point_key_image(p_enc);
    xs.zeroize();
    Ok(ki.compress().to_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pedersen::commit;
    use crate::rng::seeded_rng;

    struct Fixture {
        keys: Vec<RistrettoPoint>,
        comms: Vec<RistrettoPoint>,
        pseudo: RistrettoPoint,
        x: Scalar,
        z: Scalar,
    }

    fn fixture(n: usize, index: usize, seed: u8) -> Fixture {
        let mut rng = seeded_rng([seed; 32]);
        let mut keys: Vec<_> = (0..n)
            .map(|_| RistrettoPoint::mul_base(&Scalar::random(&mut rng)))
            .collect();
        let mut comms: Vec<_> = (0..n)
            .map(|_| commit(5, &Scalar::random(&mut rng)))
            .collect();
        let x = Scalar::random(&mut rng);
        let y = Scalar::random(&mut rng);
        let y2 = Scalar::random(&mut rng);
        keys[index] = RistrettoPoint::mul_base(&x);
        comms[index] = commit(77, &y);
        Fixture {
            keys,
            comms,
            pseudo: commit(77, &y2),
            x,
            z: y - y2,
        }
    }

    fn enc(ps: &[RistrettoPoint]) -> Vec<u8> {
        ps.iter().flat_map(|p| p.compress().to_bytes()).collect()
    }

    #[test]
    fn round_trip_all_indices() {
        for n in [1usize, 2, 3, 11] {
            for index in 0..n {
                let f = fixture(n, index, n as u8);
                let mut rng = seeded_rng([1; 32]);
                let m = [9u8; 32];
                let sig = sign(
                    &m, &f.keys, &f.comms, &f.pseudo, index, &f.x, &f.z, &mut rng,
                )
                .unwrap();
                assert_eq!(sig.len(), signature_len(n));
                let ki = key_image(&f.x, &f.keys[index]);
                let kienc = ki.compress().to_bytes();
                let pse = f.pseudo.compress().to_bytes();
                verify(&m, &enc(&f.keys), &enc(&f.comms), &pse, &kienc, &sig).unwrap();
                let parsed = Signature::from_bytes(&sig, n).unwrap();
                verify_points(&m, &f.keys, &f.comms, &f.pseudo, &ki, &parsed).unwrap();
                let m2 = [8u8; 32];
                assert_eq!(
                    verify(&m2, &enc(&f.keys), &enc(&f.comms), &pse, &kienc, &sig)
                        .unwrap_err()
                        .code(),
                    "INVALID_SIGNATURE"
                );
            }
        }
    }

    #[test]
    fn sign_errors() {
        let f = fixture(3, 1, 4);
        let mut rng = seeded_rng([1; 32]);
        let m = [0u8; 32];
        let e = |r: Result<Vec<u8>>| r.unwrap_err().code();
        assert_eq!(
            e(sign(
                &m, &f.keys, &f.comms, &f.pseudo, 3, &f.x, &f.z, &mut rng
            )),
            "SIGNER_INDEX"
        );
        assert_eq!(
            e(sign(
                &m, &f.keys, &f.comms, &f.pseudo, 0, &f.x, &f.z, &mut rng
            )),
            "SIGNER_MISMATCH"
        );
        assert_eq!(
            e(sign(
                &m, &f.keys, &f.comms, &f.pseudo, 1, &f.x, &f.x, &mut rng
            )),
            "SIGNER_MISMATCH"
        );
        assert_eq!(
            e(sign(&m, &[], &[], &f.pseudo, 0, &f.x, &f.z, &mut rng)),
            "RING_SIZE"
        );
        assert_eq!(
            e(sign(
                &m[..31],
                &f.keys,
                &f.comms,
                &f.pseudo,
                1,
                &f.x,
                &f.z,
                &mut rng
            )),
            "INVALID_LENGTH"
        );
        let dup = vec![f.keys[1], f.keys[1], f.keys[2]];
        assert_eq!(
            e(sign(&m, &dup, &f.comms, &f.pseudo, 1, &f.x, &f.z, &mut rng)),
            "DUPLICATE_RING_MEMBER"
        );
    }

    #[test]
    fn key_image_bytes_checks() {
        let f = fixture(1, 0, 5);
        let p = f.keys[0].compress().to_bytes();
        let ki = key_image_bytes(f.x.as_bytes(), &p).unwrap();
        assert_eq!(ki, key_image(&f.x, &f.keys[0]).compress().to_bytes());
        assert_eq!(
            key_image_bytes(f.z.as_bytes(), &p).unwrap_err().code(),
            "SIGNER_MISMATCH"
        );
    }
}
