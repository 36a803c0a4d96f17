/**
 * The output MMR over a pluggable node store (docs/protocol.md §8).
 *
 * The node helper implements {@link MmrBackend} over classic-level; appending never writes:
 * {@link Mmr.append} returns the new node hashes for the node's per-block atomic batch, and
 * {@link Mmr.commit} (or the node's own batch) stores them.
 * @module
 */
import { leafIndexToPos0, heightOfPos0, nodeCount, peakIndexOfLeaf, peaks, siblingPositions } from "./position.ts";
import { mmrNodeHash, mmrRootFromPeaks, type InclusionProof } from "./proof.ts";
import { proveConsistency, type ConsistencyProof } from "./consistency.ts";

/** Key/value store of node hashes by `pos0` (u64). Methods may be sync or async. */
export interface MmrBackend {
  /** The 32-byte hash at `pos0`, or undefined. */
  get(pos0: bigint): Uint8Array | undefined | Promise<Uint8Array | undefined>;
  /** Stores node hashes (in one batch, when the store supports it). */
  put(nodes: readonly MmrNode[]): void | Promise<void>;
}

/** One node hash at a position. */
export interface MmrNode {
  /** Post-order position (u64), from 0. */
  pos0: bigint;
  /** Node hash (32 bytes). */
  hash: Uint8Array;
}

/** An in-memory {@link MmrBackend} (tests, light tools). */
export class MemoryMmrBackend implements MmrBackend {
  private readonly nodes = new Map<bigint, Uint8Array>();
  get(pos0: bigint): Uint8Array | undefined {
    return this.nodes.get(pos0);
  }
  put(nodes: readonly MmrNode[]): void {
    for (const n of nodes) this.nodes.set(n.pos0, n.hash);
  }
  /** Number of stored nodes. */
  get size(): number {
    return this.nodes.size;
  }
}

/** Result of {@link Mmr.append}: what to write and the new root and size. */
export interface MmrAppendResult {
  /** The new nodes (leaves and parents) to store, in position order. */
  nodes: MmrNode[];
  /** Leaf count after the append (u64). */
  leafCount: bigint;
  /** Root after the append (32 bytes). */
  root: Uint8Array;
}

/**
 * An MMR of leaf hashes. Holds only its leaf count; reads nodes from the backend.
 * Not safe for concurrent appends: the node serialises block application.
 */
export class Mmr {
  readonly backend: MmrBackend;
  private count: bigint;

  /** @param leafCount the number of leaves already in `backend` (u64) */
  constructor(backend: MmrBackend, leafCount = 0n) {
    this.backend = backend;
    this.count = leafCount;
  }

  /** Current number of leaves (u64) = number of outputs. */
  get leafCount(): bigint {
    return this.count;
  }

  private async need(pos0: bigint, overlay?: Map<bigint, Uint8Array>): Promise<Uint8Array> {
    const h = overlay?.get(pos0) ?? (await this.backend.get(pos0));
    if (h === undefined) throw new Error(`MMR node ${pos0} missing from the backend`);
    return h;
  }

  /**
   * Computes the nodes that appending `leafHashes` creates, without writing them or changing
   * this MMR (call {@link Mmr.commit} or write them in your batch and call {@link Mmr.setLeafCount}).
   */
  async preview(leafHashes: readonly Uint8Array[]): Promise<MmrAppendResult> {
    const overlay = new Map<bigint, Uint8Array>();
    const nodes: MmrNode[] = [];
    let n = this.count;
    for (const leaf of leafHashes) {
      if (leaf.length !== 32) throw new RangeError("leaf hash must be 32 bytes");
      let pos = leafIndexToPos0(n);
      overlay.set(pos, leaf);
      nodes.push({ pos0: pos, hash: leaf });
      let h = 0;
      // while the next position is a parent, merge with the left sibling
      while (heightOfPos0(pos + 1n) > h) {
        const left = await this.need(pos + 1n - (2n << BigInt(h)), overlay);
        const right = overlay.get(pos) as Uint8Array;
        pos += 1n;
        h += 1;
        const parent = mmrNodeHash(left, right);
        overlay.set(pos, parent);
        nodes.push({ pos0: pos, hash: parent });
      }
      n += 1n;
    }
    const peakHashes: Uint8Array[] = [];
    for (const p of peaks(n)) peakHashes.push(await this.need(p.pos0, overlay));
    return { nodes, leafCount: n, root: mmrRootFromPeaks(n, peakHashes) };
  }

  /** {@link Mmr.preview}, then stores the nodes in the backend and advances the leaf count. */
  async append(leafHashes: readonly Uint8Array[]): Promise<MmrAppendResult> {
    const r = await this.preview(leafHashes);
    await this.backend.put(r.nodes);
    this.count = r.leafCount;
    return r;
  }

  /** Sets the leaf count after the caller wrote {@link Mmr.preview}'s nodes itself. */
  setLeafCount(leafCount: bigint): void {
    if (nodeCount(leafCount) < 0n) throw new RangeError("bad leaf count");
    this.count = leafCount;
  }

  /** Current root (32 bytes); the empty MMR has `h32("BAIOS/v1/mmr-bag", u64le(0))`. */
  async root(): Promise<Uint8Array> {
    const hs: Uint8Array[] = [];
    for (const p of peaks(this.count)) hs.push(await this.need(p.pos0));
    return mmrRootFromPeaks(this.count, hs);
  }

  /**
   * Root of the MMR of its first `leafCount` leaves (32 bytes; default the current size): bags
   * the peaks at that size, which are nodes already stored (docs/mmr.md §4).
   * @throws RangeError when `leafCount` exceeds the current size
   */
  async rootAt(leafCount: bigint = this.count): Promise<Uint8Array> {
    if (leafCount < 0n || leafCount > this.count) throw new RangeError("MMR is smaller than leafCount");
    const hs: Uint8Array[] = [];
    for (const p of peaks(leafCount)) hs.push(await this.need(p.pos0));
    return mmrRootFromPeaks(leafCount, hs);
  }

  /**
   * Consistency proof (docs/mmr.md §6) that the MMR of `oldCount` leaves is a prefix of the MMR
   * of `newCount` leaves (default: the current size).
   * @throws RangeError when `newCount` exceeds the current size; ConsensusError
   *   `MMR_CONSISTENCY_MALFORMED` when `oldCount > newCount`
   */
  async consistencyProof(oldCount: bigint, newCount: bigint = this.count): Promise<ConsistencyProof> {
    if (newCount > this.count) throw new RangeError("MMR is smaller than newCount");
    return proveConsistency(this.backend, oldCount, newCount);
  }

  /**
   * Inclusion proof of leaf `leafIndex` against the MMR of `atLeafCount` leaves (default: the
   * current size; pass a header's `outputCount` to prove against that header's root).
   * @throws RangeError when the leaf is not in that MMR
   */
  async proof(leafIndex: bigint, atLeafCount: bigint = this.count): Promise<InclusionProof> {
    if (atLeafCount > this.count) throw new RangeError("MMR is smaller than atLeafCount");
    const pi = peakIndexOfLeaf(leafIndex, atLeafCount);
    const siblings: Uint8Array[] = [];
    for (const pos of siblingPositions(leafIndex, atLeafCount)) siblings.push(await this.need(pos));
    const otherPeaks: Uint8Array[] = [];
    const ps = peaks(atLeafCount);
    for (let i = 0; i < ps.length; i++) if (i !== pi) otherPeaks.push(await this.need((ps[i] as { pos0: bigint }).pos0));
    return { leafIndex, leafCount: atLeafCount, siblings, otherPeaks };
  }
}
