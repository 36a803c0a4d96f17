//! Transaction proof-of-work (Tx-PoW), `docs/crypto.md` §7.
//!
//! Every transaction carries a small proof of work that makes spam cost CPU time on the
//! sender's device. The construction is one SHA3-256 (FIPS 202 §6.1) per attempt:
//!
//! ```text
//! header   = txid (32 bytes) ‖ u64le(nonce)                       40 bytes
//! pow_hash = SHA3-256( u8(14) ‖ "BAIOS/v1/txpow" ‖ header )       32 bytes
//! valid    ⇔ pow_hash ≤ target    (both read as 256-bit big-endian integers)
//! ```
//!
//! The hashed message is 55 bytes, less than the SHA3-256 rate (136 bytes), so each attempt
//! is exactly one Keccak-f\[1600\] permutation. The expected number of attempts for a target
//! `T` is `2^256 / (T + 1)` ([`expected_hashes`]).

use sha3::{Digest, Sha3_256};

use crate::error::{CryptoError, Result};

/// Domain-separation tag of the Tx-PoW hash (`docs/crypto.md` §2), hashed with a one-byte
/// length prefix.
pub const TAG: &[u8; 14] = b"BAIOS/v1/txpow";

/// Expected number of hashes for [`DEFAULT_TARGET`]: 800 000.
///
/// Calibration, measured with `./scripts/bench` on the 2-core reference machine, idle: the
/// WebAssembly mining loop (`txpow_mine` through `@baios/crypto`, Node 22) runs at
/// **≈ 1.10 million hashes/s** (0.9 µs per hash, one Keccak-f\[1600\] each; native ≈ 2.2 M/s).
/// The number of attempts until success is geometric with mean `E`, so the median time is
/// `ln 2 · E / rate = 0.693 · 800 000 / 1.10e6 ≈ 0.50 s` — the whitepaper's half second for a
/// phone. The mean is `E / rate ≈ 0.73 s` and the 99th percentile `ln 100 · E / rate ≈ 3.3 s`.
/// `bench/` re-measures the rate and prints the resulting median on every run.
///
/// Rejected speed-up: hashing a prepared 136-byte block with raw Keccak-f\[1600\] (`keccak`
/// 0.2) measured ≈ 7 % *slower* than the `sha3` 0.11 API, and cloning a pre-absorbed `Sha3_256`
/// for the 47-byte constant prefix ≈ 10 % slower than a fresh hasher (the prefix is shorter
/// than one block, so pre-absorbing saves no permutation), so [`mine`] simply calls
/// [`pow_hash`].
pub const DEFAULT_EXPECTED_HASHES: u64 = 800_000;

/// Default Tx-PoW target, 32 bytes big-endian: `floor(2^256 / 800 000) − 1`
/// (`00 00 14 f8 b5 88 e3 68 f0 …`), i.e. [`target_from_expected_hashes`]`(`[`DEFAULT_EXPECTED_HASHES`]`)`.
/// Mining takes a median of about 0.5 s in WebAssembly; see [`DEFAULT_EXPECTED_HASHES`] for
/// the calibration.
pub const DEFAULT_TARGET: [u8; 32] = target_from_expected_hashes(DEFAULT_EXPECTED_HASHES);

/// The Tx-PoW hash `SHA3-256(u8(14) ‖ "BAIOS/v1/txpow" ‖ txid ‖ u64le(nonce))`
/// (`docs/crypto.md` §7; SHA3-256 per FIPS 202 §6.1).
///
/// `txid` is the 32-byte transaction id; the result is 32 bytes, to be compared to a target
/// as a big-endian integer with [`meets_target`].
pub fn pow_hash(txid: &[u8; 32], nonce: u64) -> [u8; 32] {
    let mut h = Sha3_256::new();
    h.update([TAG.len() as u8]);
    h.update(TAG);
    h.update(txid);
    h.update(nonce.to_le_bytes());
    h.finalize().into()
}

/// `true` iff `hash ≤ target`, both read as 256-bit **big-endian** unsigned integers.
///
/// Byte-wise lexicographic comparison of two 32-byte arrays is exactly the big-endian
/// integer comparison. Not constant time (the inputs are public).
pub fn meets_target(hash: &[u8; 32], target: &[u8; 32]) -> bool {
    hash <= target
}

/// Verify the Tx-PoW of a transaction: `pow_hash(txid, nonce) ≤ target`.
///
/// # Errors
/// `POW_INSUFFICIENT` ([`CryptoError::PowInsufficient`]) if the hash is above the target.
pub fn verify(txid: &[u8; 32], nonce: u64, target: &[u8; 32]) -> Result<()> {
    if meets_target(&pow_hash(txid, nonce), target) {
        Ok(())
    } else {
        Err(CryptoError::PowInsufficient)
    }
}

/// Search for a nonce with `pow_hash(txid, nonce) ≤ target`, trying at most `max_iterations`
/// nonces `start_nonce, start_nonce + 1, …` (wrapping modulo 2^64).
///
/// Returns the first nonce found, or `None` if none of the tried nonces works; the caller
/// then continues with `start_nonce + max_iterations`. The bound lets a caller (for example a
/// WebAssembly wallet on the UI thread or in a worker) report progress and cancel between
/// calls. Each attempt is one [`pow_hash`].
pub fn mine(
    txid: &[u8; 32],
    target: &[u8; 32],
    start_nonce: u64,
    max_iterations: u64,
) -> Option<u64> {
    let mut nonce = start_nonce;
    for _ in 0..max_iterations {
        if meets_target(&pow_hash(txid, nonce), target) {
            return Some(nonce);
        }
        nonce = nonce.wrapping_add(1);
    }
    None
}

/// The target for which mining takes `expected` hashes on average:
/// `floor(2^256 / expected) − 1`, as 32 bytes big-endian.
///
/// Saturating: `expected ≤ 1` gives the maximum target `2^256 − 1` (every hash is valid).
/// For `expected ≥ 1`, [`expected_hashes`] of the result is `≥ expected` and within one part
/// in `2^192` of it. A `const fn`, so targets can be pinned at compile time.
pub const fn target_from_expected_hashes(expected: u64) -> [u8; 32] {
    if expected <= 1 {
        return [0xff; 32];
    }
    let d = expected as u128;
    // Long division of 2^256 (limbs, most significant first: 1, 0, 0, 0, 0) by `d`. The
    // quotient fits in 256 bits because d ≥ 2.
    let mut q = [0u64; 4];
    let mut rem: u128 = 1; // the leading limb "1" of 2^256, already < d
    let mut i = 0;
    while i < 4 {
        let cur = rem << 64; // next limb is 0
        q[i] = (cur / d) as u64;
        rem = cur % d;
        i += 1;
    }
    // Subtract 1 (q ≥ 2^192 > 0, so no underflow of the whole number).
    let mut j = 4;
    while j > 0 {
        j -= 1;
        if q[j] == 0 {
            q[j] = u64::MAX;
        } else {
            q[j] -= 1;
            break;
        }
    }
    let mut out = [0u8; 32];
    let mut k = 0;
    while k < 4 {
        let bytes = q[k].to_be_bytes();
        let mut b = 0;
        while b < 8 {
            out[k * 8 + b] = bytes[b];
            b += 1;
        }
        k += 1;
    }
    out
}

/// Expected number of hashes to mine against `target` (32 bytes big-endian):
/// `2^256 / (target + 1)`, as an `f64` (relative error about `2^-52`).
///
/// The median number of attempts is `≈ ln 2 ·` this value (geometric distribution).
pub fn expected_hashes(target: &[u8; 32]) -> f64 {
    // target + 1 as f64; adding 1 only matters for tiny targets, where f64 is exact.
    let mut t = 0f64;
    for &b in target {
        t = t * 256.0 + f64::from(b);
    }
    2f64.powi(256) / (t + 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_target_is_floor_2_256_over_800000_minus_one() {
        // Computed independently with Python: (2**256 // 800_000 - 1).to_bytes(32, "big").
        let expect = "000014f8b588e368f08461f9f01b866e43aa79bbadc0980b242070b8cfbfc653";
        let got: String = DEFAULT_TARGET.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(got, expect);
        assert!((expected_hashes(&DEFAULT_TARGET) - 800_000.0).abs() < 1.0);
    }

    #[test]
    fn target_edges() {
        assert_eq!(target_from_expected_hashes(0), [0xff; 32]);
        assert_eq!(target_from_expected_hashes(1), [0xff; 32]);
        // 2^256 / 2 − 1 = 2^255 − 1
        let mut t = [0xffu8; 32];
        t[0] = 0x7f;
        assert_eq!(target_from_expected_hashes(2), t);
        // 2^256 / 3 = 0x5555…55 (floor), minus 1 → …54
        let mut t = [0x55u8; 32];
        t[31] = 0x54;
        assert_eq!(target_from_expected_hashes(3), t);
    }
}
