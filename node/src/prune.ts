/**
 * Pruning of block bodies (issue 9; docs/pruning.md §Node modes, §What is pruned and when,
 * §Store heads and crash safety).
 *
 * An **archive** node keeps every record. A **pruned** node (the default) deletes, once a block
 * is deeper than the cascade depth D = unbondingDelay + epochLength below the tip
 * (`cascadeDepthFor`, docs/cascade.md §2), what only serving that block's body needs:
 *
 * | prefix | record | why it can go |
 * |---|---|---|
 * | `b` | the block (txs with their MLSAG signatures and range proofs, coinbase, evidence, lastCertificate) | the header `h`, certificate `c` and every output `o` it made stay; nothing validates an old body again |
 * | `x` | the block's txids | only `get_block`/`get_blocks_range` read them |
 * | `t` | txid → (height, position), for each tx of the block | only locates a body (`get_tx`); a re-sent old tx still fails on its spent key images |
 * | `P` | unbond payouts paid in the block | only the scan view of the block (`get_blocks_range`) reads them; the outputs are in `o` |
 *
 * and, deeper than the state window W = (MAX_ATTESTATION_NESTING + 1)·(unbondingDelay + 1) + epochLength,
 * the staking record `S` and the super-parent pointers `U` of the height: invalid-attestation
 * evidence reaches back at most `unbondingDelay` blocks per level of nesting (history.ts reads
 * `S`/`U` at the attested block's parent), so no check can read them below W. W ≥ D, so every
 * height with a body still has its `S` (the scan view's `nextValidators`).
 *
 * Headers are bounded too (docs/pruning.md §Headers and the cascade): the certificate `c` of a
 * height goes with its body (below D), the header `h` and its hash index `H` with its `S`/`U`
 * (below W: history.ts re-validates attested blocks up to W deep and reads their headers); by
 * then the header is in the cascade (heights ≤ tip − D, ./cascade-store.ts). Genesis's header and
 * certificate stay.
 *
 * Except at validator-set changes (docs/pruning.md §Light-client records): at each height c whose
 * header has `nextValidatorsHash ≠ validatorsHash`, the header `h` (488 bytes), certificate `c` and
 * the staking records `S` of c (its `nextValidatorSet`, the set c commits to) and c − 1 (its
 * `setStart`, which points at the change before: the walk of ./rpc/light.ts) stay, so
 * `get_light_update` from genesis still answers on a pruned node. Bounded by the number of set
 * changes (at most one per epoch). The hash index `H` and `U` of c still go.
 *
 * Kept forever: the genesis header, outputs `o`/`O`, key images `k` and the set tree `K`,
 * output-MMR `n` and header-MMR `m` nodes (get_header_proof still proves pruned headers),
 * cumulative output counts `g`, slashed votes `V`, safety-failure evidence `E`, the cascade `C`
 * (bounded), a fast-synced node's set-change records `L` (./store/set-change-records.ts: heights
 * below its first tails, which the pruner never visits), and the meta records.
 *
 * Each step is one LevelDB batch: the deletions of at most `batchHeights` heights and the new
 * tails (meta `tail`, `statetail`), so a crash at any point leaves either the old tails with all
 * their records or the new tails without the pruned ones (`Store.verifyHeads` checks this at
 * start-up). Pruning runs after commits, never inside a block's batch, and tails only move up.
 * @module
 */
import { cascadeDepthFor, decodeHeader, equalBytes } from "@baios/consensus";
import { MAX_ATTESTATION_NESTING } from "./consensus/history.ts";
import type { Logger } from "./log.ts";
import { blockKey, certKey, hashKey, headerKey, payoutsKey, stakingRecordKey, superParentsKey, txKey, txidsKey } from "./store/keys.ts";
import type { Op, Store } from "./store/store.ts";

/** `archive`: keep every block body; `pruned` (default): delete bodies deeper than D (`--mode`, docs/node.md §Configuration). */
export type NodeMode = "archive" | "pruned";
/** The accepted `--mode` values. */
export const NODE_MODES: readonly NodeMode[] = ["archive", "pruned"];

/** How deep below the tip records are kept, in blocks. */
export interface PruneWindows {
  /** D: bodies of heights < tip − D are pruned (tail = max(0, tip − D)). */
  bodyDepth: number;
  /** W ≥ D: `S`/`U` records of heights < tip − W are pruned (state tail = max(0, tip − W)). */
  stateDepth: number;
  /**
   * The cascade depth D (`cascadeDepthFor`): certificates of the last D + 1 blocks are kept, since a
   * served snapshot carries them (docs/sync.md §2). When `bodyDepth` is set below it (`--prune-depth`),
   * certificates go with the headers (below W) instead of with the bodies. Absent: with the bodies.
   */
  cascadeDepth?: number;
}

/**
 * The windows of a chain: D = `cascadeDepthFor` = unbondingDelay + epochLength (mainnet 9 000),
 * W = (MAX_ATTESTATION_NESTING + 1)·(unbondingDelay + 1) + epochLength (mainnet 26 283).
 * @throws RangeError when a window exceeds 2^53 − 1 blocks
 */
export function pruneWindowsFor(p: { unbondingDelay: bigint; epochLength: bigint }): PruneWindows {
  const d = cascadeDepthFor(p);
  const w = BigInt(MAX_ATTESTATION_NESTING + 1) * (p.unbondingDelay + 1n) + p.epochLength;
  if (w > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`prune window ${w} blocks is too large`);
  return { bodyDepth: Number(d), stateDepth: Number(w > d ? w : d), cascadeDepth: Number(d) };
}

/** The tails a tip at `tip` calls for under `w`. */
export function targetTails(tip: number, w: PruneWindows): { tail: number; stateTail: number } {
  return { tail: Math.max(0, tip - w.bodyDepth), stateTail: Math.max(0, tip - w.stateDepth) };
}

/** Whether an encoded header changes the validator set (`nextValidatorsHash ≠ validatorsHash`); false when absent. */
function isSetChange(headerBytes: Uint8Array | undefined): boolean {
  if (headerBytes === undefined) return false;
  const h = decodeHeader(headerBytes);
  return !equalBytes(h.nextValidatorsHash, h.validatorsHash);
}

/**
 * One pruning step: deletes the bodies (and certificates, `certs = "body"`) of heights
 * `[tail, min(target.tail, tail + maxHeights))` and the `S`/`U` records and headers (and
 * certificates, `certs = "header"`) of `[stateTail, min(target.stateTail, stateTail + maxHeights))`,
 * and moves both tails, in one batch (`Store._prune`). Targets below the current tails do nothing.
 * @returns the heights pruned (bodies + state records); 0 = nothing to do
 * @throws StoreError when a target lies above the body head
 */
export async function pruneStep(store: Store, target: { tail: number; stateTail: number }, maxHeights = 64, certs: "body" | "header" = "body"): Promise<number> {
  const { tail, stateTail } = store.heads;
  const newTail = Math.max(tail, Math.min(target.tail, tail + maxHeights));
  const newStateTail = Math.max(stateTail, Math.min(target.stateTail, stateTail + maxHeights));
  if (newTail === tail && newStateTail === stateTail) return 0;
  const ops: Op[] = [];
  for (let h = tail; h < newTail; h++) {
    for (const id of (await store.getBlockTxids(h)) ?? []) ops.push({ type: "del", key: txKey(id) });
    ops.push({ type: "del", key: blockKey(h) }, { type: "del", key: txidsKey(h) }, { type: "del", key: payoutsKey(h) });
  }
  // certificates go with the bodies (below D); headers and their hash index with S/U (below W,
  // where history.ts stops reading them), once the cascade holds them (heights ≤ tip − D); genesis stays
  // set-change heights c keep their header, certificate and the S records at c − 1 and c (what
  // get_light_update reads, module doc): bounded by the number of set changes
  if (certs === "body") for (let h = Math.max(tail, 1); h < newTail; h++) if (!isSetChange(await store.getHeader(h))) ops.push({ type: "del", key: certKey(h) });
  for (let h = stateTail; h < newStateTail; h++) {
    const [own, childBytes] = [await store.getHeader(h), await store.getHeader(h + 1)];
    const change = h > 0 && isSetChange(own);
    if (!change && !isSetChange(childBytes)) ops.push({ type: "del", key: stakingRecordKey(h) });
    ops.push({ type: "del", key: superParentsKey(h) });
    if (h === 0) continue;
    if (childBytes !== undefined) ops.push({ type: "del", key: hashKey(decodeHeader(childBytes).parentHash) });
    if (change) continue;
    if (certs === "header") ops.push({ type: "del", key: certKey(h) });
    ops.push({ type: "del", key: headerKey(h) });
  }
  await store._prune(ops, { tail: newTail, stateTail: newStateTail });
  return newTail - tail + (newStateTail - stateTail);
}

/** Options of {@link Pruner}. */
export interface PrunerOptions {
  /** Heights per batch (default 64): bounds the batch's size and the time the event loop waits for one step. */
  batchHeights?: number;
  log?: Logger;
  /** Called after each step with the new tails. */
  onStep?: (heads: { tail: number; stateTail: number }) => void;
}

/**
 * Background pruning of a pruned node: {@link schedule} after each commit; steps run one at a
 * time until the tails reach the targets of the current tip.
 */
export class Pruner {
  readonly store: Store;
  readonly windows: PruneWindows;
  readonly #o: PrunerOptions;
  /** Called after each step with the new tails (from the options; may be set later, e.g. by a test). */
  onStep: ((heads: { tail: number; stateTail: number }) => void) | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #stopped = false;

  constructor(store: Store, windows: PruneWindows, opts: PrunerOptions = {}) {
    this.store = store;
    this.windows = windows;
    this.#o = opts;
    this.onStep = opts.onStep;
  }

  /** Starts a catch-up run, or asks the running one for another pass. Errors are logged, never thrown. */
  schedule(): void {
    if (this.#stopped) return;
    if (this.#running !== undefined) {
      this.#again = true;
      return;
    }
    this.#running = this.catchUp()
      .catch((e: unknown) => this.#o.log?.error({ err: (e as Error).message }, "pruning failed"))
      .finally(() => {
        this.#running = undefined;
        if (this.#again && !this.#stopped) {
          this.#again = false;
          this.schedule();
        }
      });
  }

  /** Prunes step by step up to the targets of the current tip (or until stopped). @throws StoreError */
  async catchUp(): Promise<void> {
    for (;;) {
      const tip = this.store.tip;
      if (tip === undefined || this.#stopped) return;
      const certs = this.windows.bodyDepth < (this.windows.cascadeDepth ?? 0) ? "header" : "body";
      const n = await pruneStep(this.store, targetTails(tip.height, this.windows), this.#o.batchHeights ?? 64, certs);
      if (n === 0) return;
      const { tail, stateTail } = this.store.heads;
      this.#o.log?.debug({ tail, stateTail }, "pruned");
      this.onStep?.({ tail, stateTail });
    }
  }

  /** Resolves when no run is in progress. */
  async settled(): Promise<void> {
    while (this.#running !== undefined) await this.#running;
  }

  /** Stops scheduling and waits for the running step (call before closing the store). */
  async stop(): Promise<void> {
    this.#stopped = true;
    await this.settled();
  }
}

/**
 * Bytes the store holds, by key prefix (the prefix character, e.g. `"b"`): Σ key + value
 * lengths over every record, a logical size independent of LevelDB's compaction state.
 */
export async function storeBytes(store: Store): Promise<{ total: number; byPrefix: Record<string, number> }> {
  const byPrefix: Record<string, number> = {};
  let total = 0;
  for await (const [k, v] of store.db.iterator()) {
    const p = String.fromCharCode(k[0] ?? 0);
    const n = k.length + v.length;
    byPrefix[p] = (byPrefix[p] ?? 0) + n;
    total += n;
  }
  return { total, byPrefix };
}
