/**
 * The stempool: transactions in the Dandelion++ stem phase, kept apart from the mempool so that
 * nothing reveals them (RPC `get_mempool`/`get_tx`, metrics) before they are fluffed. The node
 * validates a transaction in full before it enters. Entries leave when the tx is seen fluffed
 * ({@link Stempool.take}), when this node fluffs it (embargo, loop, fluff mode), or in a block.
 * @module
 */
import type { PeerId } from "./transport.ts";

/** A stem transaction held by this node. */
export interface StemEntry {
  /** Transaction id (hex of the tx hash, docs/protocol.md). */
  txid: string;
  /** Wire bytes `encodeTx(tx)` (docs/protocol.md §10.1). */
  bytes: Uint8Array;
  /** True when this node originated the tx. */
  own: boolean;
  /** Peer it came from (undefined for own txs). */
  from?: PeerId;
  /** Local time it entered (ms). */
  addedAt: number;
  /** Embargo deadline (ms): fluff it if it was not seen fluffed by then. */
  deadline: number;
  /** Stem relay it was sent to, undefined while waiting for a relay. */
  relayedTo?: PeerId;
  /** Set once an own tx that looped back was sent through the other relay. */
  rerouted?: boolean;
}

/** Why {@link Stempool.add} refused an entry. */
export type StempoolRejectCode = "STEMPOOL_DUPLICATE" | "STEMPOOL_FULL" | "STEMPOOL_TX_TOO_LARGE";

/** Result of {@link Stempool.add}. */
export type StempoolAddResult = { ok: true } | { ok: false; code: StempoolRejectCode; reason: string };

/** Bounds of a {@link Stempool}. */
export interface StempoolLimits {
  /** Maximum number of entries. */
  maxTxs: number;
  /** Maximum sum of `bytes.length` over entries (bytes). */
  maxBytes: number;
}

/** Bounded pool of stem transactions keyed by txid. */
export class Stempool {
  private readonly entries = new Map<string, StemEntry>();
  private totalBytes = 0;
  readonly limits: Readonly<StempoolLimits>;

  constructor(limits: StempoolLimits) {
    this.limits = { ...limits };
    if (!(limits.maxTxs >= 1 && limits.maxBytes >= 1)) throw new RangeError("stempool limits must be >= 1");
  }

  /** Number of entries. */
  get size(): number {
    return this.entries.size;
  }

  /** Sum of entry sizes (bytes). */
  get bytes(): number {
    return this.totalBytes;
  }

  /** Whether `txid` is held. */
  has(txid: string): boolean {
    return this.entries.has(txid);
  }

  /** The entry for `txid` (not removed), or undefined. */
  get(txid: string): StemEntry | undefined {
    return this.entries.get(txid);
  }

  /** Whether an entry of `size` bytes fits without evicting anything. */
  fits(size: number): boolean {
    return this.entries.size < this.limits.maxTxs && this.totalBytes + size <= this.limits.maxBytes;
  }

  /**
   * Adds an entry if it fits. Never evicts: the router decides what to do when full
   * (it fluffs the earliest-due entry, see {@link Stempool.evictionCandidate}).
   */
  add(entry: StemEntry): StempoolAddResult {
    if (this.entries.has(entry.txid)) return { ok: false, code: "STEMPOOL_DUPLICATE", reason: `tx ${entry.txid} already in the stempool` };
    if (entry.bytes.length > this.limits.maxBytes)
      return { ok: false, code: "STEMPOOL_TX_TOO_LARGE", reason: `tx of ${entry.bytes.length} B exceeds the stempool's ${this.limits.maxBytes} B` };
    if (!this.fits(entry.bytes.length))
      return { ok: false, code: "STEMPOOL_FULL", reason: `stempool full (${this.entries.size} txs, ${this.totalBytes} B)` };
    this.entries.set(entry.txid, entry);
    this.totalBytes += entry.bytes.length;
    return { ok: true };
  }

  /** Removes and returns the entry for `txid` (e.g. seen fluffed, or included in a block). */
  take(txid: string): StemEntry | undefined {
    const e = this.entries.get(txid);
    if (e === undefined) return undefined;
    this.entries.delete(txid);
    this.totalBytes -= e.bytes.length;
    return e;
  }

  /** Entries whose embargo deadline is ≤ `now` (not removed), earliest first. */
  due(now: number): StemEntry[] {
    const out: StemEntry[] = [];
    for (const e of this.entries.values()) if (e.deadline <= now) out.push(e);
    return out.sort((a, b) => a.deadline - b.deadline);
  }

  /** The earliest embargo deadline (ms), or undefined when empty. */
  earliestDeadline(): number | undefined {
    let min: number | undefined;
    for (const e of this.entries.values()) if (min === undefined || e.deadline < min) min = e.deadline;
    return min;
  }

  /** Entry to fluff early when full: the earliest-due relayed tx; own txs only if nothing else. */
  evictionCandidate(): StemEntry | undefined {
    let best: StemEntry | undefined;
    for (const e of this.entries.values()) {
      if (best === undefined || (best.own && !e.own) || (best.own === e.own && e.deadline < best.deadline)) best = e;
    }
    return best;
  }

  /** Entries waiting for a stem relay (own txs that found no relay yet). */
  unrelayed(): StemEntry[] {
    const out: StemEntry[] = [];
    for (const e of this.entries.values()) if (e.relayedTo === undefined) out.push(e);
    return out;
  }

  /** Snapshot of all entries (for the node's stem-relay bookkeeping; never for public RPC). */
  list(): StemEntry[] {
    return [...this.entries.values()];
  }
}
