//! Native timings of the operations that `bench/` also measures in WebAssembly, under the same
//! names, so the two can be compared side by side (the WASM-vs-native ratio).
//!
//! Run: `cargo bench -p baios-crypto --bench native` (the bench script does this). Prints one
//! JSON object `{ "op": median_microseconds, ... }` on stdout. Methodology as `bench/`: warm-up,
//! then the median of many samples; timings are printed, never asserted.

use std::hint::black_box;
use std::num::NonZeroUsize;
use std::time::Instant;

use baios_crypto::encoding::{decode_key, decode_point, decode_scalar, encode_point};
use baios_crypto::hash::{hash_to_point, tags};
use baios_crypto::pedersen::commit;
use baios_crypto::ring_cache::RingCache;
use baios_crypto::rng::seeded_rng;
use baios_crypto::{ed25519, mlsag, rangeproof, stealth, txpow};
use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;

/// Median per-call time in µs of `f` over `samples` samples of `inner` calls each.
fn median_us<F: FnMut()>(samples: usize, inner: usize, mut f: F) -> f64 {
    for _ in 0..inner.min(3) {
        f();
    }
    let mut t: Vec<f64> = (0..samples)
        .map(|_| {
            let s = Instant::now();
            for _ in 0..inner {
                f();
            }
            s.elapsed().as_secs_f64() * 1e6 / inner as f64
        })
        .collect();
    t.sort_by(f64::total_cmp);
    t[samples / 2]
}

fn main() {
    let mut rng = seeded_rng([7; 32]);
    let mut out: Vec<(String, f64)> = Vec::new();

    // Curve operations on encodings, as the WASM exports do them: decode, operate, encode.
    let s = Scalar::random(&mut rng).to_bytes();
    let p = encode_point(&RistrettoPoint::mul_base(&Scalar::random(&mut rng)));
    out.push((
        "point_mul".into(),
        median_us(50, 20, || {
            let sc = decode_scalar(black_box(&s), "s").unwrap();
            let pt = decode_point(black_box(&p), "p").unwrap();
            black_box(encode_point(&(sc * pt)));
        }),
    ));
    out.push((
        "base_mul".into(),
        median_us(50, 20, || {
            let sc = decode_scalar(black_box(&s), "s").unwrap();
            black_box(encode_point(&RistrettoPoint::mul_base(&sc)));
        }),
    ));
    out.push((
        "hash_to_point".into(),
        median_us(50, 20, || {
            let h = hash_to_point(tags::KEY_IMAGE, black_box(b"benchmark message")).unwrap();
            black_box(encode_point(&h));
        }),
    ));

    // MLSAG, ring 11.
    let n = 11;
    let xs: Vec<Scalar> = (0..n).map(|_| Scalar::random(&mut rng)).collect();
    let masks: Vec<Scalar> = (0..n).map(|_| Scalar::random(&mut rng)).collect();
    let keys: Vec<RistrettoPoint> = xs.iter().map(RistrettoPoint::mul_base).collect();
    let coms: Vec<RistrettoPoint> = masks.iter().map(|m| commit(1000, m)).collect();
    let pseudo_mask = Scalar::random(&mut rng);
    let pseudo = commit(1000, &pseudo_mask);
    let (pi, msg) = (5, [9u8; 32]);
    let z = masks[pi] - pseudo_mask;
    let sig = mlsag::sign(&msg, &keys, &coms, &pseudo, pi, &xs[pi], &z, &mut rng).unwrap();
    let ki = mlsag::key_image(&xs[pi], &keys[pi]).compress().to_bytes();
    let kb: Vec<u8> = keys.iter().flat_map(|k| k.compress().to_bytes()).collect();
    let cb: Vec<u8> = coms.iter().flat_map(|k| k.compress().to_bytes()).collect();
    let pb = pseudo.compress().to_bytes();
    out.push((
        "mlsag_sign_11".into(),
        median_us(30, 1, || {
            black_box(mlsag::sign(&msg, &keys, &coms, &pseudo, pi, &xs[pi], &z, &mut rng).unwrap());
        }),
    ));
    out.push((
        "mlsag_verify_11".into(),
        median_us(30, 1, || {
            mlsag::verify(&msg, &kb, &cb, &pb, &ki, black_box(&sig)).unwrap();
        }),
    ));
    // The same verification with every ring member in the ring-member cache (warm).
    let mut cache = RingCache::new(NonZeroUsize::new(64).unwrap());
    mlsag::verify_cached(&msg, &kb, &cb, &pb, &ki, &sig, Some(&mut cache)).unwrap();
    out.push((
        "mlsag_verify_11_warm".into(),
        median_us(30, 1, || {
            mlsag::verify_cached(&msg, &kb, &cb, &pb, &ki, black_box(&sig), Some(&mut cache))
                .unwrap();
        }),
    ));

    // Bulletproofs+.
    for m in [1usize, 2, 16] {
        let values: Vec<u64> = (0..m as u64).map(|i| i * 1_000_003).collect();
        let ms: Vec<Scalar> = (0..m).map(|_| Scalar::random(&mut rng)).collect();
        let cs: Vec<RistrettoPoint> = values.iter().zip(&ms).map(|(&v, r)| commit(v, r)).collect();
        let proof = rangeproof::prove(&values, &ms, &mut rng).unwrap();
        let samples = if m == 16 { 9 } else { 21 };
        out.push((
            format!("bp_prove_m{m}"),
            median_us(samples, 1, || {
                black_box(rangeproof::prove(&values, &ms, &mut rng).unwrap());
            }),
        ));
        out.push((
            format!("bp_verify_m{m}"),
            median_us(samples, 1, || {
                rangeproof::verify(&cs, black_box(&proof)).unwrap();
            }),
        ));
    }
    let items: Vec<(Vec<RistrettoPoint>, Vec<u8>)> = (0..64u64)
        .map(|i| {
            let ms = [Scalar::random(&mut rng), Scalar::random(&mut rng)];
            let vs = [i, 1_000_000 + i];
            let proof = rangeproof::prove(&vs, &ms, &mut rng).unwrap();
            (
                vs.iter().zip(&ms).map(|(&v, r)| commit(v, r)).collect(),
                proof,
            )
        })
        .collect();
    out.push((
        "bp_batch64_m2".into(),
        median_us(7, 1, || {
            rangeproof::batch_verify(black_box(&items)).unwrap();
        }),
    ));

    // Scanning foreign two-output transactions (per output).
    let me = stealth::keys_from_seed(&[1; 32]);
    let other = stealth::keys_from_seed(&[2; 32]).address();
    let txs: Vec<([u8; 32], [stealth::Output; 2])> = (0..64)
        .map(|_| {
            let (r, big_r) = stealth::tx_key(&mut rng);
            (
                encode_point(&big_r),
                [0, 1].map(|i| stealth::create_output(&r, &other, i, 5)),
            )
        })
        .collect();
    for (name, tags) in [
        ("scan_with_view_tags", true),
        ("scan_without_view_tags", false),
    ] {
        let per_tx = median_us(15, 1, || {
            for (big_r, outs) in &txs {
                let big_r = decode_key(big_r, "R").unwrap();
                let d = stealth::derivation(&me.view_secret, &big_r);
                for (i, o) in outs.iter().enumerate() {
                    if tags && stealth::view_tag(&d, i as u64) != o.view_tag {
                        continue;
                    }
                    black_box(stealth::receive_with_derivation(
                        &d,
                        &me.spend_public,
                        i as u64,
                        &o.one_time_key,
                        &o.encrypted_amount,
                        &o.commitment,
                    ));
                }
            }
        });
        out.push((name.into(), per_tx / 128.0));
    }

    // Tx-PoW and Ed25519.
    let txid = [0x5a; 32];
    let mut nonce = 0u64;
    out.push((
        "txpow_hash".into(),
        median_us(30, 20_000, || {
            nonce += 1;
            black_box(txpow::pow_hash(black_box(&txid), nonce));
        }),
    ));
    let seed = [3u8; 32];
    let (pk, esig) = (ed25519::public_key(&seed), ed25519::sign(&seed, b"vote"));
    out.push((
        "ed25519_verify".into(),
        median_us(30, 20, || {
            ed25519::verify(&pk, b"vote", black_box(&esig)).unwrap();
        }),
    ));

    let body: Vec<String> = out
        .iter()
        .map(|(k, v)| format!("  \"{k}\": {v:.3}"))
        .collect();
    println!("{{\n{}\n}}", body.join(",\n"));
}
