/**
 * Data types of the staking state machine (docs/consensus.md §5). Plain data: bigints,
 * `Uint8Array`s, a `Map` — every value survives `structuredClone`.
 * @module
 */
import type { ValidatorSet } from "../engine.ts";

/** Evidence kinds (docs/consensus.md §3). */
export type SlashKind = "duplicate-vote" | "invalid-attestation";

/** A bond carried by a v2 bond transaction (already verified by the integrator). */
export interface BondInput {
  /** Validator Ed25519 public key (32 bytes). */
  validator: Uint8Array;
  /** Atomic units, 1 ..= 2^64−1. */
  amount: bigint;
}

/** An unbond body entry (signature already verified by the integrator). */
export interface UnbondInput {
  /** Validator Ed25519 public key (32 bytes). */
  validator: Uint8Array;
  /** Atomic units, 1 ..= bonded. */
  amount: bigint;
  /** One-time key of the payout output (32 bytes), unused on chain. */
  oneTimeKey: Uint8Array;
  /** View tag of the payout output (u8). */
  viewTag: number;
  /** Transaction public key of the payout output (32 bytes). */
  txPublicKey: Uint8Array;
}

/** One piece of verified evidence in the block body. */
export interface SlashInput {
  /** The offending validator's public key (32 bytes). */
  offender: Uint8Array;
  kind: SlashKind;
}

/** What one finalized block contributes to the staking state (the integrator maps `Block` → this). */
export interface BlockStakingInput {
  /** Block height (u64), the staking state's height + 1. */
  height: bigint;
  bonds: readonly BondInput[];
  unbonds: readonly UnbondInput[];
  slashes: readonly SlashInput[];
  /** Keys (32 bytes each, any order, no duplicates) whose precommits are in the block's `lastCertificate` (the parent's certificate). */
  lastCertificateSigners: readonly Uint8Array[];
}

/**
 * Validator status:
 * - `active`: in the next validator set (`nextValidatorSet`);
 * - `candidate`: may enter at the next epoch boundary but is not in the set;
 * - `jailed`: left the set for downtime; a bond of any amount makes it a candidate again;
 * - `banned`: equivocated; never bonds or enters again.
 */
export type ValidatorStatus = "active" | "candidate" | "jailed" | "banned";

/** One validator's staking record. */
export interface ValidatorRecord {
  /** Ed25519 public key (32 bytes). */
  readonly publicKey: Uint8Array;
  /** Bonded stake (atomic units, u64). */
  readonly bonded: bigint;
  /** Reputation ‰, 0 ..= 1000. */
  readonly reputationPermille: number;
  readonly status: ValidatorStatus;
  /** Certificates counted this epoch that carry this validator's precommit (u32). */
  readonly signedThisEpoch: number;
  /** Certificates counted this epoch whose signing set contained this validator (u32, ≥ signed). */
  readonly expectedThisEpoch: number;
  /** Whether an invalid-attestation slash hit this validator this epoch (no reputation recovery then). */
  readonly slashedThisEpoch: boolean;
}

/** Unbonding stake waiting for its payout (still slashable). */
export interface UnbondingEntry {
  /** Validator public key (32 bytes). */
  readonly validator: Uint8Array;
  /** Atomic units, > 0 (entries burned to 0 are dropped). */
  readonly amount: bigint;
  /** Height at which it is paid: unbond height + unbondingDelay. */
  readonly matureHeight: bigint;
  /** Payout one-time key (32 bytes). */
  readonly oneTimeKey: Uint8Array;
  /** Payout view tag (u8). */
  readonly viewTag: number;
  /** Payout tx public key (32 bytes). */
  readonly txPublicKey: Uint8Array;
}

/**
 * The staking state after block `height`. Never mutated by this module: every transition
 * returns new objects, so the node can keep one state per height and roll forward from any.
 */
export interface StakingState {
  /** Height of the last applied block (0 = genesis). */
  readonly height: bigint;
  /** Every validator that ever bonded, keyed by lowercase hex of the public key (iteration order is not canonical: sort by key). */
  readonly validators: ReadonlyMap<string, ValidatorRecord>;
  /** Certificates counted for uptime in the current epoch (u32). */
  readonly certificatesThisEpoch: number;
  /** Unbonding queue, ordered by `matureHeight`, then by the order the unbonds appeared on chain. */
  readonly unbonding: readonly UnbondingEntry[];
  /** Atomic units burned by slashing since genesis. */
  readonly burnedTotal: bigint;
  /** The set that finalized block `height` (stake = voting power = weight); its certificate is in block `height + 1`. */
  readonly validatorSet: ValidatorSet;
  /** The set that finalizes block `height + 1` (the header's `nextValidatorsHash` is its hash). */
  readonly nextValidatorSet: ValidatorSet;
}

/** Result of `applyStakingBlock` (apply.ts). */
export interface StakingTransition {
  /** The new state (the input state is untouched). */
  state: StakingState;
  /**
   * Matured unbonds paid at this height, after this block's slashes, in queue order, amounts
   * > 0: the node appends a coinbase-style output (`1·G + amount·H`) for each (§4.4). Each entry
   * is structurally a `UnbondPayout` of types.ts.
   */
  payouts: UnbondingEntry[];
  /** The set for `height + 1` (same object as `state.nextValidatorSet`). */
  nextSet: ValidatorSet;
  /** Whether `nextSet` differs from the set in force for this block (`validatorsHash ≠ nextValidatorsHash`). */
  changed: boolean;
}
