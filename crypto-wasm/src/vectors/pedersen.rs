//! `pedersen.json`: commitments `C = r·G + v·H` and the balance check (docs/crypto.md §3).

use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use rand_core::Rng;
use serde_json::{json, Value};

use super::scalar::{add_small, L_BYTES};
use super::{case, file, group, hx, rng_for};
use crate::encoding::{decode_key, decode_scalar};
use crate::pedersen::{balance_check, commit, generator_h};

fn enc(p: &RistrettoPoint) -> String {
    hx(p.compress().as_bytes())
}

fn encs(ps: &[RistrettoPoint]) -> Vec<String> {
    ps.iter().map(enc).collect()
}

/// Re-checks a balance case exactly as a verifier would (decode, then Σ check); returns the
/// error code, `Some("")` for an unbalanced transaction, `None` if it balances.
fn verdict(pseudo: &[String], outs: &[String], fee: u64) -> Option<&'static str> {
    let dec = |v: &[String], w| -> Result<Vec<RistrettoPoint>, &'static str> {
        v.iter()
            .map(|h| decode_key(&hex::decode(h).unwrap(), w).map_err(|e| e.code()))
            .collect()
    };
    let p = match dec(pseudo, "pseudo-output") {
        Ok(p) => p,
        Err(c) => return Some(c),
    };
    let o = match dec(outs, "output") {
        Ok(o) => o,
        Err(c) => return Some(c),
    };
    if balance_check(&p, &o, fee) {
        None
    } else {
        Some("")
    }
}

/// Builds `pedersen.json`.
pub fn generate() -> Value {
    let mut rng = rng_for("pedersen.json");
    let h = generator_h();
    let mut commits = Vec::new();
    let mut add = |comment: &str,
                   flags: &[&str],
                   value: u64,
                   mask: &[u8],
                   commitment: String,
                   expect: Option<Option<&'static str>>| {
        // expect: None = valid; Some(code) = invalid with optional code.
        let (valid, code) = match expect {
            None => (true, None),
            Some(c) => (false, c),
        };
        let got = match decode_scalar(mask, "mask") {
            Err(e) => Some(Some(e.code())),
            Ok(m) if enc(&commit(value, &m)) == commitment => None,
            Ok(_) => Some(None),
        };
        assert_eq!(got, expect, "pedersen.json commit: {comment}");
        commits.push(case(
            comment,
            flags,
            valid,
            code,
            json!({"value": value.to_string(), "mask": hx(mask), "commitment": commitment}),
        ));
    };
    for (i, value) in [0u64, 1, 100_000_000, u64::MAX].into_iter().enumerate() {
        let r = Scalar::random(&mut rng);
        add(
            &format!("value {value} ({i})"),
            &[],
            value,
            r.as_bytes(),
            enc(&commit(value, &r)),
            None,
        );
    }
    add(
        "zero mask: C = v·H",
        &["ZeroMask"],
        7,
        &[0; 32],
        enc(&(h * Scalar::from(7u64))),
        None,
    );
    for _ in 0..2 {
        let v = rng.next_u64();
        let r = Scalar::random(&mut rng);
        add(
            &format!("random value {v}"),
            &[],
            v,
            r.as_bytes(),
            enc(&commit(v, &r)),
            None,
        );
    }
    let r = Scalar::random(&mut rng);
    add(
        "commitment to v + 1",
        &["WrongOpening"],
        41,
        r.as_bytes(),
        enc(&commit(42, &r)),
        Some(None),
    );
    add(
        "commitment with another mask",
        &["WrongOpening"],
        42,
        r.as_bytes(),
        enc(&commit(42, &(r + Scalar::ONE))),
        Some(None),
    );
    add(
        "commitment with G and H swapped",
        &["WrongOpening"],
        42,
        r.as_bytes(),
        enc(&(h * r + RistrettoPoint::mul_base(&Scalar::from(42u64)))),
        Some(None),
    );
    assert!(decode_scalar(&L_BYTES, "m").is_err());
    add(
        "mask = l (non-canonical)",
        &["NonCanonical"],
        1,
        &L_BYTES,
        enc(&commit(1, &Scalar::ZERO)),
        Some(Some("NON_CANONICAL_SCALAR")),
    );
    add(
        "mask = l + 1 (non-canonical)",
        &["NonCanonical"],
        1,
        &add_small(L_BYTES, 1),
        enc(&commit(1, &Scalar::ONE)),
        Some(Some("NON_CANONICAL_SCALAR")),
    );

    // Balance checks.
    let mut bal = Vec::new();
    let mut push = |comment: &str,
                    flags: &[&str],
                    pseudo: Vec<String>,
                    outs: Vec<String>,
                    fee: u64,
                    expect: Option<&'static str>| {
        let got = verdict(&pseudo, &outs, fee);
        assert_eq!(got, expect, "pedersen.json balance: {comment}");
        let code = match expect {
            Some("") => None,
            other => other,
        };
        bal.push(case(
            comment,
            flags,
            expect.is_none(),
            code,
            json!({"pseudoOuts": pseudo, "outputs": outs, "fee": fee.to_string()}),
        ));
    };
    for (n_in, n_out) in [(1usize, 1usize), (1, 2), (2, 2), (3, 16)] {
        // Random amounts; pseudo-output masks chosen so that Σ masks match.
        let outs_v: Vec<u64> = (0..n_out).map(|_| rng.next_u64() >> 8).collect();
        let fee = rng.next_u64() >> 24;
        let total: u64 = outs_v.iter().sum::<u64>() + fee;
        let mut ins_v: Vec<u64> = (0..n_in - 1).map(|_| total / (n_in as u64 + 1)).collect();
        ins_v.push(total - ins_v.iter().sum::<u64>());
        let outs_r: Vec<Scalar> = (0..n_out).map(|_| Scalar::random(&mut rng)).collect();
        let mut ins_r: Vec<Scalar> = (0..n_in - 1).map(|_| Scalar::random(&mut rng)).collect();
        let sum_out: Scalar = outs_r.iter().sum();
        let sum_in: Scalar = ins_r.iter().sum();
        ins_r.push(sum_out - sum_in);
        let pseudo: Vec<_> = ins_v
            .iter()
            .zip(&ins_r)
            .map(|(v, r)| commit(*v, r))
            .collect();
        let outs: Vec<_> = outs_v
            .iter()
            .zip(&outs_r)
            .map(|(v, r)| commit(*v, r))
            .collect();
        push(
            &format!("{n_in} in, {n_out} out, fee {fee}"),
            &[],
            encs(&pseudo),
            encs(&outs),
            fee,
            None,
        );
        if n_in == 2 && n_out == 2 {
            push(
                "fee + 1",
                &["Unbalanced"],
                encs(&pseudo),
                encs(&outs),
                fee + 1,
                Some(""),
            );
            push(
                "fee - 1",
                &["Unbalanced"],
                encs(&pseudo),
                encs(&outs),
                fee - 1,
                Some(""),
            );
            let mut o2 = outs.clone();
            o2[1] = commit(outs_v[1] + 1, &outs_r[1]);
            push(
                "an output amount + 1",
                &["Unbalanced"],
                encs(&pseudo),
                encs(&o2),
                fee,
                Some(""),
            );
            let mut p2 = pseudo.clone();
            p2[0] = commit(ins_v[0] - 1, &ins_r[0]);
            push(
                "a pseudo-output amount - 1",
                &["Unbalanced"],
                encs(&p2),
                encs(&outs),
                fee,
                Some(""),
            );
            push(
                "an output dropped",
                &["Unbalanced"],
                encs(&pseudo),
                encs(&outs[..1]),
                fee,
                Some(""),
            );
            let mut ids = encs(&outs);
            ids.push(hx([0u8; 32]));
            push(
                "identity output appended",
                &["Identity"],
                encs(&pseudo),
                ids,
                fee,
                Some("IDENTITY_POINT"),
            );
        }
    }
    // Zero-value transaction with zero fee: one pseudo-output equal to the single output.
    let r = Scalar::random(&mut rng);
    let c = commit(0, &r);
    push(
        "zero amount, zero fee",
        &[],
        encs(&[c]),
        encs(&[c]),
        0,
        None,
    );
    push(
        "no outputs, pseudo-output 5·H + r·G, fee 5",
        &["NoOutputs"],
        encs(&[commit(5, &Scalar::ZERO) + RistrettoPoint::mul_base(&r)]),
        vec![],
        5,
        Some(""),
    );

    file(
        "BAIOS-Pedersen",
        &[
            "C = mask·G + value·H with H = hash_to_point(\"BAIOS-v1-PedersenH_ristretto255_XMD:SHA-512_R255MAP_RO_\", enc(G)) (docs/crypto.md §3).",
            "PedersenCommit: valid iff commitment == mask·G + value·H. BalanceCheck: valid iff Σ pseudoOuts == Σ outputs + fee·H.",
            "value and fee are u64 decimal strings (atomic units, 1 BAI = 10^8).",
        ],
        json!({
            "ZeroMask": "mask = 0",
            "WrongOpening": "the commitment does not open to (value, mask); no error code",
            "NonCanonical": "the mask is not a canonical scalar",
            "Unbalanced": "the balance equation does not hold; no error code",
            "Identity": "a commitment is the identity",
            "NoOutputs": "no outputs and a pseudo-output with a non-zero mask, so the sum is not fee·H"
        }),
        vec![
            group("PedersenCommit", json!({"H": enc(&h)}), commits),
            group("BalanceCheck", Value::Null, bal),
        ],
    )
}
