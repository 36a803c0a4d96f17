import { describe, expect, it } from "vitest";
import { MemoryHub, MemoryP2P } from "@baios/p2p";
import { equalBytes } from "@baios/consensus";
import { startNode } from "../src/node.ts";
import { encodePairs, encodeRange, encodeStatus } from "../src/net/wire.ts";
import { buildTx, testConfig, testGenesis, tmpDir } from "./helpers/fixture.ts";

const until = async (f: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> => {
  const t = Date.now() + ms;
  while (!(await f())) {
    if (Date.now() > t) throw new Error("timeout");
    await new Promise((r) => setTimeout(r, 25));
  }
};

describe("node on the P2P registry (MemoryP2P)", () => {
  it("a late node syncs by certified headers then blocks in bounded batches; fluffed txs reach the mempool; status shows peers and sync", async () => {
    const genesis = await testGenesis();
    const hub = new MemoryHub();
    const v = await startNode(testConfig(tmpDir(), { workers: 0 }), { genesis, manualBlocks: true, p2p: new MemoryP2P(hub, "validator"), syncIntervalMs: 0, catchUpBatch: 2 });
    for (let i = 0; i < 5; i++) await v.produceBlock();
    const f = await startNode(testConfig(tmpDir(), { validator: false, workers: 0 }), { genesis, p2p: new MemoryP2P(hub, "follower"), syncIntervalMs: 0, catchUpBatch: 2 });
    try {
      await f.net!.p2p.dial("/memory/validator");
      await until(() => f.chain.tip.height === 5);
      expect(equalBytes(f.chain.tipHash, v.chain.tipHash)).toBe(true);
      expect(f.net!.syncer.state.imported).toBe(5);
      // new blocks arrive by gossip
      await v.produceBlock();
      await until(() => f.chain.tip.height === 6);
      // a tx submitted at the follower is stemmed (Dandelion++): not in the follower's public
      // mempool; the validator has no outbound relay, so it fluffs it; then every mempool has it
      const t = buildTx(genesis, 3, { salt: 4 });
      await f.client.submitTx(t.bytes);
      expect(f.mempool.has(t.txid)).toBe(false);
      expect((await f.client.getMempool()).txs.length).toBe(0);
      await until(() => v.mempool.has(t.txid));
      await until(() => f.mempool.has(t.txid));
      const st = await f.client.status();
      expect(st.network?.peerCount).toBe(1);
      expect(st.network?.peers[0]?.id).toBe("validator");
      expect(st.network?.sync.state).toBe("synced");
      // a malformed range request is refused with a typed error
      await expect(f.net!.p2p.request("validator", "blocks", encodeRange(1, 1000))).rejects.toMatchObject({ code: "REMOTE_ERROR", remoteCode: "BAD_REQUEST" });
    } finally {
      await f.stop();
      await v.stop();
    }
  });
});

describe("sync penalises a peer that serves bad data", () => {
  it("forged headers (a certificate for another block) → REJECT reported, the round goes on with an honest peer", async () => {
    const genesis = await testGenesis();
    const hub = new MemoryHub();
    const v = await startNode(testConfig(tmpDir(), { workers: 0 }), { genesis, manualBlocks: true, p2p: new MemoryP2P(hub, "validator"), syncIntervalMs: 0 });
    for (let i = 0; i < 3; i++) await v.produceBlock();
    // a liar claims height 50 and serves the validator's headers with the certificates shifted by one
    const liar = new MemoryP2P(hub, "liar");
    liar.registerProtocol({ name: "status", maxRequestBytes: 0, maxResponseBytes: 40, handler: async () => encodeStatus(50, new Uint8Array(32)) });
    liar.registerProtocol({
      name: "headers",
      maxRequestBytes: 12,
      maxResponseBytes: 1 << 20,
      handler: async () => encodePairs([[(await v.chain.store.getHeader(1))!, (await v.chain.store.getCertificate(2))!]]),
    });
    liar.registerProtocol({ name: "blocks", maxRequestBytes: 12, maxResponseBytes: 1 << 20, handler: async () => encodePairs([]) });
    await liar.start();
    const f = await startNode(testConfig(tmpDir(), { validator: false, workers: 0 }), { genesis, p2p: new MemoryP2P(hub, "follower"), syncIntervalMs: 0 });
    try {
      await f.net!.p2p.dial("/memory/liar");
      await f.net!.p2p.dial("/memory/validator");
      await until(() => f.chain.tip.height === 3 && f.net!.syncer.state.penalties > 0);
      await f.net!.syncer.settled();
      expect(f.net!.p2p.peers().find((p) => p.id === "liar")?.score ?? -Infinity).toBeLessThan(0);
      expect(f.net!.p2p.peers().find((p) => p.id === "validator")?.score).toBe(0);
      expect(f.net!.syncer.state.lastError).toMatch(/stopped at 3 of 50/);
      expect(f.net!.syncer.state.state).toBe("behind");
    } finally {
      await f.stop();
      await v.stop();
      await liar.stop();
    }
  });
});
