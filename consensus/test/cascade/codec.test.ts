import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { isConsensusError } from "../../src/errors.ts";
import { Cascade, cascadeNodeBytes, CASCADE_PREFIX_BYTES, decodeCascade, encodeCascade, simulateCascade, type CascadeParams } from "../../src/cascade/index.ts";
import { makeChain } from "./helpers.ts";

const P: CascadeParams = { levels: 5, perLevel: 3, depth: 1n };
const chain = makeChain(700, 4242);
const built = (n: number): Cascade => {
  const c = new Cascade(P);
  for (const h of chain.slice(0, n)) c.add(h);
  return c;
};
const malformed = (bytes: Uint8Array, p: CascadeParams = P): boolean => {
  try {
    decodeCascade(bytes, p);
  } catch (e) {
    return isConsensusError(e, "CASCADE_MALFORMED");
  }
  return false;
};

describe("cascade codec", () => {
  it("round trip: same bytes, same kept list, and the decoded cascade continues identically", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 600 }), (n) => {
        const c = built(n);
        const bytes = encodeCascade(c);
        expect(bytes.length).toBe(CASCADE_PREFIX_BYTES + c.size * cascadeNodeBytes(P.levels));
        const d = decodeCascade(bytes, P);
        expect(encodeCascade(d)).toEqual(bytes);
        expect(d.levelSizes()).toEqual(c.levelSizes());
        expect(d.work()).toBe(c.work());
        if (n > 0) expect(d.nextParents()).toEqual(c.nextParents());
        for (const h of chain.slice(n, n + 60)) {
          c.add(h);
          d.add(h);
        }
        expect(encodeCascade(d)).toEqual(encodeCascade(c));
      }),
      { numRuns: 25 },
    );
  });

  it("strict: every truncation, a trailing byte, a wrong version, levels or K are CASCADE_MALFORMED", () => {
    const bytes = encodeCascade(built(300));
    for (let cut = 0; cut < bytes.length; cut += 97) expect(malformed(bytes.subarray(0, cut))).toBe(true);
    expect(malformed(bytes.subarray(0, bytes.length - 1))).toBe(true);
    expect(malformed(Uint8Array.of(...bytes, 0))).toBe(true);
    const at = (i: number, v: number): Uint8Array => {
      const b = bytes.slice();
      b[i] = v;
      return b;
    };
    expect(malformed(at(0, 2))).toBe(true); // version
    expect(malformed(at(1, 6))).toBe(true); // levels
    expect(malformed(at(2, 4))).toBe(true); // K
    expect(malformed(bytes, { ...P, perLevel: 4 })).toBe(true);
    // node count above levels × K (the bytes are there: 16 copies of the body)
    const many = new Uint8Array(CASCADE_PREFIX_BYTES + 16 * cascadeNodeBytes(5));
    many.set(bytes.subarray(0, 6));
    new DataView(many.buffer).setUint32(6, 16, true);
    expect(malformed(many)).toBe(true);
    // a zero hash with a non-zero height is not the none entry: take the genesis node of a 1-block cascade
    const g = encodeCascade(built(1));
    const entry1 = CASCADE_PREFIX_BYTES + 1 + 488 + 40; // parents[1].height
    const bad = g.slice();
    bad[entry1] = 1;
    expect(malformed(bad)).toBe(true);
    // a level byte ≥ levels
    const lv = g.slice();
    lv[CASCADE_PREFIX_BYTES] = 5;
    expect(malformed(lv)).toBe(true);
  });

  it("one encoding per cascade: any single-byte change is rejected with a consensus error or re-encodes to itself", () => {
    const bytes = encodeCascade(built(200));
    fc.assert(
      fc.property(fc.nat(bytes.length - 1), fc.integer({ min: 1, max: 255 }), (i, x) => {
        const b = bytes.slice();
        b[i] = (b[i] as number) ^ x;
        let c: Cascade | undefined;
        try {
          c = decodeCascade(b, P);
        } catch (e) {
          expect(isConsensusError(e)).toBe(true);
          return;
        }
        expect(encodeCascade(c)).toEqual(b);
      }),
      { numRuns: 300 },
    );
  });
});

describe("size simulation (random PoW levels)", () => {
  it("10^6 blocks at 32 × 64: bounded by levels × K, estimate near the block count, same rule as Cascade", () => {
    const s = simulateCascade(1_000_000, { levels: 32, perLevel: 64 }, 7);
    expect(s.kept).toBeLessThanOrEqual(32 * 64);
    expect(s.maxKept).toBeLessThanOrEqual(32 * 64);
    expect(s.kept).toBe(s.levelSizes.reduce((a, b) => a + b, 0));
    expect(s.levelSizes.slice(0, -1).every((n) => n === 64)).toBe(true);
    expect(s.bytes).toBe(10 + s.kept * 1769);
    expect(s.minRatio).toBeGreaterThan(0.5);
    expect(s.maxRatio).toBeLessThan(2);
  });
});
