/**
 * Issue 9 on a real node (LevelDB store, executor, miner): the tip header's commitments to the
 * past follow the chain — `keyImageRoot` is the root of every spent key image, `headerRoot` the
 * MMR of every earlier block hash, `superParentsRoot` the pointers after the parent — they
 * survive a restart, and the `get_key_image_proof` / `get_header_proof` RPC answers verify
 * against the tip header and fail when tampered.
 */
import { describe, expect, it } from "vitest";
import {
  KISET_EMPTY,
  MemoryMmrBackend,
  Mmr,
  blockHash,
  decodeInclusionProof,
  decodeKisetProof,
  emptySuperParents,
  equalBytes,
  fromHex,
  headerLeafHash,
  isConsensusError,
  kisetRootOfKeyImages,
  nextSuperParents,
  superParentsRoot,
  toHex,
  verifyInclusionProof,
  verifyKeyImageProof,
  type BlockHeader,
} from "@baios/consensus";
import { startNode, type NodeHandle } from "../src/node.ts";
import { buildTx, testConfig, testGenesis, tmpDir } from "./helpers/fixture.ts";

/** Whether `f` throws a ConsensusError (a tampered key-image proof is refused, not answered). */
function refuses(f: () => unknown): boolean {
  try {
    f();
    return false;
  } catch (e) {
    return isConsensusError(e);
  }
}

async function headersOf(node: NodeHandle): Promise<BlockHeader[]> {
  const out: BlockHeader[] = [];
  for (let h = 0; h <= node.chain.tip.height; h++) out.push((await node.chain.header(h))!);
  return out;
}

describe("header roots on a node (issue 9)", () => {
  it("after blocks with spends: keyImageRoot = root of all spent key images, headerRoot = MMR of all earlier hashes; RPC proofs verify and fail when tampered; state survives a restart", async () => {
    const genesis = await testGenesis();
    const dir = tmpDir();
    let node = await startNode(testConfig(dir, { workers: 0 }), { genesis, manualBlocks: true });
    const spent: Uint8Array[] = [];
    try {
      expect(equalBytes(node.chain.tipHeader.keyImageRoot, KISET_EMPTY)).toBe(true);
      // block 1: two spends, block 2: none, block 3: one spend, block 4: none
      for (const inputs of [[0, 3], [], [7], []]) {
        for (const i of inputs) {
          const t = buildTx(genesis, i);
          await node.submitTx(t.bytes);
          spent.push(t.keyImage);
        }
        await node.produceBlock();
        expect(node.mempool.size).toBe(0);
      }
      expect(node.chain.tip.height).toBe(4);
      const tip = node.chain.tipHeader;
      expect(toHex(tip.keyImageRoot)).toBe(toHex(kisetRootOfKeyImages(spent)));
      const headers = await headersOf(node);
      const m = new Mmr(new MemoryMmrBackend());
      await m.append(headers.slice(0, -1).map((h) => headerLeafHash(h.height, blockHash(h))));
      expect(toHex(tip.headerRoot)).toBe(toHex(await m.root()));
      let sp = emptySuperParents();
      for (const h of headers.slice(0, -1)) sp = nextSuperParents(sp, h);
      expect(toHex(tip.superParentsRoot)).toBe(toHex(superParentsRoot(sp)));

      // key-image proofs: membership for each spent one, non-membership for an unspent one
      const rpc = node.client;
      for (const ki of spent) {
        const r = await rpc.getKeyImageProof(ki);
        expect(r.height).toBe(4);
        expect(r.spent).toBe(true);
        expect(r.keyImageRoot).toBe(toHex(tip.keyImageRoot));
        expect(verifyKeyImageProof(fromHex(r.keyImageRoot), ki, fromHex(r.proof)).spent).toBe(true);
        const p = fromHex(r.proof);
        p[p.length - 1] = (p[p.length - 1] as number) ^ 1;
        expect(refuses(() => verifyKeyImageProof(tip.keyImageRoot, ki, p))).toBe(true);
      }
      const unspent = buildTx(genesis, 11).keyImage;
      const u = await rpc.getKeyImageProof(unspent);
      expect(u.spent).toBe(false);
      expect(verifyKeyImageProof(tip.keyImageRoot, unspent, decodeKisetProof(fromHex(u.proof))).spent).toBe(false);
      // the unspent proof does not prove anything against another root
      expect(refuses(() => verifyKeyImageProof(kisetRootOfKeyImages(spent.slice(1)), unspent, fromHex(u.proof)))).toBe(true);

      // header proofs: each earlier block against the tip's headerRoot, and block 1 against header 3
      for (let h = 0; h < 4; h++) {
        const r = await rpc.getHeaderProof(h);
        expect(r.at).toBe(4);
        expect(r.root).toBe(toHex(tip.headerRoot));
        const leaf = headerLeafHash(BigInt(h), blockHash(headers[h]!));
        expect(r.leafHash).toBe(toHex(leaf));
        const proof = decodeInclusionProof(fromHex(r.proof))!;
        expect(verifyInclusionProof(tip.headerRoot, BigInt(r.leafCount), leaf, proof)).toBe(true);
        expect(verifyInclusionProof(tip.headerRoot, BigInt(r.leafCount), headerLeafHash(BigInt(h), blockHash(headers[(h + 1) % 4]!)), proof)).toBe(false);
        if (proof.siblings.length > 0) {
          const bad = { ...proof, siblings: proof.siblings.map((s, k) => (k === 0 ? s.map((b, j) => (j === 0 ? b ^ 1 : b)) : s)) };
          expect(verifyInclusionProof(tip.headerRoot, BigInt(r.leafCount), leaf, bad)).toBe(false);
        }
      }
      const at3 = await rpc.getHeaderProof(1, 3);
      expect(verifyInclusionProof(headers[3]!.headerRoot, 3n, headerLeafHash(1n, blockHash(headers[1]!)), decodeInclusionProof(fromHex(at3.proof))!)).toBe(true);
      await expect(rpc.getHeaderProof(4)).rejects.toThrow(/must be below/);
      await expect(rpc.getHeaderProof(1, 9)).rejects.toThrow(/no block/);
    } finally {
      await node.stop();
    }
    // restart: the pointers, header MMR and key-image tree are read back, and the chain goes on
    node = await startNode(testConfig(dir, { workers: 0 }), { genesis, manualBlocks: true });
    try {
      expect(node.chain.tip.height).toBe(4);
      const t = buildTx(genesis, 12);
      await node.submitTx(t.bytes);
      spent.push(t.keyImage);
      await node.produceBlock();
      expect(node.chain.tip.height).toBe(5);
      expect(toHex(node.chain.tipHeader.keyImageRoot)).toBe(toHex(kisetRootOfKeyImages(spent)));
      expect((await node.client.getKeyImageProof(t.keyImage)).spent).toBe(true);
    } finally {
      await node.stop();
    }
  }, 120_000);
});
