/**
 * The wallet's persistent state (what the encrypted wallet file holds) and its JSON codec.
 * Amounts are bigint atomic units; heights and global indices are numbers (the node's RPC
 * uses numbers for them). Bytes are stored as hex.
 * @module
 */
import type { Network } from "./address.ts";

/** An output the wallet owns. */
export interface OwnedOutput {
  globalIndex: number;
  /** Height of the block that created it. */
  height: number;
  /** Creating tx id (hex), or `coinbase:<height>` for coinbase/premine outputs. */
  txid: string;
  /** Position of the output in its transaction (or coinbase). */
  index: number;
  /** The tx public key R this output was derived from (32 bytes). */
  txPublicKey: Uint8Array;
  amount: bigint;
  /** Commitment mask y (32 bytes); 1 for coinbase outputs. */
  mask: Uint8Array;
  oneTimeKey: Uint8Array;
  commitment: Uint8Array;
  /** First block height it may be spent in. */
  unlockHeight: number;
  coinbase: boolean;
  /** Key image (full wallets only; a view-only wallet cannot compute it). */
  keyImage?: Uint8Array;
  /** Set when a block spends it. */
  spentHeight?: number;
  spentTxid?: string;
}

/** A transaction this wallet sent, with the secrets needed for the payment proof. */
export interface SentTx {
  txid: string;
  /** The tx secret key r (32 bytes). Secret; reveal it only as a payment proof. */
  txSecret: Uint8Array;
  destinations: { address: string; amount: bigint }[];
  change: bigint;
  fee: bigint;
  /** Key images of its inputs (hex), reserved while the tx is in the mempool. */
  keyImages: string[];
  createdMs: number;
  /** Height once it is in a block. */
  height?: number;
}

/** Everything the wallet remembers, kept encrypted in the wallet file (docs/wallet.md §3); see {@link serializeState}. */
export interface WalletState {
  /** State format version. */
  version: 1;
  /** Network of the wallet's address. */
  network: Network;
  /** 32-byte wallet seed; absent for a view-only wallet. */
  seed?: Uint8Array;
  /** View secret a (32-byte scalar). */
  viewSecret: Uint8Array;
  /** View public key A = a·G (32 bytes). */
  viewPublic: Uint8Array;
  /** Spend public key B (32 bytes). */
  spendPublic: Uint8Array;
  /** Genesis hash (hex) of the chain the wallet scanned, to refuse another chain. */
  genesisHash?: string;
  /** Last scanned height, −1 before the first scan. */
  scannedHeight: number;
  /** Owned outputs found by scanning, spent ones included (`spentHeight` set). */
  outputs: OwnedOutput[];
  /** Transfers this wallet sent, with their tx secrets (payment proofs). */
  sent: SentTx[];
  /** Height, block time (ms) and fee of every tx (or `coinbase:<h>`) that touched the wallet (history). */
  txMeta: Record<string, { height: number; timeMs: number; fee: bigint }>;
}

/** The state of a new or restored wallet: keys only (32 bytes each, kept by reference), nothing scanned (`scannedHeight` −1). Omit `seed` for a view-only wallet. */
export function emptyState(network: Network, keys: { seed?: Uint8Array; viewSecret: Uint8Array; viewPublic: Uint8Array; spendPublic: Uint8Array }): WalletState {
  const s: WalletState = { version: 1, network, viewSecret: keys.viewSecret, viewPublic: keys.viewPublic, spendPublic: keys.spendPublic, scannedHeight: -1, outputs: [], sent: [], txMeta: {} };
  if (keys.seed !== undefined) s.seed = keys.seed;
  return s;
}

/** Forgets everything learned from the chain (rescan), keeping keys and sent-tx secrets. */
export function resetScan(s: WalletState): void {
  s.scannedHeight = -1;
  s.outputs = [];
  s.txMeta = {};
  for (const t of s.sent) delete t.height;
}

// JSON codec: bigint → {"$n": "..."}, Uint8Array → {"$b": "hex"}.
export function serializeState(s: WalletState): Uint8Array {
  const text = JSON.stringify(s, (_k, v: unknown) => {
    if (typeof v === "bigint") return { $n: v.toString() };
    if (v instanceof Uint8Array) return { $b: Buffer.from(v).toString("hex") };
    return v;
  });
  return new TextEncoder().encode(text);
}

/** Parses {@link serializeState} output (UTF-8 JSON; `{"$n": decimal}` → bigint, `{"$b": hex}` → Uint8Array). Only the version is validated. @throws SyntaxError on invalid JSON or a bad `$n`; Error on a state version other than 1 */
export function deserializeState(bytes: Uint8Array): WalletState {
  const s = JSON.parse(new TextDecoder().decode(bytes), (_k, v: unknown) => {
    if (v !== null && typeof v === "object" && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      const keys = Object.keys(o);
      if (keys.length === 1 && typeof o["$n"] === "string") return BigInt(o["$n"]);
      if (keys.length === 1 && typeof o["$b"] === "string") return new Uint8Array(Buffer.from(o["$b"], "hex"));
    }
    return v;
  }) as WalletState;
  if (s.version !== 1) throw new Error(`unsupported wallet state version ${String(s.version)}`);
  return s;
}
