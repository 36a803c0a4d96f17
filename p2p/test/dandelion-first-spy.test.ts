import { describe, expect, it } from "vitest";
import { precisionLowerBound, precisionReferenceBound, scoreFirstSpy } from "../sim/first-spy.ts";
import type { SimTx } from "../sim/network.ts";

const tx = (origin: number, guess: number | undefined, round = 0): SimTx => ({
  txid: `${origin}-${round}-${guess}`,
  origin,
  createdAt: 0,
  round,
  reached: 1,
  lastReachAt: 0,
  ...(guess === undefined ? {} : { firstSpy: { spy: 99, from: guess, at: 1, phase: "stem" as const } }),
});

describe("first-spy scores", () => {
  it("counts right guesses, and the paper's precision with 1/|ward| per right guess within a round", () => {
    // Round 0: txs of 1, 2, 3 all mapped to node 1 (ward of 3, one right); tx of 4 mapped to 4 (right).
    // Round 1: tx of 1 mapped to 1 (right); tx of 2 never seen by a spy.
    const s = scoreFirstSpy([tx(1, 1), tx(2, 1), tx(3, 1), tx(4, 4), tx(1, 1, 1), tx(2, undefined, 1)]);
    expect(s.txs).toBe(6);
    expect(s.correct).toBeCloseTo(3 / 6, 12);
    expect(s.precision).toBeCloseTo((1 / 3 + 1 + 1) / 6, 12);
    expect(s.unseen).toBe(1);
  });

  it("bounds: p² below the reference O(p² log 1/p) curve", () => {
    for (const p of [0.05, 0.1, 0.2, 0.3]) expect(precisionLowerBound(p)).toBeLessThan(precisionReferenceBound(p));
    expect(precisionReferenceBound(0.2)).toBeCloseTo(0.2303, 4);
  });
});
