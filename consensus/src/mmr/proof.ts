/**
 * MMR hashing, roots and inclusion proofs (docs/protocol.md §8). A light client needs only this
 * module (and `h32`): {@link verifyInclusionProof} takes `(root, leafCount, leafHash, proof)`.
 *
 * - leaf:  `h32("BAIOS/v1/mmr-leaf", u64le(globalIndex) ‖ oneTimeKey[32] ‖ commitment[32])`
 * - node:  `h32("BAIOS/v1/mmr-node", left[32] ‖ right[32])`
 * - root:  `h32("BAIOS/v1/mmr-bag", u64le(leafCount) ‖ peak_0 ‖ … ‖ peak_{k−1})`, peaks left to right
 *   (the empty MMR: `h32("BAIOS/v1/mmr-bag", u64le(0))`).
 * @module
 */
import { h32 } from "@baios/crypto";
import { TAGS } from "../constants.ts";
import { ByteWriter, concatBytes, equalBytes, u64le } from "../encoding/bytes.ts";
import { mmrLeafBytes } from "../encoding/canonical.ts";
import { peakIndexOfLeaf, peaks } from "./position.ts";

/** Leaf hash of output `globalIndex` (32 bytes). */
export function mmrLeafHash(globalIndex: bigint, oneTimeKey: Uint8Array, commitment: Uint8Array): Uint8Array {
  return h32(TAGS.mmrLeaf, mmrLeafBytes(globalIndex, oneTimeKey, commitment));
}

/** Interior node hash `h32("BAIOS/v1/mmr-node", left ‖ right)` (32 bytes). */
export function mmrNodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  return h32(TAGS.mmrNode, concatBytes(left, right));
}

/** Root of an MMR from its leaf count and its peak hashes (left to right). */
export function mmrRootFromPeaks(leafCount: bigint, peakHashes: readonly Uint8Array[]): Uint8Array {
  return h32(TAGS.mmrBag, concatBytes(u64le(leafCount), ...peakHashes));
}

/**
 * Inclusion proof of one leaf. Byte layout ({@link encodeInclusionProof}):
 * `u64 leafIndex ‖ u64 leafCount ‖ u8 nSiblings ‖ nSiblings × 32 ‖ u8 nPeaks ‖ nPeaks × 32`.
 */
export interface InclusionProof {
  /** Index of the proven leaf (u64) = the output's global index. */
  leafIndex: bigint;
  /** Number of leaves of the MMR the proof is for (u64) = header `outputCount`. */
  leafCount: bigint;
  /** Sibling hashes from the leaf up to its mountain top, bottom-up (as many as the mountain's height). */
  siblings: Uint8Array[];
  /** Hashes of the other mountains' tops, left to right, without the leaf's own mountain. */
  otherPeaks: Uint8Array[];
}

/** Canonical bytes of a proof (layout in {@link InclusionProof}). */
export function encodeInclusionProof(p: InclusionProof): Uint8Array {
  const w = new ByteWriter(18 + 32 * (p.siblings.length + p.otherPeaks.length));
  w.u64(p.leafIndex).u64(p.leafCount).u8(p.siblings.length);
  for (const s of p.siblings) w.bytes(s, 32);
  w.u8(p.otherPeaks.length);
  for (const s of p.otherPeaks) w.bytes(s, 32);
  return w.finish();
}

/** Parses {@link encodeInclusionProof} bytes; `undefined` when malformed (wrong lengths, trailing bytes). */
export function decodeInclusionProof(b: Uint8Array): InclusionProof | undefined {
  if (b.length < 18) return undefined;
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const leafIndex = v.getBigUint64(0, true);
  const leafCount = v.getBigUint64(8, true);
  const ns = b[16] ?? 0;
  let off = 17;
  if (b.length < off + 32 * ns + 1) return undefined;
  const siblings: Uint8Array[] = [];
  for (let i = 0; i < ns; i++, off += 32) siblings.push(b.slice(off, off + 32));
  const np = b[off] ?? 0;
  off += 1;
  if (b.length !== off + 32 * np) return undefined;
  const otherPeaks: Uint8Array[] = [];
  for (let i = 0; i < np; i++, off += 32) otherPeaks.push(b.slice(off, off + 32));
  return { leafIndex, leafCount, siblings, otherPeaks };
}

/**
 * Verifies that `leafHash` is leaf `proof.leafIndex` of the MMR with `leafCount` leaves and
 * root `root`. Needs nothing but hashing: recomputes the leaf's mountain top from the siblings
 * (left/right from the bits of the leaf's index inside its mountain), inserts it among the
 * other peaks, and compares the bagged root.
 * @returns true iff the proof is valid; never throws on malformed proofs
 */
export function verifyInclusionProof(root: Uint8Array, leafCount: bigint, leafHash: Uint8Array, proof: InclusionProof): boolean {
  if (root.length !== 32 || leafHash.length !== 32) return false;
  if (proof.leafCount !== leafCount || proof.leafIndex < 0n || proof.leafIndex >= leafCount || leafCount >= 1n << 64n) return false;
  const ps = peaks(leafCount);
  const pi = peakIndexOfLeaf(proof.leafIndex, leafCount);
  const peak = ps[pi];
  if (peak === undefined || proof.siblings.length !== peak.height || proof.otherPeaks.length !== ps.length - 1) return false;
  const local = proof.leafIndex - peak.firstLeaf;
  let acc = leafHash;
  for (let l = 0; l < peak.height; l++) {
    const sib = proof.siblings[l] as Uint8Array;
    if (sib.length !== 32) return false;
    acc = ((local >> BigInt(l)) & 1n) === 0n ? mmrNodeHash(acc, sib) : mmrNodeHash(sib, acc);
  }
  for (const p of proof.otherPeaks) if (p.length !== 32) return false;
  const all = [...proof.otherPeaks.slice(0, pi), acc, ...proof.otherPeaks.slice(pi)];
  return equalBytes(mmrRootFromPeaks(leafCount, all), root);
}

/** Maximum mountain height (u64 leaf counts): 63. */
export const MAX_MMR_HEIGHT = 63;
