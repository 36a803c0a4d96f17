/**
 * Vote sets of one (height, round, kind) with stake-weighted tallies ([LG] "2f+1 ⟨PREVOTE, h,
 * r, id(v)⟩" read as "validators holding > 2/3 of the stake").
 *
 * A validator's votes are kept per distinct block hash: a second vote for the same hash is a
 * no-op; a vote for another hash is an equivocation, reported as conflicting with every vote the
 * validator already has in the set, and counted in that hash's tally too (as [LG]'s message
 * counting does; safety does not depend on discarding it). At most `maxPerValidator` distinct
 * votes per validator are kept; further ones are dropped without a report (one piece of evidence
 * is enough to slash), which bounds memory against a flooding equivocator.
 * @module
 */
import { toHex } from "../encoding/bytes.ts";
import type { VoteKind } from "../encoding/canonical.ts";
import type { SignedVote } from "../engine.ts";

/** The result of {@link VoteSet.add}. */
export interface VoteAddResult {
  /** Whether the vote was new and counted. */
  added: boolean;
  /** The validator's earlier votes for other block hashes in this set (each pair is an equivocation). */
  conflicts: SignedVote[];
}

/** The votes of one kind in one round of one height. */
export class VoteSet {
  readonly kind: VoteKind;
  readonly round: number;
  private readonly byValidator = new Map<string, SignedVote[]>();
  private readonly byHash = new Map<string, { stake: bigint; votes: SignedVote[] }>();
  private any = 0n;

  constructor(kind: VoteKind, round: number) {
    this.kind = kind;
    this.round = round;
  }

  /**
   * Adds a vote of a validator holding `stake` (the caller checked kind, round, membership).
   * @param maxPerValidator distinct block hashes kept per validator (≥ 1)
   */
  add(vote: SignedVote, stake: bigint, maxPerValidator: number): VoteAddResult {
    const who = toHex(vote.validator);
    const mine = this.byValidator.get(who) ?? [];
    const hash = toHex(vote.blockHash);
    if (mine.some((v) => toHex(v.blockHash) === hash)) return { added: false, conflicts: [] };
    if (mine.length >= maxPerValidator) return { added: false, conflicts: [] };
    const conflicts = mine.slice();
    mine.push(vote);
    this.byValidator.set(who, mine);
    if (conflicts.length === 0) this.any += stake;
    const t = this.byHash.get(hash) ?? { stake: 0n, votes: [] };
    t.stake += stake;
    t.votes.push(vote);
    this.byHash.set(hash, t);
    return { added: true, conflicts };
  }

  /** Stake of the validators that voted for `blockHash` (32 bytes; nil = zeros). */
  stakeFor(blockHash: Uint8Array): bigint {
    return this.byHash.get(toHex(blockHash))?.stake ?? 0n;
  }

  /** The votes for `blockHash`, one per validator, in arrival order. */
  votesFor(blockHash: Uint8Array): SignedVote[] {
    return (this.byHash.get(toHex(blockHash))?.votes ?? []).slice();
  }

  /** Stake of the distinct validators with any vote in this set ([LG] "2f+1 ⟨·, ∗⟩"). */
  get anyStake(): bigint {
    return this.any;
  }
}
