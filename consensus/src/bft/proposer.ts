/**
 * Proposer selection: stake-weighted round robin, CometBFT's proposer-priority algorithm
 * (CometBFT `types/validator_set.go`: `IncrementProposerPriority`, `RescalePriorities`,
 * `shiftByAvgProposerPriority`; docs/consensus.md §2 "Proposer").
 *
 * Every validator carries a priority (an unbounded integer, so no clipping is needed). One
 * **increment** adds each validator's stake to its priority, picks the validator with the
 * highest priority (tie: the smaller public key, bytewise) and subtracts the total stake from
 * the winner's priority. Each validator is picked a fraction `stake/total` of the time.
 * `IncrementProposerPriority(times)` first rescales (if `max − min > 2·total`, every priority is
 * divided, truncating toward zero, by `⌈(max − min)/(2·total)⌉`) and centres (subtracts
 * `⌊Σ/n⌋`), then runs `times` increments; its proposer is the last winner.
 *
 * The schedule for a validator set that came into force at height `S` (the epoch start):
 * - state `A_0` = all priorities 0, then `IncrementProposerPriority(1)` (like CometBFT's
 *   `NewValidatorSet`); `A_k = A_{k−1}` then `IncrementProposerPriority(1)` for `k = h − S`;
 * - the proposer of `(h, 0)` is the winner of the increment that produced `A_k`;
 * - the proposer of `(h, r)`, `r ≥ 1`, is the proposer of a copy of `A_k` after one
 *   `IncrementProposerPriority(r)` call.
 * Unlike CometBFT, priorities restart from 0 when a new set comes into force (the set, not its
 * history, fixes the schedule), and round `r` is one call from `A_k`, not a chain of calls per
 * round change, so the result depends only on (set, h − S, r).
 * @module
 */
import type { ValidatorSet } from "../engine.ts";
import type { Validator } from "../types.ts";

/** Heights between the kept checkpoints of a schedule (older states are recomputed from the nearest one). */
const CHECKPOINT_EVERY = 1024n;

/** `⌊a / b⌋` for b > 0 (Go's `big.Int.Div`, Euclidean division). */
function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n ? q - 1n : q;
}

/** Rescale to a window of `2·total`, then centre on the average (CometBFT). Mutates `prio`. */
function rescaleAndCentre(prio: bigint[], total: bigint): void {
  const diffMax = 2n * total;
  let max = prio[0] as bigint;
  let min = max;
  for (const p of prio) {
    if (p > max) max = p;
    if (p < min) min = p;
  }
  const diff = max - min;
  if (diff > diffMax) {
    const ratio = (diff + diffMax - 1n) / diffMax;
    for (let i = 0; i < prio.length; i++) prio[i] = (prio[i] as bigint) / ratio;
  }
  let sum = 0n;
  for (const p of prio) sum += p;
  const avg = floorDiv(sum, BigInt(prio.length));
  for (let i = 0; i < prio.length; i++) prio[i] = (prio[i] as bigint) - avg;
}

/** One increment; returns the index of the winner (validators sorted by key, so lower index = smaller key on a tie). */
function incrementOnce(prio: bigint[], stakes: readonly bigint[], total: bigint): number {
  let best = 0;
  for (let i = 0; i < prio.length; i++) {
    const p = (prio[i] as bigint) + (stakes[i] as bigint);
    prio[i] = p;
    if (p > (prio[best] as bigint)) best = i;
  }
  prio[best] = (prio[best] as bigint) - total;
  return best;
}

/**
 * The proposer schedule of one validator set, with an incremental cache: moving from height
 * offset `k` to `k + 1` costs one increment (O(n)); round `r` costs `r` increments, shared by
 * all rounds of the same height; an older height restarts from a checkpoint (every 1024 heights).
 */
export class ProposerSchedule {
  readonly set: ValidatorSet;
  private readonly stakes: readonly bigint[];
  private k = 0n;
  private prio: bigint[];
  private winner: number;
  private readonly checkpoints = new Map<bigint, { prio: bigint[]; winner: number }>();
  /** Per-round state of height offset `roundsK`: priorities after rescale/centre and `roundWinners.length` increments. */
  private roundsK = -1n;
  private roundPrio: bigint[] = [];
  private roundWinners: number[] = [];

  constructor(set: ValidatorSet) {
    this.set = set;
    this.stakes = set.validators.map((v) => v.stake);
    this.prio = this.stakes.map(() => 0n);
    this.winner = this.inc(this.prio, 1);
    this.checkpoints.set(0n, { prio: this.prio.slice(), winner: this.winner });
  }

  private inc(prio: bigint[], times: number): number {
    rescaleAndCentre(prio, this.set.totalStake);
    let w = 0;
    for (let i = 0; i < times; i++) w = incrementOnce(prio, this.stakes, this.set.totalStake);
    return w;
  }

  private seek(k: bigint): void {
    if (k < this.k) {
      const base = (k / CHECKPOINT_EVERY) * CHECKPOINT_EVERY;
      const cp = this.checkpoints.get(base) as { prio: bigint[]; winner: number };
      this.k = base;
      this.prio = cp.prio.slice();
      this.winner = cp.winner;
    }
    while (this.k < k) {
      this.winner = this.inc(this.prio, 1);
      this.k += 1n;
      if (this.k % CHECKPOINT_EVERY === 0n && !this.checkpoints.has(this.k)) this.checkpoints.set(this.k, { prio: this.prio.slice(), winner: this.winner });
    }
  }

  /**
   * The proposer of round `round` at height offset `heightsSinceSetStart` (= h − S).
   * @throws RangeError when the offset is negative or the round is not a u32
   */
  proposer(heightsSinceSetStart: bigint, round: number): Validator {
    if (heightsSinceSetStart < 0n) throw new RangeError(`heightsSinceSetStart ${heightsSinceSetStart} < 0`);
    if (!Number.isInteger(round) || round < 0 || round > 0xffff_ffff) throw new RangeError(`round ${round} is not a u32`);
    this.seek(heightsSinceSetStart);
    if (round === 0) return this.set.validators[this.winner] as Validator;
    if (this.roundsK !== heightsSinceSetStart) {
      this.roundsK = heightsSinceSetStart;
      this.roundPrio = this.prio.slice();
      rescaleAndCentre(this.roundPrio, this.set.totalStake);
      this.roundWinners = [];
    }
    while (this.roundWinners.length < round) this.roundWinners.push(incrementOnce(this.roundPrio, this.stakes, this.set.totalStake));
    return this.set.validators[this.roundWinners[round - 1] as number] as Validator;
  }
}

const schedules = new WeakMap<ValidatorSet, ProposerSchedule>();

/**
 * The proposer of `(h, round)` where `heightsSinceSetStart = h − S` and `S` is the first height
 * at which `set` is in force. Deterministic; cached per `ValidatorSet` object (incremental, see
 * {@link ProposerSchedule}).
 * @throws RangeError when the offset is negative or the round is not a u32
 */
export function proposerFor(set: ValidatorSet, heightsSinceSetStart: bigint, round: number): Validator {
  let s = schedules.get(set);
  if (s === undefined) {
    s = new ProposerSchedule(set);
    schedules.set(set, s);
  }
  return s.proposer(heightsSinceSetStart, round);
}
