/**
 * (b) An archive node and a pruned node on the same chain agree (issue 9): a pruned follower
 * syncs from an archive validator over MemoryP2P (D = 5, helpers/prune-genesis.ts) and holds the
 * same tip hash, outputRoot, keyImageRoot, output-MMR root, key-image set root and staking state,
 * in a smaller store. (d, p2p) The pruned node answers `blocks` below its tail with NOT_FOUND
 * "pruned below height T", still serves headers, and advertises its tail in `status`; a new node
 * that only knows the pruned peer cannot get old bodies and says so, and syncs once it meets the
 * archive node.
 */
import { describe, expect, it } from "vitest";
import { MemoryHub, MemoryP2P } from "@baios/p2p";
import { encodeStakingState, equalBytes, kisetRoot, toHex } from "@baios/consensus";
import { startNode, type NodeHandle } from "../src/node.ts";
import { storeBytes } from "../src/prune.ts";
import { decodePairs, decodeStatus, encodeRange } from "../src/net/wire.ts";
import { buildTx, testConfig, tmpDir } from "./helpers/fixture.ts";
import { TEST_BODY_DEPTH, pruneTestGenesis } from "./helpers/prune-genesis.ts";

const until = async (f: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> => {
  const t = Date.now() + ms;
  while (!(await f())) {
    if (Date.now() > t) throw new Error("timeout");
    await new Promise((r) => setTimeout(r, 25));
  }
};

/** The state a node commits to: tip hash, header roots, recomputed MMR and key-image set roots, staking state bytes. */
async function stateOf(n: NodeHandle): Promise<Record<string, string>> {
  const h = n.chain.tipHeader;
  return {
    tip: toHex(n.chain.tipHash),
    outputRoot: toHex(h.outputRoot),
    keyImageRoot: toHex(h.keyImageRoot),
    mmrRoot: toHex(await n.chain.mmr.root()),
    kisetRoot: toHex(await kisetRoot(n.chain.kiset)),
    staking: toHex(encodeStakingState(n.consensus.executor.stakingState)),
  };
}

describe("archive and pruned nodes agree (issue 9)", () => {
  it("same tip, outputRoot, keyImageRoot, MMR/kiset roots and staking state; pruned store smaller; p2p serving below the tail is typed; sync goes to the archive node", async () => {
    const genesis = await pruneTestGenesis();
    const hub = new MemoryHub();
    const archive = await startNode(testConfig(tmpDir(), { mode: "archive", workers: 0 }), { genesis, manualBlocks: true, p2p: new MemoryP2P(hub, "archive"), syncIntervalMs: 0, dandelion: false });
    const nodes: NodeHandle[] = [archive];
    try {
      // 24 blocks, spends of premine outputs 0..7 in blocks 1..8
      for (let i = 0; i < 24; i++) {
        if (i < 8) await archive.submitTx(buildTx(genesis, i, { salt: i }).bytes);
        await archive.produceBlock();
        expect(archive.mempool.size).toBe(0);
      }
      const pruned = await startNode(testConfig(tmpDir(), { mode: "pruned", validator: false, workers: 0 }), { genesis, p2p: new MemoryP2P(hub, "pruned"), syncIntervalMs: 0, dandelion: false });
      nodes.push(pruned);
      await pruned.net!.p2p.dial("/memory/archive");
      await until(() => pruned.chain.tip.height === 24);
      await pruned.pruner!.settled();
      expect(pruned.chain.store.tail).toBe(24 - TEST_BODY_DEPTH);
      expect(await stateOf(pruned)).toEqual(await stateOf(archive));

      // new blocks by gossip: still equal, the tail follows
      await archive.submitTx(buildTx(genesis, 12, { salt: 3 }).bytes);
      await archive.produceBlock();
      await archive.produceBlock();
      await until(() => pruned.chain.tip.height === 26);
      await pruned.pruner!.settled();
      expect(pruned.chain.store.tail).toBe(26 - TEST_BODY_DEPTH);
      expect(await stateOf(pruned)).toEqual(await stateOf(archive));

      const a = await storeBytes(archive.chain.store);
      const p = await storeBytes(pruned.chain.store);
      expect(p.total).toBeLessThan(a.total);
      expect(p.byPrefix["b"]!).toBeLessThan(a.byPrefix["b"]!);
      // what verification needs is the same on both
      for (const k of ["o", "O", "k", "K", "n", "m", "g", "C"]) expect(p.byPrefix[k], `prefix ${k}`).toBe(a.byPrefix[k]);
      // headers and certificates are bounded on the pruned node: the cascade (same bytes) + the recent windows
      expect(p.byPrefix["h"]!).toBeLessThan(a.byPrefix["h"]!);
      expect(p.byPrefix["c"]!).toBeLessThan(a.byPrefix["c"]!);
      expect(toHex(pruned.chain.cascade!.bytes())).toBe(toHex(archive.chain.cascade!.bytes()));

      // p2p: status carries the tail; blocks below it are refused with a reason; headers are served from 1
      const tail = pruned.chain.store.tail;
      const st = decodeStatus(await archive.net!.p2p.request("pruned", "status", new Uint8Array(0)));
      expect([st.height, st.tail]).toEqual([26, tail]);
      await expect(archive.net!.p2p.request("pruned", "blocks", encodeRange(1, 4))).rejects.toMatchObject({ code: "REMOTE_ERROR", remoteCode: "NOT_FOUND", message: expect.stringContaining(`pruned below height ${tail}`) });
      await expect(archive.net!.p2p.request("pruned", "headers", encodeRange(1, 4))).rejects.toMatchObject({ remoteCode: "NOT_FOUND", message: expect.stringContaining(`pruned below height ${tail}`) });
      expect(decodePairs(await archive.net!.p2p.request("pruned", "headers", encodeRange(tail, 4)), 4).length).toBe(4);
      expect(decodePairs(await archive.net!.p2p.request("pruned", "blocks", encodeRange(tail, 2)), 2).length).toBe(2);

      // a fresh node that only meets the pruned peer cannot get bodies below its tail
      const late = await startNode(testConfig(tmpDir(), { mode: "pruned", validator: false, workers: 0 }), { genesis, p2p: new MemoryP2P(hub, "late"), syncIntervalMs: 0, dandelion: false });
      nodes.push(late);
      await late.net!.p2p.dial("/memory/pruned");
      await until(() => late.net!.syncer.state.lastError !== undefined);
      expect(late.chain.tip.height).toBe(0);
      expect(late.net!.syncer.state.lastError).toContain("archive node");
      // … and syncs once it knows an archive node: bodies from the archive, whoever serves headers
      await late.net!.p2p.dial("/memory/archive");
      // the late node's sync may import past 26 in one batch when another block is final by then: wait for the archive's tip, whatever its height
      await until(() => late.chain.tip.height >= 26 && equalBytes(late.chain.tipHash, archive.chain.tipHash));
      await late.pruner!.settled();
      expect(equalBytes(late.chain.tipHash, archive.chain.tipHash)).toBe(true);
      expect(await stateOf(late)).toEqual(await stateOf(archive));
    } finally {
      for (const n of nodes.reverse()) await n.stop();
    }
  }, 180_000);
});
