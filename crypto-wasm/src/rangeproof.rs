//! Aggregated Bulletproofs+ range proofs, `docs/crypto.md` §6.
//!
//! A range proof shows that each of `m = 1..=16` Pedersen commitments `C_j = r_j·G + v_j·H`
//! (`docs/crypto.md` §3) opens to an amount `v_j ∈ [0, 2^64)`, without revealing `v_j` or `r_j`.
//! The protocol is Bulletproofs+ (Chung, Han, Ju, Kim, Seo, IACR eprint 2020/735): the
//! weighted inner-product argument of §3–§4 and the aggregated range proof of §5; batch
//! verification follows §6 (one multiscalar multiplication for many proofs with random
//! per-proof weights). We wrap the maintained implementation `tari_bulletproofs_plus` 0.5.3,
//! which is built on the same curve25519-dalek 5 as this crate.
//!
//! # Parameters (consensus)
//!
//! - **Bit length** `n = 64`.
//! - **Pedersen generators**: value generator `H = pedersen::generator_h()` and blinding
//!   generator `G` = the ristretto255 base point, extension degree 1. (In the library's
//!   `PedersenGens`, `h_base` is the base that multiplies the *value* and `g_base_vec` the
//!   bases of the *blinding factors*; we set `h_base = H`, `g_base_vec = [G]`, so the library
//!   commits exactly `v·H + r·G` = [`crate::pedersen::commit`]`(v, r)`.)
//! - **Vector generators** `G_i, H_i`: the library's deterministic `BulletproofGens` for
//!   `64` bits × `m'` parties (SHAKE256-based `GeneratorsChain` with labels `"G"‖u32le(j)`,
//!   `"H"‖u32le(j)`; the first `64·m'` generators are the same for every capacity).
//! - **Transcript**: merlin (`tari_merlin` 4) `Transcript::new(b"BAIOS/v1/bulletproof-plus")`,
//!   followed by `append_u64(b"BAIOS-m", m)` — the number of *real* (unpadded) amounts — and
//!   then the library's own statement absorption (domain separator, `H`, `G`, `n`, extension
//!   degree, `m'`, the `m'` commitments, zero minimum-value promises).
//! - **Aggregation and padding**: the library proves `m'` commitments with `m'` a power of two.
//!   A proof for `m` amounts is made for `m' = m.next_power_of_two()` commitments: the `m`
//!   real ones followed by `m' − m` copies of the fixed public **padding commitment**
//!   `P = G` (the commitment to value 0 with mask 1, `0·H + 1·G`). The verifier appends the
//!   same `m' − m` copies of `G`, so padding is never transmitted. Binding `m` into the
//!   transcript makes a proof for `m` amounts useless as a proof for `m'` amounts whose tail
//!   happens to be `G` (and vice versa).
//! - **No minimum-value promises and no mask recovery** (library features we do not use).
//!
//! # Proof encoding
//!
//! The library's canonical serialisation **without its leading extension-degree byte**
//! (always `0x01` for us, so we drop it and re-add it when decoding):
//!
//! ```text
//! d1 (32) ‖ A (32) ‖ A1 (32) ‖ B (32) ‖ r1 (32) ‖ s1 (32) ‖ (L_k (32) ‖ R_k (32)) for k = 0..log2(64·m')
//! ```
//!
//! Scalars are canonical little-endian (`< ℓ`), points canonical ristretto255 encodings (the
//! identity is rejected for `A`, `A1`, `B`, `L_k`, `R_k`). The size depends only on `m'`:
//! `32·(6 + 2·log2(64·m'))` bytes —
//!
//! | `m` | `m'` | proof bytes |
//! |---|---|---|
//! | 1 | 1 | 576 |
//! | 2 | 2 | 640 |
//! | 3–4 | 4 | 704 |
//! | 5–8 | 8 | 768 |
//! | 9–16 | 16 | 832 |
//!
//! See [`proof_size`]. A proof of any other length for the given `m` is rejected.
//!
//! # Generator cache
//!
//! The generators and the library's precomputation tables for each `m' ∈ {1, 2, 4, 8, 16}`
//! are built on first use and cached for the life of the process (`OnceLock`). The tables
//! take about 7.7 KiB per vector generator: ≈ 1 MiB for `m' = 1`, ≈ 2 MiB for `m' = 2`,
//! ≈ 15.7 MiB for `m' = 16` (≈ 30 MiB if every size is used).

use std::sync::OnceLock;

use curve25519_dalek::constants::{RISTRETTO_BASEPOINT_COMPRESSED, RISTRETTO_BASEPOINT_POINT};
use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::IsIdentity;
use rand_core::CryptoRng;
use tari_bulletproofs_plus::commitment_opening::CommitmentOpening;
use tari_bulletproofs_plus::generators::pedersen_gens::ExtensionDegree;
use tari_bulletproofs_plus::range_parameters::RangeParameters;
use tari_bulletproofs_plus::range_proof::{RangeProof, VerifyAction};
use tari_bulletproofs_plus::range_statement::RangeStatement;
use tari_bulletproofs_plus::range_witness::RangeWitness;
use tari_bulletproofs_plus::{PedersenGens, Transcript};

use crate::encoding::decode_keys;
use crate::error::{CryptoError, Result};
use crate::pedersen::generator_h;

/// Bit length of every range proof: amounts are proven in `[0, 2^64)`.
pub const BIT_LENGTH: usize = 64;

/// Maximum number of amounts in one aggregated proof.
pub const MAX_AGGREGATION: usize = 16;

/// Merlin transcript label (`docs/crypto.md` §2).
pub const TRANSCRIPT_LABEL: &[u8] = b"BAIOS/v1/bulletproof-plus";

/// Merlin label under which the real number of amounts `m` is appended (`u64`).
pub const AGGREGATION_LABEL: &[u8] = b"BAIOS-m";

/// The fixed public padding commitment `G` (value 0, mask 1), as its 32-byte encoding.
pub const PADDING_COMMITMENT: [u8; 32] = RISTRETTO_BASEPOINT_COMPRESSED.0;

/// Size in bytes of a proof for `m` amounts: `32·(6 + 2·log2(64·m'))` with
/// `m' = m.next_power_of_two()`; 576, 640, 704, 768, 832 bytes for `m'` = 1, 2, 4, 8, 16.
///
/// # Errors
/// `AGGREGATION_SIZE` if `m` is 0 or greater than 16.
pub fn proof_size(m: usize) -> Result<usize> {
    let padded = padded_size(m)?;
    let rounds = (BIT_LENGTH * padded).trailing_zeros() as usize;
    Ok(32 * (6 + 2 * rounds))
}

fn padded_size(m: usize) -> Result<usize> {
    if m == 0 || m > MAX_AGGREGATION {
        return Err(CryptoError::AggregationSize { size: m });
    }
    Ok(m.next_power_of_two())
}

/// Cached range parameters for `m'` parties (index `log2(m')`).
fn params(padded: usize) -> &'static RangeParameters<RistrettoPoint> {
    static CACHE: [OnceLock<RangeParameters<RistrettoPoint>>; 5] = [
        OnceLock::new(),
        OnceLock::new(),
        OnceLock::new(),
        OnceLock::new(),
        OnceLock::new(),
    ];
    let idx = padded.trailing_zeros() as usize;
    CACHE[idx].get_or_init(|| {
        let h = generator_h();
        let pc_gens = PedersenGens {
            h_base: h,
            h_base_compressed: h.compress(),
            g_base_vec: vec![RISTRETTO_BASEPOINT_POINT],
            g_base_compressed_vec: vec![RISTRETTO_BASEPOINT_COMPRESSED],
            extension_degree: ExtensionDegree::DefaultPedersen,
        };
        RangeParameters::init(BIT_LENGTH, padded, pc_gens)
            .expect("64 bits and a power-of-two capacity are valid")
    })
}

/// Builds the cached generator tables for proofs over up to `max_m` amounts (`1..=16`; larger
/// values are clamped) ahead of the first proof, so the first verification a worker thread does
/// is not charged with table construction (≈ 1 MiB of points for `m' = 1`, twice that for
/// `m' = 2`). Idempotent and cheap once built.
pub fn warm_up(max_m: usize) {
    let mut padded = 1;
    while padded <= max_m.clamp(1, MAX_AGGREGATION) {
        params(padded);
        padded *= 2;
    }
}

fn transcript(m: usize) -> Transcript {
    let mut t = Transcript::new(TRANSCRIPT_LABEL);
    t.append_u64(AGGREGATION_LABEL, m as u64);
    t
}

fn bad(reason: &'static str) -> CryptoError {
    CryptoError::InvalidRangeProof { reason }
}

/// Build the library statement for `m` real commitments (padded to `m'`).
fn statement(commitments: &[RistrettoPoint]) -> Result<RangeStatement<RistrettoPoint>> {
    let m = commitments.len();
    let padded = padded_size(m)?;
    let mut all = Vec::with_capacity(padded);
    all.extend_from_slice(commitments);
    all.resize(padded, RISTRETTO_BASEPOINT_POINT);
    RangeStatement::init(params(padded).clone(), all, vec![None; padded], None)
        .map_err(|_| bad("cannot build range statement"))
}

/// Decode our proof bytes for `m` amounts (exact length, then the library's canonical parser).
fn decode_proof(m: usize, proof: &[u8]) -> Result<RangeProof<RistrettoPoint>> {
    if proof.len() != proof_size(m)? {
        return Err(bad(
            "proof has the wrong length for this number of commitments",
        ));
    }
    let mut buf = Vec::with_capacity(proof.len() + 1);
    buf.push(ExtensionDegree::DefaultPedersen as u8);
    buf.extend_from_slice(proof);
    RangeProof::from_bytes(&buf).map_err(|_| bad("proof bytes are not canonical"))
}

fn check_commitments(commitments: &[RistrettoPoint]) -> Result<()> {
    padded_size(commitments.len())?;
    if commitments.iter().any(|c| c.is_identity()) {
        return Err(CryptoError::IdentityPoint { what: "commitment" });
    }
    Ok(())
}

/// Prove that each `values[j]` (atomic units, `u64`) lies in `[0, 2^64)` for the commitments
/// `C_j = masks[j]·G + values[j]·H` (= [`crate::pedersen::commit`]`(values[j], &masks[j])`),
/// aggregated into one Bulletproofs+ proof (eprint 2020/735 §5; padding and transcript in the
/// module docs).
///
/// `rng` supplies the prover's nonces; the library mixes it with the transcript and the
/// witness (merlin `TranscriptRng`), so a weak `rng` does not leak the witness by itself.
/// Use [`crate::rng::os_rng`] in production; a seeded RNG gives reproducible proofs (vectors).
/// The amounts are `u64`, so a value outside `[0, 2^64)` cannot even be expressed.
///
/// Returns the proof bytes ([`proof_size`]`(values.len())` bytes, encoding in the module docs).
///
/// # Errors
/// - `AGGREGATION_SIZE`: `values.len()` is 0 or greater than 16, or `masks.len()` differs;
/// - `INVALID_RANGE_PROOF`: the library failed to prove (not expected for valid inputs).
pub fn prove<R: CryptoRng>(values: &[u64], masks: &[Scalar], rng: &mut R) -> Result<Vec<u8>> {
    let m = values.len();
    let padded = padded_size(m)?;
    if masks.len() != m {
        return Err(CryptoError::AggregationSize { size: masks.len() });
    }
    let commitments: Vec<RistrettoPoint> = values
        .iter()
        .zip(masks)
        .map(|(&v, r)| crate::pedersen::commit(v, r))
        .collect();
    let stmt = statement(&commitments)?;
    let mut openings: Vec<CommitmentOpening> = values
        .iter()
        .zip(masks)
        .map(|(&v, r)| CommitmentOpening::new(v, vec![*r]))
        .collect();
    openings.resize_with(padded, || CommitmentOpening::new(0, vec![Scalar::ONE]));
    let witness = RangeWitness::init(openings).map_err(|_| bad("invalid witness"))?;
    let proof = RangeProof::prove_with_rng(&mut transcript(m), &stmt, &witness, rng)
        .map_err(|_| bad("proving failed"))?;
    let bytes = proof.to_bytes();
    // Drop the extension-degree byte (always 1).
    Ok(bytes[1..].to_vec())
}

/// Verify a proof for the commitments `commitments` (1..=16 points, in the order they were
/// proven) (eprint 2020/735 §5, verified as a batch of one).
///
/// # Errors
/// - `AGGREGATION_SIZE`: 0 or more than 16 commitments;
/// - `IDENTITY_POINT`: a commitment is the identity;
/// - `INVALID_RANGE_PROOF`: the proof has the wrong length for `commitments.len()`
///   ([`proof_size`]), contains a non-canonical scalar or point, or does not verify.
pub fn verify(commitments: &[RistrettoPoint], proof: &[u8]) -> Result<()> {
    check_commitments(commitments)?;
    let p = decode_proof(commitments.len(), proof)?;
    let stmt = statement(commitments)?;
    RangeProof::verify_batch(
        &mut [transcript(commitments.len())],
        &[stmt],
        &[p],
        VerifyAction::VerifyOnly,
    )
    .map(|_| ())
    .map_err(|_| bad("range proof does not verify"))
}

/// Decode concatenated 32-byte commitment encodings, rejecting non-canonical and identity
/// encodings.
///
/// # Errors
/// `INVALID_LENGTH` (length not a multiple of 32), `AGGREGATION_SIZE` (0 or more than 16),
/// `INVALID_POINT`, `IDENTITY_POINT`.
pub fn decode_commitments(commitments_concat: &[u8]) -> Result<Vec<RistrettoPoint>> {
    if commitments_concat.len() % 32 == 0 {
        padded_size(commitments_concat.len() / 32)?;
    }
    decode_keys(commitments_concat, "commitment")
}

/// [`verify`] on encoded commitments: `commitments_concat` is `32·m` bytes, the
/// concatenation of the `m` commitments' ristretto255 encodings (decoded with
/// [`decode_commitments`]), and `proof` the proof bytes.
///
/// # Errors
/// Those of [`decode_commitments`] and [`verify`].
pub fn verify_bytes(commitments_concat: &[u8], proof: &[u8]) -> Result<()> {
    let commitments = decode_commitments(commitments_concat)?;
    verify(&commitments, proof)
}

/// Batch-verify many proofs, each `(commitments, proof bytes)`, with one multiscalar
/// multiplication (eprint 2020/735 §6 batching; the library chunks batches above 256 proofs).
/// Each proof's verification equation is weighted by a nonzero scalar derived from all the
/// proofs' transcripts (the library's deterministic weight transcript), so an invalid proof
/// makes the combined check fail except with probability about `1/ℓ`.
///
/// An empty batch is accepted (nothing to check).
///
/// # Errors
/// The first failing item's error as [`verify`] would report it, in the batch order: a
/// structural error (`AGGREGATION_SIZE`, `IDENTITY_POINT`, `INVALID_RANGE_PROOF` for a
/// malformed proof) is found before any curve arithmetic; if the combined check fails, the
/// items are re-verified one by one and the error of the first invalid item is returned.
/// Use [`batch_verify_index`] to learn the index.
pub fn batch_verify(items: &[(Vec<RistrettoPoint>, Vec<u8>)]) -> Result<()> {
    batch_verify_index(items).map_err(|(_, e)| e)
}

/// [`batch_verify`], returning on failure the index (into `items`) of the first invalid item
/// together with its error.
///
/// # Errors
/// `(index, error)` of the first invalid item; see [`batch_verify`].
pub fn batch_verify_index(
    items: &[(Vec<RistrettoPoint>, Vec<u8>)],
) -> core::result::Result<(), (usize, CryptoError)> {
    if items.is_empty() {
        return Ok(());
    }
    let mut statements = Vec::with_capacity(items.len());
    let mut proofs = Vec::with_capacity(items.len());
    let mut transcripts = Vec::with_capacity(items.len());
    for (i, (commitments, proof)) in items.iter().enumerate() {
        let decoded = check_commitments(commitments)
            .and_then(|()| decode_proof(commitments.len(), proof))
            .and_then(|p| Ok((p, statement(commitments)?)));
        let (p, s) = decoded.map_err(|e| (i, e))?;
        proofs.push(p);
        statements.push(s);
        transcripts.push(transcript(commitments.len()));
    }
    if RangeProof::verify_batch(
        &mut transcripts,
        &statements,
        &proofs,
        VerifyAction::VerifyOnly,
    )
    .is_ok()
    {
        return Ok(());
    }
    // Locate the culprit.
    for (i, (commitments, proof)) in items.iter().enumerate() {
        verify(commitments, proof).map_err(|e| (i, e))?;
    }
    // Unreachable unless the batch and the single checks disagree; fail closed.
    Err((0, bad("range proof batch does not verify")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pedersen::commit;
    use crate::rng::seeded_rng;

    #[test]
    fn sizes() {
        let expect = [
            (1, 576),
            (2, 640),
            (3, 704),
            (4, 704),
            (5, 768),
            (8, 768),
            (9, 832),
            (16, 832),
        ];
        for (m, size) in expect {
            assert_eq!(proof_size(m).unwrap(), size);
        }
        assert!(proof_size(0).is_err());
        assert!(proof_size(17).is_err());
    }

    #[test]
    fn round_trip_m3() {
        let mut rng = seeded_rng([1; 32]);
        let values = [0u64, 5, u64::MAX];
        let masks = [Scalar::from(3u64), Scalar::from(4u64), Scalar::from(5u64)];
        let proof = prove(&values, &masks, &mut rng).unwrap();
        assert_eq!(proof.len(), 704);
        let cs: Vec<_> = values
            .iter()
            .zip(&masks)
            .map(|(&v, r)| commit(v, r))
            .collect();
        verify(&cs, &proof).unwrap();
        let mut wrong = cs.clone();
        wrong[1] = commit(6, &masks[1]);
        assert_eq!(
            verify(&wrong, &proof).unwrap_err().code(),
            "INVALID_RANGE_PROOF"
        );
    }
}
