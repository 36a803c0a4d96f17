/**
 * Pruning on a real node (issue 9; node/src/prune.ts, docs/pruning.md), with a genesis whose
 * windows are short (D = 5, W = 14, helpers/prune-genesis.ts):
 * (a) a NEW transaction whose ring members are premine outputs of genesis — whose body is pruned —
 *     verifies and is included, and a spend from a pruned block is still refused as a double spend;
 * (d) RPC below the tail answers PRUNED with the tail; headers, certificates and output counts
 *     stay; `status` shows mode and tail; the heads survive a restart and move on with the tip;
 *     start-up refuses a store whose heads disagree with its bodies (a half-applied step).
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { decodeCascade, decodeInclusionProof, fromHex, headerLeafHash, verifyInclusionProof } from "@baios/consensus";
import { Chain } from "../src/chain.ts";
import { Store } from "../src/store/store.ts";
import { blockKey } from "../src/store/keys.ts";
import { RPC_ERRORS } from "../src/client.ts";
import { startNode, type NodeHandle } from "../src/node.ts";
import { pruneWindowsFor, targetTails } from "../src/prune.ts";
import { buildTx, testConfig, tmpDir } from "./helpers/fixture.ts";
import { TEST_BODY_DEPTH, TEST_STATE_DEPTH, pruneTestGenesis } from "./helpers/prune-genesis.ts";

/** Every body and certificate below the tail gone with its `x`/`t`/`P` records, every one from the tail kept; headers from the state tail (and genesis), `g` kept. */
async function expectPrunedBelowTail(node: NodeHandle, prunedTxids: Uint8Array[]): Promise<void> {
  const s = node.chain.store;
  const { tail, stateTail } = s.heads;
  for (let h = 0; h <= node.chain.tip.height; h++) {
    expect((await s.getHeader(h)) !== undefined, `header ${h}`).toBe(h === 0 || h >= stateTail);
    expect((await s.getCertificate(h)) !== undefined, `certificate ${h}`).toBe(h === 0 || h >= tail);
    expect(await s.getCumulativeOutputs(h), `g ${h}`).toBeDefined();
    if (h < tail) {
      expect(await s.getBlock(h), `body ${h}`).toBeUndefined();
      expect(await s.getBlockTxids(h), `txids ${h}`).toBeUndefined();
    } else {
      expect(await s.getBlock(h), `body ${h}`).toBeDefined();
      expect(await s.getBlockTxids(h), `txids ${h}`).toBeDefined();
    }
    expect((await s.getSuperParents(h)) !== undefined, `U ${h}`).toBe(h >= stateTail);
    if (h > 0) expect((await s.getStaking(h)) !== undefined, `S ${h}`).toBe(h >= stateTail);
  }
  for (const id of prunedTxids) expect(await s.getTxLocation(id)).toBeUndefined();
}

describe("pruned node (issue 9)", () => {
  it("windows: D = unbondingDelay + epochLength, W = 3·(unbondingDelay + 1) + epochLength ≥ D; targets clip at 0", () => {
    expect(pruneWindowsFor({ unbondingDelay: 3n, epochLength: 2n })).toEqual({ bodyDepth: TEST_BODY_DEPTH, stateDepth: TEST_STATE_DEPTH, cascadeDepth: TEST_BODY_DEPTH });
    expect(pruneWindowsFor({ unbondingDelay: 8640n, epochLength: 360n })).toEqual({ bodyDepth: 9000, stateDepth: 26283, cascadeDepth: 9000 });
    expect(targetTails(3, { bodyDepth: 5, stateDepth: 14 })).toEqual({ tail: 0, stateTail: 0 });
    expect(targetTails(20, { bodyDepth: 5, stateDepth: 14 })).toEqual({ tail: 15, stateTail: 6 });
  });

  it("property: W ≥ D ≥ 1; targets satisfy stateTail ≤ tail ≤ tip and never move down as the tip grows", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 100_000n }), fc.bigInt({ min: 1n, max: 10_000n }), fc.nat(1_000_000), fc.nat(1000), (u, e, tip, step) => {
        const w = pruneWindowsFor({ unbondingDelay: u, epochLength: e });
        expect(w.bodyDepth).toBe(Number(u + e));
        expect(w.stateDepth).toBeGreaterThanOrEqual(w.bodyDepth);
        const a = targetTails(tip, w);
        const b = targetTails(tip + step, w);
        expect(a.stateTail).toBeLessThanOrEqual(a.tail);
        expect(a.tail).toBeLessThanOrEqual(tip);
        expect(b.tail).toBeGreaterThanOrEqual(a.tail);
        expect(b.stateTail).toBeGreaterThanOrEqual(a.stateTail);
      }),
    );
  });

  it("(a) a new tx over pruned-era ring members verifies and is included; (d) RPC below the tail answers PRUNED; heads survive a restart", async () => {
    const genesis = await pruneTestGenesis();
    const dir = tmpDir();
    const cfg = testConfig(dir, { mode: "pruned", workers: 0 });
    let node = await startNode(cfg, { genesis, manualBlocks: true });
    try {
      // spends of premine outputs 0..3 in blocks 1..4, then empty blocks up to height 20
      const early: ReturnType<typeof buildTx>[] = [];
      for (let i = 0; i < 20; i++) {
        if (i < 4) {
          const t = buildTx(genesis, i, { salt: i });
          await node.submitTx(t.bytes);
          early.push(t);
        }
        await node.produceBlock();
      }
      await node.pruner!.settled();
      const tip = node.chain.tip.height;
      expect(tip).toBe(20);
      expect(node.chain.store.heads).toEqual({ bodyHead: 20, tail: 20 - TEST_BODY_DEPTH, stateTail: 20 - TEST_STATE_DEPTH });
      await expectPrunedBelowTail(node, early.map((t) => t.txid));
      // key images of pruned blocks stay spent
      expect(await node.chain.store.areKeyImagesSpent(early.map((t) => t.keyImage))).toEqual([true, true, true, true]);

      // (a) ring of 11 premine outputs (genesis body pruned): verified against the kept output set, included
      const fresh = buildTx(genesis, 10, { salt: 7 });
      await node.submitTx(fresh.bytes);
      await node.produceBlock();
      expect((await node.chain.store.getTxLocation(fresh.txid))?.height).toBe(21);
      expect(await node.chain.store.areKeyImagesSpent([fresh.keyImage])).toEqual([true]);
      // a second spend of output 0, spent in block 1 whose body is gone: still a double spend
      await expect(node.submitTx(buildTx(genesis, 0, { salt: 9 }).bytes)).rejects.toMatchObject({ code: "TX_KEY_IMAGE_SPENT" });

      // (d) RPC: bodies below the tail → PRUNED with the tail; headers and certificates from 0
      await node.pruner!.settled();
      const tail = node.chain.store.tail;
      expect(tail).toBe(21 - TEST_BODY_DEPTH);
      await expect(node.client.getBlock({ height: 0 })).rejects.toMatchObject({ code: RPC_ERRORS.PRUNED, data: { code: "PRUNED", tail } });
      await expect(node.client.getBlock({ height: tail - 1 })).rejects.toMatchObject({ code: RPC_ERRORS.PRUNED, message: expect.stringContaining(`pruned below height ${tail}`) });
      await expect(node.client.getBlocksRange(0, 3)).rejects.toMatchObject({ code: RPC_ERRORS.PRUNED });
      await expect(node.client.getTx(early[0]!.txid)).rejects.toMatchObject({ code: RPC_ERRORS.NOT_FOUND });
      expect((await node.client.getBlock({ height: tail })).header.height).toBe(tail);
      expect((await node.client.getBlocksRange(tail)).blocks.length).toBe(21 - tail + 1);
      expect((await node.client.getHeader({ height: 0 })).height).toBe(0);
      const st = await node.client.status();
      expect(st.mode).toBe("pruned");
      expect(st.tail).toBe(tail);
      // headers below the state tail: PRUNED; the cascade (get_cascade) keeps old headers, and the
      // header MMR (kept whole) still proves them against a recent headerRoot when the caller names the hash
      const stateTail = node.chain.store.heads.stateTail;
      expect(stateTail).toBe(21 - TEST_STATE_DEPTH);
      await expect(node.client.getHeader({ height: 1 })).rejects.toMatchObject({ code: RPC_ERRORS.PRUNED, data: { code: "PRUNED", tail: stateTail } });
      const cas = await node.client.getCascade();
      expect(cas.height).toBe(21 - TEST_BODY_DEPTH);
      const dc = decodeCascade(fromHex(cas.cascade), { levels: cas.levels, perLevel: cas.perLevel, depth: BigInt(cas.depth) });
      expect([dc.size, cas.bytes, dc.tip!.header.height]).toEqual([cas.size, fromHex(cas.cascade).length, BigInt(cas.height)]);
      const old = dc.kept().find((k) => k.header.height >= 1n && k.header.height < BigInt(stateTail))!;
      const pr = await node.client.getHeaderProof(Number(old.header.height), undefined, old.hash);
      expect(verifyInclusionProof(fromHex(pr.root), BigInt(pr.leafCount), headerLeafHash(old.header.height, old.hash), decodeInclusionProof(fromHex(pr.proof))!)).toBe(true);
      await expect(node.client.getHeaderProof(Number(old.header.height))).rejects.toMatchObject({ code: RPC_ERRORS.PRUNED });
      await expect(node.client.getHeaderProof(Number(old.header.height), undefined, new Uint8Array(32).fill(7))).rejects.toMatchObject({ code: RPC_ERRORS.NOT_FOUND });

      // restart: the heads are verified and kept, then move with the tip
      const heads = { ...node.chain.store.heads };
      await node.stop();
      node = await startNode(cfg, { genesis, manualBlocks: true });
      expect(node.chain.store.heads).toEqual(heads);
      await node.produceBlock();
      await node.pruner!.settled();
      expect(node.chain.store.heads).toEqual({ bodyHead: 22, tail: 22 - TEST_BODY_DEPTH, stateTail: 22 - TEST_STATE_DEPTH });
      await expectPrunedBelowTail(node, early.map((t) => t.txid));

      // start-up refuses a half-applied pruning step: body at the tail missing, or one left below it
      const t = node.chain.store.tail;
      await node.stop();
      const store = await Store.open(join(dir, "chain"), { sync: false });
      try {
        const body = (await store.getBlock(t))!;
        await store.db.del(blockKey(t));
        await expect(Chain.open(store, genesis.block, genesis.certificate)).rejects.toThrow(`tail ${t}: block body missing`);
        await store.db.put(blockKey(t), body);
        await store.db.put(blockKey(t - 1), body);
        await expect(Chain.open(store, genesis.block, genesis.certificate)).rejects.toThrow(`tail ${t}: the body below the tail is still stored`);
        await store.db.del(blockKey(t - 1));
        await Chain.open(store, genesis.block, genesis.certificate);
      } finally {
        await store.close();
      }
    } finally {
      await node.stop();
    }
  }, 120_000);

  it("an archive node keeps every body (tail 0) and says so in status", async () => {
    const genesis = await pruneTestGenesis();
    const node = await startNode(testConfig(tmpDir(), { mode: "archive", workers: 0 }), { genesis, manualBlocks: true });
    try {
      for (let i = 0; i < 8; i++) await node.produceBlock();
      expect(node.pruner).toBeUndefined();
      expect(node.chain.store.heads).toEqual({ bodyHead: 8, tail: 0, stateTail: 0 });
      for (let h = 0; h <= 8; h++) expect(await node.chain.store.getBlock(h)).toBeDefined();
      const st = await node.client.status();
      expect([st.mode, st.tail]).toEqual(["archive", 0]);
      expect((await node.client.getBlocksRange(0)).blocks.length).toBe(9);
    } finally {
      await node.stop();
    }
  }, 60_000);
});
