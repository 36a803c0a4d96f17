/**
 * Test helpers for the staking state machine: deterministic keys, a small parameter set, and a
 * driver that turns random "intents" into inputs that are valid against the current state.
 */
import fc from "fast-check";
import type { BlockStakingInput, SlashKind, StakingParams, StakingState, UnbondInput } from "../../src/staking/index.ts";
import { stakingKey } from "../../src/staking/index.ts";

/** Validator key `i`: 32 bytes, first byte scrambled so key order ≠ index order. */
export function key(i: number): Uint8Array {
  const k = new Uint8Array(32).fill(i + 1);
  k[0] = (i * 97 + 13) & 0xff;
  return k;
}

/** A 32-byte payout key numbered `n` (distinct from validator keys: last byte 0xee). */
export function payoutKey(n: number): Uint8Array {
  const k = new Uint8Array(32);
  new DataView(k.buffer).setUint32(0, n, true);
  k[31] = 0xee;
  return k;
}

export const KEYS = 6;

export const baseParams: StakingParams = {
  epochLength: 4n,
  unbondingDelay: 3n,
  minStake: 10n,
  maxValidators: 3,
  downtimeThresholdPermille: 500,
  equivocationBurnPermille: 1000,
  invalidAttestationBurnPermille: 100,
};

/** An empty input for `height`. */
export function emptyInput(height: bigint, signers: readonly Uint8Array[] = []): BlockStakingInput {
  return { height, bonds: [], unbonds: [], slashes: [], lastCertificateSigners: signers };
}

/** Every member of the set that finalized the parent (a full certificate). */
export function allSigners(state: StakingState): Uint8Array[] {
  return state.validatorSet.validators.map((v) => v.publicKey);
}

/** An unbond to a fresh payout key. */
export function unbond(validator: Uint8Array, amount: bigint, n: number): UnbondInput {
  return { validator, amount, oneTimeKey: payoutKey(n), viewTag: n & 0xff, txPublicKey: payoutKey(n + 1_000_000) };
}

/** What a random block wants to do; {@link toInput} keeps the valid parts. */
export interface Intent {
  bonds: { v: number; amount: bigint }[];
  unbonds: { v: number; permille: number }[];
  slashes: { v: number; kind: SlashKind }[];
  signMask: number;
}

export const intentArb: fc.Arbitrary<Intent> = fc.record({
  bonds: fc.array(fc.record({ v: fc.nat({ max: KEYS - 1 }), amount: fc.bigInt({ min: 1n, max: 60n }) }), { maxLength: 2 }),
  unbonds: fc.array(fc.record({ v: fc.nat({ max: KEYS - 1 }), permille: fc.integer({ min: 0, max: 1000 }) }), { maxLength: 2 }),
  // evidence in about one block in six
  slashes: fc.oneof(
    { weight: 5, arbitrary: fc.constant<Intent["slashes"]>([]) },
    { weight: 1, arbitrary: fc.array(fc.record({ v: fc.nat({ max: KEYS - 1 }), kind: fc.constantFrom<SlashKind>("duplicate-vote", "invalid-attestation") }), { minLength: 1, maxLength: 2 }) },
  ),
  // mostly full certificates, sometimes partial ones (downtime)
  signMask: fc.oneof({ weight: 3, arbitrary: fc.constant(0xff) }, { weight: 2, arbitrary: fc.nat({ max: 0xff }) }),
});

export const paramsArb: fc.Arbitrary<StakingParams> = fc.record({
  epochLength: fc.bigInt({ min: 1n, max: 5n }),
  unbondingDelay: fc.bigInt({ min: 1n, max: 6n }),
  minStake: fc.bigInt({ min: 1n, max: 40n }),
  maxValidators: fc.integer({ min: 1, max: 4 }),
  downtimeThresholdPermille: fc.constant(500),
  equivocationBurnPermille: fc.constant(1000),
  invalidAttestationBurnPermille: fc.constant(100),
});

/** Genesis validators: 1..min(3, maxValidators) distinct keys among the first 3, stakes ≥ minStake. */
export const genesisArb = (minStake: bigint, maxValidators: number): fc.Arbitrary<{ publicKey: Uint8Array; stake: bigint }[]> =>
  fc.uniqueArray(fc.nat({ max: 2 }), { minLength: 1, maxLength: Math.min(3, maxValidators) }).chain((idx) =>
    fc.tuple(...idx.map(() => fc.bigInt({ min: minStake, max: minStake + 100n }))).map((stakes) => idx.map((i, j) => ({ publicKey: key(i), stake: stakes[j] as bigint }))),
  );

/** A valid input for `state.height + 1` from an intent; `nextPayout` numbers the payout keys. */
export function toInput(state: StakingState, intent: Intent, nextPayout: () => number): BlockStakingInput {
  const height = state.height + 1n;
  const status = (i: number) => state.validators.get(stakingKey(key(i)))?.status;
  const running = new Map<number, bigint>();
  const bondedOf = (i: number): bigint => running.get(i) ?? state.validators.get(stakingKey(key(i)))?.bonded ?? 0n;
  const bonds = intent.bonds.filter((b) => status(b.v) !== "banned").map((b) => ({ validator: key(b.v), amount: b.amount }));
  for (const b of intent.bonds) if (status(b.v) !== "banned") running.set(b.v, bondedOf(b.v) + b.amount);
  const unbonds: UnbondInput[] = [];
  for (const u of intent.unbonds) {
    if (status(u.v) === "banned") continue;
    const amount = (bondedOf(u.v) * BigInt(u.permille)) / 1000n;
    if (amount === 0n) continue;
    running.set(u.v, bondedOf(u.v) - amount);
    unbonds.push(unbond(key(u.v), amount, nextPayout()));
  }
  const seen = new Set<string>();
  const slashes = intent.slashes
    .filter((s) => (state.validators.has(stakingKey(key(s.v))) || running.has(s.v)) && status(s.v) !== "banned")
    .filter((s) => {
      const id = `${s.v}/${s.kind}`;
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    })
    .map((s) => ({ offender: key(s.v), kind: s.kind }));
  const lastCertificateSigners = state.validatorSet.validators.filter((_, i) => (intent.signMask >> i) & 1).map((v) => v.publicKey);
  return { height, bonds, unbonds, slashes, lastCertificateSigners };
}

/** Σ bonded + Σ queued over a state. */
export function heldStake(state: StakingState): bigint {
  let s = 0n;
  for (const r of state.validators.values()) s += r.bonded;
  for (const e of state.unbonding) s += e.amount;
  return s;
}
