import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { decoyParams, GammaPicker, MONERO_SCALE, MONERO_SHAPE, sampleGamma, selectRing, type Rng } from "../src/decoys.ts";

/** Deterministic xorshift RNG for reproducible statistics. */
function seeded(seed: number): Rng {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}
const cumulative = (counts: readonly number[]): number[] => {
  let t = 0;
  return counts.map((c) => (t += c));
};
/** Per-block output counts with at least one output overall, empty blocks allowed. */
const countsArb = fc.array(fc.nat({ max: 6 }), { minLength: 1, maxLength: 120 }).filter((c) => c.some((x) => x > 0));
const bruteBlockOf = (offsets: readonly number[], g: number): number => offsets.findIndex((o) => o > g);

describe("gamma sampling", () => {
  it("has Monero's mean and variance on ln(seconds)", () => {
    const rng = seeded(42);
    const n = 40_000;
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const x = sampleGamma(rng, MONERO_SHAPE, MONERO_SCALE);
      s += x;
      s2 += x * x;
    }
    const mean = s / n;
    const variance = s2 / n - mean * mean;
    expect(mean).toBeCloseTo(MONERO_SHAPE * MONERO_SCALE, 1);
    expect(Math.abs(variance - MONERO_SHAPE * MONERO_SCALE ** 2)).toBeLessThan(0.3);
  });
});

describe("gamma picker", () => {
  it("finds the block of every output (upper bound, matches a linear scan)", () => {
    fc.assert(
      fc.property(countsArb, (counts) => {
        const offsets = cumulative(counts);
        const p = new GammaPicker(offsets, decoyParams(10));
        for (let g = 0; g < p.numOutputs; g++) expect(p.blockOf(g)).toBe(bruteBlockOf(offsets, g));
      }),
    );
  });

  it("property: the newest spendable outputs are selectable (age 0 → newest output's block)", () => {
    fc.assert(
      fc.property(countsArb, fc.integer({ min: 1, max: 600 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (counts, blockTime, u) => {
        const offsets = cumulative(counts);
        const p = new GammaPicker(offsets, decoyParams(blockTime));
        const newestBlock = bruteBlockOf(offsets, p.numOutputs - 1);
        expect(p.blockForAge(0)).toBe(newestBlock);
        // every age younger than one average output interval lands on the newest output's block
        expect(p.blockForAge(u * p.averageOutputTime)).toBe(newestBlock);
        // and inside that block, the newest output itself can be chosen
        const { first, count } = p.blockRange(newestBlock);
        expect(first + count - 1).toBe(p.numOutputs - 1);
      }),
    );
  });

  it("property: no age bucket is skipped (every block with outputs owns a non-empty age interval)", () => {
    fc.assert(
      fc.property(countsArb, fc.integer({ min: 1, max: 600 }), (counts, blockTime) => {
        const offsets = cumulative(counts);
        const p = new GammaPicker(offsets, decoyParams(blockTime));
        const hit = new Set<number>();
        let prev = Infinity;
        for (let k = 0; k < p.numOutputs; k++) {
          // the middle of the k-th age interval from the top
          const b = p.blockForAge((k + 0.5) * p.averageOutputTime);
          expect(b).toBeDefined();
          expect(b!).toBeLessThanOrEqual(prev); // older ages never map to newer blocks
          prev = b!;
          hit.add(b!);
        }
        counts.forEach((c, b) => expect(hit.has(b)).toBe(c > 0));
        expect(p.blockForAge((p.numOutputs + 0.5) * p.averageOutputTime)).toBeUndefined(); // older than the chain
      }),
    );
  });

  it("statistically hits every non-empty block, including the newest (full gamma pipeline)", () => {
    const counts = [2, 0, 3, 1, 0, 0, 2, 1, 4, 1, 2, 0, 1, 1, 2, 3, 1, 2, 1, 1];
    const offsets = cumulative(counts);
    const total = offsets.at(-1)!;
    // scale block time so the chain spans e^16 s: the whole bulk of the gamma falls inside it
    const params = decoyParams(Math.exp(16) / counts.length);
    const p = new GammaPicker(offsets, params);
    const rng = seeded(7);
    const hits = new Array<number>(counts.length).fill(0);
    const outHits = new Array<number>(total).fill(0);
    for (let i = 0; i < 40_000; i++) {
      const g = p.pick(rng);
      if (g === undefined) continue;
      hits[p.blockOf(g)]!++;
      outHits[g]!++;
    }
    counts.forEach((c, b) => (c > 0 ? expect(hits[b]).toBeGreaterThan(0) : expect(hits[b]).toBe(0)));
    outHits.forEach((h) => expect(h).toBeGreaterThan(0));
    // recent outputs are picked far more often than old ones (the point of the gamma)
    expect(hits.at(-1)!).toBeGreaterThan(hits[0]!);
  });

  it("rejects malformed distributions", () => {
    expect(() => new GammaPicker([], decoyParams())).toThrow();
    expect(() => new GammaPicker([0, 0], decoyParams())).toThrow(/no spendable/);
    expect(() => new GammaPicker([3, 2], decoyParams())).toThrow(/cumulative/);
  });
});

describe("ring selection", () => {
  it("property: sorted, distinct, right size, contains the real output, avoids excluded ones", () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat({ max: 8 }), { minLength: 1, maxLength: 80 }).filter((c) => c.reduce((a, b) => a + b, 0) >= 16),
        fc.nat(),
        fc.integer({ min: 1, max: 11 }),
        fc.integer({ min: 1, max: 1000 }),
        (counts, r, ringSize, seed) => {
          const offsets = cumulative(counts);
          const p = new GammaPicker(offsets, decoyParams(10));
          const real = r % p.numOutputs;
          const exclude = new Set([(real + 1) % p.numOutputs]);
          exclude.delete(real);
          const { ring } = selectRing(p, real, ringSize, seeded(seed), { exclude });
          expect(ring).toHaveLength(ringSize);
          expect(new Set(ring).size).toBe(ringSize);
          expect(ring).toContain(real);
          expect([...ring].sort((a, b) => a - b)).toEqual(ring);
          for (const g of ring) {
            expect(g).toBeGreaterThanOrEqual(0);
            expect(g).toBeLessThan(p.numOutputs);
            if (g !== real) expect(exclude.has(g)).toBe(false);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it("can spend the newest output and falls back to uniform picks on a very young chain", () => {
    const offsets = cumulative(new Array(12).fill(1)); // 12 blocks, 1 output each, 1 s blocks
    const p = new GammaPicker(offsets, decoyParams(1));
    const sel = selectRing(p, 11, 11, seeded(3));
    expect(sel.ring).toContain(11);
    expect(sel.ring).toHaveLength(11);
    expect(sel.fallback).toBeGreaterThan(0);
  });

  it("throws when the chain has fewer outputs than the ring size", () => {
    const p = new GammaPicker([5], decoyParams());
    expect(() => selectRing(p, 0, 11)).toThrow(/not enough outputs/);
    expect(() => selectRing(p, 7, 3)).toThrow(/not spendable/);
  });
});
