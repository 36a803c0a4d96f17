/**
 * What a fast-synced node keeps of the set chain it verified (docs/sync.md §4, docs/pruning.md
 * §Light-client records): the records a pruned node keeps at each validator-set change, so it serves
 * `set-chain` and `get_light_update` from genesis like an archive or pruned node (../rpc/light.ts).
 *
 * From each verified step (set-chain.ts; every step but the last is a set change c):
 * - `h ‖ c` → `encodeHeader` (488 bytes), `c ‖ c` → `encodeCertificate` (docs/protocol.md §9);
 * - the header-MMR nodes `m` its `link` proves (the leaf of the step before, the path to its
 *   mountain top with the siblings, the other peaks; 32 bytes each): `buildLightUpdate` reads the
 *   same nodes for the same link, and with the window's nodes also for a link to any later height;
 * - `L ‖ c` → the next set (../store/set-change-records.ts);
 * plus `L` records of the window's changes and meta `setchain` = H. The caller puts them into the
 * staging store of the snapshot (snapshot-write.ts), so they appear with the rest of the store by
 * its one `rename(2)`, or not at all.
 * @module
 */
import {
  blockHash,
  encodeCertificate,
  encodeHeader,
  equalBytes,
  headerLeafHash,
  leafIndexToPos0,
  mmrNodeHash,
  mmrRootFromPeaks,
  peakIndexOfLeaf,
  peaks,
  siblingPositions,
  validatorSetBytes,
  type BlockHeader,
  type InclusionProof,
  type LightStep,
  type Validator,
} from "@baios/consensus";
import { certKey, headerKey, headerMmrKey, metaKey, setChangeKey, u64be } from "../store/keys.ts";
import { SET_CHAIN_COVER_META } from "../store/set-change-records.ts";
import { FastSyncError } from "./snapshot.ts";

/** A set change and the set that finalizes the block after it. */
export interface SetChangeSet {
  height: bigint;
  validators: readonly Validator[];
}

/**
 * The header-MMR nodes (pos0 → hash, 32 bytes) a verified link proves: leaf `proof.leafIndex` =
 * `headerLeafHash(leafIndex, leafBlockHash)`, each sibling and each parent up to the mountain top,
 * and the other peaks of the MMR of `proof.leafCount` leaves (docs/protocol.md §8).
 * @throws FastSyncError `SET_CHAIN_INVALID` when the nodes do not bag to `headerRoot` (the link was not verified)
 */
export function linkNodes(proof: InclusionProof, leafBlockHash: Uint8Array, headerRoot: Uint8Array): Map<bigint, Uint8Array> {
  const out = new Map<bigint, Uint8Array>();
  const ps = peaks(proof.leafCount);
  const pi = peakIndexOfLeaf(proof.leafIndex, proof.leafCount);
  const sibs = siblingPositions(proof.leafIndex, proof.leafCount);
  const peak = ps[pi];
  if (peak === undefined || sibs.length !== proof.siblings.length || proof.otherPeaks.length !== ps.length - 1) throw new FastSyncError("SET_CHAIN_INVALID", `link of ${proof.leafIndex}: wrong shape`);
  const local = proof.leafIndex - peak.firstLeaf;
  let pos = leafIndexToPos0(proof.leafIndex);
  let acc = headerLeafHash(proof.leafIndex, leafBlockHash);
  out.set(pos, acc);
  for (const [l, sp] of sibs.entries()) {
    const sib = proof.siblings[l] as Uint8Array;
    out.set(sp, sib);
    const left = ((local >> BigInt(l)) & 1n) === 0n;
    acc = left ? mmrNodeHash(acc, sib) : mmrNodeHash(sib, acc);
    pos = left ? sp + 1n : pos + 1n;
    out.set(pos, acc);
  }
  const tops = [...proof.otherPeaks.slice(0, pi), acc, ...proof.otherPeaks.slice(pi)];
  ps.forEach((p, i) => out.set(p.pos0, tops[i] as Uint8Array));
  if (!equalBytes(mmrRootFromPeaks(proof.leafCount, tops), headerRoot)) throw new FastSyncError("SET_CHAIN_INVALID", `link of ${proof.leafIndex} at ${proof.leafCount}: does not bag to headerRoot`);
  return out;
}

/**
 * The records (key → value) a fast-synced node keeps of its verified set chain (module docs).
 * @param steps the verified steps from genesis, in order (`SetChainHead.steps`)
 * @param windowChanges the window's set changes with their next sets (`VerifiedWindow.setChanges`)
 * @param cover H: every set change ≤ H is in `steps` or `windowChanges`
 * @throws FastSyncError `SET_CHAIN_INVALID` (a link that does not bag to its header's root)
 */
export function setChainRecords(genesis: BlockHeader, steps: readonly LightStep[], windowChanges: readonly SetChangeSet[], cover: number): { key: Uint8Array; value: Uint8Array }[] {
  const out: { key: Uint8Array; value: Uint8Array }[] = [];
  const mmr = new Map<bigint, Uint8Array>();
  let prevHash = blockHash(genesis);
  for (const s of steps) {
    const h = Number(s.header.height);
    out.push({ key: headerKey(h), value: encodeHeader(s.header) }, { key: certKey(h), value: encodeCertificate(s.certificate) });
    for (const [p, hash] of linkNodes(s.link, prevHash, s.header.headerRoot)) mmr.set(p, hash);
    if (s.nextValidators !== undefined) out.push({ key: setChangeKey(h), value: validatorSetBytes(s.nextValidators.validators) });
    prevHash = blockHash(s.header);
  }
  for (const [p, hash] of mmr) out.push({ key: headerMmrKey(Number(p)), value: hash });
  for (const c of windowChanges) out.push({ key: setChangeKey(Number(c.height)), value: validatorSetBytes(c.validators) });
  out.push({ key: metaKey(SET_CHAIN_COVER_META), value: u64be(cover) });
  return out;
}
