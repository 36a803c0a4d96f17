/**
 * Merkle mountain ranges of docs/mmr.md, written again from the specification on
 * `@noble/hashes` (through {@link h32}); nothing is imported from `@baios/consensus`. Leaf, node
 * and bag hashing, inclusion verification and consistency verification, and the checkers of
 * `mmr.json`.
 *
 * Strategy (deliberately not the consensus one): no post-order positions at all. An MMR of n
 * leaves is the list of aligned leaf ranges `[start, start + 2^k)`, one per set bit of n from the
 * top; a root is a recursive perfect-tree hash over the leaf list. A consistency proof is
 * checked by recursing top-down over each new mountain's range: a range wholly below `oldCount`
 * must be an old mountain (its peak comes from the proof's old peaks), a range wholly at or
 * above `oldCount` is the next path hash, any other range splits in two (left first, so path
 * hashes are consumed bottom-up, as the specification orders them).
 *
 * Rejections are {@link WireError}s with the §11 codes `MMR_PROOF_MALFORMED`, `MMR_PROOF_INVALID`,
 * `MMR_CONSISTENCY_MALFORMED`, `MMR_CONSISTENCY_INVALID`.
 * @module
 */
import type { Checker } from "./check.ts";
import { h32 } from "./chainhash.ts";
import { bytesEqual, concat, leToBigint, toHex, u64le } from "./encoding.ts";
import { hexArrayField, hexField, objectArrayField, u64Field } from "./vectors.ts";
import { WireError } from "./wire.ts";

const LEAF_TAG = "BAIOS/v1/mmr-leaf";
const NODE_TAG = "BAIOS/v1/mmr-node";
const BAG_TAG = "BAIOS/v1/mmr-bag";

/** Output leaf hash: `h32("BAIOS/v1/mmr-leaf", u64le(i) ‖ oneTimeKey ‖ commitment)`. */
export function mmrLeaf(i: bigint, oneTimeKey: Uint8Array, commitment: Uint8Array): Uint8Array {
  return h32(LEAF_TAG, concat(u64le(i), oneTimeKey, commitment));
}
const node = (l: Uint8Array, r: Uint8Array): Uint8Array => h32(NODE_TAG, concat(l, r));
/** Root: `h32("BAIOS/v1/mmr-bag", u64le(count) ‖ peaks…)`. */
export function bag(count: bigint, peaks: readonly Uint8Array[]): Uint8Array {
  return h32(BAG_TAG, concat(u64le(count), ...peaks));
}

/** The mountains of n leaves as `[start, height]`, left to right. */
export function mountains(n: bigint): [bigint, number][] {
  const out: [bigint, number][] = [];
  let start = 0n;
  for (let k = 63; k >= 0; k--) {
    if (((n >> BigInt(k)) & 1n) === 1n) {
      out.push([start, k]);
      start += 1n << BigInt(k);
    }
  }
  return out;
}

/** Peaks of the MMR over `leaves` (each a recursive perfect-tree hash). */
export function peaksOf(leaves: readonly Uint8Array[]): Uint8Array[] {
  const tree = (lo: number, size: number): Uint8Array => (size === 1 ? (leaves[lo] as Uint8Array) : node(tree(lo, size / 2), tree(lo + size / 2, size / 2)));
  return mountains(BigInt(leaves.length)).map(([s, k]) => tree(Number(s), 2 ** k));
}

const bitCount = (n: bigint): number => mountains(n).length;

/** A little reader over proof bytes; any overrun is `code`. */
function reader(b: Uint8Array, code: "MMR_PROOF_MALFORMED" | "MMR_CONSISTENCY_MALFORMED") {
  let at = 0;
  const take = (len: number): Uint8Array => {
    if (at + len > b.length) throw new WireError(code, "truncated");
    const s = b.slice(at, at + len);
    at += len;
    return s;
  };
  return {
    u64: (): bigint => leToBigint(take(8)),
    u8: (): number => take(1)[0] as number,
    hashes: (n: number): Uint8Array[] => Array.from({ length: n }, () => take(32)),
    end: (): void => {
      if (at !== b.length) throw new WireError(code, "trailing bytes");
    },
  };
}

/** Verifies inclusion proof bytes for `leafHash` against `(root, leafCount)`; throws on rejection. */
export function verifyInclusion(root: Uint8Array, leafCount: bigint, leafHash: Uint8Array, proof: Uint8Array): void {
  const bad = (why: string): never => {
    throw new WireError("MMR_PROOF_MALFORMED", why);
  };
  const r = reader(proof, "MMR_PROOF_MALFORMED");
  const index = r.u64();
  const count = r.u64();
  const siblings = r.hashes(r.u8());
  const others = r.hashes(r.u8());
  r.end();
  if (index >= count) bad("leafIndex ≥ leafCount");
  const ms = mountains(count);
  const mi = ms.findIndex(([s, k]) => index >= s && index < s + (1n << BigInt(k)));
  const [start, height] = ms[mi] as [bigint, number];
  if (siblings.length !== height) bad("sibling count");
  if (others.length !== ms.length - 1) bad("peak count");
  if (count !== leafCount) throw new WireError("MMR_PROOF_INVALID", "proof for another leaf count");
  // climb: at level l the node index (leaf offset >> l) is even → we are the left child
  let acc = leafHash;
  let offset = index - start;
  for (const s of siblings) {
    acc = offset % 2n === 0n ? node(acc, s) : node(s, acc);
    offset /= 2n;
  }
  const all = [...others.slice(0, mi), acc, ...others.slice(mi)];
  if (!bytesEqual(bag(count, all), root)) throw new WireError("MMR_PROOF_INVALID", "root differs");
}

/**
 * Walks a new mountain `[lo, lo + size)` top-down: wholly old ranges are old mountains, wholly
 * new ranges one path hash, others split. `visitOld(lo, height)` / `visitNew()` return hashes.
 */
function climb(lo: bigint, height: number, oldCount: bigint, visitOld: (lo: bigint, height: number) => Uint8Array, visitNew: () => Uint8Array): Uint8Array {
  const size = 1n << BigInt(height);
  if (lo + size <= oldCount) return visitOld(lo, height);
  if (lo >= oldCount) return visitNew();
  const half = height - 1;
  const left = climb(lo, half, oldCount, visitOld, visitNew);
  const right = climb(lo + (1n << BigInt(half)), half, oldCount, visitOld, visitNew);
  return node(left, right);
}

/** Verifies consistency proof bytes between `(oldRoot, oldCount)` and `(newRoot, newCount)`; returns the new peaks. */
export function verifyConsistency(oldRoot: Uint8Array, oldCount: bigint, newRoot: Uint8Array, newCount: bigint, proof: Uint8Array): Uint8Array[] {
  const bad = (why: string): never => {
    throw new WireError("MMR_CONSISTENCY_MALFORMED", why);
  };
  const r = reader(proof, "MMR_CONSISTENCY_MALFORMED");
  const o = r.u64();
  const n = r.u64();
  if (o > n) bad("oldCount > newCount");
  const oldPeaks = r.hashes(r.u8());
  const path = r.hashes(r.u8());
  r.end();
  if (oldPeaks.length !== bitCount(o)) bad("old peak count");
  // dry run: how many path hashes do (o, n) need?
  let need = 0;
  const dummy = new Uint8Array(32);
  for (const [s, k] of mountains(n)) climb(s, k, o, () => dummy, () => (need++, dummy));
  if (path.length !== need) bad(`path count ${path.length}, ${need} needed`);
  if (o !== oldCount || n !== newCount) throw new WireError("MMR_CONSISTENCY_INVALID", "proof for other counts");
  const oldByStart = new Map(mountains(o).map(([s, k], i) => [`${s}/${k}`, oldPeaks[i] as Uint8Array]));
  let next = 0;
  const newPeaks = mountains(n).map(([s, k]) =>
    climb(s, k, o, (lo, h) => {
      const p = oldByStart.get(`${lo}/${h}`);
      if (p === undefined) throw new Error(`range ${lo}+2^${h} is not an old mountain (specification violated)`);
      return p;
    }, () => path[next++] as Uint8Array),
  );
  if (!bytesEqual(bag(o, oldPeaks), oldRoot)) throw new WireError("MMR_CONSISTENCY_INVALID", "old peaks do not bag to oldRoot");
  if (!bytesEqual(bag(n, newPeaks), newRoot)) throw new WireError("MMR_CONSISTENCY_INVALID", "new peaks do not bag to newRoot");
  return newPeaks;
}

/** Checkers of `mmr.json` (test-vectors/README.md). */
export const MMR_CHECKERS: Readonly<Record<string, Checker>> = {
  MmrRoot(g, t, rec, w) {
    const leaves = objectArrayField(g.raw, "leaves", w).map((l, i) => {
      const lh = mmrLeaf(BigInt(i), hexField(l, "oneTimeKey", w), hexField(l, "commitment", w));
      rec.derived(`leaves[${i}].leafHash`, toHex(lh), toHex(hexField(l, "leafHash", w)));
      return lh;
    });
    const count = u64Field(t.raw, "count", w);
    if (count > BigInt(leaves.length)) throw new Error(`${w}: count above the group's leaves`);
    const peaks = peaksOf(leaves.slice(0, Number(count)));
    rec.derived("peaks", peaks.map(toHex).join(","), hexArrayField(t.raw, "peaks", w).map(toHex).join(","));
    rec.check("root", toHex(bag(count, peaks)), toHex(hexField(t.raw, "root", w)));
  },
  MmrInclusion(_g, t, rec, w) {
    const leafHash = hexField(t.raw, "leafHash", w);
    if (t.raw["oneTimeKey"] !== undefined) {
      rec.derived("leafHash", toHex(mmrLeaf(u64Field(t.raw, "leafIndex", w), hexField(t.raw, "oneTimeKey", w), hexField(t.raw, "commitment", w))), toHex(leafHash));
    }
    verifyInclusion(hexField(t.raw, "root", w), u64Field(t.raw, "leafCount", w), leafHash, hexField(t.raw, "proof", w));
  },
  MmrConsistency(_g, t, _rec, w) {
    verifyConsistency(hexField(t.raw, "oldRoot", w), u64Field(t.raw, "oldCount", w), hexField(t.raw, "newRoot", w), u64Field(t.raw, "newCount", w), hexField(t.raw, "proof", w));
  },
};
