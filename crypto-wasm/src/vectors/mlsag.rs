//! `mlsag.json`: MLSAG verification (docs/crypto.md §5).

use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use rand_chacha::ChaCha20Rng;
use rand_core::Rng;
use serde_json::{json, Value};

use super::scalar::add_l;
use super::{case, file, group, hx, rng_for};
use crate::mlsag::{key_image, sign, verify};
use crate::pedersen::commit;

/// One MLSAG instance as bytes.
#[derive(Clone)]
struct Inst {
    message: Vec<u8>,
    keys: Vec<[u8; 32]>,
    commitments: Vec<[u8; 32]>,
    pseudo_out: Vec<u8>,
    key_image: Vec<u8>,
    signature: Vec<u8>,
}

impl Inst {
    fn verdict(&self) -> Option<&'static str> {
        verify(
            &self.message,
            &self.keys.concat(),
            &self.commitments.concat(),
            &self.pseudo_out,
            &self.key_image,
            &self.signature,
        )
        .err()
        .map(|e| e.code())
    }

    fn json(&self) -> Value {
        let ring: Vec<Value> = self
            .keys
            .iter()
            .zip(&self.commitments)
            .map(|(k, c)| json!({"key": hx(k), "commitment": hx(c)}))
            .collect();
        json!({
            "message": hx(&self.message),
            "ring": ring,
            "pseudoOut": hx(&self.pseudo_out),
            "keyImage": hx(&self.key_image),
            "signature": hx(&self.signature),
        })
    }
}

fn enc(p: &RistrettoPoint) -> [u8; 32] {
    p.compress().to_bytes()
}

/// Builds a valid instance with ring size `n` and secret index `index`.
fn instance(rng: &mut ChaCha20Rng, n: usize, index: usize) -> Inst {
    let mut keys: Vec<RistrettoPoint> = (0..n)
        .map(|_| RistrettoPoint::mul_base(&Scalar::random(rng)))
        .collect();
    let mut comms: Vec<RistrettoPoint> = (0..n)
        .map(|_| commit(rng.next_u64() >> 16, &Scalar::random(rng)))
        .collect();
    let x = Scalar::random(rng);
    let amount = rng.next_u64() >> 16;
    let y = Scalar::random(rng);
    let y_pseudo = Scalar::random(rng);
    keys[index] = RistrettoPoint::mul_base(&x);
    comms[index] = commit(amount, &y);
    let pseudo = commit(amount, &y_pseudo);
    let mut message = vec![0u8; 32];
    rng.fill_bytes(&mut message);
    let sig = sign(
        &message,
        &keys,
        &comms,
        &pseudo,
        index,
        &x,
        &(y - y_pseudo),
        rng,
    )
    .unwrap();
    Inst {
        message,
        keys: keys.iter().map(enc).collect(),
        commitments: comms.iter().map(enc).collect(),
        pseudo_out: enc(&pseudo).to_vec(),
        key_image: enc(&key_image(&x, &keys[index])).to_vec(),
        signature: sig,
    }
}

/// Builds `mlsag.json`.
pub fn generate() -> Value {
    let mut rng = rng_for("mlsag.json");
    let mut t = Vec::new();
    let mut push = |comment: &str, flags: &[&str], inst: &Inst, expect: Option<&'static str>| {
        assert_eq!(inst.verdict(), expect, "mlsag.json: {comment}");
        t.push(case(comment, flags, expect.is_none(), expect, inst.json()));
    };
    let r11 = instance(&mut rng, 11, 6);
    push("ring of 11, secret index 6", &[], &r11, None);
    let r3 = instance(&mut rng, 3, 0);
    push("ring of 3, secret index 0", &[], &r3, None);
    let r2 = instance(&mut rng, 2, 1);
    push("ring of 2, secret index 1", &[], &r2, None);
    let r1 = instance(&mut rng, 1, 0);
    push("ring of 1", &[], &r1, None);
    let r11b = instance(&mut rng, 11, 10);
    push("ring of 11, secret index 10 (last)", &[], &r11b, None);

    let inv = Some("INVALID_SIGNATURE");
    let mut v = r11.clone();
    v.signature[0] ^= 0x01;
    push("c0 flipped", &["ModifiedSignature"], &v, inv);
    let mut v = r11.clone();
    v.signature[32 + 64 * 3 + 5] ^= 0x10;
    push("s1 of member 3 flipped", &["ModifiedSignature"], &v, inv);
    let mut v = r3.clone();
    v.signature[32 + 64 + 32] ^= 0x01;
    push("s2 of member 1 flipped", &["ModifiedSignature"], &v, inv);
    let mut v = r11.clone();
    v.message[0] ^= 0x01;
    push("wrong message", &["WrongMessage"], &v, inv);
    let mut v = r11.clone();
    v.key_image = enc(&key_image(
        &Scalar::random(&mut rng),
        &RistrettoPoint::mul_base(&Scalar::ONE),
    ))
    .to_vec();
    push("key image of another secret", &["WrongKeyImage"], &v, inv);
    let mut v = r3.clone();
    v.key_image = vec![0; 32];
    push(
        "identity key image",
        &["Identity"],
        &v,
        Some("IDENTITY_POINT"),
    );
    let mut v = r3.clone();
    v.keys[2] = v.keys[0];
    push(
        "duplicated ring member (2 = 0)",
        &["DuplicateMember"],
        &v,
        Some("DUPLICATE_RING_MEMBER"),
    );
    let mut v = r11.clone();
    v.keys[9] = v.keys[6];
    v.commitments[9] = v.commitments[6];
    push(
        "duplicated ring member incl. commitment (9 = signer 6)",
        &["DuplicateMember"],
        &v,
        Some("DUPLICATE_RING_MEMBER"),
    );
    let mut v = r3.clone();
    {
        // s2_2 + l: the same residue, non-canonical encoding.
        let off = 32 + 64 * 2 + 32;
        let s2: [u8; 32] = v.signature[off..off + 32].try_into().unwrap();
        v.signature[off..off + 32].copy_from_slice(&add_l(&s2));
    }
    push(
        "s2 of member 2 replaced by s2 + l (non-canonical)",
        &["NonCanonical"],
        &v,
        Some("NON_CANONICAL_SCALAR"),
    );
    let mut v = r3.clone();
    v.signature[..32].copy_from_slice(&[0xff; 32]);
    push(
        "c0 = 2^256 - 1",
        &["NonCanonical"],
        &v,
        Some("NON_CANONICAL_SCALAR"),
    );
    let mut v = r11.clone();
    v.pseudo_out = enc(&(RistrettoPoint::mul_base(&Scalar::ONE)
        + crate::encoding::decode_key(&r11.pseudo_out, "p").unwrap()))
    .to_vec();
    push("pseudo-output changed (+G)", &["ModifiedInput"], &v, inv);
    let mut v = r11.clone();
    v.commitments[2] = v.commitments[3];
    push("ring commitment changed", &["ModifiedInput"], &v, inv);
    let mut v = r11.clone();
    v.keys.swap(1, 2);
    v.commitments.swap(1, 2);
    push("ring members 1 and 2 swapped", &["ModifiedInput"], &v, inv);
    let mut v = r3.clone();
    v.keys[1] = [0; 32];
    push(
        "identity ring member",
        &["Identity"],
        &v,
        Some("IDENTITY_POINT"),
    );
    let mut v = r3.clone();
    v.commitments[1] = [0; 32];
    push(
        "identity ring commitment",
        &["Identity"],
        &v,
        Some("IDENTITY_POINT"),
    );
    let mut v = r3.clone();
    v.pseudo_out = vec![0; 32];
    push(
        "identity pseudo-output",
        &["Identity"],
        &v,
        Some("IDENTITY_POINT"),
    );
    let mut v = r3.clone();
    v.keys[1][31] |= 0x80;
    push(
        "non-canonical ring member encoding",
        &["InvalidEncoding"],
        &v,
        Some("INVALID_POINT"),
    );
    let mut v = r3.clone();
    v.signature.pop();
    push(
        "signature one byte short",
        &["Length"],
        &v,
        Some("INVALID_LENGTH"),
    );
    let mut v = r3.clone();
    v.signature.truncate(32 + 64 * 2);
    push(
        "signature for a ring of 2 over a ring of 3",
        &["Length"],
        &v,
        Some("INVALID_LENGTH"),
    );
    let mut v = r3.clone();
    v.message.pop();
    push("31-byte message", &["Length"], &v, Some("INVALID_LENGTH"));
    let mut v = r1.clone();
    v.keys.clear();
    v.commitments.clear();
    v.signature.truncate(32);
    push("empty ring", &["RingSize"], &v, Some("RING_SIZE"));

    file(
        "BAIOS-MLSAG",
        &[
            "MLSAG simple (two rows: one-time key and commitment difference), docs/crypto.md §5; Noether 2016 §4, Zero to Monero 2.0 §3.5.",
            "signature = enc(c_0) ‖ enc(s1_0) ‖ enc(s2_0) ‖ … ‖ enc(s1_{n-1}) ‖ enc(s2_{n-1}), 32 + 64·n bytes; message is 32 bytes.",
        ],
        json!({
            "ModifiedSignature": "a bit of the signature flipped",
            "WrongMessage": "signed another message",
            "WrongKeyImage": "a different (valid) key image",
            "Identity": "an identity point where a key, commitment or key image is expected",
            "DuplicateMember": "two equal ring keys",
            "NonCanonical": "a signature scalar >= l",
            "ModifiedInput": "the ring or pseudo-output differs from the signed one",
            "InvalidEncoding": "a malformed point encoding",
            "Length": "a byte string of the wrong length",
            "RingSize": "ring size outside 1..=256"
        }),
        vec![group("MlsagVerify", Value::Null, t)],
    )
}
