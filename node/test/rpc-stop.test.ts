/**
 * docs/node.md §Errors promises -32020 UNAVAILABLE for requests in flight when the node stops
 * (issue 6 "Requests in flight at SIGTERM"): a real node validating a burst of real transactions
 * on one worker is stopped while most of them are still being served.
 */
import { describe, expect, it } from "vitest";
import { startNode } from "../src/node.ts";
import { RPC_ERRORS } from "../src/rpc/errors.ts";
import { rpcPost } from "./helpers/http.ts";
import { PREMINE_OUTPUTS, buildTx, testConfig, testGenesis, tmpDir } from "./helpers/fixture.ts";

describe("node.stop() with RPC requests in flight", () => {
  it("answers each of them -32020 UNAVAILABLE (or its real result if it finished first); none is left hanging or reset", async () => {
    const genesis = await testGenesis();
    const txs = Array.from({ length: PREMINE_OUTPUTS }, (_, i) => buildTx(genesis, i));
    const node = await startNode(testConfig(tmpDir(), { workers: 1 }), { genesis, manualBlocks: true });
    const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
    const pending = txs.map((t, i) => rpcPost(node.rpcUrl, { jsonrpc: "2.0", id: i, method: "submit_tx", params: { tx: hex(t.bytes) } }, node.rpcToken));
    // stop once validation is under way (the first tx pooled) while most are still queued
    const t0 = Date.now();
    while (node.mempool.size < 1 && Date.now() - t0 < 10_000) await new Promise((r) => setTimeout(r, 2));
    await node.stop();
    const answers = await Promise.all(pending);
    let unavailable = 0;
    for (const [i, a] of answers.entries()) {
      expect(a.status).toBe(200);
      expect(a.json.id).toBe(i);
      if (a.json.error !== undefined) {
        expect(a.json.error.code).toBe(RPC_ERRORS.UNAVAILABLE);
        expect(a.json.error.message).toMatch(/stopping/);
        unavailable++;
      } else expect(a.json.result.txid).toBe(hex(txs[i]!.txid));
    }
    expect(unavailable).toBeGreaterThan(0);
  });
});
