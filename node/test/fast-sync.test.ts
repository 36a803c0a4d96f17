/**
 * Verified fast sync from the cascade (docs/sync.md): an archive validator produces a chain with
 * spends and a bond that changes the validator set at an epoch boundary; a pruned follower
 * replays it (and prunes bodies, certificates and headers: only its cascade and recent window
 * stay); a fresh node bootstraps from the PRUNED follower's snapshot (cascade + window + state)
 * over MemoryP2P without the old headers or any replay, ends with the same tip state as the
 * replayed node (hash, outputRoot, keyImageRoot, stakingStateHash, headerRoot, cascade bytes),
 * follows new blocks, and accepts a new tx whose ring members predate H. A tampered cascade (one
 * header changed, a level overfull, an older tip), peaks, output counts, window, sets, unlock
 * heights and a forged certificate are refused with their codes; a write that dies half-way leaves
 * no chain directory (staging discarded, re-sync works). Small K (4) so the cascade has levels.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MemoryHub, MemoryP2P } from "@baios/p2p";
import { commit, ed25519PublicKey, ed25519Sign, keyImage, makeOutput, mlsagSign, oneTimeSecret, randomScalar, rangeProve, scalarMultBase, scalarSub, txPowMine } from "@baios/crypto";
import {
  Cascade,
  SCALAR_ONE,
  blockHash,
  decodeCascade,
  encodeCascade,
  encodeCertificate,
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
import { fastSync, registerClientProtocols } from "../src/sync/fast-sync.ts";
import { checkUnlockHeights, decodeSnapshot, encodeSnapshot, FastSyncError, verifySnapshot, type Snapshot } from "../src/sync/snapshot.ts";
import { verifyCascadeWindow } from "../src/sync/window.ts";
import { nodeCascadeParams } from "../src/cascade-store.ts";
import { decodeSnapshotChunk, encodeSnapshotRequest } from "../src/sync/snapshot-protocol.ts";
import { discardStaging, stagingDir } from "../src/sync/snapshot-write.ts";
import { fetchSetChain } from "../src/sync/set-chain.ts";
import { buildTx, testConfig, tmpDir } from "./helpers/fixture.ts";
import { fastSyncGenesis, produceChain, codeOf } from "./helpers/fast-sync-genesis.ts";

async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timeout: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}


describe("verified fast sync from the cascade (docs/sync.md)", () => {
  it("a fresh node bootstraps from a pruned peer's cascade + window + snapshot, agrees with the replayed node, follows, verifies an old-ring tx; tampering is refused with codes; a torn write leaves no store", async () => {
    const genesis = await fastSyncGenesis();
    const K = 4;
    const cascadeParams = nodeCascadeParams(genesis.params, K);
    const D = Number(cascadeParams.depth); // 3 + 8 = 11
    const hub = new MemoryHub();
    const nodes: NodeHandle[] = [];
    const p2ps: MemoryP2P[] = [];
    try {
      // 40 blocks on an archive validator: spends of premine outputs 0..11, a bond in block 3 (set change at the boundary)
      const dirA = tmpDir();
      await produceChain(dirA, genesis, 40, { cascadePerLevel: K, config: { mode: "archive" } });
      const a = await startNode(testConfig(dirA, { mode: "archive" }), { genesis, manualBlocks: true, p2p: new MemoryP2P(hub, "src"), cascadePerLevel: K });
      nodes.push(a);
      expect(a.chain.tip.height).toBe(40);
      expect(a.chain.cascade!.tipHeight).toBe(40 - D);
      const changes = (await Promise.all(Array.from({ length: 41 }, (_, h) => a.chain.header(h)))).filter((h) => h!.height > 0n && !equalBytes(h!.validatorsHash, h!.nextValidatorsHash));
      expect(changes.length).toBeGreaterThanOrEqual(1); // the bond changed the set
      expect(a.chain.tip.keyImages).toBe(13);

      // ---- the replayed node: a pruned follower that validates every block from a, then prunes
      const p = await startNode(testConfig(tmpDir(), { validator: false, validatorKey: undefined, mode: "pruned" }), { genesis, p2p: new MemoryP2P(hub, "pruned"), syncIntervalMs: 200, cascadePerLevel: K });
      nodes.push(p);
      await p.net!.p2p.dial(`/memory/${a.net!.p2p.peerId}`);
      await until(() => p.chain.tip.height >= 40, 60_000, "the pruned node replays the chain");
      await p.pruner!.settled();
      const W = 40 - p.chain.store.heads.stateTail;
      expect(p.chain.store.heads.stateTail).toBeGreaterThan(1);
      expect(await p.chain.header(1)).toBeUndefined(); // headers below the state window are gone …
      expect(await p.chain.header(0)).toBeDefined(); // … but genesis
      expect(await p.chain.certificate(p.chain.store.tail - 1)).toBeUndefined();
      expect(toHex(p.chain.cascade!.bytes())).toBe(toHex(a.chain.cascade!.bytes())); // the same cascade as the archive node
      console.log(`pruned replayed node: headers kept ${W + 1} (window W) + cascade ${p.chain.cascade!.cascade.size} (levels ${p.chain.cascade!.cascade.levelSizes().filter((n) => n > 0).join("/")}) for 41 blocks`);

      // ---- fast sync of a fresh data dir from the PRUNED node only
      const dirB = tmpDir();
      const chainDir = join(dirB, "chain");
      const client = new MemoryP2P(hub, "fresh");
      p2ps.push(client);
      registerClientProtocols(client, genesis.params.maxBlockBytes);
      await client.start();
      await client.dial(`/memory/${p.net!.p2p.peerId}`);
      // the archive node too: a second peer (the set-change chain from genesis, docs/sync.md §3.4, may come from any peer)
      await client.dial(`/memory/${a.net!.p2p.peerId}`);
      await until(() => client.peers().length > 1, 5000, "connected");
      const opts = { p2p: client, chainDir, chainId: genesis.params.chainId, genesis: genesis.block, genesisCertificate: genesis.certificate, genesisValidators: genesis.validators, coinbaseMaturity: genesis.params.coinbaseMaturity, cascadeParams, blockTargetMax: genesis.params.blockTargetMax };

      // a write that dies after its first batch: no chain dir, a staging dir that the next start discards
      const torn = await codeOf(fastSync({ ...opts, onBatch: () => { throw new Error("crash"); } }));
      expect(torn).toMatch(/crash/);
      expect(existsSync(chainDir)).toBe(false);
      expect(existsSync(stagingDir(chainDir))).toBe(true);
      expect(discardStaging(chainDir)).toBe(true);

      const r = await fastSync(opts);
      const H = r.height;
      expect(H).toBe(40);
      expect(r.peer).toBe(p.net!.p2p.peerId); // the snapshot came from the pruned node
      // the pruned node also serves the set-change chain from genesis to the window start (it keeps the change headers, certificates and sets)
      const viaPruned = await fetchSetChain(client, [p.net!.p2p.peerId], { chainId: genesis.params.chainId, genesis: genesis.block.header, genesisValidators: genesis.validators }, H - D + 1);
      expect(toHex(viaPruned.hash)).toBe(toHex(blockHash((await a.chain.header(H - D + 1))!)));
      await client.stop();

      // ---- the fast-synced node starts normally from H and agrees with the replayed node
      const b = await startNode(testConfig(dirB, { validator: false, validatorKey: undefined, mode: "pruned" }), { genesis, p2p: new MemoryP2P(hub, "synced"), syncIntervalMs: 500, cascadePerLevel: K });
      nodes.push(b);
      expect(b.chain.tip.height).toBe(H);
      const hP = (await p.chain.header(H))!;
      expect(toHex(b.chain.tipHash)).toBe(toHex(blockHash(hP)));
      expect(toHex(b.chain.tipHeader.outputRoot)).toBe(toHex(hP.outputRoot));
      expect(toHex(b.chain.tipHeader.keyImageRoot)).toBe(toHex(hP.keyImageRoot));
      expect(toHex(stakingStateHash(b.consensus.executor.stakingState))).toBe(toHex(stakingStateHash(p.consensus.executor.stakingState)));
      expect(b.consensus.executor.setFor(BigInt(H) + 1n).startHeight).toBe(p.consensus.executor.setFor(BigInt(H) + 1n).startHeight);
      expect(toHex(await b.chain.headerRoot())).toBe(toHex(await p.chain.headerRoot()));
      expect(toHex(b.chain.cascade!.bytes())).toBe(toHex(p.chain.cascade!.bytes()));
      expect(b.chain.tip.keyImages).toBe(p.chain.tip.keyImages);
      // nothing was replayed or downloaded below the window: no body below H, no header at 1 .. H − D
      expect(await b.chain.store.getBlock(H - 1)).toBeUndefined();
      expect(await b.chain.store.getStaking(H - 1)).toBeUndefined();
      expect(await b.chain.header(H - D)).toBeUndefined();
      expect(await b.chain.header(H - D + 1)).toBeDefined();

      // ---- it follows new blocks (the cascade moves on in step), and a NEW tx whose ring members predate H verifies on it
      await b.net!.p2p.dial(`/memory/${a.net!.p2p.peerId}`);
      const fresh = buildTx(genesis, 15);
      await b.submitTx(fresh.bytes); // premine ring members (heights 0) — validated by b's own state
      await a.submitTx(fresh.bytes).catch(() => undefined);
      for (let i = 0; i < 3; i++) await a.produceBlock();
      await until(() => b.chain.tip.height >= H + 3, 30_000, "b follows");
      expect(toHex(b.chain.tipHash)).toBe(toHex(a.chain.tipHash));
      expect(toHex(stakingStateHash(b.consensus.executor.stakingState))).toBe(toHex(a.chain.tipHeader.stakingStateHash));
      expect(await b.chain.isKeyImageSpent(fresh.keyImage)).toBe(true);
      expect(b.chain.cascade!.tipHeight).toBe(H + 3 - D);
      expect(toHex(b.chain.cascade!.bytes())).toBe(toHex(a.chain.cascade!.bytes()));

      // ---- tampering (on the pruned node's snapshot)
      await b.net!.p2p.dial(`/memory/${p.net!.p2p.peerId}`);
      const chunk = decodeSnapshotChunk(await b.net!.p2p.request(p.net!.p2p.peerId, "snapshot", encodeSnapshotRequest(0n, 0)));
      const snap = decodeSnapshot(chunk.data);
      const SH = Number(snap.height);
      const hS = (await a.chain.header(SH))!;
      const hash = blockHash(hS);
      const again = (): Snapshot => decodeSnapshot(encodeSnapshot(snap));
      const trust = { chainId: genesis.params.chainId, genesis: genesis.block.header, genesisHash: genesis.hash, genesisValidators: genesis.validators, cascadeParams, blockTargetMax: genesis.params.blockTargetMax };
      const certCheck = (c: { header: { height: bigint }; hash: Uint8Array; certificate: Parameters<typeof verifyFinalityCertificate>[0] }, set: Parameters<typeof verifyFinalityCertificate>[1]["validatorSet"]) =>
        verifyFinalityCertificate(c.certificate, { chainId: genesis.params.chainId, height: c.header.height, blockHash: c.hash, validatorSet: set });
      const verifyAll = async (s: Snapshot): Promise<void> => {
        const w = await verifyCascadeWindow(trust, s, certCheck);
        const top = w.headers.at(-1)!;
        await verifySnapshot(s, top.header, top.hash);
        checkUnlockHeights(s, genesis.block, w.cumulativeOutputs, genesis.params.coinbaseMaturity);
      };
      const reasonOf = async (s: Snapshot): Promise<string> => {
        try {
          await verifyAll(s);
          return "OK";
        } catch (e) {
          return e instanceof FastSyncError ? `${e.code} ${e.reason}` : String(e);
        }
      };
      expect(await reasonOf(again())).toBe("OK");
      // the state against header H
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
      // the cascade: one kept header changed (a byte of node 1's header)
      const nodeBytes = 1 + 488 + 40 * cascadeParams.levels;
      const c1 = again();
      c1.cascade[10 + nodeBytes + 1 + 200] = c1.cascade[10 + nodeBytes + 1 + 200]! ^ 1;
      const r1 = await reasonOf(c1);
      expect(r1).toMatch(/^CASCADE_INVALID (CASCADE_|BLOCK_BAD_POW)/); // the changed header's PoW fails (or a link breaks)
      // … or one kept header's stored pointers (what its superParentsRoot commits to)
      const c1b = again();
      c1b.cascade[10 + nodeBytes + 1 + 488 + 40 + 9] = c1b.cascade[10 + nodeBytes + 1 + 488 + 40 + 9]! ^ 1;
      expect(await reasonOf(c1b)).toMatch(/^CASCADE_INVALID CASCADE_(BAD_SUPER_PARENTS|BROKEN_LINK)/);
      // a level overfull: the same headers kept with K + 1 per level, relabelled as K
      const olderHeaders = await Promise.all(Array.from({ length: SH - D + 1 }, (_, h) => a.chain.header(h)));
      const wide = new Cascade({ ...cascadeParams, perLevel: K + 1 });
      for (const h of olderHeaders) wide.add(h!);
      const c2 = again();
      c2.cascade = encodeCascade(wide);
      new DataView(c2.cascade.buffer, c2.cascade.byteOffset).setUint32(2, K, true);
      expect(await reasonOf(c2)).toMatch(/^CASCADE_INVALID CASCADE_LEVEL_OVERFULL/);
      // work: the same cascade against a chain whose easiest target is far harder claims too little work
      const hard = new Uint8Array(32);
      hard[4] = 1;
      await expect(verifyCascadeWindow({ ...trust, blockTargetMax: hard }, again(), certCheck)).rejects.toMatchObject({ code: "CASCADE_INVALID" });
      const lowWork = await verifyCascadeWindow({ ...trust, blockTargetMax: genesis.params.blockTargetMax }, again(), certCheck).then(() => "OK");
      expect(lowWork).toBe("OK");
      // a valid cascade one block older: its tip is not H − D, the window does not link
      const older = new Cascade(cascadeParams);
      for (const h of olderHeaders.slice(0, -1)) older.add(h!);
      const c3 = again();
      c3.cascade = encodeCascade(older);
      expect(await reasonOf(c3)).toMatch(/^CASCADE_WINDOW_MISMATCH/);
      // the header-MMR peaks, an output count at a kept height, the window, the set in force, a certificate, an unlock height
      const c4 = again();
      c4.headerPeaks[0] = c4.headerPeaks[0]!.slice();
      c4.headerPeaks[0]![0] = c4.headerPeaks[0]![0]! ^ 1;
      expect(await reasonOf(c4)).toMatch(/^HEADER_ROOT_MISMATCH/);
      const c5 = again();
      const keptHeight = Number(decodeCascade(c5.cascade, cascadeParams).kept()[2]!.header.height);
      c5.cumulativeOutputs[keptHeight] = c5.cumulativeOutputs[keptHeight]! + 1n;
      expect(await reasonOf(c5)).toMatch(/^SNAPSHOT_OUTPUT_COUNTS/);
      const c6 = again();
      c6.window.shift();
      expect(await reasonOf(c6)).toMatch(/^CASCADE_WINDOW_MISMATCH/);
      const c7 = again();
      c7.sets[0] = { ...c7.sets[0]!, validators: c7.sets[0]!.validators.map((v) => ({ ...v, stake: v.stake + 1n })) };
      expect(await reasonOf(c7)).toMatch(/^SNAPSHOT_VALIDATOR_SET_MISMATCH/);
      const c8 = again();
      const cert = decodeCertificate(c8.window[3]!.certificate);
      const sig = cert.votes[0]!.signature.slice();
      sig[0] = sig[0]! ^ 1;
      cert.votes[0]!.signature = sig;
      c8.window[3] = { ...c8.window[3]!, certificate: encodeCertificate(cert) };
      expect(await reasonOf(c8)).toMatch(/^CERTIFICATE_INVALID/);
      const t5 = again();
      t5.outputs.at(-1)!.unlockHeight += 100n;
      expect(await reasonOf(t5)).toMatch(/^SNAPSHOT_UNLOCK_HEIGHT/);
      console.log(`cascade fast sync: H=${H}, snapshot ${r.snapshotBytes} B (cascade ${snap.cascade.length} B, ${snap.window.length} window headers), download ${r.timings.download.toFixed(0)} ms, verify ${r.timings.verify.toFixed(0)} ms, write ${r.timings.write.toFixed(0)} ms; one header changed → ${r1}`);
    } finally {
      for (const n of nodes.reverse()) await n.stop().catch(() => undefined);
      for (const p of p2ps) await p.stop().catch(() => undefined);
    }
  }, 240_000);
});
