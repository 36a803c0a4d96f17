/**
 * The per-output work of a scan (docs/wallet.md §4), separated from applying its results so it
 * can run on worker threads ({@link ../scan-workers.ts}): for one coinbase or one transaction,
 * the outputs that belong to the wallet, with their amounts and masks. Pure: the same keys and
 * view give the same matches on any thread. The view-tag check comes first for every output (one
 * hash; 255 of 256 foreign outputs stop there), then the derivation.
 * @module
 */
import { commit, recoverSpendKey, scanOutputs, viewTag } from "@baios/crypto";
import type { ScanBlockJson, ScanTxJson } from "@baios/api";
import { matchOutput, ONE_SCALAR, openAmount, sharedPoint } from "./derive.ts";
import { bytesEqual, bytesToHex, hexToBytes } from "./hex.ts";

/**
 * The wallet keys a scan needs, decoded once per wallet (not per output or per tx): the view
 * secret `a` (32-byte scalar) and the spend public key `B` (32-byte ristretto255).
 */
export interface MatchKeys {
  viewSecret: Uint8Array;
  spendPublic: Uint8Array;
  /** The subaddress table (docs/crypto.md §11): hex of each subaddress spend key `D` → `[account, index]`, besides the main `B`; absent or empty: main address only. */
  subaddresses?: ReadonlyMap<string, readonly [number, number]>;
}

/** An output found to belong to the wallet. */
export interface Match {
  /** Position of the output in its coinbase or tx. */
  index: number;
  /** The tx public key `R` it was derived with (32 bytes). */
  txPublicKey: Uint8Array;
  /** Atomic units. */
  amount: bigint;
  /** Commitment mask `y` (32 bytes; 1 for coinbase). */
  mask: Uint8Array;
  oneTimeKey: Uint8Array;
  commitment: Uint8Array;
  /** `[account, index]` of the subaddress it pays; absent for the main address. */
  subaddress?: [number, number];
}

/**
 * With a subaddress table: output `i` under shared point `D` (view tag first), then ONE lookup of
 * `P − s·G` among `B` and the table (docs/crypto.md §11). Undefined when not ours.
 */
function matchWithTable(keys: MatchKeys, D: Uint8Array, i: number, o: { oneTimeKey: Uint8Array; viewTag: number }): { s: Uint8Array; subaddress?: [number, number] } | undefined {
  try {
    if (viewTag(D, i) !== o.viewTag) return undefined;
    const { spendPublic, s } = recoverSpendKey(D, i, o.oneTimeKey);
    if (bytesEqual(spendPublic, keys.spendPublic)) return { s };
    const hit = keys.subaddresses?.get(bytesToHex(spendPublic));
    return hit === undefined ? undefined : { s, subaddress: [hit[0], hit[1]] };
  } catch {
    return undefined; // a malformed key on chain is "not ours"
  }
}

/** The coinbase part of a scan view. */
export type CoinbaseView = ScanBlockJson["coinbase"];
/** The tx part of a scan view (no nonce). */
export type TxView = Omit<ScanTxJson, "powNonce">;

/**
 * Coinbase / premine outputs: public amounts, mask 1, one tx public key; an output counts only
 * if its commitment opens to `amount` with mask 1.
 * @throws Error on a malformed hex field (the caller maps it to NodeTrustError `BAD_TX`)
 */
export function matchCoinbase(keys: MatchKeys, cb: CoinbaseView): Match[] {
  if (cb.outputs.length === 0) return [];
  const R = hexToBytes(cb.txPublicKey);
  const D = sharedPoint(keys.viewSecret, R);
  const out: Match[] = [];
  cb.outputs.forEach((o, i) => {
    const P = hexToBytes(o.oneTimeKey);
    if (matchOutput(D, i, P, o.viewTag, keys.spendPublic) === undefined) return;
    const amount = BigInt(o.amount);
    const C = hexToBytes(o.commitment);
    if (!bytesEqual(commit(amount, ONE_SCALAR), C)) return;
    out.push({ index: i, txPublicKey: R, amount, mask: ONE_SCALAR, oneTimeKey: P, commitment: C });
  });
  return out;
}

/**
 * A transaction's outputs: one tx public key → one core call (`D = a·R` once per tx, view tag
 * first per output); one key per output → per output.
 * @throws Error on a malformed hex field
 */
export function matchTx(keys: MatchKeys, tx: TxView): Match[] {
  const outs = tx.outputs.map((o) => ({ oneTimeKey: hexToBytes(o.oneTimeKey), commitment: hexToBytes(o.commitment), viewTag: o.viewTag, encryptedAmount: hexToBytes(o.encryptedAmount) }));
  const found: Match[] = [];
  if (keys.subaddresses !== undefined && keys.subaddresses.size > 0) {
    const shared = tx.txPublicKeys.length === 1 ? sharedPoint(keys.viewSecret, hexToBytes(tx.txPublicKeys[0]!)) : undefined;
    outs.forEach((o, i) => {
      const R = hexToBytes(tx.txPublicKeys[shared === undefined ? i : 0]!);
      const m = matchWithTable(keys, shared ?? sharedPoint(keys.viewSecret, R), i, o);
      if (m === undefined) return;
      const opened = openAmount(m.s, o.encryptedAmount, o.commitment);
      if (opened === undefined) return;
      found.push({ index: i, txPublicKey: R, amount: opened.amount, mask: opened.mask, oneTimeKey: o.oneTimeKey, commitment: o.commitment, ...(m.subaddress ? { subaddress: m.subaddress } : {}) });
    });
    return found;
  }
  if (tx.txPublicKeys.length === 1) {
    const R = hexToBytes(tx.txPublicKeys[0]!);
    for (const f of scanOutputs(keys.viewSecret, keys.spendPublic, R, outs, true)) {
      const o = outs[f.index]!;
      found.push({ index: f.index, txPublicKey: R, amount: f.amount, mask: f.mask, oneTimeKey: o.oneTimeKey, commitment: o.commitment });
    }
  } else {
    outs.forEach((o, i) => {
      const R = hexToBytes(tx.txPublicKeys[i]!);
      const s = matchOutput(sharedPoint(keys.viewSecret, R), i, o.oneTimeKey, o.viewTag, keys.spendPublic);
      if (s === undefined) return;
      const opened = openAmount(s, o.encryptedAmount, o.commitment);
      if (opened === undefined) return;
      found.push({ index: i, txPublicKey: R, amount: opened.amount, mask: opened.mask, oneTimeKey: o.oneTimeKey, commitment: o.commitment });
    });
  }
  return found;
}

/** The matches of one block: its coinbase's, and each tx's in block order. */
export interface BlockMatches {
  coinbase: Match[];
  txs: Match[][];
}

/** {@link matchCoinbase} and {@link matchTx} over a block, on the calling thread. */
export function matchBlock(keys: MatchKeys, block: { coinbase: CoinbaseView; txs: readonly TxView[] }): BlockMatches {
  return { coinbase: matchCoinbase(keys, block.coinbase), txs: block.txs.map((t) => matchTx(keys, t)) };
}
