/**
 * Property of the node's cascade records (node/src/cascade-store.ts): after every `stage`, the
 * records a store would hold (the changes applied to a map, as `BlockBatch.putCascade` writes
 * them) are exactly the cascade's kept headers, and read newest first behind the prefix they are
 * `encodeCascade` of the cascade, byte for byte; one commit changes at most `levels + 1` records;
 * the cascade's tip is always tip − D. Synthetic chains at the easiest target (every nonce is PoW,
 * levels follow P(level ≥ i) = 2^−i: consensus/test/cascade/helpers.ts).
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Cascade, decodeCascade, encodeCascade, toHex, type CascadeParams } from "@baios/consensus";
import { NodeCascade, assembleCascade, encodeCascadeNode } from "../src/cascade-store.ts";
import { makeChain } from "../../consensus/test/cascade/helpers.ts";

describe("node cascade records (cascade-store.ts)", () => {
  it("records = encodeCascade after every commit; ≤ levels + 1 changes per commit; tip = tip − D", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 160 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 2, max: 8 }), fc.integer({ min: 1, max: 2 ** 31 - 1 }), async (n, perLevel, depth, levels, seed) => {
        const params: CascadeParams = { levels, perLevel, depth: BigInt(depth) };
        const headers = makeChain(n, seed);
        const nc = NodeCascade.fromCascade(params, new Cascade(params));
        const records = new Map<number, Uint8Array>();
        for (let tip = 0; tip < n; tip++) {
          const staged = await nc.stage(tip, (h) => Promise.resolve(headers[h]));
          expect(nc.tipHeight).toBe(Math.max(-1, tip - depth));
          if (staged === undefined) {
            expect(tip - depth).toBeLessThan(0);
            continue;
          }
          expect(staged.tip).toBe(tip - depth);
          expect(staged.changes.length).toBeLessThanOrEqual(levels + 1);
          for (const c of staged.changes) {
            if (c.bytes === undefined) records.delete(c.height);
            else records.set(c.height, c.bytes);
          }
          const kept = nc.cascade.kept();
          expect([...records.keys()].sort((a, b) => b - a)).toEqual(kept.map((k) => Number(k.header.height)));
          const assembled = assembleCascade(params, [...records.entries()].sort((a, b) => b[0] - a[0]).map(([, v]) => v));
          expect(toHex(assembled)).toBe(toHex(encodeCascade(nc.cascade)));
          for (const k of kept) expect(toHex(records.get(Number(k.header.height))!)).toBe(toHex(encodeCascadeNode(k)));
        }
        // what a restart decodes continues exactly like the live one
        if (nc.tipHeight >= 0) {
          const reloaded = decodeCascade(nc.bytes(), params);
          expect(toHex(encodeCascade(reloaded))).toBe(toHex(nc.bytes()));
        }
      }),
      { numRuns: 60 },
    );
  });
});
