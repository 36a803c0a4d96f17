// Worker-pool backpressure end to end (issue 6): a submit_tx flood over real JSON-RPC gets the
// typed NODE_BUSY error (-32013, data.code NODE_BUSY, action IGNORE) and the metric counts it;
// the same flood from a p2p peer gets the verdict IGNORE (never REJECT: not the peer's fault).
// Real node, real worker threads, real HTTP.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LoopbackHub, LoopbackNetwork, type NetworkHandlers, type Verdict } from "@baios/p2p";
import { startNode, type NodeHandle } from "../src/node.ts";
import { RpcError } from "@baios/api";
import { RPC_ERRORS } from "../src/rpc/errors.ts";
import { PREMINE_OUTPUTS, buildTx, testConfig, testGenesis, tmpDir } from "./helpers/fixture.ts";

type Genesis = Awaited<ReturnType<typeof testGenesis>>;

/** A loopback network that hands the test the node's handlers (to read their verdicts). */
class TapNetwork extends LoopbackNetwork {
  tapped: NetworkHandlers | undefined;
  override async start(h: NetworkHandlers): Promise<void> {
    this.tapped = h;
    await super.start(h);
  }
}

async function rejectedTotal(node: NodeHandle): Promise<number> {
  const m = await node.metrics.workerQueueRejected.get();
  return m.values.find((v) => v.labels["lane"] === "tx")?.value ?? 0;
}

describe("node: submit_tx flood against a bounded worker queue", () => {
  let genesis: Genesis;
  let txs: ReturnType<typeof buildTx>[];
  const nodes: NodeHandle[] = [];
  beforeAll(async () => {
    genesis = await testGenesis();
    txs = Array.from({ length: PREMINE_OUTPUTS }, (_, i) => buildTx(genesis, i));
  });
  afterAll(async () => {
    for (const n of nodes) await n.stop();
  });

  it("RPC: the excess gets -32013 NODE_BUSY (IGNORE), counted in baios_worker_queue_rejected_total; a retry later succeeds", async () => {
    const node = await startNode(testConfig(tmpDir(), { workers: 1, workerQueueMax: 1 }), { genesis, manualBlocks: true });
    nodes.push(node);
    const results = await Promise.allSettled(txs.map((t) => node.client.submitTx(t.bytes)));
    const busy = results.flatMap((r, i) => (r.status === "rejected" ? [{ i, e: r.reason as unknown }] : []));
    expect(busy.length).toBeGreaterThan(0);
    expect(results.some((r) => r.status === "fulfilled")).toBe(true);
    for (const { e } of busy) {
      expect(e).toBeInstanceOf(RpcError);
      const r = e as RpcError;
      expect(r.code).toBe(RPC_ERRORS.NODE_BUSY);
      expect(r.code).toBe(-32013);
      expect(r.message).toMatch(/busy, retry later/);
      expect(r.data).toMatchObject({ code: "NODE_BUSY", action: "IGNORE", lane: "tx" });
    }
    const counted = await rejectedTotal(node);
    expect(counted).toBeGreaterThan(0);
    // one refused range-proof batch can fail several txs; a refused MLSAG call fails one
    expect(counted).toBeLessThanOrEqual(busy.length);
    const text = await node.metrics.registry.metrics(); // the exposition GET /metrics serves
    expect(text).toMatch(new RegExp(`baios_worker_queue_rejected_total\\{lane="tx"\\} ${counted}\\b`));
    expect(text).toMatch(/baios_worker_queue_jobs\{lane="tx"\} 0\b/);
    // "retry later": one at a time, every refused tx is accepted
    for (const { i } of busy) await expect(node.client.submitTx(txs[i]!.bytes)).resolves.toMatchObject({ txid: expect.any(String) });
    expect(node.mempool.size).toBe(txs.length);
    expect((await node.client.status()).height).toBe(0);
  });

  it("p2p: a tx flood from a peer gets IGNORE for the refused ones, never REJECT", async () => {
    const hub = new LoopbackHub();
    const net = new TapNetwork(hub, "node");
    const node = await startNode(testConfig(tmpDir(), { workers: 1, workerQueueMax: 1, validator: false }), { genesis, network: net });
    nodes.push(node);
    const h = net.tapped;
    expect(h).toBeDefined();
    const verdicts: Verdict[] = await Promise.all(txs.map((t) => h!.onTx({ phase: "fluff", bytes: t.bytes }, "peer")));
    expect(verdicts).not.toContain("REJECT");
    expect(verdicts).toContain("IGNORE");
    expect(verdicts).toContain("ACCEPT");
    expect(verdicts.filter((v) => v === "ACCEPT")).toHaveLength(node.mempool.size);
    expect(await rejectedTotal(node)).toBeGreaterThan(0);
    expect(net.reports).toHaveLength(0);
  });
});
