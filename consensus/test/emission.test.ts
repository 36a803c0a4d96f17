import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  blockReward,
  DAILY_DECAY_Q64,
  emittedBefore,
  INITIAL_BLOCK_REWARD,
  MINED_CAP,
  PREMINE_TOTAL,
  R0_ATOMIC,
  SUPPLY_AFTER_MAIN_PHASE,
  supplyAfter,
  TAIL_DECAY_Q64,
  TAIL_INITIAL_BLOCK_REWARD,
  totalMinedEmission,
  yearEmission,
} from "../src/emission.ts";
import { BLOCKS_PER_DAY, BLOCKS_PER_YEAR, MAX_SUPPLY } from "../src/constants.ts";

/** e^(−num/den) in fixed point with `bits` fractional bits (Taylor series, exact rational steps). */
function expNeg(num: bigint, den: bigint, bits: bigint): bigint {
  const S = 1n << bits;
  let term = S;
  let sum = S;
  for (let k = 1n; term !== 0n; k++) {
    term = (term * num) / (den * k);
    sum += k % 2n === 1n ? -term : term;
  }
  return sum;
}

describe("emission constants (recomputed with bigint arithmetic)", () => {
  const BITS = 320n;
  const S = 1n << BITS;
  const q = expNeg(223n, 365_000n, BITS); // e^(−0.223/365)
  it("DAILY_DECAY_Q64 = floor(2^64 · e^(−0.223/365))", () => {
    expect(DAILY_DECAY_Q64).toBe((q << 64n) >> BITS);
  });
  it("INITIAL_BLOCK_REWARD = floor(R0 (1−q) / ((1−q^365) · 8640))", () => {
    let q365 = S;
    for (let i = 0; i < 365; i++) q365 = (q365 * q) >> BITS;
    expect(INITIAL_BLOCK_REWARD).toBe((R0_ATOMIC * (S - q)) / ((S - q365) * BLOCKS_PER_DAY));
  });
  it("derived tail constants are pinned", () => {
    expect(SUPPLY_AFTER_MAIN_PHASE).toBe(PREMINE_TOTAL + emittedBefore(10n * BLOCKS_PER_YEAR + 1n));
    expect(TAIL_INITIAL_BLOCK_REWARD).toBe(5_996_316_735n);
    expect(TAIL_DECAY_Q64).toBe(18_442_171_417_887_902_343n);
  });
});

describe("emission schedule", () => {
  it("genesis pays nothing; block 1 pays the initial reward", () => {
    expect(blockReward(0n)).toBe(0n);
    expect(blockReward(1n)).toBe(INITIAL_BLOCK_REWARD);
    expect(blockReward(BLOCKS_PER_DAY)).toBe(INITIAL_BLOCK_REWARD);
    expect(blockReward(BLOCKS_PER_DAY + 1n)).toBe((INITIAL_BLOCK_REWARD * DAILY_DECAY_Q64) >> 64n);
  });

  it("year k emits R0·e^(−λ(k−1)) within 10^−5 (years 1..10)", () => {
    for (let k = 1; k <= 10; k++) {
      const expected = Number(R0_ATOMIC) * Math.exp(-0.223 * (k - 1));
      const got = Number(yearEmission(k));
      expect(Math.abs(got - expected) / expected).toBeLessThan(1e-5);
    }
  });

  it("year 11 (tail) emits 1 % of the supply after year 10 within 1 %", () => {
    const got = Number(yearEmission(11));
    const expected = Number(SUPPLY_AFTER_MAIN_PHASE) / 100;
    expect(got).toBeLessThan(expected);
    expect(got / expected).toBeGreaterThan(0.95);
  });

  it("rewards are monotone non-increasing (main phase and tail)", () => {
    const maxH = 200n * BLOCKS_PER_YEAR;
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: maxH }), fc.bigInt({ min: 0n, max: maxH }), (a, b) => {
        const [lo, hi] = a < b ? [a, b] : [b, a];
        if (lo === 0n) return;
        expect(blockReward(hi) <= blockReward(lo)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it("emittedBefore is the running sum of blockReward", () => {
    let sum = 0n;
    for (let h = 0n; h < 3n * BLOCKS_PER_DAY + 5n; h++) {
      expect(emittedBefore(h)).toBe(sum);
      sum += blockReward(h);
    }
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 300n * BLOCKS_PER_YEAR }), (h) => {
        expect(emittedBefore(h + 1n) - emittedBefore(h)).toBe(blockReward(h));
      }),
      { numRuns: 500 },
    );
  });

  it("never exceeds the cap, premine included; the supply approaches it", () => {
    const total = totalMinedEmission();
    expect(total <= MINED_CAP).toBe(true);
    expect(PREMINE_TOTAL + total <= MAX_SUPPLY).toBe(true);
    // less than 0.01 % of the cap stays unissued
    expect(Number(MAX_SUPPLY - PREMINE_TOTAL - total) / Number(MAX_SUPPLY)).toBeLessThan(1e-4);
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 62n) }), (h) => {
        expect(supplyAfter(h) <= MAX_SUPPLY).toBe(true);
      }),
      { numRuns: 200 },
    );
    expect(blockReward(1n << 60n)).toBe(0n);
    expect(supplyAfter(1n << 60n)).toBe(PREMINE_TOTAL + total);
  });
});
