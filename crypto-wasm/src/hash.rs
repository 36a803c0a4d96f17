//! The one hashing helper of the crate: tagged SHA-512, hash-to-scalar and RFC 9380
//! hash-to-point on ristretto255 (docs/crypto.md §2).
//!
//! ```text
//! H64(tag, data) = SHA-512( u8(len(tag)) ‖ tag ‖ data )             64 bytes
//! Hs(tag, data)  = H64(tag, data) little-endian mod ℓ               wide reduction
//! hash_to_point(DST, msg) = one_way_map(expand_message_xmd(msg, DST, 64))
//! ```

use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use sha2::{Digest, Sha512};

use crate::error::{CryptoError, Result};

/// Every domain-separation tag and DST of docs/crypto.md §2 (ASCII byte strings).
pub mod tags {
    /// DST of the Pedersen value generator `H = hash_to_point(PEDERSEN_H, enc(G))` (§3).
    pub const PEDERSEN_H: &[u8] = b"BAIOS-v1-PedersenH_ristretto255_XMD:SHA-512_R255MAP_RO_";
    /// DST of the key-image base `Hp(P) = hash_to_point(KEY_IMAGE, enc(P))` (§5).
    pub const KEY_IMAGE: &[u8] = b"BAIOS-v1-KeyImage_ristretto255_XMD:SHA-512_R255MAP_RO_";
    /// Tag of the wallet spend key `b = Hs(SPEND_KEY, seed32)` (§4).
    pub const SPEND_KEY: &[u8] = b"BAIOS/v1/spend-key";
    /// Tag of the wallet view key `a = Hs(VIEW_KEY, enc(b))` (§4).
    pub const VIEW_KEY: &[u8] = b"BAIOS/v1/view-key";
    /// Tag of the output derivation scalar `s_i = Hs(DERIVE, enc(D) ‖ u64le(i))` (§4).
    pub const DERIVE: &[u8] = b"BAIOS/v1/derive";
    /// Tag of the view tag `t_i = H64(VIEW_TAG, enc(D) ‖ u64le(i))[0]` (§4).
    pub const VIEW_TAG: &[u8] = b"BAIOS/v1/view-tag";
    /// Tag of the amount mask `H64(AMOUNT, enc(s_i))[0..8]` (§4).
    pub const AMOUNT: &[u8] = b"BAIOS/v1/amount";
    /// Tag of the commitment mask `y_i = Hs(COMMITMENT_MASK, enc(s_i))` (§4).
    pub const COMMITMENT_MASK: &[u8] = b"BAIOS/v1/commitment-mask";
    /// Tag of the MLSAG ring digest `μ` (§5).
    pub const MLSAG_RING: &[u8] = b"BAIOS/v1/mlsag-ring";
    /// Tag of the MLSAG challenge `c(L1, R1, L2)` (§5).
    pub const MLSAG_CHALLENGE: &[u8] = b"BAIOS/v1/mlsag-challenge";
    /// Merlin transcript label of the Bulletproofs+ range proofs (§6).
    pub const BULLETPROOF_PLUS: &[u8] = b"BAIOS/v1/bulletproof-plus";
    /// Tag of the Tx-PoW hash (§7).
    pub const TXPOW: &[u8] = b"BAIOS/v1/txpow";
    /// Tag of the subaddress scalar `m = Hs(SUBADDRESS, enc(a) ‖ u32le(i) ‖ u32le(j))` (§11).
    pub const SUBADDRESS: &[u8] = b"BAIOS/v1/subaddress";
    /// Tag of the outgoing-payment (tx) proof challenge (§12.1).
    pub const TX_PROOF: &[u8] = b"BAIOS/v1/tx-proof";
    /// Tag of the key-image proof challenge (§12.2).
    pub const KEY_IMAGE_PROOF: &[u8] = b"BAIOS/v1/key-image-proof";
    /// Tag of the reserve-proof derivation proof challenge (§12.3).
    pub const RESERVE_PROOF: &[u8] = b"BAIOS/v1/reserve-proof";
}

fn tagged_sha512(tag: &[u8], parts: &[&[u8]]) -> Sha512 {
    let len = u8::try_from(tag.len()).expect("hash tag longer than 255 bytes");
    let mut h = Sha512::new();
    h.update([len]);
    h.update(tag);
    for p in parts {
        h.update(p);
    }
    h
}

/// `H64(tag, data) = SHA-512(u8(len(tag)) ‖ tag ‖ data)` (FIPS 180-4; docs/crypto.md §2), where
/// `data` is the concatenation of `parts`. Returns 64 bytes.
///
/// # Panics
/// If `tag` is longer than 255 bytes (tags are the compile-time constants of [`tags`]).
pub fn h64(tag: &[u8], parts: &[&[u8]]) -> [u8; 64] {
    tagged_sha512(tag, parts).finalize().into()
}

/// `Hs(tag, data)`: [`h64`] read as a 512-bit little-endian integer and reduced mod ℓ (wide
/// reduction, statistically uniform; docs/crypto.md §2). Returns a canonical scalar.
///
/// # Panics
/// If `tag` is longer than 255 bytes.
pub fn hash_to_scalar(tag: &[u8], parts: &[&[u8]]) -> Scalar {
    Scalar::from_bytes_mod_order_wide(&h64(tag, parts))
}

/// `expand_message_xmd(msg, DST, len_in_bytes)` with `H = SHA-512` (b = 64, r = 128 bytes),
/// RFC 9380 §5.3.1. Returns `len` uniform bytes.
///
/// Errors: `INVALID_DST` if `dst` is empty or longer than 255 bytes (we do not implement the
/// RFC 9380 §5.3.3 oversize-DST hashing; docs/crypto.md §2); `INVALID_LENGTH` if `len > 65535`
/// or `ceil(len / 64) > 255` (i.e. `len > 16320`).
pub fn expand_message_xmd(msg: &[u8], dst: &[u8], len: usize) -> Result<Vec<u8>> {
    const B: usize = 64; // SHA-512 output size
    const R: usize = 128; // SHA-512 input block size
    if dst.is_empty() || dst.len() > 255 {
        return Err(CryptoError::InvalidDst);
    }
    let ell = len.div_ceil(B);
    if ell > 255 || len > 65535 {
        return Err(CryptoError::InvalidLength {
            what: "expand_message_xmd output",
            expected: 255 * B,
            actual: len,
        });
    }
    let dst_len = [dst.len() as u8];
    let l_i_b_str = (len as u16).to_be_bytes();
    // b_0 = H(Z_pad ‖ msg ‖ l_i_b_str ‖ I2OSP(0, 1) ‖ DST_prime)
    let b0: [u8; B] = Sha512::new()
        .chain_update([0u8; R])
        .chain_update(msg)
        .chain_update(l_i_b_str)
        .chain_update([0u8])
        .chain_update(dst)
        .chain_update(dst_len)
        .finalize()
        .into();
    let mut out = Vec::with_capacity(ell * B);
    // b_1 = H(b_0 ‖ I2OSP(1, 1) ‖ DST_prime); b_i = H(strxor(b_0, b_{i-1}) ‖ I2OSP(i, 1) ‖ DST_prime)
    let mut prev = [0u8; B];
    for i in 1..=ell {
        let mut x = [0u8; B];
        for k in 0..B {
            x[k] = b0[k] ^ prev[k];
        }
        prev = Sha512::new()
            .chain_update(x)
            .chain_update([i as u8])
            .chain_update(dst)
            .chain_update(dst_len)
            .finalize()
            .into();
        out.extend_from_slice(&prev);
    }
    out.truncate(len);
    Ok(out)
}

/// `hash_to_ristretto255(msg, DST)` (RFC 9380 Appendix B with `expand_message_xmd`/SHA-512,
/// RFC 9496 §4.3.4 one-way map): `from_uniform_bytes(expand_message_xmd(msg, dst, 64))`.
/// The result is never checked against the identity (hitting it is computationally
/// infeasible).
///
/// Errors: `INVALID_DST` if `dst` is empty or longer than 255 bytes.
pub fn hash_to_point(dst: &[u8], msg: &[u8]) -> Result<RistrettoPoint> {
    let u = expand_message_xmd(msg, dst, 64)?;
    let arr: &[u8; 64] = u.as_slice().try_into().expect("64 bytes");
    Ok(RistrettoPoint::from_uniform_bytes(arr))
}

/// `Hp(P) = hash_to_point(DST_KeyImage, enc(P))` from the 32-byte encoding of `P`
/// (docs/crypto.md §5), the base point of key images.
pub fn hash_to_point_key_image(enc_p: &[u8; 32]) -> RistrettoPoint {
    hash_to_point(tags::KEY_IMAGE, enc_p).expect("constant DST is valid")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn h64_layout() {
        let direct: [u8; 64] = Sha512::digest(b"\x03abcxyz").into();
        assert_eq!(h64(b"abc", &[b"x", b"yz"]), direct);
        assert_eq!(h64(b"abc", &[b"xyz"]), direct);
    }

    #[test]
    fn xmd_errors_and_lengths() {
        assert_eq!(
            expand_message_xmd(b"", b"", 32).unwrap_err().code(),
            "INVALID_DST"
        );
        assert_eq!(
            expand_message_xmd(b"", &[b'a'; 256], 32)
                .unwrap_err()
                .code(),
            "INVALID_DST"
        );
        assert!(expand_message_xmd(b"", &[b'a'; 255], 32).is_ok());
        assert_eq!(
            expand_message_xmd(b"", b"d", 255 * 64 + 1)
                .unwrap_err()
                .code(),
            "INVALID_LENGTH"
        );
        assert_eq!(
            expand_message_xmd(b"m", b"d", 255 * 64).unwrap().len(),
            255 * 64
        );
        let long = expand_message_xmd(b"m", b"d", 130).unwrap();
        // Prefix property does not hold (len is hashed in), but lengths are exact.
        assert_eq!(long.len(), 130);
        assert_ne!(
            &expand_message_xmd(b"m", b"d", 32).unwrap()[..],
            &long[..32]
        );
    }

    #[test]
    fn tags_are_prefixed() {
        for t in [
            tags::SPEND_KEY,
            tags::VIEW_KEY,
            tags::DERIVE,
            tags::VIEW_TAG,
            tags::AMOUNT,
            tags::COMMITMENT_MASK,
            tags::MLSAG_RING,
            tags::MLSAG_CHALLENGE,
            tags::BULLETPROOF_PLUS,
            tags::TXPOW,
        ] {
            assert!(t.starts_with(b"BAIOS/v1/"));
        }
    }
}
