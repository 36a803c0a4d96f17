/**
 * Importing finalized blocks from elsewhere (docs/node.md §Block import): the certificate is
 * checked first (one Ed25519 signature per validator, far cheaper than the block), then the block
 * is validated against the tip (PoW, retarget, the parent's certificate in its body) and the
 * local clock, then committed.
 *
 * - **Safety failures.** A block with a valid certificate at a height that is already final
 *   locally, with another hash, means validators signed two blocks at one height. It is never
 *   dropped silently: it is logged at error level, both headers and both certificates are kept
 *   as evidence in the store (prefix `E`), `baios_safety_failures_total` counts it, and the
 *   import fails with {@link SafetyFailureError}.
 * - **Bounded catch-up.** A peer's announcement is trusted only as far as its certificate: the
 *   announced block's certificate is verified before anything is requested, the missing blocks
 *   are requested in batches of at most `catchUpBatch`, each is fully imported before the next,
 *   and catch-up stops at the first bad block or at a batch that makes no progress. One catch-up
 *   runs at a time.
 * @module
 */
import type { BlockMessage, Network, PeerId, Verdict } from "@baios/p2p";
import {
  ConsensusError,
  blockHash,
  decodeBlock,
  decodeCertificate,
  encodeCertificate,
  encodeHeader,
  equalBytes,
  isConsensusError,
  verifyFinalityCertificate,
  type Block,
  type ChainParams,
  type FinalityCertificate,
  type Verifier,
} from "@baios/consensus";
import type { ChainExecutor } from "./consensus/executor.ts";
import { ChainError, type Chain } from "./chain.ts";
import type { Logger } from "./log.ts";
import type { Mempool } from "./mempool.ts";
import type { NodeMetrics } from "./metrics.ts";
import { toHex as hex } from "@baios/consensus";

/** Default number of blocks asked from a peer per catch-up request. */
export const CATCH_UP_BATCH = 64;


/** Two certified blocks at one height: the evidence was stored (docs/node.md §Safety failures). */
export class SafetyFailureError extends Error {
  override name = "SafetyFailureError";
  /** The height both blocks claim. */
  readonly height: bigint;
  /** Hash of the conflicting block (32 bytes). */
  readonly conflictingHash: Uint8Array;
  constructor(height: bigint, conflictingHash: Uint8Array) {
    super(`safety failure: a second certified block ${hex(conflictingHash)} at final height ${height}`);
    this.height = height;
    this.conflictingHash = conflictingHash;
  }
}

/** Catch-up could not proceed (peer served nothing new, or another catch-up is running); not the peer's fault by itself. */
export class CatchUpError extends Error {
  override name = "CatchUpError";
}

/** What an import did. */
export type ImportOutcome = "imported" | "known";

/** Construction options of {@link BlockImporter}. */
export interface BlockImporterOptions {
  params: ChainParams;
  chain: Chain;
  mempool: Mempool;
  /** The block executor: the validator set in force, full validation and the commit (with the staking state). */
  executor: ChainExecutor;
  /** Runs MLSAGs and range proofs (the worker pool's block lane). */
  verifier: Verifier;
  metrics: NodeMetrics;
  log: Logger;
  /** Blocks per catch-up request (default {@link CATCH_UP_BATCH}, ≥ 1). */
  catchUpBatch?: number;
  /** Clock in ms since the epoch (default `Date.now`). */
  now?: () => number;
  /** Called after each imported block (the BFT driver jumps to the next height). */
  onImported?: (height: bigint) => void;
}

/** Imports certified blocks, records safety failures and catches up from peers. */
export class BlockImporter {
  readonly #o: BlockImporterOptions;
  #catchingUp = false;
  /** Imports run one at a time (gossip and sync race otherwise: the second would validate against a tip that moved mid-check). */
  #lock: Promise<unknown> = Promise.resolve();

  constructor(opts: BlockImporterOptions) {
    if (opts.catchUpBatch !== undefined && (!Number.isInteger(opts.catchUpBatch) || opts.catchUpBatch < 1)) throw new RangeError("catchUpBatch must be an integer ≥ 1");
    this.#o = opts;
  }

  /**
   * Verifies `cert` for `block` against the validator set in force after the tip (exact for the
   * next height; for a block further ahead, a pre-check with the current set).
   * @throws ConsensusError `CERT_*`
   */
  #verifyCert(block: Block, cert: FinalityCertificate): Uint8Array {
    const hash = blockHash(block.header);
    const set = this.#o.executor.setFor(block.header.height).set;
    verifyFinalityCertificate(cert, { chainId: this.#o.params.chainId, height: block.header.height, blockHash: hash, validatorSet: set });
    return hash;
  }

  /**
   * Imports one finalized block (wire bytes + certificate bytes).
   * @returns "imported", or "known" when this very block is already final here
   * @throws ConsensusError (malformed, certificate or block invalid, time),
   *   SafetyFailureError (another certified block at a final height: evidence stored),
   *   ChainError (the tip moved meanwhile, e.g. the BFT driver committed during validation)
   */
  async importBlock(blockBytes: Uint8Array, certBytes: Uint8Array): Promise<ImportOutcome> {
    const cert = decodeCertificate(certBytes);
    const block = decodeBlock(blockBytes, this.#o.params.maxBlockBytes);
    const hash = this.#verifyCert(block, cert);
    const run = this.#lock.then(() => this.#importVerified(block, cert, hash));
    this.#lock = run.catch(() => undefined);
    return run;
  }

  async #importVerified(block: Block, cert: FinalityCertificate, hash: Uint8Array): Promise<ImportOutcome> {
    const { chain, params } = this.#o;
    const height = block.header.height;
    if (height <= BigInt(chain.tip.height)) return this.#atFinalHeight(block, cert, hash);
    // the certificate again, against the set in force for exactly this height (it may differ from a pre-check's)
    this.#verifyCert(block, cert);
    try {
      const vb = await this.#o.executor.validateBlock(block);
      await this.#o.executor.commitBlock(vb.block, cert, { txids: vb.txids });
    } catch (e) {
      // another block (ours, or one imported concurrently) became final at this height meanwhile
      if (e instanceof ChainError && height <= BigInt(chain.tip.height)) return this.#atFinalHeight(block, cert, hash);
      throw e;
    }
    this.#o.metrics.mempoolTxs.set(this.#o.mempool.size);
    this.#o.metrics.mempoolBytes.set(this.#o.mempool.bytes);
    this.#o.onImported?.(height);
    return "imported";
  }

  /** A certified block at a height that is already final: the same block, or a safety failure. */
  async #atFinalHeight(block: Block, cert: FinalityCertificate, hash: Uint8Array): Promise<ImportOutcome> {
    const { chain, log } = this.#o;
    const h = Number(block.header.height);
    const finalizedHeader = await chain.store.getHeader(h);
    const finalizedCertificate = await chain.store.getCertificate(h);
    const ours = await chain.header(h);
    if (ours !== undefined && equalBytes(blockHash(ours), hash)) return "known";
    if (finalizedHeader === undefined || finalizedCertificate === undefined) throw new ChainError(`no final block at height ${h}`);
    const isNew = await chain.store.putEvidence(hash, {
      height: h,
      detectedAtMs: Math.floor((this.#o.now ?? Date.now)()),
      finalizedHeader,
      finalizedCertificate,
      conflictingHeader: encodeHeader(block.header),
      conflictingCertificate: encodeCertificate(cert),
    });
    if (isNew) this.#o.metrics.safetyFailures.inc();
    log.error(
      { height: h, finalized: ours === undefined ? undefined : hex(blockHash(ours)), conflicting: hex(hash), signers: cert.votes.map((v) => hex(v.validator)), newEvidence: isNew },
      "SAFETY FAILURE: a second certified block at a final height; both certificates kept as evidence",
    );
    throw new SafetyFailureError(block.header.height, hash);
  }

  /**
   * The p2p block handler: certificate first, bounded catch-up from the sender, then import.
   * @returns the verdict on the message (REJECT for a bad certificate or an invalid block)
   */
  async onBlock(msg: BlockMessage, from: PeerId, network: Network): Promise<Verdict> {
    if (msg.certificate === undefined) return "IGNORE"; // BFT proposals: a later issue
    try {
      const block = decodeBlock(msg.block, this.#o.params.maxBlockBytes);
      const height = block.header.height;
      if (height <= BigInt(this.#o.chain.tip.height)) {
        // a block we already have (a relay of our own chain): no signature work
        const ours = await this.#o.chain.header(Number(height));
        if (ours !== undefined && equalBytes(blockHash(ours), blockHash(block.header))) return "IGNORE";
      }
      const cert = decodeCertificate(msg.certificate);
      const hash = this.#verifyCert(block, cert); // before any request: a claimed height is not trusted
      if (height > BigInt(this.#o.chain.tip.height) + 1n) await this.#catchUp(network, from, height);
      const r = await this.#importVerified(block, cert, hash);
      return r === "imported" ? "ACCEPT" : "IGNORE";
    } catch (e) {
      if (!(e instanceof SafetyFailureError)) this.#o.log.debug({ err: (e as Error).message, peer: from }, "block from peer not imported");
      return isConsensusError(e) ? e.action : "IGNORE";
    }
  }

  /**
   * Fetches and imports the blocks below a certified `target` from `peer`, `catchUpBatch` at a
   * time, stopping at the first bad block.
   * @throws the first block's error, or CatchUpError (no progress / already catching up)
   */
  async #catchUp(network: Network, peer: PeerId, target: bigint): Promise<void> {
    if (this.#catchingUp) throw new CatchUpError("a catch-up is already running");
    this.#catchingUp = true;
    const batch = BigInt(this.#o.catchUpBatch ?? CATCH_UP_BATCH);
    try {
      for (;;) {
        const next = BigInt(this.#o.chain.tip.height) + 1n;
        if (next >= target) return;
        const want = target - next < batch ? target - next : batch;
        const got = await network.requestBlocks(peer, next, Number(want));
        for (const m of got.slice(0, Number(want))) {
          if (m.certificate === undefined) throw new ConsensusError("CERT_MALFORMED", "catch-up block without a finality certificate");
          const block = decodeBlock(m.block, this.#o.params.maxBlockBytes);
          const cert = decodeCertificate(m.certificate);
          await this.#importVerified(block, cert, this.#verifyCert(block, cert));
        }
        if (BigInt(this.#o.chain.tip.height) + 1n === next) throw new CatchUpError(`peer ${peer} served no block at height ${next}`);
      }
    } finally {
      this.#catchingUp = false;
    }
  }
}

/** `{ [key]: value }` when value is defined, else `{}` (exactOptionalPropertyTypes). */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
