/**
 * `get_staking` (docs/node.md §Methods): the staking state after the tip (docs/consensus.md §5)
 * as JSON — the current and next validator set, every validator record, the unbonding queue,
 * `burnedTotal`, the epoch and the state's canonical hash (`stakingStateHash`, §5.5), which
 * archive, pruned and snapshot nodes compare.
 * @module
 */
import { sortedRecords, stakingStateHash, type StakingParams, type StakingState, type ValidatorSet } from "@baios/consensus";
import { hex, num, paramsObject, parseUint } from "./convert.ts";
import { invalidParams } from "./errors.ts";

/** Per-call caps of `get_staking`: validator records and unbonding entries per answer (page with `offset`). */
export const STAKING_RPC_LIMITS = { records: 1000, unbonding: 1000 } as const;

/** What `get_staking` reads from the node (the executor's state after the tip). */
export interface StakingSource {
  state: StakingState;
  params: StakingParams;
  /** Height since which the next set's proposer schedule runs (the set's start, docs/consensus.md §2). */
  setStartHeight: bigint;
}

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

function setJson(s: ValidatorSet): StakingSetJson {
  return { validators: s.validators.map((v) => ({ publicKey: hex(v.publicKey), votingPower: v.stake.toString() })), totalVotingPower: s.totalStake.toString(), hash: hex(s.hash) };
}

/**
 * The `get_staking` answer for `params` (`{ offset? }`: first record to list, default 0).
 * @throws RpcError INVALID_PARAMS for a malformed `offset`
 */
export function stakingResult(src: StakingSource, params: unknown): StakingResult {
  const p = paramsObject(params);
  const offset = p["offset"] === undefined ? 0 : parseUint(p["offset"], "offset");
  const { state, params: sp } = src;
  const records = sortedRecords(state.validators);
  if (offset > records.length) throw invalidParams(`offset: ${offset} is past the ${records.length} records`);
  const next = state.height + 1n;
  const epoch = next / sp.epochLength;
  return {
    height: num(state.height),
    stakingStateHash: hex(stakingStateHash(state)),
    validatorSet: setJson(state.validatorSet),
    nextValidatorSet: setJson(state.nextValidatorSet),
    epoch: { number: num(epoch), length: num(sp.epochLength), boundaryHeight: num(epoch * sp.epochLength + sp.epochLength - 1n), certificatesThisEpoch: state.certificatesThisEpoch, setStartHeight: num(src.setStartHeight) },
    validators: records.slice(offset, offset + STAKING_RPC_LIMITS.records).map((r) => ({
      publicKey: hex(r.publicKey),
      bonded: r.bonded.toString(),
      status: r.status,
      reputationPermille: r.reputationPermille,
      signedThisEpoch: r.signedThisEpoch,
      expectedThisEpoch: r.expectedThisEpoch,
      slashedThisEpoch: r.slashedThisEpoch,
    })),
    recordCount: records.length,
    unbonding: state.unbonding.slice(0, STAKING_RPC_LIMITS.unbonding).map((u) => ({ validator: hex(u.validator), amount: u.amount.toString(), matureHeight: num(u.matureHeight), oneTimeKey: hex(u.oneTimeKey) })),
    unbondingCount: state.unbonding.length,
    burnedTotal: state.burnedTotal.toString(),
    params: { epochLength: num(sp.epochLength), unbondingDelay: num(sp.unbondingDelay), minStake: sp.minStake.toString(), maxValidators: sp.maxValidators, downtimeThresholdPermille: sp.downtimeThresholdPermille },
  };
}
