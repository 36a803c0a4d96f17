// The light client against a real node over HTTP JSON-RPC (Node only): an in-process validator
// node (pruned mode, one validator, 8-block epochs) whose own bonds change the validator set twice; the client
// cold-starts from the genesis through `get_light_update`, then verifies a past header, an
// output's MMR proof, a spent and an unspent key image, the node's cascade (and a tampered one),
// and resumes from its file checkpoint; then, pruned past both set changes (node/src/prune.ts keeps
// their headers, certificates and staking records), a new client cold-starts from the genesis again.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startNode, type NodeHandle } from "../../../node/src/node.ts";
import { RPC_ERRORS } from "../../../node/src/client.ts";
import { fastSyncGenesis } from "../../../node/test/helpers/fast-sync-genesis.ts";
import { bondTx } from "../../../node/test/helpers/bond.ts";
import { VALIDATOR_SEED, buildTx, testConfig } from "../../../node/test/helpers/fixture.ts";
import type { NodeGenesis } from "../../../node/src/genesis.ts";
import { LightClient, type LightTransport } from "../src/client.ts";
import { isLightClientError } from "../src/errors.ts";
import { FileCheckpointStore } from "../src/node.ts";

/**
 * The test genesis (devnetGenesis) has the fabricated time 2026-01-01 and a 3 blocks × 1 000 ms
 * unbonding period (trusting period 2 000 ms): every client here opts out of the trusting period by
 * name (docs/light-client.md §2.3); the cold-start case first shows that the default refuses it.
 */
const OLD_GENESIS = { trustingPeriodMs: "off" } as const;

/** Counts calls per method and result bytes over a real transport. */
class Counting implements LightTransport {
  readonly calls: { method: string; params: Record<string, unknown>; bytes: number }[] = [];
  readonly inner: LightTransport;
  constructor(inner: LightTransport) {
    this.inner = inner;
  }
  async call<T>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    const r = await this.inner.call<T>(method, params);
    this.calls.push({ method, params, bytes: JSON.stringify(r).length });
    return r;
  }
  count(m: string): number {
    return this.calls.filter((c) => c.method === m).length;
  }
}

describe("light client against a real node (HTTP JSON-RPC)", () => {
  let dir: string;
  let node: NodeHandle;
  let genesis: NodeGenesis;
  let spentKeyImage: Uint8Array;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "baios-light-"));
    genesis = await fastSyncGenesis();
    node = await startNode(testConfig(join(dir, "node"), { mode: "pruned" }), { genesis, manualBlocks: true, cascadePerLevel: 4 });
    // bonds in blocks 3 and 11 raise the validator's stake: set changes at the epoch ends 7 and 15
    for (let i = 1; i <= 20; i++) {
      if (i === 3) await node.submitTx(bondTx(genesis, 20, 5n, VALIDATOR_SEED));
      else if (i === 11) await node.submitTx(bondTx(genesis, 21, 7n, VALIDATOR_SEED));
      else if (i === 5) {
        const tx = buildTx(genesis, 2);
        spentKeyImage = tx.keyImage;
        await node.submitTx(tx.bytes);
      }
      await node.produceBlock();
    }
  }, 240_000);
  afterAll(async () => {
    await node?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("cold start: follows both set changes to the tip, then proves a header, an output and key images; a checkpoint resumes", async () => {
    const t = new Counting(node.client);
    const store = new FileCheckpointStore(join(dir, "light-checkpoint.json"));
    // the node's cascade: 32 levels, K = 4, D = unbondingDelay 3 + epochLength 8 = 11
    const cascadeParams = { levels: 32, perLevel: 4, depth: 11n };
    const strict = await LightClient.open({ genesis: genesis.block.header, genesisValidators: genesis.validators, transport: t, chainParams: genesis.params });
    expect(strict.trustingPeriodMs).toBe(2000);
    expect(await strict.sync().then(() => "synced", (e: unknown) => (isLightClientError(e) ? e.code : String(e)))).toBe("TRUST_EXPIRED");
    expect(t.calls.length).toBe(0);
    const lc = await LightClient.open({ genesis: genesis.block.header, genesisValidators: genesis.validators, transport: t, store, cascadeParams, ...OLD_GENESIS });
    const r = await lc.sync();
    expect(r.to).toBe(BigInt(node.chain.tip.height));
    expect(r.setChanges).toBe(2);
    expect(r.steps).toBe(3);
    expect(t.count("get_light_update")).toBe(1);
    expect(Buffer.from(lc.head.hash).toString("hex")).toBe(Buffer.from(node.chain.tip.hash).toString("hex"));

    const h9 = await lc.header(9);
    expect(h9.height).toBe(9n);
    const out = await lc.output(30);
    expect(out.provenAt).toBe(lc.height);
    expect((await lc.keyImage(spentKeyImage)).spent).toBe(true);
    expect((await lc.keyImage(new Uint8Array(32).fill(9))).spent).toBe(false);
    const c = await lc.cascade();
    expect(c.tipHeight).toBe(20n - 11n);
    expect(c.work).toBeGreaterThan(0n);
    const tampered: LightTransport = {
      call: async <T>(method: string, params?: Record<string, unknown>): Promise<T> => {
        const r = await node.client.call<T>(method, params);
        if (method !== "get_cascade") return r;
        const x = r as unknown as { cascade: string };
        const at = 2 * (10 + 1 + 40); // a byte inside the newest kept header
        return { ...x, cascade: x.cascade.slice(0, at) + (x.cascade[at] === "0" ? "1" : "0") + x.cascade.slice(at + 1) } as T;
      },
    };
    const lcT = await LightClient.open({ genesis: genesis.block.header, genesisValidators: genesis.validators, transport: tampered, cascadeParams, ...OLD_GENESIS });
    await lcT.sync();
    expect(await lcT.cascade().then(() => "verified", (e: unknown) => (isLightClientError(e) ? e.code : String(e)))).toBe("BAD_CASCADE");

    // four more blocks: the returning client asks only from its checkpoint
    for (let i = 0; i < 4; i++) await node.produceBlock();
    const t2 = new Counting(node.client);
    const again = await LightClient.open({ genesis: genesis.block.header, genesisValidators: genesis.validators, transport: t2, store, ...OLD_GENESIS });
    expect(again.height).toBe(20n);
    const r2 = await again.sync();
    expect(r2.to).toBe(24n);
    expect(r2.steps).toBe(1);
    expect(t2.calls[0]?.params["from"]).toBe(20);
  });

  it("get_light_update params: from above the tip is NOT_FOUND, a malformed from INVALID_PARAMS, to at or below from answers no step", async () => {
    await expect(node.client.call("get_light_update", { from: 10_000 })).rejects.toMatchObject({ code: -32001 });
    await expect(node.client.call("get_light_update", { from: -1 })).rejects.toMatchObject({ code: -32602 });
    const r = await node.client.call<{ steps: unknown[]; complete: boolean; to: number }>("get_light_update", { from: 5, to: 3 });
    expect(r).toMatchObject({ steps: [], complete: true, to: 3 });
    const one = await node.client.call<{ steps: { nextValidators?: string }[] }>("get_light_update", { from: 0, to: 7 });
    expect(one.steps.length).toBe(1);
    expect(one.steps[0]?.nextValidators).toBeDefined();
  });

  it("a node answer that skips a set change is refused (SKIPPED_SET_CHANGE)", async () => {
    const liar: LightTransport = {
      call: async <T>(method: string, params?: Record<string, unknown>): Promise<T> => {
        const r = await node.client.call<T>(method, params);
        if (method !== "get_light_update") return r;
        const u = r as unknown as { steps: unknown[] };
        return { ...u, steps: u.steps.slice(1) } as T;
      },
    };
    const lc = await LightClient.open({ genesis: genesis.block.header, genesisValidators: genesis.validators, transport: liar, ...OLD_GENESIS });
    const e = await lc.sync().catch((x: unknown) => x);
    expect(isLightClientError(e, "SKIPPED_SET_CHANGE")).toBe(true);
    expect(lc.height).toBe(0n);
  });

  it("pruned past both set changes: the node keeps header, certificate and staking records at c − 1 and c only, and a cold start from the genesis still verifies to the tip", async () => {
    // W = 3·(unbondingDelay 3 + 1) + epochLength 8 = 20: tip 40 puts the state tail at 20, above the changes 7 and 15
    while (node.chain.tip.height < 40) await node.produceBlock();
    await node.pruner?.settled();
    const s = node.chain.store;
    expect(node.pruner).toBeDefined();
    expect(s.heads.stateTail).toBe(20);
    for (let h = 1; h < s.heads.stateTail; h++) {
      const change = h === 7 || h === 15;
      expect((await s.getHeader(h)) !== undefined, `header ${h}`).toBe(change);
      expect((await s.getCertificate(h)) !== undefined, `certificate ${h}`).toBe(change);
      expect((await s.getStaking(h)) !== undefined, `S ${h}`).toBe(change || h === 6 || h === 14);
      expect(await s.getSuperParents(h), `U ${h}`).toBeUndefined();
    }
    const t = new Counting(node.client);
    const lc = await LightClient.open({ genesis: genesis.block.header, genesisValidators: genesis.validators, transport: t, ...OLD_GENESIS });
    const r = await lc.sync();
    expect(r.to).toBe(40n);
    expect(r.setChanges).toBe(2);
    expect(Buffer.from(lc.head.hash).toString("hex")).toBe(Buffer.from(node.chain.tip.hash).toString("hex"));
    // a from between the changes, on a pruned height, still answers (the walk reads the kept S at 14)
    const mid = await node.client.call<{ steps: unknown[] }>("get_light_update", { from: 9 });
    expect(mid.steps.length).toBe(2);
    // a to on a pruned height that is no set change has no header: PRUNED
    await expect(node.client.call("get_light_update", { from: 0, to: 9 })).rejects.toMatchObject({ code: RPC_ERRORS.PRUNED, data: { code: "PRUNED" } });
  }, 240_000);
});
