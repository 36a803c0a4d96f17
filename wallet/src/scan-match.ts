/**
 * The per-output work of a scan (docs/wallet.md §4), separated from applying its results so it
 * can run on worker threads ({@link ../scan-workers.ts}): for one coinbase or one transaction (or
 * many of them in one core call, {@link matchUnits}),
 * the outputs that belong to the wallet, with their amounts and masks. Pure: the same keys and
 * view give the same matches on any thread. The view-tag check comes first for every output (one
 * hash; 255 of 256 foreign outputs stop there), then the derivation.
 * @module
 */
import { commit, recoverSpendKey, SCAN_OUTPUT_RECORD_BYTES, scanOutputs, scanTxs, viewTag, type ScannedOutput } from "@baios/crypto";
import type { ScanBlockJson, ScanTxJson } from "@baios/api";
import { matchOutput, ONE_SCALAR, openAmount, sharedPoint } from "./derive.ts";
import { bytesEqual, bytesToHex, hexInto, hexToBytes } from "./hex.ts";

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
  /**
   * The derivation scalar `s = Hs(enc(a·R) ‖ u64le(index))` (32 bytes, secret; docs/crypto.md §4):
   * the one-time secret is `x = s + b` (+ the subaddress scalar) without a second `a·R`.
   */
  derivationScalar: Uint8Array;
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
    const s = matchOutput(D, i, P, o.viewTag, keys.spendPublic);
    if (s === undefined) return;
    const amount = BigInt(o.amount);
    const C = hexToBytes(o.commitment);
    if (!bytesEqual(commit(amount, ONE_SCALAR), C)) return;
    out.push({ index: i, txPublicKey: R, amount, mask: ONE_SCALAR, oneTimeKey: P, commitment: C, derivationScalar: s });
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
      found.push({ index: i, txPublicKey: R, amount: opened.amount, mask: opened.mask, oneTimeKey: o.oneTimeKey, commitment: o.commitment, derivationScalar: m.s, ...(m.subaddress ? { subaddress: m.subaddress } : {}) });
    });
    return found;
  }
  if (tx.txPublicKeys.length === 1) {
    const R = hexToBytes(tx.txPublicKeys[0]!);
    for (const f of scanOutputs(keys.viewSecret, keys.spendPublic, R, outs, true)) {
      const o = outs[f.index]!;
      found.push({ index: f.index, txPublicKey: R, amount: f.amount, mask: f.mask, oneTimeKey: o.oneTimeKey, commitment: o.commitment, derivationScalar: f.derivationScalar });
    }
  } else {
    outs.forEach((o, i) => {
      const R = hexToBytes(tx.txPublicKeys[i]!);
      const s = matchOutput(sharedPoint(keys.viewSecret, R), i, o.oneTimeKey, o.viewTag, keys.spendPublic);
      if (s === undefined) return;
      const opened = openAmount(s, o.encryptedAmount, o.commitment);
      if (opened === undefined) return;
      found.push({ index: i, txPublicKey: R, amount: opened.amount, mask: opened.mask, oneTimeKey: o.oneTimeKey, commitment: o.commitment, derivationScalar: s });
    });
  }
  return found;
}

/** A coinbase (or payout) or a transaction to match: what a scan worker is given. */
export type MatchUnit = { cb: CoinbaseView } | { tx: TxView };

/** Bit 31 of a `scanTxs` record count: the records hold public amounts (coinbase style). */
const PUBLIC_AMOUNTS = 0x8000_0000;
const U64_MAX = (1n << 64n) - 1n;

/** {@link matchCoinbase} or {@link matchTx} of one unit. */
const matchAlone = (keys: MatchKeys, u: MatchUnit): Match[] => ("cb" in u ? matchCoinbase(keys, u.cb) : matchTx(keys, u.tx));

/**
 * Writes unit `u` as a `scanTxs` record at `off` of `packed` (`R ‖ u32le n ‖ n × 73 bytes`;
 * coinbase: bit 31 of `n` set, `u64le amount` instead of the encrypted amount); returns the end.
 * @throws Error on a malformed field (the unit is then matched alone, which fails or not exactly
 *   as before)
 */
function packUnit(packed: Uint8Array, view: DataView, off: number, u: MatchUnit): number {
  const R = SCAN_OUTPUT_RECORD_BYTES;
  const cb = "cb" in u;
  const outputs = cb ? u.cb.outputs : u.tx.outputs;
  hexInto(packed, off, cb ? u.cb.txPublicKey : u.tx.txPublicKeys[0]!, 32);
  view.setUint32(off + 32, (outputs.length | (cb ? PUBLIC_AMOUNTS : 0)) >>> 0, true);
  off += 36;
  for (const o of outputs) {
    hexInto(packed, off, o.oneTimeKey, 32);
    hexInto(packed, off + 32, o.commitment, 32);
    packed[off + 64] = o.viewTag;
    if ("amount" in o) {
      if (!/^\d{1,20}$/.test(o.amount) || BigInt(o.amount) > U64_MAX) throw new Error("amount out of range");
      view.setBigUint64(off + 65, BigInt(o.amount), true);
    } else hexInto(packed, off + 65, o.encryptedAmount, 8);
    off += R;
  }
  return off;
}

/**
 * The one-key units of a batch packed for one `scanTxs` core call ({@link packUnits}): `packed`
 * holds `R ‖ u32le n ‖ n × 73 bytes` per unit of `batch` (`start` = its offset in `packed`), and
 * `found` already holds the matches of every other unit (matched alone).
 */
export interface PackedUnits {
  packed: Uint8Array;
  batch: { unit: number; start: number }[];
  found: Match[][];
}

/**
 * Packs every one-key unit (coinbases and one-key transactions; all of them only without a
 * subaddress table) into one buffer, the fields decoded from hex straight into it, and matches
 * the others, and any unit with a malformed field, alone.
 * @throws Error on a malformed hex field or key of a unit matched alone, as {@link matchCoinbase} / {@link matchTx}
 */
export function packUnits(keys: MatchKeys, units: readonly MatchUnit[]): PackedUnits {
  const found: Match[][] = units.map(() => []);
  const table = keys.subaddresses !== undefined && keys.subaddresses.size > 0;
  const batchable = (u: MatchUnit): boolean => !table && ("cb" in u ? u.cb.outputs.length > 0 : u.tx.txPublicKeys.length === 1 && u.tx.outputs.length > 0);
  const packed = new Uint8Array(units.reduce((n, u) => n + (batchable(u) ? 36 + SCAN_OUTPUT_RECORD_BYTES * ("cb" in u ? u.cb.outputs : u.tx.outputs).length : 0), 0));
  const view = new DataView(packed.buffer);
  const batch: { unit: number; start: number }[] = [];
  let off = 0;
  units.forEach((u, j) => {
    if (batchable(u)) {
      try {
        const end = packUnit(packed, view, off, u);
        batch.push({ unit: j, start: off });
        off = end;
        return;
      } catch {
        // matched alone below (throws there if the field matters there)
      }
    }
    found[j] = matchAlone(keys, u);
  });
  return { packed: packed.subarray(0, off), batch, found };
}

/**
 * Adds the `scanTxs` hits of `batch[first…]` (hit `tx` counted from `first`) to `p.found`; with
 * `hits` undefined (the core call failed: an invalid tx public key), matches those units alone,
 * so a bad one fails exactly as it does alone.
 * @throws Error as {@link matchCoinbase} / {@link matchTx} when `hits` is undefined
 */
export function addHits(keys: MatchKeys, units: readonly MatchUnit[], p: PackedUnits, hits: readonly ScannedOutput[] | undefined, first = 0, end = p.batch.length): void {
  if (hits === undefined) {
    for (const b of p.batch.slice(first, end)) p.found[b.unit] = matchAlone(keys, units[b.unit]!);
    return;
  }
  for (const h of hits) {
    const b = p.batch[first + h.tx]!;
    const at = b.start + 36 + h.index * SCAN_OUTPUT_RECORD_BYTES;
    p.found[b.unit]!.push({ index: h.index, txPublicKey: p.packed.slice(b.start, b.start + 32), amount: h.amount, mask: h.mask, oneTimeKey: p.packed.slice(at, at + 32), commitment: p.packed.slice(at + 32, at + 64), derivationScalar: h.derivationScalar });
  }
}

/**
 * {@link matchCoinbase} / {@link matchTx} of each unit, the same matches, with every one-key
 * unit scanned in ONE core call ({@link packUnits}; `scanTxs`: the shared points' encodings
 * batched). Should the core call fail (an invalid tx public key), every packed unit is matched
 * alone, so a bad one fails exactly as it does alone.
 * @throws Error on a malformed hex field or key, as {@link matchCoinbase} / {@link matchTx}
 */
export function matchUnits(keys: MatchKeys, units: readonly MatchUnit[]): Match[][] {
  const p = packUnits(keys, units);
  if (p.batch.length === 0) return p.found;
  let hits: ScannedOutput[] | undefined;
  try {
    hits = scanTxs(keys.viewSecret, keys.spendPublic, p.packed);
  } catch {
    hits = undefined;
  }
  addHits(keys, units, p, hits);
  return p.found;
}

/** {@link matchUnits} of transactions: the same matches as {@link matchTx} of each. @throws Error as {@link matchTx} */
export function matchTxs(keys: MatchKeys, txs: readonly TxView[]): Match[][] {
  return matchUnits(keys, txs.map((tx) => ({ tx })));
}

/** The matches of one block: its coinbase's, and each tx's in block order. */
export interface BlockMatches {
  coinbase: Match[];
  txs: Match[][];
}

/** {@link matchCoinbase} and {@link matchTx} over a block, on the calling thread, in one batch ({@link matchUnits}). */
export function matchBlock(keys: MatchKeys, block: { coinbase: CoinbaseView; txs: readonly TxView[] }): BlockMatches {
  const [coinbase, ...txs] = matchUnits(keys, [{ cb: block.coinbase }, ...block.txs.map((tx) => ({ tx }))]);
  return { coinbase: coinbase!, txs };
}
