/**
 * The header MMR (docs/protocol.md §5.4; issue 9): every header commits, in `headerRoot`, to an
 * MMR over the hashes of all blocks before it (genesis … height − 1), as grin's `prev_root`
 * does. A pruned header is proven with an ordinary §8 inclusion proof against any later
 * header. Same MMR as §8 (node tag `BAIOS/v1/mmr-node`, root tag `BAIOS/v1/mmr-bag`, post-order
 * positions); only the leaf has its own tag, so no output leaf can pass for a header leaf.
 * @module
 */
import { h32 } from "@baios/crypto";
import { TAGS } from "../constants.ts";
import { concatBytes, u64le } from "../encoding/bytes.ts";
import { mmrRootFromPeaks } from "./proof.ts";

/**
 * Leaf `height` of the header MMR (32 bytes): `h32("BAIOS/v1/header-leaf", u64le(height) ‖ blockHash[32])`
 * (40 bytes of input). The leaf index equals the block height.
 * @throws RangeError when `blockHash` is not 32 bytes or `height` is not a u64
 */
export function headerLeafHash(height: bigint, blockHash: Uint8Array): Uint8Array {
  if (blockHash.length !== 32) throw new RangeError("headerLeafHash: block hash must be 32 bytes");
  return h32(TAGS.headerLeaf, concatBytes(u64le(height), blockHash));
}

/** Root of an MMR with no leaves (32 bytes): `h32("BAIOS/v1/mmr-bag", u64le(0))` — genesis's `headerRoot`. */
export function emptyMmrRoot(): Uint8Array {
  return mmrRootFromPeaks(0n, []);
}
