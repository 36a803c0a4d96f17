/**
 * A pool of validation worker threads implementing the consensus `Verifier`: the expensive
 * steps (MLSAG, range proofs) run off the main thread, one worker per core, so concurrent
 * transactions and a block's signatures use every core.
 *
 * Work splitting: a call's MLSAG jobs are cut into up to `size` contiguous chunks, one task each;
 * a call's range-proof jobs are one batch and stay on one worker (one multiscalar multiplication).
 * A whole transaction (`verifyTx`: its MLSAGs and range proof) is one queued item; items queued
 * together are posted as one `txs` micro-batch message, whose range proofs the worker batches.
 * Tasks queue FIFO per lane and go to an idle worker only (a worker's queue is never longer
 * than its running task: least-loaded dispatch), and a micro-batch takes the lane's queued
 * transactions divided by the number of workers (at most `maxMicroBatch`), so a backlog spreads
 * evenly over the workers and the last batches finish together. A call rejects with the failure of the earliest failing chunk
 * (deterministic: the lowest job position), as a rebuilt `ConsensusError`; each transaction of a
 * micro-batch gets its own verdict. A worker that dies is replaced; its task fails with an Error
 * (not a ConsensusError).
 *
 * Backpressure: two lanes, `block` and `tx`. An idle worker always takes the oldest block-lane
 * task before any tx-lane task, so a transaction flood cannot starve block validation. Each lane
 * bounds its queued (not yet running) jobs; a call that does not fit is refused whole, before
 * anything is queued, with {@link NodeBusyError} (`NODE_BUSY`, action `IGNORE`). The tx lane is
 * also bounded in time: a task still queued `txQueueMaxWaitMs` after it was admitted leaves the
 * queue unrun and its call fails with NodeBusyError, so a `submit_tx` never waits out its client's
 * timeout behind relayed transactions or block work (docs/node.md §Backpressure).
 * @module
 */
import { Worker } from "node:worker_threads";
import { ConsensusError, type MlsagJob, type RangeProofJob, type TxVerifyJob, type Verifier } from "@baios/consensus";
import type { Logger } from "../log.ts";
import type { NodeMetrics } from "../metrics.ts";
import { RingCacheMetrics } from "../ring-cache-metrics.ts";
import { NodeBusyError, type Lane } from "./busy.ts";
import { WORKER_BOOTSTRAP, workerSources } from "./ts-sources.ts";
import type { TxResult, WorkerReply, WorkerTask } from "./protocol.ts";

/** Default bound of the tx lane: queued jobs (one MLSAG job = one input, one range job = one tx's proof); ≈ 2–3 s of work on 2 cores. */
export const DEFAULT_TX_QUEUE_MAX_JOBS = 1024;
/** Default bound of the block lane, in queued jobs: the MLSAG jobs of 16 full blocks of 1,024 four-input txs. */
export const DEFAULT_BLOCK_QUEUE_MAX_JOBS = 65_536;
/** Default cap on transactions per `txs` micro-batch message. */
export const DEFAULT_MAX_MICRO_BATCH = 16;
/**
 * Default longest wait of a queued tx-lane task for a worker, in ms: past it the task leaves the
 * queue unrun and its call fails with NodeBusyError, so `submit_tx` answers within about this
 * long plus one micro-batch (well inside a client's timeout) however deep the backlog of relayed
 * transactions and block work in front of it.
 */
export const DEFAULT_TX_QUEUE_MAX_WAIT_MS = 2000;

/** Options of {@link WorkerPool}. */
export interface WorkerPoolOptions {
  log?: Logger;
  metrics?: NodeMetrics;
  /** Bound of the tx lane in queued jobs (default {@link DEFAULT_TX_QUEUE_MAX_JOBS}; ≥ 1). */
  txQueueMaxJobs?: number;
  /** Bound of the block lane in queued jobs (default {@link DEFAULT_BLOCK_QUEUE_MAX_JOBS}; ≥ 1). */
  blockQueueMaxJobs?: number;
  /** At most this many transactions per `txs` message (default {@link DEFAULT_MAX_MICRO_BATCH}; ≥ 1). */
  maxMicroBatch?: number;
  /** Longest wait of a queued tx-lane task for a worker, ms (default {@link DEFAULT_TX_QUEUE_MAX_WAIT_MS}; ≥ 1); past it the call fails with NodeBusyError. */
  txQueueMaxWaitMs?: number;
  /** Ring-member cache bound of each worker's WebAssembly instance, entries (default 0 = off; config `ringCacheEntries`). */
  ringCacheEntries?: number;
}

/**
 * The pool's queues: `block` (the block lane), then `own` and `tx`, the two queues of the tx lane:
 * `own` holds this node's own submissions (RPC `submit_tx`) and is served before `tx` (relayed
 * transactions: Dandelion++ stems and gossip), so a node's clients never queue behind its peers'
 * relay traffic. Both count against the tx lane's job bound and wait bound.
 */
type QueueName = "block" | "own" | "tx";
const laneOf = (q: QueueName): Lane => (q === "block" ? "block" : "tx");

type Distribute<T> = T extends { kind: infer K } ? Omit<T, "id"> & { kind: K } : never;
type TaskBody = Distribute<WorkerTask>;

interface Pending {
  body: TaskBody;
  lane: Lane;
  /** Jobs in the task (0 for a ping). */
  jobs: number;
  /** tx lane: `performance.now()` (ms) after which the task, still queued, is refused with NodeBusyError. */
  deadline: number;
  resolve: () => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  /** The items of the running task (several for a `txs` micro-batch). */
  busy: Pending[] | undefined;
  taskId: number;
}

/** Settles one transaction of a `txs` reply. */
function settle(p: Pending, r: TxResult | undefined): void {
  if (r === null) p.resolve();
  else if (r === undefined) p.reject(new Error("validation worker: missing verdict"));
  else if ("error" in r) p.reject(ConsensusError.fromJSON(r.error));
  else p.reject(new Error(`validation worker: ${r.fatal}`));
}

const WORKER_URL = new URL("./worker.ts", import.meta.url);
/** The directories of the worker's TypeScript modules: this one, @baios/consensus's and @baios/crypto's sources. */
const WORKER_SOURCE_DIRS = [new URL("./", import.meta.url).href, new URL("./", import.meta.resolve("@baios/consensus")).href, new URL("./", import.meta.resolve("@baios/crypto")).href];

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
 * contiguous chunks, one task per worker; a dead worker is replaced. The pool's own verify
 * methods use the bounded `tx` lane; {@link WorkerPool.forBlocks} gives the priority `block` lane.
 * @throws RangeError from the constructor unless `size` and the bounds are integers ≥ 1. The verify methods
 *   reject with the rebuilt ConsensusError of the earliest failing chunk (`TX_SIGNATURE_INVALID`,
 *   `TX_RANGE_PROOF_INVALID`, `TX_INVALID_POINT`, … with `index`), or a plain Error when a worker
 *   dies, hits a non-consensus failure, or the pool is closed, and with {@link NodeBusyError}
 *   (nothing queued) when the call's jobs do not fit in its lane's bound.
 */
export class WorkerPool implements Verifier {
  readonly size: number;
  readonly #slots: Slot[] = [];
  readonly #queues: Record<QueueName, Pending[]> = { block: [], own: [], tx: [] };
  readonly #queuedJobs: Record<Lane, number> = { block: 0, tx: 0 };
  readonly #maxJobs: Record<Lane, number>;
  readonly #log: Logger | undefined;
  readonly #metrics: NodeMetrics | undefined;
  readonly #lanes: Record<QueueName, Verifier>;
  readonly #maxMicroBatch: number;
  readonly #txMaxWaitMs: number;
  /** Fires at the deadline of the oldest queued tx-lane task. */
  #expiry: NodeJS.Timeout | undefined;
  #nextId = 1;
  readonly #ringCacheEntries: number;
  /** Per-worker ring-cache counters, summed into the metrics. */
  readonly ringCache: RingCacheMetrics;
  #closed = false;
  #taskUs = 0;
  #messages = 0;

  constructor(size: number, opts: WorkerPoolOptions = {}) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError("pool size must be ≥ 1");
    const tx = opts.txQueueMaxJobs ?? DEFAULT_TX_QUEUE_MAX_JOBS;
    const block = opts.blockQueueMaxJobs ?? DEFAULT_BLOCK_QUEUE_MAX_JOBS;
    if (!Number.isInteger(tx) || tx < 1 || !Number.isInteger(block) || block < 1) throw new RangeError("queue bounds must be ≥ 1");
    this.size = size;
    this.#maxJobs = { block, tx };
    this.#maxMicroBatch = opts.maxMicroBatch ?? DEFAULT_MAX_MICRO_BATCH;
    if (!Number.isInteger(this.#maxMicroBatch) || this.#maxMicroBatch < 1) throw new RangeError("maxMicroBatch must be ≥ 1");
    this.#txMaxWaitMs = opts.txQueueMaxWaitMs ?? DEFAULT_TX_QUEUE_MAX_WAIT_MS;
    if (!Number.isFinite(this.#txMaxWaitMs) || this.#txMaxWaitMs < 1) throw new RangeError("txQueueMaxWaitMs must be ≥ 1");
    this.#log = opts.log;
    this.#metrics = opts.metrics;
    this.#ringCacheEntries = opts.ringCacheEntries ?? 0;
    this.ringCache = new RingCacheMetrics(opts.metrics);
    const lane = (q: QueueName): Verifier => ({
      verifyMlsag: (jobs) => this.#verify(q, "mlsag", jobs),
      verifyRangeProofs: (jobs) => this.#verify(q, "range", jobs),
      verifyTx: (job) => this.#verifyTx(q, job),
    });
    this.#lanes = { block: lane("block"), own: lane("own"), tx: lane("tx") };
    for (let i = 0; i < size; i++) this.#slots.push(this.#spawn());
    this.#metrics?.workerThreads.set(size);
  }

  #spawn(): Slot {
    // with the main thread's stripped sources (ts-sources.ts), the worker skips Node's TypeScript stripper
    const sources = workerSources(WORKER_SOURCE_DIRS);
    const worker = sources.has(WORKER_URL.href)
      ? new Worker(WORKER_BOOTSTRAP, { eval: true, workerData: { ringCacheEntries: this.#ringCacheEntries, sources, entry: WORKER_URL.href } })
      : new Worker(WORKER_URL, { workerData: { ringCacheEntries: this.#ringCacheEntries } });
    const slot: Slot = { worker, busy: undefined, taskId: 0 };
    worker.on("message", (r: WorkerReply) => {
      const ps = slot.busy;
      if (ps === undefined || r.id !== slot.taskId) return;
      slot.busy = undefined;
      this.#taskUs += r.us ?? 0;
      if (r.ringCache !== undefined) this.ringCache.report(worker, r.ringCache);
      if (r.ok && r.results !== undefined) ps.forEach((p, i) => settle(p, r.results?.[i]));
      else if (r.ok) for (const p of ps) p.resolve();
      else if ("error" in r) for (const p of ps) p.reject(ConsensusError.fromJSON(r.error));
      else for (const p of ps) p.reject(new Error(`validation worker: ${r.fatal}`));
      this.#pump();
    });
    worker.on("error", (e) => {
      this.#log?.error({ err: e.message }, "validation worker crashed");
    });
    worker.on("exit", (code) => {
      this.ringCache.drop(worker);
      const i = this.#slots.indexOf(slot);
      const ps = slot.busy ?? [];
      slot.busy = undefined;
      for (const p of ps) p.reject(new Error(`validation worker exited (code ${code})`));
      if (this.#closed || i < 0) return;
      this.#slots[i] = this.#spawn();
      this.#pump();
    });
    return slot;
  }

  /**
   * The next task for an idle worker: the oldest block-lane item, else the oldest own tx-lane
   * item, else the oldest relayed one; a
   * transaction item takes the transactions queued right behind it in its queue along, up to its
   * share of the backlog (`ceil(queued / workers)`, at most `maxMicroBatch`): the busy workers
   * will want their share when they finish, so the last batches stay small and end together.
   */
  #next(): Pending[] | undefined {
    for (const name of ["block", "own", "tx"] as const) {
      const q = this.#queues[name];
      const lane = laneOf(name);
      const p = q[0];
      if (p === undefined) continue;
      let n = 1;
      if (p.body.kind === "txs") {
        const share = Math.min(this.#maxMicroBatch, Math.ceil(q.length / this.size));
        while (n < share && q[n]?.body.kind === "txs") n++;
      }
      const taken = q.splice(0, n);
      for (const t of taken) this.#queuedJobs[lane] -= t.jobs;
      return taken;
    }
    return undefined;
  }

  /**
   * Refuses every tx-lane task queued past its deadline (they sit at the heads: each queue is
   * FIFO and every task gets the same wait bound) with NodeBusyError, then re-arms the timer for
   * the new oldest task. Nothing of a refused task ran.
   */
  #expire(): void {
    this.#expiry = undefined;
    const now = performance.now();
    let n = 0;
    for (const q of [this.#queues.own, this.#queues.tx]) {
      while (q[0] !== undefined && q[0].deadline <= now) {
        const p = q.shift() as Pending;
        this.#queuedJobs.tx -= p.jobs;
        n++;
        p.reject(new NodeBusyError("tx", `tx lane: no validation worker free within ${this.#txMaxWaitMs} ms; retry later`));
      }
    }
    if (n > 0) {
      this.#metrics?.workerQueueRejected.inc({ lane: "tx" }, n);
      this.#log?.debug({ refused: n, queued: this.#queues.own.length + this.#queues.tx.length, maxWaitMs: this.#txMaxWaitMs }, "tx-lane tasks waited too long: NODE_BUSY");
      this.#gauges();
    }
    this.#armExpiry();
  }

  #armExpiry(): void {
    if (this.#expiry !== undefined || this.#closed) return;
    const first = Math.min(this.#queues.own[0]?.deadline ?? Infinity, this.#queues.tx[0]?.deadline ?? Infinity);
    if (first === Infinity) return;
    this.#expiry = setTimeout(() => this.#expire(), Math.max(0, first - performance.now()) + 1);
    this.#expiry.unref();
  }

  #gauges(): void {
    const m = this.#metrics;
    if (m === undefined) return;
    m.workerQueueLength.set(this.queued);
    for (const lane of ["block", "tx"] as const) m.workerQueueJobs.set({ lane }, this.#queuedJobs[lane]);
  }

  #pump(): void {
    for (const slot of this.#slots) {
      if (slot.busy !== undefined) continue;
      const ps = this.#next();
      if (ps === undefined) break;
      slot.busy = ps;
      slot.taskId = this.#nextId++;
      const first = ps[0] as Pending;
      this.#metrics?.workerTasks.inc({ kind: first.body.kind });
      const body: TaskBody = first.body.kind === "txs" ? { kind: "txs", jobs: ps.flatMap((p) => (p.body.kind === "txs" ? p.body.jobs : [])) } : first.body;
      this.#messages++;
      slot.worker.postMessage({ ...body, id: slot.taskId } as WorkerTask);
    }
    this.#gauges();
  }

  /**
   * Admits all `bodies` into `lane` or none: refused with NodeBusyError when the lane already
   * holds queued jobs and these would take it over its bound (a call larger than the bound is
   * admitted only into an empty lane, so it cannot be refused forever).
   */
  #admit(name: QueueName, bodies: TaskBody[]): Promise<void>[] {
    const lane = laneOf(name);
    if (this.#closed) return [Promise.reject(new Error("worker pool closed"))];
    const jobs = bodies.map((b) => (b.kind === "txs" ? b.jobs.reduce((a, j) => a + j.mlsag.length + (j.range === undefined ? 0 : 1), 0) : "jobs" in b ? b.jobs.length : 0));
    const total = jobs.reduce((a, b) => a + b, 0);
    const queued = this.#queuedJobs[lane];
    if (queued > 0 && queued + total > this.#maxJobs[lane]) {
      this.#metrics?.workerQueueRejected.inc({ lane });
      return [Promise.reject(new NodeBusyError(lane, `${lane} lane: ${queued} jobs queued, ${total} more would exceed the bound of ${this.#maxJobs[lane]}; retry later`))];
    }
    const deadline = lane === "tx" ? performance.now() + this.#txMaxWaitMs : Infinity;
    const out = bodies.map(
      (body, i) =>
        new Promise<void>((resolve, reject) => {
          this.#queues[name].push({ body, lane, jobs: jobs[i] ?? 0, deadline, resolve, reject });
        }),
    );
    this.#queuedJobs[lane] += total;
    this.#pump();
    if (lane === "tx") this.#armExpiry();
    return out;
  }

  async #verify(lane: QueueName, kind: "mlsag" | "range", jobs: readonly MlsagJob[] | readonly RangeProofJob[]): Promise<void> {
    if (jobs.length === 0) return;
    // MLSAGs split across the workers; a range-proof batch stays whole on one worker
    const bodies: TaskBody[] = kind === "mlsag" ? chunk(jobs as readonly MlsagJob[], this.size).map((c) => ({ kind, jobs: c })) : [{ kind, jobs: [...(jobs as readonly RangeProofJob[])] }];
    const results = await Promise.allSettled(this.#admit(lane, bodies));
    for (const r of results) if (r.status === "rejected") throw r.reason;
  }

  async #verifyTx(lane: QueueName, job: TxVerifyJob): Promise<void> {
    if (job.mlsag.length === 0 && job.range === undefined) return;
    await Promise.all(this.#admit(lane, [{ kind: "txs", jobs: [job] }]));
  }

  /** Waits until every worker has loaded (answers a ping). */
  async ready(): Promise<void> {
    await Promise.all(this.#admit("block", this.#slots.map(() => ({ kind: "ping" as const }))));
  }

  /** Verifier: MLSAG jobs split across the workers, on the bounded `tx` lane (same as `forTxs().verifyMlsag`). */
  verifyMlsag(jobs: readonly MlsagJob[]): Promise<void> {
    return this.#verify("tx", "mlsag", jobs);
  }

  /** Verifier: range proofs batch-verified as one batch on one worker, on the bounded `tx` lane. */
  verifyRangeProofs(jobs: readonly RangeProofJob[]): Promise<void> {
    return this.#verify("tx", "range", jobs);
  }

  /**
   * Verifier: steps 6–7 of one transaction as one queued item on the bounded `tx` lane; items
   * queued together go to a worker as one `txs` message with their range proofs batched.
   * Counts `mlsag.length + 1` jobs against the lane bound.
   */
  verifyTx(job: TxVerifyJob): Promise<void> {
    return this.#verifyTx("tx", job);
  }

  /**
   * The priority lane as a consensus `Verifier`: for blocks (and, later, votes). Its tasks run
   * before every queued tx-lane task, and only the block-lane bound (`blockQueueMaxJobs`) can
   * refuse them.
   */
  forBlocks(): Verifier {
    return this.#lanes.block;
  }

  /** The bounded `tx` lane as a consensus `Verifier`: relayed transactions (p2p stems and gossip). Over `txQueueMaxJobs` queued jobs, or after `txQueueMaxWaitMs` queued, it rejects with {@link NodeBusyError}. */
  forTxs(): Verifier {
    return this.#lanes.tx;
  }

  /**
   * The same bounded `tx` lane for this node's own submissions (RPC `submit_tx`): same job bound
   * and wait bound, but an idle worker serves these before the relayed transactions of
   * {@link forTxs} (after the block lane), so a client's call never waits behind peers' relay traffic.
   */
  forOwnTxs(): Verifier {
    return this.#lanes.own;
  }

  /**
   * Work accounting, for measuring the pool's own overhead (bench/src/pool-overhead.ts): task
   * messages posted, and the summed CPU time (µs) of the worker threads inside tasks
   * (verification only, excluding messaging and structured clone), since the pool started.
   */
  get stats(): { messages: number; taskUs: number } {
    return { messages: this.#messages, taskUs: this.#taskUs };
  }

  /** Number of queued (not yet running) tasks, both lanes. */
  get queued(): number {
    return this.#queues.block.length + this.#queues.own.length + this.#queues.tx.length;
  }

  /** Number of queued (not yet running) jobs in `lane`. */
  queuedJobs(lane: Lane): number {
    return this.#queuedJobs[lane];
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#expiry);
    this.#expiry = undefined;
    for (const name of ["block", "own", "tx"] as const) {
      for (const p of this.#queues[name].splice(0)) p.reject(new Error("worker pool closed"));
      this.#queuedJobs[laneOf(name)] = 0;
    }
    await Promise.all(this.#slots.map((s) => s.worker.terminate()));
    this.#metrics?.workerThreads.set(0);
  }
}
