/**
 * Staking parameters (docs/consensus.md §5.1), fixed at genesis.
 * Source: whitepaper §6.4 (slashing); CometBFT `x/staking` and `x/slashing` for the terms
 * (bond, unbonding delay, jailing, downtime).
 * @module
 */
import { ATOMIC_UNITS_PER_BAI, U32_MAX, U64_MAX } from "../constants.ts";
import { ConsensusError } from "../errors.ts";

/** The genesis parameters of the staking state machine. All integers. */
export interface StakingParams {
  /** Blocks per epoch (≥ 1, ≤ 2^32 − 1). The last block of an epoch has `height % epochLength === epochLength − 1`. */
  readonly epochLength: bigint;
  /** Blocks between an unbond (height `h`) and its payout (height `h + unbondingDelay`), ≥ 1. */
  readonly unbondingDelay: bigint;
  /** Smallest bonded stake (atomic units, ≥ 1) that may enter the validator set. */
  readonly minStake: bigint;
  /** Largest validator set size (1 ..= 10 000). */
  readonly maxValidators: number;
  /** An active validator whose uptime‰ is below this (0 ..= 1000) at an epoch boundary is jailed. */
  readonly downtimeThresholdPermille: number;
  /** Share of bonded + unbonding stake burned for equivocation (duplicate vote), ‰ (0 ..= 1000). */
  readonly equivocationBurnPermille: number;
  /** Share of bonded + unbonding stake burned for an invalid attestation, ‰ (0 ..= 1000). */
  readonly invalidAttestationBurnPermille: number;
}

/** Mainnet values (docs/consensus.md §5.1): 360-block epochs (≈ 1 h), 8 640-block unbonding (≈ 1 day), 10 000 BAI minimum. */
export const MAINNET_STAKING_PARAMS: StakingParams = Object.freeze({
  epochLength: 360n,
  unbondingDelay: 8_640n,
  minStake: 10_000n * ATOMIC_UNITS_PER_BAI,
  maxValidators: 100,
  downtimeThresholdPermille: 500,
  equivocationBurnPermille: 1000,
  invalidAttestationBurnPermille: 100,
});

/** Largest `maxValidators` accepted (keeps a set's encoding and the per-block work bounded). */
export const MAX_VALIDATORS_LIMIT = 10_000;

const permille = (v: number): boolean => Number.isInteger(v) && v >= 0 && v <= 1000;

/**
 * Checks the ranges of every parameter.
 * @throws ConsensusError `STAKE_PARAMS_INVALID` naming the parameter
 */
export function checkStakingParams(p: StakingParams): void {
  const bad = (field: string, why: string): never => {
    throw new ConsensusError("STAKE_PARAMS_INVALID", `${field}: ${why}`);
  };
  if (typeof p.epochLength !== "bigint" || p.epochLength < 1n || p.epochLength > BigInt(U32_MAX)) bad("epochLength", "must be 1 ..= 2^32−1");
  if (typeof p.unbondingDelay !== "bigint" || p.unbondingDelay < 1n || p.unbondingDelay > U64_MAX) bad("unbondingDelay", "must be 1 ..= 2^64−1");
  if (typeof p.minStake !== "bigint" || p.minStake < 1n || p.minStake > U64_MAX) bad("minStake", "must be 1 ..= 2^64−1");
  if (!Number.isInteger(p.maxValidators) || p.maxValidators < 1 || p.maxValidators > MAX_VALIDATORS_LIMIT) bad("maxValidators", `must be 1 ..= ${MAX_VALIDATORS_LIMIT}`);
  if (!permille(p.downtimeThresholdPermille)) bad("downtimeThresholdPermille", "must be an integer 0 ..= 1000");
  if (!permille(p.equivocationBurnPermille)) bad("equivocationBurnPermille", "must be an integer 0 ..= 1000");
  if (!permille(p.invalidAttestationBurnPermille)) bad("invalidAttestationBurnPermille", "must be an integer 0 ..= 1000");
}

/** Whether `height` is the last block of an epoch: `height % epochLength === epochLength − 1`. */
export function isEpochBoundary(height: bigint, params: Pick<StakingParams, "epochLength">): boolean {
  return height % params.epochLength === params.epochLength - 1n;
}
