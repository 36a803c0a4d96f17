/**
 * The header-MMR nodes a fast-synced node keeps from a set chain's links (sync/set-chain-records.ts):
 * a link proves leaf i in the MMR of n₁ leaves (the last set change below the window start b + 1 = n₁);
 * with its nodes, the peaks at n₁ and the nodes the window's leaves n₁ … n₂ − 1 add (what the snapshot
 * writer stores), the node proves leaf i at every size m in [n₁, n₂] exactly as an archive node does
 * (fast-check over n₁, i, n₂). A link that does not bag to the header's root is `SET_CHAIN_INVALID`.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MemoryMmrBackend, Mmr, encodeInclusionProof, headerLeafHash, peaks, toHex } from "@baios/consensus";
import { linkNodes } from "../src/sync/set-chain-records.ts";
import { FastSyncError } from "../src/sync/snapshot.ts";

const blockHashOf = (h: number): Uint8Array => {
  const b = new Uint8Array(32);
  new DataView(b.buffer).setUint32(0, h * 2654435761 >>> 0);
  b[31] = h & 0xff;
  return b;
};
const leaf = (h: number): Uint8Array => headerLeafHash(BigInt(h), blockHashOf(h));

describe("header-MMR nodes from set-chain links", () => {
  it("link nodes + peaks at n₁ + window nodes prove leaf i at every later size like the full MMR", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 300 }), fc.nat(), fc.integer({ min: 0, max: 80 }), async (n1, iSeed, extra) => {
        const i = iSeed % n1;
        const n2 = n1 + extra;
        const full = new MemoryMmrBackend();
        const fullMmr = new Mmr(full);
        await fullMmr.append(Array.from({ length: n1 }, (_, h) => leaf(h)));
        const root1 = await fullMmr.root();
        const link = await fullMmr.proof(BigInt(i), BigInt(n1));
        await fullMmr.append(Array.from({ length: extra }, (_, k) => leaf(n1 + k)));
        // what a fast-synced node holds: the link's nodes, the peaks at n₁, the window's new nodes
        const kept = new MemoryMmrBackend();
        const nodes = linkNodes(link, blockHashOf(i), root1);
        for (const [p, hash] of nodes) expect(toHex(hash)).toBe(toHex(full.get(p)!));
        kept.put([...nodes].map(([pos0, hash]) => ({ pos0, hash })));
        kept.put(peaks(BigInt(n1)).map((p) => ({ pos0: p.pos0, hash: full.get(p.pos0)! })));
        const keptMmr = new Mmr(kept, BigInt(n1));
        await keptMmr.append(Array.from({ length: extra }, (_, k) => leaf(n1 + k)));
        for (let m = n1; m <= n2; m++) {
          expect(toHex(encodeInclusionProof(await keptMmr.proof(BigInt(i), BigInt(m))))).toBe(toHex(encodeInclusionProof(await fullMmr.proof(BigInt(i), BigInt(m)))));
        }
      }),
      { numRuns: 60 },
    );
  });

  it("a link that does not bag to the header's root is SET_CHAIN_INVALID", async () => {
    const mmr = new Mmr(new MemoryMmrBackend());
    await mmr.append(Array.from({ length: 13 }, (_, h) => leaf(h)));
    const link = await mmr.proof(5n, 13n);
    const root = await mmr.root();
    expect(linkNodes(link, blockHashOf(5), root).size).toBeGreaterThan(0);
    const bad = { ...link, siblings: link.siblings.map((s, k) => (k === 0 ? s.map((x, j) => (j === 0 ? x ^ 1 : x)) : s)) };
    for (const [l, h] of [[bad, blockHashOf(5)], [link, blockHashOf(6)]] as const) {
      let code = "OK";
      try {
        linkNodes(l, h, root);
      } catch (e) {
        code = e instanceof FastSyncError ? e.code : String(e);
      }
      expect(code).toBe("SET_CHAIN_INVALID");
    }
  });
});
