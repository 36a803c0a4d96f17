//! `point.json`: canonical ristretto255 point decoding and identity rejection (docs/crypto.md §1,
//! RFC 9496 §4.3.1).

use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use rand_core::Rng;
use serde_json::{json, Value};

use super::{case, file, group, hx, rng_for};
use crate::encoding::{decode_key, decode_point};

fn one(
    comment: &str,
    flags: &[&str],
    enc: &[u8],
    allow_identity: bool,
    expect: Option<&'static str>,
) -> Value {
    let got = if allow_identity {
        decode_point(enc, "encoding").err()
    } else {
        decode_key(enc, "encoding").err()
    }
    .map(|e| e.code());
    assert_eq!(got, expect, "point.json: {comment}");
    case(
        comment,
        flags,
        expect.is_none(),
        expect,
        json!({ "encoding": hx(enc), "allowIdentity": allow_identity }),
    )
}

/// Builds `point.json`.
pub fn generate() -> Value {
    let mut rng = rng_for("point.json");
    let g = RistrettoPoint::mul_base(&Scalar::ONE).compress().to_bytes();
    let mut t = vec![
        one(
            "identity where allowed",
            &["Identity"],
            &[0; 32],
            true,
            None,
        ),
        one(
            "identity as a key",
            &["Identity"],
            &[0; 32],
            false,
            Some("IDENTITY_POINT"),
        ),
        one("generator G", &[], &g, false, None),
        one("generator G where identity allowed", &[], &g, true, None),
    ];
    for i in 0..4 {
        let p = RistrettoPoint::mul_base(&Scalar::random(&mut rng))
            .compress()
            .to_bytes();
        t.push(one(&format!("random point {i}"), &[], &p, i % 2 == 0, None));
    }
    let ip = Some("INVALID_POINT");
    // A valid encoding with the top bit set: a non-canonical field element (>= 2^255 > p).
    let mut top = g;
    top[31] |= 0x80;
    t.push(one(
        "G with bit 255 set",
        &["NonCanonicalField"],
        &top,
        false,
        ip,
    ));
    // s = p (2^255 - 19): non-canonical encoding of 0.
    let mut p_enc = [0xffu8; 32];
    p_enc[0] = 0xed;
    p_enc[31] = 0x7f;
    t.push(one(
        "s = p (non-canonical zero)",
        &["NonCanonicalField"],
        &p_enc,
        true,
        ip,
    ));
    let mut s1 = [0u8; 32];
    s1[0] = 1;
    t.push(one(
        "s = 1 (negative field element)",
        &["NegativeS"],
        &s1,
        false,
        ip,
    ));
    // Negate a valid encoding's s: p - s is odd iff s is even and non-zero; it is negative.
    let mut neg = [0u8; 32];
    {
        // p - s for s = enc(G) as integers (little-endian subtraction).
        let mut borrow = 0i16;
        for k in 0..32 {
            let v = p_enc[k] as i16 - g[k] as i16 - borrow;
            neg[k] = v.rem_euclid(256) as u8;
            borrow = if v < 0 { 1 } else { 0 };
        }
    }
    t.push(one(
        "-s of G (negative field element)",
        &["NegativeS"],
        &neg,
        false,
        ip,
    ));
    // Random even, canonical s that do not decode (about half of them).
    let mut found = 0;
    while found < 4 {
        let mut b = [0u8; 32];
        rng.fill_bytes(&mut b);
        b[0] &= 0xfe;
        b[31] &= 0x3f;
        if decode_point(&b, "p").is_err() {
            found += 1;
            t.push(one(
                &format!("random non-negative s that is not a valid encoding {found}"),
                &["NotOnGroup"],
                &b,
                true,
                ip,
            ));
        }
    }
    let il = Some("INVALID_LENGTH");
    t.push(one("31 bytes", &["Length"], &g[..31], false, il));
    t.push(one(
        "33 bytes",
        &["Length"],
        &[&g[..], &[0]].concat(),
        true,
        il,
    ));
    file(
        "BAIOS-Ristretto255-PointDecode",
        &[
            "ristretto255 decoding per RFC 9496 §4.3.1; with allowIdentity = false the identity is rejected (IDENTITY_POINT), as for every key, commitment and key image (docs/crypto.md §1).",
            "The RFC 9496 Appendix A.2 invalid encodings are in external/rfc9496.json.",
        ],
        json!({
            "Identity": "the identity element (32 zero bytes)",
            "NonCanonicalField": "s is not a canonical field element (>= p)",
            "NegativeS": "s is negative (odd)",
            "NotOnGroup": "canonical, non-negative s that fails decoding (non-square or negative t or y = 0)",
            "Length": "not 32 bytes"
        }),
        vec![group("PointDecode", Value::Null, t)],
    )
}
