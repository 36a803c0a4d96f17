/**
 * Fuzz target: the node's JSON-RPC server over real HTTP on 127.0.0.1 (docs/node.md §JSON-RPC 2.0,
 * docs/fuzzing.md). A real node (worker threads, LevelDB on disk, a few blocks and pooled txs)
 * gets random requests: single calls and batches of every method with plausible and hostile
 * params (real heights, hashes, txids, tx hex; random JSON; prototype keys), JSON edits of valid
 * requests, nulls, deep nesting (to 20,000 levels), non-JSON, 9–12 MB bodies; valid auth, Host and
 * Content-Type in most cases and one of them wrong or odd in the rest; now and then another
 * HTTP method or path. One to three requests per case, concurrently.
 * Oracle: every request gets a complete, well-formed HTTP answer (no reset, no 5xx but 503; JSON
 * that parses; on 200 a JSON-RPC 2.0 response or a non-empty array of them), never -32603 (an
 * internal error is a bug by docs/node.md §Errors); no crash, hang or unhandled rejection in the
 * node's process; `status` still answers after the run.
 * Run: `node node/fuzz/node-rpc.fuzz.ts --seconds 20` (or `scripts/fuzz`).
 * @module
 */
import fc from "fast-check";
import { rmSync } from "node:fs";
import { bump, runFuzzTarget } from "../../consensus/fuzz/harness.ts";
import { startNode, type NodeHandle } from "../src/node.ts";
import { createMethods } from "../src/rpc/methods.ts";
import { buildTx, testConfig, testGenesis, tmpDir } from "../test/helpers/fixture.ts";
import { ClientRefused, checkAnswer, closeAgent, errorCodes, httpCaseArb, okMethods, send, type RpcVocabulary, type Target } from "./http.ts";

const hex = (b: Uint8Array): string => Buffer.from(b).toString("hex");
const INTERNAL_ERROR = -32603;

interface Ctx {
  node: NodeHandle;
  dir: string;
  target: Target;
  vocab: RpcVocabulary;
}

await runFuzzTarget<{ cases: ReturnType<typeof httpCaseArb> extends fc.Arbitrary<infer T> ? T[] : never }, Ctx>({
  name: "node-rpc",
  setup: async () => {
    const genesis = await testGenesis();
    const dir = tmpDir("baios-fuzz-node-");
    const node = await startNode(testConfig(dir, { workers: 1 }), { genesis, manualBlocks: true });
    const txs = [0, 1, 2, 3].map((i) => buildTx(genesis, i));
    await node.submitTx(txs[0]!.bytes);
    await node.produceBlock();
    await node.produceBlock();
    await node.submitTx(txs[1]!.bytes);
    const url = new URL(node.rpcUrl);
    const token = (node as { rpcToken?: string }).rpcToken;
    const target: Target = { host: url.hostname, port: Number(url.port), token };
    let methods: string[];
    try {
      methods = Object.keys(createMethods({} as Parameters<typeof createMethods>[0]));
    } catch {
      methods = ["status", "get_params", "get_header", "get_block", "get_blocks_range", "get_outputs", "get_output_distribution", "submit_tx", "get_tx", "get_mempool", "is_key_image_spent", "get_mmr_proof"];
    }
    const tip = node.chain.tip;
    const goodValues: unknown[] = [
      0, 1, 2, 3, -1, 999, 2 ** 32, 2 ** 53, 1.5, "1", "0x01", null, true, "hex", "json", "bin",
      hex(tip.hash), hex(node.chain.tipHeader.parentHash), "00".repeat(32), "zz".repeat(32), "ab",
      ...txs.map((t) => hex(t.bytes)), ...txs.map((t) => hex(t.txid)), ...txs.map((t) => hex(t.keyImage)),
      hex(txs[2]!.bytes).slice(0, 300), [hex(txs[0]!.keyImage), "00".repeat(32)], [0, 1, 2, 25, 10 ** 9], Array.from({ length: 6000 }, (_, i) => i),
    ];
    const paramKeys = ["height", "hash", "from", "to", "count", "indices", "globalIndex", "keyImages", "tx", "txid", "format", "encoding", "max", "limit"];
    const call = (method: string, params?: unknown): unknown => ({ jsonrpc: "2.0", id: 1, method, ...(params === undefined ? {} : { params }) });
    const validRequests = [
      call("status"),
      call("get_block", { height: 1 }),
      call("get_blocks_range", { from: 0, to: 2 }),
      call("get_outputs", { indices: [0, 1, 2, 24] }),
      call("get_output_distribution", { from: 0 }),
      call("submit_tx", { tx: hex(txs[2]!.bytes) }),
      call("submit_tx", { tx: hex(txs[3]!.bytes) }),
      call("get_tx", { txid: hex(txs[0]!.txid) }),
      call("is_key_image_spent", { keyImages: txs.map((t) => hex(t.keyImage)) }),
      call("get_mmr_proof", { globalIndex: 3 }),
      call("get_mempool"),
    ];
    return { node, dir, target, vocab: { methods, paramKeys, goodValues, validRequests } };
  },
  arbitrary: (c) => fc.record({ cases: fc.array(httpCaseArb(c.target, c.vocab), { minLength: 1, maxLength: 3 }) }),
  check: async ({ cases }, c, stats) => {
    await Promise.all(
      cases.map(async (hc) => {
        let answer;
        try {
          answer = await send(c.target, hc, 20_000);
        } catch (e) {
          if (e instanceof ClientRefused) {
            stats.skipped++;
            return;
          }
          throw new Error(`${hc.label}: no well-formed HTTP answer: ${(e as Error).message}`);
        }
        let parsed: unknown;
        try {
          parsed = checkAnswer(answer, hc);
        } catch (e) {
          throw new Error(`${hc.label}: ${(e as Error).message}`);
        }
        const codes = errorCodes(parsed);
        if (codes.includes(INTERNAL_ERROR)) throw new Error(`${hc.label}: -32603 internal error (a bug): ${answer.body.toString("utf8").slice(0, 300)}`);
        bump(stats, `http_${answer.status}`);
        for (const code of codes) bump(stats, `rpc_${code}`);
        for (const m of okMethods(hc, parsed)) bump(stats, `ok_${m}`);
      }),
    );
  },
  after: async (c) => {
    const s = await c.node.client.status();
    if (typeof s.height !== "number") throw new Error("status did not answer after the run");
  },
  teardown: async (c) => {
    closeAgent();
    await c.node.stop();
    rmSync(c.dir, { recursive: true, force: true });
  },
  caseTimeoutMs: 60_000,
});
