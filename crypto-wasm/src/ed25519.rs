//! Ed25519 signatures for validator votes, `docs/crypto.md` §8.
//!
//! RFC 8032 §5.1 Ed25519 (pure, no context, no prehash) through `ed25519-dalek` 3, with
//! **strict** verification so that every node reaches the same verdict on every signature:
//!
//! - the public key `A` must be the canonical encoding (RFC 8032 §5.1.3) of a curve point
//!   (`INVALID_POINT` otherwise) and must not have small order (`WEAK_KEY`);
//! - the signature's `S` must be canonical, `0 ≤ S < ℓ` (RFC 8032 §5.1.7 step 1), its `R` must
//!   be a canonical encoding of a point that does not have small order, and the cofactorless
//!   equation `[S]B = R + [k]A` must hold with `R` compared byte-for-byte
//!   (`ed25519_dalek::VerifyingKey::verify_strict`); any of these failing is
//!   `INVALID_SIGNATURE`.
//!
//! A mixed-order public key (a large-order point plus a torsion point) is not rejected as weak;
//! with the cofactorless equation a signature under it verifies iff its challenge `k` is
//! divisible by 8 (the vectors pin both outcomes, flag `MixedOrderKey`). Permissive ZIP-215
//! (cofactored) verifiers would accept all of them, so they must not be used for consensus.
//!
//! Keys are 32-byte seeds (RFC 8032 §5.1.5 "private key"); public keys are 32 bytes and
//! signatures 64 bytes (`R ‖ S`).

use curve25519_dalek::edwards::CompressedEdwardsY;
use ed25519_dalek::{Signature, SigningKey, VerifyingKey};

use crate::error::{CryptoError, Result};

/// Public-key length in bytes (RFC 8032 §5.1.5).
pub const PUBLIC_KEY_LENGTH: usize = 32;
/// Signature length in bytes, `R (32) ‖ S (32)` (RFC 8032 §5.1.6).
pub const SIGNATURE_LENGTH: usize = 64;

/// The 32-byte public key `A = [s]B` of a 32-byte secret seed (RFC 8032 §5.1.5).
pub fn public_key(seed: &[u8; 32]) -> [u8; 32] {
    SigningKey::from_bytes(seed).verifying_key().to_bytes()
}

/// Sign `msg` (any length) with the key derived from the 32-byte `seed` (RFC 8032 §5.1.6).
///
/// Deterministic: the same seed and message always give the same 64-byte signature `R ‖ S`.
pub fn sign(seed: &[u8; 32], msg: &[u8]) -> [u8; 64] {
    use ed25519_dalek::Signer;
    SigningKey::from_bytes(seed).sign(msg).to_bytes()
}

/// Strictly verify a 64-byte Ed25519 signature `sig` on `msg` under the 32-byte `public_key`
/// (RFC 8032 §5.1.7 with the strict checks listed in the module docs).
///
/// Checks, in this order:
///
/// # Errors
/// - `INVALID_LENGTH`: `public_key` is not 32 bytes or `sig` is not 64 bytes;
/// - `INVALID_POINT`: `public_key` is not a canonical encoding of a point on the curve;
/// - `WEAK_KEY`: `public_key` is a small-order point (one of the 8 torsion points);
/// - `INVALID_SIGNATURE`: `S ≥ ℓ`, `R` is not a canonical point encoding or has small order,
///   or the verification equation does not hold.
pub fn verify(public_key: &[u8], msg: &[u8], sig: &[u8]) -> Result<()> {
    let pk: &[u8; PUBLIC_KEY_LENGTH] =
        public_key
            .try_into()
            .map_err(|_| CryptoError::InvalidLength {
                what: "Ed25519 public key",
                expected: PUBLIC_KEY_LENGTH,
                actual: public_key.len(),
            })?;
    let sig: &[u8; SIGNATURE_LENGTH] = sig.try_into().map_err(|_| CryptoError::InvalidLength {
        what: "Ed25519 signature",
        expected: SIGNATURE_LENGTH,
        actual: sig.len(),
    })?;

    // Canonical decoding of A: decompression must succeed and re-encode to the same bytes
    // (dalek's decompression alone accepts y ≥ p).
    let point = CompressedEdwardsY(*pk)
        .decompress()
        .ok_or(CryptoError::InvalidPoint {
            what: "Ed25519 public key",
        })?;
    if point.compress().to_bytes() != *pk {
        return Err(CryptoError::InvalidPoint {
            what: "Ed25519 public key",
        });
    }
    if point.is_small_order() {
        return Err(CryptoError::WeakKey);
    }
    let vk = VerifyingKey::from_bytes(pk).map_err(|_| CryptoError::InvalidPoint {
        what: "Ed25519 public key",
    })?;

    // R's canonicity is enforced by verify_strict's byte comparison with the recomputed R;
    // S < ℓ by the signature parser; small-order R explicitly.
    let signature = Signature::from_bytes(sig);
    vk.verify_strict(msg, &signature)
        .map_err(|_| CryptoError::InvalidSignature {
            what: "Ed25519 signature",
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 8032 §7.1 TEST 1 (empty message).
    #[test]
    fn rfc8032_test1() {
        let seed: [u8; 32] =
            hex_lit("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
        let pk: [u8; 32] =
            hex_lit("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
        let sig: [u8; 64] = hex_lit(
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
        );
        assert_eq!(public_key(&seed), pk);
        assert_eq!(sign(&seed, b""), sig);
        verify(&pk, b"", &sig).unwrap();
    }

    fn hex_lit<const N: usize>(s: &str) -> [u8; N] {
        let mut out = [0u8; N];
        for (i, o) in out.iter_mut().enumerate() {
            *o = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap();
        }
        out
    }
}
