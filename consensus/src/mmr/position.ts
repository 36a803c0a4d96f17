/**
 * Pure position maths of a Merkle Mountain Range (docs/protocol.md §8). Nodes are numbered in
 * post-order from 0 (`pos0`); leaves are numbered from 0 (`leafIndex`) in append order.
 * A tree of `n` leaves has `2n − popcount(n)` nodes and one perfect binary tree ("mountain")
 * per set bit of `n`, the largest first. All values are u64 `bigint`s.
 * @module
 */

/** Number of set bits of a non-negative bigint. */
export function popcount(x: bigint): bigint {
  let c = 0n;
  while (x > 0n) {
    c += x & 1n;
    x >>= 1n;
  }
  return c;
}

/** Bit length of a non-negative bigint (0 for 0). */
export function bitLength(x: bigint): number {
  let n = 0;
  while (x > 0n) {
    x >>= 1n;
    n++;
  }
  return n;
}

/** `pos0` of leaf `leafIndex`: `2·i − popcount(i)`. */
export function leafIndexToPos0(leafIndex: bigint): bigint {
  if (leafIndex < 0n) throw new RangeError("negative leaf index");
  return 2n * leafIndex - popcount(leafIndex);
}

/** Number of nodes of an MMR with `leafCount` leaves: `2n − popcount(n)`. */
export function nodeCount(leafCount: bigint): bigint {
  if (leafCount < 0n) throw new RangeError("negative leaf count");
  return 2n * leafCount - popcount(leafCount);
}

/** Height of the node at `pos0` (leaves have height 0). */
export function heightOfPos0(pos0: bigint): number {
  if (pos0 < 0n) throw new RangeError("negative position");
  let pos = pos0 + 1n; // 1-based
  // A 1-based position whose binary form is all ones is the top of a perfect tree of that height.
  for (;;) {
    const bl = bitLength(pos);
    if (pos === (1n << BigInt(bl)) - 1n) return bl - 1;
    pos -= (1n << BigInt(bl - 1)) - 1n; // jump to the same node in the left sibling tree
  }
}

/** A mountain: a perfect binary tree of `2^height` leaves. */
export interface Peak {
  /** `pos0` of the mountain's top node. */
  pos0: bigint;
  /** Height of the mountain (its leaf count is `2^height`). */
  height: number;
  /** Index of the first leaf of the mountain. */
  firstLeaf: bigint;
}

/** The mountains of an MMR with `leafCount` leaves, left (largest) to right. */
export function peaks(leafCount: bigint): Peak[] {
  const out: Peak[] = [];
  let start = 0n;
  let firstLeaf = 0n;
  for (let k = bitLength(leafCount) - 1; k >= 0; k--) {
    const leaves = 1n << BigInt(k);
    if ((leafCount & leaves) === 0n) continue;
    const size = 2n * leaves - 1n;
    out.push({ pos0: start + size - 1n, height: k, firstLeaf });
    start += size;
    firstLeaf += leaves;
  }
  return out;
}

/** Index (into {@link peaks}) of the mountain containing `leafIndex`. @throws RangeError when out of range */
export function peakIndexOfLeaf(leafIndex: bigint, leafCount: bigint): number {
  if (leafIndex < 0n || leafIndex >= leafCount) throw new RangeError("leaf index out of range");
  const ps = peaks(leafCount);
  for (let i = 0; i < ps.length; i++) {
    const p = ps[i] as Peak;
    if (leafIndex < p.firstLeaf + (1n << BigInt(p.height))) return i;
  }
  throw new RangeError("unreachable");
}

/**
 * The `pos0`s of the siblings on the path from leaf `leafIndex` up to its mountain's top,
 * bottom-up, for an MMR of `leafCount` leaves.
 */
export function siblingPositions(leafIndex: bigint, leafCount: bigint): bigint[] {
  const p = peaks(leafCount)[peakIndexOfLeaf(leafIndex, leafCount)] as Peak;
  const local = leafIndex - p.firstLeaf;
  let pos = leafIndexToPos0(leafIndex);
  const out: bigint[] = [];
  for (let l = 0; l < p.height; l++) {
    const span = (1n << BigInt(l + 1)) - 1n; // nodes in a subtree of height l
    if (((local >> BigInt(l)) & 1n) === 0n) {
      const sib = pos + span;
      out.push(sib);
      pos = sib + 1n;
    } else {
      out.push(pos - span);
      pos = pos + 1n;
    }
  }
  return out;
}
