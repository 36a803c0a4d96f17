import { describe, expect, it } from "vitest";
import { MemoryHub, MemoryP2P } from "@baios/p2p";
import type { DandelionParams } from "@baios/p2p/dandelion";
import { startNode, type NodeHandle } from "../src/node.ts";
import type { NodeDandelion } from "../src/net/dandelion.ts";
import { buildTx, testConfig, testGenesis, tmpDir } from "./helpers/fixture.ts";

const until = async (f: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> => {
  const t = Date.now() + ms;
  while (!(await f())) {
    if (Date.now() > t) throw new Error("timeout");
    await new Promise((r) => setTimeout(r, 10));
  }
};
const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");
const router = (n: NodeHandle): NodeDandelion => n.net!.router as NodeDandelion;
/** What a spy sees over a node's public RPC: get_mempool, get_tx, status.mempool. */
async function publicView(n: NodeHandle, txid: Uint8Array): Promise<{ inMempool: boolean; getTx: boolean; count: number }> {
  const m = await n.client.getMempool();
  const getTx = await n.client.getTx(hex(txid)).then(
    () => true,
    () => false,
  );
  const st = await n.client.status();
  return { inMempool: m.txs.some((t) => t.txid === hex(txid)), getTx, count: st.mempool.txs };
}

describe("Dandelion++ in the node (MemoryP2P)", () => {
  it("a stem tx stays out of the public RPC of its origin and relay until fluffed; a black-hole relay is covered by the embargo and the tx reaches every node", async () => {
    const genesis = await testGenesis();
    const hub = new MemoryHub();
    // A (origin) dials B; B dials S, a black hole that accepts stem txs and drops them.
    // q = 0: nobody fluffs by choice. A's embargo is long; B's is ~1.5 s mean.
    const sinkGot: Uint8Array[] = [];
    const sink = new MemoryP2P(hub, "sink");
    sink.registerProtocol({ name: "stem", maxRequestBytes: 1 << 16, maxResponseBytes: 0, handler: async (b) => (sinkGot.push(b), new Uint8Array(0)) });
    sink.registerTopic({ name: "tx", maxBytes: 1 << 16, validate: async () => "IGNORE" });
    await sink.start();
    const p = (embargo: number): Partial<DandelionParams> => ({ fluffProbability: 0, embargoMeanMs: embargo, embargoMaxMs: 3 * embargo });
    const v = await startNode(testConfig(tmpDir(), { workers: 0 }), { genesis, manualBlocks: true, p2p: new MemoryP2P(hub, "V"), syncIntervalMs: 0, dandelionParams: p(600_000) });
    const a = await startNode(testConfig(tmpDir(), { validator: false, workers: 0 }), { genesis, p2p: new MemoryP2P(hub, "A"), syncIntervalMs: 0, dandelionParams: p(600_000) });
    const b = await startNode(testConfig(tmpDir(), { validator: false, workers: 0 }), { genesis, p2p: new MemoryP2P(hub, "B"), syncIntervalMs: 0, dandelionParams: p(1500) });
    try {
      await b.net!.p2p.dial("/memory/sink");
      await a.net!.p2p.dial("/memory/B");
      await v.net!.p2p.dial("/memory/A"); // V only hears the fluff
      await until(() => router(a).router.epoch().relays.length > 0 || a.net!.p2p.peers().length === 2);
      const t = buildTx(genesis, 5, { salt: 11 });
      const t0 = Date.now();
      await a.client.submitTx(t.bytes);
      await until(() => sinkGot.length === 1); // A → B → S: B checked it and stemmed it to S
      expect(hex(sinkGot[0]!)).toBe(hex(t.bytes));
      expect(router(b).holds(t.txid)).toBe(true);
      // while it is stemmed, neither the origin nor the relay shows it
      for (const n of [a, b, v]) {
        if (Date.now() - t0 > 0 && router(b).fluffLog.length > 0) break; // the embargo already fired: nothing left to check
        expect(await publicView(n, t.txid)).toEqual({ inMempool: false, getTx: false, count: 0 });
        const metrics = await (await fetch(n.metricsUrl!, { headers: { authorization: `Bearer ${n.rpcToken}` } })).text();
        expect(metrics).toMatch(/^baios_mempool_txs 0$/m);
        expect(metrics).not.toMatch(/stempool/);
      }
      // B's embargo fires (S dropped it): fluffed by B, then in every node's mempool
      await until(async () => (await publicView(a, t.txid)).inMempool && (await publicView(b, t.txid)).inMempool && (await publicView(v, t.txid)).inMempool);
      expect(router(b).fluffLog.map((f) => [f.txid, f.reason])).toContainEqual([hex(t.txid), "embargo"]);
      expect(router(a).fluffLog.some((f) => f.txid === hex(t.txid))).toBe(false); // the origin never fluffed it
      expect(router(a).holds(t.txid)).toBe(false); // seen fluffed: left A's stempool
    } finally {
      await Promise.all([a.stop(), b.stop(), v.stop(), sink.stop()]);
    }
  }, 40_000);

  it("a node's own tx is never fluffed first, even when every node is in a fluff epoch (q = 1)", async () => {
    const genesis = await testGenesis();
    const hub = new MemoryHub();
    const q1: Partial<DandelionParams> = { fluffProbability: 1 };
    const v = await startNode(testConfig(tmpDir(), { workers: 0 }), { genesis, manualBlocks: true, p2p: new MemoryP2P(hub, "V"), syncIntervalMs: 0, dandelionParams: q1 });
    const a = await startNode(testConfig(tmpDir(), { validator: false, workers: 0 }), { genesis, p2p: new MemoryP2P(hub, "A"), syncIntervalMs: 0, dandelionParams: q1 });
    try {
      await a.net!.p2p.dial("/memory/V");
      for (let i = 0; i < 3; i++) {
        const t = buildTx(genesis, 6 + i, { salt: 20 + i });
        await a.client.submitTx(t.bytes);
        expect(await publicView(a, t.txid)).toMatchObject({ inMempool: false, getTx: false });
        await until(() => v.mempool.has(t.txid)); // V (a fluff node) fluffed it
        await until(() => a.mempool.has(t.txid)); // A gets it back by gossip, not before V
        expect(a.mempool.get(t.txid)!.receivedMs).toBeGreaterThanOrEqual(v.mempool.get(t.txid)!.receivedMs);
        expect(router(a).fluffLog.some((f) => f.txid === hex(t.txid))).toBe(false);
        expect(router(v).fluffLog).toContainEqual({ txid: hex(t.txid), reason: "fluff-mode", own: false });
      }
    } finally {
      await Promise.all([a.stop(), v.stop()]);
    }
  }, 30_000);
});
