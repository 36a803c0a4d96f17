/**
 * The cascade's invariants (docs/cascade.md §4.1; issue 9; in the spirit of Minima's
 * `checkCascadeCorrect`). Over the kept headers, newest first:
 *
 * 1. `CASCADE_LEVEL_TOO_HIGH`: a header kept at level L has `superLevel ≥ L` (levels are integers ≥ 0).
 * 2. `CASCADE_BAD_SUPER_PARENTS`: its pointers have `levels` entries; entry 0 is its parent
 *    (`height − 1`, `parentHash`), or all entries are none for genesis; entry heights are
 *    non-increasing with the level; optionally the header's commitment equals `superParentsRoot`.
 * 3. `CASCADE_HEIGHT_ORDER`: heights strictly decrease.
 * 4. `CASCADE_LEVEL_ORDER`: the newest is kept at level 0 and, going back in time, the level stays
 *    or rises by exactly one (non-empty levels are contiguous).
 * 5. `CASCADE_BROKEN_LINK`: each kept header's pointer at the next older kept header's level names
 *    that header (height and hash): one super-parent hop links the whole kept list.
 * 6. `CASCADE_LEVEL_OVERFULL`: no level holds more than K; `CASCADE_LEVEL_UNDERFULL`: every level
 *    below the highest non-empty one holds exactly K (the rule only moves a header up when its
 *    level overflows, which leaves K behind).
 * @module
 */
import { ConsensusError } from "../errors.ts";
import { equalBytes, toHex } from "../encoding/bytes.ts";
import type { BlockHeader } from "../types.ts";
import type { Cascade, KeptHeader } from "./cascade.ts";
import { checkCascadeParams, type CascadeParams } from "./params.ts";
import { entryLabel, isNoneEntry, superParentsRoot } from "./super-parents.ts";

/** Options of {@link checkCascade}. */
export interface CheckCascadeOptions {
  /**
   * The super-parents commitment a header carries (32 bytes), once headers have the field
   * (docs/cascade.md §3); when given, every kept header's `superParentsRoot(parents)` must equal it.
   */
  readonly commitment?: (header: BlockHeader) => Uint8Array;
}

const fail = (code: ConstructorParameters<typeof ConsensusError>[0], i: number, what: string): never => {
  throw new ConsensusError(code, `kept[${i}]: ${what}`, { index: i });
};

/**
 * Checks kept headers (newest first) against the invariants above.
 * @throws ConsensusError `CASCADE_PARAMS_INVALID`, `CASCADE_LEVEL_TOO_HIGH`, `CASCADE_BAD_SUPER_PARENTS`,
 *   `CASCADE_HEIGHT_ORDER`, `CASCADE_LEVEL_ORDER`, `CASCADE_BROKEN_LINK`, `CASCADE_LEVEL_OVERFULL`,
 *   `CASCADE_LEVEL_UNDERFULL` (the first violated, in list order; `index` = the kept position)
 */
export function checkCascadeKept(kept: readonly KeptHeader[], params: CascadeParams, opts: CheckCascadeOptions = {}): void {
  checkCascadeParams(params);
  const counts = new Array<number>(params.levels).fill(0);
  for (let i = 0; i < kept.length; i++) {
    const k = kept[i] as KeptHeader;
    const h = k.header;
    // 1. level
    if (!Number.isInteger(k.level) || k.level < 0) fail("CASCADE_LEVEL_ORDER", i, `level ${String(k.level)} is not an integer ≥ 0`);
    if (k.level > k.superLevel) fail("CASCADE_LEVEL_TOO_HIGH", i, `block ${h.height} kept at level ${k.level} has superblock level ${k.superLevel}`);
    // 2. pointers
    const e = k.parents.entries;
    if (e.length !== params.levels) fail("CASCADE_BAD_SUPER_PARENTS", i, `${e.length} pointer entries, expected ${params.levels}`);
    if (h.height === 0n) {
      if (!e.every(isNoneEntry)) fail("CASCADE_BAD_SUPER_PARENTS", i, "genesis must commit to none entries only");
    } else {
      const e0 = e[0];
      if (e0 === undefined || e0.height !== h.height - 1n || !equalBytes(e0.hash, h.parentHash)) fail("CASCADE_BAD_SUPER_PARENTS", i, `entry 0 (${e0 === undefined ? "missing" : entryLabel(e0)}) is not the parent of block ${h.height}`);
      for (let l = 1; l < e.length; l++) {
        if ((e[l] as { height: bigint }).height > (e[l - 1] as { height: bigint }).height) fail("CASCADE_BAD_SUPER_PARENTS", i, `entry ${l} height above entry ${l - 1}'s`);
      }
    }
    if (opts.commitment !== undefined && !equalBytes(opts.commitment(h), superParentsRoot(k.parents))) {
      fail("CASCADE_BAD_SUPER_PARENTS", i, `block ${h.height}: superParentsRoot of its pointers differs from the header's commitment`);
    }
    // 3.–5. against the next newer kept header
    if (i === 0) {
      if (k.level !== 0) fail("CASCADE_LEVEL_ORDER", i, `the newest kept header is at level ${k.level}, not 0`);
    } else {
      const newer = kept[i - 1] as KeptHeader;
      if (h.height >= newer.header.height) fail("CASCADE_HEIGHT_ORDER", i, `height ${h.height} not below the newer kept header's ${newer.header.height}`);
      if (k.level !== newer.level && k.level !== newer.level + 1) fail("CASCADE_LEVEL_ORDER", i, `level ${k.level} after level ${newer.level} (must stay or rise by one going back in time)`);
      const ptr = newer.parents.entries[k.level];
      if (ptr === undefined || ptr.height !== h.height || !equalBytes(ptr.hash, k.hash)) {
        fail("CASCADE_BROKEN_LINK", i, `block ${newer.header.height}'s level-${k.level} pointer (${ptr === undefined ? "missing" : entryLabel(ptr)}) does not name block ${h.height} (${toHex(k.hash).slice(0, 8)}…)`);
      }
    }
    counts[k.level] = (counts[k.level] as number) + 1;
  }
  // 6. counts
  let top = -1;
  counts.forEach((n, l) => {
    if (n > params.perLevel) throw new ConsensusError("CASCADE_LEVEL_OVERFULL", `level ${l} holds ${n} headers, K = ${params.perLevel}`);
    if (n > 0) top = l;
  });
  for (let l = 0; l < top; l++) {
    if (counts[l] !== params.perLevel) throw new ConsensusError("CASCADE_LEVEL_UNDERFULL", `level ${l} holds ${counts[l]} headers below the non-empty level ${top}, K = ${params.perLevel}`);
  }
}

/**
 * Checks a {@link Cascade}'s kept headers ({@link checkCascadeKept} over `c.kept()`).
 * @throws ConsensusError `CASCADE_*` (see {@link checkCascadeKept})
 */
export function checkCascade(c: Cascade, opts: CheckCascadeOptions = {}): void {
  checkCascadeKept(c.kept(), c.params, opts);
}
