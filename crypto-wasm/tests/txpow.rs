//! Tx-PoW (docs/crypto.md §7): known answers, mine/verify consistency, target arithmetic.

use baios_crypto::txpow::{
    expected_hashes, meets_target, mine, pow_hash, target_from_expected_hashes, verify,
    DEFAULT_EXPECTED_HASHES, DEFAULT_TARGET,
};
use proptest::prelude::*;

fn unhex32(s: &str) -> [u8; 32] {
    hex::decode(s).unwrap().try_into().unwrap()
}

/// Known answers computed independently with Python's `hashlib.sha3_256`.
#[test]
fn known_answers() {
    assert_eq!(
        pow_hash(&[0; 32], 0),
        unhex32("acfd312b3235a93d41c9473d93f9fa9fc66b18542d7e67f94969f015797b2634")
    );
    let txid: [u8; 32] = core::array::from_fn(|i| i as u8);
    assert_eq!(
        pow_hash(&txid, 0x0102030405060708),
        unhex32("1c5cb071627044279f33486c4e93ce018658ec81744a6fecd79a02cbd86abe54")
    );
}

/// The same construction spelled out with the `sha3` crate directly.
#[test]
fn matches_spec_formula() {
    use sha3::{Digest, Sha3_256};
    let txid = [0xab; 32];
    for nonce in [0u64, 1, 255, 256, u64::MAX] {
        let mut msg = vec![14u8];
        msg.extend_from_slice(b"BAIOS/v1/txpow");
        msg.extend_from_slice(&txid);
        msg.extend_from_slice(&nonce.to_le_bytes());
        let expect: [u8; 32] = Sha3_256::digest(&msg).into();
        assert_eq!(pow_hash(&txid, nonce), expect);
    }
}

#[test]
fn boundary_hash_equal_to_target_is_valid_one_less_is_not() {
    let txid = [7u8; 32];
    let nonce = 42;
    let h = pow_hash(&txid, nonce);
    verify(&txid, nonce, &h).unwrap();
    // target = h − 1 (big-endian decrement)
    let mut t = h;
    for b in t.iter_mut().rev() {
        if *b == 0 {
            *b = 0xff;
        } else {
            *b -= 1;
            break;
        }
    }
    assert_eq!(
        verify(&txid, nonce, &t).unwrap_err().code(),
        "POW_INSUFFICIENT"
    );
    assert_eq!(
        verify(&txid, nonce, &[0; 32]).unwrap_err().code(),
        "POW_INSUFFICIENT"
    );
    verify(&txid, nonce, &[0xff; 32]).unwrap();
}

#[test]
fn mine_bounds() {
    let txid = [1u8; 32];
    assert_eq!(mine(&txid, &[0xff; 32], 5, 0), None);
    assert_eq!(mine(&txid, &[0xff; 32], 5, 1), Some(5));
    // wraps around u64::MAX
    assert_eq!(mine(&txid, &[0xff; 32], u64::MAX, 1), Some(u64::MAX));
    // impossible target: nothing found within the bound
    assert_eq!(mine(&txid, &[0; 32], 0, 1000), None);
}

#[test]
fn default_target_calibration_constants() {
    assert_eq!(
        DEFAULT_TARGET,
        target_from_expected_hashes(DEFAULT_EXPECTED_HASHES)
    );
    // 2^256 / (target + 1) is exactly E only when E divides 2^256; otherwise within one hash.
    assert!((expected_hashes(&DEFAULT_TARGET) - DEFAULT_EXPECTED_HASHES as f64).abs() < 1.0);
}

/// Big-endian 256-bit `a·b` for a u64 `b`, returning 320 bits as (overflow limb, 4 limbs).
fn mul_u64(a: &[u8; 32], b: u64) -> (u64, [u64; 4]) {
    let limbs: [u64; 4] =
        core::array::from_fn(|i| u64::from_be_bytes(a[8 * i..8 * i + 8].try_into().unwrap()));
    let mut out = [0u64; 4];
    let mut carry = 0u128;
    for i in (0..4).rev() {
        let t = limbs[i] as u128 * b as u128 + carry;
        out[i] = t as u64;
        carry = t >> 64;
    }
    (carry as u64, out)
}

fn add_u64(x: (u64, [u64; 4]), y: u64) -> (u64, [u64; 4]) {
    let (mut hi, mut l) = x;
    let mut carry = y as u128;
    for i in (0..4).rev() {
        let t = l[i] as u128 + carry;
        l[i] = t as u64;
        carry = t >> 64;
    }
    hi += carry as u64;
    (hi, l)
}

fn be_lt(a: &[u8; 32], b: &[u8; 32]) -> bool {
    // reference big-endian comparison through u64 limbs
    for i in 0..4 {
        let x = u64::from_be_bytes(a[8 * i..8 * i + 8].try_into().unwrap());
        let y = u64::from_be_bytes(b[8 * i..8 * i + 8].try_into().unwrap());
        if x != y {
            return x < y;
        }
    }
    false
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// `target = floor(2^256 / e) − 1`, i.e. `(T+1)·e ≤ 2^256 < (T+2)·e`.
    #[test]
    fn target_formula(e in 2u64..) {
        let t = target_from_expected_hashes(e);
        // (T + 1)·e = T·e + e ≤ 2^256  ⇔  the 320-bit value has hi ≤ 1 and (hi = 1 ⇒ low = 0)
        let te = mul_u64(&t, e);
        let t1e = add_u64(te, e);
        prop_assert!(t1e.0 == 0 || (t1e.0 == 1 && t1e.1 == [0; 4]));
        // (T + 2)·e > 2^256
        let t2e = add_u64(t1e, e);
        prop_assert!(t2e.0 >= 1 && !(t2e.0 == 1 && t2e.1 == [0; 4]));
        let rel = (expected_hashes(&t) - e as f64).abs() / e as f64;
        prop_assert!(rel < 1e-9);
    }

    #[test]
    fn meets_target_is_big_endian_le(a in any::<[u8; 32]>(), b in any::<[u8; 32]>()) {
        prop_assert_eq!(meets_target(&a, &b), !be_lt(&b, &a));
        prop_assert!(meets_target(&a, &a));
    }

    /// Mining with an easy target finds a nonce that verifies, and every nonce tried before it
    /// is rejected with POW_INSUFFICIENT.
    #[test]
    fn mine_then_verify(txid in any::<[u8; 32]>(), start in any::<u64>(), bits in 1u32..8) {
        let target = target_from_expected_hashes(1 << bits);
        let nonce = mine(&txid, &target, start, 1 << 16).expect("easy target");
        verify(&txid, nonce, &target).unwrap();
        prop_assert!(meets_target(&pow_hash(&txid, nonce), &target));
        let mut n = start;
        while n != nonce {
            prop_assert_eq!(verify(&txid, n, &target).unwrap_err().code(), "POW_INSUFFICIENT");
            n = n.wrapping_add(1);
        }
        // A different txid or nonce gives a different hash (no trivial reuse).
        let mut other = txid;
        other[0] ^= 1;
        prop_assert_ne!(pow_hash(&other, nonce), pow_hash(&txid, nonce));
        prop_assert_ne!(pow_hash(&txid, nonce.wrapping_add(1)), pow_hash(&txid, nonce));
    }
}

/// Every case of the committed `test-vectors/txpow.json` re-checked.
#[test]
fn committed_vectors() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../test-vectors/txpow.json");
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut n = 0;
    for g in v["testGroups"].as_array().unwrap() {
        assert_eq!(g["type"], "TxPowVerify");
        assert_eq!(g["defaultTarget"], hex::encode(DEFAULT_TARGET));
        for t in g["tests"].as_array().unwrap() {
            n += 1;
            let txid = unhex32(t["txid"].as_str().unwrap());
            let target = unhex32(t["target"].as_str().unwrap());
            let nonce: u64 = t["nonce"].as_str().unwrap().parse().unwrap();
            assert_eq!(
                hex::encode(pow_hash(&txid, nonce)),
                t["hash"].as_str().unwrap()
            );
            let got = verify(&txid, nonce, &target);
            match t["result"].as_str().unwrap() {
                "valid" => assert!(got.is_ok(), "tcId {}", t["tcId"]),
                "invalid" => assert_eq!(got.unwrap_err().code(), t["error"].as_str().unwrap()),
                other => panic!("result {other}"),
            }
        }
    }
    assert_eq!(n, v["numberOfTests"].as_u64().unwrap() as usize);
    assert!(n >= 15);
}
