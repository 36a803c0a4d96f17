/** `get_staking` (node/src/rpc/staking.ts): the staking state after the tip over JSON-RPC, its hash, epoch and paging. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { MAINNET_STAKING_PARAMS, genesisStakingState, stakingStateHash, validatorsHash, sortValidators } from "@baios/consensus";
import { startNode, type NodeHandle } from "../src/node.ts";
import { RPC_ERRORS } from "../src/rpc/errors.ts";
import { RpcError } from "@baios/api";
import { STAKING_RPC_LIMITS, stakingResult } from "../src/rpc/staking.ts";
import { testConfig, testGenesis, tmpDir } from "./helpers/fixture.ts";

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");

describe("get_staking", () => {
  let node: NodeHandle;
  let genesis: Awaited<ReturnType<typeof testGenesis>>;

  beforeAll(async () => {
    genesis = await testGenesis();
    node = await startNode(testConfig(tmpDir()), { genesis, manualBlocks: true });
  });
  afterAll(async () => {
    await node?.stop();
  });

  it("answers the executor's state after the tip: sets, records, epoch and stakingStateHash", async () => {
    await node.produceBlock();
    await node.produceBlock();
    const s = await node.client.getStaking();
    const state = node.consensus.executor.stakingState;
    expect(s.height).toBe(node.chain.tip.height);
    expect(s.stakingStateHash).toBe(hex(stakingStateHash(state)));
    const sorted = sortValidators(genesis.validators);
    expect(s.validatorSet.validators).toEqual(sorted.map((v) => ({ publicKey: hex(v.publicKey), votingPower: v.stake.toString() })));
    expect(s.validatorSet.hash).toBe(hex(validatorsHash(sorted)));
    expect(s.nextValidatorSet.hash).toBe(hex(state.nextValidatorSet.hash));
    expect(s.recordCount).toBe(genesis.validators.length);
    expect(s.validators.every((r) => r.status === "active" && r.reputationPermille === 1000)).toBe(true);
    expect(s.unbonding).toEqual([]);
    expect(s.burnedTotal).toBe("0");
    const L = s.epoch.length;
    expect(L).toBe(Number(genesis.params.epochLength));
    expect(s.epoch.number).toBe(Math.floor((s.height + 1) / L));
    expect(s.epoch.boundaryHeight % L).toBe(L - 1);
    expect(s.epoch.boundaryHeight).toBeGreaterThanOrEqual(s.height + 1);
  });

  it("pages records with offset and rejects a bad offset with INVALID_PARAMS", async () => {
    const all = await node.client.getStaking();
    expect((await node.client.getStaking(all.recordCount)).validators).toEqual([]);
    for (const bad of [all.recordCount + 1, -1, 1.5, "0"]) {
      const e = await node.client.call("get_staking", { offset: bad }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(RpcError);
      expect((e as RpcError).code).toBe(RPC_ERRORS.INVALID_PARAMS);
    }
  });

  it("property: pages of at most 1000 records concatenate to every record in key order", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2500 }), fc.integer({ min: 0, max: 2500 }), (n, offsetRaw) => {
        const validators = Array.from({ length: n }, (_x, i) => {
          const seed = new Uint8Array(32);
          new DataView(seed.buffer).setUint32(0, i + 1);
          return { publicKey: seed, stake: BigInt(i + 1) };
        });
        // stakingResult only reads the state: keys need not be curve points for this check
        const state = genesisStakingState(validators, { ...MAINNET_STAKING_PARAMS, minStake: 1n, maxValidators: 10_000 });
        const src = { state, params: { ...MAINNET_STAKING_PARAMS, minStake: 1n }, setStartHeight: 1n };
        const offset = offsetRaw % (n + 1);
        const page = stakingResult(src, { offset });
        expect(page.recordCount).toBe(n);
        expect(page.validators.length).toBe(Math.min(STAKING_RPC_LIMITS.records, n - offset));
        const keys = [...state.validators.keys()].sort();
        expect(page.validators.map((r) => r.publicKey)).toEqual(keys.slice(offset, offset + STAKING_RPC_LIMITS.records));
      }),
      { numRuns: 25 },
    );
  });
});
