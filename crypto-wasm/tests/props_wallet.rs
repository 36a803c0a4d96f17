//! Property tests of subaddresses (docs/crypto.md §11) and the DLEQ wallet proofs (§12): a
//! payment to any subaddress is found by one table lookup and spent with `s + b + m`; tx proofs,
//! signed key images and derivation proofs verify, and fail on any flipped byte or other context.

use std::collections::HashMap;

use baios_crypto::mlsag::key_image;
use baios_crypto::proofs::{
    check_derivation_proof, check_key_image_proof, check_tx_proof, derivation_proof,
    key_image_proof, tx_proof,
};
use baios_crypto::rng::seeded_rng;
use baios_crypto::stealth::{
    create_output_with_derivation, derivation, keys_from_seed, open_amount,
};
use baios_crypto::subaddress::{
    recover_spend_key, subaddress, subaddress_one_time_secret, subaddress_spend_key,
    subaddress_tx_public,
};
use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use proptest::prelude::*;

fn seed32(seed: u64) -> [u8; 32] {
    let mut s = [0u8; 32];
    s[..8].copy_from_slice(&seed.to_le_bytes());
    s
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn subaddress_payment_found_by_one_lookup(seed in any::<u64>(), i in 0u32..3, j in 0u32..4, idx in 0u64..8, amount in any::<u64>()) {
        let k = keys_from_seed(&seed32(seed));
        let mut table = HashMap::new();
        for a in 0..3u32 {
            for b in 0..4u32 {
                table.insert(subaddress_spend_key(&k.view_secret, &k.spend_public, a, b).compress().to_bytes(), (a, b));
            }
        }
        let to = subaddress(&k.view_secret, &k.spend_public, i, j);
        let mut rng = seeded_rng(seed32(seed ^ 1));
        let r = Scalar::random(&mut rng);
        let sub = i != 0 || j != 0;
        let big_r = if sub { subaddress_tx_public(&r, &to.spend_public) } else { RistrettoPoint::mul_base(&r) };
        let out = create_output_with_derivation(&derivation(&r, &to.view_public), &to.spend_public, idx, amount);
        let d = derivation(&k.view_secret, &big_r);
        let (spend, s) = recover_spend_key(&d, idx, &out.one_time_key);
        prop_assert_eq!(table.get(&spend.compress().to_bytes()), Some(&(i, j)));
        prop_assert_eq!(open_amount(&s, &out.encrypted_amount, &out.commitment).map(|x| x.0), Some(amount));
        let x = subaddress_one_time_secret(&s, &k.spend_secret, &k.view_secret, i, j);
        prop_assert_eq!(RistrettoPoint::mul_base(&x), out.one_time_key);
        // another wallet finds nothing
        let eve = keys_from_seed(&seed32(seed.wrapping_add(1)));
        let (other, _) = recover_spend_key(&derivation(&eve.view_secret, &big_r), idx, &out.one_time_key);
        prop_assert!(!table.contains_key(&other.compress().to_bytes()) || other == spend);
    }

    #[test]
    fn tx_proof_any_flipped_byte_fails(seed in any::<u64>(), sub in any::<bool>(), pos in 0usize..96, bit in 0u8..8, msg in proptest::collection::vec(any::<u8>(), 0..40)) {
        let k = keys_from_seed(&seed32(seed));
        let to = if sub { subaddress(&k.view_secret, &k.spend_public, 1, 1) } else { k.address() };
        let mut rng = seeded_rng(seed32(seed ^ 2));
        let r = Scalar::random(&mut rng);
        let big_r = if sub { r * to.spend_public } else { RistrettoPoint::mul_base(&r) };
        let txid = seed32(seed ^ 3);
        let proof = tx_proof(&r, &txid, &to, sub, &msg, &mut rng);
        let d = check_tx_proof(&big_r, &txid, &to, sub, &msg, &proof).unwrap();
        prop_assert_eq!(*d.point(), r * to.view_public);
        let mut bad = proof;
        bad[pos] ^= 1 << bit;
        prop_assert!(check_tx_proof(&big_r, &txid, &to, sub, &msg, &bad).is_err());
        let mut other = msg.clone();
        other.push(0);
        prop_assert!(check_tx_proof(&big_r, &txid, &to, sub, &other, &proof).is_err());
    }

    #[test]
    fn signed_key_image_and_derivation_proofs(seed in any::<u64>(), pos in 0usize..96, bit in 0u8..8, ctx in proptest::collection::vec(any::<u8>(), 0..40)) {
        let mut rng = seeded_rng(seed32(seed));
        let x = Scalar::random(&mut rng);
        let p = RistrettoPoint::mul_base(&x);
        let proof = key_image_proof(&x, &p, &ctx, &mut rng);
        prop_assert_eq!(check_key_image_proof(&p, &ctx, &proof).unwrap(), key_image(&x, &p));
        let mut bad = proof;
        bad[pos] ^= 1 << bit;
        prop_assert!(check_key_image_proof(&p, &ctx, &bad).is_err());
        let k = keys_from_seed(&seed32(seed ^ 5));
        let big_r = RistrettoPoint::mul_base(&Scalar::random(&mut rng));
        let dp = derivation_proof(&k.view_secret, &big_r, &ctx, &mut rng);
        prop_assert_eq!(check_derivation_proof(&k.view_public, &big_r, &ctx, &dp).unwrap(), derivation(&k.view_secret, &big_r));
        let mut bad = dp;
        bad[pos] ^= 1 << bit;
        prop_assert!(check_derivation_proof(&k.view_public, &big_r, &ctx, &bad).is_err());
    }
}
