/**
 * The key-image set tree over a pluggable node store (docs/protocol.md §15).
 *
 * The store holds one 33-byte record per non-empty node of the current tree, keyed by its
 * position ({@link kisetPosition}); a set of n random keys has n leaf records and about
 * n/ln 2 ≈ 1.44·n internal records. Inserting never writes: {@link kisetInsertMany} returns
 * the new root and the records to write, so the node puts them in its per-block atomic batch
 * (or calls `backend.put`). Records are only added or overwritten (a leaf pushed down leaves
 * an internal node in its place), never deleted.
 * @module
 */
import { ConsensusError } from "../errors.ts";
import { compareBytes, equalBytes, toHex } from "../encoding/bytes.ts";
import {
  kisetCommonPrefixBits, decodeKisetNode, encodeKisetNode, kisetKeyBit, KISET_EMPTY, KISET_MAX_DEPTH, kisetKey, kisetLeafHash, kisetNodeHash,
  kisetPosition, kisetSiblingPosition, type KisetNode,
} from "./hash.ts";
import type { KisetProof } from "./proof.ts";

/** One record to store: `position` ({@link kisetPosition}, 2..34 bytes) → `record` ({@link encodeKisetNode}, 33 bytes). */
export interface KisetWrite {
  position: Uint8Array;
  record: Uint8Array;
}

/** Key/value store of node records by position. Methods may be sync or async (LevelDB). */
export interface KisetBackend {
  /** The 33-byte record at `position`, or undefined when that subtree is empty. */
  get(position: Uint8Array): Uint8Array | undefined | Promise<Uint8Array | undefined>;
  /** Stores records (overwriting), in one batch when the store supports it. */
  put(writes: readonly KisetWrite[]): void | Promise<void>;
}

/** An in-memory {@link KisetBackend} (tests, light tools). */
export class MemoryKisetBackend implements KisetBackend {
  private readonly records = new Map<string, Uint8Array>();
  get(position: Uint8Array): Uint8Array | undefined {
    return this.records.get(toHex(position));
  }
  put(writes: readonly KisetWrite[]): void {
    for (const w of writes) this.records.set(toHex(w.position), w.record.slice());
  }
  /** Number of stored records (leaves + internal nodes). */
  get size(): number {
    return this.records.size;
  }
  /** Bytes of all positions plus records (what a key-value store holds, before its own overhead). */
  get bytes(): number {
    let n = 0;
    for (const [k, v] of this.records) n += k.length / 2 + v.length;
    return n;
  }
}

/** Result of {@link kisetInsertMany}. */
export interface KisetInsertResult {
  /** Root after the insert (32 bytes). */
  root: Uint8Array;
  /** Records to store, sorted by position bytes; the backend is unchanged until they are written. */
  writes: KisetWrite[];
  /** Number of `h32` evaluations the insert made (instrumentation). */
  hashes: number;
}

/** Reads through an overlay of pending nodes; caches keys and leaf hashes of key images. */
class View {
  readonly overlay = new Map<string, { position: Uint8Array; node: KisetNode }>();
  hashes = 0;
  private readonly keys = new Map<string, Uint8Array>();
  private readonly leafHashes = new Map<string, Uint8Array>();
  private readonly backend: KisetBackend;
  constructor(backend: KisetBackend) {
    this.backend = backend;
  }

  /** The node at `position` (overlay first); synchronous when the backend is (no microtask per read). */
  node(position: Uint8Array): KisetNode | undefined | Promise<KisetNode | undefined> {
    const o = this.overlay.get(toHex(position));
    if (o !== undefined) return o.node;
    const r = this.backend.get(position);
    const dec = (b: Uint8Array | undefined): KisetNode | undefined => (b === undefined ? undefined : decodeKisetNode(b));
    return r instanceof Promise ? r.then(dec) : dec(r);
  }
  set(position: Uint8Array, node: KisetNode): void {
    this.overlay.set(toHex(position), { position, node });
  }
  key(keyImage: Uint8Array): Uint8Array {
    const h = toHex(keyImage);
    let k = this.keys.get(h);
    if (k === undefined) {
      k = kisetKey(keyImage);
      this.hashes++;
      this.keys.set(h, k);
    }
    return k;
  }
  /** Hash of a node (a leaf: leaf hash of its key; empty: 32 zero bytes). */
  hashOf(n: KisetNode | undefined): Uint8Array {
    if (n === undefined) return KISET_EMPTY;
    if (n.kind === "internal") return n.hash;
    const h = toHex(n.keyImage);
    let lh = this.leafHashes.get(h);
    if (lh === undefined) {
      lh = kisetLeafHash(this.key(n.keyImage));
      this.hashes++;
      this.leafHashes.set(h, lh);
    }
    return lh;
  }
  nodeHash(l: Uint8Array, r: Uint8Array): Uint8Array {
    this.hashes++;
    return kisetNodeHash(l, r);
  }
}

function corrupt(reason: string): ConsensusError {
  return new ConsensusError("KISET_STORE_CORRUPT", reason);
}

/** Current root (32 bytes): the hash of the node at depth 0; the empty set has 32 zero bytes. @throws ConsensusError `KISET_STORE_CORRUPT` */
export async function kisetRoot(backend: KisetBackend): Promise<Uint8Array> {
  const v = new View(backend);
  return v.hashOf(await v.node(kisetPosition(0, KISET_EMPTY)));
}

/**
 * Inserts the key images spent by one block, without touching `backend`: returns the new root,
 * the records to write and the hash count. Equivalent to inserting them one by one in any order
 * (the tree, hence the root, depends only on the set). Internal hashes are recomputed once per
 * touched node, deepest first, after all keys are placed.
 * @param keyImages 32-byte key images, each not yet in the set and pairwise distinct
 * @throws ConsensusError `KISET_DUPLICATE` (with `index`) when a key image is already in the set
 *   or repeated in `keyImages`; `KISET_MALFORMED` when one is not 32 bytes; `KISET_STORE_CORRUPT`
 */
export async function kisetInsertMany(backend: KisetBackend, keyImages: readonly Uint8Array[]): Promise<KisetInsertResult> {
  const v = new View(backend);
  /** Internal nodes whose hash must be recomputed: hex(position) → depth and a key on its path. */
  const dirty = new Map<string, { depth: number; key: Uint8Array }>();
  const markPath = (key: Uint8Array, below: number): void => {
    for (let d = 0; d < below; d++) dirty.set(toHex(kisetPosition(d, key)), { depth: d, key });
  };
  for (let i = 0; i < keyImages.length; i++) {
    const ki = keyImages[i] as Uint8Array;
    const key = v.key(ki);
    for (let d = 0; ; d++) {
      const pos = kisetPosition(d, key);
      const got = v.node(pos);
      const n = got instanceof Promise ? await got : got;
      if (n === undefined) {
        v.set(pos, { kind: "leaf", keyImage: ki.slice() });
        markPath(key, d);
        break;
      }
      if (n.kind === "internal") {
        if (d >= KISET_MAX_DEPTH) throw corrupt("internal node at depth 256");
        continue;
      }
      const other = v.key(n.keyImage);
      if (equalBytes(other, key)) throw new ConsensusError("KISET_DUPLICATE", `keyImages[${i}] ${toHex(ki)} is already in the key-image set`, { index: i });
      const c = kisetCommonPrefixBits(key, other);
      if (c < d) throw corrupt(`leaf at depth ${d} off its path`);
      for (let j = d; j <= c; j++) v.set(kisetPosition(j, key), { kind: "internal", hash: KISET_EMPTY });
      v.set(kisetPosition(c + 1, key), { kind: "leaf", keyImage: ki.slice() });
      v.set(kisetPosition(c + 1, other), n);
      markPath(key, c + 1);
      break;
    }
  }
  const order = [...dirty.values()].sort((a, b) => b.depth - a.depth);
  for (const { depth, key } of order) {
    const here = kisetPosition(depth + 1, key);
    const there = kisetSiblingPosition(depth + 1, key);
    const [l, r] = kisetKeyBit(key, depth) === 0 ? [here, there] : [there, here];
    const gl = v.node(l);
    const gr = v.node(r);
    const left = gl instanceof Promise ? await gl : gl;
    const right = gr instanceof Promise ? await gr : gr;
    if (left === undefined && right === undefined) throw corrupt(`internal node at depth ${depth} without children`);
    v.set(kisetPosition(depth, key), { kind: "internal", hash: v.nodeHash(v.hashOf(left), v.hashOf(right)) });
  }
  const root = v.hashOf(await v.node(kisetPosition(0, KISET_EMPTY)));
  const writes = [...v.overlay.values()]
    .map((o) => ({ position: o.position, record: encodeKisetNode(o.node) }))
    .sort((a, b) => compareBytes(a.position, b.position));
  return { root, writes, hashes: v.hashes };
}

/** Walks the path of `key`: the sibling hashes (depth 1 first) and the node where the path ends. */
async function walk(v: View, key: Uint8Array): Promise<{ siblings: Uint8Array[]; end: Extract<KisetNode, { kind: "leaf" }> | undefined }> {
  const siblings: Uint8Array[] = [];
  for (let d = 0; ; d++) {
    const n = await v.node(kisetPosition(d, key));
    if (n === undefined || n.kind === "leaf") return { siblings, end: n };
    if (d >= KISET_MAX_DEPTH) throw corrupt("internal node at depth 256");
    siblings.push(v.hashOf(await v.node(kisetSiblingPosition(d + 1, key))));
  }
}

/** Whether `keyImage` is in the set (spent). Reads O(log n) records. @throws ConsensusError `KISET_MALFORMED`, `KISET_STORE_CORRUPT` */
export async function kisetContains(backend: KisetBackend, keyImage: Uint8Array): Promise<boolean> {
  const key = kisetKey(keyImage);
  const v = new View(backend);
  for (let d = 0; d <= KISET_MAX_DEPTH; d++) {
    const n = await v.node(kisetPosition(d, key));
    if (n === undefined) return false;
    if (n.kind === "leaf") return equalBytes(n.keyImage, keyImage);
  }
  throw corrupt("internal node at depth 256");
}

/**
 * Proof that `keyImage` is in the set (spent) or not (unspent) against the current root
 * ({@link kisetRoot}); verify with {@link verifyKeyImageProof}, encode with {@link encodeKisetProof}.
 * @throws ConsensusError `KISET_MALFORMED`, `KISET_STORE_CORRUPT`
 */
export async function proveKeyImage(backend: KisetBackend, keyImage: Uint8Array): Promise<KisetProof> {
  const key = kisetKey(keyImage);
  const v = new View(backend);
  const { siblings, end } = await walk(v, key);
  if (end === undefined) return { kind: "empty", siblings };
  const other = v.key(end.keyImage);
  if (equalBytes(other, key)) return { kind: "member", siblings };
  return { kind: "other", siblings, otherKey: other };
}
