/**
 * MMR proof sizes and verification time (issue 10; docs/mmr.md §7).
 *
 * - A **real** output-style MMR of `leaves` leaves (default 2^20) in a flat in-memory backend
 *   (nodeCount × 32 bytes): build time, the inclusion proof of random leaves and a consistency
 *   proof `2^20 − 1000 → 2^20` read from it, their bytes, and their verify time.
 * - **Structural** proofs (bench/src/mmr-verify-case.ts) at 2^32 leaves and at the worst count
 *   below 2^32: no MMR that large can be built, so siblings, peaks and path hashes are arbitrary
 *   and the root is the one they imply. Verify time depends only on the shape, so it is the
 *   time of a real proof of that shape; the 2^20 structural case is timed next to the real one
 *   to show it.
 * - The size formulas (docs/mmr.md §7) checked against the encoded lengths.
 *
 * Verify times: `samples` samples of `inner` calls each after a warm-up; median and minimum µs
 * per call (bench/src/harness.ts). Not a test: the only assertions are the formula checks.
 * Usage: `node bench/src/mmr.ts [leaves=1048576] [samples=300]`; writes bench/results/mmr.json.
 * @module
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import { h32 } from "@baios/crypto";
import {
  checkInclusionProof, consistencyProofSize, encodeConsistencyProof, encodeInclusionProof, Mmr, mmrLeafHash, nodeCount, peaks, u64le,
  verifyConsistencyProof, verifyInclusionProof, type MmrBackend, type MmrNode,
} from "@baios/consensus";
import { fmtUs, measure, printTable, type Measurement } from "./harness.ts";
import { MMR_VERIFY_CASES, mmrVerifyCase } from "./mmr-verify-case.ts";

const LEAVES = Number(process.argv[2] ?? 2 ** 20);
const SAMPLES = Number(process.argv[3] ?? 300);
const INNER = 10;

/** An {@link MmrBackend} over one preallocated buffer: node `pos0` at bytes `32·pos0 … +32`. */
class FlatMmrBackend implements MmrBackend {
  readonly buf: Uint8Array;
  constructor(nodes: bigint) {
    this.buf = new Uint8Array(Number(nodes) * 32);
  }
  get(pos0: bigint): Uint8Array {
    const o = Number(pos0) * 32;
    return this.buf.subarray(o, o + 32);
  }
  put(nodes: readonly MmrNode[]): void {
    for (const n of nodes) this.buf.set(n.hash, Number(n.pos0) * 32);
  }
}

/** The inclusion proof size in bytes for `(leafIndex, leafCount)`: `18 + 32·(height + peaks − 1)`. */
function inclusionSize(leafIndex: bigint, leafCount: bigint): number {
  const ps = peaks(leafCount);
  const p = ps.find((x) => leafIndex >= x.firstLeaf && leafIndex < x.firstLeaf + (1n << BigInt(x.height)));
  return 18 + 32 * ((p?.height ?? 0) + ps.length - 1);
}

// ---- real MMR
console.log(`building a real MMR of ${LEAVES.toLocaleString("en")} leaves (${nodeCount(BigInt(LEAVES)).toLocaleString("en")} nodes, ${(Number(nodeCount(BigInt(LEAVES))) * 32 / 2 ** 20).toFixed(0)} MiB flat)…`);
const backend = new FlatMmrBackend(nodeCount(BigInt(LEAVES)));
const mmr = new Mmr(backend);
const t0 = performance.now();
const BATCH = 4096;
for (let i = 0; i < LEAVES; i += BATCH) {
  const batch: Uint8Array[] = [];
  for (let j = i; j < Math.min(LEAVES, i + BATCH); j++) batch.push(mmrLeafHash(BigInt(j), h32("bench/key", u64le(BigInt(j))), h32("bench/commitment", u64le(BigInt(j)))));
  await mmr.append(batch);
}
const buildMs = performance.now() - t0;
const root = await mmr.root();
console.log(`built in ${(buildMs / 1000).toFixed(1)} s (${((buildMs * 1000) / LEAVES).toFixed(2)} µs per leaf)`);

const realLeaf = BigInt(Math.floor(LEAVES * 0.7417));
const realProof = await mmr.proof(realLeaf);
const realLeafHash = mmrLeafHash(realLeaf, h32("bench/key", u64le(realLeaf)), h32("bench/commitment", u64le(realLeaf)));
const realBytes = encodeInclusionProof(realProof);
if (!verifyInclusionProof(root, BigInt(LEAVES), realLeafHash, realProof)) throw new Error("real proof does not verify");
if (realBytes.length !== inclusionSize(realLeaf, BigInt(LEAVES))) throw new Error("inclusion size formula");
const oldCount = BigInt(Math.max(0, LEAVES - 1000));
const realCons = await mmr.consistencyProof(oldCount);
const realConsBytes = encodeConsistencyProof(realCons);
const oldRoot = await mmr.rootAt(oldCount);
verifyConsistencyProof(oldRoot, oldCount, root, BigInt(LEAVES), realConsBytes);
if (realConsBytes.length !== consistencyProofSize(oldCount, BigInt(LEAVES))) throw new Error("consistency size formula");

// ---- timings
const opts = { samples: SAMPLES, warmup: 50, inner: INNER };
const timings: (Measurement & { bytes: number; hashes: number; kind: "real" | "structural"; description: string })[] = [];
timings.push({
  ...measure(`inclusion, real ${LEAVES} leaves`, "wasm", () => verifyInclusionProof(root, BigInt(LEAVES), realLeafHash, realProof), opts),
  bytes: realBytes.length, hashes: realProof.siblings.length + realProof.otherPeaks.length, kind: "real", description: `leaf ${realLeaf} of ${LEAVES}`,
});
timings.push({
  ...measure(`inclusion bytes (strict decode + verify), real ${LEAVES} leaves`, "wasm", () => checkInclusionProof(root, BigInt(LEAVES), realLeafHash, realBytes), opts),
  bytes: realBytes.length, hashes: realProof.siblings.length + realProof.otherPeaks.length, kind: "real", description: `leaf ${realLeaf} of ${LEAVES}`,
});
timings.push({
  ...measure(`consistency, real ${oldCount} → ${LEAVES}`, "wasm", () => verifyConsistencyProof(oldRoot, oldCount, root, BigInt(LEAVES), realCons), opts),
  bytes: realConsBytes.length, hashes: realCons.oldPeaks.length + realCons.path.length, kind: "real", description: `${oldCount} → ${LEAVES} leaves`,
});
for (const name of MMR_VERIFY_CASES) {
  const c = mmrVerifyCase(name);
  if (!c.verify() || !c.verifyBytes()) throw new Error(`${name} does not verify`);
  timings.push({ ...measure(name, "wasm", c.verify, opts), bytes: c.bytes, hashes: c.hashes, kind: "structural", description: c.description });
}

console.log(`\nMMR proof verification in Node ${process.version} (h32 = SHA-512 in @baios/crypto WASM; µs per call, ${SAMPLES} samples × ${INNER} calls)\n`);
printTable(
  ["case", "kind", "proof", "bytes", "hashes", "median", "min"],
  timings.map((t) => [t.name, t.kind, t.description, String(t.bytes), String(t.hashes), fmtUs(t.medianUs), fmtUs(t.minUs ?? NaN)]),
);

// ---- sizes
const sizes = [
  { case: "inclusion at 2^20 leaves (one mountain)", bytes: inclusionSize(777_777n, 1n << 20n) },
  { case: "inclusion at 2^32 leaves (one mountain)", bytes: inclusionSize(3_000_000_000n, 1n << 32n) },
  { case: "inclusion, worst count below 2^32 (2^32 − 1 leaves, leaf in the largest mountain)", bytes: inclusionSize(0n, (1n << 32n) - 1n) },
  { case: "inclusion, worst u64 count (2^64 − 1, leaf in the largest mountain)", bytes: inclusionSize(0n, (1n << 64n) - 1n) },
  { case: "consistency 2^20 − 1000 → 2^20", bytes: consistencyProofSize((1n << 20n) - 1000n, 1n << 20n) },
  { case: "consistency 2^32 − 1 → 2^32", bytes: consistencyProofSize((1n << 32n) - 1n, 1n << 32n) },
  { case: "consistency, worst below 2^32 (1 → 2^32 − 1)", bytes: consistencyProofSize(1n, (1n << 32n) - 1n) },
  { case: "consistency, worst u64 (1 → 2^64 − 1)", bytes: consistencyProofSize(1n, (1n << 64n) - 1n) },
];
console.log("\nProof sizes (docs/mmr.md §7 formulas; the real 2^20 proofs above match them)\n");
printTable(["case", "bytes"], sizes.map((s) => [s.case, String(s.bytes)]));
const at32 = sizes[1]?.bytes ?? 0;
console.log(`\ntarget ≤ 1.1 kB (1100 B) for an inclusion proof at 2^32 leaves: ${at32} B — ${at32 <= 1100 ? "met" : "NOT met"}; the worst count below 2^32 needs ${sizes[2]?.bytes} B (31 siblings + 31 other peaks, a consequence of the §8 bagging fixed in headers)`);

const root0 = new URL("../../", import.meta.url);
mkdirSync(new URL("bench/results/", root0), { recursive: true });
const file = new URL("bench/results/mmr.json", root0);
writeFileSync(
  file,
  `${JSON.stringify(
    {
      date: new Date().toISOString(), node: process.version, cpus: cpus().length, loadavg: loadavg(), samples: SAMPLES, inner: INNER,
      real: { leaves: LEAVES, nodes: Number(nodeCount(BigInt(LEAVES))), buildMs, buildUsPerLeaf: (buildMs * 1000) / LEAVES, inclusionBytes: realBytes.length, consistency: { oldCount: Number(oldCount), bytes: realConsBytes.length } },
      verify: timings.map((t) => ({ name: t.name, kind: t.kind, description: t.description, bytes: t.bytes, hashes: t.hashes, medianUs: t.medianUs, minUs: t.minUs, p25Us: t.p25Us, madUs: t.madUs })),
      sizes,
      target: { inclusionAt2pow32Bytes: at32, limitBytes: 1100, met: at32 <= 1100 },
    },
    null,
    2,
  )}\n`,
);
console.log(`\nwrote ${file.pathname}`);
