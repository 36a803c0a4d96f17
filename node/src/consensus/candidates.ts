/**
 * The candidate pool (docs/consensus.md §1): Tx-PoW block candidates for the heights above the
 * finalized tip, as they arrive from miners (the `candidate` topic), from proposals and from this
 * node's own miner. Candidates are kept per height, lowest PoW hash (= block hash) first; the
 * proposer proposes the lowest-hash candidate that passes full validation.
 *
 * Bounds: {@link MAX_CANDIDATES_PER_HEIGHT} per height (a new candidate with a higher hash than
 * every kept one is dropped when the height is full), heights at most
 * {@link MAX_HEIGHTS_AHEAD} above the tip.
 * @module
 */
import { compareBytes, toHex, type Block } from "@baios/consensus";

/** Candidates kept per height (the lowest hashes win). */
export const MAX_CANDIDATES_PER_HEIGHT = 32;
/** Heights above the finalized tip for which candidates are kept. */
export const MAX_HEIGHTS_AHEAD = 2n;

/** A block candidate: decoded block, its wire bytes, its hash (= PoW hash), and the verdict of full validation once known. */
export interface Candidate {
  block: Block;
  /** Wire bytes (docs/protocol.md §10.3). */
  bytes: Uint8Array;
  /** Block hash (32 bytes) = PoW hash. */
  hash: Uint8Array;
  /** Arrival time (ms since epoch, local clock). */
  receivedMs: number;
  /** Full validation verdict: undefined until checked; a promise while it runs. */
  valid?: boolean | Promise<boolean>;
  /** Set when full validation failed with a ConsensusError: its code and action (REJECT = provably invalid, docs/consensus.md §6.3). */
  rejected?: { code: string; action: "REJECT" | "IGNORE" };
}

/** Per-height store of block candidates; see the module docs. */
export class CandidatePool {
  readonly #byHeight = new Map<bigint, Candidate[]>();
  readonly #byHash = new Map<string, Candidate>();
  readonly #listeners = new Set<(c: Candidate) => void>();
  #tip = -1n;

  /** Called for every candidate added (after it is stored). */
  onAdd(listener: (c: Candidate) => void): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  /**
   * Adds a candidate. Returns false when it is a duplicate, for a height not in
   * `(tip, tip + MAX_HEIGHTS_AHEAD]`, or worse than every kept candidate of a full height.
   */
  add(c: Omit<Candidate, "receivedMs" | "valid"> & { receivedMs?: number }): boolean {
    const h = c.block.header.height;
    const key = toHex(c.hash);
    if (this.#byHash.has(key) || h <= this.#tip || h > this.#tip + MAX_HEIGHTS_AHEAD) return false;
    const list = this.#byHeight.get(h) ?? [];
    const entry: Candidate = { block: c.block, bytes: c.bytes, hash: c.hash, receivedMs: c.receivedMs ?? Date.now() };
    let at = list.findIndex((x) => compareBytes(entry.hash, x.hash) < 0);
    if (at < 0) at = list.length;
    if (at >= MAX_CANDIDATES_PER_HEIGHT) return false;
    list.splice(at, 0, entry);
    if (list.length > MAX_CANDIDATES_PER_HEIGHT) {
      const dropped = list.pop() as Candidate;
      this.#byHash.delete(toHex(dropped.hash));
    }
    this.#byHeight.set(h, list);
    this.#byHash.set(key, entry);
    for (const l of this.#listeners) l(entry);
    return true;
  }

  /** The candidate with this hash (32 bytes), if kept. */
  get(hash: Uint8Array): Candidate | undefined {
    return this.#byHash.get(toHex(hash));
  }

  /** Candidates for `height`, lowest hash first. */
  at(height: bigint): readonly Candidate[] {
    return this.#byHeight.get(height) ?? [];
  }

  /** Number of candidates kept (all heights). */
  get size(): number {
    return this.#byHash.size;
  }

  /** The finalized tip moved to `height`: drops every candidate at or below it. */
  setTip(height: bigint): void {
    this.#tip = height;
    for (const [h, list] of this.#byHeight) {
      if (h > height) continue;
      for (const c of list) this.#byHash.delete(toHex(c.hash));
      this.#byHeight.delete(h);
    }
  }
}
