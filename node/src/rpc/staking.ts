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
import type { StakingResult, StakingSetJson } from "@baios/api";

export type { StakingRecordJson, StakingResult, StakingSetJson, StakingSetMemberJson, UnbondingJson } from "@baios/api";

/** Per-call caps of `get_staking`: validator records and unbonding entries per answer (page with `offset`). */
export const STAKING_RPC_LIMITS = { records: 1000, unbonding: 1000 } as const;

/** What `get_staking` reads from the node (the executor's state after the tip). */
export interface StakingSource {
  state: StakingState;
  params: StakingParams;
  /** Height since which the next set's proposer schedule runs (the set's start, docs/consensus.md §2). */
  setStartHeight: bigint;
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
