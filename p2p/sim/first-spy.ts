/**
 * The first-spy estimator and its scores (Fanti et al. 2018, §3: precision and recall of a
 * deanonymisation mapping). The spies guess that a transaction came from the honest node from
 * which a spy first received it, in the stem or the fluff phase.
 * @module
 */
import type { SimTx } from "./network.ts";

/** Scores of the first-spy estimator over a set of transactions. */
export interface FirstSpyScore {
  /** Transactions scored. */
  txs: number;
  /** Fraction of transactions whose origin was guessed correctly (the paper's "recall"). */
  correct: number;
  /**
   * The paper's expected precision: within each round (every honest node sends one tx), a correct
   * guess counts 1/|ward|, where the ward is the set of that round's txs mapped to the same node;
   * summed and divided by the number of txs.
   */
  precision: number;
  /** Transactions no spy ever received (counted as wrong). */
  unseen: number;
  /** Half-width of the 95 % normal confidence interval of `correct`. */
  correctCi95: number;
}

/** Scores `txs` (each with its `round`). */
export function scoreFirstSpy(txs: readonly SimTx[]): FirstSpyScore {
  let correct = 0;
  let unseen = 0;
  let precisionSum = 0;
  const rounds = new Map<number, SimTx[]>();
  for (const t of txs) {
    const r = rounds.get(t.round) ?? [];
    r.push(t);
    rounds.set(t.round, r);
    if (t.firstSpy === undefined) unseen++;
    else if (t.firstSpy.from === t.origin) correct++;
  }
  for (const group of rounds.values()) {
    const ward = new Map<number, number>();
    for (const t of group) if (t.firstSpy !== undefined) ward.set(t.firstSpy.from, (ward.get(t.firstSpy.from) ?? 0) + 1);
    for (const t of group) if (t.firstSpy !== undefined && t.firstSpy.from === t.origin) precisionSum += 1 / (ward.get(t.origin) ?? 1);
  }
  const n = txs.length;
  const frac = n === 0 ? 0 : correct / n;
  return {
    txs: n,
    correct: frac,
    precision: n === 0 ? 0 : precisionSum / n,
    unseen,
    correctCi95: n === 0 ? 0 : 1.96 * Math.sqrt((frac * (1 - frac)) / n),
  };
}

/** Lower bound on the expected precision of ANY routing scheme: p² (Dandelion, 2017; D++ §4). */
export function precisionLowerBound(p: number): number {
  return p * p;
}

/**
 * Reference upper curve for Dandelion-style stems: 2p²/(1−p)·ln(2/p), the line-graph bound of
 * Dandelion (2017), the O(p²·log(1/p)) order that D++ (§4) proves near-optimal and reaches on
 * quasi-4-regular graphs with one-to-one pseudorandom forwarding. docs/p2p.md explains what was
 * and was not checked against the paper's text.
 */
export function precisionReferenceBound(p: number): number {
  return ((2 * p * p) / (1 - p)) * Math.log(2 / p);
}
