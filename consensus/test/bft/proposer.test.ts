/** Proposer selection: CometBFT's proposer-priority algorithm (src/bft/proposer.ts). */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { ProposerSchedule, proposerFor } from "../../src/bft/proposer.ts";
import { makeValidatorSet } from "../../src/engine.ts";
import { compareBytes, toHex } from "../../src/encoding/bytes.ts";
import type { Validator } from "../../src/types.ts";

function set(stakes: readonly number[]) {
  return makeValidatorSet(stakes.map((s, i) => ({ publicKey: new Uint8Array(32).fill(i + 1), stake: BigInt(s) })));
}

/** A direct transcription of the documented algorithm, without caches. */
function reference(vals: readonly Validator[], total: bigint, k: number, round: number): Uint8Array {
  const prio = vals.map(() => 0n);
  const inc = (times: number): number => {
    let max = prio[0]!;
    let min = max;
    for (const p of prio) {
      if (p > max) max = p;
      if (p < min) min = p;
    }
    if (max - min > 2n * total) {
      const ratio = (max - min + 2n * total - 1n) / (2n * total);
      for (let i = 0; i < prio.length; i++) prio[i] = prio[i]! / ratio;
    }
    const sum = prio.reduce((a, b) => a + b, 0n);
    const n = BigInt(prio.length);
    let avg = sum / n;
    if (sum % n !== 0n && sum < 0n) avg -= 1n;
    for (let i = 0; i < prio.length; i++) prio[i] = prio[i]! - avg;
    let w = 0;
    for (let t = 0; t < times; t++) {
      for (let i = 0; i < prio.length; i++) prio[i] = prio[i]! + vals[i]!.stake;
      w = 0;
      for (let i = 1; i < prio.length; i++) if (prio[i]! > prio[w]! || (prio[i] === prio[w] && compareBytes(vals[i]!.publicKey, vals[w]!.publicKey) < 0)) w = i;
      prio[w] = prio[w]! - total;
    }
    return w;
  };
  let w = inc(1);
  for (let i = 0; i < k; i++) w = inc(1);
  if (round > 0) w = inc(round);
  return vals[w]!.publicKey;
}

describe("proposerFor", () => {
  it("equal stakes: plain round robin in key order, ties to the smaller key", () => {
    const s = set([5, 5, 5, 5]);
    const seq = [0n, 1n, 2n, 3n, 4n, 5n, 6n, 7n].map((k) => toHex(proposerFor(s, k, 0).publicKey));
    const keys = s.validators.map((v) => toHex(v.publicKey));
    expect(seq).toEqual([...keys, ...keys]);
    // rounds walk on from the height's state
    expect(toHex(proposerFor(s, 0n, 1).publicKey)).toBe(keys[1]);
    expect(toHex(proposerFor(s, 0n, 3).publicKey)).toBe(keys[3]);
  });

  it("each validator proposes exactly stake times per total-stake heights", () => {
    const s = set([1, 2, 3, 4]);
    const counts = new Map<string, number>();
    for (let k = 0n; k < 10n * 10n; k++) {
      const p = toHex(proposerFor(s, k, 0).publicKey);
      counts.set(p, (counts.get(p) ?? 0) + 1);
    }
    expect(s.validators.map((v) => counts.get(toHex(v.publicKey)))).toEqual([10, 20, 30, 40]);
  });

  it("matches the uncached reference for any set, height offset and round, in any query order", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 6 })), { minLength: 1, maxLength: 12 }),
        (stakes, queries) => {
          const s = set(stakes);
          const sched = new ProposerSchedule(s);
          for (const [k, r] of queries) {
            const want = toHex(reference(s.validators, s.totalStake, k, r));
            expect(toHex(sched.proposer(BigInt(k), r).publicKey)).toBe(want);
            expect(toHex(proposerFor(s, BigInt(k), r).publicKey)).toBe(want);
          }
        },
      ),
      { seed: 8, numRuns: 150 },
    );
  });

  it("long epochs: seeking back past a checkpoint gives the same answer as walking forward", () => {
    const s = set([7, 300, 41, 1, 90]);
    const forward = new ProposerSchedule(s);
    const want = [5000n, 2100n, 1023n, 1024n, 1025n, 3n].map((k) => toHex(new ProposerSchedule(s).proposer(k, 2).publicKey));
    expect([5000n, 2100n, 1023n, 1024n, 1025n, 3n].map((k) => toHex(forward.proposer(k, 2).publicKey))).toEqual(want);
  });

  it("rejects a negative offset or a round that is not a u32", () => {
    const s = set([1, 2]);
    expect(() => proposerFor(s, -1n, 0)).toThrow(RangeError);
    expect(() => proposerFor(s, 0n, -1)).toThrow(RangeError);
    expect(() => proposerFor(s, 0n, 1.5)).toThrow(RangeError);
  });
});
