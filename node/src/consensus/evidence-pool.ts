/**
 * The evidence pool (docs/consensus.md §3): verified evidence waiting to be included in a block
 * by a miner. One entry per (offender, kind); entries whose offender the staking state has
 * already banned, or that a committed block included, are dropped. Bounded by
 * {@link MAX_POOLED_EVIDENCE}.
 * @module
 */
import { toHex, type Evidence, type StakingState } from "@baios/consensus";

/** Most pieces of evidence kept. */
export const MAX_POOLED_EVIDENCE = 256;

/** The offender named by a piece of evidence (32 bytes). */
export function offenderOf(e: Evidence): Uint8Array {
  return e.kind === "duplicate-vote" ? e.voteA.validator : e.vote.validator;
}

/** The height the evidence's vote(s) were cast at (u64). */
function voteHeightOf(e: Evidence): bigint {
  return e.kind === "duplicate-vote" ? e.voteA.height : e.vote.height;
}

/** See the module docs. */
export class EvidencePool {
  readonly #items = new Map<string, Evidence>();

  /** Whether evidence of this offender and kind is pooled (cheap filter before verifying a new piece). */
  has(e: Evidence): boolean {
    return this.#items.has(`${toHex(offenderOf(e))}:${e.kind}`);
  }

  /** Adds verified evidence; false when the same offender and kind is already pooled or the pool is full. */
  add(e: Evidence): boolean {
    const key = `${toHex(offenderOf(e))}:${e.kind}`;
    if (this.#items.has(key) || this.#items.size >= MAX_POOLED_EVIDENCE) return false;
    this.#items.set(key, e);
    return true;
  }

  /**
   * Evidence the block after `state` may still include, in arrival order: offender not banned,
   * and not older than `maxAge` blocks (ChainParams.unbondingDelay: older evidence makes the
   * block invalid, BLOCK_EVIDENCE_INVALID). Expired items are dropped.
   */
  pending(state: StakingState, maxAge?: bigint): Evidence[] {
    const next = state.height + 1n;
    if (maxAge !== undefined) for (const [k, e] of this.#items) if (next - voteHeightOf(e) > maxAge) this.#items.delete(k);
    return [...this.#items.values()].filter((e) => state.validators.get(toHex(offenderOf(e)))?.status !== "banned");
  }

  /** Drops what a committed block included and what no longer applies. */
  prune(included: readonly Evidence[], state: StakingState): void {
    for (const e of included) this.#items.delete(`${toHex(offenderOf(e))}:${e.kind}`);
    for (const [k, e] of this.#items) if (state.validators.get(toHex(offenderOf(e)))?.status === "banned") this.#items.delete(k);
  }

  get size(): number {
    return this.#items.size;
  }
}
