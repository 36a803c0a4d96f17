/**
 * A fast-synced node keeps the set chain it verified and serves it (docs/sync.md §4, docs/pruning.md
 * §Light-client records): archive validator A produces 40 blocks with a bond (a set change at an
 * epoch boundary); B fast-syncs from A (`--fast-sync`), follows A to 56 (a second bond: another set
 * change, above B's snapshot); A stops; C fast-syncs from B only — its set chain from genesis comes
 * from B's kept records (below B's snapshot) and B's own staking records (above) — and ends at B's
 * tip with the same roots. `get_light_update { from: 0 }` on B and on C equals A's answer field for
 * field (the same JSON), and its steps verify from genesis (the light client's step check).
 */
import { describe, expect, it } from "vitest";
import { MemoryHub, MemoryP2P } from "@baios/p2p";
import { equalBytes, stakingStateHash, toHex } from "@baios/consensus";
import { startNode, type NodeHandle } from "../src/node.ts";
import { getLightUpdate } from "../src/rpc/light.ts";
import { setChangeCover } from "../src/store/set-change-records.ts";
import { genesisSetChainHead, verifySetChainSteps } from "../src/sync/set-chain.ts";
import { bondTx } from "./helpers/bond.ts";
import { VALIDATOR_SEED, testConfig, tmpDir } from "./helpers/fixture.ts";
import { fastSyncGenesis, produceChain } from "./helpers/fast-sync-genesis.ts";

async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timeout: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A MemoryP2P that dials `peer` when started (the fast-sync bootstrap transport). */
function dialing(hub: MemoryHub, name: string, peer: string): MemoryP2P {
  const p = new MemoryP2P(hub, name);
  const start = p.start.bind(p);
  p.start = async () => {
    await start();
    await p.dial(`/memory/${peer}`);
  };
  return p;
}

describe("a fast-synced node serves the set chain from genesis (docs/sync.md §4)", () => {
  it("A archive → B fast-syncs from A → C fast-syncs from B only; get_light_update from 0 on B and C equals A's", { timeout: 240_000 }, async () => {
    const genesis = await fastSyncGenesis();
    const K = 4;
    const hub = new MemoryHub();
    const nodes: NodeHandle[] = [];
    try {
      const dirA = tmpDir();
      await produceChain(dirA, genesis, 40, { cascadePerLevel: K, config: { mode: "archive" } });
      const a = await startNode(testConfig(dirA, { mode: "archive" }), { genesis, manualBlocks: true, p2p: new MemoryP2P(hub, "a"), cascadePerLevel: K });
      nodes.push(a);
      const follower = { validator: false, validatorKey: undefined, fastSync: true, mode: "pruned" as const };

      // B: fast sync from A at 40 (window 30 ..= 40; the bond's set change is below it)
      const b = await startNode(testConfig(tmpDir(), follower), { genesis, fastSyncP2p: dialing(hub, "b-boot", a.net!.p2p.peerId), p2p: new MemoryP2P(hub, "b"), syncIntervalMs: 200, cascadePerLevel: K });
      nodes.push(b);
      expect(b.chain.tip.height).toBe(40);
      expect(await setChangeCover(b.chain.store)).toBe(40);
      const changesA = async (to: number) => (await Promise.all(Array.from({ length: to }, (_, h) => a.chain.header(h + 1)))).filter((h) => !equalBytes(h!.validatorsHash, h!.nextValidatorsHash)).map((h) => Number(h!.height));
      const first = await changesA(40);
      expect(first.length).toBeGreaterThanOrEqual(1);
      expect(first[0]!).toBeLessThan(40 - 11); // below B's window: B never had its header from a block or the snapshot's window
      expect(await b.chain.store.getStaking(first[0]! - 1)).toBeUndefined(); // nor any staking record there

      // A goes on to 56 with a second bond (another set change, above B's snapshot); B follows
      await b.net!.p2p.dial(`/memory/${a.net!.p2p.peerId}`);
      await a.submitTx(bondTx(genesis, 21, 5n, VALIDATOR_SEED));
      for (let i = 0; i < 16; i++) await a.produceBlock();
      await until(() => b.chain.tip.height >= 56, 60_000, "b follows a");
      await b.pruner?.settled();
      const changes = await changesA(56);
      expect(changes.filter((c) => c > 40).length).toBeGreaterThanOrEqual(1);
      const fromA = await getLightUpdate(a.chain, { from: 0, to: 56 });
      expect(fromA.steps.filter((s) => s.nextValidators !== undefined).length).toBe(changes.length);
      const roots = (n: NodeHandle) => ({ tip: toHex(n.chain.tipHash), outputRoot: toHex(n.chain.tipHeader.outputRoot), keyImageRoot: toHex(n.chain.tipHeader.keyImageRoot), staking: toHex(stakingStateHash(n.consensus.executor.stakingState)) });
      const rootsA = roots(a);
      const fromChangesA = await Promise.all(changes.map(async (ch) => JSON.stringify(await getLightUpdate(a.chain, { from: ch, to: 56 }))));
      await a.stop();
      nodes.splice(nodes.indexOf(a), 1);

      // C: fast sync from B only (A is gone): B's snapshot at 56, the set chain (0, 46] from B
      const c = await startNode(testConfig(tmpDir(), follower), { genesis, fastSyncP2p: dialing(hub, "c-boot", b.net!.p2p.peerId), p2p: new MemoryP2P(hub, "c"), cascadePerLevel: K });
      nodes.push(c);
      expect(c.chain.tip.height).toBe(56);
      expect(roots(c)).toEqual(rootsA);
      expect(roots(b)).toEqual(rootsA);
      expect(toHex(await c.chain.headerRoot())).toBe(toHex(await b.chain.headerRoot()));

      // get_light_update from genesis: B and C answer exactly as A did, and it verifies from genesis
      const fromB = await getLightUpdate(b.chain, { from: 0, to: 56 });
      const fromC = await getLightUpdate(c.chain, { from: 0, to: 56 });
      expect(JSON.stringify(fromB)).toBe(JSON.stringify(fromA));
      expect(JSON.stringify(fromC)).toBe(JSON.stringify(fromA));
      const head = verifySetChainSteps(genesisSetChainHead(genesis.block.header, genesis.validators), fromC.steps, genesis.params.chainId);
      expect(toHex(head.hash)).toBe(rootsA.tip);
      // and from each set change (a light client that resumes there)
      for (const [k, ch] of changes.entries()) {
        expect(JSON.stringify(await getLightUpdate(b.chain, { from: ch, to: 56 }))).toBe(fromChangesA[k]);
        expect(JSON.stringify(await getLightUpdate(c.chain, { from: ch, to: 56 }))).toBe(fromChangesA[k]);
      }
    } finally {
      for (const n of nodes.reverse()) await n.stop().catch(() => undefined);
    }
  });
});
