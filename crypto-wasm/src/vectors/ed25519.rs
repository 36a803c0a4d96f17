//! `ed25519.json`: strict Ed25519 verification for validator votes (docs/crypto.md §8).

use curve25519_dalek::constants::EIGHT_TORSION;
use curve25519_dalek::edwards::CompressedEdwardsY;
use rand_core::Rng;
use serde_json::{json, Value};

use super::scalar::L_BYTES;
use super::{case, file, group, hx, rng_for};
use crate::ed25519::{public_key, sign, verify};

fn unhex(s: &str) -> Vec<u8> {
    hex::decode(s).expect("hex literal")
}

/// Little-endian `a + b` of two 32-byte integers (no overflow for our inputs).
fn add_le(a: &[u8], b: &[u8; 32]) -> [u8; 32] {
    let mut out = [0u8; 32];
    let mut carry = 0u16;
    for i in 0..32 {
        let t = u16::from(a[i]) + u16::from(b[i]) + carry;
        out[i] = t as u8;
        carry = t >> 8;
    }
    out
}

/// A non-canonical encoding (`y ≥ p`) that dalek's lenient decompression accepts.
fn lenient_non_canonical_key() -> [u8; 32] {
    for k in 0u8..19 {
        for sign_bit in [0u8, 0x80] {
            let mut enc = [0xffu8; 32];
            enc[0] = 0xed + k; // p + k
            enc[31] = 0x7f | sign_bit;
            if CompressedEdwardsY(enc).decompress().is_some() {
                return enc;
            }
        }
    }
    unreachable!("some y = p + k decompresses")
}

/// A signature by the secret `a` of `seed` under the *mixed-order* public key `A' = a·B + T`
/// (`T` of order 8), computed as an honest RFC 8032 signer would with `A'` in the hash:
/// `S = r + k·a` with `k = SHA-512(R ‖ A' ‖ M)`. Then `[S]B = R + k·A' − k·T`, so the
/// cofactorless (strict) equation holds iff `k ≡ 0 (mod 8)`, while the cofactored equation of
/// permissive (ZIP-215) verifiers always holds. Returns the first message `prefix ‖ u8(i)` whose
/// `k mod 8` is zero (`want_zero`) or non-zero, with `(A', msg, sig)`.
fn mixed_order_signature(
    seed: &[u8; 32],
    prefix: &[u8],
    want_zero: bool,
) -> ([u8; 32], Vec<u8>, [u8; 64]) {
    use curve25519_dalek::constants::ED25519_BASEPOINT_POINT as B;
    use curve25519_dalek::scalar::Scalar;
    use curve25519_dalek::traits::IsIdentity;
    use sha2::{Digest, Sha512};
    let h = Sha512::digest(seed);
    let mut a_bytes = [0u8; 32];
    a_bytes.copy_from_slice(&h[..32]);
    a_bytes[0] &= 248;
    a_bytes[31] &= 127;
    a_bytes[31] |= 64;
    let a = Scalar::from_bytes_mod_order(a_bytes);
    let mixed = (B * a + EIGHT_TORSION[1]).compress().to_bytes();
    for i in 0u8..=255 {
        let msg = [prefix, &[i]].concat();
        let r = Scalar::from_bytes_mod_order_wide(
            &Sha512::new()
                .chain_update(&h[32..])
                .chain_update(&msg)
                .finalize()
                .into(),
        );
        let big_r = (B * r).compress().to_bytes();
        let k = Scalar::from_bytes_mod_order_wide(
            &Sha512::new()
                .chain_update(big_r)
                .chain_update(mixed)
                .chain_update(&msg)
                .finalize()
                .into(),
        );
        if (k.as_bytes()[0] & 7 == 0) == want_zero {
            let s = r + k * a;
            let mut sig = [0u8; 64];
            sig[..32].copy_from_slice(&big_r);
            sig[32..].copy_from_slice(s.as_bytes());
            // Cofactored equation 8·([S]B − R − k·A') = 0 holds; cofactorless iff k ≡ 0 mod 8.
            let a_point = CompressedEdwardsY(mixed).decompress().expect("point");
            let diff = B * s - B * r - a_point * k;
            assert!(diff.mul_by_cofactor().is_identity());
            assert_eq!(diff.is_identity(), want_zero);
            return (mixed, msg, sig);
        }
    }
    unreachable!("k mod 8 is uniform; 256 tries suffice")
}

/// Builds `ed25519.json`.
pub fn generate() -> Value {
    let mut rng = rng_for("ed25519.json");
    let mut tests = Vec::new();
    let mut add = |comment: &str,
                   flags: &[&str],
                   seed: Option<[u8; 32]>,
                   pk: &[u8],
                   msg: &[u8],
                   sig: &[u8]| {
        let got = verify(pk, msg, sig).map_err(|e| e.code()).err();
        let mut fields = json!({ "publicKey": hx(pk), "msg": hx(msg), "sig": hx(sig) });
        if let Some(seed) = seed {
            assert!(got.is_none(), "{comment}: a signing case must verify");
            assert_eq!(public_key(&seed).as_slice(), pk);
            assert_eq!(sign(&seed, msg).as_slice(), sig);
            fields["seed"] = json!(hx(seed));
        }
        tests.push(case(comment, flags, got.is_none(), got, fields));
    };

    // RFC 8032 §7.1 TEST 1–3.
    for (name, seed, msg) in [
        (
            "RFC 8032 §7.1 TEST 1",
            "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
            "",
        ),
        (
            "RFC 8032 §7.1 TEST 2",
            "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
            "72",
        ),
        (
            "RFC 8032 §7.1 TEST 3",
            "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
            "af82",
        ),
    ] {
        let seed: [u8; 32] = unhex(seed).try_into().expect("32 bytes");
        let msg = unhex(msg);
        add(
            name,
            &["Valid", "Rfc8032"],
            Some(seed),
            &public_key(&seed),
            &msg,
            &sign(&seed, &msg),
        );
    }

    // Random keys and messages.
    let mut keys = Vec::new();
    for len in [0usize, 1, 32, 200] {
        let mut seed = [0u8; 32];
        rng.fill_bytes(&mut seed);
        let mut msg = vec![0u8; len];
        rng.fill_bytes(&mut msg);
        let pk = public_key(&seed);
        let sig = sign(&seed, &msg);
        add(
            &format!("random key, {len}-byte message"),
            &["Valid"],
            Some(seed),
            &pk,
            &msg,
            &sig,
        );
        keys.push((seed, pk, msg, sig));
    }

    let (_, pk, msg, sig) = keys[2].clone();
    let (_, pk_other, _, _) = keys[1].clone();

    let mut bad = sig;
    bad[0] ^= 0x01;
    add("R modified", &["ModifiedSignature"], None, &pk, &msg, &bad);
    let mut bad = sig;
    bad[40] ^= 0x01;
    add("S modified", &["ModifiedSignature"], None, &pk, &msg, &bad);
    let mut bad_msg = msg.clone();
    bad_msg[0] ^= 0x80;
    add(
        "message modified",
        &["ModifiedMessage"],
        None,
        &pk,
        &bad_msg,
        &sig,
    );
    add(
        "other public key",
        &["WrongKey"],
        None,
        &pk_other,
        &msg,
        &sig,
    );

    // Malleability: S + ℓ and S with the top bits set.
    let mut bad = sig;
    bad[32..].copy_from_slice(&add_le(&sig[32..], &L_BYTES));
    add(
        "S + ℓ (non-canonical S, same S mod ℓ)",
        &["NonCanonicalS", "Malleability"],
        None,
        &pk,
        &msg,
        &bad,
    );
    let mut bad = sig;
    bad[63] |= 0xe0;
    add(
        "S with the top three bits set",
        &["NonCanonicalS"],
        None,
        &pk,
        &msg,
        &bad,
    );

    // Small-order public keys and R.
    let identity = EIGHT_TORSION[0].compress().to_bytes();
    let order8 = EIGHT_TORSION[1].compress().to_bytes();
    let order2 = EIGHT_TORSION[4].compress().to_bytes();
    // With A = identity, (R, S) = (identity, 0) satisfies the cofactorless equation for every
    // message: the weak-key check is what stops it.
    let mut forged = [0u8; 64];
    forged[..32].copy_from_slice(&identity);
    add(
        "public key = identity (order 1), universal forgery",
        &["SmallOrderKey"],
        None,
        &identity,
        &msg,
        &forged,
    );
    add(
        "public key of order 8",
        &["SmallOrderKey"],
        None,
        &order8,
        &msg,
        &sig,
    );
    add(
        "public key of order 2",
        &["SmallOrderKey"],
        None,
        &order2,
        &msg,
        &sig,
    );
    let mut bad = sig;
    bad[..32].copy_from_slice(&order8);
    add("R of order 8", &["SmallOrderR"], None, &pk, &msg, &bad);

    // Mixed-order public key (large-order point plus an order-8 point): not weak, but only
    // the cofactored equation accepts most signatures.
    let mixed_seed = keys[3].0;
    let (mixed_pk, mixed_msg, mixed_sig) =
        mixed_order_signature(&mixed_seed, b"mixed-order key ", false);
    add(
        "mixed-order public key, k mod 8 != 0: cofactored (ZIP-215) valid, strict invalid",
        &["MixedOrderKey"],
        None,
        &mixed_pk,
        &mixed_msg,
        &mixed_sig,
    );
    let (mixed_pk, mixed_msg, mixed_sig) =
        mixed_order_signature(&mixed_seed, b"mixed-order key ", true);
    add(
        "mixed-order public key, k ≡ 0 mod 8: both equations hold, strict accepts",
        &["Valid", "MixedOrderKey"],
        None,
        &mixed_pk,
        &mixed_msg,
        &mixed_sig,
    );

    // Encodings.
    add(
        "public key: non-canonical encoding y = p + k that lenient decoders accept",
        &["NonCanonicalKey"],
        None,
        &lenient_non_canonical_key(),
        &msg,
        &sig,
    );
    let mut not_on_curve = [0u8; 32];
    not_on_curve[0] = 2; // y = 2: (y² − 1)/(d·y² + 1) is not a square
    add(
        "public key not on the curve",
        &["InvalidKey"],
        None,
        &not_on_curve,
        &msg,
        &sig,
    );
    add(
        "public key 31 bytes",
        &["Length"],
        None,
        &pk[..31],
        &msg,
        &sig,
    );
    add(
        "signature 63 bytes",
        &["Length"],
        None,
        &pk,
        &msg,
        &sig[..63],
    );
    add(
        "signature 65 bytes",
        &["Length"],
        None,
        &pk,
        &msg,
        &[sig.as_slice(), &[0]].concat(),
    );
    add("empty signature", &["Length"], None, &pk, &msg, &[]);

    file(
        "BAIOS-Ed25519",
        &[
            "RFC 8032 §5.1 Ed25519 with strict verification (ed25519-dalek verify_strict; docs/crypto.md §8).",
            "Ed25519Verify: valid iff the 64-byte sig verifies on msg under the 32-byte publicKey.",
            "Strict: A canonical (else INVALID_POINT) and not of small order (WEAK_KEY); S < ℓ, R canonical and not of small order, cofactorless equation (else INVALID_SIGNATURE).",
            "seed (valid signing cases only): the 32-byte secret; signing is deterministic, so sig == sign(seed, msg).",
        ],
        json!({
            "Valid": "a correct signature",
            "Rfc8032": "RFC 8032 §7.1 test vector",
            "ModifiedSignature": "one bit of R or S flipped",
            "ModifiedMessage": "one bit of the message flipped",
            "WrongKey": "signature by another key",
            "NonCanonicalS": "S ≥ ℓ",
            "Malleability": "a second encoding of a valid signature",
            "SmallOrderKey": "the public key has small order (WEAK_KEY)",
            "SmallOrderR": "R has small order",
            "NonCanonicalKey": "the public key encodes y ≥ p",
            "InvalidKey": "the public key is not a curve point",
            "Length": "wrong public key or signature length",
            "MixedOrderKey": "the public key is a large-order point plus a point of order 8; strict (cofactorless) verification accepts a signature iff k ≡ 0 mod 8, cofactored verification always",
        }),
        vec![group("Ed25519Verify", Value::Null, tests)],
    )
}
