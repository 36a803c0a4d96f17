//! `stealth.json`: dual-key stealth outputs and view-only scanning (docs/crypto.md §4).

use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;
use rand_core::Rng;
use serde_json::{json, Value};

use super::scalar::L_BYTES;
use super::{case, file, group, hx, rng_for};
use crate::pedersen::commit;
use crate::stealth::{
    commitment_mask, create_output, derivation, derivation_scalar, encrypt_amount, keys_from_seed,
    one_time_key, one_time_secret, scan_output_bytes, view_tag, WalletKeys,
};

fn p(x: &RistrettoPoint) -> [u8; 32] {
    x.compress().to_bytes()
}

/// The scan inputs of one output, as bytes.
#[derive(Clone)]
struct Scan {
    view_secret: Vec<u8>,
    spend_public: Vec<u8>,
    tx_public: Vec<u8>,
    index: u64,
    one_time_key: Vec<u8>,
    view_tag: u8,
    encrypted_amount: Vec<u8>,
    commitment: Vec<u8>,
}

impl Scan {
    fn json(&self, amount: Option<u64>) -> Value {
        let mut v = json!({
            "viewSecret": hx(&self.view_secret),
            "spendPublic": hx(&self.spend_public),
            "txPublic": hx(&self.tx_public),
            "index": self.index.to_string(),
            "oneTimeKey": hx(&self.one_time_key),
            "viewTag": self.view_tag,
            "encryptedAmount": hx(&self.encrypted_amount),
            "commitment": hx(&self.commitment),
        });
        if let Some(a) = amount {
            v["amount"] = json!(a.to_string());
        }
        v
    }

    /// `Ok(Some(amount))` if ours, `Ok(None)` if not, `Err(code)`.
    fn verdict(&self) -> Result<Option<u64>, &'static str> {
        scan_output_bytes(
            &self.view_secret,
            &self.spend_public,
            &self.tx_public,
            self.index,
            &self.one_time_key,
            self.view_tag,
            &self.encrypted_amount,
            &self.commitment,
        )
        .map(|o| o.map(|r| r.amount))
        .map_err(|e| e.code())
    }
}

fn scan_for(w: &WalletKeys, tx_secret: &Scalar, index: u64, amount: u64) -> Scan {
    let out = create_output(tx_secret, &w.address(), index, amount);
    Scan {
        view_secret: w.view_secret.to_bytes().to_vec(),
        spend_public: p(&w.spend_public).to_vec(),
        tx_public: p(&RistrettoPoint::mul_base(tx_secret)).to_vec(),
        index,
        one_time_key: p(&out.one_time_key).to_vec(),
        view_tag: out.view_tag,
        encrypted_amount: out.encrypted_amount.to_vec(),
        commitment: p(&out.commitment).to_vec(),
    }
}

/// Builds `stealth.json`.
pub fn generate() -> Value {
    let mut rng = rng_for("stealth.json");
    let mut outputs = Vec::new();
    let cases: [(u64, u64); 6] = [
        (0, 0),
        (0, 100_000_000),
        (1, 1),
        (2, 2_100_000_000_000_000_000),
        (15, u64::MAX),
        (u64::MAX, 123_456_789),
    ];
    for (k, (index, amount)) in cases.into_iter().enumerate() {
        let mut seed = [0u8; 32];
        rng.fill_bytes(&mut seed);
        let w = keys_from_seed(&seed);
        let r = Scalar::random(&mut rng);
        let big_r = RistrettoPoint::mul_base(&r);
        let d = derivation(&r, &w.view_public);
        assert_eq!(d, derivation(&w.view_secret, &big_r));
        let s = derivation_scalar(&d, index);
        let y = commitment_mask(&s);
        let x = one_time_secret(&s, &w.spend_secret);
        let pk = one_time_key(&s, &w.spend_public);
        assert_eq!(RistrettoPoint::mul_base(&x), pk);
        outputs.push(case(
            &format!("output {k}: index {index}, amount {amount}"),
            &[],
            true,
            None,
            json!({
                "seed": hx(seed),
                "spendSecret": hx(w.spend_secret.as_bytes()),
                "viewSecret": hx(w.view_secret.as_bytes()),
                "spendPublic": hx(p(&w.spend_public)),
                "viewPublic": hx(p(&w.view_public)),
                "txSecret": hx(r.as_bytes()),
                "txPublic": hx(p(&big_r)),
                "derivation": hx(d.as_bytes()),
                "index": index.to_string(),
                "derivationScalar": hx(s.as_bytes()),
                "oneTimeKey": hx(p(&pk)),
                "viewTag": view_tag(&d, index),
                "amount": amount.to_string(),
                "encryptedAmount": hx(encrypt_amount(amount, &s)),
                "commitmentMask": hx(y.as_bytes()),
                "commitment": hx(p(&commit(amount, &y))),
                "oneTimeSecret": hx(x.as_bytes()),
            }),
        ));
    }

    let mut scans = Vec::new();
    let mut push = |comment: &str,
                    flags: &[&str],
                    sc: &Scan,
                    expect: Result<Option<u64>, &'static str>,
                    with_amount: bool| {
        assert_eq!(sc.verdict(), expect, "stealth.json scan: {comment}");
        let (valid, code, amount) = match expect {
            Ok(Some(a)) => (true, None, Some(a)),
            Ok(None) => (false, None, None),
            Err(c) => (false, Some(c), None),
        };
        let amount = if with_amount { amount } else { None };
        scans.push(case(comment, flags, valid, code, sc.json(amount)));
    };
    let mut seed = [0u8; 32];
    rng.fill_bytes(&mut seed);
    let alice = keys_from_seed(&seed);
    for (index, amount) in [(0u64, 5_000_000u64), (3, 0), (7, u64::MAX)] {
        let r = Scalar::random(&mut rng);
        let sc = scan_for(&alice, &r, index, amount);
        push(
            &format!("ours: index {index}, amount {amount}"),
            &[],
            &sc,
            Ok(Some(amount)),
            true,
        );
    }
    let r = Scalar::random(&mut rng);
    let base = scan_for(&alice, &r, 1, 4242);

    let mut t = base.clone();
    t.view_tag ^= 0x01;
    push(
        "view tag changed",
        &["ViewTagMismatch"],
        &t,
        Ok(None),
        false,
    );
    let mut t = base.clone();
    t.index = 2;
    push("wrong output index", &["NotOurs"], &t, Ok(None), false);
    // A foreign wallet whose view tag collides with the output's (found by search), so that the
    // one-time-key check, not the tag, rejects it.
    let mut tries = 0u32;
    loop {
        tries += 1;
        let mut fseed = [0u8; 32];
        rng.fill_bytes(&mut fseed);
        let eve = keys_from_seed(&fseed);
        let mut t = base.clone();
        t.view_secret = eve.view_secret.to_bytes().to_vec();
        t.spend_public = p(&eve.spend_public).to_vec();
        let d = derivation(&eve.view_secret, &RistrettoPoint::mul_base(&r));
        if view_tag(&d, 1) == base.view_tag {
            push(
                "foreign wallet whose view tag collides",
                &["NotOurs"],
                &t,
                Ok(None),
                false,
            );
            break;
        }
        if tries == 1 {
            push(
                "foreign wallet (view tag differs)",
                &["NotOurs"],
                &t,
                Ok(None),
                false,
            );
        }
    }
    let mut t = base.clone();
    t.spend_public = p(&RistrettoPoint::mul_base(&Scalar::random(&mut rng))).to_vec();
    push(
        "our view key, someone else's spend key",
        &["NotOurs"],
        &t,
        Ok(None),
        false,
    );
    let mut t = base.clone();
    t.encrypted_amount[0] ^= 0x01;
    push(
        "encrypted amount changed (commitment no longer opens)",
        &["CommitmentMismatch"],
        &t,
        Ok(None),
        false,
    );
    let mut t = base.clone();
    let s = derivation_scalar(
        &derivation(&alice.view_secret, &RistrettoPoint::mul_base(&r)),
        1,
    );
    t.commitment = p(&commit(4243, &commitment_mask(&s))).to_vec();
    push(
        "commitment to another amount",
        &["CommitmentMismatch"],
        &t,
        Ok(None),
        false,
    );
    let mut t = base.clone();
    t.tx_public = vec![0; 32];
    push(
        "identity tx public key",
        &["Identity"],
        &t,
        Err("IDENTITY_POINT"),
        false,
    );
    let mut t = base.clone();
    t.one_time_key = vec![0; 32];
    push(
        "identity one-time key",
        &["Identity"],
        &t,
        Err("IDENTITY_POINT"),
        false,
    );
    let mut t = base.clone();
    t.commitment[31] |= 0x80;
    push(
        "non-canonical commitment encoding",
        &["InvalidEncoding"],
        &t,
        Err("INVALID_POINT"),
        false,
    );
    let mut t = base.clone();
    t.view_secret = L_BYTES.to_vec();
    push(
        "view secret = l",
        &["InvalidEncoding"],
        &t,
        Err("NON_CANONICAL_SCALAR"),
        false,
    );
    let mut t = base.clone();
    t.encrypted_amount.pop();
    push(
        "7-byte encrypted amount",
        &["InvalidEncoding"],
        &t,
        Err("INVALID_LENGTH"),
        false,
    );

    file(
        "BAIOS-Stealth",
        &[
            "CryptoNote dual-key stealth outputs with view tags and encrypted amounts (docs/crypto.md §4).",
            "StealthOutput: every field is derived from seed, txSecret, index and amount. StealthScan: a view-only wallet (viewSecret, spendPublic) scans one output; valid = the output is ours and the commitment opens to `amount`.",
            "index and amount are u64 decimal strings; viewTag is a number 0..255.",
        ],
        json!({
            "ViewTagMismatch": "the view tag does not match (fast reject); not ours, no error code",
            "NotOurs": "the output is not addressed to this wallet; no error code",
            "CommitmentMismatch": "the one-time key is ours but the commitment does not open to the decrypted amount; no error code",
            "Identity": "an identity point where a key or commitment is expected",
            "InvalidEncoding": "a malformed input encoding"
        }),
        vec![
            group("StealthOutput", Value::Null, outputs),
            group("StealthScan", Value::Null, scans),
        ],
    )
}
