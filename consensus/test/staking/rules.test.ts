import { describe, expect, it } from "vitest";
import { equalBytes } from "../../src/encoding/bytes.ts";
import {
  applyStakingBlock,
  genesisStakingState,
  isEpochBoundary,
  stakingKey,
  validatorWeight,
  type BlockStakingInput,
  type StakingParams,
  type StakingState,
  type StakingTransition,
  type ValidatorRecord,
} from "../../src/staking/index.ts";
import { allSigners, baseParams, emptyInput, key, unbond } from "./helpers.ts";

const rec = (s: StakingState, i: number): ValidatorRecord => {
  const r = s.validators.get(stakingKey(key(i)));
  if (r === undefined) throw new Error(`no record ${i}`);
  return r;
};
const stakeIn = (s: StakingState, i: number): bigint | undefined => s.nextValidatorSet.validators.find((v) => equalBytes(v.publicKey, key(i)))?.stake;

/** Applies empty blocks with full certificates (plus `extra(height)`) until `height`. */
function runTo(state: StakingState, height: bigint, params: StakingParams, extra: (h: bigint, s: StakingState) => Partial<BlockStakingInput> = () => ({})): { state: StakingState; steps: StakingTransition[] } {
  const steps: StakingTransition[] = [];
  while (state.height < height) {
    const h = state.height + 1n;
    const t = applyStakingBlock(state, { ...emptyInput(h, allSigners(state)), ...extra(h, state) }, params);
    steps.push(t);
    state = t.state;
  }
  return { state, steps };
}

const three = (params: StakingParams = baseParams): StakingState =>
  genesisStakingState([0, 1, 2].map((i) => ({ publicKey: key(i), stake: 100n })), params);

describe("staking rules", () => {
  it("epoch boundary is height % epochLength === epochLength − 1", () => {
    expect([0n, 1n, 2n, 3n, 4n, 7n].map((h) => isEpochBoundary(h, { epochLength: 4n }))).toEqual([false, false, false, true, false, true]);
    expect(isEpochBoundary(5n, { epochLength: 1n })).toBe(true);
  });

  it("a bond adds to bonded at once but changes voting power only at the boundary", () => {
    const g = three();
    const t1 = applyStakingBlock(g, { ...emptyInput(1n), bonds: [{ validator: key(0), amount: 50n }, { validator: key(3), amount: 40n }] }, baseParams);
    expect(rec(t1.state, 0).bonded).toBe(150n);
    expect(rec(t1.state, 3)).toMatchObject({ bonded: 40n, status: "candidate", reputationPermille: 1000 });
    expect(t1.changed).toBe(false);
    const { state, steps } = runTo(t1.state, 3n, baseParams);
    expect(steps[0]?.changed).toBe(false);
    expect(steps[1]?.changed).toBe(true); // height 3 is the boundary
    // maxValidators 3: key(0) 150, then 100,100 (key 1, 2) beat key(3) 40
    expect(stakeIn(state, 0)).toBe(150n);
    expect(stakeIn(state, 3)).toBeUndefined();
    expect(rec(state, 3).status).toBe("candidate");
    expect(state.validatorSet.hash).toEqual(g.validatorSet.hash); // in force for height 3: still genesis set
  });

  it("top maxValidators by weight, ties broken by the smaller key", () => {
    const p = { ...baseParams, maxValidators: 2 };
    const g = genesisStakingState([{ publicKey: key(0), stake: 100n }], p);
    const { state } = runTo(g, 3n, p, (h) => (h === 1n ? { bonds: [1, 2, 3].map((i) => ({ validator: key(i), amount: 100n })) } : {}));
    // key(0), key(1), key(2), key(3) all weigh 100: the two smallest keys win
    const keys = [0, 1, 2, 3].map((i) => key(i)).sort((a, b) => (stakingKey(a) < stakingKey(b) ? -1 : 1));
    expect(state.nextValidatorSet.validators.map((v) => stakingKey(v.publicKey))).toEqual(keys.slice(0, 2).map(stakingKey));
  });

  it("equivocation: 100% of bonded and queued stake burned, banned, out of the very next set", () => {
    const g = three();
    const t1 = applyStakingBlock(g, { ...emptyInput(1n), unbonds: [unbond(key(1), 30n, 1)] }, baseParams);
    const t2 = applyStakingBlock(t1.state, { ...emptyInput(2n, allSigners(t1.state)), slashes: [{ offender: key(1), kind: "duplicate-vote" }] }, baseParams);
    expect(t2.changed).toBe(true);
    expect(stakeIn(t2.state, 1)).toBeUndefined();
    expect(t2.state.nextValidatorSet.validators).toHaveLength(2);
    expect(t2.state.burnedTotal).toBe(100n);
    expect(rec(t2.state, 1)).toMatchObject({ bonded: 0n, status: "banned" });
    expect(t2.state.unbonding).toHaveLength(0);
    // no payout at the mature height (1 + 3)
    const { steps } = runTo(t2.state, 8n, baseParams);
    expect(steps.flatMap((s) => s.payouts)).toHaveLength(0);
    expect(steps.every((s) => s.state.nextValidatorSet.validators.every((v) => !equalBytes(v.publicKey, key(1))))).toBe(true);
  });

  it("equivocation of the only validator keeps the set (it is never empty)", () => {
    const g = genesisStakingState([{ publicKey: key(0), stake: 100n }], baseParams);
    const t = applyStakingBlock(g, { ...emptyInput(1n), slashes: [{ offender: key(0), kind: "duplicate-vote" }] }, baseParams);
    expect(t.changed).toBe(false);
    expect(t.nextSet.hash).toEqual(g.nextValidatorSet.hash);
    expect(rec(t.state, 0).status).toBe("banned");
    expect(t.state.burnedTotal).toBe(100n);
    const { state } = runTo(t.state, 4n, baseParams);
    expect(state.nextValidatorSet.hash).toEqual(g.nextValidatorSet.hash);
  });

  it("invalid attestation: 10% burned (bonded and queued), reputation halves, recovers +100 per clean epoch", () => {
    const g = three();
    const t1 = applyStakingBlock(g, { ...emptyInput(1n), unbonds: [unbond(key(2), 50n, 1)], slashes: [{ offender: key(2), kind: "invalid-attestation" }] }, baseParams);
    expect(rec(t1.state, 2)).toMatchObject({ bonded: 45n, reputationPermille: 500, slashedThisEpoch: true });
    expect(t1.state.unbonding[0]?.amount).toBe(45n);
    expect(t1.state.burnedTotal).toBe(10n);
    expect(t1.changed).toBe(false);
    const r3 = runTo(t1.state, 3n, baseParams).state; // boundary: no recovery this epoch
    expect(rec(r3, 2).reputationPermille).toBe(500);
    expect(stakeIn(r3, 2)).toBe(validatorWeight(45n, 1000, 500)); // 22
    const r7 = runTo(r3, 7n, baseParams).state;
    expect(rec(r7, 2).reputationPermille).toBe(600);
    expect(stakeIn(r7, 2)).toBe(27n);
    const r23 = runTo(r7, 23n, baseParams).state;
    expect(rec(r23, 2).reputationPermille).toBe(1000);
  });

  it("unbonded stake leaves bonded at once and is paid exactly at height + unbondingDelay", () => {
    const g = three();
    const { steps } = runTo(g, 6n, baseParams, (h) => (h === 2n ? { unbonds: [unbond(key(0), 40n, 1), unbond(key(0), 60n, 2)] } : {}));
    expect(rec(steps[1]!.state, 0).bonded).toBe(0n);
    const paid = steps.map((s) => s.payouts.map((p) => p.amount));
    expect(paid).toEqual([[], [], [], [], [40n, 60n], []]);
    expect(steps[4]!.payouts[0]!.oneTimeKey).toEqual(unbond(key(0), 40n, 1).oneTimeKey);
    // key(0) now has 0 < minStake: out at the boundary of height 3
    expect(stakeIn(steps[2]!.state, 0)).toBeUndefined();
  });

  it("evidence at the mature height still burns the queued stake before the payout", () => {
    const g = three();
    const { steps } = runTo(g, 4n, baseParams, (h) => (h === 1n ? { unbonds: [unbond(key(0), 50n, 1)] } : h === 4n ? { slashes: [{ offender: key(0), kind: "invalid-attestation" }] } : {}));
    expect(steps[3]!.payouts.map((p) => p.amount)).toEqual([45n]);
  });

  it("downtime: an active validator signing < 50% of the epoch's certificates is jailed; a bond un-jails it at the next boundary", () => {
    const g = three();
    const lazy = stakingKey(key(2));
    const skip = (h: bigint, s: StakingState): Partial<BlockStakingInput> => ({ lastCertificateSigners: allSigners(s).filter((k) => stakingKey(k) !== lazy || h === 2n) });
    // epoch 0 = heights 1..3; height 1's certificate (of genesis) does not count → 2 certificates, lazy signs 1 → 500‰: not jailed
    const e0 = runTo(g, 3n, baseParams, skip).state;
    expect(rec(e0, 2).status).toBe("active");
    expect(stakeIn(e0, 2)).toBe(50n); // weight 100 × 500‰
    // epoch 1 = heights 4..7: signs none of 4 → jailed
    const e1 = runTo(e0, 7n, baseParams, skip).state;
    expect(rec(e1, 2).status).toBe("jailed");
    expect(stakeIn(e1, 2)).toBeUndefined();
    // bond 1 at height 9: candidate at once, back in at the boundary of 11 with uptime 1000
    const t9 = runTo(e1, 9n, baseParams, (h) => (h === 9n ? { bonds: [{ validator: key(2), amount: 1n }] } : {})).state;
    expect(rec(t9, 2).status).toBe("candidate");
    expect(stakeIn(t9, 2)).toBeUndefined();
    const e2 = runTo(t9, 11n, baseParams).state;
    expect(rec(e2, 2).status).toBe("active");
    expect(stakeIn(e2, 2)).toBe(101n);
  });

  it("a validator that joins mid-chain is only expected to sign certificates of blocks its set finalized", () => {
    const p = { ...baseParams, epochLength: 1n };
    const g = genesisStakingState([{ publicKey: key(0), stake: 100n }], p);
    const t1 = applyStakingBlock(g, { ...emptyInput(1n), bonds: [{ validator: key(1), amount: 100n }] }, p);
    expect(stakeIn(t1.state, 1)).toBe(100n);
    // height 2: the certificate is of block 1, finalized by the genesis set: key(1) not expected
    const t2 = applyStakingBlock(t1.state, emptyInput(2n, [key(0)]), p);
    expect(rec(t2.state, 1).status).toBe("active");
    expect(stakeIn(t2.state, 1)).toBe(100n);
    // height 3: certificate of block 2, finalized by {0, 1}; key(1) missing → 0‰ → jailed
    const t3 = applyStakingBlock(t2.state, emptyInput(3n, [key(0)]), p);
    expect(rec(t3.state, 1).status).toBe("jailed");
    expect(t3.changed).toBe(true);
  });

  it("when no validator is eligible at a boundary the previous set stays in force", () => {
    const g = three();
    const drain = [0, 1, 2].map((i) => unbond(key(i), 95n, i));
    const { state, steps } = runTo(g, 3n, baseParams, (h) => (h === 1n ? { unbonds: drain } : {}));
    expect(steps[2]!.changed).toBe(false);
    expect(state.nextValidatorSet.hash).toEqual(g.validatorSet.hash);
    expect([0, 1, 2].map((i) => rec(state, i).status)).toEqual(["active", "active", "active"]);
  });

  it("a validator below minStake leaves the set at the boundary", () => {
    const g = three();
    const { state } = runTo(g, 3n, baseParams, (h) => (h === 1n ? { unbonds: [unbond(key(1), 91n, 1)] } : {}));
    expect(stakeIn(state, 1)).toBeUndefined();
    expect(rec(state, 1).status).toBe("candidate");
    expect(state.nextValidatorSet.validators).toHaveLength(2);
  });
});
