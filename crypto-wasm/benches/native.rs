//! Native timing of Tx-PoW, Bulletproofs+ and Ed25519 (no criterion; prints medians).
//!
//! Run from the workspace root: `cargo bench -p baios-crypto --bench native`.
//! Numbers are machine-dependent; they are printed, never asserted.

use std::hint::black_box;
use std::time::{Duration, Instant};

use baios_crypto::pedersen::commit;
use baios_crypto::rangeproof::{batch_verify, prove, verify};
use baios_crypto::rng::seeded_rng;
use baios_crypto::{ed25519, txpow};
use curve25519_dalek::ristretto::RistrettoPoint;
use curve25519_dalek::scalar::Scalar;

/// Median wall time of `f` over `runs` runs (after one warm-up run).
fn median<F: FnMut()>(runs: usize, mut f: F) -> Duration {
    f();
    let mut t: Vec<Duration> = (0..runs)
        .map(|_| {
            let s = Instant::now();
            f();
            s.elapsed()
        })
        .collect();
    t.sort();
    t[runs / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn main() {
    // Tx-PoW: hashes per second of the mining loop (impossible target, fixed iterations) and
    // of the reference `pow_hash` (sha3 crate), interleaved; the best of 7 rounds is reported
    // because the machine is shared (min is the least noisy estimator of the attainable rate).
    let txid = [0x5au8; 32];
    let iters = 1_000_000u64;
    let (mut best_mine, mut best_ref) = (Duration::MAX, Duration::MAX);
    for _ in 0..7 {
        let s = Instant::now();
        black_box(txpow::mine(black_box(&txid), &[0; 32], 0, iters));
        best_mine = best_mine.min(s.elapsed());
        let s = Instant::now();
        for n in 0..iters {
            black_box(txpow::pow_hash(black_box(&txid), n));
        }
        best_ref = best_ref.min(s.elapsed());
    }
    let rate = iters as f64 / best_mine.as_secs_f64();
    println!(
        "txpow mine loop (raw Keccak-f1600): {:.3} M hashes/s ({:.1} ns/hash)",
        rate / 1e6,
        1e9 / rate
    );
    println!(
        "txpow pow_hash (sha3 crate, reference path): {:.3} M hashes/s",
        iters as f64 / best_ref.as_secs_f64() / 1e6
    );
    let e = txpow::DEFAULT_EXPECTED_HASHES as f64;
    println!(
        "DEFAULT_TARGET: expected {e} hashes, native median {:.3} s, wasm at 0.5x/0.7x: {:.3}/{:.3} s",
        core::f64::consts::LN_2 * e / rate,
        core::f64::consts::LN_2 * e / (0.5 * rate),
        core::f64::consts::LN_2 * e / (0.7 * rate)
    );

    // Bulletproofs+
    let mut rng = seeded_rng([1; 32]);
    for m in [1usize, 2, 4, 8, 16] {
        let values: Vec<u64> = (0..m as u64).map(|i| i * 123_456_789).collect();
        let masks: Vec<Scalar> = (0..m as u64).map(|i| Scalar::from(i + 1000)).collect();
        let cs: Vec<RistrettoPoint> = values
            .iter()
            .zip(&masks)
            .map(|(&v, r)| commit(v, r))
            .collect();
        let proof = prove(&values, &masks, &mut rng).unwrap();
        let runs = if m >= 8 { 7 } else { 15 };
        let tp = median(runs, || {
            black_box(prove(&values, &masks, &mut rng).unwrap());
        });
        let tv = median(runs, || verify(black_box(&cs), black_box(&proof)).unwrap());
        println!(
            "bp+ m={m:2}: {} bytes, prove {:.2} ms, verify {:.2} ms",
            proof.len(),
            ms(tp),
            ms(tv)
        );
    }
    let items: Vec<(Vec<RistrettoPoint>, Vec<u8>)> = (0..64u64)
        .map(|i| {
            let masks = [Scalar::from(i + 1), Scalar::from(i + 2)];
            let values = [i, 1_000_000 + i];
            let proof = prove(&values, &masks, &mut rng).unwrap();
            (
                values
                    .iter()
                    .zip(&masks)
                    .map(|(&v, r)| commit(v, r))
                    .collect(),
                proof,
            )
        })
        .collect();
    let tb = median(5, || batch_verify(black_box(&items)).unwrap());
    let ts = median(3, || {
        for (c, p) in &items {
            verify(c, p).unwrap();
        }
    });
    println!(
        "bp+ batch of 64 two-output proofs: {:.1} ms ({:.2} ms/proof); one by one {:.1} ms",
        ms(tb),
        ms(tb) / 64.0,
        ms(ts)
    );

    // Ed25519
    let seed = [7u8; 32];
    let pk = ed25519::public_key(&seed);
    let msg = [0u8; 100];
    let sig = ed25519::sign(&seed, &msg);
    let n = 2000;
    let d = median(5, || {
        for _ in 0..n {
            black_box(ed25519::sign(black_box(&seed), &msg));
        }
    });
    println!("ed25519 sign: {:.1} µs", d.as_secs_f64() * 1e6 / n as f64);
    let d = median(5, || {
        for _ in 0..n {
            ed25519::verify(black_box(&pk), &msg, &sig).unwrap();
        }
    });
    println!(
        "ed25519 verify_strict: {:.1} µs",
        d.as_secs_f64() * 1e6 / n as f64
    );
}
