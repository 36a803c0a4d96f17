/**
 * MMR consistency proofs (docs/mmr.md §6): the MMR of `oldCount` leaves with root `R_old` is a
 * prefix of the MMR of `newCount ≥ oldCount` leaves with root `R_new`. Same hashing as §8
 * (node tag `BAIOS/v1/mmr-node`, root `h32("BAIOS/v1/mmr-bag", u64le(count) ‖ peaks)`), so it
 * works for the output MMR (`outputRoot`/`outputCount`) and the header MMR (`headerRoot`, count =
 * height) alike.
 *
 * The proof is the old peaks plus the hashes needed to climb from them to the new peaks. Every
 * old mountain is a subtree of exactly one new mountain (positions never move), so each new
 * mountain, left to right, is one of:
 * - **old**: it is an old mountain (leaves `[a, a + 2^k) ⊆ [0, oldCount)`): its peak is that old peak;
 * - **partial**: it holds the old boundary (`a < oldCount < a + 2^k`): the old peaks inside it
 *   are the mountains of `L = oldCount − a` (one per set bit of `L`); climbing from the smallest
 *   (height `h0`, the lowest set bit of `L`) to height `k`, the node at height `l` is a right
 *   child iff `l > h0` and bit `l` of `L` is 1 — then its left sibling is the next old peak to the
 *   left; otherwise its right sibling is the next path hash;
 * - **new**: it lies wholly past the old boundary (`a ≥ oldCount`): its peak is the next path hash.
 *
 * Bytes ({@link encodeConsistencyProof}):
 * `u64le oldCount ‖ u64le newCount ‖ u8 nOldPeaks ‖ nOldPeaks × [32] ‖ u8 nPath ‖ nPath × [32]`,
 * with `nOldPeaks = popcount(oldCount)` and `nPath = consistencyPathLength(oldCount, newCount)`:
 * one encoding per proof. Size `18 + 32·(nOldPeaks + nPath)`; at most 63 hashes (2034 bytes)
 * below 2^32 leaves, at most 127 (4082 bytes) for any u64 count.
 * @module
 */
import { ConsensusError } from "../errors.ts";
import { ByteWriter, equalBytes } from "../encoding/bytes.ts";
import type { MmrBackend } from "./mmr.ts";
import { leafIndexToPos0, peaks, popcount } from "./position.ts";
import { mmrNodeHash, mmrRootFromPeaks } from "./proof.ts";

/** A consistency proof between the MMR of `oldCount` leaves and the MMR of `newCount` leaves. */
export interface ConsistencyProof {
  /** Leaf count of the older MMR (u64, ≤ `newCount`). */
  oldCount: bigint;
  /** Leaf count of the newer MMR (u64). */
  newCount: bigint;
  /** The older MMR's peaks, left to right (`popcount(oldCount)` × 32 bytes). */
  oldPeaks: Uint8Array[];
  /**
   * Climbing hashes (32 bytes each), new mountains left to right: for the partial mountain its
   * right siblings bottom-up, for each wholly new mountain its peak; none for an old mountain.
   */
  path: Uint8Array[];
}

/** One new mountain and how its peak is obtained from the proof. */
export type ConsistencyStep =
  /** The new peak is old peak `oldPeak` (an index into the old peaks). */
  | { kind: "old"; height: number; oldPeak: number }
  /**
   * The new peak is climbed from old peaks `firstOldPeak … lastOldPeak` (left to right) with
   * `siblings` path hashes, whose `pos0`s are `siblingPos0` (bottom-up).
   */
  | { kind: "partial"; height: number; firstOldPeak: number; lastOldPeak: number; local: bigint; siblingPos0: bigint[] }
  /** The new peak is the next path hash; it sits at `pos0`. */
  | { kind: "new"; height: number; pos0: bigint };

const U64_LIMIT = 1n << 64n;

/** `pos0` of the node of height `height` whose leaves start at `firstLeaf` (post-order: it follows its last leaf's ancestors). */
export function nodePos0(firstLeaf: bigint, height: number): bigint {
  return leafIndexToPos0(firstLeaf + (1n << BigInt(height)) - 1n) + BigInt(height);
}

/** Index of the lowest set bit of `x > 0`. */
function lowestBit(x: bigint): number {
  let h = 0;
  while (((x >> BigInt(h)) & 1n) === 0n) h++;
  return h;
}

/**
 * The shape of a consistency proof: one step per new mountain, left to right (pure position
 * maths, no hashes).
 * @throws ConsensusError `MMR_CONSISTENCY_MALFORMED` when `oldCount > newCount` or a count is not a u64
 */
export function consistencyPlan(oldCount: bigint, newCount: bigint): ConsistencyStep[] {
  if (oldCount < 0n || newCount >= U64_LIMIT) throw new ConsensusError("MMR_CONSISTENCY_MALFORMED", "counts must be u64");
  if (oldCount > newCount) throw new ConsensusError("MMR_CONSISTENCY_MALFORMED", `oldCount ${oldCount} > newCount ${newCount}`);
  const olds = peaks(oldCount);
  const steps: ConsistencyStep[] = [];
  let o = 0; // next old peak
  for (const p of peaks(newCount)) {
    const size = 1n << BigInt(p.height);
    if (p.firstLeaf + size <= oldCount) {
      steps.push({ kind: "old", height: p.height, oldPeak: o++ });
    } else if (p.firstLeaf >= oldCount) {
      steps.push({ kind: "new", height: p.height, pos0: p.pos0 });
    } else {
      const local = oldCount - p.firstLeaf;
      const first = o;
      o += Number(popcount(local));
      const h0 = lowestBit(local);
      const siblingPos0: bigint[] = [];
      for (let l = h0; l < p.height; l++) {
        const rightChild = l > h0 && ((local >> BigInt(l)) & 1n) === 1n;
        if (rightChild) continue;
        const s = p.firstLeaf + ((local - 1n) >> BigInt(l) << BigInt(l)); // first leaf of the node at height l
        siblingPos0.push(nodePos0(s + (1n << BigInt(l)), l));
      }
      steps.push({ kind: "partial", height: p.height, firstOldPeak: first, lastOldPeak: o - 1, local, siblingPos0 });
    }
  }
  if (o !== olds.length) throw new Error("consistencyPlan: old peaks not all placed (bug)");
  return steps;
}

/** Number of path hashes of a consistency proof from `oldCount` to `newCount` leaves. @throws as {@link consistencyPlan} */
export function consistencyPathLength(oldCount: bigint, newCount: bigint): number {
  let n = 0;
  for (const s of consistencyPlan(oldCount, newCount)) n += s.kind === "old" ? 0 : s.kind === "new" ? 1 : s.siblingPos0.length;
  return n;
}

/** Size in bytes of the encoded consistency proof: `18 + 32·(popcount(oldCount) + pathLength)`. */
export function consistencyProofSize(oldCount: bigint, newCount: bigint): number {
  return 18 + 32 * (Number(popcount(oldCount)) + consistencyPathLength(oldCount, newCount));
}

/**
 * Builds the consistency proof from `oldCount` to `newCount` leaves, reading node hashes from
 * `backend` (the same {@link MmrBackend} the inclusion prover reads; it must hold at least
 * `newCount` leaves' nodes). Reads `popcount(oldCount) + pathLength` nodes.
 * @throws ConsensusError `MMR_CONSISTENCY_MALFORMED` when `oldCount > newCount`;
 *   Error when a node is missing from the backend
 */
export async function proveConsistency(backend: MmrBackend, oldCount: bigint, newCount: bigint): Promise<ConsistencyProof> {
  const plan = consistencyPlan(oldCount, newCount);
  const need = async (pos0: bigint): Promise<Uint8Array> => {
    const h = await backend.get(pos0);
    if (h === undefined) throw new Error(`MMR node ${pos0} missing from the backend`);
    return h;
  };
  const oldPeaks: Uint8Array[] = [];
  for (const p of peaks(oldCount)) oldPeaks.push(await need(p.pos0));
  const path: Uint8Array[] = [];
  for (const s of plan) {
    if (s.kind === "new") path.push(await need(s.pos0));
    else if (s.kind === "partial") for (const pos of s.siblingPos0) path.push(await need(pos));
  }
  return { oldCount, newCount, oldPeaks, path };
}

/** Canonical bytes (layout in the module docs): `18 + 32·(oldPeaks + path)` bytes. @throws RangeError when a hash is not 32 bytes */
export function encodeConsistencyProof(p: ConsistencyProof): Uint8Array {
  const w = new ByteWriter(18 + 32 * (p.oldPeaks.length + p.path.length));
  w.u64(p.oldCount).u64(p.newCount).u8(p.oldPeaks.length);
  for (const h of p.oldPeaks) w.bytes(h, 32);
  w.u8(p.path.length);
  for (const h of p.path) w.bytes(h, 32);
  return w.finish();
}

/**
 * Parses {@link encodeConsistencyProof} bytes strictly.
 * @throws ConsensusError `MMR_CONSISTENCY_MALFORMED`: shorter than 18 bytes, `oldCount > newCount`,
 *   `nOldPeaks ≠ popcount(oldCount)`, `nPath ≠ consistencyPathLength(oldCount, newCount)`,
 *   truncated, or trailing bytes
 */
export function decodeConsistencyProof(b: Uint8Array): ConsistencyProof {
  const bad = (why: string): never => {
    throw new ConsensusError("MMR_CONSISTENCY_MALFORMED", why);
  };
  if (b.length < 18) bad(`${b.length} bytes, at least 18 needed`);
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const oldCount = v.getBigUint64(0, true);
  const newCount = v.getBigUint64(8, true);
  const wantPath = consistencyPathLength(oldCount, newCount); // throws when oldCount > newCount
  const np = b[16] as number;
  if (np !== Number(popcount(oldCount))) bad(`nOldPeaks ${np}, popcount(oldCount) is ${popcount(oldCount)}`);
  let off = 17;
  if (b.length < off + 32 * np + 1) bad("truncated in oldPeaks");
  const oldPeaks: Uint8Array[] = [];
  for (let i = 0; i < np; i++, off += 32) oldPeaks.push(b.slice(off, off + 32));
  const nPath = b[off] as number;
  off += 1;
  if (nPath !== wantPath) bad(`nPath ${nPath}, ${wantPath} expected for ${oldCount} → ${newCount}`);
  if (b.length !== off + 32 * nPath) bad(b.length < off + 32 * nPath ? "truncated in path" : "trailing bytes");
  const path: Uint8Array[] = [];
  for (let i = 0; i < nPath; i++, off += 32) path.push(b.slice(off, off + 32));
  return { oldCount, newCount, oldPeaks, path };
}

/** What a consistency proof implies: both roots and the newer MMR's peaks. */
export interface ConsistencyRoots {
  /** `bag(oldCount, oldPeaks)` (32 bytes). */
  oldRoot: Uint8Array;
  /** `bag(newCount, newPeaks)` (32 bytes). */
  newRoot: Uint8Array;
  /** The newer MMR's peaks, left to right (32 bytes each): enough to extend it or check a later proof. */
  newPeaks: Uint8Array[];
}

/**
 * Recomputes both roots from a proof (no comparison): bags the old peaks, climbs each new
 * mountain as in the module docs, bags the new peaks.
 * @throws ConsensusError `MMR_CONSISTENCY_MALFORMED` when the counts, the number of hashes or a hash length do not fit
 */
export function consistencyRoots(p: ConsistencyProof): ConsistencyRoots {
  const bad = (why: string): never => {
    throw new ConsensusError("MMR_CONSISTENCY_MALFORMED", why);
  };
  const plan = consistencyPlan(p.oldCount, p.newCount);
  if (p.oldPeaks.length !== Number(popcount(p.oldCount))) bad(`${p.oldPeaks.length} old peaks, popcount(oldCount) is ${popcount(p.oldCount)}`);
  for (const h of [...p.oldPeaks, ...p.path]) if (h.length !== 32) bad("a hash is not 32 bytes");
  let next = 0;
  const take = (): Uint8Array => p.path[next++] ?? bad("path too short");
  const newPeaks: Uint8Array[] = [];
  for (const s of plan) {
    if (s.kind === "old") newPeaks.push(p.oldPeaks[s.oldPeak] as Uint8Array);
    else if (s.kind === "new") newPeaks.push(take());
    else {
      let left = s.lastOldPeak;
      let acc = p.oldPeaks[left--] as Uint8Array;
      const h0 = lowestBit(s.local);
      for (let l = h0; l < s.height; l++) {
        const rightChild = l > h0 && ((s.local >> BigInt(l)) & 1n) === 1n;
        acc = rightChild ? mmrNodeHash(p.oldPeaks[left--] as Uint8Array, acc) : mmrNodeHash(acc, take());
      }
      if (left !== s.firstOldPeak - 1) throw new Error("consistencyRoots: old peaks of the partial mountain not all used (bug)");
      newPeaks.push(acc);
    }
  }
  if (next !== p.path.length) bad(`path has ${p.path.length} hashes, ${next} used`);
  return { oldRoot: mmrRootFromPeaks(p.oldCount, p.oldPeaks), newRoot: mmrRootFromPeaks(p.newCount, newPeaks), newPeaks };
}

/**
 * Verifies that the MMR of `oldCount` leaves with root `oldRoot` is a prefix of the MMR of
 * `newCount` leaves with root `newRoot` (docs/mmr.md §6.3). `proof` is a decoded proof or its
 * bytes (decoded strictly). Needs only hashing.
 * @returns the newer MMR's peaks and both roots
 * @throws ConsensusError `MMR_CONSISTENCY_MALFORMED` (bytes or shape; a root not 32 bytes),
 *   `MMR_CONSISTENCY_INVALID` (the proof's counts differ from the ones given, or a recomputed root differs)
 */
export function verifyConsistencyProof(
  oldRoot: Uint8Array,
  oldCount: bigint,
  newRoot: Uint8Array,
  newCount: bigint,
  proof: ConsistencyProof | Uint8Array,
): ConsistencyRoots {
  if (oldRoot.length !== 32 || newRoot.length !== 32) throw new ConsensusError("MMR_CONSISTENCY_MALFORMED", "a root is not 32 bytes");
  const p = proof instanceof Uint8Array ? decodeConsistencyProof(proof) : proof;
  if (p.oldCount !== oldCount || p.newCount !== newCount) {
    throw new ConsensusError("MMR_CONSISTENCY_INVALID", `proof is for ${p.oldCount} → ${p.newCount} leaves, not ${oldCount} → ${newCount}`);
  }
  const r = consistencyRoots(p);
  if (!equalBytes(r.oldRoot, oldRoot)) throw new ConsensusError("MMR_CONSISTENCY_INVALID", "old peaks do not bag to oldRoot");
  if (!equalBytes(r.newRoot, newRoot)) throw new ConsensusError("MMR_CONSISTENCY_INVALID", "climbed new peaks do not bag to newRoot");
  return r;
}
