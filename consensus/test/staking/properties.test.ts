import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { equalBytes, toHex } from "../../src/encoding/bytes.ts";
import { isConsensusError } from "../../src/errors.ts";
import {
  applyStakingBlock,
  checkStakingInput,
  decodeStakingState,
  encodeStakingState,
  genesisStakingState,
  isEpochBoundary,
  stakingKey,
  stakingStateHash,
  type BlockStakingInput,
  type StakingParams,
  type StakingState,
  type StakingTransition,
} from "../../src/staking/index.ts";
import { genesisArb, heldStake, intentArb, paramsArb, toInput, type Intent } from "./helpers.ts";

interface Run {
  params: StakingParams;
  genesis: StakingState;
  inputs: BlockStakingInput[];
  steps: StakingTransition[];
}

/** Applies the intents in order, each turned into a valid input against the current state. */
function run(params: StakingParams, validators: { publicKey: Uint8Array; stake: bigint }[], intents: Intent[]): Run {
  const genesis = genesisStakingState(validators, params);
  let n = 0;
  let state = genesis;
  const inputs: BlockStakingInput[] = [];
  const steps: StakingTransition[] = [];
  for (const intent of intents) {
    const input = toInput(state, intent, () => n++);
    const t = applyStakingBlock(state, input, params);
    inputs.push(input);
    steps.push(t);
    state = t.state;
  }
  return { params, genesis, inputs, steps };
}

/** Replays fixed inputs from a state. */
function replay(from: StakingState, inputs: readonly BlockStakingInput[], params: StakingParams): StakingState {
  return inputs.reduce((s, input) => applyStakingBlock(s, input, params).state, from);
}

const runArb: fc.Arbitrary<Run> = paramsArb.chain((params) =>
  fc.tuple(genesisArb(params.minStake, params.maxValidators), fc.array(intentArb, { minLength: 4, maxLength: 30, size: "medium" })).map(([validators, intents]) => run(params, validators, intents)),
);

const stateAt = (r: Run, i: number): StakingState => (i === 0 ? r.genesis : (r.steps[i - 1] as StakingTransition).state);
const inSet = (set: StakingState["nextValidatorSet"], k: Uint8Array): boolean => set.validators.some((v) => equalBytes(v.publicKey, k));
const NUM_RUNS = 120;

describe("staking properties (fast-check)", () => {
  it("determinism: same inputs → same hashes; rolling forward from an encoded or cloned snapshot agrees; inputs are never mutated", () => {
    fc.assert(
      fc.property(runArb, fc.nat(), (r, cut) => {
        const hashes = r.steps.map((s) => toHex(stakingStateHash(s.state)));
        const again = replay(r.genesis, r.inputs, r.params);
        expect(toHex(stakingStateHash(again))).toBe(hashes[hashes.length - 1]);
        const k = cut % (r.steps.length + 1);
        const snap = stateAt(r, k);
        const rest = r.inputs.slice(k);
        expect(toHex(stakingStateHash(replay(decodeStakingState(encodeStakingState(snap)), rest, r.params)))).toBe(hashes[hashes.length - 1]);
        expect(toHex(stakingStateHash(replay(structuredClone(snap), rest, r.params)))).toBe(hashes[hashes.length - 1]);
        // applying again from every intermediate state gives the recorded next state (no mutation happened)
        r.inputs.forEach((input, i) => {
          expect(toHex(stakingStateHash(applyStakingBlock(stateAt(r, i), input, r.params).state))).toBe(hashes[i]);
        });
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it("conservation: Σ bonded + Σ queued + burned + Σ paid = Σ genesis + Σ bonds, at every height", () => {
    fc.assert(
      fc.property(runArb, (r) => {
        let inflow = heldStake(r.genesis);
        let paid = 0n;
        r.steps.forEach((t, i) => {
          inflow += (r.inputs[i] as BlockStakingInput).bonds.reduce((a, b) => a + b.amount, 0n);
          paid += t.payouts.reduce((a, p) => a + p.amount, 0n);
          expect(heldStake(t.state) + t.state.burnedTotal + paid).toBe(inflow);
          expect(t.payouts.every((p) => p.amount > 0n)).toBe(true);
        });
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it("a key banned for equivocation never bonds again and, once out of the set, never re-enters", () => {
    fc.assert(
      fc.property(runArb, (r) => {
        const bannedAt = new Map<string, number>();
        r.steps.forEach((t, i) => {
          const prev = stateAt(r, i);
          for (const s of (r.inputs[i] as BlockStakingInput).slashes) if (s.kind === "duplicate-vote") bannedAt.set(stakingKey(s.offender), i);
          for (const [k, at] of bannedAt) {
            const rec = t.state.validators.get(k);
            expect(rec?.status).toBe("banned");
            const pk = rec!.publicKey;
            // still in the next set only when removing it would have emptied the set (then the set is unchanged)
            if (inSet(t.state.nextValidatorSet, pk)) expect(t.state.nextValidatorSet.hash).toEqual(prev.nextValidatorSet.hash);
            if (at < i && !inSet(prev.nextValidatorSet, pk)) expect(inSet(t.state.nextValidatorSet, pk)).toBe(false);
            let code: unknown;
            try {
              checkStakingInput(t.state, { height: t.state.height + 1n, bonds: [{ validator: pk, amount: 1n }], unbonds: [], slashes: [], lastCertificateSigners: [] });
            } catch (e) {
              code = isConsensusError(e) ? e.code : e;
            }
            expect(code).toBe("STAKE_BANNED_VALIDATOR");
          }
        });
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it("the set changes only at an epoch boundary or on equivocation; the set in force is the previous next set", () => {
    fc.assert(
      fc.property(runArb, (r) => {
        r.steps.forEach((t, i) => {
          const prev = stateAt(r, i);
          const input = r.inputs[i] as BlockStakingInput;
          expect(t.state.validatorSet).toBe(prev.nextValidatorSet);
          expect(t.nextSet).toBe(t.state.nextValidatorSet);
          expect(t.changed).toBe(!equalBytes(t.nextSet.hash, prev.nextValidatorSet.hash));
          if (!isEpochBoundary(input.height, r.params) && !input.slashes.some((s) => s.kind === "duplicate-vote")) expect(t.changed).toBe(false);
          expect(t.nextSet.validators.length).toBeGreaterThan(0);
          expect(t.nextSet.validators.length).toBeLessThanOrEqual(Math.max(r.params.maxValidators, r.genesis.validatorSet.validators.length));
        });
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it("unbonded stake is paid exactly at matureHeight, once, in full unless slashed meanwhile", () => {
    fc.assert(
      fc.property(runArb, (r) => {
        const pending = new Map<string, { height: bigint; amount: bigint; validator: string }>();
        const slashedAt = new Map<string, bigint[]>();
        r.steps.forEach((t, i) => {
          const input = r.inputs[i] as BlockStakingInput;
          for (const u of input.unbonds) pending.set(toHex(u.oneTimeKey), { height: input.height, amount: u.amount, validator: stakingKey(u.validator) });
          for (const s of input.slashes) slashedAt.set(stakingKey(s.offender), [...(slashedAt.get(stakingKey(s.offender)) ?? []), input.height]);
          for (const p of t.payouts) {
            const u = pending.get(toHex(p.oneTimeKey));
            expect(u).toBeDefined();
            expect(input.height).toBe(u!.height + r.params.unbondingDelay);
            const hit = (slashedAt.get(u!.validator) ?? []).some((h) => h >= u!.height);
            if (hit) expect(p.amount).toBeLessThanOrEqual(u!.amount);
            else expect(p.amount).toBe(u!.amount);
            pending.delete(toHex(p.oneTimeKey));
          }
          // everything due and not slashed was paid
          for (const u of pending.values()) {
            if (u.height + r.params.unbondingDelay <= input.height) expect((slashedAt.get(u.validator) ?? []).some((h) => h >= u.height)).toBe(true);
          }
        });
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it("evidence reaching queued stake burns it (100% duplicate vote, 10% invalid attestation)", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10_000n }),
        fc.bigInt({ min: 0n, max: 10_000n }),
        fc.integer({ min: 1, max: 5 }),
        fc.constantFrom("duplicate-vote" as const, "invalid-attestation" as const),
        fc.nat(),
        (queued, kept, delayAfter, kind, offset) => {
          const params = { ...baseParamsForBurn, unbondingDelay: BigInt(delayAfter + 1) };
          const v = { publicKey: new Uint8Array(32).fill(9), stake: queued + kept + 10n };
          const other = { publicKey: new Uint8Array(32).fill(8), stake: 10n };
          const g = genesisStakingState([v, other], params);
          const t1 = applyStakingBlock(g, { height: 1n, bonds: [], unbonds: [{ validator: v.publicKey, amount: queued, oneTimeKey: new Uint8Array(32).fill(1), viewTag: 0, txPublicKey: new Uint8Array(32).fill(2) }], slashes: [], lastCertificateSigners: [] }, params);
          // unbond at 1, mature at 2 + delayAfter: evidence anywhere in 2 ..= matureHeight
          const slashHeight = BigInt(2 + (offset % (delayAfter + 1)));
          let s = t1.state;
          let paid: bigint[] = [];
          for (let h = 2n; h <= 2n + BigInt(delayAfter) + 1n; h++) {
            const t = applyStakingBlock(s, { height: h, bonds: [], unbonds: [], slashes: h === slashHeight ? [{ offender: v.publicKey, kind }] : [], lastCertificateSigners: s.validatorSet.validators.map((x) => x.publicKey) }, params);
            paid = paid.concat(t.payouts.map((p) => p.amount));
            s = t.state;
          }
          const bondedBefore = v.stake - queued;
          if (kind === "duplicate-vote") {
            expect(paid).toEqual([]);
            expect(s.burnedTotal).toBe(v.stake);
          } else {
            const cut = queued / 10n;
            expect(paid).toEqual(queued - cut > 0n ? [queued - cut] : []);
            expect(s.burnedTotal).toBe(cut + bondedBefore / 10n);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it("jailing and selection at every boundary match an independent reference (weights, top-k, ties by key)", () => {
    fc.assert(
      fc.property(runArb, (r) => {
        r.steps.forEach((t, i) => {
          const input = r.inputs[i] as BlockStakingInput;
          if (!isEpochBoundary(input.height, r.params)) return;
          const prev = stateAt(r, i);
          const signers = new Set(input.lastCertificateSigners.map(stakingKey));
          const prevMembers = new Set(prev.validatorSet.validators.map((v) => stakingKey(v.publicKey)));
          const ranked: { k: string; w: bigint }[] = [];
          for (const [k, after] of t.state.validators) {
            if (after.status === "banned") continue;
            const before = prev.validators.get(k);
            const counted = input.height >= 2n && prevMembers.has(k) ? 1 : 0;
            const expected = (before?.expectedThisEpoch ?? 0) + counted;
            const signed = (before?.signedThisEpoch ?? 0) + (counted && signers.has(k) ? 1 : 0);
            const active = before?.status === "active";
            const uptime = active && expected > 0 ? Math.floor((1000 * signed) / expected) : 1000;
            const shouldJail = active && expected > 0 && uptime < r.params.downtimeThresholdPermille;
            if (shouldJail) expect(after.status).toBe("jailed");
            if (before?.status !== "jailed" && !shouldJail) expect(after.status).not.toBe("jailed");
            expect(after.signedThisEpoch + after.expectedThisEpoch).toBe(0);
            const w = (after.bonded * BigInt(uptime) * BigInt(after.reputationPermille)) / 1_000_000n;
            if (after.status !== "jailed" && after.bonded >= r.params.minStake && w > 0n) ranked.push({ k, w });
          }
          ranked.sort((a, b) => (a.w > b.w ? -1 : a.w < b.w ? 1 : a.k < b.k ? -1 : 1));
          const want = ranked.slice(0, r.params.maxValidators).sort((a, b) => (a.k < b.k ? -1 : 1));
          const got = t.nextSet.validators.map((v) => ({ k: stakingKey(v.publicKey), w: v.stake }));
          if (want.length === 0) {
            // nobody eligible: the set in force (less an equivocator removed in this block) stays
            if (!input.slashes.some((s) => s.kind === "duplicate-vote")) expect(t.changed).toBe(false);
          } else {
            expect(got).toEqual(want);
          }
          for (const [k, rec] of t.state.validators) {
            if (rec.status === "active") expect(got.some((g) => g.k === k)).toBe(true);
            if (rec.status === "candidate") expect(got.some((g) => g.k === k)).toBe(false);
          }
        });
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it("ordering is canonical: the order of a block's bonds does not change the state hash; sets are sorted by key", () => {
    fc.assert(
      fc.property(runArb, (r) => {
        const reversed = r.inputs.map((input) => ({ ...input, bonds: input.bonds.slice().reverse(), lastCertificateSigners: input.lastCertificateSigners.slice().reverse() }));
        expect(stakingStateHash(replay(r.genesis, reversed, r.params))).toEqual(stakingStateHash(stateAt(r, r.steps.length)));
        for (const t of r.steps) {
          const ks = t.nextSet.validators.map((v) => stakingKey(v.publicKey));
          expect(ks).toEqual(ks.slice().sort());
          expect(new Set(ks).size).toBe(ks.length);
        }
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it("encode/decode round trip on every state; decoding accepts only canonical bytes", () => {
    fc.assert(
      fc.property(runArb, fc.nat(), fc.nat({ max: 255 }), (r, pos, byte) => {
        for (let i = 0; i <= r.steps.length; i++) {
          const s = stateAt(r, i);
          const bytes = encodeStakingState(s);
          const back = decodeStakingState(bytes);
          expect(encodeStakingState(back)).toEqual(bytes);
          expect(stakingStateHash(back)).toEqual(stakingStateHash(s));
          expect(back.nextValidatorSet.hash).toEqual(s.nextValidatorSet.hash);
        }
        const bytes = encodeStakingState(stateAt(r, r.steps.length));
        const mutated = bytes.slice();
        mutated[pos % bytes.length] = byte;
        let decoded: StakingState | undefined;
        try {
          decoded = decodeStakingState(mutated);
        } catch (e) {
          expect(isConsensusError(e, "STAKE_STATE_MALFORMED")).toBe(true);
        }
        if (decoded !== undefined) expect(encodeStakingState(decoded)).toEqual(mutated);
        expect(() => decodeStakingState(bytes.subarray(0, pos % bytes.length))).toThrow(/STAKE_STATE_MALFORMED/);
        const longer = new Uint8Array(bytes.length + 1);
        longer.set(bytes);
        expect(() => decodeStakingState(longer)).toThrow(/STAKE_STATE_MALFORMED/);
      }),
      { numRuns: NUM_RUNS },
    );
  });
});

const baseParamsForBurn: StakingParams = {
  epochLength: 1000n,
  unbondingDelay: 2n,
  minStake: 1n,
  maxValidators: 4,
  downtimeThresholdPermille: 500,
  equivocationBurnPermille: 1000,
  invalidAttestationBurnPermille: 100,
};
