/**
 * Verified fast sync (docs/sync.md): a validator node produces a chain with spends, a bond that
 * changes the validator set at an epoch boundary, and serves a snapshot; a fresh node bootstraps
 * from it over MemoryP2P without replaying blocks, ends with the same tip state (hash,
 * outputRoot, keyImageRoot, stakingStateHash), follows new blocks, and accepts a new tx whose ring
 * members predate H. Tampered snapshots and a forged certificate are refused with their codes;
 * a write that dies half-way leaves no chain directory (staging discarded, re-sync works).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MemoryHub, MemoryP2P } from "@baios/p2p";
import { commit, ed25519PublicKey, ed25519Sign, keyImage, makeOutput, mlsagSign, oneTimeSecret, randomScalar, rangeProve, scalarMultBase, scalarSub, txPowMine } from "@baios/crypto";
import {
  SCALAR_ONE,
  blockHash,
  bondConsentMessage,
  coinbaseCommitment,
  decodeCertificate,
  decodeHeader,
  devnetGenesis,
  encodeTx,
  equalBytes,
  stakingStateHash,
  toHex,
  txId,
  txSigningHash,
  verifyFinalityCertificate,
  type Tx,
} from "@baios/consensus";
import { fromGenesis, type NodeGenesis } from "../src/genesis.ts";
import { startNode, type NodeHandle } from "../src/node.ts";
import { decodePairs, encodeRange } from "../src/net/wire.ts";
import { fastSync, registerClientProtocols } from "../src/sync/fast-sync.ts";
import { checkUnlockHeights, decodeSnapshot, encodeSnapshot, FastSyncError, verifyHeaderChain, verifySnapshot, type CertifiedHeader } from "../src/sync/snapshot.ts";
import { decodeSnapshotChunk, encodeSnapshotRequest } from "../src/sync/snapshot-protocol.ts";
import { discardStaging, stagingDir } from "../src/sync/snapshot-write.ts";
import { buildTx, testConfig, tmpDir } from "./helpers/fixture.ts";
import { fastSyncGenesis, produceChain } from "./helpers/fast-sync-genesis.ts";

async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timeout: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const codeOf = async (p: Promise<unknown>): Promise<string> => {
  try {
    await p;
    return "OK";
  } catch (e) {
    return e instanceof FastSyncError ? e.code : String(e);
  }
};

describe("verified fast sync (docs/sync.md)", () => {
  it("a fresh node bootstraps from a snapshot, agrees with the source, follows, verifies an old-ring tx; tampering and forged certificates are refused; a torn write leaves no store", async () => {
    const genesis = await fastSyncGenesis();
    const hub = new MemoryHub();
    const nodes: NodeHandle[] = [];
    const p2ps: MemoryP2P[] = [];
    try {
      // 30 blocks: spends of premine outputs 0..11, a bond in block 3 (set change at the boundary); built
      // without p2p (with it, a submitted tx goes the Dandelion++ stem first), then served over MemoryP2P
      const dirA = tmpDir();
      await produceChain(dirA, genesis, 30);
      const a = await startNode(testConfig(dirA), { genesis, manualBlocks: true, p2p: new MemoryP2P(hub, "src") });
      nodes.push(a);
      expect(a.chain.tip.height).toBe(30);
      const headersA = await Promise.all(Array.from({ length: 31 }, (_, h) => a.chain.header(h)));
      const changes = headersA.filter((h) => h!.height > 0n && !equalBytes(h!.validatorsHash, h!.nextValidatorsHash));
      expect(changes.length).toBeGreaterThanOrEqual(1); // the bond changed the set
      expect(a.chain.tip.keyImages).toBe(13);

      // ---- fast sync of a fresh data dir over MemoryP2P
      const dirB = tmpDir();
      const chainDir = join(dirB, "chain");
      const client = new MemoryP2P(hub, "fresh");
      p2ps.push(client);
      registerClientProtocols(client, genesis.params.maxBlockBytes);
      await client.start();
      await client.dial(`/memory/${a.net!.p2p.peerId}`);
      await until(() => client.peers().length > 0, 5000, "connected");

      // a write that dies after its first batch: no chain dir, a staging dir that the next start discards
      const torn = await codeOf(fastSync({ p2p: client, chainDir, chainId: genesis.params.chainId, genesis: genesis.block, genesisCertificate: genesis.certificate, genesisValidators: genesis.validators, coinbaseMaturity: genesis.params.coinbaseMaturity, onBatch: () => { throw new Error("crash"); } }));
      expect(torn).toMatch(/crash/);
      expect(existsSync(chainDir)).toBe(false);
      expect(existsSync(stagingDir(chainDir))).toBe(true);
      expect(discardStaging(chainDir)).toBe(true);

      const r = await fastSync({ p2p: client, chainDir, chainId: genesis.params.chainId, genesis: genesis.block, genesisCertificate: genesis.certificate, genesisValidators: genesis.validators, coinbaseMaturity: genesis.params.coinbaseMaturity });
      const H = r.height;
      expect(H).toBe(30);
      await client.stop();

      // ---- the fast-synced node starts normally from H and agrees with the source
      const b = await startNode(testConfig(dirB, { validator: false, validatorKey: undefined }), { genesis, p2p: new MemoryP2P(hub, "synced"), syncIntervalMs: 500 });
      nodes.push(b);
      expect(b.chain.tip.height).toBe(H);
      const hA = (await a.chain.header(H))!;
      expect(toHex(b.chain.tipHash)).toBe(toHex(blockHash(hA)));
      expect(toHex(b.chain.tipHeader.outputRoot)).toBe(toHex(hA.outputRoot));
      expect(toHex(b.chain.tipHeader.keyImageRoot)).toBe(toHex(hA.keyImageRoot));
      expect(toHex(stakingStateHash(b.consensus.executor.stakingState))).toBe(toHex(hA.stakingStateHash));
      expect(toHex(await b.chain.headerRoot())).toBe(toHex(await a.chain.headerRoot()));
      expect(b.chain.tip.keyImages).toBe(a.chain.tip.keyImages);
      // nothing was replayed: no body below H, no staking record below H
      expect(await b.chain.store.getBlock(H - 1)).toBeUndefined();
      expect(await b.chain.store.getStaking(H - 1)).toBeUndefined();

      // ---- it follows new blocks, and a NEW tx whose ring members predate H verifies on it
      await b.net!.p2p.dial(`/memory/${a.net!.p2p.peerId}`);
      const fresh = buildTx(genesis, 15);
      await b.submitTx(fresh.bytes); // premine ring members (heights 0) — validated by b's own state
      await a.submitTx(fresh.bytes).catch(() => undefined);
      for (let i = 0; i < 3; i++) await a.produceBlock();
      await until(() => b.chain.tip.height >= H + 3, 30_000, "b follows");
      expect(toHex(b.chain.tipHash)).toBe(toHex(a.chain.tipHash));
      expect(toHex(stakingStateHash(b.consensus.executor.stakingState))).toBe(toHex(a.chain.tipHeader.stakingStateHash));
      expect(await b.chain.isKeyImageSpent(fresh.keyImage)).toBe(true);

      // ---- tampering: one output, one key image, one stake; a forged certificate
      const chunk = decodeSnapshotChunk(await b.net!.p2p.request(a.net!.p2p.peerId, "snapshot", encodeSnapshotRequest(0n, 0)));
      const snap = decodeSnapshot(chunk.data);
      const hS = (await a.chain.header(Number(snap.height)))!;
      const hash = blockHash(hS);
      expect(await codeOf(verifySnapshot(snap, hS, hash))).toBe("OK");
      const again = (): ReturnType<typeof decodeSnapshot> => decodeSnapshot(encodeSnapshot(snap));
      const t1 = again();
      t1.outputs[5]!.commitment = t1.outputs.at(-1)!.commitment.slice(); // premine outputs share amounts: take a tx output's
      expect(await codeOf(verifySnapshot(t1, hS, hash))).toBe("SNAPSHOT_OUTPUT_ROOT_MISMATCH");
      const t2 = again();
      t2.keyImages.pop();
      expect(await codeOf(verifySnapshot(t2, hS, hash))).toBe("SNAPSHOT_KEY_IMAGE_ROOT_MISMATCH");
      const t2b = again();
      t2b.keyImages.push(new Uint8Array(32).fill(0xff));
      expect(await codeOf(verifySnapshot(t2b, hS, hash))).toBe("SNAPSHOT_KEY_IMAGE_ROOT_MISMATCH");
      const t3 = again();
      const rec = [...t3.staking.validators.values()][0]!;
      (t3.staking.validators as Map<string, typeof rec>).set([...t3.staking.validators.keys()][0]!, { ...rec, bonded: rec.bonded + 1n });
      expect(await codeOf(verifySnapshot(t3, hS, hash))).toBe("SNAPSHOT_STAKING_STATE_MISMATCH");
      const t4 = again();
      t4.superParentsBefore = { entries: [{ height: 1n, hash: new Uint8Array(32).fill(1) }, ...t4.superParentsBefore.entries.slice(1)] };
      expect(await codeOf(verifySnapshot(t4, hS, hash))).toBe("SNAPSHOT_SUPER_PARENTS_MISMATCH");

      const pairs = decodePairs(await b.net!.p2p.request(a.net!.p2p.peerId, "headers", encodeRange(1, 30)), 30);
      const certified: CertifiedHeader[] = pairs.map(([hb, cb]) => {
        const header = decodeHeader(hb);
        return { header, hash: blockHash(header), certificate: decodeCertificate(cb) };
      });
      const verify = (c: CertifiedHeader, set: Parameters<typeof verifyFinalityCertificate>[1]["validatorSet"]) => verifyFinalityCertificate(c.certificate, { chainId: genesis.params.chainId, height: c.header.height, blockHash: c.hash, validatorSet: set });
      const chainOk = verifyHeaderChain(genesis.block.header, genesis.hash, genesis.validators, certified, snap.sets, verify);
      expect(await codeOf(chainOk)).toBe("OK");
      // unlock heights (no root covers them) are bounded by the creating block: h + 1 or h + coinbaseMaturity
      expect(await codeOf(Promise.resolve().then(() => checkUnlockHeights(snap, genesis.block, certified, genesis.params.coinbaseMaturity)))).toBe("OK");
      const t5 = again();
      t5.outputs.at(-1)!.unlockHeight += 100n;
      expect(await codeOf(Promise.resolve().then(() => checkUnlockHeights(t5, genesis.block, certified, genesis.params.coinbaseMaturity)))).toBe("SNAPSHOT_UNLOCK_HEIGHT");
      const forged = certified.map((c) => ({ ...c, certificate: { ...c.certificate, votes: c.certificate.votes.map((v) => ({ ...v })) } }));
      const sig = forged[12]!.certificate.votes[0]!.signature.slice();
      sig[0] = sig[0]! ^ 1;
      forged[12]!.certificate.votes[0]!.signature = sig;
      expect(await codeOf(verifyHeaderChain(genesis.block.header, genesis.hash, genesis.validators, forged, snap.sets, verify))).toBe("CERTIFICATE_INVALID");
      // a validator set that does not hash to the certified nextValidatorsHash
      const badSets = snap.sets.map((s) => ({ ...s, validators: s.validators.map((v) => ({ ...v, stake: v.stake + 1n })) }));
      expect(await codeOf(verifyHeaderChain(genesis.block.header, genesis.hash, genesis.validators, certified, badSets, verify))).toBe("SNAPSHOT_VALIDATOR_SET_MISMATCH");
      console.log(`fast sync: H=${H}, snapshot ${r.snapshotBytes} B, download ${r.timings.download.toFixed(0)} ms, verify ${r.timings.verify.toFixed(0)} ms, write ${r.timings.write.toFixed(0)} ms`);
    } finally {
      for (const n of nodes.reverse()) await n.stop().catch(() => undefined);
      for (const p of p2ps) await p.stop().catch(() => undefined);
    }
  }, 240_000);
});
