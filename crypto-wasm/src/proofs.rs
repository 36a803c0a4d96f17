//! Signed wallet proofs that reveal no secret key (docs/crypto.md §12): a two-base Schnorr
//! proof of discrete-log equality (DLEQ; Chaum–Pedersen, CRYPTO '92; Zero to Monero 2.0 §3.1
//! and §8.1), used for
//! - the outgoing-payment proof (`get_tx_proof`): `R = r·X` and `K = r·Y` with the same `r`
//!   (Monero's `OutProofV2` as the model), `X = G, Y = A` for a main address and `X = D,
//!   Y = C` for a subaddress;
//! - the key-image proof (exported key images, reserve proofs): `P = x·G` and `I = x·Hp(P)`;
//! - the reserve proof's derivation proof: `A = a·G` and `K = a·R`.
//!
//! ```text
//! prove(tag, X, Y, U = w·X, V = w·Y, ctx):  k ← random;  T1 = k·X,  T2 = k·Y
//!   c = Hs(tag, enc(X) ‖ enc(Y) ‖ enc(U) ‖ enc(V) ‖ enc(T1) ‖ enc(T2) ‖ ctx)
//!   s = k − c·w                       proof = enc(c) ‖ enc(s)   (64 bytes)
//! verify: T1' = s·X + c·U,  T2' = s·Y + c·V,  accept iff c == Hs(tag, … T1' ‖ T2' ‖ ctx)
//! ```

use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::VartimeMultiscalarMul;
use rand_core::CryptoRng;
use zeroize::Zeroize;

use crate::encoding::{decode_key, decode_scalar};
use crate::error::{CryptoError, Result};
use crate::hash::{hash_to_point_key_image, hash_to_scalar, tags};
use crate::mlsag::key_image;
use crate::stealth::{derivation, Address, Derivation};

/// Length of a DLEQ proof `enc(c) ‖ enc(s)`.
pub const DLEQ_LEN: usize = 64;
/// Length of a tx proof `enc(K) ‖ enc(c) ‖ enc(s)`.
pub const TX_PROOF_LEN: usize = 96;
/// Length of a signed key image `enc(I) ‖ enc(c) ‖ enc(s)`.
pub const KEY_IMAGE_PROOF_LEN: usize = 96;

#[allow(clippy::too_many_arguments)]
fn challenge(
    tag: &[u8],
    x: &RistrettoPoint,
    y: &RistrettoPoint,
    u: &RistrettoPoint,
    v: &RistrettoPoint,
    t1: &RistrettoPoint,
    t2: &RistrettoPoint,
    ctx: &[u8],
) -> Scalar {
    hash_to_scalar(
        tag,
        &[
            x.compress().as_bytes(),
            y.compress().as_bytes(),
            u.compress().as_bytes(),
            v.compress().as_bytes(),
            t1.compress().as_bytes(),
            t2.compress().as_bytes(),
            ctx,
        ],
    )
}

/// Proves `U = w·X` and `V = w·Y` for the same secret `w` (docs/crypto.md §12). Returns
/// `enc(c) ‖ enc(s)`, 64 bytes. `U` and `V` are recomputed from `w`.
pub fn dleq_prove<R: CryptoRng + ?Sized>(
    tag: &[u8],
    w: &Scalar,
    x: &RistrettoPoint,
    y: &RistrettoPoint,
    ctx: &[u8],
    rng: &mut R,
) -> [u8; DLEQ_LEN] {
    let mut k = Scalar::random(rng);
    let (u, v) = (w * x, w * y);
    let c = challenge(tag, x, y, &u, &v, &(k * x), &(k * y), ctx);
    let s = k - c * w;
    k.zeroize();
    let mut out = [0u8; DLEQ_LEN];
    out[..32].copy_from_slice(c.as_bytes());
    out[32..].copy_from_slice(s.as_bytes());
    out
}

#[allow(clippy::too_many_arguments)]
/// Verifies a 64-byte DLEQ proof of `U = w·X`, `V = w·Y` over `ctx`.
///
/// Errors: `INVALID_LENGTH`, `NON_CANONICAL_SCALAR` (c or s), `INVALID_SIGNATURE`.
pub fn dleq_verify(
    tag: &[u8],
    x: &RistrettoPoint,
    y: &RistrettoPoint,
    u: &RistrettoPoint,
    v: &RistrettoPoint,
    ctx: &[u8],
    proof: &[u8],
    what: &'static str,
) -> Result<()> {
    if proof.len() != DLEQ_LEN {
        return Err(CryptoError::InvalidLength {
            what,
            expected: DLEQ_LEN,
            actual: proof.len(),
        });
    }
    let c = decode_scalar(&proof[..32], "proof challenge")?;
    let s = decode_scalar(&proof[32..], "proof response")?;
    let t1 = RistrettoPoint::vartime_multiscalar_mul([s, c], [*x, *u]);
    let t2 = RistrettoPoint::vartime_multiscalar_mul([s, c], [*y, *v]);
    if challenge(tag, x, y, u, v, &t1, &t2, ctx) == c {
        Ok(())
    } else {
        Err(CryptoError::InvalidSignature { what })
    }
}

/// The bases `(X, Y)` of a tx proof for `to`: `(G, A)` for a main address, `(D, C)` for a
/// subaddress.
fn tx_bases(to: &Address, is_subaddress: bool) -> (RistrettoPoint, RistrettoPoint) {
    if is_subaddress {
        (to.spend_public, to.view_public)
    } else {
        (
            curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT,
            to.view_public,
        )
    }
}

/// The context of a tx proof: `txid(32) ‖ enc(A|C) ‖ enc(B|D) ‖ u8(is_subaddress) ‖ message`.
fn tx_ctx(txid: &[u8; 32], to: &Address, is_subaddress: bool, message: &[u8]) -> Vec<u8> {
    let mut ctx = Vec::with_capacity(32 + 64 + 1 + message.len());
    ctx.extend_from_slice(txid);
    ctx.extend_from_slice(&to.to_bytes());
    ctx.push(u8::from(is_subaddress));
    ctx.extend_from_slice(message);
    ctx
}

/// Outgoing-payment proof (docs/crypto.md §12.1): the sender, holding the tx secret key `r`,
/// proves that the shared point `K = r·Y` was formed with the `r` of `R = r·X`, over the
/// txid, the destination and a message. Returns `enc(K) ‖ enc(c) ‖ enc(s)` (96 bytes). With
/// `K` the checker finds and opens the outputs paid to `to`; `r` stays secret.
pub fn tx_proof<R: CryptoRng + ?Sized>(
    r: &Scalar,
    txid: &[u8; 32],
    to: &Address,
    is_subaddress: bool,
    message: &[u8],
    rng: &mut R,
) -> [u8; TX_PROOF_LEN] {
    let (x, y) = tx_bases(to, is_subaddress);
    let k = r * y;
    let dleq = dleq_prove(
        tags::TX_PROOF,
        r,
        &x,
        &y,
        &tx_ctx(txid, to, is_subaddress, message),
        rng,
    );
    let mut out = [0u8; TX_PROOF_LEN];
    out[..32].copy_from_slice(k.compress().as_bytes());
    out[32..].copy_from_slice(&dleq);
    out
}

/// Checks a tx proof against the transaction's public key `R` and returns the shared point
/// `K` with which the checker scans the transaction's outputs for `to` (docs/crypto.md §12.1).
///
/// Errors: `INVALID_LENGTH`, `INVALID_POINT` / `IDENTITY_POINT` (K), `NON_CANONICAL_SCALAR`,
/// `INVALID_SIGNATURE` (the proof does not verify: wrong tx, address, message or key).
pub fn check_tx_proof(
    tx_public: &RistrettoPoint,
    txid: &[u8; 32],
    to: &Address,
    is_subaddress: bool,
    message: &[u8],
    proof: &[u8],
) -> Result<Derivation> {
    if proof.len() != TX_PROOF_LEN {
        return Err(CryptoError::InvalidLength {
            what: "tx proof",
            expected: TX_PROOF_LEN,
            actual: proof.len(),
        });
    }
    let k = decode_key(&proof[..32], "tx proof shared point")?;
    let (x, y) = tx_bases(to, is_subaddress);
    dleq_verify(
        tags::TX_PROOF,
        &x,
        &y,
        tx_public,
        &k,
        &tx_ctx(txid, to, is_subaddress, message),
        &proof[32..],
        "tx proof",
    )?;
    Ok(Derivation::from_point(k))
}

/// Signed key image (docs/crypto.md §12.2): `enc(I) ‖ enc(c) ‖ enc(s)` (96 bytes), proving
/// `P = x·G` and `I = x·Hp(P)` over `ctx` (the exporting wallet's address, or a reserve
/// proof's message digest). A view-only wallet cannot be fed a key image that is not `P`'s.
pub fn key_image_proof<R: CryptoRng + ?Sized>(
    x: &Scalar,
    p: &RistrettoPoint,
    ctx: &[u8],
    rng: &mut R,
) -> [u8; KEY_IMAGE_PROOF_LEN] {
    let hp = hash_to_point_key_image(p.compress().as_bytes());
    let ki = key_image(x, p);
    let g = curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT;
    let dleq = dleq_prove(tags::KEY_IMAGE_PROOF, x, &g, &hp, ctx, rng);
    let mut out = [0u8; KEY_IMAGE_PROOF_LEN];
    out[..32].copy_from_slice(ki.compress().as_bytes());
    out[32..].copy_from_slice(&dleq);
    out
}

/// Verifies a signed key image for one-time key `P` and returns the key image `I`.
///
/// Errors: `INVALID_LENGTH`, `INVALID_POINT` / `IDENTITY_POINT` (I), `NON_CANONICAL_SCALAR`,
/// `INVALID_SIGNATURE`.
pub fn check_key_image_proof(
    p: &RistrettoPoint,
    ctx: &[u8],
    proof: &[u8],
) -> Result<RistrettoPoint> {
    if proof.len() != KEY_IMAGE_PROOF_LEN {
        return Err(CryptoError::InvalidLength {
            what: "key image proof",
            expected: KEY_IMAGE_PROOF_LEN,
            actual: proof.len(),
        });
    }
    let ki = decode_key(&proof[..32], "key image")?;
    let hp = hash_to_point_key_image(p.compress().as_bytes());
    let g = curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT;
    dleq_verify(
        tags::KEY_IMAGE_PROOF,
        &g,
        &hp,
        p,
        &ki,
        ctx,
        &proof[32..],
        "key image proof",
    )?;
    Ok(ki)
}

/// Reserve proof, derivation part (docs/crypto.md §12.3): the owner of view key `a` proves
/// that `K = a·R` for the transaction key `R` of an output, so the checker can recompute
/// `P_k − s_k·G` and see it is the address's spend key (plus the revealed subaddress scalar).
/// Returns `enc(K) ‖ enc(c) ‖ enc(s)` (96 bytes).
pub fn derivation_proof<R: CryptoRng + ?Sized>(
    view_secret: &Scalar,
    tx_public: &RistrettoPoint,
    ctx: &[u8],
    rng: &mut R,
) -> [u8; 96] {
    let k = derivation(view_secret, tx_public);
    let g = curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT;
    let dleq = dleq_prove(tags::RESERVE_PROOF, view_secret, &g, tx_public, ctx, rng);
    let mut out = [0u8; 96];
    out[..32].copy_from_slice(k.as_bytes());
    out[32..].copy_from_slice(&dleq);
    out
}

/// Verifies a derivation proof against view key `A` and tx key `R`; returns `K = a·R`.
///
/// Errors: `INVALID_LENGTH`, `INVALID_POINT` / `IDENTITY_POINT`, `NON_CANONICAL_SCALAR`,
/// `INVALID_SIGNATURE`.
pub fn check_derivation_proof(
    view_public: &RistrettoPoint,
    tx_public: &RistrettoPoint,
    ctx: &[u8],
    proof: &[u8],
) -> Result<Derivation> {
    if proof.len() != 96 {
        return Err(CryptoError::InvalidLength {
            what: "derivation proof",
            expected: 96,
            actual: proof.len(),
        });
    }
    let k = decode_key(&proof[..32], "derivation K")?;
    let g = curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT;
    dleq_verify(
        tags::RESERVE_PROOF,
        &g,
        tx_public,
        view_public,
        &k,
        ctx,
        &proof[32..],
        "derivation proof",
    )?;
    Ok(Derivation::from_point(k))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::seeded_rng;
    use crate::stealth::{create_output_with_derivation, keys_from_seed, match_output};
    use crate::subaddress::{subaddress, subaddress_tx_public};

    #[test]
    fn tx_proof_main_and_subaddress() {
        let k = keys_from_seed(&[1; 32]);
        let mut rng = seeded_rng([2; 32]);
        let r = Scalar::random(&mut rng);
        let txid = [9u8; 32];
        for sub in [false, true] {
            let to = if sub {
                subaddress(&k.view_secret, &k.spend_public, 1, 2)
            } else {
                k.address()
            };
            let big_r = if sub {
                subaddress_tx_public(&r, &to.spend_public)
            } else {
                RistrettoPoint::mul_base(&r)
            };
            let out = create_output_with_derivation(
                &derivation(&r, &to.view_public),
                &to.spend_public,
                0,
                5,
            );
            let proof = tx_proof(&r, &txid, &to, sub, b"hi", &mut rng);
            let d = check_tx_proof(&big_r, &txid, &to, sub, b"hi", &proof).unwrap();
            assert!(match_output(&d, &to.spend_public, 0, &out.one_time_key).is_some());
            // Wrong message, txid, address kind, tx key: rejected.
            assert_eq!(
                check_tx_proof(&big_r, &txid, &to, sub, b"ho", &proof)
                    .unwrap_err()
                    .code(),
                "INVALID_SIGNATURE"
            );
            assert!(check_tx_proof(&big_r, &[8; 32], &to, sub, b"hi", &proof).is_err());
            assert!(check_tx_proof(&big_r, &txid, &to, !sub, b"hi", &proof).is_err());
            assert!(check_tx_proof(&(big_r + big_r), &txid, &to, sub, b"hi", &proof).is_err());
            assert_eq!(
                check_tx_proof(&big_r, &txid, &to, sub, b"hi", &proof[..95])
                    .unwrap_err()
                    .code(),
                "INVALID_LENGTH"
            );
        }
    }

    #[test]
    fn key_image_proof_round_trip_and_forgery() {
        let mut rng = seeded_rng([3; 32]);
        let x = Scalar::random(&mut rng);
        let p = RistrettoPoint::mul_base(&x);
        let proof = key_image_proof(&x, &p, b"ctx", &mut rng);
        assert_eq!(
            check_key_image_proof(&p, b"ctx", &proof).unwrap(),
            key_image(&x, &p)
        );
        assert!(check_key_image_proof(&p, b"ctX", &proof).is_err());
        // A fake key image with the same (c, s) does not verify.
        let mut fake = proof;
        fake[..32].copy_from_slice(
            RistrettoPoint::mul_base(&Scalar::from(7u64))
                .compress()
                .as_bytes(),
        );
        assert_eq!(
            check_key_image_proof(&p, b"ctx", &fake).unwrap_err().code(),
            "INVALID_SIGNATURE"
        );
        // A key image of another key, proved with its own secret, is rejected for P.
        let x2 = Scalar::random(&mut rng);
        let other = key_image_proof(&x2, &RistrettoPoint::mul_base(&x2), b"ctx", &mut rng);
        assert!(check_key_image_proof(&p, b"ctx", &other).is_err());
    }

    #[test]
    fn derivation_proof_round_trip() {
        let k = keys_from_seed(&[4; 32]);
        let mut rng = seeded_rng([5; 32]);
        let big_r = RistrettoPoint::mul_base(&Scalar::random(&mut rng));
        let proof = derivation_proof(&k.view_secret, &big_r, b"m", &mut rng);
        let d = check_derivation_proof(&k.view_public, &big_r, b"m", &proof).unwrap();
        assert_eq!(d, derivation(&k.view_secret, &big_r));
        let other = keys_from_seed(&[5; 32]);
        assert!(check_derivation_proof(&other.view_public, &big_r, b"m", &proof).is_err());
    }
}
