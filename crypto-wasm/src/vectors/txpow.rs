//! `txpow.json`: transaction proof-of-work (docs/crypto.md §7).

use rand_core::Rng;
use serde_json::{json, Value};

use super::{case, file, group, hx, rng_for};
use crate::txpow::{
    mine, pow_hash, target_from_expected_hashes, verify, DEFAULT_EXPECTED_HASHES, DEFAULT_TARGET,
};

/// txid `00 01 … 1f` and the first nonce from 0 that meets [`DEFAULT_TARGET`], found
/// independently with Python's `hashlib.sha3_256` (and re-checked here).
const DEFAULT_TXID: [u8; 32] = {
    let mut t = [0u8; 32];
    let mut i = 0;
    while i < 32 {
        t[i] = i as u8;
        i += 1;
    }
    t
};
const DEFAULT_NONCE: u64 = 468_531;

fn be_decrement(mut x: [u8; 32]) -> [u8; 32] {
    for b in x.iter_mut().rev() {
        if *b == 0 {
            *b = 0xff;
        } else {
            *b -= 1;
            break;
        }
    }
    x
}

/// Builds `txpow.json`.
pub fn generate() -> Value {
    let mut rng = rng_for("txpow.json");
    let mut tests = Vec::new();
    let mut add = |comment: &str, flags: &[&str], txid: [u8; 32], nonce: u64, target: [u8; 32]| {
        let got = verify(&txid, nonce, &target).map_err(|e| e.code()).err();
        tests.push(case(
            comment,
            flags,
            got.is_none(),
            got,
            json!({
                "txid": hx(txid),
                "nonce": nonce.to_string(),
                "target": hx(target),
                "hash": hx(pow_hash(&txid, nonce)),
            }),
        ));
    };

    // Mined at several difficulties from a random start nonce; the nonce just before the
    // mined one (if the search did not find the start itself) is rejected.
    for bits in [0u32, 1, 4, 8, 12] {
        let mut txid = [0u8; 32];
        rng.fill_bytes(&mut txid);
        let start = rng.next_u64();
        let target = target_from_expected_hashes(1u64 << bits);
        let nonce = mine(&txid, &target, start, 1 << 20).expect("easy target");
        add(
            &format!("mined, expected 2^{bits} hashes"),
            &["Valid"],
            txid,
            nonce,
            target,
        );
        if nonce != start {
            add(
                &format!("nonce before the mined one, expected 2^{bits} hashes"),
                &["AboveTarget"],
                txid,
                nonce.wrapping_sub(1),
                target,
            );
        }
    }

    // Boundaries: hash == target is valid, target = hash − 1 is not.
    let mut txid = [0u8; 32];
    rng.fill_bytes(&mut txid);
    let nonce = rng.next_u64();
    let h = pow_hash(&txid, nonce);
    add(
        "target equal to the hash (≤ is inclusive)",
        &["Boundary"],
        txid,
        nonce,
        h,
    );
    add(
        "target one below the hash",
        &["Boundary", "AboveTarget"],
        txid,
        nonce,
        be_decrement(h),
    );
    add("target zero", &["AboveTarget"], txid, nonce, [0; 32]);
    add(
        "maximum target 2^256 − 1 accepts everything",
        &["Valid"],
        txid,
        nonce,
        [0xff; 32],
    );
    add(
        "nonce 2^64 − 1 (little-endian encoding)",
        &["Valid"],
        txid,
        u64::MAX,
        [0xff; 32],
    );

    // The consensus default target.
    assert!(verify(&DEFAULT_TXID, DEFAULT_NONCE, &DEFAULT_TARGET).is_ok());
    assert!(mine(&DEFAULT_TXID, &DEFAULT_TARGET, 0, DEFAULT_NONCE).is_none());
    add(
        "DEFAULT_TARGET: first nonce from 0 for txid 00..1f",
        &["Valid", "DefaultTarget"],
        DEFAULT_TXID,
        DEFAULT_NONCE,
        DEFAULT_TARGET,
    );
    add(
        "DEFAULT_TARGET: the preceding nonce fails",
        &["DefaultTarget", "AboveTarget"],
        DEFAULT_TXID,
        DEFAULT_NONCE - 1,
        DEFAULT_TARGET,
    );
    // The nonce is hashed little-endian: the big-endian reading of the same 8 bytes fails.
    add(
        "DEFAULT_TARGET: byte-swapped nonce fails",
        &["DefaultTarget", "AboveTarget"],
        DEFAULT_TXID,
        DEFAULT_NONCE.swap_bytes(),
        DEFAULT_TARGET,
    );

    file(
        "BAIOS-TxPoW",
        &[
            "pow_hash = SHA3-256(u8(14) ‖ \"BAIOS/v1/txpow\" ‖ txid ‖ u64le(nonce)) (FIPS 202; docs/crypto.md §7).",
            "TxPowVerify: valid iff pow_hash, read big-endian, is ≤ target (32-byte big-endian integer).",
            "hash is pow_hash(txid, nonce), given for every case; nonce is a u64 decimal string.",
            &format!(
                "DEFAULT_TARGET = floor(2^256 / {DEFAULT_EXPECTED_HASHES}) − 1 = {}.",
                hx(DEFAULT_TARGET)
            ),
        ],
        json!({
            "Valid": "pow_hash ≤ target",
            "AboveTarget": "pow_hash > target (POW_INSUFFICIENT)",
            "Boundary": "target equal to or one below the hash",
            "DefaultTarget": "the consensus DEFAULT_TARGET",
        }),
        vec![group("TxPowVerify", json!({ "defaultTarget": hx(DEFAULT_TARGET) }), tests)],
    )
}
