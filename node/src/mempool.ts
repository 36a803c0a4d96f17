/**
 * The mempool: validated transactions waiting for a block.
 *
 * Priority (docs/node.md §Mempool): fee per encoded byte, highest first; ties by arrival order
 * (earlier first), then by txid. Block assembly takes transactions in priority order.
 *
 * Key-image conflicts: first seen wins. A transaction whose key image is already used by a
 * pooled transaction is refused with `TX_KEY_IMAGE_IN_POOL` (no replace-by-fee). When a block
 * is committed, its transactions leave the pool, and so does every pooled transaction that
 * spends a key image the block spent (a double-spend that lost).
 *
 * One-time-key conflicts (the burning bug, docs/protocol.md §7.1): a transaction with an output
 * one-time key already used by a pooled transaction is refused with `TX_ONE_TIME_KEY_IN_POOL`;
 * after a block, pooled transactions with an output key the block created leave the pool.
 *
 * Size limit: at most `maxBytes` encoded bytes and `maxTxs` transactions. A new transaction
 * that does not fit evicts the lowest-priority ones if it ranks strictly above all of them;
 * otherwise it is refused (`MempoolFullError`).
 * @module
 */
import { ConsensusError, type Tx } from "@baios/consensus";
import { toHex as hex } from "@baios/consensus";


/** One pooled transaction. */
export interface MempoolEntry {
  tx: Tx;
  txid: Uint8Array;
  txidHex: string;
  /** The canonical encoded transaction (what a block carries). */
  bytes: Uint8Array;
  fee: bigint;
  receivedMs: number;
  /** Arrival sequence number (tie-break). */
  seq: number;
  keyImages: string[];
  /** Output one-time keys (hex). */
  oneTimeKeys: string[];
}

/** The pool is full and the transaction does not rank above what it would have to evict. */
export class MempoolFullError extends Error {
  override name = "MempoolFullError";
}
/** The transaction is already in the pool. */
export class AlreadyInPoolError extends Error {
  override name = "AlreadyInPoolError";
}

/** Priority order: negative when `a` ranks above `b`. */
export function comparePriority(a: MempoolEntry, b: MempoolEntry): number {
  // fee/size descending, compared exactly: a.fee/a.size > b.fee/b.size ⇔ a.fee·b.size > b.fee·a.size
  const l = a.fee * BigInt(b.bytes.length);
  const r = b.fee * BigInt(a.bytes.length);
  if (l !== r) return l > r ? -1 : 1;
  if (a.seq !== b.seq) return a.seq - b.seq;
  return a.txidHex < b.txidHex ? -1 : a.txidHex > b.txidHex ? 1 : 0;
}

/** Size limits of a {@link Mempool} (docs/node.md §Mempool; config `mempoolMaxBytes`, `mempoolMaxTxs`). */
export interface MempoolLimits {
  /** Maximum total size of the pooled transactions' wire bytes (docs/protocol.md §10.1), in bytes (default 33 554 432 = 32 MiB). */
  maxBytes: number;
  /** Maximum number of pooled transactions (default 10 000; 0 refuses every transaction). */
  maxTxs: number;
}

/**
 * The in-memory pool of validated transactions waiting for a block (docs/node.md §Mempool).
 * Ordered by {@link comparePriority} (fee per encoded byte, then arrival, then txid); one pooled
 * spender per key image (first seen wins, no replace-by-fee); bounded by {@link MempoolLimits},
 * evicting lower-priority entries for a strictly better newcomer. Internal maps are keyed by
 * lowercase hex txid / key image. Not persisted: a restart empties it. {@link Mempool.add} throws
 * ConsensusError `TX_KEY_IMAGE_IN_POOL`, {@link AlreadyInPoolError} or {@link MempoolFullError}.
 */
export class Mempool {
  readonly limits: MempoolLimits;
  readonly #byId = new Map<string, MempoolEntry>();
  readonly #byKeyImage = new Map<string, string>();
  readonly #byOneTimeKey = new Map<string, string>();
  /** Entries in priority order (best first). */
  #sorted: MempoolEntry[] = [];
  #bytes = 0;
  #seq = 0;
  /** Called with each evicted entry (metrics). */
  onEvict: ((e: MempoolEntry) => void) | undefined;

  constructor(limits: MempoolLimits) {
    this.limits = limits;
  }

  get size(): number {
    return this.#byId.size;
  }
  get bytes(): number {
    return this.#bytes;
  }
  has(txid: Uint8Array): boolean {
    return this.#byId.has(hex(txid));
  }
  get(txid: Uint8Array): MempoolEntry | undefined {
    return this.#byId.get(hex(txid));
  }
  /** The pooled tx that uses `keyImage`, if any. */
  spenderOf(keyImage: Uint8Array): MempoolEntry | undefined {
    const id = this.#byKeyImage.get(hex(keyImage));
    return id === undefined ? undefined : this.#byId.get(id);
  }
  /** The pooled tx with an output of one-time key `oneTimeKey`, if any. */
  holderOfOneTimeKey(oneTimeKey: Uint8Array): MempoolEntry | undefined {
    const id = this.#byOneTimeKey.get(hex(oneTimeKey));
    return id === undefined ? undefined : this.#byId.get(id);
  }
  /** Entries, best priority first. */
  entries(): readonly MempoolEntry[] {
    return this.#sorted;
  }

  /**
   * Throws `TX_KEY_IMAGE_IN_POOL` if a key image of `tx` is used by a pooled transaction,
   * `TX_ONE_TIME_KEY_IN_POOL` if an output one-time key of `tx` is,
   * {@link AlreadyInPoolError} if it is pooled itself. Cheap: run before expensive validation.
   */
  checkConflicts(tx: Tx, txid: Uint8Array): void {
    if (this.has(txid)) throw new AlreadyInPoolError("transaction already in the mempool");
    tx.inputs.forEach((inp, i) => {
      if (this.#byKeyImage.has(hex(inp.keyImage))) {
        throw new ConsensusError("TX_KEY_IMAGE_IN_POOL", `inputs[${i}].keyImage: used by a mempool transaction`, { index: i });
      }
    });
    tx.outputs.forEach((o, j) => {
      if (this.#byOneTimeKey.has(hex(o.oneTimeKey))) {
        throw new ConsensusError("TX_ONE_TIME_KEY_IN_POOL", `outputs[${j}].oneTimeKey: used by a mempool transaction`, { index: j });
      }
    });
  }

  /**
   * Adds a validated transaction, evicting lower-priority ones if the pool is full.
   * @returns the evicted entries
   * @throws ConsensusError `TX_KEY_IMAGE_IN_POOL` / `TX_ONE_TIME_KEY_IN_POOL`, AlreadyInPoolError, MempoolFullError
   */
  add(tx: Tx, txid: Uint8Array, bytes: Uint8Array, receivedMs = Date.now()): MempoolEntry[] {
    this.checkConflicts(tx, txid);
    const entry: MempoolEntry = {
      tx,
      txid,
      txidHex: hex(txid),
      bytes,
      fee: tx.fee,
      receivedMs,
      seq: this.#seq++,
      keyImages: tx.inputs.map((i) => hex(i.keyImage)),
      oneTimeKeys: tx.outputs.map((o) => hex(o.oneTimeKey)),
    };
    if (bytes.length > this.limits.maxBytes || this.limits.maxTxs === 0) throw new MempoolFullError("transaction larger than the mempool");
    // Which entries would have to go (lowest priority first)?
    let needBytes = this.#bytes + bytes.length - this.limits.maxBytes;
    let needTxs = this.#sorted.length + 1 - this.limits.maxTxs;
    const victims: MempoolEntry[] = [];
    for (let i = this.#sorted.length - 1; i >= 0 && (needBytes > 0 || needTxs > 0); i--) {
      const v = this.#sorted[i] as MempoolEntry;
      if (comparePriority(entry, v) >= 0) throw new MempoolFullError("mempool full: priority (fee per byte) too low");
      victims.push(v);
      needBytes -= v.bytes.length;
      needTxs -= 1;
    }
    for (const v of victims) {
      this.#remove(v);
      this.onEvict?.(v);
    }
    this.#insert(entry);
    return victims;
  }

  #insert(e: MempoolEntry): void {
    let lo = 0;
    let hi = this.#sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (comparePriority(this.#sorted[mid] as MempoolEntry, e) < 0) lo = mid + 1;
      else hi = mid;
    }
    this.#sorted.splice(lo, 0, e);
    this.#byId.set(e.txidHex, e);
    for (const k of e.keyImages) this.#byKeyImage.set(k, e.txidHex);
    for (const k of e.oneTimeKeys) this.#byOneTimeKey.set(k, e.txidHex);
    this.#bytes += e.bytes.length;
  }

  #remove(e: MempoolEntry): void {
    if (!this.#byId.delete(e.txidHex)) return;
    const i = this.#sorted.indexOf(e);
    if (i >= 0) this.#sorted.splice(i, 1);
    for (const k of e.keyImages) if (this.#byKeyImage.get(k) === e.txidHex) this.#byKeyImage.delete(k);
    for (const k of e.oneTimeKeys) if (this.#byOneTimeKey.get(k) === e.txidHex) this.#byOneTimeKey.delete(k);
    this.#bytes -= e.bytes.length;
  }

  /** Removes a transaction by id. */
  remove(txid: Uint8Array): boolean {
    const e = this.#byId.get(hex(txid));
    if (e === undefined) return false;
    this.#remove(e);
    return true;
  }

  /**
   * After a block: drops its transactions and every pooled transaction spending one of the
   * key images it spent or using an output one-time key it created. @returns the removed entries
   */
  removeForBlock(txids: readonly Uint8Array[], keyImages: readonly Uint8Array[], oneTimeKeys: readonly Uint8Array[] = []): MempoolEntry[] {
    const removed: MempoolEntry[] = [];
    for (const id of txids) {
      const e = this.#byId.get(hex(id));
      if (e !== undefined) {
        this.#remove(e);
        removed.push(e);
      }
    }
    for (const ki of keyImages) {
      const e = this.spenderOf(ki);
      if (e !== undefined) {
        this.#remove(e);
        removed.push(e);
      }
    }
    for (const k of oneTimeKeys) {
      const e = this.holderOfOneTimeKey(k);
      if (e !== undefined) {
        this.#remove(e);
        removed.push(e);
      }
    }
    return removed;
  }

  /**
   * Transactions for a block in priority order, within `maxBytes` total and `maxTxs` count
   * (skipping one that does not fit and trying smaller ones). The pool holds no key-image
   * conflicts, so the selection holds none either.
   */
  select(maxBytes: number, maxTxs: number): MempoolEntry[] {
    const out: MempoolEntry[] = [];
    let bytes = 0;
    for (const e of this.#sorted) {
      if (out.length >= maxTxs) break;
      if (bytes + e.bytes.length > maxBytes) continue;
      out.push(e);
      bytes += e.bytes.length;
    }
    return out;
  }
}
