/**
 * The unbond pool (docs/consensus.md §4.4): signed unbond requests waiting for a miner to put
 * them in a block body (`Block.unbonds`). A request is admitted only when it passes the block's
 * stateless unbond checks (`checkUnbonds`: amount, points, Ed25519 signature) and it applies on the staking state of the tip together with
 * every request already pooled (`checkStakingInput`: known, not banned validator, amount ≤ bonded
 * stake, one-time key not queued or repeated). Requests a committed block included, or that no
 * longer apply (e.g. the validator was banned), are dropped. Bounded by {@link MAX_POOLED_UNBONDS}.
 * Uniqueness of the payout one-time key against the chain's outputs is left to block validation.
 * @module
 */
import { ConsensusError, checkStakingInput, checkUnbonds, toHex, type BlockStakingInput, type StakingState, type Unbond } from "@baios/consensus";

/** Most unbond requests kept. */
export const MAX_POOLED_UNBONDS = 256;

function inputOf(state: StakingState, unbonds: readonly Unbond[]): BlockStakingInput {
  return { height: state.height + 1n, bonds: [], unbonds: unbonds.map((u) => ({ validator: u.validator, amount: u.amount, oneTimeKey: u.oneTimeKey, viewTag: u.viewTag, txPublicKey: u.txPublicKey })), slashes: [], lastCertificateSigners: [] };
}

/** See the module docs. */
export class UnbondPool {
  /** By payout one-time key hex, in arrival order. */
  readonly #items = new Map<string, Unbond>();

  /**
   * Admits a signed unbond request.
   * @returns false when the same one-time key is already pooled
   * @throws ConsensusError `BLOCK_UNBOND_INVALID` (amount, points or signature),
   *   `STAKE_*` (does not apply on `state` with the pooled requests, docs/consensus.md §5.6),
   *   `STAKE_MALFORMED` when the pool is full
   */
  add(u: Unbond, state: StakingState, chainId: number): boolean {
    if (this.#items.has(toHex(u.oneTimeKey))) return false;
    checkUnbonds([u], chainId);
    return this.addVerified(u, state);
  }

  /**
   * {@link add} for a request that already passed `checkUnbonds` (the gossip path verifies the
   * signature before it looks at the pool, unbond-gossip.ts): only the staking-state checks.
   * @returns false when the same one-time key is already pooled
   * @throws ConsensusError `STAKE_*`; `STAKE_MALFORMED` when the pool is full
   */
  addVerified(u: Unbond, state: StakingState): boolean {
    const key = toHex(u.oneTimeKey);
    if (this.#items.has(key)) return false;
    if (this.#items.size >= MAX_POOLED_UNBONDS) throw new ConsensusError("STAKE_MALFORMED", "unbond pool full");
    checkStakingInput(state, inputOf(state, [...this.#items.values(), u]));
    this.#items.set(key, u);
    return true;
  }

  /** The pooled requests in arrival order (re-announced when the node's network starts). */
  all(): Unbond[] {
    return [...this.#items.values()];
  }

  /** The pooled requests that still apply on `state`, in arrival order (each checked with those before it). */
  pending(state: StakingState): Unbond[] {
    const out: Unbond[] = [];
    for (const u of this.#items.values()) {
      try {
        checkStakingInput(state, inputOf(state, [...out, u]));
        out.push(u);
      } catch {
        // skipped now; prune() drops it once a block shows it no longer applies
      }
    }
    return out;
  }

  /** Drops what a committed block included and what no longer applies on `state`. */
  prune(included: readonly Unbond[], state: StakingState): void {
    for (const u of included) this.#items.delete(toHex(u.oneTimeKey));
    const keep = new Set(this.pending(state).map((u) => toHex(u.oneTimeKey)));
    for (const k of [...this.#items.keys()]) if (!keep.has(k)) this.#items.delete(k);
  }

  get size(): number {
    return this.#items.size;
  }
}
