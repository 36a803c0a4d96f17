import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { h32 } from "@baios/crypto";
import { MemoryMmrBackend, Mmr } from "../src/mmr/mmr.ts";
import { decodeInclusionProof, encodeInclusionProof, mmrLeafHash, mmrNodeHash, mmrRootFromPeaks, verifyInclusionProof } from "../src/mmr/proof.ts";
import { nodeCount } from "../src/mmr/position.ts";
import { u64le } from "../src/encoding/bytes.ts";

const leaf = (i: number): Uint8Array => mmrLeafHash(BigInt(i), h32("test/key", u64le(BigInt(i))), h32("test/commitment", u64le(BigInt(i))));

/** Reference root: merge perfect trees by recursion over the leaf list. */
function refRoot(leaves: Uint8Array[]): Uint8Array {
  const peaks: Uint8Array[] = [];
  let start = 0;
  let n = leaves.length;
  const tree = (lo: number, size: number): Uint8Array => (size === 1 ? leaves[lo]! : mmrNodeHash(tree(lo, size / 2), tree(lo + size / 2, size / 2)));
  for (let k = 40; k >= 0; k--) {
    const size = 2 ** k;
    if (n >= size) {
      peaks.push(tree(start, size));
      start += size;
      n -= size;
    }
  }
  return mmrRootFromPeaks(BigInt(leaves.length), peaks);
}

describe("MMR", () => {
  it("root equals a reference computation; node count; append in batches = one by one", async () => {
    for (const n of [0, 1, 2, 3, 4, 5, 7, 8, 9, 16, 31, 33, 100]) {
      const leaves = Array.from({ length: n }, (_, i) => leaf(i));
      const a = new Mmr(new MemoryMmrBackend());
      for (const l of leaves) await a.append([l]);
      const b = new Mmr(new MemoryMmrBackend());
      const r = await b.append(leaves);
      expect(await a.root()).toEqual(refRoot(leaves));
      expect(r.root).toEqual(refRoot(leaves));
      expect(r.leafCount).toBe(BigInt(n));
      expect((b.backend as MemoryMmrBackend).size).toBe(Number(nodeCount(BigInt(n))));
    }
  });

  it("preview does not write", async () => {
    const m = new Mmr(new MemoryMmrBackend());
    await m.append([leaf(0), leaf(1)]);
    const p = await m.preview([leaf(2)]);
    expect(m.leafCount).toBe(2n);
    expect((m.backend as MemoryMmrBackend).size).toBe(3);
    expect(p.nodes.map((x) => x.pos0)).toEqual([3n]);
  });

  it("every leaf of random sizes has a valid proof; any mutation fails", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 70 }), fc.nat(), fc.nat(), async (n, pick, bit) => {
        const leaves = Array.from({ length: n }, (_, i) => leaf(i));
        const m = new Mmr(new MemoryMmrBackend());
        await m.append(leaves);
        const root = await m.root();
        for (let i = 0; i < n; i++) {
          const p = await m.proof(BigInt(i));
          expect(verifyInclusionProof(root, BigInt(n), leaves[i]!, p)).toBe(true);
          const bytes = encodeInclusionProof(p);
          expect(decodeInclusionProof(bytes)).toEqual(p);
        }
        const i = pick % n;
        const p = await m.proof(BigInt(i));
        // wrong leaf, wrong index, wrong size, wrong root, flipped bit in the proof
        expect(verifyInclusionProof(root, BigInt(n), leaves[(i + 1) % n]!, p)).toBe(n === 1 ? true : false);
        if (n > 1) expect(verifyInclusionProof(root, BigInt(n), leaves[i]!, { ...p, leafIndex: BigInt((i + 1) % n) })).toBe(false);
        expect(verifyInclusionProof(root, BigInt(n + 1), leaves[i]!, p)).toBe(false);
        const badRoot = root.slice();
        badRoot[0]! ^= 1;
        expect(verifyInclusionProof(badRoot, BigInt(n), leaves[i]!, p)).toBe(false);
        const bytes = encodeInclusionProof(p);
        if (bytes.length > 18) {
          const pos = 17 + (bit % (bytes.length - 18));
          if (pos !== 16 + 1 + 32 * p.siblings.length) {
            const mutated = bytes.slice();
            mutated[pos]! ^= 1 << (bit % 8);
            const q = decodeInclusionProof(mutated);
            if (q !== undefined) expect(verifyInclusionProof(root, BigInt(n), leaves[i]!, q)).toBe(false);
          }
        }
      }),
      { numRuns: 25 },
    );
  });

  it("proves against an older size (a header's outputCount)", async () => {
    const leaves = Array.from({ length: 20 }, (_, i) => leaf(i));
    const m = new Mmr(new MemoryMmrBackend());
    await m.append(leaves.slice(0, 11));
    const oldRoot = await m.root();
    await m.append(leaves.slice(11));
    for (let i = 0; i < 11; i++) expect(verifyInclusionProof(oldRoot, 11n, leaves[i]!, await m.proof(BigInt(i), 11n))).toBe(true);
  });

  it("decodeInclusionProof rejects truncated and trailing bytes", async () => {
    const m = new Mmr(new MemoryMmrBackend());
    await m.append(Array.from({ length: 5 }, (_, i) => leaf(i)));
    const b = encodeInclusionProof(await m.proof(2n));
    expect(decodeInclusionProof(b.subarray(0, b.length - 1))).toBeUndefined();
    expect(decodeInclusionProof(new Uint8Array([...b, 0]))).toBeUndefined();
  });
});
