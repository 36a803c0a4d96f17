import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { ed25519PublicKey, ed25519Sign, makeOutput, randomScalar, scalarMultBase, walletKeysFromSeed } from "@baios/crypto";
import { applyStakingBlock, equalBytes, genesisStakingState, unbondMessage, type StakingParams, type Unbond } from "@baios/consensus";
import { UnbondPool } from "../../src/consensus/unbond-pool.ts";

const PARAMS: StakingParams = { epochLength: 10n, unbondingDelay: 5n, minStake: 1n, maxValidators: 10, downtimeThresholdPermille: 500, equivocationBurnPermille: 1000, invalidAttestationBurnPermille: 100 };
const CHAIN = 7;
const seeds = [1, 2].map((i) => new Uint8Array(32).fill(i));
const keys = seeds.map((s) => ed25519PublicKey(s));
const to = walletKeysFromSeed(new Uint8Array(32).fill(9));

function unbond(seed: Uint8Array, amount: bigint): Unbond {
  const r = randomScalar();
  const o = makeOutput(r, to.viewPublic, to.spendPublic, 0, amount);
  const u = { validator: ed25519PublicKey(seed), amount, oneTimeKey: o.oneTimeKey, viewTag: o.viewTag, txPublicKey: scalarMultBase(r) };
  return { ...u, signature: ed25519Sign(seed, unbondMessage(CHAIN, u)) };
}

describe("UnbondPool", () => {
  const state = genesisStakingState(keys.map((publicKey) => ({ publicKey, stake: 100n })), PARAMS);

  it("admits signed requests within the bonded stake, summed over the pool; refuses bad signatures and repeats", () => {
    const pool = new UnbondPool();
    const a = unbond(seeds[0]!, 60n);
    expect(pool.add(a, state, CHAIN)).toBe(true);
    expect(pool.add(a, state, CHAIN)).toBe(false);
    expect(() => pool.add(unbond(seeds[0]!, 41n), state, CHAIN)).toThrow(/STAKE_UNBOND_EXCEEDS_BONDED/);
    expect(() => pool.add({ ...unbond(seeds[1]!, 1n), signature: new Uint8Array(64) }, state, CHAIN)).toThrow(/BLOCK_UNBOND_INVALID/);
    expect(() => pool.add(unbond(seeds[1]!, 1n), state, CHAIN + 1)).toThrow(/BLOCK_UNBOND_INVALID/);
    expect(pool.add(unbond(seeds[0]!, 40n), state, CHAIN)).toBe(true);
    expect(pool.pending(state).length).toBe(2);
  });

  it("pending never exceeds what applies; prune drops included and no-longer-applicable requests", () => {
    fc.assert(
      fc.property(fc.array(fc.record({ v: fc.integer({ min: 0, max: 1 }), amount: fc.bigInt({ min: 1n, max: 120n }) }), { maxLength: 6 }), (reqs) => {
        const pool = new UnbondPool();
        for (const r of reqs) {
          try {
            pool.add(unbond(seeds[r.v]!, r.amount), state, CHAIN);
          } catch {
            // refused: over the bonded stake
          }
        }
        const pend = pool.pending(state);
        for (const k of [0, 1]) expect(pend.filter((u) => equalBytes(u.validator, keys[k]!)).reduce((s, u) => s + u.amount, 0n)).toBeLessThanOrEqual(100n);
        // a block includes the first request: it leaves the pool, the others still apply on the new state
        if (pend.length > 0) {
          const first = pend[0]!;
          const next = applyStakingBlock(state, { height: 1n, bonds: [], unbonds: [first], slashes: [], lastCertificateSigners: [] }, PARAMS).state;
          pool.prune([first], next);
          expect(pool.size).toBe(pend.length - 1);
          expect(pool.pending(next).length).toBe(pend.length - 1);
        }
      }),
      { numRuns: 15 },
    );
  });
});
