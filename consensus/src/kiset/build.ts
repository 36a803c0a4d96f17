/**
 * The key-image set tree built at once from a whole set (docs/protocol.md §15.2): checks a
 * snapshot's key images against a header's root and yields the records a fast-synced node stores.
 * @module
 */
import { ConsensusError } from "../errors.ts";
import { compareBytes, equalBytes, toHex } from "../encoding/bytes.ts";
import { kisetKeyBit, KISET_EMPTY, kisetKey, kisetLeafHash, kisetNodeHash, kisetPosition, encodeKisetNode } from "./hash.ts";
import type { KisetWrite } from "./tree.ts";

/**
 * Root of the set of `keyImages` and every record of its tree, by the recursive definition over
 * the sorted keys: `T(∅) = 0³²`, `T({k}) = leaf(k)`, otherwise `node(T(keys with bit d = 0), T(keys with bit d = 1))`
 * at depth d. O(n) hashes (n keys, ≈ 1.44·n internal nodes), any input order.
 * @throws ConsensusError `KISET_DUPLICATE` (with `index`, of the later one in input order) when a key image repeats; `KISET_MALFORMED`
 */
export function kisetBuild(keyImages: readonly Uint8Array[]): { root: Uint8Array; writes: KisetWrite[] } {
  const items = keyImages.map((ki, index) => ({ ki, key: kisetKey(ki), index }));
  items.sort((a, b) => compareBytes(a.key, b.key) || a.index - b.index);
  for (let i = 1; i < items.length; i++) {
    const a = items[i - 1] as (typeof items)[number];
    const b = items[i] as (typeof items)[number];
    if (equalBytes(a.key, b.key)) throw new ConsensusError("KISET_DUPLICATE", `keyImages[${b.index}] ${toHex(b.ki)} repeats keyImages[${a.index}]`, { index: b.index });
  }
  const writes: KisetWrite[] = [];
  const rec = (lo: number, hi: number, depth: number): Uint8Array => {
    if (hi === lo) return KISET_EMPTY;
    const first = items[lo] as (typeof items)[number];
    if (hi - lo === 1) {
      writes.push({ position: kisetPosition(depth, first.key), record: encodeKisetNode({ kind: "leaf", keyImage: first.ki }) });
      return kisetLeafHash(first.key);
    }
    let m = lo; // keys are sorted: those with bit `depth` = 0 come first
    while (m < hi && kisetKeyBit((items[m] as (typeof items)[number]).key, depth) === 0) m++;
    const hash = kisetNodeHash(rec(lo, m, depth + 1), rec(m, hi, depth + 1));
    writes.push({ position: kisetPosition(depth, first.key), record: encodeKisetNode({ kind: "internal", hash }) });
    return hash;
  };
  const root = rec(0, items.length, 0);
  writes.sort((a, b) => compareBytes(a.position, b.position));
  return { root, writes };
}

/** Root of the set of `keyImages` ({@link kisetBuild} without the records): what a snapshot's key images must hash to. @throws as {@link kisetBuild} */
export function kisetRootOfKeyImages(keyImages: readonly Uint8Array[]): Uint8Array {
  return kisetBuild(keyImages).root;
}
