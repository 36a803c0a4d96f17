//! The shared JSON test vectors in `test-vectors/` (schema: `test-vectors/README.md`).
//!
//! 1. Drift check (feature `vectors`): every file produced by `baios_crypto::vectors` is rebuilt
//!    in memory and must equal the committed file byte for byte.
//! 2. Re-check: every case of the files of this crate's core primitives is re-run through the
//!    crate's public decode / verify functions and its verdict (and error code) compared with
//!    `result` / `error`. Derived values (keys, commitments, key images …) are recomputed.

use std::collections::BTreeSet;

use baios_crypto::encoding::{decode_key, decode_point, decode_scalar, encode_point};
use baios_crypto::hash::{hash_to_point, hash_to_scalar};
use baios_crypto::mlsag::{key_image_bytes, verify};
use baios_crypto::pedersen::{balance_check, commit, generator_h};
use baios_crypto::proofs::{check_derivation_proof, check_key_image_proof, check_tx_proof};
use baios_crypto::stealth::Address;
use baios_crypto::stealth::{
    commitment_mask, derivation, derivation_scalar, encrypt_amount, keys_from_seed, one_time_key,
    one_time_secret, scan_output_bytes, view_tag,
};
use baios_crypto::subaddress::{subaddress, subaddress_scalar};
use curve25519_dalek::ristretto::RistrettoPoint;
use serde_json::Value;

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../test-vectors");

/// The files this test re-checks (the other files have their own tests).
const CORE_FILES: &[&str] = &[
    "scalar.json",
    "point.json",
    "hash_to_scalar.json",
    "hash_to_point.json",
    "pedersen.json",
    "stealth.json",
    "key_image.json",
    "mlsag.json",
    "subaddress.json",
    "wallet_proofs.json",
];

fn load(name: &str) -> Value {
    let text = std::fs::read_to_string(format!("{DIR}/{name}"))
        .unwrap_or_else(|e| panic!("{name}: {e} (run gen-vectors)"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[cfg(feature = "vectors")]
#[test]
fn committed_vectors_have_not_drifted() {
    for (name, generate) in baios_crypto::vectors::FILES {
        let fresh = baios_crypto::vectors::to_pretty(&generate());
        let committed = std::fs::read_to_string(format!("{DIR}/{name}"))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(
            fresh == committed,
            "{name} differs from the generator output; regenerate with \
             `cargo run -p baios-crypto --features vectors --bin gen-vectors -- test-vectors` \
             only if the change is intended"
        );
    }
}

fn h(v: &Value, k: &str) -> Vec<u8> {
    let s = v[k]
        .as_str()
        .unwrap_or_else(|| panic!("field {k} is not a string"));
    assert_eq!(s, s.to_lowercase(), "{k} must be lowercase hex");
    hex::decode(s).unwrap_or_else(|e| panic!("{k}: {e}"))
}

fn s<'a>(v: &'a Value, k: &str) -> &'a str {
    v[k].as_str()
        .unwrap_or_else(|| panic!("field {k} is not a string"))
}

fn u64f(v: &Value, k: &str) -> u64 {
    s(v, k)
        .parse()
        .unwrap_or_else(|e| panic!("{k} is not a u64 decimal string: {e}"))
}

fn hexp(p: &RistrettoPoint) -> String {
    hex::encode(encode_point(p))
}

/// A verdict: `Ok(())` accepted; `Err(Some(code))` rejected with a §9 code; `Err(None)`
/// rejected without a code.
type Verdict = Result<(), Option<&'static str>>;

fn code<T>(r: baios_crypto::Result<T>) -> Result<T, Option<&'static str>> {
    r.map_err(|e| Some(e.code()))
}

fn check_case(kind: &str, g: &Value, t: &Value) -> Verdict {
    match kind {
        "ScalarDecode" => {
            let enc = h(t, "encoding");
            let x = code(decode_scalar(&enc, "encoding"))?;
            assert_eq!(x.to_bytes().to_vec(), enc);
            Ok(())
        }
        "PointDecode" => {
            let enc = h(t, "encoding");
            let p = if t["allowIdentity"].as_bool().expect("allowIdentity") {
                code(decode_point(&enc, "encoding"))?
            } else {
                code(decode_key(&enc, "encoding"))?
            };
            assert_eq!(encode_point(&p).to_vec(), enc);
            Ok(())
        }
        "HashToScalar" => {
            let x = hash_to_scalar(s(t, "tag").as_bytes(), &[&h(t, "data")]);
            assert_eq!(hex::encode(x.as_bytes()), s(t, "scalar"));
            Ok(())
        }
        "HashToPoint" => {
            let p = code(hash_to_point(s(t, "dst").as_bytes(), &h(t, "msg")))?;
            assert_eq!(hexp(&p), s(t, "point"));
            Ok(())
        }
        "PedersenCommit" => {
            assert_eq!(hexp(&generator_h()), s(g, "H"), "group H");
            let mask = code(decode_scalar(&h(t, "mask"), "mask"))?;
            if hexp(&commit(u64f(t, "value"), &mask)) == s(t, "commitment") {
                Ok(())
            } else {
                Err(None)
            }
        }
        "BalanceCheck" => {
            let dec = |k: &str| -> Result<Vec<RistrettoPoint>, Option<&'static str>> {
                t[k].as_array()
                    .expect("array")
                    .iter()
                    .map(|x| code(decode_key(&hex::decode(x.as_str().unwrap()).unwrap(), "c")))
                    .collect()
            };
            let pseudo = dec("pseudoOuts")?;
            let outs = dec("outputs")?;
            if balance_check(&pseudo, &outs, u64f(t, "fee")) {
                Ok(())
            } else {
                Err(None)
            }
        }
        "StealthOutput" => {
            let seed: [u8; 32] = h(t, "seed").try_into().unwrap();
            let w = keys_from_seed(&seed);
            assert_eq!(hex::encode(w.spend_secret.as_bytes()), s(t, "spendSecret"));
            assert_eq!(hex::encode(w.view_secret.as_bytes()), s(t, "viewSecret"));
            assert_eq!(hexp(&w.spend_public), s(t, "spendPublic"));
            assert_eq!(hexp(&w.view_public), s(t, "viewPublic"));
            let r = code(decode_scalar(&h(t, "txSecret"), "txSecret"))?;
            let big_r = RistrettoPoint::mul_base(&r);
            assert_eq!(hexp(&big_r), s(t, "txPublic"));
            let d = derivation(&r, &w.view_public);
            assert_eq!(d, derivation(&w.view_secret, &big_r));
            assert_eq!(hexp(d.point()), s(t, "derivation"));
            let index = u64f(t, "index");
            let amount = u64f(t, "amount");
            let sc = derivation_scalar(&d, index);
            assert_eq!(hex::encode(sc.as_bytes()), s(t, "derivationScalar"));
            let pk = one_time_key(&sc, &w.spend_public);
            assert_eq!(hexp(&pk), s(t, "oneTimeKey"));
            assert_eq!(
                u64::from(view_tag(&d, index)),
                t["viewTag"].as_u64().unwrap()
            );
            assert_eq!(
                hex::encode(encrypt_amount(amount, &sc)),
                s(t, "encryptedAmount")
            );
            let y = commitment_mask(&sc);
            assert_eq!(hex::encode(y.as_bytes()), s(t, "commitmentMask"));
            assert_eq!(hexp(&commit(amount, &y)), s(t, "commitment"));
            let x = one_time_secret(&sc, &w.spend_secret);
            assert_eq!(hex::encode(x.as_bytes()), s(t, "oneTimeSecret"));
            assert_eq!(RistrettoPoint::mul_base(&x), pk);
            Ok(())
        }
        "StealthScan" => {
            let tag = u8::try_from(t["viewTag"].as_u64().expect("viewTag")).expect("0..255");
            let got = code(scan_output_bytes(
                &h(t, "viewSecret"),
                &h(t, "spendPublic"),
                &h(t, "txPublic"),
                u64f(t, "index"),
                &h(t, "oneTimeKey"),
                tag,
                &h(t, "encryptedAmount"),
                &h(t, "commitment"),
            ))?;
            match got {
                Some(r) => {
                    assert_eq!(r.amount, u64f(t, "amount"));
                    Ok(())
                }
                None => Err(None),
            }
        }
        "KeyImage" => {
            let ki = code(key_image_bytes(&h(t, "oneTimeSecret"), &h(t, "oneTimeKey")))?;
            if hex::encode(ki) == s(t, "keyImage") {
                Ok(())
            } else {
                Err(None)
            }
        }
        "MlsagVerify" => {
            let ring = t["ring"].as_array().expect("ring");
            let keys: Vec<u8> = ring.iter().flat_map(|m| h(m, "key")).collect();
            let comms: Vec<u8> = ring.iter().flat_map(|m| h(m, "commitment")).collect();
            code(verify(
                &h(t, "message"),
                &keys,
                &comms,
                &h(t, "pseudoOut"),
                &h(t, "keyImage"),
                &h(t, "signature"),
            ))
        }
        "Subaddress" => {
            let a = code(decode_scalar(&h(t, "viewSecret"), "viewSecret"))?;
            let b = code(decode_key(&h(t, "spendPublic"), "spendPublic"))?;
            let n = |k: &str| u32::try_from(t[k].as_u64().expect("u32 field")).expect("u32");
            let (i, j) = (n("account"), n("index"));
            let sub = subaddress(&a, &b, i, j);
            assert_eq!(
                hex::encode(subaddress_scalar(&a, i, j).as_bytes()),
                s(t, "scalar")
            );
            if hexp(&sub.view_public) == s(t, "subaddressView")
                && hexp(&sub.spend_public) == s(t, "subaddressSpend")
            {
                Ok(())
            } else {
                Err(None)
            }
        }
        "TxProofVerify" => {
            let r = code(decode_key(&h(t, "txPublic"), "txPublic"))?;
            let txid: [u8; 32] = h(t, "txid").try_into().expect("txid");
            let to = code(Address::from_bytes(&h(t, "address")))?;
            let sub = t["isSubaddress"].as_bool().expect("isSubaddress");
            let d = code(check_tx_proof(
                &r,
                &txid,
                &to,
                sub,
                &h(t, "message"),
                &h(t, "proof"),
            ))?;
            assert_eq!(hex::encode(d.as_bytes()), s(t, "sharedPoint"));
            Ok(())
        }
        "KeyImageProofVerify" => {
            let p = code(decode_key(&h(t, "oneTimeKey"), "oneTimeKey"))?;
            let ki = code(check_key_image_proof(&p, &h(t, "context"), &h(t, "proof")))?;
            assert_eq!(hexp(&ki), s(t, "keyImage"));
            Ok(())
        }
        "DerivationProofVerify" => {
            let a = code(decode_key(&h(t, "viewPublic"), "viewPublic"))?;
            let r = code(decode_key(&h(t, "txPublic"), "txPublic"))?;
            let d = code(check_derivation_proof(
                &a,
                &r,
                &h(t, "context"),
                &h(t, "proof"),
            ))?;
            assert_eq!(hex::encode(d.as_bytes()), s(t, "sharedPoint"));
            Ok(())
        }
        other => panic!("unknown group type {other}"),
    }
}

#[test]
fn every_core_case_rechecked() {
    let mut total = 0;
    for name in CORE_FILES {
        let f = load(name);
        for k in ["algorithm", "generatorVersion"] {
            assert!(f[k].is_string(), "{name}: {k}");
        }
        assert!(f["header"].is_array() && f["notes"].is_object(), "{name}");
        let mut ids = BTreeSet::new();
        let (mut valid, mut invalid) = (0, 0);
        for g in f["testGroups"].as_array().expect("testGroups") {
            let kind = g["type"].as_str().expect("type");
            for t in g["tests"].as_array().expect("tests") {
                let id = t["tcId"].as_u64().expect("tcId");
                assert!(id >= 1 && ids.insert(id), "{name}: tcId {id} not unique");
                let flags = t["flags"].as_array().expect("flags");
                assert!(flags.iter().all(|f| f.is_string()));
                let want = t["result"].as_str().expect("result");
                let verdict = check_case(kind, g, t);
                match (want, &verdict) {
                    ("valid", Ok(())) => {
                        assert!(t.get("error").is_none());
                        valid += 1;
                    }
                    ("invalid", Err(got)) => {
                        if let Some(expected) = t.get("error") {
                            assert_eq!(
                                Some(expected.as_str().unwrap()),
                                *got,
                                "{name} tcId {id}: error code"
                            );
                        }
                        invalid += 1;
                    }
                    _ => panic!("{name} tcId {id}: expected {want}, got {verdict:?}"),
                }
            }
        }
        assert_eq!(
            f["numberOfTests"].as_u64().unwrap(),
            ids.len() as u64,
            "{name}: numberOfTests"
        );
        assert!(valid > 0, "{name}: no valid case");
        if !matches!(*name, "hash_to_scalar.json") {
            assert!(invalid > 0, "{name}: no invalid case");
        }
        total += ids.len();
    }
    assert!(total > 150, "only {total} cases");
}

/// The mlsag file holds the cases the spec asks for (ring 11 and 3, and every invalid kind).
#[test]
fn mlsag_vectors_cover_required_cases() {
    let f = load("mlsag.json");
    let tests = f["testGroups"][0]["tests"].as_array().unwrap();
    let sizes: BTreeSet<usize> = tests
        .iter()
        .filter(|t| t["result"] == "valid")
        .map(|t| t["ring"].as_array().unwrap().len())
        .collect();
    assert!(sizes.contains(&11) && sizes.contains(&3));
    let codes: BTreeSet<&str> = tests.iter().filter_map(|t| t["error"].as_str()).collect();
    for c in [
        "INVALID_SIGNATURE",
        "IDENTITY_POINT",
        "DUPLICATE_RING_MEMBER",
        "NON_CANONICAL_SCALAR",
        "INVALID_POINT",
        "INVALID_LENGTH",
        "RING_SIZE",
    ] {
        assert!(codes.contains(c), "missing {c}");
    }
}
