/**
 * The staking state at genesis (docs/consensus.md §5.4).
 * @module
 */
import { U64_MAX } from "../constants.ts";
import { ConsensusError } from "../errors.ts";
import { makeValidatorSet } from "../engine.ts";
import type { Validator } from "../types.ts";
import { checkStakingParams, type StakingParams } from "./params.ts";
import type { StakingState, ValidatorRecord } from "./types.ts";
import { stakingKey } from "./weights.ts";

/**
 * The staking state of height 0: every genesis validator is `active` with `bonded = stake`,
 * reputation 1000 and zero epoch counters; `validatorSet = nextValidatorSet =` the genesis set
 * (weight = stake, since uptime and reputation are 1000‰). Empty queue, nothing burned.
 * @throws ConsensusError `STAKE_PARAMS_INVALID`; `GENESIS_INVALID` for an empty set, a key that
 *   is not 32 bytes, a duplicate key, a stake outside `minStake ..= 2^64−1`, or more than
 *   `maxValidators` validators
 */
export function genesisStakingState(validators: readonly Validator[], params: StakingParams): StakingState {
  checkStakingParams(params);
  if (validators.length > params.maxValidators) throw new ConsensusError("GENESIS_INVALID", `${validators.length} genesis validators exceed maxValidators ${params.maxValidators}`);
  validators.forEach((v, i) => {
    if (v.stake < params.minStake || v.stake > U64_MAX) throw new ConsensusError("GENESIS_INVALID", `validators[${i}].stake must be minStake (${params.minStake}) ..= 2^64−1`);
  });
  const set = makeValidatorSet(validators.map((v) => ({ publicKey: v.publicKey.slice(), stake: v.stake })));
  const records = new Map<string, ValidatorRecord>();
  for (const v of set.validators) {
    records.set(stakingKey(v.publicKey), {
      publicKey: v.publicKey.slice(),
      bonded: v.stake,
      reputationPermille: 1000,
      status: "active",
      signedThisEpoch: 0,
      expectedThisEpoch: 0,
      slashedThisEpoch: false,
    });
  }
  return { height: 0n, validators: records, certificatesThisEpoch: 0, unbonding: [], burnedTotal: 0n, validatorSet: set, nextValidatorSet: set };
}
