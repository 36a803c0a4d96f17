/**
 * Hashes, key bits, node positions and node records of the key-image set tree
 * (docs/protocol.md §15): a compact sparse Merkle tree over 256-bit keys with leaf shortcuts.
 *
 * - key:      `kisetKey(I) = h32("BAIOS/v1/kiset-key", I[32])` (32 bytes)
 * - leaf:     `h32("BAIOS/v1/kiset-leaf", key[32])`
 * - internal: `h32("BAIOS/v1/kiset-node", left[32] ‖ right[32])`
 * - empty:    32 zero bytes ({@link KISET_EMPTY}); also the root of the empty set
 *
 * Bit `i` of a key (0 ≤ i < 256) is bit `7 − (i mod 8)` of byte `⌊i/8⌋` (most significant bit
 * first), so bytewise order of keys is the left-to-right order of the leaves. Bit `d` of a key
 * chooses the child below depth `d`: 0 → left, 1 → right.
 * @module
 */
import { h32 } from "@baios/crypto";
import { TAGS } from "../constants.ts";
import { ConsensusError } from "../errors.ts";

/** Key, hash, key image and root length: 32 bytes. */
export const KISET_HASH_BYTES = 32;

/** Largest depth of a node: 256 (two keys share at most 255 leading bits, their leaves sit at depth ≤ 256). */
export const KISET_MAX_DEPTH = 256;

/** Hash of an empty subtree and root of the empty set: 32 zero bytes (never an `h32` output, except with probability 2^-256). */
export const KISET_EMPTY: Uint8Array = new Uint8Array(32);

/** Throws `KISET_MALFORMED` unless `b` is 32 bytes. */
export function kisetRequire32(b: Uint8Array, what: string): void {
  if (!(b instanceof Uint8Array) || b.length !== 32) throw new ConsensusError("KISET_MALFORMED", `${what}: expected 32 bytes, got ${b instanceof Uint8Array ? b.length : typeof b}`);
}

/**
 * The tree key of key image `keyImage` (32 bytes): `h32("BAIOS/v1/kiset-key", keyImage)`.
 * Hashing first makes every key bit uniform (a ristretto255 encoding has fixed bits: the top
 * bit of byte 31 and the low bit of byte 0 are always 0) and separates the path from the raw group element.
 * @throws ConsensusError `KISET_MALFORMED` when `keyImage` is not 32 bytes
 */
export function kisetKey(keyImage: Uint8Array): Uint8Array {
  kisetRequire32(keyImage, "key image");
  return h32(TAGS.kisetKey, keyImage);
}

/** Leaf hash of a key: `h32("BAIOS/v1/kiset-leaf", key[32])` (32 bytes). */
export function kisetLeafHash(key: Uint8Array): Uint8Array {
  return h32(TAGS.kisetLeaf, key);
}

/** Internal node hash `h32("BAIOS/v1/kiset-node", left[32] ‖ right[32])` (32 bytes); an empty child is 32 zero bytes. */
export function kisetNodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  const b = new Uint8Array(64);
  b.set(left, 0);
  b.set(right, 32);
  return h32(TAGS.kisetNode, b);
}

/** Bit `i` (0..255, most significant first) of a 32-byte key: 0 or 1. */
export function kisetKeyBit(key: Uint8Array, i: number): number {
  return ((key[i >> 3] as number) >> (7 - (i & 7))) & 1;
}

/** Number of leading bits two 32-byte keys share (256 when equal). */
export function kisetCommonPrefixBits(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < 32; i++) {
    const x = (a[i] as number) ^ (b[i] as number);
    if (x !== 0) return i * 8 + Math.clz32(x) - 24;
  }
  return 256;
}

/**
 * Storage position of the node at `depth` (0..256) on the path of `key`:
 * `u16be(depth) ‖ the first ⌈depth/8⌉ bytes of key`, bits at index ≥ depth cleared
 * (2 + ⌈depth/8⌉ bytes; the root is `00 00`).
 * @throws RangeError when depth is outside 0..256
 */
export function kisetPosition(depth: number, key: Uint8Array): Uint8Array {
  if (!Number.isInteger(depth) || depth < 0 || depth > KISET_MAX_DEPTH) throw new RangeError(`kiset depth ${depth} outside 0..256`);
  const n = (depth + 7) >> 3;
  const out = new Uint8Array(2 + n);
  out[0] = depth >> 8;
  out[1] = depth & 0xff;
  out.set(key.subarray(0, n), 2);
  if ((depth & 7) !== 0) out[1 + n] = (out[1 + n] as number) & (0xff << (8 - (depth & 7)));
  return out;
}

/** Position of the sibling of the node at `depth` ≥ 1 on the path of `key` (same prefix, bit `depth − 1` flipped). */
export function kisetSiblingPosition(depth: number, key: Uint8Array): Uint8Array {
  const p = kisetPosition(depth, key);
  const i = depth - 1;
  p[2 + (i >> 3)] = (p[2 + (i >> 3)] as number) ^ (0x80 >> (i & 7));
  return p;
}

/** A stored node: a leaf holding its key image, or an internal node holding its hash. Empty subtrees are not stored. */
export type KisetNode = { kind: "leaf"; keyImage: Uint8Array } | { kind: "internal"; hash: Uint8Array };

/** Record bytes of a node (33 bytes): `0x00 ‖ keyImage[32]` for a leaf, `0x01 ‖ hash[32]` for an internal node. */
export function encodeKisetNode(n: KisetNode): Uint8Array {
  const out = new Uint8Array(33);
  if (n.kind === "leaf") out.set(n.keyImage, 1);
  else {
    out[0] = 1;
    out.set(n.hash, 1);
  }
  return out;
}

/** Parses {@link encodeKisetNode} bytes. @throws ConsensusError `KISET_STORE_CORRUPT` unless 33 bytes with kind 0 or 1 */
export function decodeKisetNode(b: Uint8Array): KisetNode {
  if (b.length !== 33 || (b[0] !== 0 && b[0] !== 1)) throw new ConsensusError("KISET_STORE_CORRUPT", `node record of ${b.length} bytes, kind ${b[0]}`);
  return b[0] === 0 ? { kind: "leaf", keyImage: b.slice(1) } : { kind: "internal", hash: b.slice(1) };
}
