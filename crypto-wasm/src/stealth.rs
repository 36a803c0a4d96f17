//! CryptoNote dual-key stealth addresses with view tags and encrypted amounts
//! (docs/crypto.md §4; van Saberhagen, "CryptoNote v2.0" 2013 §4.3; Zero to Monero 2.0 §4.1–4.3
//! and §5.3; view tags as Monero's, Zero to Monero 2.0 §4.2.1 footnote / MRL PR #8061).
//!
//! ```text
//! b = Hs("BAIOS/v1/spend-key", seed32)     a = Hs("BAIOS/v1/view-key", enc(b))
//! (A, B) = (a·G, b·G)                     address
//! R = r·G,  D = r·A = a·R                 tx key, shared point (derivation)
//! s_i = Hs("BAIOS/v1/derive", enc(D) ‖ u64le(i))
//! P_i = s_i·G + B                         one-time key; secret x_i = s_i + b
//! t_i = H64("BAIOS/v1/view-tag", enc(D) ‖ u64le(i))[0]
//! e_i = u64le(v) XOR H64("BAIOS/v1/amount", enc(s_i))[0..8]
//! y_i = Hs("BAIOS/v1/commitment-mask", enc(s_i)),  C_i = y_i·G + v·H
//! ```
//!
//! All scalars are 32-byte canonical little-endian encodings and all points 32-byte ristretto255
//! encodings (RFC 9496 §4.3.2) when serialised.

use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use rand_core::CryptoRng;
use zeroize::Zeroize;

use crate::encoding::{decode_key, decode_scalar};
use crate::error::Result;
use crate::hash::{h64, hash_to_scalar, tags};
use crate::pedersen::commit;

/// A wallet's four keys derived from a 32-byte seed. The secrets are zeroized on drop.
#[derive(Clone)]
pub struct WalletKeys {
    /// Private spend key `b = Hs("BAIOS/v1/spend-key", seed32)`.
    pub spend_secret: Scalar,
    /// Private view key `a = Hs("BAIOS/v1/view-key", enc(b))`.
    pub view_secret: Scalar,
    /// Public spend key `B = b·G`.
    pub spend_public: RistrettoPoint,
    /// Public view key `A = a·G`.
    pub view_public: RistrettoPoint,
}

impl Drop for WalletKeys {
    fn drop(&mut self) {
        self.spend_secret.zeroize();
        self.view_secret.zeroize();
    }
}

impl WalletKeys {
    /// The public address `(A, B)` of these keys.
    pub fn address(&self) -> Address {
        Address {
            view_public: self.view_public,
            spend_public: self.spend_public,
        }
    }
}

/// A public address `(A, B)`: 64 bytes `enc(A) ‖ enc(B)` when serialised (no network prefix or
/// checksum at this layer).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Address {
    /// Public view key `A = a·G`.
    pub view_public: RistrettoPoint,
    /// Public spend key `B = b·G`.
    pub spend_public: RistrettoPoint,
}

impl Address {
    /// `enc(A) ‖ enc(B)`, 64 bytes.
    pub fn to_bytes(&self) -> [u8; 64] {
        let mut out = [0u8; 64];
        out[..32].copy_from_slice(self.view_public.compress().as_bytes());
        out[32..].copy_from_slice(self.spend_public.compress().as_bytes());
        out
    }

    /// Decodes `enc(A) ‖ enc(B)` (64 bytes). Errors: `INVALID_LENGTH` if not 64 bytes;
    /// `INVALID_POINT` / `IDENTITY_POINT` for either key.
    pub fn from_bytes(bytes: &[u8]) -> Result<Address> {
        if bytes.len() != 64 {
            return Err(crate::CryptoError::InvalidLength {
                what: "address",
                expected: 64,
                actual: bytes.len(),
            });
        }
        Ok(Address {
            view_public: decode_key(&bytes[..32], "view public key")?,
            spend_public: decode_key(&bytes[32..], "spend public key")?,
        })
    }
}

/// Derives the wallet keys from a 32-byte seed (docs/crypto.md §4):
/// `b = Hs("BAIOS/v1/spend-key", seed)`, `a = Hs("BAIOS/v1/view-key", enc(b))`, `B = b·G`,
/// `A = a·G`. (Monero derives `a` from `b` the same way, Zero to Monero 2.0 §4.1.)
pub fn keys_from_seed(seed: &[u8; 32]) -> WalletKeys {
    let b = hash_to_scalar(tags::SPEND_KEY, &[seed]);
    let a = hash_to_scalar(tags::VIEW_KEY, &[b.as_bytes()]);
    WalletKeys {
        spend_public: RistrettoPoint::mul_base(&b),
        view_public: RistrettoPoint::mul_base(&a),
        spend_secret: b,
        view_secret: a,
    }
}

/// A fresh random transaction key: returns `(r, R = r·G)`, `r` uniform in `[0, ℓ)` drawn
/// from `rng` (use [`crate::rng::os_rng`] outside tests).
pub fn tx_key<R: CryptoRng + ?Sized>(rng: &mut R) -> (Scalar, RistrettoPoint) {
    let r = Scalar::random(rng);
    (r, RistrettoPoint::mul_base(&r))
}

/// A shared point `D` together with its 32-byte encoding `enc(D)`, which every per-output hash
/// takes as input. Encoding a ristretto255 point costs an inverse square root, so it is done
/// once per transaction, not once per output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Derivation {
    point: RistrettoPoint,
    encoding: [u8; 32],
}

impl Derivation {
    /// Wraps a shared point, computing its encoding once.
    pub fn from_point(point: RistrettoPoint) -> Self {
        Derivation {
            point,
            encoding: point.compress().to_bytes(),
        }
    }

    /// Decodes a 32-byte encoding of `D` (a tx-key proof carries `D = r·A`).
    ///
    /// Errors: `INVALID_LENGTH`, `INVALID_POINT`.
    pub fn from_bytes(bytes: &[u8]) -> crate::Result<Self> {
        let point = crate::encoding::decode_point(bytes, "derivation D")?;
        Ok(Derivation::from_point(point))
    }

    /// The point `D`.
    pub fn point(&self) -> &RistrettoPoint {
        &self.point
    }

    /// `enc(D)`, 32 bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.encoding
    }
}

/// The shared point (derivation) `D = k·Q`: the sender calls it with `(r, A)`, the receiver
/// with `(a, R)`; both give the same `D` (Diffie–Hellman; Zero to Monero 2.0 §4.2). Constant
/// time in `k`.
pub fn derivation(k: &Scalar, q: &RistrettoPoint) -> Derivation {
    Derivation::from_point(k * q)
}

/// [`derivation`] of many points with one scalar (a wallet scanning many transactions with its
/// view secret): the same `D_j = k·Q_j`, but the encodings share one field inversion
/// (Montgomery's trick) instead of costing an inverse square root each. The ristretto255
/// encoding is not batchable, doubling-and-encoding is (RFC 9496 §4.3.2; curve25519-dalek's
/// `double_and_compress_batch`), so this computes `H_j = (k/2)·Q_j` (`k/2 = k·2⁻¹ mod ℓ`) and
/// `enc(2·H_j) = enc(k·Q_j)`. Constant time in `k` per point.
pub fn derivations(k: &Scalar, qs: &[RistrettoPoint]) -> Vec<Derivation> {
    let half = k * crate::encoding::half();
    let halves: Vec<RistrettoPoint> = qs.iter().map(|q| half * q).collect();
    let encodings = RistrettoPoint::double_and_compress_batch(&halves);
    halves
        .iter()
        .zip(encodings)
        .map(|(h, e)| Derivation {
            point: h + h,
            encoding: e.to_bytes(),
        })
        .collect()
}

fn index_data(d: &Derivation, index: u64) -> [u8; 40] {
    let mut data = [0u8; 40];
    data[..32].copy_from_slice(d.as_bytes());
    data[32..].copy_from_slice(&index.to_le_bytes());
    data
}

/// The output derivation scalar `s_i = Hs("BAIOS/v1/derive", enc(D) ‖ u64le(i))` for output
/// index `i` (its position among the transaction's outputs, from 0).
pub fn derivation_scalar(d: &Derivation, index: u64) -> Scalar {
    hash_to_scalar(tags::DERIVE, &[&index_data(d, index)])
}

/// The one-time address `P_i = s_i·G + B` (Zero to Monero 2.0 §4.2).
pub fn one_time_key(s: &Scalar, spend_public: &RistrettoPoint) -> RistrettoPoint {
    RistrettoPoint::mul_base(s) + spend_public
}

/// The one-time secret key `x_i = s_i + b`, so that `P_i = x_i·G`.
pub fn one_time_secret(s: &Scalar, spend_secret: &Scalar) -> Scalar {
    s + spend_secret
}

/// The 1-byte view tag `t_i = H64("BAIOS/v1/view-tag", enc(D) ‖ u64le(i))[0]`.
pub fn view_tag(d: &Derivation, index: u64) -> u8 {
    h64(tags::VIEW_TAG, &[&index_data(d, index)])[0]
}

fn amount_pad(s: &Scalar) -> [u8; 8] {
    let h = h64(tags::AMOUNT, &[s.as_bytes()]);
    h[..8].try_into().expect("8 bytes")
}

/// Encrypts an amount (atomic units): `e_i = u64le(v) XOR H64("BAIOS/v1/amount", enc(s_i))[0..8]`,
/// 8 bytes (Zero to Monero 2.0 §5.3, "compact" encrypted amounts).
pub fn encrypt_amount(amount: u64, s: &Scalar) -> [u8; 8] {
    let pad = amount_pad(s);
    let mut e = amount.to_le_bytes();
    for (x, p) in e.iter_mut().zip(pad) {
        *x ^= p;
    }
    e
}

/// Decrypts an 8-byte encrypted amount produced by [`encrypt_amount`] with the same `s_i`.
/// Never fails: a wrong `s_i` gives a wrong amount, which the commitment check catches.
pub fn decrypt_amount(encrypted: &[u8; 8], s: &Scalar) -> u64 {
    let pad = amount_pad(s);
    let mut v = *encrypted;
    for (x, p) in v.iter_mut().zip(pad) {
        *x ^= p;
    }
    u64::from_le_bytes(v)
}

/// The commitment mask `y_i = Hs("BAIOS/v1/commitment-mask", enc(s_i))`, so that the output
/// commitment is `C_i = y_i·G + v·H` and the receiver can open it.
pub fn commitment_mask(s: &Scalar) -> Scalar {
    hash_to_scalar(tags::COMMITMENT_MASK, &[s.as_bytes()])
}

/// Everything a sender puts on chain for one output, plus the opening it keeps.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Output {
    /// One-time key `P_i` (32 bytes serialised).
    pub one_time_key: RistrettoPoint,
    /// View tag `t_i` (1 byte).
    pub view_tag: u8,
    /// Encrypted amount `e_i` (8 bytes).
    pub encrypted_amount: [u8; 8],
    /// Commitment `C_i = y_i·G + v·H` (32 bytes serialised).
    pub commitment: RistrettoPoint,
    /// Commitment mask `y_i` (secret opening, not published).
    pub commitment_mask: Scalar,
}

/// Sender side: builds output `index` paying `amount` atomic units to `to`, with tx secret key
/// `r` (the tx public key `R = r·G` goes in the transaction once). Computes `D = r·A`, `s_i`,
/// `P_i`, `t_i`, `e_i`, `y_i` and `C_i` of docs/crypto.md §4.
pub fn create_output(r: &Scalar, to: &Address, index: u64, amount: u64) -> Output {
    let d = derivation(r, &to.view_public);
    let s = derivation_scalar(&d, index);
    let y = commitment_mask(&s);
    Output {
        one_time_key: one_time_key(&s, &to.spend_public),
        view_tag: view_tag(&d, index),
        encrypted_amount: encrypt_amount(amount, &s),
        commitment: commit(amount, &y),
        commitment_mask: y,
    }
}

/// Sender side with the shared point already formed: builds output `index` paying `amount`
/// atomic units to spend key `spend_public` (`B`, or a subaddress's `D`). `d` is `r·A` (main
/// address), `r·C` (subaddress), or `a·R` for change to the sender's own address
/// (docs/crypto.md §11).
pub fn create_output_with_derivation(
    d: &Derivation,
    spend_public: &RistrettoPoint,
    index: u64,
    amount: u64,
) -> Output {
    let s = derivation_scalar(d, index);
    let y = commitment_mask(&s);
    Output {
        one_time_key: one_time_key(&s, spend_public),
        view_tag: view_tag(d, index),
        encrypted_amount: encrypt_amount(amount, &s),
        commitment: commit(amount, &y),
        commitment_mask: y,
    }
}

/// A detected output: the decrypted amount (atomic units) and the commitment mask `y_i`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Received {
    /// The amount `v` in atomic units.
    pub amount: u64,
    /// The commitment mask `y_i` (`C_i = y_i·G + v·H`).
    pub mask: Scalar,
    /// The derivation scalar `s_i`; a full wallet gets the one-time secret as
    /// [`one_time_secret`]`(s_i, b)`.
    pub derivation_scalar: Scalar,
}

/// View-only scan of one output (docs/crypto.md §4) with the view secret `a` and public spend key
/// `B`: computes `D = a·R`, then **first** the view tag (one hash; 255 of 256 foreign outputs
/// stop here), then `s_i`, checks `P_i − s_i·G == B`, decrypts the amount and checks
/// `C_i == y_i·G + v·H`. Returns `None` if the output is not ours or does not open.
#[allow(clippy::too_many_arguments)]
pub fn scan_output(
    view_secret: &Scalar,
    spend_public: &RistrettoPoint,
    tx_public: &RistrettoPoint,
    index: u64,
    one_time_key: &RistrettoPoint,
    view_tag_byte: u8,
    encrypted_amount: &[u8; 8],
    commitment: &RistrettoPoint,
) -> Option<Received> {
    let d = derivation(view_secret, tx_public);
    if view_tag(&d, index) != view_tag_byte {
        return None;
    }
    receive_with_derivation(
        &d,
        spend_public,
        index,
        one_time_key,
        encrypted_amount,
        commitment,
    )
}

/// The part of a scan after the view tag: with the shared point `D = a·R` already computed
/// (once per transaction), checks ownership ([`match_output`]) and opens the amount
/// ([`open_amount`]). Returns `None` if the output is not ours or does not open.
/// Costs one base-point multiplication and one commitment.
pub fn receive_with_derivation(
    d: &Derivation,
    spend_public: &RistrettoPoint,
    index: u64,
    one_time_key: &RistrettoPoint,
    encrypted_amount: &[u8; 8],
    commitment: &RistrettoPoint,
) -> Option<Received> {
    let s = match_output(d, spend_public, index, one_time_key)?;
    let (amount, mask) = open_amount(&s, encrypted_amount, commitment)?;
    Some(Received {
        amount,
        mask,
        derivation_scalar: s,
    })
}

/// Ownership check of output `index` given the shared point `D` (`a·R` for the receiver, `r·A`
/// for a sender proving a payment): returns `s_i` when `P_i − s_i·G == B` (docs/crypto.md §4),
/// else `None`. Works for outputs with public amounts (coinbase, premine) too.
pub fn match_output(
    d: &Derivation,
    spend_public: &RistrettoPoint,
    index: u64,
    one_time_key: &RistrettoPoint,
) -> Option<Scalar> {
    let s = derivation_scalar(d, index);
    (one_time_key - RistrettoPoint::mul_base(&s) == *spend_public).then_some(s)
}

/// Decrypts the 8-byte encrypted amount with `s_i` and checks that `(amount, y_i)` opens
/// `commitment` (docs/crypto.md §4). Returns `(amount in atomic units, mask y_i)` or `None`.
pub fn open_amount(
    s: &Scalar,
    encrypted_amount: &[u8; 8],
    commitment: &RistrettoPoint,
) -> Option<(u64, Scalar)> {
    let amount = decrypt_amount(encrypted_amount, s);
    let mask = commitment_mask(s);
    (commit(amount, &mask) == *commitment).then_some((amount, mask))
}

/// [`scan_output`] on raw bytes: `view_secret` 32-byte canonical scalar, `spend_public`,
/// `tx_public`, `one_time_key`, `commitment` 32-byte ristretto255 keys, `encrypted_amount`
/// 8 bytes. `Ok(None)` means "not ours".
///
/// Checks in this order: view secret (`INVALID_LENGTH`, `NON_CANONICAL_SCALAR`); spend public
/// key, tx public key, one-time key, commitment (`INVALID_LENGTH`, `INVALID_POINT`,
/// `IDENTITY_POINT`); encrypted amount (`INVALID_LENGTH`).
#[allow(clippy::too_many_arguments)]
pub fn scan_output_bytes(
    view_secret: &[u8],
    spend_public: &[u8],
    tx_public: &[u8],
    index: u64,
    one_time_key: &[u8],
    view_tag_byte: u8,
    encrypted_amount: &[u8],
    commitment: &[u8],
) -> Result<Option<Received>> {
    let mut a = decode_scalar(view_secret, "view secret key")?;
    let b_pub = decode_key(spend_public, "spend public key")?;
    let r_pub = decode_key(tx_public, "tx public key")?;
    let p = decode_key(one_time_key, "one-time key")?;
    let c = decode_key(commitment, "commitment")?;
    let e: &[u8; 8] =
        encrypted_amount
            .try_into()
            .map_err(|_| crate::CryptoError::InvalidLength {
                what: "encrypted amount",
                expected: 8,
                actual: encrypted_amount.len(),
            })?;
    let out = scan_output(&a, &b_pub, &r_pub, index, &p, view_tag_byte, e, &c);
    a.zeroize();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::seeded_rng;

    #[test]
    fn batched_derivations_match_single() {
        let alice = keys_from_seed(&[7; 32]);
        let mut rng = seeded_rng([8; 32]);
        let points: Vec<RistrettoPoint> = (0..33).map(|_| tx_key(&mut rng).1).collect();
        let batch = derivations(&alice.view_secret, &points);
        assert_eq!(batch.len(), points.len());
        for (q, d) in points.iter().zip(&batch) {
            assert_eq!(*d, derivation(&alice.view_secret, q));
        }
        assert!(derivations(&alice.view_secret, &[]).is_empty());
        // a zero scalar gives the identity, as the single derivation does
        assert_eq!(
            derivations(&Scalar::ZERO, &points[..2]),
            vec![
                derivation(&Scalar::ZERO, &points[0]),
                derivation(&Scalar::ZERO, &points[1])
            ]
        );
    }

    #[test]
    fn round_trip() {
        let alice = keys_from_seed(&[1; 32]);
        let eve = keys_from_seed(&[2; 32]);
        let mut rng = seeded_rng([3; 32]);
        let (r, big_r) = tx_key(&mut rng);
        assert_eq!(
            derivation(&r, &alice.view_public),
            derivation(&alice.view_secret, &big_r)
        );
        for index in 0..4u64 {
            let out = create_output(&r, &alice.address(), index, 1_000 + index);
            let got = scan_output(
                &alice.view_secret,
                &alice.spend_public,
                &big_r,
                index,
                &out.one_time_key,
                out.view_tag,
                &out.encrypted_amount,
                &out.commitment,
            )
            .expect("ours");
            assert_eq!(got.amount, 1_000 + index);
            assert_eq!(got.mask, out.commitment_mask);
            let x = one_time_secret(&got.derivation_scalar, &alice.spend_secret);
            assert_eq!(RistrettoPoint::mul_base(&x), out.one_time_key);
            // Wrong index, wrong wallet.
            assert!(scan_output(
                &alice.view_secret,
                &alice.spend_public,
                &big_r,
                index + 1,
                &out.one_time_key,
                out.view_tag,
                &out.encrypted_amount,
                &out.commitment,
            )
            .is_none());
            assert!(scan_output(
                &eve.view_secret,
                &eve.spend_public,
                &big_r,
                index,
                &out.one_time_key,
                out.view_tag,
                &out.encrypted_amount,
                &out.commitment,
            )
            .is_none());
        }
    }

    #[test]
    fn amount_encryption() {
        let s = Scalar::from(42u64);
        let e = encrypt_amount(u64::MAX, &s);
        assert_eq!(decrypt_amount(&e, &s), u64::MAX);
        assert_ne!(decrypt_amount(&e, &Scalar::from(43u64)), u64::MAX);
    }

    #[test]
    fn address_bytes() {
        let k = keys_from_seed(&[9; 32]);
        let a = k.address();
        assert_eq!(Address::from_bytes(&a.to_bytes()).unwrap(), a);
        assert_eq!(
            Address::from_bytes(&[0; 64]).unwrap_err().code(),
            "IDENTITY_POINT"
        );
        assert_eq!(
            Address::from_bytes(&[0; 63]).unwrap_err().code(),
            "INVALID_LENGTH"
        );
    }
}
