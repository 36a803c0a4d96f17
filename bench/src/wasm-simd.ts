/**
 * WebAssembly SIMD A/B (issue 11): the crypto core built with `simd128` (the shipped build,
 * .cargo/config.toml) against the same source built without it (`crypto-wasm/scripts/
 * build-variant.sh`, its own target dir), both loaded in this process and timed interleaved
 * (A B A B …): constant-time point multiplication, base-point multiplication, MLSAG ring-11
 * verify (no ring cache), two-output Bulletproofs+ verify, and one block of wallet scanning
 * (`scan_txs`, 21 one-key units, 41 outputs, per output). Median, p25 and min per variant.
 * Prints a table and writes `bench/results/wasm-simd.json`.
 *
 * Run: `./scripts/bench wasm-simd` (builds the variant first: ≈ 1.5 min cold, seconds warm).
 * @module
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { fmtUs, interleave, printTable } from "./harness.ts";

const root = new URL("../../", import.meta.url);
const variantDir = fileURLToPath(new URL("target/bench-nosimd/pkg", root));
process.stderr.write("[wasm-simd] building the variant without simd128…\n");
execFileSync("bash", [fileURLToPath(new URL("crypto-wasm/scripts/build-variant.sh", root)), variantDir, "-C target-feature=-simd128"], { stdio: ["ignore", "ignore", "inherit"] });

/** The raw wasm-bindgen exports this bench calls (same in both builds). */
interface Core {
  scalar_random(seed?: Uint8Array): Uint8Array;
  scalar_sub(a: Uint8Array, b: Uint8Array): Uint8Array;
  scalar_mult(s: Uint8Array, p: Uint8Array): Uint8Array;
  scalar_mult_base(s: Uint8Array): Uint8Array;
  pedersen_commit(value: bigint, mask: Uint8Array): Uint8Array;
  key_image(x: Uint8Array, p: Uint8Array): Uint8Array;
  mlsag_sign(msg: Uint8Array, keys: Uint8Array, coms: Uint8Array, pseudo: Uint8Array, index: number, x: Uint8Array, z: Uint8Array, seed?: Uint8Array): Uint8Array;
  mlsag_verify_uncached(msg: Uint8Array, keys: Uint8Array, coms: Uint8Array, pseudo: Uint8Array, ki: Uint8Array, sig: Uint8Array): void;
  range_prove(values: BigUint64Array, masks: Uint8Array, seed?: Uint8Array): Uint8Array;
  range_verify(commitments: Uint8Array, proof: Uint8Array): void;
  range_warm_up(maxM: number): void;
  make_output(r: Uint8Array, viewPublic: Uint8Array, spendPublic: Uint8Array, index: bigint, amount: bigint): Uint8Array;
  wallet_keys_from_seed(seed: Uint8Array): Uint8Array;
  scan_txs(viewSecret: Uint8Array, spendPublic: Uint8Array, txs: Uint8Array): Uint8Array;
}
const require = createRequire(import.meta.url);
const simd = require(fileURLToPath(new URL("crypto-wasm/pkg/baios_crypto.js", root))) as Core;
const scalar = require(`${variantDir}/baios_crypto.js`) as Core;

// Fixtures, built once with the shipped module (bytes are the same either way).
const c = simd;
const seed = (i: number): Uint8Array => new Uint8Array(32).fill(i);
const cat = (xs: readonly Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(xs.reduce((n, x) => n + x.length, 0));
  let o = 0;
  for (const x of xs) (out.set(x, o), (o += x.length));
  return out;
};
const s = c.scalar_random(seed(1));
const P = c.scalar_mult_base(c.scalar_random(seed(2)));
const n = 11;
const pi = 5;
const xs = Array.from({ length: n }, (_, i) => c.scalar_random(seed(10 + i)));
const masks = Array.from({ length: n }, (_, i) => c.scalar_random(seed(30 + i)));
const keys = cat(xs.map((x) => c.scalar_mult_base(x)));
const coms = cat(masks.map((m) => c.pedersen_commit(1000n, m)));
const pseudoMask = c.scalar_random(seed(50));
const pseudo = c.pedersen_commit(1000n, pseudoMask);
const msg = new Uint8Array(32).fill(9);
const sig = c.mlsag_sign(msg, keys, coms, pseudo, pi, xs[pi]!, c.scalar_sub(masks[pi]!, pseudoMask), seed(7));
const ki = c.key_image(xs[pi]!, keys.subarray(pi * 32, pi * 32 + 32));
const bpMasks = [c.scalar_random(seed(60)), c.scalar_random(seed(61))];
const bpProof = c.range_prove(BigUint64Array.from([5n, 1_000_003n]), cat(bpMasks), seed(8));
const bpComs = cat([c.pedersen_commit(5n, bpMasks[0]!), c.pedersen_commit(1_000_003n, bpMasks[1]!)]);
const wallet = c.wallet_keys_from_seed(seed(3));
const other = c.wallet_keys_from_seed(seed(4));
const [viewSecret, otherView, otherSpend] = [wallet.slice(0, 32), other.slice(64, 96), other.slice(96, 128)];
/** One block as `scan_txs` input: a 1-output coinbase-style unit and 20 two-output txs, all foreign. */
const block = cat(
  Array.from({ length: 21 }, (_, t) => {
    const r = c.scalar_random(seed(100 + t));
    const outs = Array.from({ length: t === 0 ? 1 : 2 }, (_, i) => c.make_output(r, otherView, otherSpend, BigInt(i), 5n).subarray(0, 73));
    const head = new Uint8Array(36);
    head.set(c.scalar_mult_base(r));
    new DataView(head.buffer).setUint32(32, outs.length, true);
    return cat([head, ...outs]);
  }),
);
const OUTPUTS = 41;
for (const m of [simd, scalar]) m.range_warm_up(2);

/** µs per call of `f` on `m`, the mean of `k` calls. */
const per = (m: Core, k: number, f: (m: Core) => unknown) => (): number => {
  const t0 = performance.now();
  for (let i = 0; i < k; i++) f(m);
  return ((performance.now() - t0) * 1000) / k;
};
const ops: [string, number, (m: Core) => unknown, number][] = [
  ["point multiplication, constant time (decode, a·P, encode)", 40, (m) => m.scalar_mult(s, P), 1],
  ["base-point multiplication", 80, (m) => m.scalar_mult_base(s), 1],
  ["MLSAG ring-11 verify (no ring cache)", 3, (m) => m.mlsag_verify_uncached(msg, keys, coms, pseudo, ki, sig), 1],
  ["Bulletproofs+ two-output verify", 3, (m) => m.range_verify(bpComs, bpProof), 1],
  ["wallet scanning, scan_txs, per output", 3, (m) => m.scan_txs(viewSecret, wallet.slice(96, 128), block), OUTPUTS],
];
const rows: string[][] = [];
const json: Record<string, unknown> = {};
for (const [name, k, f, div] of ops) {
  const r = await interleave({ noSimd: per(scalar, k, f), simd: per(simd, k, f) }, 15, 2);
  const [a, b] = [r.noSimd.summary, r.simd.summary];
  rows.push([name, `${fmtUs(a.median / div)} → ${fmtUs(b.median / div)}`, `${((b.median / a.median - 1) * 100).toFixed(1)}%`, `${((b.p25 / a.p25 - 1) * 100).toFixed(1)}%`, `${((b.min / a.min - 1) * 100).toFixed(1)}%`]);
  json[name] = { noSimdUs: a, simdUs: b, divisor: div };
}
console.log(`\nWebAssembly SIMD (simd128) off → on, same source, interleaved, 15 rounds; ${process.version}\n`);
printTable(["operation", "median, off → on", "median", "p25", "min"], rows);
mkdirSync(new URL("bench/results/", root), { recursive: true });
const file = new URL("bench/results/wasm-simd.json", root);
writeFileSync(file, `${JSON.stringify({ date: new Date().toISOString(), node: process.version, results: json }, null, 2)}\n`);
console.log(`\nwrote ${file.pathname}`);
