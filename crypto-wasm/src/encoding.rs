//! Canonical decoding of scalars and ristretto255 points (docs/crypto.md §1).
//!
//! Every byte string that enters the crate from outside goes through these functions, so each
//! rejection carries a typed [`CryptoError`] with a stable code (docs/crypto.md §9).

use curve25519_dalek::ristretto::{CompressedRistretto, RistrettoPoint};
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::IsIdentity;

use crate::error::{CryptoError, Result};

/// Length in bytes of an encoded scalar or point.
pub const LEN: usize = 32;

fn as_array<'a>(bytes: &'a [u8], what: &'static str) -> Result<&'a [u8; 32]> {
    bytes.try_into().map_err(|_| CryptoError::InvalidLength {
        what,
        expected: LEN,
        actual: bytes.len(),
    })
}

/// Decodes a 32-byte little-endian scalar and requires it to be canonical (`< ℓ`).
///
/// No clamping and no reduction. `what` names the field in the error.
///
/// Errors: `INVALID_LENGTH` if `bytes.len() != 32`; `NON_CANONICAL_SCALAR` if the integer is
/// `≥ ℓ` (RFC 9496 §4 group order ℓ; dalek `Scalar::from_canonical_bytes`).
pub fn decode_scalar(bytes: &[u8], what: &'static str) -> Result<Scalar> {
    let arr = as_array(bytes, what)?;
    Option::from(Scalar::from_canonical_bytes(*arr)).ok_or(CryptoError::NonCanonicalScalar { what })
}

/// Decodes a 32-byte ristretto255 encoding (RFC 9496 §4.3.1). The identity is allowed.
///
/// Errors: `INVALID_LENGTH` if `bytes.len() != 32`; `INVALID_POINT` if the encoding is not
/// canonical (non-canonical field element, negative `s`, non-square, negative `t`, `y = 0`).
pub fn decode_point(bytes: &[u8], what: &'static str) -> Result<RistrettoPoint> {
    let arr = as_array(bytes, what)?;
    CompressedRistretto(*arr)
        .decompress()
        .ok_or(CryptoError::InvalidPoint { what })
}

/// Decodes a 32-byte ristretto255 encoding that must be a key (public key, one-time key,
/// tx public key, commitment, pseudo-output, ring member or key image): as [`decode_point`],
/// and additionally rejects the identity.
///
/// Errors: `INVALID_LENGTH`, `INVALID_POINT` (as [`decode_point`]); `IDENTITY_POINT` for the
/// identity (32 zero bytes, docs/crypto.md §1).
pub fn decode_key(bytes: &[u8], what: &'static str) -> Result<RistrettoPoint> {
    let arr = as_array(bytes, what)?;
    // The identity has exactly one canonical encoding, 32 zero bytes; check it before the
    // (more expensive) decompression.
    if arr.iter().all(|&b| b == 0) {
        return Err(CryptoError::IdentityPoint { what });
    }
    let p = CompressedRistretto(*arr)
        .decompress()
        .ok_or(CryptoError::InvalidPoint { what })?;
    debug_assert!(!p.is_identity());
    Ok(p)
}

/// Decodes a concatenation of 32-byte keys, each checked as by [`decode_key`].
///
/// An empty input gives an empty vector. Errors: `INVALID_LENGTH` if `concat.len()` is not a
/// multiple of 32 (expected = the next multiple of 32); otherwise the first error of
/// [`decode_key`] in order.
pub fn decode_keys(concat: &[u8], what: &'static str) -> Result<Vec<RistrettoPoint>> {
    if concat.len() % LEN != 0 {
        return Err(CryptoError::InvalidLength {
            what,
            expected: concat.len().div_ceil(LEN) * LEN,
            actual: concat.len(),
        });
    }
    concat
        .chunks_exact(LEN)
        .map(|c| decode_key(c, what))
        .collect()
}

/// Encodes a point (RFC 9496 §4.3.2), 32 bytes.
pub fn encode_point(p: &RistrettoPoint) -> [u8; 32] {
    p.compress().to_bytes()
}

/// `2⁻¹ mod ℓ = (ℓ + 1)/2`, 32 bytes little-endian.
const HALF_BYTES: [u8; 32] = [
    0xf7, 0xe9, 0x7a, 0x2e, 0x8d, 0x31, 0x09, 0x2c, 0x6b, 0xce, 0x7b, 0x51, 0xef, 0x7c, 0x6f, 0x0a,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08,
];

/// The scalar `2⁻¹ mod ℓ`.
pub fn half() -> Scalar {
    Scalar::from_bytes_mod_order(HALF_BYTES)
}

#[cfg(test)]
mod tests {
    use super::*;
    use curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT as G;

    const L: [u8; 32] = [
        0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde,
        0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
    ];

    #[test]
    fn scalar_bounds() {
        let mut lm1 = L;
        lm1[0] -= 1;
        assert_eq!(decode_scalar(&lm1, "s").unwrap(), -Scalar::ONE);
        assert_eq!(
            decode_scalar(&L, "s").unwrap_err().code(),
            "NON_CANONICAL_SCALAR"
        );
        assert_eq!(
            decode_scalar(&[0xff; 32], "s").unwrap_err().code(),
            "NON_CANONICAL_SCALAR"
        );
        assert_eq!(
            decode_scalar(&[0; 31], "s").unwrap_err().code(),
            "INVALID_LENGTH"
        );
        assert_eq!(decode_scalar(&[0; 32], "s").unwrap(), Scalar::ZERO);
    }

    #[test]
    fn points() {
        let g = encode_point(&G);
        assert_eq!(decode_point(&g, "p").unwrap(), G);
        assert_eq!(decode_key(&g, "p").unwrap(), G);
        assert!(decode_point(&[0; 32], "p").is_ok());
        assert_eq!(
            decode_key(&[0; 32], "p").unwrap_err().code(),
            "IDENTITY_POINT"
        );
        // s = 1 is negative (odd): invalid.
        let mut one = [0u8; 32];
        one[0] = 1;
        assert_eq!(decode_point(&one, "p").unwrap_err().code(), "INVALID_POINT");
        assert_eq!(
            decode_key(&[0; 33], "p").unwrap_err().code(),
            "INVALID_LENGTH"
        );
        let two = [g, g].concat();
        assert_eq!(decode_keys(&two, "r").unwrap(), vec![G, G]);
        assert_eq!(
            decode_keys(&two[..40], "r").unwrap_err().code(),
            "INVALID_LENGTH"
        );
        assert!(decode_keys(&[], "r").unwrap().is_empty());
    }

    #[test]
    fn half_is_the_inverse_of_two() {
        assert_eq!(half() + half(), Scalar::ONE);
        assert_eq!(half(), Scalar::from(2u8).invert());
    }
}
