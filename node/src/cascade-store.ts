/**
 * The node's cascade (issue 9; docs/cascade.md §6, docs/pruning.md §Headers and the cascade): the
 * headers that left the recent window — heights ≤ tip − D, D = `cascadeDepthFor` =
 * unbondingDelay + epochLength — added in chain order to a consensus {@link Cascade} and kept on
 * disk, on archive and pruned nodes alike.
 *
 * Storage (store/keys.ts): one record per kept header, `C ‖ u64be(height)` → the node's bytes
 * exactly as in `encodeCascade` (`u8 level ‖ header[488] ‖ levels × (u64le height ‖ hash[32])`,
 * 1 769 bytes with 32 levels), and meta `cascade` → u64be height of the cascade's tip. Read
 * newest first and prefixed with `u8 1 ‖ u8 levels ‖ u32le K ‖ u32le n`, the records ARE the
 * `encodeCascade` bytes ({@link assembleCascade}). One block changes at most `levels` + 1 records
 * (the new header enters level 0; each overflowing level moves or drops its oldest), so the
 * records of a commit cost O(levels) writes, not a rewrite of the whole cascade (≤ 3.6 MB on
 * mainnet). They go into the block's own LevelDB batch (`BlockBatch.putCascade`), so a crash
 * leaves the cascade exactly at tip − D of the stored tip.
 *
 * Start-up ({@link NodeCascade.load}): the records are decoded with `decodeCascade` (every
 * invariant of docs/cascade.md §4.1), the tip must be at `max(−1, tip − D)` and its hash the
 * stored header's; a store without any cascade record (written before this code) is rebuilt
 * from its headers 0 … tip − D in one batch, or refused when those headers are gone.
 * @module
 */
import {
  ByteWriter,
  CASCADE_ENCODING_VERSION,
  CASCADE_LEVELS,
  CASCADE_PER_LEVEL,
  Cascade,
  cascadeDepthFor,
  decodeCascade,
  decodeHeader,
  encodeCascade,
  equalBytes,
  writeHeader,
  type BlockHeader,
  type CascadeParams,
  type KeptHeader,
} from "@baios/consensus";
import type { Store } from "./store/store.ts";
import { StoreError } from "./store/store.ts";
import { cascadeKey, metaKey, u64be } from "./store/keys.ts";

/**
 * The cascade parameters of a chain: 32 levels, K = `perLevel` (default 64, docs/cascade.md §2),
 * D = unbondingDelay + epochLength blocks. Every node of a chain must use the same K (it is in
 * the encoded bytes; a fast-syncing node refuses another K); tests pass a small K to exercise levels.
 */
export function nodeCascadeParams(p: { unbondingDelay: bigint; epochLength: bigint }, perLevel: number = CASCADE_PER_LEVEL): CascadeParams {
  return { levels: CASCADE_LEVELS, perLevel, depth: cascadeDepthFor(p) };
}

/** One node's bytes as `encodeCascade` writes it: `u8 level ‖ header[488] ‖ levels × (u64le height ‖ hash[32])`. */
export function encodeCascadeNode(k: KeptHeader): Uint8Array {
  const w = new ByteWriter(1 + 488 + 40 * k.parents.entries.length);
  w.u8(k.level);
  writeHeader(w, k.header);
  for (const e of k.parents.entries) w.u64(e.height).bytes(e.hash, 32);
  return w.finish();
}

/** `encodeCascade` bytes from node records, newest first: `u8 1 ‖ u8 levels ‖ u32le K ‖ u32le n ‖ nodes`. */
export function assembleCascade(params: Pick<CascadeParams, "levels" | "perLevel">, nodes: readonly Uint8Array[]): Uint8Array {
  const w = new ByteWriter(10 + nodes.reduce((a, n) => a + n.length, 0));
  w.u8(CASCADE_ENCODING_VERSION).u8(params.levels).u32(params.perLevel).u32(nodes.length);
  for (const n of nodes) w.bytes(n);
  return w.finish();
}

/** The changes one commit makes to the stored cascade (`BlockBatch.putCascade`). */
export interface CascadeChanges {
  /** Records to put (bytes) or delete (`undefined`), by height. */
  changes: { height: number; bytes: Uint8Array | undefined }[];
  /** The cascade tip after them. */
  tip: number;
}

/** A node's cascade, kept in step with the store's tip (module docs). */
export class NodeCascade {
  readonly params: CascadeParams;
  #c: Cascade;
  /** height → level of every kept header (what the `C` records hold). */
  #levels = new Map<number, number>();

  private constructor(params: CascadeParams, c: Cascade) {
    this.params = params;
    this.#c = c;
    for (const k of c.kept()) this.#levels.set(Number(k.header.height), k.level);
  }

  /** The cascade (do not `add` to it: {@link stage} does). */
  get cascade(): Cascade {
    return this.#c;
  }
  /** Height of the newest header in the cascade, −1 when empty. */
  get tipHeight(): number {
    const t = this.#c.tip;
    return t === undefined ? -1 : Number(t.header.height);
  }
  /** `encodeCascade` of the current cascade (docs/cascade.md §5). */
  bytes(): Uint8Array {
    return encodeCascade(this.#c);
  }

  /**
   * Loads (or, for a store written before the cascade, rebuilds) the cascade of `store`.
   * @throws StoreError when the records fail `decodeCascade`, the tip is not at tip − D or not the
   *   stored block, or a rebuild needs headers the store no longer has
   */
  static async load(store: Store, params: CascadeParams, hashHeader: (h: BlockHeader) => Uint8Array): Promise<NodeCascade> {
    const tip = store.tip;
    const want = tip === undefined ? -1 : Math.max(-1, tip.height - Number(params.depth));
    const rec = await store.getCascadeRecords();
    if (rec.tip === undefined && rec.nodes.length === 0) {
      // a store from before the cascade: rebuild from its headers (archive and unpruned stores have them)
      const nc = new NodeCascade(params, new Cascade(params));
      if (want < 0) return nc;
      for (let h = 0; h <= want; h++) {
        const b = await store.getHeader(h);
        if (b === undefined) throw new StoreError(`cascade: no cascade records and header ${h} is gone; cannot rebuild the cascade (re-sync this data directory)`);
        nc.#c.add(decodeHeader(b));
      }
      const ops = nc.#c.kept().map((k) => ({ type: "put" as const, key: cascadeKey(Number(k.header.height)), value: encodeCascadeNode(k) }));
      await store.db.batch([...ops, { type: "put", key: metaKey("cascade"), value: u64be(want) }], { sync: store.sync });
      return new NodeCascade(params, nc.#c);
    }
    let c: Cascade;
    try {
      c = decodeCascade(assembleCascade(params, rec.nodes.map((n) => n.bytes)), params);
    } catch (e) {
      throw new StoreError(`cascade records do not decode: ${e instanceof Error ? e.message : String(e)}`);
    }
    const got = c.tip === undefined ? -1 : Number(c.tip.header.height);
    if (rec.tip !== got) throw new StoreError(`cascade: meta tip ${rec.tip} but the newest record is at ${got}`);
    if (got !== want) throw new StoreError(`cascade tip ${got}, expected tip − D = ${want}`);
    if (c.tip !== undefined) {
      const stored = await store.getHeader(got);
      if (stored !== undefined && !equalBytes(hashHeader(decodeHeader(stored)), c.tip.hash)) throw new StoreError(`cascade tip ${got} is not the stored block at that height`);
    }
    return new NodeCascade(params, c);
  }

  /** A cascade from verified bytes (fast sync), for the store writer. */
  static fromCascade(params: CascadeParams, c: Cascade): NodeCascade {
    return new NodeCascade(params, c);
  }

  /** Every record of the cascade (the fast-sync writer puts them all). */
  records(): { height: number; bytes: Uint8Array }[] {
    return this.#c.kept().map((k) => ({ height: Number(k.header.height), bytes: encodeCascadeNode(k) }));
  }

  /**
   * Adds the headers that leave the window when the tip becomes `newTip` (heights up to
   * `newTip − D`, normally one) and returns the record changes for the block's batch, or
   * undefined when none leaves. The in-memory cascade moves at once: a caller whose batch then
   * fails must {@link load} again.
   * @throws StoreError when a header to add is missing; ConsensusError `CASCADE_NOT_CHILD`
   */
  async stage(newTip: number, headerAt: (height: number) => Promise<BlockHeader | undefined>): Promise<CascadeChanges | undefined> {
    const target = newTip - Number(this.params.depth);
    if (target <= this.tipHeight) return undefined;
    for (let h = this.tipHeight + 1; h <= target; h++) {
      const header = await headerAt(h);
      if (header === undefined) throw new StoreError(`cascade: header ${h} missing`);
      this.#c.add(header);
    }
    const next = new Map<number, number>();
    const changes: CascadeChanges["changes"] = [];
    for (const k of this.#c.kept()) {
      const h = Number(k.header.height);
      next.set(h, k.level);
      if (this.#levels.get(h) !== k.level) changes.push({ height: h, bytes: encodeCascadeNode(k) });
    }
    for (const h of this.#levels.keys()) if (!next.has(h)) changes.push({ height: h, bytes: undefined });
    this.#levels = next;
    return { changes, tip: target };
  }
}
