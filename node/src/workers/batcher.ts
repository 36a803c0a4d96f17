/**
 * Range-proof batching for the mempool path (validation step 7, docs/node.md §Validation).
 *
 * Transactions arrive one by one, but Bulletproofs+ verification is ~5× cheaper per proof in a
 * batch (one multiscalar multiplication; docs/crypto.md §6). {@link RangeProofBatcher} wraps a
 * {@link Verifier}: range-proof jobs that arrive within `windowMs` (or until `maxBatch` are
 * waiting) are verified together, split across the pool's workers. When a batch fails, every
 * job in it is re-verified on its own, so only the transactions with a bad proof are rejected
 * (a sender of bad proofs costs the node about what one-by-one checks would). A batch the pool
 * refuses as busy (`NodeBusyError`) fails every job in it with that error, without retries.
 * MLSAG jobs pass straight through, and so do whole transactions (`verifyTx`) when the inner
 * verifier takes them (the pool micro-batches those itself, range proofs batched on one worker).
 * @module
 */
import type { MlsagJob, RangeProofJob, TxVerifyJob, Verifier } from "@baios/consensus";
import { NodeBusyError } from "./busy.ts";

/** Tuning of {@link RangeProofBatcher}. */
export interface BatcherOptions {
  /** How long the first waiting job waits for company, in ms (default 25: under load, range jobs arrive at the MLSAG completion rate, ~2 per 5 ms on 2 cores). */
  windowMs?: number;
  /** Flush as soon as this many jobs wait (default 32). */
  maxBatch?: number;
}

interface Waiting {
  job: RangeProofJob;
  resolve: () => void;
  reject: (e: unknown) => void;
}

/** A {@link Verifier} that batches range proofs across concurrent `verifyRangeProofs` calls. */
export class RangeProofBatcher implements Verifier {
  readonly #inner: Verifier;
  readonly #windowMs: number;
  readonly #maxBatch: number;
  #waiting: Waiting[] = [];
  #timer: NodeJS.Timeout | undefined;

  /** @param inner the verifier that does the work (the worker pool) */
  constructor(inner: Verifier, opts: BatcherOptions = {}) {
    this.#inner = inner;
    this.#windowMs = opts.windowMs ?? 25;
    this.#maxBatch = opts.maxBatch ?? 32;
  }

  /** MLSAG jobs are not batched: passed to the inner verifier as they come. */
  verifyMlsag(jobs: readonly MlsagJob[]): Promise<void> {
    return this.#inner.verifyMlsag(jobs);
  }

  /**
   * Steps 6–7 of one tx: to the inner verifier's `verifyTx` when it has one (one message), else
   * its MLSAGs straight through and its range proof into the next batch.
   */
  async verifyTx(job: TxVerifyJob): Promise<void> {
    if (this.#inner.verifyTx !== undefined) return this.#inner.verifyTx(job);
    await this.#inner.verifyMlsag(job.mlsag);
    if (job.range !== undefined) await this.verifyRangeProofs([job.range]);
  }

  /**
   * Queues the jobs for the next batch; resolves when they verified.
   * @throws ConsensusError `TX_RANGE_PROOF_INVALID` for this call's own failing job
   */
  verifyRangeProofs(jobs: readonly RangeProofJob[]): Promise<void> {
    if (jobs.length === 0) return Promise.resolve();
    const mine = jobs.map(
      (job) => new Promise<void>((resolve, reject) => this.#waiting.push({ job, resolve, reject })),
    );
    if (this.#waiting.length >= this.#maxBatch) this.#flush();
    else this.#timer ??= setTimeout(() => this.#flush(), this.#windowMs);
    return Promise.all(mine).then(() => undefined);
  }

  #flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const batch = this.#waiting;
    this.#waiting = [];
    if (batch.length > 0) void this.#settle(batch);
  }

  async #settle(batch: Waiting[]): Promise<void> {
    try {
      await this.#inner.verifyRangeProofs(batch.map((w) => w.job));
      for (const w of batch) w.resolve();
    } catch (e) {
      // The pool refused the batch (queue full): retrying each job alone would only add work.
      if (e instanceof NodeBusyError) {
        for (const w of batch) w.reject(e);
        return;
      }
      // Somebody's proof is bad (or a worker failed): settle each job on its own.
      await Promise.all(
        batch.map((w) => this.#inner.verifyRangeProofs([w.job]).then(w.resolve, w.reject)),
      );
    }
  }
}
