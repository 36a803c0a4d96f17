/**
 * A pool of validation worker threads implementing the consensus `Verifier`: the expensive
 * steps (MLSAG, range proofs) run off the main thread, one worker per core, so concurrent
 * transactions and a block's signatures use every core.
 *
 * Work splitting: a call's jobs are cut into up to `size` contiguous chunks, one task each;
 * tasks queue FIFO for the first idle worker. A call rejects with the failure of the earliest
 * failing chunk (deterministic: the lowest job position), as a rebuilt `ConsensusError`.
 * A worker that dies is replaced; its task fails with an Error (not a ConsensusError).
 * @module
 */
import { Worker } from "node:worker_threads";
import { ConsensusError, type MlsagJob, type RangeProofJob, type Verifier } from "@baios/consensus";
import type { Logger } from "../log.ts";
import type { NodeMetrics } from "../metrics.ts";
import type { WorkerReply, WorkerTask } from "./protocol.ts";

type Distribute<T> = T extends { kind: infer K } ? Omit<T, "id"> & { kind: K } : never;
type TaskBody = Distribute<WorkerTask>;

interface Pending {
  body: TaskBody;
  resolve: () => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  busy: Pending | undefined;
  taskId: number;
}

const WORKER_URL = new URL("./worker.ts", import.meta.url);

/** Splits `items` into at most `n` contiguous, nearly equal chunks (none empty). */
export function chunk<T>(items: readonly T[], n: number): T[][] {
  const k = Math.max(1, Math.min(n, items.length));
  const out: T[][] = [];
  let start = 0;
  for (let i = 0; i < k; i++) {
    const len = Math.floor(items.length / k) + (i < items.length % k ? 1 : 0);
    out.push(items.slice(start, start + len));
    start += len;
  }
  return out.filter((c) => c.length > 0);
}

/**
 * The consensus `Verifier` on `node:worker_threads` (docs/node.md §Validation and the worker pool):
 * `size` workers, each with its own `@baios/crypto` WebAssembly instance, run MLSAG verification
 * (step 6) and batched range proofs (step 7) of docs/protocol.md §3.5. A call's jobs are split into
 * contiguous chunks, one task per worker; a dead worker is replaced.
 * @throws RangeError from the constructor unless `size` is an integer ≥ 1. The verify methods
 *   reject with the rebuilt ConsensusError of the earliest failing chunk (`TX_SIGNATURE_INVALID`,
 *   `TX_RANGE_PROOF_INVALID`, `TX_INVALID_POINT`, … with `index`), or a plain Error when a worker
 *   dies, hits a non-consensus failure, or the pool is closed.
 */
export class WorkerPool implements Verifier {
  readonly size: number;
  readonly #slots: Slot[] = [];
  readonly #queue: Pending[] = [];
  readonly #log: Logger | undefined;
  readonly #metrics: NodeMetrics | undefined;
  #nextId = 1;
  #closed = false;

  constructor(size: number, opts: { log?: Logger; metrics?: NodeMetrics } = {}) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError("pool size must be ≥ 1");
    this.size = size;
    this.#log = opts.log;
    this.#metrics = opts.metrics;
    for (let i = 0; i < size; i++) this.#slots.push(this.#spawn());
    this.#metrics?.workerThreads.set(size);
  }

  #spawn(): Slot {
    const worker = new Worker(WORKER_URL);
    const slot: Slot = { worker, busy: undefined, taskId: 0 };
    worker.on("message", (r: WorkerReply) => {
      const p = slot.busy;
      if (p === undefined || r.id !== slot.taskId) return;
      slot.busy = undefined;
      if (r.ok) p.resolve();
      else if ("error" in r) p.reject(ConsensusError.fromJSON(r.error));
      else p.reject(new Error(`validation worker: ${r.fatal}`));
      this.#pump();
    });
    worker.on("error", (e) => {
      this.#log?.error({ err: e.message }, "validation worker crashed");
    });
    worker.on("exit", (code) => {
      const i = this.#slots.indexOf(slot);
      const p = slot.busy;
      slot.busy = undefined;
      p?.reject(new Error(`validation worker exited (code ${code})`));
      if (this.#closed || i < 0) return;
      this.#slots[i] = this.#spawn();
      this.#pump();
    });
    return slot;
  }

  #pump(): void {
    for (const slot of this.#slots) {
      if (this.#queue.length === 0) break;
      if (slot.busy !== undefined) continue;
      const p = this.#queue.shift() as Pending;
      slot.busy = p;
      slot.taskId = this.#nextId++;
      this.#metrics?.workerTasks.inc({ kind: p.body.kind });
      slot.worker.postMessage({ ...p.body, id: slot.taskId } as WorkerTask);
    }
    this.#metrics?.workerQueueLength.set(this.#queue.length);
  }

  #run(body: TaskBody): Promise<void> {
    if (this.#closed) return Promise.reject(new Error("worker pool closed"));
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({ body, resolve, reject });
      this.#pump();
    });
  }

  async #all(bodies: TaskBody[]): Promise<void> {
    const results = await Promise.allSettled(bodies.map((b) => this.#run(b)));
    for (const r of results) if (r.status === "rejected") throw r.reason;
  }

  /** Waits until every worker has loaded (answers a ping). */
  async ready(): Promise<void> {
    await Promise.all(this.#slots.map(() => this.#run({ kind: "ping" })));
  }

  /** Verifier: MLSAG jobs split across the workers. */
  async verifyMlsag(jobs: readonly MlsagJob[]): Promise<void> {
    if (jobs.length === 0) return;
    await this.#all(chunk(jobs, this.size).map((c) => ({ kind: "mlsag" as const, jobs: c })));
  }

  /** Verifier: range proofs batch-verified, one batch per worker. */
  async verifyRangeProofs(jobs: readonly RangeProofJob[]): Promise<void> {
    if (jobs.length === 0) return;
    await this.#all(chunk(jobs, this.size).map((c) => ({ kind: "range" as const, jobs: c })));
  }

  /** Number of queued (not yet running) tasks. */
  get queued(): number {
    return this.#queue.length;
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const p of this.#queue.splice(0)) p.reject(new Error("worker pool closed"));
    await Promise.all(this.#slots.map((s) => s.worker.terminate()));
    this.#metrics?.workerThreads.set(0);
  }
}
