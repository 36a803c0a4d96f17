import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { toHex } from "../../src/encoding/bytes.ts";
import {
  applyStakingBlock,
  decodeStakingState,
  encodeStakingState,
  genesisStakingState,
  STAKING_STATE_TAG,
  stakingKey,
  stakingStateHash,
  UNBONDING_ENTRY_BYTES,
  VALIDATOR_RECORD_BYTES,
  type BlockStakingInput,
  type StakingState,
} from "../../src/staking/index.ts";
import { h32 } from "@baios/crypto";
import { allSigners, baseParams, emptyInput, genesisArb, intentArb, key, paramsArb, toInput, unbond } from "./helpers.ts";

/** Height 2: three records (key 3 a candidate), two queue entries. */
function sample(): StakingState {
  const g = genesisStakingState([{ publicKey: key(0), stake: 100n }, { publicKey: key(1), stake: 100n }], baseParams);
  const s1 = applyStakingBlock(g, { ...emptyInput(1n), bonds: [{ validator: key(3), amount: 30n }], unbonds: [unbond(key(0), 5n, 1)] }, baseParams).state;
  return applyStakingBlock(s1, { ...emptyInput(2n, allSigners(s1)), unbonds: [unbond(key(1), 7n, 2)] }, baseParams).state;
}

const HEADER = 1 + 8 + 8 + 4;
const RECORDS = HEADER + 4;
const rejects = (bytes: Uint8Array, field: RegExp): void => {
  expect(() => decodeStakingState(bytes)).toThrow(/STAKE_STATE_MALFORMED/);
  expect(() => decodeStakingState(bytes)).toThrow(field);
};
const patched = (bytes: Uint8Array, at: number, ...values: number[]): Uint8Array => {
  const b = bytes.slice();
  values.forEach((v, i) => (b[at + i] = v));
  return b;
};

describe("staking state codec", () => {
  it("layout: sizes, version, hash tag", () => {
    const s = sample();
    const bytes = encodeStakingState(s);
    const sets = 4 + 40 * s.validatorSet.validators.length + 4 + 40 * s.nextValidatorSet.validators.length;
    expect(bytes.length).toBe(RECORDS + 3 * VALIDATOR_RECORD_BYTES + 4 + 2 * UNBONDING_ENTRY_BYTES + sets);
    expect(bytes[0]).toBe(1);
    expect(stakingStateHash(s)).toEqual(h32(STAKING_STATE_TAG, bytes));
    expect(STAKING_STATE_TAG).toBe("BAIOS/v1/staking-state");
    const back = decodeStakingState(bytes);
    expect(back.height).toBe(2n);
    expect(back.unbonding.map((e) => e.amount)).toEqual([5n, 7n]);
    expect(back.validators.get(stakingKey(key(3)))).toEqual(s.validators.get(stakingKey(key(3))));
  });

  it("rejects every non-canonical or inconsistent field", () => {
    const s = sample();
    const bytes = encodeStakingState(s);
    const rec0 = RECORDS;
    rejects(patched(bytes, 0, 2), /version/);
    rejects(patched(bytes, rec0 + 40, 0xe9, 0x03), /reputationPermille/); // 1001
    rejects(patched(bytes, rec0 + 44, 4), /status/);
    rejects(patched(bytes, rec0 + 45, 2), /flags/);
    rejects(patched(bytes, rec0 + 46, 2), /signed/); // signed 2 > expected 1
    rejects(patched(bytes, rec0 + 50, 2), /signed/); // expected 2 > certificatesThisEpoch 1
    // records out of order: copy record 0's key into record 1
    const swapped = bytes.slice();
    swapped.set(bytes.subarray(rec0 + VALIDATOR_RECORD_BYTES, rec0 + VALIDATOR_RECORD_BYTES + 32), rec0);
    rejects(swapped, /not strictly after/);
    const q0 = rec0 + 3 * VALIDATOR_RECORD_BYTES + 4;
    rejects(patched(bytes, q0 + 32, 0), /amount/); // amount 5 → 0
    rejects(patched(bytes, q0 + 40, 2), /matureHeight/); // 4 → 2 ≤ height
    rejects(patched(bytes, q0 + 40, 9), /ordered/); // 9 then 5
    const dupOtk = bytes.slice();
    dupOtk.set(bytes.subarray(q0 + 48, q0 + 80), q0 + UNBONDING_ENTRY_BYTES + 48);
    rejects(dupOtk, /repeated/);
    rejects(patched(bytes, q0, 0x77), /no validator record/);
    const set0 = q0 + 2 * UNBONDING_ENTRY_BYTES;
    rejects(patched(bytes, set0, 0, 0, 0, 0), /validatorSet/); // size 0 (then trailing/garbage)
    rejects(patched(bytes, set0 + 4 + 32, 0, 0, 0, 0, 0, 0, 0, 0), /stake/);
    rejects(patched(bytes, set0 + 4, 0x77), /no validator record/);
    const unsortedSet = bytes.slice();
    unsortedSet.set(bytes.subarray(set0 + 4 + 40, set0 + 4 + 72), set0 + 4);
    rejects(unsortedSet, /not strictly after/);
    const longer = new Uint8Array(bytes.length + 1);
    longer.set(bytes);
    rejects(longer, /trailing/);
    rejects(bytes.subarray(0, bytes.length - 1), /exceeds remaining/);
    rejects(bytes.subarray(0, 10), /truncated/);
    rejects(patched(bytes, HEADER, 0xff, 0xff, 0xff, 0x0f), /count/);
  });

  it("the same inputs give the same hashes in a worker thread (another module and WASM instance)", async () => {
    const [params, validators, intents] = fc.sample(paramsArb.chain((p) => fc.tuple(fc.constant(p), genesisArb(p.minStake, p.maxValidators), fc.array(intentArb, { minLength: 20, maxLength: 20 }))), { seed: 8, numRuns: 1 })[0]!;
    let s = genesisStakingState(validators, params);
    let n = 0;
    const inputs: BlockStakingInput[] = [];
    const hashes: string[] = [];
    for (const intent of intents) {
      const input = toInput(s, intent, () => n++);
      s = applyStakingBlock(s, input, params).state;
      inputs.push(input);
      hashes.push(toHex(stakingStateHash(s)));
    }
    const w = new Worker(new URL("./fixtures/replay-worker.ts", import.meta.url));
    const theirs = await new Promise<string[]>((resolve, reject) => {
      w.once("message", resolve);
      w.once("error", reject);
      w.postMessage({ validators, params, inputs });
    });
    await w.terminate();
    expect(theirs).toEqual(hashes);
  });
});
