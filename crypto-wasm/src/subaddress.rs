//! Subaddresses and accounts, the CryptoNote/Monero way (docs/crypto.md §11; Monero's
//! subaddress scheme, kenshi84, monero-project/monero PR #2056, and Zero to Monero 2.0 §4.3).
//!
//! ```text
//! m_{i,j} = Hs("BAIOS/v1/subaddress", enc(a) ‖ u32le(i) ‖ u32le(j))     (i, j) ≠ (0, 0)
//! D_{i,j} = B + m_{i,j}·G          subaddress spend key; secret b + m_{i,j}
//! C_{i,j} = a·D_{i,j}              subaddress view key
//! (0, 0) is the main address (A, B); i is the account, j the index within it.
//! ```
//!
//! A payment to a subaddress `(C, D)` uses the tx public key `R = r·D` and the shared point
//! `r·C = a·R`; the one-time key is `P_k = s_k·G + D`. The receiver computes `a·R`, then
//! `P_k − s_k·G` and looks that point up in ONE table `enc(D_{i,j}) → (i, j)` holding every
//! subaddress it watches (the main address as `enc(B) → (0, 0)`).

use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;

use crate::hash::{hash_to_scalar, tags};
use crate::stealth::{derivation_scalar, Address, Derivation};

/// The 40-byte hash input `enc(a) ‖ u32le(i) ‖ u32le(j)`.
fn input(view_secret: &Scalar, account: u32, index: u32) -> [u8; 40] {
    let mut data = [0u8; 40];
    data[..32].copy_from_slice(view_secret.as_bytes());
    data[32..36].copy_from_slice(&account.to_le_bytes());
    data[36..].copy_from_slice(&index.to_le_bytes());
    data
}

/// The subaddress scalar `m_{i,j} = Hs("BAIOS/v1/subaddress", enc(a) ‖ u32le(i) ‖ u32le(j))`,
/// or zero for `(0, 0)` (the main address).
pub fn subaddress_scalar(view_secret: &Scalar, account: u32, index: u32) -> Scalar {
    if account == 0 && index == 0 {
        return Scalar::ZERO;
    }
    hash_to_scalar(tags::SUBADDRESS, &[&input(view_secret, account, index)])
}

/// The subaddress spend key `D_{i,j} = B + m_{i,j}·G` (`B` for `(0, 0)`).
pub fn subaddress_spend_key(
    view_secret: &Scalar,
    spend_public: &RistrettoPoint,
    account: u32,
    index: u32,
) -> RistrettoPoint {
    spend_public + RistrettoPoint::mul_base(&subaddress_scalar(view_secret, account, index))
}

/// The public subaddress `(C, D) = (a·D_{i,j}, D_{i,j})`; the main address `(A, B) = (a·G, B)`
/// for `(0, 0)` (not `a·B`: the main address keeps its CryptoNote form).
pub fn subaddress(
    view_secret: &Scalar,
    spend_public: &RistrettoPoint,
    account: u32,
    index: u32,
) -> Address {
    if account == 0 && index == 0 {
        return Address {
            view_public: RistrettoPoint::mul_base(view_secret),
            spend_public: *spend_public,
        };
    }
    let d = subaddress_spend_key(view_secret, spend_public, account, index);
    Address {
        view_public: view_secret * d,
        spend_public: d,
    }
}

/// The tx public key for a payment whose (single) subaddress destination has spend key `D`:
/// `R = r·D` (for a main-address destination it is `r·G`).
pub fn subaddress_tx_public(r: &Scalar, subaddress_spend: &RistrettoPoint) -> RistrettoPoint {
    r * subaddress_spend
}

/// Scanning: the spend key the output `index` was sent to, `P_k − s_k·G` with
/// `s_k = Hs("BAIOS/v1/derive", enc(D) ‖ u64le(k))` (D the shared point `a·R`). The wallet
/// looks its encoding up in its subaddress table; one base multiplication per output.
pub fn recover_spend_key(
    d: &Derivation,
    index: u64,
    one_time_key: &RistrettoPoint,
) -> (RistrettoPoint, Scalar) {
    let s = derivation_scalar(d, index);
    (one_time_key - RistrettoPoint::mul_base(&s), s)
}

/// The one-time secret of an output received on subaddress `(i, j)`:
/// `x = s_k + b + m_{i,j}`, so that `P_k = x·G`.
pub fn subaddress_one_time_secret(
    s: &Scalar,
    spend_secret: &Scalar,
    view_secret: &Scalar,
    account: u32,
    index: u32,
) -> Scalar {
    s + spend_secret + subaddress_scalar(view_secret, account, index)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::seeded_rng;
    use crate::stealth::{derivation, keys_from_seed, match_output, open_amount, tx_key};
    use std::collections::HashMap;

    #[test]
    fn main_address_is_zero_zero() {
        let k = keys_from_seed(&[5; 32]);
        assert_eq!(
            subaddress(&k.view_secret, &k.spend_public, 0, 0),
            k.address()
        );
        assert_ne!(
            subaddress(&k.view_secret, &k.spend_public, 0, 1),
            k.address()
        );
        assert_ne!(
            subaddress(&k.view_secret, &k.spend_public, 1, 0),
            subaddress(&k.view_secret, &k.spend_public, 0, 1)
        );
    }

    #[test]
    fn pay_subaddress_and_change_find_both_with_one_table() {
        let k = keys_from_seed(&[6; 32]);
        let mut table = HashMap::new();
        for i in 0..3u32 {
            for j in 0..5u32 {
                let d = subaddress_spend_key(&k.view_secret, &k.spend_public, i, j);
                table.insert(d.compress().to_bytes(), (i, j));
            }
        }
        let to = subaddress(&k.view_secret, &k.spend_public, 2, 3);
        let (r, _) = tx_key(&mut seeded_rng([7; 32]));
        let big_r = subaddress_tx_public(&r, &to.spend_public);
        // Sender: shared point r·C for the destination.
        let d_send = derivation(&r, &to.view_public);
        let out0 = crate::stealth::create_output_with_derivation(&d_send, &to.spend_public, 0, 77);
        // Change to the sender's own main address: shared point a·R (the sender knows a).
        let me = keys_from_seed(&[8; 32]);
        let d_change = derivation(&me.view_secret, &big_r);
        let out1 = crate::stealth::create_output_with_derivation(&d_change, &me.spend_public, 1, 5);
        // Receiver: a·R, then one table lookup per output.
        let d_recv = derivation(&k.view_secret, &big_r);
        assert_eq!(d_recv, d_send);
        let (spend, s) = recover_spend_key(&d_recv, 0, &out0.one_time_key);
        assert_eq!(table.get(&spend.compress().to_bytes()), Some(&(2, 3)));
        assert_eq!(
            open_amount(&s, &out0.encrypted_amount, &out0.commitment)
                .unwrap()
                .0,
            77
        );
        let x = subaddress_one_time_secret(&s, &k.spend_secret, &k.view_secret, 2, 3);
        assert_eq!(RistrettoPoint::mul_base(&x), out0.one_time_key);
        let (other, _) = recover_spend_key(&d_recv, 1, &out1.one_time_key);
        assert!(!table.contains_key(&other.compress().to_bytes()));
        // The sender finds its change with a·R and B.
        let d_me = derivation(&me.view_secret, &big_r);
        assert!(match_output(&d_me, &me.spend_public, 1, &out1.one_time_key).is_some());
    }
}
