//! Property tests of the core primitives: MLSAG (round trip, linkability, malleability,
//! rejection of identity / duplicate / non-canonical inputs), Pedersen balance, stealth
//! addresses, and canonical decoding.

use baios_crypto::encoding::{decode_key, decode_point, decode_scalar, encode_point};
use baios_crypto::mlsag::{key_image, sign, signature_len, verify};
use baios_crypto::pedersen::{balance_check, commit};
use baios_crypto::rng::seeded_rng;
use baios_crypto::stealth::{create_output, keys_from_seed, one_time_secret, scan_output, tx_key};
use curve25519_dalek::ristretto::{CompressedRistretto, RistrettoPoint};
use curve25519_dalek::scalar::Scalar;
use proptest::prelude::*;

/// ℓ little-endian.
const L: [u8; 32] = [
    0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
];

/// A signed ring, all as bytes, plus the secret.
struct Signed {
    msg: [u8; 32],
    keys: Vec<u8>,
    comms: Vec<u8>,
    pseudo: [u8; 32],
    ki: [u8; 32],
    sig: Vec<u8>,
    x: Scalar,
}

fn signed(n: usize, index: usize, seed: u64, x: Option<Scalar>) -> Signed {
    let mut s = [0u8; 32];
    s[..8].copy_from_slice(&seed.to_le_bytes());
    let mut rng = seeded_rng(s);
    let mut keys: Vec<RistrettoPoint> = (0..n)
        .map(|_| RistrettoPoint::mul_base(&Scalar::random(&mut rng)))
        .collect();
    let mut comms: Vec<RistrettoPoint> = (0..n)
        .map(|_| commit(9, &Scalar::random(&mut rng)))
        .collect();
    let x = x.unwrap_or_else(|| Scalar::random(&mut rng));
    let (y, y2) = (Scalar::random(&mut rng), Scalar::random(&mut rng));
    keys[index] = RistrettoPoint::mul_base(&x);
    comms[index] = commit(1234, &y);
    let pseudo = commit(1234, &y2);
    let msg = [seed as u8; 32];
    let sig = sign(&msg, &keys, &comms, &pseudo, index, &x, &(y - y2), &mut rng).unwrap();
    let enc = |v: &[RistrettoPoint]| -> Vec<u8> { v.iter().flat_map(encode_point).collect() };
    Signed {
        msg,
        keys: enc(&keys),
        comms: enc(&comms),
        pseudo: encode_point(&pseudo),
        ki: encode_point(&key_image(&x, &keys[index])),
        sig,
        x,
    }
}

fn verify_s(s: &Signed) -> baios_crypto::Result<()> {
    verify(&s.msg, &s.keys, &s.comms, &s.pseudo, &s.ki, &s.sig)
}

fn err(r: baios_crypto::Result<()>) -> &'static str {
    r.unwrap_err().code()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn mlsag_round_trip(n in 2usize..=12, idx in any::<prop::sample::Index>(), seed in any::<u64>()) {
        let index = idx.index(n);
        let s = signed(n, index, seed, None);
        prop_assert_eq!(s.sig.len(), signature_len(n));
        prop_assert!(verify_s(&s).is_ok());
    }

    #[test]
    fn mlsag_linkability(n in 2usize..=6, i1 in 0usize..6, i2 in 0usize..6, seed in any::<u64>()) {
        let x = Scalar::from(seed) + Scalar::from(7u64);
        let a = signed(n, i1 % n, seed, Some(x));
        let b = signed(n, i2 % n, seed.wrapping_add(1), Some(x));
        // Same secret, different rings and positions: same key image, both verify.
        prop_assert_eq!(a.ki, b.ki);
        prop_assert!(verify_s(&a).is_ok() && verify_s(&b).is_ok());
        let c = signed(n, i1 % n, seed.wrapping_add(2), Some(x + Scalar::ONE));
        prop_assert_ne!(a.ki, c.ki);
        prop_assert_eq!(a.x, b.x);
    }

    #[test]
    fn mlsag_any_flipped_byte_fails(n in 1usize..=5, seed in any::<u64>(), pos in any::<prop::sample::Index>(), mask in 1u8..=255) {
        let mut s = signed(n, n / 2, seed, None);
        let p = pos.index(s.sig.len());
        s.sig[p] ^= mask;
        let e = err(verify_s(&s));
        prop_assert!(e == "INVALID_SIGNATURE" || e == "NON_CANONICAL_SCALAR", "{}", e);
    }

    #[test]
    fn mlsag_modified_inputs_fail(n in 2usize..=5, seed in any::<u64>(), j in any::<prop::sample::Index>()) {
        let j = j.index(n);
        let other = encode_point(&RistrettoPoint::mul_base(&Scalar::from(seed | 1)));
        let mut t = signed(n, 0, seed, None);
        t.keys[32 * j..32 * j + 32].copy_from_slice(&other);
        prop_assert_eq!(err(verify_s(&t)), "INVALID_SIGNATURE");
        let mut t = signed(n, 0, seed, None);
        t.comms[32 * j..32 * j + 32].copy_from_slice(&other);
        prop_assert_eq!(err(verify_s(&t)), "INVALID_SIGNATURE");
        let mut t = signed(n, 0, seed, None);
        t.pseudo = other;
        prop_assert_eq!(err(verify_s(&t)), "INVALID_SIGNATURE");
        let mut t = signed(n, 0, seed, None);
        t.msg[j % 32] ^= 1;
        prop_assert_eq!(err(verify_s(&t)), "INVALID_SIGNATURE");
    }

    #[test]
    fn mlsag_rejects_identity_and_duplicates(n in 2usize..=6, seed in any::<u64>(), a in any::<prop::sample::Index>(), b in any::<prop::sample::Index>()) {
        let s = signed(n, 0, seed, None);
        let (a, b) = (a.index(n), b.index(n));
        let mut t = signed(n, 0, seed, None);
        t.ki = [0; 32];
        prop_assert_eq!(err(verify_s(&t)), "IDENTITY_POINT");
        let mut t = signed(n, 0, seed, None);
        t.keys[32 * a..32 * a + 32].fill(0);
        prop_assert_eq!(err(verify_s(&t)), "IDENTITY_POINT");
        let mut t = signed(n, 0, seed, None);
        t.comms[32 * a..32 * a + 32].fill(0);
        prop_assert_eq!(err(verify_s(&t)), "IDENTITY_POINT");
        let mut t = signed(n, 0, seed, None);
        t.pseudo = [0; 32];
        prop_assert_eq!(err(verify_s(&t)), "IDENTITY_POINT");
        if a != b {
            let mut t = signed(n, 0, seed, None);
            let src = s.keys[32 * b..32 * b + 32].to_vec();
            t.keys[32 * a..32 * a + 32].copy_from_slice(&src);
            prop_assert_eq!(err(verify_s(&t)), "DUPLICATE_RING_MEMBER");
        }
    }

    #[test]
    fn mlsag_rejects_non_canonical_scalars(n in 1usize..=4, seed in any::<u64>(), j in any::<prop::sample::Index>()) {
        // Replace one signature scalar by s + ℓ (same residue, non-canonical).
        let mut s = signed(n, 0, seed, None);
        let k = j.index(1 + 2 * n);
        let off = 32 * k;
        let mut carry = 0u16;
        for (d, l) in s.sig[off..off + 32].iter_mut().zip(L) {
            let v = *d as u16 + l as u16 + carry;
            *d = v as u8;
            carry = v >> 8;
        }
        prop_assert_eq!(carry, 0);
        prop_assert_eq!(err(verify_s(&s)), "NON_CANONICAL_SCALAR");
    }

    #[test]
    fn pedersen_balance(outs in prop::collection::vec(0u64..(1u64 << 50), 1..=16), fee in 0u64..(1u64 << 40), n_in in 1usize..=4, seed in any::<u64>(), which in any::<prop::sample::Index>()) {
        let mut rng = seeded_rng([seed as u8; 32]);
        let total: u64 = outs.iter().sum::<u64>() + fee;
        let mut ins: Vec<u64> = (0..n_in - 1).map(|_| total / (n_in as u64 + 3)).collect();
        ins.push(total - ins.iter().sum::<u64>());
        let out_r: Vec<Scalar> = outs.iter().map(|_| Scalar::random(&mut rng)).collect();
        let mut in_r: Vec<Scalar> = (0..n_in - 1).map(|_| Scalar::random(&mut rng)).collect();
        in_r.push(out_r.iter().sum::<Scalar>() - in_r.iter().sum::<Scalar>());
        let c_out: Vec<_> = outs.iter().zip(&out_r).map(|(v, r)| commit(*v, r)).collect();
        let c_in: Vec<_> = ins.iter().zip(&in_r).map(|(v, r)| commit(*v, r)).collect();
        prop_assert!(balance_check(&c_in, &c_out, fee));
        prop_assert!(!balance_check(&c_in, &c_out, fee + 1));
        if fee > 0 {
            prop_assert!(!balance_check(&c_in, &c_out, fee - 1));
        }
        let j = which.index(outs.len());
        let mut c2 = c_out.clone();
        c2[j] = commit(outs[j] + 1, &out_r[j]);
        prop_assert!(!balance_check(&c_in, &c2, fee));
        let k = which.index(n_in);
        let mut i2 = c_in.clone();
        i2[k] = commit(ins[k] ^ 1, &in_r[k]);
        prop_assert!(!balance_check(&i2, &c_out, fee));
    }

    #[test]
    fn stealth_receive(seed in any::<[u8; 32]>(), other in any::<[u8; 32]>(), index in any::<u64>(), amount in any::<u64>()) {
        prop_assume!(seed != other);
        let alice = keys_from_seed(&seed);
        let eve = keys_from_seed(&other);
        let mut rng = seeded_rng(other);
        let (r, big_r) = tx_key(&mut rng);
        let out = create_output(&r, &alice.address(), index, amount);
        let got = scan_output(&alice.view_secret, &alice.spend_public, &big_r, index, &out.one_time_key, out.view_tag, &out.encrypted_amount, &out.commitment);
        let got = got.expect("receiver detects its output");
        prop_assert_eq!(got.amount, amount);
        prop_assert_eq!(got.mask, out.commitment_mask);
        let x = one_time_secret(&got.derivation_scalar, &alice.spend_secret);
        prop_assert_eq!(RistrettoPoint::mul_base(&x), out.one_time_key);
        // A foreign wallet never detects it (view tag or key check).
        prop_assert!(scan_output(&eve.view_secret, &eve.spend_public, &big_r, index, &out.one_time_key, out.view_tag, &out.encrypted_amount, &out.commitment).is_none());
        // Even a correct view tag does not make a foreign wallet accept (P check).
        let eve_tag = baios_crypto::stealth::view_tag(&baios_crypto::stealth::derivation(&eve.view_secret, &big_r), index);
        prop_assert!(scan_output(&eve.view_secret, &eve.spend_public, &big_r, index, &out.one_time_key, eve_tag, &out.encrypted_amount, &out.commitment).is_none());
    }

    #[test]
    fn non_canonical_scalars_rejected(mut b in any::<[u8; 32]>()) {
        // Force b >= ℓ: set the top nibble above ℓ's (0x10) unless already there.
        if b[31] <= 0x10 { b[31] |= 0x20; }
        prop_assert_eq!(decode_scalar(&b, "s").unwrap_err().code(), "NON_CANONICAL_SCALAR");
    }

    #[test]
    fn canonical_scalars_round_trip(b in any::<[u8; 64]>()) {
        let s = Scalar::from_bytes_mod_order_wide(&b);
        prop_assert_eq!(decode_scalar(s.as_bytes(), "s").unwrap(), s);
    }

    #[test]
    fn point_decoding_matches_rfc9496(b in any::<[u8; 32]>()) {
        // Our decoder accepts exactly what RFC 9496 decode (dalek) accepts, and re-encodes.
        match CompressedRistretto(b).decompress() {
            Some(p) => {
                prop_assert_eq!(decode_point(&b, "p").unwrap(), p);
                prop_assert_eq!(encode_point(&p), b);
            }
            None => prop_assert_eq!(decode_point(&b, "p").unwrap_err().code(), "INVALID_POINT"),
        }
    }

    #[test]
    fn non_canonical_point_encodings_rejected(k in any::<u64>()) {
        let p = encode_point(&RistrettoPoint::mul_base(&Scalar::from(k | 1)));
        // Bit 255 set: the field element is >= 2^255 > p.
        let mut hi = p;
        hi[31] |= 0x80;
        prop_assert_eq!(decode_point(&hi, "p").unwrap_err().code(), "INVALID_POINT");
        // -s (mod p) is negative when s is non-negative and non-zero.
        let mut q = [0xffu8; 32];
        q[0] = 0xed;
        q[31] = 0x7f;
        let mut neg = [0u8; 32];
        let mut borrow = 0i16;
        for i in 0..32 {
            let v = q[i] as i16 - p[i] as i16 - borrow;
            neg[i] = v.rem_euclid(256) as u8;
            borrow = i16::from(v < 0);
        }
        prop_assert_eq!(decode_point(&neg, "p").unwrap_err().code(), "INVALID_POINT");
    }
}

#[test]
fn scalar_boundaries() {
    let mut l1 = L;
    l1[0] += 1;
    for (b, name) in [(L, "l"), (l1, "l + 1"), ([0xff; 32], "2^256 - 1")] {
        assert_eq!(
            decode_scalar(&b, "s").unwrap_err().code(),
            "NON_CANONICAL_SCALAR",
            "{name}"
        );
    }
    let mut lm1 = L;
    lm1[0] -= 1;
    assert!(decode_scalar(&lm1, "s").is_ok());
}

#[test]
fn identity_rejected_as_key() {
    assert_eq!(
        decode_key(&[0; 32], "k").unwrap_err().code(),
        "IDENTITY_POINT"
    );
    assert!(decode_point(&[0; 32], "k").is_ok());
}

#[test]
fn ring_size_limits() {
    let s = signed(2, 0, 1, None);
    assert_eq!(
        err(verify(&s.msg, &[], &[], &s.pseudo, &s.ki, &s.sig[..32])),
        "RING_SIZE"
    );
    let keys: Vec<u8> = (1..=257u64)
        .flat_map(|i| encode_point(&RistrettoPoint::mul_base(&Scalar::from(i))))
        .collect();
    assert_eq!(
        err(verify(
            &s.msg,
            &keys,
            &keys,
            &s.pseudo,
            &s.ki,
            &vec![0; signature_len(257)]
        )),
        "RING_SIZE"
    );
}
