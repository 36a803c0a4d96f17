/**
 * Transaction intake (docs/node.md §Transactions): the one pipeline every transaction goes
 * through before it is kept or relayed, whether it comes from `submit_tx`, a fluffed gossip
 * message or a Dandelion++ stem relay.
 *
 * `check(bytes)` runs every consensus check (decode with the size cap, known-tx test, the
 * validation pipeline on the worker pool, key-image and one-time-key conflicts with the chain and
 * the mempool) without changing any state; `accept(v)` puts a checked transaction into the public
 * mempool; `submit(bytes)` does both. The Dandelion++ stempool keeps checked transactions
 * outside the mempool until they are fluffed (net/dandelion.ts).
 * @module
 */
import { ConsensusError, decodeTx, txId, validateTx, type ChainParams, type Tx, type Verifier } from "@baios/consensus";
import type { Chain } from "../chain.ts";
import type { Logger } from "../log.ts";
import { AlreadyInPoolError, type Mempool } from "../mempool.ts";
import type { NodeMetrics } from "../metrics.ts";
import { toHex as hex } from "@baios/consensus";


/** A transaction that passed every check against the chain and the mempool. */
export interface CheckedTx {
  tx: Tx;
  /** 32 bytes. */
  txid: Uint8Array;
  /** Canonical wire bytes (docs/protocol.md §10.1). */
  bytes: Uint8Array;
}

/** Construction options of {@link TxIntake}. */
export interface TxIntakeOptions {
  chain: Chain;
  mempool: Mempool;
  params: ChainParams;
  /** Runs MLSAGs and range proofs of relayed transactions (the tx lane of the worker pool, batched). */
  verifier: Verifier;
  /** Runs them for this node's own submissions (`check(bytes, { own: true })`: the pool's `forOwnTxs`, served before relayed txs); default {@link verifier}. */
  ownVerifier?: Verifier;
  metrics: NodeMetrics;
  log: Logger;
  /** Extra "already known" test (e.g. the stempool holds it); throws to refuse. */
  extraKnown?: (txid: Uint8Array) => boolean;
}

/** The transaction pipeline shared by RPC, gossip and the stem phase. */
export class TxIntake {
  readonly #o: TxIntakeOptions;
  /** Extra "already known" test, e.g. the Dandelion++ stempool holds the txid (set by net/p2pnode.ts). */
  extraKnown: ((txid: Uint8Array) => boolean) | undefined;
  constructor(opts: TxIntakeOptions) {
    this.#o = opts;
    this.extraKnown = opts.extraKnown;
  }

  /** The txid of wire bytes (decodes with the size cap). @throws ConsensusError `TX_*` */
  idOf(bytes: Uint8Array): Uint8Array {
    return txId(decodeTx(bytes, this.#o.params.maxTxBytes));
  }

  /**
   * Checks a transaction in full without changing state. `own`: a submission to this node
   * (`submit_tx`), verified through `ownVerifier` (ahead of relayed transactions).
   * @throws ConsensusError (any `TX_*` rule), AlreadyInPoolError (in the mempool, the stempool or on chain), NodeBusyError
   */
  async check(bytes: Uint8Array, opts: { own?: boolean } = {}): Promise<CheckedTx> {
    const { chain, mempool, params, metrics, log } = this.#o;
    const end = metrics.txValidationSeconds.startTimer({ stage: "total" });
    try {
      // cheap pre-checks: decode (size cap first), txid, already known?
      const tx = decodeTx(bytes, params.maxTxBytes);
      const id = txId(tx);
      if (mempool.has(id) || this.extraKnown?.(id) === true || (await chain.store.getTxLocation(id)) !== undefined) throw new AlreadyInPoolError(`transaction ${hex(id)} already known`);
      const checked = async (): Promise<Awaited<ReturnType<typeof validateTx>>> => {
        const v = await validateTx(bytes, chain, params, {
          verifier: opts.own === true ? (this.#o.ownVerifier ?? this.#o.verifier) : this.#o.verifier,
          keyImageFilter: (ki, i) => {
            if (mempool.spenderOf(ki) !== undefined) throw new ConsensusError("TX_KEY_IMAGE_IN_POOL", `inputs[${i}].keyImage: used by a mempool transaction`, { index: i });
          },
          oneTimeKeyFilter: (otk, j) => {
            if (mempool.holderOfOneTimeKey(otk) !== undefined) throw new ConsensusError("TX_ONE_TIME_KEY_IN_POOL", `outputs[${j}].oneTimeKey: used by a mempool transaction`, { index: j });
          },
        });
        await this.recheckAgainstChain(v.tx);
        return v;
      };
      let v: Awaited<ReturnType<typeof validateTx>>;
      try {
        v = await checked();
      } catch (e) {
        if (e instanceof ConsensusError && (e.code === "TX_KEY_IMAGE_SPENT" || e.code === "TX_ONE_TIME_KEY_EXISTS")) {
          // A block committed while the expensive steps ran (they may wait up to the pool's
          // workerQueueMaxWaitMs) took this very transaction: a race, so "already known".
          if ((await chain.store.getTxLocation(id)) !== undefined) throw new AlreadyInPoolError(`transaction ${hex(id)} already known (committed while it was checked)`);
          // Another transaction with its key image (or one-time key) is on chain: invalid now, but
          // a relaying peer may not have that block yet, and a sender of two conflicting
          // transactions to two nodes would otherwise get honest relays scored down and banned.
          // Relayed: dropped without blame (IGNORE, code kept), as Monero and Bitcoin Core treat
          // conflicts; a submit_tx client still gets the code.
          if (opts.own !== true) throw new ConsensusError(e.code, e.reason, { action: "IGNORE", ...(e.index === undefined ? {} : { index: e.index }) });
        }
        throw e;
      }
      return { tx: v.tx, txid: v.txid, bytes: v.bytes };
    } catch (e) {
      if (e instanceof ConsensusError) {
        metrics.txRejected.inc({ code: e.code });
        log.debug({ code: e.code, reason: e.reason }, "tx rejected");
      }
      throw e;
    } finally {
      end();
    }
  }

  /**
   * The state-dependent checks again (a block may have been committed meanwhile, e.g. while the
   * expensive steps ran or while the tx sat in the stempool).
   * @throws ConsensusError `TX_KEY_IMAGE_SPENT`, `TX_ONE_TIME_KEY_EXISTS`
   */
  async recheckAgainstChain(tx: Tx): Promise<void> {
    const { chain } = this.#o;
    const spent = await chain.store.areKeyImagesSpent(tx.inputs.map((i) => i.keyImage));
    const k = spent.indexOf(true);
    if (k >= 0) throw new ConsensusError("TX_KEY_IMAGE_SPENT", `inputs[${k}].keyImage: spent on chain`, { index: k });
    const used = (await chain.areOneTimeKeysUsed(tx.outputs.map((o) => o.oneTimeKey))).indexOf(true);
    if (used >= 0) throw new ConsensusError("TX_ONE_TIME_KEY_EXISTS", `outputs[${used}].oneTimeKey: exists on chain`, { index: used });
  }

  /** Puts a checked transaction into the public mempool. @throws MempoolFullError, ConsensusError (pool conflict) */
  accept(v: CheckedTx): Uint8Array {
    const { mempool, metrics, log } = this.#o;
    mempool.add(v.tx, v.txid, v.bytes);
    metrics.txAccepted.inc();
    metrics.mempoolTxs.set(mempool.size);
    metrics.mempoolBytes.set(mempool.bytes);
    log.debug({ txid: hex(v.txid), size: v.bytes.length }, "tx accepted");
    return v.txid;
  }

  /** {@link check} then {@link accept}; returns the txid. */
  async submit(bytes: Uint8Array, opts: { own?: boolean } = {}): Promise<Uint8Array> {
    return this.accept(await this.check(bytes, opts));
  }
}
