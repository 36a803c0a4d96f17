import { describe, expect, it } from "vitest";
import { isConsensusError, type ConsensusErrorCode } from "../../src/errors.ts";
import {
  applyStakingBlock,
  checkStakingInput,
  checkStakingParams,
  encodeStakingState,
  genesisStakingState,
  stakingStateHash,
  type BlockStakingInput,
  type StakingState,
} from "../../src/staking/index.ts";
import { U64_MAX } from "../../src/constants.ts";
import { allSigners, baseParams, emptyInput, key, unbond } from "./helpers.ts";

const params = baseParams;
const genesis = (): StakingState =>
  genesisStakingState(
    [
      { publicKey: key(0), stake: 100n },
      { publicKey: key(1), stake: 100n },
    ],
    params,
  );

/** Expects `f` to throw a ConsensusError with `code` (and `index`, when given). */
function expectCode(f: () => unknown, code: ConsensusErrorCode, index?: number): void {
  let thrown: unknown;
  try {
    f();
  } catch (e) {
    thrown = e;
  }
  expect(isConsensusError(thrown, code), `expected ${code}, got ${String(thrown)}`).toBe(true);
  if (index !== undefined) expect((thrown as { index?: number }).index).toBe(index);
}

/** Applies `input` and checks that the rejection leaves the state untouched. */
function rejects(state: StakingState, input: BlockStakingInput, code: ConsensusErrorCode, index?: number): void {
  const before = encodeStakingState(state);
  expectCode(() => checkStakingInput(state, input), code, index);
  expectCode(() => applyStakingBlock(state, input, params), code, index);
  expect(encodeStakingState(state)).toEqual(before);
}

/** A state where key(1) is banned (height 1). */
function withBanned(): StakingState {
  return applyStakingBlock(genesis(), { ...emptyInput(1n), slashes: [{ offender: key(1), kind: "duplicate-vote" }] }, params).state;
}

describe("staking error codes", () => {
  it("STAKE_PARAMS_INVALID for every parameter out of range", () => {
    const bad = [
      { epochLength: 0n },
      { epochLength: 1n << 32n },
      { unbondingDelay: 0n },
      { minStake: 0n },
      { maxValidators: 0 },
      { maxValidators: 10_001 },
      { maxValidators: 1.5 },
      { downtimeThresholdPermille: 1001 },
      { equivocationBurnPermille: -1 },
      { invalidAttestationBurnPermille: 0.5 },
    ];
    for (const b of bad) {
      expectCode(() => checkStakingParams({ ...params, ...b }), "STAKE_PARAMS_INVALID");
      expectCode(() => genesisStakingState([{ publicKey: key(0), stake: 100n }], { ...params, ...b }), "STAKE_PARAMS_INVALID");
      expectCode(() => applyStakingBlock(genesis(), emptyInput(1n), { ...params, ...b }), "STAKE_PARAMS_INVALID");
    }
    expect(() => checkStakingParams(params)).not.toThrow();
  });

  it("GENESIS_INVALID: empty, below minStake, above maxValidators, duplicate key, short key", () => {
    expectCode(() => genesisStakingState([], params), "GENESIS_INVALID");
    expectCode(() => genesisStakingState([{ publicKey: key(0), stake: 9n }], params), "GENESIS_INVALID");
    expectCode(() => genesisStakingState([0, 1, 2, 3].map((i) => ({ publicKey: key(i), stake: 10n })), params), "GENESIS_INVALID");
    expectCode(() => genesisStakingState([{ publicKey: key(0), stake: 10n }, { publicKey: key(0), stake: 10n }], params), "GENESIS_INVALID");
    expectCode(() => genesisStakingState([{ publicKey: new Uint8Array(31), stake: 10n }], params), "GENESIS_INVALID");
  });

  it("STAKE_WRONG_HEIGHT", () => {
    rejects(genesis(), emptyInput(2n), "STAKE_WRONG_HEIGHT");
    rejects(genesis(), emptyInput(0n), "STAKE_WRONG_HEIGHT");
  });

  it("STAKE_MALFORMED: short keys, bad amount type or range, view tag, slash kind", () => {
    const g = genesis();
    rejects(g, { ...emptyInput(1n), bonds: [{ validator: new Uint8Array(31), amount: 1n }] }, "STAKE_MALFORMED", 0);
    rejects(g, { ...emptyInput(1n), bonds: [{ validator: key(0), amount: U64_MAX + 1n }] }, "STAKE_MALFORMED", 0);
    rejects(g, { ...emptyInput(1n), bonds: [{ validator: key(0), amount: -1n }] }, "STAKE_MALFORMED", 0);
    rejects(g, { ...emptyInput(1n), unbonds: [{ ...unbond(key(0), 1n, 1), oneTimeKey: new Uint8Array(33) }] }, "STAKE_MALFORMED", 0);
    rejects(g, { ...emptyInput(1n), unbonds: [{ ...unbond(key(0), 1n, 1), txPublicKey: new Uint8Array(0) }] }, "STAKE_MALFORMED", 0);
    rejects(g, { ...emptyInput(1n), unbonds: [unbond(key(0), 1n, 1), { ...unbond(key(0), 1n, 2), viewTag: 256 }] }, "STAKE_MALFORMED", 1);
    rejects(g, { ...emptyInput(1n), slashes: [{ offender: key(0), kind: "double-sign" as never }] }, "STAKE_MALFORMED", 0);
    rejects(g, { ...emptyInput(1n), slashes: [{ offender: new Uint8Array(32).subarray(1), kind: "duplicate-vote" }] }, "STAKE_MALFORMED", 0);
    rejects(g, emptyInput(1n, [new Uint8Array(16)]), "STAKE_MALFORMED", 0);
  });

  it("STAKE_ZERO_AMOUNT for bonds and unbonds", () => {
    rejects(genesis(), { ...emptyInput(1n), bonds: [{ validator: key(0), amount: 0n }] }, "STAKE_ZERO_AMOUNT", 0);
    rejects(genesis(), { ...emptyInput(1n), unbonds: [unbond(key(0), 0n, 1)] }, "STAKE_ZERO_AMOUNT", 0);
  });

  it("STAKE_AMOUNT_OVERFLOW when bonded would exceed u64 (summed over the block)", () => {
    rejects(genesis(), { ...emptyInput(1n), bonds: [{ validator: key(0), amount: U64_MAX - 100n }, { validator: key(0), amount: 1n }] }, "STAKE_AMOUNT_OVERFLOW", 1);
    expect(() => checkStakingInput(genesis(), { ...emptyInput(1n), bonds: [{ validator: key(0), amount: U64_MAX - 100n }] })).not.toThrow();
  });

  it("STAKE_BANNED_VALIDATOR for a bond, an unbond or evidence by a banned key", () => {
    const s = withBanned();
    rejects(s, { ...emptyInput(2n), bonds: [{ validator: key(1), amount: 50n }] }, "STAKE_BANNED_VALIDATOR", 0);
    rejects(s, { ...emptyInput(2n), unbonds: [unbond(key(1), 1n, 1)] }, "STAKE_BANNED_VALIDATOR", 0);
    rejects(s, { ...emptyInput(2n), slashes: [{ offender: key(1), kind: "invalid-attestation" }] }, "STAKE_BANNED_VALIDATOR", 0);
    rejects(s, { ...emptyInput(2n), slashes: [{ offender: key(1), kind: "duplicate-vote" }] }, "STAKE_BANNED_VALIDATOR", 0);
  });

  it("STAKE_UNKNOWN_VALIDATOR for an unbond or evidence by a key that never bonded", () => {
    rejects(genesis(), { ...emptyInput(1n), unbonds: [unbond(key(4), 1n, 1)] }, "STAKE_UNKNOWN_VALIDATOR", 0);
    rejects(genesis(), { ...emptyInput(1n), slashes: [{ offender: key(4), kind: "duplicate-vote" }] }, "STAKE_UNKNOWN_VALIDATOR", 0);
    // a key bonding in the same block is known
    expect(() => checkStakingInput(genesis(), { ...emptyInput(1n), bonds: [{ validator: key(4), amount: 5n }], unbonds: [unbond(key(4), 5n, 1)] })).not.toThrow();
  });

  it("STAKE_UNBOND_EXCEEDS_BONDED, summed over the block's unbonds, after its bonds", () => {
    rejects(genesis(), { ...emptyInput(1n), unbonds: [unbond(key(0), 101n, 1)] }, "STAKE_UNBOND_EXCEEDS_BONDED", 0);
    rejects(genesis(), { ...emptyInput(1n), unbonds: [unbond(key(0), 60n, 1), unbond(key(0), 41n, 2)] }, "STAKE_UNBOND_EXCEEDS_BONDED", 1);
    expect(() => checkStakingInput(genesis(), { ...emptyInput(1n), bonds: [{ validator: key(0), amount: 1n }], unbonds: [unbond(key(0), 60n, 1), unbond(key(0), 41n, 2)] })).not.toThrow();
  });

  it("STAKE_DUPLICATE_ONE_TIME_KEY within a block and against the queue", () => {
    rejects(genesis(), { ...emptyInput(1n), unbonds: [unbond(key(0), 1n, 7), unbond(key(1), 1n, 7)] }, "STAKE_DUPLICATE_ONE_TIME_KEY", 1);
    const s = applyStakingBlock(genesis(), { ...emptyInput(1n), unbonds: [unbond(key(0), 1n, 7)] }, params).state;
    rejects(s, { ...emptyInput(2n, allSigners(s)), unbonds: [unbond(key(1), 1n, 7)] }, "STAKE_DUPLICATE_ONE_TIME_KEY", 0);
  });

  it("STAKE_DUPLICATE_SLASH for the same offender and kind twice (both kinds once is fine)", () => {
    rejects(genesis(), { ...emptyInput(1n), slashes: [{ offender: key(0), kind: "invalid-attestation" }, { offender: key(0), kind: "invalid-attestation" }] }, "STAKE_DUPLICATE_SLASH", 1);
    expect(() => checkStakingInput(genesis(), { ...emptyInput(1n), slashes: [{ offender: key(0), kind: "invalid-attestation" }, { offender: key(0), kind: "duplicate-vote" }] })).not.toThrow();
  });

  it("STAKE_UNKNOWN_SIGNER and STAKE_DUPLICATE_SIGNER on lastCertificateSigners", () => {
    rejects(genesis(), emptyInput(1n, [key(0), key(3)]), "STAKE_UNKNOWN_SIGNER", 1);
    rejects(genesis(), emptyInput(1n, [key(0), key(0)]), "STAKE_DUPLICATE_SIGNER", 1);
    // a key that bonded but is not in the set that finalized the parent
    const s = applyStakingBlock(genesis(), { ...emptyInput(1n), bonds: [{ validator: key(3), amount: 50n }] }, params).state;
    rejects(s, emptyInput(2n, [key(3)]), "STAKE_UNKNOWN_SIGNER", 0);
  });

  it("a rejected block leaves the state and its hash unchanged", () => {
    const g = genesis();
    const h = stakingStateHash(g);
    expectCode(() => applyStakingBlock(g, { ...emptyInput(1n), bonds: [{ validator: key(4), amount: 5n }], unbonds: [unbond(key(0), 1000n, 1)] }, params), "STAKE_UNBOND_EXCEEDS_BONDED");
    expect(stakingStateHash(g)).toEqual(h);
    expect(g.validators.has("x")).toBe(false);
    expect(g.validators.size).toBe(2);
  });
});
