//! `rangeproof.json`: aggregated Bulletproofs+ range proofs (docs/crypto.md §6).

use curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT as G;
use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use serde_json::{json, Value};

use super::scalar::L_BYTES;
use super::{case, file, group, hx, rng_for};
use crate::pedersen::{commit, generator_h};
use crate::rangeproof::{proof_size, prove, verify_bytes, PADDING_COMMITMENT, TRANSCRIPT_LABEL};

fn enc(p: &RistrettoPoint) -> [u8; 32] {
    p.compress().to_bytes()
}

/// Builds `rangeproof.json`.
pub fn generate() -> Value {
    let mut rng = rng_for("rangeproof.json");
    let mut tests = Vec::new();
    let mut add = |comment: &str, flags: &[&str], commitments: &[[u8; 32]], proof: &[u8]| {
        let concat: Vec<u8> = commitments.concat();
        let got = verify_bytes(&concat, proof).map_err(|e| e.code()).err();
        let cs: Vec<String> = commitments.iter().map(hx).collect();
        tests.push(case(
            comment,
            flags,
            got.is_none(),
            got,
            json!({ "commitments": cs, "proof": hx(proof) }),
        ));
        got
    };
    let mut honest = |values: &[u64]| -> (Vec<Scalar>, Vec<[u8; 32]>, Vec<u8>) {
        let masks: Vec<Scalar> = values.iter().map(|_| Scalar::random(&mut rng)).collect();
        let proof = prove(values, &masks, &mut rng).expect("honest proof");
        let cs = values
            .iter()
            .zip(&masks)
            .map(|(&v, r)| enc(&commit(v, r)))
            .collect();
        (masks, cs, proof)
    };

    // Valid proofs for every padded size and some unpadded m.
    let (_, cs1, p1) = honest(&[0]);
    assert_eq!(add("m = 1, value 0", &["Valid"], &cs1, &p1), None);
    let (m_max, cs_max, p_max) = honest(&[u64::MAX]);
    assert_eq!(
        add("m = 1, value 2^64 − 1", &["Valid"], &cs_max, &p_max),
        None
    );
    let (m2, cs2, p2) = honest(&[100_000_000, 2_100_000_000_000_000_000]);
    assert_eq!(
        add(
            "m = 2 (typical two-output transaction)",
            &["Valid"],
            &cs2,
            &p2
        ),
        None
    );
    let (_, cs3, p3) = honest(&[1, 2, 3]);
    assert_eq!(
        add(
            "m = 3 (padded to 4 with G)",
            &["Valid", "Padded"],
            &cs3,
            &p3
        ),
        None
    );
    let (_, cs4, p4) = honest(&[0, u64::MAX, 1 << 63, 12_345]);
    assert_eq!(add("m = 4", &["Valid"], &cs4, &p4), None);
    let values5: Vec<u64> = (0..5).map(|i| i * 1_000_000_007).collect();
    let (_, cs5, p5) = honest(&values5);
    assert_eq!(
        add("m = 5 (padded to 8)", &["Valid", "Padded"], &cs5, &p5),
        None
    );
    let values16: Vec<u64> = (0..16).map(|i| u64::MAX - i * 3).collect();
    let (_, cs16, p16) = honest(&values16);
    assert_eq!(add("m = 16", &["Valid"], &cs16, &p16), None);

    const RP: Option<&str> = Some("INVALID_RANGE_PROOF");

    // Modified proofs (layout d1 | A | A1 | B | r1 | s1 | (L | R)*).
    for (offset, what) in [
        (0usize, "d1"),
        (40, "A"),
        (72, "A1"),
        (100, "B"),
        (130, "r1"),
        (170, "s1"),
        (200, "L0"),
        (600, "R6"),
    ] {
        let mut bad = p2.clone();
        bad[offset] ^= 0x02;
        assert_eq!(
            add(
                &format!("m = 2, one bit of {what} flipped"),
                &["ModifiedProof"],
                &cs2,
                &bad
            ),
            RP
        );
    }
    // Non-canonical scalar (ℓ) and identity / invalid points inside the proof.
    let mut bad = p2.clone();
    bad[128..160].copy_from_slice(&L_BYTES);
    assert_eq!(
        add(
            "m = 2, r1 = ℓ (non-canonical)",
            &["MalformedProof"],
            &cs2,
            &bad
        ),
        RP
    );
    let mut bad = p2.clone();
    bad[32..64].fill(0);
    assert_eq!(
        add("m = 2, A = identity", &["MalformedProof"], &cs2, &bad),
        RP
    );
    let mut bad = p2.clone();
    bad[192..224].fill(0xff);
    assert_eq!(
        add(
            "m = 2, L0 not a point encoding",
            &["MalformedProof"],
            &cs2,
            &bad
        ),
        RP
    );
    // Lengths.
    assert_eq!(
        add(
            "m = 2, proof truncated by one byte",
            &["MalformedProof"],
            &cs2,
            &p2[..p2.len() - 1]
        ),
        RP
    );
    assert_eq!(
        add(
            "m = 2, one extra byte",
            &["MalformedProof"],
            &cs2,
            &[p2.as_slice(), &[0]].concat()
        ),
        RP
    );
    assert_eq!(
        add(
            "m = 2, library encoding with the extension-degree byte 01",
            &["MalformedProof"],
            &cs2,
            &[&[1u8], p2.as_slice()].concat()
        ),
        RP
    );
    assert_eq!(
        add(
            "m = 1 commitment with a proof for m = 2",
            &["MalformedProof"],
            &cs2[..1],
            &p2
        ),
        RP
    );
    assert_eq!(add("empty proof", &["MalformedProof"], &cs1, &[]), RP);

    // Wrong statements.
    let h = generator_h();
    let wrong_amount = enc(&commit(100_000_001, &m2[0]));
    assert_eq!(
        add(
            "m = 2, first amount changed by one",
            &["WrongCommitment"],
            &[wrong_amount, cs2[1]],
            &p2
        ),
        RP
    );
    let wrong_mask = enc(&commit(100_000_000, &(m2[0] + Scalar::ONE)));
    assert_eq!(
        add(
            "m = 2, first mask changed by one",
            &["WrongCommitment"],
            &[wrong_mask, cs2[1]],
            &p2
        ),
        RP
    );
    assert_eq!(
        add(
            "m = 2, commitments swapped",
            &["WrongCommitment"],
            &[cs2[1], cs2[0]],
            &p2
        ),
        RP
    );
    assert_eq!(
        add(
            "m = 1, proof of another transaction",
            &["WrongCommitment"],
            &cs1,
            &p_max
        ),
        RP
    );
    let mut cs3_padded = cs3.clone();
    cs3_padded.push(PADDING_COMMITMENT);
    assert_eq!(proof_size(4).ok(), Some(p3.len()));
    assert_eq!(
        add("proof for m = 3 presented for m = 4 with the padding G appended (m is in the transcript)", &["Padded", "WrongCommitment"], &cs3_padded, &p3),
        RP
    );
    // Out of range: 2^64 and −1 (ℓ − 1) with the mask of an honest proof for 2^64 − 1.
    let two_64 = Scalar::from(u64::MAX) + Scalar::ONE;
    let c_2_64 = enc(&(G * m_max[0] + h * two_64));
    assert_eq!(
        add(
            "commitment to 2^64 (out of range), proof for 2^64 − 1 with the same mask",
            &["OutOfRange"],
            &[c_2_64],
            &p_max
        ),
        RP
    );
    let c_neg = enc(&(G * m_max[0] - h));
    assert_eq!(
        add(
            "commitment to −1 = ℓ − 1 (out of range)",
            &["OutOfRange"],
            &[c_neg],
            &p_max
        ),
        RP
    );

    // Commitment decoding and aggregation size.
    assert_eq!(
        add("no commitments", &["AggregationSize"], &[], &p1),
        Some("AGGREGATION_SIZE")
    );
    let seventeen: Vec<[u8; 32]> = cs16.iter().copied().chain([cs1[0]]).collect();
    assert_eq!(
        add("17 commitments", &["AggregationSize"], &seventeen, &p16),
        Some("AGGREGATION_SIZE")
    );
    assert_eq!(
        add(
            "identity commitment",
            &["Identity"],
            &[cs2[0], [0; 32]],
            &p2
        ),
        Some("IDENTITY_POINT")
    );
    assert_eq!(
        add(
            "non-canonical commitment encoding",
            &["InvalidPoint"],
            &[cs2[0], [0xff; 32]],
            &p2
        ),
        Some("INVALID_POINT")
    );

    file(
        "BAIOS-BulletproofsPlus",
        &[
            "Aggregated Bulletproofs+ (eprint 2020/735) over ristretto255 via tari_bulletproofs_plus 0.5.3 (docs/crypto.md §6).",
            "RangeProofVerify: valid iff proof shows every commitment C_j = r_j·G + v_j·H opens to v_j in [0, 2^64).",
            "Bit length 64; m = 1..=16 commitments, padded to m' = next_power_of_two(m) with the commitment G (value 0, mask 1).",
            "Transcript: merlin Transcript::new(\"BAIOS/v1/bulletproof-plus\"), append_u64(\"BAIOS-m\", m), then the library's statement.",
            "Proof bytes: the library's to_bytes() without its leading extension-degree byte; 32·(6 + 2·log2(64·m')) bytes.",
        ],
        json!({
            "Valid": "an honest proof",
            "Padded": "m is not a power of two",
            "ModifiedProof": "one bit of the proof flipped",
            "MalformedProof": "wrong length, non-canonical scalar, identity or invalid point in the proof",
            "WrongCommitment": "the proof is for other commitments",
            "OutOfRange": "a commitment to a value outside [0, 2^64)",
            "AggregationSize": "0 or more than 16 commitments",
            "Identity": "a commitment is the identity",
            "InvalidPoint": "a commitment is not a canonical ristretto255 encoding",
        }),
        vec![group(
            "RangeProofVerify",
            json!({
                "H": hx(enc(&h)),
                "paddingCommitment": hx(PADDING_COMMITMENT),
                "transcriptLabel": String::from_utf8_lossy(TRANSCRIPT_LABEL),
                "bitLength": 64,
            }),
            tests,
        )],
    )
}
