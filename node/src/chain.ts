/**
 * Chain state over the store: the finalized tip, the output set (with its one-time-key index),
 * the key-image set (index `k` and the tree `K` behind `keyImageRoot`), the output MMR, the
 * header MMR (`m`, behind `headerRoot`) and the super-parent pointers after each block (`U`,
 * behind `superParentsRoot`). Implements the consensus `ChainView` (what validation reads) and applies a
 * finalized block as one atomic batch (store/store.ts).
 *
 * Global output indices: a block's coinbase outputs first, then each transaction's outputs in
 * block order (docs/protocol.md §8); each output is also the MMR leaf of the same index.
 * @module
 */
import {
  Mmr,
  blockHash,
  emptySuperParents,
  headerLeafHash,
  kisetInsertMany,
  kisetRoot,
  nextSuperParents,
  superParentsRoot,
  type KisetBackend,
  type KisetWrite,
  type SuperParents,
  blockOutputs,
  outputLeaves,
  decodeBlock,
  decodeCertificate,
  decodeHeader,
  encodeBlock,
  encodeCertificate,
  encodeHeader,
  equalBytes,
  txId,
  voteMessage,
  type Block,
  type BlockHeader,
  type ChainView,
  type FinalityCertificate,
  type MmrBackend,
  type MmrNode,
  type OutputRecord,
  type Tx,
  type UnbondPayout,
  type VoteMessage,
} from "@baios/consensus";
import type { Logger } from "./log.ts";
import type { NodeMetrics } from "./metrics.ts";
import { decodeSuperParents, encodeSuperParents, headerMmrKey, kisetKeyOf, mmrKey, type StoredOutput, type TipRecord } from "./store/keys.ts";
import { Store, StoreError } from "./store/store.ts";
import { NodeCascade } from "./cascade-store.ts";
import type { CascadeParams } from "@baios/consensus";
import { toHex as hex } from "@baios/consensus";


/** {@link MmrBackend} over the store: reads committed nodes; writes go through the block batch. */
export class StoreMmrBackend implements MmrBackend {
  readonly #store: Store;
  constructor(store: Store) {
    this.#store = store;
  }
  get(pos0: bigint): Uint8Array | undefined {
    return this.#store.getMmrNodeSync(Number(pos0));
  }
  /** Direct writes are not used by the node (nodes go into the block batch); kept for the interface. */
  async put(nodes: readonly MmrNode[]): Promise<void> {
    await this.#store.db.batch(
      nodes.map((n) => ({ type: "put" as const, key: mmrNodeKeyOf(n.pos0), value: n.hash })),
      { sync: this.#store.sync },
    );
  }
}
const mmrNodeKeyOf = (pos0: bigint): Uint8Array => mmrKey(Number(pos0));

/** The header MMR's {@link MmrBackend} over the store (`m` prefix): synchronous reads; writes go through the block batch. */
export class StoreHeaderMmrBackend implements MmrBackend {
  readonly #store: Store;
  constructor(store: Store) {
    this.#store = store;
  }
  get(pos0: bigint): Uint8Array | undefined {
    return this.#store.getHeaderMmrNodeSync(Number(pos0));
  }
  /** Direct writes are not used by the node (nodes go into the block batch); kept for the interface. */
  async put(nodes: readonly MmrNode[]): Promise<void> {
    await this.#store.db.batch(nodes.map((n) => ({ type: "put" as const, key: headerMmrKey(Number(n.pos0)), value: n.hash })), { sync: this.#store.sync });
  }
}

/** The key-image set tree's {@link KisetBackend} over the store (`K` prefix): synchronous reads; writes go through the block batch. */
export class StoreKisetBackend implements KisetBackend {
  readonly #store: Store;
  constructor(store: Store) {
    this.#store = store;
  }
  get(position: Uint8Array): Uint8Array | undefined {
    return this.#store.getKisetRecordSync(position);
  }
  /** Direct writes are not used by the node (records go into the block batch); kept for the interface. */
  async put(writes: readonly KisetWrite[]): Promise<void> {
    await this.#store.db.batch(writes.map((w) => ({ type: "put" as const, key: kisetKeyOf(w.position), value: w.record })), { sync: this.#store.sync });
  }
}

/** What the block would do to the output MMR (for the producer's header and for checks). */
export interface OutputPreview {
  outputs: OutputRecord[];
  nodes: MmrNode[];
  outputCount: bigint;
  outputRoot: Uint8Array;
}

/** A commit was refused: the block does not extend the tip, or its header disagrees with the state. */
export class ChainError extends Error {
  override name = "ChainError";
}

/** Event emitted after a block is committed. */
export interface CommittedBlock {
  height: bigint;
  hash: Uint8Array;
  block: Block;
  txids: Uint8Array[];
  keyImages: Uint8Array[];
  /** One-time keys of the outputs it created (32 bytes each, global-index order). */
  oneTimeKeys: Uint8Array[];
}

/**
 * The finalized chain. Single writer: {@link Chain.commitBlock} calls are serialised.
 */
export class Chain implements ChainView {
  readonly store: Store;
  readonly mmr: Mmr;
  /** Header MMR: leaf i = `headerLeafHash(i, hash of block i)`, genesis … tip (tip height + 1 leaves). */
  readonly headerMmr: Mmr;
  /** The key-image set tree after the tip (read only here; records are written in the block batch). */
  readonly kiset: KisetBackend;
  #superParents: SuperParents = emptySuperParents();
  readonly log: Logger | undefined;
  readonly metrics: NodeMetrics | undefined;
  #lock: Promise<unknown> = Promise.resolve();
  #tipHeader: BlockHeader | undefined;
  /** The cascade of the headers at heights ≤ tip − D (cascade-store.ts), when opened with `cascade` params. */
  #cascade: NodeCascade | undefined;
  readonly listeners = new Set<(b: CommittedBlock) => void>();

  private constructor(store: Store, log: Logger | undefined, metrics: NodeMetrics | undefined) {
    this.store = store;
    this.log = log;
    this.metrics = metrics;
    this.mmr = new Mmr(new StoreMmrBackend(store), BigInt(store.tip?.outputs ?? 0));
    this.headerMmr = new Mmr(new StoreHeaderMmrBackend(store), store.tip === undefined ? 0n : BigInt(store.tip.height) + 1n);
    this.kiset = new StoreKisetBackend(store);
  }

  /**
   * Opens the chain: verifies the stored tip, and on an empty store commits `genesis` (with
   * `genesisCert`). On a non-empty store the stored genesis hash must equal `genesis`'s.
   * @throws StoreError when the database is inconsistent or belongs to another genesis
   */
  static async open(store: Store, genesis: Block, genesisCert: FinalityCertificate, opts: { log?: Logger; metrics?: NodeMetrics; cascade?: CascadeParams } = {}): Promise<Chain> {
    await store.verifyTip((bytes) => blockHash(decodeHeader(bytes)));
    const chain = new Chain(store, opts.log, opts.metrics);
    const gHash = blockHash(genesis.header);
    if (store.tip === undefined) {
      await chain.commitBlock(genesis, genesisCert, { genesis: true });
      chain.log?.info({ hash: hex(gHash) }, "initialised the chain from genesis");
    } else {
      const stored = await store.genesisHash();
      if (stored === undefined || !equalBytes(stored, gHash)) {
        throw new StoreError(`the data directory belongs to another chain (genesis ${stored === undefined ? "?" : hex(stored)}, expected ${hex(gHash)})`);
      }
      const root = await chain.mmr.root();
      const tipHeader = await chain.header(store.tip.height);
      if (tipHeader === undefined || !equalBytes(root, tipHeader.outputRoot) || tipHeader.outputCount !== BigInt(store.tip.outputs)) {
        throw new StoreError(`tip ${store.tip.height}: MMR root/size disagree with the tip header`);
      }
      if (!equalBytes(await kisetRoot(chain.kiset), tipHeader.keyImageRoot)) throw new StoreError(`tip ${store.tip.height}: key-image set root disagrees with the tip header`);
      const sp = await store.getSuperParents(store.tip.height);
      if (sp === undefined) throw new StoreError(`tip ${store.tip.height}: super-parent pointers missing`);
      chain.#superParents = { entries: decodeSuperParents(sp) };
      try {
        // the header MMR's last leaf is the tip's hash
        const last = await chain.headerMmr.proof(BigInt(store.tip.height));
        if (last.leafIndex !== BigInt(store.tip.height)) throw new Error("leaf index");
      } catch (e) {
        throw new StoreError(`tip ${store.tip.height}: header MMR incomplete (${e instanceof Error ? e.message : String(e)})`);
      }
      chain.#tipHeader = tipHeader;
    }
    // the cascade (cascade-store.ts): loaded and checked against the tip, rebuilt for an older store
    if (opts.cascade !== undefined) chain.#cascade = await NodeCascade.load(store, opts.cascade, blockHash);
    chain.#updateGauges();
    return chain;
  }

  /** The node's cascade (headers at heights ≤ tip − D; docs/cascade.md §6), or undefined when the chain was opened without cascade params. */
  get cascade(): NodeCascade | undefined {
    return this.#cascade;
  }

  #updateGauges(): void {
    const t = this.store.tip;
    if (t === undefined || this.metrics === undefined) return;
    this.metrics.chainHeight.set(t.height);
    this.metrics.outputs.set(t.outputs);
    this.metrics.keyImages.set(t.keyImages);
    if (this.#tipHeader !== undefined) this.metrics.lastBlockTimeMs.value = Number(this.#tipHeader.timeMs);
  }

  get tip(): TipRecord {
    const t = this.store.tip;
    if (t === undefined) throw new ChainError("chain not initialised");
    return t;
  }
  /** ChainView: height of the last finalized block. */
  get height(): bigint {
    return BigInt(this.tip.height);
  }
  get tipHash(): Uint8Array {
    return this.tip.hash;
  }
  get tipHeader(): BlockHeader {
    if (this.#tipHeader === undefined) throw new ChainError("chain not initialised");
    return this.#tipHeader;
  }
  get outputCount(): number {
    return this.tip.outputs;
  }
  /** Super-parent pointers after the tip (docs/cascade.md §3): the next block's `superParentsRoot` is their root. */
  get superParents(): SuperParents {
    return this.#superParents;
  }
  /** Header MMR root after the tip (32 bytes; tip height + 1 leaves): the next block's `headerRoot`. */
  headerRoot(): Promise<Uint8Array> {
    return this.headerMmr.root();
  }

  /** ChainView: output records by global index (`undefined` when absent). */
  async getOutputs(globalIndices: readonly bigint[]): Promise<(OutputRecord | undefined)[]> {
    const recs = await this.store.getOutputs(globalIndices.map((i) => (i > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(i))));
    return recs.map((r, k) => (r === undefined ? undefined : toOutputRecord(globalIndices[k] as bigint, r)));
  }
  /** ChainView: whether the key image is spent in a finalized block. */
  async isKeyImageSpent(keyImage: Uint8Array): Promise<boolean> {
    return (await this.store.getKeyImageHeight(keyImage)) !== undefined;
  }

  /** ChainView: for each one-time key, whether a finalized output has it (store index `O`). */
  async areOneTimeKeysUsed(oneTimeKeys: readonly Uint8Array[]): Promise<boolean[]> {
    return this.store.areOneTimeKeysUsed(oneTimeKeys);
  }

  async header(height: number): Promise<BlockHeader | undefined> {
    const b = await this.store.getHeader(height);
    return b === undefined ? undefined : decodeHeader(b);
  }
  async block(height: number): Promise<Block | undefined> {
    const b = await this.store.getBlock(height);
    return b === undefined ? undefined : decodeBlock(b, Number.MAX_SAFE_INTEGER);
  }
  async certificate(height: number): Promise<FinalityCertificate | undefined> {
    const b = await this.store.getCertificate(height);
    return b === undefined ? undefined : decodeCertificate(b);
  }
  async heightOf(hash: Uint8Array): Promise<number | undefined> {
    return this.store.getHeightByHash(hash);
  }

  /**
   * The outputs, MMR nodes and new root/size that appending `block`'s outputs would give:
   * coinbase outputs, the unbond `payouts` due at this height (with `coinbaseMaturity`, docs/protocol.md §5.3), tx outputs.
   */
  async previewOutputs(block: Pick<Block, "coinbase" | "txs">, height: bigint, payouts: readonly UnbondPayout[] = [], coinbaseMaturity?: bigint): Promise<OutputPreview> {
    const first = BigInt(this.store.tip?.outputs ?? 0);
    // blockOutputs reads only header.height from the header
    const outputs = blockOutputs({ ...block, header: { height } as BlockHeader } as Block, first, payouts, coinbaseMaturity);
    const r = await this.mmr.preview(outputLeaves(outputs));
    return { outputs, nodes: r.nodes, outputCount: r.leafCount, outputRoot: r.root };
  }

  /**
   * Commits a finalized block and its certificate in one atomic batch. The block must extend
   * the tip (height + 1, parent hash) and its header's outputRoot/outputCount must match the
   * MMR after its outputs. Consensus validation is the caller's job (done before finality).
   * @throws ChainError when the block does not fit the current state
   */
  commitBlock(block: Block, cert: FinalityCertificate, opts: CommitOptions = {}): Promise<CommittedBlock> {
    const run = this.#lock.then(() => this.#commit(block, cert, opts));
    this.#lock = run.catch(() => undefined);
    return run;
  }

  async #commit(block: Block, cert: FinalityCertificate, opts: CommitOptions): Promise<CommittedBlock> {
    const end = this.metrics?.blockCommitSeconds.startTimer();
    const h = block.header;
    const hash = blockHash(h);
    const prev = this.store.tip;
    if (prev === undefined) {
      if (opts.genesis !== true || h.height !== 0n) throw new ChainError("empty chain: expected the genesis block");
    } else {
      if (h.height !== BigInt(prev.height) + 1n) throw new ChainError(`block height ${h.height}, expected ${prev.height + 1}`);
      if (!equalBytes(h.parentHash, prev.hash)) throw new ChainError("block parent is not the tip");
    }
    if (cert.height !== h.height || !equalBytes(cert.blockHash, hash)) throw new ChainError("certificate is for another block");
    const height = Number(h.height);
    const preview = await this.previewOutputs(block, h.height, opts.payouts, opts.coinbaseMaturity);
    if (preview.outputCount !== h.outputCount) throw new ChainError(`header outputCount ${h.outputCount}, state gives ${preview.outputCount}`);
    if (!equalBytes(preview.outputRoot, h.outputRoot)) throw new ChainError("header outputRoot differs from the MMR root");
    // defence in depth for the one-time-key index (consensus already refused such a block, protocol.md §7.1)
    const used = (await this.store.areOneTimeKeysUsed(preview.outputs.map((o) => o.oneTimeKey))).indexOf(true);
    if (used >= 0) throw new ChainError(`output ${preview.outputs[used]?.globalIndex} repeats a one-time key already on chain`);
    // the header's commitments to the past, against the state (consensus validation checked them too)
    if (this.headerMmr.leafCount !== h.height) throw new ChainError(`header MMR has ${this.headerMmr.leafCount} leaves, block height ${h.height}`);
    if (!equalBytes(h.headerRoot, await this.headerMmr.root())) throw new ChainError("header headerRoot differs from the header MMR");
    if (!equalBytes(h.superParentsRoot, superParentsRoot(this.#superParents))) throw new ChainError("header superParentsRoot differs from the pointers after the tip");
    const headerMmr = await this.headerMmr.preview([headerLeafHash(h.height, hash)]);
    const superParents = nextSuperParents(this.#superParents, h, hash);
    let kiset;
    try {
      kiset = await kisetInsertMany(this.kiset, block.txs.flatMap((tx) => tx.inputs.map((i) => i.keyImage)));
    } catch (e) {
      throw new ChainError(`key-image set: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
    if (!equalBytes(h.keyImageRoot, kiset.root)) throw new ChainError("header keyImageRoot differs from the key-image set after the block");

    const batch = this.store.batch();
    if (prev === undefined) batch.putGenesisMeta(hash);
    const blockBytes = encodeBlock(block);
    batch.putHeader(height, hash, encodeHeader(h));
    batch.putBlock(height, blockBytes);
    batch.putCertificate(height, encodeCertificate(cert));
    for (const o of preview.outputs) {
      const rec: StoredOutput = { oneTimeKey: o.oneTimeKey, commitment: o.commitment, height, unlockHeight: o.unlockHeight };
      batch.putOutput(Number(o.globalIndex), rec);
    }
    for (const n of preview.nodes) batch.putMmrNode(Number(n.pos0), n.hash);
    for (const n of headerMmr.nodes) batch.putHeaderMmrNode(Number(n.pos0), n.hash);
    for (const w of kiset.writes) batch.putKisetRecord(w.position, w.record);
    batch.putSuperParents(height, encodeSuperParents(superParents.entries));
    const keyImages: Uint8Array[] = [];
    const txids: Uint8Array[] = [];
    block.txs.forEach((tx: Tx, i) => {
      const id = opts.txids?.[i] ?? txId(tx);
      txids.push(id);
      batch.putTx(id, height, i);
      for (const inp of tx.inputs) {
        keyImages.push(inp.keyImage);
        batch.putKeyImage(inp.keyImage, height);
      }
    });
    batch.putBlockTxids(height, txids);
    if (opts.staking !== undefined) batch.putStaking(height, opts.staking);
    for (const e of block.evidence) if (e.kind === "invalid-attestation") batch.putSlashedVote(e.vote.validator, slashedVoteHash(e.vote), height);
    if (opts.payouts !== undefined) batch.putPayouts(height, opts.payouts);
    const outputs = Number(preview.outputCount);
    batch.putCumulativeOutputs(height, outputs);
    const mmrNodes = (prev?.mmrNodes ?? 0) + preview.nodes.length;
    // the header leaving the recent window enters the cascade, in this same batch (cascade-store.ts)
    const cc = await this.#cascade?.stage(height, (x) => (x === height ? Promise.resolve(h) : this.header(x)));
    if (cc !== undefined) batch.putCascade(cc.changes, cc.tip);
    try {
      await batch.write({ height, hash, outputs, keyImages: (prev?.keyImages ?? 0) + keyImages.length, mmrNodes });
    } catch (e) {
      if (this.#cascade !== undefined && cc !== undefined) this.#cascade = await NodeCascade.load(this.store, this.#cascade.params, blockHash).catch(() => this.#cascade);
      throw e;
    }
    this.mmr.setLeafCount(preview.outputCount);
    this.headerMmr.setLeafCount(headerMmr.leafCount);
    this.#superParents = superParents;
    this.#tipHeader = h;
    end?.();
    this.metrics?.blocksCommitted.inc();
    this.metrics?.txsCommitted.inc(block.txs.length);
    this.metrics?.blockBytes.observe(blockBytes.length);
    this.#updateGauges();
    const ev: CommittedBlock = { height: h.height, hash, block, txids, keyImages, oneTimeKeys: preview.outputs.map((o) => o.oneTimeKey) };
    this.log?.debug({ height, hash: hex(hash), txs: block.txs.length, outputs: preview.outputs.length }, "block committed");
    for (const l of this.listeners) l(ev);
    return ev;
  }
}

/** Options of {@link Chain.commitBlock}. */
export interface CommitOptions {
  /** The block is genesis (the chain is empty). */
  genesis?: boolean;
  /** Tx ids in block order, if already computed. */
  txids?: readonly Uint8Array[];
  /**
   * Matured unbond payouts due at this height (docs/protocol.md §5.3; not in the block body, the
   * staking state supplies them), appended after the coinbase outputs. Default none.
   */
  payouts?: readonly UnbondPayout[];
  /** ChainParams.coinbaseMaturity (blocks), required with payouts: they unlock at height + coinbaseMaturity. */
  coinbaseMaturity?: bigint;
  /** The staking record after this block (consensus/executor.ts), written in the same batch. */
  staking?: Uint8Array;
}

/** A stored output as the consensus `OutputRecord`. */
export function toOutputRecord(globalIndex: bigint, r: StoredOutput): OutputRecord {
  return { globalIndex, oneTimeKey: r.oneTimeKey, commitment: r.commitment, unlockHeight: r.unlockHeight };
}

/** The §2.1 signed hash of a vote: the identity under which an invalid attestation is slashed once (store prefix `V`). */
export function slashedVoteHash(v: VoteMessage): Uint8Array {
  return voteMessage(v.kind, v.chainId, v.height, v.round, v.blockHash);
}
