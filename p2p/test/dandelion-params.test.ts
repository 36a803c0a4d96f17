import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_DANDELION_PARAMS, defaultParams, earlyEmbargoProbability, embargoMeanMs, stemHopCdf, stemHopPmf } from "../src/dandelion/index.ts";

describe("Dandelion++ parameters", () => {
  it("embargo mean = −k(k−1)·d_hop / (2·ln(1−ε)); the defaults use k = 10, d_hop = 150 ms, ε = 0.1", () => {
    expect(embargoMeanMs({ hops: 10, hopDelayMs: 150, epsilon: 0.1 })).toBeCloseTo(64_066, 0);
    expect(DEFAULT_DANDELION_PARAMS.embargoMeanMs).toBeCloseTo(64_066, 0);
    expect(DEFAULT_DANDELION_PARAMS.fluffProbability).toBe(0.2);
    expect(DEFAULT_DANDELION_PARAMS.stemRelays).toBe(2);
    expect(defaultParams(10).embargoMeanMs).toBeCloseTo(4_271, 0);
    expect(() => embargoMeanMs({ hops: 1, hopDelayMs: 150, epsilon: 0.1 })).toThrow(RangeError);
    expect(() => embargoMeanMs({ hops: 10, hopDelayMs: 150, epsilon: 1 })).toThrow(RangeError);
  });

  it("the mean meets the bound: P(no timer fires before hop k) = 1 − ε exactly at the minimum (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 50 }), fc.double({ min: 1, max: 1_000, noNaN: true }), fc.double({ min: 0.001, max: 0.5, noNaN: true }), (k, d, eps) => {
        const t = embargoMeanMs({ hops: k, hopDelayMs: d, epsilon: eps });
        expect(Math.exp((-k * (k - 1) * d) / (2 * t))).toBeCloseTo(1 - eps, 9);
      }),
    );
  });

  it("stem length is geometric with mean 1/q; at q = 0.2, 53 % of stems have 3–10 hops", () => {
    for (const q of [0.1, 0.2]) {
      let sum = 0;
      let mean = 0;
      for (let h = 1; h < 2_000; h++) {
        sum += stemHopPmf(q, h);
        mean += h * stemHopPmf(q, h);
      }
      expect(sum).toBeCloseTo(1, 9);
      expect(mean).toBeCloseTo(1 / q, 6);
    }
    expect(stemHopCdf(0.2, 10) - stemHopCdf(0.2, 2)).toBeCloseTo(0.5326, 4);
    expect(stemHopCdf(0.2, 2)).toBeCloseTo(0.36, 9);
    expect(earlyEmbargoProbability(0.2, 150, DEFAULT_DANDELION_PARAMS.embargoMeanMs)).toBeLessThan(0.05);
  });
});
