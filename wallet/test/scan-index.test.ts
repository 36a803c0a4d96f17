// Issue 11: scanBlock keeps its look-up tables of owned outputs (by global index, one-time key and
// key image: wallet/src/scan-index.ts) from block to block instead of rebuilding them per block.
// Property: scanning a chain with one state gives exactly the state and counters of scanning it
// with a fresh copy of the state before every block (which rebuilds the index each time), over
// generated blocks with outputs to the wallet, spends of its outputs (key images seen once or
// twice), and re-sent outputs with a one-time key it already holds (burning bug). And a view-only
// wallet that imports key images later sees the spends in the blocks after. Real crypto core.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { emptyState, type WalletState } from "../src/state.ts";
import { scanBlock, type ScanKeys, type ScanStats, type ScanView } from "../src/scanner.ts";
import { bytesToHex } from "../src/hex.ts";
import { buildScanBlocks, walletKeys, type BlockSpec, type OutputKind } from "./helpers/scan-blocks.ts";

const me = walletKeys(3);
const other = walletKeys(4);
const full: ScanKeys = { viewSecret: me.viewSecret, spendPublic: me.spendPublic, spendSecret: me.spendSecret };
const viewOnly: ScanKeys = { viewSecret: me.viewSecret, spendPublic: me.spendPublic };
const kind: fc.Arbitrary<OutputKind> = fc.constantFrom("mine", "mine", "foreign", "mine-bad-tag");
const blockSpec: fc.Arbitrary<BlockSpec> = fc.record({
  coinbase: fc.array(kind, { maxLength: 2 }),
  txs: fc.array(fc.record({ outputs: fc.array(kind, { minLength: 1, maxLength: 3 }), perOutputKeys: fc.boolean() }), { maxLength: 3 }),
});
const newStats = (): ScanStats => ({ blocks: 0, txs: 0, outputs: 0, found: 0, spent: 0, duplicateKeys: 0 });
const freshState = (): WalletState => emptyState("devnet", { viewSecret: me.viewSecret, viewPublic: me.viewPublic, spendPublic: me.spendPublic });

/** One state through every block (the index kept and extended). */
function scanKept(keys: ScanKeys, blocks: ScanView[]) {
  const state = freshState();
  const stats = newStats();
  for (const b of blocks) scanBlock(state, keys, b, stats);
  return { state, stats };
}
/** A fresh copy of the state before every block: its index is rebuilt from scratch each time. */
function scanRebuilt(keys: ScanKeys, blocks: ScanView[]) {
  let state = freshState();
  const stats = newStats();
  for (const b of blocks) {
    state = structuredClone(state);
    scanBlock(state, keys, b, stats);
  }
  return { state, stats };
}

/**
 * `blocks`, then one block per entry of `later`: a tx spending the key images of the chosen owned
 * outputs (by position, modulo), and a copy of the tx that paid the chosen output again (same
 * tx key and index, so the same one-time key) under new global indexes.
 */
function withSpendsAndResends(blocks: ScanView[], owned: WalletState["outputs"], later: { spend: number[]; resend: number | null }[]): ScanView[] {
  const out = [...blocks];
  let height = blocks.length + 1;
  let gi = 1_000_000;
  for (const l of later) {
    const txs: ScanView["txs"] = [];
    const kis = l.spend.map((i) => owned[i % owned.length]?.keyImage).filter((k): k is Uint8Array => k !== undefined);
    txs.push({ txid: `${height}`.padStart(64, "0"), fee: "7", txPublicKeys: [blocks[0]!.coinbase.txPublicKey], keyImages: kis.map(bytesToHex), outputs: [] });
    const o = l.resend === null ? undefined : owned[l.resend % owned.length];
    const src = o === undefined || o.coinbase ? undefined : blocks.flatMap((b) => b.txs).find((t) => t.txid === o.txid);
    if (src !== undefined) txs.push({ ...src, txid: `${height}`.padStart(63, "0") + "f", outputs: src.outputs.map((x) => ({ ...x, globalIndex: gi++ })) });
    out.push({ height, timeMs: height * 1000, coinbase: { height, txPublicKey: blocks[0]!.coinbase.txPublicKey, outputs: [] }, txs });
    height++;
  }
  return out;
}

describe("scanBlock's kept index of owned outputs", () => {
  it("gives the same state and counters as rebuilding it before every block (property)", () => {
    let spent = 0;
    let dups = 0;
    fc.assert(
      fc.property(
        fc.array(blockSpec, { minLength: 1, maxLength: 4 }),
        fc.array(fc.record({ spend: fc.array(fc.nat(20), { maxLength: 3 }), resend: fc.option(fc.nat(20)) }), { maxLength: 4 }),
        fc.boolean(),
        (specs, later, vo) => {
          const keys = vo ? viewOnly : full;
          const base = buildScanBlocks(specs, me, other);
          const owned = scanRebuilt(full, base).state.outputs;
          const blocks = owned.length === 0 ? base : withSpendsAndResends(base, owned, later);
          const kept = scanKept(keys, blocks);
          const rebuilt = scanRebuilt(keys, blocks);
          expect(kept.stats).toEqual(rebuilt.stats);
          expect(kept.state).toEqual(rebuilt.state);
          if (!vo) expect(kept.stats.spent).toBe(new Set(later.flatMap((l) => l.spend.map((i) => i % Math.max(1, owned.length)))).size * (owned.length > 0 ? 1 : 0));
          spent += kept.stats.spent;
          dups += kept.stats.duplicateKeys;
        },
      ),
      { numRuns: 30 },
    );
    expect(spent).toBeGreaterThan(0);
    expect(dups).toBeGreaterThan(0);
  });

  it("a view-only wallet sees spends once it imports the key images, in the blocks after", () => {
    const base = buildScanBlocks([{ coinbase: [], txs: [{ outputs: ["mine", "mine"] }] }], me, other);
    const owned = scanKept(full, base).state.outputs;
    expect(owned).toHaveLength(2);
    const blocks = withSpendsAndResends(base, owned, [{ spend: [0], resend: null }, { spend: [1], resend: null }]);
    const state = freshState();
    scanBlock(state, viewOnly, blocks[0]!);
    scanBlock(state, viewOnly, blocks[1]!); // spends output 0: not seen, no key images yet
    expect(state.outputs.map((o) => o.spentHeight)).toEqual([undefined, undefined]);
    state.outputs.forEach((o, i) => (o.keyImage = owned[i]!.keyImage)); // imported in place (wallet/src/proofs.ts)
    const stats = scanBlock(state, viewOnly, blocks[2]!); // spends output 1
    expect(stats.spent).toBe(1);
    expect(state.outputs.map((o) => o.spentHeight)).toEqual([undefined, blocks[2]!.height]);
  });
});
