/**
 * Strict, throwing forms of the §8 inclusion proof (docs/mmr.md §5): same bytes and the same
 * verification as {@link decodeInclusionProof} / {@link verifyInclusionProof} (which return
 * `undefined` / `false`), with typed errors for RPC answers, light clients and the vectors.
 * @module
 */
import { ConsensusError } from "../errors.ts";
import { peakIndexOfLeaf, peaks } from "./position.ts";
import { decodeInclusionProof, mmrNodeHash, mmrRootFromPeaks, verifyInclusionProof, type InclusionProof } from "./proof.ts";

/**
 * Parses inclusion proof bytes `u64le leafIndex ‖ u64le leafCount ‖ u8 nSiblings ‖ nSiblings × [32]
 * ‖ u8 nPeaks ‖ nPeaks × [32]` and checks the shape against `(leafIndex, leafCount)`.
 * @throws ConsensusError `MMR_PROOF_MALFORMED`: truncated, trailing bytes, `leafIndex ≥ leafCount`,
 *   `nSiblings` not the height of the leaf's mountain, or `nPeaks ≠ popcount(leafCount) − 1`
 */
export function decodeInclusionProofStrict(b: Uint8Array): InclusionProof {
  const p = decodeInclusionProof(b);
  if (p === undefined) throw new ConsensusError("MMR_PROOF_MALFORMED", "inclusion proof truncated or with trailing bytes");
  checkInclusionShape(p);
  return p;
}

function checkInclusionShape(p: InclusionProof): void {
  if (p.leafIndex < 0n || p.leafIndex >= p.leafCount || p.leafCount >= 1n << 64n) {
    throw new ConsensusError("MMR_PROOF_MALFORMED", `leafIndex ${p.leafIndex} not below leafCount ${p.leafCount}`);
  }
  const ps = peaks(p.leafCount);
  const height = ps[peakIndexOfLeaf(p.leafIndex, p.leafCount)]?.height ?? -1;
  if (p.siblings.length !== height) throw new ConsensusError("MMR_PROOF_MALFORMED", `${p.siblings.length} siblings, the leaf's mountain has height ${height}`);
  if (p.otherPeaks.length !== ps.length - 1) throw new ConsensusError("MMR_PROOF_MALFORMED", `${p.otherPeaks.length} other peaks, ${ps.length - 1} expected`);
  for (const h of [...p.siblings, ...p.otherPeaks]) if (h.length !== 32) throw new ConsensusError("MMR_PROOF_MALFORMED", "a hash is not 32 bytes");
}

/**
 * Verifies that `leafHash` is leaf `proof.leafIndex` of the MMR with `leafCount` leaves and root
 * `root` (docs/mmr.md §5.2), throwing instead of returning false. `proof` is decoded or bytes.
 * @throws ConsensusError `MMR_PROOF_MALFORMED` (bytes or shape; root or leaf not 32 bytes),
 *   `MMR_PROOF_INVALID` (proof for another leaf count, or the recomputed root differs)
 */
export function checkInclusionProof(root: Uint8Array, leafCount: bigint, leafHash: Uint8Array, proof: InclusionProof | Uint8Array): void {
  if (root.length !== 32 || leafHash.length !== 32) throw new ConsensusError("MMR_PROOF_MALFORMED", "root and leaf hash must be 32 bytes");
  const p = proof instanceof Uint8Array ? decodeInclusionProofStrict(proof) : proof;
  if (!(proof instanceof Uint8Array)) checkInclusionShape(p);
  if (p.leafCount !== leafCount) throw new ConsensusError("MMR_PROOF_INVALID", `proof is for ${p.leafCount} leaves, not ${leafCount}`);
  if (!verifyInclusionProof(root, leafCount, leafHash, p)) throw new ConsensusError("MMR_PROOF_INVALID", "recomputed root differs");
}

/**
 * The root an inclusion proof implies for `leafHash` (32 bytes): hash up the siblings, insert the
 * result among the other peaks, bag with `proof.leafCount`. Used to build proofs structurally
 * (random siblings and peaks) for sizes no MMR can be built at, e.g. 2^32 leaves (bench, vectors).
 * @throws ConsensusError `MMR_PROOF_MALFORMED` when the shape does not fit `(leafIndex, leafCount)`
 */
export function rootFromInclusionProof(leafHash: Uint8Array, proof: InclusionProof): Uint8Array {
  checkInclusionShape(proof);
  const pi = peakIndexOfLeaf(proof.leafIndex, proof.leafCount);
  const peak = peaks(proof.leafCount)[pi] as { firstLeaf: bigint };
  const local = proof.leafIndex - peak.firstLeaf;
  let acc = leafHash;
  proof.siblings.forEach((sib, l) => {
    acc = ((local >> BigInt(l)) & 1n) === 0n ? mmrNodeHash(acc, sib) : mmrNodeHash(sib, acc);
  });
  return mmrRootFromPeaks(proof.leafCount, [...proof.otherPeaks.slice(0, pi), acc, ...proof.otherPeaks.slice(pi)]);
}
