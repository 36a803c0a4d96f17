/**
 * Issue 6, node side of the chain-wide rules, on real nodes with real LevelDB stores:
 * the one-time-key index (store, schema 2 migration, mempool), the block time and retarget
 * following genesis, block import (safety failures kept as evidence, catch-up bounded by
 * certified headers).
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { LoopbackHub, LoopbackNetwork, type BlockMessage, type NetworkHandlers } from "@baios/p2p";
import { ed25519PublicKey, randomScalar } from "@baios/crypto";
import {
  assembleBlock,
  blockHash,
  decodeBlock,
  encodeBlock,
  encodeCertificate,
  equalBytes,
  genesisTxSecret,
  meetsTarget,
  mineBlock,
  nextBlockTarget,
  stakingStateHash,
  type Block,
  type FinalityCertificate,
} from "@baios/consensus";
import { startNode, type NodeHandle } from "../src/node.ts";
import { SafetyFailureError } from "../src/import.ts";
import { createLogger } from "../src/log.ts";
import { Store } from "../src/store/store.ts";
import { blockKey, certKey, encodeOutputRecord, metaKey, oneTimeKeyKey, outputKey, prefixRange, P_ONETIME, SCHEMA_VERSION, u32be } from "../src/store/keys.ts";
import { PAYOUT, WALLET, buildTx, testConfig, testGenesis, tmpDir } from "./helpers/fixture.ts";
import { certify } from "./helpers/pipeline.ts";

const payout = { viewPublic: PAYOUT.viewPublic, spendPublic: PAYOUT.spendPublic };

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "OK";
  } catch (e) {
    return (e as { code?: string; name?: string }).code ?? (e as Error).name;
  }
}

/** An unsigned, mined block at the node's tip + 1 (header v2: parent's certificate, retarget), with optional changes before mining. */
async function nextOn(node: NodeHandle, o: { rewardTo?: typeof payout; coinbaseSecret?: Uint8Array; timeMs?: bigint; mutate?: (b: Block) => void } = {}): Promise<Block> {
  const params = node.params;
  const parent = node.chain.tipHeader;
  const grandparent = parent.height === 0n ? undefined : await node.chain.header(Number(parent.height) - 1);
  const a = await assembleBlock({
    params,
    parent,
    mmr: node.chain.mmr,
    headerRoot: await node.chain.headerRoot(),
    superParents: node.chain.superParents,
    kiset: node.chain.kiset,
    txs: [],
    timeMs: o.timeMs ?? parent.timeMs + BigInt(params.blockTimeMs) + 7n,
    blockTarget: nextBlockTarget(parent, grandparent?.timeMs, params),
    nextValidatorsHash: parent.nextValidatorsHash,
    stakingStateHash: stakingStateHash(node.consensus.executor.transition({ header: { height: parent.height + 1n }, txs: [], lastCertificate: (await node.chain.certificate(Number(parent.height)))!, unbonds: [], evidence: [] }).state),
    lastCertificate: (await node.chain.certificate(Number(parent.height)))!,
    rewardTo: o.rewardTo ?? payout,
    coinbaseSecret: o.coinbaseSecret ?? randomScalar(),
  });
  o.mutate?.(a.block);
  a.block.header = mineBlock(a.block.header, { maxTries: 1 << 24 })!;
  return a.block;
}

/** A block at the node's tip + 1, signed (certified) by the real validator key, with optional changes before mining and signing. */
async function signedNext(node: NodeHandle, mutate?: (b: Block) => void): Promise<{ block: Block; cert: FinalityCertificate }> {
  const block = await nextOn(node, mutate === undefined ? {} : { mutate });
  return { block, cert: certify(block, node.params.chainId) };
}

describe("one-time keys on the node (burning bug)", () => {
  it("the store indexes every output's one-time key in the block batch; the mempool path rejects duplicates of the pool and of the chain", async () => {
    const genesis = await testGenesis();
    const node = await startNode(testConfig(tmpDir(), { workers: 0 }), { genesis, manualBlocks: true });
    try {
      // genesis outputs are indexed
      const premineKeys = genesis.block.coinbase.outputs.map((o) => o.oneTimeKey);
      expect(await node.chain.areOneTimeKeysUsed(premineKeys)).toEqual(premineKeys.map(() => true));
      expect(await node.chain.areOneTimeKeysUsed([new Uint8Array(32).fill(9)])).toEqual([false]);

      const r = randomScalar();
      const a = buildTx(genesis, 0, { txSecret: r });
      const b = buildTx(genesis, 5, { txSecret: r }); // other input, same r: same output keys
      expect(equalBytes(a.tx.outputs[0]!.oneTimeKey, b.tx.outputs[0]!.oneTimeKey)).toBe(true);
      await node.submitTx(a.bytes);
      expect(await codeOf(node.submitTx(b.bytes))).toBe("TX_ONE_TIME_KEY_IN_POOL");
      const rpcErr = await node.client.submitTx(b.bytes).catch((e: unknown) => e);
      expect(JSON.stringify(rpcErr)).toContain("TX_ONE_TIME_KEY_IN_POOL");

      await node.produceBlock();
      expect(node.mempool.size).toBe(0);
      expect(await node.chain.areOneTimeKeysUsed(a.tx.outputs.map((o) => o.oneTimeKey))).toEqual([true, true]);
      const coinbaseKey = (await node.chain.block(1))!.coinbase.outputs[0]!.oneTimeKey;
      expect(await node.chain.store.getOutputIndexByOneTimeKey(coinbaseKey)).toBe(genesis.block.coinbase.outputs.length);
      // now on chain: the second tx is refused by consensus
      expect(await codeOf(node.submitTx(b.bytes))).toBe("TX_ONE_TIME_KEY_EXISTS");
      expect(node.mempool.size).toBe(0);
    } finally {
      await node.stop();
    }
  });

  it("a pooled tx whose one-time key an imported block creates leaves the pool", async () => {
    const genesis = await testGenesis();
    const validator = await startNode(testConfig(tmpDir(), { workers: 0 }), { genesis, manualBlocks: true });
    const follower = await startNode(testConfig(tmpDir(), { validator: false, workers: 0 }), { genesis });
    try {
      const r = randomScalar();
      const a = buildTx(genesis, 1, { txSecret: r });
      const b = buildTx(genesis, 6, { txSecret: r }); // other key image, same output keys
      await validator.submitTx(a.bytes);
      await follower.submitTx(b.bytes);
      await validator.produceBlock();
      await follower.importBlock(validator.chain.store.db.getSync(blockKey(1))!, validator.chain.store.db.getSync(certKey(1))!);
      expect(follower.chain.tip.height).toBe(1);
      expect(follower.mempool.has(b.txid)).toBe(false);
      expect(follower.mempool.size).toBe(0);
    } finally {
      await follower.stop();
      await validator.stop();
    }
  });

  it("a block repeating a premine one-time key (coinbase made with the public genesis tx secret) is refused by import and by the store", async () => {
    const genesis = await testGenesis();
    const node = await startNode(testConfig(tmpDir(), { validator: false, workers: 0 }), { genesis });
    try {
      const wallet = { viewPublic: WALLET.viewPublic, spendPublic: WALLET.spendPublic };
      const a = { block: await nextOn(node, { rewardTo: wallet, coinbaseSecret: genesisTxSecret(node.params.chainId) }) };
      expect(equalBytes(a.block.coinbase.outputs[0]!.oneTimeKey, genesis.block.coinbase.outputs[0]!.oneTimeKey)).toBe(true);
      const cert = certify(a.block, node.params.chainId);
      expect(await codeOf(node.importBlock(encodeBlock(a.block), encodeCertificate(cert)))).toBe("BLOCK_ONE_TIME_KEY_DUPLICATE");
      const e = await node.chain.commitBlock(a.block, cert).catch((x: unknown) => x);
      expect((e as Error).name).toBe("ChainError");
      expect((e as Error).message).toMatch(/one-time key already on chain/);
      expect(node.chain.tip.height).toBe(0);
    } finally {
      await node.stop();
    }
  });

  it(`schema 1, 2 and 3 databases (headers before the roots of issue 9 and the staking-state hash) are refused with a clear message; schema ${SCHEMA_VERSION} opens`, async () => {
    const dir = tmpDir();
    const genesis = await testGenesis();
    const node = await startNode(testConfig(dir, { workers: 0 }), { genesis, manualBlocks: true });
    await node.produceBlock();
    await node.stop();
    for (const old of [1, 2, 3]) {
      const s = await Store.open(join(dir, "chain"), { sync: false });
      await s.db.put(metaKey("version"), u32be(old));
      await s.close();
      await expect(Store.open(join(dir, "chain"), { sync: false })).rejects.toThrow(new RegExp(`schema version ${old} .*predates header v2 .*re-sync`));
      // put the version back through the raw LevelDB (Store.open refuses it)
      const { ClassicLevel } = await import("classic-level");
      const db = new ClassicLevel<Uint8Array, Uint8Array>(join(dir, "chain"), { keyEncoding: "view", valueEncoding: "view" });
      await db.put(metaKey("version"), u32be(SCHEMA_VERSION));
      await db.close();
    }
    const again = await startNode(testConfig(dir, { workers: 0 }), { genesis, manualBlocks: true });
    try {
      expect(again.chain.tip.height).toBe(1);
    } finally {
      await again.stop();
    }
  });
});

describe("block timing follows genesis", () => {
  it("the miner stamps its clock (after the parent), the retarget follows the genesis blockTimeMs, and get_params reports it", async () => {
    const genesis = await testGenesis({ blockTimeMs: 1500 });
    const node = await startNode(testConfig(tmpDir(), { workers: 0 }), { genesis, manualBlocks: true });
    try {
      const t0 = BigInt(Date.now());
      for (let i = 0; i < 3; i++) await node.produceBlock(); // back to back: far faster than 1500 ms
      const t1 = BigInt(Date.now());
      const h = await Promise.all([0, 1, 2, 3].map(async (i) => (await node.chain.header(i))!));
      for (let i = 1; i <= 3; i++) {
        expect(h[i]!.timeMs).toBeGreaterThan(h[i - 1]!.timeMs);
        expect(h[i]!.timeMs).toBeGreaterThanOrEqual(t0);
        expect(h[i]!.timeMs).toBeLessThanOrEqual(t1);
      }
      // block 3's target: retargeted from block 2's with Δ = h2 − h1 ≪ 1500 ms, i.e. harder
      expect(h[3]!.blockTarget).toEqual(nextBlockTarget(h[2]!, h[1]!.timeMs, genesis.params));
      expect(Buffer.compare(h[3]!.blockTarget, h[2]!.blockTarget)).toBeLessThan(0);
      expect(h[3]!.blockTarget).not.toEqual(nextBlockTarget(h[2]!, h[1]!.timeMs, { ...genesis.params, blockTimeMs: 1000 }));
      expect((await node.client.getParams()).blockTimeMs).toBe(1500);
    } finally {
      await node.stop();
    }
  });
});

describe("block import", () => {
  it("a validly certified block with another validator set, an unmined nonce or a time not after its parent is refused", async () => {
    const genesis = await testGenesis();
    const node = await startNode(testConfig(tmpDir(), { validator: false, workers: 0 }), { genesis });
    try {
      const wrong = await signedNext(node, (b) => (b.header.nextValidatorsHash = new Uint8Array(32).fill(3)));
      expect(await codeOf(node.importBlock(encodeBlock(wrong.block), encodeCertificate(wrong.cert)))).toBe("BLOCK_NEXT_VALIDATORS_HASH");
      const good0 = await signedNext(node);
      let n = good0.block.header.powNonce + 1n;
      while (meetsTarget(blockHash({ ...good0.block.header, powNonce: n }), good0.block.header.blockTarget)) n++;
      const unmined = { ...good0.block, header: { ...good0.block.header, powNonce: n } };
      const unminedCert = certify(unmined, node.params.chainId);
      expect(await codeOf(node.importBlock(encodeBlock(unmined), encodeCertificate(unminedCert)))).toBe("BLOCK_BAD_POW");
      const early = await signedNext(node, (b) => (b.header.timeMs = node.chain.tipHeader.timeMs));
      expect(await codeOf(node.importBlock(encodeBlock(early.block), encodeCertificate(early.cert)))).toBe("BLOCK_BAD_TIME");
      expect(node.chain.tip.height).toBe(0);
      const good = await signedNext(node);
      await node.importBlock(encodeBlock(good.block), encodeCertificate(good.cert));
      expect(node.chain.tip.height).toBe(1);
      await node.importBlock(encodeBlock(good.block), encodeCertificate(good.cert)); // the same block again: no change
      expect(node.chain.tip.height).toBe(1);
    } finally {
      await node.stop();
    }
  });

  it("a second certified block at a final height is a safety failure: error log, both certificates kept, metric, never dropped", async () => {
    const genesis = await testGenesis();
    const lines: string[] = [];
    const log = createLogger("info", { write: (s: string) => void lines.push(s) });
    const hub = new LoopbackHub();
    const node = await startNode(testConfig(tmpDir(), { workers: 0 }), { genesis, manualBlocks: true, log, network: new LoopbackNetwork(hub, "validator") });
    try {
      const fork = await signedNext(node); // validly signed by the validator, not produced
      await node.produceBlock(); // the validator's own block 1 is final
      const forkHash = blockHash(fork.block.header);
      expect(equalBytes(forkHash, node.chain.tipHash)).toBe(false);

      const err = await node.importBlock(encodeBlock(fork.block), encodeCertificate(fork.cert)).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SafetyFailureError);
      expect((err as SafetyFailureError).height).toBe(1n);
      const ev = await node.chain.store.listEvidence();
      expect(ev.length).toBe(1);
      expect(ev[0]!.height).toBe(1);
      expect(equalBytes(ev[0]!.conflictingHash, forkHash)).toBe(true);
      expect(equalBytes(ev[0]!.conflictingCertificate, encodeCertificate(fork.cert))).toBe(true);
      expect(equalBytes(ev[0]!.finalizedCertificate, node.chain.store.db.getSync(certKey(1))!)).toBe(true);
      expect(ev[0]!.finalizedHeader.length).toBeGreaterThan(0);
      expect((await node.metrics.safetyFailures.get()).values[0]!.value).toBe(1);
      const errLines = lines.map((l) => JSON.parse(l) as { level: number; msg: string }).filter((l) => l.level >= 50);
      expect(errLines.some((l) => l.msg.includes("SAFETY FAILURE"))).toBe(true);
      // the chain did not move, and the same conflict from a peer is recorded once, verdict IGNORE
      expect(node.chain.tip.height).toBe(1);
      const peer = new LoopbackNetwork(hub, "peer");
      await peer.start(noopHandlers);
      await peer.publishBlock({ block: encodeBlock(fork.block), certificate: encodeCertificate(fork.cert), round: 0 });
      expect((await node.chain.store.listEvidence()).length).toBe(1);
    } finally {
      await node.stop();
    }
  });

  it("catch-up is bounded by certified headers: a claimed height 10^9 requests nothing; a certified one is fetched in batches; the first bad block stops it", async () => {
    const genesis = await testGenesis();
    const hub = new LoopbackHub();
    const validator = await startNode(testConfig(tmpDir(), { workers: 0 }), { genesis, manualBlocks: true });
    for (let i = 0; i < 5; i++) await validator.produceBlock();
    const msgAt = (h: number): BlockMessage => ({ block: validator.chain.store.db.getSync(blockKey(h))!, certificate: validator.chain.store.db.getSync(certKey(h))!, round: 0 });
    const requests: [bigint, number][] = [];
    let corruptAt = -1;
    hub.served.set("peer", (from, count) => {
      requests.push([from, count]);
      const out: BlockMessage[] = [];
      for (let h = Number(from); h < Number(from) + count && h <= 5; h++) {
        const m = msgAt(h);
        out.push(h === corruptAt ? { ...m, certificate: msgAt(h + 1).certificate } : m);
      }
      return out;
    });
    const peer = new LoopbackNetwork(hub, "peer");
    await peer.start(noopHandlers);
    const followerNet = new LoopbackNetwork(hub, "follower");
    const follower = await startNode(testConfig(tmpDir(), { validator: false, workers: 0 }), { genesis, network: followerNet, catchUpBatch: 2 });
    try {
      // 1. a block claiming height 10^9 with a certificate that is not its own
      const claimed = decodeBlock(msgAt(5).block, Number.MAX_SAFE_INTEGER);
      claimed.header.height = 1_000_000_000n;
      await peer.publishBlock({ block: encodeBlock(claimed), certificate: msgAt(5).certificate, round: 0 });
      expect(requests).toEqual([]);
      expect(follower.chain.tip.height).toBe(0);
      expect(followerNet.reports.at(-1)).toMatchObject({ peer: "peer", action: "REJECT" });

      // 2. a bad block in the served range stops catch-up at it
      corruptAt = 2;
      await peer.publishBlock(msgAt(5));
      expect(requests).toEqual([[1n, 2]]);
      expect(follower.chain.tip.height).toBe(1);

      // 3. a certified block at 5: the rest is fetched 2 at a time, then it is imported
      corruptAt = -1;
      requests.length = 0;
      await peer.publishBlock(msgAt(5));
      expect(requests).toEqual([
        [2n, 2],
        [4n, 1],
      ]);
      expect(follower.chain.tip.height).toBe(5);
      expect(equalBytes(follower.chain.tipHash, validator.chain.tipHash)).toBe(true);
      expect(requests.every(([, n]) => n <= 2)).toBe(true);
    } finally {
      await follower.stop();
      await validator.stop();
    }
  });
});

const noopHandlers: NetworkHandlers = {
  onTx: async () => "IGNORE",
  onBlock: async () => "IGNORE",
  onVote: async () => "IGNORE",
};
