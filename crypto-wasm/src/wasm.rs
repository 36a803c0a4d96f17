//! The WebAssembly boundary (wasm-bindgen exports).
//!
//! Only bytes (`&[u8]` in, `Vec<u8>` out) and numbers (`u32`, `u64` as JS `bigint`, `bool`)
//! cross it. Every function decodes its inputs with the crate's canonical decoders, so the same
//! checks run here as natively. A rejection becomes a JS `Error` whose message is
//! `"CODE: reason"` with a [`CryptoError`] code (docs/crypto.md §9); the TypeScript wrapper
//! (`crypto-wasm/ts/index.ts`) turns it back into a typed `CryptoError`.
//!
//! Randomness: functions that need it take `seed: Option<Vec<u8>>`. `None` uses getrandom's JS
//! source (`crypto.getRandomValues`); `Some(32 bytes)` uses ChaCha20 seeded from it, for
//! reproducible test vectors.
//!
//! Packed layouts used by this file (all little-endian):
//! - `make_output` → `P(32) ‖ C(32) ‖ view_tag(1) ‖ enc_amount(8) ‖ mask(32)` = 105 bytes;
//! - `scan_outputs` input: per output `P(32) ‖ C(32) ‖ view_tag(1) ‖ enc_amount(8)` = 73 bytes;
//!   output: per owned output `u32 index ‖ u64 amount ‖ mask(32)` = 44 bytes;
//! - `wallet_keys_from_seed` → `a ‖ b ‖ A ‖ B` = 128 bytes.

use crate::encoding::{decode_key, decode_keys, decode_point, decode_scalar, encode_point};
use crate::error::CryptoError;
use crate::ring_cache::RingCache;
use crate::{ed25519, hash, mlsag, pedersen, rangeproof, rng, stealth, txpow};
use core::num::NonZeroUsize;
use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use std::sync::Mutex;
use wasm_bindgen::prelude::*;

type JsResult<T> = core::result::Result<T, JsError>;

fn js(e: CryptoError) -> JsError {
    JsError::new(&e.to_string())
}

fn arr32(bytes: &[u8], what: &'static str) -> JsResult<[u8; 32]> {
    bytes.try_into().map_err(|_| {
        js(CryptoError::InvalidLength {
            what,
            expected: 32,
            actual: bytes.len(),
        })
    })
}

/// Runs `$body` with the injected RNG bound to `$r`: seeded ChaCha20 when `$seed` is
/// `Some(32 bytes)`, else getrandom's JS source.
macro_rules! rng_call {
    ($seed:expr, |$r:ident| $body:expr) => {{
        match $seed {
            Some(s) => {
                let mut $r = rng::seeded_rng(arr32(&s, "seed")?);
                $body
            }
            None => {
                let mut $r = rng::os_rng();
                $body
            }
        }
    }};
}

fn scalar(bytes: &[u8], what: &'static str) -> JsResult<Scalar> {
    decode_scalar(bytes, what).map_err(js)
}
fn key(bytes: &[u8], what: &'static str) -> JsResult<RistrettoPoint> {
    decode_key(bytes, what).map_err(js)
}

// ------------------------------------------------------------------ scalars, points, hashing

/// A uniformly random canonical scalar (32 bytes).
#[wasm_bindgen]
pub fn scalar_random(seed: Option<Vec<u8>>) -> JsResult<Vec<u8>> {
    rng_call!(seed, |r| Ok(Scalar::random(&mut r).to_bytes().to_vec()))
}

/// Checks a 32-byte scalar is canonical. Errors: `INVALID_LENGTH`, `NON_CANONICAL_SCALAR`.
#[wasm_bindgen]
pub fn scalar_check(s: &[u8]) -> JsResult<()> {
    scalar(s, "scalar").map(|_| ())
}

/// Checks a 32-byte ristretto255 encoding; the identity only if `allow_identity`.
/// Errors: `INVALID_LENGTH`, `INVALID_POINT`, `IDENTITY_POINT`.
#[wasm_bindgen]
pub fn point_check(p: &[u8], allow_identity: bool) -> JsResult<()> {
    if allow_identity {
        decode_point(p, "point").map(|_| ()).map_err(js)
    } else {
        key(p, "point").map(|_| ())
    }
}

/// `a + b mod ℓ` (32-byte scalars). Errors: `NON_CANONICAL_SCALAR`, `INVALID_LENGTH`.
#[wasm_bindgen]
pub fn scalar_add(a: &[u8], b: &[u8]) -> JsResult<Vec<u8>> {
    Ok((scalar(a, "a")? + scalar(b, "b")?).to_bytes().to_vec())
}

/// `a − b mod ℓ` (32-byte scalars). Errors: `NON_CANONICAL_SCALAR`, `INVALID_LENGTH`.
#[wasm_bindgen]
pub fn scalar_sub(a: &[u8], b: &[u8]) -> JsResult<Vec<u8>> {
    Ok((scalar(a, "a")? - scalar(b, "b")?).to_bytes().to_vec())
}

/// `s·G` (32 bytes). Errors: `NON_CANONICAL_SCALAR`, `INVALID_LENGTH`.
#[wasm_bindgen]
pub fn scalar_mult_base(s: &[u8]) -> JsResult<Vec<u8>> {
    Ok(encode_point(&RistrettoPoint::mul_base(&scalar(s, "scalar")?)).to_vec())
}

/// `s·P` (32 bytes); `P` may be the identity. Errors: scalar and point decoding errors.
#[wasm_bindgen]
pub fn scalar_mult(s: &[u8], p: &[u8]) -> JsResult<Vec<u8>> {
    let p = decode_point(p, "point").map_err(js)?;
    Ok(encode_point(&(scalar(s, "scalar")? * p)).to_vec())
}

/// `P + Q` (32 bytes). Errors: point decoding errors.
#[wasm_bindgen]
pub fn point_add(p: &[u8], q: &[u8]) -> JsResult<Vec<u8>> {
    let (p, q) = (
        decode_point(p, "p").map_err(js)?,
        decode_point(q, "q").map_err(js)?,
    );
    Ok(encode_point(&(p + q)).to_vec())
}

/// `P − Q` (32 bytes). Errors: point decoding errors.
#[wasm_bindgen]
pub fn point_sub(p: &[u8], q: &[u8]) -> JsResult<Vec<u8>> {
    let (p, q) = (
        decode_point(p, "p").map_err(js)?,
        decode_point(q, "q").map_err(js)?,
    );
    Ok(encode_point(&(p - q)).to_vec())
}

/// `H64(tag, data)` (64 bytes, docs/crypto.md §2).
#[wasm_bindgen]
pub fn h64(tag: &[u8], data: &[u8]) -> Vec<u8> {
    hash::h64(tag, &[data]).to_vec()
}

/// `Hs(tag, data)` (32-byte scalar, docs/crypto.md §2).
#[wasm_bindgen]
pub fn hash_to_scalar(tag: &[u8], data: &[u8]) -> Vec<u8> {
    hash::hash_to_scalar(tag, &[data]).to_bytes().to_vec()
}

/// RFC 9380 hash_to_ristretto255 (32 bytes). Errors: `INVALID_DST`.
#[wasm_bindgen]
pub fn hash_to_point(dst: &[u8], msg: &[u8]) -> JsResult<Vec<u8>> {
    Ok(encode_point(&hash::hash_to_point(dst, msg).map_err(js)?).to_vec())
}

// ------------------------------------------------------------------ Pedersen

/// The value generator `H` (32 bytes, docs/crypto.md §3).
#[wasm_bindgen]
pub fn generator_h() -> Vec<u8> {
    encode_point(&pedersen::generator_h()).to_vec()
}

/// `C = mask·G + value·H` (32 bytes); `value` in atomic units. Errors: mask decoding.
#[wasm_bindgen]
pub fn pedersen_commit(value: u64, mask: &[u8]) -> JsResult<Vec<u8>> {
    Ok(encode_point(&pedersen::commit(value, &scalar(mask, "mask")?)).to_vec())
}

/// `Σ pseudo_outs == Σ outputs + fee·H` over concatenated 32-byte commitments.
/// Errors: `INVALID_LENGTH`, `INVALID_POINT`, `IDENTITY_POINT`.
#[wasm_bindgen]
pub fn balance_check(pseudo_outs: &[u8], outputs: &[u8], fee: u64) -> JsResult<bool> {
    let p = decode_keys(pseudo_outs, "pseudo-output").map_err(js)?;
    let o = decode_keys(outputs, "output commitment").map_err(js)?;
    Ok(pedersen::balance_check(&p, &o, fee))
}

// ------------------------------------------------------------------ range proofs

/// Bulletproofs+ over `values` (1..=16 amounts, atomic units) with 32-byte `masks`
/// concatenated. Returns the proof bytes. Errors: `AGGREGATION_SIZE`, mask decoding.
#[wasm_bindgen]
pub fn range_prove(values: &[u64], masks: &[u8], seed: Option<Vec<u8>>) -> JsResult<Vec<u8>> {
    if masks.len() != values.len() * 32 {
        return Err(js(CryptoError::InvalidLength {
            what: "masks",
            expected: values.len() * 32,
            actual: masks.len(),
        }));
    }
    let masks = masks
        .chunks_exact(32)
        .map(|m| scalar(m, "mask"))
        .collect::<JsResult<Vec<_>>>()?;
    rng_call!(seed, |r| rangeproof::prove(values, &masks, &mut r)
        .map_err(js))
}

/// Builds the range-proof generator tables for up to `max_m` amounts now rather than on the
/// first proof (call once per worker thread at start-up; idempotent).
#[wasm_bindgen]
pub fn range_warm_up(max_m: u32) {
    rangeproof::warm_up(max_m as usize);
}

/// Verifies one proof against concatenated 32-byte commitments.
/// Errors: `INVALID_RANGE_PROOF`, `AGGREGATION_SIZE`, commitment decoding.
#[wasm_bindgen]
pub fn range_verify(commitments: &[u8], proof: &[u8]) -> JsResult<()> {
    rangeproof::verify_bytes(commitments, proof).map_err(js)
}

/// Batch-verifies proofs: `counts[i]` commitments and `proof_lens[i]` proof bytes for item `i`,
/// taken in order from the concatenations. On failure the reason names `item <index>`.
#[wasm_bindgen]
pub fn range_batch_verify(
    counts: &[u32],
    commitments: &[u8],
    proof_lens: &[u32],
    proofs: &[u8],
) -> JsResult<()> {
    if counts.len() != proof_lens.len() {
        return Err(js(CryptoError::AggregationSize { size: counts.len() }));
    }
    let (mut c_off, mut p_off) = (0usize, 0usize);
    let mut items = Vec::with_capacity(counts.len());
    for (i, (&n, &len)) in counts.iter().zip(proof_lens).enumerate() {
        let (n, len) = (n as usize * 32, len as usize);
        let (Some(c), Some(p)) = (
            commitments.get(c_off..c_off + n),
            proofs.get(p_off..p_off + len),
        ) else {
            return Err(JsError::new(&format!(
                "INVALID_LENGTH: item {i} runs past the concatenated input"
            )));
        };
        let c = rangeproof::decode_commitments(c)
            .map_err(|e| JsError::new(&format!("{e} (item {i})")))?;
        items.push((c, p.to_vec()));
        (c_off, p_off) = (c_off + n, p_off + len);
    }
    if c_off != commitments.len() || p_off != proofs.len() {
        return Err(JsError::new(
            "INVALID_LENGTH: trailing bytes after the last item",
        ));
    }
    rangeproof::batch_verify_index(&items)
        .map_err(|(i, e)| JsError::new(&format!("{e} (item {i})")))
}

// ------------------------------------------------------------------ Tx-PoW

/// The calibrated default Tx-PoW target (32 bytes, big-endian).
#[wasm_bindgen]
pub fn txpow_default_target() -> Vec<u8> {
    txpow::DEFAULT_TARGET.to_vec()
}

/// `SHA3-256(u8(14) ‖ "BAIOS/v1/txpow" ‖ txid ‖ u64le(nonce))` (32 bytes).
#[wasm_bindgen]
pub fn txpow_hash(txid: &[u8], nonce: u64) -> JsResult<Vec<u8>> {
    Ok(txpow::pow_hash(&arr32(txid, "txid")?, nonce).to_vec())
}

/// Errors: `POW_INSUFFICIENT` when the hash is above `target`; `INVALID_LENGTH`.
#[wasm_bindgen]
pub fn txpow_verify(txid: &[u8], nonce: u64, target: &[u8]) -> JsResult<()> {
    txpow::verify(&arr32(txid, "txid")?, nonce, &arr32(target, "target")?).map_err(js)
}

/// The first nonce in `start..start+max_iterations` that meets `target`, if any.
#[wasm_bindgen]
pub fn txpow_mine(
    txid: &[u8],
    target: &[u8],
    start: u64,
    max_iterations: u64,
) -> JsResult<Option<u64>> {
    Ok(txpow::mine(
        &arr32(txid, "txid")?,
        &arr32(target, "target")?,
        start,
        max_iterations,
    ))
}

// ------------------------------------------------------------------ Ed25519

/// Ed25519 public key (32 bytes) of a 32-byte seed (RFC 8032 §5.1.5).
#[wasm_bindgen]
pub fn ed25519_public_key(seed: &[u8]) -> JsResult<Vec<u8>> {
    Ok(ed25519::public_key(&arr32(seed, "seed")?).to_vec())
}

/// Ed25519 signature (64 bytes) of `msg` (RFC 8032 §5.1.6).
#[wasm_bindgen]
pub fn ed25519_sign(seed: &[u8], msg: &[u8]) -> JsResult<Vec<u8>> {
    Ok(ed25519::sign(&arr32(seed, "seed")?, msg).to_vec())
}

/// Strict Ed25519 verification. Errors: `INVALID_SIGNATURE`, `WEAK_KEY`, `INVALID_POINT`,
/// `INVALID_LENGTH`.
#[wasm_bindgen]
pub fn ed25519_verify(public_key: &[u8], msg: &[u8], sig: &[u8]) -> JsResult<()> {
    ed25519::verify(public_key, msg, sig).map_err(js)
}

// ------------------------------------------------------------------ keys and stealth addresses

/// Wallet keys from a 32-byte seed: `a ‖ b ‖ A ‖ B` (128 bytes, docs/crypto.md §4).
#[wasm_bindgen]
pub fn wallet_keys_from_seed(seed: &[u8]) -> JsResult<Vec<u8>> {
    let k = stealth::keys_from_seed(&arr32(seed, "seed")?);
    let mut out = Vec::with_capacity(128);
    out.extend_from_slice(&k.view_secret.to_bytes());
    out.extend_from_slice(&k.spend_secret.to_bytes());
    out.extend_from_slice(&encode_point(&k.view_public));
    out.extend_from_slice(&encode_point(&k.spend_public));
    Ok(out)
}

/// Output `index` of a transaction with tx secret `r` to address `(A, B)` for `amount` atomic
/// units: `P ‖ C ‖ view_tag ‖ enc_amount ‖ mask` (105 bytes). Errors: key decoding.
#[wasm_bindgen]
pub fn make_output(
    tx_secret: &[u8],
    view_public: &[u8],
    spend_public: &[u8],
    index: u64,
    amount: u64,
) -> JsResult<Vec<u8>> {
    let to = stealth::Address {
        view_public: key(view_public, "view public key")?,
        spend_public: key(spend_public, "spend public key")?,
    };
    let o = stealth::create_output(&scalar(tx_secret, "tx secret key")?, &to, index, amount);
    let mut out = Vec::with_capacity(105);
    out.extend_from_slice(&encode_point(&o.one_time_key));
    out.extend_from_slice(&encode_point(&o.commitment));
    out.push(o.view_tag);
    out.extend_from_slice(&o.encrypted_amount);
    out.extend_from_slice(&o.commitment_mask.to_bytes());
    Ok(out)
}

/// Scans one transaction's outputs (73-byte records `P ‖ C ‖ view_tag ‖ enc_amount`) with the
/// view secret and spend public key, computing `D = a·R` once for the transaction. Returns
/// 76-byte records `u32le index ‖ u64le amount ‖ mask ‖ s` for the outputs that are ours and
/// open their commitments (`s` = the derivation scalar `Hs(enc(D) ‖ u64le(i))`, 32 bytes, so a
/// full wallet gets the one-time secret `x = s + b` without computing `D` again). With `use_view_tags` false every output gets the full derivation (used to
/// measure what view tags save). Errors: key decoding, `INVALID_LENGTH`.
#[wasm_bindgen]
pub fn scan_outputs(
    view_secret: &[u8],
    spend_public: &[u8],
    tx_public: &[u8],
    outputs: &[u8],
    use_view_tags: bool,
) -> JsResult<Vec<u8>> {
    if outputs.len() % 73 != 0 {
        return Err(JsError::new(
            "INVALID_LENGTH: outputs must be 73-byte records",
        ));
    }
    let a = scalar(view_secret, "view secret key")?;
    let b = key(spend_public, "spend public key")?;
    let d = stealth::derivation(&a, &key(tx_public, "tx public key")?);
    let mut found = Vec::new();
    for (i, rec) in outputs.chunks_exact(73).enumerate() {
        let index = i as u64;
        if use_view_tags && stealth::view_tag(&d, index) != rec[64] {
            continue;
        }
        let enc: &[u8; 8] = rec[65..73].try_into().expect("8-byte slice");
        if let Some(got) = stealth::receive_with_derivation(
            &d,
            &b,
            index,
            &key(&rec[..32], "one-time key")?,
            enc,
            &key(&rec[32..64], "commitment")?,
        ) {
            found.extend_from_slice(&(i as u32).to_le_bytes());
            found.extend_from_slice(&got.amount.to_le_bytes());
            found.extend_from_slice(&got.mask.to_bytes());
            found.extend_from_slice(&got.derivation_scalar.to_bytes());
        }
    }
    Ok(found)
}

/// Length of a [`scan_txs`] output record: `P ‖ C ‖ view_tag ‖ enc_amount`.
const SCAN_RECORD: usize = 73;

/// [`scan_outputs`] over many transactions in one call, each with one tx public key: `txs` is
/// the concatenation of `R (32 bytes) ‖ u32le n ‖ n × 73-byte output records` per transaction.
/// When bit 31 of `n` is set the records are coinbase-style outputs with public amounts,
/// `P ‖ C ‖ view_tag ‖ u64le amount`, which are ours when `P` matches and `C = G + amount·H`
/// (mask 1). The shared points `D = a·R` are computed with their encodings batched
/// (`stealth::derivations`: one field inversion for the whole call), the view tag is checked
/// first for every output, and the spend public key is compared only for tag matches. Returns
/// 80-byte records `u32le tx ‖ u32le index ‖ u64le amount ‖ mask ‖ s` (tx = position in `txs`;
/// `s` the derivation scalar, 32 bytes, as in [`scan_outputs`]) for
/// the outputs that are ours and open their commitments, in order; a malformed `P` or `C` is
/// not ours. Errors: key decoding (any `R` invalid fails the whole call), `INVALID_LENGTH` on a
/// truncated record.
#[wasm_bindgen]
pub fn scan_txs(view_secret: &[u8], spend_public: &[u8], txs: &[u8]) -> JsResult<Vec<u8>> {
    const PUBLIC_AMOUNTS: u32 = 1 << 31;
    let a = scalar(view_secret, "view secret key")?;
    let b = key(spend_public, "spend public key")?;
    let mut rs = Vec::new();
    let mut outs: Vec<(&[u8], bool)> = Vec::new();
    let mut rest = txs;
    while !rest.is_empty() {
        let truncated = || JsError::new("INVALID_LENGTH: truncated scan_txs record");
        if rest.len() < 36 {
            return Err(truncated());
        }
        let raw = u32::from_le_bytes(rest[32..36].try_into().expect("4 bytes"));
        let n = (raw & !PUBLIC_AMOUNTS) as usize;
        let len = n
            .checked_mul(SCAN_RECORD)
            .and_then(|l| l.checked_add(36))
            .filter(|&l| l <= rest.len())
            .ok_or_else(truncated)?;
        rs.push(key(&rest[..32], "tx public key")?);
        outs.push((&rest[36..len], raw & PUBLIC_AMOUNTS != 0));
        rest = &rest[len..];
    }
    let mut found = Vec::new();
    let derivations = stealth::derivations(&a, &rs);
    for (t, (d, (records, public))) in derivations.iter().zip(outs).enumerate() {
        for (i, rec) in records.chunks_exact(SCAN_RECORD).enumerate() {
            let index = i as u64;
            if stealth::view_tag(d, index) != rec[64] {
                continue;
            }
            let tail: &[u8; 8] = rec[65..73].try_into().expect("8-byte slice");
            let (Ok(p), Ok(c)) = (
                key(&rec[..32], "one-time key"),
                key(&rec[32..64], "commitment"),
            ) else {
                continue;
            };
            let got = if public {
                let amount = u64::from_le_bytes(*tail);
                stealth::match_output(d, &b, index, &p)
                    .filter(|_| pedersen::commit(amount, &Scalar::ONE) == c)
                    .map(|s| (amount, Scalar::ONE, s))
            } else {
                stealth::receive_with_derivation(d, &b, index, &p, tail, &c)
                    .map(|r| (r.amount, r.mask, r.derivation_scalar))
            };
            if let Some((amount, mask, s)) = got {
                found.extend_from_slice(&(t as u32).to_le_bytes());
                found.extend_from_slice(&(i as u32).to_le_bytes());
                found.extend_from_slice(&amount.to_le_bytes());
                found.extend_from_slice(&mask.to_bytes());
                found.extend_from_slice(&s.to_bytes());
            }
        }
    }
    Ok(found)
}

/// One-time secret `x = Hs(a·R ‖ i) + b` of output `index` (32 bytes). Errors: key decoding.
#[wasm_bindgen]
pub fn one_time_secret(
    view_secret: &[u8],
    spend_secret: &[u8],
    tx_public: &[u8],
    index: u64,
) -> JsResult<Vec<u8>> {
    let d = stealth::derivation(
        &scalar(view_secret, "view secret key")?,
        &key(tx_public, "tx public key")?,
    );
    let s = stealth::derivation_scalar(&d, index);
    Ok(
        stealth::one_time_secret(&s, &scalar(spend_secret, "spend secret key")?)
            .to_bytes()
            .to_vec(),
    )
}

// ------------------------------------------------------------------ key images and MLSAG

/// Key image `I = x·Hp(P)` (32 bytes). Errors: scalar/key decoding.
#[wasm_bindgen]
pub fn key_image(x: &[u8], one_time_key: &[u8]) -> JsResult<Vec<u8>> {
    mlsag::key_image_bytes(x, one_time_key)
        .map(|k| k.to_vec())
        .map_err(js)
}

/// MLSAG signature (`32 + 64·n` bytes) over the 32-byte `msg` with concatenated ring keys and
/// commitments. Errors: see `mlsag::sign`.
#[allow(clippy::too_many_arguments)]
#[wasm_bindgen]
pub fn mlsag_sign(
    msg: &[u8],
    ring_keys: &[u8],
    ring_commitments: &[u8],
    pseudo_out: &[u8],
    index: u32,
    x: &[u8],
    z: &[u8],
    seed: Option<Vec<u8>>,
) -> JsResult<Vec<u8>> {
    let keys = decode_keys(ring_keys, "ring member").map_err(js)?;
    let coms = decode_keys(ring_commitments, "ring commitment").map_err(js)?;
    let pseudo = key(pseudo_out, "pseudo-output")?;
    let (x, z) = (scalar(x, "x")?, scalar(z, "z")?);
    rng_call!(seed, |r| mlsag::sign(
        msg,
        &keys,
        &coms,
        &pseudo,
        index as usize,
        &x,
        &z,
        &mut r
    )
    .map_err(js))
}

/// This instance's ring-member cache (`None` = off, the default until configured). One
/// WebAssembly instance runs on one thread, so the lock is never contended.
static RING_CACHE: Mutex<Option<RingCache>> = Mutex::new(None);

fn ring_cache() -> std::sync::MutexGuard<'static, Option<RingCache>> {
    // A panic aborts the instance (panic = "abort"), so the lock cannot be poisoned; recover anyway.
    RING_CACHE.lock().unwrap_or_else(|e| e.into_inner())
}

/// Verifies an MLSAG, through this instance's ring-member cache when it is on (the verdict is
/// the same either way; see `ring_cache`). Errors: see `mlsag::verify`.
#[wasm_bindgen]
pub fn mlsag_verify(
    msg: &[u8],
    ring_keys: &[u8],
    ring_commitments: &[u8],
    pseudo_out: &[u8],
    key_image: &[u8],
    sig: &[u8],
) -> JsResult<()> {
    let mut guard = ring_cache();
    mlsag::verify_cached(
        msg,
        ring_keys,
        ring_commitments,
        pseudo_out,
        key_image,
        sig,
        guard.as_mut(),
    )
    .map_err(js)
}

/// Verifies an MLSAG without the ring-member cache (for comparisons and benchmarks).
/// Errors: see `mlsag::verify`.
#[wasm_bindgen]
pub fn mlsag_verify_uncached(
    msg: &[u8],
    ring_keys: &[u8],
    ring_commitments: &[u8],
    pseudo_out: &[u8],
    key_image: &[u8],
    sig: &[u8],
) -> JsResult<()> {
    mlsag::verify(msg, ring_keys, ring_commitments, pseudo_out, key_image, sig).map_err(js)
}

/// Sets this instance's ring-member cache bound to `capacity` entries (about 0.6 KB each):
/// 0 turns the cache off and frees it; a smaller bound evicts least recently used entries.
/// Counters survive a resize and reset when the cache is turned off.
#[wasm_bindgen]
pub fn ring_cache_configure(capacity: u32) {
    let mut guard = ring_cache();
    match (NonZeroUsize::new(capacity as usize), guard.as_mut()) {
        (None, _) => *guard = None,
        (Some(cap), Some(c)) => c.resize(cap),
        (Some(cap), None) => *guard = Some(RingCache::new(cap)),
    }
}

/// The ring-member cache's counters: `[hits, misses, entries, capacity]` (all zero when off).
#[wasm_bindgen]
pub fn ring_cache_stats() -> Vec<u64> {
    let s = ring_cache()
        .as_ref()
        .map(RingCache::stats)
        .unwrap_or_default();
    vec![s.hits, s.misses, s.entries, s.capacity]
}

/// View tag (0..=255) of output `index` for the shared point `D` (docs/crypto.md §4).
/// Errors: `D` decoding.
#[wasm_bindgen]
pub fn view_tag(d: &[u8], index: u64) -> JsResult<u8> {
    Ok(stealth::view_tag(
        &stealth::Derivation::from_bytes(d).map_err(js)?,
        index,
    ))
}

/// Ownership check of output `index` given the shared point `D` (`a·R` or `r·A`): returns
/// `s_i` (32 bytes) when `P − s_i·G == B`, or an empty array when the output is not `B`'s.
/// Errors: point decoding.
#[wasm_bindgen]
pub fn match_output(
    d: &[u8],
    spend_public: &[u8],
    index: u64,
    one_time_key: &[u8],
) -> JsResult<Vec<u8>> {
    let d = stealth::Derivation::from_bytes(d).map_err(js)?;
    let found = stealth::match_output(
        &d,
        &key(spend_public, "spend public key")?,
        index,
        &key(one_time_key, "one-time key")?,
    );
    Ok(found.map(|s| s.to_bytes().to_vec()).unwrap_or_default())
}

/// Decrypts an 8-byte encrypted amount with `s_i` and checks the commitment opens: returns
/// `u64le amount ‖ mask` (40 bytes) or an empty array. Errors: scalar/point decoding.
#[wasm_bindgen]
pub fn open_amount(s: &[u8], encrypted_amount: &[u8], commitment: &[u8]) -> JsResult<Vec<u8>> {
    let enc: [u8; 8] = encrypted_amount.try_into().map_err(|_| {
        js(CryptoError::InvalidLength {
            what: "encrypted amount",
            expected: 8,
            actual: encrypted_amount.len(),
        })
    })?;
    let opened = stealth::open_amount(&scalar(s, "s")?, &enc, &key(commitment, "commitment")?);
    Ok(opened
        .map(|(v, m)| [v.to_le_bytes().as_slice(), &m.to_bytes()].concat())
        .unwrap_or_default())
}

// ------------------------------------------------ subaddresses and wallet proofs (issue 12)

fn address64(bytes: &[u8]) -> JsResult<stealth::Address> {
    stealth::Address::from_bytes(bytes).map_err(js)
}

/// Subaddress `(i, j)` of view secret `a` and spend key `B` (docs/crypto.md §11): returns
/// `enc(C) ‖ enc(D) ‖ m` (96 bytes; `m` the subaddress scalar, zero for `(0, 0)`, where
/// `(C, D) = (A, B)`). Errors: scalar/point decoding.
#[wasm_bindgen]
pub fn subaddress_keys(
    view_secret: &[u8],
    spend_public: &[u8],
    account: u32,
    index: u32,
) -> JsResult<Vec<u8>> {
    let a = scalar(view_secret, "view secret key")?;
    let b = key(spend_public, "spend public key")?;
    let addr = crate::subaddress::subaddress(&a, &b, account, index);
    let m = crate::subaddress::subaddress_scalar(&a, account, index);
    Ok([addr.to_bytes().as_slice(), m.as_bytes()].concat())
}

/// Scanning with a subaddress table: `enc(P − s·G) ‖ s` (64 bytes) for output `index` of a
/// transaction with shared point `D` (`a·R`), docs/crypto.md §11. Errors: point decoding.
#[wasm_bindgen]
pub fn recover_spend_key(d: &[u8], index: u64, one_time_key: &[u8]) -> JsResult<Vec<u8>> {
    let d = stealth::Derivation::from_bytes(d).map_err(js)?;
    let (spend, s) =
        crate::subaddress::recover_spend_key(&d, index, &key(one_time_key, "one-time key")?);
    Ok([encode_point(&spend).as_slice(), s.as_bytes()].concat())
}

/// Outgoing-payment proof `enc(K) ‖ c ‖ s` (96 bytes, docs/crypto.md §12.1) for tx secret `r`,
/// 32-byte txid, 64-byte destination `enc(A|C) ‖ enc(B|D)`, and a message.
#[wasm_bindgen]
pub fn tx_proof(
    r: &[u8],
    txid: &[u8],
    address: &[u8],
    is_subaddress: bool,
    message: &[u8],
    seed: Option<Vec<u8>>,
) -> JsResult<Vec<u8>> {
    let r = scalar(r, "tx secret key")?;
    let txid = arr32(txid, "txid")?;
    let to = address64(address)?;
    Ok(rng_call!(seed, |g| crate::proofs::tx_proof(
        &r,
        &txid,
        &to,
        is_subaddress,
        message,
        &mut g
    ))
    .to_vec())
}

/// Checks a tx proof against the tx public key `R`; returns the shared point `K` (32 bytes).
/// Errors: decoding, `INVALID_SIGNATURE`.
#[wasm_bindgen]
pub fn check_tx_proof(
    tx_public: &[u8],
    txid: &[u8],
    address: &[u8],
    is_subaddress: bool,
    message: &[u8],
    proof: &[u8],
) -> JsResult<Vec<u8>> {
    let d = crate::proofs::check_tx_proof(
        &key(tx_public, "tx public key")?,
        &arr32(txid, "txid")?,
        &address64(address)?,
        is_subaddress,
        message,
        proof,
    )
    .map_err(js)?;
    Ok(d.as_bytes().to_vec())
}

/// Signed key image `enc(I) ‖ c ‖ s` (96 bytes, docs/crypto.md §12.2) for one-time secret `x`
/// of `P` over `ctx`. Errors: decoding, `SIGNER_MISMATCH` (`x·G ≠ P`).
#[wasm_bindgen]
pub fn key_image_proof(
    x: &[u8],
    one_time_key: &[u8],
    ctx: &[u8],
    seed: Option<Vec<u8>>,
) -> JsResult<Vec<u8>> {
    let x = scalar(x, "one-time secret")?;
    let p = key(one_time_key, "one-time key")?;
    if RistrettoPoint::mul_base(&x) != p {
        return Err(js(CryptoError::SignerMismatch));
    }
    Ok(rng_call!(seed, |g| crate::proofs::key_image_proof(
        &x, &p, ctx, &mut g
    ))
    .to_vec())
}

/// Verifies a signed key image for `P` over `ctx`; returns `enc(I)`. Errors: decoding,
/// `INVALID_SIGNATURE`.
#[wasm_bindgen]
pub fn check_key_image_proof(one_time_key: &[u8], ctx: &[u8], proof: &[u8]) -> JsResult<Vec<u8>> {
    let ki = crate::proofs::check_key_image_proof(&key(one_time_key, "one-time key")?, ctx, proof)
        .map_err(js)?;
    Ok(encode_point(&ki).to_vec())
}

/// Reserve-proof derivation proof `enc(K = a·R) ‖ c ‖ s` (96 bytes, docs/crypto.md §12.3).
#[wasm_bindgen]
pub fn derivation_proof(
    view_secret: &[u8],
    tx_public: &[u8],
    ctx: &[u8],
    seed: Option<Vec<u8>>,
) -> JsResult<Vec<u8>> {
    let a = scalar(view_secret, "view secret key")?;
    let r = key(tx_public, "tx public key")?;
    Ok(rng_call!(seed, |g| crate::proofs::derivation_proof(
        &a, &r, ctx, &mut g
    ))
    .to_vec())
}

/// Verifies a derivation proof against view key `A` and tx key `R`; returns `enc(K)`.
/// Errors: decoding, `INVALID_SIGNATURE`.
#[wasm_bindgen]
pub fn check_derivation_proof(
    view_public: &[u8],
    tx_public: &[u8],
    ctx: &[u8],
    proof: &[u8],
) -> JsResult<Vec<u8>> {
    let d = crate::proofs::check_derivation_proof(
        &key(view_public, "view public key")?,
        &key(tx_public, "tx public key")?,
        ctx,
        proof,
    )
    .map_err(js)?;
    Ok(d.as_bytes().to_vec())
}
