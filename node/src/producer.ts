/**
 * Block production (single validator): every genesis `blockTimeMs` the producer assembles a block on
 * the tip, has the consensus engine finalize it (the single validator signs a precommit; the
 * signature is the finality certificate), and commits block + certificate in one batch.
 *
 * Assembly: mempool transactions in priority order (fee per byte, then arrival; mempool.ts)
 * within maxBlockBytes/maxBlockTxs; a coinbase paying block reward + fees to the validator's
 * payout address in one stealth output (tx key derived from the validator seed and height, so
 * a restarted producer rebuilds the same coinbase); header v2 with txRoot, the MMR root and size
 * after the block's outputs, the chain's Tx-PoW target, the retargeted block target, the
 * validator-set hashes (the single validator's set never changes) and the parent's stored
 * certificate in the body; then the header's PoW nonce is mined (docs/protocol.md §5.2),
 * yielding to the event loop between nonce chunks.
 * @module
 */
import { hashToScalar } from "@baios/crypto";
import { assembleBlock, blockHash, blockWireOverhead, mineBlockYielding, nextBlockTarget, u64le, type Address, type Block, type BlockHeader, type ChainParams, type ConsensusEngine } from "@baios/consensus";
import type { Chain, CommittedBlock } from "./chain.ts";
import type { Logger } from "./log.ts";
import type { Mempool, MempoolEntry } from "./mempool.ts";
import type { NodeMetrics } from "./metrics.ts";

/**
 * Room kept in a block for everything but the txs' own wire bytes (bytes): header, a coinbase
 * of up to `maxOutputs` outputs, the tx count and a 4-byte length per tx (docs/protocol.md §10.3).
 */
export function blockOverheadBytes(params: ChainParams, maxCertificateVotes = 0): number {
  return blockWireOverhead(params.maxBlockTxs, params.maxOutputs, maxCertificateVotes);
}

/**
 * When the single validator's next block is due (ms since epoch): `blockTimeMs` after the tip.
 * Consensus only needs a time after the parent's (docs/protocol.md §5.1); pacing blocks at the
 * genesis block time keeps the retarget at Δ = blockTimeMs, i.e. the PoW target steady.
 */
export function nextBlockDueMs(parent: BlockHeader, params: ChainParams): bigint {
  return parent.timeMs + BigInt(params.blockTimeMs);
}

/** Construction options of {@link BlockProducer} (docs/node.md §Block production). */
export interface ProducerOptions {
  /** The finalized chain: parent header and MMR for assembly, and where blocks are committed. */
  chain: Chain;
  /** Source of the block's transactions (priority order); pruned after each committed block. */
  mempool: Mempool;
  /** Chain parameters from genesis (`maxBlockBytes`, `maxBlockTxs`, `coinbaseMaturity`, …; docs/protocol.md §2). */
  params: ChainParams;
  /** The consensus engine (single validator now; BFT later): proposer key, validator set, finality. */
  engine: ConsensusEngine;
  /** The validator's 32-byte seed (derives the coinbase tx keys); never logged. */
  validatorSeed: Uint8Array;
  /** Coinbase payout address: view and spend public keys (32-byte ristretto255 encodings each). */
  payout: Address;
  /** Produce blocks without transactions; when false, wait for a pooled transaction (polling every ≤ 250 ms). */
  emptyBlocks: boolean;
  /** Logs produced blocks (info) and production failures (error). */
  log?: Logger;
  /** Observes `baios_block_produce_seconds` and updates the mempool gauges. */
  metrics?: NodeMetrics;
  /** Clock in ms since the Unix epoch (default `Date.now`; tests pin it): block times and the timer use it. */
  now?: () => number;
}

/** Coinbase tx secret `r = Hs("BAIOS/v1/node/coinbase-tx-key", seed ‖ u64le(height))`. */
export function coinbaseTxSecret(seed: Uint8Array, height: bigint): Uint8Array {
  const data = new Uint8Array(40);
  data.set(seed, 0);
  data.set(u64le(height), 32);
  return hashToScalar("BAIOS/v1/node/coinbase-tx-key", data);
}

/**
 * The single validator's block producer (docs/node.md §Block production). Every `blockTimeMs` after
 * the tip's time it assembles a block from the mempool ({@link BlockProducer.assemble}), finalizes
 * it with the consensus engine (round 0: the validator's precommit signature is the finality
 * certificate), commits block + certificate in one atomic batch and drops the block's
 * transactions and every pooled tx spending one of its key images from the mempool.
 * {@link BlockProducer.produceOne} calls are serialised; they reject with an Error when the engine
 * has no local validator, a CryptoError on an invalid payout key (`assembleBlock`), or a
 * ChainError when the block no longer fits the tip. Failures on the timer are logged and the
 * timer keeps running.
 */
export class BlockProducer {
  readonly #o: ProducerOptions;
  #timer: NodeJS.Timeout | undefined;
  #running = false;
  #current: Promise<unknown> = Promise.resolve();

  constructor(opts: ProducerOptions) {
    this.#o = opts;
  }

  /** Assembles (does not finalize) the next block from the mempool. */
  async assemble(): Promise<{ block: Block; entries: MempoolEntry[] }> {
    const o = this.#o;
    const parent = o.chain.tipHeader;
    const height = parent.height + 1n;
    if (o.engine.localValidator === undefined) throw new Error("this node is not a validator");
    const lastCertificate = await o.chain.certificate(Number(parent.height));
    if (lastCertificate === undefined) throw new Error(`no stored certificate for the tip at height ${parent.height}`);
    const grandparent = parent.height === 0n ? undefined : await o.chain.header(Number(parent.height - 1n));
    if (parent.height > 0n && grandparent === undefined) throw new Error(`no stored header at height ${parent.height - 1n}`);
    const entries = o.mempool.select(o.params.maxBlockBytes - blockOverheadBytes(o.params, lastCertificate.votes.length), o.params.maxBlockTxs);
    const now = BigInt(Math.floor((o.now ?? Date.now)()));
    const due = nextBlockDueMs(parent, o.params);
    const a = await assembleBlock({
      params: o.params,
      parent,
      mmr: o.chain.mmr,
      txs: entries.map((e) => e.tx),
      // pace: never before parent + genesis blockTimeMs, even with a slow clock (consensus needs only > parent)
      timeMs: now > due ? now : due,
      blockTarget: nextBlockTarget(parent, grandparent?.timeMs, o.params),
      nextValidatorsHash: o.engine.validatorSet.hash,
      lastCertificate,
      rewardTo: o.payout,
      coinbaseSecret: coinbaseTxSecret(o.validatorSeed, height),
    });
    const mined = await mineBlockYielding(a.block.header);
    if (mined === undefined) throw new Error("no PoW nonce meets the block target");
    return { block: { ...a.block, header: mined }, entries };
  }

  /** Produces, finalizes and commits one block. Serialised with other calls. */
  produceOne(): Promise<CommittedBlock> {
    const run = this.#current.then(() => this.#produce());
    this.#current = run.catch(() => undefined);
    return run;
  }

  async #produce(): Promise<CommittedBlock> {
    const o = this.#o;
    const end = o.metrics?.blockProduceSeconds.startTimer();
    const { block, entries } = await this.assemble();
    const cert = await o.engine.finalize(block, 0);
    const committed = await o.chain.commitBlock(block, cert, { txids: entries.map((e) => e.txid) });
    o.mempool.removeForBlock(committed.txids, committed.keyImages, committed.oneTimeKeys);
    o.metrics?.mempoolTxs.set(o.mempool.size);
    o.metrics?.mempoolBytes.set(o.mempool.bytes);
    end?.();
    o.log?.info({ height: Number(block.header.height), hash: Buffer.from(blockHash(block.header)).toString("hex"), txs: block.txs.length }, "produced block");
    return committed;
  }

  /** Starts the block timer: the next block is due the genesis `blockTimeMs` after the tip's time. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#schedule();
  }

  #schedule(): void {
    if (!this.#running) return;
    const o = this.#o;
    const now = (o.now ?? Date.now)();
    const due = Number(nextBlockDueMs(o.chain.tipHeader, o.params));
    const delay = Math.max(0, Math.min(o.params.blockTimeMs, due - now));
    this.#timer = setTimeout(() => void this.#tick(), delay);
  }

  async #tick(): Promise<void> {
    if (!this.#running) return;
    const o = this.#o;
    if ((o.now ?? Date.now)() < Number(nextBlockDueMs(o.chain.tipHeader, o.params))) return this.#schedule();
    try {
      if (o.emptyBlocks || o.mempool.size > 0) await this.produceOne();
    } catch (e) {
      o.log?.error({ err: (e as Error).message }, "block production failed");
    }
    if (!this.#running) return;
    // with no block produced (empty mempool and emptyBlocks off), poll again after a short while
    if (!o.emptyBlocks && o.mempool.size === 0) this.#timer = setTimeout(() => void this.#tick(), Math.min(250, o.params.blockTimeMs));
    else this.#schedule();
  }

  /** Stops the timer and waits for an in-flight block to finish committing. */
  async stop(): Promise<void> {
    this.#running = false;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    await this.#current;
  }
}
