import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeInclusionProof, mmrLeafHash, verifyInclusionProof } from "@baios/consensus";
import { startNode, type NodeHandle } from "../src/node.ts";
import { RPC_ERRORS } from "../src/rpc/errors.ts";
import { RpcError } from "@baios/api";
import { PREMINE_OUTPUTS, buildTx, testConfig, testGenesis, tmpDir } from "./helpers/fixture.ts";

const fromHex = (h: string): Uint8Array => Uint8Array.from(Buffer.from(h, "hex"));
const rpcErr = (e: unknown): RpcError => {
  expect(e).toBeInstanceOf(RpcError);
  return e as RpcError;
};

describe("node: JSON-RPC, mempool and chain", () => {
  let node: NodeHandle;
  let genesis: Awaited<ReturnType<typeof testGenesis>>;

  beforeAll(async () => {
    genesis = await testGenesis();
    node = await startNode(testConfig(tmpDir(), { workers: 2 }), { genesis, manualBlocks: true });
  });
  afterAll(async () => {
    await node?.stop();
  });

  it("status, params, headers and blocks", async () => {
    const c = node.client;
    const s = await c.status();
    expect(s.height).toBe(0);
    expect(s.outputCount).toBe(PREMINE_OUTPUTS);
    expect(s.genesisHash).toMatch(/^[0-9a-f]{64}$/);
    expect(s.validator).toMatch(/^[0-9a-f]{64}$/);
    const p = await c.getParams();
    expect(p.minRingSize).toBe(11);
    expect(p.minFee).toBe("100000");
    expect(p.fee).toBe("100000");
    expect(p.txPowTarget).toBe(Buffer.from(genesis.params.txPowTarget).toString("hex"));
    await node.produceBlock();
    const h1 = await c.getHeader({ height: 1 });
    expect(h1.height).toBe(1);
    expect(await c.getHeader({ hash: h1.hash })).toEqual(h1);
    const b1 = await c.getBlock({ height: 1 }, "hex");
    expect(b1.header).toEqual(h1);
    expect(b1.certificate.votes).toHaveLength(1);
    expect(b1.coinbase.outputs[0]!.globalIndex).toBe(PREMINE_OUTPUTS);
    expect(typeof b1.coinbase.outputs[0]!.amount).toBe("string");
    expect(b1.hex).toMatch(/^[0-9a-f]+$/);
    const g = await c.getBlock({ height: 0 });
    expect(g.coinbase.outputs).toHaveLength(PREMINE_OUTPUTS);
    expect(g.certificate.votes).toHaveLength(0);
  });

  it("standard errors: not found, invalid params, method not found, parse error", async () => {
    const c = node.client;
    expect(rpcErr(await c.getHeader({ height: 999 }).catch((e: unknown) => e)).code).toBe(RPC_ERRORS.NOT_FOUND);
    expect(rpcErr(await c.getHeader({ hash: "zz" }).catch((e: unknown) => e)).code).toBe(RPC_ERRORS.INVALID_PARAMS);
    expect(rpcErr(await c.call("nope").catch((e: unknown) => e)).code).toBe(RPC_ERRORS.METHOD_NOT_FOUND);
    const headers = { "content-type": "application/json", authorization: `Bearer ${node.rpcToken}` };
    const res = await fetch(node.rpcUrl, { method: "POST", headers, body: "{not json" });
    expect(((await res.json()) as { error: { code: number } }).error.code).toBe(RPC_ERRORS.PARSE_ERROR);
    const batch = await fetch(node.rpcUrl, {
      method: "POST",
      headers,
      body: JSON.stringify([
        { jsonrpc: "2.0", id: 1, method: "status" },
        { jsonrpc: "2.0", id: 2, method: "get_outputs", params: { indices: [0, 99999] } },
      ]),
    });
    const arr = (await batch.json()) as { id: number; result: { outputs?: unknown[] } }[];
    expect(arr).toHaveLength(2);
    expect(arr.find((r) => r.id === 2)!.result.outputs![1]).toBeNull();
  });

  it("submit_tx → mempool → block; double-spends rejected against mempool and chain", async () => {
    const c = node.client;
    const a = buildTx(genesis, 5, { salt: 1 });
    const b = buildTx(genesis, 5, { salt: 2, fee: 200_000n }); // same key image, higher fee
    const other = buildTx(genesis, 6, { salt: 3 });
    expect((await c.submitTx(a.bytes)).txid).toBe(Buffer.from(a.txid).toString("hex"));
    // same tx again
    expect(rpcErr(await c.submitTx(a.bytes).catch((e: unknown) => e)).code).toBe(RPC_ERRORS.TX_ALREADY_KNOWN);
    // mempool double-spend: first seen wins
    const e1 = rpcErr(await c.submitTx(b.bytes).catch((e: unknown) => e));
    expect(e1.code).toBe(RPC_ERRORS.TX_REJECTED);
    expect(e1.consensusError?.code).toBe("TX_KEY_IMAGE_IN_POOL");
    expect(e1.consensusError?.action).toBe("IGNORE");
    await c.submitTx(other.bytes);
    const ks = await c.isKeyImageSpent([a.keyImage, other.keyImage, new Uint8Array(32).fill(9)]);
    expect(ks.statuses).toEqual(["mempool", "mempool", "unspent"]);
    const mp = await c.getMempool();
    expect(mp.count).toBe(2);
    const pooled = await c.getTx(a.txid);
    expect(pooled.status).toBe("mempool");
    const { height } = await node.produceBlock();
    expect((await c.getMempool()).count).toBe(0);
    const ks2 = await c.isKeyImageSpent([a.keyImage]);
    expect(ks2.statuses).toEqual(["spent"]);
    expect(ks2.heights).toEqual([Number(height)]);
    // chain double-spend
    const e2 = rpcErr(await c.submitTx(b.bytes).catch((e: unknown) => e));
    expect(e2.consensusError?.code).toBe("TX_KEY_IMAGE_SPENT");
    expect(e2.consensusError?.action).toBe("REJECT");
    const conf = await c.getTx(a.txid);
    expect(conf.status).toBe("confirmed");
    expect(conf.height).toBe(Number(height));
    expect(conf.hex).toBe(Buffer.from(a.bytes).toString("hex"));
    // scan data
    const range = await c.getBlocksRange(Number(height), Number(height));
    const blk = range.blocks[0]!;
    expect(blk.txs.map((t) => t.txid).sort()).toEqual([a.txid, other.txid].map((x) => Buffer.from(x).toString("hex")).sort());
    const firstTx = blk.txs[0]!;
    expect(firstTx.outputs[0]!.globalIndex).toBe(blk.coinbase.outputs[0]!.globalIndex + 1);
    expect(firstTx.keyImages).toHaveLength(1);
    // ring member data for the new outputs, and MMR proofs for them
    const outs = await c.getOutputs([firstTx.outputs[1]!.globalIndex]);
    expect(outs.outputs[0]!.oneTimeKey).toBe(firstTx.outputs[1]!.oneTimeKey);
    expect(outs.outputs[0]!.unlockHeight).toBe(Number(height) + 1);
    const proof = await c.getMmrProof(firstTx.outputs[1]!.globalIndex);
    const decoded = decodeInclusionProof(fromHex(proof.proof))!;
    const leaf = mmrLeafHash(BigInt(proof.globalIndex), fromHex(outs.outputs[0]!.oneTimeKey), fromHex(outs.outputs[0]!.commitment));
    expect(Buffer.from(leaf).toString("hex")).toBe(proof.leafHash);
    expect(verifyInclusionProof(fromHex(proof.root), BigInt(proof.leafCount), leaf, decoded)).toBe(true);
    // distribution
    const d = await c.getOutputDistribution();
    expect(d.cumulative[0]).toBe(PREMINE_OUTPUTS);
    expect(d.cumulative[d.cumulative.length - 1]).toBe((await c.status()).outputCount);
  });

  it("a malformed or invalid tx returns the ConsensusError code", async () => {
    const c = node.client;
    const e1 = rpcErr(await c.submitTx(Uint8Array.of(1, 2, 3)).catch((e: unknown) => e));
    expect(e1.consensusError?.code).toBe("TX_MALFORMED");
    const t = buildTx(genesis, 7, { salt: 4 });
    const bad = { ...t.tx, fee: 1n };
    const { encodeTx } = await import("@baios/consensus");
    const e2 = rpcErr(await c.submitTx(encodeTx(bad)).catch((e: unknown) => e));
    expect(e2.consensusError?.code).toBe("TX_FEE_TOO_LOW");
    const sig = t.tx.signatures[0]!.slice();
    sig[40] = (sig[40] ?? 0) ^ 1;
    const e3 = rpcErr(await c.submitTx(encodeTx({ ...t.tx, signatures: [sig] })).catch((e: unknown) => e));
    expect(["TX_POW_INSUFFICIENT", "TX_SIGNATURE_INVALID", "TX_NON_CANONICAL_SCALAR"]).toContain(e3.consensusError?.code);
  });

  it("serves Prometheus metrics with the baios_ prefix", async () => {
    const text = await (await fetch(node.metricsUrl!, { headers: { authorization: `Bearer ${node.rpcToken}` } })).text();
    expect(text).toContain("baios_chain_height ");
    expect(text).toContain("baios_tx_accepted_total");
    expect(text).toContain('baios_tx_rejected_total{code="TX_KEY_IMAGE_IN_POOL"}');
    expect(text).toContain("baios_process_resident_memory_bytes");
    expect(text).toContain('baios_rpc_requests_total{method="submit_tx",outcome="ok"}');
    for (const line of text.split("\n")) if (line !== "" && !line.startsWith("#")) expect(line.startsWith("baios_")).toBe(true);
  });
});

describe("node: built-in devnet genesis and the block timer", () => {
  it("produces blocks on its own, restarts on the same data directory", async () => {
    const { DEVNET_VALIDATOR_SEED } = await import("../src/genesis.ts");
    const { loadConfig } = await import("../src/config.ts");
    const dir = tmpDir();
    const base = testConfig(dir, { validatorKey: Buffer.from(DEVNET_VALIDATOR_SEED).toString("hex") });
    const cfg = loadConfig({ base, argv: ["--data-dir", dir, "--rpc-port", "0", "--workers", "1"] });
    let node = await startNode(cfg);
    const s = await node.client.waitForHeight(3, { timeoutMs: 10_000, pollMs: 20 });
    expect(s.chainId).toBe(0x0bad0001);
    await node.stop();
    await node.stop(); // idempotent
    const h = s.height;
    node = await startNode({ ...cfg, validator: false });
    expect((await node.client.status()).height).toBeGreaterThanOrEqual(h);
    expect((await node.client.status()).validator).toBeNull();
    await node.stop();
  });
});
