/**
 * Superblock levels and block work (docs/cascade.md §1; docs/consensus.md §4.1; Minima's Tx-PoW
 * super levels). The block hash is the PoW hash, so a block whose hash lies 2^L times below its
 * own `blockTarget` is a level-L superblock: `P(level ≥ L) = 2^−L` for an honestly mined block.
 * @module
 */
import { ConsensusError } from "../errors.ts";
import { toHex } from "../encoding/bytes.ts";
import { blockHash } from "../hashes.ts";
import { powLevel, targetToBigInt } from "../pow.ts";
import type { BlockHeader } from "../types.ts";
import { CASCADE_LEVELS } from "./params.ts";

/**
 * Superblock level of a header: `min(powLevel(blockHash, blockTarget), levels − 1)` where
 * `powLevel = ⌊log₂(blockTarget / hash)⌋` (consensus/src/pow.ts). Genesis (height 0) is not mined:
 * when its hash is above its target its level is 0.
 * @param levels the cascade's level count (default {@link CASCADE_LEVELS} = 32), 1 ..= 64
 * @param hash the header's block hash if already computed (32 bytes)
 * @returns 0 ..= levels − 1
 * @throws ConsensusError `BLOCK_BAD_POW` when a non-genesis hash is above its `blockTarget`
 */
export function superLevel(header: BlockHeader, levels: number = CASCADE_LEVELS, hash: Uint8Array = blockHash(header)): number {
  const l = powLevel(hash, header.blockTarget);
  if (l < 0) {
    if (header.height === 0n) return 0;
    throw new ConsensusError("BLOCK_BAD_POW", `superLevel: block ${header.height} hash ${toHex(hash).slice(0, 16)}… is above its blockTarget`);
  }
  return l > levels - 1 ? levels - 1 : l;
}

const TWO_256 = 1n << 256n;

/**
 * Expected work of one block at a target: `⌊2^256 / (target + 1)⌋` hashes (the expected number of
 * tries to find a hash ≤ target; Bitcoin's `GetBlockProof`).
 * @param target 32 bytes big-endian
 * @throws RangeError unless 32 bytes
 */
export function blockWork(target: Uint8Array): bigint {
  return TWO_256 / (targetToBigInt(target) + 1n);
}
