//! `key_image.json`: key images `I = x·Hp(P)` (docs/crypto.md §5).

use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use serde_json::{json, Value};

use super::scalar::L_BYTES;
use super::{case, file, group, hx, rng_for};
use crate::mlsag::key_image_bytes;

fn one(
    comment: &str,
    flags: &[&str],
    x: &[u8],
    pk: &[u8],
    ki: Option<[u8; 32]>,
    expect: Option<Option<&'static str>>,
) -> Value {
    let got = match key_image_bytes(x, pk) {
        Err(e) => Some(Some(e.code())),
        Ok(k) if Some(k) == ki => None,
        Ok(_) => Some(None),
    };
    assert_eq!(got, expect, "key_image.json: {comment}");
    let mut v = json!({"oneTimeSecret": hx(x), "oneTimeKey": hx(pk)});
    if let Some(k) = ki {
        v["keyImage"] = json!(hx(k));
    }
    match expect {
        None => case(comment, flags, true, None, v),
        Some(code) => case(comment, flags, false, code, v),
    }
}

/// Builds `key_image.json`.
pub fn generate() -> Value {
    let mut rng = rng_for("key_image.json");
    let mut t = Vec::new();
    let mut pairs = Vec::new();
    for i in 0..6 {
        let x = if i == 0 {
            Scalar::ONE
        } else {
            Scalar::random(&mut rng)
        };
        let pk = RistrettoPoint::mul_base(&x).compress().to_bytes();
        let ki = key_image_bytes(x.as_bytes(), &pk).unwrap();
        pairs.push((x, pk, ki));
        t.push(one(
            &format!("key image {i}"),
            &[],
            x.as_bytes(),
            &pk,
            Some(ki),
            None,
        ));
    }
    let (x0, p0, k0) = pairs[1];
    let (x1, _, k1) = pairs[2];
    t.push(one(
        "key image of another secret",
        &["WrongKeyImage"],
        x0.as_bytes(),
        &p0,
        Some(k1),
        Some(None),
    ));
    t.push(one(
        "key image x·G instead of x·Hp(P)",
        &["WrongKeyImage"],
        x0.as_bytes(),
        &p0,
        Some(p0),
        Some(None),
    ));
    t.push(one(
        "secret does not match the one-time key",
        &["Mismatch"],
        x1.as_bytes(),
        &p0,
        Some(k0),
        Some(Some("SIGNER_MISMATCH")),
    ));
    t.push(one(
        "non-canonical secret (l)",
        &["NonCanonical"],
        &L_BYTES,
        &p0,
        None,
        Some(Some("NON_CANONICAL_SCALAR")),
    ));
    t.push(one(
        "zero secret, identity one-time key",
        &["Identity"],
        &[0; 32],
        &[0; 32],
        None,
        Some(Some("IDENTITY_POINT")),
    ));
    let mut bad = p0;
    bad[31] |= 0x80;
    t.push(one(
        "non-canonical one-time key",
        &["InvalidEncoding"],
        x0.as_bytes(),
        &bad,
        None,
        Some(Some("INVALID_POINT")),
    ));
    file(
        "BAIOS-KeyImage",
        &[
            "I = x·Hp(P), Hp(P) = hash_to_point(\"BAIOS-v1-KeyImage_ristretto255_XMD:SHA-512_R255MAP_RO_\", enc(P)), with P = x·G checked (docs/crypto.md §5).",
            "valid iff the inputs decode, x·G == oneTimeKey, and keyImage == x·Hp(P).",
        ],
        json!({
            "WrongKeyImage": "keyImage is not x·Hp(P); no error code",
            "Mismatch": "x·G != oneTimeKey",
            "NonCanonical": "x >= l",
            "Identity": "the one-time key is the identity",
            "InvalidEncoding": "the one-time key is not a canonical encoding"
        }),
        vec![group("KeyImage", Value::Null, t)],
    )
}
