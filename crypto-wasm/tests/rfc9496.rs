//! RFC 9496 Appendix A test vectors for ristretto255, read from
//! `test-vectors/external/rfc9496.json` (provenance in `test-vectors/external/SOURCES.md`):
//! A.1 encodings of small multiples of the generator, A.2 invalid encodings (RFC 9496 §4.3.1
//! decoding must reject them), A.3 group elements from uniform byte strings (the one-way map of
//! RFC 9496 §4.3.4, used by our hash-to-point).

use baios_crypto::encoding::{decode_key, decode_point, encode_point};
use curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT as G;
use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use curve25519_dalek::traits::Identity;
use serde::Deserialize;

const FILE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../test-vectors/external/rfc9496.json"
);

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Suite {
    multiples_of_generator: Vec<Multiple>,
    invalid_encodings: Vec<Invalid>,
    from_uniform_bytes: Vec<Uniform>,
}

#[derive(Deserialize)]
struct Multiple {
    multiple: u64,
    encoding: String,
}

#[derive(Deserialize)]
struct Invalid {
    category: String,
    encoding: String,
}

#[derive(Deserialize)]
struct Uniform {
    input: String,
    output: String,
}

fn suite() -> Suite {
    serde_json::from_str(&std::fs::read_to_string(FILE).expect("read rfc9496.json"))
        .expect("parse rfc9496.json")
}

#[test]
fn a1_multiples_of_generator() {
    let s = suite();
    assert_eq!(s.multiples_of_generator.len(), 16);
    let mut acc = RistrettoPoint::identity();
    for (i, m) in s.multiples_of_generator.iter().enumerate() {
        assert_eq!(m.multiple, i as u64);
        let enc = hex::decode(&m.encoding).unwrap();
        // Encoding by repeated addition and by scalar multiplication.
        assert_eq!(
            hex::encode(encode_point(&acc)),
            m.encoding,
            "B[{i}] by addition"
        );
        let by_mul = RistrettoPoint::mul_base(&Scalar::from(m.multiple));
        assert_eq!(
            hex::encode(encode_point(&by_mul)),
            m.encoding,
            "B[{i}] by mul"
        );
        // Decoding round trip through our decoder.
        let p = decode_point(&enc, "B").unwrap();
        assert_eq!(p, acc);
        if i == 0 {
            assert_eq!(decode_key(&enc, "B").unwrap_err().code(), "IDENTITY_POINT");
        } else {
            assert_eq!(decode_key(&enc, "B").unwrap(), acc);
        }
        acc += G;
    }
}

#[test]
fn a2_invalid_encodings_rejected() {
    let s = suite();
    assert_eq!(s.invalid_encodings.len(), 29);
    let mut categories: Vec<&str> = s
        .invalid_encodings
        .iter()
        .map(|v| v.category.as_str())
        .collect();
    categories.dedup();
    assert_eq!(categories.len(), 5, "{categories:?}");
    for v in &s.invalid_encodings {
        let enc = hex::decode(&v.encoding).unwrap();
        assert_eq!(enc.len(), 32);
        let e = decode_point(&enc, "p").unwrap_err();
        assert_eq!(e.code(), "INVALID_POINT", "{} ({})", v.encoding, v.category);
        assert_eq!(decode_key(&enc, "p").unwrap_err().code(), "INVALID_POINT");
    }
}

#[test]
fn a3_from_uniform_bytes() {
    let s = suite();
    assert_eq!(s.from_uniform_bytes.len(), 11);
    for v in &s.from_uniform_bytes {
        let input: [u8; 64] = hex::decode(&v.input).unwrap().try_into().unwrap();
        let p = RistrettoPoint::from_uniform_bytes(&input);
        assert_eq!(hex::encode(encode_point(&p)), v.output, "input {}", v.input);
    }
}
