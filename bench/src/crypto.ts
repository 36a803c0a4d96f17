/**
 * Cryptography benchmarks (issue: crypto-wasm). Measures, in one run:
 * - the WebAssembly build through `@baios/crypto` (what the node and wallet really call);
 * - the same operations natively (`cargo bench -p baios-crypto --bench native`, same names), twice:
 *   with dalek's default backend for x86-64 (64-bit limbs, AVX2 where present) and forced to its
 *   32-bit serial backend (`RUSTFLAGS='--cfg curve25519_dalek_bits="32"'`, own target dir), the
 *   one the WebAssembly build uses, so "WASM vs native-32" is the engine's cost alone;
 * - MLSAG ring-11 verify with the ring-member cache warm vs off, interleaved (A B A B …);
 * - the same Ristretto operations in @noble/curves, as the pure-TypeScript reference.
 * Prints a table with the targets and writes `bench/results/crypto.json`.
 *
 * Run: `./scripts/bench` (or `node bench/src/crypto.ts [--skip-native]`).
 * @module
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { ristretto255, ristretto255_hasher } from "@noble/curves/ed25519.js";
import * as c from "@baios/crypto";
import { fmtUs, interleave, measure, type Measurement, printTable } from "./harness.ts";

const root = new URL("../../", import.meta.url);
const results: Measurement[] = [];
const wasm = (name: string, fn: () => unknown, samples = 30, inner = 1): void => {
  results.push(measure(name, "wasm", fn, { samples, inner }));
};
const seed = (i: number): Uint8Array => new Uint8Array(32).fill(i);

// ---- curve operations: WASM vs noble
const s = c.randomScalar(seed(1));
const P = c.scalarMultBase(c.randomScalar(seed(2)));
// V8 compiles WebAssembly with a baseline tier first and optimises hot functions later; run the
// shared curve code for a while before timing anything so every figure is steady-state.
for (let i = 0; i < 2000; i++) c.scalarMult(s, c.scalarMultBase(s));
wasm("point_mul", () => c.scalarMult(s, P), 50, 20);
wasm("base_mul", () => c.scalarMultBase(s), 50, 20);
const dst = "BAIOS-v1-KeyImage_ristretto255_XMD:SHA-512_R255MAP_RO_";
const msg = new TextEncoder().encode("benchmark message");
wasm("hash_to_point", () => c.hashToPoint(dst, msg), 50, 20);
{
  const Point = ristretto255.Point;
  const sN = BigInt(`0x${Buffer.from(s).reverse().toString("hex")}`) % Point.Fn.ORDER;
  const pN = Point.fromBytes(P);
  results.push(measure("point_mul", "noble", () => pN.multiply(sN).toBytes(), { samples: 30, inner: 5 }));
  results.push(measure("base_mul", "noble", () => Point.BASE.multiply(sN).toBytes(), { samples: 30, inner: 5 }));
  results.push(measure("hash_to_point", "noble", () => ristretto255_hasher.hashToCurve(msg, { DST: dst }).toBytes(), { samples: 30, inner: 5 }));
}

// ---- MLSAG ring 11
{
  const n = 11;
  const xs = Array.from({ length: n }, (_, i) => c.randomScalar(seed(10 + i)));
  const masks = Array.from({ length: n }, (_, i) => c.randomScalar(seed(30 + i)));
  const ring = {
    message: new Uint8Array(32).fill(9),
    ringKeys: xs.map((x) => c.scalarMultBase(x)),
    ringCommitments: masks.map((m) => c.commit(1000n, m)),
    pseudoOut: c.commit(1000n, c.randomScalar(seed(50))),
  };
  const pi = 5;
  const z = c.scalarSub(masks[pi] as Uint8Array, c.randomScalar(seed(50)));
  const sig = c.mlsagSign(ring, pi, xs[pi] as Uint8Array, z);
  const ki = c.keyImage(xs[pi] as Uint8Array, ring.ringKeys[pi] as Uint8Array);
  wasm("mlsag_sign_11", () => c.mlsagSign(ring, pi, xs[pi] as Uint8Array, z), 30);
  wasm("mlsag_verify_11", () => c.mlsagVerifyUncached(ring, ki, sig), 30);
  // Ring-member cache: the same verification with the cache off vs warm (all 11 members cached),
  // interleaved A B A B …; each sample is the mean of 5 verifications (µs each).
  c.ringCacheConfigure(64);
  c.mlsagVerify(ring, ki, sig);
  const per = (f: () => void) => () => {
    const t0 = performance.now();
    for (let i = 0; i < 5; i++) f();
    return ((performance.now() - t0) * 1000) / 5;
  };
  const ab = await interleave({ off: per(() => c.mlsagVerifyUncached(ring, ki, sig)), warm: per(() => c.mlsagVerify(ring, ki, sig)) }, 30, 2);
  for (const [name, v] of [["mlsag_verify_11_off", ab.off], ["mlsag_verify_11_warm", ab.warm]] as const) {
    results.push({ name, impl: "wasm", medianUs: v.summary.median, madUs: 0, minUs: v.summary.min, p25Us: v.summary.p25, samples: v.samples.length, inner: 5 });
  }
  c.ringCacheConfigure(0);
}

// ---- Bulletproofs+
for (const m of [1, 2, 16]) {
  const amounts = Array.from({ length: m }, (_, i) => BigInt(i) * 1_000_003n);
  const masks = amounts.map((_, i) => c.randomScalar(seed(60 + i)));
  const coms = amounts.map((a, i) => c.commit(a, masks[i] as Uint8Array));
  const proof = c.rangeProve(amounts, masks);
  const samples = m === 16 ? 9 : 21;
  wasm(`bp_prove_m${m}`, () => c.rangeProve(amounts, masks), samples);
  wasm(`bp_verify_m${m}`, () => c.rangeVerify(coms, proof), samples);
}
const batch = Array.from({ length: 64 }, (_, i) => {
  const amounts = [BigInt(i), 1_000_000n + BigInt(i)];
  const masks = [c.randomScalar(), c.randomScalar()];
  return { commitments: amounts.map((a, j) => c.commit(a, masks[j] as Uint8Array)), proof: c.rangeProve(amounts, masks) };
});
wasm("bp_batch64_m2", () => c.rangeBatchVerify(batch), 7);

// ---- scanning foreign two-output transactions, per output
{
  const me = c.walletKeysFromSeed(seed(1));
  const other = c.walletKeysFromSeed(seed(2));
  const txs = Array.from({ length: 64 }, (_, i) => {
    const r = c.randomScalar(seed(100 + i));
    return { R: c.scalarMultBase(r), outs: [0, 1].map((j) => c.makeOutput(r, other.viewPublic, other.spendPublic, j, 5n)) };
  });
  for (const [name, tags] of [["scan_with_view_tags", true], ["scan_without_view_tags", false]] as const) {
    const m = measure(name, "wasm", () => txs.forEach((t) => c.scanOutputs(me.viewSecret, me.spendPublic, t.R, t.outs, tags)), { samples: 15 });
    results.push({ ...m, medianUs: m.medianUs / 128, madUs: m.madUs / 128, minUs: (m.minUs ?? NaN) / 128, p25Us: (m.p25Us ?? NaN) / 128 });
  }
}

// ---- Tx-PoW and Ed25519
{
  const txid = new Uint8Array(32).fill(0x5a);
  const impossible = new Uint8Array(32);
  const k = 20_000;
  const m = measure("txpow_hash", "wasm", () => c.txPowMine(txid, impossible, 0n, k), { samples: 30 });
  results.push({ ...m, medianUs: m.medianUs / k, madUs: m.madUs / k, minUs: (m.minUs ?? NaN) / k, p25Us: (m.p25Us ?? NaN) / k, inner: k });
  const pk = c.ed25519PublicKey(seed(3));
  const vote = new TextEncoder().encode("vote");
  const esig = c.ed25519Sign(seed(3), vote);
  wasm("ed25519_verify", () => c.ed25519Verify(pk, vote, esig), 50, 20);
}

// ---- native, same operations
const native: Record<string, number> = {};
/** Native with dalek's 32-bit serial backend (what wasm32 compiles to), µs by operation. */
const native32: Record<string, number> = {};
if (!process.argv.includes("--skip-native")) {
  const cargoBench = (env: NodeJS.ProcessEnv): Record<string, number> => {
    const out = execFileSync("cargo", ["bench", "-q", "-p", "baios-crypto", "--bench", "native"], { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, ...env } });
    return JSON.parse(out.slice(out.indexOf("{"))) as Record<string, number>;
  };
  Object.assign(native, cargoBench({}));
  for (const [name, us] of Object.entries(native)) results.push({ name, impl: "native", medianUs: us, madUs: 0, samples: 0, inner: 0 });
  // Its own target dir: other RUSTFLAGS would otherwise rebuild the default target's artefacts.
  Object.assign(native32, cargoBench({ RUSTFLAGS: '--cfg curve25519_dalek_bits="32"', CARGO_TARGET_DIR: fileURLToPath(new URL("target/bench-bits32", root)) }));
}

// ---- Tx-PoW calibration: median time to mine at the default target, in WASM
const expected = c.txPowExpectedHashes(c.DEFAULT_TXPOW_TARGET);
const powRate = 1e6 / (results.find((r) => r.name === "txpow_hash" && r.impl === "wasm")?.medianUs ?? NaN);
const powMedianS = (Math.LN2 * expected) / powRate;

// ---- report
const get = (name: string, impl: Measurement["impl"]) => results.find((r) => r.name === name && r.impl === impl)?.medianUs;
const ops = [...new Set(results.map((r) => r.name))];
const rows = ops.map((name) => {
  const w = get(name, "wasm");
  const n = get(name, "native");
  const n32 = native32[name];
  const nb = get(name, "noble");
  const ratio = (a: number | undefined, b: number | undefined): string => (a && b ? `${(a / b).toFixed(2)}×` : "");
  return [name, w === undefined ? "" : fmtUs(w), n === undefined ? "" : fmtUs(n), n32 === undefined ? "" : fmtUs(n32), ratio(w, n), ratio(w, n32), nb === undefined ? "" : fmtUs(nb), w && nb ? `${(nb / w).toFixed(1)}×` : ""];
});
console.log("\nMedian time per operation (scanning: per output; txpow_hash: per hash). native-64: dalek's default x86-64 backend; native-32: its 32-bit serial backend, as in WASM\n");
printTable(["operation", "wasm", "native-64", "native-32", "wasm/native-64", "wasm/native-32", "@noble", "noble/wasm"], rows);
{
  const off = results.find((r) => r.name === "mlsag_verify_11_off");
  const warm = results.find((r) => r.name === "mlsag_verify_11_warm" && r.impl === "wasm");
  if (off && warm) {
    console.log("\nRing-member cache, MLSAG ring-11 verify (wasm), interleaved off/warm, µs per verify\n");
    const row = (k: string, m: Measurement) => [k, fmtUs(m.medianUs), fmtUs(m.p25Us ?? NaN), fmtUs(m.minUs ?? NaN)];
    printTable(["cache", "median", "p25", "min"], [row("off", off), row("warm (11/11 hits)", warm), ["warm vs off", `${((warm.medianUs / off.medianUs - 1) * 100).toFixed(1)}%`, `${(((warm.p25Us ?? NaN) / (off.p25Us ?? NaN) - 1) * 100).toFixed(1)}%`, `${(((warm.minUs ?? NaN) / (off.minUs ?? NaN) - 1) * 100).toFixed(1)}%`]]);
  }
}

const bp2 = get("bp_verify_m2", "wasm") ?? NaN;
const batchPer = (get("bp_batch64_m2", "wasm") ?? NaN) / 64;
const targets = [
  ["MLSAG ring-11 verify (wasm)", fmtUs(get("mlsag_verify_11", "wasm") ?? NaN), "≤ 3 ms", (get("mlsag_verify_11", "wasm") ?? Infinity) <= 3000],
  ["two-output Bulletproof+ verify (wasm)", fmtUs(bp2), "≤ 5 ms", bp2 <= 5000],
  ["batch of 64 two-output proofs vs one by one", `${(bp2 / batchPer).toFixed(1)}× cheaper (${fmtUs(batchPer)}/proof)`, "≥ 4×", bp2 / batchPer >= 4],
  ["scanning with view tags (wasm, 1 core)", `${Math.round(1e6 / (get("scan_with_view_tags", "wasm") ?? NaN)).toLocaleString("en")} outputs/s`, "≥ 20,000/s", 1e6 / (get("scan_with_view_tags", "wasm") ?? Infinity) >= 20000],
  ["point multiplication vs @noble", `${((get("point_mul", "noble") ?? NaN) / (get("point_mul", "wasm") ?? NaN)).toFixed(1)}× faster`, "≥ 5×", (get("point_mul", "noble") ?? 0) / (get("point_mul", "wasm") ?? Infinity) >= 5],
  ["Tx-PoW at DEFAULT_TARGET (wasm)", `${(powRate / 1e6).toFixed(2)} M hashes/s → median ${powMedianS.toFixed(2)} s`, "≈ 0.5 s", Math.abs(powMedianS - 0.5) <= 0.15],
] as const;
const ratios = ops.map((o) => [o, (get(o, "wasm") ?? NaN) / (get(o, "native") ?? NaN)] as const).filter(([, r]) => Number.isFinite(r));
const worst = ratios.reduce((a, b) => (b[1] > a[1] ? b : a), ["", 0] as readonly [string, number]);
const ratios32 = ops.map((o) => [o, (get(o, "wasm") ?? NaN) / (native32[o] ?? NaN)] as const).filter(([, r]) => Number.isFinite(r));
const worst32 = ratios32.reduce((a, b) => (b[1] > a[1] ? b : a), ["", 0] as readonly [string, number]);
console.log("\nTargets (issue: crypto-wasm)\n");
printTable(
  ["figure", "measured", "target", "met"],
  [
    ...targets.map(([f, m, t, ok]) => [f, m, t, ok ? "yes" : "NO"]),
    ["WASM vs native, same operation (worst)", ratios.length ? `${worst[1].toFixed(2)}× (${worst[0]})` : "not measured", "≤ 1.6×", ratios.length && worst[1] <= 1.6 ? "yes" : "NO"],
    ["WASM vs native with 32-bit limbs (worst)", ratios32.length ? `${worst32[1].toFixed(2)}× (${worst32[0]})` : "not measured", "≤ 1.3×", ratios32.length && worst32[1] <= 1.3 ? "yes" : "NO"],
  ],
);

mkdirSync(new URL("bench/results/", root), { recursive: true });
const file = new URL("bench/results/crypto.json", root);
writeFileSync(file, `${JSON.stringify({ date: new Date().toISOString(), node: process.version, results, native32, txpow: { expectedHashes: expected, wasmHashesPerSecond: powRate, medianSeconds: powMedianS } }, null, 2)}\n`);
console.log(`\nwrote ${file.pathname}`);
