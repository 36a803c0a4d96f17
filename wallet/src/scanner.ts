/**
 * Scanning: finds the wallet's outputs in block ranges served by the node (`get_blocks_range`),
 * with view tags, and detects spends by the key images the blocks carry (docs/wallet.md §4).
 *
 * Only public chain data comes from the node; the view secret never leaves the process. Every
 * block the node serves is final (BFT finality, no reorgs), so scanned outputs never roll back.
 * A full wallet computes each owned output's key image (`x·Hp(P)`) and recognises it when a
 * block's input carries it; a view-only wallet (a, B) sees incoming outputs but not spends.
 * @module
 */
import { commit, keyImage, oneTimeSecret, scanOutputs } from "@baios/crypto";
import type { NodeRpcClient, ScanBlockJson } from "@baios/node";
import { matchOutput, ONE_SCALAR, openAmount, sharedPoint } from "./derive.ts";
import { bytesEqual, bytesToHex, hexToBytes } from "./hex.ts";
import type { OwnedOutput, WalletState } from "./state.ts";

/** Secrets used while scanning; `spendSecret` is absent for a view-only wallet. */
export interface ScanKeys {
  viewSecret: Uint8Array;
  spendPublic: Uint8Array;
  spendSecret?: Uint8Array;
}

/** Counters of a scan ({@link scanBlock}, {@link scanChain}). */
export interface ScanStats {
  /** Blocks scanned. */
  blocks: number;
  /** Non-coinbase transactions scanned. */
  txs: number;
  /** Outputs examined (coinbase and transaction outputs). */
  outputs: number;
  /** Outputs newly found to belong to the wallet. */
  found: number;
  /** Owned outputs seen spent by their key image (full wallets only). */
  spent: number;
}

const newStats = (): ScanStats => ({ blocks: 0, txs: 0, outputs: 0, found: 0, spent: 0 });

function withKeyImage(o: OwnedOutput, keys: ScanKeys): OwnedOutput {
  if (keys.spendSecret !== undefined) {
    const x = oneTimeSecret(keys.viewSecret, keys.spendSecret, o.txPublicKey, o.index);
    o.keyImage = keyImage(x, o.oneTimeKey);
  }
  return o;
}

/** Scans one block into `state` (outputs found, spends detected). Idempotent per height. */
export function scanBlock(state: WalletState, keys: ScanKeys, block: ScanBlockJson, stats: ScanStats = newStats()): ScanStats {
  const have = new Set(state.outputs.map((o) => o.globalIndex));
  let fee = 0n;
  const noteTx = (txid: string, f: bigint): void => {
    state.txMeta[txid] ??= { height: block.height, timeMs: block.timeMs, fee: f };
  };
  const add = (o: OwnedOutput): void => {
    if (have.has(o.globalIndex)) return;
    have.add(o.globalIndex);
    state.outputs.push(withKeyImage(o, keys));
    noteTx(o.txid, o.coinbase ? 0n : fee);
    stats.found++;
  };
  stats.blocks++;

  // Coinbase / premine: public amounts, mask 1, one tx public key.
  const cb = block.coinbase;
  if (cb.outputs.length > 0) {
    const R = hexToBytes(cb.txPublicKey);
    const D = sharedPoint(keys.viewSecret, R);
    cb.outputs.forEach((o, i) => {
      stats.outputs++;
      const P = hexToBytes(o.oneTimeKey);
      if (matchOutput(D, i, P, o.viewTag, keys.spendPublic) === undefined) return;
      const amount = BigInt(o.amount);
      const C = hexToBytes(o.commitment);
      if (!bytesEqual(commit(amount, ONE_SCALAR), C)) return;
      add({ globalIndex: o.globalIndex, height: block.height, txid: `coinbase:${block.height}`, index: i, txPublicKey: R, amount, mask: ONE_SCALAR, oneTimeKey: P, commitment: C, unlockHeight: o.unlockHeight, coinbase: true });
    });
  }

  const byKeyImage = new Map<string, OwnedOutput>();
  for (const o of state.outputs) if (o.keyImage !== undefined && o.spentHeight === undefined) byKeyImage.set(bytesToHex(o.keyImage), o);

  for (const tx of block.txs) {
    stats.txs++;
    fee = BigInt(tx.fee);
    // spends
    for (const ki of tx.keyImages) {
      const o = byKeyImage.get(ki);
      if (o !== undefined) {
        o.spentHeight = block.height;
        o.spentTxid = tx.txid;
        noteTx(tx.txid, BigInt(tx.fee));
        stats.spent++;
      }
    }
    for (const s of state.sent) if (s.txid === tx.txid) s.height = block.height;
    // receipts
    const outs = tx.outputs.map((o) => ({ oneTimeKey: hexToBytes(o.oneTimeKey), commitment: hexToBytes(o.commitment), viewTag: o.viewTag, encryptedAmount: hexToBytes(o.encryptedAmount) }));
    stats.outputs += outs.length;
    const unlockHeight = block.height + 1;
    if (tx.txPublicKeys.length === 1) {
      const R = hexToBytes(tx.txPublicKeys[0]!);
      for (const f of scanOutputs(keys.viewSecret, keys.spendPublic, R, outs, true)) {
        const o = outs[f.index]!;
        add({ globalIndex: tx.outputs[f.index]!.globalIndex, height: block.height, txid: tx.txid, index: f.index, txPublicKey: R, amount: f.amount, mask: f.mask, oneTimeKey: o.oneTimeKey, commitment: o.commitment, unlockHeight, coinbase: false });
      }
    } else {
      outs.forEach((o, i) => {
        const R = hexToBytes(tx.txPublicKeys[i]!);
        const s = matchOutput(sharedPoint(keys.viewSecret, R), i, o.oneTimeKey, o.viewTag, keys.spendPublic);
        if (s === undefined) return;
        const opened = openAmount(s, o.encryptedAmount, o.commitment);
        if (opened === undefined) return;
        add({ globalIndex: tx.outputs[i]!.globalIndex, height: block.height, txid: tx.txid, index: i, txPublicKey: R, amount: opened.amount, mask: opened.mask, oneTimeKey: o.oneTimeKey, commitment: o.commitment, unlockHeight, coinbase: false });
      });
    }
  }
  state.scannedHeight = Math.max(state.scannedHeight, block.height);
  return stats;
}

/** Progress of {@link scanChain}: reported before the first batch and after each batch. */
export interface ScanProgress {
  /** First height of this scan (`scannedHeight + 1` at its start). */
  from: number;
  /** Last height to scan: the node's tip when the scan started. */
  to: number;
  /** Last height scanned so far (−1 before the first block). */
  height: number;
}

/**
 * Scans from `state.scannedHeight + 1` to the node's tip in batches of `batch` blocks.
 * @param onProgress called after each batch (the CLI drives a cli-progress bar with it)
 */
export async function scanChain(client: NodeRpcClient, state: WalletState, keys: ScanKeys, opts: { batch?: number; onProgress?: (p: ScanProgress) => void } = {}): Promise<ScanStats> {
  const status = await client.status();
  if (state.genesisHash !== undefined && status.genesisHash !== "" && state.genesisHash !== status.genesisHash) {
    throw new Error(`this wallet was scanned on another chain (genesis ${state.genesisHash.slice(0, 16)}…, node ${status.genesisHash.slice(0, 16)}…); run rescan`);
  }
  if (status.genesisHash !== "") state.genesisHash = status.genesisHash;
  const stats = newStats();
  const from = state.scannedHeight + 1;
  const tip = status.height;
  const batch = opts.batch ?? 200;
  opts.onProgress?.({ from, to: tip, height: state.scannedHeight });
  for (let h = from; h <= tip; h += batch) {
    const res = await client.getBlocksRange(h, Math.min(tip, h + batch - 1));
    for (const b of res.blocks) scanBlock(state, keys, b, stats);
    opts.onProgress?.({ from, to: tip, height: state.scannedHeight });
  }
  return stats;
}
