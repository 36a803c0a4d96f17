//! Aggregated Bulletproofs+ range proofs (docs/crypto.md §6): completeness, soundness
//! spot checks, malformed input, batch verification.

use baios_crypto::pedersen::{commit, generator_h};
use baios_crypto::rangeproof::{
    batch_verify, batch_verify_index, proof_size, prove, verify, verify_bytes, PADDING_COMMITMENT,
};
use baios_crypto::rng::seeded_rng;
use curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT as G;
use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use proptest::prelude::*;
use rand_core::Rng;

fn random_scalar(rng: &mut impl Rng) -> Scalar {
    let mut wide = [0u8; 64];
    rng.fill_bytes(&mut wide);
    Scalar::from_bytes_mod_order_wide(&wide)
}

/// Make `m` random openings (values from `values`, random masks) and a proof.
fn make(values: &[u64], seed: u8) -> (Vec<RistrettoPoint>, Vec<Scalar>, Vec<u8>) {
    let mut rng = seeded_rng([seed; 32]);
    let masks: Vec<Scalar> = values.iter().map(|_| random_scalar(&mut rng)).collect();
    let proof = prove(values, &masks, &mut rng).unwrap();
    let cs = values
        .iter()
        .zip(&masks)
        .map(|(&v, r)| commit(v, r))
        .collect();
    (cs, masks, proof)
}

fn encode(cs: &[RistrettoPoint]) -> Vec<u8> {
    cs.iter().flat_map(|c| c.compress().to_bytes()).collect()
}

fn value_strategy() -> impl Strategy<Value = u64> {
    prop_oneof![
        Just(0u64),
        Just(u64::MAX),
        Just(1u64),
        Just(1u64 << 63),
        any::<u64>()
    ]
}

#[test]
fn padding_commitment_is_g() {
    assert_eq!(PADDING_COMMITMENT, G.compress().to_bytes());
    assert_eq!(commit(0, &Scalar::ONE), G);
}

#[test]
fn documented_sizes() {
    for (m, size) in [(1, 576), (2, 640), (4, 704), (8, 768), (16, 832)] {
        assert_eq!(proof_size(m).unwrap(), size);
        let values: Vec<u64> = (0..m as u64).collect();
        let (cs, _, proof) = make(&values, m as u8);
        assert_eq!(proof.len(), size, "m = {m}");
        verify(&cs, &proof).unwrap();
        verify_bytes(&encode(&cs), &proof).unwrap();
    }
}

#[test]
fn flipping_any_byte_fails() {
    for m in [1usize, 2, 3] {
        let values: Vec<u64> = (0..m as u64).map(|i| 1_000_000 * (i + 1)).collect();
        let (cs, _, proof) = make(&values, 40 + m as u8);
        verify(&cs, &proof).unwrap();
        for i in 0..proof.len() {
            for bit in [0u8, 7] {
                let mut bad = proof.clone();
                bad[i] ^= 1 << bit;
                let err = verify(&cs, &bad).unwrap_err();
                assert_eq!(
                    err.code(),
                    "INVALID_RANGE_PROOF",
                    "m={m} byte {i} bit {bit}"
                );
            }
        }
    }
}

/// Values that do not fit in 64 bits: `2^64` (as a scalar) and the "negative" `ℓ − 1`.
/// The prover API only takes `u64` amounts, so it cannot even be asked to prove them; and no
/// honest proof — for any nearby in-range value with the same mask, or for the wrapped value —
/// verifies against such a commitment.
#[test]
fn out_of_range_commitments_are_not_provable() {
    let two_64 = Scalar::from(u64::MAX) + Scalar::ONE;
    let minus_one = -Scalar::ONE; // ℓ − 1
    let h = generator_h();
    let mut rng = seeded_rng([77; 32]);
    let r = random_scalar(&mut rng);
    for bad_value in [two_64, minus_one, two_64 + Scalar::ONE] {
        let c_bad = G * r + h * bad_value;
        // Candidate in-range openings an honest prover could use with the same mask.
        for v in [0u64, 1, u64::MAX, u64::MAX - 1] {
            let proof = prove(&[v], &[r], &mut rng).unwrap();
            assert_eq!(
                verify(&[c_bad], &proof).unwrap_err().code(),
                "INVALID_RANGE_PROOF"
            );
            // The proof does verify for the honest commitment, so the failure is the value.
            verify(&[commit(v, &r)], &proof).unwrap();
        }
        // Aggregated, next to a valid commitment.
        let r2 = random_scalar(&mut rng);
        let proof = prove(&[5, u64::MAX], &[r2, r], &mut rng).unwrap();
        assert!(verify(&[commit(5, &r2), c_bad], &proof).is_err());
    }
    // "Negative" amount written as a balance trick: C = r·G − H equals commit(0, r) − H.
    assert_eq!(G * r + h * minus_one, commit(0, &r) - h);
}

#[test]
fn padding_is_bound_to_m() {
    // A proof for 3 amounts (padded with G) is not a proof for the 4 commitments [C1, C2, C3, G],
    // and vice versa, although both have 704 bytes.
    let (cs, _, proof3) = make(&[1, 2, 3], 9);
    let mut cs4 = cs.clone();
    cs4.push(G);
    assert_eq!(proof_size(4).unwrap(), proof3.len());
    assert_eq!(
        verify(&cs4, &proof3).unwrap_err().code(),
        "INVALID_RANGE_PROOF"
    );
    let mut rng = seeded_rng([10; 32]);
    let masks = [
        Scalar::from(5u64),
        Scalar::from(6u64),
        Scalar::from(7u64),
        Scalar::ONE,
    ];
    let proof4 = prove(&[1, 2, 3, 0], &masks, &mut rng).unwrap();
    let cs4b: Vec<_> = [1u64, 2, 3, 0]
        .iter()
        .zip(&masks)
        .map(|(&v, r)| commit(v, r))
        .collect();
    assert_eq!(cs4b[3], G);
    verify(&cs4b, &proof4).unwrap();
    assert_eq!(
        verify(&cs4b[..3], &proof4).unwrap_err().code(),
        "INVALID_RANGE_PROOF"
    );
}

#[test]
fn commitment_order_matters() {
    let (cs, _, proof) = make(&[10, 20], 11);
    let swapped = vec![cs[1], cs[0]];
    assert!(verify(&swapped, &proof).is_err());
}

#[test]
fn argument_errors() {
    let mut rng = seeded_rng([12; 32]);
    let r = Scalar::from(3u64);
    assert_eq!(
        prove(&[], &[], &mut rng).unwrap_err().code(),
        "AGGREGATION_SIZE"
    );
    assert_eq!(
        prove(&[1; 17], &[r; 17], &mut rng).unwrap_err().code(),
        "AGGREGATION_SIZE"
    );
    assert_eq!(
        prove(&[1, 2], &[r], &mut rng).unwrap_err().code(),
        "AGGREGATION_SIZE"
    );

    let (cs, _, proof) = make(&[1, 2], 13);
    assert_eq!(verify(&[], &proof).unwrap_err().code(), "AGGREGATION_SIZE");
    assert_eq!(
        verify(&vec![cs[0]; 17], &proof).unwrap_err().code(),
        "AGGREGATION_SIZE"
    );
    // m = 1 with a proof for m = 2: wrong length
    assert_eq!(
        verify(&cs[..1], &proof).unwrap_err().code(),
        "INVALID_RANGE_PROOF"
    );
    let id = RistrettoPoint::default();
    assert_eq!(
        verify(&[cs[0], id], &proof).unwrap_err().code(),
        "IDENTITY_POINT"
    );

    let enc = encode(&cs);
    assert_eq!(
        verify_bytes(&enc[..63], &proof).unwrap_err().code(),
        "INVALID_LENGTH"
    );
    assert_eq!(
        verify_bytes(&[], &proof).unwrap_err().code(),
        "AGGREGATION_SIZE"
    );
    assert_eq!(
        verify_bytes(&[7u8; 32 * 17], &proof).unwrap_err().code(),
        "AGGREGATION_SIZE"
    );
    let mut with_id = enc.clone();
    with_id[32..].fill(0);
    assert_eq!(
        verify_bytes(&with_id, &proof).unwrap_err().code(),
        "IDENTITY_POINT"
    );
    let mut non_canonical = enc.clone();
    non_canonical[0..32].fill(0xff);
    assert_eq!(
        verify_bytes(&non_canonical, &proof).unwrap_err().code(),
        "INVALID_POINT"
    );
    // truncated, extended proofs
    assert_eq!(
        verify(&cs, &proof[..proof.len() - 1]).unwrap_err().code(),
        "INVALID_RANGE_PROOF"
    );
    assert_eq!(
        verify(&cs, &[proof.as_slice(), &[0]].concat())
            .unwrap_err()
            .code(),
        "INVALID_RANGE_PROOF"
    );
    assert_eq!(verify(&cs, &[]).unwrap_err().code(), "INVALID_RANGE_PROOF");
}

#[test]
fn non_canonical_and_identity_proof_elements() {
    let (cs, _, proof) = make(&[1, 2], 14);
    // Layout: d1 | A | A1 | B | r1 | s1 | (L | R)*
    let ell_le: [u8; 32] = {
        let mut b = [0u8; 32];
        b.copy_from_slice(&(-Scalar::ONE).to_bytes());
        b[0] += 1; // ℓ itself: non-canonical
        b
    };
    for (offset, what) in [(0, "d1"), (128, "r1"), (160, "s1")] {
        let mut bad = proof.clone();
        bad[offset..offset + 32].copy_from_slice(&ell_le);
        assert_eq!(
            verify(&cs, &bad).unwrap_err().code(),
            "INVALID_RANGE_PROOF",
            "{what}"
        );
    }
    for (offset, what) in [(32, "A"), (64, "A1"), (96, "B"), (192, "L0"), (224, "R0")] {
        let mut bad = proof.clone();
        bad[offset..offset + 32].fill(0); // identity
        assert_eq!(
            verify(&cs, &bad).unwrap_err().code(),
            "INVALID_RANGE_PROOF",
            "{what}"
        );
        bad[offset..offset + 32].fill(0xff); // not a point
        assert_eq!(
            verify(&cs, &bad).unwrap_err().code(),
            "INVALID_RANGE_PROOF",
            "{what}"
        );
    }
}

#[test]
fn batch_of_64_two_output_proofs() {
    let items: Vec<(Vec<RistrettoPoint>, Vec<u8>)> = (0..64u64)
        .map(|i| {
            let (cs, _, proof) = make(&[i * 1000, u64::MAX - i], i as u8);
            (cs, proof)
        })
        .collect();
    batch_verify(&items).unwrap();
    batch_verify_index(&items).unwrap();
    batch_verify(&[]).unwrap();

    // One bad item anywhere is found, with its index.
    for bad_index in [0usize, 17, 63] {
        // (a) a flipped proof byte in the scalar r1 (still canonical with high probability)
        let mut bad = items.clone();
        bad[bad_index].1[130] ^= 1;
        let (idx, err) = batch_verify_index(&bad).unwrap_err();
        assert_eq!((idx, err.code()), (bad_index, "INVALID_RANGE_PROOF"));
        assert_eq!(
            batch_verify(&bad).unwrap_err().code(),
            "INVALID_RANGE_PROOF"
        );

        // (b) a valid proof for other commitments (fails only in the combined equation)
        let mut bad = items.clone();
        let other = (bad_index + 1) % 64;
        bad[bad_index].1 = items[other].1.clone();
        let (idx, err) = batch_verify_index(&bad).unwrap_err();
        assert_eq!((idx, err.code()), (bad_index, "INVALID_RANGE_PROOF"));

        // (c) an amount change in one commitment
        let mut bad = items.clone();
        bad[bad_index].0[1] += generator_h();
        let (idx, _) = batch_verify_index(&bad).unwrap_err();
        assert_eq!(idx, bad_index);

        // (d) a structural error (identity commitment)
        let mut bad = items.clone();
        bad[bad_index].0[0] = RistrettoPoint::default();
        let (idx, err) = batch_verify_index(&bad).unwrap_err();
        assert_eq!((idx, err.code()), (bad_index, "IDENTITY_POINT"));
    }
}

#[test]
fn batch_mixed_sizes() {
    let items: Vec<(Vec<RistrettoPoint>, Vec<u8>)> = [1usize, 16, 2, 3, 5, 9, 1]
        .iter()
        .enumerate()
        .map(|(i, &m)| {
            let values: Vec<u64> = (0..m as u64).map(|j| j * 7 + i as u64).collect();
            let (cs, _, proof) = make(&values, 100 + i as u8);
            (cs, proof)
        })
        .collect();
    batch_verify(&items).unwrap();
    let mut bad = items.clone();
    bad[5].1[140] ^= 0x10;
    assert_eq!(batch_verify_index(&bad).unwrap_err().0, 5);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn round_trip(values in proptest::collection::vec(value_strategy(), 1..=16), seed in any::<[u8; 32]>()) {
        let mut rng = seeded_rng(seed);
        let masks: Vec<Scalar> = values.iter().map(|_| random_scalar(&mut rng)).collect();
        let proof = prove(&values, &masks, &mut rng).unwrap();
        prop_assert_eq!(proof.len(), proof_size(values.len()).unwrap());
        let cs: Vec<_> = values.iter().zip(&masks).map(|(&v, r)| commit(v, r)).collect();
        prop_assert!(verify(&cs, &proof).is_ok());
        prop_assert!(verify_bytes(&encode(&cs), &proof).is_ok());
    }

    /// Changing one amount (by any nonzero delta, including wrap-around) or one mask of the
    /// commitments makes the proof fail.
    #[test]
    fn different_opening_fails(values in proptest::collection::vec(value_strategy(), 1..=4),
                               idx in any::<prop::sample::Index>(), delta in 1u64.., change_mask in any::<bool>(),
                               seed in any::<[u8; 32]>()) {
        let mut rng = seeded_rng(seed);
        let masks: Vec<Scalar> = values.iter().map(|_| random_scalar(&mut rng)).collect();
        let proof = prove(&values, &masks, &mut rng).unwrap();
        let i = idx.index(values.len());
        let mut cs: Vec<_> = values.iter().zip(&masks).map(|(&v, r)| commit(v, r)).collect();
        cs[i] = if change_mask {
            commit(values[i], &(masks[i] + Scalar::ONE))
        } else {
            commit(values[i].wrapping_add(delta), &masks[i])
        };
        prop_assert_eq!(verify(&cs, &proof).unwrap_err().code(), "INVALID_RANGE_PROOF");
    }

    /// Random bit flips in proofs of any aggregation size are rejected.
    #[test]
    fn random_flip_fails(m in 1usize..=16, pos in any::<prop::sample::Index>(), bit in 0u8..8, seed in any::<u8>()) {
        let values: Vec<u64> = (0..m as u64).collect();
        let (cs, _, mut proof) = make(&values, seed);
        let p = pos.index(proof.len());
        proof[p] ^= 1 << bit;
        prop_assert_eq!(verify(&cs, &proof).unwrap_err().code(), "INVALID_RANGE_PROOF");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Arbitrary bytes never panic and never verify, whatever their length.
    #[test]
    fn garbage_never_panics(m in 1usize..=4, bytes in proptest::collection::vec(any::<u8>(), 0..900)) {
        let cs: Vec<_> = (0..m as u64).map(|v| commit(v, &Scalar::from(v + 1))).collect();
        prop_assert!(verify(&cs, &bytes).is_err());
        prop_assert!(verify_bytes(&bytes, &bytes).is_err());
    }

    /// Garbage of exactly the right length (mostly canonical scalars and valid points are
    /// unlikely, but the structure is exercised) never panics or verifies.
    #[test]
    fn right_length_garbage(m in 1usize..=16, seed in any::<[u8; 32]>()) {
        let mut rng = seeded_rng(seed);
        let mut bytes = vec![0u8; proof_size(m).unwrap()];
        rng.fill_bytes(&mut bytes);
        // Make every 32-byte block a canonical scalar / valid point encoding so decoding passes
        // and the verification equation itself is reached.
        for chunk in bytes.chunks_mut(32) {
            let s = random_scalar(&mut rng);
            let p = RistrettoPoint::mul_base(&s).compress().to_bytes();
            chunk.copy_from_slice(if chunk[0] & 1 == 0 { s.as_bytes() } else { &p });
        }
        let cs: Vec<_> = (0..m as u64).map(|v| commit(v, &Scalar::from(v + 1))).collect();
        prop_assert!(verify(&cs, &bytes).is_err());
    }
}

/// Every case of the committed `test-vectors/rangeproof.json` re-checked through the public
/// byte API (the drift check itself is in `tests/vectors.rs`).
#[test]
fn committed_vectors() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../test-vectors/rangeproof.json"
    );
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut n = 0;
    for g in v["testGroups"].as_array().unwrap() {
        assert_eq!(g["type"], "RangeProofVerify");
        assert_eq!(g["paddingCommitment"], hex::encode(PADDING_COMMITMENT));
        assert_eq!(g["H"], hex::encode(generator_h().compress().as_bytes()));
        for t in g["tests"].as_array().unwrap() {
            n += 1;
            let cs: Vec<u8> = t["commitments"]
                .as_array()
                .unwrap()
                .iter()
                .flat_map(|c| hex::decode(c.as_str().unwrap()).unwrap())
                .collect();
            let proof = hex::decode(t["proof"].as_str().unwrap()).unwrap();
            let got = verify_bytes(&cs, &proof);
            match t["result"].as_str().unwrap() {
                "valid" => assert!(got.is_ok(), "tcId {}: {:?}", t["tcId"], got),
                "invalid" => assert_eq!(
                    got.unwrap_err().code(),
                    t["error"].as_str().unwrap(),
                    "tcId {}",
                    t["tcId"]
                ),
                other => panic!("tcId {}: result {other}", t["tcId"]),
            }
        }
    }
    assert_eq!(n, v["numberOfTests"].as_u64().unwrap() as usize);
    assert!(n >= 30);
}
