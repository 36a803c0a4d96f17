/**
 * Super-parent pointers and their commitment (docs/cascade.md §3; issue 9).
 *
 * `SuperParents` after block `h` ("at or below `h`") holds, for each level `i` in
 * `0 ..= levels − 1`, the height and hash of the most recent block at height ≤ h whose
 * {@link superLevel} is ≥ i, or the *none* entry (height 0, 32 zero bytes, like genesis's
 * `parentHash`) when there is no such block. Entry 0 is always block `h` itself.
 *
 * Block `h + 1` commits to the pointers after its parent `h`: a future header field
 * `superParentsRoot = superParentsRoot(sp(h))` (the integrator adds it; the byte layout is fixed
 * here). Following entry `i` from a header jumps straight to the previous level-≥i superblock.
 * @module
 */
import { TAGS } from "../constants.ts";
import { ByteWriter, equalBytes } from "../encoding/bytes.ts";
import { blockHash, merkleRoot } from "../hashes.ts";
import type { BlockHeader } from "../types.ts";
import { superLevel } from "./level.ts";
import { CASCADE_LEVELS } from "./params.ts";

/** Bytes of one canonical super-parent entry: `u64le height ‖ hash[32]` = 40. */
export const SUPER_PARENT_ENTRY_BYTES = 40;

/** One pointer: a block's height and hash (32 bytes); the none entry is height 0 and 32 zero bytes. */
export interface SuperParentEntry {
  /** Block height (u64). */
  readonly height: bigint;
  /** Block hash, 32 bytes. */
  readonly hash: Uint8Array;
}

/** The pointers after a block: `entries[i]` for level i, `entries.length` = the cascade's level count. */
export interface SuperParents {
  readonly entries: readonly SuperParentEntry[];
}

const NONE_HASH = new Uint8Array(32);

/** Whether an entry is the none entry (no block at that level yet). */
export function isNoneEntry(e: SuperParentEntry): boolean {
  return e.height === 0n && equalBytes(e.hash, NONE_HASH);
}

/** Whether two entries are equal (same height, same hash). */
export function equalEntries(a: SuperParentEntry, b: SuperParentEntry): boolean {
  return a.height === b.height && equalBytes(a.hash, b.hash);
}

/** The pointers before genesis: `levels` none entries (what genesis commits to). @param levels 1 ..= 64 */
export function emptySuperParents(levels: number = CASCADE_LEVELS): SuperParents {
  const none: SuperParentEntry = { height: 0n, hash: NONE_HASH };
  return { entries: Array.from({ length: levels }, () => none) };
}

/**
 * The pointers after `header`, from the pointers after its parent: entries `0 ..= superLevel(header)`
 * become `{header.height, blockHash(header)}`, the rest are `prev`'s. Does not mutate `prev`.
 * @param hash the header's block hash if already computed
 * @throws ConsensusError `BLOCK_BAD_POW` (non-genesis hash above its target, from {@link superLevel})
 */
export function nextSuperParents(prev: SuperParents, header: BlockHeader, hash: Uint8Array = blockHash(header)): SuperParents {
  const levels = prev.entries.length;
  const level = superLevel(header, levels, hash);
  const self: SuperParentEntry = { height: header.height, hash };
  return { entries: prev.entries.map((e, i) => (i <= level ? self : e)) };
}

/** Canonical bytes of one entry: `u64le height ‖ hash[32]` (40 bytes). @throws RangeError on a bad width */
export function superParentEntryBytes(e: SuperParentEntry): Uint8Array {
  return new ByteWriter(SUPER_PARENT_ENTRY_BYTES).u64(e.height).bytes(e.hash, 32).finish();
}

/**
 * The commitment a header will carry (32 bytes): {@link merkleRoot} with tag
 * `BAIOS/v1/super-parents` (TAGS.superParents) over the entries' canonical bytes
 * (`u64le height ‖ hash[32]`, 40 bytes each), level 0 first: `levels` leaves (32 on mainnet).
 */
export function superParentsRoot(sp: SuperParents): Uint8Array {
  return merkleRoot(sp.entries.map(superParentEntryBytes), TAGS.superParents);
}

/** A short label of an entry for error reasons: `none`, or `height:first 4 hash bytes in hex…`. */
export function entryLabel(e: SuperParentEntry): string {
  return isNoneEntry(e) ? "none" : `${e.height}:${Array.from(e.hash.subarray(0, 4), (b) => b.toString(16).padStart(2, "0")).join("")}…`;
}
