// Issue 11, wallet scanning on worker threads: the worker-based scan gives exactly the state of
// the single-thread scan (property test over generated blocks: outputs to the wallet, foreign
// outputs, outputs with a wrong amount or view tag, per-output tx keys), for a full and a
// view-only wallet; a malformed view fails on both paths. Real worker threads and crypto core.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { emptyState } from "../src/state.ts";
import { scanBlock, type ScanKeys, type ScanStats } from "../src/scanner.ts";
import { ScanWorkers } from "../src/scan-workers.ts";
import { buildScanBlocks, walletKeys, type BlockSpec, type OutputKind } from "./helpers/scan-blocks.ts";

const me = walletKeys(1);
const other = walletKeys(2);
const kind: fc.Arbitrary<OutputKind> = fc.constantFrom("mine", "foreign", "foreign", "mine-bad-amount", "mine-bad-tag");
const blockSpec: fc.Arbitrary<BlockSpec> = fc.record({
  coinbase: fc.array(kind, { maxLength: 3 }),
  txs: fc.array(fc.record({ outputs: fc.array(kind, { minLength: 1, maxLength: 4 }), perOutputKeys: fc.boolean() }), { maxLength: 4 }),
});

function scanAll(keys: ScanKeys, blocks: ReturnType<typeof buildScanBlocks>, matches?: Awaited<ReturnType<ScanWorkers["matchBlocks"]>>) {
  const state = emptyState("devnet", { viewSecret: me.viewSecret, viewPublic: me.viewPublic, spendPublic: me.spendPublic });
  const stats: ScanStats = { blocks: 0, txs: 0, outputs: 0, found: 0, spent: 0, duplicateKeys: 0 };
  const touched = new Set<string>();
  blocks.forEach((b, i) => scanBlock(state, keys, b, stats, touched, matches?.[i]));
  return { state, stats, touched: [...touched] };
}

describe("wallet scan on worker threads", () => {
  let workers: ScanWorkers;
  beforeAll(() => {
    workers = new ScanWorkers({ viewSecret: me.viewSecret, spendPublic: me.spendPublic }, 2);
  });
  afterAll(async () => {
    await workers.close();
  });

  it("gives the same state, stats and touched txs as the single-thread scan (property)", async () => {
    const full: ScanKeys = { viewSecret: me.viewSecret, spendPublic: me.spendPublic, spendSecret: me.spendSecret };
    const viewOnly: ScanKeys = { viewSecret: me.viewSecret, spendPublic: me.spendPublic };
    let credited = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(blockSpec, { minLength: 1, maxLength: 5 }), fc.boolean(), async (specs, vo) => {
        const keys = vo ? viewOnly : full;
        const blocks = buildScanBlocks(specs, me, other);
        const single = scanAll(keys, blocks);
        const parallel = scanAll(keys, blocks, await workers.matchBlocks(blocks));
        expect(parallel).toEqual(single);
        // what was credited is exactly the well-formed outputs to this wallet
        const mine = specs.reduce((n, s) => n + s.coinbase.filter((k) => k === "mine").length + s.txs.reduce((m, t) => m + t.outputs.filter((k) => k === "mine").length, 0), 0);
        expect(single.stats.found).toBe(mine);
        credited += mine;
      }),
      { numRuns: 25 },
    );
    expect(credited).toBeGreaterThan(0);
  });

  it("a malformed view fails on both paths", async () => {
    const blocks = buildScanBlocks([{ coinbase: [], txs: [{ outputs: ["mine", "foreign"] }] }], me, other);
    blocks[0]!.txs[0]!.outputs[1]!.oneTimeKey = "zz";
    const keys: ScanKeys = { viewSecret: me.viewSecret, spendPublic: me.spendPublic };
    expect(() => scanAll(keys, blocks)).toThrow();
    await expect(workers.matchBlocks(blocks)).rejects.toThrow();
    // the workers still answer afterwards
    const ok = buildScanBlocks([{ coinbase: ["mine"], txs: [] }], me, other);
    expect((await workers.matchBlocks(ok))[0]!.coinbase).toHaveLength(1);
  });

  it("a tx public key that is not a point fails its batched core call; that run is matched tx by tx and fails as on one thread", async () => {
    const blocks = buildScanBlocks([{ coinbase: ["mine"], txs: [{ outputs: ["mine"] }, { outputs: ["mine", "foreign"] }] }, { coinbase: ["mine"], txs: [{ outputs: ["mine"] }] }], me, other);
    blocks[1]!.txs[0]!.txPublicKeys = ["ff".repeat(32)]; // hex, but not a ristretto255 encoding
    const keys: ScanKeys = { viewSecret: me.viewSecret, spendPublic: me.spendPublic };
    expect(() => scanAll(keys, blocks)).toThrow(/point|encoding/i);
    await expect(workers.matchBlocks(blocks)).rejects.toThrow(/point|encoding/i);
    // without the bad block, both workers' runs succeed and give the single-thread matches
    const good = blocks.slice(0, 1);
    expect(scanAll(keys, good, await workers.matchBlocks(good))).toEqual(scanAll(keys, good));
  });

  it("a wallet with a subaddress table posts units (not packed outputs) and matches as on one thread", async () => {
    const table = new Map<string, readonly [number, number]>([["ab".repeat(32), [1, 1]]]);
    const withTable = new ScanWorkers({ viewSecret: me.viewSecret, spendPublic: me.spendPublic, subaddresses: table }, 2);
    try {
      const blocks = buildScanBlocks([{ coinbase: ["mine"], txs: [{ outputs: ["mine", "foreign"] }, { outputs: ["foreign"] }] }], me, other);
      const keys: ScanKeys = { viewSecret: me.viewSecret, spendPublic: me.spendPublic, subaddresses: table };
      const single = scanAll(keys, blocks);
      expect(single.stats.found).toBe(2);
      expect(scanAll(keys, blocks, await withTable.matchBlocks(blocks))).toEqual(single);
    } finally {
      await withTable.close();
    }
  });
});
