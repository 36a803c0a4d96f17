//! `scalar.json`: canonical scalar decoding (docs/crypto.md §1).

use curve25519_dalek::scalar::Scalar;
use rand_core::Rng;
use serde_json::{json, Value};

use super::{case, file, group, hx, rng_for};
use crate::encoding::decode_scalar;

/// ℓ, little-endian.
pub const L_BYTES: [u8; 32] = [
    0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
];

/// Adds a small integer to a 256-bit little-endian number (wrapping).
pub fn add_small(mut x: [u8; 32], k: u64) -> [u8; 32] {
    let mut carry = k as u128;
    for b in x.iter_mut() {
        let v = *b as u128 + (carry & 0xff);
        *b = v as u8;
        carry = (carry >> 8) + (v >> 8);
    }
    x
}

/// `s + ℓ` as a 256-bit little-endian integer (for `s < 2^256 − ℓ`): a non-canonical encoding
/// of the same residue as `s`.
pub fn add_l(s: &[u8; 32]) -> [u8; 32] {
    let mut out = [0u8; 32];
    let mut carry = 0u16;
    for ((o, a), b) in out.iter_mut().zip(s).zip(L_BYTES) {
        let v = *a as u16 + b as u16 + carry;
        *o = v as u8;
        carry = v >> 8;
    }
    assert_eq!(carry, 0, "s + l overflows 256 bits");
    out
}

fn one(comment: &str, flags: &[&str], enc: &[u8], expect: Option<&'static str>) -> Value {
    let got = decode_scalar(enc, "encoding").err().map(|e| e.code());
    assert_eq!(got, expect, "scalar.json: {comment}");
    case(
        comment,
        flags,
        expect.is_none(),
        expect,
        json!({ "encoding": hx(enc) }),
    )
}

/// Builds `scalar.json`.
pub fn generate() -> Value {
    let mut rng = rng_for("scalar.json");
    let mut t = vec![
        one("zero", &[], &[0; 32], None),
        one("one", &[], &Scalar::ONE.to_bytes(), None),
        one(
            "l - 1 (largest canonical)",
            &["Boundary"],
            &(-Scalar::ONE).to_bytes(),
            None,
        ),
        one(
            "2^252",
            &["Boundary"],
            &{
                let mut b = [0u8; 32];
                b[31] = 0x10;
                b
            },
            None,
        ),
    ];
    for i in 0..4 {
        let s = Scalar::random(&mut rng);
        t.push(one(
            &format!("random canonical scalar {i}"),
            &[],
            s.as_bytes(),
            None,
        ));
    }
    let nc = Some("NON_CANONICAL_SCALAR");
    t.push(one("l", &["NonCanonical", "Boundary"], &L_BYTES, nc));
    t.push(one("l + 1", &["NonCanonical"], &add_small(L_BYTES, 1), nc));
    t.push(one(
        "l + 2^64",
        &["NonCanonical"],
        &{
            let mut b = L_BYTES;
            b[8] = b[8].wrapping_add(1); // byte 8 of l is 0xd6: no carry
            b
        },
        nc,
    ));
    t.push(one(
        "2^253 - 1",
        &["NonCanonical"],
        &{
            let mut b = [0xffu8; 32];
            b[31] = 0x1f;
            b
        },
        nc,
    ));
    t.push(one(
        "2^255 - 19 (field prime)",
        &["NonCanonical"],
        &{
            let mut b = [0xffu8; 32];
            b[0] = 0xed;
            b[31] = 0x7f;
            b
        },
        nc,
    ));
    t.push(one("2^256 - 1", &["NonCanonical"], &[0xff; 32], nc));
    for i in 0..2 {
        // s + l for a random canonical s is a non-canonical encoding of the same residue.
        let sum = add_l(&Scalar::random(&mut rng).to_bytes());
        t.push(one(
            &format!("random s + l {i} (same residue as a canonical scalar)"),
            &["NonCanonical"],
            &sum,
            nc,
        ));
    }
    let mut high = [0u8; 32];
    rng.fill_bytes(&mut high);
    high[31] |= 0x80;
    t.push(one(
        "random with the top bit set",
        &["NonCanonical"],
        &high,
        nc,
    ));
    let il = Some("INVALID_LENGTH");
    t.push(one("empty", &["Length"], &[], il));
    t.push(one("31 bytes", &["Length"], &[1; 31], il));
    t.push(one("33 bytes", &["Length"], &[1; 33], il));
    file(
        "BAIOS-ScalarDecode",
        &[
            "Canonical decoding of 32-byte little-endian scalars modulo l = 2^252 + 27742317777372353535851937790883648493 (docs/crypto.md §1).",
            "valid: the encoding decodes (and re-encodes to the same bytes); invalid: rejected with `error`.",
        ],
        json!({
            "Boundary": "a value at or next to the bound l",
            "NonCanonical": "an integer >= l; must be rejected, never reduced",
            "Length": "not 32 bytes"
        }),
        vec![group("ScalarDecode", Value::Null, t)],
    )
}
