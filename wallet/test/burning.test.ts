/**
 * Issue 6, the burning bug (CryptoNote, 2018), wallet side: two outputs with the same one-time
 * key share one key image, so only one can ever be spent. Whatever a node sends, the wallet
 * credits only the first output with a given one-time key: across blocks, across transactions,
 * inside one transaction, and between a coinbase and a transaction.
 */
import { describe, expect, it } from "vitest";
import { commit, makeOutput, randomScalar, scalarMultBase } from "@baios/crypto";
import { emptyState } from "../src/state.ts";
import { scanBlock, type ScanView } from "../src/scanner.ts";
import { devnetMnemonic, keysFromSeed } from "../src/keys.ts";
import { ONE_SCALAR } from "../src/derive.ts";
import { bytesToHex } from "../src/hex.ts";
import { Wallet } from "../src/wallet.ts";

const BAI = 100_000_000n;
const me = keysFromSeed(new Uint8Array(32).fill(3));
const keys = { viewSecret: me.viewSecret, spendPublic: me.spendPublic, spendSecret: me.spendSecret };
const fresh = () => emptyState("devnet", { seed: new Uint8Array(32).fill(3), viewSecret: me.viewSecret, viewPublic: me.viewPublic, spendPublic: me.spendPublic });

/** A tx scan view paying `amounts` to me from tx secret `r` (output i derived at index i). */
function txTo(r: Uint8Array, amounts: bigint[], firstIndex: number, txid: string) {
  const outs = amounts.map((a, i) => makeOutput(r, me.viewPublic, me.spendPublic, i, a));
  return {
    txid,
    fee: "100000",
    txPublicKeys: [bytesToHex(scalarMultBase(r))],
    keyImages: [],
    outputs: outs.map((o, i) => ({ globalIndex: firstIndex + i, oneTimeKey: bytesToHex(o.oneTimeKey), commitment: bytesToHex(o.commitment), viewTag: o.viewTag, encryptedAmount: bytesToHex(o.encryptedAmount) })),
  };
}
const emptyCoinbase = (height: number) => ({ height, txPublicKey: bytesToHex(scalarMultBase(randomScalar())), outputs: [] });
const block = (height: number, txs: ScanView["txs"], coinbase: ScanView["coinbase"] = emptyCoinbase(height)): ScanView => ({ height, timeMs: height * 1000, coinbase, txs });

describe("the wallet never credits a second output with a one-time key it holds", () => {
  it("across blocks: a small payment, then a big one reusing its one-time key (same r, same index)", async () => {
    const r = randomScalar();
    const s = fresh();
    const first = scanBlock(s, keys, block(5, [txTo(r, [1n * BAI], 100, "aa".repeat(32))]));
    expect(first.found).toBe(1);
    const second = scanBlock(s, keys, block(6, [txTo(r, [1000n * BAI], 200, "bb".repeat(32))]));
    expect(second.found).toBe(0);
    expect(second.duplicateKeys).toBe(1);
    expect(s.outputs.map((o) => o.amount)).toEqual([1n * BAI]);
    // the balance a wallet with this state reports
    const w = Wallet.restore(devnetMnemonic(7), "devnet");
    w.state = s;
    expect((await w.balance()).spendable).toBe(1n * BAI);
  });

  it("inside one block: two transactions with the same one-time key", () => {
    const r = randomScalar();
    const s = fresh();
    const st = scanBlock(s, keys, block(7, [txTo(r, [2n * BAI], 10, "cc".repeat(32)), txTo(r, [2n * BAI], 11, "dd".repeat(32))]));
    expect(st.found).toBe(1);
    expect(st.duplicateKeys).toBe(1);
    expect(s.outputs).toHaveLength(1);
  });

  it("a coinbase output and a transaction output with the same one-time key", () => {
    const r = randomScalar();
    const o = makeOutput(r, me.viewPublic, me.spendPublic, 0, 3n * BAI);
    const coinbase = { height: 8, txPublicKey: bytesToHex(scalarMultBase(r)), outputs: [{ globalIndex: 50, oneTimeKey: bytesToHex(o.oneTimeKey), viewTag: o.viewTag, amount: (3n * BAI).toString(), unlockHeight: 10, commitment: bytesToHex(commit(3n * BAI, ONE_SCALAR)) }] };
    const s = fresh();
    const st = scanBlock(s, keys, block(8, [txTo(r, [9n * BAI], 51, "ee".repeat(32))], coinbase));
    expect(st.found).toBe(1);
    expect(st.duplicateKeys).toBe(1);
    expect(s.outputs.map((x) => x.amount)).toEqual([3n * BAI]);
  });

  it("rescanning the same block stays idempotent (same global index is not a duplicate key)", () => {
    const r = randomScalar();
    const s = fresh();
    const b = block(9, [txTo(r, [4n * BAI], 60, "ff".repeat(32))]);
    scanBlock(s, keys, b);
    const again = scanBlock(s, keys, b);
    expect(again.found).toBe(0);
    expect(again.duplicateKeys).toBe(0);
    expect(s.outputs).toHaveLength(1);
  });
});
