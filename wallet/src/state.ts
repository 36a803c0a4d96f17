/**
 * The wallet's persistent state (what the encrypted wallet file holds) and its JSON codec.
 * Amounts are bigint atomic units; heights and global indices are numbers (the node's RPC
 * uses numbers for them). Bytes are stored as hex.
 * @module
 */
import * as v from "valibot";
import { NETWORKS, type Network } from "./address.ts";
import { describeIssue, WalletFileError } from "./walletfile.ts";

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
  /** The subaddress `[account, index]` it was received on (docs/crypto.md §11); absent for the main address (0, 0). */
  subaddress?: [number, number];
  /** Set when a block spends it. */
  spentHeight?: number;
  spentTxid?: string;
}

/** A transaction this wallet sent, with the secrets needed for the payment proof. */
export interface SentTx {
  txid: string;
  /** The tx secret key r (32 bytes). Secret; reveal it only as a payment proof. */
  txSecret: Uint8Array;
  /** Per-output tx secrets `r_k` (32 bytes each) of a tx with one tx public key per output (a subaddress destination, docs/crypto.md §11). */
  txSecrets?: Uint8Array[];
  /** With `txSecrets`: the output position of each destination (same order as `destinations`). */
  outputIndices?: number[];
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
  /** Genesis hash (32 bytes, lowercase hex) of the chain the wallet scanned, to refuse another chain: pinned on first use (devnet, testnet) or equal to the network's constant (docs/wallet.md §4.1). */
  genesisHash?: string;
  /** Hash of the genesis validator set (32 bytes hex) every scanned certificate was verified against. */
  validatorsHash?: string;
  /** Last scanned height, −1 before the first scan. */
  scannedHeight: number;
  /** Block hash (32 bytes hex) at `scannedHeight`, recomputed from its verified header: the next scanned header must name it as its parent. */
  scannedHash?: string;
  /** Output count (`outputCount`) of the header at `scannedHeight`: the global index of the next block's first output. */
  scannedOutputs?: number;
  /** The validator set finalizing the block after `scannedHeight`, once it is no longer the genesis set (wallet/src/trust.ts follows `nextValidatorsHash`). */
  scannedSet?: { publicKey: string; stake: string }[];
  /** Subaddresses handed out (docs/wallet.md §2.1): `[account, index]` pairs besides (0, 0), each in the scan table; absent when none. */
  subaddresses?: [number, number][];
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
  delete s.scannedHash;
  delete s.scannedOutputs;
  delete s.scannedSet;
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

const HEX_RE = /^([0-9a-f]{2})*$/;
const bytes = (n?: number) =>
  v.pipe(
    v.strictObject({ $b: v.pipe(v.string(), v.regex(n === undefined ? HEX_RE : new RegExp(`^[0-9a-f]{${2 * n}}$`), n === undefined ? "must be hex" : `must be ${n} bytes of hex`)) }),
    v.transform((o) => new Uint8Array(Buffer.from(o.$b, "hex"))),
  );
const u64 = v.pipe(
  v.strictObject({ $n: v.pipe(v.string(), v.regex(/^(0|[1-9][0-9]{0,19})$/, "must be a decimal integer")) }),
  v.transform((o) => BigInt(o.$n)),
  v.maxValue(0xffff_ffff_ffff_ffffn, "must fit in 64 bits"),
);
const int = (min = 0) => v.pipe(v.number("must be a number"), v.safeInteger("must be an integer"), v.minValue(min, `must be ≥ ${min}`));
const u32 = v.pipe(int(), v.maxValue(0xffff_ffff, "must fit in 32 bits"));
const hash = v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/, "must be 32 bytes of lowercase hex"));

const OutputSchema = v.object({
  globalIndex: int(),
  height: int(),
  txid: v.string(),
  index: int(),
  txPublicKey: bytes(32),
  amount: u64,
  mask: bytes(32),
  oneTimeKey: bytes(32),
  commitment: bytes(32),
  unlockHeight: int(),
  coinbase: v.boolean(),
  keyImage: v.optional(bytes(32)),
  subaddress: v.optional(v.tuple([u32, u32])),
  spentHeight: v.optional(int()),
  spentTxid: v.optional(v.string()),
});
const SentSchema = v.object({
  txid: hash,
  txSecret: bytes(32),
  txSecrets: v.optional(v.array(bytes(32))),
  outputIndices: v.optional(v.array(int())),
  destinations: v.array(v.object({ address: v.string(), amount: u64 })),
  change: u64,
  fee: u64,
  keyImages: v.array(hash),
  createdMs: int(),
  height: v.optional(int()),
});
/** The decrypted state's schema (docs/wallet.md §3). */
const StateSchema = v.object({
  version: v.literal(1, "must be 1"),
  network: v.picklist(NETWORKS, `must be one of ${NETWORKS.join(", ")}`),
  seed: v.optional(bytes(32)),
  viewSecret: bytes(32),
  viewPublic: bytes(32),
  spendPublic: bytes(32),
  genesisHash: v.optional(hash),
  validatorsHash: v.optional(hash),
  scannedHeight: int(-1),
  scannedHash: v.optional(hash),
  scannedOutputs: v.optional(int()),
  subaddresses: v.optional(v.array(v.tuple([u32, u32]))),
  outputs: v.array(OutputSchema),
  sent: v.array(SentSchema),
  txMeta: v.record(v.string(), v.object({ height: int(-1), timeMs: int(), fee: u64 })),
});

/**
 * Parses {@link serializeState} output (UTF-8 JSON; `{"$n": decimal}` → bigint, `{"$b": hex}` →
 * Uint8Array) and validates every field's type and shape (32-byte keys, u64 amounts, integer heights).
 * @throws WalletFileError `CORRUPT` ("wallet file is corrupt: `outputs.0.mask` must be 32 bytes of hex"), never anything else
 */
export function deserializeState(data: Uint8Array): WalletState {
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(data));
  } catch {
    throw new WalletFileError("CORRUPT", "wallet file is corrupt: the decrypted state is not JSON");
  }
  const r = v.safeParse(StateSchema, raw);
  if (!r.success) throw new WalletFileError("CORRUPT", `wallet file is corrupt: state ${describeIssue(r.issues[0])}`);
  const s = r.output as WalletState;
  // drop optional fields that are present as undefined (exactOptionalPropertyTypes)
  for (const k of Object.keys(s) as (keyof WalletState)[]) if (s[k] === undefined) delete s[k];
  return s;
}
