/**
 * Measurements of the key-image set tree (docs/protocol.md §15.6), not a test:
 * `node consensus/test/kiset/measure-kiset.ts [entries=100000] [perBlock=100]`.
 *
 * - insert cost: µs per key image and h32 evaluations per key image, inserting `entries` random
 *   key images in blocks of `perBlock` through {@link kisetInsertMany} into a {@link MemoryKisetBackend};
 * - storage: records per key image and bytes per key image (position + 33-byte record + 1 LevelDB
 *   key-prefix byte per record; LevelDB's own overhead not counted);
 * - proof sizes (member and non-member, mean and max over 1000 queries) at 10^3, `entries` and
 *   10^6 keys; for 10^6 the sizes come from the sorted key list (same rule, checked against real
 *   proofs at the smaller sizes).
 * @module
 */
import { randomBytes } from "node:crypto";
import {
  encodeKisetProof, kisetBuild, kisetInsertMany, kisetKey, kisetKeyBit, kisetRoot, MemoryKisetBackend, proveKeyImage, verifyKeyImageProof,
} from "../../src/kiset/index.ts";
import { compareBytes } from "../../src/encoding/bytes.ts";

const entries = Number(process.argv[2] ?? 100_000);
const perBlock = Number(process.argv[3] ?? 100);

/** Proof size of query key `q` from sorted keys (depth of the path's end, non-empty siblings, kind). */
function proofSizeFromKeys(sorted: Uint8Array[], q: Uint8Array): number {
  // keys in [lo, hi) share the first `d` bits of q
  let lo = 0;
  let hi = sorted.length;
  let d = 0;
  let nonEmpty = 0;
  for (;;) {
    const n = hi - lo;
    if (n === 0) return 3 + ((d + 7) >> 3) + 32 * nonEmpty;
    if (n === 1) return 3 + ((d + 7) >> 3) + 32 * nonEmpty + (compareBytes(sorted[lo] as Uint8Array, q) === 0 ? 0 : 32);
    let m = lo;
    let a = lo;
    let b = hi;
    while (a < b) {
      const mid = (a + b) >> 1;
      if (kisetKeyBit(sorted[mid] as Uint8Array, d) === 0) a = mid + 1;
      else b = mid;
    }
    m = a;
    const [nlo, nhi, slo, shi] = kisetKeyBit(q, d) === 0 ? [lo, m, m, hi] : [m, hi, lo, m];
    if (shi > slo) nonEmpty++;
    lo = nlo;
    hi = nhi;
    d++;
  }
}

function stats(xs: number[]): string {
  const mean = xs.reduce((a, x) => a + x, 0) / xs.length;
  return `mean ${mean.toFixed(0)} B, max ${Math.max(...xs)} B`;
}

async function proofSizes(be: MemoryKisetBackend, kis: Uint8Array[], sorted: Uint8Array[]): Promise<string> {
  const root = await kisetRoot(be);
  const mem: number[] = [];
  const non: number[] = [];
  for (let i = 0; i < 1000; i++) {
    const m = kis[(i * 7919) % kis.length] as Uint8Array;
    const bm = encodeKisetProof(await proveKeyImage(be, m));
    if (!verifyKeyImageProof(root, m, bm).spent) throw new Error("member proof says unspent");
    if (proofSizeFromKeys(sorted, kisetKey(m)) !== bm.length) throw new Error("size model differs from real proof");
    mem.push(bm.length);
    const o = new Uint8Array(randomBytes(32));
    const bo = encodeKisetProof(await proveKeyImage(be, o));
    if (verifyKeyImageProof(root, o, bo).spent) throw new Error("non-member proof says spent");
    if (proofSizeFromKeys(sorted, kisetKey(o)) !== bo.length) throw new Error("size model differs from real proof");
    non.push(bo.length);
  }
  return `member ${stats(mem)}; non-member ${stats(non)}`;
}

async function main(): Promise<void> {
  // 10^3: real proofs
  {
    const kis = Array.from({ length: 1000 }, () => new Uint8Array(randomBytes(32)));
    const be = new MemoryKisetBackend();
    be.put(kisetBuild(kis).writes);
    const sorted = kis.map(kisetKey).sort(compareBytes);
    console.log(`proofs at 10^3: ${await proofSizes(be, kis, sorted)}`);
  }
  // `entries`: blocks of `perBlock` inserts
  const kis = Array.from({ length: entries }, () => new Uint8Array(randomBytes(32)));
  const be = new MemoryKisetBackend();
  let hashes = 0;
  let writes = 0;
  const t0 = performance.now();
  for (let i = 0; i < entries; i += perBlock) {
    const r = await kisetInsertMany(be, kis.slice(i, i + perBlock));
    be.put(r.writes);
    hashes += r.hashes;
    writes += r.writes.length;
  }
  const ms = performance.now() - t0;
  console.log(`insert ${entries} key images in blocks of ${perBlock}: ${((ms * 1000) / entries).toFixed(1)} µs per key image, ${(hashes / entries).toFixed(1)} h32 per key image, ${(writes / entries).toFixed(1)} record writes per key image`);
  // single inserts at that size
  {
    let h = 0;
    const t1 = performance.now();
    const n = 2000;
    for (let i = 0; i < n; i++) h += (await kisetInsertMany(be, [new Uint8Array(randomBytes(32))])).hashes;
    console.log(`single insert (not stored) at ${entries}: ${(((performance.now() - t1) * 1000) / n).toFixed(1)} µs, ${(h / n).toFixed(1)} h32 each`);
  }
  const t2 = performance.now();
  kisetBuild(kis);
  console.log(`kisetBuild of ${entries} (snapshot check): ${(performance.now() - t2).toFixed(0)} ms`);
  console.log(`storage at ${entries}: ${(be.size / entries).toFixed(2)} records per key image, ${((be.bytes + be.size) / entries).toFixed(1)} bytes per key image (positions + records + 1-byte prefix)`);
  const sorted = kis.map(kisetKey).sort(compareBytes);
  console.log(`proofs at ${entries}: ${await proofSizes(be, kis, sorted)}`);
  // 10^6 from sorted keys
  const big: Uint8Array[] = [];
  for (let i = 0; i < 1_000_000; i++) big.push(kisetKey(new Uint8Array(randomBytes(32))));
  big.sort(compareBytes);
  const mem: number[] = [];
  const non: number[] = [];
  for (let i = 0; i < 1000; i++) {
    mem.push(proofSizeFromKeys(big, big[(i * 7919) % big.length] as Uint8Array));
    non.push(proofSizeFromKeys(big, new Uint8Array(randomBytes(32))));
  }
  console.log(`proofs at 10^6 (from the sorted keys): member ${stats(mem)}; non-member ${stats(non)}`);
}

await main();
