//! `hash_to_scalar.json` and `hash_to_point.json` (docs/crypto.md §2).

use curve25519_dalek::constants::RISTRETTO_BASEPOINT_COMPRESSED;
use rand_core::Rng;
use serde_json::{json, Value};

use super::{case, file, group, hx, rng_for};
use crate::hash::{hash_to_point, hash_to_scalar, tags};

fn ascii(b: &[u8]) -> String {
    String::from_utf8(b.to_vec()).expect("ASCII tag")
}

/// Builds `hash_to_scalar.json`: `Hs(tag, data)` for every tag of §2 with data of typical lengths.
pub fn generate_hash_to_scalar() -> Value {
    let mut rng = rng_for("hash_to_scalar.json");
    let all = [
        tags::SPEND_KEY,
        tags::VIEW_KEY,
        tags::DERIVE,
        tags::VIEW_TAG,
        tags::AMOUNT,
        tags::COMMITMENT_MASK,
        tags::MLSAG_RING,
        tags::MLSAG_CHALLENGE,
    ];
    let mut t = vec![case(
        "empty data",
        &[],
        true,
        None,
        json!({"tag": ascii(tags::SPEND_KEY), "data": "", "scalar": hx(hash_to_scalar(tags::SPEND_KEY, &[]).as_bytes())}),
    )];
    for tag in all {
        for len in [32usize, 40, 160] {
            let mut data = vec![0u8; len];
            rng.fill_bytes(&mut data);
            let s = hash_to_scalar(tag, &[&data]);
            t.push(case(
                &format!("{} with {len} bytes", ascii(tag)),
                &[],
                true,
                None,
                json!({"tag": ascii(tag), "data": hx(&data), "scalar": hx(s.as_bytes())}),
            ));
        }
    }
    file(
        "BAIOS-HashToScalar",
        &["Hs(tag, data) = SHA-512(u8(len(tag)) ‖ tag ‖ data) as a 512-bit little-endian integer mod l (docs/crypto.md §2)."],
        json!({}),
        vec![group("HashToScalar", Value::Null, t)],
    )
}

/// Builds `hash_to_point.json`: RFC 9380 hash_to_ristretto255 with our DSTs, the Pedersen `H`,
/// and invalid DST lengths.
pub fn generate_hash_to_point() -> Value {
    let mut rng = rng_for("hash_to_point.json");
    let mut t = Vec::new();
    let mut valid = |comment: &str, dst: &[u8], msg: &[u8]| {
        let p = hash_to_point(dst, msg).expect("valid DST");
        t.push(case(
            comment,
            &[],
            true,
            None,
            json!({"dst": ascii(dst), "msg": hx(msg), "point": hx(p.compress().as_bytes())}),
        ));
    };
    valid(
        "Pedersen H = hash_to_point(DST_H, enc(G))",
        tags::PEDERSEN_H,
        RISTRETTO_BASEPOINT_COMPRESSED.as_bytes(),
    );
    valid("key-image DST, empty message", tags::KEY_IMAGE, b"");
    for i in 0..4 {
        let mut m = [0u8; 32];
        rng.fill_bytes(&mut m);
        valid(&format!("Hp of random 32 bytes {i}"), tags::KEY_IMAGE, &m);
    }
    valid(
        "generic RFC 9380 suite DST, msg = 0x05 x 10 (cross-checked with @noble/curves)",
        b"ristretto255_XMD:SHA-512_R255MAP_RO_",
        &[5u8; 10],
    );
    let long = vec![b'D'; 255];
    valid("255-byte DST (longest allowed)", &long, b"abc");
    let mut big = vec![0u8; 300];
    rng.fill_bytes(&mut big);
    valid("300-byte message", tags::KEY_IMAGE, &big);
    for (comment, dst) in [("empty DST", Vec::new()), ("256-byte DST", vec![b'D'; 256])] {
        assert_eq!(
            hash_to_point(&dst, b"abc").unwrap_err().code(),
            "INVALID_DST"
        );
        t.push(case(
            comment,
            &["InvalidDst"],
            false,
            Some("INVALID_DST"),
            json!({"dst": ascii(&dst), "msg": hx(b"abc")}),
        ));
    }
    file(
        "BAIOS-HashToRistretto255",
        &[
            "hash_to_point(DST, msg) = ristretto255 one-way map (RFC 9496 §4.3.4) of expand_message_xmd(msg, DST, 64) with SHA-512 (RFC 9380 §5.3.1); docs/crypto.md §2.",
            "dst is ASCII; invalid cases carry no point.",
        ],
        json!({"InvalidDst": "DST empty or longer than 255 bytes"}),
        vec![group("HashToPoint", Value::Null, t)],
    )
}
