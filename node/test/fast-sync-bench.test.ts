/**
 * Bootstrap time: fast sync (snapshot + headers + certificates, verified, written) against a full
 * replay (the normal header/block sync, every block validated and committed) of the same chain of
 * N blocks over MemoryP2P (docs/sync.md §7). N = `BAIOS_BENCH_FAST_SYNC_BLOCKS` (default 30 so the
 * suite stays quick; the figures in docs/sync.md were measured with larger N). Both nodes must end
 * at the source's tip; the times are printed, not asserted.
 */
import { describe, expect, it } from "vitest";
import { MemoryHub, MemoryP2P } from "@baios/p2p";
import { toHex } from "@baios/consensus";
import { startNode, type NodeHandle } from "../src/node.ts";
import { testConfig, tmpDir } from "./helpers/fixture.ts";
import { fastSyncGenesis, produceChain } from "./helpers/fast-sync-genesis.ts";

const N = Number(process.env.BAIOS_BENCH_FAST_SYNC_BLOCKS ?? 30);

async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timeout: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("fast sync vs full replay (bootstrap time)", () => {
  it(`chain of ${N} blocks: both end at the source's tip; times printed`, { timeout: 1_800_000 }, async () => {
    const genesis = await fastSyncGenesis();
    const dirA = tmpDir();
    const t0 = performance.now();
    await produceChain(dirA, genesis, N);
    const produced = performance.now() - t0;
    const hub = new MemoryHub();
    const nodes: NodeHandle[] = [];
    try {
      const a = await startNode(testConfig(dirA), { genesis, manualBlocks: true, p2p: new MemoryP2P(hub, "src") });
      nodes.push(a);
      const observer = { validator: false, validatorKey: undefined } as const;

      // full replay: a fresh node syncs every block from the source
      const r0 = performance.now();
      const c = await startNode(testConfig(tmpDir(), observer), { genesis, p2p: new MemoryP2P(hub, "replay"), syncIntervalMs: 100 });
      nodes.push(c);
      await c.net!.p2p.dial(`/memory/${a.net!.p2p.peerId}`);
      await until(() => c.chain.tip.height >= N, 1_500_000, "replay");
      const replay = performance.now() - r0;
      expect(toHex(c.chain.tipHash)).toBe(toHex(a.chain.tipHash));

      // fast sync: snapshot at the source's tip, then the node opens at H
      const f0 = performance.now();
      const fs = new MemoryP2P(hub, "bootstrap");
      const start = fs.start.bind(fs);
      fs.start = async () => {
        await start();
        await fs.dial(`/memory/${a.net!.p2p.peerId}`);
      };
      const b = await startNode(testConfig(tmpDir(), { ...observer, fastSync: true }), { genesis, fastSyncP2p: fs, p2p: new MemoryP2P(hub, "fast") });
      nodes.push(b);
      const fast = performance.now() - f0;
      expect(b.chain.tip.height).toBe(N);
      expect(toHex(b.chain.tipHash)).toBe(toHex(a.chain.tipHash));
      console.log(`fast-sync bench: N=${N} blocks (${a.chain.tip.outputs} outputs, ${a.chain.tip.keyImages} key images; produced in ${(produced / 1000).toFixed(1)} s): full replay ${replay.toFixed(0)} ms (${(replay / N).toFixed(1)} ms/block), fast sync ${fast.toFixed(0)} ms → ${(replay / fast).toFixed(1)}x`);
    } finally {
      for (const n of nodes.reverse()) await n.stop().catch(() => undefined);
    }
  });
});
