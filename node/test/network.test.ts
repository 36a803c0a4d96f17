import { describe, expect, it } from "vitest";
import { LoopbackHub, LoopbackNetwork, type BlockMessage } from "@baios/p2p";
import { equalBytes } from "@baios/consensus";
import { startNode } from "../src/node.ts";
import { blockKey, certKey } from "../src/store/keys.ts";
import { buildTx, testConfig, testGenesis, tmpDir } from "./helpers/fixture.ts";

describe("network wiring (loopback)", () => {
  it("a follower imports the validator's blocks (validateBlock on its pool + certificate), txs are relayed, catch-up works", async () => {
    const genesis = await testGenesis();
    const hub = new LoopbackHub();
    const validator = await startNode(testConfig(tmpDir(), { workers: 1 }), { genesis, manualBlocks: true, network: new LoopbackNetwork(hub, "validator") });
    // serve finalized blocks for catch-up
    hub.served.set("validator", (from, count) => {
      const out: BlockMessage[] = [];
      for (let h = Number(from); h < Number(from) + count; h++) {
        const b = validator.chain.store.db.getSync(blockKey(h));
        const c = validator.chain.store.db.getSync(certKey(h));
        if (b !== undefined && c !== undefined) out.push({ block: b, certificate: c, round: 0 });
      }
      return out;
    });
    // two blocks before the follower exists: it must catch up
    await validator.produceBlock();
    await validator.produceBlock();
    const follower = await startNode(testConfig(tmpDir(), { validator: false, workers: 2 }), { genesis, network: new LoopbackNetwork(hub, "follower") });
    try {
      const t = buildTx(genesis, 3, { salt: 9 });
      await follower.client.submitTx(t.bytes); // relayed to the validator
      await new Promise((r) => setTimeout(r, 300));
      expect(validator.mempool.has(t.txid)).toBe(true);
      await validator.produceBlock();
      await new Promise((r) => setTimeout(r, 500));
      expect(follower.chain.tip.height).toBe(3);
      expect(equalBytes(follower.chain.tipHash, validator.chain.tipHash)).toBe(true);
      expect(equalBytes(await follower.chain.mmr.root(), await validator.chain.mmr.root())).toBe(true);
      expect(follower.mempool.size).toBe(0);
      expect((await follower.client.isKeyImageSpent([t.keyImage])).statuses).toEqual(["spent"]);
      // a block with another block's certificate is rejected; with its own it is imported
      const lone = await startNode(testConfig(tmpDir(), { validator: false, workers: 0 }), { genesis });
      try {
        const b1 = validator.chain.store.db.getSync(blockKey(1))!;
        const err = await lone.importBlock(b1, validator.chain.store.db.getSync(certKey(2))!).catch((e: unknown) => e);
        expect((err as { code?: string }).code).toBe("CERT_WRONG_BLOCK");
        expect(lone.chain.tip.height).toBe(0);
        await lone.importBlock(b1, validator.chain.store.db.getSync(certKey(1))!);
        expect(lone.chain.tip.height).toBe(1);
      } finally {
        await lone.stop();
      }
    } finally {
      await follower.stop();
      await validator.stop();
    }
  });
});
