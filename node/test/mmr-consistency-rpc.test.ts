/**
 * RPC `get_mmr_consistency_proof` on a real node (LevelDB store, manual blocks): for every pair
 * of heights a ≤ b, the output-MMR proof between the headers' `outputCount`s and the header-MMR
 * proof between counts a and b carry exactly the headers' `outputRoot` / `headerRoot` and verify
 * with `verifyConsistencyProof`; a tampered proof or a root of another height is refused; bad
 * parameters answer INVALID_PARAMS / NOT_FOUND.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConsensusError, fromHex, toHex, verifyConsistencyProof, type BlockHeader } from "@baios/consensus";
import { RpcError } from "@baios/api";
import { startNode, type NodeHandle } from "../src/node.ts";
import { RPC_ERRORS } from "../src/rpc/errors.ts";
import { buildTx, testConfig, testGenesis, tmpDir } from "./helpers/fixture.ts";

let node: NodeHandle;
const headers: BlockHeader[] = [];

beforeAll(async () => {
  const genesis = await testGenesis();
  node = await startNode(testConfig(tmpDir(), { workers: 0 }), { genesis, manualBlocks: true });
  for (const inputs of [[0], [], [3, 5], [], []]) {
    for (const i of inputs) await node.submitTx(buildTx(genesis, i).bytes);
    await node.produceBlock();
  }
  for (let h = 0; h <= node.chain.tip.height; h++) headers.push((await node.chain.header(h))!);
}, 120_000);
afterAll(async () => {
  await node?.stop();
});

const code = (f: () => unknown): string => {
  try {
    f();
    return "accepted";
  } catch (e) {
    if (e instanceof ConsensusError) return e.code;
    throw e;
  }
};

describe("get_mmr_consistency_proof", () => {
  it("output MMR: every pair of headers; roots are the headers' outputRoots; tampering refused", async () => {
    const c = node.client;
    expect(headers.length).toBe(6);
    for (const a of headers) {
      for (const b of headers.filter((h) => h.height >= a.height)) {
        const r = await c.getMmrConsistencyProof(Number(a.outputCount), Number(b.outputCount));
        expect(r.mmr).toBe("output");
        expect(r.oldRoot).toBe(toHex(a.outputRoot));
        expect(r.newRoot).toBe(toHex(b.outputRoot));
        const proof = fromHex(r.proof);
        expect(code(() => verifyConsistencyProof(a.outputRoot, a.outputCount, b.outputRoot, b.outputCount, proof))).toBe("accepted");
        const bad = proof.slice();
        bad[17] = (bad[17] as number) ^ 1; // first byte of the first old peak
        if (a.outputCount > 0n) expect(code(() => verifyConsistencyProof(a.outputRoot, a.outputCount, b.outputRoot, b.outputCount, bad))).toBe("MMR_CONSISTENCY_INVALID");
      }
    }
    // default newCount: the tip's outputCount
    const tip = headers[headers.length - 1] as BlockHeader;
    const d = await c.getMmrConsistencyProof(Number((headers[1] as BlockHeader).outputCount));
    expect(d.newCount).toBe(Number(tip.outputCount));
    expect(d.newRoot).toBe(toHex(tip.outputRoot));
    // a root of another height
    const [h1, h3] = [headers[1] as BlockHeader, headers[3] as BlockHeader];
    const r13 = fromHex((await c.getMmrConsistencyProof(Number(h1.outputCount), Number(h3.outputCount))).proof);
    expect(code(() => verifyConsistencyProof(h1.outputRoot, h1.outputCount, tip.outputRoot, h3.outputCount, r13))).toBe("MMR_CONSISTENCY_INVALID");
  });

  it("header MMR: count c ↔ header c's headerRoot, every pair", async () => {
    const c = node.client;
    for (const a of headers) {
      for (const b of headers.filter((h) => h.height >= a.height)) {
        const r = await c.getMmrConsistencyProof(Number(a.height), Number(b.height), "header");
        expect(r.mmr).toBe("header");
        expect([r.oldRoot, r.newRoot]).toEqual([toHex(a.headerRoot), toHex(b.headerRoot)]);
        expect(code(() => verifyConsistencyProof(a.headerRoot, a.height, b.headerRoot, b.height, fromHex(r.proof)))).toBe("accepted");
      }
    }
    const d = await c.getMmrConsistencyProof(2, undefined, "header");
    expect(d.newCount).toBe(node.chain.tip.height);
  });

  it("bad parameters: oldCount > newCount, above the tip, unknown mmr", async () => {
    const c = node.client;
    const err = async (p: Promise<unknown>): Promise<number> => {
      const e = await p.then(() => undefined, (x: unknown) => x);
      expect(e).toBeInstanceOf(RpcError);
      return (e as RpcError).code;
    };
    expect(await err(c.getMmrConsistencyProof(5, 4))).toBe(RPC_ERRORS.INVALID_PARAMS);
    expect(await err(c.getMmrConsistencyProof(0, Number((headers[5] as BlockHeader).outputCount) + 1))).toBe(RPC_ERRORS.NOT_FOUND);
    expect(await err(c.getMmrConsistencyProof(0, node.chain.tip.height + 1, "header"))).toBe(RPC_ERRORS.NOT_FOUND);
    expect(await err(c.call("get_mmr_consistency_proof", { oldCount: 0, mmr: "kiset" }))).toBe(RPC_ERRORS.INVALID_PARAMS);
    expect(await err(c.call("get_mmr_consistency_proof", { oldCount: -1 }))).toBe(RPC_ERRORS.INVALID_PARAMS);
  });
});
