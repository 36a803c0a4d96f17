/**
 * Round timeouts of the BFT engine (docs/consensus.md §2): `timeout<Step>(r) = base + r·delta`
 * milliseconds, growing with the round so that after GST every correct process eventually waits
 * long enough ([LG] §4, "timeouts increase with the round"). Defaults are CometBFT's
 * (`config.toml`: timeout_propose 3 s + 500 ms/round, prevote and precommit 1 s + 500 ms/round).
 * @module
 */
import type { BftStep } from "./types.ts";

/** Base and per-round increment of each step's timeout, in milliseconds (non-negative integers). */
export interface BftTimeouts {
  proposeBaseMs: number;
  proposeDeltaMs: number;
  prevoteBaseMs: number;
  prevoteDeltaMs: number;
  precommitBaseMs: number;
  precommitDeltaMs: number;
}

/** CometBFT's defaults: propose 3000 + 500·r ms, prevote 1000 + 500·r ms, precommit 1000 + 500·r ms. */
export const DEFAULT_BFT_TIMEOUTS: Readonly<BftTimeouts> = Object.freeze({
  proposeBaseMs: 3000,
  proposeDeltaMs: 500,
  prevoteBaseMs: 1000,
  prevoteDeltaMs: 500,
  precommitBaseMs: 1000,
  precommitDeltaMs: 500,
});

/**
 * The timeout of `step` in `round`: `base + round·delta` ms.
 * @throws RangeError when a configured value is not a non-negative safe integer
 */
export function timeoutMs(t: BftTimeouts, step: BftStep, round: number): number {
  const [base, delta] = step === "propose" ? [t.proposeBaseMs, t.proposeDeltaMs] : step === "prevote" ? [t.prevoteBaseMs, t.prevoteDeltaMs] : [t.precommitBaseMs, t.precommitDeltaMs];
  for (const v of [base, delta]) if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`timeout ${step}: ${v} is not a non-negative integer (ms)`);
  return base + round * delta;
}
