/**
 * MMR proof verification cases for timing in Node (bench/src/mmr.ts) and in a browser (the
 * Chromium harness): browser-safe (no Node built-ins), deterministic, built **structurally** —
 * sibling, peak and path hashes are `h32("BAIOS/v1/bench/mmr", u32le(j))` and the roots are the
 * ones they imply — since no MMR of 2^32 leaves can be built. Verification cost depends only on
 * the proof's shape (one `h32` per sibling or path hash plus the bagging), so a structural proof
 * times exactly like a real one of the same `(leafIndex, leafCount)` / `(oldCount, newCount)`.
 *
 * Usage: `const c = mmrVerifyCase("inclusion-2^32"); c.verify()` (true when valid); time
 * `c.verify` over many runs. Sizes: docs/mmr.md §7.
 * @module
 */
import { h32 } from "@baios/crypto";
import {
  checkInclusionProof, consistencyPathLength, consistencyRoots, encodeConsistencyProof, encodeInclusionProof, peakIndexOfLeaf, peaks, popcount,
  rootFromInclusionProof, u32le, verifyConsistencyProof, verifyInclusionProof, type ConsistencyProof, type InclusionProof,
} from "@baios/consensus";

/** The named cases: inclusion at 2^20, 2^32 and the worst count below 2^32; consistency typical and worst. */
export const MMR_VERIFY_CASES = ["inclusion-2^20", "inclusion-2^32", "inclusion-worst-below-2^32", "consistency-2^20", "consistency-worst-below-2^32"] as const;
/** One of {@link MMR_VERIFY_CASES}. */
export type MmrVerifyCaseName = (typeof MMR_VERIFY_CASES)[number];

/** A ready-to-verify case. */
export interface MmrVerifyCase {
  name: MmrVerifyCaseName;
  /** What is proven, in words (counts, leaf index). */
  description: string;
  /** Encoded proof (docs/mmr.md §5.1 or §6.2). */
  proof: Uint8Array;
  /** `proof.length` in bytes. */
  bytes: number;
  /** Hashes in the proof (siblings + other peaks, or old peaks + path). */
  hashes: number;
  /** Verifies the decoded proof (`verifyInclusionProof` / `verifyConsistencyProof`); true when valid. */
  verify(): boolean;
  /** Decodes the bytes strictly and verifies (`checkInclusionProof` / `verifyConsistencyProof` on bytes); true when valid. */
  verifyBytes(): boolean;
}

function structuralInclusion(name: MmrVerifyCaseName, leafIndex: bigint, leafCount: bigint, seed: () => Uint8Array): MmrVerifyCase {
  const ps = peaks(leafCount);
  const height = (ps[peakIndexOfLeaf(leafIndex, leafCount)] as { height: number }).height;
  const p: InclusionProof = { leafIndex, leafCount, siblings: Array.from({ length: height }, seed), otherPeaks: Array.from({ length: ps.length - 1 }, seed) };
  const leafHash = seed();
  const root = rootFromInclusionProof(leafHash, p);
  const proof = encodeInclusionProof(p);
  return {
    name,
    description: `leaf ${leafIndex} of ${leafCount} (${height} siblings, ${ps.length - 1} other peaks)`,
    proof,
    bytes: proof.length,
    hashes: height + ps.length - 1,
    verify: () => verifyInclusionProof(root, leafCount, leafHash, p),
    verifyBytes: () => {
      checkInclusionProof(root, leafCount, leafHash, proof);
      return true;
    },
  };
}

function structuralConsistency(name: MmrVerifyCaseName, oldCount: bigint, newCount: bigint, seed: () => Uint8Array): MmrVerifyCase {
  const p: ConsistencyProof = { oldCount, newCount, oldPeaks: Array.from({ length: Number(popcount(oldCount)) }, seed), path: Array.from({ length: consistencyPathLength(oldCount, newCount) }, seed) };
  const { oldRoot, newRoot } = consistencyRoots(p);
  const proof = encodeConsistencyProof(p);
  return {
    name,
    description: `${oldCount} → ${newCount} leaves (${p.oldPeaks.length} old peaks, ${p.path.length} path hashes)`,
    proof,
    bytes: proof.length,
    hashes: p.oldPeaks.length + p.path.length,
    verify: () => {
      verifyConsistencyProof(oldRoot, oldCount, newRoot, newCount, p);
      return true;
    },
    verifyBytes: () => {
      verifyConsistencyProof(oldRoot, oldCount, newRoot, newCount, proof);
      return true;
    },
  };
}

/** Builds case `name` (deterministic). */
export function mmrVerifyCase(name: MmrVerifyCaseName): MmrVerifyCase {
  let j = 0;
  const seed = (): Uint8Array => h32("BAIOS/v1/bench/mmr", u32le(j++));
  switch (name) {
    case "inclusion-2^20":
      return structuralInclusion(name, 777_777n, 1n << 20n, seed);
    case "inclusion-2^32":
      return structuralInclusion(name, 3_000_000_000n, 1n << 32n, seed);
    case "inclusion-worst-below-2^32":
      return structuralInclusion(name, 12_345n, (1n << 32n) - 1n, seed);
    case "consistency-2^20":
      return structuralConsistency(name, (1n << 20n) - 1000n, 1n << 20n, seed);
    case "consistency-worst-below-2^32":
      return structuralConsistency(name, 1n, (1n << 32n) - 1n, seed);
  }
}
