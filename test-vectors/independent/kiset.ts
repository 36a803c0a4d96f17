/**
 * The key-image set root and key-image proofs of docs/protocol.md §15, written again from the
 * specification on `@noble/hashes` (through {@link h32}), with keys as bigints and subtrees as
 * filtered key lists; nothing is imported from `@baios/consensus`. Checkers of `kiset.json`.
 *
 * Rejections are {@link WireError}s with the §11 codes `KISET_DUPLICATE`,
 * `KISET_PROOF_MALFORMED`, `KISET_PROOF_INVALID`.
 *
 * @module
 */
import type { Checker } from "./check.ts";
import { h32 } from "./chainhash.ts";
import { beToBigint, bytesEqual, concat, toHex } from "./encoding.ts";
import { boolField, hexArrayField, hexField } from "./vectors.ts";
import { WireError } from "./wire.ts";

const KEY_TAG = "BAIOS/v1/kiset-key";
const LEAF_TAG = "BAIOS/v1/kiset-leaf";
const NODE_TAG = "BAIOS/v1/kiset-node";
const ZERO32 = new Uint8Array(32);

/** Bit `i` (0 = most significant) of a 256-bit key. */
const bitOf = (k: bigint, i: number): number => Number((k >> BigInt(255 - i)) & 1n);

/** The root of a set of key images: T(∅) = 0³², T({k}) = leaf(k), else node(T(bit d = 0), T(bit d = 1)). */
export function kisetRootOf(keyImages: readonly Uint8Array[]): Uint8Array {
  const keys = keyImages.map((ki) => h32(KEY_TAG, ki));
  const seen = new Set<string>();
  for (const k of keys) {
    if (seen.has(toHex(k))) throw new WireError("KISET_DUPLICATE", "a key image repeats");
    seen.add(toHex(k));
  }
  const tree = (ks: { n: bigint; b: Uint8Array }[], depth: number): Uint8Array => {
    if (ks.length === 0) return ZERO32;
    if (ks.length === 1) return h32(LEAF_TAG, (ks[0] as { b: Uint8Array }).b);
    return h32(NODE_TAG, concat(tree(ks.filter((k) => bitOf(k.n, depth) === 0), depth + 1), tree(ks.filter((k) => bitOf(k.n, depth) === 1), depth + 1)));
  };
  return tree(keys.map((b) => ({ n: beToBigint(b), b })), 0);
}

/**
 * Verifies proof bytes for `keyImage` against `root`; returns whether the key image is spent.
 * Parses `kind u8 ‖ depth u16le ‖ bitmap ‖ siblings ‖ otherKey?` strictly, then hashes up.
 */
export function kisetVerify(root: Uint8Array, keyImage: Uint8Array, proof: Uint8Array): boolean {
  const bad = (why: string): never => {
    throw new WireError("KISET_PROOF_MALFORMED", why);
  };
  if (proof.length < 3) bad("short");
  const kind = proof[0] as number;
  const depth = (proof[1] as number) + 256 * (proof[2] as number);
  if (kind > 2) bad("kind");
  if (depth > 256) bad("depth");
  const bitmapLen = Math.ceil(depth / 8);
  if (proof.length < 3 + bitmapLen) bad("bitmap truncated");
  const present: boolean[] = [];
  for (let i = 0; i < bitmapLen * 8; i++) {
    const set = (((proof[3 + Math.floor(i / 8)] as number) >> (7 - (i % 8))) & 1) === 1;
    if (i >= depth && set) bad("padding bit");
    if (i < depth) present.push(set);
  }
  if (depth > 0 && !present[depth - 1]) bad("deepest sibling empty");
  const listed = present.filter(Boolean).length;
  if (proof.length !== 3 + bitmapLen + 32 * listed + (kind === 2 ? 32 : 0)) bad("length");
  let at = 3 + bitmapLen;
  const siblings = present.map((p) => {
    if (!p) return ZERO32;
    const s = proof.slice(at, at + 32);
    at += 32;
    if (bytesEqual(s, ZERO32)) bad("zero sibling listed");
    return s;
  });
  const keyBytes = h32(KEY_TAG, keyImage);
  const key = beToBigint(keyBytes);
  let node: Uint8Array;
  if (kind === 0) node = h32(LEAF_TAG, keyBytes);
  else if (kind === 1) node = ZERO32;
  else {
    const other = proof.slice(at, at + 32);
    const o = beToBigint(other);
    if (o === key) throw new WireError("KISET_PROOF_INVALID", "other leaf is the key");
    for (let i = 0; i < depth; i++) if (bitOf(o, i) !== bitOf(key, i)) throw new WireError("KISET_PROOF_INVALID", "other leaf off the path");
    node = h32(LEAF_TAG, other);
  }
  for (let j = depth; j >= 1; j--) {
    const s = siblings[j - 1] as Uint8Array;
    node = bitOf(key, j - 1) === 0 ? h32(NODE_TAG, concat(node, s)) : h32(NODE_TAG, concat(s, node));
  }
  if (!bytesEqual(node, root)) throw new WireError("KISET_PROOF_INVALID", "root differs");
  return kind === 0;
}

/** Checkers of `kiset.json` (test-vectors/README.md). */
export const KISET_CHECKERS: Readonly<Record<string, Checker>> = {
  KisetRoot(_g, t, rec, w) {
    const kis = hexArrayField(t.raw, "keyImages", w);
    const root = kisetRootOf(kis);
    if (t.result === "valid") {
      rec.derived("keys", kis.map((k) => toHex(h32(KEY_TAG, k))).join(","), hexArrayField(t.raw, "keys", w).map(toHex).join(","));
      rec.check("root", toHex(root), toHex(hexField(t.raw, "root", w)));
    }
  },
  KisetProof(_g, t, rec, w) {
    const spent = kisetVerify(hexField(t.raw, "root", w), hexField(t.raw, "keyImage", w), hexField(t.raw, "proof", w));
    if (t.result === "valid") rec.check("spent", String(spent), String(boolField(t.raw, "spent", w)));
  },
};
