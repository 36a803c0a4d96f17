/**
 * The cascading superblock chain (docs/cascade.md §4; issue 9; Minima's `Cascade`): the headers
 * that left the recent window (heights ≤ tip − D), kept at rising levels, at most K per level.
 *
 * Kept order, newest first: level 0 holds the K most recent headers; level i holds the K most
 * recent level-≥i superblocks older than everything at level i − 1; the highest level drops its
 * oldest. Every kept header carries the super-parent pointers its block commits to (the pointers
 * after its parent, docs/cascade.md §3), so each kept header links to the next older kept one by
 * one pointer: `parents.entries[next.level] = {next.height, next.hash}` ({@link checkCascade}).
 * @module
 */
import { ConsensusError } from "../errors.ts";
import { equalBytes, toHex } from "../encoding/bytes.ts";
import { blockHash } from "../hashes.ts";
import type { BlockHeader } from "../types.ts";
import { blockWork, superLevel } from "./level.ts";
import { checkCascadeParams, MAINNET_CASCADE_PARAMS, type CascadeParams } from "./params.ts";
import { LevelQueues } from "./queues.ts";
import { emptySuperParents, nextSuperParents, type SuperParents } from "./super-parents.ts";

/** A header in the cascade, with values computed locally from it (never taken from the wire). */
export interface CascadeNode {
  /** The block header. */
  readonly header: BlockHeader;
  /** `blockHash(header)`, 32 bytes (the PoW hash). */
  readonly hash: Uint8Array;
  /** `superLevel(header, levels)`, 0 ..= levels − 1. */
  readonly superLevel: number;
  /** The pointers after its parent: what the header commits to (`levels` entries; none entries for genesis). */
  readonly parents: SuperParents;
}

/** A kept header and the level it is kept at, as listed by {@link Cascade.kept} (newest first). */
export interface KeptHeader extends CascadeNode {
  /** The level it is kept at: 0 ..= its superLevel. */
  readonly level: number;
}

/**
 * Builds a node, computing `hash` and `superLevel` from the header.
 * @throws ConsensusError `BLOCK_BAD_POW` (non-genesis hash above its target)
 */
export function makeCascadeNode(header: BlockHeader, parents: SuperParents, levels: number): CascadeNode {
  const hash = blockHash(header);
  return { header, hash, superLevel: superLevel(header, levels, hash), parents };
}

/**
 * Work the kept headers stand for: `Σ blockWork(blockTarget) · 2^level` over the kept headers
 * (a header kept at level L represents ≈ 2^L blocks of its difficulty; docs/cascade.md §4.2).
 */
export function cascadeWork(kept: readonly KeptHeader[]): bigint {
  let w = 0n;
  for (const k of kept) w += blockWork(k.header.blockTarget) << BigInt(k.level);
  return w;
}

/** The cascading chain: add headers (in chain order, from genesis) as they leave the recent window. */
export class Cascade {
  /** The parameters (levels, K, D). */
  readonly params: CascadeParams;
  private readonly queues: LevelQueues<CascadeNode>;
  private last: CascadeNode | undefined;
  private after: SuperParents;

  /** An empty cascade. @throws ConsensusError `CASCADE_PARAMS_INVALID` */
  constructor(params: CascadeParams = MAINNET_CASCADE_PARAMS) {
    checkCascadeParams(params);
    this.params = params;
    this.queues = new LevelQueues<CascadeNode>(params.levels, params.perLevel, (n) => n.superLevel);
    this.after = emptySuperParents(params.levels);
  }

  /** The newest header added (always kept at level 0), or `undefined` when empty. */
  get tip(): CascadeNode | undefined {
    return this.last;
  }

  /** Headers kept (≤ levels × K). */
  get size(): number {
    return this.queues.count;
  }

  /** Headers kept per level, level 0 first. */
  levelSizes(): number[] {
    return Array.from({ length: this.params.levels }, (_, l) => this.queues.sizeOf(l));
  }

  /** The pointers after the newest header: what the next header (tip + 1) must commit to. */
  nextParents(): SuperParents {
    return this.after;
  }

  /**
   * Adds the next header leaving the recent window. The first must be genesis (height 0, zero
   * parentHash); each next one the child of the previous (height + 1, parentHash = its hash).
   * @throws ConsensusError `CASCADE_NOT_CHILD`; `BLOCK_BAD_POW` (hash above its target)
   */
  add(header: BlockHeader): void {
    const prev = this.last;
    if (prev === undefined) {
      if (header.height !== 0n || !equalBytes(header.parentHash, new Uint8Array(32))) throw new ConsensusError("CASCADE_NOT_CHILD", `first header must be genesis (height 0, zero parentHash), got height ${header.height}`);
    } else if (header.height !== prev.header.height + 1n || !equalBytes(header.parentHash, prev.hash)) {
      throw new ConsensusError("CASCADE_NOT_CHILD", `header ${header.height} (parent ${toHex(header.parentHash).slice(0, 16)}…) is not the child of ${prev.header.height} (${toHex(prev.hash).slice(0, 16)}…)`);
    }
    const node = makeCascadeNode(header, this.after, this.params.levels);
    this.queues.push(node);
    this.last = node;
    this.after = nextSuperParents(this.after, header, node.hash);
  }

  /** The kept headers with their levels, newest first (level 0 newest → oldest, then level 1, …). */
  kept(): KeptHeader[] {
    const out: KeptHeader[] = [];
    this.queues.forEach((n, level) => out.push({ ...n, level }));
    return out;
  }

  /** {@link cascadeWork} of the kept headers. */
  work(): bigint {
    return cascadeWork(this.kept());
  }

  /**
   * Rebuilds a cascade from kept headers, newest first, after {@link checkCascadeKept} accepted
   * them (the decoder's path; docs/cascade.md §5).
   * @internal callers use `decodeCascade`, which checks first
   */
  static fromCheckedKept(params: CascadeParams, kept: readonly KeptHeader[]): Cascade {
    const c = new Cascade(params);
    for (let i = kept.length - 1; i >= 0; i--) {
      const k = kept[i] as KeptHeader;
      c.queues.push({ header: k.header, hash: k.hash, superLevel: k.superLevel, parents: k.parents }, k.level);
    }
    const newest = kept[0];
    if (newest !== undefined) {
      c.last = newest;
      c.after = nextSuperParents(newest.parents, newest.header, newest.hash);
    }
    return c;
  }
}

