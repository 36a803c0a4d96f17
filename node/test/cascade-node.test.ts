/**
 * The node's cascade (node/src/cascade-store.ts, docs/cascade.md §6, docs/pruning.md §Headers and
 * the cascade), on a devnet genesis with D = 5, W = 14 and a small K so that levels fill:
 * - archive and pruned nodes keep the same cascade, always at tip − D, equal to a cascade built
 *   from scratch over the archive node's headers 0 … tip − D;
 * - the pruned node's header store is bounded: headers kept = W + 1 (+ genesis), certificates
 *   D + 1 (+ genesis), cascade ≤ levels × K — measured along the chain (printed);
 * - restart reloads the same cascade; an archive store without cascade records rebuilds it; a
 *   pruned one (headers gone) is refused; corrupted records or a tip not at tip − D are refused;
 * - with `--prune-depth` below D, certificates are kept with the headers (W): snapshots still build;
 * - RPC `get_cascade` answers the stored bytes, which `decodeCascade` accepts.
 */
import { describe, expect, it } from "vitest";
import { join } from "node:path";
import { Cascade, decodeCascade, encodeCascade, fromHex, toHex } from "@baios/consensus";
import { Chain } from "../src/chain.ts";
import { Store } from "../src/store/store.ts";
import { cascadeKey, metaKey, u64be } from "../src/store/keys.ts";
import { nodeCascadeParams } from "../src/cascade-store.ts";
import { startNode, type NodeHandle } from "../src/node.ts";
import { SnapshotServer } from "../src/sync/snapshot-protocol.ts";
import { testConfig, tmpDir } from "./helpers/fixture.ts";
import { TEST_BODY_DEPTH, TEST_STATE_DEPTH, pruneTestGenesis } from "./helpers/prune-genesis.ts";

const K = Number(process.env["BAIOS_CASCADE_TEST_K"] ?? 4);
const BLOCKS = Number(process.env["BAIOS_CASCADE_TEST_BLOCKS"] ?? 160);

async function countPrefix(store: Store, prefix: string): Promise<number> {
  const p = prefix.charCodeAt(0);
  let n = 0;
  for await (const _ of store.db.keys({ gte: Uint8Array.of(p), lt: Uint8Array.of(p + 1) })) n++;
  return n;
}

describe("node cascade (issue 9)", () => {
  it(`archive and pruned nodes keep the same cascade at tip − D; the pruned header store stays bounded over ${BLOCKS} blocks; restart, rebuild and refusal`, { timeout: 300_000 }, async () => {
    const genesis = await pruneTestGenesis({ blockTimeMs: 10 });
    const params = nodeCascadeParams(genesis.params, K);
    expect(Number(params.depth)).toBe(TEST_BODY_DEPTH);
    const dirA = tmpDir();
    const dirP = tmpDir();
    let archive: NodeHandle | undefined = await startNode(testConfig(dirA, { mode: "archive" }), { genesis, manualBlocks: true, cascadePerLevel: K });
    let pruned: NodeHandle | undefined = await startNode(testConfig(dirP, { mode: "pruned" }), { genesis, manualBlocks: true, cascadePerLevel: K });
    // --prune-depth below D: bodies go at depth 2, certificates then go with the headers (W), so it can still serve a snapshot
    let shallow: NodeHandle | undefined = await startNode(testConfig(tmpDir(), { mode: "pruned", pruneDepth: 2 }), { genesis, manualBlocks: true, cascadePerLevel: K });
    try {
      const rows: string[] = [];
      for (let i = 1; i <= BLOCKS; i++) {
        await archive.produceBlock();
        // the pruned node imports the archive's block (full validation), then prunes
        const h = archive.chain.tip.height;
        await pruned.importBlock((await archive.chain.store.getBlock(h))!, (await archive.chain.store.getCertificate(h))!);
        await shallow.importBlock((await archive.chain.store.getBlock(h))!, (await archive.chain.store.getCertificate(h))!);
        expect(archive.chain.cascade!.tipHeight).toBe(Math.max(-1, h - TEST_BODY_DEPTH));
        if (i % Math.max(40, Math.floor(BLOCKS / 8)) === 0 || i === BLOCKS) {
          await pruned.pruner!.settled();
          const c = pruned.chain.cascade!.cascade;
          const s = pruned.chain.store;
          const [hs, cs, cc] = [await countPrefix(s, "h"), await countPrefix(s, "c"), await countPrefix(s, "C")];
          expect(hs).toBe(TEST_STATE_DEPTH + 2); // tip − W … tip, and genesis
          expect(cs).toBe(TEST_BODY_DEPTH + 2); // tip − D … tip, and genesis
          expect(cc).toBe(c.size);
          expect(c.size).toBeLessThanOrEqual(params.levels * K);
          expect(toHex(pruned.chain.cascade!.bytes())).toBe(toHex(archive.chain.cascade!.bytes()));
          await shallow.pruner!.settled();
          expect([shallow.chain.store.tail, await countPrefix(shallow.chain.store, "b"), await countPrefix(shallow.chain.store, "c")]).toEqual([h - 2, 3, TEST_STATE_DEPTH + 2]);
          expect((await new SnapshotServer(shallow.chain).latest()).height).toBe(BigInt(h));
          rows.push(`${h + 1} blocks: archive h ${await countPrefix(archive.chain.store, "h")}, pruned h ${hs} + c ${cs} + cascade ${c.size} (levels ${c.levelSizes().filter((n) => n > 0).join("/")}, ${pruned.chain.cascade!.bytes().length} B)`);
        }
      }
      console.log(`node cascade, D = ${TEST_BODY_DEPTH}, W = ${TEST_STATE_DEPTH}, K = ${K}:\n  ${rows.join("\n  ")}`);

      // the same cascade as one built from scratch over the archive's headers 0 … tip − D
      const fresh = new Cascade(params);
      for (let h = 0; h <= archive.chain.tip.height - TEST_BODY_DEPTH; h++) fresh.add((await archive.chain.header(h))!);
      expect(toHex(archive.chain.cascade!.bytes())).toBe(toHex(encodeCascade(fresh)));
      // RPC get_cascade: the stored bytes, accepted by decodeCascade
      const r = await pruned.client.getCascade();
      expect(r.height).toBe(pruned.chain.tip.height - TEST_BODY_DEPTH);
      expect([r.levels, r.perLevel, r.depth, r.size, r.levelSizes.reduce((a, b) => a + b, 0)]).toEqual([32, K, TEST_BODY_DEPTH, fresh.size, fresh.size]);
      expect(toHex(encodeCascade(decodeCascade(fromHex(r.cascade), params)))).toBe(toHex(encodeCascade(fresh)));
      expect(BigInt(r.work)).toBe(fresh.work());

      // restart: the same cascade is loaded and checked
      const want = toHex(archive.chain.cascade!.bytes());
      await archive.stop();
      await pruned.stop();
      await shallow.stop();
      archive = undefined;
      pruned = undefined;
      shallow = undefined;
      const reopen = async (dir: string): Promise<{ store: Store; chain: Promise<Chain> }> => {
        const store = await Store.open(join(dir, "chain"), { sync: false });
        return { store, chain: Chain.open(store, genesis.block, genesis.certificate, { cascade: params }) };
      };
      {
        const { store, chain } = await reopen(dirA);
        expect(toHex((await chain).cascade!.bytes())).toBe(want);
        // an archive store without cascade records (written before the cascade) rebuilds it from its headers
        const del = [];
        for await (const k of store.db.keys({ gte: Uint8Array.of(0x43), lt: Uint8Array.of(0x44) })) del.push({ type: "del" as const, key: k });
        await store.db.batch([...del, { type: "del", key: metaKey("cascade") }]);
        await store.close();
      }
      {
        const { store, chain } = await reopen(dirA);
        expect(toHex((await chain).cascade!.bytes())).toBe(want);
        // a record whose level byte is changed fails decodeCascade; a tip not at tip − D is refused
        const top = (await chain).cascade!.tipHeight;
        const rec = (await store.db.get(cascadeKey(top)))!.slice();
        rec[0] = 1;
        await store.db.put(cascadeKey(top), rec);
        await expect(Chain.open(store, genesis.block, genesis.certificate, { cascade: params })).rejects.toThrow(/cascade records do not decode/);
        rec[0] = 0;
        await store.db.put(cascadeKey(top), rec);
        await store.db.put(metaKey("cascade"), u64be(top - 1));
        await expect(Chain.open(store, genesis.block, genesis.certificate, { cascade: params })).rejects.toThrow(/meta tip/);
        await store.close();
      }
      {
        // a pruned store without its cascade cannot rebuild it: its old headers are gone
        const { store } = await reopen(dirP).then(async (x) => {
          await x.chain;
          return x;
        });
        const del = [];
        for await (const k of store.db.keys({ gte: Uint8Array.of(0x43), lt: Uint8Array.of(0x44) })) del.push({ type: "del" as const, key: k });
        await store.db.batch([...del, { type: "del", key: metaKey("cascade") }]);
        await expect(Chain.open(store, genesis.block, genesis.certificate, { cascade: params })).rejects.toThrow(/cannot rebuild the cascade/);
        await store.close();
      }
    } finally {
      await archive?.stop();
      await pruned?.stop();
      await shallow?.stop();
    }
  });
});
