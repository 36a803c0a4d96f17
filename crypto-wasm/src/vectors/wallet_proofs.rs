//! `subaddress.json` (docs/crypto.md §11) and `wallet_proofs.json` (§12: tx proofs, signed key
//! images, reserve-proof derivation proofs).

use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use serde_json::{json, Value};

use super::{case, file, group, hx, rng_for};
use crate::encoding::decode_key;
use crate::proofs::{
    check_derivation_proof, check_key_image_proof, check_tx_proof, derivation_proof,
    key_image_proof, tx_proof,
};
use crate::stealth::{keys_from_seed, Address};
use crate::subaddress::{subaddress, subaddress_scalar};

fn enc(p: &RistrettoPoint) -> [u8; 32] {
    p.compress().to_bytes()
}

/// Builds `subaddress.json`.
pub fn generate_subaddress() -> Value {
    let mut rng = rng_for("subaddress.json");
    let mut t = Vec::new();
    for (n, (i, j)) in [
        (0u32, 0u32),
        (0, 1),
        (1, 0),
        (1, 1),
        (7, 3),
        (u32::MAX, u32::MAX),
    ]
    .into_iter()
    .enumerate()
    {
        let mut seed = [0u8; 32];
        rand_core::Rng::fill_bytes(&mut rng, &mut seed);
        let k = keys_from_seed(&seed);
        let a = subaddress(&k.view_secret, &k.spend_public, i, j);
        t.push(case(
            &format!("subaddress ({i}, {j}) of wallet {n}"),
            &[],
            true,
            None,
            json!({
                "viewSecret": hx(k.view_secret.as_bytes()),
                "spendPublic": hx(enc(&k.spend_public)),
                "account": i, "index": j,
                "scalar": hx(subaddress_scalar(&k.view_secret, i, j).as_bytes()),
                "subaddressView": hx(enc(&a.view_public)),
                "subaddressSpend": hx(enc(&a.spend_public)),
            }),
        ));
    }
    // Invalid: a stated spend key that is B + m'·G for the wrong index.
    let k = keys_from_seed(&[3; 32]);
    let wrong = subaddress(&k.view_secret, &k.spend_public, 0, 2);
    t.push(case(
        "stated keys are those of (0, 2), not (0, 1)",
        &["WrongSubaddress"],
        false,
        None,
        json!({
            "viewSecret": hx(k.view_secret.as_bytes()),
            "spendPublic": hx(enc(&k.spend_public)),
            "account": 0, "index": 1,
            "scalar": hx(subaddress_scalar(&k.view_secret, 0, 1).as_bytes()),
            "subaddressView": hx(enc(&wrong.view_public)),
            "subaddressSpend": hx(enc(&wrong.spend_public)),
        }),
    ));
    file(
        "BAIOS-Subaddress",
        &[
            "m = Hs(\"BAIOS/v1/subaddress\", enc(a) ‖ u32le(i) ‖ u32le(j)) (zero for (0,0)); D = B + m·G; C = a·D; (0,0) is (A, B) = (a·G, B) (docs/crypto.md §11).",
            "valid iff subaddressView, subaddressSpend and scalar are those of (account, index).",
        ],
        json!({"WrongSubaddress": "the stated keys belong to another index; no error code"}),
        vec![group("Subaddress", Value::Null, t)],
    )
}

#[allow(clippy::too_many_arguments)]
fn tx_case(
    comment: &str,
    flags: &[&str],
    r_pub: &[u8; 32],
    txid: &[u8; 32],
    to: &Address,
    sub: bool,
    msg: &[u8],
    proof: &[u8],
    expect: Option<Option<&'static str>>,
) -> Value {
    let got = decode_key(r_pub, "tx public key")
        .and_then(|r| check_tx_proof(&r, txid, to, sub, msg, proof));
    let mut v = json!({
        "txPublic": hx(r_pub), "txid": hx(txid), "address": hx(to.to_bytes()),
        "isSubaddress": sub, "message": hx(msg), "proof": hx(proof),
    });
    match (&got, expect) {
        (Ok(d), None) => {
            v["sharedPoint"] = json!(hx(d.as_bytes()));
            case(comment, flags, true, None, v)
        }
        (Err(e), Some(code)) => {
            assert_eq!(Some(e.code()), code, "wallet_proofs.json: {comment}");
            case(comment, flags, false, code, v)
        }
        _ => panic!("wallet_proofs.json: {comment}: unexpected {got:?}"),
    }
}

/// Builds `wallet_proofs.json`.
pub fn generate_wallet_proofs() -> Value {
    let mut rng = rng_for("wallet_proofs.json");
    let k = keys_from_seed(&[11; 32]);
    let main = k.address();
    let sub = subaddress(&k.view_secret, &k.spend_public, 2, 5);
    let mut txid = [0u8; 32];
    rand_core::Rng::fill_bytes(&mut rng, &mut txid);
    let msg = b"BAIOS proof message".as_slice();
    let mut tx = Vec::new();
    let mut first = None;
    for (is_sub, to) in [(false, main), (true, sub)] {
        for m in [msg, b"".as_slice()] {
            let r = Scalar::random(&mut rng);
            let big_r = if is_sub {
                r * to.spend_public
            } else {
                RistrettoPoint::mul_base(&r)
            };
            let proof = tx_proof(&r, &txid, &to, is_sub, m, &mut rng);
            if first.is_none() {
                first = Some((enc(&big_r), proof));
            }
            tx.push(tx_case(
                &format!(
                    "tx proof to a {}, message of {} bytes",
                    if is_sub { "subaddress" } else { "main address" },
                    m.len()
                ),
                &[],
                &enc(&big_r),
                &txid,
                &to,
                is_sub,
                m,
                &proof,
                None,
            ));
        }
    }
    let (r0, p0) = first.expect("one");
    tx.push(tx_case(
        "other message",
        &["WrongContext"],
        &r0,
        &txid,
        &main,
        false,
        b"BAIOS proof messagf",
        &p0,
        Some(Some("INVALID_SIGNATURE")),
    ));
    tx.push(tx_case(
        "other txid",
        &["WrongContext"],
        &r0,
        &[0xee; 32],
        &main,
        false,
        msg,
        &p0,
        Some(Some("INVALID_SIGNATURE")),
    ));
    tx.push(tx_case(
        "other address",
        &["WrongContext"],
        &r0,
        &txid,
        &sub,
        false,
        msg,
        &p0,
        Some(Some("INVALID_SIGNATURE")),
    ));
    tx.push(tx_case(
        "main-address proof checked as subaddress",
        &["WrongContext"],
        &r0,
        &txid,
        &main,
        true,
        msg,
        &p0,
        Some(Some("INVALID_SIGNATURE")),
    ));
    let mut bad = p0;
    bad[0..32].copy_from_slice(&enc(&(RistrettoPoint::mul_base(&Scalar::from(5u64)))));
    tx.push(tx_case(
        "substituted shared point K",
        &["Forged"],
        &r0,
        &txid,
        &main,
        false,
        msg,
        &bad,
        Some(Some("INVALID_SIGNATURE")),
    ));
    let mut bad = p0;
    bad[64..96].copy_from_slice(&[0xff; 32]);
    tx.push(tx_case(
        "non-canonical response s",
        &["NonCanonical"],
        &r0,
        &txid,
        &main,
        false,
        msg,
        &bad,
        Some(Some("NON_CANONICAL_SCALAR")),
    ));
    tx.push(tx_case(
        "truncated proof",
        &["InvalidLength"],
        &r0,
        &txid,
        &main,
        false,
        msg,
        &p0[..95],
        Some(Some("INVALID_LENGTH")),
    ));

    // Signed key images.
    let mut ki = Vec::new();
    let ctx = main.to_bytes();
    let mut ki_first = None;
    for _ in 0..3 {
        let x = Scalar::random(&mut rng);
        let p = RistrettoPoint::mul_base(&x);
        let proof = key_image_proof(&x, &p, &ctx, &mut rng);
        let i = check_key_image_proof(&p, &ctx, &proof).expect("valid");
        ki_first.get_or_insert((p, proof));
        ki.push(case("signed key image", &[], true, None, json!({
            "oneTimeKey": hx(enc(&p)), "context": hx(ctx), "proof": hx(proof), "keyImage": hx(enc(&i)),
        })));
    }
    let (p0, kp0) = ki_first.expect("one");
    let mut forged = kp0;
    forged[..32].copy_from_slice(&enc(&RistrettoPoint::mul_base(&Scalar::from(9u64))));
    let x2 = Scalar::random(&mut rng);
    let other = key_image_proof(&x2, &RistrettoPoint::mul_base(&x2), &ctx, &mut rng);
    for (comment, flag, p, c, pr) in [
        (
            "fake key image with the proof of the real one",
            "Forged",
            p0,
            ctx.to_vec(),
            forged.to_vec(),
        ),
        (
            "another output's signed key image",
            "Forged",
            p0,
            ctx.to_vec(),
            other.to_vec(),
        ),
        (
            "other context (another wallet's address)",
            "WrongContext",
            p0,
            sub.to_bytes().to_vec(),
            kp0.to_vec(),
        ),
    ] {
        assert_eq!(
            check_key_image_proof(&p, &c, &pr).unwrap_err().code(),
            "INVALID_SIGNATURE"
        );
        ki.push(case(
            comment,
            &[flag],
            false,
            Some("INVALID_SIGNATURE"),
            json!({
                "oneTimeKey": hx(enc(&p)), "context": hx(&c), "proof": hx(&pr),
            }),
        ));
    }

    // Reserve-proof derivation proofs.
    let mut dp = Vec::new();
    let big_r = RistrettoPoint::mul_base(&Scalar::random(&mut rng));
    let dctx = [main.to_bytes().as_slice(), &txid, &3u32.to_le_bytes(), msg].concat();
    let proof = derivation_proof(&k.view_secret, &big_r, &dctx, &mut rng);
    let d = check_derivation_proof(&k.view_public, &big_r, &dctx, &proof).expect("valid");
    dp.push(case("derivation proof K = a·R", &[], true, None, json!({
        "viewPublic": hx(enc(&k.view_public)), "txPublic": hx(enc(&big_r)), "context": hx(&dctx),
        "proof": hx(proof), "sharedPoint": hx(d.as_bytes()),
    })));
    let eve = keys_from_seed(&[12; 32]);
    assert!(check_derivation_proof(&eve.view_public, &big_r, &dctx, &proof).is_err());
    dp.push(case("another view key", &["WrongKey"], false, Some("INVALID_SIGNATURE"), json!({
        "viewPublic": hx(enc(&eve.view_public)), "txPublic": hx(enc(&big_r)), "context": hx(&dctx),
        "proof": hx(proof),
    })));

    file(
        "BAIOS-WalletProofs",
        &[
            "Two-base Schnorr (DLEQ) proofs of docs/crypto.md §12: c = Hs(tag, enc(X) ‖ enc(Y) ‖ enc(U) ‖ enc(V) ‖ enc(T1) ‖ enc(T2) ‖ ctx), s = k − c·w.",
            "TxProofVerify: X = G, Y = A (main) or X = D, Y = C (subaddress); U = txPublic; proof = enc(K) ‖ c ‖ s; ctx = txid ‖ address ‖ u8(isSubaddress) ‖ message (§12.1).",
            "KeyImageProofVerify: X = G, Y = Hp(P), U = P, V = I; proof = enc(I) ‖ c ‖ s (§12.2).",
            "DerivationProofVerify: X = G, Y = R, U = A, V = K; proof = enc(K) ‖ c ‖ s (§12.3).",
        ],
        json!({
            "WrongContext": "txid, address, kind or message differ from the signed ones",
            "Forged": "the stated point is not the one proved",
            "NonCanonical": "a response scalar >= l",
            "InvalidLength": "the proof is not 96 bytes",
            "WrongKey": "checked against another view key",
        }),
        vec![
            group("TxProofVerify", Value::Null, tx),
            group("KeyImageProofVerify", Value::Null, ki),
            group("DerivationProofVerify", Value::Null, dp),
        ],
    )
}
