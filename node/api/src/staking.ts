/**
 * The JSON result of `get_staking` (docs/node.md §Methods): the staking state after the tip
 * (docs/consensus.md §5) — validator sets, records, the unbonding queue, the epoch and
 * `stakingStateHash` (§5.5). Amounts in atomic units as decimal strings; keys and hashes as hex.
 * @module
 */

/** One validator set member: Ed25519 key (32 bytes hex) and voting power (atomic units of weight, decimal string). */
export interface StakingSetMemberJson {
  publicKey: string;
  votingPower: string;
}

/** A validator set: members in canonical key order, total voting power (decimal string), `validatorsHash` (32 bytes hex). */
export interface StakingSetJson {
  validators: StakingSetMemberJson[];
  totalVotingPower: string;
  hash: string;
}

/** One validator record (docs/consensus.md §5.2). */
export interface StakingRecordJson {
  /** Ed25519 public key, 32 bytes hex. */
  publicKey: string;
  /** Bonded stake, atomic units, decimal string. */
  bonded: string;
  status: "active" | "candidate" | "jailed" | "banned";
  /** Reputation ‰ (0 ..= 1000). */
  reputationPermille: number;
  /** Certificates counted this epoch that carry its precommit. */
  signedThisEpoch: number;
  /** Certificates counted this epoch whose signing set held it. */
  expectedThisEpoch: number;
  slashedThisEpoch: boolean;
}

/** One unbonding queue entry: validator (hex), amount (atomic units, decimal string), height it is paid at, payout one-time key (hex). */
export interface UnbondingJson {
  validator: string;
  amount: string;
  matureHeight: number;
  oneTimeKey: string;
}

/** Result of `get_staking { offset? }`. */
export interface StakingResult {
  /** Height of the state (the tip). */
  height: number;
  /** `stakingStateHash` of the state (32 bytes hex, docs/consensus.md §5.5). */
  stakingStateHash: string;
  /** The set that finalized the tip. */
  validatorSet: StakingSetJson;
  /** The set that finalizes the next block. */
  nextValidatorSet: StakingSetJson;
  /** Epoch of the next block (`⌊(height+1) / epochLength⌋`), its length, its boundary (last block) height, and the start height of the next set's proposer schedule. */
  epoch: { number: number; length: number; boundaryHeight: number; certificatesThisEpoch: number; setStartHeight: number };
  /** Validator records sorted by key, `offset .. offset + 1000`; `recordCount` is the total. */
  validators: StakingRecordJson[];
  recordCount: number;
  /** Unbonding queue in chain order, at most 1000 entries; `unbondingCount` is the total. */
  unbonding: UnbondingJson[];
  unbondingCount: number;
  /** Atomic units burned by slashing since genesis (decimal string). */
  burnedTotal: string;
  /** Staking parameters from genesis (docs/consensus.md §5.1); amounts as decimal strings. */
  params: { epochLength: number; unbondingDelay: number; minStake: string; maxValidators: number; downtimeThresholdPermille: number };
}
